"""Stored facts in plain words, as News Sniffer says them: "about 4 hours ago", "checked every hour".

Pure functions of the facts and the clock, so that pages, feeds and tests agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from tracker.schedule import Policy


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def duration_words(delta: dt.timedelta) -> str:
    """``less than a minute``, ``20 minutes``, ``about 4 hours``, ``over 40 days``."""
    seconds = abs(delta.total_seconds())
    minutes = round(seconds / 60)
    if seconds < 60:
        return "less than a minute"
    if minutes < 60:
        return _plural(minutes, "minute")
    hours = seconds / 3600
    if hours < 47.5:
        return "about " + ("an hour" if round(hours) == 1 else _plural(round(hours), "hour"))
    days, rest = divmod(int(seconds), 86400)
    if days >= 730:
        return "over " + _plural(days // 365, "year")
    return ("over " if rest >= 3600 else "") + _plural(days, "day")


def ago(moment: dt.datetime | None, now: dt.datetime) -> str:
    """``about 4 hours ago`` (or ``in 20 minutes`` for a time still ahead)."""
    if moment is None:
        return "never"
    if moment > now + dt.timedelta(seconds=59):
        return "in " + duration_words(moment - now)
    return duration_words(now - moment) + " ago"


def later(first: dt.datetime | None, second: dt.datetime | None) -> str:
    """``about 4 hours later`` between two versions (``earlier`` when compared backwards)."""
    if first is None or second is None:
        return ""
    if second >= first:
        return duration_words(second - first) + " later"
    return duration_words(first - second) + " earlier"


def interval_words(interval: dt.timedelta) -> str:
    """``every 15 minutes``, ``every hour``, ``every 3 hours``, ``every day``."""
    seconds = int(interval.total_seconds())
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"every {unit}" if count == 1 else f"every {count} {unit}s"
    return f"every {_plural(seconds, 'second')}"


def state_words(article: Mapping[str, Any], now: dt.datetime, policy: Policy) -> str:
    """What the tracker will do with the article, from its stored state and the schedule."""
    state = article.get("state") or "active"
    if state == "gone":
        status = article.get("last_status")
        return f"gone: the page answered {status}" if status else "gone: the page is no longer there"
    if state == "retired":
        return "won't be checked again for changes"
    changed = article.get("last_changed_at") or article.get("first_seen_at") or now
    interval = policy.interval(max(now - changed, dt.timedelta(0)))
    if interval is None:
        return "won't be checked again for changes"
    parts = [f"checked {interval_words(interval)}"]
    due = article.get("next_check_at")
    if due is not None:
        parts.append("next check due now" if due <= now else f"next check in {duration_words(due - now)}")
    return ", ".join(parts)


def joined(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def fields_changed_words(names: list[str]) -> str:
    """``headline changed``, ``headline and standfirst changed`` (empty: nothing but the body)."""
    return f"{joined(names)} changed" if names else ""


def outcome_words(check: Mapping[str, Any]) -> str:
    """A check's outcome as a reader says it: ``changed → version 5``, ``flip-flop: the text
    of version 2 again (not stored again)``."""
    outcome = check.get("outcome") or ""
    matched = check.get("matched_version")
    if outcome == "flipflop":
        return f"flip-flop: the text of version {matched} again (not stored again)" if matched else "flip-flop"
    words = outcome.replace("_", " ")
    if check.get("version"):
        words += f" → version {check['version']}"
        if matched:
            words += f" (same text as version {matched})"
    return words
