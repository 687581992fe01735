"""A crawl says what happened: exit status, one line per failure, a summary, checked arguments.

The real ``scrapy crawl`` in a subprocess, against the local fixture site and against a
loopback port where nothing listens.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from OpenSSL import SSL
from scrapy.exceptions import CannotResolveHostError, DownloadTimeoutError, IgnoreRequest
from scrapy.http import HtmlResponse, Request
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError

from spiders.washpo import WashingtonPostSpider
from tests.crawling import PROJECT_ROOT, run_crawl
from tests.site import FixtureSite
from tests.site.outlets.washpo import article_page
from tests.site.pages import rss_feed
from tracker.crawlreport import EXIT_ERROR, EXIT_NOTHING_FETCHED, EXIT_OK, EXIT_USAGE, exit_status, failure_reason

WAPO = "https://www.washingtonpost.com"
STORY_A = f"{WAPO}/politics/2024/01/05/senate-vote-budget/"
STORY_B = f"{WAPO}/world/2024/01/05/summit-ends-without-deal/"
STORY_GONE = f"{WAPO}/national/2024/01/04/storm-hits-coast/"
WAPO_HOSTS = ("www.washingtonpost.com", "feeds.washingtonpost.com")
# What a washpo discovery run requests before any article: feeds, sitemaps, section pages.
SOURCES = len(WashingtonPostSpider.feeds) + len(WashingtonPostSpider.sitemaps) + len(WashingtonPostSpider.sections)
# "One screen": a dead crawl's whole log, start-up and Scrapy's stats dump included.
SCREEN_LINES = 60


def paragraphs(title: str) -> list[str]:
    return [f"{title} paragraph {n} has enough words to count as a real article body text." for n in range(4)]


def story(url: str, title: str) -> str:
    return article_page(url=url, headline=title, paragraphs=paragraphs(title))


@pytest.fixture
def site() -> Iterator[FixtureSite]:
    """Only the politics feed and two of its three articles exist: the other feeds, the
    sitemap, the section pages and the third article answer 404."""
    with FixtureSite() as fixture_site:
        fixture_site.set_page("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        fixture_site.set_page(
            "/rss/politics", rss_feed("Politics", [STORY_A, STORY_B, STORY_GONE]), content_type="application/rss+xml"
        )
        fixture_site.set_page(STORY_A.removeprefix(WAPO), story(STORY_A, "Senate"))
        fixture_site.set_page(STORY_B.removeprefix(WAPO), story(STORY_B, "Summit"))
        yield fixture_site


@pytest.fixture
def store_uri(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/tracker.sqlite3"


@pytest.fixture
def dead_port() -> int:
    """A loopback port where nothing listens (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def crawl(base_url: str, store_uri: str, *args: str, exit_status: int = EXIT_OK) -> subprocess.CompletedProcess[str]:
    return run_crawl(
        "washpo",
        host_map={host: base_url for host in WAPO_HOSTS},
        store_uri=store_uri,
        args=args,
        settings={"TRACKER_SCHEDULE_TIERS": "40d:0s"},
        exit_status=exit_status,
    )


def tracker(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tracker", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60
    )


def summary(log: str) -> list[str]:
    """The summary block of a crawl log."""
    lines = log.splitlines()
    start = next(n for n, line in enumerate(lines) if "crawl summary" in line)
    return lines[start : start + 5]


def stat(log: str, key: str) -> object:
    for line in log[log.rfind("Dumping Scrapy stats:") :].splitlines():
        if f"'{key}':" in line:
            return eval(line.split(":", 1)[1].strip(" ,}"))  # a number from the stats dump
    return None


# --- a dead crawl ------------------------------------------------------------------------------


def test_a_dead_crawl_exits_3_with_one_line_per_url_and_fits_on_one_screen(dead_port: int, store_uri: str) -> None:
    result = crawl(f"http://127.0.0.1:{dead_port}", store_uri, exit_status=EXIT_NOTHING_FETCHED)
    log = result.stderr
    assert "Traceback" not in log
    assert len(log.splitlines()) <= SCREEN_LINES, log
    failed = [
        line for line in log.splitlines() if "WARNING: tracker: " in line and "failed: connection refused" in line
    ]
    # One line per source URL, and one per host's robots.txt; nothing else warns.
    assert len(failed) == SOURCES + len(WAPO_HOSTS), log
    assert len([line for line in log.splitlines() if " WARNING: " in line]) == len(failed)
    assert [line for line in log.splitlines() if " ERROR: " in line] == [
        line for line in log.splitlines() if "crawl summary" in line
    ]
    block = summary(log)
    assert block[1].strip() == f"requests {SOURCES}: fetched 0, failed {SOURCES} (connection refused {SOURCES})"
    assert block[4].strip() == "exit status 3: nothing could be fetched"
    assert stat(log, "tracker/summary/exit_status") == 3
    assert stat(log, "tracker/summary/failed/refused") == SOURCES

    # The run is kept: tracker status shows the dead outlet at a glance.
    shown = tracker("status", "--store", store_uri)
    assert shown.returncode == 0, shown.stderr
    [last] = [
        line for line in shown.stdout.splitlines() if line.startswith("washpo") and "nothing could be fetched" in line
    ]
    assert last.split()[3:5] == ["0", str(SOURCES)]


def test_an_article_whose_only_check_failed_is_pending_not_active(dead_port: int, store_uri: str) -> None:
    crawl(f"http://127.0.0.1:{dead_port}", store_uri, "-a", f"url={STORY_A}", exit_status=EXIT_NOTHING_FETCHED)
    rows = json.loads(tracker("status", "--json", "--store", store_uri).stdout)
    [row] = rows
    assert (row["tracked"], row["active"], row["pending"]) == (1, 0, 1)
    assert row["last_run"]["failed"] == 1 and row["last_run"]["exit_status"] == 3
    history = tracker("history", STORY_A, "--store", store_uri).stdout
    assert "state pending" in history and "Connection was refused" in history


@pytest.mark.parametrize(
    ("mirror", "words", "key"),
    [
        # An https mirror on a plain-HTTP port: the TLS handshake fails.
        (lambda site: site.base_url.replace("http://", "https://"), "TLS error", "tls"),
        # .invalid never resolves (RFC 2606).
        (lambda site: "http://tracker-test.invalid", "DNS lookup failed", "dns"),
        # robots.txt forbids the article.
        (
            lambda site: site.set_page("/robots.txt", "User-agent: *\nDisallow: /politics/\n") and site.base_url,
            "forbidden by robots.txt",
            "robots_txt",
        ),
    ],
    ids=["tls", "dns", "robots"],
)
def test_a_failure_is_one_line_with_its_reason(
    site: FixtureSite, store_uri: str, mirror: object, words: str, key: str
) -> None:
    result = crawl(mirror(site), store_uri, "-a", f"url={STORY_A}", exit_status=EXIT_NOTHING_FETCHED)  # type: ignore[operator]
    assert "Traceback" not in result.stderr
    assert [
        line.split(" WARNING: ")[1] for line in result.stderr.splitlines() if STORY_A in line and " WARNING: " in line
    ] == [f"tracker: {STORY_A} failed: {words}"]
    assert f"({words} 1)" in summary(result.stderr)[1]
    assert stat(result.stderr, f"tracker/summary/failed/{key}") == 1


# --- a crawl that partly worked ----------------------------------------------------------------


def test_some_failures_are_counted_and_the_crawl_succeeds(site: FixtureSite, store_uri: str) -> None:
    result = crawl(site.base_url, store_uri)
    log = result.stderr
    assert "Traceback" not in log
    # Requested: every source and the three articles of the feed. Fetched: the feed and two
    # articles; every other URL answered 404, one WARNING line each.
    requests, failed = SOURCES + 3, SOURCES - 1 + 1
    block = summary(log)
    assert block[1].strip() == f"requests {requests}: fetched 3, failed {failed} (HTTP 404 {failed})"
    assert block[2].strip() == "articles: new 2, new versions 0, unchanged 0, not modified 0"
    assert block[4].strip() == f"exit status 0: ok, with {failed} failed"
    assert len([line for line in log.splitlines() if "failed: HTTP 404 Not Found" in line]) == failed
    assert (stat(log, "tracker/summary/requests"), stat(log, "tracker/summary/fetched")) == (requests, 3)

    # Next run: one article edited, one unchanged (a 304); the missing one backs off.
    site.set_page(STORY_A.removeprefix(WAPO), story(STORY_A, "Senate votes"))
    block = summary(crawl(site.base_url, store_uri).stderr)
    assert block[1].strip() == f"requests {SOURCES + 2}: fetched 3, failed {SOURCES - 1} (HTTP 404 {SOURCES - 1})"
    assert block[2].strip() == "articles: new 0, new versions 1, unchanged 0, not modified 1"

    # The article never fetched is pending, not active.
    rows = json.loads(tracker("status", "--json", "--store", store_uri).stdout)
    [row] = rows
    assert (row["tracked"], row["active"], row["pending"], row["gone"]) == (3, 2, 1, 0)
    assert (row["last_run"]["fetched"], row["last_run"]["new_versions"], row["last_run"]["exit_status"]) == (3, 1, 0)


# --- arguments checked before the first request ------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nosuchspider"], "no spider named 'nosuchspider'; the outlets are: aljazeera, bbc,"),
        (["washpo", "-a", "url="], "-a url= names no URL"),
        (["washpo", "-a", "url= , "], "-a url= names no URL"),
        (["washpo", "-a", "url=not a url"], "'not a url' is not an http(s) URL"),
        (["washpo", "-a", "url=https://example.com/foo"], "https://example.com/foo is not an article URL of washpo"),
        (
            ["washpo", "-a", f"url={STORY_A},{WAPO}/video/politics/2024/01/05/clip/"],
            "/video/politics/2024/01/05/clip/ is not an article URL of washpo",
        ),
        (
            ["washpo", "-a", "url=https://www.nytimes.com/2024/01/05/us/politics/budget-vote.html"],
            "is not an article URL of washpo; it is an article of nyt: scrapy crawl nyt",
        ),
        (
            ["washpo", "-a", "urls=https://www.washingtonpost.com/politics/2024/01/05/x/"],
            "unknown spider argument -a urls=",
        ),
    ],
)
def test_bad_arguments_stop_the_crawl_with_one_line_and_status_2(
    site: FixtureSite, store_uri: str, args: list[str], message: str
) -> None:
    command = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        *args,
        "-s",
        f"TRACKER_STORE={store_uri}",
        "-s",
        f"TRACKER_HOST_MAP={json.dumps({host: site.base_url for host in WAPO_HOSTS})}",
    ]
    result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == EXIT_USAGE, result.stderr[-2000:]
    lines = [line for line in result.stderr.splitlines() if line.startswith("tracker: cannot crawl")]
    assert len(lines) == 1 and message in lines[0], result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "Crawled" not in result.stderr
    assert site.requests == []


