"""Delivering one message: a JSON POST to a webhook, or Apprise for everything else.

Every delivery is bounded by a timeout and fails with :class:`SendError` (one line), so that
a dead or hanging target costs at most that long and never raises anything else.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import logging
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

from tracker import __version__
from tracker.notify.message import Message

USER_AGENT = f"tracker/{__version__} (notifications)"


class SendError(Exception):
    """The target did not take the message; the text says why, in one line."""


def apprise_plugin(url: str, timeout: float | None = None) -> Any:
    """The Apprise plugin for ``url``; :class:`SendError` when Apprise is missing or does
    not understand the URL."""
    try:
        import apprise
    except ImportError:
        raise SendError("Apprise URLs need the apprise package (pip install apprise)") from None
    with apprise_log() as captured:
        plugin = apprise.Apprise.instantiate(url, suppress_exceptions=True)
    if plugin is None:
        reason = _reason(captured, url) or "unknown scheme or missing parts"
        scheme = url.split("://", 1)[0]
        raise SendError(f"{scheme}:// URL is not one Apprise can use: {reason}")
    if timeout is not None:  # unless the URL sets its own (cto= / rto=)
        if "cto=" not in url:
            plugin.socket_connect_timeout = timeout
        if "rto=" not in url:
            plugin.socket_read_timeout = timeout
    return plugin


@contextlib.contextmanager
def apprise_log() -> Iterator[list[str]]:
    """Apprise's warnings and errors of this thread, for our one-line error (each rule
    sends from its own thread). Apprise's own log lines are not also printed."""
    lines: list[str] = []
    thread = threading.get_ident()

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.thread == thread:
                lines.append(record.getMessage())

    apprise_logger = logging.getLogger("apprise")
    apprise_logger.propagate = False
    handler = Capture(logging.WARNING)
    apprise_logger.addHandler(handler)
    try:
        yield lines
    finally:
        apprise_logger.removeHandler(handler)


def _reason(lines: list[str], url: str) -> str:
    """Apprise's log lines as one line, without the URL's secrets."""
    joined = "; ".join(" ".join(line.split()).rstrip(".") for line in lines)
    if url:
        joined = joined.replace(url, f"{url.split('://', 1)[0]}://…")
    return joined[:300]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirected POST would arrive as a GET without its body: an error, not a delivery."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def post_json(url: str, payload: dict[str, Any], timeout: float) -> None:
    """POST ``payload`` as JSON; any answer but 2xx is a :class:`SendError`."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=body, method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT},
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            response.read(65536)
    except urllib.error.HTTPError as exc:
        raise SendError(f"HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", None) or exc
        if "timed out" in str(reason):
            raise SendError(f"no answer within {timeout:g} s") from None
        raise SendError(str(reason)) from None


def send_apprise(plugin: Any, message: Message) -> None:

    with apprise_log() as captured:
        delivered = plugin.notify(body=message.body, title=message.title)
    if not delivered:
        reason = _reason(captured, plugin.url())
        raise SendError(f"Apprise could not deliver: {reason or 'no reason given'}")


class Sender:
    """Sends messages for one rule: webhooks get the JSON payload, Apprise the text."""

    def __init__(self, url: str, *, timeout: float, webhook: bool) -> None:
        self.url = url
        self.timeout = timeout
        self._plugin = None if webhook else apprise_plugin(url, timeout)

    def send(self, message: Message) -> None:
        if self._plugin is None:
            post_json(self.url, message.payload, self.timeout)
        else:
            send_apprise(self._plugin, message)
