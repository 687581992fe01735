"""The Guardian: article and live-blog layouts from 2011 to today.

- 2011-2014 "R2" (guardian.co.uk): ``div#article-body-blocks``; the byline in
  ``div.contributer-full`` (sic); live blogs are one long body with inline timestamps.
- 2014-2020 "frontend": ``div[itemprop=articleBody]`` (``content__article-body``), live
  blogs ``div.js-liveblog-body`` of ``div.block`` entries; rich links are ``aside`` boxes.
- 2021-today DCR ("dotcom-rendering"): ``div.article-body-commercial-selector`` inside
  ``div[data-gu-name=body]``; live blogs ``div#liveblog-body`` of ``article.block`` entries.
  Rich links, embeds and newsletter sign-ups are ``figure`` elements inside the body.

The standfirst (the summary under the headline) is not read as body text: it is the page's
description (og:description), and most layouts keep it outside the body container.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from tracker.parsers import COMMON_DROP_XPATHS, OutletParser, has_class, register, unique_names

# "Julian Borger in Washington": the place is not part of the name.
_BYLINE_PLACE = re.compile(r"\s+in\s+[A-Z][\w .'’-]*$")


@register
class GuardianParser(OutletParser):
    name = "guardian"
    hosts = ("theguardian.com", "guardian.co.uk", "gu.com")

    body_xpaths = (
        "//div[@id='liveblog-body']",  # DCR live blog
        f"//div{has_class('article-body-commercial-selector')}",  # DCR article
        f"//div{has_class('js-liveblog-body')}",  # 2014-2020 live blog
        "//div[@itemprop='articleBody']",  # 2014-2020 article
        "//div[@id='article-body-blocks']",  # 2011-2014 R2 (articles and live blogs)
    )
    drop_xpaths = COMMON_DROP_XPATHS + (
        # One pass over class names: rich links ("Read more" boxes), ad slots, reader-revenue
        # epics, tag lists, share buttons, embedded media and live-blog furniture (entry
        # times, which DCR shows as "2h ago", "Updated at" footers, key events).
        ".//*[@class][contains(@class, 'rich-link') or contains(@class, 'ad-slot')"
        " or contains(@class, 'contributions__epic') or contains(@class, 'submeta')"
        " or contains(@class, 'after-article') or contains(@class, 'share') or contains(@class, 'social')"
        " or contains(@class, 'element-image') or contains(@class, 'element-video')"
        " or contains(@class, 'element-embed') or contains(@class, 'block-time')"
        " or contains(@class, 'block-footer') or contains(@class, 'key-events')]",
        # the sign-in gate, and on DCR live blogs the pinned post (a copy of an entry) and the
        # key-events carousel and reader-revenue islands
        ".//*[@id='sign-in-gate' or @id='pinned-post' or @data-component='rich-link' or @data-gu-name='key-events']",
        ".//gu-island[contains(@name, 'KeyEvents') or contains(@name, 'Epic')]",
        # DCR live-blog entries (article.block): the time link and contributor lines of the
        # header (its h2 title stays) and the footer (share button, "Updated at")
        ".//article/header/div | .//article/footer",
        f".//span{has_class('inline')}",  # R2 inline pictures and embeds
    )
    drop_paragraph_patterns = (
        re.compile(r"^Sign up to .{1,80}$"),
        re.compile(r"^_+$"),  # R2 live blogs: separator between entries
    )

    headline_xpaths = (
        "//div[@data-gu-name='headline']//h1",  # DCR
        "//h1[@itemprop='headline']",  # frontend
        "//div[@id='main-article-info']/h1",  # R2
        "//h1",
        "//meta[@property='og:title']/@content",
    )
    # The standfirst under the headline, as each layout marks it.
    standfirst_xpaths = (
        "//div[@data-gu-name='standfirst']",  # DCR
        f"//div{has_class('content__standfirst')}",  # frontend
        "//*[@id='stand-first']",  # R2
    )
    author_xpaths = (
        "//address[@data-component='meta-byline']//a[@rel='author']",  # DCR
        # R2, whole byline: "Shiv Malik and Henry McDonald" (not every name is linked)
        "//div[contains(@class, 'contributer-full') or contains(@class, 'contributor-full')]",
        "//span[@itemprop='author']//span[@itemprop='name']",  # frontend
        "//meta[@name='author']/@content",
        "//a[@rel='author']",
    )
    published_xpaths = (
        "//meta[@property='article:published_time']/@content",
        "//time[@itemprop='datePublished']/@datetime",
    )
    modified_xpaths = (
        "//meta[@property='article:modified_time']/@content",
        "//time[@itemprop='dateModified']/@datetime",
    )

    def authors(self, doc: HtmlElement) -> list[str]:
        # R2 bylines are free text: "Randeep Ramesh, social affairs editor", "A in Paris and
        # B"; job titles are lower case, places follow "in".
        names = (_BYLINE_PLACE.sub("", name) for name in super().authors(doc))
        return unique_names(name for name in names if name[:1].isupper())
