"""Turning one fetched article page into a check, and into a version when it really changed.

This is the logic behind ``pipelines.revisions.RevisionPipeline``, kept free of Scrapy so that
it can be tested and reused (replays, imports) on its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from tracker import __version__
from tracker.diff import diff_field, diff_versions
from tracker.extraction import extract_article
from tracker.normalize import (
    HASH_SCHEME,
    LEGACY_HASH_SCHEME,
    TrackedText,
    article_id,
    byline_of,
    canonical_url,
    clean_paragraphs,
    clean_text,
)
from tracker.schedule import Policy, next_check
from tracker.store.base import (
    Store,
    VersionConflict,
    as_utc,
    compress_html,
    compress_utf8,
    utcnow,
)

logger = logging.getLogger(__name__)

# Versions written with these outcomes; every other outcome is a check only.
VERSION_OUTCOMES = ("new", "changed")
MAX_CONFLICT_RETRIES = 5
MAX_HEADLINE_CHARS = 1_000
MAX_STANDFIRST_CHARS = 5_000
MAX_BYLINE_CHARS = 1_000
# A paywalled page that suddenly has less than this share of the previous text is truncated,
# not edited.
PAYWALL_TRUNCATION_RATIO = 0.5
# Flip-flops: once a page went back to an earlier text (a version with ``reverts_to``), further
# switches among stored texts within this time of that version are checks, not versions ...
FLIPFLOP_WINDOW = dt.timedelta(days=1)
# ... unless the page shows the same stored text on this many checks in a row: then it has
# settled on it, and that is a version again.
FLIPFLOP_SETTLE_CHECKS = 2
# Tracked fields besides the body, in the order the diff lists them.
TRACKED_FIELDS = ("headline", "standfirst", "byline")
# Outcomes after which the latest version holds exactly the text of the body just checked:
# only then is a byte-identical body the same check again (``unchanged``) without extracting it.
# (After ``boring``, ``flipflop``, a paywall ... the same body would be that outcome again.)
BODY_HASH_OUTCOMES = ("new", "changed", "unchanged")


@dataclass(frozen=True)
class Limits:
    """Bounds on hostile input."""

    max_paragraphs: int = 2_000
    max_body_chars: int = 1_000_000
    min_body_words: int = 10


def limits_from_settings(settings: Any) -> Limits:
    """The limits from Scrapy settings (``TRACKER_MAX_PARAGRAPHS`` ...)."""
    return Limits(
        max_paragraphs=settings.getint("TRACKER_MAX_PARAGRAPHS"),
        max_body_chars=settings.getint("TRACKER_MAX_BODY_CHARS"),
        min_body_words=settings.getint("TRACKER_MIN_BODY_WORDS"),
    )


@dataclass(frozen=True)
class Result:
    outcome: str
    article_id: str
    version: int | None = None
    truncated: bool = False      # text was cut to the limits
    conflicts: int = 0           # how often another writer came first
    reverts_to: int | None = None  # the earlier version the page's text equals (revert, flip-flop)


@dataclass(frozen=True)
class Decision:
    """What one check of a usable page amounts to."""

    outcome: str                     # a check outcome; "new" / "changed" write a version
    reverts_to: int | None = None    # the earlier version whose text the page shows again
    upgrade_hash: bool = False       # the latest version has the old hash scheme: move the article to the new one


@dataclass(frozen=True)
class Baseline:
    """The hashes the page is compared with, and the scheme that produced them."""

    scheme: int
    content_hash: str
    raw_hash: str | None


def body_hash(body: bytes, *context: str) -> str:
    """The hash of a response's raw bytes that an identical re-check is recognised by, with
    what else its extraction depends on (``context``: URL, content type). Keyed with the
    tracker's version: a release may extract the same bytes differently."""
    digest = hashlib.sha256("\n".join([f"tracker {__version__}", *context, ""]).encode())  # sha256: fastest here
    digest.update(body)
    return digest.hexdigest()[:32]


def can_skip_extraction(article: Mapping[str, Any] | None, digest: str | None) -> bool:
    """Whether a page whose body hashes to ``digest`` is certainly ``unchanged`` for this
    article: its last check with a body had these very bytes and left the latest version with
    their text (``latest_body_hash`` is only kept after BODY_HASH_OUTCOMES)."""
    return bool(
        article is not None
        and digest
        and article.get("latest_body_hash") == digest
        and article.get("latest_hash_scheme") == HASH_SCHEME
    )


