"""Discovery for The Independent without network: which links are articles, and what the feeds,
the Google News sitemap and the section fronts yield (hand-built responses; no Independent feed
is saved under the feed fixtures, so the feed below has the shape of /news/rss)."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, XmlResponse

from spiders.base import feed_links
from spiders.independent import IndependentSpider
from tests.realpages import outlet_cases
from tests.spidertools import make_spider, request_urls
from tracker.normalize import canonical_url

INDY = "https://www.independent.co.uk"
STORY = f"{INDY}/news/uk/politics/commons-budget-vote-b2466021.html"
OLD_STORY = f"{INDY}/news/media/lord-burns-channel-4-chairman-forced-to-step-down-by-ministers-amid-privatisation-fears-a6670691.html"


@pytest.fixture
def spider(tmp_path: Path) -> IndependentSpider:
    return make_spider(IndependentSpider, tmp_path)


# ---------------------------------------------------------------------------------------------
# is_article_url

# Every era of the saved real pages: -9065538.html (2014), -a6670691.html (2015), -b671230.html (2020).
REAL_PAGE_URLS = sorted({page.url for page in outlet_cases("independent")})

ARTICLES = [
    STORY,
    OLD_STORY,
    f"{INDY}/voices/some-columnist-on-the-budget-b2466030.html",
    f"{INDY}/news/world/americas/us-politics/senate-vote-b2466031.html",
    f"{INDY}/news/uk/politics/uk-politics-live-rishi-sunak-b2466032.html",  # a live blog's page
    f"{INDY}/life-style/food-and-drink/some-recipe-story-b2466033.html",
    f"{INDY}/news/world/middle-east/innocent-starving-close-to-death-9065538.html",
    f"{STORY}?utm_source=twitter&utm_medium=social",
    "http://www.independent.co.uk/news/uk/politics/commons-budget-vote-b2466021.html",
]
NOT_ARTICLES = [
    f"{INDY}/",
    f"{INDY}/news/uk",
    f"{INDY}/news/uk/politics",
    f"{INDY}/author/andrew-woodcock",
    f"{INDY}/topic/coronavirus",
    f"{INDY}/tv/news/commons-budget-vote-video-b2466024.html",
    f"{INDY}/news/uk/politics/uk-politics-live-rishi-sunak-b2466032.html?post=123456",  # one live post
    f"{INDY}/news/uk/politics/rss",
    f"{INDY}/service/code-of-conduct-a6184241.html",
    "https://www.independent.ie/irish-news/some-story-42466021.html",
    "https://www.independent.co.uk.evil.example/news/uk/politics/commons-budget-vote-b2466021.html",
    "https://www.independent.co.uk:8080/news/uk/politics/commons-budget-vote-b2466021.html",
]


def test_the_real_pages_span_the_eras() -> None:
    endings = {url.rsplit("-", 1)[1][0] for url in REAL_PAGE_URLS}
    assert endings >= {"1", "9", "a", "b"}  # -10506160, -9065538, -a6670691, -b671230


@pytest.mark.parametrize("url", REAL_PAGE_URLS + ARTICLES)
def test_article_urls_are_accepted(spider: IndependentSpider, url: str) -> None:
    assert spider.is_article_url(canonical_url(url))


@pytest.mark.parametrize("url", NOT_ARTICLES)
def test_other_urls_are_rejected(spider: IndependentSpider, url: str) -> None:
    assert not spider.is_article_url(canonical_url(url))


# ---------------------------------------------------------------------------------------------
# Feeds (RSS 2.0, guid is the article URL)

FEED = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/" version="2.0">
<channel><title>The Independent</title><link>{INDY}/news</link>
<item><title>Commons budget vote</title><link>{STORY}</link><guid>{STORY}</guid>
<pubDate>Fri, 05 Jan 2024 10:00:00 GMT</pubDate><dc:creator>Jane Reporter</dc:creator></item>
<item><title>Video</title><link>{INDY}/tv/news/commons-budget-vote-video-b2466024.html</link></item>
<item><title>Summit</title><link>{INDY}/news/world/europe/summit-ends-without-deal-b2466022.html</link></item>
</channel></rss>"""


def test_feed(spider: IndependentSpider) -> None:
    response = XmlResponse(f"{INDY}/news/rss", body=FEED.encode())
    assert len(feed_links(response)) == 3
    requests = list(spider.parse_feed(response))
    assert request_urls(requests) == [STORY, f"{INDY}/news/world/europe/summit-ends-without-deal-b2466022.html"]
    assert all(r.callback == spider.parse_article and r.meta["tracker_source"] == "feed" for r in requests)


# ---------------------------------------------------------------------------------------------
# Google News sitemap (https://www.independent.co.uk/sitemaps/googlenews)

SITEMAP = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
 xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
<url><loc>{STORY}</loc><news:news><news:publication><news:name>The Independent</news:name>
<news:language>en</news:language></news:publication><news:publication_date>2024-01-05T10:00:00+00:00</news:publication_date>
<news:title>Commons budget vote</news:title></news:news></url>
<url><loc>{INDY}/tv/news/commons-budget-vote-video-b2466024.html</loc></url>
<url><loc>{INDY}/news/uk/home-news/storm-hits-coast-b2466023.html</loc></url>
</urlset>"""


def test_news_sitemap(spider: IndependentSpider) -> None:
    response = XmlResponse(f"{INDY}/sitemaps/googlenews", body=SITEMAP.encode())
    requests = list(spider.parse_sitemap(response))
    assert request_urls(requests) == [STORY, f"{INDY}/news/uk/home-news/storm-hits-coast-b2466023.html"]
    assert all(r.meta["tracker_source"] == "sitemap" for r in requests)


# ---------------------------------------------------------------------------------------------
# Section fronts (relative links, topic and author links, a live blog's post link)

SECTION = f"""<!DOCTYPE html><html lang="en"><head><title>UK Politics | The Independent</title></head>
<body><header><nav><a href="/">Home</a><a href="/news/uk">UK</a><a href="/news/uk/politics">Politics</a></nav></header>
<main><div class="article-default"><a class="title" href="/news/uk/politics/commons-budget-vote-b2466021.html">
Commons budget vote</a><a href="/author/jane-reporter">Jane Reporter</a></div>
<div class="article-default"><a href="/news/uk/politics/uk-politics-live-rishi-sunak-b2466032.html?post=123456">Latest post</a>
<a href="/topic/budget">Budget</a><a href="/tv/news/commons-budget-vote-video-b2466024.html">Watch</a></div>
<div class="article-default"><a href="{OLD_STORY}#comments">Archive</a></div>
</main></body></html>"""


def test_section_front_keeps_article_links_only(spider: IndependentSpider) -> None:
    response = HtmlResponse(f"{INDY}/news/uk/politics", body=SECTION.encode(), encoding="utf-8")
    assert request_urls(spider.parse_section(response)) == [STORY, OLD_STORY]


def test_spider_declarations() -> None:
    assert IndependentSpider.name == "independent"
    for url in (*IndependentSpider.feeds, *IndependentSpider.sitemaps, *IndependentSpider.sections):
        assert url.startswith(f"{INDY}/")
        assert not IndependentSpider.article_url_pattern.search(url)
