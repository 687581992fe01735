"""Scrapy settings of the tracker project.

Every project setting is named TRACKER_* and has its default here; each can be overridden
with ``scrapy crawl <outlet> -s NAME=VALUE``. TRACKER_STORE and TRACKER_HOST_MAP are also read
from environment variables of the same name.
"""

from __future__ import annotations

import os

BOT_NAME = "tracker"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
# The built-in spiders of SPIDER_MODULES plus the outlets of TRACKER_OUTLETS_FILE.
SPIDER_LOADER_CLASS = "spiders.configured.OutletsSpiderLoader"
# Our `scrapy crawl` checks that the store answers before crawling.
COMMANDS_MODULE = "tracker.commands"

# --- tracker ----------------------------------------------------------------------------------

# Where versions are kept: sqlite:///relative/path.sqlite3, sqlite:////absolute/path.sqlite3,
# or any MongoDB URI (mongodb://host:port/dbname, mongodb+srv://...).
TRACKER_STORE = os.environ.get("TRACKER_STORE") or "sqlite:///data/tracker.sqlite3"

# Host name -> base URL to fetch that host's pages from instead (tests, replays, mirrors);
# what is stored keeps the real URL. A dict, or a JSON object string (so that -s works).
TRACKER_HOST_MAP: dict[str, str] | str = os.environ.get("TRACKER_HOST_MAP") or {}

# Configured outlets (tracker/outlets.py, README "Adding an outlet"): a TOML file of
# [outlets.<spider name>] tables; empty: ./outlets.toml when it exists. Checked before a crawl.
TRACKER_OUTLETS_FILE = os.environ.get("TRACKER_OUTLETS_FILE") or ""

# Where pages wait, on local disk, while the store is unreachable (written once it is back,
# in the same run or the next), and how often (seconds) the store is retried meanwhile.
TRACKER_SPOOL_DIR = "data/spool"
TRACKER_SPOOL_RETRY = 5.0

# Keep the raw HTML of each version (Zstandard-compressed, in the extraction worker).
TRACKER_KEEP_HTML = True

# Extraction, with the rest of a page's CPU work (hashing, compressing), runs in this many
# worker processes (0: in a thread of the crawl's process), and a page whose extraction takes
# longer than TRACKER_EXTRACT_TIMEOUT seconds is given up.
TRACKER_EXTRACT_WORKERS = max(1, (os.cpu_count() or 2) - 1)
TRACKER_EXTRACT_TIMEOUT = 60.0
# A re-check that gets the very bytes of the last check is recorded ``unchanged`` without
# extracting the page again (False: extract every page, e.g. after editing an outlet's rules).
TRACKER_SKIP_IDENTICAL_BODIES = True

# Bounds on hostile input: text beyond these is cut (and the cut is recorded).
TRACKER_MAX_PARAGRAPHS = 2_000
TRACKER_MAX_BODY_CHARS = 1_000_000

# A body shorter than this many words is no article (empty pages, error shells).
TRACKER_MIN_BODY_WORDS = 10

# Re-check schedule (see tracker/schedule.py): "age:interval" tiers by time since the last
# real change; retired after TRACKER_RETIRE_AFTER without one (default: the last tier's age).
TRACKER_SCHEDULE_TIERS = "3h:15m,1d:1h,7d:3h,40d:1d"
TRACKER_RETIRE_AFTER = ""
# Errors back off exponentially from TRACKER_ERROR_BACKOFF up to TRACKER_ERROR_BACKOFF_MAX;
# 404/410 TRACKER_GONE_AFTER times in a row mark the article gone.
TRACKER_ERROR_BACKOFF = "30m"
TRACKER_ERROR_BACKOFF_MAX = "2d"
TRACKER_GONE_AFTER = 2
# The crawl's clock as an ISO 8601 time, for tests and replays; empty: the real time.
TRACKER_NOW = ""
# At most this many due articles are re-checked per run, most overdue first.
TRACKER_MAX_RECHECKS = 1_000
# A run re-checks what is due up to this many seconds after its start: a next check counts from
# the fetch, seconds or minutes into a run, so without it a run every 15 minutes would find the
# 15-minute tier not yet due and check it every 30. 180 s covers a round's first minutes yet
# checks an article at most 3 minutes early (a fifth of the shortest tier interval; keep it
# well below that). 0: only what is due at the run's start.
TRACKER_DUE_GRACE = 180.0

# Notifications sent by `tracker notify` (tracker/notify/): a JSON list of rules
# {"url": Apprise URL or http(s) webhook, "outlets": [...], "min_words_changed": N,
# "headline_only": bool, "first_versions": bool, "added_text_regex": "..."}; checked before a
# crawl starts. TRACKER_WEB_BASE_URL (the web view's address) adds compare links to messages.
TRACKER_NOTIFY = os.environ.get("TRACKER_NOTIFY") or "[]"
TRACKER_WEB_BASE_URL = os.environ.get("TRACKER_WEB_BASE_URL") or ""
# Flood guard: at most this many messages per rule per hour, the rest summarised in one (0: off).
TRACKER_NOTIFY_MAX_PER_HOUR = 30
# A failing target is tried this many times per message, waiting TRACKER_NOTIFY_BACKOFF before
# the second attempt and twice as long before each next one; each attempt has a timeout (s).
TRACKER_NOTIFY_ATTEMPTS = 5
TRACKER_NOTIFY_BACKOFF = "1m"
TRACKER_NOTIFY_TIMEOUT = 10.0
# Versions fetched longer ago than this are not announced (replays, migrations); empty: no limit.
TRACKER_NOTIFY_MAX_AGE = "7d"

# A descriptive, honest User-Agent: outlets should know who fetches their pages.
# Set it to name your deployment and a contact address.
TRACKER_USER_AGENT = "tracker/0.1 (news article version archive; polite crawler)"

# --- Scrapy -----------------------------------------------------------------------------------

USER_AGENT = TRACKER_USER_AGENT
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# Per response: Scrapy starts this many tasks for every callback's output, and an article
# response yields one item (the default, 100, cost ~10 % of a 304 re-check).
CONCURRENT_ITEMS = 4
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_TIMES = 2
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # no control port on a crawler that runs unattended
# Article versions must come from the site, never from a local cache.
HTTPCACHE_ENABLED = False

# The stock HTTP(S) handler plus TRACKER_HOST_MAP.
DOWNLOAD_HANDLERS = {
    "http": "tracker.hostmap.HostMapDownloadHandler",
    "https": "tracker.hostmap.HostMapDownloadHandler",
}
# A redirect loop is a failed request with a reason, not one dropped silently (tracker/redirects.py);
# before RedirectMiddleware (600), whose responses it sees first.
DOWNLOADER_MIDDLEWARES = {
    "tracker.redirects.RedirectLoopMiddleware": 650,
}
# An article redirected to a URL the crawl also asks for still gets its check (tracker/redirects.py).
DUPEFILTER_CLASS = "tracker.redirects.RedirectFollowingDupeFilter"
ITEM_PIPELINES = {
    "pipelines.revisions.RevisionPipeline": 300,
}
# The summary at the end of every crawl, and its exit status (tracker/crawlreport.py).
EXTENSIONS = {
    "tracker.crawlreport.CrawlReport": 0,
}
# A failed request is one WARNING line of ours (tracker/crawlreport.py), not also Scrapy's ERROR.
RETRY_GIVE_UP_LOG_LEVEL = "DEBUG"

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
