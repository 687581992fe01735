"""``tracker schedule`` and deployment to scrapyd.

* Unit tests of the scheduler's decisions against a fake scrapyd (a tiny HTTP server on
  127.0.0.1 that records what it was asked).
* The egg ``scrapyd-deploy`` builds: our three packages and the ``scrapy`` entry point, no tests.
* Integration: a real scrapyd (started from its own empty directory with PYTHONSAFEPATH=1),
  a real ``scrapyd-deploy``, and ``python -m tracker schedule --once`` crawling a local
  WaPo-shaped site into the store named with ``-s``. In CI (``CI=true``) a scrapyd that does
  not start fails the run; elsewhere those tests are skipped, saying why.
"""

from __future__ import annotations

import configparser
import contextlib
import datetime as dt
import fcntl
import itertools
import json
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.crawling import PROJECT_ROOT
from tests.site import FixtureSite
from tests.site.outlets import washpo
from tracker import cli
from tracker.normalize import article_id
from tracker.scrapyd import ScrapydClient, ScrapydError, run_scheduler
from tracker.store import open_store

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
BIN = Path(sys.executable).parent
# The real console script next to this interpreter (not a pyenv shim, which needs the real HOME).
SCRAPYD_DEPLOY = BIN / "scrapyd-deploy"


# --- a fake scrapyd -----------------------------------------------------------------------------


@dataclass
class Call:
    method: str
    endpoint: str
    fields: list[tuple[str, str]]

    def values(self, name: str) -> list[str]:
        return [value for key, value in self.fields if key == name]


class FakeScrapyd:
    """Just enough of scrapyd's JSON API; jobs stay pending until a test moves them."""

    def __init__(self, spiders: tuple[str, ...] = ("washpo", "nyt")) -> None:
        self.spiders = list(spiders)
        self.jobs: dict[str, list[dict[str, Any]]] = {"pending": [], "running": [], "finished": []}
        self.calls: list[Call] = []
        # endpoint -> [status, body, times left (None: always)]
        self.failures: dict[str, list[Any]] = {}
        self.on_request: Callable[[Call], None] | None = None
        self._ids = itertools.count(1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                fake._answer(self, "GET", urlsplit(self.path).query)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                fake._answer(self, "POST", self.rfile.read(length).decode())

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # A short poll interval: shutdown() waits for it, once per test.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return "http://127.0.0.1:%d" % self._server.server_address[1]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def fail(self, endpoint: str, status: int, body: str, times: int | None = None) -> None:
        self.failures[endpoint] = [status, body, times]

    def add_job(self, state: str, spider: str, job_id: str) -> None:
        self.jobs[state].append({"id": job_id, "project": "tracker", "spider": spider})

    def finish_all(self) -> None:
        for state in ("pending", "running"):
            self.jobs["finished"] += self.jobs[state]
            self.jobs[state] = []

    def calls_to(self, endpoint: str) -> list[Call]:
        return [call for call in self.calls if call.endpoint == endpoint]

    def _answer(self, handler: BaseHTTPRequestHandler, method: str, encoded: str) -> None:
        call = Call(method, urlsplit(handler.path).path.lstrip("/"), parse_qsl(encoded))
        self.calls.append(call)
        if self.on_request:
            self.on_request(call)
        status, body = 200, self._respond(call)
        failure = self.failures.get(call.endpoint)
        if failure:
            status, body = failure[0], failure[1]
            if failure[2] is not None:
                failure[2] -= 1
                if failure[2] <= 0:
                    del self.failures[call.endpoint]
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _respond(self, call: Call) -> dict[str, Any]:
        fields = dict(call.fields)
        if call.endpoint == "daemonstatus.json":
            return {"status": "ok", **{state: len(jobs) for state, jobs in self.jobs.items()}}
        if fields.get("project") != "tracker":
            return {"status": "error", "message": f"project '{fields.get('project')}' not found"}
        if call.endpoint == "listspiders.json":
            return {"status": "ok", "spiders": self.spiders}
        if call.endpoint == "listjobs.json":
            return {"status": "ok", **self.jobs}
        if call.endpoint == "schedule.json" and call.method == "POST":
            if fields["spider"] not in self.spiders:
                return {"status": "error", "message": f"spider '{fields['spider']}' not found"}
            job_id = f"job{next(self._ids)}"
            self.add_job("pending", fields["spider"], job_id)
            return {"status": "ok", "jobid": job_id}
        return {"status": "error", "message": f"no such endpoint {call.endpoint}"}


@pytest.fixture
def fake() -> Iterator[FakeScrapyd]:
    server = FakeScrapyd()
    yield server
    server.close()


@pytest.fixture
def info_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="tracker.scrapyd")
    return caplog


