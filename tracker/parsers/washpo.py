"""The Washington Post: article layouts from 2014 to 2024.

- 2014 "classic": ``div.article_body > article`` (split in two around a side rail).
- 2014-2015 PageBuilder: a bare ``<article>`` with ``span.pb-byline`` / ``span.pb-timestamp``.
- 2015-2018 PageBuilder: ``article[itemprop=articleBody]`` or ``div.article-body > article.paywall``
  with ``itemprop=datePublished`` content like ``2018-10-29T10:15-500``.
- 2019 Arc: ``div.article-body`` holding ``.teaser-content`` and ``.remainder-content``.
- 2024 Arc: every paragraph in its own ``div.article-body[data-qa=article-body]``.
"""

from __future__ import annotations

import re

from tracker.parsers import COMMON_DROP_XPATHS, OutletParser, has_class, register


@register
class WashingtonPostParser(OutletParser):
    name = "washpo"
    hosts = ("washingtonpost.com",)

    body_xpaths = (
        f"//div{has_class('article-body')}",  # 2018-2024 (2024: one div per paragraph)
        "//article[@itemprop='articleBody']",  # 2015-2018
        f"//div{has_class('article_body')}",  # 2014 classic
        "//article",  # 2014-2015 PageBuilder
    )
    # Section heads are <div class="subhead"> in 2018 PageBuilder pages.
    paragraph_xpath = (
        ".//p | .//h2 | .//h3 | .//h4 | .//li | .//blockquote | .//div[contains(@class, 'subhead')]"
    )
    drop_xpaths = COMMON_DROP_XPATHS + (
        # photos, videos, galleries and graphics with their captions (2014-2018)
        ".//*[contains(@class, 'inline-content')]",
        ".//*[contains(@class, 'pb-caption') or contains(@class, 'caption')]",
        # 2019-2024 Arc blocks that are not text
        ".//*[@data-qa='article-body-ad' or @data-qa='subscribe-promo' or @data-qa='article-video'"
        " or @data-qa='article-image' or @data-qa='interstitial-link' or @data-qa='article-body-ad-slot']",
        ".//*[@data-qa='subscribe-promo-container' or @data-qa='newsletter-signup' or @data-qa='share-buttons']",
        # "[Read: ...]" links between paragraphs, related-story boxes, sign-ups, author cards
        ".//*[contains(@class, 'interstitial')]",
        ".//*[contains(@class, 'newsletter') or contains(@class, 'signup') or contains(@class, 'sign-up')]",
        ".//*[contains(@class, 'author-sig-line') or contains(@class, 'author-bio')]",
        ".//*[contains(@class, 'social-') or contains(@class, 'share')]",
        ".//*[contains(@class, 'comment-count') or contains(@class, 'pb-comment')]",
        ".//*[@id='article-side-rail' or contains(@class, 'article-side-rail')]",
        ".//blockquote[contains(@class, 'twitter-tweet') or contains(@class, 'instagram-media')]",
        # the link-only paragraphs after a "Read more:" / "Read more from Jennifer Rubin:" line
        ".//p[starts-with(normalize-space(), 'Read more')"
        " and substring(normalize-space(), string-length(normalize-space())) = ':']"
        "/following-sibling::p[a and normalize-space(.) = normalize-space(a)]",
    )
    drop_paragraph_patterns = (
        re.compile(r"^Read more(?: (?:from|about|on) [^.!?]{1,80})?:?$", re.IGNORECASE),
        re.compile(r"^\[(?:Read|Read more|More|Related|Also read):[^\]]*\]$", re.IGNORECASE),
    )

    headline_xpaths = (
        "//h1[@data-qa='headline']",  # 2019-2024
        "//h1[@itemprop='headline']",  # 2015-2018
        "//h1[@property='dc.title']",  # 2014 classic
        "//h1",
    )
    headline_strip_patterns = (re.compile(r"\s+[-|–—]\s+(?:The\s+)?Washington Post$", re.IGNORECASE),)
    author_xpaths = (
        "//a[@data-qa='author-name']",  # 2024
        "//div[contains(@class, 'author-names')]//span[contains(@class, 'author-name')]",  # 2019
        "//div[@data-authorname]/@data-authorname",  # 2018 PageBuilder opinion pages
        "//span[contains(@class, 'pb-byline')]",  # 2014-2018 PageBuilder: "By A and B"
        "//span[@class='author'][ancestor::div[contains(@class, 'byline')]]",  # 2014 classic
    )
    published_xpaths = (
        "//span[@itemprop='datePublished']/@content",  # 2015-2018: "2018-10-29T10:15-500"
        "//span[contains(@class, 'timestamp')][@datetitle='published']/@epochtime",  # 2014 (ms)
    )
    modified_xpaths = (
        "//span[@itemprop='dateModified']/@content",
        "//span[contains(@class, 'timestamp')][@datetitle='updated']/@epochtime",
    )
