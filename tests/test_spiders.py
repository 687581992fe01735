"""Tests for spiders.base and spiders.washpo without network: hand-built responses into the callbacks."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse
from twisted.internet.error import DNSLookupError, TimeoutError
from twisted.python.failure import Failure

import tracker.settings
from spiders.base import RECORDED_ERROR_STATUSES, feed_links, has_article_body
from spiders.washpo import WashingtonPostSpider
from tests.spidertools import make_spider, request_urls
from tracker.extraction import extract_article
from tracker.items import Article
from tracker.normalize import canonical_url

WAPO = "https://www.washingtonpost.com"
STORY = f"{WAPO}/politics/2024/01/05/senate-vote-budget/"
OLD_STORY = (
    f"{WAPO}/world/middle_east/israel-ambassador-to-us-sends-anti-boycott-message-with-gift"
    "/2015/12/23/652d639c-a99b-11e5-b596-113f59ee069a_story.html"
)
OPINION = f"{WAPO}/news/opinions/wp/2018/10/29/enough-platitudes-lets-name-names/"
VIDEO = f"{WAPO}/video/politics/2024/01/05/some-video/"


@pytest.fixture
def spider(tmp_path: Path) -> WashingtonPostSpider:
    return make_spider(WashingtonPostSpider, tmp_path)


def article_items(spider: WashingtonPostSpider, response: Response) -> list[Article]:
    """What parse_article yields, without a reactor: it runs the extraction in a thread."""
    fields = extract_article(response.text, response.url) if has_article_body(response) else None
    return [spider.article_item(response, fields)]


# ---------------------------------------------------------------------------------------------
# Spider arguments


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        (None, []),
        ("", []),
        (STORY, [STORY]),
        (f"{STORY},{OLD_STORY}", [STORY, OLD_STORY]),
        (f" {STORY} , ,{OPINION},", [STORY, OPINION]),
    ],
)
def test_requested_urls(tmp_path: Path, argument: str | None, expected: list[str]) -> None:
    arguments = {"url": argument} if argument is not None else {}
    spider = make_spider(WashingtonPostSpider, tmp_path, **arguments)
    assert spider.requested_urls == expected


def test_spider_sees_project_settings(spider: WashingtonPostSpider) -> None:
    assert spider.name == "washpo"
    assert spider.settings.getbool("TRACKER_KEEP_HTML") is True
    assert spider.settings.get("USER_AGENT") == tracker.settings.TRACKER_USER_AGENT


def test_article_request(spider: WashingtonPostSpider) -> None:
    request = spider.article_request(STORY.replace("https://www.", "http://m.") + "?utm_source=x", source="feed")
    assert request.url == STORY
    assert request.callback == spider.parse_article
    assert request.errback == spider.article_failed
    assert request.meta["tracker_source"] == "feed"
    assert set(RECORDED_ERROR_STATUSES) <= set(request.meta["handle_httpstatus_list"])
    assert 404 in request.meta["handle_httpstatus_list"]


# ---------------------------------------------------------------------------------------------
# is_article_url


ARTICLES = [
    STORY,
    f"{WAPO}/politics/2024/01/05/some-slug/",
    OLD_STORY,
    OPINION,
    f"{WAPO}/national/2015/03/18/some-slug",
    f"{WAPO}/business/2019/11/04/the-fed-raises-rates-again/",
]
NOT_ARTICLES = [
    f"{WAPO}/",
    f"{WAPO}/politics/",
    f"{WAPO}/world/middle_east/",
    f"{WAPO}/politics/2024/01/05/",
    f"{WAPO}/people/jane-reporter/",
    VIDEO,
    f"{WAPO}/politics/live-updates/2024/01/05/senate-vote/",
    f"{WAPO}/nation/2024/01/05/live-updates/storm-hits-coast/",
    f"{WAPO}/podcasts/post-reports/2024/01/05/episode/",
    f"{WAPO}/graphics/politics/2024/01/05/election-map/",
    f"{WAPO}/politics/2024/01/05/senate-vote-budget/comments/",
    "https://www.nytimes.com/2024/01/05/us/politics/senate-vote.html",
    "https://www.washingtonpost.com.evil.example/politics/2024/01/05/some-slug/",
    "https://notwashingtonpost.com/politics/2024/01/05/some-slug/",
    "https://www.washingtonpost.com:8080/politics/2024/01/05/some-slug/",
    "https://feeds.washingtonpost.com/rss/politics",
]


@pytest.mark.parametrize("url", ARTICLES)
def test_article_urls_are_accepted(spider: WashingtonPostSpider, url: str) -> None:
    assert spider.is_article_url(canonical_url(url))


@pytest.mark.parametrize("url", NOT_ARTICLES)
def test_other_urls_are_rejected(spider: WashingtonPostSpider, url: str) -> None:
    assert not spider.is_article_url(canonical_url(url))


@pytest.mark.parametrize(
    "variant",
    [
        STORY + "?utm_source=rss&utm_medium=feed",
        STORY + "?itid=hp-top-table-main_p001_f001",
        STORY + "?outputType=amp",
        STORY + "#comments",
        STORY.replace("https://www.", "http://m."),
        OLD_STORY.replace(".com/", ".com/amphtml/"),
    ],
)
def test_url_variants_of_articles_are_accepted_once_canonical(spider: WashingtonPostSpider, variant: str) -> None:
    assert spider.is_article_url(canonical_url(variant))


# ---------------------------------------------------------------------------------------------
# Feeds

RSS2 = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Politics</title><link>{WAPO}/politics/</link>
<item><title>A</title><link>
  {STORY}?utm_source=rss&amp;utm_medium=feed </link><guid isPermaLink="false">id-1</guid></item>
<item><title>B</title><link>{VIDEO}</link></item>
<item><title>C</title><link>{OLD_STORY}</link></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Opinions</title>
<link rel="self" href="https://feeds.washingtonpost.com/atom/opinions"/>
<link rel="alternate" href="{WAPO}/opinions/"/>
<entry><title>A</title>
  <link rel="self" href="https://feeds.washingtonpost.com/atom/entry/1"/>
  <link rel="enclosure" type="image/jpeg" href="https://img.example/photo.jpg"/>
  <link rel="alternate" type="text/html" href="{OPINION}"/>
</entry>
<entry><title>B</title><link href="{STORY}"/></entry>
<entry><title>C</title><link rel="replies" href="{WAPO}/comments/c/"/></entry>
</feed>"""

