"""End to end, on both stores: what makes a version besides the body (standfirst, byline), what
never does (dates alone), A/B alternation and stale copies, and stores hashed by the old scheme.

Real ``scrapy crawl washpo -a url=...`` runs against a local page built for the purpose: the
Washington Post 2024 layout with a dek (``<p class="article-dek">``) under the headline.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.crawling import PROJECT_ROOT, crawl_stats, run_crawl
from tests.site import FixtureSite
from tests.site.outlets import washpo
from tracker.extraction import extract_article
from tracker.normalize import article_id, content_hash, raw_hash
from tracker.store import open_store

URL = "https://www.washingtonpost.com/politics/2024/01/05/senate-vote-budget/"
AID = article_id(URL)
HEADLINE = "Senate approves stopgap budget"
DEK = "The measure keeps the government open for six more weeks."
PARAGRAPHS = [
    "The Senate voted late Thursday to approve a stopgap budget that keeps the government open.",
    "The measure passed 77 to 19, and police said five people were detained outside the Capitol.",
    "Lawmakers now have six weeks to negotiate a full-year spending agreement before the deadline.",
]
# Fields a version gains with this change; a store written before it has none of them.
NEW_VERSION_FIELDS = ("standfirst", "byline", "reverts_to", "hash_scheme")


def page(
    *,
    headline: str = HEADLINE,
    dek: str = DEK,
    paragraphs: list[str] = PARAGRAPHS,
    authors: tuple[str, ...] = ("Jane Reporter",),
    modified: str = "2024-01-05T12:00:00.000Z",
) -> str:
    html = washpo.article_page(url=URL, headline=headline, paragraphs=paragraphs, authors=authors, modified=modified)
    # The dek sits between the headline and the byline, as the outlet shows it.
    return html.replace("</h1>", f'</h1>\n<p class="article-dek">{dek}</p>', 1)


@pytest.fixture(params=["sqlite", "mongo"])
def store_uri(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/tracker.sqlite3"
    return str(request.getfixturevalue("mongo_db_uri"))


@pytest.fixture
def site() -> Iterator[FixtureSite]:
    with FixtureSite() as fixture_site:
        fixture_site.set_page("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        yield fixture_site


def crawl(site: FixtureSite, store_uri: str, html: str) -> str:
    """Serve ``html`` as the article and check it with a real crawl; the check's outcome."""
    site.set_page(urlsplit(URL).path, html)
    result = run_crawl(
        "washpo", host_map={host: site.base_url for host in washpo.HOSTS}, store_uri=store_uri,
        args=["-a", f"url={URL}"],
    )
    with open_store(store_uri) as store:
        latest = store.list_checks(AID, limit=1)
    assert latest, crawl_stats(result)
    return str(latest[0]["outcome"])


def versions(store_uri: str) -> list[dict[str, Any]]:
    with open_store(store_uri) as store:
        return [store.get_version(AID, listed["version"]) or {} for listed in store.list_versions(AID)]


def checks(store_uri: str) -> list[tuple[str, int | None]]:
    """(outcome, matched_version) of every check, oldest first."""
    with open_store(store_uri) as store:
        return [(c["outcome"], c["matched_version"]) for c in reversed(store.list_checks(AID))]


def test_standfirst_and_byline_edits_are_versions_dates_alone_are_not(site: FixtureSite, store_uri: str) -> None:
    assert crawl(site, store_uri, page()) == "new"
    first = versions(store_uri)[0]
    assert (first["standfirst"], first["byline"], first["hash_scheme"]) == (DEK, "Jane Reporter", 2)

    assert crawl(site, store_uri, page(modified="2024-01-06T08:30:00.000Z")) == "unchanged"
    new_dek = "The measure keeps the government open for eight more weeks."
    assert crawl(site, store_uri, page(dek=new_dek, modified="2024-01-06T08:30:00.000Z")) == "changed"
    assert crawl(site, store_uri, page(dek=new_dek, authors=("Jane Reporter", "John Writer"))) == "changed"

    stored = versions(store_uri)
    assert [v["version"] for v in stored] == [1, 2, 3]
    dek_edit, byline_edit = stored[1]["diff"], stored[2]["diff"]
    assert set(dek_edit["fields"]) == {"standfirst"}
    assert dek_edit["fields"]["standfirst"]["old"] == DEK
    assert ["-", "six"] in dek_edit["fields"]["standfirst"]["words"]
    assert dek_edit["stats"]["paragraphs_changed"] == 0 and "headline" not in dek_edit
    assert set(byline_edit["fields"]) == {"byline"}
    assert byline_edit["fields"]["byline"]["new"] == "Jane Reporter and John Writer"
    assert stored[2]["authors"] == ["Jane Reporter", "John Writer"]
    # The dek is its own field, never a body paragraph.
    assert all(DEK not in paragraph for paragraph in stored[0]["paragraphs"])
    # ... and the tracker command shows which field changed.
    shown = subprocess.run(
        [sys.executable, "-m", "tracker", "diff", URL, "1", "2", "--store", store_uri],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60, check=False,
    )
    assert shown.returncode == 0, shown.stderr
    assert f"standfirst: {DEK}\n" in shown.stdout and "headline:" not in shown.stdout


