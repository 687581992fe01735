"""RSS 2.0 and Atom feeds of changes (feedgen): everything, per outlet, per article.

Each entry is one stored version; it links to the comparison with the version before and
says what changed.
"""

from __future__ import annotations

from typing import Any

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, abort, request, url_for

from tracker.web.app import current_store
from tracker.web.compare import change_summary
from tracker.web.pages import article_or_404

feeds = Blueprint("feeds", __name__)

ENTRIES = 50
ARTICLE_ENTRIES = 20
FEED_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}


def _entry_link(version: dict[str, Any]) -> str:
    number = version["version"]
    if number == 1:
        return url_for("pages.article", article_id=version["article_id"], _external=True)
    return url_for("pages.compare_path", article_id=version["article_id"], a=number - 1, b=number, _external=True)


def _printable(text: str) -> str:
    # XML 1.0 cannot carry most control characters: hostile text must not break the feed.
    return "".join(ch for ch in text if ch.isprintable() or ch in "\n\t")


def _feed(kind: str, title: str, page: str, versions: list[dict[str, Any]]) -> Response:
    if kind not in FEED_TYPES:
        abort(404)
    generator = FeedGenerator()
    generator.id(request.base_url)
    generator.title(_printable(title))
    generator.link(href=page, rel="alternate")
    generator.link(href=request.base_url, rel="self")
    generator.description(_printable(title))
    generator.language("en")
    for version in reversed(versions):  # feedgen puts the last added first
        entry = generator.add_entry()
        link = _entry_link(version)
        headline = version.get("headline") or version["article_id"]
        entry.id(f"{link}#v{version['version']}")
        entry.title(_printable(f"{headline} (version {version['version']})"))
        entry.link(href=link)
        entry.published(version["fetched_at"])
        entry.updated(version["fetched_at"])
        entry.description(_printable(change_summary(version)))
        if version.get("outlet"):
            entry.category(term=_printable(version["outlet"]))
    body = generator.rss_str(pretty=True) if kind == "rss" else generator.atom_str(pretty=True)
    return Response(body, mimetype=FEED_TYPES[kind])


@feeds.get("/feed.<kind>", provide_automatic_options=False)
def everything(kind: str) -> Response:
    versions = current_store().recent_versions(limit=ENTRIES, with_diff=True)
    return _feed(kind, "tracker: latest changes", url_for("pages.home", _external=True), versions)


@feeds.get("/outlet/<name>/feed.<kind>", provide_automatic_options=False)
def outlet(name: str, kind: str) -> Response:
    versions = current_store().recent_versions(outlet=name, limit=ENTRIES, with_diff=True)
    if not versions:
        abort(404, f"no changes of an outlet named “{name}”")
    return _feed(kind, f"tracker: changes at {name}", url_for("pages.outlet", name=name, _external=True), versions)


@feeds.get("/article/<article_id>/feed.<kind>", provide_automatic_options=False)
def article(article_id: str, kind: str) -> Response:
    found = article_or_404(article_id)
    # One query: the newest versions with their diffs (which say what changed).
    versions = current_store().recent_versions(article_id=article_id, limit=ARTICLE_ENTRIES, with_diff=True)
    title = f"tracker: changes to “{found.get('headline') or found['url']}”"
    return _feed(kind, title, url_for("pages.article", article_id=article_id, _external=True), versions)
