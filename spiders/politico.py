"""POLITICO (www.politico.com; POLITICO Europe, politico.eu, is another newsroom)."""

from __future__ import annotations

import re

from spiders.base import OutletSpider


class PoliticoSpider(OutletSpider):
    name = "politico"
    outlet_name = "POLITICO"
    allowed_domains = ["politico.com"]
    feeds = (
        "https://rss.politico.com/politics-news.xml",
        "https://rss.politico.com/congress.xml",
        "https://rss.politico.com/healthcare.xml",
        "https://rss.politico.com/economy.xml",
        "https://rss.politico.com/defense.xml",
    )
    sitemaps = ("https://www.politico.com/news-sitemap.xml",)
    sections = (
        "https://www.politico.com/politics",
        "https://www.politico.com/congress",
        "https://www.politico.com/news/white-house",
    )
    article_url_pattern = re.compile(
        r"^https://www\.politico\.com/(?:"
        # 2019-now: /news/2022/10/17/student-debt-relief-applications-00062145, /news/magazine/...
        r"news/(?:magazine/)?\d{4}/\d{2}/\d{2}/[a-z0-9-]+-\d{5,}"
        # 2014-2020: /story/2016/10/who-will-win-the-vp-debate-229079
        r"|story/\d{4}/\d{2}/[a-z0-9-]+-\d{5,}"
        # newsletters such as /newsletters/playbook/2024/01/05/some-slug-00012345
        r"|newsletters/[a-z-]+/\d{4}/\d{2}/\d{2}/[a-z0-9-]+-\d{5,}"
        # 2007-2013: /news/stories/1010/43352.html
        r"|news/stories/\d{4}/\d+\.html"
        r")$"
    )
    excluded_url_pattern = re.compile(
        r"politico\.com/(?:video|gallery|interactives?|podcasts?|staff|tag|live-updates|minutes)/"
        r"|/live-updates/"
    )
