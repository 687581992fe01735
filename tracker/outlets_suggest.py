"""``tracker outlets suggest``: a draft ``[outlets.<name>]`` table from one article page or feed.

It reads what the page says about itself — its URL (canonical link or ``og:url``), the feeds
it announces (``<link rel="alternate">``) — or, for a feed, its item links, and turns the
article URL into a pattern by generalising numbers and slugs. A human edits the draft.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html

from tracker.cli import CommandError
from tracker.extraction import decode_html
from tracker.normalize import canonical_url
from tracker.outlets import on_hosts

MAX_PAGE_BYTES = 10 * 1024 * 1024
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/json")
USER_AGENT = "tracker/0.1 (news article version archive; outlets suggest)"
_YEAR_OR_NUMBER = re.compile(r"^\d+$")
_SECTION_WORD = re.compile(r"^[a-z]{2,20}$")


def suggest_table(source: str, *, name: str | None = None) -> str:
    """The TOML draft for a saved page, a page's URL, or a feed (file or URL)."""
    body, url = _read(source)
    root = _parse(body)
    if _is_feed(root, body):
        feed_url = url
        articles = _feed_links(root, body, url)
        if not articles:
            raise CommandError(f"{source}: a feed without item links")
        feeds = [feed_url] if feed_url else []
    else:
        own = _own_url(root, url)
        if not own:
            raise CommandError(f"{source}: the page names no URL of its own (canonical link or og:url); give its URL")
        articles = [own]
        feeds = _announced_feeds(root, own)
    host = _registrable(urlsplit(articles[0]).hostname or "")
    feeds = [feed for feed in feeds if on_hosts(urlsplit(feed).hostname or "", [host])]
    return _table(name or _name_for(host), host, feeds, _pattern(articles))


def _read(source: str) -> tuple[bytes, str | None]:
    if source.startswith(("http://", "https://")):
        request = urllib.request.Request(source, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.read(MAX_PAGE_BYTES), response.geturl()
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise CommandError(f"cannot fetch {source}: {getattr(exc, 'reason', exc)}") from None
    try:
        with open(Path(source), "rb") as file:
            return file.read(MAX_PAGE_BYTES), None
    except OSError as exc:
        raise CommandError(f"cannot read {source}: {exc.strerror}") from None


def _parse(body: bytes) -> lxml.html.HtmlElement | None:
    text = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<?xml") or text[:200].lower().lstrip().startswith((b"<rss", b"<feed", b"<rdf")):
        try:
            return lxml.etree.fromstring(text, lxml.etree.XMLParser(resolve_entities=False, no_network=True, recover=True))
        except lxml.etree.XMLSyntaxError:
            return None
    try:
        return lxml.html.fromstring(decode_html(body))
    except (lxml.etree.ParserError, ValueError):
        return None


def _is_feed(root: lxml.etree._Element | None, body: bytes) -> bool:
    if root is None:
        return body.lstrip().startswith(b"{") and b'"items"' in body
    return lxml.etree.QName(root).localname.lower() in ("rss", "feed", "rdf")


def _feed_links(root: lxml.etree._Element | None, body: bytes, base: str | None) -> list[str]:
    if root is None:  # JSON Feed
        try:
            items = json.loads(body).get("items", [])
        except (ValueError, AttributeError):
            return []
        links = [item.get("url") for item in items if isinstance(item, dict)]
    else:
        links = root.xpath(
            "//*[local-name()='item']/*[local-name()='link']/text()"
            " | //*[local-name()='entry']/*[local-name()='link'][not(@rel) or @rel='alternate']/@href"
        )
    return [urljoin(base or "", str(link).strip()) for link in links if isinstance(link, str) and link.strip()]


def _own_url(root: lxml.etree._Element | None, fetched: str | None) -> str | None:
    if root is not None:
        for xpath in ("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content"):
            for value in root.xpath(xpath):
                if str(value).startswith(("http://", "https://")):
                    return str(value).strip()
    return fetched


def _announced_feeds(root: lxml.etree._Element | None, page_url: str) -> list[str]:
    if root is None:
        return []
    feeds = []
    for link in root.xpath("//link[@href][contains(concat(' ', @rel, ' '), ' alternate ')]"):
        if (link.get("type") or "").split(";")[0].strip().lower() in FEED_TYPES:
            feeds.append(urljoin(page_url, link.get("href").strip()))
    return list(dict.fromkeys(feeds))


def _registrable(host: str) -> str:
    return host.lower().removeprefix("www.")


def _name_for(host: str) -> str:
    labels = host.split(".")
    return re.sub(r"[^a-z0-9_-]", "", labels[-2] if len(labels) > 1 else labels[0]) or "outlet"


def _pattern(urls: list[str]) -> str:
    """The most common shape of the article URLs: numbers and slugs generalised."""
    shapes = Counter(_shape(canonical_url(url)) for url in urls)
    return shapes.most_common(1)[0][0]


def _shape(url: str) -> str:
    parts = urlsplit(url)
    segments = parts.path.split("/")
    shaped = [_segment(segment, last=index == len(segments) - 1) for index, segment in enumerate(segments)]
    return f"^{re.escape(parts.scheme)}://{re.escape(parts.netloc)}" + "/".join(shaped) + "$"


def _segment(segment: str, *, last: bool) -> str:
    if not segment:
        return "?" if last else ""  # a trailing slash: optional
    if _YEAR_OR_NUMBER.match(segment):
        return rf"\d{{{len(segment)}}}" if len(segment) <= 4 else r"\d+"
    if _SECTION_WORD.match(segment) and not last:
        return re.escape(segment)
    _, dot, extension = segment.rpartition(".")
    if dot and extension.isalpha() and len(extension) <= 5:
        return r"[^/]+\." + re.escape(extension)
    return "[^/]+"


def _table(name: str, host: str, feeds: list[str], pattern: str) -> str:
    feed_lines = "".join(f'    "{feed}",\n' for feed in feeds)
    return (
        "# A draft: check the pattern against a few article and non-article URLs, add sitemaps or\n"
        "# section pages, then run `tracker outlets check`.\n"
        f"[outlets.{name}]\n"
        f'hosts = ["{host}"]\n'
        + (f"feeds = [\n{feed_lines}]\n" if feeds else "# feeds = []   # the page announces none on its host\n")
        + f"# sitemaps = [\"https://www.{host}/sitemap.xml\"]\n"
        + f"# sections = [\"https://www.{host}/\"]\n"
        + f"article_url = '{pattern}'\n"
    )
