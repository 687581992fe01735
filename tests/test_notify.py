"""Notifications: real crawls of the fixture site, then ``tracker notify`` posting to real
HTTP receivers on 127.0.0.1 (plain webhooks and Apprise's ``json://``).

The end-to-end test runs the real ``scrapy crawl`` and ``tracker notify`` in subprocesses;
the delivery tests (retries, a hanging target, restarts, the flood guard) run the notifier
in-process over an archive made by real crawls, on both stores.
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.crawling import PROJECT_ROOT, run_crawl
from tests.site import FixtureSite
from tests.site.pages import rss_feed
from tests.test_e2e_washpo import (
    PARAGRAPHS_A,
    STORY_A,
    STORY_B,
    WAPO,
    crawl,
    paragraphs_for,
    site,
    story,
)
from tracker.migrate import migrate
from tracker.normalize import article_id
from tracker.notify.message import sample_message
from tracker.notify.notifier import Notifier, NotifyOptions
from tracker.notify.rules import RuleError, parse_rules
from tracker.store import Store, open_store

__all__ = ["site"]  # the fixture site of the washpo end-to-end tests

LONG_AGO = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
NEW_HEADLINE = "Senate approves stopgap budget after late vote"


class Receiver:
    """A webhook receiver on 127.0.0.1. Answers each POST with the next of ``statuses``
    (then 200); with ``hang`` set it accepts the request and never answers."""

    def __init__(self) -> None:
        self.accepted: list[dict[str, Any]] = []  # POSTs answered 2xx: path and JSON body
        self.requests: list[tuple[str, int | None]] = []  # every POST: path and the status given
        self.statuses: list[int] = []
        self.hang = False
        self.released = threading.Event()
        self._lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver._lock:
                    if receiver.hang:
                        receiver.requests.append((self.path, None))
                        status = None
                    else:
                        status = receiver.statuses.pop(0) if receiver.statuses else 200
                        receiver.requests.append((self.path, status))
                        if status < 300:
                            receiver.accepted.append({"path": self.path, "json": json.loads(body),
                                                      "content_type": self.headers.get("Content-Type")})
                if status is None:
                    receiver.released.wait(60)  # never answers while the test runs
                    return
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        class Server(http.server.ThreadingHTTPServer):
            def verify_request(self, request: Any, client_address: Any) -> bool:
                receiver.connections += 1
                return True

        self.connections = 0  # TCP connections accepted, requests or not
        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def posts(self, path: str) -> list[dict[str, Any]]:
        return [post["json"] for post in self.accepted if post["path"] == path]

    def close(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def run_notify(store_uri: str, rules: list[dict[str, Any]], *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    """The real ``tracker notify`` in a subprocess, rules in the TRACKER_NOTIFY variable."""
    env = {**os.environ, "TRACKER_NOTIFY": json.dumps(rules)}
    env.pop("TRACKER_STORE", None)
    command = [sys.executable, "-m", "tracker", "notify", "--store", store_uri, *args]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    return subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)


def edit_two_stories(site: FixtureSite) -> None:
    """Story A: a new headline and 'five' -> 'six'; story B: one paragraph more, same headline."""
    edited = list(PARAGRAPHS_A)
    edited[1] = edited[1].replace("five people", "six people")
    site.set_page(STORY_A.removeprefix(WAPO), story(STORY_A, edited, headline=NEW_HEADLINE))
    longer = [*paragraphs_for("Summit"), "Diplomats will meet again next month in Geneva to try once more."]
    site.set_page(STORY_B.removeprefix(WAPO), story(STORY_B, longer, headline="Summit ends"))


# --- end to end: crawls, then tracker notify ------------------------------------------------

def test_one_post_per_new_version_with_its_gist_after_real_crawls(
    site: FixtureSite, receiver: Receiver, tmp_path: Path
) -> None:
    store_uri = f"sqlite:///{tmp_path}/tracker.sqlite3"
    hook = receiver.base_url
    rules = [
        {"url": f"{hook}/changes"},
        {"url": f"{hook}/firsts", "first_versions": True},
        {"url": f"{hook}/nyt", "outlets": ["nyt"]},
        {"url": f"{hook}/washpo", "outlets": ["washpo"]},
        {"url": f"{hook}/big", "min_words_changed": 50},
        {"url": f"{hook}/small", "min_words_changed": 2},
        {"url": f"{hook}/headline", "headline_only": True},
        {"url": f"{hook}/six", "added_text_regex": r"\bsix\b"},
        {"url": f"json://127.0.0.1:{hook.rsplit(':', 1)[1]}/apprise"},
    ]
    open_store(store_uri).close()
    settings = {"TRACKER_WEB_BASE_URL": "https://tracker.example/"}
    first = run_notify(store_uri, rules, "--once", **settings)  # the rules start now
    assert first.returncode == 0, first.stderr
    assert receiver.requests == []

    crawl(site, store_uri)  # three first versions
    after_first = run_notify(store_uri, rules, "--once", **settings)
    assert after_first.returncode == 0, after_first.stderr
    assert len(receiver.posts("/firsts")) == 3
    assert {post["event"] for post in receiver.posts("/firsts")} == {"new"}
    assert [post["path"] for post in receiver.accepted] == ["/firsts"] * 3  # the others want changes only

    edit_two_stories(site)
    crawl(site, store_uri)
    result = run_notify(store_uri, rules, "--once", **settings)
    assert result.returncode == 0, result.stderr
    a_id, b_id = article_id(STORY_A), article_id(STORY_B)
    changes = {post["article_id"]: post for post in receiver.posts("/changes")}
    assert sorted(changes) == sorted([a_id, b_id]) and len(receiver.posts("/changes")) == 2
    post = changes[a_id]
    assert post["event"] == "changed" and post["version"] == 2 and post["outlet"] == "washpo"
    assert post["url"] == STORY_A and post["headline"] == NEW_HEADLINE
    assert post["diff"]["headline"] == {"old": "Senate approves stopgap budget", "new": NEW_HEADLINE}
    assert post["diff_stats"]["words_added"] >= 1 and post["diff_stats"]["words_removed"] >= 1
    [edited] = post["diff"]["sentences"]["edited"]
    assert "five people" in edited["old"] and "six people" in edited["new"]
    assert post["compare_url"] == f"https://tracker.example/article/{a_id}/compare?a=1&b=2"
    assert post["page_url"] == f"https://tracker.example/article/{a_id}"
    assert dt.datetime.fromisoformat(post["fetched_at"]).tzinfo is not None
    assert changes[b_id]["diff"]["headline"] is None
    assert changes[b_id]["diff"]["sentences"]["added"] == ["Diplomats will meet again next month in Geneva to try once more."]
    assert all(post["content_type"].startswith("application/json") for post in receiver.accepted)

    # The filters.
    assert len(receiver.posts("/firsts")) == 5  # first versions and changes
    assert receiver.posts("/nyt") == [] and len(receiver.posts("/washpo")) == 2
    assert receiver.posts("/big") == [] and len(receiver.posts("/small")) == 2
    assert [p["article_id"] for p in receiver.posts("/headline")] == [a_id]
    assert [p["article_id"] for p in receiver.posts("/six")] == [a_id]
    # Apprise's json:// target: its own JSON with our title and text.
    apprise_posts = receiver.posts("/apprise")
    assert len(apprise_posts) == 2
    [about_a] = [p for p in apprise_posts if NEW_HEADLINE in p["title"]]
    assert about_a["title"] == f"washpo: {NEW_HEADLINE} (version 2)"
    assert "Headline: Senate approves stopgap budget → " + NEW_HEADLINE in about_a["message"]
    assert f"Compare: https://tracker.example/article/{a_id}/compare?a=1&b=2" in about_a["message"]
    assert f"Original: {STORY_A}" in about_a["message"]

    # A restart sends nothing again.
    seen = len(receiver.requests)
    again = run_notify(store_uri, rules, "--once", **settings)
    assert again.returncode == 0, again.stderr
    assert len(receiver.requests) == seen
    with open_store(store_uri) as store:
        statuses = {n["status"] for n in store.list_notifications()}
    assert statuses == {"sent"}


def test_a_malformed_rule_is_one_line_and_exit_1_for_notify_and_crawl(site: FixtureSite, tmp_path: Path) -> None:
    store_uri = f"sqlite:///{tmp_path}/tracker.sqlite3"
    open_store(store_uri).close()
    for rules, expected in (
        ([{"url": "slack://"}], "TRACKER_NOTIFY rule 0: slack:// URL is not one Apprise can use"),
        ([{"url": "https://hooks.example/x", "headline_only": "yes"}], "rule 0: \"headline_only\" must be true or false"),
        ([{"url": "https://hooks.example/x"}, {"url": "ntfy://t", "added_text_regex": "("}], "rule 1: \"added_text_regex\""),
        ([{"url": "https://hooks.example/x", "outlet": ["washpo"]}], "rule 0: unknown key 'outlet'"),
    ):
        result = run_notify(store_uri, rules, "--once")
        assert result.returncode == 1
        assert result.stderr.count("\n") == 1 and expected in result.stderr, result.stderr
    env = {**os.environ, "TRACKER_NOTIFY": '[{"url": "mailto://"}]'}
    refused = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "washpo", "-s", f"TRACKER_STORE={store_uri}",
         "-s", f"TRACKER_HOST_MAP={json.dumps({'www.washingtonpost.com': site.base_url})}"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert refused.returncode == 1
    assert "tracker: cannot crawl, bad setting: TRACKER_NOTIFY rule 0: mailto:// URL" in refused.stderr
    assert not site.requests  # refused before any request


def test_the_crawl_never_waits_for_a_target(site: FixtureSite, tmp_path: Path) -> None:
    """Messages go out from `tracker notify`, never from the crawl: a target that accepts
    connections and never answers is not even contacted by a crawl configured with it."""
    hanging = Receiver()
    hanging.hang = True
    try:
        store_uri = f"sqlite:///{tmp_path}/tracker.sqlite3"
        rules = json.dumps([{"url": f"{hanging.base_url}/hangs", "first_versions": True}])
        run_crawl("washpo", host_map={"www.washingtonpost.com": site.base_url, "feeds.washingtonpost.com": site.base_url},
                  store_uri=store_uri, settings={"TRACKER_NOTIFY": rules})
        with open_store(store_uri) as store:
            assert store.count("versions") == 3
        assert hanging.connections == 0
    finally:
        hanging.close()


def test_notify_test_sends_a_sample_through_one_rule(receiver: Receiver, tmp_path: Path) -> None:
    rules = [{"url": f"{receiver.base_url}/zero"}, {"url": f"{receiver.base_url}/one", "outlets": ["bbc"]}]
    result = run_notify(f"sqlite:///{tmp_path}/none.sqlite3", rules, "--test", "1")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"test message sent to {receiver.base_url}\n"
    [sample] = receiver.posts("/one")
    assert sample == sample_message().payload and sample["event"] == "test"
    inline = run_notify(f"sqlite:///{tmp_path}/none.sqlite3", [], "--test", json.dumps({"url": f"{receiver.base_url}/inline"}))
    assert inline.returncode == 0 and len(receiver.posts("/inline")) == 1
    receiver.statuses = [503]
    failed = run_notify(f"sqlite:///{tmp_path}/none.sqlite3", rules, "--test", "0")
    assert failed.returncode == 1
    assert failed.stderr == f"tracker: test message to {receiver.base_url} failed: HTTP 503 Service Unavailable\n"
    missing = run_notify(f"sqlite:///{tmp_path}/none.sqlite3", rules, "--test", "7")
    assert missing.returncode == 1 and missing.stderr == "tracker: no rule 7 in TRACKER_NOTIFY (rules: 0, 1)\n"


# --- delivery, on both stores, over an archive made by real crawls --------------------------

def serve_two_stories(fixture_site: FixtureSite) -> None:
    """Stories A and B of the washpo fixture site, listed in its politics feed."""
    fixture_site.set_page("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    fixture_site.set_page("/rss/politics", rss_feed("Politics", [STORY_A, STORY_B]), content_type="application/rss+xml")
    fixture_site.set_page(STORY_A.removeprefix(WAPO), story(STORY_A, PARAGRAPHS_A))
    fixture_site.set_page(STORY_B.removeprefix(WAPO), story(STORY_B, paragraphs_for("Summit"), headline="Summit ends"))


@pytest.fixture(scope="module")
def crawled_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two first versions and two changes (stories A and B), stored by real crawls."""
    path = tmp_path_factory.mktemp("archive") / "tracker.sqlite3"
    with FixtureSite() as fixture_site:
        serve_two_stories(fixture_site)
        crawl(fixture_site, f"sqlite:///{path}")
        edit_two_stories(fixture_site)
        crawl(fixture_site, f"sqlite:///{path}")
    return path


