"""Benchmark: the whole tracker crawl against a bare Scrapy crawl of the same pages.

    python bench/pipeline.py [--pages 300] [--rounds 3] [--case wpp-beto-orourke-quits-2024]

Serves N copies of the real Washington Post pages (read in place from
../shared/fixtures/real-pages/washingtonpost/, all of them in turn, or one with --case) on
127.0.0.1, then, alternating, runs

* ``scrapy crawl washpo -a url=...`` into a fresh SQLite store (first sight: every page is
  extracted, hashed, diffed against nothing and stored with its compressed HTML), and
* ``scrapy runspider`` of a bare spider that fetches the same URLs and does nothing,

both with the project's settings (same download handler, concurrency, robots.txt), and
prints pages/s of each and their ratio. Best round of each counts; the ratio is what to
compare across machines.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _crawl import (
    BENCH_SETTINGS,
    WAPO,
    FixtureSite,
    run_crawl,
    serve_pages,
    story_paths,
    wapo_pages,
)

BARE_SPIDER = textwrap.dedent(
    '''
    import scrapy

    class BareSpider(scrapy.Spider):
        """Fetches the given URLs and does nothing with them."""

        name = "bare"

        def __init__(self, url="", **kwargs):
            super().__init__(**kwargs)
            self.urls = url.split(",")

        async def start(self):
            for url in self.urls:
                yield scrapy.Request(url, callback=self.parse)

        def parse(self, response):
            return None
    '''
)


def crawl_rate(command: list[str], settings: dict[str, str]) -> tuple[float, int]:
    """(pages per second over the crawl's own elapsed time, pages fetched)."""
    run = run_crawl(command, settings)
    return run.pages / run.elapsed, run.pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--case", help="one fixture case (default: all WaPo pages in turn)")
    parser.add_argument("-s", "--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="extra Scrapy setting for the tracker crawl, e.g. TRACKER_EXTRACT_WORKERS=2")
    options = parser.parse_args()

    pages = wapo_pages(options.case)
    paths = story_paths(options.pages)
    urls = ",".join(WAPO + path for path in paths)

    with FixtureSite() as site, tempfile.TemporaryDirectory() as workdir:
        serve_pages(site, paths, pages)
        host_map = json.dumps({"www.washingtonpost.com": site.base_url})
        bare_file = Path(workdir) / "bare_spider.py"
        bare_file.write_text(BARE_SPIDER)
        tracker_rates, bare_rates = [], []
        for round_number in range(options.rounds):
            bare_rate, bare_pages = crawl_rate(
                [sys.executable, "-m", "scrapy", "runspider", str(bare_file), "-a", f"url={urls}"],
                {**BENCH_SETTINGS, "TRACKER_HOST_MAP": host_map, "ITEM_PIPELINES": "{}"},
            )
            store = f"sqlite:///{workdir}/round-{round_number}.sqlite3"
            tracker_rate, tracker_pages = crawl_rate(
                [sys.executable, "-m", "scrapy", "crawl", "washpo", "-a", f"url={urls}"],
                {**BENCH_SETTINGS, "TRACKER_HOST_MAP": host_map, "TRACKER_STORE": store,
                 **dict(setting.split("=", 1) for setting in options.settings)},
            )
            assert bare_pages == tracker_pages == options.pages, (bare_pages, tracker_pages)
            bare_rates.append(bare_rate)
            tracker_rates.append(tracker_rate)
            print(f"round {round_number + 1}: bare {bare_rate:7.1f} pages/s   tracker {tracker_rate:7.1f} pages/s")

    bare, tracker = max(bare_rates), max(tracker_rates)
    mean_kib = sum(len(pages[n % len(pages)]) for n in range(options.pages)) / options.pages / 1024
    print(f"\npages: washingtonpost/{options.case or '*'} ({len(pages)} distinct, mean {mean_kib:.0f} KiB), "
          f"{options.pages} fetched, best of {options.rounds}")
    print(f"bare scrapy crawl : {bare:7.1f} pages/s")
    print(f"scrapy crawl washpo: {tracker:7.1f} pages/s")
    print(f"ratio tracker/bare : {tracker / bare:.2f}x   (target >= 0.70x)")


if __name__ == "__main__":
    main()
