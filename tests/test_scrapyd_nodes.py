"""``tracker schedule`` over several scrapyd nodes.

* Unit tests of the placement against two fake scrapyd nodes (least busy first, one job per
  outlet across nodes, a silent node skipped with one line).
* The whole thing on one machine: two real scrapyd nodes (own directories, loopback ports) with
  the project deployed, one FerretDB (``mongo_db_uri``), four outlets of the local fixture site,
  rounds of ``tracker schedule --once`` with edits between them, two of them at once, then one
  node killed.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, Self
from urllib.parse import urlsplit

import pytest

from tests.crawling import PROJECT_ROOT
from tests.site import FixtureSite
from tests.site.outlets import guardian, npr, nyt, washpo
from tests.test_scrapyd import (
    FakeScrapyd,
    Scrapyd,
    deploy_project,
    start_scrapyd,
    subprocess_env,
)
from tracker import cli
from tracker.normalize import article_id
from tracker.scrapyd import round_lock, run_scheduler
from tracker.store import open_store

OUTLETS: tuple[ModuleType, ...] = (washpo, nyt, npr, guardian)
ALWAYS_DUE = "40d:0s"  # every known article is re-checked by every crawl


# --- unit tests: placement over fake nodes --------------------------------------------------------


@pytest.fixture
def two_fakes() -> Iterator[tuple[FakeScrapyd, FakeScrapyd]]:
    spiders = tuple(outlet.SPIDER for outlet in OUTLETS)
    first, second = FakeScrapyd(spiders), FakeScrapyd(spiders)
    yield first, second
    first.close()
    second.close()


def nodes_of(*fakes: FakeScrapyd) -> str:
    return ",".join(fake.url for fake in fakes)


def pending(fake: FakeScrapyd) -> list[str]:
    return [job["spider"] for job in fake.jobs["pending"]]


def test_the_least_busy_node_first_counting_this_rounds_jobs(two_fakes: tuple[FakeScrapyd, FakeScrapyd]) -> None:
    first, second = two_fakes
    first.add_job("running", "other", "r1")  # first is busier
    outlets = ["washpo", "nyt", "guardian", "npr"]
    decisions = run_scheduler(nodes_of(first, second), once=True, outlets=outlets)
    assert [d["action"] for d in decisions] == ["scheduled"] * 4
    # second (0 jobs) gets the first; then they take turns, a tie going to the node named first.
    assert pending(second) == ["washpo", "guardian"]
    assert pending(first) == ["nyt", "npr"]
    assert {d["node"] for d in decisions} == {first.url + "/", second.url + "/"}


def test_an_outlet_active_on_any_node_is_skipped_everywhere(two_fakes: tuple[FakeScrapyd, FakeScrapyd]) -> None:
    first, second = two_fakes
    second.add_job("running", "washpo", "r9")
    decisions = run_scheduler(nodes_of(first, second), once=True, outlets=["washpo", "nyt"])
    assert [(d["outlet"], d["action"], d["job"]) for d in decisions] == [
        ("washpo", "skipped", "r9"), ("nyt", "scheduled", "job1"),
    ]
    assert "washpo" not in pending(first) + pending(second)


def test_a_silent_node_is_skipped_with_one_line_and_its_outlets_go_elsewhere(
    two_fakes: tuple[FakeScrapyd, FakeScrapyd], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="tracker.scrapyd")
    first = two_fakes[0]
    dead = FakeScrapyd()
    dead.close()
    dead_url = dead.url
    decisions = run_scheduler(f"{dead_url},{first.url}", once=True, outlets=["washpo", "nyt"])
    assert [d["action"] for d in decisions] == ["scheduled", "scheduled"]
    assert pending(first) == ["washpo", "nyt"]
    skipped = [r.getMessage() for r in caplog.records if "skipped this round" in r.getMessage()]
    assert len(skipped) == 1 and dead_url in skipped[0] and "connection refused" in skipped[0]


def test_a_round_waits_for_the_lock_so_a_concurrent_round_sees_its_jobs(
    two_fakes: tuple[FakeScrapyd, FakeScrapyd], tmp_path: Path
) -> None:
    first, second = two_fakes
    lock = tmp_path / "schedule.lock"
    results: list[list[dict[str, Any]]] = []
    with round_lock(lock):  # another scheduler's round is under way
        waiting = threading.Thread(target=lambda: results.append(
            run_scheduler(nodes_of(first, second), once=True, outlets=["washpo"], lock_path=lock)))
        waiting.start()
        waiting.join(timeout=1.0)
        assert waiting.is_alive() and not first.calls + second.calls  # it has not even listed the jobs
        first.add_job("pending", "washpo", "theirs")  # what the other round scheduled
    waiting.join(timeout=10)
    assert [(d["action"], d["job"]) for d in results[0]] == [("skipped", "theirs")]
    assert not first.calls_to("schedule.json") + second.calls_to("schedule.json")


def test_status_shows_each_node_and_exits_1_when_one_is_down(
    two_fakes: tuple[FakeScrapyd, FakeScrapyd], capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = two_fakes
    first.add_job("running", "washpo", "r1")
    second.add_job("pending", "nyt", "p1")
    assert cli.main(["schedule", "--scrapyd", nodes_of(first, second), "--status"]) == 0
    shown = capsys.readouterr().out
    assert re.search(rf"{first.url}/\s+1 running, 0 pending\n\s+running\s+washpo\s+r1", shown), shown
    assert re.search(rf"{second.url}/\s+0 running, 1 pending\n\s+pending\s+nyt\s+p1", shown), shown
    dead = FakeScrapyd()
    dead.close()
    assert cli.main(["schedule", "--scrapyd", f"{first.url},{dead.url}", "--status", "--json"]) == 1
    nodes = json.loads(capsys.readouterr().out)
    assert [node["ok"] for node in nodes] == [True, False]
    assert "connection refused" in nodes[1]["message"]


# --- the whole thing: two real nodes, one FerretDB ---------------------------------------------------


@pytest.fixture(scope="module")
def nodes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Scrapyd]]:
    started: list[Scrapyd] = []
    try:
        for name in ("node-a", "node-b"):
            node = start_scrapyd(tmp_path_factory.mktemp(name))
            started.append(node)
            deploy_project(node, tmp_path_factory.mktemp(f"{name}-deploy-home"))
        yield started
    finally:
        for node in started:
            node.stop()


def article_html(outlet: ModuleType, number: int, url: str, edits: int) -> str:
    paragraphs = [
        f"Story {number} of {outlet.SPIDER}: the council approved the budget after a long debate about costs.",
        f"Officials said {5 + edits} people were detained outside the building during the protest.",
    ]
    return outlet.article_page(url=url, headline=f"Story {number} of {outlet.SPIDER}", paragraphs=paragraphs)


class Outlets:
    """One fixture site per outlet (their feed paths may collide), edited between rounds."""

    def __init__(self) -> None:
        self._servers = contextlib.ExitStack()
        self.sites: dict[str, FixtureSite] = {}
        self.edits = {url: 0 for outlet in OUTLETS for url in outlet.ARTICLE_URLS}

    def __enter__(self) -> Self:
        with self._servers:  # closes what started if a later one fails
            for outlet in OUTLETS:
                self.sites[outlet.SPIDER] = self._servers.enter_context(FixtureSite())
                self.publish(outlet)
            self._servers = self._servers.pop_all()
        return self

    def publish(self, outlet: ModuleType) -> None:
        site = self.sites[outlet.SPIDER]
        site.set_page("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        for path, (content, content_type) in outlet.discovery_pages(outlet.ARTICLE_URLS).items():
            site.set_page(path, content, content_type=content_type)
        for number in range(len(outlet.ARTICLE_URLS)):
            self.serve(outlet, number)

    def __exit__(self, *exc_info: object) -> None:
        self._servers.close()

    def serve(self, outlet: ModuleType, number: int) -> None:
        url = outlet.ARTICLE_URLS[number]
        self.sites[outlet.SPIDER].set_page(urlsplit(url).path, article_html(outlet, number, url, self.edits[url]))

    def edit(self, number: int) -> None:
        """Change article ``number`` of every outlet: each edit is one more version."""
        for outlet in OUTLETS:
            self.edits[outlet.ARTICLE_URLS[number]] += 1
            self.serve(outlet, number)

    @property
    def host_map(self) -> dict[str, str]:
        return {host: self.sites[outlet.SPIDER].base_url for outlet in OUTLETS for host in outlet.HOSTS}


def schedule_command(nodes: list[Scrapyd], outlets: Outlets, store_uri: str, lock: Path) -> list[str]:
    command = [
        sys.executable, "-m", "tracker", "schedule", "--once", "--lock-file", str(lock),
        "--scrapyd", ",".join(node.url for node in nodes),
        "--outlets", ",".join(outlet.SPIDER for outlet in OUTLETS),
        "-s", f"TRACKER_HOST_MAP={json.dumps(outlets.host_map)}", "-s", f"TRACKER_STORE={store_uri}",
        "-s", f"TRACKER_SCHEDULE_TIERS={ALWAYS_DUE}",
        "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
    ]
    return command


def run_round(nodes: list[Scrapyd], outlets: Outlets, store_uri: str, lock: Path, *, at_once: int = 1) -> dict[str, str]:
    """``at_once`` schedulers started together; returns outlet -> the one job scheduled for it."""
    command = schedule_command(nodes, outlets, store_uri, lock)
    runs = [subprocess.Popen(command, cwd=PROJECT_ROOT, env=subprocess_env(), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(at_once)]
    logs = []
    for run in runs:
        _, stderr = run.communicate(timeout=120)
        assert run.returncode == 0, stderr[-3000:]
        logs.append(stderr)
    scheduled = [match.groups() for log in logs for match in re.finditer(r"scheduled (\w+): job (\w+)", log)]
    outlets_scheduled = sorted(outlet for outlet, _ in scheduled)
    assert outlets_scheduled == sorted(outlet.SPIDER for outlet in OUTLETS), "\n---\n".join(logs)
    return dict(scheduled)


def wait_idle(nodes: list[Scrapyd], timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lists = [node.client.list_jobs("tracker") for node in nodes]
        if not any(jobs["pending"] or jobs["running"] for jobs in lists):
            return
        time.sleep(0.5)
    pytest.fail(f"jobs still active after {timeout:g}s: {lists}")


def job_nodes(nodes: list[Scrapyd]) -> dict[str, int]:
    """Job id -> index of the node that ran it (finished jobs)."""
    return {job["id"]: index for index, node in enumerate(nodes)
            for job in node.client.list_jobs("tracker")["finished"]}


def job_log(node: Scrapyd, spider: str, job: str) -> str:
    path = node.logs_dir / "tracker" / spider / f"{job}.log"
    return path.read_text(errors="replace") if path.exists() else f"(no log at {path})"


def assert_jobs_ran_ok(nodes: list[Scrapyd], jobs: dict[str, str]) -> dict[str, int]:
    where = job_nodes(nodes)
    for outlet, job in jobs.items():
        assert job in where, f"job {job} of {outlet} not finished on any node"
        log = job_log(nodes[where[job]], outlet, job)
        assert "exit status 0: ok" in log, log[-4000:]
    return {outlet: where[job] for outlet, job in jobs.items()}


def test_rounds_over_two_nodes_keep_every_version_once(
    nodes: list[Scrapyd], mongo_db_uri: str, tmp_path: Path
) -> None:
    lock = tmp_path / "schedule.lock"
    placements: list[dict[str, int]] = []
    with Outlets() as outlets:
        for edit, at_once in ((None, 1), (0, 1), (1, 2)):  # first sight, an edit, an edit by two schedulers
            if edit is not None:
                outlets.edit(edit)
            jobs = run_round(nodes, outlets, mongo_db_uri, lock, at_once=at_once)
            wait_idle(nodes)
            placements.append(assert_jobs_ran_ok(nodes, jobs))
        assert {index for placement in placements for index in placement.values()} == {0, 1}, placements

        # One node dies: the next round still covers every outlet, on the other one.
        nodes[1].stop()
        outlets.edit(2)
        jobs = run_round(nodes, outlets, mongo_db_uri, lock)
        wait_idle(nodes[:1])
        assert set(assert_jobs_ran_ok(nodes[:1], jobs).values()) == {0}

    with open_store(mongo_db_uri) as store:
        for url, edits in outlets.edits.items():
            versions = store.list_versions(article_id(url))
            assert [v["version"] for v in versions] == list(range(1, edits + 2)), url
            latest = store.get_version(article_id(url), edits + 1)
            assert latest is not None and f"{5 + edits} people" in " ".join(latest["paragraphs"])
            # Four rounds, four checks: no round crawled an outlet twice.
            assert len(store.list_checks(article_id(url))) == 4, url
