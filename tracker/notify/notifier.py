"""``tracker notify``: reads the versions the crawls stored and sends what each rule asks for.

It runs beside the crawls, never in them: a slow or dead target cannot slow a crawl, and a
crawl never waits for a message. Everything it remembers lives in the store:

* per rule (``notify_rules``), a read position in the order versions were *written* (not
  fetched: a page replayed from the spool is written long after it was fetched) and the
  times of its recent sends (the flood guard);
* per rule and version it decided to send (``notifications``), a record keyed by rule,
  article and version, so that nothing is queued twice, also across restarts; its status
  says ``pending``, ``sent``, ``summarised`` (sent within a flood-guard summary) or
  ``failed`` (retried with back-off, then given up, with the last error).

Each rule runs in its own thread, so a target that hangs only delays its own rule, and at
most one failed attempt per rule per round.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from tracker.notify.message import Message, summary_message, version_message
from tracker.notify.rules import Rule
from tracker.notify.send import Sender, SendError
from tracker.store.base import Store, as_utc, utcnow

logger = logging.getLogger(__name__)

PAGE = 200
MAX_READ_PER_ROUND = 5_000   # versions looked at per rule per round (the rest: next round)
MAX_DUE_PER_ROUND = 1_000    # pending messages considered per rule per round
HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class NotifyOptions:
    web_base_url: str = ""
    max_per_hour: int = 30              # 0: no flood guard
    attempts: int = 5                   # then the notification is marked failed
    backoff: dt.timedelta = dt.timedelta(minutes=1)  # before the 2nd attempt, doubling
    timeout: float = 10.0               # seconds per delivery attempt
    max_age: dt.timedelta | None = dt.timedelta(days=7)  # older fetches are not news


@dataclass
class RuleReport:
    rule: Rule
    queued: int = 0
    sent: int = 0
    summarised: int = 0
    retrying: int = 0
    failed: int = 0
    held: int = 0  # waiting for the flood guard
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        parts = [f"{self.queued} queued", f"{self.sent} sent"]
        parts += [f"{n} {name}" for name, n in (("summarised", self.summarised), ("to retry", self.retrying),
                                                ("failed", self.failed), ("held by the flood guard", self.held)) if n]
        error = f" (last error: {self.errors[-1]})" if self.errors else ""
        return f"rule {self.rule.index} {self.rule.target}: {', '.join(parts)}{error}"


def _position(version: dict[str, Any]) -> tuple[dt.datetime, str, int]:
    return (version["stored_at"], version["article_id"], int(version["version"]))


def _encode_cursor(position: tuple[dt.datetime, str, int], read_at: dt.datetime) -> list[Any]:
    return [position[0].isoformat(), position[1], position[2], read_at.isoformat()]


def _decode_cursor(value: list[Any]) -> tuple[tuple[dt.datetime, str, int], dt.datetime]:
    """The position of the last version read, and when that read began."""
    stamp = as_utc(value[0])
    assert stamp is not None
    return (stamp, str(value[1]), int(value[2])), as_utc(value[3]) if len(value) > 3 else stamp  # type: ignore[return-value]


class Notifier:
    def __init__(
        self,
        store: Store,
        rules: list[Rule],
        options: NotifyOptions | None = None,
        *,
        now: Callable[[], dt.datetime] = utcnow,
        since: dt.datetime | None = None,
        sender_factory: Callable[[Rule, float], Any] | None = None,
    ) -> None:
        self.store = store
        self.rules = rules
        self.options = options or NotifyOptions()
        self.now = now
        self.since = since
        make = sender_factory or (lambda rule, timeout: Sender(rule.url, timeout=timeout, webhook=rule.is_webhook))
        self.senders = {rule.rule_id: make(rule, self.options.timeout) for rule in rules}

    def run_round(self) -> list[RuleReport]:
        """Queue what is new for every rule and send what is due, each rule in its own thread."""
        if not self.rules:
            return []
        with ThreadPoolExecutor(max_workers=min(len(self.rules), 16), thread_name_prefix="notify") as pool:
            return list(pool.map(self.run_rule, self.rules))

    def run_rule(self, rule: Rule) -> RuleReport:
        report = RuleReport(rule)
        state = self._state(rule)
        self._queue_new_versions(rule, state, report)
        self._deliver(rule, state, report)
        return report

    # --- reading new versions -----------------------------------------------------------

    def _state(self, rule: Rule) -> dict[str, Any]:
        state = self.store.notify_rule_state(rule.rule_id)
        if state is None:  # a new rule starts now (or at --since): the archive's past is not news
            since = self.since or self.now()
            state = {"rule_id": rule.rule_id, "target": rule.target, "since": since,
                     "cursor": _encode_cursor((since, "", 0), since), "recent_sends": []}
            self.store.save_notify_rule_state(state)
        return state

    def _queue_new_versions(self, rule: Rule, state: dict[str, Any], report: RuleReport) -> None:
        cursor, read_at = _decode_cursor(state["cursor"])
        since = as_utc(state.get("since")) or cursor[0]
        # A version may land after a later-stamped one was read (MongoDB: minutes; SQLite: a
        # step of the clock), but not later than the store's slack after its stamp: re-read
        # from there (what was queued is not queued again).
        start = min(cursor[0], read_at - self.store.write_order_slack)
        after: tuple[dt.datetime, str, int] = (max(start, since), "", 0)
        started = self.now()
        newest, read = cursor, 0
        while read < MAX_READ_PER_ROUND:
            page = self.store.versions_after(after, limit=PAGE)
            for version in page:
                if self._wanted(rule, version) and self.store.add_notification(self._queued(rule, version)):
                    report.queued += 1
                newest = max(newest, _position(version))
            read += len(page)
            if len(page) < PAGE:
                break
            after = _position(page[-1])
        state["cursor"] = _encode_cursor(newest, started)
        self.store.save_notify_rule_state(state)

    def _wanted(self, rule: Rule, version: dict[str, Any]) -> bool:
        fetched = as_utc(version.get("fetched_at"))
        max_age = self.options.max_age
        if max_age is not None and fetched is not None and fetched < self.now() - max_age:
            return False
        return rule.matches(version)

    def _queued(self, rule: Rule, version: dict[str, Any]) -> dict[str, Any]:
        now = self.now()
        return {"rule_id": rule.rule_id, "article_id": version["article_id"], "version": int(version["version"]),
                "status": "pending", "attempts": 0, "created_at": now, "next_attempt_at": now}

    # --- sending ------------------------------------------------------------------------

    def _deliver(self, rule: Rule, state: dict[str, Any], report: RuleReport) -> None:
        now = self.now()
        due = self.store.due_notifications(rule.rule_id, now, limit=MAX_DUE_PER_ROUND)
        if not due:
            return
        recent = [t for t in (as_utc(s) for s in state.get("recent_sends") or []) if t and t > now - HOUR]
        allowed = len(due) if not self.options.max_per_hour else self.options.max_per_hour - len(recent)
        if allowed <= 0:
            report.held = len(due)
            return
        single, batched = (due, []) if len(due) <= allowed else (due[: allowed - 1], due[allowed - 1:])
        try:
            for notification in single:
                if not self._send_one(rule, notification, report):
                    return  # the target is failing: the rest waits for the next round
                recent.append(self.now())
            if batched and self._send_summary(rule, batched, report):
                recent.append(self.now())
        finally:
            state["recent_sends"] = [t.isoformat() for t in recent]
            self.store.save_notify_rule_state(state)

    def _message_parts(self, notification: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
        version = self.store.get_version(notification["article_id"], notification["version"])
        if version is None:
            return None
        version.pop("html", None)
        article = self.store.get_article(notification["article_id"]) or {}
        return article, version

    def _send_one(self, rule: Rule, notification: dict[str, Any], report: RuleReport) -> bool:
        parts = self._message_parts(notification)
        if parts is None:
            self._record(notification, "failed", report, error="the version is no longer stored")
            return True
        message = version_message(*parts, base_url=self.options.web_base_url)
        return self._attempt(rule, [notification], message, report, status="sent")

    def _send_summary(self, rule: Rule, batch: list[dict[str, Any]], report: RuleReport) -> bool:
        items = [parts for notification in batch if (parts := self._message_parts(notification))]
        message = summary_message(items, base_url=self.options.web_base_url)
        return self._attempt(rule, batch, message, report, status="summarised")

    def _attempt(self, rule: Rule, batch: list[dict[str, Any]], message: Message, report: RuleReport,
                 *, status: str) -> bool:
        try:
            self.senders[rule.rule_id].send(message)
        except SendError as exc:
            report.errors.append(str(exc))
            logger.warning("rule %s %s: %s (%d message(s) will be retried or given up)",
                           rule.index, rule.target, exc, len(batch))
            for notification in batch:
                self._failed_attempt(notification, str(exc), report)
            return False
        for notification in batch:
            self._record(notification, status, report, sent_at=self.now())
        logger.info("rule %s %s: %s %s", rule.index, rule.target, status, message.title)
        return True

    def _failed_attempt(self, notification: dict[str, Any], error: str, report: RuleReport) -> None:
        attempts = int(notification.get("attempts") or 0) + 1
        if attempts >= self.options.attempts:
            self._record(notification, "failed", report, attempts=attempts, error=error)
            return
        delay = self.options.backoff * (2 ** (attempts - 1))
        report.retrying += 1
        self.store.update_notification({**notification, "attempts": attempts, "error": error,
                                        "next_attempt_at": self.now() + delay})

    def _record(self, notification: dict[str, Any], status: str, report: RuleReport, *,
                attempts: int | None = None, error: str | None = None, sent_at: dt.datetime | None = None) -> None:
        attempts = attempts if attempts is not None else int(notification.get("attempts") or 0) + 1
        setattr(report, status, getattr(report, status) + 1)
        self.store.update_notification({**notification, "status": status, "attempts": attempts,
                                        "error": error, "sent_at": sent_at})
