"""The web view when the store fails: a calm page with the right status, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.store import StoreUnavailable
from tracker.store.sqlite import SQLiteStore
from tracker.web import create_app

SECRET_URI = "mongodb://reader:hunter2@db.internal:27017/tracker"


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    return SQLiteStore(f"sqlite:///{tmp_path}/tracker.sqlite3")


def failing(exc: Exception):  # type: ignore[no-untyped-def]
    def fail(*args: object, **kwargs: object) -> None:
        raise exc
    return fail


def test_an_unreachable_store_is_a_503_page_and_json(store: SQLiteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "recent_versions", failing(StoreUnavailable(f"MongoDB unreachable at {SECRET_URI}")))
    monkeypatch.setattr(store, "list_articles", failing(StoreUnavailable(f"MongoDB unreachable at {SECRET_URI}")))
    client = create_app(store).test_client()
    page = client.get("/")
    assert page.status_code == 503 and page.mimetype == "text/html"
    body = page.get_data(as_text=True)
    assert "cannot be read right now" in body and "hunter2" not in body and "db.internal" not in body
    assert "Traceback" not in body and page.headers["Content-Security-Policy"]
    api = client.get("/api/articles")
    assert api.status_code == 503 and api.get_json()["status"] == 503 and "hunter2" not in api.get_data(as_text=True)


def test_an_unexpected_error_is_a_500_page(store: SQLiteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "get_article", failing(RuntimeError("boom at line 12")))
    client = create_app(store).test_client()
    page = client.get("/article/x")
    assert page.status_code == 500 and "boom" not in page.get_data(as_text=True)
    assert "could not be shown" in page.get_data(as_text=True)
    api = client.get("/api/articles/x")
    assert api.status_code == 500
    assert api.get_json() == {"error": "The page could not be shown. Please try again later.", "status": 500}
