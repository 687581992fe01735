"""A redirect loop fails its request with a reason, instead of vanishing.

Scrapy's RedirectMiddleware follows ``A -> B -> A`` by scheduling ``A`` again, which the dupe
filter then drops without a word: the page was asked for, yet no check is recorded, the
summary does not count it and the crawl says nothing. Placed before RedirectMiddleware, this
raises :class:`RedirectLoop` (an ``IgnoreRequest``: "redirect loop: A -> B -> A") instead,
which reaches the request's errback (an ``error`` check for an article) and the crawl summary
as one WARNING line; the site did answer, so it counts as answered.

The same filter dropped ``A -> B`` when the crawl also asked for ``B`` (an article moved to a
URL the crawl knows too): ``A`` then got no check and stayed due, run after run.
:class:`RedirectFollowingDupeFilter` lets a tracker request's redirect through.
"""

from __future__ import annotations

from urllib.parse import urljoin

from scrapy import Request
from scrapy.dupefilters import RFPDupeFilter
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from w3lib.url import canonicalize_url, safe_url_string

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# What a log line shows of each URL of the loop.
URL_SHOWN = 200


class RedirectLoop(IgnoreRequest):
    """A redirect back to a URL the request was already redirected from."""


class RedirectLoopMiddleware:
    def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status not in REDIRECT_STATUSES or b"Location" not in response.headers:
            return response
        target = redirect_target(request.url, response.headers[b"Location"])
        chain = [*request.meta.get("redirect_urls", ()), request.url]
        if canonicalize_url(target) in {canonicalize_url(url) for url in chain}:
            raise RedirectLoop("redirect loop: " + " -> ".join(_short(url) for url in (*chain, target)))
        return response


class RedirectFollowingDupeFilter(RFPDupeFilter):
    """Scrapy's duplicate filter, but the redirect of an article or discovery request is always
    fetched: its response is that request's check, even when the target was also asked for.
    The target is not marked as seen by it either, so that a request of its own keeps its own
    check. A loop cannot follow (RedirectLoopMiddleware stops it, REDIRECT_MAX_TIMES a chain)."""

    def request_seen(self, request: Request) -> bool:
        if request.meta.get("redirect_urls") and "tracker_source" in request.meta:
            return False
        return super().request_seen(request)


def redirect_target(url: str, location: bytes) -> str:
    """Where a ``Location`` header sends ``url``, resolved as RedirectMiddleware resolves it."""
    target = safe_url_string(location)
    if location.startswith(b"//"):
        target = url.split(":", 1)[0] + "://" + target.lstrip("/")
    return urljoin(url, target)


def _short(url: str) -> str:
    return url if len(url) <= URL_SHOWN else url[:URL_SHOWN] + "..."
