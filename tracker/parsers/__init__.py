"""Per-outlet article parsers: one small declarative class per site, chosen by URL host.

An outlet parser only knows *where* an outlet puts its article in the page (XPath
declarations); reading text, splitting bylines and normalising dates are shared helpers
here, so that adding an outlet is one short module in this package (found automatically)::

    @register
    class ExampleParser(OutletParser):
        name = "example"
        hosts = ("example.com",)
        body_xpaths = ("//div[@itemprop='articleBody']",)
        drop_xpaths = COMMON_DROP_XPATHS + (".//div[contains(@class, 'related')]",)
        headline_xpaths = ("//h1",)
        author_xpaths = ("//a[@rel='author']",)
        published_xpaths = ("//time[@itemprop='datePublished']/@datetime",)

Parsers are pure (no I/O) and stateless: they read an already parsed lxml tree.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from typing import ClassVar
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from tracker.furniture import drop_furniture, is_furniture_text
from tracker.normalize import clean_paragraphs, clean_text
from tracker.xpaths import (
    SharedWalks,
    compiled_xpath,
    descendant_matcher,
    descendant_steps,
)

__all__ = [
    "COMMON_DROP_XPATHS",
    "DEFAULT_PARAGRAPH_XPATH",
    "OutletArticle",
    "OutletParser",
    "inline_text",
    "compiled_xpath",
    "descendant_steps",
    "has_class",
    "parse_date",
    "parser_for_name",
    "parser_for_url",
    "register",
    "registered_parsers",
    "split_authors",
    "split_text_paragraphs",
    "text_blocks",
    "text_content",
]



# --- reading text out of elements ------------------------------------------------------------

# Elements whose content is never reader-visible article text.
SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
     "canvas", "video", "audio", "select", "textarea", "button", "head", "title", "meta", "link"}
)
# Elements that start a new paragraph (everything else is inline).
BLOCK_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
     "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
     "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "menu",
     "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
     "thead", "tr", "ul"}
)

# Descendants that end a block or hide their text: text_blocks must walk the element.
_SPLITTING_TAGS = BLOCK_TAGS | SKIP_TAGS | {"br"}

# Paragraph-like elements inside a body container; the innermost match wins, so a <p> inside
# a <blockquote> or <li> is read once.
DEFAULT_PARAGRAPH_XPATH = (
    ".//p | .//h2 | .//h3 | .//h4 | .//h5 | .//h6 | .//li | .//blockquote | .//pre"
)

# Things that are never body text on any site; outlets extend this tuple with their own.
COMMON_DROP_XPATHS: tuple[str, ...] = (
    ".//figure",
    ".//figcaption",
    ".//aside",
    ".//form",
    ".//nav",
    ".//*[@hidden]",
)


def has_class(name: str) -> str:
    """XPath predicates matching a whole class token: ``f"//div{has_class('body')}"``.

    ``contains(@class, 'body')`` alone also matches "body-ad"; the cheap test runs first so
    the exact one only sees candidates.
    """
    return f"[contains(@class, '{name}')][contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"


def text_blocks(element: HtmlElement, *, br_break: int = 2) -> list[str]:
    """Visible text of ``element`` split into paragraphs at block elements and <br> runs.

    ``br_break`` consecutive <br> end a paragraph (2 by default: a single <br> is a line
    break inside a paragraph; pass 1 for pages that separate paragraphs with one <br>).
    Script, style and similar content is skipped; comments are skipped but their tail kept.
    Iterative on purpose: hostile pages nest thousands of elements deep.
    """
    tag = element.tag
    if not isinstance(tag, str) or tag in SKIP_TAGS or tag == "br":
        return []
    # The usual paragraph, plain text and inline markup only, is one block of all its text
    # (comments are no text nodes): what the walk below gives, without walking in Python.
    if not len(element):
        text = clean_text(element.text or "")
        return [text] if text else []
    if not any(node.tag in _SPLITTING_TAGS for node in element.iterdescendants()):
        text = clean_text(element.text_content())
        return [text] if text else []
    blocks: list[str] = []
    parts: list[str] = []
    brs_in_a_row = 0

    def flush() -> None:
        text = clean_text("".join(parts))
        parts.clear()
        if text:
            blocks.append(text)

    def add(text: str | None) -> None:
        nonlocal brs_in_a_row
        if text:
            parts.append(text)
            if not text.isspace():
                brs_in_a_row = 0

    # (element, closing) pairs; closing=True is the moment after all children were read.
    stack: list[tuple[HtmlElement, bool]] = [(element, False)]
    while stack:
        node, closing = stack.pop()
        tag = node.tag if isinstance(node.tag, str) else None
        if closing:
            if tag in BLOCK_TAGS:
                flush()
            if node is not element:
                add(node.tail)
            continue
        if tag is None or tag in SKIP_TAGS:  # comments, processing instructions, scripts
            if node is not element:
                add(node.tail)
            continue
        if tag == "br":
            brs_in_a_row += 1
            if brs_in_a_row >= br_break:
                flush()
            else:
                parts.append("\n")
            if node is not element:
                add(node.tail)
            continue
        if tag in BLOCK_TAGS:
            flush()
        add(node.text)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    flush()
    return blocks


def text_content(element: HtmlElement) -> str:
    """``element.text_content()``, without an XPath call for the usual element of plain text
    (with no child nodes, its text is all there is)."""
    if not len(element):
        return element.text or ""
    return element.text_content()


def inline_text(element: HtmlElement) -> str:
    """All visible text of ``element`` on one line (headlines, bylines)."""
    return clean_text(" ".join(text_blocks(element, br_break=1)))


def split_text_paragraphs(text: str) -> list[str]:
    """Plain text (e.g. JSON-LD ``articleBody``) split into cleaned paragraphs at line breaks."""
    return clean_paragraphs(re.split(r"\r?\n|\r|\u2029", text))


# --- bylines --------------------------------------------------------------------------------

_BY_PREFIX = re.compile(r"^\s*(?:written\s+)?by[:\s]\s*", re.IGNORECASE)
_AUTHOR_SEPARATORS = re.compile(r"\s*(?:[,;|&\n]|\band\b)\s*", re.IGNORECASE)
_NAME_SUFFIX = re.compile(r"^(?:jr|sr|ii|iii|iv|phd|md)\.?$", re.IGNORECASE)
_NOT_A_NAME = re.compile(r"https?://|www\.|@|\d{3,}|^(?:updated|published|posted)\b", re.IGNORECASE)


def split_authors(byline: str) -> list[str]:
    """Names in a byline: ``"By A, B and C"`` -> ``["A", "B", "C"]``.

    Drops the "By" prefix, URLs, e-mail addresses and timestamps; keeps "Jr." with its name.
    """
    byline = clean_text(byline)
    names: list[str] = []
    for part in _AUTHOR_SEPARATORS.split(_BY_PREFIX.sub("", byline)):
        part = _strip_sentence_dot(_BY_PREFIX.sub("", part).strip(" ,:;-–—|"))
        if not part or _NOT_A_NAME.search(part):
            continue
        if _NAME_SUFFIX.match(part) and names:
            names[-1] = f"{names[-1]}, {part}"
            continue
        names.append(part)
    return names


def _strip_sentence_dot(name: str) -> str:
    """ "Jane Doe." -> "Jane Doe"; the dot of an initial ("John Q.") or of "Jr." stays."""
    last_word = name.rsplit(" ", 1)[-1]
    if last_word.endswith(".") and len(last_word) > 2 and not _NAME_SUFFIX.match(last_word):
        return name[:-1]
    return name


def unique_names(names: Iterable[str]) -> list[str]:
    """Names in first-seen order without case-insensitive repeats."""
    seen: set[str] = set()
    result: list[str] = []
    for name in names:
        key = name.casefold()
        if key not in seen:
            seen.add(key)
            result.append(name)
    return result


# --- dates ----------------------------------------------------------------------------------

# "2015-12-23T12:34-500": old WaPo pages write the UTC offset with three digits.
_SHORT_OFFSET = re.compile(r"([+-])(\d)(\d\d)$")
_COMPACT_OFFSET = re.compile(r"([+-])(\d\d)(\d\d)$")
_ISO_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PROSE_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d")


def parse_date(value: object) -> str | None:
    """An ISO 8601 string for a date as pages write it, or None when it is not one.

    Keeps the page's time zone (``Z`` becomes ``+00:00``) and never invents one: a naive
    time stays naive, a bare date stays ``YYYY-MM-DD``. Accepts ISO forms (also with
    malformed offsets like ``-500``), epoch seconds or milliseconds, RFC 2822 and a few
    spelled-out dates ("January 18, 2014").
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return _from_epoch(float(value))
    text = clean_text(str(value))
    if not text:
        return None
    if text.isdigit() and len(text) in (10, 13):
        return _from_epoch(int(text) / (1000 if len(text) == 13 else 1))
    if _ISO_DATE_ONLY.match(text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    iso = text.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else text
    iso = _SHORT_OFFSET.sub(r"\g<1>0\2:\3", iso) if "T" in iso else iso
    iso = _COMPACT_OFFSET.sub(r"\1\2:\3", iso) if "T" in iso else iso
    try:
        return _iso(datetime.fromisoformat(iso))
    except ValueError:
        pass
    try:
        return _iso(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        pass
    for fmt in _PROSE_DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _from_epoch(seconds: float) -> str | None:
    try:
        return _iso(datetime.fromtimestamp(seconds, tz=timezone.utc))
    except (OverflowError, OSError, ValueError):
        return None


def _iso(moment: datetime) -> str:
    if moment.microsecond == 0:
        return moment.isoformat(timespec="seconds")
    if moment.microsecond % 1000 == 0:
        return moment.isoformat(timespec="milliseconds")
    return moment.isoformat()


def with_timezone(value: str | None, zone: str | None) -> str | None:
    """An ISO date-time without an offset read as local time in ``zone`` (an IANA name).

    For outlets that print "04:01 PM EDT" and put "2022-10-17 16:01:26" in the markup:
    the zone is the outlet's, stated on the page, not guessed. Dates, aware times and an
    unknown zone (no tz database) come back unchanged.
    """
    if not value or not zone or "T" not in value:
        return value
    try:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            return value
        from zoneinfo import ZoneInfo  # stdlib; imported here as few parsers need it

        return _iso(moment.replace(tzinfo=ZoneInfo(zone)))
    except (ValueError, LookupError):  # ZoneInfoNotFoundError is a KeyError
        return value


# --- the parser base class --------------------------------------------------------------------


@dataclass
class OutletArticle:
    """What an outlet parser found; empty fields mean "ask the generic sources"."""

    headline: str | None = None
    authors: list[str] = field(default_factory=list)
    datePublished: str | None = None
    dateModified: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    standfirst: str | None = None


class OutletParser:
    """Where one outlet puts its article in the page, declared as XPath.

    Subclass, fill in the class attributes and decorate with :func:`register`. Override a
    method only for markup the declarations cannot express. XPaths in ``drop_xpaths`` and
    ``paragraph_xpath`` are relative to a body container; the others are absolute.
    """

    name: ClassVar[str]
    """Outlet / spider name, e.g. "washpo"."""
    hosts: ClassVar[tuple[str, ...]]
    """Registrable hosts, e.g. ("washingtonpost.com",); subdomains match too."""

    body_xpaths: ClassVar[tuple[str, ...]] = ()
    """Body containers, tried in order; all (outermost) matches of the first that yields text
    are read in document order, so pages that split the body over sibling divs work."""
    paragraph_xpath: ClassVar[str] = DEFAULT_PARAGRAPH_XPATH
    """Paragraph-like elements inside a container ("." reads the container's text split at
    blocks and <br> runs, for pages without paragraph markup)."""
    drop_xpaths: ClassVar[tuple[str, ...]] = COMMON_DROP_XPATHS
    """Removed from a container before reading: captions, embeds, ads, related links..."""
    drop_paragraph_patterns: ClassVar[tuple[re.Pattern[str], ...]] = ()
    """Whole paragraphs that are this outlet's own boilerplate (matched with ``search`` on the
    cleaned text). Furniture any site has ("Advertisement", "Read more", newsletter prompts,
    link boxes, captions...) is left out for every parser by :mod:`tracker.furniture`."""
    br_break: ClassVar[int] = 2
    """Consecutive <br> that separate two paragraphs inside one element."""

    headline_xpaths: ClassVar[tuple[str, ...]] = ()
    headline_strip_patterns: ClassVar[tuple[re.Pattern[str], ...]] = ()
    """Removed from the headline, e.g. a " - The Washington Post" site suffix."""
    author_xpaths: ClassVar[tuple[str, ...]] = ()
    """Elements or strings holding names or "By A and B" bylines; first xpath with names wins."""
    published_xpaths: ClassVar[tuple[str, ...]] = ()
    modified_xpaths: ClassVar[tuple[str, ...]] = ()
    standfirst_xpaths: ClassVar[tuple[str, ...]] = ()
    """The summary shown under the headline (dek, standfirst); none found: the generic rules
    of :mod:`tracker.standfirst` decide."""
    naive_timezone: ClassVar[str | None] = None
    """IANA zone in which the outlet writes times without an offset (see :func:`with_timezone`);
    None leaves such times naive."""

    def extract(self, doc: HtmlElement) -> OutletArticle:
        """Everything this parser finds; metadata is read before the body because reading
        the body drops nodes (bylines can sit inside the body container)."""
        # The metadata declarations read the untouched page: those on the same element
        # name share one walk over it (see SharedWalks).
        token = _METADATA_WALKS.set((doc, _metadata_walks(type(self)), {}))
        try:
            headline, authors = self.headline(doc), self.authors(doc)
            published, modified, standfirst = self.published(doc), self.modified(doc), self.standfirst(doc)
        finally:
            _METADATA_WALKS.reset(token)
        return OutletArticle(
            headline=headline,
            authors=authors,
            datePublished=published,
            dateModified=modified,
            standfirst=standfirst,
            paragraphs=self.paragraphs(doc),
        )

    def headline(self, doc: HtmlElement) -> str | None:
        for text in _strings(doc, self.headline_xpaths):
            for pattern in self.headline_strip_patterns:
                text = pattern.sub("", text).strip()
            if text:
                return text
        return None

    def authors(self, doc: HtmlElement) -> list[str]:
        for xpath in self.author_xpaths:
            names = [name for text in _strings(doc, (xpath,)) for name in split_authors(text)]
            if names:
                return unique_names(names)
        return []

    def standfirst(self, doc: HtmlElement) -> str | None:
        """The outlet's standfirst as shown; None leaves it to the generic rules."""
        return next(_strings(doc, self.standfirst_xpaths), None)

    def published(self, doc: HtmlElement) -> str | None:
        return with_timezone(_first_date(doc, self.published_xpaths), self.naive_timezone)

    def modified(self, doc: HtmlElement) -> str | None:
        return with_timezone(_first_date(doc, self.modified_xpaths), self.naive_timezone)

    def paragraphs(self, doc: HtmlElement) -> list[str]:
        for xpath in self.body_xpaths:
            containers = _outermost(_elements(doc, xpath))
            if not containers:
                continue
            paragraphs: list[str] = []
            for container in containers:
                self.drop_boilerplate(container)
                drop_furniture(container)
                paragraphs.extend(self.read_paragraphs(container))
            paragraphs = self.filter_paragraphs(paragraphs)
            if paragraphs:
                return paragraphs
        return []

    def drop_boilerplate(self, container: HtmlElement) -> None:
        """Remove ``drop_xpaths`` matches (with their content, keeping the text after them)."""
        if not self.drop_xpaths:
            return
        # One pass over the container, however many declarations there are (a 2024 WaPo
        # page has a container per paragraph: 50 containers x 18 declarations).
        for node in descendant_matcher(self.drop_xpaths)(container):
            if node is not container and node.getparent() is not None:
                node.drop_tree()

    def read_paragraphs(self, container: HtmlElement) -> list[str]:
        elements = _innermost(_elements(container, self.paragraph_xpath), container)
        return [text for element in elements for text in text_blocks(element, br_break=self.br_break)]

    def filter_paragraphs(self, paragraphs: Sequence[str]) -> list[str]:
        """Paragraphs (already cleaned by :func:`text_blocks`) minus furniture (the shared
        vocabulary of :mod:`tracker.furniture`) and this outlet's own boilerplate."""
        return [
            paragraph
            for paragraph in paragraphs
            if paragraph
            and not is_furniture_text(paragraph)
            and not any(pattern.search(paragraph) for pattern in self.drop_paragraph_patterns)
        ]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} {self.hosts!r}>"


def _elements(root: HtmlElement, xpath: str) -> list[HtmlElement]:
    return [node for node in compiled_xpath(xpath)(root) if isinstance(node, HtmlElement)]


# While OutletParser.extract reads the metadata: the page, its parser's SharedWalks and the
# walks made so far.
_METADATA_WALKS: ContextVar[tuple[HtmlElement, SharedWalks, dict[str, list[HtmlElement]]] | None] = ContextVar(
    "tracker_metadata_walks", default=None
)


@functools.cache
def _metadata_walks(parser_class: type[OutletParser]) -> SharedWalks:
    return SharedWalks(
        parser_class.headline_xpaths + parser_class.author_xpaths + parser_class.published_xpaths
        + parser_class.modified_xpaths + parser_class.standfirst_xpaths
    )


def _select(doc: HtmlElement, xpath: str) -> list:
    """``compiled_xpath(xpath)(doc)``, from the shared metadata walks when they answer it."""
    current = _METADATA_WALKS.get()
    if current is not None and current[0] is doc:
        found = current[1].select(doc, xpath, current[2])
        if found is not None:
            return found
    return compiled_xpath(xpath)(doc)


def _strings(doc: HtmlElement, xpaths: Iterable[str]) -> Iterator[str]:
    """Cleaned text of what the xpaths select (elements or attribute/text strings), in order.
    Lazy, so callers that need the first hit stop evaluating there."""
    for xpath in xpaths:
        for result in _select(doc, xpath):
            text = inline_text(result) if isinstance(result, HtmlElement) else clean_text(str(result))
            if text:
                yield text


def _first_date(doc: HtmlElement, xpaths: Iterable[str]) -> str | None:
    for text in _strings(doc, xpaths):
        parsed = parse_date(text)
        if parsed:
            return parsed
    return None


def _outermost(elements: list[HtmlElement]) -> list[HtmlElement]:
    """Drop matches nested inside another match, so no text is read twice."""
    chosen = set(elements)
    return [el for el in elements if not any(a in chosen for a in el.iterancestors())]


def _innermost(elements: list[HtmlElement], container: HtmlElement) -> list[HtmlElement]:
    """Drop matches that contain another match (a <p> inside a <blockquote> is the paragraph)."""
    chosen = set(elements)
    wrappers: set[HtmlElement] = set()
    for element in elements:
        for ancestor in element.iterancestors():
            if ancestor is container:
                break
            if ancestor in chosen:
                wrappers.add(ancestor)
    return [el for el in elements if el not in wrappers]


# --- registry -------------------------------------------------------------------------------

_BY_NAME: dict[str, OutletParser] = {}
_BY_HOST: dict[str, OutletParser] = {}
_loaded = False


def register(parser_class: type[OutletParser]) -> type[OutletParser]:
    """Class decorator: make ``parser_class`` the parser for its name and hosts."""
    name = getattr(parser_class, "name", "")
    hosts = getattr(parser_class, "hosts", ())
    if not name or not hosts or isinstance(hosts, str):
        raise ValueError(f"{parser_class.__name__} needs a name and a tuple of hosts")
    if name in _BY_NAME and type(_BY_NAME[name]) is not parser_class:
        raise ValueError(f"outlet name {name!r} is already registered by {_BY_NAME[name]!r}")
    parser = parser_class()
    for host in hosts:
        host = host.lower().strip(".")
        owner = _BY_HOST.get(host)
        if owner is not None and type(owner) is not parser_class:
            raise ValueError(f"host {host!r} is already registered by {owner!r}")
        _BY_HOST[host] = parser
    _BY_NAME[name] = parser
    return parser_class


def _load_outlet_modules() -> None:
    global _loaded
    if not _loaded:
        # Every module of this package is one outlet (tracker/parsers/<name>.py).
        for module in sorted(info.name for info in pkgutil.iter_modules(__path__)):
            importlib.import_module(f"{__name__}.{module}")
        _loaded = True


def parser_for_url(url: str) -> OutletParser | None:
    """The parser registered for the URL's host or its nearest registered parent domain."""
    _load_outlet_modules()
    try:
        host = (urlsplit(url.strip()).hostname or "").rstrip(".")
    except ValueError:
        return None
    labels = host.split(".")
    for start in range(len(labels) - 1):
        parser = _BY_HOST.get(".".join(labels[start:]))
        if parser is not None:
            return parser
    return None


def parser_for_name(name: str) -> OutletParser | None:
    _load_outlet_modules()
    return _BY_NAME.get(name)


def registered_parsers() -> dict[str, OutletParser]:
    """Every registered parser by outlet name."""
    _load_outlet_modules()
    return dict(_BY_NAME)
