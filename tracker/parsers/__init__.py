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
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from typing import ClassVar
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from tracker.furniture import drop_furniture, is_furniture_text
from tracker.normalize import clean_paragraphs, clean_text

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


@functools.cache
def compiled_xpath(xpath: str) -> etree.XPath:
    """Declarations are compiled once per process, not on every page (with the cheaper
    spelling of their ``//`` steps, see :func:`descendant_steps`)."""
    try:
        return etree.XPath(descendant_steps(xpath))
    except etree.XPathSyntaxError:  # never expected; the declaration as written reports it
        return etree.XPath(xpath)


# "//name[p]" is "descendant-or-self::node()/child::name[p]": libxml2 first gathers every node
# of the subtree (text nodes too), then asks each one for its children. "/descendant::name[p]"
# selects the same elements in about half the time, unless a predicate of that step counts
# positions ("//li[1]" is every first <li> of its parent, "/descendant::li[1]" the first of
# all). A step is rewritten only when each of its predicates is surely a boolean: a comparison,
# an and / or, contains() / starts-with() / not(), or a path (true when it selects something).
_STEP_NAME = re.compile(r"\*|[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?")
_AXIS_OR_CALL = re.compile(r"\s*(?:\(|::)")
_PATH_STEP = r"(?:(?:[a-z-]+::)?(?:[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?|\*|node\(\)|text\(\))|@[\w.:-]+|@\*|\.\.?)(?:\[\])*"
_PATH_PREDICATE = re.compile(rf"/{{0,2}}{_PATH_STEP}(?://?{_PATH_STEP})*")
_BOOLEAN_CALL = re.compile(r"(?:contains|starts-with|not|boolean|true|false)\(\)")
_LOGIC = re.compile(r"[=<>]|\s(?:and|or)\s")


def descendant_steps(xpath: str) -> str:
    """``xpath`` with every ``//name`` step whose predicates cannot count positions written as
    ``/descendant::name`` (the same selection, found faster by libxml2)."""
    parts: list[str] = []
    index = 0
    while index < len(xpath):
        char = xpath[index]
        if char in "'\"":  # a string literal is copied as it is
            end = xpath.find(char, index + 1)
            if end < 0:
                return xpath
            parts.append(xpath[index : end + 1])
            index = end + 1
        elif xpath.startswith("//", index) and _is_plain_step(xpath, index + 2):
            parts.append("/descendant::")
            index += 2
        else:
            parts.append(char)
            index += 1
    return "".join(parts)


def _is_plain_step(xpath: str, start: int) -> bool:
    """Whether the step at ``start`` is a name test (not a function, an axis or an attribute)
    followed only by predicates that are surely booleans."""
    name = _STEP_NAME.match(xpath, start)
    if name is None or _AXIS_OR_CALL.match(xpath, name.end()):
        return False
    found = _predicates(xpath, name.end())
    if found is None:
        return False
    predicates, end = found
    # position() and last() count positions wherever they sit (also inside not(...)).
    raw = xpath[name.end() : end]
    return "position(" not in raw and "last(" not in raw and all(map(_is_boolean, predicates))


def _predicates(xpath: str, start: int) -> tuple[list[str], int] | None:
    """The predicates right after ``start``, each with its nested groups and strings folded to
    ``[]``, ``()`` and ``''``, and where they end (None for unbalanced text)."""
    predicates: list[str] = []
    index = start
    while index < len(xpath) and xpath[index] == "[":
        folded: list[str] = []
        depth = 0
        while True:
            if index >= len(xpath):
                return None
            char = xpath[index]
            if char in "'\"":
                end = xpath.find(char, index + 1)
                if end < 0:
                    return None
                if depth == 1:
                    folded.append("''")
                index = end + 1
                continue
            if char in "[(":
                depth += 1
                if depth == 2:
                    folded.append(char)
            elif char in "])":
                depth -= 1
                if depth == 1:
                    folded.append(char)
                elif depth == 0:
                    index += 1
                    break
            elif depth == 1:
                folded.append(char)
            index += 1
        predicates.append("".join(folded).strip())
    return predicates, index


def _is_boolean(predicate: str) -> bool:
    """Whether a folded predicate surely evaluates to a boolean or a node-set (never to a
    number, which XPath compares with the position)."""
    return bool(
        _LOGIC.search(predicate) or _BOOLEAN_CALL.fullmatch(predicate) or _PATH_PREDICATE.fullmatch(predicate)
    )


