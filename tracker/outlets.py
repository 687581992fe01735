"""Configured outlets: news sites defined by a few lines of TOML instead of Python.

The file named by ``TRACKER_OUTLETS_FILE`` (setting or environment variable; by default
``outlets.toml`` in the working directory when there is one) holds one table per outlet::

    [outlets.localpaper]
    hosts = ["localpaper.example"]
    feeds = ["https://localpaper.example/rss.xml"]
    article_url = '^https://localpaper\\.example/news/\\d{4}/[a-z0-9-]+$'

    [outlets.localpaper.selectors]      # optional: where generic extraction needs help
    body = "div.story-body"
    drop = [".newsletter-signup"]

This module only reads and checks the file (pure: no Scrapy); ``spiders/configured.py`` turns
each :class:`OutletConfig` into a spider, :func:`parser_class` into an outlet parser. Every
problem is one :class:`OutletsFileError` line naming the file, the outlet and the field.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

from cssselect import HTMLTranslator, SelectorError
from lxml import etree
from lxml.html import HtmlElement

from tracker.normalize import clean_text
from tracker.parsers import (
    COMMON_DROP_XPATHS,
    OutletParser,
    compiled_xpath,
    inline_text,
    parse_date,
    register,
    registered_parsers,
    split_authors,
    unique_names,
)

DEFAULT_OUTLETS_FILE = "outlets.toml"

SOURCE_KEYS = ("feeds", "sitemaps", "sections")
OUTLET_KEYS = frozenset({"hosts", *SOURCE_KEYS, "article_url", "exclude_url", "language", "selectors"})
SELECTOR_KEYS = ("headline", "body", "byline", "standfirst", "published")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")
# An XPath is told from a CSS selector by its start (or an explicit "xpath:" / "css:" prefix).
_XPATH_START = ("/", "./", "(", "..")

# Makes the error of one outlet: (problem, field) -> OutletsFileError.
ErrorFor = Callable[[str, str | None], "OutletsFileError"]


class OutletsFileError(ValueError):
    """A configured-outlets file that cannot be used; ``str()`` is the one line to show."""

    def __init__(self, path: str | Path, problem: str, *, outlet: str | None = None, field: str | None = None) -> None:
        where = [f"outlet {outlet!r}"] if outlet else []
        where += [f"field {field!r}"] if field else []
        super().__init__(": ".join([str(path), ", ".join(where), problem] if where else [str(path), problem]))
        self.path, self.outlet, self.field = str(path), outlet, field


@dataclass(frozen=True)
class Selectors:
    """Selectors of one outlet, all translated to XPath (``None``: not given)."""

    headline: str | None = None
    body: str | None = None
    byline: str | None = None
    standfirst: str | None = None
    published: str | None = None
    drop: tuple[str, ...] = ()


@dataclass(frozen=True)
class OutletConfig:
    """One ``[outlets.<name>]`` table, checked."""

    name: str
    hosts: tuple[str, ...]
    article_url: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    exclude_url: str | None = None
    language: str | None = None
    selectors: Selectors | None = None
    source_file: str = field(default="", compare=False)

    def sources(self) -> dict[str, tuple[str, ...]]:
        return {"feeds": self.feeds, "sitemaps": self.sitemaps, "sections": self.sections}


# --- finding and reading the file ----------------------------------------------------------------


def outlets_file(setting: str | None) -> Path | None:
    """The file to read: the setting's (it must exist), else ./outlets.toml when it exists."""
    if setting and str(setting).strip():
        return Path(str(setting).strip()).expanduser()
    default = Path(DEFAULT_OUTLETS_FILE)
    return default if default.is_file() else None


def builtin_spider_names() -> set[str]:
    """Names of the project's hand-written spiders (its SPIDER_MODULES, as Scrapy loads them)."""
    from scrapy.settings import Settings
    from scrapy.spiderloader import SpiderLoader

    settings = Settings()
    settings.setmodule("tracker.settings")
    return set(SpiderLoader.from_settings(settings).list())


