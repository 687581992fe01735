"""Tests for tracker.normalize: canonical URLs, text cleaning, content hashes, boring changes."""

from __future__ import annotations

import unicodedata

import pytest

from tracker.normalize import (
    article_id,
    boring_reason,
    canonical_url,
    clean_paragraphs,
    clean_text,
    content_hash,
    is_noise_paragraph,
    raw_hash,
)

STORY = "https://www.washingtonpost.com/politics/2024/01/05/senate-vote-budget/"

# ---------------------------------------------------------------------------------------------
# canonical_url

CANONICAL_CASES = [
    # scheme and host case, http -> https
    ("HTTPS://WWW.Example.COM/Path/Case", "https://www.example.com/Path/Case"),
    ("http://www.example.com/a", "https://www.example.com/a"),
    ("https://www.example.com./a", "https://www.example.com/a"),
    # default ports dropped, others kept
    ("http://www.example.com:80/a", "https://www.example.com/a"),
    ("https://www.example.com:443/a", "https://www.example.com/a"),
    ("https://www.example.com:8080/a", "https://www.example.com:8080/a"),
    ("http://[::1]:8080/a", "https://[::1]:8080/a"),
    # fragments and credentials dropped
    ("https://www.example.com/a#comments", "https://www.example.com/a"),
    ("https://user:secret@www.example.com/a", "https://www.example.com/a"),
    # tracking parameters dropped, meaningful ones kept and sorted
    ("https://www.example.com/a?utm_source=rss&utm_medium=feed", "https://www.example.com/a"),
    ("https://www.example.com/a?UTM_Campaign=x&fbclid=abc&gclid=1", "https://www.example.com/a"),
    ("https://www.example.com/a?id=42&utm_source=x", "https://www.example.com/a?id=42"),
    ("https://www.example.com/a?page=2&id=42", "https://www.example.com/a?id=42&page=2"),
    ("https://www.example.com/a?id=42&smid=tw-share&ref=hp", "https://www.example.com/a?id=42"),
    ("https://www.example.com/a?itid=hp-top-table-main", "https://www.example.com/a"),
    ("https://www.example.com/a?outputType=amp", "https://www.example.com/a"),
    ("https://www.example.com/a?b=2&a=1&a=0", "https://www.example.com/a?a=0&a=1&b=2"),
    ("https://www.example.com/a?id=", "https://www.example.com/a?id="),
    # AMP and print variants
    ("https://www.example.com/story/amp", "https://www.example.com/story"),
    ("https://www.example.com/story.amp", "https://www.example.com/story"),
    ("https://www.example.com/story/amp.html", "https://www.example.com/story"),
    ("https://www.example.com/story/amp/", "https://www.example.com/story/"),
    ("https://www.example.com/amp/world/story/", "https://www.example.com/world/story/"),
    ("https://www.example.com/amphtml/world/story_story.html", "https://www.example.com/world/story_story.html"),
    ("https://www.example.com/story/print", "https://www.example.com/story"),
    ("https://www.example.com/world/camp", "https://www.example.com/world/camp"),
    ("https://www.example.com/world/blueprint", "https://www.example.com/world/blueprint"),
    # mobile hosts
    ("https://m.example.com/a", "https://www.example.com/a"),
    ("https://mobile.example.com/a", "https://www.example.com/a"),
    ("https://amp.example.com/a", "https://www.example.com/a"),
    ("https://m.example.co.uk/a", "https://www.example.co.uk/a"),
    # trailing slash kept, empty path is /
    ("https://www.example.com/a/", "https://www.example.com/a/"),
    ("https://www.example.com/a", "https://www.example.com/a"),
    ("https://www.example.com", "https://www.example.com/"),
    ("https://www.example.com//a//b/", "https://www.example.com/a/b/"),
    ("  https://www.example.com/a  ", "https://www.example.com/a"),
]


@pytest.mark.parametrize(("url", "expected"), CANONICAL_CASES)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


IDEMPOTENCE_CASES = [url for url, _ in CANONICAL_CASES] + [
    "https://www.example.com/a/amp/amp",
    "https://www.example.com/a/amp/amp/",
    "https://www.example.com/amp/amp/a",
    "https://www.example.com//amp//a",
    "https://www.example.com/a/print/amp",
    "https://www.example.com/amp",
    "https://www.example.com/amp/",
    "https://www.example.com/a?q=a+b%20c&x=%26y&z=caf%C3%A9",
    "https://www.example.com/caf\u00e9/?q=\u00fc",
    "https://www.example.com/a;p=1?x=1",
    "https://m.m.example.com/a",
]


