"""How close an extracted text is to an expected one: precision / recall / F1 on word shingles.

Texts are compared as multisets of overlapping 4-word sequences, case-folded, with punctuation
and white space ignored, so paragraph splitting and typography do not count but a missing or
extra sentence does. Used by the real-page tests and by ``bench/extraction.py``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from tracker.normalize import clean_text

SHINGLE_SIZE = 4
_WORD = re.compile(r"\w+")


class ShingleScores(NamedTuple):
    precision: float
    recall: float
    f1: float


def words(text: str) -> list[str]:
    return _WORD.findall(clean_text(text).casefold())


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Multiset of ``size``-word shingles; a text shorter than that is one shingle."""
    tokens = words(text)
    if len(tokens) < size:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def shingle_scores(extracted: str, expected: str, size: int = SHINGLE_SIZE) -> ShingleScores:
    """Precision (how much of ``extracted`` is expected), recall (how much of ``expected`` was
    found) and their F1. Two empty texts agree perfectly; one empty text scores 0."""
    got, want = shingles(extracted, size), shingles(expected, size)
    if not got and not want:
        return ShingleScores(1.0, 1.0, 1.0)
    common = sum((got & want).values())
    precision = common / sum(got.values()) if got else 0.0
    recall = common / sum(want.values()) if want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return ShingleScores(precision, recall, f1)


def snippet_recall(extracted: str, snippets: Iterable[str], size: int = SHINGLE_SIZE) -> float:
    """Share of the snippets' shingles found in ``extracted`` (for partial expectations such as
    must_contain / body_starts_with, where precision cannot be measured). Snippets often
    repeat each other (a first paragraph is also the expected start), so a shingle counts as
    many times as the snippet that has it most, not once per snippet."""
    got = shingles(extracted, size)
    want: Counter[tuple[str, ...]] = Counter()
    for snippet in snippets:
        want |= shingles(snippet, size)
    if not want:
        return 1.0
    return sum((got & want).values()) / sum(want.values())
