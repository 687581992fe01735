"""Pure normalisation: canonical URLs, text cleaning, content hashes, boring-change reasons.

The rule the rest of the tracker relies on: formatting noise (white space, no-break spaces,
soft hyphens, quote styles, Unicode composition, tracking parameters, "Updated 5 minutes ago"
lines) never changes the content hash, while any real edit, down to one character, does.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only track the reader; dropping them maps every shared link of an
# article to the same canonical URL.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid",
        "_ga", "_gl", "ref", "ref_src", "referer", "referrer", "src", "smid", "smtyp",
        "cmpid", "cid", "tid", "hpid", "intcmp", "ito", "ocid", "amp", "s_cid",
        "wt.mc_id", "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname", "ns_fee",
        "cmp", "sr_share", "pgtype", "module", "action", "contentcollection", "region",
        "rss", "outputtype", "itid", "wpisrc",
        "emc", "partner",  # NYT feed links: ?emc=rss&partner=rss
        "traffic_source",  # Al Jazeera feed links: ?traffic_source=rss
        "lo",  # POLITICO link origin: ?lo=ut_a1
    }
)
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_", "hsa_", "wt_", "ga_")

# Path suffixes and prefixes that serve the same article in another format.
_AMP_SUFFIX = re.compile(r"(?:/amp|/amp\.html|\.amp|/print|/amp/)$", re.IGNORECASE)
_AMP_PREFIX = re.compile(r"^/(?:amp|amphtml)(?=/)", re.IGNORECASE)
_MOBILE_HOST = re.compile(r"^(?:m|mobile|amp)\.", re.IGNORECASE)
# Hosts that serve the same articles under another name: one article, one canonical URL.
HOST_ALIASES = {
    "bbc.com": "www.bbc.co.uk",
    "www.bbc.com": "www.bbc.co.uk",
    "bbc.co.uk": "www.bbc.co.uk",
    "edition.cnn.com": "www.cnn.com",
    "us.cnn.com": "www.cnn.com",
    "cnn.com": "www.cnn.com",
    "guardian.co.uk": "www.theguardian.com",
    "www.guardian.co.uk": "www.theguardian.com",
    "theguardian.com": "www.theguardian.com",
    "washingtonpost.com": "www.washingtonpost.com",
    "nytimes.com": "www.nytimes.com",
}


def canonical_url(url: str) -> str:
    """The one URL an article is known by, whatever link or variant led to it.

    Lower-cases scheme and host, upgrades http to https, drops default ports, fragments,
    tracking parameters and AMP / print / mobile variants, and sorts the remaining query
    parameters. A trailing slash is kept: servers treat ``/a`` and ``/a/`` as different pages.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower() or "https"
    if scheme == "http":
        scheme = "https"
    host = (parts.hostname or "").lower().rstrip(".")
    if _MOBILE_HOST.match(host) and host.count(".") >= 2:
        host = "www." + host.split(".", 1)[1]
    host = HOST_ALIASES.get(host, host)
    if ":" in host:  # IPv6 literal: urlsplit drops the brackets
        host = f"[{host}]"
    netloc = host
    if parts.port and parts.port not in (80, 443):
        netloc = f"{host}:{parts.port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    # Until nothing is left to strip, so that canonical_url(canonical_url(x)) == canonical_url(x);
    # a "/amp/" suffix leaves its slash: /story/amp/ is the AMP page of /story/.
    while True:
        stripped = _AMP_SUFFIX.sub(_suffix_replacement, _AMP_PREFIX.sub("", path)) or "/"
        if stripped == path:
            break
        path = stripped
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking_param(key)
    ]
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))


def _suffix_replacement(match: re.Match[str]) -> str:
    return "/" if match.group().endswith("/") else ""


def _is_tracking_param(key: str) -> bool:
    lowered = key.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def article_id(url: str) -> str:
    """Stable identifier of an article: derived from its canonical URL only."""
    # surrogatepass: a URL argument with bytes that are not UTF-8 (decoded with surrogateescape)
    # is an unknown article, not a crash; valid text encodes exactly as UTF-8.
    return hashlib.sha256(canonical_url(url).encode("utf-8", "surrogatepass")).hexdigest()[:24]


# --- text -----------------------------------------------------------------------------------

