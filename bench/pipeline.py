"""Benchmark: the whole tracker crawl against a bare Scrapy crawl of the same pages.

    python bench/pipeline.py [--pages 300] [--rounds 3] [--case wpp-beto-orourke-quits-2024]
                             [-s NAME=VALUE ...] [--workers 1,2,3] [--profile DIR]

Serves N copies of the real Washington Post pages (read in place from
../shared/fixtures/real-pages/washingtonpost/, all of them in turn, or one with --case) on
127.0.0.1, then, alternating, runs

* ``scrapy runspider`` of a bare spider that fetches the same URLs and does nothing, and
* ``scrapy crawl washpo -a url=...`` into a fresh SQLite store (first sight: every page is
  extracted, hashed, diffed against nothing and stored with its compressed HTML),

both with the project's settings (same download handler, concurrency, robots.txt), and
prints pages/s of each and their ratio. Best round of each counts; the ratio is what to
compare across machines. ``--workers 1,2,3`` runs the tracker crawl once per value of
``TRACKER_EXTRACT_WORKERS`` in every round, each after a bare crawl of its own, and prints the
ratio per worker count. Each crawl also reports where its CPU time went (bench/_cpustats.py):
the crawl process's reactor thread, its other threads, and the extraction workers. The 1-minute
load average before each crawl is printed with it: other jobs on the machine move the figures.
``--profile DIR`` runs the tracker crawls under cProfile (DIR/tracker-w<N>-r<round>.prof; the
main thread only: store writes run in threads, extraction in worker processes).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _crawl import (
    BARE_SPIDER,
    BENCH_SETTINGS,
    CPU_PARTS,
    WAPO,
    CrawlRun,
    FixtureSite,
    run_crawl,
    serve_pages,
    story_paths,
    wapo_pages,
)

TARGET = 0.55


@dataclass
class Measured:
    """The crawls of one kind (bare, or the tracker with one worker count), every round."""

    runs: list[CrawlRun] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)

    def add(self, run: CrawlRun, load: float) -> float:
        self.runs.append(run)
        self.loads.append(load)
        return self.rate(run)

    @staticmethod
    def rate(run: CrawlRun) -> float:
        return run.pages / run.elapsed

    @property
    def best(self) -> CrawlRun:
        return max(self.runs, key=self.rate)

    def cpu(self, part: str) -> float:
        """Median CPU ms per page of ``part`` over the rounds."""
        return statistics.median(run.cpu_ms_per_page(part) for run in self.runs)

    def load_range(self) -> str:
        return f"{min(self.loads):.1f}-{max(self.loads):.1f}"


def measure(measured: Measured, command: list[str], settings: dict[str, str], pages: int) -> float:
    """Run one crawl into ``measured``; its pages per second."""
    load = os.getloadavg()[0]
    run = run_crawl(command, settings)
    assert run.pages == pages, (run.pages, pages)
    return measured.add(run, load)


def worker_counts(value: str | None) -> list[str | None]:
    """``--workers 1,2,3`` -> ["1", "2", "3"]; none given: [None] (the settings' value)."""
    if not value:
        return [None]
    counts = [part.strip() for part in value.split(",") if part.strip()]
    if not counts or not all(count.isdigit() for count in counts):
        raise ValueError(f"--workers takes worker counts separated by commas, e.g. 1,2,3 (not {value!r})")
    return counts


def tracker_command(profile: Path | None, workers: str | None, round_number: int, urls: str) -> list[str]:
    runner = [sys.executable]
    if profile is not None:
        runner += ["-m", "cProfile", "-o", str(profile / f"tracker-w{workers or 'default'}-r{round_number + 1}.prof")]
    return [*runner, "-m", "scrapy", "crawl", "washpo", "-a", f"url={urls}"]


def cpu_columns(measured: Measured) -> str:
    return "".join(f"{measured.cpu(part):9.2f}" for part in CPU_PARTS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--case", help="one fixture case (default: all WaPo pages in turn)")
    parser.add_argument("-s", "--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="extra Scrapy setting for the tracker crawl, e.g. TRACKER_EXTRACT_WORKERS=2")
    parser.add_argument("--workers", metavar="N,N,...",
                        help="a tracker crawl per TRACKER_EXTRACT_WORKERS value in each round, e.g. 1,2,3 "
                             "(instead of any -s TRACKER_EXTRACT_WORKERS)")
    parser.add_argument("--profile", type=Path, metavar="DIR", help="write a cProfile of each tracker crawl here")
    options = parser.parse_args()
    if any("=" not in setting for setting in options.settings):
        parser.error("-s takes NAME=VALUE")
    try:
        counts = worker_counts(options.workers)
    except ValueError as exc:
        parser.error(str(exc))
    if options.profile:
        options.profile.mkdir(parents=True, exist_ok=True)

    pages = wapo_pages(options.case)
    paths = story_paths(options.pages)
    urls = ",".join(WAPO + path for path in paths)
    extra = dict(setting.split("=", 1) for setting in options.settings)
    bare = Measured()
    tracker = {count: Measured() for count in counts}

    with FixtureSite() as site, tempfile.TemporaryDirectory() as workdir:
        serve_pages(site, paths, pages)
        host_map = json.dumps({"www.washingtonpost.com": site.base_url})
        bare_file = Path(workdir) / "bare_spider.py"
        bare_file.write_text(BARE_SPIDER)
        bare_settings = {**BENCH_SETTINGS, "TRACKER_HOST_MAP": host_map, "ITEM_PIPELINES": "{}"}
        for round_number in range(options.rounds):
            line = []
            for count in counts:
                bare_rate = measure(bare, [sys.executable, "-m", "scrapy", "runspider", str(bare_file),
                                           "-a", f"url={urls}"], bare_settings, options.pages)
                store = f"sqlite:///{workdir}/round-{round_number}-{count}.sqlite3"
                settings = {**BENCH_SETTINGS, "TRACKER_HOST_MAP": host_map, "TRACKER_STORE": store, **extra}
                if count is not None:
                    settings["TRACKER_EXTRACT_WORKERS"] = count
                command = tracker_command(options.profile, count, round_number, urls)
                rate = measure(tracker[count], command, settings, options.pages)
                label = f"workers {count}: " if count is not None else ""
                line.append(f"bare {bare_rate:6.1f} | {label}tracker {rate:6.1f} pages/s ({rate / bare_rate:.2f}x, "
                            f"load {bare.loads[-1]:.1f}/{tracker[count].loads[-1]:.1f})")
            print(f"round {round_number + 1}: " + "   ".join(line), flush=True)

    best_bare = bare.rate(bare.best)
    mean_kib = sum(len(pages[n % len(pages)]) for n in range(options.pages)) / options.pages / 1024
    print(f"\npages: washingtonpost/{options.case or '*'} ({len(pages)} distinct, mean {mean_kib:.0f} KiB), "
          f"{options.pages} fetched, best of {options.rounds}; settings: {' '.join(options.settings) or 'default'}")
    print(f"{'crawl':<22}{'pages/s':>9}{'ratio':>8}{'load avg':>10}   CPU ms/page: {'reactor':>8}{'threads':>9}{'workers':>9}")
    print(f"{'bare scrapy crawl':<22}{best_bare:9.1f}{'':>8}{bare.load_range():>10}   {'':13}{cpu_columns(bare)}")
    for count, measured in tracker.items():
        label = "scrapy crawl washpo" + (f", {count} w" if count is not None else "")
        rate = measured.rate(measured.best)
        print(f"{label:<22}{rate:9.1f}{rate / best_bare:7.2f}x{measured.load_range():>10}   {'':13}{cpu_columns(measured)}")
    for count, measured in tracker.items():
        label = f" (TRACKER_EXTRACT_WORKERS={count})" if count is not None else ""
        print(f"ratio tracker/bare{label}: {measured.rate(measured.best) / best_bare:.2f}x   (target >= {TARGET:.2f}x)")


if __name__ == "__main__":
    main()
