"""End to end: furniture put into pages between real crawls makes no version (SQLite and
MongoDB), and an outlet parser that reads the wrong part of a redesigned page is caught by
parser health (recorded on the check, counted in the stats, flagged by ``tracker status``)."""

from __future__ import annotations

import json
import subprocess
import sys
from html import escape
from pathlib import Path
from typing import Any

import pytest

from tests.crawling import PROJECT_ROOT, crawl_stats, run_crawl
from tests.site import FixtureSite
from tests.site.furniture import FURNITURE, insert_after_paragraph
from tests.site.outlets import washpo
from tracker.normalize import article_id
from tracker.store import Store, open_store

URLS = list(washpo.ARTICLE_URLS)
ALWAYS_DUE = {"TRACKER_SCHEDULE_TIERS": "40d:0s"}
KINDS = sorted(FURNITURE)


def paragraphs(number: int) -> list[str]:
    return [
        f"Story {number}: the council approved the budget on Tuesday after a long debate about costs.",
        f"Officials in story {number} said five people were detained outside the building during the protest.",
        f"The mayor of story {number} is expected to sign the measure later this week, her spokesman said.",
    ]


def page(number: int, furniture: str | None = None, seed: int = 0) -> str:
    html = washpo.article_page(url=URLS[number], headline=f"Story {number}", paragraphs=paragraphs(number))
    if furniture is None:
        return html
    edited = insert_after_paragraph(html, paragraphs(number)[1], FURNITURE[furniture](seed))
    assert edited is not None
    return edited


def crawl(site: FixtureSite, store_uri: str) -> subprocess.CompletedProcess[str]:
    host_map = {host: site.base_url for host in washpo.HOSTS}
    return run_crawl("washpo", host_map=host_map, store_uri=store_uri, args=["-a", f"url={','.join(URLS)}"], settings=ALWAYS_DUE)


