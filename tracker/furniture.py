"""Page furniture: what sits around or between an article's paragraphs but is never its text.

Ad slots and their labels, newsletter and subscription prompts, "Read more" and related-story
boxes, share and comment prompts, captions and credits, "Updated 5 minutes ago" lines, bylines
and contact lines repeated in the body, live tickers, cookie and paywall banners. They come and
go between two fetches of an unchanged story, so letting one into the text would make a bogus
version. One vocabulary for every outlet parser and for the generic extractor:

- :func:`drop_furniture` removes furniture *elements* from a subtree by what they are
  (hidden, a dialog or complementary region, a figure, a box whose text is mostly link text)
  and by class or id words that mean furniture in any site's markup ("ad", "promo",
  "newsletter", ...), a small notice linking to the site's own legal pages, or a block that is
  one link after a short label ("Related: …", "Our standards: …") or a paragraph that is one
  link in capitals (a teaser for another story), never an element that holds most of the text
  around it;
- :func:`is_furniture_text` says whether one paragraph's text is furniture: a label with no
  sentence ("Advertisement", "Read more", "Share this article"), a time stamp (in English by
  its words, in any language as a clock time and a year with a few words around them) or one
  of a few prompts that are sentences ("Sign up for our newsletter ...", "We use cookies ...").
  A paragraph that only *mentions* an advertisement or starts "Read more about ..." in a
  sentence stays, and so do credit lines ("Reporting by ...; Editing by ...", "... contributed
  to this report"): they are the article's own text;
- :func:`without_furniture` also drops a short label line repeated through the text (a
  gallery's title under every slide).

Pure functions over lxml trees and strings.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from itertools import islice

from lxml.html import HtmlElement

from tracker.normalize import clean_text, is_noise_paragraph

__all__ = ["drop_furniture", "furniture_elements", "is_furniture_text", "without_furniture"]

# --- text -------------------------------------------------------------------------------------

_LABEL_WORDS = r"""
    advertisements? | advertising | advertorial | ad | ads | sponsored(?:\ content)? | paid\ content
  | promoted(?:\ (?:content|stories|links))? | partner\ content | supported\ by
  | (?:story|article|text)\ continues\ (?:below|after)(?:\ (?:this\ )?(?:advertisement|ad))?
  | continue\ reading(?:\ (?:the\ main\ story|below|the\ story|article))?
  | skip\ (?:advertisement|ad|past\ ad) | scroll\ (?:down\ )?to\ continue(?:\ with\ content)?
  | read\ more | read\ next | read\ the\ full\ (?:story|article) | more | see\ more | show\ more | load\ more
  | related(?:\ (?:stories|articles|content|coverage|links|topics|reading|news|video|videos))?
  | recommended(?:\ (?:stories|articles|for\ you|reading|videos?))? | more\ (?:on|about)\ this(?:\ (?:story|topic))?
  | more\ (?:stories|from\ [\w'’&.\ -]{1,40}|news|videos?|top\ stories|coverage)
  | most\ (?:read|popular|viewed|shared|watched) | you\ (?:may|might)\ also\ like | also\ read | see\ also
  | top\ stories | trending(?:\ now|\ stories)? | editors?['’]?\ picks | up\ next | watch(?:\ now|\ more)? | listen
  | (?:listen|watch)\ to\ (?:this\ )?(?:article|story)(?:\ \d+\ min(?:ute)?s?)?
  | share(?:\ (?:this|this\ (?:article|story|page)|on\ \w+|via\ \w+|article|story))? | tweet | e-?mail | print
  | copy\ link | link\ copied | save(?:\ (?:article|story|for\ later))? | saved | gift(?:\ this)?\ article
  | comments? | \d+\ comments? | view\ comments | show\ comments | leave\ a\ comment | join\ the\ (?:conversation|discussion)
  | add\ a\ comment | comments?\ \(\d+\) | follow | subscribe(?:\ now|\ today)? | sign\ (?:in|up)(?:\ now)? | log\ ?in
  | image | images | photo | photos | picture | video | gallery | caption | (?:hide|toggle|show|view)\ caption
  | enlarge(?:\ this)?\ image | expand | close | play(?:\ video)? | replay | fullscreen | mute | unmute
  | image\ (?:source|caption|copyright|credit) | media\ caption | getty\ images | pa\ media | shutterstock
  | live | live\ updates | breaking(?:\ news)? | just\ in | developing(?:\ story)? | key\ events
  | story\ highlights | (?:key|main)\ points | in\ brief | at\ a\ glance
  | accept(?:\ all)?(?:\ cookies)? | reject(?:\ all)?(?:\ cookies)? | manage\ (?:cookies|preferences|settings)
  | cookie\ (?:settings|preferences|policy) | privacy\ (?:policy|settings) | got\ it | ok | i\ agree
  | advertisement\ feature | feedback | ad\ feedback | report\ an?\ (?:ad|error|typo)
  | facebook | twitter | x | whatsapp | linkedin | reddit | pinterest | messenger | flipboard | threads | bluesky
"""
# A whole paragraph that is only a label, optionally with a colon, arrow or count.
_LABEL = re.compile(
    rf"^(?:[\s\[(|•·»›>–—/-]*(?:{_LABEL_WORDS})[\s:.…»›>)\]|/]*(?:\(\d+\))?){{1,5}}$", re.IGNORECASE | re.VERBOSE
)


def _prompt(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE | re.VERBOSE)


# Prompts: text that may be a sentence but only ever invites the reader to do something.
_PROMPTS = (
    # "Sign up for our morning newsletter", "Get the best of the Post in your inbox"
    _prompt(
        r"^(?:sign\ up|subscribe|register|get|join|want|like\ this|enjoy(?:ed)?|receive|for\ more)\b"
        r".{0,160}\b(?:newsletters?|inbox|e-?mail\ (?:alerts|updates|briefing)|alerts\ on)\b"
    ),
    _prompt(r"^(?:subscribe|sign\ in|log\ in)\ to\ (?:continue|keep)\ reading\b"),
    _prompt(r"^already\ (?:a\ subscriber|have\ an\ account|registered)\b"),
    _prompt(r"^you\ (?:have|['’]ve)\ (?:\d+|one|two|three|no)\ free\ (?:articles?|stories)\b"),
    _prompt(r"^this\ (?:article|story|content)\ is\ (?:only\ )?(?:available\ )?(?:for|to)\ (?:subscribers|members)\b"),
    _prompt(r"^support\ (?:our|independent|quality)\ journalism\b"),
    # cookie banners
    _prompt(r"^(?:we|this\ (?:web)?site|our\ (?:web)?site)\ uses?\ cookies\b"),
    _prompt(r"^by\ (?:continuing|using|clicking)\b.{0,80}\b(?:cookies|you\ agree|you\ consent)\b"),
    # share / comment / follow prompts
    _prompt(r"^(?:share|comment\ on)\ this\ (?:article|story)\b.{0,60}$"),
    _prompt(r"^follow\ (?:us|@?[\w.'’ -]{2,60}?)\ on\ (?:facebook|twitter|x|instagram|threads|bluesky|linkedin|tiktok|youtube)\b.{0,120}$"),
    _prompt(r"^(?:e-?mail|contact|write\ to)\ (?:the\ )?(?:writer|author|reporter|editor|us)\b.{0,80}$"),
    _prompt(r"^(?:click|tap)\ here\ (?:to|for)\b.{0,120}$"),
    _prompt(r"^have\ a\ (?:news\ )?tip\?.{0,120}$"),
    # "Listen to Newsbeat live at 12:45 - or listen back here.", "Watch the full interview here"
    _prompt(r"^(?:listen|watch)\b.{0,160}\bhere[.!]?$"),
    # "Read more: The mayor's plan" / "[Read more: ...]" / "Related: ..." link lines: no sentence
    _prompt(r"^\[?(?:read\ more|more|related|also\ read|see\ also|read|watch|listen)\ ?:\ [^.!?]{1,200}[.!?]?\]?$"),
    # a dateline left alone in its own block: "CNN —", "(Reuters) -"
    re.compile(r"^\(?[A-Z][\w.&'’ ]{1,30}\)?\ ?[—–-]+$", re.VERBOSE),
)


def _any_of(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str]:
    """One pattern that finds a match exactly when one of ``patterns`` (each anchored at the
    start, keeping its own case and verbose flags) does: one search per paragraph instead of
    one per prompt. The shared ``^`` outside matters: without it the alternation is tried at
    every position of the text, several times slower than the separate searches."""
    if not all(pattern.pattern.startswith("^") for pattern in patterns):
        raise ValueError("every prompt must be anchored at the start")

    def scoped(pattern: re.Pattern[str]) -> str:
        flags = ("i" if pattern.flags & re.IGNORECASE else "") + ("x" if pattern.flags & re.VERBOSE else "")
        return f"(?{flags}:{pattern.pattern})" if flags else f"(?:{pattern.pattern})"

    return re.compile("^(?:" + "|".join(scoped(pattern) for pattern in patterns) + ")")


_ANY_PROMPT = _any_of(_PROMPTS)

_BYLINE_START = re.compile(r"^(?:written|reported|words|text|story|posted|compiled)?\s*by[:\s]\s*(.+)$", re.IGNORECASE)
# Words a byline may hold besides names.
_BYLINE_WORDS = frozenset(
    "and & of the in at for staff writer writers reporter reporters correspondent correspondents "
    "editor editors contributor senior chief political news desk with additional reporting from".split()
)
_TIMESTAMP_START = re.compile(
    r"^(?:(?:updated|published|posted|last\ updated|first\ published|modified|last\ modified)\b\s*(?:on|at)?\s*:?)?\s*(.*)$",
    re.IGNORECASE | re.VERBOSE,
)
_DATE_WORD = re.compile(
    r"^(?:\d{1,4}(?:st|nd|rd|th)?|\d{1,2}[:.]\d{2}(?::\d{2})?(?:[ap]\.?m\.?)?|\d{1,4}[/-]\d{1,2}(?:[/-]\d{1,4})?"
    r"|[ap]\.?m\.?|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?"
    r"|thu(?:rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|today|yesterday|at|on|and|ago|just|now"
    r"|last|first|updated|published|posted|modified"
    r"|seconds?|mins?|minutes?|hours?|hrs?|days?|an?|few|[a-z]{1,2}[sd]t|utc|gmt|bst|cet|cest|et|pt|ct|mt"
    r"|[+-]\d{2}:?\d{2}|\|)$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
# "14:00", "9:05", "14h00"; a year of this or the last century.
_CLOCK_TIME = re.compile(r"(?<![\d:])\d{1,2}[:h]\d{2}(?![\d:])")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
MAX_TIMESTAMP_CHARS = 100
MAX_TIMESTAMP_WORDS = 8  # words without a digit: "Mis à jour le mercredi 28 août 2013 à 14h00" has 7
_WORD = re.compile(r"[^\s,;]+")
_ASCII_DIGIT = re.compile(r"[0-9]")
MAX_LABEL_CHARS = 60
MAX_PROMPT_WORDS = 45


def is_furniture_text(text: str) -> bool:
    """True for a paragraph (cleaned text) that is page furniture, not article text."""
    if not text or is_noise_paragraph(text):
        return bool(text)
    if len(text) <= MAX_LABEL_CHARS and _LABEL.match(text):
        return True
    if len(text.split()) > MAX_PROMPT_WORDS:
        return False
    return bool(_ANY_PROMPT.search(text)) or _is_byline(text) or _is_timestamp_line(text)


def _is_byline(text: str) -> bool:
    """ "By Jane Doe and John Roe, Staff Writers" / "Written by JANE DOE": names, no sentence."""
    match = _BYLINE_START.match(text) if len(text) <= 120 else None
    return bool(match) and _only_names(match.group(1))


def _only_names(rest: str) -> bool:
    words = _WORD.findall(rest.rstrip(". "))
    if not words or len(words) > 14:
        return False
    for word in words:
        bare = word.strip("().'’\"")
        if not bare:
            continue
        if bare.casefold() in _BYLINE_WORDS or bare[0].isupper() or bare.startswith("@"):
            continue
        return False
    return True


def _is_timestamp_line(text: str) -> bool:
    """ "Updated 10:32 a.m. EST, Jan. 5, 2024", "November 1, 2019 at 6:25 PM EDT": a time
    stamp and nothing else (with a number in it: "Today" alone may be a heading)."""
    if not _has_digit(text):  # first: most paragraphs have none
        return False
    match = _TIMESTAMP_START.match(text)
    if not match:
        return False
    # Up to 13 words: more than 12 are never a time stamp of words alone.
    words = [word.group() for word in islice(_WORD.finditer(match.group(1)), 13)]
    if words and len(words) <= 12 and all(_DATE_WORD.match(word.strip(".()")) for word in words):
        return True
    return _is_date_and_time(text)


def _has_digit(text: str) -> bool:
    """``any(ch.isdigit() for ch in text)``, mostly in C: an ASCII digit is found by a regex,
    and only non-ASCII text can hold another kind (Arabic-Indic, superscripts...), tested once
    per distinct character."""
    if _ASCII_DIGIT.search(text):
        return True
    return not text.isascii() and any(ch.isdigit() for ch in set(text))


def _is_date_and_time(text: str) -> bool:
    """A time stamp in a language the word list above does not know: a clock time and a year
    with a few words around them (a weekday, a month, "updated") and no sentence."""
    if len(text) > MAX_TIMESTAMP_CHARS or _SENTENCE_END.search(text):
        return False
    if not (_CLOCK_TIME.search(text) and _YEAR.search(text)):
        return False
    words = [word for word in _WORD.findall(text) if not any(ch.isdigit() for ch in word)]
    return len(words) <= MAX_TIMESTAMP_WORDS


# --- elements ---------------------------------------------------------------------------------

# Class / id words (split at "-", "_", spaces and camelCase humps) that mean furniture in any
# site's markup. Whole words only: "ad" matches "ad-slot" and "AdSlot", not "header" or "lead".
FURNITURE_CLASS_WORDS = frozenset(
    {
        "ad", "ads", "advert", "adverts", "advertisement", "advertising", "adslot", "adunit",
        "adsbygoogle", "dfp", "gpt", "sponsored", "sponsor", "promo", "promos", "promotion",
        "outbrain", "taboola", "teads", "newsletter", "newsletters", "signup", "subscribe",
        "cookie", "cookies", "consent", "gdpr", "share", "sharing",
        "sharebar", "sharetools", "social", "related", "recirc", "recirculation", "readmore",
        "comments", "caption", "captions", "figcaption", "credit", "credits", "ticker",
        "breadcrumb", "breadcrumbs", "byline", "bylines", "timestamp", "dateline",
    }
)
# Class words are trusted on blocks only: an inline <span class="timestamp"> inside a paragraph
# ("9.31am: Welcome to ...") is part of that paragraph's text.
CLASS_WORD_TAGS = frozenset(
    {"div", "section", "ul", "ol", "dl", "li", "p", "table", "article", "details", "center", "blockquote"}
)
# Whole class names of text that is only for screen readers or hidden.
HIDDEN_CLASSES = frozenset(
    {"visually-hidden", "visuallyhidden", "sr-only", "screen-reader-text", "screen-reader-only",
     "off-screen", "offscreen", "hidden", "hide", "u-hidden", "is-hidden", "element-invisible"}
)
# (<form> is not: old ASP.NET sites wrap the whole page in one; <header> only on request.)
FURNITURE_TAGS = frozenset({"figure", "figcaption", "aside", "nav", "dialog", "button", "footer"})
FURNITURE_ROLES = frozenset(
    {"complementary", "navigation", "banner", "contentinfo", "dialog", "alertdialog", "search", "marquee",
     "button", "toolbar", "menu", "menubar", "timer"}
)
# Boxes that are judged by their link density (paragraphs never are: a sentence may be all links).
LINK_LIST_TAGS = frozenset({"ul", "ol", "dl", "menu", "table"})
LINK_BOX_TAGS = LINK_LIST_TAGS | {"div", "section"}
# Elements that are items of a box: a div or section counts as a box of links only with two
# of these, so that a <div> used as a paragraph full of links is never taken for one.
ITEM_TAGS = frozenset({"li", "p", "div", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "tr", "article"})
LINK_BOX_MIN_LINKS = 2
LINK_BOX_MIN_SHARE = 0.75
LINK_ONLY_SHARE = 0.95
# Never drop an element that holds this share of its container's text and at least this
# many characters: it is the body (some sites wrap it in a "paywall" or hidden-until-loaded
# div). Small containers (one per paragraph on some sites) may lose all their furniture.
MAX_DROPPED_SHARE = 0.5
MIN_PROTECTED_CHARS = 400
# A block with an image, a video or an embed and no more text than this is a media box: the
# text is its caption and credit.
MEDIA_TAGS = ("img", "picture", "video", "iframe", "svg")
MEDIA_BOX_TAGS = frozenset({"div", "section"})
MAX_CAPTION_CHARS = 300
# A small block linking to two or more of the site's own legal pages (comment rules, cookie or
# copyright notices) is site boilerplate. Relative links only: a story about another company's
# privacy policy links to that company's site.
# The link's last path segment names the page: "/privacy.html", "/terms-of-use/", "/community-guidelines".
LEGAL_LINK = re.compile(
    r"/(?:community[-_])?(?:privacy|terms|guidelines|cookies?|legal|disclaimer|copyright)"
    r"(?:[-_](?:policy|notice|statement|of[-_]use|of[-_]service|and[-_]conditions))?(?:\.\w+)?/?(?:[?#].*)?$",
    re.IGNORECASE,
)
LEGAL_LINKS_MIN = 2
MAX_LEGAL_NOTICE_CHARS = 600
# A block that is one link and a short label before it ("Related: <a>…</a>", "Our standards:
# <a>…</a>"), or a paragraph that is one link in capitals (a teaser headline for another
# story), points elsewhere.
LINK_LINE_TAGS = frozenset({"p", "div"})
MAX_LINK_LINE_CHARS = 200
MAX_LINK_LABEL_WORDS = 4
MIN_SHOUTED_LINK_WORDS = 3
SHOUTED_SHARE = 0.9
# A short line without a sentence that recurs this often in one text is a slide or gallery
# label repeated per item, not prose (a one- or two-word line may be a transcript's speaker).
MIN_LABEL_REPEATS = 3
MIN_LABEL_LINE_WORDS = 3

_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NON_WORD = re.compile(r"[^A-Za-z0-9]+")
_ABSOLUTE_LINK = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
_LINK_LINE_PUNCTUATION = " \t\n[]().…:»›>|-–—"
_QUOTATION_MARKS = ("\"", "“", "„", "«", "'", "‘", "‚", "「")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_HIDDEN_STYLE_LOWER = re.compile(_HIDDEN_STYLE.pattern)


def class_words(element: HtmlElement) -> set[str]:
    """Lower-cased words of the element's class and id: "AdSlot_container" -> {"ad", "slot", "container"}."""
    return set(_words_of_names(element.get("class"), element.get("id")))


@functools.lru_cache(maxsize=4096)
def _words_of_names(classes: str | None, id_: str | None) -> frozenset[str]:
    """:func:`class_words` of a class and id value (pages repeat the same few many times)."""
    value = f"{classes or ''} {id_ or ''}"
    if not value.strip():
        return frozenset()
    return frozenset(word.lower() for word in _NON_WORD.split(_CAMEL_HUMP.sub(" ", value)) if word)


def _is_hidden(element: HtmlElement) -> bool:
    if element.get("hidden") is not None or (element.get("aria-hidden") or "").strip().lower() == "true":
        return True
    style = element.get("style")
    if style and _hides(style):
        return True
    classes = element.get("class")
    return bool(classes) and not HIDDEN_CLASSES.isdisjoint(classes.lower().split())


def _hides(style: str) -> bool:
    """``_HIDDEN_STYLE.search(style)``, fast: a case-insensitive search is slow on long inline
    styles, and on ASCII text lower-casing first gives the same answer."""
    if style.isascii():
        return _HIDDEN_STYLE_LOWER.search(style.lower()) is not None
    return _HIDDEN_STYLE.search(style) is not None


def _is_furniture_by_kind(element: HtmlElement, headers: bool) -> bool:
    """Furniture by what the element is, whatever its size."""
    if element.tag in FURNITURE_TAGS or (headers and element.tag == "header") or _is_hidden(element):
        return True
    role = (element.get("role") or "").strip().lower()
    return role in FURNITURE_ROLES or (element.get("aria-modal") or "").lower() == "true"


class _TextSizes:
    """Characters of text and of link text under every element, counted in one pass.

    ``sizes.text.get(element, 0)`` and likewise ``links``, ``anchors`` (how many links),
    ``items`` (how many item elements) and ``paragraphs`` (how many <p>).
    """

    def __init__(self, root: HtmlElement) -> None:
        # (text, links, anchors, items, paragraphs) per element, in reversed document order:
        # every element comes after all its descendants, so each child is counted already.
        # One tuple per element: this runs for every element of a page.
        counts: dict[HtmlElement, tuple[int, int, int, int, int]] = {}
        for element in reversed(list(root.iter())):
            tag = element.tag
            own = element.text if isinstance(tag, str) else None
            text = len(own.strip()) if own else 0
            links = anchors = items = paragraphs = 0
            for child in element:
                child_text, child_links, child_anchors, child_items, child_paragraphs = counts[child]
                tail = child.tail
                text += child_text + (len(tail.strip()) if tail else 0)
                links += child_links
                anchors += child_anchors
                child_tag = child.tag
                items += child_items + (child_tag in ITEM_TAGS)
                paragraphs += child_paragraphs + (child_tag == "p")
            if tag == "a":
                counts[element] = (text, text, anchors + 1, items, paragraphs)
            else:
                counts[element] = (text, links, anchors, items, paragraphs)
        self.text, self.links, self.anchors, self.items, self.paragraphs = (
            _Column(counts, index) for index in range(5)
        )


class _Column:
    """One of the counts of :class:`_TextSizes`, read like a dict."""

    __slots__ = ("_counts", "_index")

    def __init__(self, counts: dict[HtmlElement, tuple[int, int, int, int, int]], index: int) -> None:
        self._counts, self._index = counts, index

    def get(self, element: HtmlElement, default: int = 0) -> int:
        found = self._counts.get(element)
        return default if found is None else found[self._index]


def furniture_elements(root: HtmlElement, *, headers: bool = False) -> list[HtmlElement]:
    """The outermost furniture elements under ``root`` (``root`` itself never).

    ``headers``: also every ``<header>`` — right for a whole page, whose headers hold the
    headline, standfirst and byline, wrong inside a body, where live-blog entries keep their
    titles in one.

    Whatever it looks like, an element holding most of the text under ``root`` is kept: pages
    wrap whole articles in a hidden-until-loaded div or an ``<aside>`` often enough.
    """
    sizes: _TextSizes | None = None
    found: list[HtmlElement] = []
    # A found element's subtree comes in one run of the walk: skip to the node after it.
    resume_at: HtmlElement | None = None
    for element in root.iterdescendants():
        if resume_at is not None:
            if element is not resume_at:
                continue
            resume_at = None
        tag = element.tag
        if not isinstance(tag, str):
            continue
        by_kind = _is_furniture_by_kind(element, headers)
        by_class = tag in CLASS_WORD_TAGS and not _words_of_names(
            element.get("class"), element.get("id")
        ).isdisjoint(FURNITURE_CLASS_WORDS)
        has_children = len(element) > 0
        maybe_box = has_children and tag in LINK_BOX_TAGS
        maybe_line = has_children and tag in LINK_LINE_TAGS
        if not (by_kind or by_class or maybe_box or maybe_line):
            continue
        if sizes is None:
            sizes = _TextSizes(root)
        text = sizes.text.get(element, 0)
        if text >= MIN_PROTECTED_CHARS and text > MAX_DROPPED_SHARE * sizes.text.get(root, 0):
            continue
        if (
            by_kind or by_class or _is_link_box(element, sizes) or _is_media_box(element, sizes)
            or _is_legal_notice(element, sizes) or _is_link_line(element, sizes)
        ):
            found.append(element)
            resume_at = _node_after(element, root)
            if resume_at is None:  # the rest of the walk is inside it
                break
    return found


def _node_after(element: HtmlElement, root: HtmlElement) -> HtmlElement | None:
    """The first node after ``element``'s subtree in document order, inside ``root``."""
    node = element
    while node is not root:
        following = node.getnext()
        if following is not None:
            return following
        node = node.getparent()
    return None


def _is_link_box(element: HtmlElement, sizes: _TextSizes) -> bool:
    text = sizes.text.get(element, 0)
    if text == 0 or sizes.anchors.get(element, 0) < LINK_BOX_MIN_LINKS:
        return False
    links = sizes.links.get(element, 0)
    if element.tag in LINK_LIST_TAGS or sizes.items.get(element, 0) >= LINK_BOX_MIN_LINKS:
        return links >= LINK_BOX_MIN_SHARE * text
    return links >= LINK_ONLY_SHARE * text  # a bare run of links: nothing but link text


def _is_media_box(element: HtmlElement, sizes: _TextSizes) -> bool:
    """An image or video with at most a short line of text under it: a caption. A paragraph
    *before* the image is text with an inline photo, and two paragraphs are never a caption."""
    if element.tag not in MEDIA_BOX_TAGS or sizes.text.get(element, 0) > MAX_CAPTION_CHARS:
        return False
    paragraphs = sizes.paragraphs.get(element, 0)
    if paragraphs > 1:
        return False
    for node in element.iterdescendants(*MEDIA_TAGS, "p"):
        return node.tag != "p"  # the first of them decides
    return False


def _is_legal_notice(element: HtmlElement, sizes: _TextSizes) -> bool:
    if sizes.anchors.get(element, 0) < LEGAL_LINKS_MIN or sizes.text.get(element, 0) > MAX_LEGAL_NOTICE_CHARS:
        return False
    legal = {
        href for href in (a.get("href") or "" for a in element.iter("a"))
        if not _ABSOLUTE_LINK.match(href) and LEGAL_LINK.search("/" + href.strip())
    }
    return len(legal) >= LEGAL_LINKS_MIN


def _is_link_line(element: HtmlElement, sizes: _TextSizes) -> bool:
    """A labelled link ("Related: …", "[Read: …]") or a link shouted in capitals, alone in its
    block: a pointer to another page, not a sentence of this one."""
    if sizes.anchors.get(element, 0) != 1 or not 0 < sizes.text.get(element, 0) <= MAX_LINK_LINE_CHARS:
        return False
    link = clean_text(next(element.iter("a")).text_content())
    if not link:  # an image link
        return False
    before, found, after = clean_text(element.text_content()).partition(link)
    if not found or after.strip(_LINK_LINE_PUNCTUATION):
        return False
    label = before.strip(_LINK_LINE_PUNCTUATION)
    if not label:  # a teaser in the flow of paragraphs (a box's heading is left to the box)
        return element.tag == "p" and _is_shouted(link) and len(link.split()) >= MIN_SHOUTED_LINK_WORDS
    # 'He wrote: <a>"We will win."</a>' is a quotation that happens to be a link.
    return (
        before.rstrip().endswith(":") and len(label.split()) <= MAX_LINK_LABEL_WORDS
        and not link.startswith(_QUOTATION_MARKS)
    )


def _is_shouted(text: str) -> bool:
    """In capitals ("… AT AMAs …" still is); false for scripts without case."""
    cased = [ch for ch in text if ch.isupper() or ch.islower()]
    return bool(cased) and sum(ch.isupper() for ch in cased) >= SHOUTED_SHARE * len(cased)


def drop_furniture(root: HtmlElement, *, headers: bool = False) -> int:
    """Remove furniture elements under ``root`` (their tails stay); returns how many."""
    dropped = furniture_elements(root, headers=headers)
    for element in dropped:
        if element.getparent() is not None:
            element.drop_tree()
    return len(dropped)


def without_furniture(paragraphs: Iterable[str]) -> list[str]:
    """Paragraphs minus those that are furniture text or a label repeated through the text."""
    kept = [paragraph for paragraph in paragraphs if not is_furniture_text(paragraph)]
    counts = Counter(kept)
    return [paragraph for paragraph in kept if counts[paragraph] < MIN_LABEL_REPEATS or not _is_label_line(paragraph)]


def _is_label_line(text: str) -> bool:
    return (
        len(text) <= MAX_LABEL_CHARS and len(text.split()) >= MIN_LABEL_LINE_WORDS and not _SENTENCE_END.search(text)
    )