class FakeTime:
    """An injected clock: sleeping advances it, and so can each request to the fake."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- unit tests: decisions --------------------------------------------------------------------


def test_schedules_every_spider_with_the_settings(fake: FakeScrapyd, info_logs: pytest.LogCaptureFixture) -> None:
    settings = {"TRACKER_STORE": "sqlite:////srv/a b.sqlite3", "DOWNLOAD_DELAY": "0"}
    decisions = run_scheduler(fake.url, once=True, settings=settings)
    assert [(d["outlet"], d["action"], d["job"]) for d in decisions] == [
        ("washpo", "scheduled", "job1"), ("nyt", "scheduled", "job2"),
    ]
    scheduled = fake.calls_to("schedule.json")
    assert [call.values("spider") for call in scheduled] == [["washpo"], ["nyt"]]
    for call in scheduled:
        assert call.method == "POST" and call.values("project") == ["tracker"]
        # One `setting` field per setting, values intact (spaces, slashes, '=' after the first).
        assert call.values("setting") == ["TRACKER_STORE=sqlite:////srv/a b.sqlite3", "DOWNLOAD_DELAY=0"]
    assert "scheduled washpo: job job1" in info_logs.messages
    assert "scheduled nyt: job job2" in info_logs.messages


def test_skips_outlets_whose_job_is_pending_or_running(fake: FakeScrapyd, info_logs: pytest.LogCaptureFixture) -> None:
    fake.spiders = ["washpo", "nyt", "guardian"]
    fake.add_job("pending", "washpo", "p1")
    fake.add_job("running", "nyt", "r1")
    fake.add_job("finished", "guardian", "f1")  # finished jobs never block
    decisions = run_scheduler(fake.url, once=True)
    assert [(d["outlet"], d["action"], d["job"], d["state"]) for d in decisions] == [
        ("washpo", "skipped", "p1", "pending"),
        ("nyt", "skipped", "r1", "running"),
        ("guardian", "scheduled", "job1", "pending"),
    ]
    assert [call.values("spider") for call in fake.calls_to("schedule.json")] == [["guardian"]]
    assert "skip washpo: job p1 still pending" in info_logs.messages
    assert "skip nyt: job r1 still running" in info_logs.messages


def test_given_outlets_only_and_no_spider_listing(fake: FakeScrapyd) -> None:
    decisions = run_scheduler(fake.url, once=True, outlets=["nyt"], project="tracker")
    assert [(d["outlet"], d["action"]) for d in decisions] == [("nyt", "scheduled")]
    assert not fake.calls_to("listspiders.json")
    # The next round sees its own job still pending and leaves it alone.
    again = run_scheduler(fake.url, once=True, outlets=["nyt"])
    assert [(d["action"], d["job"]) for d in again] == [("skipped", "job1")]
    assert len(fake.calls_to("schedule.json")) == 1


def test_rounds_start_every_period_whatever_a_round_costs(fake: FakeScrapyd) -> None:
    clock = FakeTime()
    starts: list[float] = []

    def on_request(call: Call) -> None:
        if call.endpoint == "listjobs.json":
            starts.append(clock.now)
        clock.now += 1.5  # each request takes 1.5 s of the round

    def sleep(seconds: float) -> None:
        clock.sleep(seconds)
        fake.finish_all()  # the crawls end between rounds

    fake.on_request = on_request
    decisions = run_scheduler(
        fake.url, outlets=["washpo"], every=dt.timedelta(minutes=1),
        sleep=sleep, clock=clock.clock, max_rounds=3,
    )
    assert [d["action"] for d in decisions] == ["scheduled"] * 3
    assert starts == [1000.0, 1060.0, 1120.0]
    assert clock.sleeps == [57.0, 57.0]  # the remainder of the period, not the period


def test_a_round_longer_than_the_period_is_followed_at_once(fake: FakeScrapyd) -> None:
    clock = FakeTime()
    starts: list[float] = []

    def on_request(call: Call) -> None:
        if call.endpoint == "listjobs.json":
            starts.append(clock.now)
        clock.now += 50.0

    fake.on_request = on_request
    run_scheduler(
        fake.url, outlets=["washpo"], every=dt.timedelta(seconds=60),
        sleep=clock.sleep, clock=clock.clock, max_rounds=3,
    )
    # Round 1 (list + schedule) overran: no catch-up burst, no negative sleep, round 2 starts
    # at once; round 2 (only a list: the job is still pending) fits, so round 3 keeps the cadence.
    assert starts == [1000.0, 1100.0, 1160.0]
    assert clock.sleeps == [10.0]


def test_a_failing_round_is_logged_and_retried(fake: FakeScrapyd, info_logs: pytest.LogCaptureFixture) -> None:
    clock = FakeTime()
    fake.fail("listjobs.json", 503, "Service Unavailable", times=1)
    decisions = run_scheduler(
        fake.url, outlets=["washpo"], every=dt.timedelta(minutes=15),
        sleep=clock.sleep, clock=clock.clock, max_rounds=2,
    )
    assert [(d["outlet"], d["action"]) for d in decisions] == [("washpo", "scheduled")]
    errors = [r.getMessage() for r in info_logs.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "HTTP 503" in errors[0] and "round failed" in errors[0]
    assert clock.sleeps == [900.0]


@pytest.mark.parametrize(
    ("endpoint", "status", "body", "expected"),
    [
        ("listjobs.json", 200, '{"status": "error", "message": "project \'tracker\' not found"}',
         "refused listjobs.json: project 'tracker' not found"),
        ("listjobs.json", 500, '{"status": "error", "message": "KeyError: boom"}', "HTTP 500 to listjobs.json: KeyError: boom"),
        ("listjobs.json", 401, "Unauthorized", "HTTP 401 to listjobs.json: Unauthorized (check the username"),
        ("listjobs.json", 200, "<html>not scrapyd</html>", "not JSON"),
        ("schedule.json", 200, '{"status": "error", "message": "Traceback...\\nRunnerError: broken egg"}',
         "washpo: scrapyd at http://127.0.0.1:"),
    ],
)
def test_error_answers_raise_scrapyd_error_with_the_message(
    fake: FakeScrapyd, endpoint: str, status: int, body: str, expected: str
) -> None:
    fake.fail(endpoint, status, body)
    with pytest.raises(ScrapydError) as raised:
        run_scheduler(fake.url, once=True, outlets=["washpo"])
    message = str(raised.value)
    assert expected in message
    assert "\n" not in message and "Traceback" not in message


def test_one_unknown_outlet_does_not_stop_the_others(fake: FakeScrapyd) -> None:
    with pytest.raises(ScrapydError, match="nope: .*spider 'nope' not found"):
        run_scheduler(fake.url, once=True, outlets=["nope", "washpo"])
    assert [call.values("spider") for call in fake.calls_to("schedule.json")] == [["nope"], ["washpo"]]
    assert [job["spider"] for job in fake.jobs["pending"]] == ["washpo"]


def test_client_errors_are_one_clear_line() -> None:
    port = free_port()  # nothing listens there
    with pytest.raises(ScrapydError, match=r"cannot reach scrapyd at http://127\.0\.0\.1:\d+/: connection refused"):
        ScrapydClient(f"http://127.0.0.1:{port}").daemon_status()
    with pytest.raises(ScrapydError, match="not a scrapyd URL"):
        ScrapydClient("127.0.0.1:6800")
    # Credentials go in a header and never into messages.
    client = ScrapydClient(f"http://user:s3cret@127.0.0.1:{port}/prefix")
    assert client.base_url == f"http://127.0.0.1:{port}/prefix/"
    with pytest.raises(ScrapydError) as raised:
        client.list_jobs("tracker")
    assert "s3cret" not in str(raised.value)


def test_client_answers(fake: FakeScrapyd) -> None:
    fake.add_job("running", "nyt", "r1")
    client = ScrapydClient(fake.url + "/")
    assert client.daemon_status()["running"] == 1
    assert client.list_spiders("tracker") == ["washpo", "nyt"]
    assert client.list_jobs("tracker") == {"pending": [], "running": [fake.jobs["running"][0]], "finished": []}
    assert client.schedule("tracker", "washpo", {"A": "1"}) == "job1"


def test_cli_schedule_passes_settings_and_store(fake: FakeScrapyd, capsys: pytest.CaptureFixture[str]) -> None:
    status = cli.main([
        "schedule", "--scrapyd", fake.url, "--once", "--outlets", "washpo",
        "-s", "DOWNLOAD_DELAY=0", "--store", "sqlite:////tmp/x.sqlite3",
    ])
    assert status == 0, capsys.readouterr().err
    (call,) = fake.calls_to("schedule.json")
    assert call.values("setting") == ["DOWNLOAD_DELAY=0", "TRACKER_STORE=sqlite:////tmp/x.sqlite3"]


def test_cli_schedule_error_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    status = cli.main(["schedule", "--scrapyd", f"http://127.0.0.1:{free_port()}", "--once"])
    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith("tracker: cannot reach scrapyd at http://127.0.0.1:") and err.count("\n") == 1


# --- the egg ------------------------------------------------------------------------------------


@contextlib.contextmanager
def project_build(env: dict[str, str] | None = None) -> Iterator[None]:
    """Around a ``scrapyd-deploy`` run in the project: one build at a time, leftovers removed.

    scrapyd-deploy runs ``setup.py clean -a`` and ``setup.py bdist_egg`` in the project
    directory, which leave ``build/`` and ``*.egg-info``; remove whichever it created (an
    ``.egg-info`` from ``pip install -e .`` was there before and stays). The lock keeps two
    test runs in the same tree from building at once.
    """
    lock_path = Path(tempfile.gettempdir()) / f"tracker-egg-build-{os.getuid()}.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        leftovers = lambda: {PROJECT_ROOT / "build", *PROJECT_ROOT.glob("*.egg-info")}  # noqa: E731
        before = {path for path in leftovers() if path.exists()}
        try:
            yield
        finally:
            for path in leftovers() - before:
                shutil.rmtree(path, ignore_errors=True)


def subprocess_env(**extra: str) -> dict[str, str]:
    # Nothing from the caller's environment may stand in for what the test passes explicitly.
    dropped = ("TRACKER_STORE", "TRACKER_HOST_MAP", "SCRAPY_SETTINGS_MODULE", "SCRAPY_PROJECT", "SCRAPYD_EGG_VERSION")
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env.update(extra)
    return env


def test_egg_holds_our_packages_and_entry_point_only(tmp_path: Path) -> None:
    egg = tmp_path / "tracker.egg"
    with project_build():
        result = subprocess.run(
            [str(SCRAPYD_DEPLOY), "--build-egg", str(egg)],
            cwd=PROJECT_ROOT, env=subprocess_env(), capture_output=True, text=True, timeout=120,
        )
    assert result.returncode == 0, result.stderr[-3000:]
    with zipfile.ZipFile(egg) as archive:
        names = archive.namelist()
        entry_points = configparser.ConfigParser()
        entry_points.read_string(archive.read("EGG-INFO/entry_points.txt").decode())
    tops = {name.split("/", 1)[0] for name in names}
    assert tops == {"EGG-INFO", "tracker", "spiders", "pipelines"}, sorted(tops)
    for module in ("tracker/settings.py", "tracker/store/sqlite.py", "tracker/parsers/washpo.py",
                   "spiders/base.py", "spiders/washpo.py", "pipelines/revisions.py"):
        assert module in names
    # scrapyd finds the project's settings through this entry point; it rejects an egg without.
    assert entry_points.get("scrapy", "settings") == "tracker.settings"
    # What a build leaves behind is ignored by git (and was removed above).
    leftovers = ["build/", "news_tracker.egg-info/"]
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", *leftovers], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=30
    )
    assert ignored.stdout.split() == leftovers, f".gitignore must cover build/ and *.egg-info/: {ignored.stderr}"


# --- integration: a real scrapyd ----------------------------------------------------------------


@dataclass
class Scrapyd:
    url: str
    workdir: Path
    logs_dir: Path
    process: subprocess.Popen[bytes]
    output: Path

    @property
    def client(self) -> ScrapydClient:
        return ScrapydClient(self.url)

    def job_log(self, job: str) -> str:
        path = self.logs_dir / "tracker" / "washpo" / f"{job}.log"
        return path.read_text(errors="replace")[-5000:] if path.exists() else f"(no log at {path})"

    def wait_finished(self, job: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if job in {entry["id"] for entry in self.client.list_jobs("tracker")["finished"]}:
                return
            time.sleep(0.3)
        pytest.fail(f"job {job} not finished after {timeout:g}s: {self.client.list_jobs('tracker')}")

    def stop(self) -> None:
        # scrapyd runs in a session of its own, so its job processes (and their children) are
        # in its process group: signal the group, so nothing outlives the tests.
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=wait)
            if self.process.poll() is not None and not _group_alive(self.process.pid):
                return
        deadline = time.monotonic() + 5
        while _group_alive(self.process.pid) and time.monotonic() < deadline:
            time.sleep(0.1)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _no_scrapyd(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"scrapyd did not start: {reason}", pytrace=False)
    pytest.skip(f"scrapyd did not start: {reason}")


def start_scrapyd(root: Path) -> Scrapyd:
    workdir = root / "run"  # its own, empty directory: nothing there can shadow the egg
    state = root / "state"
    home = root / "home"
    for directory in (workdir, state, home):
        directory.mkdir()
    port = free_port()
    (workdir / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        "bind_address = 127.0.0.1\n"
        f"http_port = {port}\n"
        f"eggs_dir = {state / 'eggs'}\n"
        f"logs_dir = {state / 'logs'}\n"
        f"dbs_dir = {state / 'dbs'}\n"
        "items_dir =\n"
        "jobs_to_keep = 20\n"
        "finished_to_keep = 100\n"
        "poll_interval = 0.5\n"
        "max_proc = 2\n"
    )
    output = root / "scrapyd.out"
    # HOME elsewhere: no ~/.scrapyd.conf or ~/.scrapy.cfg of the user's can change this scrapyd.
    env = subprocess_env(PYTHONSAFEPATH="1", HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"))
    with open(output, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "scrapyd", "--pidfile="],
            cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    server = Scrapyd(f"http://127.0.0.1:{port}", workdir, state / "logs", process, output)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            ScrapydClient(server.url, timeout=1).daemon_status()
            return server
        except ScrapydError:
            time.sleep(0.2)
    server.stop()
    _no_scrapyd(f"no answer on {server.url} (exit status {process.poll()}):\n{output.read_text(errors='replace')[-3000:]}")
    raise AssertionError("unreachable")


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scrapyd]:
    server = start_scrapyd(tmp_path_factory.mktemp("scrapyd"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def deployed(scrapyd: Scrapyd, tmp_path_factory: pytest.TempPathFactory) -> Scrapyd:
    """The project deployed with the real ``scrapyd-deploy``, to a target the repo does not have.

    scrapyd-client reads ``~/.scrapy.cfg`` as well as the project's scrapy.cfg, so the target
    ``test`` lives in a temporary HOME and scrapy.cfg stays untouched.
    """
    deploy_project(scrapyd, tmp_path_factory.mktemp("deploy-home"))
    return scrapyd


def deploy_project(scrapyd: Scrapyd, home: Path) -> None:
    """``scrapyd-deploy`` the project to ``scrapyd``, with its target in the temporary ``home``."""
    (home / ".scrapy.cfg").write_text(f"[deploy:test]\nurl = {scrapyd.url}/\nproject = tracker\n")
    env = subprocess_env(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"))
    with project_build():
        result = subprocess.run(
            [str(SCRAPYD_DEPLOY), "test", "--version", "r1"],
            cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120,
        )
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr[-3000:]}"
    assert f'Deploying to project "tracker" in {scrapyd.url}/addversion.json' in result.stderr
    assert json.loads(result.stdout)["status"] == "ok", result.stdout


@pytest.fixture
def site() -> Iterator[FixtureSite]:
    with FixtureSite() as fixture_site:
        fixture_site.set_page("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        for path, (content, content_type) in washpo.discovery_pages(washpo.ARTICLE_URLS).items():
            fixture_site.set_page(path, content, content_type=content_type)
        for url in washpo.ARTICLE_URLS:
            fixture_site.set_page(urlsplit(url).path, article(url))
        yield fixture_site


def article(url: str) -> str:
    slug = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    paragraphs = [f"The {slug} story, paragraph {n}, has enough words to count as a real article body." for n in range(4)]
    return washpo.article_page(url=url, headline=f"Headline of {slug}", paragraphs=paragraphs)


def schedule_once(scrapyd: Scrapyd, site: FixtureSite, store_uri: str) -> subprocess.CompletedProcess[str]:
    host_map = json.dumps({host: site.base_url for host in washpo.HOSTS})
    command = [
        sys.executable, "-m", "tracker", "schedule", "--scrapyd", scrapyd.url, "--once", "--outlets", "washpo",
        "-s", f"TRACKER_HOST_MAP={host_map}", "-s", f"TRACKER_STORE={store_uri}",
        "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
    ]
    result = subprocess.run(command, cwd=PROJECT_ROOT, env=subprocess_env(), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def scheduled_job(result: subprocess.CompletedProcess[str]) -> str:
    match = re.search(r"scheduled washpo: job (\w+)", result.stderr)
    assert match, f"no 'scheduled washpo' line in:\n{result.stderr}"
    return match.group(1)


def all_job_ids(scrapyd: Scrapyd) -> set[str]:
    return {job["id"] for jobs in scrapyd.client.list_jobs("tracker").values() for job in jobs}


def assert_version_1_of_each_article(scrapyd: Scrapyd, store_path: Path, job: str) -> None:
    assert store_path.exists(), f"the crawl did not write the store named with -s:\n{scrapyd.job_log(job)}"
    with open_store(f"sqlite:///{store_path}") as store:
        for url in washpo.ARTICLE_URLS:
            versions = store.list_versions(article_id(url))
            assert [v["version"] for v in versions] == [1], f"{url}:\n{scrapyd.job_log(job)}"
            assert versions[0]["headline"] == f"Headline of {urlsplit(url).path.rstrip('/').rsplit('/', 1)[-1]}"


def test_deploy_lists_the_project_and_its_spiders(deployed: Scrapyd) -> None:
    assert "tracker" in deployed.client.list_projects()
    assert "washpo" in deployed.client.list_spiders("tracker")


def test_schedule_once_crawls_into_the_store_given_with_s(deployed: Scrapyd, site: FixtureSite, tmp_path: Path) -> None:
    store_path = tmp_path / "store.sqlite3"
    result = schedule_once(deployed, site, f"sqlite:///{store_path}")
    job = scheduled_job(result)
    deployed.wait_finished(job)
    assert_version_1_of_each_article(deployed, store_path, job)
    # The settings reached the crawl: the pages came from the mapped host, and nothing was
    # written to the default store (relative to scrapyd's working directory).
    assert site.requests_for(urlsplit(washpo.ARTICLE_URLS[0]).path)
    assert not (deployed.workdir / "data").exists()
    assert "exit status 0: ok" in deployed.job_log(job)  # the crawl's summary ends the job's log


@dataclass
class DeadSite:
    """Where nothing listens: every request of the job is refused."""

    base_url: str


def test_a_job_that_fetched_nothing_says_so_in_its_log_and_exit_status(deployed: Scrapyd, tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = DeadSite(f"http://127.0.0.1:{probe.getsockname()[1]}")
    job = scheduled_job(schedule_once(deployed, dead, f"sqlite:///{tmp_path}/store.sqlite3"))  # type: ignore[arg-type]
    deployed.wait_finished(job)
    log = deployed.job_log(job)
    assert "exit status 3: nothing could be fetched" in log and "Traceback" not in log, log
    # scrapyd 1.6 lists the job as finished; its own log keeps the exit status.
    deadline = time.monotonic() + 10
    while "exitstatus=3" not in deployed.output.read_text(errors="replace") and time.monotonic() < deadline:
        time.sleep(0.2)
    died = [line for line in deployed.output.read_text(errors="replace").splitlines() if "Process died" in line]
    assert any("exitstatus=3" in line and job in line for line in died), died


def test_second_round_while_the_job_runs_queues_nothing(deployed: Scrapyd, site: FixtureSite, tmp_path: Path) -> None:
    slow = washpo.ARTICLE_URLS[0]
    site.set_page(urlsplit(slow).path, article(slow), delay=5)  # keeps the job running a while
    store_path = tmp_path / "store.sqlite3"
    before = all_job_ids(deployed)

    job = scheduled_job(schedule_once(deployed, site, f"sqlite:///{store_path}"))
    second = schedule_once(deployed, site, f"sqlite:///{store_path}")
    assert re.search(rf"skip washpo: job {job} still (pending|running)", second.stderr), second.stderr
    assert "scheduled washpo" not in second.stderr
    jobs = deployed.client.list_jobs("tracker")
    active = [entry["id"] for state in ("pending", "running") for entry in jobs[state] if entry["spider"] == "washpo"]
    assert active == [job]

    deployed.wait_finished(job)
    assert all_job_ids(deployed) - before == {job}
    assert_version_1_of_each_article(deployed, store_path, job)