def load_outlets(
    path: str | Path, *, reserved_names: Collection[str] = (), reserved_hosts: Collection[str] | None = None
) -> list[OutletConfig]:
    """Every outlet of the file, checked; ``reserved_names`` are the built-in spiders' names.

    ``reserved_hosts`` (default: the hosts of the built-in outlet parsers) may not get a
    configured parser: one host has one parser.
    """
    try:
        with open(path, "rb") as file:
            document = tomllib.load(file)
    except FileNotFoundError:
        raise OutletsFileError(path, "no such file") from None
    except OSError as exc:
        raise OutletsFileError(path, f"cannot read it: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise OutletsFileError(path, f"not valid TOML: {exc}") from None
    unknown = sorted(set(document) - {"outlets"})
    if unknown:
        raise OutletsFileError(path, f"unknown top-level key {unknown[0]!r} (outlets are [outlets.<name>] tables)")
    tables = document.get("outlets", {})
    if not isinstance(tables, dict):
        raise OutletsFileError(path, "'outlets' must be a table of [outlets.<name>] tables")
    if reserved_hosts is None:
        reserved_hosts = {host for parser in registered_parsers().values() for host in parser.hosts}
    return [
        _outlet(path, name, table, reserved_names=reserved_names, reserved_hosts=reserved_hosts)
        for name, table in tables.items()
    ]


def _outlet(
    path: str | Path, name: str, table: Any, *, reserved_names: Collection[str], reserved_hosts: Collection[str]
) -> OutletConfig:
    def error(problem: str, field: str | None = None) -> OutletsFileError:
        return OutletsFileError(path, problem, outlet=name, field=field)

    if not _NAME.match(name):
        raise error("a spider name is letters, digits, '-' and '_'")
    if name in reserved_names:
        raise error("the name of a built-in outlet; choose another")
    if not isinstance(table, dict):
        raise error("must be a table")
    for key in table:
        if key not in OUTLET_KEYS:
            raise error(f"unknown key (known: {', '.join(sorted(OUTLET_KEYS))})", key)
    for key in ("hosts", "article_url"):
        if key not in table:
            raise error("missing", key)
    hosts = tuple(host.lower().strip(".") for host in _strings(table, "hosts", error))
    for host in hosts:
        if not _HOST.match(host):
            raise error(f"{host!r} is no host name (write e.g. \"example.com\", no scheme or path)", "hosts")
    if not hosts:
        raise error("needs at least one host", "hosts")
    sources = {key: _urls(table, key, hosts, error) for key in SOURCE_KEYS}
    if not any(sources.values()):
        raise error("give at least one of feeds, sitemaps, sections", "feeds")
    selectors = _selectors(table["selectors"], error) if "selectors" in table else None
    if selectors is not None:
        taken = [host for host in hosts if host in reserved_hosts]
        if taken:
            raise error(f"{taken[0]!r} already has a built-in outlet parser", "hosts")
    language = table.get("language")
    if language is not None and not (isinstance(language, str) and language.strip()):
        raise error("must be a language code such as \"en\" or \"de-CH\"", "language")
    return OutletConfig(
        name=name,
        hosts=hosts,
        article_url=_regex(table, "article_url", error),
        exclude_url=_regex(table, "exclude_url", error) if "exclude_url" in table else None,
        language=language.strip() if language else None,
        selectors=selectors,
        source_file=str(path),
        **sources,
    )


def _strings(table: Mapping[str, Any], key: str, error: ErrorFor) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise error("must be a list of non-empty strings", key)
    return tuple(item.strip() for item in value)


def _urls(table: Mapping[str, Any], key: str, hosts: tuple[str, ...], error: ErrorFor) -> tuple[str, ...]:
    urls = _strings(table, key, error)
    for url in urls:
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
        except ValueError:
            parts, host = None, ""
        if parts is None or parts.scheme not in ("http", "https") or not host:
            raise error(f"{url!r} is not an http(s) URL", key)
        # Scrapy drops requests off the spider's allowed domains: say so now, not silently.
        if not on_hosts(host, hosts):
            raise error(f"{url!r} is on none of the outlet's hosts", key)
    return urls


def on_hosts(host: str, hosts: Iterable[str]) -> bool:
    return any(host == allowed or host.endswith("." + allowed) for allowed in hosts)


def _regex(table: Mapping[str, Any], key: str, error: ErrorFor) -> str:
    value = table[key]
    if not isinstance(value, str) or not value.strip():
        raise error("must be a regular expression (a string)", key)
    try:
        re.compile(value)
    except re.error as exc:
        raise error(f"bad regular expression: {exc}", key) from None
    return value


def _selectors(table: Any, error: ErrorFor) -> Selectors:
    if not isinstance(table, dict):
        raise error("must be a table", "selectors")
    for key in table:
        if key not in (*SELECTOR_KEYS, "drop"):
            raise error(f"unknown selector (known: {', '.join((*SELECTOR_KEYS, 'drop'))})", f"selectors.{key}")
    if "body" not in table:
        raise error("missing (an outlet with selectors says where its body is)", "selectors.body")
    found: dict[str, Any] = {}
    for key in SELECTOR_KEYS:
        if key in table:
            value = table[key]
            if not isinstance(value, str) or not value.strip():
                raise error("must be a CSS selector or an XPath (a string)", f"selectors.{key}")
            found[key] = _to_xpath(value, relative=False, error=error, field=f"selectors.{key}")
    drops = _strings(table, "drop", error) if "drop" in table else ()
    found["drop"] = tuple(_to_xpath(value, relative=True, error=error, field="selectors.drop") for value in drops)
    return Selectors(**found)


def _to_xpath(selector: str, *, relative: bool, error: ErrorFor, field: str) -> str:
    """XPath for a CSS selector or an XPath, checked; ``relative`` ones search a container."""
    selector = selector.strip()
    kind, _, rest = selector.partition(":")
    if kind in ("css", "xpath") and rest:
        is_xpath, selector = kind == "xpath", rest.strip()
    else:
        is_xpath = selector.startswith(_XPATH_START)
    if is_xpath:
        try:
            compiled_xpath(selector)
        except etree.XPathSyntaxError as exc:
            raise error(f"bad XPath {selector!r}: {exc}", field) from None
        return selector
    try:
        prefix = "descendant-or-self::" if relative else "//"
        return HTMLTranslator().css_to_xpath(selector, prefix=prefix)
    except SelectorError as exc:
        raise error(f"bad CSS selector {selector!r}: {exc}", field) from None


# --- parsers from selectors --------------------------------------------------------------------


class ConfiguredParser(OutletParser):
    """An outlet parser declared by selectors: a selected ``<meta>`` gives its ``content``,
    a selected ``<time>`` (for dates) its ``datetime``."""

    config: ClassVar[OutletConfig]

    def headline(self, doc: HtmlElement) -> str | None:
        return next(self._texts(doc, self.headline_xpaths), None)

    def authors(self, doc: HtmlElement) -> list[str]:
        return unique_names(name for text in self._texts(doc, self.author_xpaths) for name in split_authors(text))

    def standfirst(self, doc: HtmlElement) -> str | None:
        return next(self._texts(doc, self.standfirst_xpaths), None)

    def published(self, doc: HtmlElement) -> str | None:
        return next(filter(None, map(parse_date, self._texts(doc, self.published_xpaths, "datetime"))), None)

    @staticmethod
    def _texts(doc: HtmlElement, xpaths: Iterable[str], attribute: str = "content") -> Iterable[str]:
        for xpath in xpaths:
            for result in compiled_xpath(xpath)(doc):
                if isinstance(result, HtmlElement):
                    value = result.get(attribute) or result.get("content")
                    text = clean_text(value) if value else inline_text(result)
                else:
                    text = clean_text(str(result))
                if text:
                    yield text


def parser_class(config: OutletConfig) -> type[ConfiguredParser] | None:
    """The outlet parser a configured outlet's selectors declare; None without selectors."""
    selectors = config.selectors
    if selectors is None:
        return None

    def declared(xpath: str | None) -> tuple[str, ...]:
        return (xpath,) if xpath else ()

    attributes = {
        "config": config,
        "name": config.name,
        "hosts": config.hosts,
        "body_xpaths": declared(selectors.body),
        "drop_xpaths": COMMON_DROP_XPATHS + selectors.drop,
        "headline_xpaths": declared(selectors.headline),
        "author_xpaths": declared(selectors.byline),
        "standfirst_xpaths": declared(selectors.standfirst),
        "published_xpaths": declared(selectors.published),
        "__module__": __name__,
    }
    return type(f"{_class_name(config.name)}Parser", (ConfiguredParser,), attributes)


def register_configured_parser(config: OutletConfig) -> None:
    """Make the outlet's selectors the parser for its hosts in this process (idempotent; also
    the extraction worker processes' initializer)."""
    current = registered_parsers().get(config.name)
    if isinstance(current, ConfiguredParser) and current.config == config:
        return
    built = parser_class(config)
    if built is not None:
        register(built)


def _class_name(name: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[-_]", name)) or "Outlet"