def http_outcome(status: int | None, error: str | None) -> str | None:
    """The outcome of a response that carries no article, or None for a usable one."""
    if error or status is None:
        return "error"
    if status == 304:
        return "not_modified"
    if status in (404, 410):
        return "gone"
    if status >= 400 or status < 200:
        return "error"
    return None


def bound_paragraphs(paragraphs: list[str], limits: Limits) -> tuple[list[str], bool]:
    """At most ``max_paragraphs`` paragraphs and ``max_body_chars`` characters."""
    kept: list[str] = []
    total = 0
    for paragraph in paragraphs[: limits.max_paragraphs]:
        room = limits.max_body_chars - total
        if room <= 0:
            return kept, True
        if len(paragraph) > room:
            kept.append(paragraph[:room])
            return kept, True
        kept.append(paragraph)
        total += len(paragraph)
    return kept, len(paragraphs) > limits.max_paragraphs


def tracked_text(page: Mapping[str, Any], limits: Limits) -> tuple[TrackedText, bool]:
    """The page's tracked fields, cleaned and bounded; True when the body was cut."""
    paragraphs, truncated = bound_paragraphs(clean_paragraphs(page.get("paragraphs") or []), limits)
    byline = page.get("byline")
    if byline is None:  # pages spooled before bylines were tracked
        byline = byline_of(page.get("authors") or [])
    text = TrackedText(
        headline=clean_text(page.get("headline") or "")[:MAX_HEADLINE_CHARS],
        paragraphs=paragraphs,
        standfirst=clean_text(page.get("standfirst") or "")[:MAX_STANDFIRST_CHARS],
        byline=clean_text(byline)[:MAX_BYLINE_CHARS],
    )
    return text, truncated


def prepare_page(
    fields: Mapping[str, Any], html: str | None, limits: Limits, *, keep_html: bool, html_utf8: bytes | None = None
) -> dict[str, Any]:
    """The part of recording a page that needs nothing from the store, done ahead where the
    page is extracted (a worker process, off the crawl's): its tracked text with hashes and
    word count, and the compressed HTML (``html_utf8``: the HTML's UTF-8 bytes, when at hand).
    An item carries it as ``prepared``; what is stored is the same with or without it
    (:meth:`Recorder.record` computes what a page lacks)."""
    text, truncated = tracked_text(fields, limits)
    extracted = fields.get("paragraphs") or []
    if text.paragraphs == extracted:
        # Cleaning changed nothing (the rule): the page's own strings, which then travel back
        # from the worker once, not twice (a third less to unpickle in the crawl's thread).
        text = replace(text, paragraphs=list(extracted))
    for compute in (text.content_hash, text.raw_hash, text.word_count):
        compute()  # memoised in ``text``: the recorder finds them done
    prepared: dict[str, Any] = {"limits": limits, "hash_scheme": HASH_SCHEME, "text": text, "truncated": truncated}
    if keep_html and html:
        prepared["html"] = compress_utf8(html_utf8) if html_utf8 is not None else compress_html(html)
    return prepared


def empty_outcome(page: Mapping[str, Any]) -> str:
    """Why a good response has (almost) no body."""
    if page.get("isAccessibleForFree") is False:
        return "paywall"
    if page.get("looks_like_article"):
        return "extraction_failed"
    return "empty"


def baseline(latest: Mapping[str, Any], article: Mapping[str, Any] | None) -> Baseline:
    """What to compare a page with: the latest version's hashes, or, for a version hashed by
    the old scheme, the article's hashes once a check has moved it to the new scheme."""
    scheme = latest.get("hash_scheme") or LEGACY_HASH_SCHEME
    if scheme == HASH_SCHEME:
        return Baseline(scheme, latest["content_hash"], latest.get("raw_hash"))
    article = article or {}
    if article.get("latest_hash_scheme") == HASH_SCHEME and article.get("version_count") == latest["version"]:
        return Baseline(HASH_SCHEME, article["latest_hash"], article.get("latest_raw_hash"))
    return Baseline(LEGACY_HASH_SCHEME, latest["content_hash"], latest.get("raw_hash"))


