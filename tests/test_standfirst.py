"""The standfirst (dek) and the byline as extract_article() returns them."""

from __future__ import annotations

import json
from html import escape

import pytest

from tests.realpages import outlet_cases
from tracker.extraction import extract_article
from tracker.normalize import byline_of

URL = "https://news.example.org/2024/05/01/story.html"
DEK = "The plan doubles spending on buses and trains over five years."
BODY = [
    (
        "The city council voted on Tuesday to approve a new budget that raises spending on schools "
        "and public transport for the first time in more than a decade, officials said."
    ),
    (
        "Opponents warned that the higher spending would require tax increases within two years and "
        "said the council had not explained how it would pay for the new programs over time."
    ),
]


def article(between: str = "", *, description: str | None = None, body: list[str] = BODY) -> str:
    """A generic article page: ``between`` sits between the headline and the body."""
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Council passes budget",
          "author": [{"@type": "Person", "name": "Jane Doe"}]}
    if description is not None:
        ld["description"] = description
    paragraphs = "".join(f"<p>{escape(text)}</p>" for text in body)
    return (
        f'<html><head><script type="application/ld+json">{json.dumps(ld)}</script></head><body>'
        f"<header><a href='/'>News</a></header><article><h1>Council passes budget</h1>{between}"
        f'<div class="story-body">{paragraphs}</div></article></body></html>'
    )


@pytest.mark.parametrize(
    "markup",
    [
        f'<p class="article-dek">{DEK}</p>',
        f'<div class="c-standfirst">{DEK}</div>',
        f'<h2 class="sub-headline">{DEK}</h2>',
        f'<p class="ArticleSubHeadline">{DEK}</p>',
        f'<p itemprop="description">{DEK}</p>',
        f'<div data-testid="article-summary"><span>{DEK}</span></div>',
        f'<div class="header__intro">{DEK}</div>',
    ],
)
def test_an_element_named_as_a_standfirst_under_the_headline_is_one(markup: str) -> None:
    assert extract_article(article(markup), URL)["standfirst"] == DEK


def test_a_description_the_page_shows_near_the_headline_is_the_standfirst() -> None:
    shown = article(f"<p>{DEK}</p>", description=DEK.rstrip("."))
    assert extract_article(shown, URL)["standfirst"] == DEK  # the text as shown


def test_a_description_the_page_does_not_show_is_no_standfirst() -> None:
    extracted = extract_article(article(description=DEK), URL)
    assert extracted["description"] == DEK
    assert extracted["standfirst"] == ""


@pytest.mark.parametrize(
    "markup",
    [
        f'<figure><img src="/a.jpg"><figcaption class="caption description">{DEK}</figcaption></figure>',
        f'<div class="byline"><div class="sub-description">{DEK}</div></div>',
        f'<div class="newsletter-promo"><p class="promo-summary">{DEK}</p></div>',
        '<div class="headline__sub-description">11 minute read</div>',
        '<div class="summary">By Jane Doe, Updated 11:22 PM EST, Tue November 29, 2016</div>',
        f'<div class="font--subhead">{DEK}</div>',  # a type style, not a sub-headline
        f'<div class="related-summary"><a href="/other">{DEK}</a></div>',
    ],
)
def test_furniture_near_the_headline_is_no_standfirst(markup: str) -> None:
    assert extract_article(article(markup), URL)["standfirst"] == ""


def test_a_bold_first_paragraph_of_the_body_is_the_lede_not_a_standfirst() -> None:
    page = article(body=[]).replace(
        '<div class="story-body">',
        f'<div class="story-body"><p class="story-body__introduction">{escape(BODY[0])}</p>'
        f"<p>{escape(BODY[1])}</p><p>{escape(BODY[1])} Again.</p>",
    )
    extracted = extract_article(page, URL)
    assert extracted["paragraphs"][0] == BODY[0]
    assert extracted["standfirst"] == ""


def test_the_byline_is_the_authors_joined_as_read() -> None:
    assert extract_article(article(), URL)["byline"] == "Jane Doe"
    assert byline_of([]) == ""
    assert byline_of(["A"]) == "A"
    assert byline_of(["A", " B "]) == "A and B"
    assert byline_of(["A", "B", "C"]) == "A, B and C"


# Real pages of outlets whose layouts show a standfirst: each page's own, read by the outlet's
# parser (its ``standfirst_xpaths``) or the generic rules.
REAL_STANDFIRSTS = {
    "guardian/wpp-cop27-egypt-climate-disaster-funds": "Small but symbolic moves at summit",
    "guardian/goose3-test_guardian1": "Kristen Wiig's gone from working as a waitress",
    "guardian/wpp-anger-grows-rbs-chiefs-bonus": "London mayor Boris Johnson calls award",
    "independent/wpp-lord-burns": "Lord Burns was expected to be reconfirmed",
    "nytimes/zyte-702d1da63b": "The president’s unpredictability and demands of China",
    "foxnews/htmldate-foxnews.com-Russia": "The US signed the Comprehensive Nuclear Test Ban Treaty",
    # Layouts without one: nothing is made up.
    "bbc/wpp-10341015.stm": "",
    "washingtonpost/wpp-beto-orourke-quits": "",
    "cnn/newspaper4k-cnn_001": "",
}


@pytest.mark.parametrize("case_id", sorted(REAL_STANDFIRSTS))
def test_real_pages_standfirst(case_id: str) -> None:
    outlet, case = case_id.split("/", 1)
    [real] = [page for page in outlet_cases(outlet) if page.case == case]
    standfirst = extract_article(real.html(), real.url)["standfirst"]
    expected = REAL_STANDFIRSTS[case_id]
    assert standfirst.startswith(expected) and bool(standfirst) == bool(expected), standfirst
