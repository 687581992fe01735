"""Discovery for The Guardian without network: which links are articles, and what the feeds,
the news sitemap and the section fronts yield (hand-built responses, the real UK feed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, XmlResponse

from spiders.base import feed_links
from spiders.guardian import GuardianSpider
from tests.realpages import outlet_cases
from tests.spidertools import make_spider, real_feed, request_urls
from tracker.extraction import extract_article
from tracker.normalize import canonical_url

GU = "https://www.theguardian.com"
STORY = f"{GU}/politics/2024/jan/05/senate-vote-budget"
LIVE = f"{GU}/world/live/2024/jan/05/summit-live"


@pytest.fixture
def spider(tmp_path: Path) -> GuardianSpider:
    return make_spider(GuardianSpider, tmp_path)


# ---------------------------------------------------------------------------------------------
# is_article_url

# Every era of the saved real pages (guardian.co.uk 2011-2012, theguardian.com 2014-2022,
# a 2011 live blog), as their expected.json gives them.
REAL_PAGE_URLS = sorted({page.url for page in outlet_cases("guardian")})

ARTICLES = [
    STORY,
    LIVE,  # a live blog is one article: its entries are its paragraphs
    f"{GU}/commentisfree/2024/jan/05/some-opinion-piece",
    f"{GU}/news/2024/jan/05/the-long-read-some-slug",
    f"{GU}/us-news/2019/may/08/trump-news-live-barr-contempt",
    f"{GU}/world/2024/jan/05/g7-summit-2024",
    f"{STORY}?CMP=Share_iOSApp_Other",
    f"{STORY}?utm_source=rss",
    f"{LIVE}#block-6597a1b2",
    "https://amp.theguardian.com/politics/2024/jan/05/senate-vote-budget",
    "http://www.guardian.co.uk/business/2012/jan/27/anger-grows-rbs-chiefs-bonus",
]
NOT_ARTICLES = [
    f"{GU}/",
    f"{GU}/uk",
    f"{GU}/politics",
    f"{GU}/world/syria",  # tag page
    f"{GU}/profile/richardadams",
    f"{GU}/world/series/the-long-read",
    f"{GU}/politics/video/2024/jan/05/senate-vote-budget-video",
    f"{GU}/world/gallery/2024/jan/05/summit-in-pictures",
    f"{GU}/news/audio/2024/jan/05/today-in-focus-podcast",
    f"{GU}/commentisfree/picture/2024/jan/05/cartoon-of-the-day",
    f"{GU}/crosswords/cryptic/29270",
    f"{LIVE}?page=with:block-6597a1b2",  # one entry of a live blog
    f"{LIVE}?filterKeyEvents=false&page=with:block-6597a1b2",
    f"{GU}/politics/2024/jan/05",
    f"{GU}/politics/2024/jan/05/senate-vote-budget/comments",
    f"{GU}/politics/rss",
    "https://www.nytimes.com/2024/01/05/us/politics/senate-budget-vote.html",
    "https://www.theguardian.com.evil.example/politics/2024/jan/05/senate-vote-budget",
    "https://www.theguardian.com:8443/politics/2024/jan/05/senate-vote-budget",
]


def test_the_real_pages_span_the_eras_and_hosts() -> None:
    assert any("//www.guardian.co.uk/" in url for url in REAL_PAGE_URLS)
    assert any("//www.theguardian.com/" in url for url in REAL_PAGE_URLS)
    assert any("-live/2011/" in url for url in REAL_PAGE_URLS)


@pytest.mark.parametrize("url", REAL_PAGE_URLS + ARTICLES)
def test_article_urls_are_accepted(spider: GuardianSpider, url: str) -> None:
    assert spider.is_article_url(canonical_url(url))


@pytest.mark.parametrize("url", NOT_ARTICLES)
def test_other_urls_are_rejected(spider: GuardianSpider, url: str) -> None:
    assert not spider.is_article_url(canonical_url(url))


# ---------------------------------------------------------------------------------------------
# The real UK feed (RSS 2.0 with video, gallery and podcast items)


def test_real_uk_feed(spider: GuardianSpider) -> None:
    response = real_feed(f"{GU}/uk/rss", "guardian-uk.xml")
    links = feed_links(response)
    assert len(links) == 95
    requests = request_urls(spider.parse_feed(response))
    assert len(requests) == 80 == len(set(requests))  # minus 6 videos, 6 galleries, 3 podcasts
    assert requests[0] == f"{GU}/politics/2019/may/08/theresa-may-rebuffs-fresh-calls-to-resign"
    assert f"{GU}/us-news/live/2019/may/08/trump-news-live-barr-contempt-hearing-mueller-report-latest-updates-today" in requests
    assert not any(part in url for url in requests for part in ("/video/", "/gallery/", "/audio/"))
    assert all(r.meta["tracker_source"] == "feed" for r in spider.parse_feed(response))


# ---------------------------------------------------------------------------------------------
# News sitemap (https://www.theguardian.com/sitemaps/news.xml: one Google News urlset)

SITEMAP = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
 xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
<url><loc>{STORY}</loc>
<news:news><news:publication><news:name>The Guardian</news:name><news:language>en</news:language>
</news:publication><news:publication_date>2024-01-05T10:00:00Z</news:publication_date>
<news:title>Senate votes</news:title><news:keywords>Politics, US news</news:keywords></news:news>
<image:image><image:loc>https://i.guim.co.uk/img/media/photo.jpg</image:loc></image:image></url>
<url><loc>{GU}/politics/video/2024/jan/05/senate-vote-budget-video</loc></url>
<url><loc>{LIVE}</loc><news:news><news:publication_date>2024-01-05T07:00:00Z</news:publication_date></news:news></url>
<url><loc>{GU}/world/gallery/2024/jan/05/summit-in-pictures</loc></url>
</urlset>"""


