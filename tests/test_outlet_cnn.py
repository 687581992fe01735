"""Discovery for CNN without network: which links are articles, and what the FeedBurner
feeds, the news sitemap and the section fronts yield (hand-built responses, a real feed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, XmlResponse

from spiders.base import feed_links
from spiders.cnn import CnnSpider
from tests.realpages import outlet_cases
from tests.spidertools import make_spider, real_feed, request_urls
from tracker.normalize import canonical_url

CNN = "https://www.cnn.com"
STORY = f"{CNN}/2024/01/05/politics/senate-budget-vote/index.html"
NEW_STORY = f"{CNN}/2024/01/05/politics/senate-budget-vote"  # 2023-: no index.html


@pytest.fixture
def spider(tmp_path: Path) -> CnnSpider:
    return make_spider(CnnSpider, tmp_path)


# ---------------------------------------------------------------------------------------------
# is_article_url

# Every era of the saved real pages (2010-2023: www, edition, money and arabic.cnn.com).
REAL_PAGE_URLS = sorted({page.url for page in outlet_cases("cnn")})

ARTICLES = [
    STORY,
    NEW_STORY,
    f"{CNN}/2023/11/06/politics/alito-prelogar-supreme-court-analysis/index.html",
    "https://edition.cnn.com/2024/01/05/europe/summit-ends-without-deal-intl/index.html",
    "https://us.cnn.com/2024/01/05/us/storm-hits-coast/index.html",
    "https://money.cnn.com/2016/02/01/news/economy/poverty-inequality-united-states/index.html",
    f"{CNN}/2010/WORLD/asiapcf/08/13/china.landslide/index.html",
    f"{CNN}/style/article/little-women-costumes-jacqueline-durran/index.html",
    f"{CNN}/travel/article/italy-one-euro-homes-roundup/index.html",
    "https://arabic.cnn.com/middle-east/article/2024/01/05/syria-clashes",
    "http://www.cnn.com/2024/01/05/politics/senate-budget-vote/index.html?utm_source=twCNN&utm_medium=social",
    "https://amp.cnn.com/2024/01/05/politics/senate-budget-vote/index.html",
]
NOT_ARTICLES = [
    f"{CNN}/",
    f"{CNN}/politics",
    f"{CNN}/world/europe",
    f"{CNN}/2024/01/05/politics",
    f"{CNN}/profiles/joan-biskupic",
    f"{CNN}/specials/politics/supreme-court",
    f"{CNN}/videos/politics/2024/01/05/senate-vote-budget-lead-digvid.cnn",
    f"{CNN}/2024/01/05/politics/video/senate-vote-budget-digvid",
    f"{CNN}/politics/live-news/senate-vote-01-05-24/index.html",  # live blog
    f"{CNN}/politics/live-news/senate-vote-01-05-24/h_4e5f0a1b2c3d4e5f60718293a4b5c6d7",  # one of its posts
    f"{CNN}/2024/01/05/politics/gallery/senate-vote-photos/index.html",
    f"{CNN}/interactive/2024/01/politics/election-results/",
    f"{CNN}/audio/podcasts/axe-files/episodes/abc",
    f"{CNN}/cnn-underscored/reviews/best-headphones",
    "https://www.foxnews.com/politics/senate-passes-stopgap-budget-bill",
    "https://www.cnn.com.evil.example/2024/01/05/politics/senate-budget-vote/index.html",
    "https://www.cnn.com:8080/2024/01/05/politics/senate-budget-vote/index.html",
    "http://rss.cnn.com/rss/cnn_topstories.rss",
    "http://rss.cnn.com/~r/rss/edition_world/~3/A6erDJ6SydU/index.html",  # FeedBurner redirect
]


def test_the_real_pages_span_the_eras_and_hosts() -> None:
    assert {url.split("/")[3] for url in REAL_PAGE_URLS} >= {"2010", "2013", "2016", "2021", "2023"}
    assert {url.split("/")[2] for url in REAL_PAGE_URLS} >= {"www.cnn.com", "edition.cnn.com", "money.cnn.com", "arabic.cnn.com"}


@pytest.mark.parametrize("url", REAL_PAGE_URLS + ARTICLES)
def test_article_urls_are_accepted(spider: CnnSpider, url: str) -> None:
    assert spider.is_article_url(canonical_url(url))


@pytest.mark.parametrize("url", NOT_ARTICLES)
def test_other_urls_are_rejected(spider: CnnSpider, url: str) -> None:
    assert not spider.is_article_url(canonical_url(url))


# ---------------------------------------------------------------------------------------------
# Real feed (rss.cnn.com is FeedBurner: <link> is a redirect, the article is <feedburner:origLink>)


def feed_response(name: str) -> XmlResponse:
    return real_feed("http://rss.cnn.com/rss/edition_world.rss", name)


def test_real_world_feed(spider: CnnSpider) -> None:
    response = feed_response("cnn-world.xml")
    links = feed_links(response)
    assert len(links) == 29
    assert not any(link.startswith("http://rss.cnn.com/~r/") for link in links)
    requests = request_urls(spider.parse_feed(response))
    # 29 items: a video and three advertisers' links are left out
    assert len(requests) == 25 == len(set(requests))
    assert requests[0] == f"{CNN}/2020/01/01/australia/australia-fires-explainer-intl-hnk-scli/index.html"
    assert f"{CNN}/style/article/mbr-solar-park-dubai-desert-intl/index.html" in requests
    assert f"{CNN}/travel/article/budapest-winter-things-to-do/index.html" in requests
    assert requests[-1] == f"{CNN}/2019/12/08/world/freweini-mebrahtu-2019-cnn-hero-of-the-year/index.html"
    assert not any("/videos/" in url or "lendingtree" in url for url in requests)


def test_feed_requests_are_article_requests(spider: CnnSpider) -> None:
    (request, *_) = spider.parse_feed(feed_response("cnn-world.xml"))
    assert request.callback == spider.parse_article and request.meta["tracker_source"] == "feed"


# ---------------------------------------------------------------------------------------------
# News sitemap (https://www.cnn.com/sitemaps/cnn/news.xml: a urlset that also lists videos,
# live blogs and galleries)

SITEMAP = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
 xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
<url><loc>{NEW_STORY}</loc><lastmod>2024-01-05T14:02:11Z</lastmod>
<news:news><news:publication><news:name>CNN</news:name><news:language>en</news:language>
</news:publication><news:publication_date>2024-01-05T10:00:00Z</news:publication_date>
<news:title>Senate passes budget</news:title></news:news>
<image:image><image:loc>https://media.cnn.com/api/v1/images/stellar/prod/photo.jpg</image:loc></image:image></url>
<url><loc>{CNN}/videos/politics/2024/01/05/senate-vote-budget-lead-digvid.cnn</loc></url>
<url><loc>{CNN}/politics/live-news/senate-vote-01-05-24/index.html</loc></url>
<url><loc>{CNN}/2024/01/05/world/gallery/summit-photos/index.html</loc></url>
<url><loc>{CNN}/2024/01/05/world/summit-ends-without-deal-intl/index.html</loc></url>
</urlset>"""


