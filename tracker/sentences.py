"""Sentence tables: split versions into sentences and match the sentences of two versions.

NewsEdits-style (Spangher et al., NAACL 2022): each version is split into sentences, and the
sentences of two consecutive versions are matched with a lexical similarity and a threshold,
one-to-one for edits and many-to-one for merges and splits. Pure functions, no I/O, no model.

Matching, in order (each step only sees what the previous ones left unmatched):

1. **Exact**: sentences equal after :func:`tracker.normalize.hash_key` (whitespace, Unicode
   compatibility forms, quote and dash styles) are paired. The pairs on the longest common
   subsequence of the two sentence sequences (exact, or the diffs' bounded alignment when
   sentences repeat so much that the exact one would be costly) are ``unchanged``; the others
   crossed it, so they are ``moved``.
2. **Similar**: the remaining old and new sentences are compared with the diffs' sentence
   similarity (word-set Jaccard, with character trigrams for short texts that differ in a few
   words). Each old sentence is compared with at most ``pair_budget // unmatched_old`` unmatched
   new sentences, the ones nearest its expected position; a pair at least
   :data:`SIMILARITY_THRESHOLD` similar, or differing by one word only (replaced, added or
   removed, with at least two words kept), is a candidate ``edited`` pair.
3. **Split / merged**: one old sentence whose words are covered by two or more consecutive new
   sentences, each mostly (:data:`PART_CONTAINMENT`) made of its words, is a candidate ``split``
   when the parts taken together (the union of their words) are at least
   :data:`SIMILARITY_THRESHOLD` similar to it; ``merged`` is the mirror image.
4. Candidates are accepted greedily, most similar first (ties: fewer sentences, then lower
   indexes); a sentence takes part in one accepted match at most. So a split beats the edit of
   one of its parts only when the parts together are more similar than that part alone. What
   is left is ``added`` (new side) or ``deleted`` (old side).

The cost is bounded: the exact step is O(n log n) or the diffs' alignment (its own budget); step 2
evaluates at most ``pair_budget`` sentence pairs; past that the unpaired sentences are simply
added/deleted and :attr:`SentenceAlignment.truncated` is set. Nothing depends on hash order or
time, so the same input always gives the same rows.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

# The diffs' alignment, similarity and threshold, so that "edited" means the same thing in
# `tracker diff` and in the sentence tables.
from tracker.diff import (
    SENTENCE_SIMILARITY, TRIGRAM_MAX_WORD_DIFF, Budget, TextFeatures, align,
    longest_increasing_chain, split_sentences,
)
from tracker.normalize import hash_key

__all__ = [
    "OPERATIONS", "PAIR_BUDGET", "PART_CONTAINMENT", "SIMILARITY_THRESHOLD", "Sentence",
    "SentenceAlignment", "SentenceMatch", "align_sentences", "match_sentences", "pair_counts",
    "split_version",
]

OPERATIONS = ("unchanged", "edited", "added", "deleted", "moved", "merged", "split")

#: Lowest similarity (0..1) for two sentences to be "the same sentence, edited". It is the
#: threshold the diffs use (``tracker.diff``), on word-set Jaccard: 0.6 keeps a sentence of n
#: distinct words "edited" while at most n/4 of its words are replaced, and calls a rewrite
#: that keeps fewer than about 3 words in 4 added + deleted. Short sentences that differ in a few
#: words also get a character-trigram score (a typo fix stays an edit), and a one-word change
#: is always an edit when two words are kept (see _pair_score).
SIMILARITY_THRESHOLD: float = SENTENCE_SIMILARITY

#: Share of a part's words that must occur in the sentence it was split from (or merged into).
#: Parts of a split usually gain a few words ("It", "He said") and lose none of their own;
#: 0.6 admits one new word in a 3-word part. The "together more similar than any one part" rule
#: is what keeps an edit plus an unrelated short sentence from looking like a split.
PART_CONTAINMENT: float = 0.6

#: Sentence pairs compared per version pair in step 2 (as tracker.diff's pair budget).
PAIR_BUDGET: int = 30_000

_MAX_EQUAL_PAIRS = 100_000  # equal-sentence pairs for the exact longest common subsequence
_MIN_KEPT_WORDS = 2     # a one-word change is an edit when at least this many words stay
_MAX_PARTS = 5          # most sentences one sentence is split into / merged from
_DIGITS = 4             # similarity is rounded: stable, compact text exports
# Versions of an article share most of their paragraphs and sentences: the splits and exact-match
# keys of recent short texts are kept (longer texts are rare, and would make the cache large).
_CACHED_TEXTS = 8192
_CACHED_CHARS = 2000


@dataclass(frozen=True, slots=True)
class Sentence:
    paragraph_index: int   # index of the paragraph in the version's `paragraphs`
    sentence_index: int    # index of the sentence in the whole version, 0..n-1
    text: str


@dataclass(frozen=True, slots=True)
class SentenceMatch:
    index_old: int | None  # sentence_index in the old version; None for "added"
    index_new: int | None  # sentence_index in the new version; None for "deleted"
    operation: str         # one of OPERATIONS
    similarity: float      # 0..1: 1.0 for unchanged/moved, 0.0 for added/deleted


@dataclass(frozen=True, slots=True)
class SentenceAlignment:
    matches: list[SentenceMatch]
    evaluations: int       # sentence pairs compared in step 2 (<= the pair budget)
    truncated: bool        # the pair budget limited step 2: a partner may have been missed


def split_version(paragraphs: Sequence[str]) -> list[Sentence]:
    """The sentences of a version, numbered through the whole version.

    Uses :func:`tracker.diff.split_sentences` (the splitter of the diffs) on each paragraph;
    an empty paragraph has no sentence but keeps its index.
    """
    out: list[Sentence] = []
    for paragraph_index, paragraph in enumerate(paragraphs):
        for text in _sentences_of(paragraph):
            out.append(Sentence(paragraph_index, len(out), text))
    return out


@lru_cache(maxsize=_CACHED_TEXTS)
def _cached_sentences(paragraph: str) -> tuple[str, ...]:
    return tuple(split_sentences(paragraph))


@lru_cache(maxsize=_CACHED_TEXTS)
def _cached_key(sentence: str) -> str:
    return hash_key(sentence)


def _sentences_of(paragraph: str) -> Sequence[str]:
    return _cached_sentences(paragraph) if len(paragraph) <= _CACHED_CHARS else split_sentences(paragraph)


def _key_of(sentence: str) -> str:
    return _cached_key(sentence) if len(sentence) <= _CACHED_CHARS else hash_key(sentence)


def match_sentences(old: Sequence[Sentence], new: Sequence[Sentence]) -> list[SentenceMatch]:
    """Match the sentences of two versions; every sentence of either side is in a row.

    Row order: rows that have an old sentence by ``(index_old, index_new)`` (a deleted row is
    the only row of its old sentence); each ``added`` row comes right after the row of the
    nearest earlier new sentence that has an old partner and was not moved (consecutive added
    sentences in their own order; first when none precedes).
    A split old sentence has one ``split`` row per new part, a merged new sentence one
    ``merged`` row per old part; their similarity is that of the whole group.
    """
    return align_sentences(old, new).matches


def align_sentences(
    old: Sequence[Sentence], new: Sequence[Sentence], *, pair_budget: int = PAIR_BUDGET,
) -> SentenceAlignment:
    """:func:`match_sentences` with its cost: pairs compared and whether the budget cut in."""
    olds = [s.text for s in old]
    news = [s.text for s in new]
    unchanged, moved = _exact_pairs(olds, news)
    matched_old = {i for i, _ in unchanged} | {i for i, _ in moved}
    matched_new = {j for _, j in unchanged} | {j for _, j in moved}
    rest_old = [i for i in range(len(olds)) if i not in matched_old]
    rest_new = [j for j in range(len(news)) if j not in matched_new]

    scorer = _Scorer(olds, news)
    width = _window_width(len(rest_old), len(rest_new), pair_budget)
    for i in rest_old:
        for j in _window(rest_new, _expected_position(i, unchanged), width):
            scorer.compare(i, j)
    groups = _accept(_candidates(scorer))

    rows = [_row(i, j, "unchanged", 1.0, old, new) for i, j in unchanged]
    rows += [_row(i, j, "moved", 1.0, old, new) for i, j in moved]
    for operation, olds_in, news_in, similarity in groups:
        rows += [_row(i, j, operation, similarity, old, new) for i in olds_in for j in news_in]
    taken_old = matched_old | {i for _, g, _, _ in groups for i in g}
    taken_new = matched_new | {j for _, _, g, _ in groups for j in g}
    rows += [_row(i, None, "deleted", 0.0, old, new) for i in rest_old if i not in taken_old]
    rows += [_row(None, j, "added", 0.0, old, new) for j in rest_new if j not in taken_new]
    truncated = width < len(rest_new) and bool(rest_old)
    return SentenceAlignment(_in_row_order(rows), scorer.evaluations, truncated)


def pair_counts(matches: Sequence[SentenceMatch]) -> dict[str, int]:
    """How many sentences each operation touched, for the ``version_pairs`` table.

    ``unchanged``, ``edited``, ``moved``: pairs of sentences (one per row); ``added``: new
    sentences; ``deleted``: old sentences. ``split`` counts the old sentences that were split
    (one per group, not per part: "one sentence became three" counts 1) and ``merged`` the new
    sentences made by merging (one per group: "three became one" counts 1).
    """
    counts = dict.fromkeys(OPERATIONS, 0)
    split_old: set[int | None] = set()
    merged_new: set[int | None] = set()
    for match in matches:
        if match.operation == "split":
            split_old.add(match.index_old)
        elif match.operation == "merged":
            merged_new.add(match.index_new)
        else:
            counts[match.operation] += 1
    counts["split"], counts["merged"] = len(split_old), len(merged_new)
    return counts


# ---------------------------------------------------------------------------------------------
# Step 1: exact matches


def _exact_pairs(
    olds: Sequence[str], news: Sequence[str],
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(unchanged, moved) pairs of equal sentences, each sorted by old index."""
    okeys = [_key_of(s) for s in olds]
    nkeys = [_key_of(s) for s in news]
    in_order = _longest_common_chain(okeys, nkeys)
    # Equal sentences off the chain: the k-th leftover occurrence of a text in the old version
    # goes with its k-th leftover occurrence in the new one.
    chained_old = {i for i, _ in in_order}
    chained_new = {j for _, j in in_order}
    waiting: dict[str, list[int]] = defaultdict(list)
    for j, key in enumerate(nkeys):
        if j not in chained_new:
            waiting[key].append(j)
    moved: list[tuple[int, int]] = []
    taken: dict[str, int] = defaultdict(int)
    for i, key in enumerate(okeys):
        if i not in chained_old and taken[key] < len(waiting.get(key, ())):
            moved.append((i, waiting[key][taken[key]]))
            taken[key] += 1
    return in_order, moved


