"""Discovery for Fox News without network: which links are articles, and what the feeds, the
news sitemap and the section fronts yield (hand-built responses; no Fox feed is saved under the
feed fixtures, so the feed below has the shape of moxie.foxnews.com/google-publisher/*.xml)."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, XmlResponse

from spiders.base import feed_links
from spiders.foxnews import FoxNewsSpider
from tests.realpages import outlet_cases
from tests.spidertools import make_spider, request_urls
from tracker.normalize import canonical_url

FOX = "https://www.foxnews.com"
STORY = f"{FOX}/politics/senate-passes-stopgap-budget-bill"
OLD_STORY = f"{FOX}/politics/2010/08/14/russias-nuclear-help-iran-stirs-questions-improved-relations/"


@pytest.fixture
def spider(tmp_path: Path) -> FoxNewsSpider:
    return make_spider(FoxNewsSpider, tmp_path)


# ---------------------------------------------------------------------------------------------
# is_article_url

# Every era of the saved real pages (2010, 2014 Fox News Latino, 2019, 2023).
REAL_PAGE_URLS = sorted({page.url for page in outlet_cases("foxnews")})

ARTICLES = [
    STORY,
    OLD_STORY,
    f"{FOX}/world/putin-pulls-russia-nuclear-test-ban-treaty",
    f"{FOX}/opinion/some-opinion-writer-says-something",
    f"{FOX}/media/host-says-something-on-air",
    f"{FOX}/us/2017/06/01/some-old-story-slug/",
    "https://latino.foxnews.com/latino/news/2014/12/23/teen-desperate-for-baby/",
    f"{STORY}?intcmp=hpbt1",
    f"{STORY}.amp",
    "http://www.foxnews.com/politics/senate-passes-stopgap-budget-bill",
]
NOT_ARTICLES = [
    f"{FOX}/",
    f"{FOX}/politics",
    f"{FOX}/sports/nfl",
    f"{FOX}/category/politics/senate",
    f"{FOX}/category/world/world-regions/russia",
    f"{FOX}/person/n/timothy-hj-nerozzi",
    f"{FOX}/video/6345678901112",
    "https://video.foxnews.com/v/6345678901112",
    f"{FOX}/shows/special-report",
    f"{FOX}/podcasts/fox-news-rundown",
    f"{FOX}/live-news/senate-vote-january-5-2024",  # live blog
    f"{FOX}/official-polls/fox-news-poll-voters-say-something",
    f"{FOX}/apps-products/fox-news-app-download-now",
    "https://www.foxbusiness.com/politics/senate-passes-stopgap-budget-bill",
    "https://www.foxnews.com.evil.example/politics/senate-passes-stopgap-budget-bill",
    "https://www.foxnews.com:8080/politics/senate-passes-stopgap-budget-bill",
    "https://moxie.foxnews.com/google-publisher/latest.xml",
]


def test_the_real_pages_span_the_eras() -> None:
    assert any("/2010/" in url for url in REAL_PAGE_URLS) and any("latino." in url for url in REAL_PAGE_URLS)
    assert f"{FOX}/world/putin-pulls-russia-nuclear-test-ban-treaty" in REAL_PAGE_URLS


@pytest.mark.parametrize("url", REAL_PAGE_URLS + ARTICLES)
def test_article_urls_are_accepted(spider: FoxNewsSpider, url: str) -> None:
    assert spider.is_article_url(canonical_url(url))


@pytest.mark.parametrize("url", NOT_ARTICLES)
def test_other_urls_are_rejected(spider: FoxNewsSpider, url: str) -> None:
    assert not spider.is_article_url(canonical_url(url))


# ---------------------------------------------------------------------------------------------
# Feeds (moxie.foxnews.com/google-publisher/*.xml: RSS 2.0, guid is the article URL)

FEED = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0">
<channel><title>Latest Headlines | Fox News</title><link>{FOX}/</link>
<item><link>{STORY}</link><guid isPermaLink="true">{STORY}</guid><title>Senate passes budget</title>
<pubDate>Fri, 05 Jan 2024 10:00:00 -0500</pubDate><dc:creator>Jane Reporter</dc:creator></item>
<item><link>{FOX}/video/6345678901112</link><guid isPermaLink="true">{FOX}/video/6345678901112</guid></item>
<item><link>{FOX}/world/summit-ends-without-deal-leaders</link><pubDate>Fri, 05 Jan 2024 09:00:00 -0500</pubDate></item>
<item><link>{FOX}/live-news/senate-vote-january-5-2024</link></item>
</channel></rss>"""