def test_news_sitemap(spider: GuardianSpider) -> None:
    response = XmlResponse(f"{GU}/sitemaps/news.xml", body=SITEMAP.encode())
    requests = list(spider.parse_sitemap(response))
    assert request_urls(requests) == [STORY, LIVE]
    assert all(r.meta["tracker_source"] == "sitemap" for r in requests)


# ---------------------------------------------------------------------------------------------
# Section fronts (DCR fronts: relative and absolute links, tag links, live-blog entry links)

SECTION = f"""<!DOCTYPE html><html lang="en"><head><title>Politics | The Guardian</title></head>
<body><header><nav><a href="/uk">News</a><a href="/politics">Politics</a></nav></header>
<main><section id="headlines"><ul>
<li><a href="/politics/2024/jan/05/senate-vote-budget" data-link-name="article">Senate votes</a></li>
<li><a href="https://www.theguardian.com/world/live/2024/jan/05/summit-live">Live</a>
<a href="/world/live/2024/jan/05/summit-live?page=with:block-6597a1b2#block-6597a1b2">Latest entry</a></li>
<li><a href="/politics/video/2024/jan/05/senate-vote-budget-video">Video</a></li>
<li><a href="/profile/jane-reporter">Jane Reporter</a><a href="/politics/conservatives">Conservatives</a></li>
<li><a href="//www.theguardian.com/commentisfree/2024/jan/04/an-opinion">Opinion</a></li>
</ul></section><a href="https://www.theguardian.com/politics?page=2">More</a></main></body></html>"""


def test_section_front_keeps_article_links_only(spider: GuardianSpider) -> None:
    response = HtmlResponse(f"{GU}/politics", body=SECTION.encode(), encoding="utf-8")
    assert request_urls(spider.parse_section(response)) == [STORY, LIVE, f"{GU}/commentisfree/2024/jan/04/an-opinion"]


def test_spider_declarations() -> None:
    assert GuardianSpider.name == "guardian"
    for url in (*GuardianSpider.feeds, *GuardianSpider.sitemaps, *GuardianSpider.sections):
        assert url.startswith(f"{GU}/")
        assert not GuardianSpider.article_url_pattern.search(url)


# ---------------------------------------------------------------------------------------------
# A current (DCR) live blog: no saved page has this layout, so here is its markup as
# dotcom-rendering's LiveBlock / PinnedPost components write it.

LIVE_BLOG = f"""<!DOCTYPE html><html lang="en"><head>
<meta property="og:title" content="Summit live: leaders meet">
<meta property="article:published_time" content="2024-01-05T07:00:00.000Z">
<script type="application/ld+json">{{"@type": "LiveBlogPosting", "headline": "Summit live: leaders meet"}}</script>
</head><body><main><article>
<div data-gu-name="headline"><h1>Summit live: leaders meet</h1></div>
<div data-gu-name="standfirst"><p>The summary under the headline</p></div>
<div data-gu-name="body"><div id="maincontent">
<div id="liveblog-body" class="js-liveblog-body">
<div id="pinned-post" data-gu-marker="pinned-post" data-component="pinned-post">
 <div><div>From <time>2h ago</time></div></div>
 <div id="collapsible-body"><article class="block"><header><h2>Welcome</h2></header>
 <p>A copy of the pinned entry.</p></article></div></div>
<gu-island name="KeyEventsCarousel"><ul><li>Key event: leaders arrive</li></ul></gu-island>
<div id="top-of-blog"></div>
<article id="block-65a1" class="block">
 <header><div><a href="{LIVE}?page=with:block-65a1#block-65a1" data-ignore="global-link-styling">
 <time datetime="2024-01-05T09:03:00.000Z" data-relativeformat="med">3m ago</time><span>09.03 GMT</span></a></div>
 <h2>Leaders arrive</h2>
 <div><div><img src="https://i.guim.co.uk/profile.png" alt="Jane Reporter"></div><span>Jane Reporter</span></div></header>
 <p>The leaders arrived at the venue this morning.</p>
 <figure><img src="https://i.guim.co.uk/photo.jpg" alt=""><figcaption>A caption. Photograph: Agency</figcaption></figure>
 <p>Talks are expected to last all day.</p>
 <footer><gu-island name="ShareButton"><button>Share</button></gu-island><div><p>Updated at 09.10 GMT</p></div></footer>
</article>
<div class="ad-slot-container"><div class="ad-slot ad-slot--liveblog-inline"><p>Advertisement</p></div></div>
<article id="block-659f" class="block">
 <header><div><a href="{LIVE}?page=with:block-659f#block-659f"><time datetime="2024-01-05T07:00:00.000Z">2h ago</time>
 <span>07.00 GMT</span></a></div></header>
 <p>Welcome to our live coverage of the summit.</p>
 <footer><gu-island name="ShareButton"><button>Share</button></gu-island></footer>
</article>
</div></div></div></article></main></body></html>"""


def test_dcr_live_blog_reads_the_entries_without_their_furniture() -> None:
    article = extract_article(LIVE_BLOG, LIVE)
    assert article["extractor"] == "guardian"
    assert article["paragraphs"] == [
        "Leaders arrive",
        "The leaders arrived at the venue this morning.",
        "Talks are expected to last all day.",
        "Welcome to our live coverage of the summit.",
    ]
