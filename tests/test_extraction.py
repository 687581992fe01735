"""Extraction on small synthetic pages: sources, fallbacks, hostile and broken input."""

from __future__ import annotations

import json
import pkgutil
import random
import re
import time

import lxml.html
import pytest

from tracker import parsers
from tracker.extraction import ARTICLE_FIELDS, decode_html, extract_article
from tracker.parsers import (
    OutletParser,
    compiled_xpath,
    parse_date,
    parser_for_name,
    parser_for_url,
    register,
    registered_parsers,
    split_authors,
    text_blocks,
)
from tracker.textmetrics import shingle_scores, snippet_recall

OTHER_SITE = "https://news.example.org/2024/05/01/story.html"
WAPO = "https://www.washingtonpost.com/politics/2024/05/01/some-story/"

LONG_PARAGRAPHS = [
    "The city council voted on Tuesday to approve a new budget that raises spending on "
    "schools and public transport for the first time in more than a decade, officials said.",
    "Supporters of the plan said the money was long overdue, pointing to crowded classrooms, "
    "aging buses and a maintenance backlog that has grown every year since the recession.",
    "Opponents warned that the higher spending would require tax increases within two years "
    "and said the council had not explained how it would pay for the new programs over time.",
    "The mayor is expected to sign the budget later this week, according to a spokesperson, "
    "who said the administration would publish a detailed spending plan before the summer.",
]


def page(head: str = "", body: str = "", lang: str | None = "en") -> str:
    lang_attribute = f' lang="{lang}"' if lang else ""
    return f"<!DOCTYPE html><html{lang_attribute}><head>{head}</head><body>{body}</body></html>"


def jsonld(data: object) -> str:
    # "</" escaped as sites do, or an HTML string inside would close the <script> early
    text = json.dumps(data).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


def paragraphs_html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


# --- shape ------------------------------------------------------------------------------------


def test_result_has_exactly_the_documented_keys() -> None:
    article = extract_article(page(body=paragraphs_html(LONG_PARAGRAPHS)), OTHER_SITE)
    assert tuple(article) == ARTICLE_FIELDS
    assert set(ARTICLE_FIELDS) == {
        "headline", "authors", "datePublished", "dateModified", "description", "inLanguage",
        "canonicalUrl", "articleBody", "paragraphs", "isAccessibleForFree", "extractor",
        "looks_like_article", "parser_failed", "disagreement", "standfirst", "byline",
    }


# --- JSON-LD ----------------------------------------------------------------------------------


def test_jsonld_graph_gives_metadata_and_body() -> None:
    data = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Example News", "url": "https://news.example.org/"},
            {"@type": "WebPage", "name": "Not the headline"},
            {
                "@type": "NewsArticle",
                "headline": "Council approves budget",
                "author": [{"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": "John Roe"}],
                "datePublished": "2024-05-01T09:30:00-04:00",
                "dateModified": "2024-05-01T12:00:00Z",
                "description": "The vote raises school spending.",
                "inLanguage": "en-US",
                "isAccessibleForFree": "False",
                "articleBody": "First paragraph of the story.\n\nSecond paragraph.\nThird one.",
            },
        ],
    }
    article = extract_article(page(head=jsonld(data)), OTHER_SITE)
    assert article["headline"] == "Council approves budget"
    assert article["authors"] == ["Jane Doe", "John Roe"]
    assert article["datePublished"] == "2024-05-01T09:30:00-04:00"
    assert article["dateModified"] == "2024-05-01T12:00:00+00:00"
    assert article["description"] == "The vote raises school spending."
    assert article["inLanguage"] == "en-US"
    assert article["isAccessibleForFree"] is False
    assert article["paragraphs"] == ["First paragraph of the story.", "Second paragraph.", "Third one."]
    assert article["articleBody"] == "First paragraph of the story.\n\nSecond paragraph.\n\nThird one."
    assert article["extractor"] == "jsonld"
    assert article["looks_like_article"] is True
    assert article["parser_failed"] is False


def test_invalid_jsonld_is_skipped_and_lists_and_nested_types_are_read() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": oops}</script>'
        + jsonld([{"@type": "BreadcrumbList"}, {"@type": ["ReportageNewsArticle"], "headline": "From a list"}])
    )
    article = extract_article(page(head=head, body=paragraphs_html(LONG_PARAGRAPHS)), OTHER_SITE)
    assert article["headline"] == "From a list"
    assert article["looks_like_article"] is True


