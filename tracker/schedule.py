"""When to check an article again: a pure function of its history.

An article changes most in its first hours, so it is checked often while it is fresh and
less and less as its text settles; after ``retire_after`` without a real change it is retired
("won't be checked again for changes"). The clock is the time since the last *real* change:
boring (formatting-only) changes, unchanged checks and 304s don't reset it. Errors back off
exponentially (capped) on top; 404/410 ``gone_after`` times in a row mark the article gone.

Defaults follow NewsDiffs' tiers, stretched to News Sniffer's 40-day horizon:

    since last change   check every
    < 3 hours           15 minutes
    < 1 day             1 hour
    < 7 days            3 hours
    < 40 days           1 day
    otherwise           retired
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Tier = tuple[dt.timedelta, dt.timedelta]  # (age below which it applies, interval)

DEFAULT_TIERS: tuple[Tier, ...] = (
    (dt.timedelta(hours=3), dt.timedelta(minutes=15)),
    (dt.timedelta(days=1), dt.timedelta(hours=1)),
    (dt.timedelta(days=7), dt.timedelta(hours=3)),
    (dt.timedelta(days=40), dt.timedelta(days=1)),
)
FAILED_OUTCOMES = frozenset({"error", "gone", "extraction_failed"})


@dataclass(frozen=True)
class Policy:
    tiers: tuple[Tier, ...] = DEFAULT_TIERS
    # Retired once this long without a real change (the last tier's bound by default).
    retire_after: dt.timedelta = dt.timedelta(days=40)
    error_backoff: dt.timedelta = dt.timedelta(minutes=30)   # first retry after an error
    error_backoff_max: dt.timedelta = dt.timedelta(days=2)
    gone_after: int = 2                                      # 404/410 this many times in a row

    def interval(self, age: dt.timedelta) -> dt.timedelta | None:
        """The check interval for an article whose text last changed ``age`` ago."""
        if age >= self.retire_after:
            return None
        for bound, interval in self.tiers:
            if age < bound:
                return interval
        return self.tiers[-1][1]


@dataclass(frozen=True)
class Decision:
    state: str                          # active / retired / gone
    next_check_at: dt.datetime | None   # None: not checked again (retired, gone)
    reason: str = field(default="", compare=False)


def next_check(article: Mapping[str, Any], now: dt.datetime, policy: Policy = Policy()) -> Decision:
    """State and next check time of an article after a check at ``now``.

    ``article`` holds the fields of the article document *after* that check:
    first_seen_at, last_changed_at, last_outcome, consecutive_errors, consecutive_gone.
    """
    if (article.get("consecutive_gone") or 0) >= policy.gone_after:
        return Decision("gone", None, f"404/410 {article.get('consecutive_gone')} times in a row")
    changed = article.get("last_changed_at") or article.get("first_seen_at") or now
    age = max(now - changed, dt.timedelta(0))
    interval = policy.interval(age)
    if interval is None:
        return Decision("retired", None, f"no real change for {age.days} days")
    errors = article.get("consecutive_errors") or 0
    if errors and article.get("last_outcome") in FAILED_OUTCOMES:
        backoff = min(policy.error_backoff * (2 ** (errors - 1)), policy.error_backoff_max)
        if backoff > interval:
            return Decision("active", now + backoff, f"error {errors} in a row: back off {backoff}")
    return Decision("active", now + interval, f"changed {age} ago: every {interval}")


# --- settings -------------------------------------------------------------------------------

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|min|h|d|w)?\s*$", re.IGNORECASE)
_UNITS = {"s": "seconds", "m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(value: str | int | float | dt.timedelta) -> dt.timedelta:
    """``15m``, ``3h``, ``40d``, ``90s`` or a number of seconds."""
    if isinstance(value, dt.timedelta):
        return value
    if isinstance(value, int | float):
        return dt.timedelta(seconds=value)
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError(f"not a duration: {value!r} (use e.g. 90s, 15m, 3h, 40d)")
    unit = _UNITS[(match.group(2) or "s").lower()]
    return dt.timedelta(**{unit: float(match.group(1))})


def parse_tiers(value: str | list[Any] | tuple[Any, ...]) -> tuple[Tier, ...]:
    """``"3h:15m,1d:1h,7d:3h,40d:1d"`` (or a list of pairs): age bound -> interval."""
    pairs = value.split(",") if isinstance(value, str) else list(value)
    tiers: list[Tier] = []
    for pair in pairs:
        parts = pair.split(":") if isinstance(pair, str) else list(pair)
        if len(parts) != 2:
            raise ValueError(f"schedule tier {pair!r} is not AGE:INTERVAL (e.g. 3h:15m)")
        tiers.append((parse_duration(parts[0]), parse_duration(parts[1])))
    if not tiers or [bound for bound, _ in tiers] != sorted(bound for bound, _ in tiers):
        raise ValueError(f"schedule tiers must be non-empty and in increasing order: {value!r}")
    return tuple(tiers)


def policy_from_settings(settings: Any) -> Policy:
    """The policy from Scrapy settings (or any mapping with ``.get``)."""
    tiers = parse_tiers(settings.get("TRACKER_SCHEDULE_TIERS") or "3h:15m,1d:1h,7d:3h,40d:1d")
    return Policy(
        tiers=tiers,
        retire_after=parse_duration(settings.get("TRACKER_RETIRE_AFTER") or tiers[-1][0]),
        error_backoff=parse_duration(settings.get("TRACKER_ERROR_BACKOFF") or "30m"),
        error_backoff_max=parse_duration(settings.get("TRACKER_ERROR_BACKOFF_MAX") or "2d"),
        gone_after=int(settings.get("TRACKER_GONE_AFTER") or 2),
    )
