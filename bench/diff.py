"""Benchmark for tracker.diff.diff_versions.  Run: ``python bench/diff.py``

For each synthetic case, prints the best-of-N wall time of diff_versions and its ratio to a
baseline measured in the same process: the unavoidable cost of reading the input (splitting
both versions into words and hashing every word). The ratio is what to compare across
machines; the milliseconds depend on the machine.
"""

from __future__ import annotations

import platform
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

# Run as a script from anywhere: make the project root importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tracker.diff import diff_versions, diff_words  # noqa: E402

RUNS = 5
BASELINE_RUNS = 20

_rng = random.Random(2024)
VOCAB = ["".join(_rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(_rng.randint(2, 9)))
         for _ in range(5000)]


def paragraph(rng: random.Random, words: int, sentence_len: int = 12) -> str:
    out = []
    for k in range(words):
        w = rng.choice(VOCAB)
        if k % sentence_len == 0:
            w = w.capitalize()
        if k % sentence_len == sentence_len - 1 or k == words - 1:
            w += "."
        out.append(w)
    return " ".join(out)


def change_words(text: str, positions: Sequence[int], rng: random.Random) -> str:
    # Keep a word's trailing period so that sentence boundaries survive the edit.
    words = text.split(" ")
    for pos in positions:
        if pos < len(words):
            words[pos] = rng.choice(VOCAB) + ("." if words[pos].endswith(".") else "")
    return " ".join(words)


def article(rng: random.Random, words: int, per_paragraph: int = 50) -> list[str]:
    return [paragraph(rng, per_paragraph) for _ in range(words // per_paragraph)]


def every_paragraph_edited(words: int) -> tuple[list[str], list[str]]:
    rng = random.Random(words)
    old = article(rng, words)
    return old, [change_words(p, [rng.randrange(50)], rng) for p in old]


def heavily_edited(words: int) -> tuple[list[str], list[str]]:
    rng = random.Random(words + 1)
    old = article(rng, words)
    new: list[str] = []
    for n, p in enumerate(old):
        if n % 25 == 3:
            new.append(paragraph(rng, 40))                     # inserted paragraph
        if n % 25 == 11:
            continue                                           # deleted paragraph
        new.append(change_words(p, rng.sample(range(50), 5), rng))
    return old, new


def cases() -> list[tuple[str, Sequence[str], Sequence[str]]]:
    rng = random.Random(7)
    out: list[tuple[str, Sequence[str], Sequence[str]]] = []
    for words in (1_000, 5_000, 20_000):
        old, new = every_paragraph_edited(words)
        out.append((f"{words // 1000}k words, every paragraph edited", old, new))
    old, new = heavily_edited(20_000)
    out.append(("20k words, 5 words/para + ins/del", old, new))
    old = article(rng, 20_000)
    out.append(("20k words, identical", old, list(old)))
    big = paragraph(rng, 20_000)
    out.append(("1 para of 20k words vs different", [big], [paragraph(rng, 20_000)]))
    out.append(("1 para of 20k words, 100 edits",
                [big], [change_words(big, range(100, 20_000, 200), rng)]))
    out.append(("5000 tiny paras vs 5000 others",
                [paragraph(rng, 3) for _ in range(5000)], [paragraph(rng, 3) for _ in range(5000)]))
    out.append(("5000 identical paras, 1 changed",
                ["Same paragraph."] * 5000,
                ["Same paragraph."] * 2500 + ["Other one."] + ["Same paragraph."] * 2499))
    out.append(("5000 repeated paras, shifted by one",
                ["Alpha paragraph.", "Bravo paragraph."] * 2500,
                ["Bravo paragraph.", "Alpha paragraph."] * 2500))
    tiny = [paragraph(rng, 3) for _ in range(3000)]
    out.append(("3000 paras, one inserted after each",
                tiny, [p for q in tiny for p in (q, paragraph(rng, 3))]))
    out.append(("empty -> 20k words", [], old))
    return out


def best_of(runs: int, fn: Callable[[], Any]) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def read_input(old: Sequence[str], new: Sequence[str]) -> int:
    """Baseline: the unavoidable cost of reading both versions word by word."""
    h = 0
    for text in (*old, *new):
        for word in text.split():
            h ^= hash(word)
    return h


def main() -> None:
    print(f"tracker.diff benchmark, Python {platform.python_version()}, best of {RUNS} runs")
    print(f"{'case':40s} {'words':>13s} {'diff ms':>9s} {'base ms':>8s} {'ratio':>7s}  truncated")
    started = time.perf_counter()
    for name, old, new in cases():
        words = f"{sum(len(p.split()) for p in old)}/{sum(len(p.split()) for p in new)}"
        result = diff_versions(old, new)
        elapsed = best_of(RUNS, lambda: diff_versions(old, new))
        base = best_of(BASELINE_RUNS, lambda: read_input(old, new))
        print(f"{name:40s} {words:>13s} {elapsed * 1000:9.1f} {base * 1000:8.2f} "
              f"{elapsed / base:7.1f}x  {result['truncated']}")

    # diff_words alone on inputs that defeat SequenceMatcher's heuristics.
    a = " ".join(["a"] * 20_000)
    b = " ".join(["a", "b"] * 10_000)
    elapsed = best_of(RUNS, lambda: diff_words(a, b))
    base = best_of(BASELINE_RUNS, lambda: read_input([a], [b]))
    print(f"{'diff_words: a*20k vs (a b)*10k':40s} {'20000/20000':>13s} {elapsed * 1000:9.1f} "
          f"{base * 1000:8.2f} {elapsed / base:7.1f}x")
    print(f"total benchmark time {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
