"""Text leaving extraction is valid Unicode: the helpers, and ``extract_article`` on pages that
smuggle lone surrogates in (JSON-LD escapes, which ``json.loads`` accepts as they are)."""

from __future__ import annotations

import json

import pytest

from tracker.extraction import extract_article
from tracker.normalize import valid_text, valid_unicode, without_surrogates

URL = "https://example.com/news/2024/01/05/story"
BODY = "The council approved the budget on Tuesday after a long debate about its many costs."


def test_without_surrogates_replaces_each_lone_surrogate() -> None:
    assert without_surrogates("a\ud800b\udfff\ud83d\ude00c") == "a\ufffdb\ufffd\ufffd\ufffdc"
    assert without_surrogates("caf\u00e9 \U0001f600 \x00") == "caf\u00e9 \U0001f600 \x00"  # valid: as is


def test_valid_text_also_replaces_nul() -> None:
    assert valid_text("a\x00b\ud800") == "a\ufffdb\ufffd"
    text = "plain \u00e9 text"
    assert valid_text(text) is text


def test_valid_unicode_cleans_every_string_and_keeps_the_shape() -> None:
    value = {"h": "x\ud800", "p": ["ok", "y\x00"], "d": {"ops": [("insert", 0, "z\udc00")]}, "n": 3, "b": b"\x00"}
    assert valid_unicode(value) == {
        "h": "x\ufffd", "p": ["ok", "y\ufffd"], "d": {"ops": [("insert", 0, "z\ufffd")]}, "n": 3, "b": b"\x00",
    }


def page(jsonld: str, meta: str = "") -> str:
    return (
        f'<html><head><meta property="og:type" content="article">{meta}'
        f'<script type="application/ld+json">{jsonld}</script></head><body><p>x</p></body></html>'
    )


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\ud83d"])
def test_extract_article_returns_no_lone_surrogate(escape: str) -> None:
    jsonld = (
        f'{{"@type":"NewsArticle","headline":"H {escape}","author":[{{"name":"A {escape}"}}],'
        f'"description":"D {escape}","articleBody":"{BODY} {escape}\\n\\n{BODY}"}}'
    )
    assert "\ud800" <= json.loads(jsonld)["headline"][-1] <= "\udfff"  # what the parser hands over
    article = extract_article(page(jsonld), URL)
    assert article["headline"] == "H \ufffd" and article["authors"] == ["A \ufffd"] and article["byline"] == "A \ufffd"
    assert article["description"] == "D \ufffd"
    assert article["paragraphs"] == [f"{BODY} \ufffd", BODY] and article["articleBody"] == f"{BODY} \ufffd\n\n{BODY}"
    json.dumps(article, ensure_ascii=False).encode("utf-8")  # encodable as a whole


def test_meta_and_markup_references_to_surrogates_are_replaced() -> None:
    html = (
        '<html><head><meta property="og:type" content="article">'
        '<meta property="og:title" content="Title &#xD800; here"></head>'
        f"<body><article><p>{BODY} &#55296; end.</p><p>{BODY}</p></article></body></html>"
    )
    article = extract_article(html, URL)
    assert article["headline"] == "Title \ufffd here"
    assert article["paragraphs"][0] == f"{BODY} \ufffd end."
