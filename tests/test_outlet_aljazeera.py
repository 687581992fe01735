"""Discovery for Al Jazeera English without network: which links are articles, and what the
RSS feed, the news sitemap and the section fronts yield (hand-built responses shaped like the
outlet's; there is no saved real Al Jazeera feed)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, XmlResponse

from spiders.aljazeera import AlJazeeraSpider
from spiders.base import feed_entries, feed_links
from tests.realpages import outlet_cases
from tests.spidertools import make_spider, request_urls
from tracker.normalize import canonical_url

AJ = "https://www.aljazeera.com"
STORY = f"{AJ}/news/2024/1/5/senate-vote-budget"
FEATURE = f"{AJ}/features/2023/12/31/the-year-in-review"
OLD_STORY = f"{AJ}/ajimpact/nasas-commercial-moon-shot-musk-bezos-firms-bid-191119041538885.html"
LIVE_BLOG = f"{AJ}/news/liveblog/2024/1/5/israel-war-on-gaza-live-strikes-continue"


@pytest.fixture
def spider(tmp_path: Path) -> AlJazeeraSpider:
    return make_spider(AlJazeeraSpider, tmp_path)


# ---------------------------------------------------------------------------------------------
# is_article_url

REAL_PAGE_URLS = sorted({page.url for page in outlet_cases("aljazeera")})  # 2019

ARTICLES = [
    STORY,
    FEATURE,
    OLD_STORY,
    f"{AJ}/economy/2024/1/12/oil-prices-rise-after-red-sea-strikes",
    f"{AJ}/opinions/2024/1/5/what-the-year-ahead-holds",
    f"{AJ}/sports/2023/12/30/some-match-report",
    f"{AJ}/news/2019/11/india-supreme-court-ayodhya-verdict-191109041214445.html",
    f"{AJ}/indepth/features/2016/05/story-of-a-refugee-160510094513735.html",
    f"{AJ}/indepth/opinion/thoughts-on-the-election-191118121314151.html",
    f"{STORY}/",
    f"{STORY}?traffic_source=rss",
    f"{STORY}?utm_source=twitter&utm_medium=social",
    STORY.replace("https://", "http://"),
    f"{AJ}/amp/news/2024/1/5/senate-vote-budget",
]
NOT_ARTICLES = [
    f"{AJ}/",
    f"{AJ}/news/",
    f"{AJ}/middle-east/",
    f"{AJ}/where/palestine/",
    LIVE_BLOG,
    f"{LIVE_BLOG}?update=2645219",  # one post of the live blog
    f"{AJ}/gallery/2024/1/5/photos-storm-hits-coast",
    f"{AJ}/video/newsfeed/2024/1/5/aftermath-of-the-strikes",
    f"{AJ}/program/inside-story/2024/1/5/is-the-war-spreading",
    f"{AJ}/programmes/start-here/2019/11/space-race-191117114435068.html",
    f"{AJ}/podcasts/2024/1/5/the-take-episode",
    f"{AJ}/indepth/inpictures/2019/11/floods-in-pictures-191119101112131.html",
    f"{AJ}/tag/climate-crisis/",
    f"{AJ}/author/jane_reporter_20210101",
    f"{AJ}/profile/laura-winter.html",
    f"{AJ}/topics/subjects/space.html",
    f"{AJ}/news/2024/1/5/",
    f"{AJ}/xml/rss/all.xml",
    "https://www.aljazeera.net/news/2024/1/5/%D8%AE%D8%A8%D8%B1",  # the Arabic site: another outlet
    "https://www.aljazeera.com.evil.example/news/2024/1/5/senate-vote-budget",
    "https://www.aljazeera.com:8443/news/2024/1/5/senate-vote-budget",
    "https://www.bbc.co.uk/news/world-middle-east-67891234",
]


@pytest.mark.parametrize("url", REAL_PAGE_URLS + ARTICLES)
def test_article_urls_are_accepted(spider: AlJazeeraSpider, url: str) -> None:
    assert spider.is_article_url(canonical_url(url))


@pytest.mark.parametrize("url", NOT_ARTICLES)
def test_other_urls_are_rejected(spider: AlJazeeraSpider, url: str) -> None:
    assert not spider.is_article_url(canonical_url(url))


# ---------------------------------------------------------------------------------------------
# Feed (shaped like www.aljazeera.com/xml/rss/all.xml: links carry ?traffic_source=rss)

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Al Jazeera – Breaking News, World News and Video from Al Jazeera</title>
<link>{AJ}</link><atom:link href="{AJ}/xml/rss/all.xml" rel="self" type="application/rss+xml"/>
<item><link>{STORY}?traffic_source=rss</link><title>Senate votes</title>
<description><![CDATA[The Senate voted late on Thursday.]]></description>
<pubDate>Fri, 05 Jan 2024 10:29:44 +0000</pubDate><category>News</category>
<guid isPermaLink="false">{AJ}/?t=1704450584</guid></item>
<item><link>{LIVE_BLOG}?traffic_source=rss</link><title>Live</title><pubDate>Fri, 05 Jan 2024 09:00:00 +0000</pubDate>
<guid isPermaLink="false">{AJ}/?t=1704445200</guid></item>
<item><link>{AJ}/video/newsfeed/2024/1/5/aftermath-of-the-strikes?traffic_source=rss</link><title>Video</title>
<guid isPermaLink="false">{AJ}/?t=1704445300</guid></item>
<item><link>{FEATURE}?traffic_source=rss</link><title>Year in review</title>
<pubDate>Sun, 31 Dec 2023 08:00:00 +0000</pubDate><guid isPermaLink="false">{AJ}/?t=1704009600</guid></item>
</channel></rss>"""


