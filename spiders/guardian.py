"""The Guardian."""

from __future__ import annotations

import re

from spiders.base import OutletSpider


class GuardianSpider(OutletSpider):
    name = "guardian"
    outlet_name = "The Guardian"
    allowed_domains = ["theguardian.com", "guardian.co.uk"]
    feeds = (
        "https://www.theguardian.com/uk/rss",
        "https://www.theguardian.com/world/rss",
        "https://www.theguardian.com/uk-news/rss",
        "https://www.theguardian.com/us-news/rss",
        "https://www.theguardian.com/politics/rss",
        "https://www.theguardian.com/business/rss",
    )
    sitemaps = ("https://www.theguardian.com/sitemaps/news.xml",)  # Google News urlset
    sections = (
        "https://www.theguardian.com/uk-news",
        "https://www.theguardian.com/world",
        "https://www.theguardian.com/us-news",
        "https://www.theguardian.com/politics",
        "https://www.theguardian.com/business",
    )
    # /<section>[/<series>]/2024/jan/05/some-slug, also live blogs (/world/live/2024/jan/05/...,
    # 2011: /world/middle-east-live/2011/jun/22/...) on theguardian.com and the old guardian.co.uk
    article_url_pattern = re.compile(
        r"^https://www\.(?:theguardian\.com|guardian\.co\.uk)/(?:[a-z0-9-]+/)+\d{4}/[a-z]{3}/\d{2}/[a-z0-9-]+$"
    )
    # Video, galleries, podcasts (audio), cartoons / pictures, crosswords, author and tag
    # pages, and the one-entry pages of live blogs (?page=with:block-...).
    excluded_url_pattern = re.compile(
        r"/(?:video|gallery|audio|picture|crosswords|profile|series|cartoon)/|[?&]page=with"
    )
