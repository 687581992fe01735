"""CNN: www.cnn.com, edition.cnn.com, money.cnn.com (until 2018) and arabic.cnn.com."""

from __future__ import annotations

import re

from spiders.base import OutletSpider


class CnnSpider(OutletSpider):
    name = "cnn"
    outlet_name = "CNN"
    allowed_domains = ["cnn.com"]
    # FeedBurner feeds: the article URL is the item's <feedburner:origLink>.
    feeds = (
        "http://rss.cnn.com/rss/cnn_topstories.rss",
        "http://rss.cnn.com/rss/cnn_world.rss",
        "http://rss.cnn.com/rss/cnn_us.rss",
        "http://rss.cnn.com/rss/cnn_allpolitics.rss",
        "http://rss.cnn.com/rss/money_latest.rss",
        "http://rss.cnn.com/rss/edition_world.rss",
    )
    sitemaps = ("https://www.cnn.com/sitemaps/cnn/news.xml",)
    sections = (
        "https://www.cnn.com/politics",
        "https://www.cnn.com/world",
        "https://www.cnn.com/us",
        "https://www.cnn.com/business",
    )
    article_url_pattern = re.compile(
        r"^https://(?:www|edition|us|money|arabic)\.cnn\.com/(?:"
        # 2014-now: /2023/11/06/politics/alito-prelogar-supreme-court-analysis[/index.html],
        # money.cnn.com/2016/02/01/news/economy/poverty-inequality-united-states/index.html
        r"\d{4}/\d{2}/\d{2}/[a-z0-9_-]+(?:/[a-z0-9_-]+)*/[a-z0-9_-]+(?:/index\.html)?"
        # 2000-2014: /2010/POLITICS/08/13/democrats.social.security/index.html,
        # arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html
        r"|\d{4}/(?:[A-Za-z_]+/){1,2}\d{1,2}/\d{1,2}/[\w.-]+/index\.html"
        # CNN Style / Travel features, arabic.cnn.com since 2015
        r"|(?:style|travel)/article/[a-z0-9-]+(?:/index\.html)?"
        r"|[a-z-]+/article/\d{4}/\d{2}/\d{2}/[\w-]+"
        r")$"
    )
    excluded_url_pattern = re.compile(
        r"\.cnn\.com/(?:videos?|gallery|galleries|interactive|profiles|specials|audio|podcasts?|cnn-underscored"
        r"|live-news|election|quizzes|games)/"
        r"|/(?:videos?|gallery|live-news|photos)/|/h_[0-9a-f]{32}$"
    )
