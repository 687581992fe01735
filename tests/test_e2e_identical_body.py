"""End to end: a re-check that gets the very bytes of the last check (a site without
validators) is ``unchanged`` without extracting the page, and stored as if it had been."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.crawling import crawl_stats
from tests.site import FixtureSite
from tests.test_e2e_washpo import PARAGRAPHS_A, STORY_A, WAPO, crawl, outcomes, story
from tracker.normalize import article_id
from tracker.store import open_store

PATH_A = STORY_A.removeprefix(WAPO)
# What an extracted check of the same page stores too.
SAME_AS_EXTRACTED = ("content_hash", "extractor", "disagreement", "matched_version", "status", "url")


@pytest.fixture
def site() -> Iterator[FixtureSite]:
    with FixtureSite() as fixture_site:
        fixture_site.set_page("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        yield fixture_site


def crawl_a(site: FixtureSite, store_uri: str) -> str:
    """Crawl story A; the crawl's stats."""
    return crawl_stats(crawl(site, store_uri, "-a", f"url={STORY_A}"))


def test_identical_200_is_unchanged_without_extraction(site: FixtureSite, tmp_path: Path) -> None:
    identical_200_is_unchanged_without_extraction(site, f"sqlite:///{tmp_path}/tracker.sqlite3")


def test_identical_200_is_unchanged_without_extraction_on_mongodb(site: FixtureSite, mongo_db_uri: str) -> None:
    identical_200_is_unchanged_without_extraction(site, mongo_db_uri)


def identical_200_is_unchanged_without_extraction(site: FixtureSite, store_uri: str) -> None:
    site.set_page(PATH_A, story(STORY_A, PARAGRAPHS_A), validators=False)
    assert "tracker/extraction/skipped" not in crawl_a(site, store_uri)

    assert "'tracker/extraction/skipped': 1," in crawl_a(site, store_uri)
    with open_store(store_uri) as store:
        assert outcomes(store, STORY_A) == ["new", "unchanged"]
        recheck, first = store.list_checks(article_id(STORY_A))
        assert {name: recheck[name] for name in SAME_AS_EXTRACTED} == {name: first[name] for name in SAME_AS_EXTRACTED}
        assert recheck["extractor"] == "washpo" and recheck["content_hash"]
        assert len(store.list_versions(article_id(STORY_A))) == 1

    # Other bytes are extracted again: an edit is a version, never hidden by the shortcut.
    edited = [PARAGRAPHS_A[0], PARAGRAPHS_A[1].replace("five people", "six people"), *PARAGRAPHS_A[2:]]
    site.set_page(PATH_A, story(STORY_A, edited), validators=False)
    assert "tracker/extraction/skipped" not in crawl_a(site, store_uri)
    with open_store(store_uri) as store:
        assert outcomes(store, STORY_A) == ["new", "unchanged", "changed"]
        assert [v["version"] for v in store.list_versions(article_id(STORY_A))] == [1, 2]
