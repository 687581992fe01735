"""Builders for feeds, sitemaps, section pages and JSON-LD (shared with the offline demo)."""

from tracker.demo.pages import (
    HTML_TYPE,
    RSS_TYPE,
    XML_TYPE,
    Article,
    article_layout,
    feed_sitemap_section,
    news_article_jsonld,
    news_sitemap,
    rss_feed,
    section_page,
    sitemap_index,
    with_noise,
)

__all__ = [
    "HTML_TYPE",
    "RSS_TYPE",
    "XML_TYPE",
    "Article",
    "article_layout",
    "feed_sitemap_section",
    "news_article_jsonld",
    "news_sitemap",
    "rss_feed",
    "section_page",
    "sitemap_index",
    "with_noise",
]
