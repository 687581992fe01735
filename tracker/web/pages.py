"""The HTML pages: latest changes, outlets, articles, comparisons, search."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from tracker.normalize import article_id as article_id_of
from tracker.status import DUE_GRACE
from tracker.store.base import Store
from tracker.web.app import current_policy, current_store, current_time, int_arg
from tracker.web.compare import compare_versions, needs_diff_for_fields
from tracker.web.words import later, state_words

pages = Blueprint("pages", __name__)

PER_PAGE = 50
MAX_PAGE = 10_000      # deeper than anyone pages by hand; beyond it: 404 without a query
RECENT_CHECKS = 25
MAX_QUERY_CHARS = 200


def _page_of_versions(store: Store, outlet: str | None) -> tuple[list[dict[str, Any]], int, bool]:
    page = int_arg("page", 1, high=MAX_PAGE) or 1
    offset = (page - 1) * PER_PAGE
    found = store.recent_versions(outlet=outlet, limit=PER_PAGE + 1, offset=offset)
    if any(needs_diff_for_fields(version) for version in found[:PER_PAGE]):
        # Versions recorded before diff_stats named the changed fields: only their diffs do.
        found = store.recent_versions(outlet=outlet, limit=PER_PAGE + 1, offset=offset, with_diff=True)
    if page > 1 and not found:
        abort(404, f"there is no page {page}")
    return found[:PER_PAGE], page, len(found) > PER_PAGE


@pages.get("/", provide_automatic_options=False)
def home() -> str:
    changes, page, more = _page_of_versions(current_store(), None)
    return render_template("changes.html", changes=changes, page=page, more=more, outlet=None, counts=None)


@pages.get("/outlet/<name>", provide_automatic_options=False)
def outlet(name: str) -> str:
    store = current_store()
    now = current_time()
    # This outlet's rows only: the page costs the same however big the other outlets are.
    # "Due now" as `tracker status` counts it: what a crawl starting now would re-check.
    counts = store.outlet_counts(now + DUE_GRACE, outlet=name).get(name)
    if counts is None:
        abort(404, f"no outlet named “{name}” in this archive")
    recent = store.versions_since(now - dt.timedelta(hours=24), outlet=name).get(name, 0)
    counts = {**counts, "versions_24h": recent}
    changes, page, more = _page_of_versions(store, name)
    return render_template("changes.html", changes=changes, page=page, more=more, outlet=name, counts=counts)


def article_or_404(article_id: str) -> dict[str, Any]:
    if len(article_id) > 200:
        abort(404, "no such article")
    article = current_store().get_article(article_id)
    if article is None:
        abort(404, "no such article in this archive")
    return article


@pages.get("/article", provide_automatic_options=False)
def find_by_url() -> Response:
    url = (request.args.get("url") or "").strip()
    if not url:
        abort(400, "give the article's address as ?url=")
    if len(url) > 4000:
        abort(400, "that address is too long")
    try:
        found = article_id_of(url)
    except ValueError:
        abort(400, "that is not an article address")
    article_or_404(found)
    return redirect(url_for("pages.article", article_id=found), 302)


@pages.get("/article/<article_id>", provide_automatic_options=False)
def article(article_id: str) -> str:
    found = article_or_404(article_id)
    store = current_store()
    versions = store.list_versions(article_id)
    checks = store.list_checks(article_id, limit=RECENT_CHECKS)
    return render_template(
        "article.html", article=found, versions=versions, checks=checks,
        state=state_words(found, current_time(), current_policy()),
    )


def _version_or_404(article_id: str, number: int, count: int) -> dict[str, Any]:
    version = current_store().get_version(article_id, number) if 1 <= number <= count else None
    if version is None:
        abort(404, f"there is no version {number} of this article (versions 1 to {count})")
    return version


def _compare_numbers(count: int) -> tuple[int, int]:
    b = int_arg("b", count, high=10**6) or count
    a = int_arg("a", max(b - 1, 1), high=10**6) or 1
    return a, b


@pages.get("/article/<article_id>/compare", provide_automatic_options=False)
def compare(article_id: str) -> str:
    found = article_or_404(article_id)
    versions = current_store().list_versions(article_id)
    if not versions:
        abort(404, "this article has no stored versions yet")
    a, b = _compare_numbers(versions[-1]["version"])
    return _render_compare(found, versions, a, b)


@pages.get("/article/<article_id>/compare/<int:a>/<int:b>", provide_automatic_options=False)
def compare_path(article_id: str, a: int, b: int) -> str:
    found = article_or_404(article_id)
    versions = current_store().list_versions(article_id)
    return _render_compare(found, versions, a, b)


def _render_compare(found: dict[str, Any], versions: list[dict[str, Any]], a: int, b: int) -> str:
    count = versions[-1]["version"] if versions else 0
    old = _version_or_404(found["article_id"], a, count)
    new = _version_or_404(found["article_id"], b, count)
    mode = request.args.get("mode", "side")
    if mode not in ("side", "inline"):
        abort(400, "mode is side or inline")
    return render_template(
        "compare.html", article=found, versions=versions, old=old, new=new, a=a, b=b, mode=mode,
        comparison=compare_versions(old, new), gap=later(old.get("fetched_at"), new.get("fetched_at")),
        previous=(a - 1, a) if a > 1 else None, next=(b, b + 1) if b < count else None,
    )


@pages.get("/search", provide_automatic_options=False)
def search() -> str:
    query = (request.args.get("q") or "").strip()
    if len(query) > MAX_QUERY_CHARS:
        abort(400, f"a search is at most {MAX_QUERY_CHARS} characters")
    page = int_arg("page", 1, high=MAX_PAGE) or 1
    found = current_store().search(query, limit=PER_PAGE + 1, offset=(page - 1) * PER_PAGE) if query else []
    if page > 1 and not found:
        abort(404, f"there is no page {page} of results")
    return render_template("search.html", query=query, results=found[:PER_PAGE], page=page, more=len(found) > PER_PAGE)
