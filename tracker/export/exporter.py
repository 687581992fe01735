"""The export itself: articles streamed from the store, in order, into six table writers.

The sentence tables may be computed in worker processes (``workers``, see
:mod:`tracker.export.parallel`); everything else happens here, so the files are the same
whatever the number of workers. Memory holds a bounded number of articles (their versions,
checks and sentences: one at a time without workers, a few batches with them) and each
writer's current buffer, whatever the size of the archive. Tables are written under
temporary names and renamed together at the end, then ``manifest.json`` is written last: a directory with a
manifest holds a finished export.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing
from pathlib import Path
from typing import Any

from tracker import __version__
from tracker.export.parallel import Pending, completed_in_order
from tracker.export.rows import Filters, Rows, rows_without_sentences
from tracker.export.schema import EXPORT_SCHEMA_VERSION, format_time, table_columns
from tracker.export.writers import (
    FORMATS,
    PARTIAL_SUFFIX,
    TableWriter,
    open_writer,
    sha256_of,
    table_file_name,
)
from tracker.sentences import SIMILARITY_THRESHOLD
from tracker.store import Store, mask_uri
from tracker.store.base import utcnow

MANIFEST = "manifest.json"
ARTICLE_PAGE = 500
# Test hook: pause (buffers flushed to the temporary files) after this many articles, so that
# a test can kill or interrupt an export mid-way, deterministically.
PAUSE_ENV = "TRACKER_EXPORT_TEST_PAUSE_AFTER"


class ExportError(Exception):
    """The export cannot be done as asked (the message says why, in one line)."""


def export_archive(
    store: Store,
    directory: Path,
    *,
    file_format: str = "parquet",
    compress: bool = False,
    filters: Filters | None = None,
    include_html: bool = False,
    overwrite: bool = False,
    progress: Callable[[], None] | None = None,
    workers: int = 1,
) -> dict[str, Any]:
    """Export the archive (as far as ``filters`` allow) into ``directory``; returns the manifest.

    ``workers``: processes computing the sentence tables (1: none, all in this process; more:
    see :mod:`tracker.export.parallel` for the ``__main__`` guard they need).
    """
    if file_format not in FORMATS:
        raise ExportError(f"unknown format {file_format!r}: expected one of {', '.join(FORMATS)}")
    filters = filters or Filters()
    prepare_directory(directory, overwrite)
    writers = {
        table: open_writer(directory, table, columns, file_format, compress=compress)
        for table, columns in table_columns(include_html).items()
    }
    try:
        pause_after = int(os.environ.get(PAUSE_ENV) or 0)
        loaded = (load_article(store, article, filters, include_html) for article in selected_articles(store, filters))
        with closing(completed_in_order(loaded, workers)) as completed:
            for done, rows in enumerate(completed, 1):
                write_rows(rows, writers)
                if progress is not None:
                    progress()
                if done == pause_after:
                    _pause(writers)
        for writer in writers.values():
            writer.close()
    except BaseException as exc:
        for writer in writers.values():
            writer.discard()
        if isinstance(exc, BrokenProcessPool):
            raise ExportError("a worker process stopped abruptly (out of memory?); no table was finished") from None
        raise
    for writer in writers.values():
        writer.commit()
    manifest = build_manifest(store, writers, file_format, compress, filters, include_html)
    write_manifest(directory, manifest)
    return manifest


def prepare_directory(directory: Path, overwrite: bool) -> None:
    """Make sure ``directory`` exists and is empty, or with ``overwrite`` clear a former export.

    Only what an export writes is removed (tables of any format, the manifest, temporary
    files); anything else there is left alone.
    """
    if directory.exists() and not directory.is_dir():
        raise ExportError(f"{directory} is not a directory")
    directory.mkdir(parents=True, exist_ok=True)
    present = sorted(path.name for path in directory.iterdir())
    if present and not overwrite:
        raise ExportError(f"{directory} is not empty (use --overwrite to replace an export there)")
    # The manifest first: from here on, the directory no longer claims a finished export.
    (directory / MANIFEST).unlink(missing_ok=True)
    ours = {
        table_file_name(table, file_format, compress)
        for table in table_columns() for file_format in FORMATS for compress in (False, True)
    }
    for name in present:
        if name in ours or (name.startswith(".") and name.endswith(PARTIAL_SUFFIX)):
            (directory / name).unlink(missing_ok=True)


def selected_articles(store: Store, filters: Filters) -> Iterator[dict[str, Any]]:
    """The articles the filters name, in article_id order, a page at a time."""
    if filters.article_ids is not None:
        for article_id in sorted(filters.article_ids):
            article = store.get_article(article_id)
            if article is not None and (filters.outlets is None or article.get("outlet") in filters.outlets):
                yield article
        return
    after = None
    while page := store.articles_by_id(filters.outlets, after=after, limit=ARTICLE_PAGE):
        yield from page
        after = page[-1]["article_id"]


def load_article(store: Store, article: dict[str, Any], filters: Filters, include_html: bool) -> Pending:
    """An article's rows but the sentence tables, and what those are made from (None: filtered out)."""
    article_id = article["article_id"]
    versions = list(store.iter_versions(article_id, html=include_html))
    checks = list(store.iter_checks(article_id))
    return rows_without_sentences(article, versions, checks, filters, include_html=include_html)


def write_rows(rows: Rows | None, writers: dict[str, TableWriter]) -> None:
    if rows is not None:
        for table, writer in writers.items():
            writer.write(rows[table])


def build_manifest(
    store: Store, writers: dict[str, TableWriter], file_format: str, compress: bool,
    filters: Filters, include_html: bool,
) -> dict[str, Any]:
    return {
        "export_schema_version": EXPORT_SCHEMA_VERSION,
        "tracker_version": __version__,
        "created_at": format_time(utcnow()),  # the one value that differs between two runs
        "store": mask_uri(store.uri),
        "format": file_format,
        "compression": "gzip" if compress and file_format != "parquet" else ("zstd" if file_format == "parquet" else None),
        "filters": describe_filters(filters),
        "include_html": include_html,
        "sentence_splitter": "tracker.diff.split_sentences",
        "sentence_similarity_threshold": SIMILARITY_THRESHOLD,
        "tables": {
            table: {
                "file": writer.path.name, "rows": writer.rows, "bytes": writer.path.stat().st_size,
                "sha256": sha256_of(writer.path), "columns": writer.columns,
            }
            for table, writer in writers.items()
        },
    }


def describe_filters(filters: Filters) -> dict[str, Any]:
    return {
        "outlets": sorted(filters.outlets) if filters.outlets is not None else None,
        "since": format_time(filters.since) if filters.since else None,
        "until": format_time(filters.until) if filters.until else None,
        "min_versions": filters.min_versions,
        "article_ids": sorted(filters.article_ids) if filters.article_ids is not None else None,
    }


def write_manifest(directory: Path, manifest: dict[str, Any]) -> None:
    partial = directory / f".{MANIFEST}{PARTIAL_SUFFIX}"
    partial.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    partial.replace(directory / MANIFEST)


def _pause(writers: dict[str, TableWriter]) -> None:
    for writer in writers.values():
        writer.flush()
    sys.stderr.write("export paused\n")
    sys.stderr.flush()
    while True:
        time.sleep(3600)