# Soft hyphen, zero-width characters, word joiner, BOM, Mongolian vowel separator.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e]")
# Typographic character -> plain form, for the hash key only.
_QUOTES: tuple[tuple[str, str], ...] = tuple(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"', "\u2039": "'", "\u203a": "'",
        "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
        "\u2026": "...",
    }.items()
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_OTHER_SPACE = re.compile(r"[^\S ]")  # white space (as str.split sees it) other than the space
# Lone surrogates: valid in a Python str (json.loads("\"\\ud800\""), surrogateescape) but not in
# UTF-8, so no store, hash or export could take them. NUL: PostgreSQL (FerretDB's backend)
# refuses it in text.
_SURROGATES = re.compile("[\ud800-\udfff]")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

# Lines that change on every fetch without the story changing.
NOISE_PARAGRAPHS = (
    re.compile(
        r"^(?:updated|published|posted|last updated|modified)?\s*:?\s*"
        r"(?:\d+|an?|one|(?:a\s+)?few)\s+(?:seconds?|mins?|minutes?|hours?|hrs?|days?)\s+ago\.?$",
        re.IGNORECASE,
    ),
    re.compile(r"^(?:updated|published|posted|last updated)\s*:?\s*(?:just now|moments ago)\.?$", re.I),
    re.compile(r"^\d+\s+(?:comments?|shares?)$", re.IGNORECASE),
)


def clean_text(text: str) -> str:
    """Display-level cleaning of extracted text: NFC, invisible characters, one space.

    Keeps the publisher's typography (curly quotes, dashes) so that what we show is what
    they printed; only the hash key (:func:`hash_key`) folds those. Runs for every text node
    of every page, hence the fast paths (str.split beats a regex by far on long text).
    """
    if not text.isascii():
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        text = _INVISIBLE.sub("", text)
    if _CONTROL.search(text):
        text = _CONTROL.sub(" ", text)
    elif _is_spaced_once(text):
        # Already clean text (paragraphs cleaned once are cleaned again) is returned as it is.
        return text
    return " ".join(text.split())


def _is_spaced_once(text: str) -> bool:
    """Whether ``" ".join(text.split())`` is ``text``: no white space but single inner spaces."""
    return (
        _OTHER_SPACE.search(text) is None and "  " not in text and not text.startswith(" ")
        and not text.endswith(" ") and type(text) is str
    )


def without_surrogates(text: str) -> str:
    """``text`` as valid Unicode: each lone surrogate becomes U+FFFD, the replacement character."""
    return text if _encodes_as_utf8(text) else _SURROGATES.sub("\ufffd", text)


def valid_text(text: str) -> str:
    """``text`` as every store can hold it: lone surrogates and NUL characters become U+FFFD."""
    return text if _is_valid_text(text) else _UNSTORABLE.sub("\ufffd", text)


def valid_unicode(value: Any) -> Any:
    """``value`` with every string in it, also in lists, tuples and dicts, :func:`valid_text`;
    ``value`` itself when there is nothing to replace (the common case, checked first)."""
    if _is_valid(value):
        return value
    if isinstance(value, str):
        return valid_text(value)
    if isinstance(value, list):
        return [valid_unicode(item) for item in value]
    if isinstance(value, tuple):
        return tuple(valid_unicode(item) for item in value)
    return {key: valid_unicode(item) for key, item in value.items()}


def _is_valid(value: Any) -> bool:
    if isinstance(value, str):
        return _is_valid_text(value)
    if isinstance(value, (list, tuple)):
        return all(map(_is_valid, value))
    if isinstance(value, dict):
        return all(map(_is_valid, value.values()))
    return True


def _is_valid_text(text: str) -> bool:
    return "\x00" not in text and (text.isascii() or _encodes_as_utf8(text))


