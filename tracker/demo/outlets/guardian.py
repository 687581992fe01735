"""The Guardian, as served by the local fixture site."""

from __future__ import annotations

from html import escape

from tracker.demo import pages

__all__ = ["ARTICLE_URLS", "HOSTS", "NON_ARTICLE_URLS", "SPIDER", "article_page", "discovery_pages"]

SPIDER = "guardian"
HOSTS = ("www.theguardian.com",)
# One article per discovery source: feed, news sitemap, section page.
ARTICLE_URLS = (
    "https://www.theguardian.com/politics/2024/jan/05/senate-vote-budget",
    "https://www.theguardian.com/world/2024/jan/05/summit-ends-without-deal",
    "https://www.theguardian.com/uk-news/2024/jan/04/storm-hits-coast",
)
# Links discovery must leave alone.
NON_ARTICLE_URLS = (
    "https://www.theguardian.com/politics/video/2024/jan/05/senate-vote-budget-video",
    "https://www.theguardian.com/world/gallery/2024/jan/05/summit-in-pictures",
    "https://www.theguardian.com/world/live/2024/jan/05/summit-live?page=with:block-6597a1b2",
    "https://www.theguardian.com/profile/jane-reporter",
    "https://www.theguardian.com/politics",
)


discovery_pages = pages.feed_sitemap_section(
    NON_ARTICLE_URLS,
    feed=("/politics/rss", "Politics | The Guardian"),
    feed_query="?CMP=Share_iOSApp_Other",
    sitemap="/sitemaps/news.xml",
    section="/uk-news",
    xml_type="text/xml; charset=utf-8",
)


@pages.article_layout(published="2024-01-05T10:00:00.000Z", modified="2024-01-05T12:00:00.000Z")
def article_page(article: pages.Article) -> str:
    """A Guardian article page of the current (DCR) layout: the text in
    ``div.article-body-commercial-selector``, with a rich link, a photo, a newsletter sign-up
    and an ad slot among the paragraphs, the standfirst and share buttons outside them."""
    jsonld = pages.news_article_jsonld(article, url_key="@id")
    byline = " and ".join(
        f'<a rel="author" data-link-name="auto tag link" href="//www.theguardian.com/profile/x">{escape(name)}</a>'
        for name in article.authors
    )
    body = pages.with_noise(
        (f'<p class="dcr-2v2zi4">{escape(paragraph)}</p>' for paragraph in article.paragraphs),
        {
            0: [
                '<div id="sign-in-gate"></div>',
                '<figure data-spacefinder-role="richLink" class=" dcr-1mfia18"><div data-print-layout="hide"'
                ' data-link-name="rich-link-1 | 1" data-component="rich-link" class="dcr-f2ug42"><a'
                ' href="https://www.theguardian.com/politics/2024/jan/03/earlier-story"><div class="dcr-ajj3z4">'
                'An earlier story on the subject</div><div class="dcr-1h52nsv">Read more</div></a></div></figure>',
            ],
            1: [
                '<figure data-spacefinder-role="inline" class=" dcr-10khgmf"><picture><img alt=""'
                ' src="https://i.guim.co.uk/img/media/photo.jpg"></picture><figcaption class="dcr-143y8g7">'
                '<span class="dcr-19x4pdv">A photo caption that is not part of the story.</span>'
                " Photograph: Jane Photographer/The Guardian</figcaption></figure>",
                '<figure data-spacefinder-role="inline" data-spacefinder-type="model.dotcomrendering.pageElements.'
                'NewsletterSignupBlockElement" class=" dcr-10khgmf"><aside class="dcr-z79tmx"><p class="dcr-9a9qtg">'
                'Sign up to <span>First Edition</span></p><p class="dcr-1yb0gsz">Our morning email breaks down'
                " the key stories of the day</p><button>Sign up</button></aside></figure>",
                '<div id="dfp-ad--inline1" class="ad-slot-container dcr-1dw7fn3"><div class="ad-slot ad-slot--inline">'
                '<p class="ad-slot__label">Advertisement</p></div></div>',
            ],
        },
    )
    share = (
        '<ul class="dcr-1n0u3w8"><li><a href="https://www.facebook.com/dialog/share" aria-label="Share on Facebook">'
        'Facebook</a></li><li><a href="mailto:?subject=x" aria-label="Share via Email">Email</a></li></ul>'
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(article.headline)} | Politics | The Guardian</title>
<link rel="canonical" href="{escape(article.url)}">
<meta property="og:title" content="{escape(article.headline)}">
<meta property="og:type" content="article">
<meta property="article:published_time" content="{article.published}">
<meta property="article:modified_time" content="{article.modified}">
{jsonld}
</head><body>
<header><nav><a href="https://www.theguardian.com/politics">Politics</a></nav></header>
<main><article class="dcr-1ii239v"><div class="dcr-bpwwa4"><div class="dcr-1s837k5">
<aside data-gu-name="title"><a href="https://www.theguardian.com/politics" data-component="section">Politics</a></aside>
<div data-gu-name="headline" class="dcr-1nupfq9"><div><h1 class="dcr-6rhr0p">{escape(article.headline)}</h1></div></div>
<div data-gu-name="standfirst" class="dcr-zjgnrw"><div class="dcr-ai6lo6"><p>The summary under the headline</p></div></div>
<div data-gu-name="media"><figure><picture><img alt="" src="https://i.guim.co.uk/img/media/main.jpg"></picture>
<figcaption>The main photo's caption. Photograph: Agency</figcaption></figure></div>
<aside data-gu-name="meta"><address aria-label="Contributor info" data-component="meta-byline" data-link-name="byline">
<div class="dcr-2ntycz">{byline}</div></address>
<details><summary><span>Fri 5 Jan 2024 10.00 GMT</span></summary>Last modified on Fri 5 Jan 2024 12.00 GMT</details>
<div data-print-layout="hide">{share}<div class="meta-number">512</div></div></aside>
<div data-gu-name="body" class="dcr-1jw1u7l"><div><div id="maincontent" class="dcr-1gnfftb">
<div class="article-body-commercial-selector article-body-viewer-selector dcr-10nm96b">
{"".join(body)}
</div></div></div>
<div data-print-layout="hide"><div class="submeta"><span>Explore more on these topics</span>
<a href="https://www.theguardian.com/politics/politics">Politics</a></div>{share}</div>
</div></div></div></article></main></body></html>
"""