@pytest.fixture(params=["sqlite", "mongo"])
def archive(request: pytest.FixtureRequest, crawled_archive: Path, tmp_path: Path) -> Iterator[Store]:
    """A fresh copy of the crawled archive in each store (MongoDB: by tracker migrate)."""
    copy = tmp_path / "tracker.sqlite3"
    shutil.copy(crawled_archive, copy)
    source = open_store(f"sqlite:///{copy}")
    if request.param == "sqlite":
        yield source
        source.close()
        return
    target = open_store(request.getfixturevalue("mongo_db_uri"))
    migrate(source, target)
    source.close()
    yield target
    target.close()


def notifier(store: Store, rules: list[dict[str, Any]], **options: Any) -> Notifier:
    """A notifier that announces the whole archive, retries at once and waits 1 s at most."""
    settings = {"backoff": dt.timedelta(0), "timeout": 1.0, **options}
    return Notifier(store, parse_rules(rules), NotifyOptions(**settings), since=LONG_AGO)


def changes(store: Store) -> set[tuple[str, int]]:
    return {(v["article_id"], v["version"]) for v in store.versions_after(None) if v["version"] > 1}


def test_a_target_failing_twice_gets_the_message_once(archive: Store, receiver: Receiver) -> None:
    receiver.statuses = [500, 500]
    sender = notifier(archive, [{"url": f"{receiver.base_url}/flaky"}])
    reports = [sender.run_round()[0] for _ in range(4)]
    posted = receiver.posts("/flaky")
    assert {(p["article_id"], p["version"]) for p in posted} == changes(archive)
    assert len(posted) == 2  # each change exactly once
    assert [status for _, status in receiver.requests] == [500, 500, 200, 200]
    assert [r.retrying for r in reports] == [1, 1, 0, 0] and sum(r.sent for r in reports) == 2
    notifications = archive.list_notifications()
    assert sorted(n["attempts"] for n in notifications) == [1, 3]
    assert {n["status"] for n in notifications} == {"sent"}


