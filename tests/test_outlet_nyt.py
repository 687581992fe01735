"""Discovery for The New York Times without network: which links are articles, and what the
feeds, the news sitemap and the section fronts yield (hand-built responses, real feeds)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Response, XmlResponse

from spiders.base import feed_links
from spiders.nyt import NewYorkTimesSpider
from tests.realpages import outlet_cases
from tests.spidertools import make_spider, real_feed, request_urls
from tracker.normalize import canonical_url

NYT = "https://www.nytimes.com"
STORY = f"{NYT}/2024/01/05/us/politics/senate-budget-vote.html"
OLD_STORY = f"{NYT}/2010/12/22/world/europe/22start.html"


@pytest.fixture
def spider(tmp_path: Path) -> NewYorkTimesSpider:
    return make_spider(NewYorkTimesSpider, tmp_path)


# ---------------------------------------------------------------------------------------------
# is_article_url

# Every era of the saved real pages (2010-2020), as their expected.json gives them.
REAL_PAGE_URLS = sorted({page.url for page in outlet_cases("nytimes")})

ARTICLES = [
    STORY,
    OLD_STORY,
    f"{NYT}/2019/11/19/opinion/republicans-elections-impeachment.html",
    f"{NYT}/2016/07/30/business/dealbook/yahoos-sale-to-verizon-leaves-shareholders-with-little-say.html",
    f"{NYT}/2019/12/30/health/FDA-opioids.html",  # capitals in the slug (real feed item)
    f"{NYT}/2024/01/05/briefing/the-morning-newsletter.html",
    f"{NYT}/article/what-is-a-government-shutdown.html",
    "http://www.nytimes.com/2024/01/05/us/politics/senate-budget-vote.html?smid=tw-share",
    f"{STORY}?emc=rss&partner=rss",
    f"{STORY}?action=click&module=Top%20Stories&pgtype=Homepage",
    "https://mobile.nytimes.com/2024/01/05/us/politics/senate-budget-vote.html",
]
NOT_ARTICLES = [
    f"{NYT}/",
    f"{NYT}/section/world",
    f"{NYT}/section/us/politics",
    f"{NYT}/by/maggie-astor",
    f"{NYT}/topic/person/donald-trump",
    f"{NYT}/column/the-daily",
    f"{NYT}/video/us/politics/100000009236410/senate-vote.html",
    f"{NYT}/slideshow/2016/09/19/nyregion/chelsea-explosion/s/19chelsea-slide.html",
    f"{NYT}/interactive/2016/09/19/nyregion/chelsea-bombing-explosion-maps-timeline.html",
    f"{NYT}/live/2024/01/05/us/senate-budget-vote-news",  # live blog
    f"{NYT}/live/2024/01/05/us/senate-budget-vote-news/senate-passes-the-bill",  # one of its posts
    f"{NYT}/2024/01/05/podcasts/the-daily/senate-budget.html",
    f"{NYT}/athletic/5180000/2024/01/05/some-match-report/",
    f"{NYT}/2024/01/05/us/politics/",
    f"{NYT}/2024/01/05/us/politics/senate-budget-vote.html?page=2",
    "https://cooking.nytimes.com/recipes/1023456-chicken-soup",
    "https://rss.nytimes.com/services/xml/rss/nyt/World.xml",
    "https://www.washingtonpost.com/politics/2024/01/05/senate-vote-budget/",
    "https://www.nytimes.com.evil.example/2024/01/05/us/politics/senate-budget-vote.html",
    "https://www.nytimes.com:8080/2024/01/05/us/politics/senate-budget-vote.html",
]


def test_the_real_pages_span_the_eras() -> None:
    years = {url.split("/")[3] for url in REAL_PAGE_URLS}
    assert {"2010", "2014", "2016", "2019", "2020"} <= years


@pytest.mark.parametrize("url", REAL_PAGE_URLS + ARTICLES)
def test_article_urls_are_accepted(spider: NewYorkTimesSpider, url: str) -> None:
    assert spider.is_article_url(canonical_url(url))


@pytest.mark.parametrize("url", NOT_ARTICLES)
def test_other_urls_are_rejected(spider: NewYorkTimesSpider, url: str) -> None:
    assert not spider.is_article_url(canonical_url(url))


def test_feed_tracking_parameters_are_not_part_of_the_article() -> None:
    assert canonical_url(f"{STORY}?emc=rss&partner=rss") == STORY


# ---------------------------------------------------------------------------------------------
# Real feeds (RSS 2.0 with ?emc=rss&partner=rss on every link)


def feed_response(name: str) -> XmlResponse:
    return real_feed(f"https://rss.nytimes.com/services/xml/rss/nyt/{name}", name)


def test_real_world_feed(spider: NewYorkTimesSpider) -> None:
    response = feed_response("nytimes-world.xml")
    assert len(feed_links(response)) == 61
    requests = request_urls(spider.parse_feed(response))
    assert len(requests) == 61 == len(set(requests))
    assert requests[0] == f"{NYT}/2019/12/31/world/middleeast/baghdad-protesters-us-embassy.html"
    assert f"{NYT}/2019/12/31/world/australia/fires-red-skies-Mallacoota.html" in requests
    assert f"{NYT}/2019/12/30/briefing/Ukraine-Huawei-soccer.html" in requests
    assert requests[-1] == f"{NYT}/2019/12/28/world/africa/somalia-explosion-mogadishu.html"
    assert not any("?" in url for url in requests)


def test_real_science_feed(spider: NewYorkTimesSpider) -> None:
    requests = request_urls(spider.parse_feed(feed_response("nytimes-science.xml")))
    assert len(requests) == 20
    assert requests[0] == f"{NYT}/2020/01/01/science/space-astronomy-2020.html"
    assert f"{NYT}/2019/12/30/health/FDA-opioids.html" in requests


def test_feed_requests_are_article_requests(spider: NewYorkTimesSpider) -> None:
    (request, *_) = spider.parse_feed(feed_response("nytimes-world.xml"))
    assert request.callback == spider.parse_article and request.meta["tracker_source"] == "feed"


# ---------------------------------------------------------------------------------------------
# News sitemap (https://www.nytimes.com/sitemaps/new/news.xml.gz: a gzipped urlset that also
# lists The Athletic, video and interactive pages)

SITEMAP = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
 xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
<url><loc>{STORY}</loc><lastmod>2024-01-05T14:02:11Z</lastmod>
<news:news><news:publication><news:name>The New York Times</news:name><news:language>en</news:language>
</news:publication><news:publication_date>2024-01-05T10:00:00Z</news:publication_date>
<news:title>Senate Passes Budget</news:title></news:news>
<image:image><image:loc>https://static01.nyt.com/images/2024/01/05/photo.jpg</image:loc></image:image></url>
<url><loc>{NYT}/athletic/5180000/2024/01/05/some-match-report/</loc></url>
<url><loc>{NYT}/video/us/politics/100000009236410/senate-vote.html</loc></url>
<url><loc>{NYT}/interactive/2024/01/05/us/elections/results-iowa.html</loc></url>
<url><loc>{NYT}/live/2024/01/05/us/senate-budget-vote-news</loc></url>
<url><loc>{NYT}/2024/01/05/world/europe/summit-ends-without-deal.html</loc></url>
</urlset>"""


