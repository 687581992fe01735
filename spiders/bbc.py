"""BBC News."""

from __future__ import annotations

import re

from spiders.base import OutletSpider


class BBCSpider(OutletSpider):
    name = "bbc"
    outlet_name = "BBC News"
    # feeds.bbci.co.uk serves the feeds; articles live on bbc.co.uk (UK edition) and bbc.com.
    allowed_domains = ["bbc.co.uk", "bbc.com", "bbci.co.uk"]
    feeds = (
        "https://feeds.bbci.co.uk/news/rss.xml",
        "https://feeds.bbci.co.uk/news/uk/rss.xml",
        "https://feeds.bbci.co.uk/news/world/rss.xml",
        "https://feeds.bbci.co.uk/news/politics/rss.xml",
        "https://feeds.bbci.co.uk/news/business/rss.xml",
        "https://feeds.bbci.co.uk/news/technology/rss.xml",
        "https://feeds.bbci.co.uk/news/science_and_environment/rss.xml",
    )
    # A sitemap index of news sitemaps (https-sitemap-uk-news-1.xml, ...).
    sitemaps = ("https://www.bbc.co.uk/sitemaps/https-index-uk-news.xml",)
    sitemap_follow = re.compile(r"-news-")
    sections = (
        "https://www.bbc.co.uk/news",
        "https://www.bbc.co.uk/news/uk",
        "https://www.bbc.co.uk/news/world",
        "https://www.bbc.co.uk/news/politics",
        "https://www.bbc.co.uk/news/business",
    )
    # /news/articles/cden3j9d1r7o (2022-), /news/world-us-canada-33646704 and /news/10604897
    # (2010-), news.bbc.co.uk/1/hi/england/10249066.stm (-2010), and the World Service
    # language sites: /zhongwen/simp/chinese_news/2012/12/121210_x.shtml, /burmese/articles/<id>,
    # /arabic/world-12345678.
    article_url_pattern = re.compile(
        r"^https://www\.bbc\.(?:co\.uk|com)/news/(?:articles/c[0-9a-z]{9,13}|(?:[a-z0-9_]+-)*\d{7,9})$"
        r"|^https://news\.bbc\.co\.uk/[12]/(?:hi|low)/[a-z0-9_/]+/\d{5,8}\.stm$"
        r"|^https://www\.bbc\.(?:co\.uk|com)/[a-z]+(?:/(?:simp|trad|cyr|lat))?/"
        r"(?:articles/c[0-9a-z]{9,13}(?:/(?:simp|trad|cyr|lat))?|(?:[a-z0-9_]+-)*\d{7,9}"
        r"|[a-z_]+/\d{4}/\d{2}/\d{6}_[a-z0-9_]+\.shtml)$"
    )
    # Video and live pages, galleries, topic / correspondent / programme pages, BBC Sport (its
    # own site with its own layouts), and the BBC News Channel stream page the feeds list.
    excluded_url_pattern = re.compile(
        r"/(?:av|videos|live|in_pictures|in-pictures|topics|correspondents|blogs|have_your_say)/"
        r"|^https://www\.bbc\.(?:co\.uk|com)/(?:sport|programmes|iplayer|sounds|weather|newsround)/"
        r"|/(?:sport\d?|in_pictures|pop_ups|video_and_audio)/|/default\.stm$"
        r"|/news/(?:in-pictures-\d+|10318089)$"
    )
