"""Turning one fetched article page into a check, and into a version when it really changed.

This is the logic behind ``pipelines.revisions.RevisionPipeline``, kept free of Scrapy so that
it can be tested and reused (replays, imports) on its own.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tracker.diff import diff_versions
from tracker.normalize import (
    article_id,
    canonical_url,
    clean_paragraphs,
    clean_text,
    content_hash,
    raw_hash,
    word_count,
)
from tracker.schedule import Policy, next_check
from tracker.store.base import Store, VersionConflict, as_utc, compress_html, utcnow

logger = logging.getLogger(__name__)

# Versions written with these outcomes; every other outcome is a check only.
VERSION_OUTCOMES = ("new", "changed")
MAX_CONFLICT_RETRIES = 5
MAX_HEADLINE_CHARS = 1_000
# A paywalled page that suddenly has less than this share of the previous text is truncated,
# not edited.
PAYWALL_TRUNCATION_RATIO = 0.5


@dataclass(frozen=True)
class Limits:
    """Bounds on hostile input."""

    max_paragraphs: int = 2_000
    max_body_chars: int = 1_000_000
    min_body_words: int = 10


@dataclass(frozen=True)
class Result:
    outcome: str
    article_id: str
    version: int | None = None
    truncated: bool = False      # text was cut to the limits
    conflicts: int = 0           # how often another writer came first


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


class Recorder:
    """Records fetched pages into a store."""

    def __init__(
        self,
        store: Store,
        *,
        keep_html: bool = True,
        limits: Limits = Limits(),
        policy: Policy = Policy(),
    ) -> None:
        self.store = store
        self.keep_html = keep_html
        self.limits = limits
        self.policy = policy

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
        previous = self.store.get_article(aid)
        status = page.get("status")
        article: dict[str, Any] = {
            "article_id": aid,
            "url": url,
            "outlet": page.get("outlet") or (previous or {}).get("outlet") or "",
            "last_checked_at": now,
            "last_status": status,
        }
        check: dict[str, Any] = {
            "at": now,
            "url": page.get("final_url") or page["url"],
            "status": status,
            "duration_ms": page.get("duration_ms"),
            "etag": page.get("etag"),
            "last_modified": page.get("last_modified"),
            "extractor": page.get("extractor"),
        }

        failure = http_outcome(status, page.get("error"))
        if failure is not None:
            check["error"] = page.get("error")
            return self._check_only(failure, article, check, previous)

        # A good response: remember validators for the next conditional GET.
        article["etag"] = page.get("etag")
        article["last_modified"] = page.get("last_modified")
        headline = clean_text(page.get("headline") or "")[:MAX_HEADLINE_CHARS]
        paragraphs, truncated = bound_paragraphs(clean_paragraphs(page.get("paragraphs") or []), self.limits)
        words = word_count(paragraphs)
        if words < self.limits.min_body_words:
            if page.get("isAccessibleForFree") is False:
                outcome = "paywall"
            elif page.get("looks_like_article"):
                outcome = "extraction_failed"
            else:
                outcome = "empty"
            return self._check_only(outcome, article, check, previous)

        digest = content_hash(headline, paragraphs)
        exact = raw_hash(headline, paragraphs)
        check["content_hash"] = digest
        conflicts = 0
        while True:
            latest = self.store.latest_version(aid)
            if latest is not None and latest["content_hash"] == digest:
                outcome = "unchanged" if latest.get("raw_hash") == exact else "boring"
                return self._check_only(outcome, article, check, previous, conflicts=conflicts)
            if (
                latest is not None
                and page.get("isAccessibleForFree") is False
                and words < PAYWALL_TRUNCATION_RATIO * (latest.get("word_count") or 0)
            ):
                return self._check_only("paywall", article, check, previous, conflicts=conflicts)
            if latest is not None and page.get("parser_failed"):
                # The outlet's parser broke (a redesign?): the fallback's text would show as
                # a bogus change, so it is reported, not stored.
                return self._check_only("extraction_fallback", article, check, previous, conflicts=conflicts)

            version = self._version_document(page, now, headline, paragraphs, digest, exact, latest)
            outcome = "new" if latest is None else "changed"
            check["outcome"] = outcome
            article.update(
                headline=headline,
                latest_hash=digest,
                latest_raw_hash=exact,
                last_changed_at=now,
                last_outcome=outcome,
                checks_since_change=0,
                consecutive_errors=0,
                consecutive_gone=0,
                published_at=as_utc_or_none(page.get("datePublished")),
            )
            self._schedule(article, previous, now)
            expected = latest["version"] if latest is not None else 0
            try:
                number = self.store.save_version(article, version, check, expected_count=expected)
            except VersionConflict:
                conflicts += 1
                if conflicts > MAX_CONFLICT_RETRIES:
                    raise
                logger.info("version conflict on %s, retrying (%d)", url, conflicts)
                continue
            return Result(outcome, aid, number, truncated, conflicts)

    def _version_document(
        self,
        page: Mapping[str, Any],
        now: Any,
        headline: str,
        paragraphs: list[str],
        digest: str,
        exact: str,
        latest: Mapping[str, Any] | None,
    ) -> dict[str, Any]:
        diff = None
        if latest is not None:
            diff = diff_versions(latest.get("paragraphs") or [], paragraphs)
            if (latest.get("headline") or "") != headline:
                diff["headline"] = {"old": latest.get("headline") or "", "new": headline}
        version: dict[str, Any] = {
            "outlet": page.get("outlet") or "",
            "fetched_at": now,
            "url": page.get("final_url") or page["url"],
            "content_hash": digest,
            "raw_hash": exact,
            "headline": headline,
            "authors": [clean_text(a)[:200] for a in page.get("authors") or [] if clean_text(a)][:50],
            "datePublished": page.get("datePublished"),
            "dateModified": page.get("dateModified"),
            "description": clean_text(page.get("description") or "")[:5_000] or None,
            "inLanguage": page.get("inLanguage"),
            "paragraphs": paragraphs,
            "word_count": word_count(paragraphs),
            "extractor": page.get("extractor"),
            "diff": diff,
            "diff_stats": diff["stats"] if diff else None,
        }
        html = page.get("html")
        if self.keep_html and html:
            version["html"], version["html_encoding"] = compress_html(html)
        return version

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
        if outcome in ("error", "gone", "extraction_failed"):
            article["consecutive_errors"] = (previous.get("consecutive_errors") or 0) + 1
        else:
            article["consecutive_errors"] = 0
        article["consecutive_gone"] = (previous.get("consecutive_gone") or 0) + 1 if outcome == "gone" else 0
        article["checks_since_change"] = (previous.get("checks_since_change") or 0) + 1
        self._schedule(article, previous, check["at"])
        self.store.record_check(article, check)
        return Result(outcome, article["article_id"], None, False, conflicts)


def truncate_to_ms(moment: dt.datetime) -> dt.datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def as_utc_or_none(value: Any) -> Any:
    """A publication date from page metadata, or None when it isn't a parseable date."""
    try:
        return as_utc(value)
    except (TypeError, ValueError):
        return None
