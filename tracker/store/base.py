"""The one interface every store implements, and the documents it holds.

Documents are plain dicts with the field names of docs/DATA.md. Times are timezone-aware UTC
datetimes in Python; each backend picks its own representation on disk.
"""

from __future__ import annotations

import abc
import datetime as dt
import functools
import re
import zlib
from collections.abc import Callable, Collection, Iterator
from typing import Any, TypeVar

from tracker.normalize import valid_unicode

ARTICLE_STATES = ("active", "retired", "gone")

# Check outcomes. A version is only ever written with "new" or "changed".
OUTCOMES = (
    "new",                  # first sight: version 1
    "changed",              # real change: version n+1
    "unchanged",            # same text
    "flipflop",             # the page switched again among texts already stored: no version
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


def display_state(article: dict[str, Any]) -> str:
    """The state to show: ``pending`` for an active article whose every check failed so far
    (no version yet); the stored ``state`` otherwise, which the schedule goes by."""
    state = article.get("state") or "active"
    return "pending" if state == "active" and not article.get("version_count") else state


def empty_outlet_counts() -> dict[str, Any]:
    """One outlet's row of :meth:`Store.outlet_counts` before counting."""
    return {"tracked": 0, "active": 0, "retired": 0, "gone": 0, "due_now": 0, "last_crawl": None}


def newest_first(version: dict[str, Any]) -> tuple[Any, ...]:
    """Sort key of :meth:`Store.recent_versions` (descending): fetch time, outlet, article, number."""
    return (version["fetched_at"], version.get("outlet") or "", version["article_id"], version["version"])


def search_words(query: str, limit: int = 16) -> list[str]:
    """The words of a search query (letters and digits), at most ``limit`` of them."""
    return re.findall(r"\w+", query.lower())[:limit]


def _has_words(tokens: list[str], words: list[str]) -> bool:
    """Whether every word begins some token (a prefix match, as in full-text search)."""
    return all(any(token.startswith(word) for token in tokens) for word in words)


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
    return compress_utf8(html.encode("utf-8"))


def compress_utf8(data: bytes) -> tuple[bytes, str]:
    """:func:`compress_html` of the page's UTF-8 bytes, for a caller that has them already
    (encoding a large page again costs a fifth of compressing it)."""
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


Write = TypeVar("Write", bound=Callable[..., Any])


def storing_valid_text(write: Write) -> Write:
    """A store's write method that stores lone surrogates and NUL characters as U+FFFD.

    Extraction never lets them through; this is for what reaches a store another way (a
    migration of an archive written before, a caller of the Python API). SQLite and BSON cannot
    encode a lone surrogate and PostgreSQL, behind FerretDB, refuses NUL: failing would lose
    the check and its version.
    """
    @functools.wraps(write)
    def cleaned_write(self: Store, *documents: Any, **options: Any) -> Any:
        return write(self, *valid_unicode(documents), **options)

    return cleaned_write  # type: ignore[return-value]


_CREDENTIALS = re.compile(r"(?<=://)([^/@:]+)(:[^/@]*)?@")


def mask_uri(uri: str) -> str:
    """The URI with any password replaced, fit for logs and error messages."""
    return _CREDENTIALS.sub(lambda m: f"{m.group(1)}:***@" if m.group(2) else f"{m.group(1)}@", uri)


class Store(abc.ABC):
    """Articles, their versions and every check, behind one interface.

    Writers call :meth:`save_version` and :meth:`record_check`; everything else only reads.
    """

    uri: str
    # How far out of ``stored_at`` order versions may land (``versions_after`` readers re-read
    # this far back): writers stamp a version before it is committed.
    write_order_slack: dt.timedelta = dt.timedelta(minutes=10)
    # True: writes go through one connection, one at a time (the crawl then writes from one
    # thread: more would only queue for it).
    serial_writes: bool = False

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
    def latest_version(self, article_id: str, *, bulk: bool = True, text_only: bool = False) -> dict[str, Any] | None:
        """The newest version; ``bulk=False``: without raw HTML, paragraphs and diff (what a
        check needs to decide, read without the heavy fields); ``text_only``: with its
        paragraphs but without raw HTML and diff (what the diff of a new version needs)."""

    def article_and_latest(self, article_id: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """What recording a check reads first: the article (as :meth:`get_article`) and its
        latest version without the heavy fields (as ``latest_version(bulk=False)``). Stores
        override it to read both in fewer round trips."""
        return self.get_article(article_id), self.latest_version(article_id, bulk=False)

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

    # --- bulk reads for exports (fallbacks read everything; stores override with indexes) ---

    def articles_by_id(
        self, outlets: Collection[str] | None = None, *, after: str | None = None, limit: int = 500
    ) -> list[dict[str, Any]]:
        """One page of articles in any state, ordered by article_id, those after ``after``.

        Keyset pagination: pass the last article_id of a page to get the next, so that no
        cursor stays open for the length of an export. ``outlets``: only those outlets.
        """
        found = [
            article for article in self.iter_articles(states=ARTICLE_STATES)
            if (after is None or article["article_id"] > after)
            and (outlets is None or article.get("outlet") in outlets)
        ]
        found.sort(key=lambda article: article["article_id"])
        return found[:limit]

    def iter_versions(self, article_id: str, *, html: bool = False) -> Iterator[dict[str, Any]]:
        """Every version of an article, oldest first, whole (paragraphs, diff), with the raw
        page only when ``html``."""
        for listed in self.list_versions(article_id):
            version = self.get_version(article_id, listed["version"])
            if version is not None:
                if not html:
                    version.pop("html", None)
                yield version

    def iter_checks(self, article_id: str) -> Iterator[dict[str, Any]]:
        """Every check of an article, oldest first (the same instant: first recorded first)."""
        yield from reversed(self.list_checks(article_id))

    def find_version_by_hash(self, article_id: str, content_hash: str) -> dict[str, Any] | None:
        """The first version of the article with this ``content_hash`` (without raw HTML and
        paragraph text), or None. This fallback reads the version list; stores override it
        with an indexed query."""
        for version in self.list_versions(article_id):
            if version.get("content_hash") == content_hash:
                return version
        return None

    def has_check(self, article_id: str, at: dt.datetime) -> bool:
        """Whether a check of the article at exactly ``at`` is stored (replays are idempotent).

        This fallback reads the article's checks; stores override it with a query.
        """
        moment = as_utc(at)
        return any(check["at"] == moment for check in self.list_checks(article_id))

    def versions_since(self, since: dt.datetime, outlet: str | None = None) -> dict[str, int]:
        """Number of versions fetched at or after ``since``, per outlet (only ``outlet``'s when given).

        This fallback reads every article's version list; stores override it with a query.
        """
        counts: dict[str, int] = {}
        cutoff = as_utc(since)
        for article in self.iter_articles(outlet=outlet, states=ARTICLE_STATES):
            recent = sum(1 for v in self.list_versions(article["article_id"]) if v["fetched_at"] >= cutoff)
            if recent:
                counts[article.get("outlet") or ""] = counts.get(article.get("outlet") or "", 0) + recent
        return counts

    # --- reads for the web view (fallbacks read everything; stores override with indexes) ---

    def recent_versions(
        self, outlet: str | None = None, limit: int = 50, offset: int = 0, *, with_diff: bool = False,
        article_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Versions newest first (by :func:`newest_first`), ``limit`` of them after ``offset``;
        of one outlet, one article (``article_id``) or both when given.

        Without raw HTML and paragraph text; with the ``diff`` only when ``with_diff``.
        """
        articles = self.iter_articles(outlet=outlet, states=ARTICLE_STATES)
        if article_id is not None:
            articles = (article for article in articles if article["article_id"] == article_id)
        found = []
        for article in articles:
            for listed in self.list_versions(article["article_id"]):
                if with_diff:
                    full = self.get_version(article["article_id"], listed["version"]) or {}
                    listed = {**listed, "diff": full.get("diff")}
                found.append(listed)
        found.sort(key=newest_first, reverse=True)
        return found[offset: offset + limit]

    def list_articles(
        self,
        outlet: str | None = None,
        state: str | None = None,
        changed_since: dt.datetime | None = None,
        after: tuple[dt.datetime, str] | None = None,
        limit: int = 50,
    ) -> list[dict[str, Any]]:
        """Articles with at least one version, most recently changed first.

        Ordered by (last_changed_at, article_id) descending; ``after`` is the key of the last
        article of the previous page (keyset pagination).
        """
        since = as_utc(changed_since)
        states = (state,) if state else ARTICLE_STATES
        found = [
            article for article in self.iter_articles(outlet=outlet, states=states)
            if article.get("last_changed_at") is not None
            and (since is None or article["last_changed_at"] >= since)
            and (after is None or (article["last_changed_at"], article["article_id"]) < after)
        ]
        found.sort(key=lambda article: (article["last_changed_at"], article["article_id"]), reverse=True)
        return found[:limit]

    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        """Articles whose latest headline (stores with a text index: or text) has every word
        of ``query``, best match first."""
        words = search_words(query)
        if not words:
            return []
        found = [
            article for article in self.iter_articles(states=ARTICLE_STATES)
            if _has_words(search_words(article.get("headline") or "", limit=10_000), words)
        ]
        found.sort(key=lambda article: (article.get("last_changed_at") or article["first_seen_at"]), reverse=True)
        return found[offset: offset + limit]

    def outlet_counts(self, now: dt.datetime, outlet: str | None = None) -> dict[str, dict[str, Any]]:
        """Per outlet (only ``outlet`` when given): ``tracked``, ``active``, ``retired``,
        ``gone``, ``due_now``, ``last_crawl``."""
        counts: dict[str, dict[str, Any]] = {}
        cutoff = as_utc(now)
        for article in self.iter_articles(outlet=outlet, states=ARTICLE_STATES):
            row = counts.setdefault(article.get("outlet") or "", empty_outlet_counts())
            state = article.get("state") or "active"
            row["tracked"] += 1
            row[state] = row.get(state, 0) + 1
            due = article.get("next_check_at")
            if state == "active" and due is not None and due <= cutoff:
                row["due_now"] += 1
            checked = article.get("last_checked_at")
            if checked is not None and (row["last_crawl"] is None or checked > row["last_crawl"]):
                row["last_crawl"] = checked
        return counts

    def parser_health(self, since: dt.datetime) -> dict[str, dict[str, int]]:
        """Per outlet, of the articles last checked at or after ``since``: ``checked``, how
        many of those last checks found the outlet parser ``disagreeing`` with the generic
        extractor, and how many fell back to it (``fallback``: the parser found no body)."""
        health: dict[str, dict[str, int]] = {}
        cutoff = as_utc(since)
        for article in self.iter_articles(states=ARTICLE_STATES):
            checked = article.get("last_checked_at")
            if checked is None or checked < cutoff:
                continue
            row = health.setdefault(article.get("outlet") or "", {"checked": 0, "disagreeing": 0, "fallback": 0})
            row["checked"] += 1
            row["disagreeing"] += article.get("last_disagreement") is not None
            row["fallback"] += article.get("last_outcome") == "extraction_fallback"
        return health

    def pending_counts(self) -> dict[str, int]:
        """Per outlet: active articles without a version yet (every check so far failed).

        This fallback reads every active article; stores override it with a query.
        """
        counts: dict[str, int] = {}
        for article in self.iter_articles(states=("active",)):
            if not article.get("version_count"):
                counts[article.get("outlet") or ""] = counts.get(article.get("outlet") or "", 0) + 1
        return counts

    # --- crawl runs ----------------------------------------------------------------------

    @abc.abstractmethod
    def record_run(self, run: dict[str, Any]) -> None:
        """Keep the summary of a finished crawl (fields of docs/DATA.md, ``run``)."""

    @abc.abstractmethod
    def last_runs(self) -> dict[str, dict[str, Any]]:
        """Per outlet, the summary of its latest crawl (by ``finished_at``)."""

    # --- notifications (tracker notify) ---------------------------------------------------

    @abc.abstractmethod
    def versions_after(
        self, after: tuple[dt.datetime, str, int] | None = None, limit: int = 100
    ) -> list[dict[str, Any]]:
        """Versions in the order this store wrote them: those whose position
        ``(stored_at, article_id, version)`` comes after ``after``, at most ``limit``.

        ``stored_at`` is the store's own clock when it wrote the version (not ``fetched_at``:
        a page replayed from the spool is written long after it was fetched); it is private
        to this read, which returns it with each version. Versions written by a release
        without it are never returned. Without raw HTML and paragraph text, with the diff.
        """

    @abc.abstractmethod
    def notify_rule_state(self, rule_id: str) -> dict[str, Any] | None:
        """What ``tracker notify`` keeps for one rule (docs/DATA.md, ``notify_rule``)."""

    @abc.abstractmethod
    def save_notify_rule_state(self, state: dict[str, Any]) -> None:
        """Create or replace the state of the rule ``state["rule_id"]``."""

    @abc.abstractmethod
    def add_notification(self, notification: dict[str, Any]) -> bool:
        """Queue a notification (docs/DATA.md, ``notification``); False, and nothing
        written, when one for the same rule, article and version exists already."""

    @abc.abstractmethod
    def due_notifications(self, rule_id: str, now: dt.datetime, limit: int = 100) -> list[dict[str, Any]]:
        """The rule's ``pending`` notifications whose ``next_attempt_at`` is at or before
        ``now``, in the order they were queued."""

    @abc.abstractmethod
    def list_notifications(self, rule_id: str | None = None) -> list[dict[str, Any]]:
        """Every notification (of one rule), in the order they were queued."""

    @abc.abstractmethod
    def update_notification(self, notification: dict[str, Any]) -> None:
        """Set ``status``, ``attempts``, ``next_attempt_at``, ``sent_at``, ``error`` (those
        given) of the notification keyed by its rule_id, article_id and version."""

    @abc.abstractmethod
    def count(self, kind: str) -> int:
        """How many ``articles``, ``versions`` or ``checks`` are stored."""

    def close(self) -> None:
        """Release connections; the store is unusable afterwards."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
