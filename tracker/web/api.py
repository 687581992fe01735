"""The JSON API under ``/api/``: the field names of docs/DATA.md, times in ISO 8601 UTC.

Raw page bytes never leave: versions come without ``html``.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from flask import Blueprint, abort, request

from tracker.cli import jsonable
from tracker.store.base import ARTICLE_STATES, as_utc
from tracker.web.app import current_store, int_arg
from tracker.web.compare import diff_document
from tracker.web.pages import article_or_404

api = Blueprint("api", __name__, url_prefix="/api")

DEFAULT_LIMIT, MAX_LIMIT = 50, 500
API_CHECKS = 100


def encode_cursor(article: dict[str, Any]) -> str:
    """Opaque cursor: the sort key (last_changed_at, article_id) of the last article given."""
    key = json.dumps([jsonable(article["last_changed_at"]), article["article_id"]])
    return base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[Any, str]:
    try:
        stamp, article_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        moment = as_utc(stamp)
        if moment is None or not isinstance(article_id, str):
            raise ValueError
        return moment, article_id
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        abort(400, "cursor is not one this API gave out")


def _without_html(version: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in version.items() if name != "html"}


@api.get("/articles", provide_automatic_options=False)
def articles() -> dict[str, Any]:
    state = request.args.get("state") or None
    if state is not None and state not in ARTICLE_STATES:
        abort(400, f"state is one of {', '.join(ARTICLE_STATES)}")
    since = None
    if request.args.get("changed_since"):
        try:
            since = as_utc(request.args["changed_since"])
        except ValueError:
            abort(400, "changed_since must be an ISO 8601 time, e.g. 2024-01-05T10:00:00Z")
    cursor = request.args.get("cursor")
    limit = int_arg("limit", DEFAULT_LIMIT, high=MAX_LIMIT, past_high=400) or DEFAULT_LIMIT
    found = current_store().list_articles(
        outlet=request.args.get("outlet") or None, state=state, changed_since=since,
        after=decode_cursor(cursor) if cursor else None, limit=limit + 1,
    )
    page = found[:limit]
    more = len(found) > limit
    return {"articles": jsonable(page), "next_cursor": encode_cursor(page[-1]) if more else None}


@api.get("/articles/<article_id>", provide_automatic_options=False)
def article(article_id: str) -> dict[str, Any]:
    found = article_or_404(article_id)
    store = current_store()
    return jsonable({
        "article": found,
        "versions": store.list_versions(article_id),
        "checks": store.list_checks(article_id, limit=API_CHECKS),
    })


@api.get("/articles/<article_id>/versions/<int:number>", provide_automatic_options=False)
def version(article_id: str, number: int) -> dict[str, Any]:
    article_or_404(article_id)
    found = current_store().get_version(article_id, number)
    if found is None:
        abort(404, f"there is no version {number} of this article")
    return jsonable(_without_html(found))


def _diff(article_id: str, a: int, b: int) -> dict[str, Any]:
    article_or_404(article_id)
    store = current_store()
    old, new = store.get_version(article_id, a), store.get_version(article_id, b)
    if old is None or new is None:
        abort(404, f"there is no version {a if old is None else b} of this article")
    return {"article_id": article_id, "a": a, "b": b, "diff": diff_document(old, new)}


@api.get("/articles/<article_id>/diff", provide_automatic_options=False)
def diff(article_id: str) -> dict[str, Any]:
    a, b = int_arg("a"), int_arg("b")
    if a is None or b is None:
        abort(400, "give the two versions as ?a=&b=")
    return _diff(article_id, a, b)


@api.get("/articles/<article_id>/diff/<int:a>/<int:b>", provide_automatic_options=False)
def diff_path(article_id: str, a: int, b: int) -> dict[str, Any]:
    return _diff(article_id, a, b)
