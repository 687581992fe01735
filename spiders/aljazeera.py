"""Al Jazeera English."""

from __future__ import annotations

import re

from spiders.base import OutletSpider


class AlJazeeraSpider(OutletSpider):
    name = "aljazeera"
    outlet_name = "Al Jazeera English"
    allowed_domains = ["aljazeera.com"]
    feeds = ("https://www.aljazeera.com/xml/rss/all.xml",)
    sitemaps = ("https://www.aljazeera.com/news-sitemap.xml",)
    sections = (
        "https://www.aljazeera.com/news/",
        "https://www.aljazeera.com/middle-east/",
        "https://www.aljazeera.com/economy/",
        "https://www.aljazeera.com/features/",
    )
    # /news/2024/1/5/slug (2020-), and the older /<section>/<slug>-191119041538885.html with a
    # 15-digit timestamp id (/ajimpact/..., /news/2019/11/..., /indepth/features/...).
    article_url_pattern = re.compile(
        r"^https://www\.aljazeera\.com/[a-z-]+/\d{4}/\d{1,2}/\d{1,2}/[a-z0-9-]+/?$"
        r"|^https://www\.aljazeera\.com/[a-z0-9/-]+-\d{15}\.html$"
    )
    # Live blogs, galleries, videos and programme episodes, podcasts, tag / author / topic pages.
    excluded_url_pattern = re.compile(
        r"aljazeera\.com/(?:[a-z-]+/)?(?:liveblog|gallery|video|videos|program|programmes|podcasts"
        r"|tag|author|profile|topics|where|inpictures|interactive)/"
    )
