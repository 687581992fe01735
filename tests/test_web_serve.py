"""``tracker serve`` and the documented production command, as real processes on real ports."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from bench._ferretdb import free_port
from tests.crawling import PROJECT_ROOT
from tracker.store import open_store

T0 = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def store_uri(tmp_path: Path) -> str:
    uri = f"sqlite:///{tmp_path}/tracker.sqlite3"
    with open_store(uri) as store:
        store.save_version(
            {"article_id": "a1", "url": "https://news.example/a1", "outlet": "example",
             "last_checked_at": T0, "last_changed_at": T0, "headline": "Served headline"},
            {"fetched_at": T0, "outlet": "example", "headline": "Served headline", "paragraphs": ["Text."]},
            {"at": T0, "status": 200, "outcome": "new"}, expected_count=0,
        )
    return uri


def run_tracker(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tracker", *args], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=60, env=env)


@contextlib.contextmanager
def started(command: Sequence[str], port: int, env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and process.poll() is None:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        assert process.poll() is None, process.communicate()[0]
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


def fetch(url: str) -> tuple[int, dict[str, str], str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, dict(response.headers), response.read().decode()


def test_serve_answers_pages_until_stopped(store_uri: str) -> None:
    port = free_port()
    command = [sys.executable, "-m", "tracker", "serve", "--port", str(port), "--store", store_uri]
    with started(command, port) as process:
        status, headers, body = fetch(f"http://127.0.0.1:{port}/")
        assert status == 200 and "Served headline" in body
        assert headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert fetch(f"http://127.0.0.1:{port}/api/articles/a1")[0] == 200
    assert process.returncode is not None


def test_the_documented_production_command_serves_tracker_store(store_uri: str) -> None:
    # README: TRACKER_STORE=… waitress-serve --listen=127.0.0.1:8000 --call tracker.web:create_app
    # (waitress-serve is the console script of `python -m waitress`).
    port = free_port()
    env = {**os.environ, "TRACKER_STORE": store_uri}
    command = [sys.executable, "-m", "waitress", f"--listen=127.0.0.1:{port}", "--call", "tracker.web:create_app"]
    with started(command, port, env):
        status, _, body = fetch(f"http://127.0.0.1:{port}/article/a1")
        assert status == 200 and "Served headline" in body


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tracker: "), result.stderr
    return lines[0]


def test_a_missing_store_is_one_line_and_exit_1(tmp_path: Path) -> None:
    missing = f"sqlite:///{tmp_path}/nothing.sqlite3"
    line = one_line_error(run_tracker("serve", "--store", missing, "--port", str(free_port())))
    assert "no store at" in line and "nothing.sqlite3" in line
    assert not (tmp_path / "nothing.sqlite3").exists()


def test_a_port_in_use_is_one_line_and_exit_1(store_uri: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = one_line_error(run_tracker("serve", "--port", str(port), "--store", store_uri))
    assert f"cannot listen on 127.0.0.1:{port}" in line


def test_a_malformed_port_is_a_usage_error(store_uri: str) -> None:
    result = run_tracker("serve", "--port", "eighty", "--store", store_uri)
    assert result.returncode == 2 and "invalid int value" in result.stderr
