"""The helpers of bench/store.py: window arithmetic, and the bulk paths that grow an archive
with copies of documents the store wrote itself (readable through the store as its own)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.store import (
    VERSIONS_PER_ARTICLE,
    ArticleSource,
    Window,
    bulk_to_reach,
    clone_batches,
    clone_mongo_articles,
    clone_sqlite_articles,
    mongo_seed_documents,
    owner,
    percentiles,
    sizes_problem,
    write_window,
)
from tracker.store import open_store
from tracker.store.checkcost import renamed_doc


def test_window_rate_and_ratio() -> None:
    base = Window(versions=10_000, seconds=8.0, load=1.0)
    big = Window(versions=10_000, seconds=10.0, load=1.0)
    assert base.rate == 1250.0
    assert big.ratio(base) == pytest.approx(0.8)
    assert Window(0, 0.0, 0.0).rate == 0.0
    assert big.ratio(Window(0, 0.0, 0.0)) == 0.0


def test_bulk_fills_up_to_the_window_in_whole_articles() -> None:
    assert bulk_to_reach(1_000_000, 10_000, 10_000) == 980_000
    # 3 stray versions stored (a check-cost article): whole articles only, the window makes up the rest
    assert bulk_to_reach(100_000, 10_003, 100) == 89_895
    with pytest.raises(ValueError, match="below"):
        bulk_to_reach(15_000, 10_000, 10_000)


def test_sizes_need_room_for_their_windows() -> None:
    assert sizes_problem([1_000_000, 5_000_000], 10_000, 10_000) is None
    assert sizes_problem([15_000], 10_000, 10_000) == (
        "size 15,000 leaves no room for a 10,000-version window after 10,000 versions")
    assert sizes_problem([10_000, 10_150], 200, 100, slack=20) is None
    assert sizes_problem([10_000, 10_110], 200, 100, slack=20) is not None


def test_clone_batches_cover_exactly_the_versions_asked() -> None:
    assert clone_batches(25_000, 2000) == [2000, 2000, 1000]
    assert sum(clone_batches(9_700, 40)) * VERSIONS_PER_ARTICLE == 9_700
    assert clone_batches(0, 40) == []
    with pytest.raises(ValueError):
        clone_batches(7, 40)


def test_percentiles_in_ms() -> None:
    p50, p99 = percentiles([i / 1000 for i in range(1, 101)])
    assert (p50, p99) == (pytest.approx(51.0), pytest.approx(100.0))


def test_article_source_writes_partial_last_article() -> None:
    docs = ArticleSource().versions(7)
    assert [(a["article_id"], expected) for a, _, _, expected in docs] == [
        ("a0", 0), ("a0", 1), ("a0", 2), ("a0", 3), ("a0", 4), ("a1", 0), ("a1", 1)]


def test_renamed_doc_touches_ids_keys_and_urls_only() -> None:
    doc = {"_id": "a1:c3", "article_id": "a1", "url": "https://news.example/a1",
           "content_hash": "3fa1:a1", "headline": "Talks on a1 resume", "version": 3}
    copy = renamed_doc(doc, "a1", "a1g7")
    assert copy["_id"] == "a1g7:c3" and copy["article_id"] == "a1g7"
    assert copy["url"] == "https://news.example/a1g7"
    assert copy["content_hash"] == "3fa1:a1" and copy["version"] == 3
    assert copy["headline"] == "Talks on a1 resume"
    assert doc["_id"] == "a1:c3"  # the seed document is left alone
    assert owner("a12:3", {"a1", "a12"}) == "a12"
    assert owner("a1", {"a1"}) == "a1"
    assert owner("run-1", {"a1"}) is None and owner(17, {"a1"}) is None


def test_sqlite_copies_read_back_as_the_store_wrote_them(tmp_path: Path) -> None:
    path = tmp_path / "bench.sqlite3"
    with open_store(f"sqlite:///{path}") as store:
        write_window(store, ArticleSource(), 20, "seed")  # 4 articles
        original = store.latest_version("a2")
    assert clone_sqlite_articles(path, 4, 30, first_generation=1) == 3  # 4 + 2 articles
    with open_store(f"sqlite:///{path}") as store:
        assert store.count("versions") == 50 and store.count("articles") == 10
        copy = store.latest_version("g000001-a2")
        assert copy is not None and original is not None
        assert copy["url"] == "https://news.example/g000001-a2"
        assert copy["paragraphs"] == original["paragraphs"] and copy["version"] == VERSIONS_PER_ARTICLE
        assert store.get_article("g000002-a1") is not None and store.get_article("g000002-a2") is None
        assert len(store.list_checks("g000001-a3")) == VERSIONS_PER_ARTICLE
        assert {hit["article_id"] for hit in store.search("minister", limit=50)} >= {"g000001-a0", "g000002-a1"}


def test_mongo_copies_read_back_as_the_store_wrote_them(mongo_db_uri: str) -> None:
    with open_store(mongo_db_uri) as store:
        write_window(store, ArticleSource(), 10, "seed")  # a0, a1
        seed = mongo_seed_documents(store, {"a0", "a1"})
        assert {"articles", "versions", "checks"} <= seed.keys()
        assert clone_mongo_articles(store, seed, ["a0", "a1"], 15, first_generation=1) == 3
        assert store.count("versions") == 25 and store.count("articles") == 5
        original, copy = store.latest_version("a1"), store.latest_version("a0g2")
        assert copy is not None and original is not None
        assert copy["url"] == "https://news.example/a0g2" and copy["version"] == VERSIONS_PER_ARTICLE
        assert store.get_article("a1g1")["version_count"] == VERSIONS_PER_ARTICLE  # type: ignore[index]
        assert store.get_article("a1g2") is None
        # a copy takes new versions like any article
        article, version, check, _ = ArticleSource(seed=9).versions(1)[0]
        article = {**article, "article_id": "a0g1", "url": "https://news.example/a0g1"}
        assert store.save_version(article, version, check, expected_count=VERSIONS_PER_ARTICLE) == 6