@pytest.mark.parametrize("url", IDEMPOTENCE_CASES)
def test_canonical_url_is_idempotent(url: str) -> None:
    once = canonical_url(url)
    assert canonical_url(once) == once


VARIANTS = [
    STORY,
    STORY.replace("https://", "http://"),
    STORY.replace("www.washingtonpost.com", "WWW.WashingtonPost.com"),
    STORY.replace("www.", "m."),
    STORY + "?utm_source=twitter&utm_medium=social",
    STORY + "?itid=hp_politics#comments",
    STORY + "amp/",
    STORY.replace(".com/", ".com/amp/"),
    STORY.replace(".com/", ".com:443/"),
]


@pytest.mark.parametrize("variant", VARIANTS)
def test_article_id_is_stable_across_url_variants(variant: str) -> None:
    assert canonical_url(variant) == STORY
    assert article_id(variant) == article_id(STORY)


def test_article_id_differs_between_articles() -> None:
    others = [
        STORY.replace("senate-vote-budget", "senate-vote-budgets"),
        STORY.replace("/05/", "/06/"),
        STORY.rstrip("/"),
        STORY + "?id=1",
        STORY + "?id=2",
        STORY.replace("www.washingtonpost.com", "www.example.com"),
    ]
    ids = {article_id(url) for url in [STORY, *others]}
    assert len(ids) == len(others) + 1
    assert all(len(i) == 24 and int(i, 16) >= 0 for i in ids)


# ---------------------------------------------------------------------------------------------
# clean_text


CLEAN_CASES = [
    ("Caf\u00e9", "Caf\u00e9"),
    ("Cafe\u0301", "Caf\u00e9"),  # NFD -> NFC
    ("Sen\u00adate", "Senate"),  # soft hyphen
    ("Sen\u200bate \u200cvote\u200d\u2060\ufeff", "Senate vote"),  # zero-width characters, BOM
    ("a\u00a0b", "a b"),  # no-break space
    ("a\u202fb\u2009c", "a b c"),  # narrow and thin spaces
    ("  a \t\n b\r\n\n  c  ", "a b c"),
    ("a\u2028b\u2029c", "a b c"),
    ("\u201cquoted\u201d \u2018single\u2019 \u2014 dash \u2026", "\u201cquoted\u201d \u2018single\u2019 \u2014 dash \u2026"),
    ("", ""),
    ("   ", ""),
]


@pytest.mark.parametrize(("text", "expected"), CLEAN_CASES)
def test_clean_text(text: str, expected: str) -> None:
    assert clean_text(text) == expected


def test_clean_text_nfc_and_nfd_give_the_same_output() -> None:
    text = "R\u00e9sum\u00e9 of the na\u00efve Z\u00fcrich \u00c5ngstr\u00f6m story"
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    assert clean_text(nfd) == clean_text(text) == unicodedata.normalize("NFC", text)


@pytest.mark.parametrize("control", ["\x00", "\x07", "\x08", "\x1b", "\x1f", "\x7f", "\x0b", "\x0c"])
def test_clean_text_removes_control_characters(control: str) -> None:
    cleaned = clean_text(f"The {control}Senate voted{control}")
    assert control not in cleaned
    assert cleaned.replace(" ", "") == "TheSenatevoted"
    assert "  " not in cleaned


def test_clean_paragraphs_drops_empty_and_noise_paragraphs() -> None:
    paragraphs = ["  First\u00a0one. ", "", "\u200b", "Updated 5 minutes ago", "Second one."]
    assert clean_paragraphs(paragraphs) == ["First one.", "Second one."]


# ---------------------------------------------------------------------------------------------
# content_hash / raw_hash / boring_reason

HEADLINE = "Senate approves stopgap budget"
PARAGRAPHS = [
    "The Senate voted 77 to 19 late Thursday to approve a stopgap budget.",
    "\u201cIt was close,\u201d said one aide \u2014 who asked not to be named \u2013 on Friday.",
    "Lawmakers now have six weeks to negotiate a full-year agreement.",
]


def _replace(index: int, old: str, new: str) -> list[str]:
    paragraphs = list(PARAGRAPHS)
    assert old in paragraphs[index]
    paragraphs[index] = paragraphs[index].replace(old, new, 1)
    return paragraphs


