"""BBC News, as served by the local fixture site (the 2024 React layout; shared with the offline demo)."""

from tracker.demo.outlets.bbc import (  # noqa: F401
    ARTICLE_URLS,
    HOSTS,
    NON_ARTICLE_URLS,
    SPIDER,
    article_page,
    discovery_pages,
)
