"""The Flask application: one store, read-only routes, safe headers, friendly errors.

``create_app()`` with no store opens ``TRACKER_STORE`` (this is what the production command
``waitress-serve --call tracker.web:create_app`` does).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, g, render_template, request
from werkzeug.exceptions import HTTPException

from tracker.schedule import Policy, policy_from_settings
from tracker.store import Store, StoreError
from tracker.store.base import utcnow
from tracker.web import words
from tracker.web.compare import version_changed_fields

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
READ_METHODS = ("GET", "HEAD")


def project_policy() -> Policy:
    """The re-check schedule the crawls use (settings module and ``TRACKER_*`` variables)."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("tracker.settings")
    return policy_from_settings(settings)


def create_app(store: Store | str | None = None, *, now: Callable[[], dt.datetime] | None = None) -> Flask:
    """The web view over ``store`` (a Store, a store URI, or None for ``TRACKER_STORE``).

    ``now`` fixes the clock (tests, the demo); by default the real UTC time.
    """
    if not isinstance(store, Store):
        from tracker.cli import open_existing_store

        store = open_existing_store(store)
    app = Flask(__name__)
    app.config.update(TRACKER_STORE=store, TRACKER_NOW=now or utcnow, TRACKER_POLICY=project_policy())
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]

    from tracker.web.api import api
    from tracker.web.feeds import feeds
    from tracker.web.pages import pages

    app.register_blueprint(pages)
    app.register_blueprint(feeds)
    app.register_blueprint(api)
    app.before_request(_read_only)
    app.before_request(_refuse_nul)
    app.after_request(_security_headers)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(StoreError, _store_error)
    app.register_error_handler(Exception, _server_error)
    app.jinja_env.filters.update(ago=_ago, when=_when, iso=_iso)
    app.jinja_env.globals.update(safe_href=safe_href, words=words, changed_fields=version_changed_fields)
    return app


# --- request plumbing ------------------------------------------------------------------------


def _read_only() -> None:
    if request.method not in READ_METHODS:
        abort(405, valid_methods=list(READ_METHODS))


def _refuse_nul() -> None:
    # No stored text holds a NUL (docs/DATA.md), so such a request can find nothing; answered
    # here, it is neither echoed into a page nor sent to PostgreSQL (FerretDB), which refuses it.
    if "\x00" in request.path or b"%00" in request.query_string:
        abort(400, "a URL with a NUL character (%00) finds nothing here")


def _security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _http_error(error: HTTPException) -> Response | tuple[Any, int]:
    code = error.code or 500
    response = error.get_response()  # keeps the status and headers such as Allow
    if _wants_json():
        response.set_data(json.dumps({"error": error.description, "status": code}, ensure_ascii=False))
        response.mimetype = "application/json"
    else:
        response.set_data(render_template("error.html", message=error.description, code=code))
        response.mimetype = "text/html"
    return response


def _error_page(code: int, message: str) -> tuple[Any, int]:
    if _wants_json():
        return {"error": message, "status": code}, code
    return render_template("error.html", message=message, code=code), code


def _store_error(error: StoreError) -> tuple[Any, int]:
    # The store's message names the server (password masked) for the log, not for readers.
    current_app.logger.error("store error on %s: %s", request.path, error)
    return _error_page(503, "The archive cannot be read right now. Please try again in a minute.")


def _server_error(error: Exception) -> tuple[Any, int]:
    current_app.logger.exception("unexpected error on %s", request.path)  # with its traceback
    return _error_page(500, "The page could not be shown. Please try again later.")


# --- helpers for views ----------------------------------------------------------------------


def current_store() -> Store:
    return current_app.config["TRACKER_STORE"]


def current_time() -> dt.datetime:
    if "now" not in g:
        g.now = current_app.config["TRACKER_NOW"]()
    return g.now


def current_policy() -> Policy:
    return current_app.config["TRACKER_POLICY"]


def int_arg(
    name: str, default: int | None = None, *, low: int = 1, high: int = 10**6, past_high: int = 404
) -> int | None:
    """An integer query parameter in [low, high]; anything else is a 400 (``past_high`` past
    ``high``: 404 for page and version numbers, which just do not exist)."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 12:
        abort(400, f"{name} must be a whole number")
    value = int(raw)
    if value < low:
        abort(400, f"{name} must be at least {low}")
    if value > high:
        abort(past_high, f"there is no {name} {value}" if past_high == 404 else f"{name} is at most {high}")
    return value


def safe_href(url: str | None) -> str | None:
    """The URL when it may become a link (http or https only), else None."""
    if not url or not isinstance(url, str):
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


def _ago(moment: dt.datetime | None) -> str:
    return words.ago(moment, current_time())


def _when(moment: dt.datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "—"


def _iso(moment: dt.datetime | None) -> str:
    return moment.isoformat().replace("+00:00", "Z") if moment else ""
