"""Stored facts in plain words (tracker.web.words) and the compare layout (tracker.web.compare)."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.schedule import Policy
from tracker.web.compare import change_summary, compare_versions, field_changes
from tracker.web.words import ago, duration_words, interval_words, later, state_words

NOW = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.timezone.utc)
H, M, D = dt.timedelta(hours=1), dt.timedelta(minutes=1), dt.timedelta(days=1)


@pytest.mark.parametrize(("delta", "words"), [
    (dt.timedelta(seconds=20), "less than a minute"),
    (M, "1 minute"), (20 * M, "20 minutes"), (59 * M, "59 minutes"),
    (H, "about an hour"), (3 * H + 50 * M, "about 4 hours"), (30 * H, "about 30 hours"),
    (2 * D, "2 days"), (40 * D + 5 * H, "over 40 days"), (800 * D, "over 2 years"),
])
def test_duration_words(delta: dt.timedelta, words: str) -> None:
    assert duration_words(delta) == words
    assert duration_words(-delta) == words


def test_ago_and_later() -> None:
    assert ago(NOW - 4 * H, NOW) == "about 4 hours ago"
    assert ago(NOW + 20 * M, NOW) == "in 20 minutes"
    assert ago(None, NOW) == "never"
    assert later(NOW, NOW + 4 * H) == "about 4 hours later"
    assert later(NOW + 4 * H, NOW) == "about 4 hours earlier"


@pytest.mark.parametrize(("interval", "words"), [
    (15 * M, "every 15 minutes"), (H, "every hour"), (3 * H, "every 3 hours"), (D, "every day"),
    (dt.timedelta(seconds=90), "every 90 seconds"),
])
def test_interval_words(interval: dt.timedelta, words: str) -> None:
    assert interval_words(interval) == words


def test_state_words_follow_the_schedule() -> None:
    policy = Policy()
    fresh = {"state": "active", "last_changed_at": NOW - H, "next_check_at": NOW + 15 * M}
    assert state_words(fresh, NOW, policy) == "checked every 15 minutes, next check in 15 minutes"
    settled = {"state": "active", "last_changed_at": NOW - 3 * D, "next_check_at": NOW - M}
    assert state_words(settled, NOW, policy) == "checked every 3 hours, next check due now"
    assert state_words({"state": "retired"}, NOW, policy) == "won't be checked again for changes"
    assert state_words({"state": "gone", "last_status": 404}, NOW, policy) == "gone: the page answered 404"
    stale = {"state": "active", "last_changed_at": NOW - 41 * D}  # retired at its next check
    assert state_words(stale, NOW, policy) == "won't be checked again for changes"
    custom = Policy(tiers=((D, 2 * H),), retire_after=D)
    assert state_words({"state": "active", "last_changed_at": NOW - H}, NOW, custom) == "checked every 2 hours"


def test_compare_marks_words_and_compares_every_text_field() -> None:
    old = {"headline": "Five hurt", "authors": ["A. Writer"], "standfirst": "Police say", "word_count": 5,
           "paragraphs": ["Police said five people were hurt.", "Unchanged paragraph.",
                          "The mayor declined to comment."]}
    new = {"headline": "Six hurt", "authors": ["A. Writer", "B. Writer"], "standfirst": "Police say", "word_count": 6,
           "paragraphs": ["Police said six people were hurt.", "Unchanged paragraph.",
                          "Officials will give details on Friday morning."]}
    comparison = compare_versions(old, new)
    assert [row.op for row in comparison.rows] == ["replace", "equal", "delete", "insert"]
    replaced = comparison.rows[0]
    assert ("del", "five") in replaced.old and ("ins", "six") in replaced.new
    assert "".join(text for _, text in replaced.old) == old["paragraphs"][0]
    assert "".join(text for mark, text in replaced.inline if mark != "ins") == old["paragraphs"][0]
    assert comparison.rows[2].new == [] and comparison.rows[3].old == []
    assert [change.name for change in comparison.fields] == ["headline", "authors", "standfirst"]
    assert [change.name for change in comparison.changed_fields] == ["headline", "authors"]
    assert ("ins", "; B. Writer") in field_changes(old, new)[1].new


def test_change_summary_in_words() -> None:
    assert change_summary({"version": 1, "word_count": 120}) == "First seen: 120 words."
    summary = change_summary({
        "version": 2, "diff_stats": {"words_added": 3, "words_removed": 1},
        "diff": {"headline": {"old": "Five hurt", "new": "Six hurt"},
                 "sentences": {"edited": [{"old": "Five were hurt.", "new": "Six were hurt."}], "added": ["New one."]}},
    })
    assert summary == ("Headline changed from “Five hurt” to “Six hurt”. +3 / −1 words. "
                       "Now reads: Six were hurt. … New one.")
