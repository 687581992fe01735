"""What ``tracker status`` shows: per outlet, how the tracking stands."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tracker.store.base import ARTICLE_STATES, Store


def outlet_status(store: Store, now: dt.datetime) -> list[dict[str, Any]]:
    """One row per outlet: tracked, active, retired, gone, due_now, last_crawl, versions_24h."""
    rows: dict[str, dict[str, Any]] = {}
    for article in store.iter_articles(states=ARTICLE_STATES):
        outlet = article.get("outlet") or ""
        row = rows.setdefault(
            outlet,
            {"outlet": outlet, "tracked": 0, "active": 0, "retired": 0, "gone": 0,
             "due_now": 0, "last_crawl": None, "versions_24h": 0},
        )
        row["tracked"] += 1
        state = article.get("state") or "active"
        row[state] = row.get(state, 0) + 1
        next_check_at = article.get("next_check_at")
        if state == "active" and next_check_at is not None and next_check_at <= now:
            row["due_now"] += 1
        checked = article.get("last_checked_at")
        if checked is not None and (row["last_crawl"] is None or checked > row["last_crawl"]):
            row["last_crawl"] = checked
    for outlet, count in store.versions_since(now - dt.timedelta(hours=24)).items():
        if outlet in rows:
            rows[outlet]["versions_24h"] = count
    return [rows[outlet] for outlet in sorted(rows)]
