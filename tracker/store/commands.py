"""What a MongoDB store asks of its server, counted by pymongo's command monitoring.

>>> counter = CommandCounter()
>>> store = MongoStore(uri, event_listeners=[counter])   # or open_store(uri, event_listeners=...)
>>> counter.reset(); recorder.record(page); cost = counter.snapshot()
>>> cost.round_trips, cost.bytes_read

Counted on the client, per command the driver sends: one command is one round trip to the
server (a cursor's ``getMore`` is another). Sizes are those of the command and reply documents
as BSON, i.e. what crosses the wire give or take the few bytes of the message header.
Like the store itself, this module needs pymongo and is imported only where MongoDB is used.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import bson
from pymongo import monitoring


@dataclass(frozen=True)
class CommandCost:
    """What some commands cost: round trips, documents and bytes, and round trips per command."""

    round_trips: int = 0
    docs_returned: int = 0
    bytes_read: int = 0
    bytes_sent: int = 0
    commands: dict[str, int] = field(default_factory=dict)

    def __sub__(self, other: CommandCost) -> CommandCost:
        names = self.commands.keys() | other.commands.keys()
        commands = {name: self.commands.get(name, 0) - other.commands.get(name, 0) for name in sorted(names)}
        return CommandCost(
            self.round_trips - other.round_trips,
            self.docs_returned - other.docs_returned,
            self.bytes_read - other.bytes_read,
            self.bytes_sent - other.bytes_sent,
            {name: count for name, count in commands.items() if count},
        )


def documents_in(reply: Mapping[str, Any]) -> int:
    """How many documents a reply carries: a cursor's batch, or findAndModify's ``value``.

    (The ``n`` of a write reply counts documents written, not returned, and a ``count``
    reply's ``n`` is a number: neither is counted.)
    """
    cursor = reply.get("cursor")
    if isinstance(cursor, Mapping):
        batch = cursor.get("firstBatch", cursor.get("nextBatch"))
        return len(batch) if isinstance(batch, list) else 0
    if "value" in reply and isinstance(reply.get("value"), Mapping):
        return 1
    return 0


# Commands kept for explain(): those that read or match documents (inserts match none).
EXPLAINABLE = frozenset({"find", "aggregate", "count", "distinct", "update", "delete", "findAndModify"})
KEPT_COMMANDS = 1_000


class _Tally:
    """Running totals of one command name (mutable; guarded by the counter's lock)."""

    __slots__ = ("bytes_read", "bytes_sent", "docs_returned", "round_trips")

    def __init__(self) -> None:
        self.round_trips = self.docs_returned = self.bytes_read = self.bytes_sent = 0


class CommandCounter(monitoring.CommandListener):
    """Counts round trips, documents returned and bytes read and sent, in total and per
    command name. Thread-safe: a crawl records checks from writer threads (several for MongoDB)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tallies: dict[str, _Tally] = {}
        self._sent: list[dict[str, Any]] = []

    def _tally(self, name: str) -> _Tally:
        tally = self._tallies.get(name)
        if tally is None:
            tally = self._tallies[name] = _Tally()
        return tally

    # --- pymongo's listener interface -------------------------------------------------------

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        size = len(bson.encode(event.command))
        with self._lock:
            tally = self._tally(event.command_name)
            tally.round_trips += 1
            tally.bytes_sent += size
            if event.command_name in EXPLAINABLE and len(self._sent) < KEPT_COMMANDS:
                self._sent.append(dict(event.command))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        self._replied(event.command_name, event.reply)

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        # A failure reply (an error document) was read too; a network error read nothing.
        failure = event.failure if isinstance(event.failure, Mapping) else {}
        self._replied(event.command_name, failure)

    def _replied(self, name: str, reply: Mapping[str, Any]) -> None:
        size = len(bson.encode(reply)) if reply else 0
        docs = documents_in(reply)
        with self._lock:
            tally = self._tally(name)
            tally.bytes_read += size
            tally.docs_returned += docs

    # --- reading the counts -------------------------------------------------------------

    def snapshot(self) -> CommandCost:
        """The totals so far."""
        with self._lock:
            tallies = list(self._tallies.items())
            return CommandCost(
                round_trips=sum(t.round_trips for _, t in tallies),
                docs_returned=sum(t.docs_returned for _, t in tallies),
                bytes_read=sum(t.bytes_read for _, t in tallies),
                bytes_sent=sum(t.bytes_sent for _, t in tallies),
                commands={name: t.round_trips for name, t in sorted(tallies) if t.round_trips},
            )

    def per_command(self) -> dict[str, CommandCost]:
        """The totals so far of each command name."""
        with self._lock:
            return {
                name: CommandCost(t.round_trips, t.docs_returned, t.bytes_read, t.bytes_sent,
                                  {name: t.round_trips})
                for name, t in sorted(self._tallies.items())
            }

    def commands_sent(self) -> list[dict[str, Any]]:
        """The commands that read or matched documents, as sent (the first thousand since the
        last reset): what to ask ``explain`` about."""
        with self._lock:
            return list(self._sent)

    def reset(self) -> None:
        """Start counting from zero."""
        with self._lock:
            self._tallies.clear()
            self._sent.clear()