def test_news_sitemap(spider: CnnSpider) -> None:
    response = XmlResponse(f"{CNN}/sitemaps/cnn/news.xml", body=SITEMAP.encode())
    requests = list(spider.parse_sitemap(response))
    assert request_urls(requests) == [NEW_STORY, f"{CNN}/2024/01/05/world/summit-ends-without-deal-intl/index.html"]
    assert all(r.meta["tracker_source"] == "sitemap" for r in requests)


# ---------------------------------------------------------------------------------------------
# Section fronts (relative links, video and live-blog promos, profile links)

SECTION = f"""<!DOCTYPE html><html lang="en"><head><title>Politics | CNN</title></head>
<body class="layout layout-homepage"><header><nav><a href="/">Home</a><a href="/politics">Politics</a>
<a href="/world">World</a></nav></header><section class="layout__main">
<div class="container__item" data-component-name="card"><a class="container__link" href="/2024/01/05/politics/senate-budget-vote/index.html">
<span class="container__headline-text">Senate passes budget</span></a></div>
<div class="container__item"><a href="/politics/live-news/senate-vote-01-05-24/index.html">Live updates</a></div>
<div class="container__item"><a href="/2024/01/05/politics/video/senate-vote-budget-digvid">Video</a></div>
<div class="container__item"><a href="https://edition.cnn.com/2024/01/04/politics/earlier-story?cid=ios_app">Earlier</a>
<a href="/profiles/jane-reporter">Jane Reporter</a></div>
<div class="container__item"><a href="{CNN}/2024/01/03/politics/old-story/index.html#comments">Old story</a></div>
</section></body></html>"""


def test_section_front_keeps_article_links_only(spider: CnnSpider) -> None:
    response = HtmlResponse(f"{CNN}/politics", body=SECTION.encode(), encoding="utf-8")
    assert request_urls(spider.parse_section(response)) == [
        STORY,
        f"{CNN}/2024/01/04/politics/earlier-story",  # edition.cnn.com serves the same story
        f"{CNN}/2024/01/03/politics/old-story/index.html",
    ]


def test_spider_declarations() -> None:
    assert CnnSpider.name == "cnn"
    assert CnnSpider.sitemaps == ("https://www.cnn.com/sitemaps/cnn/news.xml",)
    for url in (*CnnSpider.feeds, *CnnSpider.sitemaps, *CnnSpider.sections):
        assert not CnnSpider.article_url_pattern.search(url)
