"""The Guardian, as served by the local fixture site (shared with the offline demo)."""

from tracker.demo.outlets.guardian import (  # noqa: F401
    ARTICLE_URLS,
    HOSTS,
    NON_ARTICLE_URLS,
    SPIDER,
    article_page,
    discovery_pages,
)