def test_feed(spider: FoxNewsSpider) -> None:
    response = XmlResponse("https://moxie.foxnews.com/google-publisher/latest.xml", body=FEED.encode())
    assert len(feed_links(response)) == 4
    requests = list(spider.parse_feed(response))
    assert request_urls(requests) == [STORY, f"{FOX}/world/summit-ends-without-deal-leaders"]
    assert all(r.callback == spider.parse_article and r.meta["tracker_source"] == "feed" for r in requests)


# ---------------------------------------------------------------------------------------------
# News sitemap (https://www.foxnews.com/sitemap.xml?type=news)

SITEMAP = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{STORY}</loc><news:news><news:publication><news:name>Fox News</news:name>
<news:language>en</news:language></news:publication><news:publication_date>2024-01-05T10:00:00-05:00</news:publication_date>
<news:title>Senate passes budget</news:title></news:news></url>
<url><loc>{FOX}/video/6345678901112</loc></url>
<url><loc>{FOX}/category/politics/senate</loc></url>
<url><loc>{FOX}/us/storm-hits-gulf-coast-towns</loc></url>
</urlset>"""


def test_news_sitemap(spider: FoxNewsSpider) -> None:
    response = XmlResponse(f"{FOX}/sitemap.xml?type=news", body=SITEMAP.encode())
    requests = list(spider.parse_sitemap(response))
    assert request_urls(requests) == [STORY, f"{FOX}/us/storm-hits-gulf-coast-towns"]
    assert all(r.meta["tracker_source"] == "sitemap" for r in requests)


# ---------------------------------------------------------------------------------------------
# Section fronts (relative links, topic and author links)

SECTION = f"""<!DOCTYPE html><html lang="en"><head><title>Politics | Fox News</title></head>
<body><div id="wrapper"><header><nav><a href="/">Home</a><a href="/politics">Politics</a><a href="/us">U.S.</a></nav></header>
<main class="main-content"><article class="article story-1"><div class="info"><header class="info-header">
<div class="eyebrow"><a href="/category/politics/senate">Senate</a></div>
<h3 class="title"><a href="/politics/senate-passes-stopgap-budget-bill">Senate passes budget</a></h3></header></div></article>
<article class="article story-2"><h3 class="title"><a href="/video/6345678901112">Watch</a></h3></article>
<article class="article story-3"><h3 class="title"><a href="https://www.foxnews.com/world/summit-ends-without-deal-leaders?intcmp=hpbt2">Summit</a></h3>
<a href="/person/r/jane-reporter">Jane Reporter</a></article>
</main></div></body></html>"""


def test_section_front_keeps_article_links_only(spider: FoxNewsSpider) -> None:
    response = HtmlResponse(f"{FOX}/politics", body=SECTION.encode(), encoding="utf-8")
    assert request_urls(spider.parse_section(response)) == [STORY, f"{FOX}/world/summit-ends-without-deal-leaders"]


def test_spider_declarations() -> None:
    assert FoxNewsSpider.name == "foxnews"
    assert all(url.startswith("https://moxie.foxnews.com/google-publisher/") for url in FoxNewsSpider.feeds)
    for url in (*FoxNewsSpider.feeds, *FoxNewsSpider.sitemaps, *FoxNewsSpider.sections):
        assert not FoxNewsSpider.article_url_pattern.search(url)