def test_scrapyd_job_arguments_are_accepted() -> None:
    WashingtonPostSpider.check_arguments({"_job": "abc123", "_version": "1", "url": STORY_A})


# --- set-up ------------------------------------------------------------------------------------


def test_the_crawl_creates_the_sqlite_directory_and_the_cli_refuses_a_missing_file(
    site: FixtureSite, tmp_path: Path
) -> None:
    missing = f"sqlite:///{tmp_path}/nope/x.sqlite3"
    shown = tracker("status", "--store", missing)
    assert (
        shown.returncode == 1
        and shown.stderr.strip() == f"tracker: no store at {tmp_path}/nope/x.sqlite3 (set --store or TRACKER_STORE)"
    )
    assert not (tmp_path / "nope").exists()
    result = crawl(site.base_url, missing, "-a", f"url={STORY_A}")
    assert f"tracker: created a new store at {tmp_path}/nope/x.sqlite3" in result.stderr
    assert (tmp_path / "nope" / "x.sqlite3").is_file()
    again = crawl(site.base_url, missing, "-a", f"url={STORY_A}")
    assert "created a new store" not in again.stderr
    assert tracker("status", "--store", missing).returncode == 0


# --- failure reasons -------------------------------------------------------------------------


def _http_error(status: int) -> HttpError:
    response = HtmlResponse("https://example.com/a", status=status, request=Request("https://example.com/a"))
    return HttpError(response, "Ignoring non-200 response")


