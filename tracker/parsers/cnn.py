"""CNN (www, edition, money and arabic.cnn.com): article layouts from 2010 to 2023.

- 2010-2014 classic: ``div#cnnContentContainer`` with the story in the ``div.cnn_strycntnt*``
  column that holds the paragraphs (the left one; the right one on the mirrored Arabic site),
  boxes for photos, highlights and related links inside it.
- 2014-2018 money.cnn.com: ``div#storytext``; the lead paragraph is an ``h2``, naive
  ``DC.date.issued`` times are US Eastern ("First published ...: 3:33 AM ET").
- 2016-2021 "pg" layout: ``section#body-text`` with ``div.zn-body__paragraph`` blocks.
- 2022-now (current): ``div.article__content[itemprop=articleBody]`` of ``p.paragraph``
  and ``h2.subheader``, byline in ``span.byline__name``.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from tracker.parsers import COMMON_DROP_XPATHS, OutletParser, has_class, register

# "By Rob Picheta, CNN": the organisation is no author.
_NOT_A_PERSON = re.compile(r"^(?:CNN|CNN\s+\w.*|CNNMoney.*|CNN Business|CNN Wire)$")


@register
class CnnParser(OutletParser):
    name = "cnn"
    hosts = ("cnn.com",)  # www., edition., money., arabic., us., lite.

    body_xpaths = (
        "//div[@itemprop='articleBody'][contains(@class, 'article__content')]",  # 2022-now
        "//section[@id='body-text']",  # 2016-2021
        "//div[@id='storytext']",  # money.cnn.com 2014-2018
        # 2010-2014: the story column is the one with paragraphs in it
        "//div[@id='cnnContentContainer']/div[starts-with(@class, 'cnn_strycntnt')][p]",
    )
    paragraph_xpath = (
        ".//p | .//h2 | .//h3 | .//h4 | .//li | .//blockquote"
        " | .//div[contains(@class, 'zn-body__paragraph')]"
    )
    drop_xpaths = COMMON_DROP_XPATHS + (
        # 2022-now: "CNN —" dateline, photos, videos, related stories, ads
        f".//div{has_class('source')}",
        ".//div[@data-component-name='image' or @data-component-name='video-resource'"
        " or @data-component-name='gallery-inline']",
        ".//div[contains(@class, 'related-content') or contains(@class, 'video-resource')"
        " or contains(@class, 'image_inline') or contains(@class, 'ad-slot')"
        " or contains(@class, 'ad-feedback') or contains(@class, 'list-related')]",
        # 2016-2021: embedded media and story teasers, "Read More", ads
        ".//div[contains(@class, 'el__embedded')]",
        ".//div[contains(@class, 'el__leafmedia')][not(contains(@class, 'sourced-paragraph'))]",
        ".//div[contains(@class, 'zn-body__read-more')]",
        f".//div{has_class('ad')}",
        ".//ul[contains(@class, 'cn-list')] | .//section[@id='story-bottom']",
        # money.cnn.com: video header, share bar, ad and widget slots, footer
        ".//div[@id='js-ie-storytop' or @id='ie_column' or @id='storyFooter' or @id='smartassetcontainer'"
        " or starts-with(@id, 'ad_') or contains(@class, 'share-tools') or contains(@class, 'teads')"
        " or contains(@class, 'storytimestamp')]",
        # 2010-2014: photo, highlights and related-topics boxes, share tools, iReport call
        ".//div[contains(@class, 'cnn_strylftcntnt') or contains(@class, 'cnn_strybtntools')"
        " or contains(@class, 'cnn_stryshrwdgt') or contains(@class, 'c_sharebar')"
        " or contains(@class, 'cnn_stryimg') or contains(@class, 'cnn_strylctcntr')]",
        ".//p[contains(@class, 'cnnEditorialNote')] | .//*[contains(@class, 'cnnStryHghLght')]",
        # paragraphs that are one link to another story ("Who could be in Trump's Cabinet?")
        ".//p[count(a) = 1][normalize-space() = normalize-space(a)]",
        # the comment guidelines and comments after the story's rule (arabic.cnn.com)
        ".//div[contains(@class, 'cnn_divline')]/following-sibling::*"
        " | .//div[contains(@class, 'fb-comments')]",
    )
    drop_paragraph_patterns = (
        re.compile(r"^Related: "),  # money.cnn.com link lines
        re.compile(r"^Get up-to-the-minute updates: "),  # "... Download CNN MoneyStream"
        re.compile(r"^CNN will soon launch .{0,80}newsletter"),
    )

    headline_xpaths = (
        "//h1[@data-editable='headlineText']",  # 2022-now
        "//h1[contains(@class, 'pg-headline')]",  # 2016-2021
        "//h1[contains(@class, 'article-title')]",  # money.cnn.com
        "//div[@id='cnnContentContainer']/h1",  # 2010-2014
    )
    author_xpaths = (
        "//div[contains(@class, 'byline__names')]//span[@class='byline__name']",  # 2022-now
        "//span[@class='metadata__byline__author']/a",  # 2016-2021 (links)
        "//span[@class='metadata__byline__author']",  # ... "By A, CNN"
        "//span[@class='byline']",  # money.cnn.com: "by Julia Horowitz"
        "//div[@class='cnnByline']/strong | //div[@class='cnnByline']/b",  # 2010-2014
        "//div[@class='cnnByline']",
    )
    published_xpaths = (
        "//meta[@property='article:published_time']/@content",
        "//meta[@itemprop='datePublished']/@content",
        "//meta[@name='pubdate']/@content",
        "//meta[@name='DC.date.issued']/@content | //meta[@name='DC.date.issued']/@value",  # money
    )
    modified_xpaths = (
        "//meta[@property='article:modified_time']/@content",
        "//meta[@itemprop='dateModified']/@content",
        "//meta[@name='lastmod']/@content",
    )
    # money.cnn.com writes "2016-11-29T03:33:08" and shows "3:33 AM ET".
    naive_timezone = "America/New_York"

    def authors(self, doc: HtmlElement) -> list[str]:
        return [name for name in super().authors(doc) if not _NOT_A_PERSON.match(name)]
