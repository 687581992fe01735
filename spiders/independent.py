"""The Independent (www.independent.co.uk)."""

from __future__ import annotations

import re

from spiders.base import OutletSpider


class IndependentSpider(OutletSpider):
    name = "independent"
    outlet_name = "The Independent"
    allowed_domains = ["independent.co.uk"]
    feeds = (
        "https://www.independent.co.uk/news/rss",
        "https://www.independent.co.uk/news/uk/rss",
        "https://www.independent.co.uk/news/world/rss",
        "https://www.independent.co.uk/news/uk/politics/rss",
        "https://www.independent.co.uk/news/business/rss",
    )
    sitemaps = ("https://www.independent.co.uk/sitemaps/googlenews",)
    sections = (
        "https://www.independent.co.uk/news/uk",
        "https://www.independent.co.uk/news/world",
        "https://www.independent.co.uk/news/uk/politics",
    )
    # .../coronavirus-false-reporting-contact-fine-penalty-b671230.html (2020-now),
    # .../lord-burns-...-a6670691.html (2015-2020), .../seven-secrets-...-10506160.html (to 2015)
    article_url_pattern = re.compile(
        r"^https://www\.independent\.co\.uk/(?:[a-z0-9-]+/)+[a-z0-9-]+-(?:[ab]\d{6,}|\d{7,})\.html$"
    )
    # Videos (/tv/), topic and author pages, galleries, a live blog's single-post links (?post=)
    excluded_url_pattern = re.compile(
        r"independent\.co\.uk/(?:tv|topic|author|service|bulletin|galleries|photos?)/|/(?:gallery|video)/|[?&]post="
    )
