"""Article extraction: page HTML + URL -> article fields. Pure (no I/O) and never raises on bad input.

The page is parsed once with lxml. Sources, in the order they are trusted:

1. JSON-LD: the first Article-like node (``NewsArticle``, ``ReportageNewsArticle``,
   ``BlogPosting``..., also inside ``@graph``, lists and nested objects); invalid JSON is skipped.
2. ``<meta>`` / OpenGraph / ``<html lang>`` / ``<link rel=canonical>``.
3. The outlet parser registered for the URL's host (``tracker.parsers``): its headline, authors
   and dates override the above when it finds them.

The body comes from exactly one place: the outlet parser's paragraphs, else JSON-LD
``articleBody``, else readability-lxml (the slow generic fallback, only run when nothing else
gave a body). ``extractor`` says which; ``parser_failed`` flags an outlet parser that found
nothing, which usually means the outlet changed its markup.
"""

from __future__ import annotations

import html as html_entities
import json
import logging
import re
from collections import deque
from collections.abc import Iterator
from typing import Any, TypedDict
from urllib.parse import urljoin

import lxml.html
from lxml import etree
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction
from w3lib.encoding import html_to_unicode, resolve_encoding

from tracker.furniture import drop_furniture, without_furniture
from tracker.normalize import byline_of, clean_paragraphs, clean_text, valid_unicode
from tracker.textmetrics import words
from tracker.parsers import (
    OutletArticle,
    OutletParser,
    compiled_xpath,
    parse_date,
    parser_for_url,
    split_authors,
    split_text_paragraphs,
    text_blocks,
    text_content,
    unique_names,
)
from tracker.standfirst import choose_standfirst, standfirst_candidates

__all__ = ["ARTICLE_FIELDS", "ExtractedArticle", "decode_html", "extract_article"]

logger = logging.getLogger(__name__)


class ExtractedArticle(TypedDict):
    headline: str | None
    authors: list[str]
    datePublished: str | None
    dateModified: str | None
    description: str | None
    standfirst: str                 # the summary shown under the headline ("" when none)
    byline: str                     # the authors as tracked: "A, B and C" ("" when none)
    inLanguage: str | None
    canonicalUrl: str | None
    articleBody: str
    paragraphs: list[str]
    isAccessibleForFree: bool | None
    extractor: str
    looks_like_article: bool
    parser_failed: bool
    disagreement: float | None


ARTICLE_FIELDS: tuple[str, ...] = tuple(ExtractedArticle.__annotations__)

EXTRACTOR_JSONLD = "jsonld"
EXTRACTOR_READABILITY = "readability"
EXTRACTOR_NONE = "none"


# --- decoding ---------------------------------------------------------------------------------


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Response bytes as text, decoded the way Scrapy's ``TextResponse`` does.

    BOM, then the Content-Type charset, then ``<meta charset>``; without any declaration:
    ASCII, UTF-8, then charset detection. ISO-8859-1 is read as its browser superset cp1252.
    """
    def auto_detect(data: bytes) -> str | None:
        for encoding in ("ascii", "utf-8"):
            try:
                data.decode(encoding)
            except UnicodeDecodeError:
                continue
            return resolve_encoding(encoding)
        try:  # Scrapy's own dependency; only reached for undeclared non-UTF-8 pages
            from charset_normalizer import from_bytes
        except ImportError:  # pragma: no cover
            return "cp1252"
        match = from_bytes(data).best()
        return resolve_encoding(match.encoding) if match else None

    _, text = html_to_unicode(content_type or "", body, default_encoding="ascii", auto_detect_fun=auto_detect)
    return text


# --- parsing --------------------------------------------------------------------------------

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_NOT_XML_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _html_parser() -> lxml.html.HTMLParser:
    """lxml.html's parser with the element classes chosen in C: its own lookup calls Python
    for every element the code touches, only to pick a form-field class for <form>, <input>,
    <select>, <textarea> and <label>, whose form API no extraction step uses."""
    parser = lxml.html.HTMLParser()
    parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
        )
    )
    return parser


_HTML_PARSER = _html_parser()


def parse_html(html: str) -> HtmlElement | None:
    """The page's lxml tree, or None when there is no document in it."""
    if not html or html.isspace():
        return None
    try:
        return lxml.html.document_fromstring(html, parser=_HTML_PARSER)
    except (etree.LxmlError, ValueError):
        pass
    # lxml refuses str input with an encoding declaration or with NUL / control characters.
    cleaned = _NOT_XML_CHARACTERS.sub("", _XML_DECLARATION.sub("", html, count=1))
    if not cleaned or cleaned.isspace():
        return None
    try:
        return lxml.html.document_fromstring(cleaned, parser=_HTML_PARSER)
    except (etree.LxmlError, ValueError):
        return None


