"""End to end: hostile pages through the real ``scrapy crawl``, into SQLite and FerretDB, then
through the web view and ``tracker export``.

Every page gets a check; none crashes the crawl, makes a bogus version or loses its version;
what is stored is valid Unicode without NUL characters (lone surrogates, NUL and undecodable
bytes become U+FFFD, NUL in extracted text a space); the web view answers without a 500 and
the export writes every table.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.crawling import PROJECT_ROOT, run_crawl
from tests.site import FixtureSite
from tests.site.outlets import washpo
from tracker.normalize import article_id
from tracker.store import Store, open_store
from tracker.web import create_app

WAPO = "https://www.washingtonpost.com"
SENTENCE = "The council approved the budget on Tuesday after a long debate about costs and more."
OTHER = "Officials said five people were detained outside the building during the protest."
ALWAYS_DUE = {"TRACKER_SCHEDULE_TIERS": "40d:0s"}


def generic_page(body: str = "", jsonld: str = "") -> bytes:
    """An article page no outlet parser knows: JSON-LD (raw JSON text) and meta, or markup."""
    script = f'<script type="application/ld+json">{jsonld}</script>' if jsonld else ""
    return (
        '<html><head><title>Page title</title><meta property="og:type" content="article">'
        f"{script}</head><body><article>{body}</article></body></html>"
    ).encode()


def surrogate_jsonld() -> bytes:
    # Escapes of lone surrogates: json.loads returns them as they are.
    body = rf"{SENTENCE} \ud800 first.\n\n{OTHER} \udfff end."
    return generic_page(
        "<p>x</p>",
        r'{"@type":"NewsArticle","headline":"Bad \ud800 headline",'
        r'"author":{"@type":"Person","name":"Jane \udc00 Doe"},"description":"Teaser \ud83d.",'
        f'"articleBody":"{body}"}}',
    )


def wapo_page(url: str, paragraphs: list[str], headline: str = "Senate approves budget") -> str:
    return washpo.article_page(url=url, headline=headline, paragraphs=paragraphs, raw_paragraphs=True)


def surrogate_charref(word: str) -> bytes:
    paragraphs = [f"{SENTENCE} &#xD800; {word} &#55296; end.", OTHER]
    return wapo_page(url_of("surrogate-charref"), paragraphs).encode()


@dataclass(frozen=True)
class Case:
    body: bytes
    content_type: str = "text/html; charset=utf-8"


def url_of(name: str) -> str:
    return f"{WAPO}/politics/2024/01/05/{name}/"


FIVE_MB_WORD = "x" * (5 * 1024 * 1024)
CASES: dict[str, Case] = {
    "surrogate-jsonld": Case(surrogate_jsonld()),
    "surrogate-charref": Case(surrogate_charref("and")),
    "nul-in-text": Case(
        wapo_page(url_of("nul-in-text"), [f"{SENTENCE} raw \x00 NUL and &#0; reference end.", OTHER]).encode()
    ),
    "nul-in-jsonld": Case(
        generic_page("<p>x</p>", rf'{{"@type":"NewsArticle","headline":"NUL \u0000 headline",'
                                 rf'"articleBody":"{SENTENCE} \u0000 end.\n\n{OTHER}"}}')
    ),
    "invalid-utf8": Case(
        wapo_page(url_of("invalid-utf8"), [f"{SENTENCE} BAD end.", OTHER]).encode().replace(b"BAD", b"\xff\xfe\xc3\x28")
    ),
    "invalid-shift-jis": Case(
        wapo_page(url_of("invalid-shift-jis"), [f"{SENTENCE} BAD end.", OTHER]).encode().replace(b"BAD", b"\x81\x39\x80"),
        "text/html; charset=shift_jis",
    ),
    "pdf-as-html": Case(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nstream\n" + bytes(range(256)) * 400),
    "png-as-html": Case(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 400),
    "one-5-mb-paragraph": Case(wapo_page(url_of("one-5-mb-paragraph"), [SENTENCE, FIVE_MB_WORD]).encode()),
    "nested-100k-divs": Case(
        generic_page("<div>" * 100_000 + f"<p>{SENTENCE}</p><p>{OTHER}</p>" + "</div>" * 100_000)
    ),
    "page-of-50-mb": Case(generic_page(f"<p>{SENTENCE}</p><p>") + b"word " * (10 * 1024 * 1024) + b"</p>"),
}
LOOP = (url_of("loop-a"), url_of("loop-b"))
REPLACEMENT = "\ufffd"


def serve(site: FixtureSite, cases: dict[str, Case]) -> list[str]:
    site.set_page("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    for name, case in cases.items():
        site.set_page(f"/politics/2024/01/05/{name}/", case.body, content_type=case.content_type)
    site.redirect("/politics/2024/01/05/loop-a/", LOOP[1])
    site.redirect("/politics/2024/01/05/loop-b/", LOOP[0])
    return [*(url_of(name) for name in cases), LOOP[0]]


def crawl(site: FixtureSite, store_uri: str, urls: list[str]) -> subprocess.CompletedProcess[str]:
    host_map = {host: site.base_url for host in washpo.HOSTS}
    return run_crawl(
        "washpo", host_map=host_map, store_uri=store_uri, args=["-a", "url=" + ",".join(urls)], settings=ALWAYS_DUE
    )


@dataclass
class Crawled:
    store_uri: str
    logs: list[str]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    """Every hostile page crawled into SQLite; then one of them edited and crawled again."""
    store_uri = f"sqlite:///{tmp_path_factory.mktemp('hostile')}/tracker.sqlite3"
    with FixtureSite() as site:
        urls = serve(site, CASES)
        first = crawl(site, store_uri, urls)
        site.set_page("/politics/2024/01/05/surrogate-charref/", surrogate_charref("or"))
        second = crawl(site, store_uri, [url_of("surrogate-charref")])
    yield Crawled(store_uri, [first.stderr, second.stderr])


@pytest.fixture
def store(crawled: Crawled) -> Iterator[Store]:
    opened = open_store(crawled.store_uri)
    yield opened
    opened.close()


def versions(store: Store, url: str) -> list[dict[str, Any]]:
    aid = article_id(url)
    found = [store.get_version(aid, listed["version"]) for listed in store.list_versions(aid)]
    return [version for version in found if version is not None]


def outcomes(store: Store, url: str) -> list[str]:
    return [check["outcome"] for check in store.list_checks(article_id(url))]


def texts(version: dict[str, Any]) -> list[str]:
    return [version["headline"] or "", *version["paragraphs"], *version["authors"], version.get("byline") or ""]


# --- the crawl ----------------------------------------------------------------------------------


def test_no_page_crashes_the_crawl(crawled: Crawled) -> None:
    for log in crawled.logs:
        assert "Traceback" not in log and "spider_exceptions" not in log, log[-3000:]


def test_every_hostile_page_gets_a_check(store: Store) -> None:
    for name in CASES:
        assert outcomes(store, url_of(name)), name


def test_a_lone_surrogate_in_json_ld_is_stored_as_the_replacement_character(store: Store) -> None:
    (version,) = versions(store, url_of("surrogate-jsonld"))
    assert version["headline"] == f"Bad {REPLACEMENT} headline"
    assert version["authors"] == [f"Jane {REPLACEMENT} Doe"] and version["byline"] == f"Jane {REPLACEMENT} Doe"
    assert version["paragraphs"] == [f"{SENTENCE} {REPLACEMENT} first.", f"{OTHER} {REPLACEMENT} end."]
    assert version["description"] == f"Teaser {REPLACEMENT}."


def test_a_surrogate_character_reference_is_the_replacement_character(store: Store) -> None:
    first, second = versions(store, url_of("surrogate-charref"))
    assert first["paragraphs"][0] == f"{SENTENCE} {REPLACEMENT} and {REPLACEMENT} end."
    # An edit next to one is a version of its own, with its diff.
    assert second["paragraphs"][0] == f"{SENTENCE} {REPLACEMENT} or {REPLACEMENT} end."
    assert second["diff"] and outcomes(store, url_of("surrogate-charref")) == ["changed", "new"]


@pytest.mark.parametrize("name", ["nul-in-text", "nul-in-jsonld"])
def test_nul_characters_never_reach_the_store(store: Store, name: str) -> None:
    (version,) = versions(store, url_of(name))
    assert not any("\x00" in text for text in texts(version))
    assert version["paragraphs"][0].startswith(SENTENCE) and version["paragraphs"][0].endswith("end.")
    assert version["paragraphs"][1] == OTHER


def test_nul_in_json_ld_is_white_space(store: Store) -> None:
    (version,) = versions(store, url_of("nul-in-jsonld"))
    assert version["headline"] == "NUL headline"
    assert version["paragraphs"][0] == f"{SENTENCE} end."


@pytest.mark.parametrize("name", ["invalid-utf8", "invalid-shift-jis"])
def test_undecodable_bytes_become_replacement_characters(store: Store, name: str) -> None:
    (version,) = versions(store, url_of(name))
    assert version["paragraphs"][0].startswith(SENTENCE) and version["paragraphs"][0].endswith(" end.")
    assert REPLACEMENT in version["paragraphs"][0] and version["paragraphs"][1] == OTHER


@pytest.mark.parametrize("name", ["pdf-as-html", "png-as-html"])
def test_binary_served_as_html_is_an_empty_check(store: Store, name: str) -> None:
    assert outcomes(store, url_of(name)) == ["empty"]
    assert versions(store, url_of(name)) == []


def test_one_5_mb_paragraph_is_stored_bounded(store: Store, crawled: Crawled) -> None:
    assert f"tracker: text of {url_of('one-5-mb-paragraph')} cut to TRACKER_MAX_PARAGRAPHS" in crawled.logs[0]
    (version,) = versions(store, url_of("one-5-mb-paragraph"))
    assert version["paragraphs"][0] == SENTENCE
    assert FIVE_MB_WORD.startswith(version["paragraphs"][1])
    assert 500_000 < sum(map(len, version["paragraphs"])) <= 1_000_000  # TRACKER_MAX_BODY_CHARS


def test_100k_nested_divs_are_an_extraction_failure_not_a_version(store: Store, crawled: Crawled) -> None:
    # lxml stops building the tree at depth 256: the text inside is out of reach.
    assert outcomes(store, url_of("nested-100k-divs")) == ["extraction_failed"]
    assert versions(store, url_of("nested-100k-divs")) == []
    assert f"no body on {url_of('nested-100k-divs')}" in crawled.logs[0]


def test_a_page_of_50_mb_is_refused_with_one_line_and_a_check(store: Store, crawled: Crawled) -> None:
    (check,) = store.list_checks(article_id(url_of("page-of-50-mb")))
    assert check["outcome"] == "error" and "larger than" in check["error"]
    assert f"tracker: {url_of('page-of-50-mb')} failed: larger than DOWNLOAD_MAXSIZE" in crawled.logs[0]


def test_a_redirect_loop_is_a_failed_check_not_a_lost_page(store: Store, crawled: Crawled) -> None:
    (check,) = store.list_checks(article_id(LOOP[0]))
    assert check["outcome"] == "error" and f"redirect loop: {LOOP[0]} -> {LOOP[1]} -> {LOOP[0]}" in check["error"]
    assert f"failed: redirect loop: {LOOP[0]} -> {LOOP[1]} -> {LOOP[0]}" in crawled.logs[0]
    assert "redirect loop 1" in crawled.logs[0]  # in the summary's failures


# --- readers of the archive -----------------------------------------------------------------------


def test_the_web_view_shows_every_hostile_article(store: Store) -> None:
    client = create_app(store).test_client()
    paths = ["/", "/outlet/washpo", "/search?q=council", "/search?q=%ED%A0%80", "/feed.atom", "/feed.rss", "/api/articles"]
    for name in CASES:
        aid = article_id(url_of(name))
        paths += [f"/article/{aid}", f"/api/articles/{aid}", f"/article/{aid}/feed.atom"]
        paths += [f"/api/articles/{aid}/versions/1"] if versions(store, url_of(name)) else []
    aid = article_id(url_of("surrogate-charref"))
    paths += [f"/article/{aid}/compare/1/2", f"/api/articles/{aid}/diff/1/2"]
    for path in paths:
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.status_code)
        assert "\x00" not in answer.get_data(as_text=True), path
    page = client.get(f"/article/{article_id(url_of('surrogate-jsonld'))}").get_data(as_text=True)
    assert f"Bad {REPLACEMENT} headline" in page
    for path in ["/article?url=" + url_of("a%00b"), "/search?q=%00", "/outlet/%00", "/api/articles?outlet=a%00"]:
        answer = client.get(path)  # nothing stored has a NUL, and nothing echoes one
        assert answer.status_code == 400 and b"\x00" not in answer.data and b"NUL" in answer.data, path


@pytest.mark.parametrize("file_format", ["jsonl", "parquet", "csv"])
def test_the_export_writes_every_table(crawled: Crawled, tmp_path: Path, file_format: str) -> None:
    out = tmp_path / "export"
    result = subprocess.run(
        [sys.executable, "-m", "tracker", "export", "--store", crawled.store_uri, "--out", str(out), "--format", file_format],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    with open_store(crawled.store_uri) as store:
        assert manifest["tables"]["versions"]["rows"] == sum(len(versions(store, url_of(name))) for name in CASES)
    if file_format == "jsonl":
        rows = [json.loads(line) for line in (out / "versions.jsonl").read_text(encoding="utf-8").splitlines()]
        headlines = {row["headline"] for row in rows}
        assert f"Bad {REPLACEMENT} headline" in headlines and "NUL headline" in headlines


# --- the command line ---------------------------------------------------------------------------


def test_an_article_url_over_the_length_limit_is_a_usage_error(tmp_path: Path) -> None:
    long_url = url_of("a" * 8300)
    with FixtureSite() as site:
        result = run_crawl(
            "washpo", host_map={"www.washingtonpost.com": site.base_url},
            store_uri=f"sqlite:///{tmp_path}/tracker.sqlite3", args=["-a", f"url={long_url}"], exit_status=2,
        )
        assert site.requests == []
    line = result.stderr.strip().splitlines()[-1]
    assert "Traceback" not in result.stderr
    assert line.startswith("tracker: cannot crawl, ") and "over URLLENGTH_LIMIT (2083)" in line
    assert "-s URLLENGTH_LIMIT=" in line and len(line) < 300


def test_an_article_url_over_8_kb_is_tracked_when_the_limit_allows(tmp_path: Path) -> None:
    long_url = url_of("a" * 8300)
    store_uri = f"sqlite:///{tmp_path}/tracker.sqlite3"
    with FixtureSite() as site:
        site.set_page("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        site.set_page(long_url.removeprefix(WAPO), wapo_page(long_url, [SENTENCE, OTHER]))
        run_crawl(
            "washpo", host_map={"www.washingtonpost.com": site.base_url}, store_uri=store_uri,
            args=["-a", f"url={long_url}"], settings={"URLLENGTH_LIMIT": "10000"},
        )
    with open_store(store_uri) as store:
        assert [version["paragraphs"] for version in versions(store, long_url)] == [[SENTENCE, OTHER]]


def test_a_nul_in_an_article_url_is_a_usage_error(tmp_path: Path) -> None:
    result = run_crawl(
        "washpo", host_map={}, store_uri=f"sqlite:///{tmp_path}/tracker.sqlite3",
        args=["-a", f"url={url_of('a%00b')}"], exit_status=2,
    )
    line = result.stderr.strip().splitlines()[-1]
    assert "Traceback" not in result.stderr
    assert line.startswith("tracker: cannot crawl, ") and "is not an article URL of washpo" in line


# --- FerretDB -----------------------------------------------------------------------------------


def test_ferretdb_stores_surrogates_and_nul_replaced(mongo_db_uri: str) -> None:
    names = ["surrogate-jsonld", "surrogate-charref", "nul-in-text", "nul-in-jsonld", "invalid-utf8"]
    with FixtureSite() as site:
        serve(site, {name: CASES[name] for name in names})
        result = crawl(site, mongo_db_uri, [url_of(name) for name in names])
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    store = open_store(mongo_db_uri)
    try:
        for name in names:
            assert outcomes(store, url_of(name)) == ["new"], name
            (version,) = versions(store, url_of(name))
            assert not any("\x00" in text for text in texts(version)), name
        (surrogate,) = versions(store, url_of("surrogate-jsonld"))
        assert surrogate["headline"] == f"Bad {REPLACEMENT} headline"
        assert surrogate["paragraphs"] == [f"{SENTENCE} {REPLACEMENT} first.", f"{OTHER} {REPLACEMENT} end."]
    finally:
        store.close()


@pytest.mark.parametrize("command", [["history"], ["diff"], ["export", "--out", "OUT", "--article"]])
def test_a_url_argument_that_is_not_utf8_is_an_unknown_article(crawled: Crawled, tmp_path: Path, command: list[str]) -> None:
    # Python decodes such an argument with surrogateescape: a lone surrogate in the URL.
    url = url_of("a").encode() + b"\xff/"
    arguments = [str(tmp_path / "out") if part == "OUT" else part for part in command]
    arguments += [url, *(["1", "2"] if command == ["diff"] else [])]
    result = subprocess.run(
        [sys.executable, "-m", "tracker", *arguments, "--store", crawled.store_uri],
        cwd=PROJECT_ROOT, capture_output=True, timeout=120, check=False,
    )
    assert b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")
    if command[0] == "export":
        assert result.returncode == 0 and b"exported 0 articles" in result.stdout
    else:
        assert result.returncode == 1 and result.stderr.startswith(b"tracker: no article stored for ")
        assert len(result.stderr.strip().splitlines()) == 1


def test_an_article_redirected_to_another_requested_article_gets_its_check(tmp_path: Path) -> None:
    moved, target = url_of("moved-story"), url_of("moved-story-new-home")
    store_uri = f"sqlite:///{tmp_path}/tracker.sqlite3"
    with FixtureSite() as site:
        site.set_page("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        site.set_page(target.removeprefix(WAPO), wapo_page(target, [SENTENCE, OTHER]))
        site.redirect(moved.removeprefix(WAPO), target)
        # Scrapy's duplicate filter saw the target's own request first and dropped the redirect.
        run_crawl("washpo", host_map={"www.washingtonpost.com": site.base_url}, store_uri=store_uri,
                  args=["-a", f"url={target},{moved}"])
        assert len(site.requests_for(target.removeprefix(WAPO))) == 2  # its own, and the redirect's
    with open_store(store_uri) as store:
        [redirected] = store.list_checks(article_id(moved))
        [own] = store.list_checks(article_id(target))
    assert redirected["status"] == 200 and redirected["url"] == target and redirected["outcome"] == "new"
    assert own["status"] == 200 and own["outcome"] == "new"