NFD_PARAGRAPHS = [unicodedata.normalize("NFD", p + " Caf\u00e9 na\u00efve.") for p in PARAGRAPHS]
NFC_PARAGRAPHS = [unicodedata.normalize("NFC", p + " Caf\u00e9 na\u00efve.") for p in PARAGRAPHS]

# (name, headline, paragraphs): the same text as HEADLINE / PARAGRAPHS up to formatting.
FORMATTING_NOISE = [
    ("extra white space", "  Senate  approves\tstopgap budget ", [" " + p.replace(" ", "  ") + "\n" for p in PARAGRAPHS]),
    ("no-break spaces", HEADLINE.replace(" ", "\u00a0"), _replace(0, "77 to 19", "77\u00a0to\u00a019")),
    ("soft hyphen", HEADLINE.replace("stopgap", "stop\u00adgap"), _replace(2, "negotiate", "nego\u00adtiate")),
    ("zero-width space", HEADLINE, _replace(0, "Senate", "Sen\u200bate")),
    ("straight quotes", HEADLINE, _replace(1, "\u201cIt was close,\u201d", '"It was close,"')),
    ("hyphens for dashes", HEADLINE, _replace(1, "\u2014 who asked not to be named \u2013", "- who asked not to be named -")),
    ("em dash for en dash", HEADLINE, _replace(1, "\u2013", "\u2014")),
    ("updated-ago line", HEADLINE, ["Updated 5 minutes ago", *PARAGRAPHS]),
    ("updated-ago line at the end", HEADLINE, [*PARAGRAPHS, "Published: 2 hours ago"]),
    ("a-few-minutes-ago line", HEADLINE, [PARAGRAPHS[0], "Updated a few minutes ago", *PARAGRAPHS[1:]]),
    ("empty paragraphs", HEADLINE, ["", PARAGRAPHS[0], "  ", "\u00a0", PARAGRAPHS[1], "\u200b", PARAGRAPHS[2]]),
    ("control character", HEADLINE, _replace(2, "six weeks", "six\x0bweeks")),
]


@pytest.mark.parametrize(
    ("headline", "paragraphs"),
    [(h, p) for _, h, p in FORMATTING_NOISE],
    ids=[name for name, _, _ in FORMATTING_NOISE],
)
def test_formatting_noise_never_changes_content_hash(headline: str, paragraphs: list[str]) -> None:
    assert content_hash(headline, paragraphs) == content_hash(HEADLINE, PARAGRAPHS)
    assert raw_hash(headline, paragraphs) != raw_hash(HEADLINE, PARAGRAPHS)
    assert boring_reason(HEADLINE, PARAGRAPHS, headline, paragraphs) == "formatting"
    assert boring_reason(headline, paragraphs, HEADLINE, PARAGRAPHS) == "formatting"


def test_nfc_and_nfd_texts_hash_the_same() -> None:
    headline_nfd = unicodedata.normalize("NFD", "Caf\u00e9 owners sue")
    assert headline_nfd != "Caf\u00e9 owners sue"
    assert content_hash(headline_nfd, NFD_PARAGRAPHS) == content_hash("Caf\u00e9 owners sue", NFC_PARAGRAPHS)
    assert raw_hash(headline_nfd, NFD_PARAGRAPHS) != raw_hash("Caf\u00e9 owners sue", NFC_PARAGRAPHS)
    assert boring_reason("Caf\u00e9 owners sue", NFC_PARAGRAPHS, headline_nfd, NFD_PARAGRAPHS) == "formatting"


# (name, headline, paragraphs): real edits, most of them one character.
REAL_EDITS = [
    ("letter", HEADLINE, _replace(2, "weeks", "weeds")),
    ("digit 7 -> 8", HEADLINE, _replace(0, "77 to 19", "78 to 19")),
    ("digit 5 -> 6", HEADLINE, ["The Senate voted 6 to 4.", *PARAGRAPHS[1:]]),
    ("period -> question mark", HEADLINE, _replace(2, "agreement.", "agreement?")),
    ("comma added", HEADLINE, _replace(0, "late Thursday", "late, Thursday")),
    ("removed word", HEADLINE, _replace(0, "late Thursday", "Thursday")),
    ("changed headline", "Senate approves stopgap budgets", PARAGRAPHS),
    ("headline case", HEADLINE.lower(), PARAGRAPHS),
    ("removed headline", None, PARAGRAPHS),
    ("removed paragraph", HEADLINE, PARAGRAPHS[:2]),
    ("added paragraph", HEADLINE, [*PARAGRAPHS, "A correction was appended."]),
    ("reordered paragraphs", HEADLINE, [PARAGRAPHS[1], PARAGRAPHS[0], PARAGRAPHS[2]]),
    ("accent added", HEADLINE, _replace(2, "six weeks", "six w\u00e9eks")),
    ("quote mark added", HEADLINE, _replace(2, "six weeks", "six 'weeks")),
]


