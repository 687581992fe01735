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
    ("bbc/goose3-test_bbc_chinese", "body_starts_with"): (
        "goose3's cleaned_text is no prefix of the article: its scoring dropped the 2nd and 4th "
        "paragraphs ('梁振英此前承认...', '不过泛民主派议员们...'), which are body text in div.bodytext"
    ),
    ("bbc/wpp-11125504", "paragraph_count"): (
        "13 is asserted in web-page-parser's spec for another fixture (13293006.html, the "
        "market-data story) inside this page's describe block; the spec asserts 18 for this "
        "page, which is what the parser gives"
    ),
    ("bbc/wpp-32271505", "paragraph_count"): (
        "web-page-parser V5 reads only the <p>/<h2> children of story-body__inner and so "
        "leaves out the four bulleted 'In other election news' items (29); with them: 33"
    ),
    ("bbc/wpp-32271505-2020", "body_starts_with"): (
        "expected text starts with the lead video's media caption ('George Osborne: \"We "
        "believe that your home...'); captions are left out of the body"
    ),
    ("bbc/wpp-32271505-2020", "must_contain"): (
        "one snippet is the lead video's media caption ('George Osborne: \"We believe that your "
        "home...'); captions are left out of the body"
    ),
    ("bbc/wpp-32271505-2020", "paragraphs_at"): (
        "web-page-parser V6 counts media captions as paragraphs (index 0 is the video caption), "
        "so every index is shifted against a body without captions"
    ),
    ("bbc/wpp-32271505-2020", "paragraph_count"): (
        "web-page-parser V6 counts the two media captions as paragraphs (37); without them: 35"
    ),
    ("bbc/wpp-32275608-2020", "body_starts_with"): (
        "expected text starts with the lead video's media caption ('\"I'm running for "
        "president,\" Hillary Clinton declares in an online video'); captions are left out"
    ),
    ("bbc/wpp-32275608-2020", "must_contain"): (
        "two snippets are video captions ('\"I'm running for president,\" Hillary Clinton "
        "declares...', 'How it all started for Hillary Clinton'); captions are left out"
    ),
    ("bbc/wpp-32275608-2020", "paragraphs_at"): (
        "web-page-parser V6 counts media captions as paragraphs (0 and 8 are video captions), "
        "so the indices are shifted against a body without captions"
    ),
    ("bbc/wpp-32275608-2020", "paragraph_count"): (
        "web-page-parser V6 counts the media and image captions as paragraphs (38); without "
        "them: 35"
    ),
    ("bbc/wpp-61896381", "must_contain"): (
        "one snippet is the 'Follow BBC South East on Facebook, on Twitter, and on Instagram. "
        "Send your story ideas to ...' social-media promo line, left out like the Newsbeat "
        "promos that the human-annotated zyte-70cb2d5bca ground truth excludes"
    ),
    ("bbc/wpp-61896381", "paragraphs_at"): (
        "merges two web-page-parser specs of this page that contradict each other: V7 asserts "
        "[0] and [4] (7 paragraphs), V6 the same texts again at [2] and [6] (9 paragraphs); "
        "the page has each paragraph once"
    ),
    ("bbc/wpp-61896381", "paragraph_count"): (
        "9 is web-page-parser V6's count, which repeats paragraphs; its V7 spec asserts 7 "
        "for the same page (6 without the social-media promo line)"
    ),
    ("bbc/wpp-cden3j9d1r7o", "body_starts_with"): (
        "expected text starts with the lead photo's caption ('Many families had to seek "
        "safety in shelters...'); captions are left out of the body"
    ),
    ("bbc/wpp-cden3j9d1r7o", "paragraphs_at"): (
        "web-page-parser V7 counts the lead photo caption as paragraph 0, so [1] and [16] "
        "are paragraphs 0 and 15 of a body without captions"
    ),
    ("npr/postlight-www.npr.org", "body_starts_with"): (
        "postlight's expected content starts with the lead photo's caption ('Dylann Roof is "
        "escorted from the Shelby Police Department...', div.credit-caption); captions are "
        "left out of the body"
    ),
    ("nytimes/readability-nytimes-3", "body_text"): (
        "readability's text keeps the seven photo captions with their credits ('Image', 'A Con "
        "Edison worker repairing...CreditChang W. Lee/The New York Times', ...), the summary "
        "under the headline, the dateline, the '[What you need to know...: Get New York Today "
        "in your inbox.]' newsletter promo, the author's bio and the print-edition line; "
        "without the captions F1 is 0.956, without all of them 1.0"
    ),
    ("guardian/goose3-test_guardian1", "body_starts_with"): (
        "goose3's cleaned_text leaves out the interviewer's one-line question 'For financial "
        "reasons?' (a <p> of the body, dropped by its short-paragraph scoring); the rest of the "
        "15,000 characters matches"
    ),
    ("guardian/wpp-cop27-egypt-climate-disaster-funds", "body_starts_with"): (
        "web-page-parser reads the standfirst ('Small but symbolic moves...', "
        "div[data-gu-name=standfirst]) as paragraph 0; it is the page's description, not body "
        "text, as on the other DCR page (postlight-www.theguardian.com starts at the body)"
    ),
    ("guardian/wpp-cop27-egypt-climate-disaster-funds", "must_contain"): (
        "one snippet is the standfirst ('Small but symbolic moves...'), the page's description, "
        "which is not read as body text"
    ),
    ("guardian/wpp-cop27-egypt-climate-disaster-funds", "paragraphs_at"): (
        "web-page-parser counts the standfirst as paragraph 0, so [0] is the standfirst and [1] "
        "is paragraph 0 of the body ([-1] matches)"
    ),
    ("guardian/wpp-cop27-egypt-climate-disaster-funds", "paragraph_count"): (
        "15 counts the standfirst and the two paragraphs of the 'Sign up to Down to Earth' "
        "newsletter box (figure > aside); the body has 12"
    ),
    ("cnn/goose3-test_cnn1", "headline"): (
        "goose3's title is the <title> with the site suffix ('... this fall - CNN.com'); the "
        "headline is the page's h1 without it, as on every other CNN page"
    ),
    ("cnn/newspaper4k-cnn_001", "headline"): (
        "newspaper4k takes the <title> ('Alito and Prelogar: The nonstop sparring match ...'); "
        "the headline shown on the page, h1[data-editable=headlineText], is 'The nonstop "
        "sparring match ...' (og:title says 'Analysis: The nonstop ...')"
    ),
    ("cnn/newspaper4k-cnn_001", "published"): (
        "newspaper4k gives the date in the URL as a naive midnight (2023-11-06T00:00:00); the "
        "page's article:published_time is 2023-11-06T13:00:15.055Z, and no time zone is invented"
    ),
    ("cnn/newspaper4k-cnn_article", "published"): (
        "newspaper4k gives the date in the URL as a naive midnight (2013-11-27T00:00:00); the "
        "page's pubdate meta is 2013-11-27T08:36:32Z, and no time zone is invented"
    ),
    ("cnn/postlight-money.cnn.com", "published"): (
        "postlight reads the naive DC.date.issued (2016-11-29T03:33:08) as GMT; the page says "
        "'First published November 29, 2016: 3:33 AM ET', so it is 03:33:08-05:00 (08:33:08Z)"
    ),
    ("cnn/postlight-money.cnn.com", "body_starts_with"): (
        "postlight's money.cnn.com extractor drops the lead paragraph, which money.cnn.com sets "
        "as <h2 class=speakable> in div#storytext ('Heads up, travelers: Hundreds of workers are "
        "striking...'); the same layout's readability-cnn case expects that h2 as paragraph 0"
    ),
    ("cnn/readability-cnn", "body_text"): (
        "readability's expected text keeps the 'Related: ...' link lines, the 'Powered by "
        "SmartAsset.com' widget credit and the 'CNNMoney (New York) First published ...' footer, "
        "which are left out (48 of its 356 shingles; P 0.972 R 0.865)"
    ),
    ("cnn/trafilatura-edition.cnn.com-royal", "published"): (
        "trafilatura/htmldate give the 'Updated ... March 14, 2021' date (dateModified "
        "2021-03-14T20:10:50Z); the story was published 2021-03-08T11:15:28Z (datePublished)"
    ),
    ("independent/readability-bug-1255978", "headline"): (
        "readability takes og:title ('Seven secrets that hotel owners don't want you to know'); "
        "the page's h1[itemprop=headline] is 'The seven secrets ...', and the h1 is the headline "
        "on the other Independent pages (wpp-lord-burns expects its h1, not its og:title)"
    ),
    ("independent/readability-bug-1255978", "body_text"): (
        "readability's expected text keeps the photo captions ('Even posh hotels might not wash "
        "a blanket...'), the video player's controls ('Play Video', 'Current Time 0:00', "
        "'Fullscreen'...) and the 'More about: ... Reuse content' footer, which are left out "
        "(P 0.978 R 0.851)"
    ),
}

# The same article saved years apart in different layouts: the text must not change, or the
# tracker would record a redesign as a new version.
LAYOUT_DRIFT_PAIRS: tuple[tuple[str, str], ...] = (
    ("washingtonpost/wpp-beto-orourke-quits", "washingtonpost/wpp-beto-orourke-quits-2024"),
    ("washingtonpost/wpp-will-a-bust-follow-the-boom-in-britain",
     "washingtonpost/wpp-will-a-bust-follow-the-boom-in-britain-2018"),
    ("nytimes/wpp-show-banned-french-comedian-has-new-one-2018",
     "nytimes/wpp-show-banned-french-comedian-has-new-one"),
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