def test_feed_keeps_stories_without_the_tracking_parameter(spider: AlJazeeraSpider) -> None:
    response = XmlResponse(f"{AJ}/xml/rss/all.xml", body=RSS.encode())
    assert len(feed_links(response)) == 4
    requests = list(spider.parse_feed(response))
    assert request_urls(requests) == [STORY, FEATURE]
    assert all(r.callback == spider.parse_article and r.meta["tracker_source"] == "feed" for r in requests)


def test_feed_dates() -> None:
    entries = feed_entries(XmlResponse(f"{AJ}/xml/rss/all.xml", body=RSS.encode()))
    assert entries[0] == (f"{STORY}?traffic_source=rss", dt.datetime(2024, 1, 5, 10, 29, 44, tzinfo=dt.timezone.utc))


# ---------------------------------------------------------------------------------------------
# News sitemap and section pages

NEWS_SITEMAP = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{STORY}</loc><news:news><news:publication><news:name>Al Jazeera</news:name><news:language>en</news:language>
</news:publication><news:publication_date>2024-01-05T10:29:44+00:00</news:publication_date><news:title>Senate votes</news:title>
</news:news></url>
<url><loc>{LIVE_BLOG}</loc><news:news><news:publication_date>2024-01-05T09:00:00+00:00</news:publication_date></news:news></url>
<url><loc>{AJ}/gallery/2024/1/5/photos-storm-hits-coast</loc></url>
<url><loc>{FEATURE}</loc><news:news><news:publication_date>2023-12-31T08:00:00+00:00</news:publication_date></news:news></url>
</urlset>"""


def test_news_sitemap(spider: AlJazeeraSpider) -> None:
    requests = list(spider.parse_sitemap(XmlResponse(f"{AJ}/news-sitemap.xml", body=NEWS_SITEMAP.encode())))
    assert request_urls(requests) == [STORY, FEATURE]
    assert all(r.callback == spider.parse_article and r.meta["tracker_source"] == "sitemap" for r in requests)


SECTION = f"""<!DOCTYPE html><html lang="en" dir="ltr"><head><title>News | Al Jazeera</title></head><body>
<header class="site-header"><nav><a href="/news/">News</a><a href="/middle-east/">Middle East</a>
<a href="/where/palestine/">Palestine</a><a href="/video/">Video</a></nav></header>
<main id="main-content-area"><section id="news-feed-container">
<article class="gc u-clickable-card"><div class="gc__content"><h3 class="gc__title">
<a class="u-clickable-card__link" href="/news/2024/1/5/senate-vote-budget"><span>Senate votes</span></a></h3></div></article>
<article class="gc"><h3 class="gc__title"><a href="/news/liveblog/2024/1/5/israel-war-on-gaza-live-strikes-continue">Live</a></h3></article>
<article class="gc"><h3 class="gc__title"><a href="/features/2023/12/31/the-year-in-review">Year in review</a></h3></article>
<article class="gc"><h3 class="gc__title"><a href="/gallery/2024/1/5/photos-storm-hits-coast">Photos</a></h3></article>
<a href="/tag/climate-crisis/">Climate crisis</a><a href="/author/jane_reporter_20210101">Jane Reporter</a>
<button class="show-more-button">Show more</button>
</section></main></body></html>"""


def test_section_page_keeps_article_links_only(spider: AlJazeeraSpider) -> None:
    response = HtmlResponse(f"{AJ}/news/", body=SECTION.encode(), encoding="utf-8")
    requests = list(spider.parse_section(response))
    assert request_urls(requests) == [STORY, FEATURE]
    assert all(r.callback == spider.parse_article and r.meta["tracker_source"] == "section" for r in requests)


def test_spider_declarations() -> None:
    assert AlJazeeraSpider.name == "aljazeera"
    assert AlJazeeraSpider.feeds == (f"{AJ}/xml/rss/all.xml",)
    assert AlJazeeraSpider.sitemaps == (f"{AJ}/news-sitemap.xml",)