def _longest_common_chain(okeys: Sequence[str], nkeys: Sequence[str]) -> list[tuple[int, int]]:
    """A longest common subsequence of the two key lists, as (old, new) index pairs.

    Exact (Hunt-Szymanski: longest increasing chain of all equal pairs) while there are at most
    _MAX_EQUAL_PAIRS of them, which is any text without many repeated sentences; beyond that,
    the diffs' bounded alignment.
    """
    positions: dict[str, list[int]] = defaultdict(list)
    for j, key in enumerate(nkeys):
        positions[key].append(j)
    if sum(len(positions.get(key, ())) for key in okeys) > _MAX_EQUAL_PAIRS:
        return [(i1 + n, j1 + n) for tag, i1, i2, j1, _ in align(okeys, nkeys, Budget())
                if tag == "equal" for n in range(i2 - i1)]
    # Same old index: new indexes in decreasing order, so that one old sentence cannot chain
    # with itself.
    pairs = [(i, j) for i, key in enumerate(okeys) for j in reversed(positions.get(key, ()))]
    return longest_increasing_chain(pairs)


# ---------------------------------------------------------------------------------------------
# Step 2: bounded comparison of the remaining sentences


def _window_width(unmatched_old: int, unmatched_new: int, pair_budget: int) -> int:
    """New sentences each remaining old sentence is compared with (all of them if affordable)."""
    if not unmatched_old:
        return 0
    return min(unmatched_new, max(0, pair_budget) // unmatched_old)


def _expected_position(i: int, unchanged: Sequence[tuple[int, int]]) -> int:
    """Where old sentence i would be in the new version, by the nearest unchanged one before it."""
    k = bisect_right(unchanged, i, key=lambda pair: pair[0]) - 1
    if k < 0:
        return i
    anchor_old, anchor_new = unchanged[k]
    return anchor_new + (i - anchor_old)


def _window(candidates: Sequence[int], centre: int, width: int) -> Sequence[int]:
    """The `width` items of a sorted list nearest to `centre`."""
    if width <= 0:
        return ()
    start = bisect_left(candidates, centre) - width // 2
    start = max(0, min(start, len(candidates) - width))
    return candidates[start:start + width]


@dataclass(frozen=True, slots=True)
class _PairScore:
    similarity: float      # the diffs' sentence similarity
    edited: bool           # similar enough to be one sentence, edited
    new_in_old: float      # share of the new sentence's words found in the old one
    old_in_new: float      # share of the old sentence's words found in the new one


def _pair_score(features: TextFeatures, old: str, new: str) -> _PairScore | None:
    """One similarity evaluation (the unit the pair budget counts); None: the pair can't match."""
    wo, wn = features.words(old), features.words(new)
    inter = len(wo & wn)
    union = len(wo) + len(wn) - inter
    similarity = inter / union if union else 0.0
    if similarity < SIMILARITY_THRESHOLD and union - inter <= TRIGRAM_MAX_WORD_DIFF:
        # Near-misses of short sentences: the diffs' similarity adds character trigrams.
        similarity = features.similarity(old, new, SIMILARITY_THRESHOLD)
    # One word replaced, added or removed is an edit even where Jaccard says otherwise
    # ("The cat sat." -> "The dog sat." is 0.5), as long as two words are kept.
    one_word = inter >= _MIN_KEPT_WORDS and len(wo) - inter <= 1 and len(wn) - inter <= 1
    new_in_old = inter / len(wn) if wn else 0.0
    old_in_new = inter / len(wo) if wo else 0.0
    edited = similarity >= SIMILARITY_THRESHOLD or one_word
    if edited or new_in_old >= PART_CONTAINMENT or old_in_new >= PART_CONTAINMENT:
        return _PairScore(similarity, edited, new_in_old, old_in_new)
    return None


class _Scorer:
    """Compares sentence pairs, keeping the scores of the pairs that can match."""

    def __init__(self, olds: Sequence[str], news: Sequence[str]) -> None:
        self.olds, self.news = olds, news
        self.features = TextFeatures()
        self.scores: dict[tuple[int, int], _PairScore] = {}
        self.evaluations = 0

    def compare(self, i: int, j: int) -> None:
        self.evaluations += 1
        score = _pair_score(self.features, self.olds[i], self.news[j])
        if score is not None:
            self.scores[(i, j)] = score

    def group_similarity(self, one: str, parts: Iterable[str]) -> float:
        """Jaccard of a sentence's words with the words of several sentences together."""
        words = self.features.words(one)
        together = frozenset().union(*(self.features.words(p) for p in parts))
        union = len(words | together)
        return len(words & together) / union if union else 0.0


# ---------------------------------------------------------------------------------------------
# Steps 3 and 4: candidate groups, accepted greedily

# (operation, old indexes, new indexes, similarity)
_Group = tuple[str, tuple[int, ...], tuple[int, ...], float]


def _candidates(scorer: _Scorer) -> list[_Group]:
    """Edited pairs, and splits/merges of consecutive parts at least as similar as the threshold.

    A group is only worth more than one of its parts when it is more similar than that part
    alone; _accept's order (most similar first, then fewer sentences) enforces it.
    """
    groups: list[_Group] = [("edited", (i, ), (j, ), s.similarity)
                            for (i, j), s in scorer.scores.items() if s.edited]
    parts_of_old: dict[int, list[int]] = defaultdict(list)
    parts_of_new: dict[int, list[int]] = defaultdict(list)
    for (i, j), s in scorer.scores.items():
        if s.new_in_old >= PART_CONTAINMENT:
            parts_of_old[i].append(j)
        if s.old_in_new >= PART_CONTAINMENT:
            parts_of_new[j].append(i)
    for i, parts in parts_of_old.items():
        for run in _consecutive_runs(parts):
            similarity = scorer.group_similarity(scorer.olds[i], (scorer.news[j] for j in run))
            if similarity >= SIMILARITY_THRESHOLD:
                groups.append(("split", (i, ), run, similarity))
    for j, parts in parts_of_new.items():
        for run in _consecutive_runs(parts):
            similarity = scorer.group_similarity(scorer.news[j], (scorer.olds[i] for i in run))
            if similarity >= SIMILARITY_THRESHOLD:
                groups.append(("merged", run, (j, ), similarity))
    return groups


def _consecutive_runs(indexes: list[int]) -> list[tuple[int, ...]]:
    """Every stretch of 2.._MAX_PARTS consecutive integers among `indexes`."""
    ordered = sorted(indexes)
    runs: list[tuple[int, ...]] = []
    for start, first in enumerate(ordered):
        end = start + 1
        while (end < len(ordered) and end - start < _MAX_PARTS
               and ordered[end] == ordered[end - 1] + 1):
            end += 1
            runs.append(tuple(ordered[start:end]))
    return runs


def _accept(groups: list[_Group]) -> list[_Group]:
    """Most similar first; a sentence joins one group at most. Ties: smaller, then earlier."""
    groups.sort(key=lambda g: (-g[3], len(g[1]) + len(g[2]), g[1], g[2], g[0]))
    used_old: set[int] = set()
    used_new: set[int] = set()
    accepted: list[_Group] = []
    for group in groups:
        _, olds, news, _ = group
        if used_old.isdisjoint(olds) and used_new.isdisjoint(news):
            used_old.update(olds)
            used_new.update(news)
            accepted.append(group)
    return accepted


# ---------------------------------------------------------------------------------------------
# Rows


def _row(
    i: int | None, j: int | None, operation: str, similarity: float,
    old: Sequence[Sentence], new: Sequence[Sentence],
) -> SentenceMatch:
    # Positions in the input lists -> the sentences' own indexes (they are equal when the input
    # comes from split_version, but callers may pass any numbering).
    return SentenceMatch(
        None if i is None else old[i].sentence_index,
        None if j is None else new[j].sentence_index,
        operation, round(similarity, _DIGITS),
    )


def _in_row_order(rows: list[SentenceMatch]) -> list[SentenceMatch]:
    """Rows sorted as documented in match_sentences."""
    keyed: list[tuple[tuple[int, int, int], SentenceMatch]] = []
    # Sort key of the (last) row holding each new sentence that has an old partner and was
    # not moved (a moved sentence is out of place by definition: no anchor for its neighbours).
    anchors: dict[int, tuple[int, int, int]] = {}
    for row in rows:
        if row.index_old is not None:
            new_index = -1 if row.index_new is None else row.index_new
            key = (row.index_old, new_index, 0)
            keyed.append((key, row))
            if row.index_new is not None and row.operation != "moved":
                anchors[row.index_new] = max(key, anchors.get(row.index_new, key))
    anchor_order = sorted(anchors)
    for row in rows:
        if row.index_old is None and row.index_new is not None:
            # Right after the row of the nearest earlier new sentence that has an old partner
            # (moved ones excepted); added sentences after the same anchor keep their order.
            k = bisect_left(anchor_order, row.index_new) - 1
            old_index, new_index, _ = anchors[anchor_order[k]] if k >= 0 else (-1, -1, 0)
            keyed.append(((old_index, new_index, row.index_new + 1), row))
    keyed.sort(key=lambda pair: pair[0])
    return [row for _, row in keyed]
