"""The web view in a real headless Chromium, served by a real WSGI server on 127.0.0.1.

The archive is the offline demo's (``tracker.demo.build_demo``: the real ``scrapy crawl`` of
local pages, three times, with edits between the crawls) plus one hostile article stored
directly, whose headline, bylines and text are markup and script. Screenshots of every kind of
page, at desktop and phone widths, go to ``test-output/screenshots/`` (``TRACKER_TEST_OUTPUT``
moves ``test-output``).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest
from werkzeug.serving import make_server

from tests.crawling import PROJECT_ROOT
from tracker.demo import build_demo
from tracker.demo.stories import stories
from tracker.normalize import article_id
from tracker.store import Store, open_store
from tracker.store.base import utcnow

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page

DESKTOP, PHONE = 1280, 375
SCREENSHOTS = Path(os.environ.get("TRACKER_TEST_OUTPUT") or PROJECT_ROOT / "test-output") / "screenshots"

# Hostile input: markup, script and script URLs where an outlet's text would be.
SCRIPT = "<script>window.__pwned=1;alert('script')</script>"
IMG = '<img src=x onerror="window.__pwned=1;alert(\'img\')">'
JS_URL = "javascript:window.__pwned=1;alert('url')"
LINK = f'<a href="{JS_URL}">read more</a>'
LOOKALIKE = '</p></div><ins>fake insertion</ins><del>fake deletion</del><div class="new"><p>'
SVG = '<svg onload="window.__pwned=1"><iframe src="javascript:window.__pwned=1"></iframe></svg>'
HOSTILE_URL = "https://www.washingtonpost.com/politics/2024/01/06/hostile-story/"
HOSTILE_HEADLINE = f"Breaking {SCRIPT} {IMG}"


@dataclass
class Browsing:
    """A page and everything it did: requests, console errors, uncaught errors, dialogs."""

    page: Page
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def watch(self) -> Browsing:
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.console_errors.append(f"uncaught: {error}"))
        self.page.on("dialog", self._dialog)
        return self

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def foreign_requests(self, origin: str) -> list[str]:
        return [url for url in self.requests if not url.startswith(origin + "/")]


def hostile_versions(store: Store) -> None:
    """Two versions of an article made of payloads, stored as a crawl would store them."""
    aid = article_id(HOSTILE_URL)
    first = [f"Paragraph one {SCRIPT} ends here.", f"Paragraph two {IMG} and {LINK}.", f"Look-alike {LOOKALIKE} markup.", SVG]
    second = [first[0].replace("ends here", "ends now"), first[1], first[2], f"{SVG} {JS_URL}"]
    start = utcnow() - dt.timedelta(hours=5)
    for number, paragraphs in enumerate((first, second), start=1):
        at = start + dt.timedelta(hours=4 * (number - 1))
        outcome = "new" if number == 1 else "changed"
        article = {
            "article_id": aid, "url": JS_URL, "outlet": "washpo", "headline": HOSTILE_HEADLINE, "state": "active",
            "last_checked_at": at, "last_changed_at": at, "next_check_at": at + dt.timedelta(minutes=15),
            "last_status": 200, "last_outcome": outcome, "checks_since_change": 0, "consecutive_errors": 0,
            "latest_hash": f"hash{number}",
        }
        version = {
            "fetched_at": at, "url": JS_URL, "content_hash": f"hash{number}", "raw_hash": f"raw{number}",
            "headline": HOSTILE_HEADLINE if number == 1 else f"{HOSTILE_HEADLINE} {LINK}",
            "outlet": "washpo", "authors": [IMG, JS_URL] if number == 1 else [IMG, SCRIPT], "datePublished": "2024-01-06T10:00:00Z", "paragraphs": paragraphs,
            "word_count": sum(len(p.split()) for p in paragraphs), "extractor": "washpo",
        }
        check = {"at": at, "url": JS_URL, "status": 200, "outcome": outcome, "content_hash": f"hash{number}"}
        store.save_version(article, version, check, expected_count=number - 1)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the web view over the demo archive plus the hostile article."""
    from tracker.web import create_app

    store_uri = f"sqlite:///{tmp_path_factory.mktemp('browser')}/tracker.sqlite3"
    build_demo(store_uri)
    store = open_store(store_uri)
    hostile_versions(store)
    server = make_server("127.0.0.1", 0, create_app(store), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        store.close()


@pytest.fixture
def browsing(browser: Browser) -> Iterator[Browsing]:
    context = browser.new_context(viewport={"width": DESKTOP, "height": 900})
    try:
        yield Browsing(context.new_page()).watch()
    finally:
        context.close()


def open_page(browsing: Browsing, url: str, status: int = 200) -> Page:
    response = browsing.page.goto(url)
    assert response is not None and response.status == status, f"{url}: {response and response.status}"
    return browsing.page


def choose(page: Page, name: str, version: int) -> None:
    """Pick a version in a chooser; the page's script submits the form on change."""
    with page.expect_navigation():
        page.select_option(f"select[name={name}]", str(version))


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_article_to_compare_and_choosers_switch_versions(site: str, browsing: Browsing) -> None:
    budget = stories()[0]
    first, second, third = (edition.headline for edition in budget.editions)
    page = open_page(browsing, f"{site}/article/{article_id(budget.url)}")
    assert page.locator("h1").inner_text() == third
    assert "'washpo'" in page.locator(".summary").inner_text()

    with page.expect_navigation():
        page.locator("a.button[href*='/compare']").click()
    assert "/compare" in page.url
    # by default the latest version against the one before: the added paragraph is inserted
    assert "336 to 95" in " ".join(page.locator("ins").all_inner_texts())
    assert page.locator("del").count() == 0

    choose(page, "a", 1)
    choose(page, "b", 2)
    assert query(page)["a"] == ["1"] and query(page)["b"] == ["2"]
    assert page.locator("select[name=a]").input_value() == "1"
    assert page.locator("select[name=b]").input_value() == "2"
    deleted = " ".join(page.locator("del").all_inner_texts())
    inserted = " ".join(page.locator("ins").all_inner_texts())
    # the headline's changed words, and nothing of what stayed
    assert "deadline" in deleted and "averting" in inserted, (deleted, inserted)
    assert "stopgap" not in deleted + inserted
    assert first != second and "later" in page.locator(".gap").inner_text()

    assert browsing.console_errors == []
    assert browsing.dialogs == []
    assert browsing.foreign_requests(site) == []
    assert any(url.endswith("/static/compare.js") for url in browsing.requests)  # the chooser's script ran here


def test_choosers_work_without_javascript(site: str, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        budget_id = article_id(stories()[0].url)
        page.goto(f"{site}/article/{budget_id}/compare")
        page.select_option("select[name=a]", "1")
        page.select_option("select[name=b]", "3")
        with page.expect_navigation():
            page.locator("form.choose [type=submit]").click()
        assert query(page)["a"] == ["1"] and query(page)["b"] == ["3"]
        assert "averting" in " ".join(page.locator("ins").all_inner_texts())
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/article/{aid}", "/article/{aid}/compare", "/article/{aid}/compare?a=1&b=2&mode=inline"])
def test_hostile_article_runs_nothing_and_shows_its_text(site: str, browsing: Browsing, path: str) -> None:
    page = open_page(browsing, site + path.format(aid=article_id(HOSTILE_URL)))
    page.wait_for_load_state("load")
    assert browsing.dialogs == []
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    text = page.locator("body").inner_text()
    assert "<script>window.__pwned=1;alert('script')</script>" in text
    assert IMG in text
    # nothing of the payload became an element or an attribute
    for selector in ("main script", "main img", "main svg", "main iframe", "[onerror]", "[onload]",
                     "a[href^='javascript:' i]"):
        assert page.locator(selector).count() == 0, selector
    if "compare" in path:
        # look-alike diff marks are text, not marks; the changed byline is shown as text too
        assert "fake insertion" not in " ".join(page.locator("ins").all_inner_texts())
        assert "<ins>fake insertion</ins>" in text
        assert JS_URL in text
    assert browsing.console_errors == []
    assert browsing.foreign_requests(site) == []


def page_kinds(site: str) -> dict[str, tuple[str, int]]:
    budget_id = article_id(stories()[0].url)
    return {
        "home": (f"{site}/", 200),
        "outlet": (f"{site}/outlet/guardian", 200),
        "article": (f"{site}/article/{budget_id}", 200),
        "compare": (f"{site}/article/{budget_id}/compare?a=1&b=3", 200),
        "compare-inline": (f"{site}/article/{budget_id}/compare?a=1&b=3&mode=inline", 200),
        "search": (f"{site}/search?q=flood", 200),
        "not-found": (f"{site}/article/no-such-article", 404),
        "hostile-compare": (f"{site}/article/{article_id(HOSTILE_URL)}/compare", 200),
    }


def assert_columns(page: Page, *, stacked: bool) -> None:
    """The old and new side of a changed paragraph: side by side, or one above the other."""
    pair = page.locator(".sbs .pair.changed").first
    old, new = pair.locator(".old").bounding_box(), pair.locator(".new").bounding_box()
    assert old is not None and new is not None
    if stacked:
        assert new["y"] >= old["y"] + old["height"] - 1, (old, new)
    else:
        assert abs(new["y"] - old["y"]) < 1 and new["x"] >= old["x"] + old["width"] - 1, (old, new)


def assert_version_times_shown(page: Page, width: int) -> None:
    """Every version's time is on screen at this width (a phone shows it under the number)."""
    rows = page.locator("table.versions tbody tr")
    assert rows.count() >= 1
    for index in range(rows.count()):
        boxes = [time.bounding_box() for time in rows.nth(index).locator("time").all() if time.is_visible()]
        assert boxes and all(box is not None and box["x"] + box["width"] <= width for box in boxes), index


@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_kind_of_page_renders_at_desktop_and_phone_width(
    site: str, browser: Browser, width: int, capsys: pytest.CaptureFixture[str]
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        for kind, (url, status) in page_kinds(site).items():
            browsing = Browsing(context.new_page()).watch()
            page = open_page(browsing, url, status)
            page.screenshot(path=SCREENSHOTS / f"{kind}-{width}.png", full_page=True)
            # no sideways scrolling: the page fits the screen (side by side stacks on a phone)
            assert page.evaluate("() => document.documentElement.scrollWidth") <= width, kind
            assert page.locator("h1").count() >= 1, kind
            if kind == "compare":
                assert_columns(page, stacked=width == PHONE)
            if kind == "article":
                assert_version_times_shown(page, width)
            if status == 200:
                assert browsing.console_errors == [], kind
            assert browsing.foreign_requests(site) == [], kind
            page.close()
    finally:
        context.close()
    with capsys.disabled():
        print(f"\nscreenshots ({width} px): {SCREENSHOTS}")


def test_search_finds_the_latest_text(site: str, browsing: Browsing) -> None:
    page = open_page(browsing, f"{site}/search?q=bronzes")
    assert "Benin Bronzes" in page.locator("main").inner_text()
    link = page.locator("main a[href*='/article/']").first
    with page.expect_navigation():
        link.click()
    assert urlsplit(page.url).path == f"/article/{article_id(stories()[4].url)}"
