"""One writer per table and format, all streaming: rows go to disk as they come.

Each table is written under a hidden temporary name (``.<file>.partial``) and only renamed to
its real name by :meth:`TableWriter.commit`, once the whole export succeeded; so an export
that is killed leaves no file that looks like a finished table.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import gzip
import hashlib
import io
import json
from pathlib import Path
from typing import Any, BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

from tracker.export.schema import (
    ARROW_TYPES,
    JSON_TEXT,
    STRING,
    Columns,
    arrow_schema,
    csv_converter,
    json_text,
    jsonl_converter,
)
from tracker.normalize import without_surrogates

FORMATS = ("parquet", "jsonl", "csv")
PARTIAL_SUFFIX = ".partial"

# Neither store can hold a lone surrogate (both keep UTF-8); should one come through anyway, every
# format writes it as U+FFFD, the Unicode replacement character, instead of failing the export.
SURROGATE_ERRORS = "tracker-export-replace"
codecs.register_error(SURROGATE_ERRORS, lambda exc: ("\ufffd".encode() * (exc.end - exc.start), exc.end))  # type: ignore[arg-type, attr-defined]

# A Parquet row group is written when it holds this many rows or characters of text,
# whichever comes first: memory stays bounded (a list column such as `paragraphs` is not
# counted: it repeats its table's `text`), and the cut points depend only on the data.
ROW_GROUP_ROWS = 100_000
ROW_GROUP_CHARS = 16_000_000


def table_file_name(table: str, file_format: str, compress: bool) -> str:
    extension = {"parquet": "parquet", "jsonl": "jsonl", "csv": "csv"}[file_format]
    return f"{table}.{extension}" + (".gz" if compress and file_format != "parquet" else "")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class TableWriter:
    """Rows of one table into ``directory/name``, through a temporary file."""

    def __init__(self, directory: Path, name: str, columns: Columns) -> None:
        self.path = directory / name
        self.partial = directory / f".{name}{PARTIAL_SUFFIX}"
        self.columns = columns
        self.rows = 0

    def write(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            self._write_row(row)
        self.rows += len(rows)

    def _write_row(self, row: dict[str, Any]) -> None:
        raise NotImplementedError

    def flush(self) -> None:
        """Push what is buffered to the temporary file."""

    def close(self) -> None:
        """Finish the temporary file (still under its temporary name)."""

    def commit(self) -> None:
        self.partial.replace(self.path)

    def discard(self) -> None:
        with contextlib.suppress(Exception):  # half-written anyway: only the file must go
            self.close()
        self.partial.unlink(missing_ok=True)


def _open_binary(path: Path, compress: bool) -> BinaryIO:
    raw = path.open("wb")
    if not compress:
        return raw
    # No file name and a fixed time in the gzip header: the same rows give the same bytes.
    return gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0)  # type: ignore[return-value]


def _close_binary(handle: BinaryIO) -> None:
    inner = getattr(handle, "fileobj", None)
    handle.close()
    if inner is not None:
        inner.close()  # GzipFile leaves the file it was given open


class JsonlWriter(TableWriter):
    """One JSON object per line, keys in column order, UTF-8 (not ASCII-escaped)."""

    def __init__(self, directory: Path, name: str, columns: Columns, *, compress: bool = False) -> None:
        super().__init__(directory, name, columns)
        self._names = list(columns)
        self._convert = jsonl_converter(columns)
        self._handle: BinaryIO | None = _open_binary(self.partial, compress)

    def _write_row(self, row: dict[str, Any]) -> None:
        values = dict(zip(self._names, self._convert(row), strict=True))
        line = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
        assert self._handle is not None
        self._handle.write(line.encode("utf-8", SURROGATE_ERRORS) + b"\n")

    def flush(self) -> None:
        if self._handle is not None:
            self._handle.flush()

    def close(self) -> None:
        if self._handle is not None:
            _close_binary(self._handle)
            self._handle = None


class CsvWriter(TableWriter):
    """RFC 4180 CSV with a header row: fields quoted when they hold a comma, quote or line break."""

    def __init__(self, directory: Path, name: str, columns: Columns, *, compress: bool = False) -> None:
        super().__init__(directory, name, columns)
        self._convert = csv_converter(columns)
        self._binary = _open_binary(self.partial, compress)
        self._text: io.TextIOWrapper | None = io.TextIOWrapper(
            self._binary, encoding="utf-8", errors=SURROGATE_ERRORS, newline=""  # type: ignore[arg-type]
        )
        self._csv = csv.writer(self._text, lineterminator="\r\n")
        self._csv.writerow(list(columns))

    def _write_row(self, row: dict[str, Any]) -> None:
        self._csv.writerow(self._convert(row))

    def flush(self) -> None:
        if self._text is not None:
            self._text.flush()

    def close(self) -> None:
        if self._text is not None:
            self._text.flush()
            self._text.detach()
            _close_binary(self._binary)
            self._text = None


class ParquetWriter(TableWriter):
    """Parquet (zstd), a row group per ``ROW_GROUP_ROWS`` rows or ``ROW_GROUP_CHARS`` characters
    of text columns, whichever comes first (checked after each article's rows)."""

    def __init__(self, directory: Path, name: str, columns: Columns) -> None:
        super().__init__(directory, name, columns)
        self._schema = arrow_schema(columns)
        self._json_columns = {column for column, kind in columns.items() if kind == JSON_TEXT}
        self._text_columns = {column for column, kind in columns.items() if kind == STRING}
        self._buffer: dict[str, list[Any]] = {column: [] for column in columns}
        self._buffered_rows = 0
        self._buffered_chars = 0
        self._writer: pq.ParquetWriter | None = pq.ParquetWriter(
            self.partial, self._schema, compression="zstd"
        )

    def write(self, rows: list[dict[str, Any]]) -> None:
        # Column by column: one pass per column instead of a Python loop over every cell.
        for column, values in self._buffer.items():
            added = [row.get(column) for row in rows]
            if column in self._json_columns:
                added = [None if value is None else json_text(value) for value in added]
            elif column in self._text_columns:
                self._buffered_chars += sum(map(len, filter(None, added)))
            values.extend(added)
        self._buffered_rows += len(rows)
        self.rows += len(rows)
        if self._buffered_rows >= ROW_GROUP_ROWS or self._buffered_chars >= ROW_GROUP_CHARS:
            self.flush()

    def flush(self) -> None:
        if not self._buffered_rows or self._writer is None:
            return
        arrays = [self._array(column, values) for column, values in self._buffer.items()]
        self._writer.write_table(pa.Table.from_arrays(arrays, schema=self._schema))
        for values in self._buffer.values():
            values.clear()
        self._buffered_rows = self._buffered_chars = 0

    def _array(self, column: str, values: list[Any]) -> pa.Array:
        kind = ARROW_TYPES[self.columns[column]]
        try:
            return pa.array(values, type=kind)
        except UnicodeEncodeError:  # a lone surrogate: the rare slow path
            return pa.array([_clean(value) for value in values], type=kind)

    def close(self) -> None:
        if self._writer is not None:
            self.flush()
            self._writer.close()
            self._writer = None


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return without_surrogates(value)
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value


def open_writer(
    directory: Path, table: str, columns: Columns, file_format: str, *, compress: bool = False
) -> TableWriter:
    name = table_file_name(table, file_format, compress)
    if file_format == "parquet":
        return ParquetWriter(directory, name, columns)
    if file_format == "jsonl":
        return JsonlWriter(directory, name, columns, compress=compress)
    if file_format == "csv":
        return CsvWriter(directory, name, columns, compress=compress)
    raise ValueError(f"unknown export format {file_format!r} (expected one of {', '.join(FORMATS)})")
