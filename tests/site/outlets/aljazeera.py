"""Al Jazeera English, as served by the local fixture site (the 2020-2024 layout)."""

from __future__ import annotations

from html import escape

from tests.site import pages

SPIDER = "aljazeera"
HOSTS = ("www.aljazeera.com",)
# One article per discovery source: feed, news sitemap, section page.
ARTICLE_URLS = (
    "https://www.aljazeera.com/news/2024/1/5/senate-vote-budget",
    "https://www.aljazeera.com/economy/2024/1/5/summit-ends-without-deal",
    "https://www.aljazeera.com/features/2024/1/4/storm-hits-coast",
)
# Links discovery must leave alone.
NON_ARTICLE_URLS = (
    "https://www.aljazeera.com/news/liveblog/2024/1/5/israel-war-on-gaza-live",
    "https://www.aljazeera.com/gallery/2024/1/5/photos-storm-hits-coast",
    "https://www.aljazeera.com/program/newsfeed/2024/1/5/video-of-the-storm",
    "https://www.aljazeera.com/tag/climate-crisis/",
    "https://www.aljazeera.com/author/jane-reporter",
)


discovery_pages = pages.feed_sitemap_section(
    NON_ARTICLE_URLS,
    feed=("/xml/rss/all.xml", "Al Jazeera – Breaking News"),
    feed_query="?traffic_source=rss",
    sitemap="/news-sitemap.xml",
    section="/features/",
)


@pages.article_layout(published="2024-01-05T10:00:00Z", modified="2024-01-05T12:00:00Z")
def article_page(article: pages.Article) -> str:
    """An Al Jazeera article page: ``div.wysiwyg--all-content`` with an ad container, a
    "Recommended Stories" box, a photo with its caption and a newsletter box between paragraphs."""
    jsonld = pages.news_article_jsonld(
        article,
        url_key="mainEntityOfPage",
        author=[
            {"@type": "Person", "name": name, "url": "https://www.aljazeera.com/author/x"} for name in article.authors
        ],
        publisher={"@type": "Organization", "name": "Al Jazeera"},
    )
    names = '<span class="article-author-name-item__separator"> and </span>'.join(
        f'<span class="article-author-name-item"><a class="author-link" href="/author/x">{escape(name)}</a></span>'
        for name in article.authors
    )
    body = pages.with_noise(
        (f"<p>{escape(paragraph)}</p>" for paragraph in article.paragraphs),
        {
            0: [
                '<div class="container container--ads container--ads-mpu-mobile"><div class="ads ads--mpu-mobile">'
                '<div id="article_body_mpu_1" class="ad-slot">Advertisement</div></div></div>',
                '<div class="more-on more-on--article"><h2 class="more-on__heading">Recommended Stories</h2>'
                '<p class="screen-reader-text">list of 2 items</p><ul class="more-on__list">'
                '<li class="more-on__item"><article><a href="/news/2024/1/4/a-related-story"><span>A related story</span></a></article></li>'
                '<li class="more-on__item"><article><a href="/news/2024/1/3/another-story"><span>Another story</span></a></article></li>'
                '</ul><p class="screen-reader-text">end of list</p></div>',
            ],
            1: [
                '<figure class="wp-block-image size-large"><img src="/wp-content/uploads/photo.jpg" alt="">'
                "<figcaption>A photo caption that is not part of the story [Photographer/Reuters]</figcaption></figure>",
                '<div class="newsletter-signup-container"><h3>Sign up for Al Jazeera</h3>'
                "<p>Week in the Middle East</p><form><input type=\"email\"><button>Subscribe</button></form></div>",
            ],
        },
    )
    return f"""<!DOCTYPE html>
<html lang="en" dir="ltr"><head><meta charset="utf-8">
<title>{escape(article.headline)} | News | Al Jazeera</title>
<link rel="canonical" href="{escape(article.url)}">
<meta property="og:title" content="{escape(article.headline)}">
<meta property="og:type" content="article">
{jsonld}
</head><body>
<header class="site-header"><nav><a href="/news/">News</a><a href="/middle-east/">Middle East</a></nav></header>
<div class="container"><main id="main-content-area" class="article-body-main">
<header class="article-header"><div class="article-header__topics"><a href="/news/">News</a></div><h1>{escape(article.headline)}</h1></header>
<p class="article__subhead"><em>A standfirst that sums up the story.</em></p>
<div class="article-info-block">
<div class="article-author"><div class="article-author-name">{names}</div></div>
<div class="article-dates"><div class="date-simple"><span class="screen-reader-text">Published On 5 Jan 2024</span><span aria-hidden="true">5 Jan 2024</span></div></div>
<div class="article-share"><ul class="share-icons"><li><a href="https://www.facebook.com/sharer">Facebook</a></li><li><button>Copy link</button></li></ul></div>
</div>
<figure class="article-featured-image"><div class="responsive-image"><img src="/wp-content/uploads/lead.jpg" alt=""></div>
<figcaption>A lead photo caption that is not part of the story [Photographer/AP]</figcaption></figure>
<div class="wysiwyg wysiwyg--all-content css-ibbk12" aria-live="polite" aria-atomic="true">
{"".join(body)}
</div>
<div class="article-bottom-area"><section class="more-on-this"><h2>More from News</h2><a href="/news/2024/1/2/x">Other story</a></section></div>
</main></div></body></html>
"""