def _encodes_as_utf8(text: str) -> bool:
    """No lone surrogate in ``text`` (encoding is several times faster than a regex search)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def clean_paragraphs(paragraphs: Iterable[str]) -> list[str]:
    """Cleaned, non-empty paragraphs, without lines that are pure fetch-time noise."""
    cleaned = (clean_text(p) for p in paragraphs)
    return [p for p in cleaned if p and not is_noise_paragraph(p)]


# One match per paragraph instead of one per pattern (each keeps its own flags).
_ANY_NOISE = re.compile(
    "|".join(f"(?{'i' if pattern.flags & re.IGNORECASE else ''}:{pattern.pattern})" for pattern in NOISE_PARAGRAPHS)
)


def is_noise_paragraph(paragraph: str) -> bool:
    return _ANY_NOISE.match(paragraph) is not None


def _fold(cleaned: str) -> str:
    """Compatibility forms, quote and dash styles unified, of already cleaned text."""
    if cleaned.isascii():
        return cleaned
    text = unicodedata.normalize("NFKC", cleaned)
    for typographic, plain in _QUOTES:  # str.replace: far faster than str.translate on long text
        if typographic in text:
            text = text.replace(typographic, plain)
    return " ".join(text.split())


def hash_key(text: str) -> str:
    """Text folded for comparison: compatibility forms, quote and dash styles unified."""
    return _fold(clean_text(text))


def content_hash(headline: str | None, paragraphs: Sequence[str]) -> str:
    """SHA-256 over what makes a version: the headline and the body paragraphs."""
    digest = hashlib.sha256()
    digest.update(hash_key(headline or "").encode("utf-8"))
    for paragraph in clean_paragraphs(paragraphs):
        digest.update(b"\x00")
        digest.update(_fold(paragraph).encode("utf-8"))
    return digest.hexdigest()


def raw_hash(headline: str | None, paragraphs: Sequence[str]) -> str:
    """SHA-256 of the text exactly as extracted: tells 'identical' from 'only formatting'."""
    digest = hashlib.sha256((headline or "").encode("utf-8"))
    for paragraph in paragraphs:
        digest.update(b"\x00" + paragraph.encode("utf-8"))
    return digest.hexdigest()


# --- what makes a version ---------------------------------------------------------------------

# Hash schemes: 1 covered the headline and the body; 2 (current) also the standfirst and the
# byline. A version's ``hash_scheme`` says which one produced its hashes (none stored: 1).
LEGACY_HASH_SCHEME = 1
HASH_SCHEME = 2
# Scheme 2 hashes start with this, so that they can never equal a scheme 1 hash.
_SCHEME_2_PREFIX = b"tracker-hash-2\x00"


@dataclass(frozen=True)
class TrackedText:
    """The fields of a page whose change makes a new version (each is compared and diffed)."""

    headline: str
    paragraphs: Sequence[str]
    standfirst: str = ""
    byline: str = ""
    # Hashes and word count once computed: each folds or splits every paragraph again. Filled
    # ahead where the page is extracted (tracker.revisions.prepare_page), off the crawl's process.
    _memo: dict[str, Any] = field(default_factory=dict, init=False, compare=False, repr=False)

    def content_hash(self, scheme: int = HASH_SCHEME) -> str:
        """The content hash under ``scheme``; formatting noise never changes it."""
        return self._memoised(f"content_hash/{scheme}", self._content_hash, scheme)

    def raw_hash(self, scheme: int = HASH_SCHEME) -> str:
        """The hash of the text exactly as extracted under ``scheme``."""
        return self._memoised(f"raw_hash/{scheme}", self._raw_hash, scheme)

    def word_count(self) -> int:
        """The words of the body."""
        return self._memoised("word_count", word_count, self.paragraphs)

    def _memoised(self, key: str, compute: Callable[[Any], Any], argument: Any) -> Any:
        if key not in self._memo:
            self._memo[key] = compute(argument)
        return self._memo[key]

    def _content_hash(self, scheme: int) -> str:
        if scheme == LEGACY_HASH_SCHEME:
            return content_hash(self.headline, self.paragraphs)
        digest = hashlib.sha256(_SCHEME_2_PREFIX)
        for part in (self.headline, self.standfirst, self.byline):
            digest.update(hash_key(part).encode("utf-8") + b"\x01")
        digest.update(content_hash(None, self.paragraphs).encode("ascii"))
        return digest.hexdigest()

    def _raw_hash(self, scheme: int) -> str:
        if scheme == LEGACY_HASH_SCHEME:
            return raw_hash(self.headline, self.paragraphs)
        digest = hashlib.sha256(_SCHEME_2_PREFIX)
        for part in (self.headline, self.standfirst, self.byline):
            digest.update(part.encode("utf-8") + b"\x01")
        digest.update(raw_hash(None, self.paragraphs).encode("ascii"))
        return digest.hexdigest()


def byline_of(authors: Sequence[str]) -> str:
    """The byline as tracked: the authors' names in page order, ``"A"``, ``"A and B"``,
    ``"A, B and C"``; empty when no author is named."""
    names = [name for name in (clean_text(author) for author in authors) if name]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def boring_reason(
    old_headline: str | None,
    old_paragraphs: Sequence[str],
    new_headline: str | None,
    new_paragraphs: Sequence[str],
) -> str | None:
    """Why a change is not worth a version, or None when it is a real change (or none at all).

    Meant for two texts whose raw hashes differ: equal content hashes then mean that only
    formatting (white space, typography, timestamps lines) changed.
    """
    if raw_hash(old_headline, old_paragraphs) == raw_hash(new_headline, new_paragraphs):
        return None
    if content_hash(old_headline, old_paragraphs) == content_hash(new_headline, new_paragraphs):
        return "formatting"
    return None


def word_count(paragraphs: Iterable[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)