RDF = f"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="{WAPO}/"><title>World</title><link>{WAPO}/world/</link></channel>
<item rdf:about="{OLD_STORY}"><title>A</title><link>{OLD_STORY}</link></item>
<item rdf:about="{STORY}"><title>B</title><link>{STORY}</link></item>
</rdf:RDF>"""

GUID_ONLY = f"""<rss version="2.0"><channel><title>t</title>
<item><title>A</title><guid>{STORY}</guid></item>
<item><title>B</title><guid isPermaLink="false">urn:uuid:1234</guid></item>
<item><title>C</title><guid isPermaLink="true">{OPINION}</guid></item>
</channel></rss>"""


def test_rss2_feed_links(spider: WashingtonPostSpider) -> None:
    response = XmlResponse("https://feeds.washingtonpost.com/rss/politics", body=RSS2.encode())
    assert feed_links(response) == [STORY + "?utm_source=rss&utm_medium=feed", VIDEO, OLD_STORY]
    requests = list(spider.parse_feed(response))
    assert request_urls(requests) == [STORY, OLD_STORY]
    assert all(r.callback == spider.parse_article and r.meta["tracker_source"] == "feed" for r in requests)


def test_atom_feed_takes_alternate_links_only() -> None:
    links = feed_links(XmlResponse("https://feeds.washingtonpost.com/atom/opinions", body=ATOM.encode()))
    assert links == [OPINION, STORY]


def test_rdf_feed_links_skip_the_channel() -> None:
    links = feed_links(XmlResponse("https://feeds.washingtonpost.com/rdf/world", body=RDF.encode()))
    assert links == [OLD_STORY, STORY]


def test_feed_with_only_guid_permalinks() -> None:
    links = feed_links(XmlResponse("https://feeds.washingtonpost.com/rss/x", body=GUID_ONLY.encode()))
    assert links == [STORY, OPINION]


def test_feed_in_a_plain_response_and_in_latin1() -> None:
    body = RSS2.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace("<title>A</title>", "<title>Caf\u00e9</title>")
    for response_class in (Response, XmlResponse, TextResponse):
        links = feed_links(response_class("https://feeds.washingtonpost.com/rss/politics", body=body.encode("latin-1")))
        assert links[0] == STORY + "?utm_source=rss&utm_medium=feed" and len(links) == 3


GARBAGE = [
    b"",
    b"\x00\xff\xfe garbage <<< >>> &&&",
    bytes(range(256)),
    b"\x1f\x8b\x08\x00truncated gzip",
    b"<html><body><p>Not a feed</p></body></html>",
    b"<rss><channel><item><link>",
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><rss>&b;</rss>',
]


@pytest.mark.parametrize("body", GARBAGE)
@pytest.mark.parametrize("response_class", [Response, XmlResponse, HtmlResponse])
def test_garbage_feed_gives_no_links(spider: WashingtonPostSpider, response_class: type[Response], body: bytes) -> None:
    response = response_class("https://feeds.washingtonpost.com/rss/politics", body=body)
    assert feed_links(response) == []
    assert list(spider.parse_feed(response)) == []


def test_bad_links_in_a_feed_do_not_lose_the_good_ones(spider: WashingtonPostSpider) -> None:
    body = f"""<rss version="2.0"><channel>
