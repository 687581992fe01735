"""Reuters (www., uk., in., ca. ... reuters.com): article layouts from 2012 to today.

- 2012-2016: ``span#articleText`` of ``<p>``; date in the ``parsely-page`` meta JSON.
- 2018-2020 "StandardArticle": ``div.StandardArticleBody_body``. Its meta dates are the
  *last update*; the first publication is only in the visible dateline
  ("January 19, 2020 / 12:25 PM / Updated 8 hours ago", GMT).
- 2020 "ArticlePage" (hashed CSS-module classes): ``div.ArticleBodyWrapper`` of
  ``p.Paragraph-paragraph-*``.
- 2021-now Arc: ``div.article-body__content`` of ``div[data-testid=paragraph-N]`` (from the
  live site; no saved page of it here).
"""

from __future__ import annotations

import json
import re
from datetime import datetime

from lxml.html import HtmlElement

from tracker.parsers import (
    COMMON_DROP_XPATHS,
    OutletParser,
    compiled_xpath,
    parse_date,
    register,
    with_timezone,
)

# "January 19, 2020 / 12:25 PM / Updated 8 hours ago"
_DATELINE = re.compile(r"([A-Z][a-z]+ \d{1,2}, \d{4})\s*/\s*(\d{1,2}:\d{2}\s*[AP]M)")
_DATELINE_XPATH = "//div[contains(@class, 'ArticleHeader_date')]"


@register
class ReutersParser(OutletParser):
    name = "reuters"
    hosts = ("reuters.com",)

    body_xpaths = (
        "//div[contains(@class, 'article-body__content')]",  # 2021-now
        "//div[@class='ArticleBodyWrapper']",  # 2020
        "//div[contains(@class, 'StandardArticleBody_body')]",  # 2018-2020
        "//span[@id='articleText'] | //div[@id='articleText']",  # 2012-2016
    )
    paragraph_xpath = (
        ".//p | .//h2 | .//h3 | .//li | .//blockquote | .//div[starts-with(@data-testid, 'paragraph-')]"
    )
    drop_xpaths = COMMON_DROP_XPATHS + (
        # byline and reading time repeated in the body (2020), trust badge (2018-2020)
        ".//div[contains(@class, 'byline-container') or contains(@class, 'BylineBar')"
        " or contains(@class, 'trustBadge') or contains(@class, 'TrustBadge')]",
        # photos, videos, slideshows, "Related Coverage", ad slots
        ".//div[contains(@class, 'PrimaryAsset') or contains(@class, 'Image_container')"
        " or contains(@class, 'Slideshow') or contains(@class, 'slideshow') or contains(@class, 'RCOMVideo')"
        " or contains(@class, 'Video_container') or contains(@class, 'RelatedCoverage')"
        " or contains(@class, 'AdSlot') or contains(@class, 'ad-slot') or contains(@class, 'related-coverage')]",
        ".//*[@data-testid='Image' or @data-testid='Video' or @data-testid='RelatedCoverage'"
        " or @data-testid='SignOff' or @data-testid='Toolbar']",
        ".//div[contains(@class, 'relatedTopicButtons') or contains(@class, 'related-content')]",
    )
    drop_paragraph_patterns = (
        re.compile(r"^\d+ Min Read$"),
        re.compile(r"^Our Standards:"),
        re.compile(r"^Slideshow \(\s*\d+ [Ii]mages\s*\)$"),
    )

    headline_xpaths = (
        "//h1[@data-testid='Heading']",  # 2021-now
        "//h1[contains(@class, 'Headline-headline')]",  # 2020
        "//h1[contains(@class, 'ArticleHeader_headline')]",  # 2018-2020
        "//div[@id='articleContent']//h1",  # 2012-2016
    )
    author_xpaths = (
        "//div[@data-testid='AuthorByline']//a[@rel='author' or contains(@href, '/authors/')]",  # 2021-now
        "//p[contains(@class, 'Byline-byline')]//a",  # 2020
        "//div[contains(@class, 'BylineBar_byline')]//a | //div[contains(@class, 'BylineBar_byline')]",  # 2018
        "//div[@id='articleInfo']//p[@class='byline'] | //p[@class='byline']",  # 2012-2016: "By A"
    )
    published_xpaths = (
        "//meta[@property='og:article:published_time']/@content",
        "//meta[@property='article:published_time']/@content",
    )
    modified_xpaths = (
        "//meta[@property='og:article:modified_time']/@content",
        "//meta[@property='article:modified_time']/@content",
    )
    # The 2018-2020 dateline is in GMT (the 2020 copy of the same story says 12:25:36Z).
    naive_timezone = "UTC"

    def published(self, doc: HtmlElement) -> str | None:
        # In the 2018-2020 layout the meta dates were rewritten on every update.
        for dateline in compiled_xpath(_DATELINE_XPATH)(doc):
            match = _DATELINE.search(dateline.text_content())
            if match:
                try:
                    moment = datetime.strptime(" ".join(match.groups()), "%B %d, %Y %I:%M %p")
                except ValueError:
                    continue
                return with_timezone(moment.isoformat(timespec="seconds"), self.naive_timezone)
        return super().published(doc) or _parsely_date(doc)


def _parsely_date(doc: HtmlElement) -> str | None:
    """2012-2016: ``<meta name="parsely-page" content='{"pub_date": "2014-12-30T03:51:13+0000", ...}'>``."""
    for content in compiled_xpath("//meta[@name='parsely-page']/@content")(doc):
        try:
            value = json.loads(content).get("pub_date")
        except (ValueError, AttributeError):
            continue
        parsed = parse_date(value) if isinstance(value, str) else None
        if parsed:
            return parsed
    return None