@pytest.mark.parametrize(
    "script",
    [
        # HTML comment wrapper and a trailing comma, both seen in the wild
        '<!-- {"@type": "BlogPosting", "headline": "Wrapped",} -->',
        # the article nested under a WebPage, with a schema.org URL as type
        '{"@type": "WebPage", "mainEntity": {"@type": "https://schema.org/Article", "headline": "Wrapped"}}',
    ],
)
def test_jsonld_variants(script: str) -> None:
    head = f'<script type="application/ld+json">{script}</script>'
    assert extract_article(page(head=head), OTHER_SITE)["headline"] == "Wrapped"


def test_jsonld_author_name_listing_several_people_is_split() -> None:
    data = {"@type": "NewsArticle", "author": {"@type": "Person", "name": "Matt Viser, Jenna Johnson"}}
    assert extract_article(page(head=jsonld(data)), OTHER_SITE)["authors"] == ["Matt Viser", "Jenna Johnson"]


def test_jsonld_body_that_is_only_the_description_is_not_a_body() -> None:
    summary = "A short summary of the story."
    data = {"@type": "NewsArticle", "description": summary, "articleBody": summary}
    body = f"<div id='story'>{paragraphs_html(LONG_PARAGRAPHS)}</div>"
    article = extract_article(page(head=jsonld(data), body=body), OTHER_SITE)
    assert article["extractor"] == "readability"
    assert article["paragraphs"][0] == LONG_PARAGRAPHS[0]


# --- meta fallback ----------------------------------------------------------------------------


def test_meta_and_opengraph_fill_in_without_jsonld() -> None:
    head = (
        '<meta property="og:title" content="Budget passes">'
        '<meta name="twitter:title" content="Twitter title">'
        '<meta property="og:type" content="article">'
        '<meta property="article:published_time" content="2024-05-01T09:30:00Z">'
        '<meta property="article:modified_time" content="2024-05-02T10:00:00+02:00">'
        '<meta name="author" content="By Jane Doe and John Roe">'
        '<meta property="og:description" content="Spending rises.">'
        '<link rel="canonical" href="/2024/05/01/story.html">'
        "<title>Budget passes - Example News</title>"
    )
    article = extract_article(page(head=head, body=paragraphs_html(LONG_PARAGRAPHS), lang="en-GB"), OTHER_SITE)
    assert article["headline"] == "Budget passes"
    assert article["authors"] == ["Jane Doe", "John Roe"]
    assert article["datePublished"] == "2024-05-01T09:30:00+00:00"
    assert article["dateModified"] == "2024-05-02T10:00:00+02:00"
    assert article["description"] == "Spending rises."
    assert article["inLanguage"] == "en-GB"
    assert article["canonicalUrl"] == "https://news.example.org/2024/05/01/story.html"
    assert article["isAccessibleForFree"] is None
    assert article["looks_like_article"] is True


def test_og_url_is_the_canonical_fallback_and_title_the_last_headline() -> None:
    head = '<meta property="og:url" content="https://news.example.org/a"><title> Plain   title </title>'
    article = extract_article(page(head=head, body="<p>Short.</p>"), OTHER_SITE)
    assert article["canonicalUrl"] == "https://news.example.org/a"
    assert article["headline"] == "Plain title"
    assert article["looks_like_article"] is False


# --- readability fallback ---------------------------------------------------------------------


def test_readability_is_the_fallback_without_parser_or_jsonld() -> None:
    body = (
        "<nav><ul><li><a href='/'>Home</a></li><li><a href='/world'>World news menu</a></li></ul></nav>"
        f"<div id='content'><h1>Budget</h1>{paragraphs_html(LONG_PARAGRAPHS)}</div>"
        "<footer><p>Copyright Example News. All rights reserved. Contact us.</p></footer>"
    )
    article = extract_article(page(body=body), OTHER_SITE)
    assert article["extractor"] == "readability"
    assert article["parser_failed"] is False
    assert all(paragraph in article["paragraphs"] for paragraph in LONG_PARAGRAPHS)
    assert "World news menu" not in article["articleBody"]
    assert "All rights reserved" not in article["articleBody"]


