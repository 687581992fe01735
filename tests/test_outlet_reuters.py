"""Discovery for Reuters without network: which links are articles, and what the news sitemap
index, its news sitemaps and the section fronts yield (hand-built responses; Reuters has had
no public RSS feed since 2020 and none is saved under the feed fixtures)."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, XmlResponse

from spiders.reuters import ReutersSpider
from tests.realpages import outlet_cases
from tests.spidertools import make_spider, request_urls
from tracker.normalize import canonical_url

REUTERS = "https://www.reuters.com"
STORY = f"{REUTERS}/world/us/senate-passes-stopgap-budget-2024-01-05/"
OLD_STORY = f"{REUTERS}/article/us-awards-sag/parasite-scores-upset-at-sag-awards-boosting-oscar-chances-idUSKBN1ZI0EH"
INDEX_URL = f"{REUTERS}/arc/outboundfeeds/news-sitemap-index/?outputType=xml"


@pytest.fixture
def spider(tmp_path: Path) -> ReutersSpider:
    return make_spider(ReutersSpider, tmp_path)


# ---------------------------------------------------------------------------------------------
# is_article_url

# Every era of the saved real pages (2014 regional editions, 2019-2020 www).
REAL_PAGE_URLS = sorted({page.url for page in outlet_cases("reuters")})

ARTICLES = [
    STORY,
    STORY.rstrip("/"),
    f"{REUTERS}/business/energy/oil-prices-fall-2024-01-05/",
    f"{REUTERS}/markets/us/wall-st-week-ahead-2024-01-05/",
    f"{REUTERS}/world/middle-east/some-story-2024-01-05/?utm_source=twitter",
    OLD_STORY,
    "http://in.reuters.com/article/2014/12/30/indonesia-airplane-idINKBN0K703120141230",
    "https://uk.reuters.com/article/uk-health-ebola-britain-idUKKBN0K71C820141229",
    "https://mobile.reuters.com/article/us-global-markets/asian-shares-soft-idUSKBN1XT00W",
    f"{REUTERS}/article/idUSKBN1XT00W",
]
NOT_ARTICLES = [
    f"{REUTERS}/",
    f"{REUTERS}/world/",
    f"{REUTERS}/world/us/",
    f"{REUTERS}/authors/jill-serjeant/",
    f"{REUTERS}/journalists/jill-serjeant",
    f"{REUTERS}/video/watch/idOV123456012024RP1/",
    f"{REUTERS}/pictures/some-pictures-2024-01-05/",
    f"{REUTERS}/graphics/ELECTION-RESULTS/2024-01-05/",
    f"{REUTERS}/world/live/israel-gaza-war-2024-01-05/",  # live blog
    f"{REUTERS}/markets/quote/AAPL.O/",
    f"{REUTERS}/companies/AAPL.O",
    f"{REUTERS}/plus/some-sponsored-story-2024-01-05/",
    f"{REUTERS}/news/archive/us",
    "https://graphics.reuters.com/ELECTION-RESULTS/2024/xyz/",
    "https://www.reutersagency.com/en/reuters-best/some-story-2024-01-05/",
    "https://www.reuters.com.evil.example/world/us/senate-passes-stopgap-budget-2024-01-05/",
    "https://www.reuters.com:8080/world/us/senate-passes-stopgap-budget-2024-01-05/",
    INDEX_URL,
]


def test_the_real_pages_span_the_eras_and_editions() -> None:
    hosts = {url.split("/")[2] for url in REAL_PAGE_URLS}
    assert hosts == {"in.reuters.com", "uk.reuters.com", "www.reuters.com"}


@pytest.mark.parametrize("url", REAL_PAGE_URLS + ARTICLES)
def test_article_urls_are_accepted(spider: ReutersSpider, url: str) -> None:
    assert spider.is_article_url(canonical_url(url))


@pytest.mark.parametrize("url", NOT_ARTICLES)
def test_other_urls_are_rejected(spider: ReutersSpider, url: str) -> None:
    assert not spider.is_article_url(canonical_url(url))


# ---------------------------------------------------------------------------------------------
# News sitemap index (Arc "outboundfeeds"): only its news sitemaps are followed

SITEMAP_INDEX = f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{REUTERS}/arc/outboundfeeds/news-sitemap/?outputType=xml</loc><lastmod>2024-01-05T14:00:00Z</lastmod></sitemap>
<sitemap><loc>{REUTERS}/arc/outboundfeeds/news-sitemap/?outputType=xml&amp;from=100</loc></sitemap>
<sitemap><loc>{REUTERS}/arc/outboundfeeds/sitemap/?outputType=xml&amp;from=0</loc></sitemap>
<sitemap><loc>{REUTERS}/arc/outboundfeeds/video-sitemap/?outputType=xml</loc></sitemap>
</sitemapindex>"""

