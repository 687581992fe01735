"""tracker.revisions.Recorder: which fetched pages become versions, and which only checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tracker.normalize import article_id
from tracker.revisions import Limits, Recorder, bound_paragraphs, http_outcome
from tracker.store import Store, VersionConflict, open_store
from tracker.store.base import decompress_html

URL = "https://www.washingtonpost.com/politics/2024/01/05/story/"
BODY = [
    "The council approved the plan on Tuesday after a long debate about costs.",
    "Officials said five people were injured when the roof collapsed overnight.",
    "The mayor promised a full review of the building's safety inspections.",
]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with open_store(f"sqlite:///{tmp_path}/t.sqlite3") as opened:
        yield opened


def page(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "url": URL, "outlet": "washpo", "status": 200, "headline": "Roof collapses",
        "paragraphs": list(BODY), "authors": ["A. Writer"], "fetched_at": "2024-01-05T10:00:00+00:00",
        "html": "<html>page</html>", "extractor": "washpo",
    }
    base.update(fields)
    return base


def test_first_sight_then_unchanged_then_changed(store: Store) -> None:
    recorder = Recorder(store)
    first = recorder.record(page())
    assert (first.outcome, first.version) == ("new", 1)
    assert recorder.record(page()).outcome == "unchanged"
    edited = [BODY[0], BODY[1].replace("five", "six"), BODY[2]]
    second = recorder.record(page(paragraphs=edited))
    assert (second.outcome, second.version) == ("changed", 2)
    version = store.get_version(article_id(URL), 2)
    assert version["diff_stats"]["paragraphs_changed"] == 1
    assert version["paragraphs"] == edited
    article = store.get_article(article_id(URL))
    assert article["version_count"] == 2 and article["checks_since_change"] == 0
    assert [c["outcome"] for c in store.list_checks(article_id(URL))] == ["changed", "unchanged", "new"]


def test_formatting_only_change_is_boring_not_a_version(store: Store) -> None:
    recorder = Recorder(store)
    recorder.record(page())
    noisy = [BODY[0].replace(" ", "\u00a0", 2), BODY[1] + "  ", "\u00ad" + BODY[2].replace("'", "\u2019")]
    result = recorder.record(page(paragraphs=noisy + ["Updated 3 minutes ago"]))
    assert result.outcome == "boring" and result.version is None
    assert store.count("versions") == 1


def test_headline_change_alone_makes_a_version(store: Store) -> None:
    recorder = Recorder(store)
    recorder.record(page())
    result = recorder.record(page(headline="Roof collapses; six hurt"))
    assert result.outcome == "changed"
    diff = store.get_version(article_id(URL), 2)["diff"]
    assert diff["headline"] == {"old": "Roof collapses", "new": "Roof collapses; six hurt"}


@pytest.mark.parametrize(
    ("fields", "outcome"),
    [
        ({"status": 404, "paragraphs": []}, "gone"),
        ({"status": 410, "paragraphs": []}, "gone"),
        ({"status": 503, "paragraphs": []}, "error"),
        ({"status": None, "error": "TimeoutError: took too long", "paragraphs": []}, "error"),
        ({"status": 304, "paragraphs": []}, "not_modified"),
        ({"paragraphs": []}, "empty"),
        ({"paragraphs": ["Subscribe now."]}, "empty"),
        ({"paragraphs": [], "looks_like_article": True}, "extraction_failed"),
        ({"paragraphs": ["Only the first line."], "isAccessibleForFree": False}, "paywall"),
    ],
)
def test_pages_without_a_usable_body_are_checks_only(store: Store, fields: dict, outcome: str) -> None:
    result = Recorder(store).record(page(**fields))
    assert result.outcome == outcome and result.version is None
    assert store.count("versions") == 0
    check = store.list_checks(article_id(URL))[0]
    assert check["outcome"] == outcome
    assert store.get_article(article_id(URL))["version_count"] == 0


def test_errors_after_a_version_keep_it_and_count_up(store: Store) -> None:
    recorder = Recorder(store)
    recorder.record(page())
    recorder.record(page(status=500, paragraphs=[]))
    recorder.record(page(status=404, paragraphs=[]))
    article = store.get_article(article_id(URL))
    assert article["version_count"] == 1 and article["consecutive_errors"] == 2
    assert store.latest_version(article_id(URL))["paragraphs"] == BODY


def test_truncated_paywalled_body_is_not_a_new_version(store: Store) -> None:
    recorder = Recorder(store)
    recorder.record(page(paragraphs=BODY * 4, isAccessibleForFree=False))
    result = recorder.record(page(paragraphs=BODY[:1] * 2, isAccessibleForFree=False))
    assert result.outcome == "paywall"
    assert store.count("versions") == 1


def test_broken_outlet_parser_after_a_version_is_reported_not_stored(store: Store) -> None:
    recorder = Recorder(store)
    recorder.record(page())
    fallback = BODY + ["A photo caption the generic extractor kept by mistake."]
    result = recorder.record(page(paragraphs=fallback, parser_failed=True, extractor="readability"))
    assert result.outcome == "extraction_fallback"
    assert store.count("versions") == 1


def test_hostile_sizes_are_bounded(store: Store) -> None:
    limits = Limits(max_paragraphs=5, max_body_chars=200, min_body_words=3)
    huge = ["word " * 100] * 50
    result = Recorder(store, limits=limits).record(page(paragraphs=huge, headline="h" * 5000))
    assert result.outcome == "new" and result.truncated
    version = store.latest_version(article_id(URL))
    assert sum(len(p) for p in version["paragraphs"]) <= 200
    assert len(version["headline"]) <= 1000


def test_bound_paragraphs_cuts_at_the_limits() -> None:
    assert bound_paragraphs(["abc", "def"], Limits(max_body_chars=4)) == (["abc", "d"], True)
    assert bound_paragraphs(["a", "b", "c"], Limits(max_paragraphs=2)) == (["a", "b"], True)
    assert bound_paragraphs(["a", "b"], Limits()) == (["a", "b"], False)


def test_raw_html_is_kept_compressed_or_not_at_all(store: Store, tmp_path: Path) -> None:
    Recorder(store).record(page(html="<html>" + "x" * 10_000 + "</html>"))
    version = store.latest_version(article_id(URL))
    assert version["html_encoding"] in ("zstd", "zlib")
    assert decompress_html(version["html"], version["html_encoding"]) == "<html>" + "x" * 10_000 + "</html>"
    assert len(version["html"]) < 1_000
    with open_store(f"sqlite:///{tmp_path}/no-html.sqlite3") as other:
        Recorder(other, keep_html=False).record(page())
        assert other.latest_version(article_id(URL))["html"] is None


def test_url_variants_are_one_article(store: Store) -> None:
    recorder = Recorder(store)
    recorder.record(page(url=URL + "?utm_source=twitter"))
    recorder.record(page(url=URL.replace("https://", "http://") + "#comments"))
    assert store.count("articles") == 1
    assert store.get_article(article_id(URL))["url"] == URL


class ConflictingStore:
    """Wraps a store; the first save_version loses a race to another crawl."""

    def __init__(self, store: Store, rival_page: dict[str, Any]) -> None:
        self.store = store
        self.rival_page = rival_page
        self.raced = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def save_version(self, *args: Any, **kwargs: Any) -> int:
        if not self.raced:
            self.raced = True
            Recorder(self.store).record(self.rival_page)  # the other crawl writes first
        return self.store.save_version(*args, **kwargs)


def test_a_lost_race_is_retried_against_the_new_latest_version(store: Store) -> None:
    Recorder(store).record(page())
    rival = page(paragraphs=[BODY[0], BODY[1].replace("five", "seven"), BODY[2]])
    racing = ConflictingStore(store, rival)
    result = Recorder(racing).record(page(paragraphs=[BODY[0], BODY[1].replace("five", "six"), BODY[2]]))  # type: ignore[arg-type]
    assert result.outcome == "changed" and result.version == 3 and result.conflicts == 1
    numbers = [v["version"] for v in store.list_versions(article_id(URL))]
    assert numbers == [1, 2, 3]
    # Version 3 is diffed against the rival's version 2, not against version 1.
    words = [op for entry in store.get_version(article_id(URL), 3)["diff"]["paragraphs"] if entry["op"] == "replace" for op in entry["words"]]
    assert ["-", "seven"] in words and ["+", "six"] in words


def test_http_outcome() -> None:
    assert http_outcome(200, None) is None
    assert http_outcome(None, "DNSLookupError") == "error"
    assert http_outcome(410, None) == "gone"
    assert http_outcome(429, None) == "error"


def test_version_conflict_is_raised_by_the_store(store: Store) -> None:
    Recorder(store).record(page())
    with pytest.raises(VersionConflict):
        store.save_version({"article_id": article_id(URL), "url": URL}, {}, {"at": "2024-01-01T00:00:00Z"}, expected_count=0)
