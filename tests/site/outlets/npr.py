"""NPR, as served by the local fixture site (the story layout of 2016-2024)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape

from tests.site import pages

SPIDER = "npr"
HOSTS = ("www.npr.org", "feeds.npr.org")
# One article per discovery source: JSON feed, news sitemap (behind the sitemap index), section.
ARTICLE_URLS = (
    "https://www.npr.org/2024/01/05/1223456789/senate-vote-budget",
    "https://www.npr.org/sections/goatsandsoda/2024/01/05/1223456790/summit-ends-without-deal",
    "https://www.npr.org/2024/01/04/nx-s1-4712345/storm-hits-coast",
)
# Links discovery must leave alone.
NON_ARTICLE_URLS = (
    "https://www.npr.org/podcasts/510289/planet-money",
    "https://www.npr.org/programs/morning-edition/2024/01/05/1223456791/morning-edition-for-january-5-2024",
    "https://www.npr.org/people/348741/jane-reporter",
    "https://www.npr.org/sections/world/",
)


def json_feed(title: str, links: Sequence[str]) -> str:
    """A JSON Feed 1 document like feeds.npr.org/<id>/feed.json."""
    items = [
        {
            "id": str(number),
            "url": link,
            "title": f"Story {number}",
            "content_html": "<p>Summary.</p>",
            "date_published": "2024-01-05T05:00:00-05:00",
            "date_modified": "2024-01-05T07:00:00-05:00",
        }
        for number, link in enumerate(links)
    ]
    return json.dumps({"version": "https://jsonfeed.org/version/1", "title": title, "items": items})


def discovery_pages(article_urls: Sequence[str]) -> dict[str, tuple[str | bytes, str]]:
    """Path -> (body, content type) of the feed, sitemaps and section page listing the articles."""
    feed_url, sitemap_url, section_url = article_urls
    feed = json_feed("Technology", [feed_url + "?utm_medium=JSONFeed&utm_campaign=technology", *NON_ARTICLE_URLS])
    index = pages.sitemap_index(
        ["https://www.npr.org/sitemaps/news.xml", "https://www.npr.org/sitemaps/archive-2001.xml"]
    )
    return {
        "/1019/feed.json": (feed, "application/json"),
        "/sitemap.xml": (index, pages.XML_TYPE),
        "/sitemaps/news.xml": (pages.news_sitemap([sitemap_url, NON_ARTICLE_URLS[0]]), pages.XML_TYPE),
        "/sections/world/": (pages.section_page([section_url, *NON_ARTICLE_URLS]), pages.HTML_TYPE),
    }


@pages.article_layout(published="2024-01-05T05:00:00-05:00", modified="2024-01-05T07:00:00-05:00")
def article_page(article: pages.Article) -> str:
    """An NPR story page: ``div#storytext`` with photos, related-story links, an audio player
    and a newsletter box in ``div.bucketwrap`` and ad slots in ``aside``."""
    jsonld = pages.news_article_jsonld(
        article,
        author={"@type": "Person", "name": list(article.authors)},
        mainEntityOfPage={"@type": "WebPage", "@id": article.url},
        publisher={"@type": "Organization", "name": "NPR"},
    )
    bylines = "".join(
        '<div class="byline byline--block byline--has-link" aria-label="Byline">'
        f'<p class="byline__name byline__name--block"><a href="https://www.npr.org/people/1/x" rel="author">{escape(name)}</a></p></div>'
        for name in article.authors
    )
    body = pages.with_noise(
        (f"<p>{escape(paragraph)}</p>" for paragraph in article.paragraphs),
        {
            0: [
                '<div id="res1" class="bucketwrap image x-large"><div class="imagewrap has-source-dimensions">'
                '<img src="https://media.npr.org/assets/img/photo.jpg" alt=""></div>'
                '<div class="credit-caption"><div class="caption-wrap"><div class="caption" aria-label="Image caption">'
                "<p>A photo caption that is not part of the story. <b class=\"credit\">Photographer/AP</b></p></div></div>"
                '<span class="credit">Photographer/AP</span><b class="toggle-caption"><b class="hide-caption"><b>hide caption</b></b></b></div></div>',
                '<aside id="ad-backstage-wrap" aria-label="advertisement">'
                '<div id="ad-backstage-News_World" class="ad-config ad-backstage"></div></aside>',
            ],
            1: [
                '<div id="res2" class="bucketwrap internallink insettwocolumn inset2col"><div class="bucket img">'
                '<a href="https://www.npr.org/2024/01/01/1223450000/a-related-story"><p class="bucket-desc">A related story</p></a></div></div>',
                '<div id="res3" class="bucketwrap newsletter-signup"><div class="newsletter">'
                "<h3>Sign up for the Up First newsletter</h3><p>The news you need to start your day.</p>"
                '<form><input type="email"><button>Subscribe</button></form></div></div>',
            ],
        },
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(article.headline)} : NPR</title>
<link rel="canonical" href="{escape(article.url)}">
<meta property="og:title" content="{escape(article.headline)}">
<meta property="og:type" content="article">
{jsonld}
</head><body>
<header class="npr-header"><nav><a href="https://www.npr.org/sections/news/">News</a></nav></header>
<section id="main-section"><article class="story"><a id="mainContent"></a>
<div class="storytitle"><h1>{escape(article.headline)}</h1></div>
<div class="share-tools"><ul><li><button>Facebook</button></li><li><button>Email</button></li></ul></div>
<div id="story-meta" class="story-meta has-byline">
<div class="story-meta__one"><div class="dateblock"><time datetime="{article.published}"><span class="date">January 5, 2024</span><span class="time">5:00 AM ET</span></time></div></div>
<div class="story-meta__two"><div id="storybyline" class="storybyline-wrap linkLocation"><div class="bucketwrap byline">
<div class="byline-container--block"><p class="byline__name--block">By&nbsp;</p>{bylines}</div></div></div></div>
</div>
<div id="storytext" class="storytext storylocation linkLocation">
{"".join(body)}
</div>
</article>
<aside class="recommended"><h2>More Stories From NPR</h2><a href="https://www.npr.org/2024/01/02/1223450001/x">Other story</a></aside>
</section></body></html>
"""