def test_a_failing_target_is_given_up_after_its_attempts_and_recorded(archive: Store, receiver: Receiver) -> None:
    receiver.statuses = [502] * 10
    sender = notifier(archive, [{"url": f"{receiver.base_url}/down"}], attempts=3)
    for _ in range(6):
        sender.run_round()
    notifications = archive.list_notifications()
    assert [(n["status"], n["attempts"]) for n in notifications] == [("failed", 3), ("failed", 3)]
    assert notifications[0]["error"] == "HTTP 502 Bad Gateway"
    assert len(receiver.requests) == 6 and receiver.accepted == []


def test_a_target_that_never_answers_blocks_no_other_rule_and_loses_nothing(
    archive: Store, receiver: Receiver
) -> None:
    hanging = Receiver()
    hanging.hang = True
    try:
        rules = [{"url": f"{hanging.base_url}/hangs"}, {"url": f"{receiver.base_url}/fine"}]
        sender = notifier(archive, rules)
        hung, fine = sender.run_round()
        assert len(receiver.posts("/fine")) == 2 and fine.sent == 2  # the other rule got everything
        assert hung.sent == 0 and hung.retrying == 1 and hung.errors == ["no answer within 1 s"]
        assert len(hanging.requests) == 1  # one attempt per round while it fails
        pending = archive.list_notifications(sender.rules[0].rule_id)
        assert [n["status"] for n in pending] == ["pending", "pending"]

        hanging.hang = False  # it comes back: everything arrives, once
        sender.run_round()
        assert {(p["article_id"], p["version"]) for p in hanging.posts("/hangs")} == changes(archive)
        assert len(hanging.posts("/hangs")) == 2 and len(receiver.posts("/fine")) == 2
    finally:
        hanging.close()