def test_headline_ab_alternation_is_not_a_version_per_crawl(site: FixtureSite, store_uri: str) -> None:
    a, b = page(headline=HEADLINE), page(headline="Senate passes budget to avert shutdown")
    outcomes = [crawl(site, store_uri, html) for html in (a, b, a, b, a)]
    assert outcomes == ["new", "changed", "changed", "flipflop", "flipflop"]
    stored = versions(store_uri)
    assert [(v["version"], v["headline"], v["reverts_to"]) for v in stored] == [
        (1, HEADLINE, None), (2, "Senate passes budget to avert shutdown", None), (3, HEADLINE, 1)]
    assert stored[2]["diff"]["fields"]["headline"]["old"] == "Senate passes budget to avert shutdown"
    assert checks(store_uri)[-2:] == [("flipflop", 2), ("flipflop", 1)]


def test_a_stale_copy_is_recorded_once_then_the_page_settles(site: FixtureSite, store_uri: str) -> None:
    edited = [PARAGRAPHS[0], PARAGRAPHS[1].replace("five", "six"), PARAGRAPHS[2]]
    outcomes = [crawl(site, store_uri, html) for html in
                (page(), page(paragraphs=edited), page(), page(paragraphs=edited), page(paragraphs=edited))]
    # The stale copy is one version saying which it equals; back to the edit: one flip-flop
    # check, and a version again once the edit is seen twice in a row (a 304 cannot hide it).
    assert outcomes == ["new", "changed", "changed", "flipflop", "changed"]
    assert [v["reverts_to"] for v in versions(store_uri)] == [None, None, 1, 2]
    assert crawl(site, store_uri, page(paragraphs=edited)) in ("unchanged", "not_modified")
    assert len(versions(store_uri)) == 4


def write_old_store(store_uri: str) -> None:
    """Version 1 of the article as a release before the standfirst and byline were tracked
    stored it: hashed over headline and body only, without the new fields at all."""
    extracted = extract_article(page(), URL)
    at = "2024-01-05T10:00:00+00:00"
    version = {
        "fetched_at": at, "url": URL, "outlet": "washpo", "headline": extracted["headline"],
        "content_hash": content_hash(extracted["headline"], extracted["paragraphs"]),
        "raw_hash": raw_hash(extracted["headline"], extracted["paragraphs"]),
        "authors": extracted["authors"], "paragraphs": extracted["paragraphs"], "word_count": 45,
        "extractor": "washpo",
    }
    article = {"article_id": AID, "url": URL, "outlet": "washpo", "headline": version["headline"],
               "latest_hash": version["content_hash"], "latest_raw_hash": version["raw_hash"],
               "last_checked_at": at, "last_changed_at": at}
    with open_store(store_uri) as store:
        store.save_version(article, version, {"at": at, "outcome": "new", "status": 200}, expected_count=0)
    if store_uri.startswith("sqlite:"):
        path = store_uri[len("sqlite:///"):]
        with sqlite3.connect(path) as db:  # the old release's tables: no new columns
            for name in NEW_VERSION_FIELDS:
                db.execute(f'ALTER TABLE versions DROP COLUMN "{name}"')
            db.execute('ALTER TABLE articles DROP COLUMN "latest_hash_scheme"')
            db.execute('ALTER TABLE checks DROP COLUMN "matched_version"')
    else:
        import pymongo

        with pymongo.MongoClient(store_uri) as client:
            db = client.get_default_database()
            db.versions.update_many({}, {"$unset": {name: "" for name in NEW_VERSION_FIELDS}})
            db.articles.update_many({}, {"$unset": {"latest_hash_scheme": ""}})


def test_a_store_hashed_by_the_old_scheme_does_not_look_changed(site: FixtureSite, store_uri: str) -> None:
    write_old_store(store_uri)
    assert crawl(site, store_uri, page()) == "unchanged"
    with open_store(store_uri) as store:
        article = store.get_article(AID)
        old = store.get_version(AID, 1)
    assert article is not None and old is not None
    assert (article["version_count"], article["latest_hash_scheme"]) == (1, 2)
    assert (old["hash_scheme"], old["standfirst"]) == (None, None)  # still reads, as stored
    # From now on the standfirst counts.
    assert crawl(site, store_uri, page(modified="2024-01-07T00:00:00.000Z")) == "unchanged"
    assert crawl(site, store_uri, page(dek="The measure keeps the government open until March.")) == "changed"
    second = versions(store_uri)[1]
    assert second["hash_scheme"] == 2
    assert set(second["diff"]["fields"]) == {"standfirst"}
    assert second["diff"]["fields"]["standfirst"]["old"] is None  # version 1 did not record one