# --- JSON-LD --------------------------------------------------------------------------------

_ARTICLE_TYPES = frozenset(
    {
        "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
        "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle",
        "askpublicnewsarticle", "satiricalarticle", "advertisercontentarticle", "report",
        "scholarlyarticle", "techarticle", "blogposting", "liveblogposting",
        "socialmediaposting", "discussionforumposting",
    }
)
_JSONLD_MAX_NODES = 5000  # enough for any real page, bounded for hostile ones
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_JSON_WRAPPERS = re.compile(r"^\s*(?://\s*)?(?:<!--|<!\[CDATA\[)|(?://\s*)?(?:-->|\]\]>)\s*$")


def jsonld_objects(doc: HtmlElement) -> list[Any]:
    """Parsed content of every ``<script type="application/ld+json">``; invalid ones skipped."""
    objects = []
    for script in doc.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        text = script.text or ""
        if not text.strip():
            continue
        for candidate in (text, _TRAILING_COMMA.sub(r"\1", _JSON_WRAPPERS.sub("", text.strip()))):
            try:
                objects.append(json.loads(candidate, strict=False))
                break
            except (ValueError, RecursionError):
                continue
    return objects


def _type_names(node: dict[str, Any]) -> set[str]:
    types = node.get("@type")
    names = types if isinstance(types, list) else [types]
    # "NewsArticle", "schema:NewsArticle" and "https://schema.org/NewsArticle" are the same type.
    return {re.split(r"[/:#]", name)[-1].lower() for name in names if isinstance(name, str)}


def _walk_json(objects: list[Any]) -> Iterator[dict[str, Any]]:
    """Every JSON object, breadth first (so a page's own article comes before nested ones)."""
    queue: deque[Any] = deque(objects)
    seen = 0
    while queue and seen < _JSONLD_MAX_NODES:
        value = queue.popleft()
        seen += 1
        if isinstance(value, dict):
            yield value
            queue.extend(v for v in value.values() if isinstance(v, (dict, list)))
        elif isinstance(value, list):
            queue.extend(v for v in value if isinstance(v, (dict, list)))


def find_jsonld_article(objects: list[Any]) -> dict[str, Any] | None:
    for node in _walk_json(objects):
        if _type_names(node) & _ARTICLE_TYPES:
            return node
    return None


def _json_text(value: Any) -> str | None:
    """A display string from a JSON-LD value that may be a string, a list or an object."""
    if isinstance(value, str):
        return clean_text(html_entities.unescape(value)) or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict):
        return _json_text(value.get("@value") or value.get("name"))
    if isinstance(value, list):
        for item in value:
            text = _json_text(item)
            if text:
                return text
    return None


def _json_authors(value: Any) -> list[str]:
    if isinstance(value, list):
        return [name for item in value for name in _json_authors(item)]
    if isinstance(value, dict):
        value = value.get("name")
        if isinstance(value, list):
            return [name for item in value for name in _json_authors(item)]
    if isinstance(value, str):
        # "Matt Viser, Jenna Johnson" in one Person's name happens (WaPo 2019).
        return split_authors(html_entities.unescape(value))
    return []


def _json_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return {"true": True, "yes": True, "false": False, "no": False}.get(value.strip().lower())
    return None


def _json_language(value: Any) -> str | None:
    if isinstance(value, dict):
        return _json_text(value.get("alternateName") or value.get("name"))
    return _json_text(value)


# --- meta -----------------------------------------------------------------------------------

_AUTHOR_META = ("author", "article:author", "byl", "dc.creator", "parsely-author", "sailthru.author")
_PUBLISHED_META = (
    "article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
    "publish-date", "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.created", "date",
)
_MODIFIED_META = (
    "article:modified_time", "og:updated_time", "datemodified", "lastmod", "last-modified",
    "dc.date.modified", "dcterms.modified",
)