def recorded_fields(version: Mapping[str, Any]) -> dict[str, str | None]:
    """A stored version's tracked fields besides the body; None: not recorded (a version
    stored before standfirsts were tracked). Bylines derive from the authors it kept."""
    old_scheme = (version.get("hash_scheme") or LEGACY_HASH_SCHEME) == LEGACY_HASH_SCHEME
    return {
        "headline": version.get("headline") or "",
        "standfirst": None if old_scheme else version.get("standfirst") or "",
        "byline": byline_of(version.get("authors") or []) if old_scheme else version.get("byline") or "",
    }


def changed_fields(old: Mapping[str, str | None], new: Mapping[str, str | None]) -> list[str]:
    """The tracked fields (besides the body) that differ; a field the old version did not
    record (None) counts as changed only when the new one has text."""
    return [name for name in TRACKED_FIELDS if old[name] != new[name] and (old[name] is not None or new[name])]


def version_diff(latest: Mapping[str, Any], text: TrackedText) -> dict[str, Any]:
    """The diff of the body plus ``fields``: each other tracked field that changed."""
    diff = diff_versions(latest.get("paragraphs") or [], list(text.paragraphs))
    old = recorded_fields(latest)
    new = {"headline": text.headline, "standfirst": text.standfirst, "byline": text.byline}
    changed = {name: diff_field(old[name], new[name] or "") for name in changed_fields(old, new)}
    if changed:
        diff["fields"] = changed
    if "headline" in changed:  # kept for readers of the diff format before ``fields``
        diff["headline"] = {"old": old["headline"], "new": text.headline}
    return diff


