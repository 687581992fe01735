"""tracker.schedule: the re-check policy as a pure function."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.schedule import Decision, Policy, next_check, parse_duration, parse_tiers, policy_from_settings

T0 = dt.datetime(2024, 1, 5, 12, 0, tzinfo=dt.timezone.utc)
MIN = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def article(changed_ago: dt.timedelta, **fields: object) -> dict:
    return {"first_seen_at": T0 - changed_ago, "last_changed_at": T0 - changed_ago, **fields}


@pytest.mark.parametrize(
    ("changed_ago", "fields", "expected"),
    [
        # Fresh articles every 15 minutes, then hourly, every 3 hours, daily.
        (dt.timedelta(0), {}, Decision("active", T0 + 15 * MIN)),
        (2 * HOUR + 59 * MIN, {}, Decision("active", T0 + 15 * MIN)),
        (3 * HOUR, {}, Decision("active", T0 + HOUR)),
        (23 * HOUR, {}, Decision("active", T0 + HOUR)),
        (DAY, {}, Decision("active", T0 + 3 * HOUR)),
        (6 * DAY, {}, Decision("active", T0 + 3 * HOUR)),
        (7 * DAY, {}, Decision("active", T0 + DAY)),
        (39 * DAY, {}, Decision("active", T0 + DAY)),
        # 40 days without a real change: retired.
        (40 * DAY, {}, Decision("retired", None)),
        (400 * DAY, {}, Decision("retired", None)),
        # Errors back off exponentially, capped, and never below the tier interval.
        (10 * MIN, {"consecutive_errors": 1, "last_outcome": "error"}, Decision("active", T0 + 30 * MIN)),
        (10 * MIN, {"consecutive_errors": 2, "last_outcome": "error"}, Decision("active", T0 + 60 * MIN)),
        (10 * MIN, {"consecutive_errors": 3, "last_outcome": "extraction_failed"}, Decision("active", T0 + 120 * MIN)),
        (10 * MIN, {"consecutive_errors": 30, "last_outcome": "error"}, Decision("active", T0 + 2 * DAY)),
        (10 * DAY, {"consecutive_errors": 1, "last_outcome": "error"}, Decision("active", T0 + DAY)),
        # A success after errors: the tier interval again.
        (10 * MIN, {"consecutive_errors": 0, "last_outcome": "unchanged"}, Decision("active", T0 + 15 * MIN)),
        # 404/410: once is an error, twice in a row is gone.
        (10 * MIN, {"consecutive_gone": 1, "consecutive_errors": 1, "last_outcome": "gone"}, Decision("active", T0 + 30 * MIN)),
        (10 * MIN, {"consecutive_gone": 2, "consecutive_errors": 2, "last_outcome": "gone"}, Decision("gone", None)),
    ],
)
def test_policy_table(changed_ago: dt.timedelta, fields: dict, expected: Decision) -> None:
    assert next_check(article(changed_ago, **fields), T0) == expected


def test_the_clock_runs_from_the_last_real_change_not_first_sight() -> None:
    # Seen 30 days ago, really changed an hour ago: checked hourly, as a fresh story.
    fields = {"first_seen_at": T0 - 30 * DAY, "last_changed_at": T0 - 2 * HOUR}
    assert next_check(fields, T0) == Decision("active", T0 + 15 * MIN)


def test_never_changed_article_counts_from_first_sight() -> None:
    assert next_check({"first_seen_at": T0 - 2 * DAY, "last_changed_at": None}, T0) == Decision("active", T0 + 3 * HOUR)


def test_a_clock_in_the_future_does_not_break_the_policy() -> None:
    assert next_check(article(-HOUR), T0) == Decision("active", T0 + 15 * MIN)


def test_custom_policy() -> None:
    policy = Policy(tiers=((HOUR, MIN),), retire_after=2 * HOUR, gone_after=3)
    assert next_check(article(30 * MIN), T0, policy) == Decision("active", T0 + MIN)
    assert next_check(article(90 * MIN), T0, policy) == Decision("active", T0 + MIN)
    assert next_check(article(2 * HOUR), T0, policy) == Decision("retired", None)
    assert next_check(article(MIN, consecutive_gone=2), T0, policy).state == "active"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("90s", dt.timedelta(seconds=90)), ("15m", 15 * MIN), ("3h", 3 * HOUR), ("40d", 40 * DAY),
     ("1w", 7 * DAY), ("0s", dt.timedelta(0)), ("2.5h", 150 * MIN), (30, dt.timedelta(seconds=30))],
)
def test_parse_duration(text: str | int, expected: dt.timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "soon", "5 parsecs", "-3h", "h"])
def test_parse_duration_rejects_nonsense(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


def test_parse_tiers_and_settings() -> None:
    assert parse_tiers("3h:15m,1d:1h") == ((3 * HOUR, 15 * MIN), (DAY, HOUR))
    with pytest.raises(ValueError, match="increasing"):
        parse_tiers("1d:1h,3h:15m")
    policy = policy_from_settings({"TRACKER_SCHEDULE_TIERS": "1h:1m,2h:5m", "TRACKER_GONE_AFTER": "3"})
    assert policy.tiers == ((HOUR, MIN), (2 * HOUR, 5 * MIN))
    assert policy.retire_after == 2 * HOUR  # defaults to the last tier's bound
    assert policy.gone_after == 3
    assert policy_from_settings({}) == Policy()


@pytest.mark.parametrize("text", ["soon", "3h", "3h:15m:1h", "3h:soon"])
def test_parse_tiers_rejects_nonsense_clearly(text: str) -> None:
    with pytest.raises(ValueError, match="AGE:INTERVAL|duration"):
        parse_tiers(text)
