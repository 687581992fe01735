"""Outlets defined only by a TOML file (TRACKER_OUTLETS_FILE): crawled end to end by the real
``scrapy crawl`` on the local fixture site, on both stores; bad files refused with one line."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.crawling import PROJECT_ROOT, crawl_stats, run_crawl
from tests.site import FixtureSite
from tests.site.pages import RSS_TYPE, rss_feed
from tracker import cli
from tracker.extraction import extract_article
from tracker.normalize import article_id
from tracker.outlets import OutletsFileError, builtin_spider_names, load_outlets
from tracker.store import Store, open_store

GAZETTE = "https://www.rivertongazette.com"
HERALD = "https://www.millbrookherald.com"
STORY_A = f"{GAZETTE}/news/2024/bridge-reopens-after-repairs"
STORY_B = f"{GAZETTE}/news/2024/school-board-election-results"
OPINION = f"{GAZETTE}/opinion/2024/why-the-bridge-matters"
HERALD_STORY = f"{HERALD}/stories/4411/mill-fire"

OUTLETS_TOML = rf"""
[outlets.riverton]
hosts = ["rivertongazette.com"]
feeds = ["{GAZETTE}/feeds/news.xml"]
article_url = '^https://www\.rivertongazette\.com/news/\d{{4}}/[a-z0-9-]+$'
exclude_url = '/live-'
language = "en"

[outlets.millbrook]
hosts = ["millbrookherald.com"]
sections = ["{HERALD}/local/"]
article_url = '/stories/\d+/'

[outlets.millbrook.selectors]
headline = "div.tools h2"
body = "div.story-text"
byline = "//span[@class='writer']"
published = "time.posted"
drop = [".inline-promo"]
"""

PARAGRAPHS_A = [
    "The Main Street bridge reopened on Monday after eleven months of repairs to its steel deck.",
    "City engineers said five crews worked through the winter to finish the work ahead of schedule.",
    "Drivers had used a detour through the industrial park that added twenty minutes to commutes.",
    "The council will vote next month on a plan to repaint the railings in the original green.",
]
ALWAYS_DUE = {"TRACKER_SCHEDULE_TIERS": "40d:0s"}


def gazette_page(headline: str, paragraphs: list[str]) -> str:
    """A plain article page without JSON-LD: the generic extraction's work."""
    body = "".join(f"<p>{escape(text)}</p>" for text in paragraphs)
    return (
        f"<html><head><title>{escape(headline)} | Riverton Gazette</title>"
        '<meta property="og:type" content="article">'
        f'<meta property="og:title" content="{escape(headline)}"></head><body>'
        '<nav><a href="/">Home</a> <a href="/news/">News</a> <a href="/sports/">Sports</a></nav>'
        f"<article><h1>{escape(headline)}</h1><p class='byline'>By Ann Porter</p>{body}</article>"
        "<footer>Copyright Riverton Gazette. All rights reserved.</footer></body></html>"
    )


HERALD_PARAGRAPHS = [
    "Fire crews spent the night at the old textile mill on Canal Street after a blaze broke out.",
    "Nobody was hurt, the fire chief said, but the east wing of the building has collapsed.",
    "The mill has stood empty since 2009 and was due to be turned into flats next year.",
]


def herald_page() -> str:
    """A page that fools the generic extraction: the story sits in a "tools" box and a long
    promo block looks more like an article than the story does."""
    promo = "".join(
        f"<p>Subscribe today and read every Millbrook Herald story, number {n}, with our new app, "
        "newsletters, crosswords, puzzles, archives and much more for only one dollar a week.</p>"
        for n in range(8)
    )
    story = "".join(f"<p>{escape(text)}</p>" for text in HERALD_PARAGRAPHS)
    return (
        "<html><head><title>Herald</title>"
        '<meta property="og:title" content="Millbrook Herald | Local news"></head><body>'
        f'<div class="article-content main-body">{promo}</div>'
        '<div class="sidebar tools comment"><h2>Fire guts the old mill</h2><span class="writer">By Sam Reyes</span>'
        '<time class="posted" datetime="2024-03-02T08:15:00-05:00">March 2</time>'
        f'<div class="story-text">{story}<p class="inline-promo">Read more: Mill history in pictures</p></div>'
        "</div></body></html>"
    )


@pytest.fixture
def outlets_file(tmp_path: Path) -> Path:
    path = tmp_path / "outlets.toml"
    path.write_text(OUTLETS_TOML, encoding="utf-8")
    return path


