"""Reuters, as served by the local fixture site."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from tests.site import pages

SPIDER = "reuters"
HOSTS = ("www.reuters.com",)
# Reuters has no public feed: two articles come from the news sitemap, one from a section.
ARTICLE_URLS = (
    "https://www.reuters.com/world/us/senate-passes-stopgap-budget-2024-01-05/",
    "https://www.reuters.com/world/europe/summit-ends-without-deal-2024-01-05/",
    "https://www.reuters.com/business/energy/storm-hits-gulf-coast-refineries-2024-01-04/",
)
# Links discovery must leave alone.
NON_ARTICLE_URLS = (
    "https://www.reuters.com/video/watch/idOV123456012024RP1/",
    "https://www.reuters.com/authors/jane-reporter/",
    "https://www.reuters.com/world/",
)
SITEMAP_INDEX = "/arc/outboundfeeds/news-sitemap-index/"
NEWS_SITEMAP = "https://www.reuters.com/arc/outboundfeeds/news-sitemap/?outputType=xml&from=0"


def discovery_pages(article_urls: Sequence[str]) -> dict[str, tuple[str | bytes, str]]:
    """Path -> (body, content type) of the news sitemap index, its news sitemap and a section."""
    first, second, section_url = article_urls
    index = pages.sitemap_index(
        [NEWS_SITEMAP, "https://www.reuters.com/arc/outboundfeeds/sitemap/?outputType=xml&from=0"]
    )
    return {
        SITEMAP_INDEX: (index, pages.XML_TYPE),
        "/arc/outboundfeeds/news-sitemap/": (pages.news_sitemap([first, second, NON_ARTICLE_URLS[0]]), pages.XML_TYPE),
        "/business/": (pages.section_page([section_url, *NON_ARTICLE_URLS]), pages.HTML_TYPE),
    }


@pages.article_layout(published="2024-01-05T10:00:00Z", modified="2024-01-05T12:00:00Z")
def article_page(article: pages.Article) -> str:
    """A Reuters article page of the newest saved layout (2020 "ArticlePage", hashed CSS-module
    classes): ``p.Paragraph-paragraph-*`` in ``div.ArticleBodyWrapper`` after the byline and
    reading time, with a video, an ad slot, "Related Coverage", a slideshow teaser and the
    trust badge. (Real pages end with a "Reporting by ...; Editing by ..." line, which is
    kept as body text; it is left out here because the end-to-end test compares exact text.)"""
    jsonld = pages.news_article_jsonld(article, author={"@type": "Person", "name": ", ".join(article.authors)})
    names = " and ".join(
        f'<a class="TextLabel__text-label___3oCVw Byline-author-2BSir" href="https://www.reuters.com/journalists/x"'
        f' target="_blank">{escape(name)}</a>'
        for name in article.authors
    )
    blocks = [
        '<div class="ArticleBody-byline-container-3H6dy"><p class="Byline-byline-1sVmo ArticleBody-byline-10B7D">'
        f'By {names}</p><div class="ArticleBody-read-time-and-social-2VOIr"><p class="ReadTime-read-time-1s3CG">'
        '4 Min Read</p><div class="SocialTools__container___3rfoZ"><button aria-label="Facebook" type="button"></button>'
        '<button aria-label="Twitter" type="button"></button></div></div></div>'
    ]
    blocks += pages.with_noise(
        (
            f'<p class="Paragraph-paragraph-2Bgue ArticleBody-para-TD_9x">{escape(paragraph)}</p>'
            for paragraph in article.paragraphs
        ),
        {
            0: [
                '<div class="RCOMVideo-ratio-container-8AWjC"><div class="RCOMVideo-player-2oBSk">'
                "<p>Video: officials speak to reporters</p></div></div>"
                '<div class="AdSlot__container___2BqUD ArticleBody-ad-slot-83sCj"><div id="ad_mpu"></div></div>',
            ],
            1: [
                '<div class="RelatedCoverage-container-3AnSP ArticleBody-related-coverage-7S2f1">'
                '<p class="TextLabel__text-label___3oCVw">Related Coverage</p><div class="RelatedCoverage-stories-3WYWt">'
                '<a href="https://www.reuters.com/world/factbox-earlier-2024-01-03/">Factbox: An earlier story</a></div></div>'
                '<div class="ArticleBody-slideshow-small-mFJ54"><figure><img src="/photo.jpg" alt="">'
                "<figcaption>A photo caption that is not part of the story. REUTERS/Photographer</figcaption>"
                "</figure><p>Slideshow ( 15 images )</p></div>",
            ],
        },
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(article.headline)} - Reuters</title>
<link rel="canonical" href="{escape(article.url)}">
<meta property="og:title" content="{escape(article.headline)}">
<meta property="og:type" content="article">
<meta property="og:article:published_time" content="{article.published}">
<meta property="og:article:modified_time" content="{article.modified}">
{jsonld}
</head><body><div id="__next"><div>
<header class="SiteHeader-container"><nav><a href="https://www.reuters.com/world/">World</a></nav></header>
<div class="ArticleHeader-info-container-3-6YG"><a class="ArticleHeader-channel-1DzNK" href="/news/archive/us">U.S.</a>
<div class="ArticleHeader-date-line-3oc3Y"><time class="ArticleHeader-date-Goy3y">Updated 5 minutes ago</time></div></div>
<h1 class="Headline-headline-2FXIq Headline-black-OogpV ArticleHeader-headline-NlAqj">{escape(article.headline)}</h1>
<div class="TwoColumnsLayout-body-86gsE ArticlePage-body-container-10RhS"><div class="TwoColumnsLayout-left-column-CYquM">
<article class="ArticlePage-article-body-1xN5M"><div class="ArticleBodyWrapper">
{"".join(blocks)}
<div><div class="TrustBadge-trust-badge-20GM8"><p>Our Standards: <a href="https://www.thomsonreuters.com/en/about-us/trust-principles.html">The Thomson Reuters Trust Principles.</a></p></div></div>
</div></article></div></div></div></div></body></html>
"""
