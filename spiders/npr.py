"""NPR."""

from __future__ import annotations

import re

from spiders.base import OutletSpider


class NPRSpider(OutletSpider):
    name = "npr"
    outlet_name = "NPR"
    allowed_domains = ["npr.org"]
    # RSS 2.0 feeds by topic id (1001 News, 1003 National, 1004 World, 1014 Politics,
    # 1006 Business) and a JSON Feed (1019 Technology).
    feeds = (
        "https://feeds.npr.org/1001/rss.xml",
        "https://feeds.npr.org/1003/rss.xml",
        "https://feeds.npr.org/1004/rss.xml",
        "https://feeds.npr.org/1014/rss.xml",
        "https://feeds.npr.org/1006/rss.xml",
        "https://feeds.npr.org/1019/feed.json",
    )
    # A sitemap index; only its news sitemap is worth following (the rest is the archive).
    sitemaps = ("https://www.npr.org/sitemap.xml",)
    sitemap_follow = re.compile(r"/sitemaps/news")
    sections = (
        "https://www.npr.org/sections/news/",
        "https://www.npr.org/sections/national/",
        "https://www.npr.org/sections/world/",
        "https://www.npr.org/sections/politics/",
    )
    # /2023/11/09/1211571220/slug, /sections/thetwo-way/2016/12/15/505723552/slug, the 2024 ids
    # /2024/09/30/nx-s1-5133462/slug, and the old /templates/story/story.php?storyId=123.
    article_url_pattern = re.compile(
        r"^https://www\.npr\.org/(?:(?:sections|blogs)/[a-z0-9-]+/)?\d{4}/\d{2}/\d{2}/"
        r"(?:\d{6,}|[a-z]{1,2}-s1-\d+)(?:/[a-z0-9-]*)?/?$"
        r"|^https://www\.npr\.org/templates/story/story\.php\?(?:[^#]*&)?storyId=\d+(?:&|$)"
    )
    # Podcast and programme episode pages, series / people pages, transcripts, video players.
    excluded_url_pattern = re.compile(r"npr\.org/(?:podcasts|programs|series|people|transcripts|player|video)/")