def test_a_restarted_notifier_sends_nothing_twice(archive: Store, receiver: Receiver) -> None:
    rules = [{"url": f"{receiver.base_url}/once", "first_versions": True}]
    notifier(archive, rules).run_round()
    assert len(receiver.posts("/once")) == 4
    restarted = notifier(archive, rules)  # a new process: only the store remembers
    assert restarted.run_round()[0].queued == 0
    assert len(receiver.requests) == 4


def test_the_flood_guard_summarises_beyond_the_hourly_limit(archive: Store, receiver: Receiver) -> None:
    rules = [{"url": f"{receiver.base_url}/flood", "first_versions": True}]
    [report] = notifier(archive, rules, max_per_hour=2).run_round()
    single, summary = receiver.posts("/flood")
    assert single["event"] == "new" and summary["event"] == "summary" and summary["count"] == 3
    assert report.sent == 1 and report.summarised == 3
    everything = {(v["article_id"], v["version"]) for v in archive.versions_after(None)}
    listed = {(single["article_id"], single["version"])} | {(v["article_id"], v["version"]) for v in summary["versions"]}
    assert listed == everything
    assert sorted(n["status"] for n in archive.list_notifications()) == ["sent"] + ["summarised"] * 3


def test_a_new_rule_starts_from_now_not_from_the_archive_past(archive: Store, receiver: Receiver) -> None:
    rules = parse_rules([{"url": f"{receiver.base_url}/late", "first_versions": True}])
    [report] = Notifier(archive, rules, NotifyOptions(timeout=1.0)).run_round()
    assert report.queued == 0 and receiver.requests == []


