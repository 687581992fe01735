"""What a change is called in listings, feeds and comparisons when the body stayed the same
(a headline, standfirst or byline edit), and reverts and flip-flops said in words.

Every test runs on versions recorded with ``diff_stats.fields`` (the changed fields named) and
on versions recorded before it (only their ``diff`` names them): both must read the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from tracker.store.sqlite import SQLiteStore
from tracker.web import create_app

T0 = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.timezone.utc)
BODY = ["Residents of the coast were told to leave their homes."]
NO_WORDS = {"words_added": 0, "words_removed": 0, "paragraphs_added": 0, "paragraphs_removed": 0,
            "paragraphs_changed": 0}


def field(old: str, new: str) -> dict[str, Any]:
    return {"old": old, "new": new, "words": [["-", old], ["+", new]]}


# (headline, standfirst, body, diff, reverts_to) of versions 1 to 4: the headline, then the
# standfirst changes with the body untouched; version 4 is version 1's text again.
VERSIONS = [
    ("Storm nears", "Leave now.", BODY, {}, None),
    ("Storm nears coast", "Leave now.", BODY,
     {"stats": NO_WORDS, "fields": {"headline": field("Storm nears", "Storm nears coast")},
      "headline": {"old": "Storm nears", "new": "Storm nears coast"}}, None),
    ("Storm nears coast", "Leave today.", BODY,
     {"stats": NO_WORDS, "fields": {"standfirst": field("Leave now.", "Leave today.")}}, None),
    ("Storm nears", "Leave now.", BODY,
     {"stats": NO_WORDS, "fields": {"headline": field("Storm nears coast", "Storm nears"),
                                    "standfirst": field("Leave today.", "Leave now.")},
      "headline": {"old": "Storm nears coast", "new": "Storm nears"}}, 1),
]


@dataclass
class Archive:
    store: SQLiteStore
    fields_recorded: bool   # diff_stats names the changed fields (versions recorded since)


@pytest.fixture(params=[True, False], ids=["diff_stats.fields", "diff only"])
def archive(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Archive]:
    store = SQLiteStore(f"sqlite:///{tmp_path / 'tracker.sqlite3'}")
    for number, (headline, standfirst, body, diff, reverts_to) in enumerate(VERSIONS, 1):
        stats = diff.get("stats")
        if request.param and stats is not None:  # as the recorder writes them now
            stats = {**stats, "fields": list(diff.get("fields", {}))}
        at = T0 + dt.timedelta(hours=number)
        outcome = "new" if number == 1 else "changed"
        store.save_version(
            {"article_id": "a1", "url": "https://news.example/a1", "outlet": "example", "headline": headline,
             "last_checked_at": at, "last_changed_at": at},
            {"fetched_at": at, "outlet": "example", "headline": headline, "standfirst": standfirst, "byline": "",
             "hash_scheme": 2, "paragraphs": body, "word_count": 9, "diff": diff,
             "diff_stats": stats, "reverts_to": reverts_to},
            {"at": at, "status": 200, "outcome": outcome, "matched_version": reverts_to},
            expected_count=number - 1,
        )
    later = T0 + dt.timedelta(hours=5)
    store.record_check({"article_id": "a1", "last_checked_at": later, "last_outcome": "flipflop"},
                       {"at": later, "status": 200, "outcome": "flipflop", "matched_version": 2})
    yield Archive(store, request.param)
    store.close()


@pytest.fixture
def web(archive: Archive) -> Any:
    return create_app(archive.store, now=lambda: T0 + dt.timedelta(hours=6)).test_client()


def page(web: Any, path: str) -> lxml.html.HtmlElement:
    answer = web.get(path)
    assert answer.status_code == 200, path
    return lxml.html.fromstring(answer.data)


def text_of(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


@pytest.mark.parametrize("path", ["/", "/outlet/example"])
def test_listings_name_the_fields_a_change_touched_instead_of_zero_words(web: Any, path: str) -> None:
    rows = {text_of(li.cssselect("a.headline")[0]) + " " + text_of(li.cssselect(".words")[0])
            for li in page(web, path).cssselect("ol.changes li")}
    assert rows == {"Storm nears 9 words", "Storm nears coast headline changed",
                    "Storm nears coast standfirst changed", "Storm nears headline and standfirst changed"}
    assert "+0" not in text_of(page(web, path))


@pytest.mark.parametrize("path", ["/", "/outlet/example"])
def test_listings_read_diffs_only_for_versions_recorded_without_fields(
    archive: Archive, web: Any, path: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    reads: list[tuple[bool, int]] = []   # per listing: with diffs, how many diffs it returned
    real = archive.store.recent_versions

    def recent_versions(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        found = real(*args, **kwargs)
        reads.append((kwargs.get("with_diff", False), sum(bool(version.get("diff")) for version in found)))
        return found

    monkeypatch.setattr(archive.store, "recent_versions", recent_versions)
    monkeypatch.setattr(archive.store, "get_version", lambda *a, **k: pytest.fail("a version read in full"))
    listing = text_of(page(web, path).cssselect("ol.changes")[0])
    assert "headline changed" in listing and "headline and standfirst changed" in listing
    if archive.fields_recorded:
        assert reads == [(False, 0)]
    else:  # the same page again, with the diffs of its versions 2 to 4
        assert reads == [(False, 0), (True, 3)]


def test_the_versions_list_says_what_changed_and_which_version_came_back(web: Any) -> None:
    article = page(web, "/article/a1")
    cells = [text_of(row.cssselect("td")[-1]) for row in article.cssselect("table.versions tbody tr")]
    assert cells == ["9 words", "headline changed", "standfirst changed",
                     "headline and standfirst changed same text as version 1"]
    checks = [text_of(row) for row in article.cssselect("table.checks tbody tr")]
    assert "flip-flop: the text of version 2 again (not stored again)" in checks[0]
    assert "changed → version 4 (same text as version 1)" in checks[1]


def test_the_compare_page_says_the_body_is_unchanged_and_names_reverts(web: Any) -> None:
    meta = text_of(page(web, "/article/a1/compare/1/2").cssselect("p.meta")[0])
    assert meta.startswith("body text unchanged") and "headline changed" in meta and "+0" not in meta
    head = text_of(page(web, "/article/a1/compare/3/4").cssselect(".versions-head")[0])
    assert "same text as version 1" in head


def test_feed_entries_say_which_field_changed(web: Any) -> None:
    feed = web.get("/article/a1/feed.rss").data.decode()
    assert "Headline changed from “Storm nears” to “Storm nears coast”." in feed
    assert "Standfirst changed from “Leave now.” to “Leave today.”." in feed
    assert "Same text as version 1 again." in feed and "+0 / −0" not in feed
