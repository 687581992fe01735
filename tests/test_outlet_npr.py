"""Discovery for NPR without network: which links are articles, what the RSS and JSON feeds,
the news sitemap and the section fronts yield (hand-built responses, the real JSON Feed in
place), and JSON Feed support in spiders.base.feed_entries."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse

from spiders.base import feed_entries, feed_links
from spiders.npr import NPRSpider
from tests.realpages import outlet_cases
from tests.spidertools import make_spider, real_feed_bytes, request_urls
from tracker.normalize import canonical_url

NPR = "https://www.npr.org"
JSON_FEED_URL = "https://feeds.npr.org/1019/feed.json"
STORY = f"{NPR}/2023/11/09/1211571220/israel-gaza-damage-map-satellite-imagery"
BLOG_STORY = f"{NPR}/sections/thetwo-way/2016/12/15/505723552/jury-finds-dylann-roof-guilty-in-s-c-church-shooting"
NEW_ID_STORY = f"{NPR}/2024/09/30/nx-s1-5133462/hurricane-helene-north-carolina-flooding"


@pytest.fixture
def spider(tmp_path: Path) -> NPRSpider:
    return make_spider(NPRSpider, tmp_path)


# ---------------------------------------------------------------------------------------------
# is_article_url

REAL_PAGE_URLS = sorted({page.url for page in outlet_cases("npr")})  # 2016 and 2023

ARTICLES = [
    STORY,
    BLOG_STORY,
    NEW_ID_STORY,
    f"{NPR}/2024/10/01/g-s1-25641/election-polls-explained",
    f"{NPR}/sections/health-shots/2024/01/05/1223456789/flu-season",
    f"{NPR}/sections/money/2021/10/26/1048892388/meet-skimpflation",
    f"{NPR}/sections/coronavirus-live-updates/2021/10/21/1047736825/memes-about-covid-19",
    f"{NPR}/blogs/thetwo-way/2012/05/01/151767890/some-old-blog-post",
    f"{NPR}/2023/11/09/1211571220",
    f"{NPR}/templates/story/story.php?storyId=4111110",
    f"{NPR}/templates/story/story.php?storyId=4111110&ft=nprml&f=1001",
    f"{STORY}?utm_medium=JSONFeed&utm_campaign=technology",
    f"{STORY}?utm_medium=RSS&utm_campaign=news",
    STORY.replace("https://", "http://"),
]
NOT_ARTICLES = [
    f"{NPR}/",
    f"{NPR}/sections/news/",
    f"{NPR}/sections/thetwo-way/",
    f"{NPR}/sections/world/2024/01/",
    f"{NPR}/podcasts/510289/planet-money",
    f"{NPR}/2024/01/05/1223456791/podcasts/planet-money",
    f"{NPR}/programs/morning-edition/2024/01/05/1223456791/morning-edition-for-january-5-2024",
    f"{NPR}/series/1204567890/israel-hamas-war",
    f"{NPR}/people/348741/rebecca-hersher",
    f"{NPR}/transcripts/1211571220",
    f"{NPR}/player/embed/1211571220/1211590000",
    f"{NPR}/templates/story/story.php",
    "https://text.npr.org/1211571220",
    "https://feeds.npr.org/1001/rss.xml",
    "https://www.npr.org.evil.example/2023/11/09/1211571220/israel-gaza-damage-map-satellite-imagery",
    "https://www.npr.org:8080/2023/11/09/1211571220/israel-gaza-damage-map-satellite-imagery",
    "https://www.washingtonpost.com/politics/2024/01/05/senate-vote-budget/",
]


@pytest.mark.parametrize("url", REAL_PAGE_URLS + ARTICLES)
def test_article_urls_are_accepted(spider: NPRSpider, url: str) -> None:
    assert spider.is_article_url(canonical_url(url))


@pytest.mark.parametrize("url", NOT_ARTICLES)
def test_other_urls_are_rejected(spider: NPRSpider, url: str) -> None:
    assert not spider.is_article_url(canonical_url(url))


# ---------------------------------------------------------------------------------------------
# The real JSON Feed (feeds.npr.org/1019/feed.json, 25 items)


def real_json_feed(response_class: type[Response] = TextResponse) -> Response:
    body = real_feed_bytes("npr-technology.json")
    if response_class is TextResponse:
        return TextResponse(JSON_FEED_URL, body=body, encoding="utf-8", headers={"Content-Type": "application/json"})
    return response_class(JSON_FEED_URL, body=body)


@pytest.mark.parametrize("response_class", [TextResponse, Response])
def test_real_json_feed_links(response_class: type[Response]) -> None:
    links = feed_links(real_json_feed(response_class))
    assert len(links) == 25
    assert links[0] == (
        f"{NPR}/2021/10/29/1050315385/keller-rinaudo-how-can-delivery-drones-save-lives"
        "?utm_medium=JSONFeed&utm_campaign=technology"
    )


def test_real_json_feed_yields_every_story(spider: NPRSpider) -> None:
    requests = list(spider.parse_feed(real_json_feed()))
    assert len(requests) == 25  # all stories: tracking parameters dropped, no podcast or program pages
    found = request_urls(requests)
    assert found[0] == f"{NPR}/2021/10/29/1050315385/keller-rinaudo-how-can-delivery-drones-save-lives"
    assert f"{NPR}/sections/money/2021/10/26/1048892388/meet-skimpflation-a-reason-inflation-is-worse-than-the-government-says-it-is" in found
    assert all("utm_" not in url for url in found)
    assert all(r.callback == spider.parse_article and r.meta["tracker_source"] == "feed" for r in requests)


def test_real_json_feed_dates_prefer_date_modified() -> None:
    entries = dict(feed_entries(real_json_feed()))
    modified = entries[f"{NPR}/2021/10/29/1050315385/keller-rinaudo-how-can-delivery-drones-save-lives?utm_medium=JSONFeed&utm_campaign=technology"]
    assert modified == dt.datetime(2021, 10, 29, 15, 59, tzinfo=dt.timezone.utc)  # date_modified 11:59-04:00
    # An item without date_modified falls back to date_published (06:11:39-04:00).
    published_only = entries[
        f"{NPR}/2021/10/27/1049570918/the-u-s-is-set-to-appeal-the-u-k-s-refusal-to-extradite-wikileaks-assange"
        "?utm_medium=JSONFeed&utm_campaign=technology"
    ]
    assert published_only == dt.datetime(2021, 10, 27, 10, 11, 39, tzinfo=dt.timezone.utc)


# ---------------------------------------------------------------------------------------------
# JSON Feed support in feed_entries (spiders/base.py)


def json_response(document: object, url: str = JSON_FEED_URL) -> TextResponse:
    body = document if isinstance(document, bytes) else json.dumps(document).encode()
    return TextResponse(url, body=body, encoding="utf-8")


def test_json_feed_url_then_external_url() -> None:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "t",
        "items": [
            {"id": "1", "url": STORY, "external_url": "https://example.com/elsewhere"},
            {"id": "2", "external_url": BLOG_STORY},
            {"id": "3", "url": "  ", "external_url": f" {NEW_ID_STORY} "},
            {"id": "4", "content_text": "no link at all"},
        ],
    }
    assert feed_links(json_response(feed)) == [STORY, BLOG_STORY, NEW_ID_STORY]


def test_json_feed_dates() -> None:
    feed = {
        "items": [
            {"url": STORY, "date_published": "2024-01-05T05:00:00-05:00", "date_modified": "2024-01-05T07:30:00-05:00"},
            {"url": BLOG_STORY, "date_published": "2024-01-05T05:00:00Z"},
            {"url": NEW_ID_STORY, "date_modified": "not a date", "date_published": 1704448800},
        ]
    }
    assert feed_entries(json_response(feed)) == [
        (STORY, dt.datetime(2024, 1, 5, 12, 30, tzinfo=dt.timezone.utc)),
        (BLOG_STORY, dt.datetime(2024, 1, 5, 5, 0, tzinfo=dt.timezone.utc)),
        (NEW_ID_STORY, None),
    ]


def test_json_feed_with_a_byte_order_mark_and_leading_space() -> None:
    body = b"\xef\xbb\xbf \n" + json.dumps({"items": [{"url": STORY}]}).encode()
    assert feed_links(Response(JSON_FEED_URL, body=body)) == [STORY]


@pytest.mark.parametrize(
    "body",
    [
        b"{",
        b"{}",
        b'{"items": null}',
        b'{"items": {"url": "https://www.npr.org/2023/11/09/1211571220/x"}}',
        b'{"items": ["https://www.npr.org/2023/11/09/1211571220/x", 3, null]}',
        b'{"items": [{"url": 42}, {"url": ["https://www.npr.org/2023/11/09/1211571220/x"]}]}',
        b"[" * 100_000,
        b"{" + b'"a":[' * 50_000,
        b"{\x00\xff\xfe garbage",
    ],
    ids=["truncated", "empty", "null-items", "items-object", "items-not-objects", "bad-urls", "deep-list", "deep-object", "binary"],
)
@pytest.mark.parametrize("response_class", [Response, TextResponse])
def test_garbage_json_feed_gives_no_links(spider: NPRSpider, body: bytes, response_class: type[Response]) -> None:
    response = response_class(JSON_FEED_URL, body=body)
    assert feed_links(response) == []
    assert list(spider.parse_feed(response)) == []


def test_xml_feeds_are_still_read_as_xml() -> None:
    rss = f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>News</title>
<item><title>{{"looks": "like json"}}</title><link>{STORY}?utm_medium=RSS&amp;utm_campaign=news</link>
<pubDate>Thu, 09 Nov 2023 05:01:02 -0500</pubDate></item></channel></rss>"""
    entries = feed_entries(XmlResponse("https://feeds.npr.org/1001/rss.xml", body=rss.encode()))
    assert entries == [(f"{STORY}?utm_medium=RSS&utm_campaign=news", dt.datetime(2023, 11, 9, 10, 1, 2, tzinfo=dt.timezone.utc))]


