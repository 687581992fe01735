"""The Independent, as served by the local fixture site."""

from __future__ import annotations

from html import escape

from tests.site import pages

SPIDER = "independent"
HOSTS = ("www.independent.co.uk",)
# One article per discovery source: feed, news sitemap, section page.
ARTICLE_URLS = (
    "https://www.independent.co.uk/news/uk/politics/commons-budget-vote-b2466021.html",
    "https://www.independent.co.uk/news/world/europe/summit-ends-without-deal-b2466022.html",
    "https://www.independent.co.uk/news/uk/home-news/storm-hits-coast-b2466023.html",
)
# Links discovery must leave alone.
NON_ARTICLE_URLS = (
    "https://www.independent.co.uk/tv/news/commons-budget-vote-video-b2466024.html",
    "https://www.independent.co.uk/author/jane-reporter",
    "https://www.independent.co.uk/topic/budget",
)


discovery_pages = pages.feed_sitemap_section(
    NON_ARTICLE_URLS,
    feed=("/news/rss", "The Independent"),
    sitemap="/sitemaps/googlenews",
    section="/news/uk",
)


@pages.article_layout(published="2024-01-05T10:00:00.000Z", modified="2024-01-05T12:00:00.000Z")
def article_page(article: pages.Article) -> str:
    """An Independent article page of the current (2020-) layout: ``div > p`` in ``div#main``
    (hashed styled-components classes), with ad slots, a picture gallery, a newsletter box and
    a "Read more" aside between the paragraphs."""
    jsonld = pages.news_article_jsonld(article)
    bylines = "".join(
        f'<a href="/author/x" class="sc-pJjas iiCUYi">{escape(name)}</a><div class="sc-oTDcV">Political Editor</div>'
        for name in article.authors
    )
    blocks = pages.with_noise(
        (f'<div class="sc-qOiPt jpYiwZ"><p>{escape(paragraph)}</p></div>' for paragraph in article.paragraphs),
        {
            0: [
                '<div class="sc-pkSSX btvsgJ"><div class="sc-qXTwe mobile-only"><div data-mpu="true"'
                ' data-tile-name="mpu1"></div></div></div>'
                '<div class="sc-pHHLp bjoCBy"><div class="sc-qYVps gallery-btn" role="button"><header>'
                '<h2>UK news in pictures</h2><span>Show all 50</span></header><div data-gallery-length="50">'
                "<figure><img src=\"/photo.jpg\" alt=\"\"><figcaption><p>A photo caption that is not part of the"
                " story.</p></figcaption></figure><p>5 January 2024 A photo caption that is not part of the story. PA</p>"
                "</div></div></div>",
            ],
            1: [
                '<div class="sc-newsletter newsletter-signup"><p>Sign up to our free Inside Politics newsletter</p>'
                '<form><input type="email"><button>Sign up</button></form></div>'
                '<aside class="sc-pkURi left related"><h3>Read more</h3><ul><li class="related-item">'
                '<a href="/news/uk/politics/earlier-story-b2466000.html">An earlier story on the subject</a></li></ul></aside>',
            ],
        },
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(article.headline)} | The Independent</title>
<link rel="canonical" href="{escape(article.url)}">
<meta property="og:title" content="{escape(article.headline)}">
<meta property="og:type" content="article">
<meta property="article:published_time" content="{article.published}">
<meta property="article:modified_time" content="{article.modified}">
{jsonld}
</head><body id="body"><div id="frameInner">
<header class="sc-header"><nav><a href="/news/uk">UK</a></nav></header>
<article class="sc-pcJBx gkirqO"><div class="sc-qWfkp"><div class="sc-pkSdh QFuTy">
<h1 class="sc-qQkqj cdfpMG">{escape(article.headline)}</h1><h2 class="sc-standfirst">A standfirst that sums the story up</h2>
<div class="sc-psDXd eWVFqg">{bylines}<div class="sc-qQwPu"><amp-timeago datetime="{article.modified}">Friday 5 January 2024 12:00</amp-timeago></div>
<a href="#comments">0 comments</a></div></div>
<div class="sc-share"><button>Share</button><a href="https://twitter.com/intent/tweet">Twitter</a></div>
<div class="sc-oTZKJ HHLbu main-wrapper"><div id="main" class="sc-qPlDB bUMNyJ">
{"".join(blocks)}
</div><div id="comments"><h3>Join the discussion</h3></div></div></div></article>
<footer><nav><ul><li><a href="/service/code-conduct">Code of conduct and complaints</a></li></ul></nav></footer>
</div></body></html>
"""
