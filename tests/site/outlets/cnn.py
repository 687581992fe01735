"""CNN, as served by the local fixture site."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from xml.sax.saxutils import escape as xml_escape

from tests.site import pages

SPIDER = "cnn"
HOSTS = ("www.cnn.com", "rss.cnn.com")
# One article per discovery source: feed, news sitemap, section page.
ARTICLE_URLS = (
    "https://www.cnn.com/2024/01/05/politics/senate-budget-vote/index.html",
    "https://www.cnn.com/2024/01/05/world/summit-ends-without-deal/index.html",
    "https://www.cnn.com/2024/01/04/us/storm-hits-coast/index.html",
)
# Links discovery must leave alone.
NON_ARTICLE_URLS = (
    "https://www.cnn.com/videos/politics/2024/01/05/senate-vote-budget-lead-digvid.cnn",
    "https://www.cnn.com/politics/live-news/senate-vote-01-05-24/index.html",
    "https://www.cnn.com/profiles/jane-reporter",
)


def feedburner_feed(title: str, links: Sequence[str]) -> str:
    """An rss.cnn.com feed: FeedBurner redirect <link>s, the article in <feedburner:origLink>."""
    items = "".join(
        f"<item><title>Story {number}</title>"
        f"<link>http://rss.cnn.com/~r/rss/cnn_topstories/~3/a{number}b/index.html</link>"
        f'<guid isPermaLink="false">{xml_escape(link)}</guid>'
        "<pubDate>Fri, 05 Jan 2024 10:00:00 GMT</pubDate>"
        f"<feedburner:origLink>{xml_escape(link)}</feedburner:origLink></item>"
        for number, link in enumerate(links)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<rss xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0" version="2.0">'
        f"<channel><title>{xml_escape(title)}</title><link>https://www.cnn.com/index.html</link>"
        f"{items}</channel></rss>"
    )


def discovery_pages(article_urls: Sequence[str]) -> dict[str, tuple[str | bytes, str]]:
    """Path -> (body, content type) of the feed, sitemap and section page listing the articles."""
    feed_url, sitemap_url, section_url = article_urls
    return {
        "/rss/cnn_topstories.rss": (
            feedburner_feed("CNN.com - RSS Channel", [feed_url, *NON_ARTICLE_URLS]),
            pages.RSS_TYPE,
        ),
        "/sitemaps/cnn/news.xml": (pages.news_sitemap([sitemap_url, NON_ARTICLE_URLS[0]]), pages.XML_TYPE),
        "/politics": (
            pages.section_page([section_url.replace("https://www.cnn.com", ""), *NON_ARTICLE_URLS]),
            pages.HTML_TYPE,
        ),
    }


@pages.article_layout(published="2024-01-05T10:00:00.000Z", modified="2024-01-05T12:00:00.000Z")
def article_page(article: pages.Article) -> str:
    """A CNN article page of the current (2022-) layout: ``p.paragraph`` blocks in
    ``div.article__content[itemprop=articleBody]`` after the "CNN —" dateline, with a photo
    and its caption, a related-story card, an ad slot and a newsletter box between them."""
    jsonld = pages.news_article_jsonld(article, url_key="url")
    names = "".join(
        f'<a href="https://www.cnn.com/profiles/x" class="byline__link"><span class="byline__name">{escape(name)}</span></a>'
        + (", " if index < len(article.authors) - 1 else "")
        for index, name in enumerate(article.authors)
    )
    blocks = [
        '<div class="source inline-placeholder"><cite class="source__cite"><span class="source__location">'
        'Washington</span><span class="source__text">CNN</span> — </cite></div>'
    ]
    blocks += pages.with_noise(
        (
            f'<p class="paragraph inline-placeholder" data-component-name="paragraph" data-editable="text">{escape(paragraph)}</p>'
            for paragraph in article.paragraphs
        ),
        {
            0: [
                '<div class="image image__hide-placeholder" data-component-name="image"><div class="image__container">'
                '<picture class="image__picture"><img src="https://media.cnn.com/api/v1/images/stellar/prod/photo.jpg" alt=""></picture>'
                '</div><div class="image__metadata"><div class="image__caption attribution"><span data-editable="metaCaption">'
                "A photo caption that is not part of the story.</span></div>"
                '<figcaption class="image__credit">Photographer/CNN</figcaption></div></div>',
                '<div class="ad-slot-rail"><div class="ad-feedback-link-container"><div class="ad-slot">'
                '<div class="ad-feedback-link"><p class="ad-feedback-link__label">Ad Feedback</p></div></div></div></div>',
            ],
            1: [
                '<div class="related-content related-content--article"><a class="related-content__link"'
                ' href="/2024/01/03/politics/earlier-story/index.html"><div class="related-content__content">'
                '<span class="related-content__headline-text">An earlier story on the subject</span></div></a></div>',
                '<div class="newsletter-signup" data-component-name="newsletter"><p class="newsletter__title">'
                "Sign up for CNN's What Matters newsletter</p><form><input type=\"email\"><button>Sign me up</button></form></div>",
            ],
        },
    )
    return f"""<!DOCTYPE html>
<html lang="en" data-uri="cms.cnn.com/_pages/x"><head><meta charset="utf-8">
<title>{escape(article.headline)} | CNN Politics</title>
<link rel="canonical" href="{escape(article.url)}">
<meta property="og:title" content="{escape(article.headline)} | CNN Politics">
<meta property="og:type" content="article">
<meta property="article:published_time" content="{article.published}">
<meta property="article:modified_time" content="{article.modified}">
{jsonld}
</head><body class="layout layout-with-rail article_leaf politics">
<header class="header"><nav><a href="/politics">Politics</a><a href="/world">World</a></nav></header>
<section class="layout__main"><article class="article" role="main">
<div class="headline headline--has-lowertext"><div class="headline__wrapper">
<h1 data-editable="headlineText" class="headline__text inline-placeholder" id="maincontent">{escape(article.headline)}</h1></div>
<div class="headline__footer"><div class="headline__sub-container"><div class="byline" data-editable="settings">
<div class="byline__names">By {names}, CNN</div></div>
<div class="timestamp">Updated 12:00 PM EST, Fri January 5, 2024</div></div>
<div class="social-share"><a class="social-share__link" href="#">Facebook</a><a class="social-share__link" href="#">Tweet</a>
<a class="social-share__link" href="#">Email</a><a class="social-share__link" href="#">Link Copied!</a></div></div></div>
<section class="body tabcontent active"><main class="article__main"><div class="article__content-container">
<div class="article__content" data-editable="content" itemprop="articleBody">
{"".join(blocks)}
</div></div></main></section></article></section>
<footer class="footer"><p>© 2024 Cable News Network.</p></footer>
</body></html>
"""
