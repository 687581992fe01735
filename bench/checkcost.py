"""Per-check cost of the MongoDB store, per check outcome, at two archive sizes.

    python bench/checkcost.py                              # 1 k and 20 k articles, FerretDB on PostgreSQL
    python bench/checkcost.py --sizes 1000,100000 --mongo-uri mongodb://127.0.0.1:27017

For each size the archive is filled with ``tracker.store.checkcost.fill_archive`` (copies of
documents the store itself wrote, inserted with ``insert_many``), then one check of each
outcome is recorded through the real Recorder and counted by pymongo command monitoring
(``tracker.store.checkcost.measure_check_costs``): server round trips, documents returned,
bytes read and sent, documents examined where the server's ``explain`` says (MongoDB does,
FerretDB does not: ``n/a``). The counts should be the same at every size. The server is a
FerretDB started here like the tests start it (``bench/_ferretdb.py``, ``bench/_postgres.py``)
unless ``--mongo-uri`` names one; the database is created and dropped. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path[:1]:
    sys.path.insert(0, str(ROOT))

from bench.store import mongo_factory
from tracker.store.checkcost import (
    CheckCost,
    fill_archive,
    measure_check_costs,
    sample_page,
)
from tracker.store.commands import CommandCounter


def measure(store: Any, counter: CommandCounter, sizes: list[int]) -> dict[int, dict[str, CheckCost]]:
    """The per-outcome costs at each archive size (articles), growing one archive."""
    results = {}
    for size in sizes:
        missing = size - store.count("articles")
        started = time.perf_counter()
        # Small articles: the archive's size is what matters, not the bytes of its copies.
        fill_archive(store, max(missing, 0), page=sample_page(paragraphs=10, html_bytes=2_000))
        print(f"filled to {store.count('articles'):,} articles in {time.perf_counter() - started:.1f} s",
              file=sys.stderr, flush=True)
        results[size] = measure_check_costs(store, counter)
    return results


def table(results: dict[int, dict[str, CheckCost]]) -> str:
    rows = ["| outcome | archive (articles) | round trips | commands | docs returned | bytes read | bytes sent | docs examined |",
            "|---|---|---|---|---|---|---|---|"]
    outcomes = next(iter(results.values()))
    for outcome in outcomes:
        for size, costs in results.items():
            cost = costs[outcome]
            commands = ", ".join(f"{name} {count}" for name, count in cost.commands.items())
            examined = "n/a" if cost.docs_examined is None else str(cost.docs_examined)
            rows.append(f"| {outcome} | {size:,} | {cost.round_trips} | {commands} | {cost.docs_returned} | "
                        f"{cost.bytes_read:,} | {cost.bytes_sent:,} | {examined} |")
    return "\n".join(rows)


def flatness(results: dict[int, dict[str, CheckCost]]) -> str:
    """Whether round trips are the same at every size, and how far bytes read spread."""
    sizes = list(results)
    outcomes = results[sizes[0]]
    same = all(results[size][outcome].round_trips == results[sizes[0]][outcome].round_trips
               for size in sizes for outcome in outcomes)
    spread = max(max(results[size][outcome].bytes_read for size in sizes)
                 - min(results[size][outcome].bytes_read for size in sizes) for outcome in outcomes)
    return (f"round trips identical at {' and '.join(f'{size:,}' for size in sizes)} articles: "
            f"{'yes' if same else 'NO'}; bytes read differ by at most {spread} bytes per outcome")


def queries(results: dict[int, dict[str, CheckCost]]) -> str:
    """Each distinct query the checks sent, with the index meant to serve it."""
    seen: dict[str, str | None] = {}
    for costs in results.values():
        for cost in costs.values():
            for query in cost.queries:
                seen.setdefault(query.shape, query.index)
    return "\n".join(f"  {shape}  ->  {index or 'NO INDEX'}" for shape, index in seen.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,20000", help="archive sizes in articles (default 1000,20000)")
    parser.add_argument("--mongo-uri", help="a server of your own (default: FerretDB started here)")
    parser.add_argument("--ferretdb", choices=("postgresql", "sqlite"), default="postgresql",
                        help="FerretDB's backend when started here (default postgresql)")
    parser.add_argument("--json", action="store_true", help="print the costs as JSON")
    args = parser.parse_args(argv)
    try:
        sizes = sorted(int(size) for size in args.sizes.split(","))
    except ValueError:
        parser.error(f"--sizes: not a list of numbers: {args.sizes!r}")
    counter = CommandCounter()
    with tempfile.TemporaryDirectory(prefix="tracker-checkcost-") as workdir:
        fresh, stop = mongo_factory(Path(workdir), args.mongo_uri, args.ferretdb)
        try:
            with fresh(event_listeners=[counter]) as store:
                results = measure(store, counter, sizes)
        finally:
            stop()
    if args.json:
        print(json.dumps({size: {outcome: asdict(cost) for outcome, cost in costs.items()}
                          for size, costs in results.items()}, indent=1))
        return 0
    server = args.mongo_uri and "--mongo-uri" or f"FerretDB 1.24 on {args.ferretdb}"
    print(f"Per-check cost of the MongoDB store ({server}), one check of each outcome:\n")
    print(table(results))
    print("\n" + flatness(results))
    print("\nQueries sent, and the index of docs/DATA.md that serves each on MongoDB:")
    print(queries(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
