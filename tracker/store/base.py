"""The one interface every store implements, and the documents it holds.

Documents are plain dicts with the field names of docs/DATA.md. Times are timezone-aware UTC
datetimes in Python; each backend picks its own representation on disk.
"""

from __future__ import annotations

import abc
import datetime as dt
import re
import zlib
from collections.abc import Iterator
from typing import Any

ARTICLE_STATES = ("active", "retired", "gone")

# Check outcomes. A version is only ever written with "new" or "changed".
OUTCOMES = (
    "new",                  # first sight: version 1
    "changed",              # real change: version n+1
    "unchanged",            # same text
    "boring",               # only formatting differs: no version
    "not_modified",         # HTTP 304 to a conditional GET
    "empty",                # page without article body
    "paywall",              # body withheld or truncated behind a paywall
    "extraction_failed",    # the page looks like an article but nothing could extract it
    "extraction_fallback",  # the outlet's parser found nothing; the generic extractor's text is not stored as a change
    "gone",                 # HTTP 404 / 410
    "error",                # other HTTP error, network failure
)
# Not stored: what Recorder.record() says of a spooled page whose check is already stored.
DUPLICATE = "duplicate"


class StoreError(Exception):
    """A store could not do what was asked (the message says why, without secrets)."""


class StoreUnavailable(StoreError):
    """The store's server cannot be reached."""


class VersionConflict(StoreError):
    """Another writer stored a version of this article first; re-read and try again."""


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def as_utc(value: dt.datetime | str | None) -> dt.datetime | None:
    """Aware UTC datetime from a datetime (naive means UTC) or an ISO 8601 string."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc)


try:  # Zstandard is 5x faster than zlib at a better ratio; Scrapy >= 2.14 brings it along.
    from backports import zstd as _zstd
except ImportError:  # pragma: no cover - Python >= 3.14 has it in the standard library
    try:
        from compression import zstd as _zstd  # type: ignore[no-redef]
    except ImportError:
        _zstd = None  # type: ignore[assignment]


def compress_html(html: str) -> tuple[bytes, str]:
    """The page compressed for storage, and the ``html_encoding`` that names the codec."""
    data = html.encode("utf-8")
    if _zstd is not None:
        return _zstd.compress(data, 3), "zstd"
    return zlib.compress(data, 1), "zlib"


def decompress_html(data: bytes | None, encoding: str | None) -> str | None:
    """The stored page as text, or None when no page was kept."""
    if data is None:
        return None
    if encoding == "zstd":
        if _zstd is None:
            raise StoreError("this page was stored with zstd: install backports.zstd to read it")
        return _zstd.decompress(data).decode("utf-8")
    if encoding == "zlib":
        return zlib.decompress(data).decode("utf-8")
    raise StoreError(f"unknown html_encoding {encoding!r}")


_CREDENTIALS = re.compile(r"(?<=://)([^/@:]+)(:[^/@]*)?@")


def mask_uri(uri: str) -> str:
    """The URI with any password replaced, fit for logs and error messages."""
    return _CREDENTIALS.sub(lambda m: f"{m.group(1)}:***@" if m.group(2) else f"{m.group(1)}@", uri)


class Store(abc.ABC):
    """Articles, their versions and every check, behind one interface.

    Writers call :meth:`save_version` and :meth:`record_check`; everything else only reads.
    """

    uri: str

    # --- writing ---------------------------------------------------------------------------

    @abc.abstractmethod
    def save_version(
        self,
        article: dict[str, Any],
        version: dict[str, Any],
        check: dict[str, Any],
        *,
        expected_count: int,
    ) -> int:
        """Store ``version`` as number ``expected_count + 1`` of ``article`` atomically.

        ``article`` holds the article fields to set (article_id, url, outlet, ...); the store
        keeps first_seen_at and counts. Raises :class:`VersionConflict` when the article
        no longer has ``expected_count`` versions (another crawl wrote first), so that no
        version number is ever used twice and no update is lost. Returns the new number.
        """

    @abc.abstractmethod
    def record_check(self, article: dict[str, Any], check: dict[str, Any]) -> None:
        """Record a check that made no version; creates the article record if it is new."""

    # --- reading ---------------------------------------------------------------------------

    @abc.abstractmethod
    def get_article(self, article_id: str) -> dict[str, Any] | None: ...

    @abc.abstractmethod
    def latest_version(self, article_id: str) -> dict[str, Any] | None: ...

    @abc.abstractmethod
    def get_version(self, article_id: str, number: int) -> dict[str, Any] | None: ...

    @abc.abstractmethod
    def list_versions(self, article_id: str) -> list[dict[str, Any]]:
        """Every version, oldest first, without raw HTML and paragraph text."""

    @abc.abstractmethod
    def list_checks(self, article_id: str, limit: int | None = None) -> list[dict[str, Any]]:
        """Checks, newest first."""

    @abc.abstractmethod
    def iter_articles(
        self, outlet: str | None = None, states: tuple[str, ...] = ("active",)
    ) -> Iterator[dict[str, Any]]:
        """Articles (of one outlet, in some states), in order of first sight."""

    def due_articles(
        self, now: dt.datetime, outlet: str | None = None, limit: int = 100
    ) -> list[dict[str, Any]]:
        """Active articles whose next_check_at is at or before ``now``, soonest first.

        Ties break by article_id. This fallback filters :meth:`iter_articles` in Python;
        stores override it with an indexed query.
        """
        cutoff = as_utc(now)
        due = [
            article for article in self.iter_articles(outlet=outlet, states=("active",))
            if article.get("next_check_at") is not None and article["next_check_at"] <= cutoff
        ]
        due.sort(key=lambda article: (article["next_check_at"], article["article_id"]))
        return due[:limit]

    def has_check(self, article_id: str, at: dt.datetime) -> bool:
        """Whether a check of the article at exactly ``at`` is stored (replays are idempotent).

        This fallback reads the article's checks; stores override it with a query.
        """
        moment = as_utc(at)
        return any(check["at"] == moment for check in self.list_checks(article_id))

    def versions_since(self, since: dt.datetime) -> dict[str, int]:
        """Number of versions fetched at or after ``since``, per outlet.

        This fallback reads every article's version list; stores override it with a query.
        """
        counts: dict[str, int] = {}
        cutoff = as_utc(since)
        for article in self.iter_articles(states=ARTICLE_STATES):
            recent = sum(1 for v in self.list_versions(article["article_id"]) if v["fetched_at"] >= cutoff)
            if recent:
                counts[article.get("outlet") or ""] = counts.get(article.get("outlet") or "", 0) + recent
        return counts

    @abc.abstractmethod
    def count(self, kind: str) -> int:
        """How many ``articles``, ``versions`` or ``checks`` are stored."""

    def close(self) -> None:
        """Release connections; the store is unusable afterwards."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
