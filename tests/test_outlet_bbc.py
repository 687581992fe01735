"""Discovery for BBC News without network: which links are articles, and what the feeds, the
news sitemaps and the section fronts yield (hand-built responses, the real feed in place)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Response, XmlResponse

from spiders.base import feed_entries, feed_links
from spiders.bbc import BBCSpider
from tests.realpages import outlet_cases
from tests.spidertools import make_spider, real_feed, request_urls
from tracker.normalize import canonical_url

UK = "https://www.bbc.co.uk"
COM = "https://www.bbc.com"
STORY = f"{UK}/news/articles/cden3j9d1r7o"
CPS_STORY = f"{UK}/news/world-europe-67891234"
STM_STORY = "https://news.bbc.co.uk/1/hi/england/10249066.stm"


@pytest.fixture
def spider(tmp_path: Path) -> BBCSpider:
    return make_spider(BBCSpider, tmp_path)


# ---------------------------------------------------------------------------------------------
# is_article_url

# Every era of the saved real pages (2006-2024) as their expected.json gives them, except the
# one video page (/news/av/), which discovery leaves out on purpose.
REAL_PAGE_URLS = sorted({page.url for page in outlet_cases("bbc")} - {f"{UK}/news/av/uk-england-dorset-61896381"})

ARTICLES = [
    STORY,
    CPS_STORY,
    STM_STORY,
    f"{COM}/news/articles/c4ng7xq2kdlo",
    f"{UK}/news/uk-politics-48199725",
    f"{UK}/news/uk-scotland-scotland-politics-48198098",
    f"{UK}/news/election-2015-32271505",
    f"{UK}/news/10604897",
    "http://news.bbc.co.uk/2/hi/uk_news/england/devon/7996447.stm",
    "http://news.bbc.co.uk/2/low/uk_news/england/devon/7996447.stm",
    "http://news.bbc.co.uk/1/hi/programmes/from_our_own_correspondent/8029015.stm",
    # World Service language sites, old and new
    f"{UK}/zhongwen/trad/chinese_news/2012/12/121210_hongkong_politics.shtml",
    f"{COM}/zhongwen/articles/c4g0x7y8lz8o/simp",
    f"{COM}/zhongwen/simp/world-67891234",
    f"{COM}/burmese/articles/cx2e0p4l7m1o",
    f"{COM}/arabic/articles/c0k8wq9x2r7o",
    f"{COM}/arabic/world-67891234",
    # tracking and edition variants of a story
    f"{STORY}?at_medium=RSS&at_campaign=KARANGA",
    f"{CPS_STORY}?ocid=socialflow_twitter",
    f"{CPS_STORY}#comments",
    STORY.replace("https://www.", "http://m."),
    f"{STORY}.amp",
]
NOT_ARTICLES = [
    f"{UK}/",
    f"{UK}/news",
    f"{UK}/news/",
    f"{UK}/news/world",
    f"{UK}/news/world/europe",
    f"{UK}/news/uk-politics",
    f"{UK}/news/av/uk-england-dorset-61896381",  # video page
    f"{UK}/news/videos/c0jq6kx5l9yo",
    f"{UK}/news/live/world-67891236",  # live page
    f"{UK}/news/live/world-67891236?pinned_post_locator=urn:asset:1234",  # one of its posts
    f"{UK}/news/in_pictures",
    f"{UK}/news/in-pictures-67891237",
    "http://news.bbc.co.uk/1/hi/in_pictures/8039882.stm",
    "http://news.bbc.co.uk/2/hi/health/default.stm",
    "http://news.bbc.co.uk/1/shared/spl/hi/pop_ups/08/middle_east_views/html/1.stm",
    "http://news.bbc.co.uk/sport1/hi/tennis/8951357.stm",
    f"{UK}/news/topics/c1038wnxnp7t",
    f"{UK}/news/correspondents/andrewharding",
    f"{UK}/news/10318089",  # the BBC News Channel stream page that the feeds list
    f"{UK}/sport/football/48202945",
    f"{UK}/sport/av/cricket/48204665",
    f"{UK}/programmes/p02nq0gn",
    f"{UK}/iplayer/episode/m001v3s8/newsnight",
    f"{UK}/blogs/nickrobinson/",
    f"{COM}/zhongwen/simp",
    "https://feeds.bbci.co.uk/news/rss.xml",
    f"{UK}/sitemaps/https-index-uk-news.xml",
    "https://www.bbc.co.uk.evil.example/news/world-europe-67891234",
    "https://www.bbc.co.uk:8080/news/world-europe-67891234",
    "https://www.nytimes.com/2024/01/05/world/europe/some-story.html",
]


@pytest.mark.parametrize("url", REAL_PAGE_URLS + ARTICLES)
def test_article_urls_are_accepted(spider: BBCSpider, url: str) -> None:
    assert spider.is_article_url(canonical_url(url))


@pytest.mark.parametrize("url", NOT_ARTICLES)
def test_other_urls_are_rejected(spider: BBCSpider, url: str) -> None:
    assert not spider.is_article_url(canonical_url(url))


def test_every_real_page_era_is_covered() -> None:
    hosts = {url.split("/")[2] for url in REAL_PAGE_URLS}
    assert hosts == {"news.bbc.co.uk", "www.bbc.co.uk", "www.bbc.com"}
    assert len(REAL_PAGE_URLS) >= 15


# ---------------------------------------------------------------------------------------------
# Feeds

def home_feed() -> XmlResponse:
    return real_feed("https://feeds.bbci.co.uk/news/rss.xml", "bbc-news-home.xml")


def test_real_feed_yields_its_news_stories(spider: BBCSpider) -> None:
    response = home_feed()
    assert len(feed_links(response)) == 38
    requests = list(spider.parse_feed(response))
    # 38 items: 29 news stories, 6 BBC Sport stories, 2 Sport videos, the News Channel page.
    assert len(requests) == 29
    found = request_urls(requests)
    assert found[0] == f"{UK}/news/uk-48201625"
    assert f"{UK}/news/world-latin-america-48030691" in found
    assert f"{UK}/news/uk-scotland-scotland-politics-48198098" in found
    assert not any("/sport/" in url or url.endswith("/news/10318089") for url in found)
    assert all(r.callback == spider.parse_article and r.meta["tracker_source"] == "feed" for r in requests)


def test_real_feed_dates_are_read() -> None:
    entries = dict(feed_entries(home_feed()))
    modified = entries[f"{UK}/news/uk-48201625"]
    assert modified is not None and modified.isoformat() == "2019-05-08T14:29:04+00:00"


def test_feed_with_tracking_parameters(spider: BBCSpider) -> None:
    body = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0"><channel><title><![CDATA[BBC News]]></title>
<link>{UK}/news</link>
<item><title><![CDATA[A]]></title><link>{STORY}?at_medium=RSS&amp;at_campaign=rss</link>
<guid isPermaLink="false">{STORY}#0</guid><pubDate>Fri, 05 Jan 2024 10:00:00 GMT</pubDate></item>
<item><title><![CDATA[B]]></title><link>{UK}/news/av/world-67891235?at_medium=RSS&amp;at_campaign=rss</link></item>
<item><title><![CDATA[C]]></title><link>{UK}/news/live/world-67891236</link></item>
</channel></rss>"""
    response = XmlResponse("https://feeds.bbci.co.uk/news/world/rss.xml", body=body.encode())
    assert request_urls(spider.parse_feed(response)) == [STORY]


