"""``scrapy crawl``, which first makes sure the store can be reached.

Without its store a crawl can do nothing useful, so an unreachable store stops it before any
request, with one line naming the store (credentials masked) and exit status 1 -- instead of
a crawl that fails at its first item with a page of tracebacks.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from tracker.store import StoreError, open_store


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        try:
            open_store(self.settings.get("TRACKER_STORE")).close()
        except StoreError as exc:
            print(f"tracker: cannot crawl, the store is unavailable: {exc}", file=sys.stderr)
            self.exitcode = 1
            return
        super().run(args, opts)
