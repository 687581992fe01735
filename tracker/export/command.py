"""``tracker export``: its arguments and what it does with them.

The heavy imports (pyarrow, the writers) wait until the command runs, so that the rest of the
``tracker`` command works without them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from tracker.cli import EXIT_OK, EXIT_USAGE, CommandError, open_existing_store
from tracker.normalize import article_id
from tracker.store.base import as_utc

if TYPE_CHECKING:
    from tqdm import tqdm

    from tracker.export.rows import Filters

EXIT_INTERRUPTED = 130
FORMAT_CHOICES = ("parquet", "jsonl", "csv")


def utc_time(text: str) -> dt.datetime:
    """A time on the command line: ISO 8601 date or date and time; without a zone, UTC."""
    try:
        moment = as_utc(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date or time: {text!r}") from None
    if moment is None:
        raise argparse.ArgumentTypeError("empty time")
    return moment


def non_negative(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {number}")
    return number


def positive(text: str) -> int:
    number = non_negative(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {number}")
    return number


def default_workers() -> int:
    """Sentence worker processes: one CPU is the exporting process's own (it reads the store
    and writes every table), so two workers from three CPUs on, none below (measured in
    bench/README.md: on two busy cores the pool only adds its overhead)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return 2 if cpus >= 3 else 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="directory to write the tables and manifest.json to")
    parser.add_argument("--format", default="parquet", choices=FORMAT_CHOICES, help="file format (default: parquet)")
    parser.add_argument("--compress", action="store_true", help="gzip the JSONL or CSV files (Parquet is always compressed)")
    parser.add_argument("--outlet", action="append", metavar="NAME[,NAME]", help="only these outlets (spider names; repeatable)")
    parser.add_argument("--since", type=utc_time, metavar="TIME", help="only versions and checks at or after TIME (UTC unless it says otherwise)")
    parser.add_argument("--until", type=utc_time, metavar="TIME", help="only versions and checks before TIME")
    parser.add_argument("--min-versions", type=non_negative, default=0, metavar="N", help="only articles with at least N stored versions")
    parser.add_argument("--article", action="append", metavar="URL", help="only this article (any URL variant; repeatable)")
    parser.add_argument("--include-html", action="store_true", help="add the raw pages (column html of versions)")
    parser.add_argument("--overwrite", action="store_true", help="replace an export already in DIR")
    parser.add_argument("--workers", type=positive, default=default_workers(), metavar="N",
                        help="processes splitting and matching sentences, 1: all in this one (default here: "
                        "%(default)s; 2 with 3 CPUs or more, else 1); the files are the same whatever N")


def filters_from(args: argparse.Namespace) -> Filters:
    from tracker.export.rows import Filters

    outlets = {name.strip() for value in args.outlet or [] for name in value.split(",") if name.strip()}
    return Filters(
        outlets=frozenset(outlets) if args.outlet else None,
        since=args.since,
        until=args.until,
        min_versions=args.min_versions,
        article_ids=frozenset(article_id(url) for url in args.article) if args.article else None,
    )


def run(args: argparse.Namespace, out: TextIO) -> int:
    from tracker.export.exporter import ExportError, export_archive

    if args.compress and args.format == "parquet":
        sys.stderr.write("tracker export: --compress applies to jsonl and csv; Parquet is always compressed (see --help)\n")
        return EXIT_USAGE
    if args.since and args.until and args.since >= args.until:
        sys.stderr.write("tracker export: --since must be before --until (see --help)\n")
        return EXIT_USAGE
    filters = filters_from(args)
    with open_existing_store(args.store) as store:
        total = None if filters.outlets is not None or filters.article_ids is not None else store.count("articles")
        bar = progress_bar(total)
        try:
            manifest = export_archive(
                store, args.out, file_format=args.format, compress=args.compress, filters=filters,
                include_html=args.include_html, overwrite=args.overwrite, progress=bar.update,
                workers=args.workers,
            )
        except ExportError as exc:
            raise CommandError(str(exc)) from exc
        except KeyboardInterrupt:
            bar.close()
            sys.stderr.write(f"tracker: export interrupted; no table was finished in {args.out}\n")
            return EXIT_INTERRUPTED
        bar.close()
    counts = ", ".join(f"{table['rows']} {name}" for name, table in manifest["tables"].items())
    out.write(f"exported {counts} to {args.out} ({args.format})\n")
    return EXIT_OK


def progress_bar(total: int | None) -> tqdm:
    """A bar on stderr when it is a terminal; silent otherwise."""
    from tqdm import tqdm

    return tqdm(total=total, unit=" articles", file=sys.stderr, disable=not sys.stderr.isatty(), dynamic_ncols=True)
