"""The New York Times."""

from __future__ import annotations

import re

from spiders.base import OutletSpider


class NewYorkTimesSpider(OutletSpider):
    name = "nyt"
    outlet_name = "The New York Times"
    allowed_domains = ["nytimes.com"]
    feeds = (
        "https://rss.nytimes.com/services/xml/rss/nyt/HomePage.xml",
        "https://rss.nytimes.com/services/xml/rss/nyt/World.xml",
        "https://rss.nytimes.com/services/xml/rss/nyt/US.xml",
        "https://rss.nytimes.com/services/xml/rss/nyt/Politics.xml",
        "https://rss.nytimes.com/services/xml/rss/nyt/Business.xml",
        "https://rss.nytimes.com/services/xml/rss/nyt/NYRegion.xml",
    )
    sitemaps = ("https://www.nytimes.com/sitemaps/new/news.xml.gz",)  # a urlset of the last two days
    sections = (
        "https://www.nytimes.com/section/world",
        "https://www.nytimes.com/section/us",
        "https://www.nytimes.com/section/politics",
        "https://www.nytimes.com/section/business",
        "https://www.nytimes.com/section/nyregion",
    )
    # /2024/01/05/us/politics/some-slug.html (2010: /2010/12/22/world/europe/22start.html;
    # slugs may have capitals: /2019/12/30/health/FDA-opioids.html) and the undated
    # explainers /article/some-slug.html
    article_url_pattern = re.compile(
        r"^https://www\.nytimes\.com/(?:\d{4}/\d{2}/\d{2}/(?:[a-z0-9-]+/)+[\w-]+|article/[\w-]+)\.html$"
    )
    # Dated URLs that are no text articles: podcast episodes, video and slide shows, and
    # live blogs (/live/..., a stream of posts the parser does not read).
    excluded_url_pattern = re.compile(
        r"nytimes\.com/(?:\d{4}/\d{2}/\d{2}/)?(?:podcasts|video|slideshow|interactive|live|by|topic|column|section|athletic)/"
    )