@pytest.fixture(params=["sqlite", "mongodb"])
def store_uri(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/tracker.sqlite3"
    return request.getfixturevalue("mongo_db_uri")


def test_furniture_between_crawls_makes_no_version(store_uri: str) -> None:
    rounds = -(-len(KINDS) // len(URLS))  # every kind on some article, one kind per article per crawl
    with FixtureSite() as site:
        for number, url in enumerate(URLS):
            site.set_page(url.removeprefix("https://www.washingtonpost.com"), page(number))
        crawl(site, store_uri)
        for round_number in range(rounds):
            for number, url in enumerate(URLS):
                kind = KINDS[(round_number * len(URLS) + number) % len(KINDS)]
                site.set_page(url.removeprefix("https://www.washingtonpost.com"), page(number, kind, seed=round_number))
            crawl(site, store_uri)
        # The chain can record a version: a real edit after all that furniture is one.
        edited = paragraphs(0)
        edited[1] = edited[1].replace("five people", "six people")
        site.set_page(
            URLS[0].removeprefix("https://www.washingtonpost.com"),
            washpo.article_page(url=URLS[0], headline="Story 0", paragraphs=edited),
        )
        crawl(site, store_uri)
    with open_store(store_uri) as store:
        counts = [len(store.list_versions(article_id(url))) for url in URLS]
        outcomes = [[check["outcome"] for check in checks_in_order(store, url)] for url in URLS]
        latest = store.get_version(article_id(URLS[0]), 2)
    assert counts == [2, 1, 1], outcomes
    for number, article_outcomes in enumerate(outcomes):
        assert article_outcomes[0] == "new"
        furniture_checks = article_outcomes[1 : 1 + rounds]
        assert set(furniture_checks) <= {"unchanged", "boring"}, (number, article_outcomes)
    assert latest is not None and latest["paragraphs"][1] == edited[1]


# --- parser health -----------------------------------------------------------------------------

ARTICLE = [
    f"Paragraph {n} of the story: the council debated the budget for hours on Tuesday, and members "
    f"argued about schools, parks, transit and the cost of borrowing money for the next decade."
    for n in range(10)
]
TEASERS = [
    "More from Politics: Senators trade blame as the shutdown deadline nears.",
    "The mayor's race is tightening, a new poll shows.",
]


def redesigned_page(url: str) -> str:
    """The Post after a redesign: the story moved to ``div.story-text``, while the old body
    class now marks a box of teasers below it, which the parser reads instead."""
    story = "".join(f"<p>{escape(text)}</p>" for text in ARTICLE)
    teasers = "".join(f"<p>{escape(text)}</p>" for text in TEASERS)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Budget - The Washington Post</title>
<link rel="canonical" href="{escape(url)}"><meta property="og:type" content="article"></head>
<body><main><article><h1 data-qa="headline">Council debates budget</h1>
<div class="story-text">{story}</div>
<div class="article-body" data-qa="article-body">{teasers}</div>
</article></main></body></html>"""


def test_a_parser_that_reads_the_wrong_box_is_flagged(tmp_path: Path) -> None:
    store_uri = f"sqlite:///{tmp_path}/tracker.sqlite3"
    url = URLS[0]
    path = url.removeprefix("https://www.washingtonpost.com")
    with FixtureSite() as site:
        site.set_page(path, washpo.article_page(url=url, headline="Council debates budget", paragraphs=ARTICLE))
        host_map = {host: site.base_url for host in washpo.HOSTS}
        first = run_crawl("washpo", host_map=host_map, store_uri=store_uri, args=["-a", f"url={url}"], settings=ALWAYS_DUE)
        assert "tracker/extraction/disagreement" not in crawl_stats(first)
        assert status_row(store_uri)["parser_broken"] is False
        site.set_page(path, redesigned_page(url))
        second = run_crawl("washpo", host_map=host_map, store_uri=store_uri, args=["-a", f"url={url}"], settings=ALWAYS_DUE)
    assert "'tracker/extraction/disagreement': 1" in crawl_stats(second)
    with open_store(store_uri) as store:
        checks = checks_in_order(store, url)
        versions = store.list_versions(article_id(url))
    assert checks[0]["disagreement"] is None
    assert checks[-1]["disagreement"] is not None and checks[-1]["disagreement"] >= 0.5
    # The teasers are not stored as a new text of the story.
    assert checks[-1]["outcome"] == "extraction_disagreement" and len(versions) == 1
    row = status_row(store_uri)
    assert row["parser_broken"] is True and row["disagreement_24h"] == 1.0
    table = subprocess.run(
        [sys.executable, "-m", "tracker", "status", "--store", store_uri],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60,
    )
    assert table.returncode == 0, table.stderr
    washpo_line = next(line for line in table.stdout.splitlines() if line.startswith("washpo"))
    assert "BROKEN?" in washpo_line


def checks_in_order(store: Store, url: str) -> list[dict[str, Any]]:
    return sorted(store.list_checks(article_id(url)), key=lambda check: check["at"])


def status_row(store_uri: str) -> dict[str, object]:
    shown = subprocess.run(
        [sys.executable, "-m", "tracker", "status", "--json", "--store", store_uri],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60,
    )
    assert shown.returncode == 0, shown.stderr
    return next(row for row in json.loads(shown.stdout) if row["outlet"] == "washpo")


def test_both_stores_count_parser_health_alike(store_uri: str) -> None:
    """``tracker status``'s parser-health columns from the store's own query."""
    import datetime as dt

    from tracker.revisions import Recorder
    from tracker.status import outlet_status

    now = dt.datetime.now(dt.timezone.utc)
    pages = [
        (URLS[0], "washpo", 0.92), (URLS[1], "washpo", None), (URLS[2], "washpo", 0.7),
        ("https://www.nytimes.com/2024/01/05/us/budget.html", "nyt", None),
    ]
    with open_store(store_uri) as store:
        recorder = Recorder(store)
        for url, outlet, disagreement in pages:
            recorder.record({
                "url": url, "outlet": outlet, "status": 200, "fetched_at": (now - dt.timedelta(hours=1)).isoformat(),
                "headline": "Council approves budget", "paragraphs": ARTICLE[:3], "disagreement": disagreement,
            })
        rows = {row["outlet"]: row for row in outlet_status(store, now)}
        checks = checks_in_order(store, URLS[0])
    assert checks[-1]["disagreement"] == 0.92
    assert (rows["washpo"]["checked_24h"], rows["washpo"]["disagreement_24h"], rows["washpo"]["parser_broken"]) == (3, 0.667, True)
    assert (rows["nyt"]["checked_24h"], rows["nyt"]["disagreement_24h"], rows["nyt"]["parser_broken"]) == (1, 0.0, False)
