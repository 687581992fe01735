"""Running the real ``scrapy crawl`` in a subprocess, as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from tests.site import FixtureSite
from tests.site.outlets import washpo
from tests.site.pages import RSS_TYPE, rss_feed

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# Fast and deterministic against a local site; everything else stays as configured.
TEST_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "RETRY_TIMES": "1",
    "LOG_LEVEL": "INFO",
}


def run_crawl(
    spider: str,
    *,
    host_map: Mapping[str, str],
    store_uri: str,
    args: Sequence[str] = (),
    settings: Mapping[str, str] | None = None,
    timeout: float = 180,
    exit_status: int = 0,
) -> subprocess.CompletedProcess[str]:
    """Run the crawl; its exit status must be ``exit_status`` (3: nothing could be fetched)."""
    command = [sys.executable, "-m", "scrapy", "crawl", spider, *args]
    all_settings = {
        **TEST_SETTINGS,
        "TRACKER_HOST_MAP": json.dumps(dict(host_map)),
        "TRACKER_STORE": store_uri,
        **(settings or {}),
    }
    for name, value in all_settings.items():
        command += ["-s", f"{name}={value}"]
    env = {key: value for key, value in os.environ.items() if key not in ("TRACKER_STORE", "TRACKER_HOST_MAP")}
    result = subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == exit_status, f"scrapy crawl {spider} exited {result.returncode}:\n{result.stderr[-6000:]}"
    return result


def crawl_stats(result: subprocess.CompletedProcess[str]) -> str:
    """The stats dump Scrapy logs at the end of a crawl (for assertion messages and checks)."""
    log = result.stderr
    start = log.rfind("Dumping Scrapy stats:")
    return log[start:] if start >= 0 else log[-3000:]


def serve_washpo_story(
    site: FixtureSite, url: str, *, headline: str, paragraphs: Sequence[str]
) -> dict[str, str]:
    """Serve what a ``washpo`` crawl of one story fetches: robots.txt, the politics feed listing
    ``url`` and its page. Returns the host map that sends the crawl to ``site``."""
    site.set_page("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    site.set_page("/rss/politics", rss_feed("Politics", [url]), content_type=RSS_TYPE)
    site.set_page(urlsplit(url).path, washpo.article_page(url=url, headline=headline, paragraphs=paragraphs))
    return {host: site.base_url for host in washpo.HOSTS}
