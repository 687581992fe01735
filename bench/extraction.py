"""Extraction quality and speed over every saved real page, per outlet.

    python bench/extraction.py [--root DIR] [--repeat N]
    python bench/extraction.py --generic   # the generic path vs trafilatura, readability-lxml

Quality: 4-word shingle precision / recall / F1 of ``articleBody`` against ``body_text``
(macro average over the cases that have one), and for cases with only partial expectations
(must_contain, body_starts_with / body_ends_with, paragraphs_at) the recall of those snippets.
Speed: median milliseconds per page (best of ``--repeat`` runs per page), and that median
divided by the median cost of a bare ``lxml.html.document_fromstring`` on the same pages,
measured in the same process, so the ratio holds on a noisy machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path[:1]:
    sys.path.insert(0, str(PROJECT_ROOT))

import lxml.html  # noqa: E402

from tests.realpages import RealPage, fixture_root, outlet_cases, outlet_names  # noqa: E402
from tracker.extraction import extract_article  # noqa: E402
from tracker.textmetrics import shingle_scores, snippet_recall  # noqa: E402

TARGET_MEDIAN_MS = 25.0


@dataclass
class OutletStats:
    pages: int = 0
    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    f1: list[float] = field(default_factory=list)
    snippet_recall: list[float] = field(default_factory=list)
    extract_ms: list[float] = field(default_factory=list)
    parse_ms: list[float] = field(default_factory=list)
    extractors: Counter[str] = field(default_factory=Counter)

    def add(self, other: OutletStats) -> None:
        self.pages += other.pages
        for name in ("precision", "recall", "f1", "snippet_recall", "extract_ms", "parse_ms"):
            getattr(self, name).extend(getattr(other, name))
        self.extractors.update(other.extractors)


def best_ms(function: Callable[[], object], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return min(timings)


def snippets_of(expected: dict) -> list[str]:
    snippets = list(expected.get("must_contain", ()))
    snippets += [expected[key] for key in ("body_starts_with", "body_ends_with") if key in expected]
    captions = set(expected.get("caption_paragraphs", ()))
    snippets += [text for index, text in expected.get("paragraphs_at", {}).items() if index not in captions]
    return snippets


def measure(page: RealPage, repeat: int) -> OutletStats:
    stats = OutletStats(pages=1)
    html, url = page.html(), page.url
    article = extract_article(html, url)  # also warms imports and the parser registry
    stats.extractors[article["extractor"]] += 1
    stats.extract_ms.append(best_ms(lambda: extract_article(html, url), repeat))
    stats.parse_ms.append(best_ms(lambda: lxml.html.document_fromstring(html), repeat))
    expected = page.expected
    if "body_text" in expected:
        scores = shingle_scores(article["articleBody"], expected["body_text"])
        stats.precision.append(scores.precision)
        stats.recall.append(scores.recall)
        stats.f1.append(scores.f1)
    else:
        snippets = snippets_of(expected)
        if snippets:
            stats.snippet_recall.append(snippet_recall(article["articleBody"], snippets))
    return stats


def mean(values: list[float]) -> str:
    return f"{statistics.fmean(values):.3f}" if values else "  -  "


def row(name: str, stats: OutletStats) -> str:
    extract = statistics.median(stats.extract_ms) if stats.extract_ms else 0.0
    parse = statistics.median(stats.parse_ms) if stats.parse_ms else 0.0
    ratio = f"{extract / parse:5.1f}x" if parse else "   - "
    extractors = ", ".join(f"{name}:{count}" for name, count in stats.extractors.most_common())
    return (
        f"{name:<15} {stats.pages:>5} {len(stats.f1):>4} {mean(stats.precision):>6} {mean(stats.recall):>6} "
        f"{mean(stats.f1):>6} {len(stats.snippet_recall):>4} {mean(stats.snippet_recall):>6} "
        f"{extract:>8.1f} {parse:>8.1f} {ratio:>7}  {extractors}"
    )


def main(argv: list[str] | None = None) -> int:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("--root", type=Path, default=None, help="real-pages directory")
    arguments.add_argument("--repeat", type=int, default=3, help="runs per page (best is kept)")
    arguments.add_argument(
        "--generic", action="store_true",
        help="the generic path (outlet parsers off) vs trafilatura and readability-lxml (bench/generic_extraction.py)",
    )
    options = arguments.parse_args(argv)
    if options.generic:
        from bench.generic_extraction import main as compare_generic

        return compare_generic(options.root, max(1, options.repeat))
    root = options.root or fixture_root()
    outlets = outlet_names(root)
    if not outlets:
        print(f"no real pages under {root}", file=sys.stderr)
        return 1

    started = time.perf_counter()
    print(f"real pages: {root}")
    print(
        f"{'outlet':<15} {'pages':>5} {'text':>4} {'P':>6} {'R':>6} {'F1':>6} {'snip':>4} {'snipR':>6} "
        f"{'med ms':>8} {'parse ms':>8} {'ratio':>7}  extractors"
    )
    overall = OutletStats()
    for outlet in outlets:
        stats = OutletStats()
        for page in outlet_cases(outlet, root):
            stats.add(measure(page, max(1, options.repeat)))
        overall.add(stats)
        print(row(outlet, stats))
    print(row("ALL", overall))
    median_ms = statistics.median(overall.extract_ms)
    verdict = "ok" if median_ms <= TARGET_MEDIAN_MS else "OVER TARGET"
    print(
        f"\nmedian {median_ms:.1f} ms/page (target <= {TARGET_MEDIAN_MS:.0f} ms: {verdict}); "
        f"text = cases with body_text (P/R/F1 macro-averaged), snip = cases with only snippets "
        f"(snipR = their shingle recall); ran in {time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