# ---------------------------------------------------------------------------------------------
# Sitemaps

SITEMAP_INDEX_URL = f"{UK}/sitemaps/https-index-uk-news.xml"
SITEMAP_INDEX = f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{UK}/sitemaps/https-sitemap-uk-news-1.xml</loc><lastmod>2024-01-05T10:00:00Z</lastmod></sitemap>
<sitemap><loc>{UK}/sitemaps/https-sitemap-uk-news-2.xml</loc><lastmod>2024-01-05T09:00:00Z</lastmod></sitemap>
<sitemap><loc>{UK}/sitemaps/https-sitemap-uk-archive-1.xml</loc></sitemap>
</sitemapindex>"""

NEWS_SITEMAP = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
 xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
<url><loc>{STORY}</loc><lastmod>2024-01-05T10:05:00Z</lastmod>
<news:news><news:publication><news:name>BBC News</news:name><news:language>en</news:language></news:publication>
<news:publication_date>2024-01-05T10:00:00Z</news:publication_date><news:title>Mexico counting dead</news:title></news:news>
<image:image><image:loc>https://ichef.bbci.co.uk/news/1024/photo.jpg</image:loc></image:image></url>
<url><loc>{UK}/news/av/world-67891235</loc><news:news><news:publication_date>2024-01-05T09:00:00Z</news:publication_date></news:news></url>
<url><loc>{UK}/news/live/world-67891236</loc></url>
<url><loc>{CPS_STORY}</loc><news:news><news:publication_date>2024-01-05T08:00:00Z</news:publication_date></news:news></url>
<url><loc>{UK}/sport/football/67891237</loc></url>
</urlset>"""