def test_parse_rules_defaults_ids_and_errors() -> None:
    [rule] = parse_rules('[{"url": "https://hooks.example/x"}]')
    assert (rule.outlets, rule.min_words_changed, rule.headline_only, rule.first_versions) == (None, 0, False, False)
    assert rule.rule_id == parse_rules([{"url": "https://hooks.example/x"}])[0].rule_id  # stable
    assert rule.rule_id != parse_rules([{"url": "https://hooks.example/y"}])[0].rule_id
    assert parse_rules("[]") == [] and parse_rules("") == []
    assert parse_rules([{"url": "ntfy://ntfy.sh/topic"}])[0].target == "ntfy://ntfy.sh"
    assert parse_rules([{"url": "https://user:secret@hooks.example/token"}])[0].target == "https://hooks.example"
    for bad in ("{", "5", '[{"url": 5}]', '[{"url": "https://x", "min_words_changed": true}]', '[{"url": "nourl"}]'):
        with pytest.raises(RuleError):
            parse_rules(bad)


def test_a_version_landing_late_within_the_store_slack_is_still_sent(crawled_archive: Path, tmp_path: Path,
                                                                     receiver: Receiver) -> None:
    """A writer stamps a version before it commits: one may land after a later-stamped version
    was read. The next round re-reads the store's slack before its last read, and finds it."""
    copy = tmp_path / "tracker.sqlite3"
    shutil.copy(crawled_archive, copy)

    def save_next(store: Store, url: str, tag: str) -> None:
        aid = article_id(url)
        count = len(store.list_versions(aid))
        latest = store.get_version(aid, count)
        assert latest is not None
        fields = {name: value for name, value in latest.items() if name not in ("article_id", "version")}
        store.save_version({"article_id": aid, "url": url, "outlet": "washpo"}, {**fields, "content_hash": tag},
                           {"at": dt.datetime.now(dt.timezone.utc), "outcome": "changed"}, expected_count=count)

    with open_store(f"sqlite:///{copy}") as store:
        sender = notifier(store, [{"url": f"{receiver.base_url}/late", "first_versions": True}])
        save_next(store, STORY_B, "just-before-the-read")
        [stamp] = [v["stored_at"] for v in store.versions_after(None) if v["version"] == 3]
        sender.run_round()
        assert len(receiver.posts("/late")) == 5
        save_next(store, STORY_A, "landed-late")  # stamped just before B's version 3, committed after the read
        late = (stamp - dt.timedelta(milliseconds=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        store._db.execute("UPDATE versions SET _stored_at = ? WHERE article_id = ? AND version = 3",  # type: ignore[attr-defined]  # noqa: SLF001
                          (late, article_id(STORY_A)))
        sender.run_round()
    assert [(p["article_id"], p["version"]) for p in receiver.posts("/late")][5:] == [(article_id(STORY_A), 3)]
