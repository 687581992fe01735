"""BBC News (and BBC World Service language sites): article layouts from 2006 to 2024.

- 2006 ``news.bbc.co.uk/1/hi/...stm``: a table layout whose body is the element holding the
  ``<!-- S BO -->`` comment; the lead sentence is bare ``<b>`` text before the first ``<p>``.
- 2008-2009 ``.stm``: ``td.storybody`` (byline ``span.byl``), boxes and photos as ``<table>``.
- 2010 ``.stm``: ``div#story-body`` with ``div.story-feature`` side boxes and video captions.
- 2010-2014 ``/news/<section>-<id>``: ``div.story-body`` holding share tools, the headline,
  ``span.cross-head`` subheads, ``div.embedded-hyper`` / ``div.story-feature`` boxes.
- 2012 World Service (``/zhongwen/simp/...shtml``): ``div.bodytext``.
- 2015-2019: ``div.story-body__inner`` (``property=articleBody``), videos as
  ``div.media-placeholder``, ad slots ``div.bbccom_slot``, tweets ``div.social-embed``.
- 2020-2024 (React): ``<article>`` whose children are ``data-component`` blocks; only the text,
  crosshead, subheadline and list blocks are body text (media, image, byline, links, topic
  blocks are not). Video pages (``/news/av/``) keep their text in a ``StyledSummary`` div.

``OriginalPublicationDate`` (2006-2014) is written in GMT without a zone, so it is read here
rather than by the generic date parser, which never invents a time zone.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from tracker.parsers import COMMON_DROP_XPATHS, OutletParser, compiled_xpath, has_class, parse_date, register

# React block types that carry article text (2020-2024).
_TEXT_BLOCKS = " or ".join(
    f"@data-component='{name}'"
    for name in ("text-block", "crosshead-block", "subheadline-block", "unordered-list-block", "ordered-list-block")
)
_ORIGINAL_PUBLICATION_DATE = re.compile(r"^(\d{4})/(\d{2})/(\d{2}) (\d{2}:\d{2}:\d{2})$")


@register
class BBCParser(OutletParser):
    name = "bbc"
    # news.bbc.co.uk (-2010), www.bbc.co.uk (UK edition, World Service /zhongwen/... until
    # 2016) and www.bbc.com (international edition and World Service today)
    hosts = ("bbc.co.uk", "bbc.com")

    body_xpaths = (
        f"//article/div[{_TEXT_BLOCKS}]",  # 2020-2024
        "//article/div[contains(@class, '-StyledSummary')]",  # 2022 video pages
        f"//div{has_class('story-body__inner')}",  # 2015-2019
        f"//div{has_class('bodytext')}",  # 2012 World Service (BBC Chinese)
        "//div[@class='story-body']",  # 2010-2014
        "//div[@id='story-body']",  # 2010 .stm
        "//td[@class='storybody']",  # 2008-2009 .stm
        "(//comment()[normalize-space() = 'S BO'])[1]/..",  # 2006 .stm
    )
    # Bodies are read as text split at block elements: the 2006 lead sentence is no <p>, and
    # 2010-2014 subheads are inline <span class="cross-head"> between paragraphs.
    paragraph_xpath = "."
    drop_xpaths = COMMON_DROP_XPATHS + (
        # 2006-2009: photos, fact boxes and link boxes are floated tables
        ".//table",
        # 2010-2014: date, share tools, headline, video players, captions, side boxes
        ".//span[@class='story-date'] | .//div[@id='page-bookmark-links-head'] | .//h1",
        ".//div[starts-with(@class, 'videoInStory')] | .//*[contains(@class, 'caption')]",
        ".//div[contains(@class, 'story-feature') or contains(@class, 'embedded-hyper')"
        " or contains(@class, 'market-data') or contains(@class, 'twitter-module')]",
        ".//a[@class='hidden']",  # "Continue reading the main story"
        # 2008-2014 share and bookmark tools
        ".//div[@id='socialBookMarks'] | .//div[contains(@class, 'share')]",
        # 2015-2019: videos with "Media caption", ad slots, embedded tweets, guide cards
        ".//div[contains(@class, 'media-placeholder') or contains(@class, 'media-with-caption')]",
        ".//div[contains(@class, 'bbccom_')] | .//div[contains(@class, 'social-embed')]",
        ".//*[contains(@class, 'pullout')] | .//*[contains(@style, 'display: none')]",
        ".//*[contains(@class, 'off-screen') or contains(@class, 'visually-hidden')]",
        # 2022 video pages: the "Show more" button
        ".//div[contains(@class, 'ShowMoreButton')]",
    )
    # Newsletter sign-ups, and social-media and programme promos at the foot of Newsbeat and
    # regional stories, written as text blocks
    drop_paragraph_patterns = (
        re.compile(r"^Follow (?:BBC|Newsbeat)\b.{0,80}\bon (?:Facebook|Twitter|Instagram|X|YouTube|TikTok)\b"),
        re.compile(r"^Listen to Newsbeat live\b"),
    )

    headline_xpaths = (
        "//h1[@id='main-heading']",  # 2020-2024
        f"//h1{has_class('story-body__h1')}",  # 2015-2019
        f"//h1{has_class('story-header')}",  # 2010-2014
        "//div[@id='meta-information']/h1",  # 2010 .stm
        "//div[@class='mxb']/h1 | //div[@class='mxb']/div[@class='sh']",  # 2006-2009 .stm
        "//meta[@name='Headline']/@content",
        "//h1",
    )
    author_xpaths = (
        "//article/div[@data-component='byline-block']//*[contains(@class, 'ContributorName')]",  # 2024
        "//span[@class='byline__name']",  # 2015-2019: "By Jon Sopel"
        # 2010-2014; not the "Analysis" correspondent boxes inside the story
        "//div[@class='story-body']//span[@class='byline-name'][not(ancestor::div[contains(@class, 'story-feature')])]",
        "//td[@class='storybody']//span[@class='byl']",  # 2008-2009
        "//meta[@property='og:article:author']/@content",  # 2015-2019 pages without a byline: "BBC News"
    )
    published_xpaths = (
        "//article//time/@datetime",  # 2020-2024
        f"//div{has_class('story-body')}//div[@data-seconds]/@data-seconds",  # 2015-2019 (epoch)
        "//meta[@name='dcterms.created']/@content",  # 2012 World Service
    )
    modified_xpaths = ("//meta[@name='dcterms.modified']/@content",)

    def published(self, doc: HtmlElement) -> str | None:
        for value in compiled_xpath("//meta[@name='OriginalPublicationDate']/@content")(doc):
            match = _ORIGINAL_PUBLICATION_DATE.match(str(value).strip())
            if match:  # "2010/06/06 13:48:45" is GMT
                year, month, day, time = match.groups()
                return parse_date(f"{year}-{month}-{day}T{time}+00:00")
        return super().published(doc)
