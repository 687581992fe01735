"""The standfirst: the summary a page shows its readers under or beside the headline.

Also called dek, sub-headline or intro. It is tracked like the headline (an edit to it is a new
version), so only text that readers see counts, never a meta description the page does not
show. Generic rules, by what the layout means, tried in this order on the elements that follow
the page's headline (``<h1>``):

1. the page's JSON-LD / OpenGraph description, when an element near the headline shows that
   same text (the element's text is taken, as shown);
2. an element whose class, id, ``itemprop`` or ``data-*`` name means dek / standfirst /
   sub-headline / summary / description / intro.

Candidates inside figures, asides, navigation, captions, promos and bylines are never one, nor
is text that the body holds as a paragraph (a bold first paragraph is the lede, not a
standfirst). Outlet parsers may name their standfirst exactly (``OutletParser.standfirst``).
Pure functions over an lxml tree.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from itertools import islice

from lxml.html import HtmlElement

from tracker.furniture import FURNITURE_CLASS_WORDS, class_words, is_furniture_text
from tracker.normalize import hash_key
from tracker.parsers import inline_text, text_content

__all__ = ["choose_standfirst", "standfirst_candidates"]

# How far after the headline a standfirst may sit (elements in document order).
MAX_DISTANCE = 80
MIN_WORDS = 3
MAX_CHARS = 600
MAX_CANDIDATES = 4
# A standfirst a body extractor read along is among the body's first paragraphs.
LEADING_PARAGRAPHS = 2
# An element followed by this many sibling paragraphs is the first of the body's (the lede).
PARAGRAPH_RUN = 2
# Words of class / id / itemprop / data-* names that mean "the standfirst".
STANDFIRST_WORDS = frozenset(
    {"dek", "deck", "standfirst", "subheadline", "subhead", "subheading", "subtitle", "summary",
     "description", "intro", "introduction", "strapline", "alternativeheadline"}
)
# Two-word spellings: "stand-first", "sub-headline", "subHeadline".
STANDFIRST_PAIRS = (("stand", "first"), ("sub", "headline"), ("sub", "head"), ("sub", "heading"), ("sub", "title"))
# Never a standfirst, whatever else the element is called.
NOT_STANDFIRST_WORDS = FURNITURE_CLASS_WORDS | {
    "modal", "follow", "author", "image", "photo", "video", "gallery", "disclaimer",
}
# Ancestors this close named as one of these (a byline block, a disclaimer) rule it out.
ANCESTOR_LEVELS = 3
NOT_IN_ANCESTOR_WORDS = frozenset(
    {"byline", "bylines", "author", "disclaimer", "caption", "captions", "promo", "promos", "newsletter",
     "related", "recirc", "ad", "ads", "advert", "advertisement", "sponsored", "paywall", "cookie",
     "consent", "modal"}
)
CANDIDATE_TAGS = frozenset({"p", "div", "h2", "h3", "h4", "span", "section"})
EXCLUDED_ANCESTORS = frozenset({"figure", "figcaption", "aside", "nav", "footer", "button", "dialog", "form", "li"})
_DATA_NAMES = ("itemprop", "data-testid", "data-component", "data-gu-name", "data-qa")
_NAME_ATTRIBUTE_SET = frozenset({"class", "id", *_DATA_NAMES})
# Characters of a long text folded to decide its length: twice the limit, and some more.
_FOLD_SLACK = 64
_MAYBE_STANDFIRST = re.compile(r"dek|deck|stand|sub|summar|descr|intro|strap|alternative", re.IGNORECASE)
_MAYBE_STANDFIRST_LOWER = re.compile(_MAYBE_STANDFIRST.pattern)
_NON_WORD = re.compile(r"[^a-z0-9]+")
_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_TRAILING = re.compile(r"[\s.…]+$")
# "4 min read", "11 minute read": a label, not a summary.
_READING_TIME = re.compile(r"^\d+\s*(?:-|\s)?\s*min(?:ute)?s?\.?\s+read$", re.IGNORECASE)
_BY_NAME = re.compile(r"^by\s+\S", re.IGNORECASE)


def standfirst_candidates(doc: HtmlElement, headline: str | None, description: str | None) -> list[str]:
    """Texts that may be the page's standfirst, best first (see the module's rules).

    Call before anything drops nodes from ``doc`` (the generic body extraction does).
    """
    start = _headline_element(doc, headline)
    if start is None:
        return []
    near = [el for el in _following(start, MAX_DISTANCE) if el.tag in CANDIDATE_TAGS]
    found: list[str] = []
    wanted = _key(description) if description else ""
    if wanted:
        # Cheap length test first; white space is folded so that re-flowed markup measures the same.
        low, high = len(wanted) * 0.8, len(wanted) * 1.5 + 10
        found += [
            text for el in near
            if _folded_length_within(text_content(el), low, high) and _may_be_standfirst(el)
            and _key(text := inline_text(el)) == wanted
        ]
    found += [
        inline_text(el) for el in near
        if _means_standfirst(el) and _may_be_standfirst(el) and not _mostly_links(el)
    ]
    return [text for text in dict.fromkeys(found) if _reads_like_standfirst(text)][:MAX_CANDIDATES]


def choose_standfirst(
    candidates: Sequence[str], paragraphs: Sequence[str], *, guessed_body: bool
) -> tuple[str, list[str]]:
    """The standfirst (empty when there is none) and the body without it.

    A candidate the body holds is body text (a lede), not a standfirst; except when the body
    was a guess (``guessed_body``: readability reads the whole ``<article>``) and holds it
    among its first paragraphs: candidates sit outside the run of body paragraphs, so it is
    moved out of the body.
    """
    if not candidates:  # the usual page: no need to key the whole body
        return "", list(paragraphs)
    head = [_key(paragraph) for paragraph in paragraphs[:LEADING_PARAGRAPHS]] if guessed_body else []
    body = {_key(paragraph) for paragraph in paragraphs[len(head):]}
    for text in candidates:
        key = _key(text)
        if key in body:
            continue
        if key in head:
            index = head.index(key)
            return text, [*paragraphs[:index], *paragraphs[index + 1:]]
        return text, list(paragraphs)
    return "", list(paragraphs)


def _key(text: str) -> str:
    return _TRAILING.sub("", hash_key(text)).casefold()


def _headline_element(doc: HtmlElement, headline: str | None) -> HtmlElement | None:
    """The ``<h1>`` showing the headline, else the page's first ``<h1>``."""
    h1s = list(doc.iter("h1"))
    wanted = _key(headline or "")
    for h1 in h1s:
        if wanted and _key(inline_text(h1)) == wanted:
            return h1
    return h1s[0] if h1s else None


