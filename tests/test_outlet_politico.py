"""Discovery for POLITICO without network: which links are articles, and what the feeds, the
news sitemap and the section fronts yield (hand-built responses; no POLITICO feed is saved under
the feed fixtures, so the feed below has the shape of rss.politico.com/*.xml)."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, XmlResponse

from spiders.base import feed_links
from spiders.politico import PoliticoSpider
from tests.realpages import outlet_cases
from tests.spidertools import make_spider, request_urls
from tracker.normalize import canonical_url

POLITICO = "https://www.politico.com"
STORY = f"{POLITICO}/news/2024/01/05/senate-passes-stopgap-budget-00134001"
OLD_STORY = f"{POLITICO}/story/2016/10/who-will-win-the-vp-debate-229079"


@pytest.fixture
def spider(tmp_path: Path) -> PoliticoSpider:
    return make_spider(PoliticoSpider, tmp_path)


# ---------------------------------------------------------------------------------------------
# is_article_url

# Every era of the saved real pages: /news/stories/ (2010), /story/ (2016), /news/ (2022).
REAL_PAGE_URLS = sorted({page.url for page in outlet_cases("politico")})

ARTICLES = [
    STORY,
    OLD_STORY,
    f"{OLD_STORY}?lo=ut_a1",  # link-origin parameter of the saved 2016 page
    f"{POLITICO}/news/2022/10/17/student-debt-relief-applications-00062145",
    f"{POLITICO}/news/magazine/2024/01/05/some-long-read-00134005",
    f"{POLITICO}/newsletters/playbook/2024/01/05/the-budget-deal-00134006",
    f"{POLITICO}/news/stories/1010/43352.html",
    "http://www.politico.com/news/2024/01/05/senate-passes-stopgap-budget-00134001?utm_source=rss",
]
NOT_ARTICLES = [
    f"{POLITICO}/",
    f"{POLITICO}/politics",
    f"{POLITICO}/congress",
    f"{POLITICO}/news/white-house",
    f"{POLITICO}/newsletters/playbook",
    f"{POLITICO}/staff/michael-stratford",
    f"{POLITICO}/video/2024/01/05/senate-vote-explained-1234567",
    f"{POLITICO}/gallery/2024/01/05/photos-of-the-week-00134007",
    f"{POLITICO}/interactives/2024/election-results/",
    f"{POLITICO}/podcasts/playbook-deep-dive",
    f"{POLITICO}/live-updates/2024/01/05/congress/senate-vote-00134008",  # live-blog post
    f"{POLITICO}/tag/budget",
    "https://www.politico.eu/article/some-story-brussels/",
    "https://rss.politico.com/politics-news.xml",
    "https://www.politico.com.evil.example/news/2024/01/05/senate-passes-stopgap-budget-00134001",
    "https://www.politico.com:8080/news/2024/01/05/senate-passes-stopgap-budget-00134001",
]


def test_the_real_pages_span_the_eras() -> None:
    assert {url.split("/")[3] for url in REAL_PAGE_URLS} == {"news", "story"}


def test_the_link_origin_parameter_is_not_part_of_the_article() -> None:
    assert canonical_url("http://www.politico.com/story/2016/10/who-will-win-the-vp-debate-229079?lo=ut_a1") == OLD_STORY


@pytest.mark.parametrize("url", REAL_PAGE_URLS + ARTICLES)
def test_article_urls_are_accepted(spider: PoliticoSpider, url: str) -> None:
    assert spider.is_article_url(canonical_url(url))


@pytest.mark.parametrize("url", NOT_ARTICLES)
def test_other_urls_are_rejected(spider: PoliticoSpider, url: str) -> None:
    assert not spider.is_article_url(canonical_url(url))


# ---------------------------------------------------------------------------------------------
# Feeds (RSS 2.0)

FEED = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">
<channel><title>Politics News</title><link>{POLITICO}/politics</link>
<item><title>Senate passes budget</title><link>{STORY}</link><guid isPermaLink="true">{STORY}</guid>
<pubDate>Fri, 05 Jan 2024 10:00:00 EST</pubDate><dc:creator>Jane Reporter</dc:creator></item>
<item><title>Video</title><link>{POLITICO}/video/2024/01/05/senate-vote-explained-1234567</link></item>
<item><title>Playbook</title><link>{POLITICO}/newsletters/playbook/2024/01/05/the-budget-deal-00134006</link></item>
</channel></rss>"""


def test_feed(spider: PoliticoSpider) -> None:
    response = XmlResponse("https://rss.politico.com/politics-news.xml", body=FEED.encode())
    assert len(feed_links(response)) == 3
    requests = list(spider.parse_feed(response))
    assert request_urls(requests) == [STORY, f"{POLITICO}/newsletters/playbook/2024/01/05/the-budget-deal-00134006"]
    assert all(r.callback == spider.parse_article and r.meta["tracker_source"] == "feed" for r in requests)


# ---------------------------------------------------------------------------------------------
# News sitemap (https://www.politico.com/news-sitemap.xml)

SITEMAP = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{STORY}</loc><news:news><news:publication><news:name>POLITICO</news:name>
<news:language>en</news:language></news:publication><news:publication_date>2024-01-05T10:00:00-05:00</news:publication_date>
<news:title>Senate passes budget</news:title></news:news></url>
<url><loc>{POLITICO}/gallery/2024/01/05/photos-of-the-week-00134007</loc></url>
<url><loc>{POLITICO}/news/2024/01/04/storm-hits-coast-00134003</loc></url>
</urlset>"""


def test_news_sitemap(spider: PoliticoSpider) -> None:
    response = XmlResponse(f"{POLITICO}/news-sitemap.xml", body=SITEMAP.encode())
    requests = list(spider.parse_sitemap(response))
    assert request_urls(requests) == [STORY, f"{POLITICO}/news/2024/01/04/storm-hits-coast-00134003"]
    assert all(r.meta["tracker_source"] == "sitemap" for r in requests)


# ---------------------------------------------------------------------------------------------
# Section fronts (links with ?lo=, staff and video links)

SECTION = f"""<!DOCTYPE html><html lang="en"><head><title>Politics - POLITICO</title></head>
<body><header class="global-header"><h1><a href="/">POLITICO</a></h1><nav><a href="/congress">Congress</a></nav></header>
<main><section class="content-group"><article class="story-frag"><header><h3 class="headline">
<a href="{STORY}?lo=ut_a1">Senate passes budget</a></h3></header>
<footer><p class="byline">By <a href="/staff/jane-reporter">Jane Reporter</a></p></footer></article>
<article class="story-frag"><a href="/video/2024/01/05/senate-vote-explained-1234567">Watch</a></article>
<article class="story-frag"><a href="/story/2016/10/who-will-win-the-vp-debate-229079">Archive</a></article>
</section></main></body></html>"""


def test_section_front_keeps_article_links_only(spider: PoliticoSpider) -> None:
    response = HtmlResponse(f"{POLITICO}/politics", body=SECTION.encode(), encoding="utf-8")
    assert request_urls(spider.parse_section(response)) == [STORY, OLD_STORY]


def test_spider_declarations() -> None:
    assert PoliticoSpider.name == "politico"
    assert all(url.startswith("https://rss.politico.com/") for url in PoliticoSpider.feeds)
    for url in (*PoliticoSpider.feeds, *PoliticoSpider.sitemaps, *PoliticoSpider.sections):
        assert not PoliticoSpider.article_url_pattern.search(url)