def test_page_without_text_has_no_body() -> None:
    article = extract_article(page(body="<div><img src='a.png'></div>"), OTHER_SITE)
    assert article["paragraphs"] == []
    assert article["articleBody"] == ""
    assert article["extractor"] == "none"


# --- the outlet parser ------------------------------------------------------------------------

WAPO_2024 = page(
    head=jsonld({"@type": "NewsArticle", "headline": "JSON-LD headline", "datePublished": "2024-05-01T22:25:50.000Z"})
    + "<title>Title - The Washington Post</title>",
    body=(
        "<article><h1 data-qa='headline'><span>Outlet headline</span></h1>"
        "<a data-qa='author-name' href='/people/a'>Jane Doe</a> and "
        "<a data-qa='author-name' href='/people/b'>John Roe</a>"
        "<div class='wpds article-body' data-qa='article-body'><p>First paragraph.</p></div>"
        "<div class='article-body' data-qa='article-body'><div data-qa='article-body-ad'><p>Advertisement</p></div></div>"
        "<div class='article-body' data-qa='article-body'><figure><img src='x.jpg'>"
        "<figcaption>A caption (Photographer/Agency)</figcaption></figure></div>"
        "<div class='article-body' data-qa='article-body'><p>Story continues below advertisement</p></div>"
        "<div class='article-body' data-qa='article-body'><p>Second <b>paragraph</b>.</p></div>"
        "</article>"
    ),
)


def test_outlet_parser_reads_body_and_overrides_metadata() -> None:
    article = extract_article(WAPO_2024, WAPO)
    assert article["extractor"] == "washpo"
    assert article["parser_failed"] is False
    assert article["paragraphs"] == ["First paragraph.", "Second paragraph."]
    assert article["headline"] == "Outlet headline"
    assert article["authors"] == ["Jane Doe", "John Roe"]
    assert article["datePublished"] == "2024-05-01T22:25:50+00:00"  # from JSON-LD: no outlet date here


def test_parser_failed_when_outlet_parser_finds_nothing_then_jsonld() -> None:
    data = {"@type": "NewsArticle", "headline": "Redesigned", "articleBody": "Body from JSON-LD."}
    article = extract_article(page(head=jsonld(data), body="<main><p>x</p></main>"), WAPO)
    assert article["parser_failed"] is True
    assert article["extractor"] == "jsonld"
    assert article["paragraphs"] == ["Body from JSON-LD."]


def test_parser_failed_when_outlet_parser_finds_nothing_then_readability() -> None:
    body = f"<section class='new-layout'>{paragraphs_html(LONG_PARAGRAPHS)}</section>"
    article = extract_article(page(body=body), WAPO)
    assert article["parser_failed"] is True
    assert article["extractor"] == "readability"
    assert article["paragraphs"][0] == LONG_PARAGRAPHS[0]


# --- broken, hostile and huge input -----------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n\t ",
        "\x00\x01\x02 binary \xff\xfe garbage \x00",
        "<?xml version='1.0' encoding='utf-8'?><html><body><p>Declared.</p></body></html>",
        "<<<>>><p<p>></html></body>",
        "plain text, no markup at all",
        "<html><body>" + "<div>" * 5000 + "deep" + "</div>" * 5000 + "</body></html>",
    ],
)
def test_bad_input_does_not_raise(html: str) -> None:
    for url in (OTHER_SITE, WAPO, "", "not a url", "http://[::1"):
        article = extract_article(html, url)
        assert tuple(article) == ARTICLE_FIELDS
        assert isinstance(article["paragraphs"], list)


def test_text_node_beyond_the_parser_limit_does_not_raise() -> None:
    html = "<html><body><p>" + "word " * 3_000_000 + "</p></body></html>"  # 15 MB in one node
    article = extract_article(html, OTHER_SITE)
    assert tuple(article) == ARTICLE_FIELDS


def test_a_crashing_outlet_parser_counts_as_failed(monkeypatch: pytest.MonkeyPatch) -> None:
    washpo = parser_for_name("washpo")

    def crash(doc: object) -> None:
        raise RuntimeError("bug in a parser")

    monkeypatch.setattr(washpo, "extract", crash)
    body = f"<div id='content'>{paragraphs_html(LONG_PARAGRAPHS)}</div>"
    article = extract_article(page(body=body), WAPO)
    assert article["parser_failed"] is True
    assert article["extractor"] == "readability"


