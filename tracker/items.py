"""The item a spider yields for every article page it fetched (or failed to fetch).

Field names follow schema.org / zyte-common-items ``Article``; the crawl facts after them are
the tracker's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Article:
    # What the article is (schema.org names).
    url: str                                  # real URL of the article as requested (not host-mapped)
    canonicalUrl: str | None = None           # what the page itself declares canonical
    headline: str | None = None
    authors: list[str] = field(default_factory=list)
    datePublished: str | None = None
    dateModified: str | None = None
    articleBody: str = ""                     # paragraphs separated by one blank line
    paragraphs: list[str] = field(default_factory=list)
    inLanguage: str | None = None
    description: str | None = None
    standfirst: str = ""                      # summary shown under the headline (tracked)
    byline: str | None = None                 # authors as tracked, "A, B and C" (None: derive from authors)
    isAccessibleForFree: bool | None = None

    # Crawl facts.
    outlet: str = ""
    fetched_at: str | None = None             # ISO 8601 UTC
    status: int | None = None                 # HTTP status; None when no response came
    etag: str | None = None
    last_modified: str | None = None
    final_url: str | None = None              # real URL after redirects
    extractor: str | None = None              # which parser produced the body
    looks_like_article: bool = False
    parser_failed: bool = False
    disagreement: float | None = None         # outlet parser vs generic body, when far apart
    error: str | None = None                  # why there is no usable response
    duration_ms: int | None = None
    body_hash: str | None = None              # of the raw response bytes (tracker.revisions.body_hash)
    extraction_skipped: bool = False          # same bytes as the last check: not extracted again
    # What the extraction worker computed ahead for the recorder (tracker.revisions.prepare_page).
    prepared: dict[str, Any] | None = field(default=None, repr=False)
    # The page, when TRACKER_KEEP_HTML; kept out of repr() so that DEBUG logs of scraped
    # items don't carry whole pages.
    html: str | None = field(default=None, repr=False)
