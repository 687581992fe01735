"""A local news site on 127.0.0.1, changed between crawls by the tests and the offline demo.

It speaks enough HTTP to exercise a crawler honestly: ETag / Last-Modified with 304 answers
to conditional GETs, redirects, any status code, slow and huge responses, and a log of every
request it served.

    with FixtureSite() as site:
        site.set_page("/politics/2024/01/05/story/", html)
        ... crawl with TRACKER_HOST_MAP={"www.washingtonpost.com": site.base_url} ...
        site.requests  # what the crawler asked for
"""

from __future__ import annotations

import email.utils
import hashlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Page:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0                 # seconds before answering
    validators: bool = True            # send ETag / Last-Modified and honour conditional GETs
    last_modified: float = field(default_factory=time.time)

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'


@dataclass(frozen=True)
class LoggedRequest:
    path: str
    headers: dict[str, str]
    status: int


class FixtureSite:
    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.requests: list[LoggedRequest] = []
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                site._answer(self)

            def do_HEAD(self) -> None:  # noqa: N802
                site._answer(self, head=True)

            def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # --- life cycle ---------------------------------------------------------------------

    def start(self) -> FixtureSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FixtureSite:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # --- content ------------------------------------------------------------------------

    def set_page(self, path: str, body: str | bytes, **options: Any) -> Page:
        data = body.encode("utf-8") if isinstance(body, str) else body
        page = Page(body=data, **options)
        with self._lock:
            self.pages[path] = page
        return page

    def set_status(self, path: str, status: int, body: str = "") -> Page:
        return self.set_page(path, body or f"<html><body><h1>{status}</h1></body></html>", status=status)

    def redirect(self, path: str, location: str, status: int = 301) -> Page:
        return self.set_page(path, b"", status=status, headers={"Location": location}, validators=False)

    def remove(self, path: str) -> None:
        with self._lock:
            self.pages.pop(path, None)

    def requests_for(self, path: str) -> list[LoggedRequest]:
        with self._lock:
            return [request for request in self.requests if request.path == path]

    # --- serving ------------------------------------------------------------------------

    def _answer(self, handler: BaseHTTPRequestHandler, head: bool = False) -> None:
        path = handler.path
        with self._lock:
            page = self.pages.get(path) or self.pages.get(path.split("?", 1)[0])
        if page is None:
            page = Page(body=b"<html><body>Not found</body></html>", status=404, validators=False)
        if page.delay:
            time.sleep(page.delay)
        status = page.status
        headers = {"Content-Type": page.content_type, **page.headers}
        if page.validators and status == 200:
            headers["ETag"] = page.etag
            headers["Last-Modified"] = email.utils.formatdate(page.last_modified, usegmt=True)
            if self._not_modified(handler, page):
                status = 304
        body = b"" if status == 304 else page.body
        with self._lock:
            self.requests.append(LoggedRequest(path, dict(handler.headers.items()), status))
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if not head and body:
            handler.wfile.write(body)

    @staticmethod
    def _not_modified(handler: BaseHTTPRequestHandler, page: Page) -> bool:
        if_none_match = handler.headers.get("If-None-Match")
        if if_none_match is not None:
            return page.etag in [tag.strip() for tag in if_none_match.split(",")]
        if_modified_since = handler.headers.get("If-Modified-Since")
        if if_modified_since:
            try:
                since = email.utils.parsedate_to_datetime(if_modified_since).timestamp()
            except (TypeError, ValueError):
                return False
            return int(page.last_modified) <= since
        return False