@pytest.fixture
def site() -> Iterator[FixtureSite]:
    with FixtureSite() as fixture_site:
        fixture_site.set_page("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        fixture_site.set_page("/feeds/news.xml", rss_feed("News", [STORY_A, STORY_B, OPINION]), content_type=RSS_TYPE)
        fixture_site.set_page(path(STORY_A), gazette_page("Bridge reopens after repairs", PARAGRAPHS_A))
        fixture_site.set_page(
            path(STORY_B),
            gazette_page("School board results", [f"The school board count, part {n}, ended late on Tuesday night." for n in range(3)]),
        )
        fixture_site.set_page("/local/", f'<html><body><a href="{HERALD_STORY}">Mill fire</a></body></html>')
        fixture_site.set_page(path(HERALD_STORY), herald_page())
        yield fixture_site


@pytest.fixture(params=["sqlite", "mongodb"])
def store_uri(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "mongodb":
        return str(request.getfixturevalue("mongo_db_uri"))
    return f"sqlite:///{tmp_path}/tracker.sqlite3"


def path(url: str) -> str:
    return urlsplit(url).path


def crawl(site: FixtureSite, store_uri: str, outlets_file: Path, spider: str, *args: str) -> subprocess.CompletedProcess[str]:
    host_map = {"www.rivertongazette.com": site.base_url, "www.millbrookherald.com": site.base_url}
    settings = {**ALWAYS_DUE, "TRACKER_OUTLETS_FILE": str(outlets_file)}
    return run_crawl(spider, host_map=host_map, store_uri=store_uri, args=args, settings=settings)


def versions(store: Store, url: str) -> list[dict]:
    return store.list_versions(article_id(url))


def test_configured_outlet_keeps_versions_end_to_end(site: FixtureSite, store_uri: str, outlets_file: Path) -> None:
    # Discovery from the feed: both news stories, not the opinion piece (no article URL).
    result = crawl(site, store_uri, outlets_file, "riverton")
    with open_store(store_uri) as store:
        assert store.count("articles") == 2, crawl_stats(result)
        version = store.get_version(article_id(STORY_A), 1)
        assert version is not None
        assert version["headline"] == "Bridge reopens after repairs"
        assert version["paragraphs"] == PARAGRAPHS_A
        assert version["inLanguage"] == "en"  # the page does not say; the file does
        assert store.get_article(article_id(STORY_A))["outlet"] == "riverton"
    assert not site.requests_for(path(OPINION))

    # An edited paragraph: version 2, with a one-word diff.
    edited = list(PARAGRAPHS_A)
    edited[1] = edited[1].replace("five crews", "six crews")
    site.set_page(path(STORY_A), gazette_page("Bridge reopens after repairs", edited))
    crawl(site, store_uri, outlets_file, "riverton")
    with open_store(store_uri) as store:
        assert [v["version"] for v in versions(store, STORY_A)] == [1, 2]
        assert store.get_version(article_id(STORY_A), 2)["paragraphs"] == edited
        assert len(versions(store, STORY_B)) == 1

    # The page is removed: -a url= fetches it, and the 404 is a `gone` check, no version.
    site.set_status(path(STORY_A), 404)
    result = crawl(site, store_uri, outlets_file, "riverton", "-a", f"url={STORY_A}")
    with open_store(store_uri) as store:
        assert len(versions(store, STORY_A)) == 2
        check = store.list_checks(article_id(STORY_A))[0]
        assert (check["outcome"], check["status"]) == ("gone", 404), crawl_stats(result)


@pytest.mark.parametrize("workers", ["1", "0"])  # extraction in a worker process / in the crawl's
def test_selectors_extract_what_the_generic_path_gets_wrong(
    workers: str, site: FixtureSite, tmp_path: Path, outlets_file: Path
) -> None:
    generic = extract_article(herald_page(), HERALD_STORY)
    # The page is a real test of the selectors: the generic path gets body, headline, byline wrong.
    assert generic["paragraphs"] != HERALD_PARAGRAPHS
    assert generic["headline"] != "Fire guts the old mill" and generic["authors"] != ["Sam Reyes"]

    store_uri = f"sqlite:///{tmp_path}/tracker.sqlite3"
    result = crawl(site, store_uri, outlets_file, "millbrook", "-s", f"TRACKER_EXTRACT_WORKERS={workers}")
    with open_store(store_uri) as store:
        version = store.get_version(article_id(HERALD_STORY), 1)
        assert version is not None, crawl_stats(result)
        assert version["paragraphs"] == HERALD_PARAGRAPHS
        assert version["headline"] == "Fire guts the old mill"
        assert version["authors"] == ["Sam Reyes"]
        assert version["datePublished"] == "2024-03-02T08:15:00-05:00"  # the <time>'s datetime
        article = store.get_article(article_id(HERALD_STORY))
        assert article["outlet"] == "millbrook"


def test_scrapy_list_names_configured_outlets(outlets_file: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "list", "-s", f"TRACKER_OUTLETS_FILE={outlets_file}"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
    )
    names = result.stdout.split()
    assert result.returncode == 0, result.stderr
    assert {"riverton", "millbrook", "washpo", "npr"} <= set(names)


def test_scrapy_list_with_an_invalid_file_lists_the_built_in_outlets_and_says_why(tmp_path: Path) -> None:
    bad = tmp_path / "outlets.toml"
    bad.write_text(VALID + "colour = 'red'\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "list", "-s", f"TRACKER_OUTLETS_FILE={bad}"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0 and "washpo" in result.stdout.split() and "x" not in result.stdout.split()
    assert f"configured outlets not loaded: {bad}: outlet 'x', field 'colour': unknown key" in result.stderr


# --- bad files ---------------------------------------------------------------------------------

VALID = """
[outlets.x]
hosts = ["example.com"]
feeds = ["https://example.com/feed.xml"]
article_url = '/story/'
"""

BAD_FILES = {
    "malformed TOML": ("[outlets.x\nhosts = 1\n", None, None, "not valid TOML"),
    "unknown key": (VALID + "colour = 'red'\n", "x", "colour", "unknown key"),
    "bad regex": (VALID.replace("'/story/'", "'/story/(['"), "x", "article_url", "bad regular expression"),
    "bad exclude regex": (VALID + "exclude_url = '*live'\n", "x", "exclude_url", "bad regular expression"),
    "missing hosts": (VALID.replace('hosts = ["example.com"]', ""), "x", "hosts", "missing"),
    "missing article_url": (VALID.replace("article_url = '/story/'", ""), "x", "article_url", "missing"),
    "bad CSS selector": (VALID + "[outlets.x.selectors]\nbody = 'div[['\n", "x", "selectors.body", "bad CSS selector"),
    "bad XPath": (VALID + "[outlets.x.selectors]\nbody = '//div[@class='\n", "x", "selectors.body", "bad XPath"),
    "unknown selector": (VALID + "[outlets.x.selectors]\nbody = 'div'\nfooter = 'x'\n", "x", "selectors.footer", "unknown selector"),
    "feed on another host": (VALID.replace("https://example.com/feed.xml", "https://feeds.other.org/x"), "x", "feeds", "none of the outlet's hosts"),
    "no sources": (VALID.replace('feeds = ["https://example.com/feed.xml"]', ""), "x", "feeds", "at least one"),
    "selectors for a built-in parser's host": (
        VALID.replace("example.com", "npr.org") + "[outlets.x.selectors]\nbody = 'div'\n", "x", "hosts", "built-in outlet parser"
    ),
    "built-in name": (VALID.replace("[outlets.x]", "[outlets.washpo]"), "washpo", None, "built-in outlet"),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_each_bad_file_is_one_line_naming_file_outlet_and_field(kind: str, tmp_path: Path) -> None:
    text, outlet, field, problem = BAD_FILES[kind]
    bad = tmp_path / "outlets.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(OutletsFileError) as caught:
        load_outlets(bad, reserved_names=builtin_spider_names())
    assert (caught.value.outlet, caught.value.field) == (outlet, field)

    stderr = io.StringIO()
    out = io.StringIO()
    sys_stderr, sys.stderr = sys.stderr, stderr
    try:
        status = cli.main(["outlets", "check", str(bad)], out=out)
    finally:
        sys.stderr = sys_stderr
    line = stderr.getvalue()
    assert status == 1 and out.getvalue() == ""
    assert line.count("\n") == 1 and line.startswith(f"tracker: {bad}: ") and problem in line
    if outlet:
        assert f"outlet {outlet!r}" in line
    if field:
        assert f"field {field!r}" in line


def test_check_lists_each_outlets_sources(outlets_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["outlets", "check", str(outlets_file)]) == 0
    printed = capsys.readouterr().out
    assert f"feed         {GAZETTE}/feeds/news.xml" in printed
    assert f"section      {HERALD}/local/" in printed
    assert "2 outlets, all valid" in printed


def test_crawl_refuses_an_invalid_file_with_the_same_line(tmp_path: Path) -> None:
    bad = tmp_path / "outlets.toml"
    bad.write_text(BAD_FILES["bad regex"][0], encoding="utf-8")
    with pytest.raises(OutletsFileError) as caught:
        load_outlets(bad)
    result = run_crawl(
        "npr", host_map={}, store_uri=f"sqlite:///{tmp_path}/t.sqlite3",
        settings={"TRACKER_OUTLETS_FILE": str(bad)}, exit_status=1,
    )
    assert f"tracker: cannot crawl, {caught.value}\n" in result.stderr
    assert "Traceback" not in result.stderr and "Spider opened" not in result.stderr


# --- suggest -----------------------------------------------------------------------------------


@pytest.mark.parametrize("given", ["saved file", "URL"])
def test_suggest_drafts_a_valid_table_from_a_page(
    given: str, site: FixtureSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = gazette_page("Bridge reopens after repairs", PARAGRAPHS_A).replace(
        "<head>",
        f'<head><link rel="canonical" href="{STORY_A}?utm_source=x">'
        '<link rel="alternate" type="application/rss+xml" href="/feeds/news.xml">'
        '<link rel="alternate" type="application/rss+xml" href="https://feeds.elsewhere.net/gazette.xml">',
    )
    saved = tmp_path / "story.html"
    saved.write_text(page, encoding="utf-8")
    site.set_page("/saved/story", page)
    source = str(saved) if given == "saved file" else f"{site.base_url}/saved/story"
    assert cli.main(["outlets", "suggest", source, "--name", "gazette"]) == 0
    draft = tmp_path / "outlets.toml"
    draft.write_text(capsys.readouterr().out, encoding="utf-8")

    (config,) = load_outlets(draft, reserved_names=builtin_spider_names())
    assert (config.name, config.hosts) == ("gazette", ("rivertongazette.com",))
    assert config.feeds == (f"{GAZETTE}/feeds/news.xml",)  # the off-host feed is left out
    pattern = re.compile(config.article_url)
    assert pattern.search(STORY_A) and pattern.search(STORY_B)
    assert not pattern.search(f"{GAZETTE}/news/") and not pattern.search(f"{GAZETTE}/about")


def test_suggest_from_a_feed_generalises_its_links(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(rss_feed("News", [STORY_A, STORY_B]), encoding="utf-8")
    assert cli.main(["outlets", "suggest", str(feed)]) == 0
    pattern = re.search(r"^article_url = '(.+)'$", capsys.readouterr().out, re.MULTILINE)
    assert pattern is not None
    assert re.search(pattern.group(1), f"{GAZETTE}/news/2025/a-new-story")
    assert not re.search(pattern.group(1), f"{GAZETTE}/news/latest")


# --- scrapyd -----------------------------------------------------------------------------------


def test_scrapyd_lists_and_runs_configured_outlets_named_in_its_environment(
    site: FixtureSite, outlets_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is not in the egg: scrapyd's environment names it, and both listspiders.json
    (so `tracker schedule`) and the jobs read it."""
    from tests.test_scrapyd import SCRAPYD_DEPLOY, project_build, start_scrapyd, subprocess_env

    monkeypatch.setenv("TRACKER_OUTLETS_FILE", str(outlets_file))
    (tmp_path / "scrapyd").mkdir()
    scrapyd = start_scrapyd(tmp_path / "scrapyd")
    try:
        home = tmp_path / "deploy-home"
        home.mkdir()
        (home / ".scrapy.cfg").write_text(f"[deploy:test]\nurl = {scrapyd.url}/\nproject = tracker\n")
        with project_build():
            deploy = subprocess.run(
                [str(SCRAPYD_DEPLOY), "test", "--version", "r1"], cwd=PROJECT_ROOT,
                env=subprocess_env(HOME=str(home)), capture_output=True, text=True, timeout=120,
            )
        assert deploy.returncode == 0, deploy.stderr[-3000:]
        assert {"riverton", "millbrook", "washpo"} <= set(scrapyd.client.list_spiders("tracker"))

        store_path = tmp_path / "store.sqlite3"
        host_map = json.dumps({"www.rivertongazette.com": site.base_url})
        command = [
            sys.executable, "-m", "tracker", "schedule", "--scrapyd", scrapyd.url, "--once", "--outlets", "riverton",
            "-s", f"TRACKER_HOST_MAP={host_map}", "-s", f"TRACKER_STORE=sqlite:///{store_path}",
            "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
        ]
        scheduled = subprocess.run(command, cwd=PROJECT_ROOT, env=subprocess_env(), capture_output=True, text=True, timeout=60)
        assert scheduled.returncode == 0, scheduled.stderr[-3000:]
        job = re.search(r"scheduled riverton: job (\w+)", scheduled.stderr)
        assert job, scheduled.stderr
        scrapyd.wait_finished(job.group(1))
        log_path = scrapyd.logs_dir / "tracker" / "riverton" / f"{job.group(1)}.log"
        log = log_path.read_text(errors="replace")[-4000:] if log_path.exists() else "(no log)"
        with open_store(f"sqlite:///{store_path}") as store:
            assert [v["version"] for v in versions(store, STORY_A)] == [1], log
    finally:
        scrapyd.stop()
