"""Al Jazeera English: the 2017-2020 layout (saved page from 2019) and the current one.

- 2017-2020: ``div.article-p-wrapper`` inside ``article.main-article-block``; "More:" read-more
  link lists (``utm_campaign=read_more_links``) between paragraphs; byline
  ``div.article-heading-author-name``.
- 2020-2024: ``div.wysiwyg--all-content`` under ``header.article-header``; "Recommended
  Stories" boxes (``more-on``), ad containers (``container--ads``) and photos between
  paragraphs; byline ``div.article-author-name``.

Dates come from the JSON-LD (``datePublished`` / ``dateModified``): the page shows only the
day ("5 Jan 2024") or a JavaScript date string without a readable zone.
"""

from __future__ import annotations

from tracker.parsers import COMMON_DROP_XPATHS, OutletParser, register


@register
class AlJazeeraParser(OutletParser):
    name = "aljazeera"
    # english.aljazeera.net was the English site until 2011; www.aljazeera.net is the Arabic
    # site, another outlet with other markup.
    hosts = ("aljazeera.com", "english.aljazeera.net")

    body_xpaths = (
        "//div[contains(@class, 'wysiwyg--all-content')]",  # 2020-2024
        "//div[contains(@class, 'article-p-wrapper')]",  # 2017-2020
    )
    drop_xpaths = COMMON_DROP_XPATHS + (
        # "Recommended Stories" / "More:" boxes of links to other stories
        ".//*[contains(@class, 'more-on')]",
        ".//ul[.//a[contains(@href, 'read_more_links')]]",
        ".//h4[starts-with(normalize-space(), 'More')][following-sibling::*[1][self::ul]]",
        # ad slots, newsletter sign-ups, share buttons, embedded videos
        ".//*[contains(@class, 'container--ads') or contains(@class, 'ads-') or contains(@class, 'ad-container')]",
        ".//*[contains(@class, 'newsletter') or contains(@class, 'share') or contains(@class, 'video')]",
        ".//*[contains(@class, 'screen-reader-text')]",
    )

    headline_xpaths = (
        "//header[contains(@class, 'article-header')]//h1",  # 2020-2024
        "//h1[contains(@class, 'post-title')]",  # 2017-2020
        "//h1",
    )
    author_xpaths = (
        "//div[contains(@class, 'article-author-name')]//a[contains(@class, 'author-link')]",  # 2020-2024
        "//div[contains(@class, 'article-heading-author-name')]//a[@rel='author']",  # 2017-2020
        "//div[contains(@class, 'article-author-name')]",
    )
