"""End to end: the real ``scrapy crawl washpo`` against a local Washington Post-shaped site."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.crawling import PROJECT_ROOT, crawl_stats, run_crawl
from tests.site import FixtureSite
from tests.site.outlets.washpo import article_page as washpo_article
from tests.site.pages import news_sitemap, rss_feed, section_page
from tracker.normalize import article_id
from tracker.store import Store, open_store

WAPO = "https://www.washingtonpost.com"
STORY_A = f"{WAPO}/politics/2024/01/05/senate-vote-budget/"
STORY_B = f"{WAPO}/world/2024/01/05/summit-ends-without-deal/"
STORY_C = f"{WAPO}/national/2024/01/04/storm-hits-coast/"
VIDEO = f"{WAPO}/video/politics/2024/01/05/some-video/"

PARAGRAPHS_A = [
    "The Senate voted late Thursday to approve a stopgap budget that keeps the government open.",
    "The measure passed 77 to 19, police said five people were detained outside the Capitol during the protest.",
    "Lawmakers now have six weeks to negotiate a full-year spending agreement before the next deadline.",
    "Senator Jane Smtih said the vote showed that both parties could still work together on basic tasks.",
]


def story(url: str, paragraphs: list[str], headline: str = "Senate approves stopgap budget", **options: object) -> str:
    return washpo_article(url=url, headline=headline, paragraphs=paragraphs, **options)  # type: ignore[arg-type]


def paragraphs_for(title: str) -> list[str]:
    return [f"{title} paragraph {n} has enough words to count as a real article body text." for n in range(4)]


@pytest.fixture
def site() -> Iterator[FixtureSite]:
    with FixtureSite() as fixture_site:
        fixture_site.set_page("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        fixture_site.set_page(
            "/rss/politics",
            rss_feed("Politics", [STORY_A + "?utm_source=rss&utm_medium=feed", VIDEO]),
            content_type="application/rss+xml",
        )
        fixture_site.set_page(
            "/sitemaps/news-sitemap.xml.gz",
            gzip.compress(news_sitemap([STORY_B]).encode()),
            content_type="application/x-gzip",
        )
        fixture_site.set_page(
            "/national/",
            section_page([STORY_C, "/people/jane-reporter/", VIDEO, "/national/"]),
        )
        fixture_site.set_page("/politics/2024/01/05/senate-vote-budget/", story(STORY_A, PARAGRAPHS_A))
        fixture_site.set_page("/world/2024/01/05/summit-ends-without-deal/", story(STORY_B, paragraphs_for("Summit"), headline="Summit ends"))
        fixture_site.set_page("/national/2024/01/04/storm-hits-coast/", story(STORY_C, paragraphs_for("Storm"), headline="Storm hits"))
        yield fixture_site


@pytest.fixture
def store_uri(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/tracker.sqlite3"


# Every known article is due again at once, so that each crawl re-checks it (the schedule
# itself is tested in test_schedule.py and test_e2e_schedule.py).
ALWAYS_DUE = {"TRACKER_SCHEDULE_TIERS": "40d:0s"}


def crawl(site: FixtureSite, store_uri: str, *args: str) -> subprocess.CompletedProcess[str]:
    host_map = {"www.washingtonpost.com": site.base_url, "feeds.washingtonpost.com": site.base_url}
    return run_crawl("washpo", host_map=host_map, store_uri=store_uri, args=args, settings=ALWAYS_DUE)


def versions(store: Store, url: str) -> list[dict]:
    return store.list_versions(article_id(url))


def outcomes(store: Store, url: str) -> list[str]:
    return [check["outcome"] for check in reversed(store.list_checks(article_id(url)))]


def test_discovery_stores_version_1_of_each_article(site: FixtureSite, store_uri: str) -> None:
    result = crawl(site, store_uri)
    with open_store(store_uri) as store:
        for url in (STORY_A, STORY_B, STORY_C):
            assert len(versions(store, url)) == 1, f"{url}: {crawl_stats(result)}"
        # The video link matched no article pattern; the author page neither.
        assert store.count("articles") == 3
        version = store.get_version(article_id(STORY_A), 1)
        assert version is not None
        assert version["headline"] == "Senate approves stopgap budget"
        assert version["paragraphs"] == PARAGRAPHS_A
        assert version["authors"] == ["Jane Reporter"]
        body = "\n".join(version["paragraphs"])
        for noise in ("photo caption", "Story continues below", "Sign up", "Updated 5 minutes"):
            assert noise not in body
        article = store.get_article(article_id(STORY_A))
        assert article is not None and article["url"] == STORY_A  # tracking parameters gone
        assert article["outlet"] == "washpo"
    assert "'tracker/revisions/new': 3" in crawl_stats(result)
    assert not site.requests_for(VIDEO.removeprefix(WAPO))


def test_versions_follow_real_changes_only(site: FixtureSite, store_uri: str) -> None:
    path_a = STORY_A.removeprefix(WAPO)
    crawl(site, store_uri)

    # An edited paragraph: version 2 with the right paragraph and word diff.
    edited = list(PARAGRAPHS_A)
    edited[1] = edited[1].replace("five people", "six people")
    site.set_page(path_a, story(STORY_A, edited))
    crawl(site, store_uri)
    with open_store(store_uri) as store:
        assert [v["version"] for v in versions(store, STORY_A)] == [1, 2]
        diff = store.get_version(article_id(STORY_A), 2)["diff"]
        replaced = [op for op in diff["paragraphs"] if op["op"] == "replace"]
        assert len(replaced) == 1 and replaced[0]["old"] == 1 and replaced[0]["new"] == 1
        assert ["-", "five"] in replaced[0]["words"] and ["+", "six"] in replaced[0]["words"]
        assert diff["stats"]["paragraphs_changed"] == 1
        # Nothing else changed: the other articles stayed at version 1.
        assert len(versions(store, STORY_B)) == 1

    # Unchanged re-crawl: no new version; the conditional GET got a 304.
    crawl(site, store_uri)
    with open_store(store_uri) as store:
        assert len(versions(store, STORY_A)) == 2
        assert outcomes(store, STORY_A)[-1] == "not_modified"

    # The same text served again without validators: a full fetch, 'unchanged'.
    site.set_page(path_a, story(STORY_A, edited), validators=False)
    crawl(site, store_uri)
    with open_store(store_uri) as store:
        assert len(versions(store, STORY_A)) == 2
        assert outcomes(store, STORY_A)[-1] == "unchanged"

    # Formatting only: white space, no-break spaces, tracking parameters in links, a new
    # "Updated N minutes ago" line, curly quotes.
    noisy = [
        edited[0].replace(" ", "  ", 3),
        edited[1].replace("six people", "six\u00a0people"),
        f'{edited[2]} <a href="https://www.washingtonpost.com/x/?utm_source=a&amp;itid=b"></a>',
        edited[3],
    ]
    site.set_page(path_a, story(STORY_A, noisy, updated_note="Updated 12 minutes ago", raw_paragraphs=True))
    crawl(site, store_uri)
    with open_store(store_uri) as store:
        assert len(versions(store, STORY_A)) == 2
        assert outcomes(store, STORY_A)[-1] in ("unchanged", "boring")

    # A one-character correction always makes a version.
    corrected = list(edited)
    corrected[3] = corrected[3].replace("Smtih", "Smith")
    site.set_page(path_a, story(STORY_A, corrected))
    crawl(site, store_uri)
    with open_store(store_uri) as store:
        assert [v["version"] for v in versions(store, STORY_A)] == [1, 2, 3]
        diff = store.get_version(article_id(STORY_A), 3)["diff"]
        words = [op for entry in diff["paragraphs"] if entry["op"] == "replace" for op in entry["words"]]
        assert any(op[0] == "+" and "Smith" in op[1] for op in words)


@pytest.mark.parametrize(
    ("status", "body", "outcome"),
    [
        (404, "", "gone"),
        (410, "", "gone"),
        (500, "", "error"),
        (200, "<html><body></body></html>", "empty"),
    ],
)
def test_error_and_empty_pages_make_checks_not_versions(
    site: FixtureSite, store_uri: str, status: int, body: str, outcome: str
) -> None:
    path_a = STORY_A.removeprefix(WAPO)
    crawl(site, store_uri, "-a", f"url={STORY_A}")
    if status == 200:
        site.set_page(path_a, body)
    else:
        site.set_status(path_a, status)
    result = crawl(site, store_uri, "-a", f"url={STORY_A}")
    with open_store(store_uri) as store:
        assert len(versions(store, STORY_A)) == 1
        checks = store.list_checks(article_id(STORY_A))
        assert checks[0]["outcome"] == outcome, crawl_stats(result)
        assert checks[0]["status"] == status
    assert f"'tracker/checks/{outcome}': 1" in crawl_stats(result)


def test_url_argument_fetches_exactly_those_articles(site: FixtureSite, store_uri: str) -> None:
    crawl(site, store_uri, "-a", f"url={STORY_B},{STORY_C}")
    fetched = {request.path for request in site.requests}
    assert "/rss/politics" not in fetched and "/national/" not in fetched
    with open_store(store_uri) as store:
        assert store.count("articles") == 2
        assert len(versions(store, STORY_B)) == 1 and len(versions(store, STORY_C)) == 1


def test_feed_export_gets_the_items_without_the_workers_binary_work(
    site: FixtureSite, store_uri: str, tmp_path: Path
) -> None:
    """``scrapy crawl -o``: every item is exported as JSON; what the extraction worker prepared
    for the recorder (bytes, objects) is not part of it."""
    out = tmp_path / "items.jsonl"
    crawl(site, store_uri, "-a", f"url={STORY_B},{STORY_C}", "-o", str(out))
    items = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(item["url"] for item in items) == sorted([STORY_B, STORY_C])
    assert all(item["paragraphs"] and item.get("prepared") is None for item in items)


def test_redirect_keeps_the_requested_article(site: FixtureSite, store_uri: str) -> None:
    moved = "/politics/2024/01/05/senate-vote-budget-updated/"
    site.redirect(STORY_A.removeprefix(WAPO), f"{site.base_url}{moved}")
    site.set_page(moved, story(STORY_A, PARAGRAPHS_A))
    crawl(site, store_uri, "-a", f"url={STORY_A}")
    with open_store(store_uri) as store:
        version = store.get_version(article_id(STORY_A), 1)
        assert version is not None
        # The redirect target is recorded under its real (not mirrored) URL.
        assert version["url"] == WAPO + moved


def test_history_and_diff_commands_show_the_crawl(site: FixtureSite, store_uri: str) -> None:
    crawl(site, store_uri, "-a", f"url={STORY_A}")
    edited = [p.replace("five people", "six people") for p in PARAGRAPHS_A]
    site.set_page(STORY_A.removeprefix(WAPO), story(STORY_A, edited))
    crawl(site, store_uri, "-a", f"url={STORY_A}")

    def tracker(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tracker", *args, "--store", store_uri],
            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60,
        )

    history = tracker("history", STORY_A + "?utm_source=x")
    assert history.returncode == 0, history.stderr
    assert "Senate approves stopgap budget" in history.stdout
    data = json.loads(tracker("history", STORY_A, "--json").stdout)
    assert [v["version"] for v in data["versions"]] == [1, 2]
    assert [c["outcome"] for c in data["checks"]] == ["changed", "new"]
    diff = tracker("diff", STORY_A, "1", "2")
    assert diff.returncode == 0, diff.stderr
    assert "[-five-]{+six+}" in diff.stdout


@pytest.mark.parametrize(
    ("serve", "settings", "error"),
    [
        # Over the download size limit: cancelled, recorded, never parsed.
        (lambda site, path: site.set_page(path, story(STORY_A, PARAGRAPHS_A * 400)), {"DOWNLOAD_MAXSIZE": "200000"}, "size"),
        # Slower than the download timeout.
        (lambda site, path: site.set_page(path, story(STORY_A, PARAGRAPHS_A), delay=4), {"DOWNLOAD_TIMEOUT": "1"}, "Timeout"),
    ],
    ids=["huge", "slow"],
)
def test_huge_and_slow_pages_are_errors_not_versions(
    site: FixtureSite, store_uri: str, serve: object, settings: dict[str, str], error: str
) -> None:
    path_a = STORY_A.removeprefix(WAPO)
    crawl(site, store_uri, "-a", f"url={STORY_A}")
    serve(site, path_a)  # type: ignore[operator]
    host_map = {"www.washingtonpost.com": site.base_url, "feeds.washingtonpost.com": site.base_url}
    # Its one request got no answer: the crawl fetched nothing, exit status 3.
    result = run_crawl("washpo", host_map=host_map, store_uri=store_uri, args=["-a", f"url={STORY_A}"],
                       settings={**ALWAYS_DUE, "RETRY_TIMES": "0", **settings}, exit_status=3)
    with open_store(store_uri) as store:
        assert len(versions(store, STORY_A)) == 1
        check = store.list_checks(article_id(STORY_A))[0]
        assert check["outcome"] == "error" and check["status"] is None, crawl_stats(result)
        assert error.lower() in (check["error"] or "").lower()


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("TRACKER_HOST_MAP={not json", "TRACKER_HOST_MAP is not a JSON object"),
        ('TRACKER_HOST_MAP={"www.washingtonpost.com": "ftp://mirror"}', "not an http(s) base URL"),
        ("TRACKER_SCHEDULE_TIERS=soon", "AGE:INTERVAL"),
        ("TRACKER_STORE=postgres://db/tracker", "unknown store URI"),
    ],
)
def test_bad_settings_stop_the_crawl_before_any_request(tmp_path: Path, setting: str, message: str) -> None:
    store = f"sqlite:///{tmp_path}/tracker.sqlite3"
    command = [sys.executable, "-m", "scrapy", "crawl", "washpo", "-a", f"url={STORY_A}", "-s", f"TRACKER_STORE={store}", "-s", setting]
    result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("tracker: cannot crawl")]
    assert len(lines) == 1 and message in lines[0], result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "Crawled" not in result.stderr
    if "TRACKER_STORE" not in setting:
        with open_store(store) as opened:
            assert opened.count("checks") == 0
