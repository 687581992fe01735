"""Shared by the crawl benchmarks (pipeline.py, recheck.py): the real WaPo pages served on
127.0.0.1 and one real ``scrapy crawl`` / ``scrapy runspider`` run measured from its stats."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

import tracker.settings
from tests.site import FixtureSite  # the local fixture site of the e2e tests

REAL_PAGES = Path(os.environ.get("TRACKER_REAL_PAGES", PROJECT_ROOT.parent / "shared" / "fixtures" / "real-pages"))
WAPO = "https://www.washingtonpost.com"
BENCH_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "LOG_LEVEL": "INFO",
    # The project's extensions, and where the crawl's CPU time went (bench/_cpustats.py).
    "EXTENSIONS": json.dumps({**tracker.settings.EXTENSIONS, "bench._cpustats.CrawlCPU": 100}),
}
CPU_PARTS = ("reactor", "threads", "workers")
# A spider that fetches the given URLs (``-a url=A,B`` or ``-a urls_file=PATH``, one per line)
# and does nothing with them; ``-a if_modified_since=DATE`` makes each a conditional GET.
BARE_SPIDER = textwrap.dedent(
    '''
    from pathlib import Path

    import scrapy

    class BareSpider(scrapy.Spider):
        """Fetches the given URLs and does nothing with them."""

        name = "bare"

        def __init__(self, url="", urls_file="", if_modified_since="", **kwargs):
            super().__init__(**kwargs)
            self.urls = Path(urls_file).read_text().split() if urls_file else url.split(",")
            self.headers = {"If-Modified-Since": if_modified_since} if if_modified_since else {}

        async def start(self):
            for url in self.urls:
                yield scrapy.Request(url, headers=self.headers, callback=self.parse)

        def parse(self, response):
            return None
    '''
)


@dataclass(frozen=True)
class CrawlRun:
    wall: float       # seconds of the whole process, start-up included
    elapsed: float    # seconds the crawl itself took (Scrapy's elapsed_time_seconds)
    stderr: str       # the crawl's log, stats at the end

    def stat(self, name: str) -> int:
        """An integer stat of the crawl's final stats dump (summed over joined runs; 0: absent)."""
        return sum(int(found) for found in re.findall(rf"'{re.escape(name)}': (\d+)", self.stderr))

    def __add__(self, other: CrawlRun) -> CrawlRun:
        """Two crawls as one (e.g. a long URL list run in parts)."""
        return CrawlRun(self.wall + other.wall, self.elapsed + other.elapsed, self.stderr + other.stderr)

    def cpu_ms_per_page(self, part: str) -> float:
        """CPU milliseconds per page in one of CPU_PARTS (see bench/_cpustats.py)."""
        return self.stat(f"bench/cpu_ms/{part}") / max(1, self.pages)

    @property
    def pages(self) -> int:
        """Pages fetched (200 and 304), robots.txt not counted."""
        fetched = self.stat("downloader/response_status_count/200") + self.stat("downloader/response_status_count/304")
        return fetched - self.stat("robotstxt/response_count")


def wapo_pages(case: str | None = None) -> list[bytes]:
    """The real Washington Post pages (all, or the one named ``case``)."""
    folder = REAL_PAGES / "washingtonpost"
    cases = [case] if case else sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    files = [folder / name / "page.html" for name in cases]
    missing = [str(path) for path in files if not path.is_file()]
    if missing or not files:
        raise SystemExit(f"no fixture page at {missing or REAL_PAGES} (set TRACKER_REAL_PAGES)")
    return [path.read_bytes() for path in files]


def story_paths(count: int) -> list[str]:
    return [f"/politics/2024/01/05/bench-story-{number}/" for number in range(count)]


def serve_pages(site: FixtureSite, paths: list[str], pages: list[bytes], *, validators: bool = True) -> None:
    """Serve the pages in turn at ``paths`` (and a robots.txt that allows everything)."""
    site.set_page("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    for number, path in enumerate(paths):
        site.set_page(path, pages[number % len(pages)], validators=validators)


def run_crawl(command: list[str], settings: dict[str, str]) -> CrawlRun:
    """Run one crawl in the project (``command`` plus ``-s`` settings); exits on failure."""
    command = list(command)
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=1800, check=False)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"crawl failed:\n{result.stderr[-4000:]}")
    elapsed = float(re.search(r"'elapsed_time_seconds': ([\d.]+)", result.stderr).group(1))
    return CrawlRun(wall, elapsed, result.stderr)
