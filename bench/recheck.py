"""Benchmark: first sight against the two kinds of unchanged re-check, same pages, one run.

    python bench/recheck.py [--pages 3000] [--rounds 1] [--case NAME] [-s NAME=VALUE] [--profile DIR]

Serves N copies of the real Washington Post pages on 127.0.0.1 (as bench/pipeline.py does)
and crawls them three times into one fresh SQLite store:

1. first sight, ``scrapy crawl washpo -a url=...`` (in parts of 1,000 URLs, Linux's limit on
   one argument): every page extracted, hashed and stored;
2. re-check, ``scrapy crawl washpo`` a day later (TRACKER_NOW): the schedule's due articles,
   as in production; the site answers the conditional GET with 304 (no body);
3. re-check a day after that: the site sends no validators, 200 with the same bytes as at
   first sight;

and, before each re-check, a bare Scrapy spider fetches the same URLs the same way (a
conditional GET answered 304, then a plain GET answered 200) and does nothing with them: no
re-check can cost less than that, so first sight over the bare crawl is the most any re-check
could be cheaper (its ceiling, printed).

Prints each crawl's own time (Scrapy's elapsed_time_seconds; the process's start-up is shown
apart), how many times cheaper each re-check is than first sight, and where its CPU time went
per page (bench/_cpustats.py: the crawl's event loop, its other threads, the extraction
workers). Best round of each.
``--profile DIR`` runs the crawl processes under cProfile (DIR/first.prof, not_modified.prof,
identical_200.prof; extraction workers are other processes and not in them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
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

KINDS = ("first", "not_modified", "identical_200", "bare_304", "bare_200")
URLS_PER_CRAWL = 1000  # keeps ``-a url=`` under Linux's 128 KiB limit on one argument
LABELS = {
    "first": "first sight",
    "not_modified": "re-check, 304",
    "identical_200": "re-check, identical 200",
    "bare_304": "bare Scrapy crawl, 304",
    "bare_200": "bare Scrapy crawl, 200",
}
# Later than any page's Last-Modified: the site answers the bare spider's GET with 304.
FAR_FUTURE = "Fri, 01 Jan 2100 00:00:00 GMT"


def crawl_command(profile: Path | None, kind: str, *arguments: str) -> list[str]:
    runner = [sys.executable]
    if profile is not None:
        runner += ["-m", "cProfile", "-o", str(profile / f"{kind}.prof")]
    return [*runner, "-m", "scrapy", "crawl", "washpo", *arguments]


def first_sight(paths: list[str], settings: dict[str, str], profile: Path | None) -> CrawlRun:
    runs = []
    for start in range(0, len(paths), URLS_PER_CRAWL):
        urls = ",".join(WAPO + path for path in paths[start : start + URLS_PER_CRAWL])
        runs.append(run_crawl(crawl_command(profile, "first", "-a", f"url={urls}"), settings))
    return sum(runs[1:], runs[0])


def recheck(days_later: int, kind: str, count: int, settings: dict[str, str], profile: Path | None) -> CrawlRun:
    """A crawl of the due articles ``days_later`` (discovery finds nothing: the site has no feeds)."""
    now = dt.datetime.now(dt.UTC) + dt.timedelta(days=days_later)
    due = {"TRACKER_NOW": now.isoformat(), "TRACKER_MAX_RECHECKS": str(count)}
    return run_crawl(crawl_command(profile, kind), {**settings, **due})


def bare_crawl(workdir: Path, paths: list[str], settings: dict[str, str], *, conditional: bool) -> CrawlRun:
    """The bare spider over the same URLs: the floor under any re-check."""
    spider, urls = workdir / "bare_spider.py", workdir / "urls.txt"
    spider.write_text(BARE_SPIDER)
    urls.write_text("\n".join(WAPO + path for path in paths))
    arguments = ["-a", f"urls_file={urls}"] + (["-a", f"if_modified_since={FAR_FUTURE}"] if conditional else [])
    command = [sys.executable, "-m", "scrapy", "runspider", str(spider), *arguments]
    return run_crawl(command, {**settings, "ITEM_PIPELINES": "{}"})


def one_round(site: FixtureSite, paths: list[str], pages: list[bytes], workdir: Path, number: int,
              settings: dict[str, str], profile: Path | None) -> dict[str, CrawlRun]:
    tracker = {**settings, "TRACKER_STORE": f"sqlite:///{workdir}/round-{number}.sqlite3"}
    serve_pages(site, paths, pages)
    runs = {"first": first_sight(paths, tracker, profile)}
    runs["bare_304"] = bare_crawl(workdir, paths, settings, conditional=True)
    runs["not_modified"] = recheck(1, "not_modified", len(paths), tracker, profile)
    serve_pages(site, paths, pages, validators=False)
    runs["bare_200"] = bare_crawl(workdir, paths, settings, conditional=False)
    runs["identical_200"] = recheck(2, "identical_200", len(paths), tracker, profile)
    for kind, run in runs.items():
        assert run.pages == len(paths), (kind, run.pages)
    return runs


def outcomes(run: CrawlRun) -> str:
    names = ("new", "not_modified", "unchanged", "changed", "boring")
    return ", ".join(f"{name} {run.stat(f'tracker/checks/{name}')}" for name in names if run.stat(f"tracker/checks/{name}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--case", help="one fixture case (default: all WaPo pages in turn)")
    parser.add_argument("-s", "--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="extra Scrapy setting for the crawls, e.g. TRACKER_EXTRACT_WORKERS=2")
    parser.add_argument("--profile", type=Path, metavar="DIR", help="write a cProfile of each crawl process here")
    options = parser.parse_args()
    if options.profile:
        options.profile.mkdir(parents=True, exist_ok=True)

    pages = wapo_pages(options.case)
    paths = story_paths(options.pages)
    best: dict[str, CrawlRun] = {}
    with FixtureSite() as site, tempfile.TemporaryDirectory() as workdir:
        host_map = {"www.washingtonpost.com": site.base_url, "feeds.washingtonpost.com": site.base_url}
        settings = {**BENCH_SETTINGS, "TRACKER_HOST_MAP": json.dumps(host_map),
                    **dict(setting.split("=", 1) for setting in options.settings)}
        for number in range(options.rounds):
            runs = one_round(site, paths, pages, Path(workdir), number, settings, options.profile)
            print(f"round {number + 1}: " + "   ".join(f"{kind} {run.elapsed:6.2f} s" for kind, run in runs.items()))
            for kind, run in runs.items():
                if kind not in best or run.elapsed < best[kind].elapsed:
                    best[kind] = run

    print(f"\npages: washingtonpost/{options.case or '*'} ({len(pages)} distinct), {options.pages} per crawl, "
          f"best of {options.rounds}")
    print(f"{'crawl':<26}{'time':>9}{'pages/s':>9}{'start-up':>10}{'cheaper':>9}"
          f"   CPU ms/page:{''.join(f'{part:>9}' for part in CPU_PARTS)}   outcomes")
    first = best["first"].elapsed
    for kind in KINDS:
        run = best[kind]
        startup = run.wall - run.elapsed  # for first sight: of all its parts
        cpu = "".join(f"{run.cpu_ms_per_page(part):9.2f}" for part in CPU_PARTS)
        print(f"{LABELS[kind]:<26}{run.elapsed:8.2f}s{options.pages / run.elapsed:9.1f}"
              f"{startup:8.2f}s ({100 * startup / run.wall:2.0f}%){first / run.elapsed:7.2f}x   {'':12}{cpu}   {outcomes(run)}")
    print("targets: 304 re-check >= 3x cheaper than first sight, identical 200 >= 2x")
    print(f"ceilings (first sight / bare crawl: no re-check is cheaper than a crawl that does nothing): "
          f"304 {first / best['bare_304'].elapsed:.2f}x, 200 {first / best['bare_200'].elapsed:.2f}x")


if __name__ == "__main__":
    main()
