"""Fox News, as served by the local fixture site."""

from __future__ import annotations

from html import escape

from tests.site import pages

SPIDER = "foxnews"
HOSTS = ("www.foxnews.com", "moxie.foxnews.com")
# One article per discovery source: feed, news sitemap, section page.
ARTICLE_URLS = (
    "https://www.foxnews.com/politics/senate-passes-stopgap-budget-bill",
    "https://www.foxnews.com/world/summit-ends-without-deal-leaders",
    "https://www.foxnews.com/us/storm-hits-gulf-coast-towns",
)
# Links discovery must leave alone.
NON_ARTICLE_URLS = (
    "https://www.foxnews.com/video/6345678901112",
    "https://www.foxnews.com/person/r/jane-reporter",
    "https://www.foxnews.com/category/politics/senate",
)


discovery_pages = pages.feed_sitemap_section(
    NON_ARTICLE_URLS,
    feed=("/google-publisher/latest.xml", "Latest Headlines"),
    # served at /sitemap.xml?type=news (the site answers the path without its query too)
    sitemap="/sitemap.xml",
    section="/politics",
)


@pages.article_layout(published="2024-01-05T10:00:00-05:00", modified="2024-01-05T12:00:00-05:00")
def article_page(article: pages.Article) -> str:
    """A Fox News article page of the current (2019-) layout: ``<p>`` in ``div.article-body``
    after the featured video, with ad containers, an inline photo with its caption, an
    ALL-CAPS link to another story, the app promo and the author's bio card."""
    jsonld = pages.news_article_jsonld(article)
    names = " and ".join(
        f'<span><a href="https://www.foxnews.com/person/x">{escape(name)}</a></span>' for name in article.authors
    )
    blocks = [
        '<div class="featured featured-video video-ct"><div class="contain"><div class="info"><div class="caption">'
        "<h4 class=\"title\">Fox News Flash top headlines for January 5</h4><p>Fox News Flash top headlines are here."
        " Check out what's clicking on Foxnews.com.</p></div></div></div></div>"
    ]
    blocks += pages.with_noise(
        (
            f'<p class="{"speakable" if index < 2 else ""}">{escape(paragraph)}</p>'
            for index, paragraph in enumerate(article.paragraphs)
        ),
        {
            0: [
                '<div class="ad-container tablet ad-h-50 ad-w-300"><div data-iu="lb2" class="ad gam"></div></div>'
                '<div class="image-ct inline"><div class="m"><picture><img src="https://a57.foxnews.com/photo.jpg" alt="">'
                '</picture></div><div class="info"><div class="caption"><p>A photo caption that is not part of the story.'
                ' <span class="copyright">(Photographer/Getty Images)</span></p></div></div></div>',
            ],
            1: [
                '<p><strong><a href="https://www.foxnews.com/politics/earlier-story-on-the-subject" target="_blank">'
                "AN EARLIER STORY ON THE SUBJECT MAKES HEADLINES</a></strong></p>"
                '<p><a href="https://www.foxnews.com/apps-products"><strong>CLICK HERE TO GET THE FOX NEWS APP</strong></a></p>',
            ],
        },
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(article.headline)} | Fox News</title>
<link rel="canonical" href="{escape(article.url)}">
<meta property="og:title" content="{escape(article.headline)} | Fox News">
<meta property="og:type" content="article">
<meta name="dc.date" content="{article.published[:10]}">
{jsonld}
</head><body class="fn article-single"><div id="__nuxt"><div id="__layout"><div id="wrapper" class="wrapper">
<header class="site-header"><nav><a href="https://www.foxnews.com/politics">Politics</a></nav></header>
<div class="page-content"><div class="row full"><main class="main-content"><article class="article-wrap has-video">
<header class="article-header"><div class="article-meta article-meta-upper"><span class="eyebrow">
<a href="https://www.foxnews.com/category/politics">Politics</a></span><h1 class="headline">{escape(article.headline)}</h1>
<h2 class="sub-headline speakable">A sub-headline that sums the story up</h2></div>
<div class="author-byline"><span> By {names}</span> <span class="article-source"><a href="https://www.foxnews.com">Fox News</a></span></div>
<div><span class="article-date"> Published <time> January 5, 2024 10:00am EST</time></span></div>
<div class="article-meta article-meta-lower"><div class="article-social"><div class="social-icons"><ul>
<li class="fb"><a href="#">Facebook</a></li><li class="tw"><a href="#">Twitter</a></li><li class="comments"><a href="#">
<span>Comments</span></a></li><li class="email"><a href="#">Email</a></li></ul></div></div></div></header>
<div class="article-content-wrap sticky-columns"><div class="article-content"><div class="article-body">
{"".join(blocks)}
<div class="article-meta"><p>Jane Reporter is a writer for Fox News Digital. Follow her on Twitter.</p></div>
</div></div></div></article></main></div></div></div></div></div></body></html>
"""