def test_news_sitemap(spider: NewYorkTimesSpider) -> None:
    response = Response(f"{NYT}/sitemaps/new/news.xml.gz", body=gzip.compress(SITEMAP.encode()))
    requests = list(spider.parse_sitemap(response))
    assert request_urls(requests) == [STORY, f"{NYT}/2024/01/05/world/europe/summit-ends-without-deal.html"]
    assert all(r.meta["tracker_source"] == "sitemap" for r in requests)


# ---------------------------------------------------------------------------------------------
# Section fronts (links carry click-tracking parameters; promos for live blogs and video)

SECTION = f"""<!DOCTYPE html><html lang="en"><head><title>World News - The New York Times</title></head>
<body><div id="app"><header><nav>
<a href="/">Home</a><a href="/section/world">World</a><a href="/section/us">U.S.</a></nav></header>
<main id="site-content"><section id="collection-highlights-container">
<article><a href="/2024/01/05/us/politics/senate-budget-vote.html?action=click&amp;module=Top%20Stories&amp;pgtype=Homepage">
<h3>Senate Passes Budget</h3></a><p>Summary.</p><span class="css-1n7hynb">By Jane Reporter</span></article>
<article><a href="https://www.nytimes.com/live/2024/01/05/world/summit-news">Live Updates</a></article>
<article><a href="/video/world/100000009236411/summit.html">Video</a></article>
<article><a href="https://www.nytimes.com/2024/01/04/world/asia/earthquake-japan.html">Earthquake</a>
<a href="/by/jane-reporter">Jane Reporter</a><a href="/interactive/2024/01/04/world/asia/quake-map.html">Map</a></article>
</section>
<ol><li><a href="/2024/01/03/world/europe/old-story.html#commentsContainer">Comments</a></li>
<li><a href="https://www.nytimes.com/2024/01/03/world/europe/old-story.html">Old story</a></li></ol>
<a href="https://www.nytimes.com/section/world?page=2">More</a></main></div></body></html>"""


def test_section_front_keeps_article_links_only(spider: NewYorkTimesSpider) -> None:
    response = HtmlResponse(f"{NYT}/section/world", body=SECTION.encode(), encoding="utf-8")
    assert request_urls(spider.parse_section(response)) == [
        STORY,
        f"{NYT}/2024/01/04/world/asia/earthquake-japan.html",
        f"{NYT}/2024/01/03/world/europe/old-story.html",
        f"{NYT}/2024/01/03/world/europe/old-story.html",
    ]


def test_spider_declarations() -> None:
    assert NewYorkTimesSpider.name == "nyt"
    assert all(url.startswith("https://rss.nytimes.com/services/xml/rss/nyt/") for url in NewYorkTimesSpider.feeds)
    for url in (*NewYorkTimesSpider.feeds, *NewYorkTimesSpider.sitemaps, *NewYorkTimesSpider.sections):
        assert not NewYorkTimesSpider.article_url_pattern.search(url)
