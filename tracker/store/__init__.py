"""Stores behind one interface, chosen by the scheme of the ``TRACKER_STORE`` URI.

>>> store = open_store("sqlite:///data/tracker.sqlite3")

Backends register a URI scheme and are imported only when used, so that pymongo is needed
only by those who store in MongoDB.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

from tracker.store.base import (
    OUTCOMES,
    Store,
    StoreError,
    StoreUnavailable,
    VersionConflict,
    mask_uri,
)

DEFAULT_STORE_URI = "sqlite:///data/tracker.sqlite3"

# scheme -> "module:Class"; the one place that names the backends.
BACKENDS: dict[str, str] = {
    "sqlite": "tracker.store.sqlite:SQLiteStore",
    "mongodb": "tracker.store.mongo:MongoStore",
    "mongodb+srv": "tracker.store.mongo:MongoStore",
}

__all__ = [
    "BACKENDS",
    "DEFAULT_STORE_URI",
    "OUTCOMES",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "VersionConflict",
    "default_store_uri",
    "mask_uri",
    "open_store",
]


def default_store_uri() -> str:
    """``TRACKER_STORE`` from the environment, else the SQLite file under ``data/``."""
    return os.environ.get("TRACKER_STORE") or DEFAULT_STORE_URI


def open_store(uri: str | None = None, **options: Any) -> Store:
    """Open the store named by ``uri`` (default: :func:`default_store_uri`)."""
    uri = uri or default_store_uri()
    scheme = uri.split(":", 1)[0].lower() if ":" in uri else ""
    target = BACKENDS.get(scheme)
    if target is None:
        known = ", ".join(f"{name}://" for name in BACKENDS)
        raise StoreError(f"unknown store URI {mask_uri(uri)!r}: expected one of {known}")
    module_name, class_name = target.split(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise StoreError(f"store {mask_uri(uri)!r} needs a missing package: {exc.name}") from exc
    store_class: type[Store] = getattr(module, class_name)
    return store_class(uri, **options)
