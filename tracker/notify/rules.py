"""Notification rules: the ``TRACKER_NOTIFY`` setting, checked up front, and their filters.

A rule is a JSON object: ``url`` (an Apprise URL or a plain ``http(s)://`` webhook) and the
optional filters ``outlets``, ``min_words_changed``, ``headline_only``, ``first_versions``,
``added_text_regex``. Pure: nothing here sends anything.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

RULE_KEYS = ("url", "outlets", "min_words_changed", "headline_only", "first_versions", "added_text_regex")
WEBHOOK_SCHEMES = ("http", "https")


class RuleError(ValueError):
    """A malformed rule: the message is one line naming the rule and what is wrong."""


@dataclass(frozen=True)
class Rule:
    index: int
    url: str
    rule_id: str
    outlets: frozenset[str] | None = None
    min_words_changed: int = 0
    headline_only: bool = False
    first_versions: bool = False
    added_text_regex: re.Pattern[str] | None = None

    @property
    def is_webhook(self) -> bool:
        return urlsplit(self.url).scheme.lower() in WEBHOOK_SCHEMES

    @property
    def target(self) -> str:
        """The target without its secrets (tokens, passwords, paths), fit for logs."""
        parts = urlsplit(self.url)
        host = parts.hostname or ""
        port = f":{parts.port}" if _safe_port(parts) else ""
        return f"{parts.scheme}://{host}{port}"

    def matches(self, version: dict[str, Any]) -> bool:
        """Whether this rule notifies ``version`` (a stored version with its ``diff``)."""
        first = version.get("version") == 1
        diff = version.get("diff") or {}
        if self.outlets is not None and version.get("outlet") not in self.outlets:
            return False
        if first and not self.first_versions:
            return False
        if self.headline_only and not first and not diff.get("headline"):
            return False
        if words_changed(version) < self.min_words_changed:
            return False
        if self.added_text_regex is not None:
            return any(self.added_text_regex.search(text) for text in added_texts(version))
        return True


def _safe_port(parts: Any) -> int | None:
    try:
        return parts.port
    except ValueError:
        return None


def words_changed(version: dict[str, Any]) -> int:
    """Words added plus removed (a first version: all its words)."""
    if version.get("version") == 1:
        return int(version.get("word_count") or 0)
    stats = version.get("diff_stats") or (version.get("diff") or {}).get("stats") or {}
    return int(stats.get("words_added") or 0) + int(stats.get("words_removed") or 0)


def added_texts(version: dict[str, Any]) -> Iterator[str]:
    """The text this version added: inserted paragraphs, inserted words, a new headline
    (a first version: its headline and the sentences of its diff, if any)."""
    diff = version.get("diff") or {}
    headline = diff.get("headline") or {}
    if headline.get("new"):
        yield headline["new"]
    if version.get("version") == 1 and version.get("headline"):
        yield version["headline"]
    for entry in diff.get("paragraphs") or ():
        if entry.get("op") == "insert":
            yield entry.get("text") or ""
        elif entry.get("op") == "replace":
            yield " ".join(text for op, text in entry.get("words") or () if op == "+")
    for sentence in (diff.get("sentences") or {}).get("added") or ():
        yield sentence if isinstance(sentence, str) else str(sentence.get("text") or "")


def rule_id(raw: dict[str, Any]) -> str:
    """A stable id: a hash of the rule's canonical JSON (the same rule keeps its id)."""
    canonical = json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def parse_rules(value: str | list[Any] | None) -> list[Rule]:
    """The rules of ``TRACKER_NOTIFY`` (a JSON list, or an already decoded list).

    Raises :class:`RuleError` with one line on the first malformed rule; an Apprise URL that
    Apprise does not understand is malformed.
    """
    if value is None or value == "":
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise RuleError(f"TRACKER_NOTIFY is not valid JSON: {exc.msg} at character {exc.pos}") from None
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise RuleError("TRACKER_NOTIFY must be a JSON list of rules, e.g. [{\"url\": \"ntfy://ntfy.sh/my-topic\"}]")
    rules: dict[str, Rule] = {}
    for index, raw in enumerate(value):
        rule = parse_rule(raw, index)
        rules.setdefault(rule.rule_id, rule)  # the same rule twice is one rule
    return list(rules.values())


def parse_rule(raw: Any, index: int = 0) -> Rule:
    where = f"TRACKER_NOTIFY rule {index}"
    if not isinstance(raw, dict):
        raise RuleError(f"{where}: expected an object with \"url\", got {type(raw).__name__}")
    unknown = sorted(set(raw) - set(RULE_KEYS))
    if unknown:
        raise RuleError(f"{where}: unknown key {unknown[0]!r} (rules have {', '.join(RULE_KEYS)})")
    url = raw.get("url")
    if not isinstance(url, str) or not url.strip():
        raise RuleError(f"{where}: \"url\" must be an Apprise URL or an http(s) webhook URL")
    url = url.strip()
    check_url(url, where)
    outlets = raw.get("outlets")
    if outlets is not None and (not isinstance(outlets, list) or not all(isinstance(o, str) for o in outlets)):
        raise RuleError(f"{where}: \"outlets\" must be a list of spider names")
    minimum = raw.get("min_words_changed", 0)
    if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 0:
        raise RuleError(f"{where}: \"min_words_changed\" must be a whole number >= 0")
    for flag in ("headline_only", "first_versions"):
        if not isinstance(raw.get(flag, False), bool):
            raise RuleError(f"{where}: \"{flag}\" must be true or false")
    return Rule(
        index=index, url=url, rule_id=rule_id(raw),
        outlets=frozenset(outlets) if outlets is not None else None,
        min_words_changed=minimum,
        headline_only=raw.get("headline_only", False),
        first_versions=raw.get("first_versions", False),
        added_text_regex=compile_regex(raw.get("added_text_regex"), where),
    )


def compile_regex(pattern: Any, where: str) -> re.Pattern[str] | None:
    if pattern is None:
        return None
    if not isinstance(pattern, str):
        raise RuleError(f"{where}: \"added_text_regex\" must be a string")
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise RuleError(f"{where}: \"added_text_regex\" is not a valid regular expression: {exc}") from None


def check_url(url: str, where: str) -> None:
    parts = urlsplit(url)
    if parts.scheme.lower() in WEBHOOK_SCHEMES:
        try:
            parts.port  # noqa: B018 - raises on a malformed port
        except ValueError:
            raise RuleError(f"{where}: {parts.scheme}:// webhook URL with a malformed port") from None
        if not parts.hostname:
            raise RuleError(f"{where}: {parts.scheme}:// webhook URL without a host")
        return
    if not parts.scheme:
        raise RuleError(f"{where}: {url[:40]!r} is no URL (expected e.g. ntfy://topic or https://host/hook)")
    from tracker.notify.send import SendError, apprise_plugin

    try:
        apprise_plugin(url)
    except SendError as exc:
        raise RuleError(f"{where}: {exc}") from None