def test_empty_input_gives_no_body() -> None:
    article = extract_article("", OTHER_SITE)
    assert article["extractor"] == "none"
    assert article["articleBody"] == "" and article["paragraphs"] == []
    assert article["headline"] is None and article["authors"] == []


def test_random_bytes_decode_and_extract_without_raising() -> None:
    generator = random.Random(20240501)
    for _ in range(20):
        body = bytes(generator.randrange(256) for _ in range(generator.randrange(1, 4000)))
        extract_article(decode_html(body), OTHER_SITE)
        extract_article(body, WAPO)  # type: ignore[arg-type]  # bytes are tolerated too


def test_huge_page_is_extracted_in_bounded_time() -> None:
    paragraphs = [f"Paragraph number {i} of a very long article about budgets." for i in range(20000)]
    html = page(body=f"<div class='article-body'>{paragraphs_html(paragraphs)}</div>")
    assert len(html) > 1_000_000
    started = time.perf_counter()
    article = extract_article(html, WAPO)
    assert time.perf_counter() - started < 30
    assert len(article["paragraphs"]) == 20000


HOSTILE = (
    "<p>Hello <script>alert(1)</script><img src=x onerror=\"alert(2)\"> world"
    "<style>p { color: red }</style><iframe src='javascript:alert(3)'>frame text</iframe></p>"
    "<p><svg onload=alert(4)><text>svg text</text></svg>Second &lt;b&gt;escaped&lt;/b&gt;</p>"
)


@pytest.mark.parametrize(
    ("html", "url"),
    [
        (page(body=f"<div class='article-body'>{HOSTILE}</div>"), WAPO),  # outlet parser
        (page(body=f"<div id='content'>{HOSTILE}{paragraphs_html(LONG_PARAGRAPHS)}</div>"), OTHER_SITE),  # readability
        (page(head=jsonld({"@type": "NewsArticle", "articleBody": HOSTILE})), OTHER_SITE),  # HTML inside JSON-LD
    ],
)
def test_hostile_markup_never_reaches_paragraphs(html: str, url: str) -> None:
    article = extract_article(html, url)
    assert article["paragraphs"][:2] == ["Hello world", "Second <b>escaped</b>"]
    for paragraph in article["paragraphs"]:
        assert "alert" not in paragraph
        assert "color: red" not in paragraph and "svg text" not in paragraph
        assert not re.search(r"<(?:script|img|iframe|svg|style)", paragraph, re.IGNORECASE)


# --- decoding ---------------------------------------------------------------------------------


def test_decode_html_uses_meta_charset_for_latin1() -> None:
    body = '<html><head><meta charset="iso-8859-1"></head><body><p>Café, naïve, 10 €</p></body></html>'
    raw = body.replace("€", "EUR").encode("iso-8859-1")
    text = decode_html(raw)
    assert "Café, naïve" in text
    assert extract_article(text, OTHER_SITE)["paragraphs"] == ["Café, naïve, 10 EUR"]


def test_decode_html_header_wins_and_undeclared_pages_are_detected() -> None:
    raw = "<p>Grüße aus Köln</p>".encode("iso-8859-1")
    assert "Grüße aus Köln" in decode_html(raw, "text/html; charset=ISO-8859-1")
    assert "Grüße aus Köln" in decode_html("<p>Grüße aus Köln</p>".encode("utf-8"))
    assert "Grüße" in decode_html(b"\xef\xbb\xbf" + "<p>Grüße</p>".encode("utf-8"))  # BOM
    assert decode_html(b"") == ""


def test_decode_html_gbk() -> None:
    raw = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>香港政治</p>'.encode("gbk")
    assert "香港政治" in decode_html(raw)


