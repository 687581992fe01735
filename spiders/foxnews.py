"""Fox News: www.foxnews.com (and the former Fox News Latino, latino.foxnews.com)."""

from __future__ import annotations

import re

from spiders.base import OutletSpider


class FoxNewsSpider(OutletSpider):
    name = "foxnews"
    outlet_name = "Fox News"
    allowed_domains = ["foxnews.com"]
    feeds = (
        "https://moxie.foxnews.com/google-publisher/latest.xml",
        "https://moxie.foxnews.com/google-publisher/politics.xml",
        "https://moxie.foxnews.com/google-publisher/us.xml",
        "https://moxie.foxnews.com/google-publisher/world.xml",
    )
    sitemaps = ("https://www.foxnews.com/sitemap.xml?type=news",)
    sitemap_follow = re.compile(r"type=news")
    sections = (
        "https://www.foxnews.com/politics",
        "https://www.foxnews.com/us",
        "https://www.foxnews.com/world",
    )
    article_url_pattern = re.compile(
        r"^https://(?:www|latino)\.foxnews\.com/(?:"
        # 2018-now: /world/putin-pulls-russia-nuclear-test-ban-treaty (a slug of 3+ words)
        r"[a-z-]+/[a-z0-9]+(?:-[a-z0-9]+){2,}"
        # 2007-2017: /politics/2010/08/14/russias-nuclear-help-.../,
        # latino.foxnews.com/latino/news/2014/12/23/teen-desperate-.../
        r"|(?:[a-z-]+/){1,2}\d{4}/\d{2}/\d{2}/[a-z0-9-]+/?"
        r")$"
    )
    excluded_url_pattern = re.compile(
        r"\.foxnews\.com/(?:category|person|video|videos|shows|podcasts?|live-news|photos?|slideshow|games"
        r"|newsletters|apps-products|official-polls|story|static|weather|radio)/"
    )
