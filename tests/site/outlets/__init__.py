"""Outlet-shaped sites for the end-to-end tests: one module per spider.

Each module (named like the spider) provides:

* ``SPIDER``: the spider name;
* ``HOSTS``: every host the spider fetches from (all mapped to the local site);
* ``ARTICLE_URLS``: three real-looking article URLs, listed by ``discovery_pages``;
* ``discovery_pages(article_urls) -> {path: (body, content_type)}``: feed(s), sitemap(s) and
  section page(s) at the paths the spider requests, listing those articles (and some links
  that are no articles);
* ``article_page(*, url, headline, paragraphs, authors, published, modified) -> str``: an
  article page in the outlet's current markup, with the noise its parser must skip (captions,
  ads, related links, newsletter boxes, share buttons).

The module writes its markup; the mechanics are shared (:mod:`tests.site.pages`): the layout is
a function of an :class:`~tracker.demo.pages.Article` that ``@article_layout(...)`` makes the
keyword ``article_page``, and ``feed_sitemap_section(...)`` makes the usual ``discovery_pages``.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def outlet_sites() -> list[ModuleType]:
    """Every outlet site module, in name order."""
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name)
    ]
