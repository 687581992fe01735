"""Change fidelity: does every real edit make a version, and does page furniture never make one?

    python bench/fidelity.py [--root DIR] [--outlet NAME ...] [--no-layouts]

For every saved real page (``../shared/fixtures/real-pages/``, read in place), a chain of
fetches of the same article goes through what a crawl does after the download:
``extract_article`` and :class:`tracker.revisions.Recorder` on a real SQLite store. Between
fetches the page gets either a noise-only edit (white space reflowed, no-break spaces,
tracking parameters on links, script and ad-slot churn, furniture put between the body
paragraphs or a cookie banner at the top: see ``tests/site/furniture.py``) or a real edit
(one character, one word, an added sentence, the headline, the standfirst, the byline), and a
real edit stays in the page for the rest of the chain. "New version" is then a prediction:
precision = real edits among the fetches that made a version, recall = real edits that did.

Second part, **leave-layout-out extraction**: outlet parsers list one body container per
layout of the outlet's site ("2015-2018", "2019-2024", ...). Each page is extracted again with
the container rule that reads it taken out, so that only the rules written for the outlet's
*other* layouts (and the shared machinery and generic extractor behind them) can read it, the
way they would read a layout nobody wrote a rule for; the real-page expectations
(``tests/test_real_pages.py``, minus its known conflicts) are scored on both runs.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import re
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import urlsplit, urlunsplit

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path[:1]:
    sys.path.insert(0, str(PROJECT_ROOT))

from lxml.html import HtmlElement  # noqa: E402

from tests.realpages import RealPage, fixture_root, outlet_cases, outlet_names  # noqa: E402
from tests.site.furniture import (  # noqa: E402
    FURNITURE,
    find_paragraph,
    insert_markup_after,
    parse,
    serialize,
)
from tracker import extraction  # noqa: E402
from tracker.extraction import extract_article  # noqa: E402
from tracker.items import Article  # noqa: E402
from tracker.normalize import clean_text  # noqa: E402
from tracker.parsers import OutletParser, parser_for_url  # noqa: E402
from tracker.revisions import VERSION_OUTCOMES, Recorder  # noqa: E402
from tracker.store import open_store  # noqa: E402

TARGET = 0.99
ITEM_FIELDS = tuple(field.name for field in dataclasses.fields(Article))
Edit = Callable[[HtmlElement, dict[str, Any], random.Random], bool]


# --- noise-only edits: each returns False when the page offers nothing to apply it to -------------


def _text_nodes(doc: HtmlElement) -> Iterator[tuple[HtmlElement, str]]:
    """(element, "text" | "tail") of every visible text node of the body."""
    body = doc.find("body")
    for element in (body if body is not None else doc).iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "pre", "textarea"):
            if isinstance(element.tag, str) and element.tail:
                yield element, "tail"
            continue
        if element.text and element.text.strip():
            yield element, "text"
        if element.tail and element.tail.strip():
            yield element, "tail"


def _respace(doc: HtmlElement, rng: random.Random, replacement: Callable[[random.Random], str], share: float) -> bool:
    changed = False
    for element, slot in _text_nodes(doc):
        text = getattr(element, slot)
        pieces = text.split(" ")
        if len(pieces) < 3:
            continue
        out = [pieces[0]]
        for piece in pieces[1:]:
            out.append(replacement(rng) if rng.random() < share else " ")
            out.append(piece)
        setattr(element, slot, "".join(out))
        changed = True
    return changed


def whitespace_reflow(doc: HtmlElement, article: dict[str, Any], rng: random.Random) -> bool:
    return _respace(doc, rng, lambda r: r.choice(("\n      ", "  ", "\t", "\r\n")), 0.2)


def no_break_spaces(doc: HtmlElement, article: dict[str, Any], rng: random.Random) -> bool:
    return _respace(doc, rng, lambda r: "\u00a0", 0.15)


def tracking_parameters(doc: HtmlElement, article: dict[str, Any], rng: random.Random) -> bool:
    changed = False
    for link in doc.iter("a"):
        href = link.get("href")
        if href and not href.startswith(("#", "javascript:", "mailto:")):
            glue = "&" if "?" in href else "?"
            link.set("href", f"{href}{glue}utm_source=newsletter&utm_campaign=c{rng.getrandbits(24)}")
            changed = True
    return changed


def script_and_ad_churn(doc: HtmlElement, article: dict[str, Any], rng: random.Random) -> bool:
    """New inline scripts and empty ad containers, changed script contents (not JSON-LD)."""
    for script in doc.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" and script.text:
            script.text = f"{script.text}\n;window.__r{rng.getrandbits(32)}=1;"
    body = doc.find("body")
    if body is None:
        return False
    for _ in range(3):
        insert_markup_after(
            body[rng.randrange(len(body))] if len(body) else body,
            f'<div id="slot-{rng.getrandbits(32):x}" class="c{rng.getrandbits(32):x}"></div>'
            f"<script>googletag.display('slot-{rng.getrandbits(32):x}');</script>",
        )
    return True


def furniture_between_paragraphs(kind: str) -> Edit:
    def edit(doc: HtmlElement, article: dict[str, Any], rng: random.Random) -> bool:
        element = middle_paragraph_element(doc, article)
        if element is None:
            return False
        insert_markup_after(element, FURNITURE[kind](rng.getrandbits(16)))
        return True

    edit.__name__ = f"{kind}_furniture"
    return edit


def cookie_banner_on_top(doc: HtmlElement, article: dict[str, Any], rng: random.Random) -> bool:
    body = doc.find("body")
    if body is None:
        return False
    nodes = parse(f"<html><body>{FURNITURE['cookie_banner'](rng.getrandbits(16))}</body></html>").find("body")
    for node in reversed(list(nodes)):
        body.insert(0, node)
    return True


# --- real edits --------------------------------------------------------------------------------


def middle_paragraph_element(doc: HtmlElement, article: dict[str, Any]) -> HtmlElement | None:
    """The element of a body paragraph near the middle that holds exactly that paragraph."""
    paragraphs = [p for p in article["paragraphs"] if len(p.split()) >= 8]
    middle = len(paragraphs) // 2
    for paragraph in paragraphs[middle:] + paragraphs[:middle][::-1]:
        element = find_paragraph(doc, paragraph)
        if element is not None:
            return element
    return None


def _longest_text_slot(element: HtmlElement) -> tuple[HtmlElement, str] | None:
    """The longest text node inside ``element`` (its own text or a child's tail)."""
    best: tuple[HtmlElement, str] | None = None
    length = 0
    for node in element.iter():
        if not isinstance(node.tag, str) or node.tag in ("script", "style"):
            continue
        slots = [(node, "text")] + ([(node, "tail")] if node is not element else [])
        for owner, slot in slots:
            text = getattr(owner, slot) or ""
            if len(text.strip()) > length:
                best, length = (owner, slot), len(text.strip())
    return best


def _edit_paragraph(doc: HtmlElement, article: dict[str, Any], change: Callable[[str], str | None]) -> bool:
    element = middle_paragraph_element(doc, article)
    slot = _longest_text_slot(element) if element is not None else None
    if slot is None:
        return False
    owner, name = slot
    changed = change(getattr(owner, name))
    if changed is None:
        return False
    setattr(owner, name, changed)
    return True


def one_character(doc: HtmlElement, article: dict[str, Any], rng: random.Random) -> bool:
    def change(text: str) -> str | None:
        letters = [i for i, ch in enumerate(text) if ch.isalpha() and ch.isascii()]
        if not letters:
            return None
        i = letters[len(letters) // 2]
        return text[:i] + ("e" if text[i].lower() != "e" else "a") + text[i + 1 :]

    return _edit_paragraph(doc, article, change)


def one_word(doc: HtmlElement, article: dict[str, Any], rng: random.Random) -> bool:
    def change(text: str) -> str | None:
        words = list(re.finditer(r"\b[A-Za-z]{4,}\b", text))
        if not words:
            return None
        word = words[len(words) // 2]
        return text[: word.start()] + "reportedly" + text[word.end() :]

    return _edit_paragraph(doc, article, change)


def added_sentence(doc: HtmlElement, article: dict[str, Any], rng: random.Random) -> bool:
    return _edit_paragraph(doc, article, lambda text: text.rstrip() + " Officials declined to comment further on Tuesday. ")


def _elements_showing(doc: HtmlElement, text: str) -> list[HtmlElement]:
    """Elements whose whole visible text is ``text``: found from the text nodes holding its
    first word, walking up while the text grows (text_content() on every element is quadratic)."""
    first = text.split()[0] if text.split() else ""
    found: list[HtmlElement] = []
    for element in doc.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style"):
            continue
        if first not in (element.text or "") and not any(first in (child.tail or "") for child in element):
            continue
        for candidate in (element, *element.iterancestors()):
            shown = clean_text(candidate.text_content())
            if shown == text and candidate not in found:
                found.append(candidate)
            if len(shown) >= len(text):
                break
    return found


def _replace_everywhere(doc: HtmlElement, old: str, new: str) -> bool:
    """``old`` -> ``new`` in the elements showing exactly ``old``, in attributes and in scripts."""
    changed = False
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "script" and element.text and old in element.text:
            element.text = element.text.replace(old, new)
            changed = True
        for name, value in element.attrib.items():
            if old in value:
                element.set(name, value.replace(old, new))
                changed = True
    for element in _elements_showing(doc, old):
        slot = _longest_text_slot(element)
        if slot is not None:
            owner, name = slot
            setattr(owner, name, (getattr(owner, name) or "").rstrip() + new[len(old):])
            changed = True
    return changed


def headline(doc: HtmlElement, article: dict[str, Any], rng: random.Random) -> bool:
    old = article.get("headline") or ""
    return bool(old) and _replace_everywhere(doc, old, old + " as talks continue")


def standfirst(doc: HtmlElement, article: dict[str, Any], rng: random.Random) -> bool:
    old = article.get("standfirst") or ""
    return bool(old) and _replace_everywhere(doc, old, old + " Talks continue.")


def byline(doc: HtmlElement, article: dict[str, Any], rng: random.Random) -> bool:
    """The first author replaced by another name wherever the page shows it."""
    authors = article.get("authors") or []
    if not authors:
        return False
    changed = False
    # Pages print names as they like: "Jane Doe", "JANE DOE" (old NYT bylines), "Jane&nbsp;Doe".
    for old, new in ((authors[0], "Alexandra Newname"), (authors[0].upper(), "ALEXANDRA NEWNAME")):
        pattern = re.compile(r"\s+".join(re.escape(word) for word in old.split()))
        for element in doc.iter():
            if not isinstance(element.tag, str):
                continue
            for slot in ("text", "tail"):
                value = getattr(element, slot)
                if value and pattern.search(value):
                    setattr(element, slot, pattern.sub(new, value))
                    changed = True
            for name, value in element.attrib.items():
                if pattern.search(value):
                    element.set(name, pattern.sub(new, value))
                    changed = True
    return changed


NOISE: tuple[Edit, ...] = (
    whitespace_reflow, no_break_spaces, tracking_parameters, script_and_ad_churn,
    furniture_between_paragraphs("ad_slot"), furniture_between_paragraphs("related_box"),
    furniture_between_paragraphs("updated_line"), cookie_banner_on_top,
    furniture_between_paragraphs("ad_label"), furniture_between_paragraphs("newsletter"),
    furniture_between_paragraphs("caption"), furniture_between_paragraphs("byline"),
    furniture_between_paragraphs("share"),
)
REAL: tuple[Edit, ...] = (one_character, one_word, added_sentence, headline, standfirst, byline)
# Edit kinds that only count once the field is tracked (extract_article gives it).
NEEDS_FIELD = {"standfirst": "standfirst", "byline": "byline"}


def chain() -> list[tuple[str, Edit]]:
    """Noise and real edits interleaved: each real edit is followed by noise on the new text."""
    steps: list[tuple[str, Edit]] = []
    noise = list(NOISE)
    for index, edit in enumerate(REAL):
        steps.extend(("noise", n) for n in noise[index * 2 : index * 2 + 2])
        steps.append(("real", edit))
    steps.extend(("noise", n) for n in noise[len(REAL) * 2 :])
    return steps


# --- running the chain ---------------------------------------------------------------------------


@dataclasses.dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, real: bool, versioned: bool) -> None:
        if real:
            self.tp += versioned
            self.fn += not versioned
        else:
            self.fp += versioned
            self.tn += not versioned

    def merge(self, other: Tally) -> None:
        for name in ("tp", "fp", "fn", "tn"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclasses.dataclass
class Outcomes:
    by_outlet: dict[str, Tally] = dataclasses.field(default_factory=lambda: defaultdict(Tally))
    by_edit: dict[str, Tally] = dataclasses.field(default_factory=lambda: defaultdict(Tally))
    untracked: dict[str, Tally] = dataclasses.field(default_factory=lambda: defaultdict(Tally))
    skipped: Counter[str] = dataclasses.field(default_factory=Counter)
    misses: list[str] = dataclasses.field(default_factory=list)


def page_item(html: str, url: str, outlet: str, at: dt.datetime) -> dict[str, Any]:
    """What the spider hands the pipeline for this page (the Article item's fields)."""
    article = extract_article(html, url)
    item = {name: article[name] for name in ITEM_FIELDS if name in article}
    item.update(url=url, outlet=outlet, status=200, fetched_at=at.isoformat())
    for name in article:  # fields the item does not declare yet travel too (standfirst, byline)
        item.setdefault(name, article[name])
    return item


class PageChain:
    """One page's chain: the current (real) text, and each step's page made from it."""

    def __init__(self, page: RealPage, url: str) -> None:
        self.page = page
        self.url = url
        self.rng = random.Random(page.id)
        self.accept(serialize(parse(page.html())))

    def accept(self, html: str) -> None:
        self.current = html
        self.article = extract_article(html, self.url)

    def edited(self, edit: Edit) -> str | None:
        doc = parse(self.current)
        return serialize(doc) if edit(doc, self.article, self.rng) else None


def score(results: Outcomes, chain_: PageChain, kind: str, edit: Edit, outcome: str) -> None:
    real, versioned = kind == "real", outcome in VERSION_OUTCOMES
    field = NEEDS_FIELD.get(edit.__name__)
    if field is not None and field not in chain_.article:
        results.untracked[edit.__name__].add(real, versioned)
        return
    results.by_outlet[chain_.page.outlet].add(real, versioned)
    results.by_edit[edit.__name__].add(real, versioned)
    if real != versioned:
        results.misses.append(f"{chain_.page.id}: {edit.__name__} -> {outcome}")


def _with_case(url: str, case: str) -> str:
    parts = urlsplit(url)
    query = f"{parts.query}&fidelity_case={case}" if parts.query else f"fidelity_case={case}"
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def run_page(page: RealPage, recorder: Recorder, results: Outcomes) -> None:
    # One article per case: some cases are the same URL saved in another year's layout.
    chain_ = PageChain(page, _with_case(page.url or f"https://{page.outlet}.example/", page.case))
    at = dt.datetime(2024, 1, 5, 8, tzinfo=dt.timezone.utc)
    first = recorder.record(page_item(chain_.current, chain_.url, page.outlet, at))
    if first.outcome != "new":
        results.skipped[f"no body ({first.outcome})"] += 1
        return
    for kind, edit in chain():
        html = chain_.edited(edit)
        if html is None:
            results.skipped[edit.__name__] += 1
            continue
        at += dt.timedelta(hours=1)
        result = recorder.record(page_item(html, chain_.url, page.outlet, at))
        score(results, chain_, kind, edit, result.outcome)
        if kind == "real":
            chain_.accept(html)


def run_chains(pages: list[RealPage]) -> Outcomes:
    results = Outcomes()
    with tempfile.TemporaryDirectory() as directory, open_store(f"sqlite:///{directory}/fidelity.sqlite3") as store:
        recorder = Recorder(store, keep_html=False)
        for page in pages:
            run_page(page, recorder, results)
    return results


# --- the same chain through scrapy crawl ------------------------------------------------------------

CRAWL_OUTLET = "washingtonpost"  # fixture directory; crawled by the washpo spider
CRAWL_URL = "https://www.washingtonpost.com/politics/2024/01/05/fidelity-{number}/"


def crawl_chains(pages: list[RealPage]) -> Outcomes:
    """The chain for ``pages`` (saved Washington Post pages) through the real ``scrapy crawl
    washpo -a url=...`` against the local fixture site: one crawl per step, all pages at once."""
    from tests.crawling import run_crawl
    from tests.site import FixtureSite
    from tracker.normalize import article_id

    results = Outcomes()
    chains = [PageChain(page, CRAWL_URL.format(number=n)) for n, page in enumerate(pages)]
    with tempfile.TemporaryDirectory() as directory, FixtureSite() as site:
        store_uri = f"sqlite:///{directory}/fidelity.sqlite3"

        def crawl(htmls: list[str | None]) -> list[str | None]:
            for chain_, html in zip(chains, htmls):
                if html is not None:
                    site.set_page(urlsplit(chain_.url).path, html)
            run_crawl(
                "washpo", host_map={"www.washingtonpost.com": site.base_url}, store_uri=store_uri,
                args=["-a", "url=" + ",".join(chain_.url for chain_ in chains)], settings={"TRACKER_KEEP_HTML": "False"},
            )
            with open_store(store_uri) as store:
                return [
                    max(store.list_checks(article_id(chain_.url)), key=lambda check: check["at"])["outcome"]
                    if html is not None else None
                    for chain_, html in zip(chains, htmls)
                ]

        crawl([chain_.current for chain_ in chains])
        for kind, edit in chain():
            htmls = [chain_.edited(edit) for chain_ in chains]
            for chain_, html, outcome in zip(chains, htmls, crawl(htmls)):
                if html is None or outcome is None:
                    results.skipped[edit.__name__] += 1
                    continue
                score(results, chain_, kind, edit, outcome)
                if kind == "real":
                    chain_.accept(html)
    return results


# --- leave-layout-out ------------------------------------------------------------------------------


def layout_rule(parser: OutletParser, html: str) -> int | None:
    """Index of the body container rule that reads the page (the first that yields text)."""
    for index in range(len(parser.body_xpaths)):
        variant = without_rules(parser, keep=(index,))
        if variant.paragraphs(parse(html)):
            return index
    return None


def without_rules(parser: OutletParser, *, keep: tuple[int, ...] | None = None, drop: int | None = None) -> OutletParser:
    rules = tuple(
        xpath for index, xpath in enumerate(parser.body_xpaths)
        if (keep is None or index in keep) and index != drop
    )
    variant = type(parser).__new__(type(parser))
    variant.body_xpaths = rules  # type: ignore[misc]  # an instance attribute shadows the class one
    return variant


def expectation_results(page: RealPage, article: dict[str, Any]) -> tuple[int, int]:
    from tests.test_real_pages import CHECKS, KNOWN_CONFLICTS

    passed = total = 0
    for name, check in CHECKS.items():
        if name == "extractor" or name not in page.expected or (page.id, name) in KNOWN_CONFLICTS:
            continue
        total += 1
        try:
            check(page, article)  # type: ignore[arg-type]
            passed += 1
        except AssertionError:
            pass
    return passed, total


def leave_layout_out(pages: list[RealPage]) -> dict[str, tuple[int, int, int, int, int]]:
    """Per outlet: pages, expectations passed with all rules, passed leaving the layout out, total,
    and pages whose body then came from the generic extractor."""
    rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for page in pages:
        parser = parser_for_url(page.url)
        if parser is None:
            continue
        html = page.html()
        full, total = expectation_results(page, extract_article(html, page.url))
        rule = layout_rule(parser, html)
        variant = without_rules(parser, drop=rule) if rule is not None else parser
        with mock.patch.object(extraction, "parser_for_url", lambda url, variant=variant: variant):
            article = extract_article(html, page.url)
        left_out, _ = expectation_results(page, article)
        row = rows[page.outlet]
        row[0] += 1
        row[1] += full
        row[2] += left_out
        row[3] += total
        row[4] += article["extractor"] != parser.name
    return {outlet: tuple(values) for outlet, values in rows.items()}  # type: ignore[misc]


# --- report ----------------------------------------------------------------------------------------


def tally_line(name: str, tally: Tally) -> str:
    return (
        f"{name:22} {tally.tp + tally.fn:>5} {tally.fp + tally.tn:>6} {tally.tp:>4} {tally.fp:>4} {tally.fn:>4} "
        f"{tally.precision:>9.3f} {tally.recall:>7.3f}"
    )


def report(results: Outcomes, pages: int, how: str) -> bool:
    header = f"{'':22} {'real':>5} {'noise':>6} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>9} {'recall':>7}"
    print(f"change fidelity over {pages} real pages (a chain of fetches each, {how})\n")
    print(header)
    overall = Tally()
    for outlet in sorted(results.by_outlet):
        print(tally_line(outlet, results.by_outlet[outlet]))
        overall.merge(results.by_outlet[outlet])
    print(tally_line("ALL", overall))
    print("\nby edit (real edits: recall; noise: false versions)\n" + header)
    for name in sorted(results.by_edit, key=lambda n: (n not in {e.__name__ for e in REAL}, n)):
        print(tally_line(name, results.by_edit[name]))
    for name, tally in sorted(results.untracked.items()):
        print(tally_line(f"{name} (untracked)", tally) + "   <- field not extracted yet: not in ALL")
    if results.skipped:
        print("\nnot applicable (page offers nothing to edit): " + ", ".join(f"{k} {v}" for k, v in sorted(results.skipped.items())))
    if results.misses:
        print(f"\n{len(results.misses)} wrong predictions:")
        for miss in results.misses[:40]:
            print(f"  {miss}")
    ok = overall.precision >= TARGET and overall.recall >= TARGET
    print(f"\noverall precision {overall.precision:.3f} recall {overall.recall:.3f}  (target >= {TARGET})")
    return ok


def report_layouts(rows: dict[str, tuple[int, int, int, int, int]]) -> None:
    print("\nleave-layout-out extraction (real-page expectations passed; known conflicts excluded)\n")
    print(f"{'outlet':14} {'pages':>5} {'checks':>6} {'all rules':>10} {'layout left out':>16} {'generic body':>13}")
    totals = [0, 0, 0, 0, 0]
    for outlet in sorted(rows):
        pages, full, left_out, total, generic = rows[outlet]
        totals = [a + b for a, b in zip(totals, rows[outlet])]
        print(f"{outlet:14} {pages:>5} {total:>6} {full / max(total, 1):>10.1%} {left_out / max(total, 1):>16.1%} {generic:>13}")
    pages, full, left_out, total, generic = totals
    print(f"{'ALL':14} {pages:>5} {total:>6} {full / max(total, 1):>10.1%} {left_out / max(total, 1):>16.1%} {generic:>13}")


def main(argv: list[str] | None = None) -> int:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("--root", type=Path, default=None, help="real-pages directory")
    arguments.add_argument("--outlet", action="append", help="only these fixture outlets (repeatable)")
    arguments.add_argument("--no-layouts", action="store_true", help="skip the leave-layout-out part")
    arguments.add_argument(
        "--crawl", action="store_true",
        help=f"also run the chain through scrapy crawl washpo for the {CRAWL_OUTLET} pages (about two minutes)",
    )
    options = arguments.parse_args(argv)
    root = options.root or fixture_root()
    outlets = options.outlet or outlet_names(root)
    try:
        pages = [page for outlet in outlets for page in outlet_cases(outlet, root)]
    except FileNotFoundError as exc:
        print(f"fidelity: {exc}", file=sys.stderr)
        return 1
    if not pages:
        print(f"fidelity: no real pages under {root} (set TRACKER_REAL_PAGES or --root)", file=sys.stderr)
        return 1
    ok = report(run_chains(pages), len(pages), "Recorder + SQLite, in process")
    if options.crawl:
        crawled = outlet_cases(CRAWL_OUTLET, root)
        ok = report(crawl_chains(crawled), len(crawled), "scrapy crawl washpo against a local server") and ok
    if not options.no_layouts:
        report_layouts(leave_layout_out(pages))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