_META_KEY_ATTRIBUTES = frozenset({"property", "name", "itemprop", "http-equiv"})


def meta_values(doc: HtmlElement) -> dict[str, list[str]]:
    """Raw ``<meta>`` contents by lower-cased property / name / itemprop / http-equiv, in page
    order (cleaned only when used: pages carry dozens that are never read)."""
    values: dict[str, list[str]] = {}
    for meta in doc.iter("meta"):
        # Some saved pages carry the value in @value instead of @content.
        content = meta.get("content")
        if content is None:
            content = meta.get("value")
        if not content or content.isspace():
            continue
        # One pass over the attributes (a name given twice adds the same content twice).
        for attribute, name in meta.items():
            if attribute in _META_KEY_ATTRIBUTES:
                key = name.strip().lower()
                if key:
                    values.setdefault(key, []).append(content)
    return values


def _first_meta(meta: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        for value in meta.get(key, ()):
            text = clean_text(value)
            if text:
                return text
    return None


def _canonical_url(doc: HtmlElement, meta: dict[str, list[str]], url: str) -> str | None:
    for link in doc.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and (link.get("href") or "").strip():
            return urljoin(url, link.get("href").strip())
    og_url = _first_meta(meta, "og:url")
    return urljoin(url, og_url) if og_url else None


def _language(doc: HtmlElement, meta: dict[str, list[str]]) -> str | None:
    lang = clean_text(doc.get("lang") or doc.get("{http://www.w3.org/XML/1998/namespace}lang") or "")
    if lang:
        return lang
    lang = _first_meta(meta, "content-language", "language", "dc.language")
    if lang:
        return lang
    locale = _first_meta(meta, "og:locale")
    return locale.replace("_", "-") if locale else None


# --- body -----------------------------------------------------------------------------------

_LOOKS_LIKE_MARKUP = re.compile(r"</?[a-zA-Z][^>]*>")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")


def article_body_paragraphs(article_body: str) -> list[str]:
    """JSON-LD ``articleBody`` as paragraphs; some sites put HTML in it, read that as a page."""
    if _LOOKS_LIKE_MARKUP.search(article_body):
        try:
            fragment = lxml.html.fragment_fromstring(article_body, create_parent="div")
        except (etree.LxmlError, ValueError):
            fragment = None
        if fragment is not None:
            drop_furniture(fragment)
            return without_furniture(clean_paragraphs(text_blocks(fragment)))
    if _ENTITY.search(article_body):
        article_body = html_entities.unescape(article_body)
    return without_furniture(split_text_paragraphs(article_body))


# Never article text, and readability's cost grows with the size of the tree: removing these
# first takes about a third off its time with the same output on the real pages. (<form> stays:
# old ASP.NET sites wrap the whole page in one.)
_NOT_CONTENT = compiled_xpath(
    "//script | //style | //noscript | //template | //svg | //iframe | //link | //meta"
    " | //head/*[not(self::title)] | //nav | //footer | //aside | //button | //select"
    " | //header[not(.//p)]"
)
_MAIN_REGION = compiled_xpath("//main")
_MIN_MAIN_TEXT = 500  # characters; a <main> with less is not trusted to hold the article


def _is_teaser(article_body: str, description: str | None) -> bool:
    """True for an empty ``articleBody`` or one that is only the summary (some pages fill it
    with the description); the body must then come from the page itself."""
    body = clean_text(article_body)
    return not body or bool(description and body in clean_text(description))


def readability_paragraphs(doc: HtmlElement) -> list[str]:
    """Generic fallback: readability-lxml's main-content guess, as plain paragraphs.

    Runs on the already parsed tree (readability copies it before cleaning, so no second
    parse) and trims it first; call it last, when every other source has been read.
    """
    from readability import Document  # imported lazily: most pages never need it

    for node in _NOT_CONTENT(doc):
        if node.getparent() is not None:
            node.drop_tree()
    # A page's single <main> is its dominant content by definition; scoring only that is
    # faster and keeps readability from wandering into teasers around it.
    mains = _MAIN_REGION(doc)
    if len(mains) == 1 and len(mains[0].text_content()) >= _MIN_MAIN_TEXT:
        scope = lxml.html.document_fromstring("<html><body></body></html>")
        scope.body.append(mains[0])
        doc = scope
    # Furniture goes before scoring (a cookie banner or a related box can win readability's
    # vote on a short story) and again after, for what readability's own cleaning kept.
    body = doc.find("body")
    drop_furniture(body if body is not None else doc, headers=True)
    try:
        summary = Document(doc).summary(html_partial=True)
        fragment = lxml.html.fragment_fromstring(summary, create_parent="div")
    except Exception:  # readability raises Unparseable and lxml errors on odd pages
        return []
    drop_furniture(fragment)
    return without_furniture(clean_paragraphs(text_blocks(fragment)))


def without_leading_headline(paragraphs: list[str], headline: str | None) -> list[str]:
    """The generic paths often pick up the headline above the text: it is not body text."""
    if headline and paragraphs and paragraphs[0].casefold() == clean_text(headline).casefold():
        return paragraphs[1:]
    return paragraphs


# --- parser health ------------------------------------------------------------------------------

# An outlet parser's body is compared with the generic extractor's only when a cheap signal
# says they may differ: its length against JSON-LD ``articleBody``'s ...
CHEAP_WORD_RATIO = (0.5, 2.0)
# ... or, without one, against the words of all the page's <p> (most of which an article's are).
CHEAP_PAGE_SHARE = 0.2
CHEAP_MIN_PAGE_WORDS = 150
HEALTH_SHINGLE_SIZE = 5
HEALTH_MAX_WORDS = 5_000  # bounds the comparison on huge pages
# Above this the parser's body and the generic one are different texts: recorded on the check.
DISAGREEMENT_THRESHOLD = 0.5


def parser_disagreement(paragraphs: list[str], article_body: str | None, doc: HtmlElement) -> float | None:
    """How far an outlet parser's body is from the generic extractor's (0 = same text, 1 =
    nothing in common), or None when they agree or cheap signals show no reason to compare.

    The generic body is JSON-LD ``articleBody`` when the page has one, else readability's
    (run only here, after the cheap signal fired, so the usual page costs two word counts).
    Call it last: readability drops nodes from ``doc``.
    """
    parser_words = sum(len(paragraph.split()) for paragraph in paragraphs)
    if article_body is not None:
        ratio = parser_words / max(len(article_body.split()), 1)
        if CHEAP_WORD_RATIO[0] <= ratio <= CHEAP_WORD_RATIO[1]:
            return None
        generic = article_body_paragraphs(article_body)
    else:
        page_words = sum(len(text_content(p).split()) for p in doc.iter("p"))
        if page_words < CHEAP_MIN_PAGE_WORDS or parser_words >= CHEAP_PAGE_SHARE * page_words:
            return None
        generic = readability_paragraphs(doc)
    distance = shingle_distance(paragraphs, generic)
    return round(distance, 3) if distance >= DISAGREEMENT_THRESHOLD else None


def shingle_distance(first: list[str], second: list[str]) -> float:
    """1 - |A ∩ B| / max(|A|, |B|) over the texts' word 5-gram sets (first words only)."""
    a, b = (_shingle_set(paragraphs) for paragraphs in (first, second))
    if not a or not b:
        return 1.0 if a or b else 0.0
    return 1.0 - len(a & b) / max(len(a), len(b))


def _shingle_set(paragraphs: list[str]) -> set[tuple[str, ...]]:
    tokens = words(" ".join(paragraphs))[:HEALTH_MAX_WORDS]
    size = HEALTH_SHINGLE_SIZE
    return {tuple(tokens[i : i + size]) for i in range(max(len(tokens) - size + 1, 1))} if tokens else set()


# --- the entry point ---------------------------------------------------------------------------


def empty_article() -> ExtractedArticle:
    return ExtractedArticle(
        headline=None, authors=[], datePublished=None, dateModified=None, description=None,
        standfirst="", byline="", inLanguage=None, canonicalUrl=None, articleBody="", paragraphs=[],
        isAccessibleForFree=None, extractor=EXTRACTOR_NONE, looks_like_article=False,
        parser_failed=False, disagreement=None,
    )


def extract_article(html: str, url: str) -> ExtractedArticle:
    """Article fields of one page. Unknown values are None / []; never raises on bad input."""
    article = empty_article()
    if isinstance(html, bytes):  # tolerated: callers sometimes hand over the raw body
        html = decode_html(html)
    doc = parse_html(html or "")
    if doc is None:
        return article

    node = find_jsonld_article(jsonld_objects(doc)) or {}
    meta = meta_values(doc)
    parser = parser_for_url(url or "")
    outlet = _run_outlet_parser(parser, doc) if parser is not None else OutletArticle()

    title = doc.find(".//title")
    article["headline"] = (
        outlet.headline
        or _json_text(node.get("headline"))
        or _first_meta(meta, "og:title", "twitter:title")
        or (clean_text(title.text_content()) if title is not None else None)
        or None
    )
    article["authors"] = unique_names(
        outlet.authors
        or _json_authors(node.get("author") or node.get("creator"))
        or [name for key in _AUTHOR_META for value in meta.get(key, ()) for name in split_authors(value)]
    )
    article["datePublished"] = (
        outlet.datePublished
        or parse_date(_json_text(node.get("datePublished")))
        or _first_date(meta, _PUBLISHED_META)
    )
    article["dateModified"] = (
        outlet.dateModified
        or parse_date(_json_text(node.get("dateModified")))
        or _first_date(meta, _MODIFIED_META)
    )
    article["description"] = _json_text(node.get("description")) or _first_meta(
        meta, "og:description", "description", "twitter:description"
    )
    article["inLanguage"] = _json_language(node.get("inLanguage")) or _language(doc, meta)
    article["canonicalUrl"] = _canonical_url(doc, meta, url or "")
    article["isAccessibleForFree"] = _json_bool(node.get("isAccessibleForFree"))
    article["looks_like_article"] = bool(
        node
        or (_first_meta(meta, "og:type") or "").lower().startswith("article")
        or "article:published_time" in meta
    )
    # Read before the body: the generic body extraction drops nodes from the tree.
    standfirsts = [] if outlet.standfirst else standfirst_candidates(
        doc, article["headline"], article["description"]
    )

    paragraphs = clean_paragraphs(outlet.paragraphs)
    extractor = parser.name if parser is not None and paragraphs else EXTRACTOR_NONE
    article_body = node.get("articleBody")
    if isinstance(article_body, list):
        article_body = "\n\n".join(part for part in article_body if isinstance(part, str))
    if not isinstance(article_body, str) or _is_teaser(article_body, article["description"]):
        article_body = None
    if paragraphs:
        article["disagreement"] = parser_disagreement(paragraphs, article_body, doc)
    else:
        article["parser_failed"] = parser is not None
        if article_body is not None:
            paragraphs = article_body_paragraphs(article_body)
            extractor = EXTRACTOR_JSONLD if paragraphs else extractor
    if not paragraphs:
        paragraphs = readability_paragraphs(doc)
        extractor = EXTRACTOR_READABILITY if paragraphs else EXTRACTOR_NONE
    if extractor in (EXTRACTOR_JSONLD, EXTRACTOR_READABILITY):
        paragraphs = without_leading_headline(paragraphs, article["headline"])

    if outlet.standfirst:
        article["standfirst"] = outlet.standfirst
    else:
        article["standfirst"], paragraphs = choose_standfirst(
            standfirsts, paragraphs, guessed_body=extractor == EXTRACTOR_READABILITY
        )
    article["paragraphs"] = paragraphs
    article["articleBody"] = "\n\n".join(paragraphs)
    article["extractor"] = extractor
    article["byline"] = byline_of(article["authors"])
    return valid_unicode(article)  # JSON-LD can carry lone surrogates


def _run_outlet_parser(parser: OutletParser, doc: HtmlElement) -> OutletArticle:
    """The outlet parser's findings; it runs after JSON-LD and meta were read because it drops
    nodes from the tree. A parser that crashes on a page counts as a parser that found
    nothing (``parser_failed``), so one odd page cannot stop a crawl."""
    try:
        return parser.extract(doc)
    except Exception:
        logger.warning("outlet parser %r failed; using the generic sources", parser.name, exc_info=True)
        return OutletArticle()


def _first_date(meta: dict[str, list[str]], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        for value in meta.get(key, ()):
            parsed = parse_date(value)
            if parsed:
                return parsed
    return None
