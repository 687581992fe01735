"""Identical bodies: a 200 with the very bytes of the last check is ``unchanged`` without
extraction, and stores exactly what extracting it would have stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.test_revisions import BODY, URL, at, page
from tracker.normalize import HASH_SCHEME, LEGACY_HASH_SCHEME, article_id
from tracker.revisions import Recorder, body_hash, can_skip_extraction
from tracker.store import Store, open_store

AID = article_id(URL)
EXTRACTED = ("headline", "paragraphs", "authors", "standfirst", "byline", "extractor", "disagreement")


@pytest.fixture
def stores(tmp_path: Path) -> tuple[Store, Store]:
    with open_store(f"sqlite:///{tmp_path}/slow.sqlite3") as slow, open_store(f"sqlite:///{tmp_path}/fast.sqlite3") as fast:
        yield slow, fast


def with_bytes(fields: dict[str, Any]) -> dict[str, Any]:
    """The page as a spider gives it: its raw bytes' hash (the bytes stand for the fields)."""
    return {**fields, "body_hash": body_hash(json.dumps(fields, sort_keys=True).encode())}


def as_spider_would(store: Store, fields: dict[str, Any]) -> dict[str, Any]:
    """The page without its extracted fields when the spider would skip extracting it."""
    if not can_skip_extraction(store.get_article(AID), fields["body_hash"]):
        return fields
    return {name: value for name, value in fields.items() if name not in EXTRACTED} | {"extraction_skipped": True}


def record_both(stores: tuple[Store, Store], sequence: list[dict[str, Any]]) -> list[str]:
    """Record the sequence extracting every page (slow) and as the spider would (fast);
    the outcomes of the fast run, and how many pages it skipped."""
    slow, fast = stores
    outcomes, skipped = [], 0
    for number, fields in enumerate(sequence):
        fields = {**with_bytes(fields), "fetched_at": at(15 * number)}
        Recorder(slow).record(fields)
        sent = as_spider_would(fast, fields)
        skipped += bool(sent.get("extraction_skipped"))
        outcomes.append(Recorder(fast).record(sent).outcome)
    assert stored(slow) == stored(fast)
    return outcomes + [f"skipped {skipped}"]


def stored(store: Store) -> tuple[Any, ...]:
    return store.get_article(AID), store.list_checks(AID), store.list_versions(AID)


@pytest.mark.parametrize(
    ("article", "skip"),
    [
        (None, False),
        ({"latest_body_hash": "h1", "latest_hash_scheme": HASH_SCHEME}, True),
        ({"latest_body_hash": "h2", "latest_hash_scheme": HASH_SCHEME}, False),
        ({"latest_body_hash": None, "latest_hash_scheme": HASH_SCHEME}, False),
        ({"latest_body_hash": "h1", "latest_hash_scheme": LEGACY_HASH_SCHEME}, False),
    ],
)
def test_extraction_is_skipped_only_for_the_bytes_of_the_last_fitting_check(article: Any, skip: bool) -> None:
    assert can_skip_extraction(article, "h1") is skip
    assert can_skip_extraction(article, None) is False


def test_the_same_bytes_again_are_unchanged_and_stored_as_if_extracted(stores: tuple[Store, Store]) -> None:
    a = page(disagreement=0.4)
    assert record_both(stores, [a, a, a]) == ["new", "unchanged", "unchanged", "skipped 2"]


def test_the_bytes_of_a_flipflop_are_extracted_again(stores: tuple[Store, Store]) -> None:
    a, b = page(headline="Roof collapses"), page(headline="Six hurt as roof collapses")
    # b's bytes right after a flip-flop on b must be extracted: they settle the page (changed).
    assert record_both(stores, [a, b, a, b, b, b]) == [
        "new", "changed", "changed", "flipflop", "changed", "unchanged", "skipped 1"]


def test_back_to_the_latest_bytes_after_a_flipflop_are_extracted_again(stores: tuple[Store, Store]) -> None:
    a, b = page(headline="Roof collapses"), page(headline="Six hurt as roof collapses")
    assert record_both(stores, [a, b, a, b, a, a, a])[-4:] == ["flipflop", "unchanged", "unchanged", "skipped 1"]


def test_a_boring_page_is_extracted_again(stores: tuple[Store, Store]) -> None:
    noisy = page(paragraphs=[BODY[0].replace(" ", "\u00a0", 2), BODY[1], BODY[2].replace("'", "\u2019")])
    assert record_both(stores, [page(), noisy, noisy]) == ["new", "boring", "boring", "skipped 0"]


def test_a_skipped_page_is_extracted_after_all_when_the_article_moved_on(stores: tuple[Store, Store]) -> None:
    _, store = stores
    first = with_bytes(page(fetched_at=at(0)))
    Recorder(store).record(first)
    html = "<html><body><article><h1>Roof collapses</h1>" + "".join(
        f"<p>{text.replace('five', 'six')}</p>" for text in BODY) + "</article></body></html>"
    stale = {"url": URL, "outlet": "washpo", "status": 200, "fetched_at": at(15), "html": html,
             "body_hash": "bytes-the-store-never-saw", "extraction_skipped": True}
    result = Recorder(store).record(stale)
    assert result.outcome == "changed"
    assert "six people" in " ".join(store.get_version(AID, 2)["paragraphs"])


@pytest.mark.parametrize("backend", ["sqlite", "mongodb"])
def test_the_latest_version_is_read_without_its_bulk_for_a_decision(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    uri = f"sqlite:///{tmp_path}/t.sqlite3" if backend == "sqlite" else request.getfixturevalue("mongo_db_uri")
    with open_store(uri) as store:
        Recorder(store).record(page(fetched_at=at(0)))
        Recorder(store).record(page(fetched_at=at(15), headline="Roof collapses; six hurt"))
        full, light = store.latest_version(AID), store.latest_version(AID, bulk=False)
        assert full["version"] == 2 and full["paragraphs"] == BODY and full["html"] and full["diff"]
        assert set(light) == set(full) - {"paragraphs", "html", "diff"}
        assert all(light[name] == full[name] for name in light)