class Recorder:
    """Records fetched pages into a store.

    One page goes through named steps: classify the response, extract and bound its tracked
    text, compare it with the latest version (and the earlier ones, for reverts and
    flip-flops), decide the outcome, write a check or a version.
    """

    def __init__(
        self,
        store: Store,
        *,
        keep_html: bool = True,
        limits: Limits = Limits(),
        policy: Policy = Policy(),
        flipflop_window: dt.timedelta = FLIPFLOP_WINDOW,
    ) -> None:
        self.store = store
        self.keep_html = keep_html
        self.limits = limits
        self.policy = policy
        self.flipflop_window = flipflop_window

    def record(self, page: Mapping[str, Any], *, replay: bool = False) -> Result:
        """Record one page given as the fields of a :class:`tracker.items.Article`.

        ``replay`` (a page from the spool): skip it if its check is already stored, so that
        replaying a page twice never records anything twice.
        """
        url = canonical_url(page["url"])
        aid = article_id(url)
        # Millisecond precision: what every store keeps (BSON dates), so that a check's time
        # identifies it in any store.
        now = truncate_to_ms(as_utc(page.get("fetched_at")) or utcnow())
        if replay and self.store.has_check(aid, now):
            return Result("duplicate", aid)
        # The article and its latest version (without the heavy fields), read together: the
        # fewest round trips a check can cost (docs/DATA.md, "Per-check cost").
        previous, latest = self.store.article_and_latest(aid)
        article = self._article_fields(page, aid, url, now, previous)
        check = self._check_fields(page, now)

        failure = http_outcome(page.get("status"), page.get("error"))
        if failure is not None:
            check["error"] = page.get("error")
            return self._check_only(failure, article, check, previous)
        # A good response: remember validators for the next conditional GET.
        article["etag"] = page.get("etag")
        article["last_modified"] = page.get("last_modified")
        if page.get("extraction_skipped"):
            if can_skip_extraction(previous, page.get("body_hash")):
                return self._identical_body(article, check, previous)
            page = with_extraction(page)  # the article moved on since the spider looked
        article["last_disagreement"] = page.get("disagreement")
        article["latest_body_hash"] = page.get("body_hash")
        article["latest_extractor"] = page.get("extractor")
        text, truncated = self._tracked_text(page)
        if text.word_count() < self.limits.min_body_words:
            return self._check_only(empty_outcome(page), article, check, previous)
        check["content_hash"] = text.content_hash()
        return self._compare_and_write(page, text, truncated, article, check, previous, latest)

    # --- steps ----------------------------------------------------------------------------

    def _tracked_text(self, page: Mapping[str, Any]) -> tuple[TrackedText, bool]:
        """The page's tracked text (and whether it was cut): as the extraction worker prepared
        it, or computed here (spool replays, pages extracted after all, other limits)."""
        prepared = page.get("prepared")
        if prepared and prepared.get("limits") == self.limits and prepared.get("hash_scheme") == HASH_SCHEME:
            return prepared["text"], prepared["truncated"]
        return tracked_text(page, self.limits)

    def _identical_body(
        self, article: dict[str, Any], check: dict[str, Any], previous: Mapping[str, Any]
    ) -> Result:
        """The same bytes as the last check with a body: ``unchanged``, recorded as that check
        was (its extractor, disagreement and text hash) without extracting the page again."""
        article["last_disagreement"] = previous.get("last_disagreement")
        check.update(
            extractor=previous.get("latest_extractor"),
            disagreement=previous.get("last_disagreement"),
            content_hash=previous.get("latest_hash"),
            matched_version=None,
        )
        return self._check_only("unchanged", article, check, previous)

    @staticmethod
    def _article_fields(
        page: Mapping[str, Any], aid: str, url: str, now: dt.datetime, previous: Mapping[str, Any] | None
    ) -> dict[str, Any]:
        return {
            "article_id": aid,
            "url": url,
            "outlet": page.get("outlet") or (previous or {}).get("outlet") or "",
            "last_checked_at": now,
            "last_status": page.get("status"),
        }

    @staticmethod
    def _check_fields(page: Mapping[str, Any], now: dt.datetime) -> dict[str, Any]:
        return {
            "at": now,
            "url": page.get("final_url") or page["url"],
            "status": page.get("status"),
            "duration_ms": page.get("duration_ms"),
            "etag": page.get("etag"),
            "last_modified": page.get("last_modified"),
            "extractor": page.get("extractor"),
            # How far the outlet parser's body was from the generic extractor's (parser health).
            "disagreement": page.get("disagreement"),
        }

    def _compare_and_write(
        self,
        page: Mapping[str, Any],
        text: TrackedText,
        truncated: bool,
        article: dict[str, Any],
        check: dict[str, Any],
        previous: Mapping[str, Any] | None,
        latest: Mapping[str, Any] | None,
    ) -> Result:
        """Decide against the latest version (read without paragraphs or HTML: most checks end
        there) and write; re-decide when another writer came first."""
        conflicts = 0
        while True:
            if conflicts:
                latest = self.store.latest_version(article["article_id"], bulk=False)
            decision = self._decide(page, text, latest, previous, check["at"])
            if decision.outcome not in VERSION_OUTCOMES:
                if decision.upgrade_hash:
                    article.update(
                        latest_hash=check["content_hash"], latest_raw_hash=text.raw_hash(),
                        latest_hash_scheme=HASH_SCHEME,
                    )
                if decision.outcome == "flipflop":
                    # The next check must see the text to tell a settled page from the
                    # alternation going on; a 304 to a conditional GET would hide it.
                    article["etag"] = article["last_modified"] = None
                check["matched_version"] = decision.reverts_to
                result = self._check_only(decision.outcome, article, check, previous, conflicts=conflicts)
                return replace(result, reverts_to=decision.reverts_to)
            try:
                latest = self._with_paragraphs(latest)
                number = self._write_version(page, text, decision, latest, article, check, previous)
            except VersionConflict:
                conflicts += 1
                if conflicts > MAX_CONFLICT_RETRIES:
                    raise
                logger.info("version conflict on %s, retrying (%d)", article["url"], conflicts)
                continue
            return Result(decision.outcome, article["article_id"], number, truncated, conflicts, decision.reverts_to)

    def _with_paragraphs(self, latest: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
        """The latest version with its text (not its raw HTML or diff), for the diff of a new one
        (the decision read it without); a conflict if another writer stored a version in between."""
        if latest is None:
            return None
        full = self.store.latest_version(latest["article_id"], text_only=True)
        if full is None or full["version"] != latest["version"]:
            raise VersionConflict(f"article {latest['article_id']}: a version was stored meanwhile")
        return full

    def _decide(
        self,
        page: Mapping[str, Any],
        text: TrackedText,
        latest: Mapping[str, Any] | None,
        previous: Mapping[str, Any] | None,
        now: dt.datetime,
    ) -> Decision:
        if latest is None:
            return Decision("new")
        base = baseline(latest, previous)
        if text.content_hash(base.scheme) == base.content_hash:
            return self._same_as_latest(text, base, latest, previous)
        if (
            page.get("isAccessibleForFree") is False
            and text.word_count() < PAYWALL_TRUNCATION_RATIO * (latest.get("word_count") or 0)
        ):
            return Decision("paywall")
        if page.get("parser_failed"):
            # The outlet's parser broke (a redesign?): the fallback's text would show as
            # a bogus change, so it is reported, not stored.
            return Decision("extraction_fallback")
        if page.get("disagreement") is not None:
            # The outlet's parser read something else than the generic extractor: its text
            # is suspect (a redesign?), so the change is reported, not stored.
            return Decision("extraction_disagreement")
        earlier = self._earlier_version(latest, text)
        if earlier is None:
            return Decision("changed")
        if self._flipflopping(latest, now) and not self._settled(latest["article_id"], text):
            return Decision("flipflop", reverts_to=earlier)
        return Decision("changed", reverts_to=earlier)

    def _same_as_latest(
        self,
        text: TrackedText,
        base: Baseline,
        latest: Mapping[str, Any],
        previous: Mapping[str, Any] | None,
    ) -> Decision:
        """The page shows the latest version's text: unchanged, only reformatted, or back to
        it in the middle of a flip-flop."""
        aid = latest["article_id"]
        if (previous or {}).get("last_outcome") == "flipflop" and not self._settled(aid, text):
            found = self.store.find_version_by_hash(aid, latest["content_hash"])
            return Decision("flipflop", reverts_to=found["version"] if found else latest["version"])
        outcome = "unchanged" if text.raw_hash(base.scheme) == base.raw_hash else "boring"
        return Decision(outcome, upgrade_hash=base.scheme != HASH_SCHEME)

    def _earlier_version(self, latest: Mapping[str, Any], text: TrackedText) -> int | None:
        """The number of the first stored version with the page's text, if any."""
        aid = latest["article_id"]
        found = self.store.find_version_by_hash(aid, text.content_hash())
        if found is None and (latest.get("hash_scheme") or LEGACY_HASH_SCHEME) == LEGACY_HASH_SCHEME:
            # Versions stored before the new scheme can only match on headline and body; one
            # that matches the latest version's is no earlier text (only a new field changed).
            legacy = text.content_hash(LEGACY_HASH_SCHEME)
            if legacy != latest["content_hash"]:
                found = self.store.find_version_by_hash(aid, legacy)
        return found["version"] if found else None

    def _flipflopping(self, latest: Mapping[str, Any], now: dt.datetime) -> bool:
        """Whether the latest version is a recent revert: switches among stored texts are
        then the alternation continuing."""
        fetched = as_utc(latest.get("fetched_at"))
        return (
            latest.get("reverts_to") is not None
            and fetched is not None
            and now - fetched < self.flipflop_window
        )

    def _settled(self, aid: str, text: TrackedText) -> bool:
        """Whether the page showed this text on the checks before this one too (enough of them
        to make ``FLIPFLOP_SETTLE_CHECKS`` in a row with this one)."""
        needed = FLIPFLOP_SETTLE_CHECKS - 1
        digest = text.content_hash()
        seen = [c["content_hash"] for c in self.store.list_checks(aid, limit=needed + 3) if c.get("content_hash")]
        return len(seen) >= needed and all(found == digest for found in seen[:needed])

    def _write_version(
        self,
        page: Mapping[str, Any],
        text: TrackedText,
        decision: Decision,
        latest: Mapping[str, Any] | None,
        article: dict[str, Any],
        check: dict[str, Any],
        previous: Mapping[str, Any] | None,
    ) -> int:
        """Store the page as version n+1; raises VersionConflict when another writer came first."""
        now = check["at"]
        version = self._version_document(page, now, text, latest)
        version["reverts_to"] = decision.reverts_to
        check["outcome"] = decision.outcome
        check["matched_version"] = decision.reverts_to
        article.update(
            headline=text.headline,
            latest_hash=version["content_hash"],
            latest_raw_hash=version["raw_hash"],
            latest_hash_scheme=HASH_SCHEME,
            last_changed_at=now,
            last_outcome=decision.outcome,
            checks_since_change=0,
            consecutive_errors=0,
            consecutive_gone=0,
            published_at=as_utc_or_none(page.get("datePublished")),
        )
        self._schedule(article, previous, now)
        expected = latest["version"] if latest is not None else 0
        return self.store.save_version(article, version, check, expected_count=expected)

    def _version_document(
        self,
        page: Mapping[str, Any],
        now: Any,
        text: TrackedText,
        latest: Mapping[str, Any] | None,
    ) -> dict[str, Any]:
        diff = version_diff(latest, text) if latest is not None else None
        version: dict[str, Any] = {
            "outlet": page.get("outlet") or "",
            "fetched_at": now,
            "url": page.get("final_url") or page["url"],
            "content_hash": text.content_hash(),
            "raw_hash": text.raw_hash(),
            "hash_scheme": HASH_SCHEME,
            "headline": text.headline,
            "standfirst": text.standfirst,
            "byline": text.byline,
            "authors": [clean_text(a)[:200] for a in page.get("authors") or [] if clean_text(a)][:50],
            "datePublished": page.get("datePublished"),
            "dateModified": page.get("dateModified"),
            "description": clean_text(page.get("description") or "")[:5_000] or None,
            "inLanguage": page.get("inLanguage"),
            "paragraphs": list(text.paragraphs),
            "word_count": text.word_count(),
            "extractor": page.get("extractor"),
            "diff": diff,
            # With the names of the changed tracked fields: listings need not read the diff.
            "diff_stats": {**diff["stats"], "fields": list(diff.get("fields", {}))} if diff else None,
        }
        html = self._compressed_html(page)
        if html is not None:
            version["html"], version["html_encoding"] = html
        return version

    def _compressed_html(self, page: Mapping[str, Any]) -> tuple[bytes, str] | None:
        """The page's HTML compressed for storage (as the extraction worker prepared it, or
        compressed here); None when no HTML is kept."""
        if not self.keep_html:
            return None
        prepared = (page.get("prepared") or {}).get("html")
        if prepared is not None:
            return prepared
        html = page.get("html")
        return compress_html(html) if html else None

    def _schedule(self, article: dict[str, Any], previous: Mapping[str, Any] | None, now: Any) -> None:
        """Set the article's state and next check time from its history after this check."""
        history = {**(previous or {}), **article}
        history.setdefault("first_seen_at", now)
        decision = next_check(history, now, self.policy)
        article["state"] = decision.state
        article["next_check_at"] = decision.next_check_at

    def _check_only(
        self,
        outcome: str,
        article: dict[str, Any],
        check: dict[str, Any],
        previous: Mapping[str, Any] | None,
        *,
        conflicts: int = 0,
    ) -> Result:
        check["outcome"] = outcome
        previous = previous or {}
        article["last_outcome"] = outcome
        if outcome not in BODY_HASH_OUTCOMES and "latest_body_hash" in article:
            article["latest_body_hash"] = None  # the same body would not be unchanged next time
        if outcome in ("error", "gone", "extraction_failed"):
            article["consecutive_errors"] = (previous.get("consecutive_errors") or 0) + 1
        else:
            article["consecutive_errors"] = 0
        article["consecutive_gone"] = (previous.get("consecutive_gone") or 0) + 1 if outcome == "gone" else 0
        article["checks_since_change"] = (previous.get("checks_since_change") or 0) + 1
        self._schedule(article, previous, check["at"])
        self.store.record_check(article, check)
        return Result(outcome, article["article_id"], None, False, conflicts)


def with_extraction(page: Mapping[str, Any]) -> dict[str, Any]:
    """A page whose extraction the spider skipped, extracted here after all (rare: the article
    changed between the spider's look and the recording, or a spooled page is replayed late)."""
    fields = extract_article(page.get("html") or "", page.get("final_url") or page["url"])
    return {**page, **fields, "extraction_skipped": False}


def truncate_to_ms(moment: dt.datetime) -> dt.datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def as_utc_or_none(value: Any) -> Any:
    """A publication date from page metadata, or None when it isn't a parseable date."""
    try:
        return as_utc(value)
    except (TypeError, ValueError):
        return None
