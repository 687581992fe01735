"""tracker.revisions.Recorder: which fetched pages become versions, and which only checks."""

from __future__ import annotations

import datetime as dt
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


# --- tracked fields, reverts and flip-flops ----------------------------------------------------


def at(minutes: int) -> str:
    """A fetch time ``minutes`` after the first one: checks of a sequence in time order."""
    return (dt.datetime(2024, 1, 5, 10, tzinfo=dt.timezone.utc) + dt.timedelta(minutes=minutes)).isoformat()


def record_sequence(recorder: Recorder, pages: list[dict[str, Any]]) -> list[tuple[str, int | None]]:
    """Outcome and the version the page's text equals (a revert's or flip-flop's), per page."""
    results = [recorder.record({**fields, "fetched_at": at(15 * n)}) for n, fields in enumerate(pages)]
    return [(result.outcome, result.reverts_to) for result in results]


def test_a_standfirst_edit_is_a_version_whose_diff_names_the_field(store: Store) -> None:
    recorder = Recorder(store)
    recorder.record(page(standfirst="The council met late into the night."))
    result = recorder.record(page(standfirst="The council met until dawn."))
    assert (result.outcome, result.version) == ("changed", 2)
    version = store.get_version(article_id(URL), 2)
    assert version["standfirst"] == "The council met until dawn."
    assert set(version["diff"]["fields"]) == {"standfirst"}
    field = version["diff"]["fields"]["standfirst"]
    assert (field["old"], field["new"]) == ("The council met late into the night.", "The council met until dawn.")
    assert ["-", "late into the night"] in field["words"] and ["+", "until dawn"] in field["words"]
    assert "headline" not in version["diff"]  # the body and headline did not change
    assert version["diff_stats"]["paragraphs_changed"] == 0


def test_a_byline_edit_is_a_version_and_the_byline_derives_from_the_authors(store: Store) -> None:
    recorder = Recorder(store)
    recorder.record(page(authors=["A. Writer"]))
    result = recorder.record(page(authors=["A. Writer", "B. Reporter", "C. Editor"]))
    assert result.outcome == "changed"
    version = store.get_version(article_id(URL), 2)
    assert version["byline"] == "A. Writer, B. Reporter and C. Editor"
    assert version["diff"]["fields"]["byline"]["old"] == "A. Writer"
    assert set(version["diff"]["fields"]) == {"byline"}


def test_dates_alone_never_make_a_version(store: Store) -> None:
    recorder = Recorder(store)
    recorder.record(page(datePublished="2024-01-05T10:00:00Z", dateModified="2024-01-05T10:00:00Z"))
    result = recorder.record(page(datePublished="2024-01-04T09:00:00Z", dateModified="2024-01-05T12:30:00Z"))
    assert result.outcome == "unchanged"
    assert store.count("versions") == 1


def test_headline_alternation_is_one_revert_then_flipflop_checks(store: Store) -> None:
    a, b = page(headline="Roof collapses"), page(headline="Six hurt as roof collapses")
    outcomes = record_sequence(Recorder(store), [a, b, a, b, a, b])
    assert outcomes == [
        ("new", None), ("changed", None), ("changed", 1), ("flipflop", 2), ("flipflop", 1), ("flipflop", 2),
    ]
    versions = store.list_versions(article_id(URL))
    assert [(v["version"], v["reverts_to"]) for v in versions] == [(1, None), (2, None), (3, 1)]
    checks = store.list_checks(article_id(URL))
    assert [(c["outcome"], c["matched_version"]) for c in checks[:3]] == [
        ("flipflop", 2), ("flipflop", 1), ("flipflop", 2)]
    article = store.get_article(article_id(URL))
    assert article["last_outcome"] == "flipflop" and article["checks_since_change"] == 3
    # For the schedule a flip-flop is no real change: the clock runs from the revert.
    assert article["last_changed_at"] == as_datetime(at(30))
    assert article["next_check_at"] == as_datetime(at(75)) + dt.timedelta(minutes=15)


def test_a_stored_text_that_stays_is_a_version_again(store: Store) -> None:
    a, b = page(headline="Roof collapses"), page(headline="Six hurt as roof collapses")
    outcomes = record_sequence(Recorder(store), [a, b, a, b, b, b])
    assert outcomes == [
        ("new", None), ("changed", None), ("changed", 1), ("flipflop", 2), ("changed", 2), ("unchanged", None),
    ]
    assert store.get_version(article_id(URL), 4)["reverts_to"] == 2


def test_back_to_the_latest_text_after_a_flipflop_is_unchanged_once_it_stays(store: Store) -> None:
    a, b = page(headline="Roof collapses"), page(headline="Six hurt as roof collapses")
    outcomes = record_sequence(Recorder(store), [a, b, a, b, a, a])
    assert outcomes[-2:] == [("flipflop", 1), ("unchanged", None)]
    assert store.count("versions") == 3


