"""``tracker notify [--once] [--every 30s] [--test RULE]``: the command-line glue."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import time
from typing import Any, TextIO

from tracker.cli import EXIT_OK, CommandError, open_existing_store
from tracker.notify.message import sample_message
from tracker.notify.notifier import Notifier, NotifyOptions
from tracker.notify.rules import Rule, RuleError, parse_rule, parse_rules
from tracker.notify.send import Sender, SendError
from tracker.schedule import parse_duration
from tracker.store.base import as_utc


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--once", action="store_true", help="send everything pending, then exit")
    parser.add_argument("--every", default="30s", metavar="DURATION",
                        help="time between rounds when running on (default 30s)")
    parser.add_argument("--since", metavar="TIME",
                        help="a rule seen for the first time announces versions stored from TIME on "
                        "(ISO 8601, e.g. 2024-01-05T00:00:00Z; default: from now on)")
    parser.add_argument("--test", metavar="RULE",
                        help="send a sample message through one rule: its index in TRACKER_NOTIFY, or a rule as JSON")
    parser.add_argument("-s", "--set", dest="setting", action="append", metavar="NAME=VALUE",
                        help="a setting, e.g. -s TRACKER_NOTIFY_MAX_PER_HOUR=10 (repeatable)")


def load_settings(pairs: list[str] | None) -> Any:
    """The project settings (tracker/settings.py, TRACKER_* environment variables) and -s."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("tracker.settings")
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise CommandError(f"-s expects NAME=VALUE, got {pair!r}")
        settings.set(name, value, priority="cmdline")
    return settings


def options_from_settings(settings: Any) -> NotifyOptions:
    try:
        max_age = settings.get("TRACKER_NOTIFY_MAX_AGE")
        return NotifyOptions(
            web_base_url=settings.get("TRACKER_WEB_BASE_URL") or "",
            max_per_hour=settings.getint("TRACKER_NOTIFY_MAX_PER_HOUR"),
            attempts=max(1, settings.getint("TRACKER_NOTIFY_ATTEMPTS")),
            backoff=parse_duration(settings.get("TRACKER_NOTIFY_BACKOFF") or "0s"),
            timeout=settings.getfloat("TRACKER_NOTIFY_TIMEOUT"),
            max_age=parse_duration(max_age) if max_age else None,
        )
    except ValueError as exc:
        raise CommandError(f"bad setting: {exc}") from exc


def run(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args.setting)
    options = options_from_settings(settings)
    if args.test is not None:
        return send_test(rule_to_test(args.test, settings), options, out)
    try:
        rules = parse_rules(settings.get("TRACKER_NOTIFY"))
        every = parse_duration(args.every).total_seconds()
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    try:
        since = as_utc(args.since) if args.since else None
    except ValueError:
        raise CommandError(f"--since expects an ISO 8601 time such as 2024-01-05T00:00:00Z, got {args.since!r}") from None
    if not rules:
        raise CommandError("no notification rules: set TRACKER_NOTIFY (see README, Notifications)")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s [%(name)s] %(levelname)s: %(message)s")
    with open_existing_store(args.store) as store:
        notifier = make_notifier(store, rules, options, since)
        if not args.once:
            logging.getLogger(__name__).info("%d rule(s), a round every %gs", len(rules), every)
        while True:
            for report in notifier.run_round():
                if args.once or report.queued or report.sent or report.errors:
                    out.write(report.line() + "\n")
                    out.flush()
            if args.once:
                return EXIT_OK
            time.sleep(every)


def make_notifier(store: Any, rules: list[Rule], options: NotifyOptions, since: dt.datetime | None) -> Notifier:
    try:
        return Notifier(store, rules, options, since=since)
    except SendError as exc:  # a rule Apprise accepted at parsing and refuses now
        raise CommandError(str(exc)) from exc


def rule_to_test(value: str, settings: Any) -> Rule:
    """``--test 0`` (a rule of TRACKER_NOTIFY by index) or ``--test '{"url": ...}'``."""
    try:
        if value.strip().isdigit():
            rules = parse_rules(settings.get("TRACKER_NOTIFY"))
            for rule in rules:
                if rule.index == int(value):
                    return rule
            raise CommandError(f"no rule {int(value)} in TRACKER_NOTIFY (rules: {', '.join(str(r.index) for r in rules) or 'none'})")
        try:
            raw = json.loads(value)
        except json.JSONDecodeError as exc:
            raise CommandError(f"--test expects a rule index or a rule as JSON: {exc.msg}") from None
        return parse_rule(raw, 0)
    except RuleError as exc:
        raise CommandError(str(exc)) from exc


def send_test(rule: Rule, options: NotifyOptions, out: TextIO) -> int:
    try:
        Sender(rule.url, timeout=options.timeout, webhook=rule.is_webhook).send(sample_message(options.web_base_url))
    except SendError as exc:
        raise CommandError(f"test message to {rule.target} failed: {exc}") from exc
    out.write(f"test message sent to {rule.target}\n")
    return EXIT_OK
