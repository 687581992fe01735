"""Hostile text that reaches a store directly (an old spool item, a migration, a caller that
skipped extraction) is stored with what no store can hold replaced, never refused: a lone
surrogate and a NUL character become U+FFFD. Both stores: SQLite and a real FerretDB (on
PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.crawling import PROJECT_ROOT
from tracker.store import Store, open_store

UTC = dt.UTC
T0 = dt.datetime(2024, 3, 1, 12, 0, 0, tzinfo=UTC)
URL = "https://news.example/hostile"
# What json.loads("\"\\ud800\"") returns, and a NUL; PostgreSQL (behind FerretDB) refuses NUL
# in jsonb, SQLite and BSON refuse lone surrogates.
HOSTILE = {"surrogate": ("Bad \ud800 text \udfff.", "Bad \ufffd text \ufffd."), "nul": ("Bad \x00 text.", "Bad \ufffd text.")}


@pytest.fixture(params=["sqlite", "mongo"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    uri = f"sqlite:///{tmp_path}/store.sqlite3" if request.param == "sqlite" else request.getfixturevalue("mongo_db_uri")
    opened = open_store(uri)
    yield opened
    opened.close()


def documents(text: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    article = {"article_id": "h1", "url": URL, "outlet": "example", "last_checked_at": T0,
               "last_status": 200, "headline": text, "latest_hash": "hash-1", "last_outcome": "new"}
    version = {"fetched_at": T0, "url": URL, "content_hash": "hash-1", "raw_hash": "raw-1",
               "headline": text, "authors": [text], "byline": text, "description": text,
               "paragraphs": ["A clean paragraph.", text], "word_count": 6, "extractor": "jsonld",
               "html": zlib.compress(b"<p>x</p>"), "html_encoding": "zlib",
               "diff": {"ops": [["insert", 0, text]]}}
    check = {"at": T0, "url": URL, "status": 200, "outcome": "new", "duration_ms": 5,
             "content_hash": "hash-1", "error": text}
    return article, version, check


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_version_with_hostile_text_is_stored_replaced(store: Store, kind: str) -> None:
    text, stored = HOSTILE[kind]
    assert store.save_version(*documents(text), expected_count=0) == 1
    version = store.get_version("h1", 1)
    assert version is not None
    assert version["headline"] == stored
    assert version["paragraphs"] == ["A clean paragraph.", stored]
    assert version["authors"] == [stored] and version["byline"] == stored
    assert version["diff"] == {"ops": [["insert", 0, stored]]}
    assert [check["error"] for check in store.list_checks("h1")] == [stored]
    article = store.get_article("h1")
    assert article is not None and article["version_count"] == 1


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_check_with_hostile_text_is_stored_replaced(store: Store, kind: str) -> None:
    text, stored = HOSTILE[kind]
    article, _, check = documents(text)
    store.record_check(article, {**check, "outcome": "error", "content_hash": None})
    assert [check["error"] for check in store.list_checks("h1")] == [stored]
    assert store.get_article("h1") is not None


def test_an_article_url_over_8_kb_is_stored(store: Store) -> None:
    # PostgreSQL (behind FerretDB) cannot index a value over ~2.7 KB in a B-tree.
    url = "https://news.example/" + "a" * 8300
    article, version, check = documents("Clean text.")
    article, version, check = {**article, "url": url}, {**version, "url": url}, {**check, "url": url}
    assert store.save_version(article, version, check, expected_count=0) == 1
    stored = store.get_article("h1")
    assert stored is not None and stored["url"] == url
    assert [check["url"] for check in store.list_checks("h1")] == [url]


@pytest.mark.parametrize("query", ["Bad \x00 text", "Bad \ud800 text", "\x00"])
def test_a_search_for_hostile_text_answers(store: Store, query: str) -> None:
    store.save_version(*documents("Bad text here."), expected_count=0)
    assert isinstance(store.search(query), list)


def test_an_old_sqlite_archive_with_nul_migrates_to_ferretdb(tmp_path: Path, mongo_db_uri: str) -> None:
    # SQLite itself keeps a NUL: archives written before text was cleaned may hold some.
    source = f"sqlite:///{tmp_path}/old.sqlite3"
    with open_store(source) as store:
        store.save_version(*documents("Clean text."), expected_count=0)
    with sqlite3.connect(tmp_path / "old.sqlite3") as db:
        db.execute("UPDATE versions SET headline = ?, paragraphs = ?", ("Old \x00 headline", json.dumps(["Old \x00 text."])))
    result = subprocess.run(
        [sys.executable, "-m", "tracker", "migrate", "--from", source, "--to", mongo_db_uri],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    with open_store(mongo_db_uri) as store:
        version = store.get_version("h1", 1)
        assert version is not None
        assert (version["headline"], version["paragraphs"]) == ("Old \ufffd headline", ["Old \ufffd text."])
        assert len(store.list_checks("h1")) == 1
