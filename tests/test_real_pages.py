"""Saved pages of real articles: every assertion their source project makes must hold.

One test per (case, expectation), so a report names exactly what drifted. Add an outlet by
adding one line to ``SUPPORTED_OUTLETS`` (fixture directory -> parser name).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.realpages import RealPage, fixture_root, outlet_cases
from tracker.extraction import ExtractedArticle, extract_article
from tracker.normalize import clean_text
from tracker.parsers import split_authors
from tracker.textmetrics import shingle_scores

# Fixture directory under real-pages/ -> name of the outlet parser that must handle it.
SUPPORTED_OUTLETS: dict[str, str] = {
    "aljazeera": "aljazeera",
    "bbc": "bbc",
    "cnn": "cnn",
    "foxnews": "foxnews",
    "guardian": "guardian",
    "independent": "independent",
    "npr": "npr",
    "nytimes": "nyt",
    "politico": "politico",
    "reuters": "reuters",
    "washingtonpost": "washpo",
}

# Expectations that contradict the extraction rules on purpose, with why. Strict xfail: the
# day one of them passes, the test fails and the entry must go.
KNOWN_CONFLICTS: dict[tuple[str, str], str] = {
    ("washingtonpost/postlight-www.washingtonpost.com", "body_starts_with"): (
        "postlight's expected content starts with the lead photo's caption ('Pittsburgh Mayor "
        "Bill Peduto on Sunday near ...', span.pb-caption); captions are left out of the body"
    ),
}

# The same article saved years apart in different layouts: the text must not change, or the
# tracker would record a redesign as a new version.
LAYOUT_DRIFT_PAIRS: tuple[tuple[str, str], ...] = (
    ("washingtonpost/wpp-beto-orourke-quits", "washingtonpost/wpp-beto-orourke-quits-2024"),
    ("washingtonpost/wpp-will-a-bust-follow-the-boom-in-britain",
     "washingtonpost/wpp-will-a-bust-follow-the-boom-in-britain-2018"),
)

BODY_F1_THRESHOLD = 0.95


@functools.cache
def _extracted(page: RealPage) -> ExtractedArticle:
    return extract_article(page.html(), page.url)


# --- checks: one per expectation key -----------------------------------------------------------


def check_extractor(page: RealPage, article: ExtractedArticle) -> None:
    parser_name = SUPPORTED_OUTLETS[page.outlet]
    assert not article["parser_failed"], f"the {parser_name} parser found no body"
    assert article["extractor"] == parser_name


def check_headline(page: RealPage, article: ExtractedArticle) -> None:
    assert clean_text(article["headline"] or "") == clean_text(page.expected["headline"])


def check_byline(page: RealPage, article: ExtractedArticle) -> None:
    found = {name.casefold() for name in article["authors"]}
    expected_names = split_authors(page.expected["byline"])
    assert expected_names, f"no names in expected byline {page.expected['byline']!r}"
    missing = [name for name in expected_names if name.casefold() not in found]
    assert not missing, f"authors {article['authors']} lack {missing}"


def check_published(page: RealPage, article: ExtractedArticle) -> None:
    expected, actual = page.expected["published"], article["datePublished"]
    assert actual, f"no datePublished, expected {expected}"
    if len(expected) == 10:  # a date only: the page's own calendar day must match
        assert actual[:10] == expected, f"{actual} is not on {expected}"
        return
    expected_moment = datetime.fromisoformat(expected)
    actual_moment = datetime.fromisoformat(actual)
    assert (expected_moment.tzinfo is None) == (actual_moment.tzinfo is None), (
        f"cannot compare {actual} with {expected}: only one has a time zone"
    )
    assert actual_moment == expected_moment, f"{actual} is not the same instant as {expected}"


def check_body_starts_with(page: RealPage, article: ExtractedArticle) -> None:
    body, prefix = clean_text(article["articleBody"]), clean_text(page.expected["body_starts_with"])
    assert body.startswith(prefix), f"body starts {body[: len(prefix) + 40]!r}"


def check_body_ends_with(page: RealPage, article: ExtractedArticle) -> None:
    body, suffix = clean_text(article["articleBody"]), clean_text(page.expected["body_ends_with"])
    assert body.endswith(suffix), f"body ends {body[-len(suffix) - 40 :]!r}"


def check_must_contain(page: RealPage, article: ExtractedArticle) -> None:
    body = clean_text(article["articleBody"])
    missing = [s for s in page.expected["must_contain"] if clean_text(s) not in body]
    assert not missing, f"body lacks {missing}"


def check_must_not_contain(page: RealPage, article: ExtractedArticle) -> None:
    body = clean_text(article["articleBody"])
    present = [s for s in page.expected["must_not_contain"] if clean_text(s) in body]
    assert not present, f"body contains {present}"


def check_paragraphs_at(page: RealPage, article: ExtractedArticle) -> None:
    paragraphs = article["paragraphs"]
    # Captions are left out of the body, so the source's caption paragraphs cannot be checked.
    captions = set(page.expected.get("caption_paragraphs", ()))
    for index, text in page.expected["paragraphs_at"].items():
        if index in captions:
            continue
        position = int(index)
        assert -len(paragraphs) <= position < len(paragraphs), (
            f"no paragraph {position}: only {len(paragraphs)}"
        )
        assert paragraphs[position] == clean_text(text), f"paragraph {position} differs"


def check_paragraph_count(page: RealPage, article: ExtractedArticle) -> None:
    assert len(article["paragraphs"]) == page.expected["paragraph_count"]


def check_body_text(page: RealPage, article: ExtractedArticle) -> None:
    scores = shingle_scores(article["articleBody"], page.expected["body_text"])
    assert scores.f1 >= BODY_F1_THRESHOLD, (
        f"4-word shingle precision {scores.precision:.3f} recall {scores.recall:.3f} "
        f"F1 {scores.f1:.3f} < {BODY_F1_THRESHOLD}"
    )


CHECKS: dict[str, Callable[[RealPage, ExtractedArticle], None]] = {
    "extractor": check_extractor,
    "headline": check_headline,
    "byline": check_byline,
    "published": check_published,
    "body_starts_with": check_body_starts_with,
    "body_ends_with": check_body_ends_with,
    "must_contain": check_must_contain,
    "must_not_contain": check_must_not_contain,
    "paragraphs_at": check_paragraphs_at,
    "paragraph_count": check_paragraph_count,
    "body_text": check_body_text,
}


# --- parametrisation -------------------------------------------------------------------------


def _supported_pages() -> list[RealPage]:
    pages: list[RealPage] = []
    for outlet in SUPPORTED_OUTLETS:
        try:
            pages.extend(outlet_cases(outlet))
        except FileNotFoundError:
            continue  # reported by test_fixture_directory_exists
    return pages


def _case_params() -> Iterator[Any]:
    pages = _supported_pages()
    if not pages:  # an empty parameter set would be a silent skip
        yield pytest.param(None, "extractor", id="no-real-pages")
    for page in pages:
        try:
            expected = page.expected
        except (OSError, ValueError):
            expected = {}  # check_extractor then fails on the unreadable case
        for check in CHECKS:
            if check != "extractor" and check not in expected:
                continue
            conflict = KNOWN_CONFLICTS.get((page.id, check))
            marks = [pytest.mark.xfail(reason=conflict, strict=True)] if conflict else []
            yield pytest.param(page, check, id=f"{page.id}:{check}", marks=marks)


@pytest.mark.parametrize("outlet", sorted(SUPPORTED_OUTLETS))
def test_fixture_directory_exists(outlet: str) -> None:
    pages = outlet_cases(outlet)  # raises with the missing path in the message
    for page in pages:
        for name in ("page.html", "expected.json"):
            assert (page.directory / name).is_file(), f"{page.directory / name} is missing"


@pytest.mark.parametrize(("page", "check"), list(_case_params()))
def test_real_page(page: RealPage | None, check: str) -> None:
    if page is None:
        pytest.fail(f"no real-page cases for {sorted(SUPPORTED_OUTLETS)} under {fixture_root()}")
    CHECKS[check](page, _extracted(page))


@pytest.mark.parametrize(("old_id", "new_id"), LAYOUT_DRIFT_PAIRS, ids=[new for _, new in LAYOUT_DRIFT_PAIRS])
def test_layout_drift_does_not_change_the_text(old_id: str, new_id: str) -> None:
    old, new = (_page(case_id) for case_id in (old_id, new_id))
    old_article, new_article = _extracted(old), _extracted(new)
    assert old_article["headline"] == new_article["headline"]
    assert old_article["paragraphs"] == new_article["paragraphs"]


def _page(case_id: str) -> RealPage:
    outlet, case = case_id.split("/")
    return RealPage(outlet, case, fixture_root() / outlet / case)


def test_every_known_conflict_names_a_real_case() -> None:
    root: Path = fixture_root()
    for case_id, check in KNOWN_CONFLICTS:
        assert check in CHECKS, f"unknown check {check!r}"
        assert (root / case_id).is_dir(), f"{root / case_id} does not exist"
