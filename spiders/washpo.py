"""The Washington Post."""

from __future__ import annotations

import re

from spiders.base import OutletSpider


class WashingtonPostSpider(OutletSpider):
    name = "washpo"
    outlet_name = "The Washington Post"
    allowed_domains = ["washingtonpost.com"]
    feeds = (
        "https://feeds.washingtonpost.com/rss/politics",
        "https://feeds.washingtonpost.com/rss/national",
        "https://feeds.washingtonpost.com/rss/world",
        "https://feeds.washingtonpost.com/rss/business",
        "https://feeds.washingtonpost.com/rss/opinions",
    )
    sitemaps = ("https://www.washingtonpost.com/sitemaps/news-sitemap.xml.gz",)
    sections = (
        "https://www.washingtonpost.com/politics/",
        "https://www.washingtonpost.com/world/",
        "https://www.washingtonpost.com/national/",
        "https://www.washingtonpost.com/business/",
    )
    # /politics/2024/01/05/some-slug/ and the older /world/slug/2015/03/18/<uuid>_story.html
    article_url_pattern = re.compile(
        r"^https://www\.washingtonpost\.com/[a-z0-9_/-]+/\d{4}/\d{2}/\d{2}/[a-z0-9_-]+(?:_story\.html)?/?$"
    )
    excluded_url_pattern = re.compile(
        r"washingtonpost\.com/(?:video|podcasts|photography|graphics|live-updates|games|interactive)/"
        r"|/(?:live-updates|liveblog)/"
    )
