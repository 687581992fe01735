"""Fetching a host's pages from somewhere else: ``TRACKER_HOST_MAP``.

``TRACKER_HOST_MAP = {"www.washingtonpost.com": "http://127.0.0.1:8081"}`` makes a request for
``https://www.washingtonpost.com/politics/x`` download ``http://127.0.0.1:8081/politics/x``.
Everything outside the download itself (spiders, redirects, robots.txt, the dupe filter,
the store) only ever sees the real URL: the response comes back under the real URL, and
``Location`` headers that point into a mirror are mapped back to the real host.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.http import Request, Response

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


def parse_host_map(value: dict[str, str] | str | None) -> dict[str, str]:
    """The host map from a dict or a JSON object string; host names lower-cased."""
    if not value:
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValueError(f"TRACKER_HOST_MAP is not a JSON object: {exc}") from exc
    if not isinstance(value, dict):
        raise ValueError("TRACKER_HOST_MAP must map host names to base URLs")
    host_map = {}
    for host, base in value.items():
        base_parts = urlsplit(str(base))
        if base_parts.scheme not in ("http", "https") or not base_parts.netloc:
            raise ValueError(f"TRACKER_HOST_MAP: {base!r} for {host!r} is not an http(s) base URL")
        host_map[str(host).lower()] = str(base).rstrip("/")
    return host_map


class HostMap:
    """Two-way mapping between real URLs and mirror URLs."""

    def __init__(self, host_map: dict[str, str]) -> None:
        self._to_mirror = host_map
        # (scheme, netloc, path) of each mirror -> the real hosts it serves, to map redirects back.
        self._to_real: dict[tuple[str, str, str], list[str]] = {}
        for host, base in host_map.items():
            parts = urlsplit(base)
            self._to_real.setdefault((parts.scheme, parts.netloc.lower(), parts.path), []).append(host)

    def __bool__(self) -> bool:
        return bool(self._to_mirror)

    def to_mirror(self, url: str) -> str | None:
        parts = urlsplit(url)
        base = self._to_mirror.get((parts.hostname or "").lower())
        if base is None:
            return None
        base_parts = urlsplit(base)
        return urlunsplit(
            (base_parts.scheme, base_parts.netloc, base_parts.path + (parts.path or "/"), parts.query, "")
        )

    def to_real(self, url: str, requested_url: str) -> str:
        """The real URL of a mirror URL; ``requested_url`` decides between hosts sharing a mirror."""
        parts = urlsplit(url)
        requested = urlsplit(requested_url)
        for (scheme, netloc, base_path), hosts in self._to_real.items():
            under_base = parts.path == base_path or parts.path.startswith(base_path + "/")
            if parts.scheme == scheme and parts.netloc.lower() == netloc and under_base:
                host = requested.hostname if requested.hostname in hosts else hosts[0]
                path = parts.path[len(base_path):] or "/"
                return urlunsplit((requested.scheme, host, path, parts.query, parts.fragment))
        return url


class HostMapDownloadHandler(HTTP11DownloadHandler):
    """The stock HTTP(S) handler, downloading mapped hosts from their mirror.

    Mapping inside the download handler (rather than in a middleware that rewrites the
    request) keeps every other component -- robots.txt, offsite filtering, download slots,
    redirects, the dupe filter -- working on the real URL.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.host_map = HostMap(parse_host_map(crawler.settings.get("TRACKER_HOST_MAP")))

    async def download_request(self, request: Request) -> Response:
        mirror_url = self.host_map.to_mirror(request.url) if self.host_map else None
        if mirror_url is None:
            return await super().download_request(request)
        response = await super().download_request(request.replace(url=mirror_url))
        location = response.headers.get(b"Location")
        if location:
            absolute = response.urljoin(location.decode("latin-1"))
            real = self.host_map.to_real(absolute, request.url)
            response.headers[b"Location"] = real.encode("latin-1")
        return response.replace(url=request.url, request=request)
