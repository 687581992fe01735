"""Export benchmark: ``tracker export`` in each format against simply reading every version.

    python bench/export.py [--versions 200000] [--formats parquet,jsonl,csv] [--words 300]
                           [--workers 1,2]

Builds a synthetic SQLite archive in two halves: N/2 versions, measure, then N/2 more in the
same store, measure again, so that each figure has its twin at half the size. Articles have
``--words`` words (50-word paragraphs of 12-word sentences, bench/diff.py's generator) and
four versions each; each new version edits a word in about a third of the paragraphs and
sometimes adds or drops a paragraph. Each measurement runs in a child process of its own:

* ``read``: every version of every article read back through the store (``articles_by_id``
  pages + ``iter_versions``), the floor any export stands on;
* ``tracker export --format F``, the real command (``--workers 1,2``: once per worker count,
  shown as ``F/wN``; without it, with the command's default).

For each: wall seconds, versions/s, rows/s (all six tables), MB/s written and the child's peak
RSS (``os.wait4``: the archive builder's memory is not counted). The ratio column is the
export's time over the read's, in the same run; compare ratios across machines.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path[:1]:
    sys.path.insert(0, str(ROOT))

from bench.diff import article, change_words, paragraph  # noqa: E402
from bench.store import make_version  # noqa: E402
from tracker.normalize import word_count  # noqa: E402
from tracker.store import Store, open_store  # noqa: E402

VERSIONS_PER_ARTICLE = 4
START = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


def next_body(rng: random.Random, body: list[str]) -> list[str]:
    """The next version of an article: a word changed in about a third of the paragraphs,
    sometimes a paragraph added or dropped."""
    new = [change_words(text, [rng.randrange(50)], rng) if rng.random() < 0.33 else text for text in body]
    if rng.random() < 0.3:
        new.insert(rng.randrange(len(new) + 1), paragraph(rng, 40))
    if rng.random() < 0.2 and len(new) > 2:
        del new[rng.randrange(len(new))]
    return new


def add_articles(store: Store, first: int, count: int, words: int, seed: int) -> int:
    """Articles number first..first+count-1, VERSIONS_PER_ARTICLE versions each; returns versions written."""
    rng = random.Random(seed)
    written = 0
    for index in range(first, first + count):
        aid = f"a{index:07d}"
        body = article(rng, words)
        # bench/store.py's documents (with a diff), made once per article: generating them is slow.
        record, version, check = make_version(rng, aid, 2, START)
        for number in range(1, VERSIONS_PER_ARTICLE + 1):
            at = START + dt.timedelta(minutes=index, hours=3 * number)
            digest = f"{aid}-{number}"
            outcome = "new" if number == 1 else "changed"
            store.save_version(
                {**record, "last_checked_at": at, "last_changed_at": at, "latest_hash": digest, "last_outcome": outcome},
                {**version, "fetched_at": at, "content_hash": digest, "raw_hash": digest, "paragraphs": body,
                 "word_count": word_count(body), "headline": body[0][:80],
                 **({"diff": None, "diff_stats": None} if number == 1 else {})},
                {**check, "at": at, "outcome": outcome, "content_hash": digest},
                expected_count=number - 1,
            )
            written += 1
            body = next_body(rng, body)
    return written


def read_everything(uri: str) -> dict[str, Any]:
    """The baseline, run in a child: every version read back, nothing else done."""
    versions = 0
    with open_store(uri) as store:
        after = None
        while page := store.articles_by_id(after=after, limit=500):
            for record in page:
                versions += sum(1 for _ in store.iter_versions(record["article_id"]))
            after = page[-1]["article_id"]
    return {"versions": versions}


def measure(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) and stdout of a child process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stdout, stderr = "", ""
    # os.wait4 gives this child's own rusage (RUSAGE_CHILDREN would be the maximum over all of them).
    assert process.stdout is not None and process.stderr is not None
    stdout, stderr = process.stdout.read(), process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {stderr.strip()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, stdout


def run_read(uri: str) -> dict[str, Any]:
    seconds, rss, stdout = measure([sys.executable, __file__, "--child-read", uri])
    return {"what": "read", "seconds": seconds, "rss_mb": rss, **json.loads(stdout)}


def run_export(uri: str, out: Path, file_format: str, workers: int | None = None) -> dict[str, Any]:
    shutil.rmtree(out, ignore_errors=True)
    seconds, rss, _ = measure([
        sys.executable, "-m", "tracker", "export", "--store", uri, "--out", str(out), "--format", file_format,
        *(["--workers", str(workers)] if workers else []),
    ])
    manifest = json.loads((out / "manifest.json").read_text())
    tables = manifest["tables"]
    result = {
        "what": file_format + (f"/w{workers}" if workers else ""), "seconds": seconds, "rss_mb": rss,
        "versions": tables["versions"]["rows"],
        "rows": sum(table["rows"] for table in tables.values()),
        "mb": sum(table["bytes"] for table in tables.values()) / 1e6,
    }
    shutil.rmtree(out, ignore_errors=True)
    return result


def report(size: int, result: dict[str, Any], read_seconds: float) -> None:
    r = result
    rows = f"{r['rows'] / r['seconds']:>10,.0f}" if "rows" in r else f"{'-':>10}"
    mb = f"{r['mb'] / r['seconds']:>6.1f}" if "mb" in r else f"{'-':>6}"
    size_mb = f"{r['mb']:>8.0f}" if "mb" in r else f"{'-':>8}"
    print(
        f"{size:>8,} {r['what']:10} {r['seconds']:>8.1f} {r['versions'] / r['seconds']:>10,.0f} {rows} "
        f"{mb} {size_mb} {r['rss_mb']:>9.0f} {r['seconds'] / read_seconds:>7.1f}x",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--versions", type=int, default=200_000, help="versions in the full archive (default 200000)")
    parser.add_argument("--formats", default="parquet,jsonl,csv", help="formats to export, comma-separated")
    parser.add_argument("--half-formats", default=None, help="formats to export at half size (default: --formats)")
    parser.add_argument("--words", type=int, default=300, help="words per article (default 300)")
    parser.add_argument("--workdir", type=Path, default=None, help="where to build the archive (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the archive in --workdir and reuse it next time")
    parser.add_argument("--workers", default=None,
                        help="worker counts to export with, comma-separated (default: the command's default)")
    parser.add_argument("--child-read", metavar="URI", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_read:
        print(json.dumps(read_everything(args.child_read)))
        return 0
    formats = [name for name in args.formats.split(",") if name]
    half_formats = formats if args.half_formats is None else [n for n in args.half_formats.split(",") if n]
    worker_counts: list[int | None] = [int(n) for n in args.workers.split(",")] if args.workers else [None]
    half_articles = max(1, args.versions // VERSIONS_PER_ARTICLE // 2)
    with tempfile.TemporaryDirectory(prefix="tracker-bench-export-", dir=args.workdir) as tmp:
        # --keep: the archive outlives the run (in --workdir), and a later run with the same
        # --words goes on from what it holds instead of building it again.
        where = Path(args.workdir if args.keep and args.workdir else tmp)
        uri = f"sqlite:///{where}/archive-{args.words}w.sqlite3"
        print(f"{'versions':>8} {'what':10} {'seconds':>8} {'versions/s':>10} {'rows/s':>10} "
              f"{'MB/s':>6} {'MB out':>8} {'peak RSS':>9} {'vs read':>8}", flush=True)
        for half, wanted in enumerate((half_formats, formats)):
            started = time.perf_counter()
            with open_store(uri) as store:
                present = store.count("articles")
                missing = range(max(present, half * half_articles), (half + 1) * half_articles)
                written = add_articles(store, missing.start, len(missing), args.words, seed=missing.start)
                size = store.count("versions")
            print(f"# archive: {size:,} versions ({written:,} added in {time.perf_counter() - started:.0f} s, "
                  f"{Path(uri.removeprefix('sqlite:///')).stat().st_size / 1e6:,.0f} MB)", flush=True)
            read = run_read(uri)
            report(size, read, read["seconds"])
            for name in wanted:
                for workers in worker_counts:
                    report(size, run_export(uri, Path(tmp) / "out", name, workers), read["seconds"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