NEWS_SITEMAP = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{STORY}</loc><lastmod>2024-01-05T12:00:00.000Z</lastmod>
<news:news><news:publication><news:name>Reuters</news:name><news:language>eng</news:language></news:publication>
<news:publication_date>2024-01-05T10:00:00.000Z</news:publication_date><news:title>Senate passes budget</news:title></news:news></url>
<url><loc>{REUTERS}/world/live/israel-gaza-war-2024-01-05/</loc></url>
<url><loc>{REUTERS}/pictures/some-pictures-2024-01-05/</loc></url>
<url><loc>{REUTERS}/business/energy/oil-prices-fall-2024-01-05/</loc></url>
</urlset>"""


def test_news_sitemap_index_follows_the_news_sitemaps(spider: ReutersSpider) -> None:
    requests = list(spider.parse_sitemap(XmlResponse(INDEX_URL, body=SITEMAP_INDEX.encode())))
    assert request_urls(requests) == [
        f"{REUTERS}/arc/outboundfeeds/news-sitemap/?outputType=xml",
        f"{REUTERS}/arc/outboundfeeds/news-sitemap/?outputType=xml&from=100",
    ]
    assert all(r.callback == spider.parse_sitemap for r in requests)


def test_news_sitemap(spider: ReutersSpider) -> None:
    response = XmlResponse(f"{REUTERS}/arc/outboundfeeds/news-sitemap/?outputType=xml", body=NEWS_SITEMAP.encode())
    requests = list(spider.parse_sitemap(response))
    assert request_urls(requests) == [STORY, f"{REUTERS}/business/energy/oil-prices-fall-2024-01-05/"]
    assert all(r.meta["tracker_source"] == "sitemap" for r in requests)


# ---------------------------------------------------------------------------------------------
# Section fronts (relative links, author and topic links, a live blog)

SECTION = f"""<!DOCTYPE html><html lang="en"><head><title>World News | Reuters</title></head>
<body><div id="fusion-app"><header><nav><a href="/">Reuters</a><a href="/world/">World</a></nav></header>
<main><ul class="story-collection__list">
<li><div data-testid="MediaStoryCard"><a data-testid="Heading" href="/world/us/senate-passes-stopgap-budget-2024-01-05/">
Senate passes budget</a><a href="/world/us/">United States</a><time>January 5, 2024</time></div></li>
<li><a href="/world/live/israel-gaza-war-2024-01-05/">Live</a></li>
<li><a href="/authors/jane-reporter/">Jane Reporter</a><a href="/video/watch/idOV123456012024RP1/">Video</a></li>
<li><a href="{OLD_STORY}">Archive</a></li>
</ul><a href="/world/?page=2">Next</a></main></div></body></html>"""


def test_section_front_keeps_article_links_only(spider: ReutersSpider) -> None:
    response = HtmlResponse(f"{REUTERS}/world/", body=SECTION.encode(), encoding="utf-8")
    assert request_urls(spider.parse_section(response)) == [STORY, OLD_STORY]


def test_spider_declarations() -> None:
    assert ReutersSpider.name == "reuters"
    assert ReutersSpider.feeds == ()
    assert ReutersSpider.sitemap_follow.search(f"{REUTERS}/arc/outboundfeeds/news-sitemap/?outputType=xml&from=100")
    assert not ReutersSpider.sitemap_follow.search(f"{REUTERS}/arc/outboundfeeds/sitemap/?outputType=xml")
    for url in (*ReutersSpider.sitemaps, *ReutersSpider.sections):
        assert not ReutersSpider.article_url_pattern.search(url)