def _following(element: HtmlElement, limit: int) -> Iterator[HtmlElement]:
    """Up to ``limit`` elements after ``element`` in document order (not inside it)."""
    count = 0
    node: HtmlElement | None = element
    while node is not None:
        for sibling in node.itersiblings():
            for descendant in sibling.iter():
                if not isinstance(descendant.tag, str):
                    continue
                yield descendant
                count += 1
                if count >= limit:
                    return
        node = node.getparent()


def _names(element: HtmlElement) -> frozenset[str]:
    """What the element's class, id and data names say it is.

    BEM-aware: of ``block__element--modifier`` only the element part counts ("headline__sub-text"
    is text in the headline block, not a sub-headline; "font--subhead" is a type style).
    """
    return _words_of_names(_name_items(element))


def _name_items(element: HtmlElement) -> tuple[tuple[str, str], ...]:
    """The element's class, id and data name attributes: all the rules below read of it."""
    return tuple(item for item in element.items() if item[0] in _NAME_ATTRIBUTE_SET)


@functools.lru_cache(maxsize=4096)
def _words_of_names(items: tuple[tuple[str, str], ...]) -> frozenset[str]:
    """:func:`_names` of the name attributes (pages repeat the same few many times)."""
    values = dict(items)
    words: set[str] = set()
    for token in f"{values.get('class') or ''} {values.get('id') or ''}".split():
        name = token.split("--", 1)[0].rsplit("__", 1)[-1]
        name = _CAMEL_HUMP.sub(" ", name).lower()
        words.add(_NON_WORD.sub("", name))
        words.update(word for word in _NON_WORD.split(name) if word)
    for attribute in _DATA_NAMES:
        value = (values.get(attribute) or "").lower()
        if value:
            words.add(_NON_WORD.sub("", value))
            words.update(word for word in _NON_WORD.split(value) if word)
    return frozenset(words)


def _may_be_standfirst(element: HtmlElement) -> bool:
    if _names(element) & NOT_STANDFIRST_WORDS:
        return False
    for level, ancestor in enumerate(element.iterancestors()):
        if ancestor.tag in EXCLUDED_ANCESTORS:
            return False
        if level < ANCESTOR_LEVELS and class_words(ancestor) & NOT_IN_ANCESTOR_WORDS:
            return False
    # A container of paragraphs is the body or a box, not one summary; the first of a run of
    # paragraphs (a bold intro) is the lede.
    if len(list(islice(element.iter("p"), 2))) > 1:  # stops at the second: containers are big
        return False
    return len(list(islice(element.itersiblings("p"), PARAGRAPH_RUN))) < PARAGRAPH_RUN


def _folded_length_within(text: str, low: float, high: float) -> bool:
    """Whether ``text`` with its white space folded (``" ".join(text.split())``) has between
    ``low`` and ``high`` characters.

    Near the headline sit the containers of the whole body (tens of kilobytes, much of it
    white space): folding growing prefixes of their text decides without folding it all,
    since folding never makes text longer and a folded prefix is never longer than the
    folded text.
    """
    if len(text) < low:
        return False
    size = int(high) * 2 + _FOLD_SLACK
    while size < len(text):
        if len(" ".join(text[:size].split())) > high:
            return False
        size *= 4
    return low <= len(" ".join(text.split())) <= high


def _may_name_standfirst(names: str) -> bool:
    """``_MAYBE_STANDFIRST.search(names)``, fast: a case-insensitive search is slow on long class
    lists (utility-class markup), and on ASCII text lower-casing first gives the same answer."""
    if names.isascii():
        return _MAYBE_STANDFIRST_LOWER.search(names.lower()) is not None
    return _MAYBE_STANDFIRST.search(names) is not None


def _means_standfirst(element: HtmlElement) -> bool:
    return _names_mean_standfirst(_name_items(element))


@functools.lru_cache(maxsize=4096)
def _names_mean_standfirst(items: tuple[tuple[str, str], ...]) -> bool:
    # The cheap test: most elements are named nothing of the kind (no name holds a line break,
    # so a match cannot span two of them).
    if not _may_name_standfirst("\n".join(value for _, value in items)):
        return False
    words = _words_of_names(items)
    return bool(words & STANDFIRST_WORDS) or any(a in words and b in words for a, b in STANDFIRST_PAIRS)


def _mostly_links(element: HtmlElement) -> bool:
    """A teaser or related-story link, not a summary of this page."""
    linked = sum(len(text_content(link).strip()) for link in element.iter("a"))
    return linked * 2 > len(element.text_content().strip())


def _reads_like_standfirst(text: str) -> bool:
    return (
        len(text.split()) >= MIN_WORDS
        and len(text) <= MAX_CHARS
        and not _READING_TIME.match(text)
        and not _BY_NAME.match(text)
        and not is_furniture_text(text)
    )