def test_a_revert_after_the_flipflop_window_is_a_version(store: Store) -> None:
    recorder = Recorder(store, flipflop_window=dt.timedelta(minutes=20))
    a, b = page(headline="Roof collapses"), page(headline="Six hurt as roof collapses")
    # 15 minutes apart: the fourth check is 15 minutes after the revert, the sixth 45.
    outcomes = record_sequence(recorder, [a, b, a, b, a, b])
    assert outcomes == [
        ("new", None), ("changed", None), ("changed", 1), ("flipflop", 2), ("flipflop", 1), ("changed", 2),
    ]


def test_a_stale_copy_is_one_revert_version(store: Store) -> None:
    edited = [BODY[0], BODY[1].replace("five", "six"), BODY[2]]
    first, second = page(), page(paragraphs=edited)
    outcomes = record_sequence(Recorder(store), [first, second, first, second, second, second])
    assert outcomes == [
        ("new", None), ("changed", None), ("changed", 1), ("flipflop", 2), ("changed", 2), ("unchanged", None),
    ]
    reverts = [v["reverts_to"] for v in store.list_versions(article_id(URL))]
    assert reverts == [None, None, 1, 2]


def legacy_version(fields: dict[str, Any]) -> dict[str, Any]:
    """A version as releases before hash scheme 2 stored it: headline and body hashed only."""
    from tracker.normalize import content_hash, raw_hash

    return {
        "fetched_at": fields["fetched_at"], "url": URL, "outlet": "washpo",
        "content_hash": content_hash(fields["headline"], fields["paragraphs"]),
        "raw_hash": raw_hash(fields["headline"], fields["paragraphs"]),
        "headline": fields["headline"], "authors": fields["authors"], "paragraphs": fields["paragraphs"],
        "word_count": 36,
    }


def test_versions_hashed_by_the_old_scheme_do_not_look_changed(store: Store) -> None:
    old = page(fetched_at=at(0))
    aid = article_id(URL)
    store.save_version(
        {"article_id": aid, "url": URL, "outlet": "washpo", "latest_hash": legacy_version(old)["content_hash"]},
        legacy_version(old), {"at": as_datetime(at(0)), "outcome": "new"}, expected_count=0,
    )
    recorder = Recorder(store)
    shown = page(standfirst="The council met late into the night.", fetched_at=at(15))
    assert recorder.record(shown).outcome == "unchanged"
    article = store.get_article(aid)
    assert article["latest_hash_scheme"] == 2 and article["version_count"] == 1
    # From then on the standfirst counts: unchanged again, then an edit to it is a version.
    assert recorder.record({**shown, "fetched_at": at(30)}).outcome == "unchanged"
    edited = recorder.record({**shown, "standfirst": "The council met until dawn.", "fetched_at": at(45)})
    assert (edited.outcome, edited.version) == ("changed", 2)
    fields = store.get_version(aid, 2)["diff"]["fields"]
    assert fields["standfirst"]["old"] is None  # not recorded by version 1
    assert set(fields) == {"standfirst"}  # the byline derives from version 1's authors: unchanged


def test_an_old_scheme_version_with_another_body_is_a_change(store: Store) -> None:
    old = page(fetched_at=at(0))
    aid = article_id(URL)
    store.save_version(
        {"article_id": aid, "url": URL, "outlet": "washpo"}, legacy_version(old),
        {"at": as_datetime(at(0)), "outcome": "new"}, expected_count=0,
    )
    result = Recorder(store).record(page(paragraphs=BODY[:2], fetched_at=at(15)))
    assert (result.outcome, result.version) == ("changed", 2)
    assert store.get_version(aid, 2)["hash_scheme"] == 2


def as_datetime(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def test_a_flipflop_check_forgets_the_validators_so_the_next_fetch_sees_the_text(store: Store) -> None:
    a, b = page(headline="Roof collapses", etag='"a"'), page(headline="Six hurt as roof collapses", etag='"b"')
    record_sequence(Recorder(store), [a, b, a, b])
    article = store.get_article(article_id(URL))
    assert article["last_outcome"] == "flipflop"
    assert article["etag"] is None and article["last_modified"] is None


def test_a_body_edit_of_an_old_scheme_version_names_no_unrecorded_empty_field(store: Store) -> None:
    old = page(fetched_at=at(0))
    store.save_version(
        {"article_id": article_id(URL), "url": URL, "outlet": "washpo"}, legacy_version(old),
        {"at": as_datetime(at(0)), "outcome": "new"}, expected_count=0,
    )
    Recorder(store).record(page(paragraphs=BODY[:2], fetched_at=at(15)))  # no standfirst shown
    assert "fields" not in store.get_version(article_id(URL), 2)["diff"]