def test_sitemap_index_follows_the_news_sitemaps_only(spider: BBCSpider) -> None:
    requests = list(spider.parse_sitemap(XmlResponse(SITEMAP_INDEX_URL, body=SITEMAP_INDEX.encode())))
    assert request_urls(requests) == [f"{UK}/sitemaps/https-sitemap-uk-news-1.xml", f"{UK}/sitemaps/https-sitemap-uk-news-2.xml"]
    assert all(r.callback == spider.parse_sitemap for r in requests)


def test_news_sitemap_keeps_the_stories(spider: BBCSpider) -> None:
    response = XmlResponse(f"{UK}/sitemaps/https-sitemap-uk-news-1.xml", body=NEWS_SITEMAP.encode())
    requests = list(spider.parse_sitemap(response))
    assert request_urls(requests) == [STORY, CPS_STORY]
    assert all(r.callback == spider.parse_article and r.meta["tracker_source"] == "sitemap" for r in requests)


def test_gzipped_news_sitemap(spider: BBCSpider) -> None:
    response = Response(f"{UK}/sitemaps/https-sitemap-uk-news-1.xml.gz", body=gzip.compress(NEWS_SITEMAP.encode()))
    assert request_urls(spider.parse_sitemap(response)) == [STORY, CPS_STORY]


# ---------------------------------------------------------------------------------------------
# Section pages

SECTION = f"""<!DOCTYPE html><html lang="en-GB"><head><title>World - BBC News</title></head><body>
<header><nav><a href="/news">Home</a><a href="/news/world">World</a><a href="/news/world/europe">Europe</a>
<a href="/sport">Sport</a><a href="https://www.bbc.co.uk/iplayer">iPlayer</a></nav></header>
<main id="main-content">
<div data-testid="edinburgh-card"><a href="/news/articles/cden3j9d1r7o">Mexico counting dead</a></div>
<div data-testid="edinburgh-card"><a href="/news/world-europe-67891234">Europe story</a></div>
<div data-testid="edinburgh-card"><a href="/news/av/world-67891235">Video</a></div>
<div data-testid="edinburgh-card"><a href="/news/live/world-67891236">Live</a></div>
<div data-testid="edinburgh-card"><a href="/news/topics/c1038wnxnp7t">Topic</a></div>
<div data-testid="edinburgh-card"><a href="/sport/football/67891237">Football</a></div>
<div data-testid="edinburgh-card"><a href="https://www.bbc.com/news/articles/c4ng7xq2kdlo">International edition link</a></div>
<div data-testid="edinburgh-card"><a href="/news/in-pictures-67891238">In pictures</a></div>
<a href="https://www.bbc.co.uk/programmes/p02nq0gn">Programme</a><a href="#main-content">Skip</a>
</main></body></html>"""


def test_section_page_keeps_article_links_only(spider: BBCSpider) -> None:
    response = HtmlResponse(f"{UK}/news/world", body=SECTION.encode(), encoding="utf-8")
    requests = list(spider.parse_section(response))
    # The international edition's link is the same article: requested under the UK host.
    assert request_urls(requests) == [STORY, CPS_STORY, f"{UK}/news/articles/c4ng7xq2kdlo"]
    assert all(r.callback == spider.parse_article and r.meta["tracker_source"] == "section" for r in requests)


def test_spider_declarations() -> None:
    assert BBCSpider.name == "bbc"
    assert all(url.startswith("https://feeds.bbci.co.uk/news/") for url in BBCSpider.feeds)
    assert BBCSpider.sitemap_follow.search(f"{UK}/sitemaps/https-sitemap-uk-news-1.xml")