def _wrapped(outer: Exception, inner: Exception) -> Exception:
    outer.__cause__ = inner
    return outer


@pytest.mark.parametrize(
    ("exc", "key", "words"),
    [
        (_wrapped(CannotResolveHostError("no results"), DNSLookupError("x")), "dns", "DNS lookup failed"),
        (DNSLookupError("x"), "dns", "DNS lookup failed"),
        (DownloadTimeoutError("took longer than 1.0 seconds"), "timeout", "timed out"),
        (SSL.Error([("SSL routines", "", "wrong version number")]), "tls", "TLS error"),
        (_http_error(503), "http_503", "HTTP 503 Service Unavailable"),
        (IgnoreRequest("Forbidden by robots.txt"), "robots_txt", "forbidden by robots.txt"),
    ],
)
def test_failure_reasons_in_words(exc: Exception, key: str, words: str) -> None:
    reason = failure_reason(exc)
    assert reason is not None and (reason.key, reason.words) == (key, words)


def test_a_bug_has_no_reason_and_keeps_its_traceback() -> None:
    assert failure_reason(KeyError("oops")) is None


# --- scripts/test names a missing prerequisite in one line ------------------------------------


def run_scripts_test(tmp_path: Path, path: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": path, "HOME": str(tmp_path), "TRACKER_CACHE_DIR": str(tmp_path / "cache")}
    return subprocess.run(
        ["bash", "scripts/test", "--collect-only"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_scripts_test_without_go_says_so_in_one_line(tmp_path: Path) -> None:
    # This Python, no Go anywhere on PATH, and no FerretDB built yet.
    result = run_scripts_test(tmp_path, f"{Path(sys.executable).parent}:/usr/bin:/bin")
    assert result.returncode == 1
    assert result.stderr == (
        "scripts/test: FerretDB is not built and Go is not installed: install Go (https://go.dev/dl/),"
        " or set TRACKER_TEST_MONGO_URI=mongodb://host:port\n"
    )


def test_scripts_test_with_an_old_python_says_so_in_one_line(tmp_path: Path) -> None:
    shims = tmp_path / "bin"
    shims.mkdir()
    # A python3 that is 3.10: it fails the version check and tells its version.
    (shims / "python3").write_text('#!/bin/sh\ncase "$*" in *python_version*) echo 3.10.12;; *) exit 1;; esac\n')
    (shims / "python3").chmod(0o755)
    result = run_scripts_test(tmp_path, f"{shims}:/usr/bin:/bin")
    assert (result.returncode, result.stderr) == (1, "scripts/test: Python >= 3.11 is needed, python3 is 3.10.12\n")


DEBIAN_PYTHON = Path("/usr/bin/python3")


@pytest.mark.skipif(
    not DEBIAN_PYTHON.exists() or not list(Path("/usr/lib").glob("python3*/EXTERNALLY-MANAGED")),
    reason="needs a system Python marked EXTERNALLY-MANAGED (PEP 668), as Debian's is",
)
def test_scripts_test_refuses_the_system_python(tmp_path: Path) -> None:
    # /usr/bin first: Debian's own python3, which pip may not install into outside a virtualenv.
    result = run_scripts_test(tmp_path, "/usr/bin:/bin")
    assert result.returncode == 1
    assert (
        result.stderr
        == "scripts/test: python3 is the system's Python: create a virtualenv first (python3 -m venv .venv && . .venv/bin/activate)\n"
    )


@pytest.mark.parametrize(
    ("stats", "status"),
    [
        ({"tracker/summary/requests": 5, "tracker/summary/answered": 1}, EXIT_OK),
        ({}, EXIT_OK),  # nothing to do is no failure
        ({"tracker/summary/requests": 5}, EXIT_NOTHING_FETCHED),
        ({"tracker/summary/requests": 5, "tracker/summary/answered": 5, "tracker/spool/left": 2}, EXIT_ERROR),
        ({"tracker/summary/requests": 5, "tracker/summary/answered": 5, "tracker/store/errors": 1}, EXIT_ERROR),
        ({"tracker/summary/requests": 5, "tracker/store/unavailable": 1}, EXIT_ERROR),  # the store comes first
    ],
)
def test_exit_status_from_the_stats(stats: dict[str, int], status: int) -> None:
    assert exit_status(stats) == status
