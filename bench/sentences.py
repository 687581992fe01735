"""Benchmark for tracker.sentences.match_sentences.  Run: ``python bench/sentences.py``

Same synthetic cases as ``bench/diff.py``. For each, prints the best-of-N wall time of splitting
both versions (split_version) and of matching their sentences (match_sentences), the similarity
evaluations spent (bounded by PAIR_BUDGET) and the ratio of split + match to a baseline measured
in the same process: the unavoidable cost of reading the input (bench/diff.py's read_input).
"""

from __future__ import annotations

import platform
import sys
import time
from pathlib import Path

# Run as a script from anywhere: make the project root importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.diff import BASELINE_RUNS, best_of, cases, read_input  # noqa: E402
from tracker.sentences import PAIR_BUDGET, align_sentences, split_version  # noqa: E402

RUNS = 3


def main() -> None:
    print(f"tracker.sentences benchmark, Python {platform.python_version()}, best of {RUNS} runs,"
          f" pair budget {PAIR_BUDGET}")
    print(f"{'case':40s} {'sentences':>11s} {'split ms':>9s} {'match ms':>9s} {'base ms':>8s}"
          f" {'ratio':>7s} {'evals':>6s}  truncated")
    started = time.perf_counter()
    for name, old, new in cases():
        olds, news = split_version(old), split_version(new)
        result = align_sentences(olds, news)
        split = best_of(RUNS, lambda: (split_version(old), split_version(new)))
        match = best_of(RUNS, lambda: align_sentences(olds, news))
        base = best_of(BASELINE_RUNS, lambda: read_input(old, new))
        print(f"{name:40s} {f'{len(olds)}/{len(news)}':>11s} {split * 1000:9.1f} "
              f"{match * 1000:9.1f} {base * 1000:8.2f} {(split + match) / base:7.1f}x "
              f"{result.evaluations:6d}  {result.truncated}")
    print(f"total benchmark time {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
