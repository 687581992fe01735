"""What ``tracker status`` shows: per outlet, how the tracking stands."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tracker.settings import TRACKER_DUE_GRACE
from tracker.store.base import Store, empty_outlet_counts

# An outlet whose parser disagreed with the generic extractor (or found no body at all) on at
# least this share of the articles checked in the last 24 hours looks broken: a redesign.
PARSER_BROKEN_SHARE = 0.3


# How far ahead "due now" looks: what a crawl starting now would re-check (its due query's grace).
DUE_GRACE = dt.timedelta(seconds=TRACKER_DUE_GRACE)


def outlet_status(store: Store, now: dt.datetime, due_grace: dt.timedelta = DUE_GRACE) -> list[dict[str, Any]]:
    """One row per outlet: tracked, active, retired, gone, due_now, last_crawl, versions_24h,
    and parser health: checked_24h, disagreement_24h (share of those checks), parser_broken;
    ``pending`` (active articles whose every check failed: not counted as ``active``) and
    ``last_run``, the summary of the outlet's latest crawl (also for an outlet with no article).
    ``due_now`` counts what a crawl starting ``now`` would re-check: due by ``now + due_grace``."""
    day_ago = now - dt.timedelta(hours=24)
    counts = store.outlet_counts(now + due_grace)
    recent = store.versions_since(day_ago)
    health = store.parser_health(day_ago)
    pending = store.pending_counts()
    runs = store.last_runs()
    for outlet in runs:
        counts.setdefault(outlet, empty_outlet_counts())
    return [
        {"outlet": outlet, **split_pending(counts[outlet], pending.get(outlet, 0)), "versions_24h": recent.get(outlet, 0),
         **parser_health_row(health.get(outlet)), "last_run": runs.get(outlet)}
        for outlet in sorted(counts)
    ]


def split_pending(counts: dict[str, Any], pending: int) -> dict[str, Any]:
    """The outlet's counts with its ``pending`` articles taken out of ``active``."""
    return {**counts, "active": counts["active"] - pending, "pending": pending}


def parser_health_row(health: dict[str, int] | None) -> dict[str, Any]:
    """``checked_24h``, ``disagreement_24h`` (None without checks) and ``parser_broken``."""
    checked = (health or {}).get("checked", 0)
    if not checked:
        return {"checked_24h": 0, "disagreement_24h": None, "parser_broken": False}
    assert health is not None
    broken = (health["disagreeing"] + health["fallback"]) / checked >= PARSER_BROKEN_SHARE
    return {"checked_24h": checked, "disagreement_24h": round(health["disagreeing"] / checked, 3), "parser_broken": broken}
