"""What one article contributes to each table of the export (pure: documents in, rows out)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tracker.sentences import Sentence, match_sentences, pair_counts, split_version
from tracker.store.base import decompress_html

Rows = dict[str, list[dict[str, Any]]]
# The sentence tables of one article: its id and its kept versions, slimmed to SENTENCE_FIELDS
# (what the worker processes of a parallel export receive).
SentenceJob = tuple[str, list[dict[str, Any]]]

SENTENCE_TABLES = ("sentences", "sentence_matches", "version_pairs")
# The version fields the sentence tables read.
SENTENCE_FIELDS = ("version", "paragraphs", "fetched_at", "headline", "diff_stats")

# version_pairs columns taken from the stored diff statistics of the newer version.
DIFF_STAT_COLUMNS = ("paragraphs_added", "paragraphs_removed", "paragraphs_changed", "words_added", "words_removed")


@dataclass(frozen=True)
class Filters:
    """Which articles and versions an export holds (None: no restriction)."""

    outlets: frozenset[str] | None = None
    since: dt.datetime | None = None   # versions and checks at or after
    until: dt.datetime | None = None   # versions and checks before
    min_versions: int = 0              # articles with at least this many stored versions
    article_ids: frozenset[str] | None = None

    @property
    def has_time_window(self) -> bool:
        return self.since is not None or self.until is not None

    def in_window(self, moment: dt.datetime | None) -> bool:
        if not self.has_time_window:
            return True
        if moment is None:
            return False
        return (self.since is None or moment >= self.since) and (self.until is None or moment < self.until)


def article_rows(
    article: dict[str, Any],
    versions: Sequence[dict[str, Any]],
    checks: Sequence[dict[str, Any]],
    filters: Filters,
    *,
    include_html: bool = False,
) -> Rows | None:
    """The rows of every table for one article, or None when the filters leave it out.

    ``versions`` are all the article's stored versions, oldest first; a pair of consecutive
    versions is exported when both of them are, so every sentence index of
    ``sentence_matches`` points at a row of ``sentences``.
    """
    found = rows_without_sentences(article, versions, checks, filters, include_html=include_html)
    if found is None:
        return None
    rows, job = found
    return with_sentence_tables(rows, sentence_tables(*job))


def rows_without_sentences(
    article: dict[str, Any],
    versions: Sequence[dict[str, Any]],
    checks: Sequence[dict[str, Any]],
    filters: Filters,
    *,
    include_html: bool = False,
) -> tuple[Rows, SentenceJob] | None:
    """:func:`article_rows` but the sentence tables (the costly part), and what they are made from."""
    if len(versions) < filters.min_versions:
        return None
    kept = [version for version in versions if filters.in_window(version.get("fetched_at"))]
    if filters.has_time_window and not kept:
        return None
    rows: Rows = {
        "articles": [article],
        "versions": [version_row(version, include_html) for version in kept],
        "checks": [check for check in checks if filters.in_window(check.get("at"))],
    }
    slim = [{name: version.get(name) for name in SENTENCE_FIELDS} for version in kept]
    return rows, (article["article_id"], slim)


def with_sentence_tables(rows: Rows, sentences: Rows) -> Rows:
    """The rows of all six tables."""
    return {**rows, **sentences}


def sentence_tables(article_id: str, versions: Sequence[dict[str, Any]]) -> Rows:
    """The ``sentences``, ``sentence_matches`` and ``version_pairs`` rows of an article's versions."""
    rows: Rows = {table: [] for table in SENTENCE_TABLES}
    previous: tuple[dict[str, Any], list[Sentence]] | None = None
    for version in versions:
        sentences = split_version(version.get("paragraphs") or [])
        rows["sentences"] += sentence_rows(article_id, version["version"], sentences)
        if previous is not None and previous[0]["version"] == version["version"] - 1:
            rows["sentence_matches"] += match_rows(article_id, previous, (version, sentences), rows["version_pairs"])
        previous = (version, sentences)
    return rows


def version_row(version: dict[str, Any], include_html: bool) -> dict[str, Any]:
    row = {**version, "text": "\n\n".join(version.get("paragraphs") or [])}
    if include_html:
        row["html"] = decompress_html(version.get("html"), version.get("html_encoding"))
    return row


def sentence_rows(article_id: str, number: int, sentences: Sequence[Sentence]) -> list[dict[str, Any]]:
    return [
        {"article_id": article_id, "version": number, "paragraph_index": sentence.paragraph_index,
         "sentence_index": sentence.sentence_index, "sentence": sentence.text}
        for sentence in sentences
    ]


def match_rows(
    article_id: str,
    old: tuple[dict[str, Any], list[Sentence]],
    new: tuple[dict[str, Any], list[Sentence]],
    pairs: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """The sentence_matches rows of two consecutive versions; appends their version_pairs row."""
    (old_version, old_sentences), (new_version, new_sentences) = old, new
    matches = match_sentences(old_sentences, new_sentences)
    pairs.append(pair_row(article_id, old_version, new_version, pair_counts(matches)))
    numbers = {"article_id": article_id, "version_old": old_version["version"], "version_new": new_version["version"]}
    return [
        {**numbers, "sentence_index_old": match.index_old, "sentence_index_new": match.index_new,
         "operation": match.operation, "similarity": match.similarity}
        for match in matches
    ]


def pair_row(
    article_id: str, old: dict[str, Any], new: dict[str, Any], counts: dict[str, int]
) -> dict[str, Any]:
    old_at, new_at = old.get("fetched_at"), new.get("fetched_at")
    stats = new.get("diff_stats") or {}
    return {
        "article_id": article_id, "version_old": old["version"], "version_new": new["version"],
        "fetched_at_old": old_at, "fetched_at_new": new_at,
        "seconds_between": (new_at - old_at).total_seconds() if old_at and new_at else None,
        "headline_changed": (old.get("headline") or "") != (new.get("headline") or ""),
        **{f"sentences_{operation}": count for operation, count in counts.items()},
        **{column: stats.get(column) for column in DIFF_STAT_COLUMNS},
    }