@pytest.mark.parametrize(
    ("headline", "paragraphs"),
    [(h, p) for _, h, p in REAL_EDITS],
    ids=[name for name, _, _ in REAL_EDITS],
)
def test_every_real_edit_changes_content_hash(headline: str | None, paragraphs: list[str]) -> None:
    assert content_hash(headline, paragraphs) != content_hash(HEADLINE, PARAGRAPHS)
    assert raw_hash(headline, paragraphs) != raw_hash(HEADLINE, PARAGRAPHS)
    assert boring_reason(HEADLINE, PARAGRAPHS, headline, paragraphs) is None


def test_paragraph_boundaries_count() -> None:
    merged = [PARAGRAPHS[0] + " " + PARAGRAPHS[1], PARAGRAPHS[2]]
    assert content_hash(HEADLINE, merged) != content_hash(HEADLINE, PARAGRAPHS)
    # The headline is not just the first paragraph.
    assert content_hash(None, [HEADLINE, *PARAGRAPHS]) != content_hash(HEADLINE, PARAGRAPHS)


def test_hashes_are_deterministic_hex_digests() -> None:
    for fn in (content_hash, raw_hash):
        first = fn(HEADLINE, PARAGRAPHS)
        assert first == fn(HEADLINE, list(PARAGRAPHS))
        assert len(first) == 64 and int(first, 16) >= 0
    assert content_hash(None, PARAGRAPHS) == content_hash("", PARAGRAPHS)


def test_boring_reason_is_none_for_identical_texts() -> None:
    assert boring_reason(HEADLINE, PARAGRAPHS, HEADLINE, list(PARAGRAPHS)) is None
    assert boring_reason(None, [], None, []) is None


# ---------------------------------------------------------------------------------------------
# is_noise_paragraph

NOISE = [
    "Updated 5 minutes ago",
    "updated 12 mins ago.",
    "Updated: 1 hour ago",
    "Published 3 hours ago",
    "Posted 2 days ago",
    "Last updated 30 seconds ago",
    "Modified 4 hrs ago",
    "Updated an hour ago",
    "Updated a minute ago",
    "Updated a few minutes ago",
    "few minutes ago",
    "5 minutes ago",
    "Updated just now",
    "Updated: moments ago",
    "12 comments",
    "1 comment",
    "340 shares",
]
NOT_NOISE = [
    "The suspect left 5 minutes ago, police said.",
    "Updated 5 minutes ago, the senator said, the vote was final.",
    "Two hours ago the Senate voted.",
    "Updated guidance was published on Monday.",
    "The bill drew 12 comments from lawmakers.",
    "Comments",
    "",
    "Just now, the Senate voted.",
]


@pytest.mark.parametrize("paragraph", NOISE)
def test_noise_paragraphs(paragraph: str) -> None:
    assert is_noise_paragraph(paragraph)


@pytest.mark.parametrize("paragraph", NOT_NOISE)
def test_real_paragraphs_are_not_noise(paragraph: str) -> None:
    assert not is_noise_paragraph(paragraph)


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("https://www.bbc.com/news/articles/c4ng7xq2kdlo", "https://www.bbc.co.uk/news/articles/c4ng7xq2kdlo"),
        ("http://bbc.co.uk/news/uk-19957138", "https://www.bbc.co.uk/news/uk-19957138"),
        ("https://edition.cnn.com/2021/03/08/uk/x/index.html", "https://www.cnn.com/2021/03/08/uk/x/index.html"),
        ("http://www.guardian.co.uk/film/2011/nov/18/kristen-wiig", "https://www.theguardian.com/film/2011/nov/18/kristen-wiig"),
    ],
)
def test_host_aliases_make_one_article(alias: str, canonical: str) -> None:
    assert canonical_url(alias) == canonical
    assert article_id(alias) == article_id(canonical)
