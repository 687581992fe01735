"""``scrapy crawl``, which first checks the tracker's settings and that the store answers.

Without its store, or with a malformed setting, a crawl can do nothing useful: it would fail
page after page and record bogus error checks. So the crawl stops before any request, with one
line saying what is wrong (store credentials masked) and exit status 1.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from tracker.hostmap import parse_host_map
from tracker.schedule import policy_from_settings
from tracker.store import StoreError, open_store


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        settings = self.settings
        assert settings is not None
        # -s options given on the command line are applied to the settings by now.
        try:
            parse_host_map(settings.get("TRACKER_HOST_MAP"))
            policy_from_settings(settings)
        except ValueError as exc:
            return self._refuse(f"bad setting: {exc}")
        try:
            open_store(settings.get("TRACKER_STORE")).close()
        except StoreError as exc:
            return self._refuse(f"the store is unavailable: {exc}")
        super().run(args, opts)

    def _refuse(self, reason: str) -> None:
        print(f"tracker: cannot crawl, {reason}", file=sys.stderr)
        self.exitcode = 1
