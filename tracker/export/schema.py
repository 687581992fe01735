"""The export's tables: every column's name and type, in one place for all three formats.

``versions``, ``articles`` and ``checks`` follow the store's field catalogue, so a field the
store gains (e.g. a new text field of versions) is exported without a change here. Types are
the few that every reader understands: 64-bit ints, doubles, booleans, UTF-8 strings, lists of
strings and UTC timestamps in microseconds.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pyarrow as pa

from tracker.sentences import OPERATIONS
from tracker.store.sqlite import (
    ARTICLE_FIELDS,
    BLOB,
    CHECK_FIELDS,
    INT,
    JSON,
    REAL,
    TEXT,
    TIME,
    VERSION_FIELDS,
)

EXPORT_SCHEMA_VERSION = 1

# Column types of the export.
STRING, INT64, FLOAT64, BOOL, TIMESTAMP, STRINGS, JSON_TEXT = (
    "string", "int64", "float64", "bool", "timestamp", "list<string>", "json",
)
ARROW_TYPES: dict[str, pa.DataType] = {
    STRING: pa.string(), INT64: pa.int64(), FLOAT64: pa.float64(), BOOL: pa.bool_(),
    TIMESTAMP: pa.timestamp("us", tz="UTC"), STRINGS: pa.list_(pa.string()), JSON_TEXT: pa.string(),
}

Columns = dict[str, str]

# Store field kind -> export type; JSON fields known to be lists of text are typed lists.
_FROM_STORE = {TEXT: STRING, INT: INT64, REAL: FLOAT64, TIME: TIMESTAMP, JSON: JSON_TEXT}
_TEXT_LISTS = {"authors", "paragraphs"}
# Store fields that are not exported as columns: the diff becomes sentence_matches and
# version_pairs, the raw page is the optional `html` column (decoded), its codec means nothing then.
_VERSION_LEFT_OUT = {"diff", "diff_stats", "html", "html_encoding"}


def _store_columns(fields: dict[str, str], left_out: set[str] = set()) -> Columns:  # noqa: B006 - never mutated
    columns: Columns = {}
    for name, kind in fields.items():
        if name in left_out or name.startswith("_") or kind == BLOB:
            continue
        columns[name] = STRINGS if name in _TEXT_LISTS else _FROM_STORE[kind]
    return columns


def version_columns(include_html: bool) -> Columns:
    columns: Columns = {}
    for name, kind in _store_columns(VERSION_FIELDS, _VERSION_LEFT_OUT).items():
        if name == "paragraphs":
            columns["text"] = STRING  # the paragraphs joined by blank lines, as articleBody
        columns[name] = kind
    if include_html:
        columns["html"] = STRING
    return columns


def table_columns(include_html: bool = False) -> dict[str, Columns]:
    """Every table of the export and its columns, in file order."""
    return {
        "articles": _store_columns(ARTICLE_FIELDS),
        "versions": version_columns(include_html),
        "sentences": {
            "article_id": STRING, "version": INT64, "paragraph_index": INT64,
            "sentence_index": INT64, "sentence": STRING,
        },
        "sentence_matches": {
            "article_id": STRING, "version_old": INT64, "version_new": INT64,
            "sentence_index_old": INT64, "sentence_index_new": INT64,
            "operation": STRING, "similarity": FLOAT64,
        },
        "version_pairs": {
            "article_id": STRING, "version_old": INT64, "version_new": INT64,
            "fetched_at_old": TIMESTAMP, "fetched_at_new": TIMESTAMP, "seconds_between": FLOAT64,
            "headline_changed": BOOL,
            **{f"sentences_{operation}": INT64 for operation in OPERATIONS},
            "paragraphs_added": INT64, "paragraphs_removed": INT64, "paragraphs_changed": INT64,
            "words_added": INT64, "words_removed": INT64,
        },
        "checks": _store_columns(CHECK_FIELDS),
    }


def arrow_schema(columns: Columns) -> pa.Schema:
    return pa.schema([pa.field(name, ARROW_TYPES[kind]) for name, kind in columns.items()])


# --- values as the text formats write them ----------------------------------------------------


def format_time(value: dt.datetime) -> str:
    """Fixed-width ISO 8601 in UTC with microseconds (text order is time order)."""
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _jsonl_value(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == TIMESTAMP:
        return format_time(value)
    if kind == JSON_TEXT:
        return json_text(value)
    return value


def _csv_value(kind: str, value: Any) -> Any:
    if value is None:
        return ""
    if kind == TIMESTAMP:
        return format_time(value)
    if kind in (STRINGS, JSON_TEXT):
        return json_text(value)
    if kind == BOOL:
        return "true" if value else "false"
    if kind == FLOAT64:
        return repr(float(value))
    return value


def row_converter(columns: Columns, value: Callable[[str, Any], Any]) -> Callable[[dict[str, Any]], list[Any]]:
    """A function turning a row dict into the list of its column values, converted."""
    kinds = list(columns.items())
    return lambda row: [value(kind, row.get(name)) for name, kind in kinds]


def jsonl_converter(columns: Columns) -> Callable[[dict[str, Any]], list[Any]]:
    return row_converter(columns, _jsonl_value)


def csv_converter(columns: Columns) -> Callable[[dict[str, Any]], list[Any]]:
    return row_converter(columns, _csv_value)