<item><link>https://www.washingtonpost.com:99999/politics/2024/01/05/x/</link></item>
<item><link>https://www.washingtonpost.com:port/politics/2024/01/05/y/</link></item>
<item><link>http://[oops/politics/2024/01/05/z/</link></item>
<item><link>{STORY}</link></item></channel></rss>"""
    response = XmlResponse("https://feeds.washingtonpost.com/rss/politics", body=body.encode())
    assert request_urls(spider.parse_feed(response)) == [STORY]


def test_a_feed_link_over_the_url_length_limit_is_one_warning_not_a_silent_drop(
    spider: WashingtonPostSpider, caplog: pytest.LogCaptureFixture
) -> None:
    long_story = f"{WAPO}/politics/2024/01/05/{'a' * 2100}/"
    body = f"""<rss version="2.0"><channel>
<item><link>{long_story}</link></item><item><link>{STORY}</link></item></channel></rss>"""
    response = XmlResponse("https://feeds.washingtonpost.com/rss/politics", body=body.encode())
    assert request_urls(spider.parse_feed(response)) == [STORY]
    [warning] = [record for record in caplog.records if record.levelname == "WARNING"]
    line = warning.getMessage()
    length = len(long_story)  # canonical and ASCII already: requested as it is
    assert f"feed link of {length} characters, over URLLENGTH_LIMIT (2083)" in line
    assert f"-s URLLENGTH_LIMIT={length}" in line and len(line) < 400
    assert spider.crawler.stats.get_value("tracker/discovery/url_too_long") == 1


# ---------------------------------------------------------------------------------------------
# Sitemaps

URLSET = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{STORY}</loc><news:news><news:publication><news:name>The Washington Post</news:name>
<news:language>en</news:language></news:publication><news:publication_date>2024-01-05T10:00:00Z</news:publication_date>
<news:title>Senate votes</news:title></news:news></url>
<url><loc>{VIDEO}</loc></url>
<url><loc>{WAPO}/politics/</loc></url>
<url><loc>{OLD_STORY}?utm_source=sitemap</loc></url>
<url><loc>https://www.example.com/politics/2024/01/05/other-site/</loc></url>
</urlset>"""