def _elements(root: HtmlElement, xpath: str) -> list[HtmlElement]:
    return [node for node in compiled_xpath(xpath)(root) if isinstance(node, HtmlElement)]


# While OutletParser.extract reads the metadata: the page, its parser's SharedWalks and the
# walks made so far.
_METADATA_WALKS: ContextVar[tuple[HtmlElement, SharedWalks, dict[str, list[HtmlElement]]] | None] = ContextVar(
    "tracker_metadata_walks", default=None
)


@functools.cache
def _metadata_walks(parser_class: type[OutletParser]) -> SharedWalks:
    return shared_walks(
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


# --- declarations matched in Python ------------------------------------------------------------

# libxml2 evaluates ``contains(@class, '...')`` slowly (each test builds a node-set and copies
# the attribute), and a parser's drop declarations hold dozens of them: on a page they cost
# about half of parsing it. The common shape of a declaration, a step with predicates that
# only test attributes, is matched in Python here (one pass over a container's elements, one
# regular expression per attribute); every other declaration is left to lxml.
#
# Exact XPath 1.0 semantics on HTML trees: an absent attribute is the empty string to
# ``contains`` / ``starts-with`` and fails ``@a='x'`` and ``@a``; a value-less attribute
# (``<div hidden>``) is present and empty, in lxml's ``get`` as in XPath; libxml2's HTML parser
# keeps the first of repeated attributes, so one value per name is all there is.

_NAME = r"[A-Za-z_][\w.-]*"  # no prefix: "fb:like" and "xml:lang" are left to lxml
_LITERAL = r"(?:'([^']*)'|\"([^\"]*)\")"
_BRANCH = re.compile(rf"\s*\.//(\*|{_NAME})\s*((?:\[.*\])?)\s*", re.DOTALL)
_CONTAINS = re.compile(rf"contains\(\s*@({_NAME})\s*,\s*{_LITERAL}\s*\)")
_STARTS_WITH = re.compile(rf"starts-with\(\s*@({_NAME})\s*,\s*{_LITERAL}\s*\)")
_EQUALS = re.compile(rf"@({_NAME})\s*=\s*{_LITERAL}")
_HAS = re.compile(rf"@({_NAME})")
# has_class(): a whole token of the space-normalised class list.
_TOKEN = re.compile(rf"contains\(\s*concat\(\s*' '\s*,\s*normalize-space\(\s*@({_NAME})\s*\)\s*,\s*' '\s*\)\s*,\s*{_LITERAL}\s*\)")
_XML_SPACE = re.compile(r"[ \t\r\n]+")
_ONE_TOKEN = re.compile(r" [^ \t\r\n]+ ")


@dataclass(frozen=True)
class _Test:
    """One attribute test: ``kind`` is contains, starts, equals, has or token."""

    kind: str
    attribute: str
    literal: str = ""

    def pattern(self) -> str:
        literal = re.escape(self.literal)
        if self.kind == "token":  # " word ": the word between XML white space or the ends
            word = re.escape(self.literal[1:-1])
            return rf"(?<![^ \t\r\n]){word}(?![^ \t\r\n])"
        return {"contains": literal, "starts": rf"\A{literal}", "equals": rf"\A{literal}\Z"}[self.kind]

    @property
    def is_one_token(self) -> bool:
        """A has_class() test of one word (" word "): a regular expression can say it."""
        return self.kind == "token" and _ONE_TOKEN.fullmatch(self.literal) is not None

    def __call__(self, element: HtmlElement) -> bool:
        value = element.get(self.attribute)
        if self.kind == "has":
            return value is not None
        if self.kind == "equals":
            return value == self.literal
        if self.kind == "token":
            return self.literal in f" {_normalize_space(value or '')} "
        text = value or ""
        return self.literal in text if self.kind == "contains" else text.startswith(self.literal)


def _normalize_space(text: str) -> str:
    """XPath's normalize-space(): only XML white space counts."""
    return _XML_SPACE.sub(" ", text).strip(" ")


@dataclass(frozen=True)
class _AncestorTest:
    """``ancestor::name[tests]``: some element above has that name and passes the tests."""

    name: str
    predicates: tuple[tuple[_Test, ...], ...]
    kind: str = "ancestor"

    def __call__(self, element: HtmlElement) -> bool:
        return any(
            (self.name == "*" or ancestor.tag == self.name)
            and all(any(test(ancestor) for test in tests) for tests in self.predicates)
            for ancestor in element.iterancestors()
        )


_ANCESTOR = re.compile(rf"ancestor::(\*|{_NAME})((?:\[.*\])?)", re.DOTALL)


def _parse_test(term: str) -> _Test | _AncestorTest | None:
    ancestor = _ANCESTOR.fullmatch(term)
    if ancestor is not None:
        parsed = _parse_branch(f".//{ancestor.group(1)}{ancestor.group(2)}")
        return _AncestorTest(parsed[0], parsed[1]) if parsed is not None else None
    for kind, pattern in (("token", _TOKEN), ("contains", _CONTAINS), ("starts", _STARTS_WITH), ("equals", _EQUALS)):
        match = pattern.fullmatch(term)
        if match:
            literal = match.group(2) if match.group(2) is not None else match.group(3)
            # contains(@a, '') holds even without the attribute: left to lxml
            return _Test(kind, match.group(1), literal) if literal or kind == "equals" else None
    match = _HAS.fullmatch(term)
    return _Test("has", match.group(1)) if match else None


def _split_top_level(text: str, separator: str) -> list[str] | None:
    """``text`` split at ``separator`` outside strings, brackets and parentheses (None when
    unbalanced)."""
    parts: list[str] = []
    depth, start, index = 0, 0, 0
    while index < len(text):
        char = text[index]
        if char in "'\"":
            end = text.find(char, index + 1)
            if end < 0:
                return None
            index = end + 1
            continue
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
            if depth < 0:
                return None
        elif depth == 0 and text.startswith(separator, index):
            parts.append(text[start:index])
            index += len(separator)
            start = index
            continue
        index += 1
    if depth:
        return None
    parts.append(text[start:])
    return parts


def _predicate_bodies(text: str) -> list[str] | None:
    """The bodies of ``[...][...]`` (None when ``text`` is anything else)."""
    bodies = []
    rest = text.strip()
    while rest:
        if not rest.startswith("["):
            return None
        end = _closing_bracket(rest)
        if end is None:
            return None
        bodies.append(rest[1:end])
        rest = rest[end + 1 :].strip()
    return bodies


def _closing_bracket(text: str) -> int | None:
    """Where the bracket opening ``text`` closes, outside strings."""
    depth, index = 0, 0
    while index < len(text):
        char = text[index]
        if char in "'\"":
            end = text.find(char, index + 1)
            if end < 0:
                return None
            index = end + 1
            continue
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
            if depth == 0:
                return index if char == "]" else None
        index += 1
    return None


# A branch: the element name ("*": any) and its predicates, each a disjunction of tests.
_Branch = tuple[str, tuple[tuple[_Test, ...], ...]]


def _parse_branch(xpath: str) -> _Branch | None:
    match = _BRANCH.fullmatch(xpath)
    if match is None:
        return None
    bodies = _predicate_bodies(match.group(2))
    if bodies is None:
        return None
    predicates = []
    for body in bodies:
        terms = _split_top_level(body, " or ")
        tests = [_parse_test(term.strip()) for term in terms or ()]
        if not tests or any(test is None for test in tests):
            return None
        predicates.append(tuple(tests))
    return match.group(1), tuple(predicates)


class DescendantMatcher:
    """The elements under a container that any of some XPath declarations select.

    Declarations of the shape ``.//name[test or ...][...]`` (tests on attributes: ``@a``,
    ``@a='x'``, ``contains(@a, 'x')``, ``starts-with(@a, 'x')``, has_class()'s whole-token
    test) are matched in one Python pass; the others go to lxml as one union. The result
    is a set, not a sequence: callers that drop subtrees get the same tree in any order.
    """

    def __init__(self, xpaths: Sequence[str]) -> None:
        branches: list[_Branch] = []
        others: list[str] = []
        for xpath in xpaths:
            for branch in _split_top_level(xpath, "|") or [xpath]:
                parsed = _parse_branch(branch)
                if parsed is None:
                    others.append(branch.strip())
                else:
                    branches.append(parsed)
        # Declarations with one predicate of attribute tests (most of them) become one
        # regular expression per element name and attribute; names alone become a set.
        self._any_names: set[str] = set()
        self._rules: dict[str, _Rules] = {}
        for name, predicates in branches:
            if not predicates:
                self._any_names.add(name)
            else:
                self._rules.setdefault(name, _Rules()).add(predicates)
        for rules in self._rules.values():
            rules.compile()
        self._everywhere = self._rules.pop("*", None)
        self._matches_everything = "*" in self._any_names
        self._rest = compiled_xpath(" | ".join(f"({xpath})" for xpath in others)) if others else None
        self._matches = self._compile()

    def __call__(self, container: HtmlElement) -> list[HtmlElement]:
        found = list(filter(self._matches, container.iterdescendants()))
        if self._rest is not None:
            seen = set(found)
            found += [
                node for node in self._rest(container)
                if isinstance(node, HtmlElement) and node not in seen
            ]
        return found

    def _compile(self) -> Callable[[HtmlElement], bool]:
        """The test of one element, with everything it reads bound to locals (it runs for
        every element under every container)."""
        if self._matches_everything:
            return lambda element: isinstance(element.tag, str)
        any_names = frozenset(self._any_names)
        everywhere = self._everywhere or _Rules()
        present = tuple(everywhere.present)
        patterns = tuple((attribute, pattern.search) for attribute, pattern in everywhere.patterns)
        checks = tuple(everywhere.checks)
        by_name = {name: rules.match for name, rules in self._rules.items()}

        def matches(element: HtmlElement) -> bool:
            tag = element.tag
            if not isinstance(tag, str):  # comments and processing instructions
                return False
            if tag in any_names:
                return True
            get = element.get
            for attribute in present:
                if get(attribute) is not None:
                    return True
            for attribute, search in patterns:
                value = get(attribute)
                if value is not None and search(value):
                    return True
            for check in checks:
                if check(element):
                    return True
            match = by_name.get(tag)
            return match is not None and match(element)

        return matches


class _Rules:
    """The declarations for one element name: attribute tests merged per attribute."""

    def __init__(self) -> None:
        self.present: list[str] = []
        self.alternatives: dict[str, list[str]] = {}
        self.patterns: list[tuple[str, re.Pattern[str]]] = []
        self.checks: list[Callable[[HtmlElement], bool]] = []

    def add(self, predicates: tuple[tuple[_Test, ...], ...]) -> None:
        predicates = _without_implied_presence(predicates)
        if len(predicates) > 1 or any(
            test.kind == "ancestor" or (test.kind == "token" and not test.is_one_token) for test in predicates[0]
        ):
            self.checks.append(_all_of(predicates))
            return
        for test in predicates[0]:
            if test.kind == "has":
                if test.attribute not in self.present:
                    self.present.append(test.attribute)
            else:
                self.alternatives.setdefault(test.attribute, []).append(test.pattern())

    def compile(self) -> None:
        self.patterns = [(attribute, re.compile("|".join(parts))) for attribute, parts in self.alternatives.items()]

    def match(self, element: HtmlElement) -> bool:
        get = element.get
        for attribute in self.present:
            if get(attribute) is not None:
                return True
        for attribute, pattern in self.patterns:
            value = get(attribute)
            if value is not None and pattern.search(value):
                return True
        return any(check(element) for check in self.checks)


def _without_implied_presence(predicates: tuple[tuple[_Test, ...], ...]) -> tuple[tuple[_Test, ...], ...]:
    """``[@class][contains(@class, 'a') or ...]`` as ``[contains(@class, 'a') or ...]``: a test of
    an attribute's value (a non-empty literal) only holds when the attribute is there."""
    if len(predicates) < 2:
        return predicates

    def needs(tests: tuple[_Test, ...], attribute: str) -> bool:
        return all(test.kind in ("contains", "starts", "equals") and test.attribute == attribute for test in tests)

    def implied_contains(tests: tuple[_Test, ...]) -> bool:
        # has_class('ad'): [contains(@class, 'ad')][whole token 'ad'], the token implies the rest
        return len(tests) == 1 and tests[0].kind == "contains" and any(
            len(other) == 1 and other[0].is_one_token and other[0].attribute == tests[0].attribute
            and tests[0].literal in other[0].literal[1:-1]
            for other in predicates
        )

    return tuple(
        tests for tests in predicates
        if not (
            len(tests) == 1 and tests[0].kind == "has"
            and any(other is not tests and needs(other, tests[0].attribute) for other in predicates)
        )
        and not implied_contains(tests)
    )


def _all_of(predicates: tuple[tuple[_Test, ...], ...]) -> Callable[[HtmlElement], bool]:
    def check(element: HtmlElement) -> bool:  # loops, not generators: it runs per element
        for tests in predicates:
            for test in tests:
                if test(element):
                    break
            else:
                return False
        return True

    return check


@functools.cache
def descendant_matcher(xpaths: tuple[str, ...]) -> DescendantMatcher:
    """One matcher per declaration tuple and process."""
    return DescendantMatcher(xpaths)


# --- absolute declarations sharing one walk per element name -----------------------------------

_STEP = re.compile(rf"//(\*|{_NAME})")
_ATTRIBUTE_STEP = re.compile(rf"/@({_NAME})\s*")


@dataclass(frozen=True)
class _Selection:
    """``//name[predicates]``, optionally after ``//outer[predicates]`` and before ``/@attribute``:
    the element name, the conditions an XPath walk over it tests, the same tests in Python."""

    name: str
    conditions: tuple[str, ...]
    check: Callable[[HtmlElement], bool] | None
    attribute: str | None


def _path_steps(xpath: str) -> tuple[list[tuple[str, list[str]]], str | None] | None:
    """The ``//name[...]`` steps of ``xpath`` and its final ``/@attribute`` (None: another shape)."""
    rest = xpath.strip()
    steps = []
    while rest.startswith("//"):
        match = _STEP.match(rest)
        if match is None:
            return None
        rest = rest[match.end() :]
        bodies = []
        while rest.startswith("["):
            end = _closing_bracket(rest)
            if end is None:
                return None
            bodies.append(rest[1:end])
            rest = rest[end + 1 :]
        steps.append((match.group(1), bodies))
    if not rest:
        return steps, None
    attribute = _ATTRIBUTE_STEP.fullmatch(rest)
    return (steps, attribute.group(1)) if attribute else None


def _parse_absolute(xpath: str) -> _Selection | None:
    """``//b[q]`` or ``//a[p]//b[q]`` (read as ``//b[q][ancestor::a[p]]``, the same elements in
    the same order), each optionally with ``/@attribute``."""
    found = _path_steps(xpath)
    if found is None or not 1 <= len(found[0]) <= 2:
        return None
    steps, attribute = found
    parsed = [_parse_branch(f".//{name}{''.join(f'[{body}]' for body in bodies)}") for name, bodies in steps]
    if any(step is None for step in parsed):
        return None
    name, bodies = steps[-1]
    predicates = parsed[-1][1]
    conditions = list(bodies)
    if len(steps) == 2:
        outer, outer_bodies = steps[0]
        conditions.append(f"ancestor::{outer}{''.join(f'[{body}]' for body in outer_bodies)}")
        predicates += ((_AncestorTest(outer, parsed[0][1]),),)
    return _Selection(name, tuple(conditions), _all_of(predicates) if predicates else None, attribute)


class SharedWalks:
    """Absolute declarations of one parser (``//name[tests]``, ``//name[tests]/@attribute``)
    answered with one lxml walk per element name: the walk selects every element any of
    them could select, each declaration keeps those its own tests accept (in document order,
    as lxml would give them). Other declarations are not answered here (None)."""

    def __init__(self, xpaths: Sequence[str]) -> None:
        self._selections: dict[str, _Selection] = {}
        conditions: dict[str, list[str] | None] = {}
        for xpath in xpaths:
            selection = _parse_absolute(xpath)
            if selection is None:
                continue
            self._selections[xpath] = selection
            if not selection.conditions:
                conditions[selection.name] = None  # every element of that name
            elif conditions.get(selection.name, []) is not None:
                # No parentheses unless needed: libxml2 is quicker with a bare "@a='x'".
                both = selection.conditions[0] if len(selection.conditions) == 1 else " and ".join(
                    f"({condition})" for condition in selection.conditions
                )
                conditions.setdefault(selection.name, []).append(both)
        self._walks = {
            name: f"//{name}" if condition is None else f"//{name}[{' or '.join(condition)}]"
            for name, condition in conditions.items()
        }

    def select(self, doc: HtmlElement, xpath: str, walked: dict[str, list[HtmlElement]]) -> list | None:
        """What ``xpath`` selects in ``doc`` (``walked`` keeps the walks made on it)."""
        selection = self._selections.get(xpath)
        if selection is None:
            return None
        if selection.name not in walked:
            walked[selection.name] = [
                node for node in compiled_xpath(self._walks[selection.name])(doc) if isinstance(node, HtmlElement)
            ]
        elements = walked[selection.name]
        if selection.check is not None:
            elements = [element for element in elements if selection.check(element)]
        if selection.attribute is None:
            return elements
        values = (element.get(selection.attribute) for element in elements)
        return [value for value in values if value is not None]


@functools.cache
def shared_walks(xpaths: tuple[str, ...]) -> SharedWalks:
    return SharedWalks(xpaths)


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