# --- helpers other outlets use ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-10-29T10:15-500", "2018-10-29T10:15:00-05:00"),
        ("2019-11-01T22:25:50.000Z", "2019-11-01T22:25:50+00:00"),
        ("2019-11-07T21:23:28.822Z", "2019-11-07T21:23:28.822+00:00"),
        ("2014-01-18T05:43:00-0500", "2014-01-18T05:43:00-05:00"),
        ("2014-01-18 05:43:00", "2014-01-18T05:43:00"),  # naive stays naive
        ("2014-01-18", "2014-01-18"),
        ("1390085017000", "2014-01-18T22:43:37+00:00"),
        (1390085017, "2014-01-18T22:43:37+00:00"),
        ("Sun, 19 Jan 2014 17:13:55 GMT", "2014-01-19T17:13:55+00:00"),
        ("January 18, 2014", "2014-01-18"),
        ("March 18 at 3:57 PM", None),
        ("", None),
        (None, None),
        ("2014-02-30", None),
    ],
)
def test_parse_date(value: object, expected: str | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Erin Cunningham", ["Erin Cunningham"]),
        ("By Griff Witte and Karla Adam,", ["Griff Witte", "Karla Adam"]),
        ("by A. Smith, B. Jones & C. Brown", ["A. Smith", "B. Jones", "C. Brown"]),
        ("Martin Luther King, Jr. and Jane Doe.", ["Martin Luther King, Jr.", "Jane Doe"]),
        ("John Q. Public", ["John Q. Public"]),
        ("https://www.facebook.com/griff.witte", []),
        ("", []),
    ],
)
def test_split_authors(byline: str, names: list[str]) -> None:
    assert split_authors(byline) == names


def test_text_blocks_splits_at_blocks_and_double_br() -> None:
    element = lxml.html.fragment_fromstring(
        "<div>Loose text<br>same paragraph<br><br>next<!-- note -->tail<p>P <i>inline</i></p>after</div>"
    )
    assert text_blocks(element) == ["Loose text same paragraph", "nexttail", "P inline", "after"]
    assert text_blocks(element, br_break=1) == ["Loose text", "same paragraph", "nexttail", "P inline", "after"]


# --- registry ---------------------------------------------------------------------------------


def test_parser_for_url_matches_host_and_subdomains_only() -> None:
    washpo = parser_for_name("washpo")
    assert washpo is not None
    assert parser_for_url("https://www.washingtonpost.com/a") is washpo
    assert parser_for_url("http://WashingtonPost.com./a") is washpo
    assert parser_for_url("https://live.blogs.washingtonpost.com/a") is washpo
    assert parser_for_url("https://notwashingtonpost.com/a") is None
    assert parser_for_url("https://washingtonpost.com.evil.example/a") is None
    assert parser_for_url("") is None
    assert parser_for_name("nope") is None


def test_every_outlet_module_registers_a_parser() -> None:
    registered = registered_parsers()
    modules = [info.name for info in pkgutil.iter_modules(parsers.__path__)]
    assert len(registered) >= len(modules)
    for name, parser in registered.items():
        assert parser.name == name and parser.hosts and parser.body_xpaths
        declarations = (
            *parser.body_xpaths, parser.paragraph_xpath, *parser.drop_xpaths, *parser.headline_xpaths,
            *parser.author_xpaths, *parser.published_xpaths, *parser.modified_xpaths,
        )
        for xpath in declarations:  # a typo must fail here, not turn into parser_failed in a crawl
            compiled_xpath(xpath)


def test_register_refuses_a_second_parser_for_a_taken_name_or_host() -> None:
    parser_for_name("washpo")  # load the registry

    class Impostor(OutletParser):
        name = "washpo"
        hosts = ("impostor.example",)

    class HostThief(OutletParser):
        name = "host-thief"
        hosts = ("washingtonpost.com",)

    with pytest.raises(ValueError):
        register(Impostor)
    with pytest.raises(ValueError):
        register(HostThief)
    assert parser_for_url("https://impostor.example/") is None


# --- text metrics -----------------------------------------------------------------------------


def test_shingle_scores() -> None:
    text = "one two three four five six"
    assert shingle_scores(text, text).f1 == 1.0
    assert shingle_scores("", "").f1 == 1.0
    assert shingle_scores(text, "").f1 == 0.0
    partial = shingle_scores("one two three four", text)
    assert partial.precision == 1.0 and partial.recall == pytest.approx(1 / 3)
    # case, punctuation and white space do not count
    assert shingle_scores("One, two; THREE four!", "one two three four").f1 == 1.0


def test_snippet_recall_counts_repeated_snippets_once() -> None:
    snippet = "alpha beta gamma delta epsilon"
    assert snippet_recall(f"x {snippet} y", [snippet, snippet]) == 1.0
    assert snippet_recall("nothing here at all", [snippet]) == 0.0
