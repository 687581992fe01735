"""The New York Times: article layouts from 2010 to today.

- 2010-2013 classic: ``div.articleBody`` (several, split around inline image and related
  boxes) with ``<nyt_text>`` wrappers; byline in capitals, ``meta[name=displaydate]``.
- 2014-2017 "story": ``div.story-body`` (``story-body-1``, ``-2``...) holding
  ``p.story-body-text``; ad placeholders between paragraphs.
- 2018 React: ``article#story`` with the text in ``div.StoryBodyCompanionColumn`` blocks.
- 2019-today: the same blocks inside ``section[name=articleBody]``; promos, videos, ads and
  "Read more" links sit *between* the blocks, so only the blocks are read.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from tracker.parsers import COMMON_DROP_XPATHS, OutletParser, has_class, register


@register
class NewYorkTimesParser(OutletParser):
    name = "nyt"
    hosts = ("nytimes.com", "nyti.ms")

    body_xpaths = (
        # 2018-today: only the text columns, not the promos/ads/media between them
        f"//article//div{has_class('StoryBodyCompanionColumn')}",
        f"//div{has_class('story-body')}[not(ancestor::a)]",  # 2014-2017 (teaser cards reuse the class)
        f"//div{has_class('articleBody')}",  # 2010-2013
        "//section[@name='articleBody']",
    )
    drop_xpaths = COMMON_DROP_XPATHS + (
        # ad slots ("Advertisement" / "Continue reading the main story") and share tools
        f".//div{has_class('ad')}",
        ".//*[contains(@class, 'visually-hidden')]",
        ".//*[@data-testid='share-tools' or contains(@class, 'sharetools')]",
        # 2014-2017 print citation ("A version of this article appears in print..."), related
        # stories and newsletter modules
        ".//footer",
        ".//*[contains(@class, 'story-interrupter') or contains(@class, 'newsletter-signup')]",
        # embedded interactives, e.g. the "What we consider before using anonymous sources" box
        # (the companion-column <aside> next to each text block goes with COMMON_DROP_XPATHS)
        ".//section[contains(@class, 'interactive-content')]",
    )
    drop_paragraph_patterns = (
        # bracketed promos between paragraphs: "[What you need to know...: Get New York Today in
        # your inbox.]", "[Read more: ...]"; other bracketed notes ("[Update: ...]") stay
        re.compile(r"^\[[^\]]{0,200}\b(?:inbox|newsletter)\b[^\]]{0,100}\]$", re.IGNORECASE),
        re.compile(r"^\[(?:Read|Read more|Related|Also read|Sign up)\b[^\]]*\]$"),
        # the letters / social-media footer of Opinion pieces
        re.compile(r"^The Times is committed to publishing a diversity of letters"),
        re.compile(r"^Follow The New York Times Opinion section on"),
    )

    headline_xpaths = (
        "//h1[@data-testid='headline']",  # 2019-today
        "//h1[@itemprop='headline']",  # 2016-2018
        "//h1[@class='articleHeadline']",  # 2010-2013
        "//meta[@property='og:title']/@content",
    )
    # The summary under the headline (2019-today).
    standfirst_xpaths = ("//header//p[@id='article-summary']",)
    # Re-rendered old articles carry "(Published 2016)" in their social titles.
    headline_strip_patterns = (re.compile(r"\s*\(Published \d{4}\)$"),)
    author_xpaths = (
        "//meta[@name='author']/@content",  # 2016-2017: names in title case
        "//meta[@name='byl']/@content",  # every era: "By A, B and C"
    )
    published_xpaths = (
        "//meta[@property='article:published_time']/@content",
        "//meta[@property='article:published']/@content",
        "//meta[@itemprop='datePublished']/@content",
        "//meta[@name='displaydate' or @name='DISPLAYDATE']/@content",  # 2010: "December 21, 2010"
    )
    modified_xpaths = (
        "//meta[@property='article:modified_time']/@content",
        "//meta[@itemprop='dateModified']/@content",
    )

    def authors(self, doc: HtmlElement) -> list[str]:
        # Until 2017 bylines were printed in capitals ("By PETER BAKER").
        return [name.title() if name.isupper() else name for name in super().authors(doc)]
