"""Two versions of an article laid out for reading: paragraph rows, word marks, changed fields.

Builds plain data (lists of ``(mark, text)`` segments, mark in ``""``, ``"del"``, ``"ins"``)
from ``tracker.diff``; templates turn segments into autoescaped ``<del>`` / ``<ins>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tracker.diff import diff_versions, diff_words
from tracker.revisions import TRACKED_FIELDS, changed_fields, recorded_fields

Segment = tuple[str, str]  # (mark, text)

# Fields of a version that are bookkeeping, not what the reader sees; ``paragraphs`` is the body.
NOT_COMPARED = frozenset({
    "article_id", "outlet", "url", "content_hash", "raw_hash", "html_encoding", "extractor",
    "boring_reason", "paragraphs", "html", "hash_scheme", "reverts_to",
})
_WORD_MARKS = {"=": "", "-": "del", "+": "ins"}


@dataclass
class Row:
    """One line of the side-by-side view: the old paragraph and the new one."""

    op: str                                   # equal / replace / delete / insert
    old: list[Segment] = field(default_factory=list)
    new: list[Segment] = field(default_factory=list)
    inline: list[Segment] = field(default_factory=list)


@dataclass
class FieldChange:
    name: str
    old: list[Segment]
    new: list[Segment]
    inline: list[Segment]
    changed: bool


def _word_segments(words: list[list[str]]) -> tuple[list[Segment], list[Segment], list[Segment]]:
    old = [(_WORD_MARKS[op], text) for op, text in words if op != "+"]
    new = [(_WORD_MARKS[op], text) for op, text in words if op != "-"]
    inline = [(_WORD_MARKS[op], text) for op, text in words]
    return old, new, inline


def paragraph_rows(diff: dict[str, Any], old: list[str], new: list[str]) -> list[Row]:
    """Rows in document order from a ``diff_versions`` result."""
    rows: list[Row] = []
    for entry in diff.get("paragraphs", []):
        op = entry["op"]
        if op == "equal":
            (i1, i2), (j1, _) = entry["old"], entry["new"]
            for offset in range(i2 - i1):
                text = new[j1 + offset]
                rows.append(Row("equal", [("", old[i1 + offset])], [("", text)], [("", text)]))
        elif op == "delete":
            rows.append(Row("delete", [("del", entry["text"])], [], [("del", entry["text"])]))
        elif op == "insert":
            rows.append(Row("insert", [], [("ins", entry["text"])], [("ins", entry["text"])]))
        else:
            rows.append(Row("replace", *_word_segments(entry["words"])))
    return rows


def _as_text(value: Any) -> str | None:
    """A field's value as text when it is text or a list of text; None for anything else."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "; ".join(value)
    return None


def field_changes(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    """Every text (or list of text) field of the two versions, headline first.

    Generic on purpose: fields that extractors add later (standfirst, byline ...) are
    compared without changes here.
    """
    names = [name for name in dict.fromkeys([*old, *new]) if name not in NOT_COMPARED]
    names.sort(key=lambda name: name != "headline")
    changes = []
    for name in names:
        before, after = _as_text(old.get(name)), _as_text(new.get(name))
        if (before is None and old.get(name) is not None) or (after is None and new.get(name) is not None):
            continue  # not text
        if before is None and after is None:
            continue
        before, after = before or "", after or ""
        words = diff_words(before, after) if before != after else [["=", after]]
        changes.append(FieldChange(name, *_word_segments(words), changed=before != after))
    return changes


@dataclass
class Comparison:
    diff: dict[str, Any]
    rows: list[Row]
    fields: list[FieldChange]

    @property
    def changed_fields(self) -> list[FieldChange]:
        return [change for change in self.fields if change.changed]


def compare_versions(old: dict[str, Any], new: dict[str, Any]) -> Comparison:
    old_paragraphs, new_paragraphs = old.get("paragraphs") or [], new.get("paragraphs") or []
    diff = diff_versions(old_paragraphs, new_paragraphs)
    return Comparison(diff, paragraph_rows(diff, old_paragraphs, new_paragraphs), field_changes(old, new))


def diff_document(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The diff object of docs/DATA.md between any two versions (``headline`` when it changed)."""
    diff = diff_versions(old.get("paragraphs") or [], new.get("paragraphs") or [])
    if (old.get("headline") or "") != (new.get("headline") or ""):
        diff["headline"] = {"old": old.get("headline"), "new": new.get("headline")}
    return diff


def _field_diffs(diff: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``diff.fields``, or the ``headline`` of a diff stored before fields were tracked."""
    fields = diff.get("fields")
    if isinstance(fields, dict):
        return {name: value for name, value in fields.items() if isinstance(value, dict)}
    headline = diff.get("headline")
    return {"headline": headline} if isinstance(headline, dict) else {}


def recorded_changed_fields(version: dict[str, Any]) -> list[str] | None:
    """``diff_stats.fields``: the tracked fields a version changed, as recorded with it; None for
    a version recorded before they were (only its ``diff`` says which fields changed)."""
    fields = (version.get("diff_stats") or {}).get("fields")
    return [name for name in TRACKED_FIELDS if name in fields] if isinstance(fields, list) else None


def needs_diff_for_fields(version: dict[str, Any]) -> bool:
    """True when only the version's ``diff`` can say which fields it changed."""
    return (version.get("version") or 1) > 1 and recorded_changed_fields(version) is None


def version_changed_fields(version: dict[str, Any], previous: dict[str, Any] | None = None) -> list[str]:
    """The tracked fields besides the body (headline, standfirst, byline) that a version
    changed: from its ``diff_stats``, else from its ``diff`` when it was read with it (versions
    recorded before ``diff_stats.fields``), else against ``previous``."""
    recorded = recorded_changed_fields(version)
    if recorded is not None:
        return recorded
    diff = version.get("diff")
    if isinstance(diff, dict):
        return [name for name in TRACKED_FIELDS if name in _field_diffs(diff)]
    if previous is None or (version.get("version") or 1) == 1:
        return []
    return changed_fields(recorded_fields(previous), recorded_fields(version))


def body_changed(version: dict[str, Any]) -> bool:
    stats = version.get("diff_stats") or (version.get("diff") or {}).get("stats") or {}
    return bool(stats.get("words_added") or stats.get("words_removed"))


def change_summary(version: dict[str, Any], sentences: int = 2) -> str:
    """One paragraph saying what a stored version changed (for feeds and listings)."""
    number = version.get("version") or 1
    if number == 1:
        return f"First seen: {version.get('word_count') or 0} words."
    diff = version.get("diff") or {}
    parts = []
    if version.get("reverts_to"):
        parts.append(f"Same text as version {version['reverts_to']} again.")
    for name, change in _field_diffs(diff).items():
        parts.append(f"{name.capitalize()} changed from “{change.get('old') or ''}” to “{change.get('new') or ''}”.")
    stats = version.get("diff_stats") or diff.get("stats") or {}
    if body_changed(version) or not parts:
        parts.append(f"+{stats.get('words_added', 0)} / −{stats.get('words_removed', 0)} words.")
    changed = diff.get("sentences") or {}
    shown = [*(item.get("new", "") for item in changed.get("edited", []) if isinstance(item, dict)),
             *changed.get("added", [])][:sentences]
    if shown:
        parts.append("Now reads: " + " … ".join(str(sentence) for sentence in shown))
    return " ".join(parts)
