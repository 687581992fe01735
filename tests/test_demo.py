"""The offline demo: ``tracker demo`` builds a real history with real crawls of local pages."""

from __future__ import annotations

import datetime as dt
import html
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tracker.demo.stories import Edition, Story, stories
from tracker.normalize import article_id
from tracker.store import open_store


def distinct_editions(story: Story) -> list[Edition]:
    """The editions that differ from the one before: each is a version."""
    return [edition for n, edition in enumerate(story.editions) if n == 0 or edition != story.editions[n - 1]]


def demo_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "tracker.demo", *args]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def build_and_serve(cwd: Path) -> str:
    """Run ``tracker demo --serve`` until it serves; the home page it answered."""
    port = free_port()
    # From a directory that is not the project's: the demo must find the project on its own.
    process = subprocess.Popen(
        demo_command("--serve", "--port", str(port)), cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("serving "):
                break
        else:
            pytest.fail(f"the demo did not serve:\n{process.stderr.read()[-3000:] if process.stderr else ''}")
        assert f"on http://127.0.0.1:{port}/" in line
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as response:
            return response.read().decode("utf-8")
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_demo_builds_a_history_of_every_story_serves_it_and_refuses_to_run_twice(tmp_path: Path) -> None:
    home = build_and_serve(tmp_path)
    for story in stories():
        assert html.escape(story.editions[-1].headline) in home

    with open_store(f"sqlite:///{tmp_path / 'data' / 'demo.sqlite3'}") as store:
        assert {article["outlet"] for article in store.iter_articles()} == {"washpo", "guardian", "bbc"}
        for story in stories():
            versions = store.list_versions(article_id(story.url))
            assert [v["headline"] for v in versions] == [e.headline for e in distinct_editions(story)], story.url
            assert len(store.list_checks(article_id(story.url))) == len(story.editions)
            last = store.latest_version(article_id(story.url))
            assert last is not None and last["paragraphs"] == list(story.editions[-1].paragraphs)
        budget = article_id(stories()[0].url)
        first, second, third = store.list_versions(budget)
        # the crawls' clock spreads the history over hours
        assert second["fetched_at"] - first["fetched_at"] >= dt.timedelta(hours=3)
        assert third["diff_stats"]["words_added"] > 10  # the added paragraph
        assert second["headline"] != first["headline"]

    again = subprocess.run(demo_command(), cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert again.returncode == 1
    assert again.stderr.count("\n") == 1 and "already holds articles" in again.stderr


def test_demo_prints_how_to_serve_it(tmp_path: Path) -> None:
    result = subprocess.run(
        demo_command("--store", f"sqlite:///{tmp_path}/elsewhere.sqlite3"),
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"tracker serve --store sqlite:///{tmp_path}/elsewhere.sqlite3" in result.stdout
    with open_store(f"sqlite:///{tmp_path}/elsewhere.sqlite3") as store:
        assert store.count("versions") == sum(len(distinct_editions(story)) for story in stories())
