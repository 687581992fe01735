"""Reuters: www.reuters.com and the old regional editions (uk., in., ca. ...reuters.com)."""

from __future__ import annotations

import re

from spiders.base import OutletSpider


class ReutersSpider(OutletSpider):
    name = "reuters"
    outlet_name = "Reuters"
    allowed_domains = ["reuters.com"]
    # No public RSS since 2020: the news sitemap index and the section fronts.
    sitemaps = ("https://www.reuters.com/arc/outboundfeeds/news-sitemap-index/?outputType=xml",)
    sitemap_follow = re.compile(r"/news-sitemap/")
    sections = (
        "https://www.reuters.com/world/",
        "https://www.reuters.com/business/",
        "https://www.reuters.com/markets/",
        "https://www.reuters.com/technology/",
    )
    article_url_pattern = re.compile(
        r"^https://(?:www|uk|in|ca|af|ara|jp|cn|de|fr|es|it|br|mx|lta)\.reuters\.com/(?:"
        # 2021-now: /world/us/some-slug-2024-01-05/
        r"(?:[a-z-]+/){1,3}[a-z0-9-]+-\d{4}-\d{2}-\d{2}/?"
        # 2012-2021: /article/us-awards-sag/parasite-...-idUSKBN1ZI0EH,
        # /article/2014/12/30/indonesia-airplane-idINKBN0K703120141230
        r"|article/(?:[\w-]+/)*[\w-]*id[A-Z]{2}[A-Z0-9]{8,}"
        r")$"
    )
    excluded_url_pattern = re.compile(
        r"\.reuters\.com/(?:video|pictures|graphics|authors|journalists|topics?|tags?|podcasts?|plus"
        r"|brandfeatures|sponsored|markets/quote|companies)/|/live(?:-updates)?/|/pictures-report"
    )