SITEMAP_INDEX = f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{WAPO}/sitemaps/news-sitemap-1.xml</loc></sitemap>
<sitemap><loc>{WAPO}/sitemaps/video-sitemap.xml</loc></sitemap>
<sitemap><loc>/sitemaps/news-sitemap-2.xml.gz</loc></sitemap>
<sitemap><loc>http://[oops/sitemaps/news-sitemap-3.xml</loc></sitemap>
<sitemap><loc>{WAPO}:99999/sitemaps/news-sitemap-4.xml</loc></sitemap>
</sitemapindex>"""

SITEMAP_URL = f"{WAPO}/sitemaps/news-sitemap.xml"


def test_news_sitemap(spider: WashingtonPostSpider) -> None:
    requests = list(spider.parse_sitemap(XmlResponse(SITEMAP_URL, body=URLSET.encode())))
    assert request_urls(requests) == [STORY, OLD_STORY]
    assert all(r.callback == spider.parse_article and r.meta["tracker_source"] == "sitemap" for r in requests)


def test_gzipped_news_sitemap(spider: WashingtonPostSpider) -> None:
    response = Response(SITEMAP_URL + ".gz", body=gzip.compress(URLSET.encode()))
    assert request_urls(spider.parse_sitemap(response)) == [STORY, OLD_STORY]


def test_sitemap_index_follows_matching_sub_sitemaps(spider: WashingtonPostSpider) -> None:
    spider.sitemap_follow = re.compile(r"news-sitemap")
    requests = list(spider.parse_sitemap(XmlResponse(SITEMAP_URL, body=SITEMAP_INDEX.encode())))
    assert request_urls(requests) == [f"{WAPO}/sitemaps/news-sitemap-1.xml", f"{WAPO}/sitemaps/news-sitemap-2.xml.gz"]
    assert all(r.callback == spider.parse_sitemap and r.meta["tracker_source"] == "sitemap" for r in requests)


def test_sitemap_index_follows_everything_by_default(spider: WashingtonPostSpider) -> None:
    requests = list(spider.parse_sitemap(XmlResponse(SITEMAP_URL, body=SITEMAP_INDEX.encode())))
    assert f"{WAPO}/sitemaps/video-sitemap.xml" in request_urls(requests)
    assert len(requests) == 3


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<urlset><url><loc>",
        b"garbage\x00\xff\xfe",
        b"<html><body>Not found</body></html>",
        b"\x1f\x8bnot really gzip",
        gzip.compress(URLSET.encode())[:40],  # truncated download
        gzip.compress(b"\x00\xff garbage inside good gzip"),
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><urlset><url><loc>&b;</loc></url></urlset>',
    ],
    ids=["empty", "unclosed", "binary", "html", "bad-gzip", "truncated-gzip", "gzipped-garbage", "entities"],
)
def test_malformed_sitemap_gives_no_requests(spider: WashingtonPostSpider, body: bytes) -> None:
    assert list(spider.parse_sitemap(Response(SITEMAP_URL, body=body))) == []


def test_gzipped_sitemap_over_the_size_limit_is_skipped(tmp_path: Path) -> None:
    spider = make_spider(WashingtonPostSpider, tmp_path, {"DOWNLOAD_MAXSIZE": 1_000})
    body = gzip.compress(URLSET.encode() + b"<!--" + b" " * 100_000 + b"-->")
    assert list(spider.parse_sitemap(Response(SITEMAP_URL + ".gz", body=body))) == []


# ---------------------------------------------------------------------------------------------
# Section pages

SECTION = f"""<!DOCTYPE html><html><head><title>Politics</title></head><body>
<nav><a href="/">Home</a><a href="/politics/">Politics</a><a href="/world/">World</a></nav>
<main>
<a href="/politics/2024/01/05/senate-vote-budget/?itid=hp-top-table-main">Senate votes</a>
<a href="2024/01/06/relative-to-the-section/">Relative link</a>
<a href="  {OLD_STORY}#comments ">Old story</a>
<a href="/video/politics/2024/01/05/some-video/">Video</a>
<a href="/politics/live-updates/2024/01/05/senate-vote/">Live updates</a>
<a href="/people/jane-reporter/">Jane Reporter</a>
<a href="https://www.nytimes.com/2024/01/05/us/politics/senate-vote.html">Elsewhere</a>
<a href="javascript:void(0)">Share</a><a href="mailto:tips@example.com">Tips</a><a href="#top">Top</a>
<a href="http://[oops/politics/2024/01/05/broken/">Broken host</a>
<a href="https://www.washingtonpost.com:99999/politics/2024/01/05/bad-port/">Bad port</a>
<a href="{OPINION}">Opinion</a>
</main></body></html>"""


def test_section_page_keeps_article_links_only(spider: WashingtonPostSpider) -> None:
    # The response URL is the real one, even when the page came from a mirror.
    response = HtmlResponse(f"{WAPO}/politics/", body=SECTION.encode(), encoding="utf-8")
    requests = list(spider.parse_section(response))
    assert request_urls(requests) == [
        STORY,
        f"{WAPO}/politics/2024/01/06/relative-to-the-section/",
        OLD_STORY,
        OPINION,
    ]
    assert all(r.callback == spider.parse_article and r.meta["tracker_source"] == "section" for r in requests)


def test_section_page_that_is_no_text(spider: WashingtonPostSpider) -> None:
    assert list(spider.parse_section(Response(f"{WAPO}/politics/", body=b"\x00\x01binary"))) == []


# ---------------------------------------------------------------------------------------------
# Articles

PARAGRAPHS = [
    "The Senate voted late Thursday to approve a stopgap budget that keeps the government open.",
    "The measure passed 77 to 19 after a long night of debate among the senators.",
]
ARTICLE_PAGE = f"""<!DOCTYPE html>
<html lang="en-US"><head><meta charset="utf-8">
<title>Senate approves stopgap budget - The Washington Post</title>
<link rel="canonical" href="{STORY}">
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Senate approves stopgap budget", "datePublished": "2024-01-05T10:00:00Z",
 "author": [{{"@type": "Person", "name": "Jane Reporter"}}], "isAccessibleForFree": false}}</script>
