"""POLITICO, as served by the local fixture site."""

from __future__ import annotations

from html import escape

from tests.site import pages

SPIDER = "politico"
HOSTS = ("www.politico.com", "rss.politico.com")
# One article per discovery source: feed, news sitemap, section page.
ARTICLE_URLS = (
    "https://www.politico.com/news/2024/01/05/senate-passes-stopgap-budget-00134001",
    "https://www.politico.com/news/2024/01/05/summit-ends-without-deal-00134002",
    "https://www.politico.com/news/2024/01/04/storm-hits-coast-00134003",
)
# Links discovery must leave alone.
NON_ARTICLE_URLS = (
    "https://www.politico.com/video/2024/01/05/senate-vote-explained-1234567",
    "https://www.politico.com/staff/jane-reporter",
    "https://www.politico.com/newsletters/playbook",
)


discovery_pages = pages.feed_sitemap_section(
    NON_ARTICLE_URLS,
    feed=("/politics-news.xml", "Politics News"),
    sitemap="/news-sitemap.xml",
    section="/politics",
    section_query="?lo=ut_a1",
)


@pages.article_layout(published="2024-01-05 10:00:00", modified="2024-01-05 12:00:00")
def article_page(article: pages.Article) -> str:
    """A POLITICO article page of the current (2016-) layout: ``p.story-text__paragraph`` in
    ``div.story-text`` after the lead photo's caption, byline and share tools (``div.story-meta``),
    with an ad slot, a related-story aside and a newsletter promo between the paragraphs; the
    time is US Eastern without an offset, like the real pages."""
    jsonld = pages.news_article_jsonld(article, dates=False)  # dates only in the byline's <time>
    names = " and ".join(
        f'<span class="vcard"><a href="https://www.politico.com/staff/x" target="_top">{escape(name)}</a></span>'
        for name in article.authors
    )
    blocks = [
        '<div class="story-meta"><figure class="media-item"><img src="https://static.politico.com/photo.jpg" alt="">'
        '</figure><p class="story-meta__credit">A photo caption that is not part of the story. | AP Photo</p>'
        '<div class="story-meta__authors-timestamp has-social-tools"><div class="story-meta__details">'
        f'<p class="story-meta__authors">By {names}</p><p class="story-meta__timestamp">'
        f'<time datetime="{article.published}">01/05/2024 10:00 AM EST</time></p></div>'
        '<aside class="social-tools"><ul class="social-tools__list"><li class="social-tools__list-item">'
        '<a href="#" aria-label="Facebook (opens in a new window)">Facebook</a></li><li class="social-tools__list-item">'
        '<p class="link-copy">Link Copied</p></li></ul></aside></div></div>'
    ]
    blocks += pages.with_noise(
        (f'<p class="story-text__paragraph   ">{escape(paragraph)}</p>' for paragraph in article.paragraphs),
        {
            0: [
                '<div id="pol-05-wrap" class="\n    content-group ad" aria-label="Advertisement">'
                '<div id="pol-05" class="ad-slot placeholder placeholder--250" aria-hidden="true"></div></div>',
            ],
            1: [
                '<aside class="story-related cl-l db"><h3>Related</h3><a href="https://www.politico.com/news/2024/01/03/'
                'earlier-story-00133999">An earlier story on the subject</a></aside>'
                '<div class="story-enhancement newsletter-promo"><p>Sign up for Playbook, the newsletter that tells you'
                " what Washington is talking about</p><form><input type=\"email\"><button>Sign up</button></form></div>",
            ],
        },
    )
    return f"""<!DOCTYPE html>
<html lang="en" class="no-js"><head><meta charset="utf-8">
<title>{escape(article.headline)} - POLITICO</title>
<link rel="canonical" href="{escape(article.url)}">
<meta property="og:title" content="{escape(article.headline)}">
<meta property="og:type" content="article">
{jsonld}
</head><body class=" enable-ad-placeholder"><div class="page-wrapper">
<header class="global-header"><h1><a href="https://www.politico.com/">POLITICO <span>Politico Logo</span></a></h1></header>
<main id="main"><div class="page-content page-content--story story-type--core">
<section class="page-content__row page-content__row--story"><div class="container container--story">
<div class="media-item__summary size--medium"><header class="summary-header"><p class="category">
<a href="https://www.politico.com/politics">Politics</a></p></header>
<h2 class="headline">{escape(article.headline)}</h2><p class="dek">A dek that sums the story up.</p></div>
<div class="container__column container__column--story center-horizontal"><div class="story-text">
{"".join(blocks)}
</div></div></div></section></div></main>
<footer class="footer"><p class="footer__copyright">© 2024 POLITICO LLC</p></footer>
</div></body></html>
"""
