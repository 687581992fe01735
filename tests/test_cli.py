"""Tests for tracker.cli: the ``tracker`` command, run in-process against a small SQLite store."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tracker import cli
from tracker.normalize import article_id
from tracker.revisions import Recorder
from tracker.store import open_store

PROJECT_ROOT = Path(__file__).resolve().parents[1]
STORY = "https://www.washingtonpost.com/politics/2024/01/05/senate-vote-budget/"
HEADLINE = "Senate approves stopgap budget"
PARAGRAPHS_V1 = [
    "The Senate voted late Thursday to approve a stopgap budget that keeps the government open.",
    "The measure passed 77 to 19 after a long night of debate among the senators.",
]
PARAGRAPHS_V2 = [PARAGRAPHS_V1[0], PARAGRAPHS_V1[1].replace("77 to 19", "78 to 19")]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def page(fetched_at: str, paragraphs: list[str] | None, *, status: int = 200, headline: str = HEADLINE) -> dict:
    return {
        "url": STORY,
        "outlet": "washpo",
        "status": status,
        "fetched_at": fetched_at,
        "headline": headline if paragraphs else None,
        "paragraphs": paragraphs or [],
        "authors": ["Jane Reporter"],
        "final_url": STORY,
        "looks_like_article": bool(paragraphs),
    }


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """A store with one article: two versions, then a 404 check."""
    path = tmp_path / "t.sqlite3"
    with open_store(f"sqlite:///{path}") as store:
        recorder = Recorder(store)
        assert recorder.record(page("2024-01-05T10:00:00Z", PARAGRAPHS_V1)).outcome == "new"
        assert recorder.record(page("2024-01-05T11:00:00Z", PARAGRAPHS_V2)).outcome == "changed"
        assert recorder.record(page("2024-01-05T12:00:00Z", None, status=404)).outcome == "gone"
    return path


@pytest.fixture
def store_uri(store_path: Path) -> str:
    return f"sqlite:///{store_path}"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = cli.main(list(argv), out=out)
    return code, out.getvalue()


def assert_one_error_line(capsys: pytest.CaptureFixture[str], *fragments: str) -> str:
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("tracker: ")
    assert "Traceback" not in captured.err
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


# ---------------------------------------------------------------------------------------------
# history


def test_history_table(store_uri: str) -> None:
    code, out = run("history", STORY, "--store", store_uri)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == STORY
    assert "washpo" in lines[1] and "2 versions" in lines[1]
    version_rows = [line for line in lines if re.match(r"^\s+[12]\s+2024-01-05", line)]
    assert len(version_rows) == 2 and all(HEADLINE in row for row in version_rows)
    assert re.search(r"404\s+gone", out)
    assert re.search(r"200\s+changed -> v2", out) and re.search(r"200\s+new -> v1", out)
    # Newest check first.
    assert out.index("gone") < out.index("changed -> v2") < out.index("new -> v1")


def test_history_finds_the_article_from_any_url_variant(store_uri: str) -> None:
    variant = STORY.replace("https://www.", "http://m.") + "amp/?utm_source=twitter#comments"
    code, out = run("history", variant, "--store", store_uri)
    assert code == 0 and out.splitlines()[0] == STORY


def test_history_json(store_uri: str) -> None:
    code, out = run("history", STORY, "--store", store_uri, "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"article", "versions", "checks"}
    assert data["article"]["url"] == STORY
    assert data["article"]["article_id"] == article_id(STORY)
    assert data["article"]["version_count"] == 2
    assert [v["version"] for v in data["versions"]] == [1, 2]
    assert all(v["headline"] == HEADLINE for v in data["versions"])
    assert [c["outcome"] for c in data["checks"]] == ["gone", "changed", "new"]
    assert [c["status"] for c in data["checks"]] == [404, 200, 200]
    assert data["checks"][-1]["at"].startswith("2024-01-05T10:00:00")


def test_history_checks_limit(store_uri: str) -> None:
    code, out = run("history", STORY, "--store", store_uri, "--json", "--checks", "1")
    assert code == 0
    assert [c["outcome"] for c in json.loads(out)["checks"]] == ["gone"]


def test_history_of_an_unknown_url(store_uri: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run("history", "https://www.washingtonpost.com/politics/2024/01/05/never-seen/", "--store", store_uri)
    assert code == 1
    assert out == ""
    assert_one_error_line(capsys, "never-seen")


def test_missing_store_is_an_error_and_is_not_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nested" / "missing.sqlite3"
    for argv in (("history", STORY), ("diff", STORY, "1", "2")):
        code, out = run(*argv, "--store", f"sqlite:///{missing}")
        assert code == 1 and out == ""
        assert_one_error_line(capsys, str(missing))
    assert not missing.exists()
    assert not missing.parent.exists()


def test_missing_default_store_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "env.sqlite3"
    monkeypatch.setenv("TRACKER_STORE", f"sqlite:///{missing}")
    code, _ = run("history", STORY)
    assert code == 1
    assert_one_error_line(capsys, str(missing))
    assert not missing.exists()


@pytest.mark.parametrize("uri", ["nosuch://x/y", "sqlite://relative.sqlite3", "sqlite:///"])
def test_bad_store_uri(uri: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run("history", STORY, "--store", uri)
    assert code == 1 and out == ""
    assert_one_error_line(capsys)


def test_store_file_that_is_no_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is not a SQLite database, just some text " * 100)
    code, _ = run("history", STORY, "--store", f"sqlite:///{path}")
    assert code == 1
    assert_one_error_line(capsys)


def test_headline_with_terminal_escapes_is_not_printed_raw(store_path: Path) -> None:
    # The recorder cleans text; a store written by something else might not have.
    hostile = "Senate \x1b[2J\x1b]0;pwned\x07approves \x9b31m budget"
    with sqlite3.connect(store_path) as db:
        db.execute("UPDATE versions SET headline = ? WHERE version = 1", (hostile,))
    code, out = run("history", STORY, "--store", f"sqlite:///{store_path}")
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert "approves" in out
    code, out = run("diff", STORY, "1", "2", "--store", f"sqlite:///{store_path}", "--color", "never")
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out


# ---------------------------------------------------------------------------------------------
# diff


def test_diff_without_color(store_uri: str) -> None:
    code, out = run("diff", STORY, "1", "2", "--store", store_uri, "--color", "never")
    assert code == 0
    assert out.splitlines()[0] == f"{STORY}: version 1 -> 2"
    assert "[-77-]{+78+}" in out
    assert "\x1b" not in out
    assert "headline:" not in out  # the headline did not change


def test_diff_auto_color_is_off_when_not_a_terminal(store_uri: str) -> None:
    code, out = run("diff", STORY, "1", "2", "--store", store_uri)
    assert code == 0
    assert "[-77-]{+78+}" in out and "\x1b" not in out


def test_diff_with_color(store_uri: str) -> None:
    code, out = run("diff", STORY, "1", "2", "--store", store_uri, "--color", "always")
    assert code == 0
    assert ANSI.search(out)
    assert "[-77-]" not in out and "{+78+}" not in out
    plain = ANSI.sub("", out)
    assert "77" in plain and "78" in plain


def test_diff_shows_a_changed_headline(tmp_path: Path) -> None:
    uri = f"sqlite:///{tmp_path}/h.sqlite3"
    with open_store(uri) as store:
        recorder = Recorder(store)
        recorder.record(page("2024-01-05T10:00:00Z", PARAGRAPHS_V1))
        recorder.record(page("2024-01-05T11:00:00Z", PARAGRAPHS_V1, headline="Senate rejects stopgap budget"))
    code, out = run("diff", STORY, "1", "2", "--store", uri, "--color", "never")
    assert code == 0
    assert f"headline: {HEADLINE}" in out
    assert "-> Senate rejects stopgap budget" in out


@pytest.mark.parametrize(("a", "b"), [("1", "3"), ("0", "2"), ("5", "1"), ("-1", "2")])
def test_diff_of_unknown_versions(store_uri: str, capsys: pytest.CaptureFixture[str], a: str, b: str) -> None:
    code, out = run("diff", STORY, a, b, "--store", store_uri)
    assert code == 1 and out == ""
    assert_one_error_line(capsys, "1..2")


def test_diff_of_an_article_without_versions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    uri = f"sqlite:///{tmp_path}/g.sqlite3"
    with open_store(uri) as store:
        assert Recorder(store).record(page("2024-01-05T10:00:00Z", None, status=404)).outcome == "gone"
    code, _ = run("diff", STORY, "1", "2", "--store", uri)
    assert code == 1
    assert_one_error_line(capsys, "none")


def test_diff_of_an_unknown_url(store_uri: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run("diff", "https://www.example.com/nope", "1", "2", "--store", store_uri)
    assert code == 1
    assert_one_error_line(capsys, "https://www.example.com/nope")


# ---------------------------------------------------------------------------------------------
# the command itself


def test_python_m_tracker_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tracker", "--help"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "usage: tracker" in result.stdout
    assert "history" in result.stdout and "diff" in result.stdout
    assert result.stderr == ""


def test_usage_errors_are_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli.main(["diff", "https://www.washingtonpost.com/x/", "one", "2"], out=io.StringIO())
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "invalid int value: 'one'" in err and "Traceback" not in err


def test_status_per_outlet(tmp_path: Path) -> None:
    import datetime as dt

    now = dt.datetime.now(dt.timezone.utc)

    def at(delta: dt.timedelta) -> str:
        return (now - delta).isoformat()

    def story(url: str, outlet: str, fetched_at: str, status: int = 200) -> dict:
        return {**page(fetched_at, PARAGRAPHS_V1 if status == 200 else None, status=status), "url": url, "outlet": outlet}

    uri = f"sqlite:///{tmp_path}/status.sqlite3"
    fresh, old = STORY, STORY.replace("senate", "house")
    nyt = "https://www.nytimes.com/2024/01/05/us/politics/budget.html"
    with open_store(uri) as store:
        recorder = Recorder(store)
        recorder.record(story(fresh, "washpo", at(dt.timedelta(hours=2))))          # active, due again
        recorder.record(story(old, "washpo", at(dt.timedelta(days=50))))
        recorder.record(story(old, "washpo", at(dt.timedelta(days=5))))             # 45 days unchanged: retired
        recorder.record(story(nyt, "nyt", at(dt.timedelta(hours=3))))
        recorder.record(story(nyt, "nyt", at(dt.timedelta(hours=2)), status=404))
        recorder.record(story(nyt, "nyt", at(dt.timedelta(hours=1)), status=404))  # twice: gone
    code, output = run("status", "--json", "--store", uri)
    assert code == 0
    rows = {row["outlet"]: row for row in json.loads(output)}
    assert {key: rows["washpo"][key] for key in ("tracked", "active", "retired", "gone", "due_now", "versions_24h")} == {
        "tracked": 2, "active": 1, "retired": 1, "gone": 0, "due_now": 1, "versions_24h": 1,
    }
    assert {key: rows["nyt"][key] for key in ("tracked", "active", "gone", "due_now", "versions_24h")} == {
        "tracked": 1, "active": 0, "gone": 1, "due_now": 0, "versions_24h": 1,
    }
    assert rows["nyt"]["last_crawl"].startswith(at(dt.timedelta(hours=1))[:16])
    code, table = run("status", "--store", uri)
    assert code == 0
    lines = table.splitlines()
    assert lines[0].split()[:2] == ["outlet", "tracked"]
    assert lines[1].split()[:7] == ["nyt", "1", "0", "0", "1", "0", "1"]
    assert lines[2].split()[:7] == ["washpo", "2", "1", "1", "0", "1", "1"]


def test_history_and_diff_show_reverts_flipflops_and_tracked_fields(tmp_path: Path) -> None:
    uri = f"sqlite:///{tmp_path}/flipflop.sqlite3"
    times = ["2024-01-05T10:00:00+00:00", "2024-01-05T10:15:00+00:00", "2024-01-05T10:30:00+00:00",
             "2024-01-05T10:45:00+00:00"]
    with open_store(uri) as store:
        recorder = Recorder(store)
        for at, headline in zip(times, [HEADLINE, "Senate passes budget", HEADLINE, "Senate passes budget"]):
            recorder.record({**page(at, PARAGRAPHS_V1, headline=headline), "standfirst": f"Dek for {headline}."})
    code, output = run("history", STORY, "--store", uri)
    assert code == 0
    assert f"(= v1) {HEADLINE}" in output and "flipflop (= v2)" in output
    code, output = run("diff", STORY, "2", "3", "--store", uri)
    assert code == 0
    assert "headline: Senate passes budget\n" in output
    assert "standfirst: Dek for Senate passes budget.\n         -> Dek for " in output