</head><body><main><article>
<h1 data-qa="headline"><span data-qa="headline-text">Senate approves stopgap budget</span></h1>
<div data-qa="author-byline"><a data-qa="author-name" rel="author" href="/people/jane-reporter/">Jane Reporter</a></div>
<div class="wpds-c-PJLV article-body" data-qa="article-body"><p data-el="text">{PARAGRAPHS[0]}</p></div>
<div class="wpds-c-PJLV article-body" data-qa="article-body"><div data-qa="article-body-ad">Story continues below advertisement</div></div>
<div class="wpds-c-PJLV article-body" data-qa="article-body"><p data-el="text">{PARAGRAPHS[1]}</p></div>
</article></main></body></html>"""


def test_parse_article(spider: WashingtonPostSpider) -> None:
    request = spider.article_request(STORY, source="argument")
    response = HtmlResponse(STORY, body=ARTICLE_PAGE.encode(), request=request, headers={"ETag": '"v1"'})
    items = article_items(spider, response)
    assert len(items) == 1
    item = items[0]
    assert isinstance(item, Article)
    assert item.status == 200
    assert item.outlet == "washpo"
    assert item.url == STORY and item.final_url == STORY
    assert item.headline == "Senate approves stopgap budget"
    assert item.paragraphs == PARAGRAPHS
    assert item.authors == ["Jane Reporter"]
    assert item.etag == '"v1"'
    assert item.error is None
    assert item.fetched_at and item.fetched_at.endswith("+00:00")
    assert item.duration_ms is not None and item.duration_ms >= 0
    assert item.html == ARTICLE_PAGE


def test_parse_article_keeps_the_requested_url_after_a_redirect(spider: WashingtonPostSpider) -> None:
    requested = f"{WAPO}/politics/2024/01/05/senate-vote/"
    request = spider.article_request(requested, source="feed")
    redirected = request.replace(url=STORY, meta={**request.meta, "redirect_urls": [requested]})
    response = HtmlResponse(STORY, body=ARTICLE_PAGE.encode(), request=redirected)
    (item,) = article_items(spider, response)
    assert item.url == requested
    assert item.final_url == STORY
    assert item.status == 200 and item.paragraphs == PARAGRAPHS


def test_parse_article_without_keep_html(tmp_path: Path) -> None:
    spider = make_spider(WashingtonPostSpider, tmp_path, {"TRACKER_KEEP_HTML": False})
    request = spider.article_request(STORY, source="argument")
    (item,) = article_items(spider, HtmlResponse(STORY, body=ARTICLE_PAGE.encode(), request=request))
    assert item.html is None and item.paragraphs == PARAGRAPHS


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_parse_article_error_status(spider: WashingtonPostSpider, status: int) -> None:
    request = spider.article_request(STORY, source="recheck")
    body = b"<html><body><h1>Page not found</h1><p>We could not find the page you were looking for.</p></body></html>"
    (item,) = article_items(spider, HtmlResponse(STORY, status=status, body=body, request=request))
    assert item.status == status
    assert item.url == STORY and item.outlet == "washpo"
    assert item.paragraphs == [] and item.headline is None and item.html is None


def test_parse_article_that_is_no_text(spider: WashingtonPostSpider) -> None:
    request = spider.article_request(STORY, source="argument")
    (item,) = article_items(spider, Response(STORY, body=b"%PDF-1.4 binary", request=request))
    assert item.status == 200 and item.paragraphs == [] and item.url == STORY


@pytest.mark.parametrize(
    ("error", "name"),
    [(DNSLookupError("no such host"), "DNSLookupError"), (TimeoutError("took too long"), "TimeoutError")],
)
def test_article_failed(spider: WashingtonPostSpider, error: Exception, name: str) -> None:
    requested = f"{WAPO}/politics/2024/01/05/senate-vote/"
    request = spider.article_request(requested, source="feed")
    request = request.replace(url=STORY, meta={**request.meta, "redirect_urls": [requested]})
    failure = Failure(error)
    failure.request = request  # type: ignore[attr-defined]
    (item,) = spider.article_failed(failure)
    assert isinstance(item, Article)
    assert item.status is None
    assert item.url == requested and item.outlet == "washpo"
    assert item.error is not None and item.error.startswith(name + ":")
    assert str(error.args[0]) in item.error
    assert item.paragraphs == []


def test_rechecks_are_the_due_articles_most_overdue_first_capped(tmp_path: Path) -> None:
    from tracker.revisions import Recorder
    from tracker.store import open_store

    import datetime as dt

    now = dt.datetime(2024, 1, 5, 12, tzinfo=dt.timezone.utc)
    spider = make_spider(WashingtonPostSpider, tmp_path, settings={"TRACKER_MAX_RECHECKS": 2, "TRACKER_NOW": now.isoformat()})
    body = ["The council approved the budget on Tuesday after a long debate about its costs."]
    with open_store(spider.settings["TRACKER_STORE"]) as store:
        recorder = Recorder(store)
        # First seen 60, 30 and 5 minutes before `now`: due 45 and 15 minutes ago, and in 10.
        for minutes, slug in ((5, "fresh"), (30, "older"), (60, "oldest")):
            recorder.record({"url": f"https://www.washingtonpost.com/politics/2024/01/05/{slug}/", "outlet": "washpo",
                             "status": 200, "fetched_at": (now - dt.timedelta(minutes=minutes)).isoformat(),
                             "headline": slug, "paragraphs": body})
    requests = list(spider.recheck_requests())
    assert request_urls(requests) == [
        "https://www.washingtonpost.com/politics/2024/01/05/oldest/",
        "https://www.washingtonpost.com/politics/2024/01/05/older/",
    ]
    assert all(r.meta["tracker_source"] == "recheck" for r in requests)
    assert spider.crawler.stats.get_value("tracker/rechecks/due") == 2
