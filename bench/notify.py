"""Notifier benchmark: what ``tracker notify`` costs beyond the HTTP posts it makes.

    python bench/notify.py [--versions 2000] [--archive 100000]

A fresh SQLite store gets ``--archive`` synthetic versions (as in bench/store.py), then
``--versions`` more after a rule was registered. Measured, each against a baseline in the
same process:

* sending: one rule (``first_versions``, no flood guard) delivers the new versions to a local
  webhook on 127.0.0.1; baseline: the same number of bare JSON POSTs of one payload
  (``tracker.notify.send.post_json``) to the same receiver. Ratio: notifier / bare.
* an idle round (nothing new, past the store's re-read window ``write_order_slack``: 2 s on
  SQLite): p50 against ``Store.recent_versions(limit=50, with_diff=True)``, the web view's
  front page query.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.server
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path[:1]:
    sys.path.insert(0, str(ROOT))

from bench.store import make_version, sqlite_store  # noqa: E402
from tracker.notify.message import sample_message  # noqa: E402
from tracker.notify.notifier import Notifier, NotifyOptions  # noqa: E402
from tracker.notify.rules import parse_rules  # noqa: E402
from tracker.notify.send import post_json  # noqa: E402
from tracker.store import Store  # noqa: E402


class CountingReceiver:
    """A webhook on 127.0.0.1 that answers 204 and counts the posts."""

    def __init__(self) -> None:
        self.count = 0
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.count += 1
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def fill(store: Store, count: int, first_article: int, rng: random.Random) -> None:
    """``count`` versions over count/5 articles, round-robin as in bench/store.py."""
    articles = max(1, count // 5)
    now = dt.datetime.now(dt.timezone.utc)
    for number in range(1, count // articles + 1):
        for n in range(first_article, first_article + articles):
            article, version, check = make_version(rng, f"a{n}", number, now)
            store.save_version(article, version, check, expected_count=number - 1)


def timed(action: Any) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--versions", type=int, default=2000, help="new versions to send")
    parser.add_argument("--archive", type=int, default=100_000, help="versions already stored")
    args = parser.parse_args()
    rng = random.Random(7)
    receiver = CountingReceiver()
    try:
        with tempfile.TemporaryDirectory() as workdir, sqlite_store(Path(workdir)) as store:
            fill(store, args.archive, 0, rng)
            rules = parse_rules([{"url": receiver.url, "first_versions": True}])
            notifier = Notifier(store, rules, NotifyOptions(max_per_hour=0, max_age=None))
            notifier.run_round()  # registers the rule: from now on
            fill(store, args.versions, args.archive, rng)

            payload = sample_message().payload
            bare = timed(lambda: [post_json(receiver.url, payload, 10.0) for _ in range(args.versions)])
            before = receiver.count
            sending = timed(lambda: [notifier.run_round() for _ in range(2)])
            sent = receiver.count - before
            assert sent == args.versions, f"sent {sent} of {args.versions}"

            time.sleep(store.write_order_slack.total_seconds())  # past the re-read window
            idle = statistics.median(timed(notifier.run_round) for _ in range(20))
            listing = statistics.median(
                timed(lambda: store.recent_versions(limit=50, with_diff=True)) for _ in range(20)
            )
    finally:
        receiver.close()
    print(f"archive {args.archive} versions, {args.versions} new, one rule, SQLite")
    print(f"bare POSTs          : {args.versions / bare:8.0f} messages/s")
    print(f"tracker notify      : {args.versions / sending:8.0f} messages/s")
    print(f"ratio notify/bare   : {bare / sending:.2f}x")
    print(f"idle round p50      : {idle * 1000:8.2f} ms  (front page query p50 {listing * 1000:.2f} ms, "
          f"ratio {idle / listing:.1f}x)")


if __name__ == "__main__":
    main()
