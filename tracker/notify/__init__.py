"""Notifications of changes: rules (``TRACKER_NOTIFY``), messages, and ``tracker notify``,
which sends them from the store, off the crawl's path."""

from tracker.notify.rules import Rule, RuleError, parse_rules

__all__ = ["Rule", "RuleError", "parse_rules"]