# ---------------------------------------------------------------------------------------------
# RSS feeds, sitemaps, section pages

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>News : NPR</title><link>{NPR}/sections/news/</link>
<item><title>Map: Gaza damage</title><description>New analysis...</description>
<pubDate>Thu, 09 Nov 2023 05:01:02 -0500</pubDate><link>{STORY}</link><guid>1211571220</guid>
<dc:creator>Daniel Wood</dc:creator></item>
<item><title>Planet Money</title><link>{NPR}/podcasts/510289/planet-money</link><guid>510289</guid></item>
<item><title>Helene</title><link>{NEW_ID_STORY}</link><guid>nx-s1-5133462</guid></item>
</channel></rss>"""


def test_rss_feed(spider: NPRSpider) -> None:
    response = XmlResponse("https://feeds.npr.org/1001/rss.xml", body=RSS.encode())
    assert request_urls(spider.parse_feed(response)) == [STORY, NEW_ID_STORY]


SITEMAP_INDEX = f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{NPR}/sitemaps/news.xml</loc></sitemap>
<sitemap><loc>{NPR}/sitemaps/archive-2023-11.xml</loc></sitemap>
<sitemap><loc>{NPR}/sitemaps/video.xml</loc></sitemap>
</sitemapindex>"""

NEWS_SITEMAP = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{STORY}</loc><news:news><news:publication><news:name>NPR</news:name><news:language>en</news:language>
</news:publication><news:publication_date>2023-11-09T05:01:02-05:00</news:publication_date>
<news:title>Map: Gaza damage</news:title></news:news></url>
<url><loc>{NPR}/programs/morning-edition/2023/11/09/1211500000/morning-edition-for-november-9-2023</loc></url>
<url><loc>{BLOG_STORY}</loc><news:news><news:publication_date>2016-12-15T15:33:00-05:00</news:publication_date></news:news></url>
</urlset>"""


def test_sitemap_index_follows_the_news_sitemap_only(spider: NPRSpider) -> None:
    requests = list(spider.parse_sitemap(XmlResponse(f"{NPR}/sitemap.xml", body=SITEMAP_INDEX.encode())))
    assert request_urls(requests) == [f"{NPR}/sitemaps/news.xml"]


def test_news_sitemap(spider: NPRSpider) -> None:
    requests = list(spider.parse_sitemap(XmlResponse(f"{NPR}/sitemaps/news.xml", body=NEWS_SITEMAP.encode())))
    assert request_urls(requests) == [STORY, BLOG_STORY]
    assert all(r.meta["tracker_source"] == "sitemap" for r in requests)


SECTION = f"""<!DOCTYPE html><html lang="en"><head><title>World : NPR</title></head><body>
<header><nav><a href="/sections/news/">News</a><a href="/podcasts-and-shows/">Podcasts</a></nav></header>
<main><section id="overview">
<article class="item"><div class="item-info"><h2 class="title"><a href="{STORY}">Map: Gaza damage</a></h2></div></article>
<article class="item"><h2 class="title"><a href="/2024/09/30/nx-s1-5133462/hurricane-helene-north-carolina-flooding">Helene</a></h2></article>
<article class="item"><h2 class="title"><a href="{STORY}?utm_source=section">Same story again</a></h2></article>
<article class="item podcast"><a href="/podcasts/510289/planet-money">Planet Money</a></article>
<a href="/programs/morning-edition/">Morning Edition</a><a href="/people/759911798/daniel-wood">Daniel Wood</a>
<a href="/sections/world/archive?date=1-31-2024">Archive</a>
</section></main></body></html>"""


def test_section_page_keeps_article_links_only(spider: NPRSpider) -> None:
    response = HtmlResponse(f"{NPR}/sections/world/", body=SECTION.encode(), encoding="utf-8")
    requests = list(spider.parse_section(response))
    # The repeated link is one more request; Scrapy's duplicate filter drops it in a crawl.
    assert request_urls(requests) == [STORY, NEW_ID_STORY, STORY]
    assert all(r.callback == spider.parse_article and r.meta["tracker_source"] == "section" for r in requests)


def test_spider_declarations() -> None:
    assert NPRSpider.name == "npr"
    assert JSON_FEED_URL in NPRSpider.feeds
    assert all(url.startswith("https://feeds.npr.org/") for url in NPRSpider.feeds)
