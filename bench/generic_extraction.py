"""The generic extraction path against trafilatura and readability-lxml, on the same pages.

    python bench/extraction.py --generic [--root DIR] [--repeat N]

The generic path is ``extract_article`` with the outlet parsers switched off (what a configured
outlet without selectors gets, and every built-in outlet's fallback). Quality: 4-word shingle
precision / recall / F1 of the body against ``body_text`` (macro average over the cases that
have one). Speed: median milliseconds per page (best of ``--repeat`` runs), every extractor
timed on every page in the same process, so the comparison holds on a noisy machine.
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import lxml.html
from readability import Document

from bench.extraction import best_ms
from tests.realpages import RealPage, fixture_root, outlet_cases, outlet_names
from tracker.extraction import extract_article
from tracker.parsers import text_blocks
from tracker.textmetrics import shingle_scores

try:  # a bench-only dependency (requirements-dev.txt)
    import trafilatura
except ImportError:  # pragma: no cover - reported below
    trafilatura = None


@contextlib.contextmanager
def outlet_parsers_off() -> Iterator[None]:
    """extract_article as on a site without an outlet parser."""
    with mock.patch("tracker.extraction.parser_for_url", return_value=None):
        yield


def generic_body(html: str, url: str) -> str:
    return extract_article(html, url)["articleBody"]


def trafilatura_body(html: str, url: str) -> str:
    return trafilatura.extract(html, url=url, include_comments=False) or ""


def readability_body(html: str, url: str) -> str:
    summary = Document(html).summary(html_partial=True)
    return "\n\n".join(text_blocks(lxml.html.fromstring(summary))) if summary.strip() else ""


EXTRACTORS: dict[str, Callable[[str, str], str]] = {
    "generic": generic_body,
    "trafilatura": trafilatura_body,
    "readability": readability_body,
}


@dataclass
class Scores:
    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    f1: list[float] = field(default_factory=list)
    ms: list[float] = field(default_factory=list)

    def add(self, other: Scores) -> None:
        for name in ("precision", "recall", "f1", "ms"):
            getattr(self, name).extend(getattr(other, name))

    def cells(self) -> str:
        def mean(values: list[float]) -> str:
            return f"{statistics.fmean(values):.3f}" if values else "  -  "

        median = statistics.median(self.ms) if self.ms else 0.0
        return f"{mean(self.precision):>6} {mean(self.recall):>6} {mean(self.f1):>6} {median:>7.1f}"


def measure(page: RealPage, extract: Callable[[str, str], str], repeat: int) -> Scores:
    html, url = page.html(), page.url
    scores = Scores()
    body = extract(html, url)  # also warms imports
    scores.ms.append(best_ms(lambda: extract(html, url), repeat))
    if "body_text" in page.expected:
        measured = shingle_scores(body, page.expected["body_text"])
        scores.precision.append(measured.precision)
        scores.recall.append(measured.recall)
        scores.f1.append(measured.f1)
    return scores


def main(root: Path | None, repeat: int) -> int:
    if trafilatura is None:
        print("trafilatura is not installed (pip install -r requirements-dev.txt)", file=sys.stderr)
        return 1
    root = root or fixture_root()
    outlets = outlet_names(root)
    if not outlets:
        print(f"no real pages under {root}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    print(f"real pages: {root}; outlet parsers off; trafilatura {trafilatura.__version__}")
    header = "".join(f" | {name:^29}" for name in EXTRACTORS)
    print(f"{'outlet':<15} {'pages':>5} {'text':>4}{header}")
    print(f"{'':<15} {'':>5} {'':>4}" + " | {:>6} {:>6} {:>6} {:>7}".format("P", "R", "F1", "med ms") * len(EXTRACTORS))
    overall = {name: Scores() for name in EXTRACTORS}
    with outlet_parsers_off():
        for outlet in outlets:
            pages = outlet_cases(outlet, root)
            per_outlet = {name: Scores() for name in EXTRACTORS}
            for page in pages:
                for name, extract in EXTRACTORS.items():
                    per_outlet[name].add(measure(page, extract, max(1, repeat)))
            texts = len(per_outlet["generic"].f1)
            print(f"{outlet:<15} {len(pages):>5} {texts:>4}" + "".join(f" | {per_outlet[n].cells()}" for n in EXTRACTORS))
            for name in EXTRACTORS:
                overall[name].add(per_outlet[name])
    pages_total = len(overall["generic"].ms)
    print(f"{'ALL':<15} {pages_total:>5} {len(overall['generic'].f1):>4}" + "".join(f" | {overall[n].cells()}" for n in EXTRACTORS))
    print(
        f"\nP/R/F1: 4-word shingles against body_text, macro-averaged over the cases that have one; "
        f"med ms: median per page over all pages (best of {repeat}); ran in {time.perf_counter() - started:.1f} s"
    )
    return 0
