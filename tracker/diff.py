"""Diffs between two versions of an article body.

Style of web-monitoring-diff: pure ``(old, new) -> result`` functions with bounded cost,
results made of plain lists/dicts/str/int/bool so they can be stored as JSON.

Input is the article body as a list of paragraphs (already whitespace-cleaned).

Cost control, in short (a bound that may have simplified the result sets ``"truncated"``):

* Alignment (paragraphs, sentences, word tokens) trims the common prefix/suffix, then runs
  ``difflib.SequenceMatcher`` only on stretches of at most ``_SM_MAX_PRODUCT`` = len(a)*len(b);
  longer stretches are first cut at elements that occur exactly once on both sides (the
  "patience diff" anchors, O(n log n)) or, lacking those, at equal elements near the
  diagonal; what still can't be aligned becomes one delete+insert block. SequenceMatcher
  goes quadratic or worse on long inputs and on very repeated elements, hence the caps.
* Pairing of edited paragraphs/sentences inside a changed block compares only pairs near
  the diagonal of the block once the block is large, then the leftovers with each other
  (``_PAIR_BUDGET`` evaluations per diff).
* A global work budget (``_WORK_BUDGET``) caps the total SequenceMatcher work of one diff.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Hashable, Sequence
from difflib import SequenceMatcher
from typing import Any

__all__ = [
    "SENTENCE_SIMILARITY", "TRIGRAM_MAX_WORD_DIFF", "Budget", "Opcode", "TextFeatures", "align",
    "diff_field", "diff_versions", "diff_words", "format_diff", "longest_increasing_chain",
    "split_sentences",
]

# ---------------------------------------------------------------------------------------------
# Tunables. Numbers were chosen with bench/diff.py on a 2-core machine.

_SM_MAX_PRODUCT = 40_000    # largest len(a)*len(b) given to one SequenceMatcher run
_SM_MAX_POPULAR = 10_000    # max sum(count_a[k]*count_b[k]): find_longest_match's scan cost
_MAX_ANCHOR_DEPTH = 8       # recursion depth of the unique-anchor splitting
_WORK_BUDGET = 2_000_000    # total SequenceMatcher work (sum of len(a)*len(b)) per diff
_PAIR_BUDGET = 30_000       # similarity evaluations per diff (paragraph + sentence pairing)
_PAIR_MIN_HALF_WIDTH = 8    # band half-width always allowed around the block diagonal
_TRIGRAM_MAX_CHARS = 600    # character trigrams only for short texts (bounded cost)
_PARA_SIM = 0.5             # paragraphs at least this similar are "the same paragraph, edited"

# Public: tracker.sentences matches sentences with the same similarity and threshold, so that
# "edited" means the same thing in `tracker diff` and in the sentence tables.

#: Character trigrams only for texts that differ in at most this many words.
TRIGRAM_MAX_WORD_DIFF: int = 4
#: Sentences at least this similar are "the same sentence, edited" rather than added + deleted.
SENTENCE_SIMILARITY: float = 0.6

#: ``(tag, i1, i2, j1, j2)`` as difflib's opcodes: a[i1:i2] -> b[j1:j2], tag in
#: ``equal``, ``replace``, ``delete``, ``insert``.
Opcode = tuple[str, int, int, int, int]

# ---------------------------------------------------------------------------------------------
# Tokenisation

# CJK ideographs and kana: no spaces between words, so each character is its own token
# (otherwise a whole Chinese sentence would be one "word" and every edit a full replace).
_CJK = (
    "\u2e80-\u2fff\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
)
_MARKS = "\u0300-\u036f\u200c\u200d"
# A unit is a word (or CJK char, or one punctuation/symbol cluster) plus the whitespace after
# it. Folding whitespace into the preceding token halves the token count and removes the
# single most repeated token (" "), which is what makes SequenceMatcher slow. Every character
# is matched by one branch, so "".join(units) == text always holds.
_UNIT_RE = re.compile(
    rf"[{_CJK}]\s*"
    rf"|(?:[^\W{_CJK}]|[{_MARKS}])+\s*"
    r"|\S(?:[\u0300-\u036f\ufe0e\ufe0f\u20e3\U0001f3fb-\U0001f3ff]|\u200d\S)*\s*"
    r"|\s+"
)
_WORD_RE = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")
_CJK_CHAR_RE = re.compile(rf"[{_CJK}]")


def _units(text: str) -> list[str]:
    return _UNIT_RE.findall(text)


def _count_words(text: str) -> int:
    return len(_WORD_RE.findall(text))


def _norm(paragraph: str) -> str:
    # Whitespace-only differences are not content changes.
    return " ".join(paragraph.split())


# ---------------------------------------------------------------------------------------------
# Budget shared by all steps of one diff


class Budget:
    """The cost allowance of one diff, shared by all its steps and used up as they run.

    ``work``: SequenceMatcher work left (sum of len(a)*len(b)); ``pairs``: similarity
    evaluations left for pairing; ``truncated``: set once a bound simplified the result.
    """

    __slots__ = ("work", "pairs", "truncated")

    def __init__(self) -> None:
        # Read at call time, so tests can shrink the module-level budgets.
        self.work = _WORK_BUDGET
        self.pairs = _PAIR_BUDGET
        self.truncated = False


# ---------------------------------------------------------------------------------------------
# Sequence alignment


def align(a: Sequence[Hashable], b: Sequence[Hashable], budget: Budget) -> list[Opcode]:
    """SequenceMatcher-style opcodes for a -> b, with bounded cost.

    Adjacent opcodes are merged (one opcode per change block); ``budget`` is used up and its
    ``truncated`` set when a bound made the alignment coarser than the optimal one.
    """
    out: list[Opcode] = []
    _align_range(a, b, 0, len(a), 0, len(b), budget, 0, out)
    return _merge_opcodes(out)


def _align_range(
    a: Sequence[Hashable], b: Sequence[Hashable],
    alo: int, ahi: int, blo: int, bhi: int,
    budget: Budget, depth: int, out: list[Opcode],
) -> None:
    # Common prefix/suffix: O(n) and covers the usual "small edit in a long text" case.
    n = 0
    while alo + n < ahi and blo + n < bhi and a[alo + n] == b[blo + n]:
        n += 1
    if n:
        out.append(("equal", alo, alo + n, blo, blo + n))
        alo, blo = alo + n, blo + n
    s = 0
    while ahi - s > alo and bhi - s > blo and a[ahi - s - 1] == b[bhi - s - 1]:
        s += 1
    ahi, bhi = ahi - s, bhi - s

    _align_middle(a, b, alo, ahi, blo, bhi, budget, depth, out)
    if s:
        out.append(("equal", ahi, ahi + s, bhi, bhi + s))


def _align_middle(
    a: Sequence[Hashable], b: Sequence[Hashable],
    alo: int, ahi: int, blo: int, bhi: int,
    budget: Budget, depth: int, out: list[Opcode],
) -> None:
    la, lb = ahi - alo, bhi - blo
    if not la or not lb:
        if la or lb:
            out.append(("delete" if la else "insert", alo, ahi, blo, bhi))
        return
    ca = Counter(a[alo:ahi])
    cb = Counter(b[blo:bhi])
    common = [k for k in ca if k in cb]
    if not common:
        out.append(("replace", alo, ahi, blo, bhi))
        return

    product = la * lb
    if product <= _SM_MAX_PRODUCT and product <= budget.work:
        budget.work -= product
        popular = sum(ca[k] * cb[k] for k in common)
        junk: set[Hashable] = set()
        if popular > _SM_MAX_POPULAR:
            # Very repeated elements make find_longest_match scan long lists; treat the worst
            # offenders as junk (they can still extend a match, just not start one).
            for k in sorted(common, key=lambda k: ca[k] * cb[k], reverse=True):
                junk.add(k)
                popular -= ca[k] * cb[k]
                if popular <= _SM_MAX_POPULAR:
                    break
            budget.truncated = True
        sm = SequenceMatcher(junk.__contains__ if junk else None,
                             a[alo:ahi], b[blo:bhi], autojunk=False)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            out.append((tag, i1 + alo, i2 + alo, j1 + blo, j2 + blo))
        return

    # Too big (or out of budget) for SequenceMatcher: cut at unique common elements; with
    # none (e.g. many repeated paragraphs), at equal elements near the block's diagonal.
    anchors: list[tuple[int, int]] = []
    if depth < _MAX_ANCHOR_DEPTH:
        anchors = _unique_anchors(a, b, alo, ahi, blo, bhi, ca, cb)
        if not anchors:
            budget.truncated = True
            anchors = _band_anchors(a, b, alo, ahi, blo, bhi)
    if not anchors:
        budget.truncated = True
        out.append(("replace", alo, ahi, blo, bhi))
        return
    pi, pj = alo, blo
    for i, j in anchors:
        _align_range(a, b, pi, i, pj, j, budget, depth + 1, out)
        out.append(("equal", i, i + 1, j, j + 1))
        pi, pj = i + 1, j + 1
    _align_range(a, b, pi, ahi, pj, bhi, budget, depth + 1, out)


def _unique_anchors(
    a: Sequence[Hashable], b: Sequence[Hashable],
    alo: int, ahi: int, blo: int, bhi: int,
    ca: Counter[Hashable], cb: Counter[Hashable],
) -> list[tuple[int, int]]:
    """Longest increasing chain of elements unique on both sides (patience diff)."""
    bpos = {b[j]: j for j in range(blo, bhi) if cb[b[j]] == 1 and ca.get(b[j]) == 1}
    return longest_increasing_chain([(i, bpos[a[i]]) for i in range(alo, ahi) if a[i] in bpos])


def longest_increasing_chain(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest subsequence with strictly increasing j of (i, j) pairs sorted by i (O(u log u)).

    Pairs sharing an i must come in decreasing j order if at most one of them may be chosen.
    """
    if not pairs:
        return []
    tails: list[int] = []       # smallest j ending a chain of each length
    tail_idx: list[int] = []    # index into pairs of that chain end
    prev: list[int] = [-1] * len(pairs)
    for n, (_, j) in enumerate(pairs):
        k = bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_idx.append(n)
        else:
            tails[k] = j
            tail_idx[k] = n
        prev[n] = tail_idx[k - 1] if k else -1
    chain: list[tuple[int, int]] = []
    n = tail_idx[-1]
    while n >= 0:
        chain.append(pairs[n])
        n = prev[n]
    chain.reverse()
    return chain


def _band_anchors(
    a: Sequence[Hashable], b: Sequence[Hashable], alo: int, ahi: int, blo: int, bhi: int,
) -> list[tuple[int, int]]:
    """Longest chain of equal elements, each a[i] matched to its equal b[j] nearest the diagonal.

    A heuristic for long stretches without unique elements; one candidate per i keeps it
    O(n log n).
    """
    la, lb = ahi - alo, bhi - blo
    positions: dict[Hashable, list[int]] = {}
    for j in range(blo, bhi):
        positions.setdefault(b[j], []).append(j - blo)
    half = _PAIR_MIN_HALF_WIDTH + abs(la - lb)
    cands: list[tuple[int, int]] = []
    for i in range(la):
        js = positions.get(a[alo + i])
        if not js:
            continue
        centre = (i + 0.5) * lb / la
        k = bisect_left(js, centre)
        best = js[k] if k < len(js) else js[-1]
        if k and centre - js[k - 1] < abs(best - centre):
            best = js[k - 1]
        if abs(best - centre) <= half:
            cands.append((alo + i, blo + best))
    return longest_increasing_chain(cands)


def _merge_opcodes(ops: list[Opcode]) -> list[Opcode]:
    """Merge adjacent opcodes so that each change block is one maximal opcode."""
    merged: list[Opcode] = []
    for tag, i1, i2, j1, j2 in ops:
        if i1 == i2 and j1 == j2:
            continue
        if merged and (tag == "equal") == (merged[-1][0] == "equal"):
            _, i1, _, j1, _ = merged.pop()      # contiguous: extend the previous run
        if tag != "equal":
            tag = _change_tag(i1, i2, j1, j2)
        merged.append((tag, i1, i2, j1, j2))
    return merged


def _change_tag(i1: int, i2: int, j1: int, j2: int) -> str:
    if i1 == i2:
        return "insert"
    if j1 == j2:
        return "delete"
    return "replace"


# ---------------------------------------------------------------------------------------------
# Similarity and pairing of edited items inside a changed block


class TextFeatures:
    """The diffs' similarity of two texts, with per-text caches of its word sets and trigrams.

    A text compared with several candidates is tokenised once.
    """

    def __init__(self) -> None:
        self._words: dict[str, frozenset[str]] = {}
        self._grams: dict[str, frozenset[str]] = {}

    def words(self, text: str) -> frozenset[str]:
        """The case-folded words of `text` (each CJK character is a word)."""
        w = self._words.get(text)
        if w is None:
            w = self._words[text] = frozenset(_WORD_RE.findall(text.casefold()))
        return w

    def grams(self, text: str) -> frozenset[str]:
        """The case-folded character trigrams of `text`, whitespace normalised."""
        g = self._grams.get(text)
        if g is None:
            t = f" {_norm(text).casefold()} "
            g = self._grams[text] = frozenset(t[i:i + 3] for i in range(len(t) - 2))
        return g

    def similarity(self, x: str, y: str, threshold: float) -> float:
        """Similarity 0..1: word-set Jaccard, or character-trigram Dice if that is higher.

        Trigrams only for near-misses below `threshold`: short texts (a typo fix) that differ
        in at most TRIGRAM_MAX_WORD_DIFF words.
        """
        wx, wy = self.words(x), self.words(y)
        inter = len(wx & wy)
        union = len(wx) + len(wy) - inter
        jac = inter / union if union else (1.0 if _norm(x) == _norm(y) else 0.0)
        if (jac >= threshold or union - inter > TRIGRAM_MAX_WORD_DIFF
                or len(x) > _TRIGRAM_MAX_CHARS or len(y) > _TRIGRAM_MAX_CHARS):
            return jac
        # Short texts differing in a few words: one typo ("Smtih") ruins word overlap,
        # character trigrams survive it.
        gx, gy = self.grams(x), self.grams(y)
        total = len(gx) + len(gy)
        dice = 2 * len(gx & gy) / total if total else 0.0
        return max(jac, dice)


def _pair(
    olds: Sequence[str], news: Sequence[str], threshold: float,
    budget: Budget, feats: TextFeatures,
) -> list[tuple[int, int]]:
    """Order-preserving pairs (i, j) of similar items, maximising total similarity.

    Large blocks are examined only in a band around the diagonal, then the items left
    unpaired are compared with each other; budget.truncated is set when that last step is
    too expensive (a partner may then have been missed).
    """
    k, m = len(olds), len(news)
    if not k or not m:
        return []
    short, long_ = min(k, m), max(k, m)
    if k * m <= budget.pairs:
        width = long_                       # every pair
    else:
        # A band around the block's diagonal, wide enough for the length difference if the
        # budget allows; at least the diagonal itself so cost stays linear when exhausted.
        width = min(long_, max(1, budget.pairs // short),
                    2 * (_PAIR_MIN_HALF_WIDTH + long_ - short) + 1)
    banded = width < long_
    budget.pairs = max(0, budget.pairs - short * width)

    # Word sets once per item; the inner loop is the hot spot, so Jaccard is inlined and the
    # costlier trigram similarity only runs for near-misses (see TextFeatures.similarity).
    ow = [feats.words(x) for x in olds]
    nw = [feats.words(y) for y in news]
    cands: list[tuple[int, int, float]] = []
    for s in range(short):
        centre = (s + 0.5) * long_ / short
        lo = max(0, min(long_ - width, int(centre - width / 2)))
        for t in range(lo, lo + width):
            i, j = (s, t) if k <= m else (t, s)
            wx, wy = ow[i], nw[j]
            inter = len(wx & wy)
            union = len(wx) + len(wy) - inter
            if union and inter / union >= threshold:
                cands.append((i, j, inter / union))
            elif union - inter <= TRIGRAM_MAX_WORD_DIFF:
                sim = feats.similarity(olds[i], news[j], threshold)
                if sim >= threshold:
                    cands.append((i, j, sim))

    chain = _heaviest_chain(cands, m)
    if banded and len(chain) < short:
        # Items left unpaired (inserted/deleted ones, or partners outside the band): compare
        # them all against each other if affordable, so a far-away edit is still found.
        paired_o = {i for i, _ in chain}
        paired_n = {j for _, j in chain}
        rest_o = [i for i in range(k) if i not in paired_o]
        rest_n = [j for j in range(m) if j not in paired_n]
        if len(rest_o) * len(rest_n) > budget.pairs:
            budget.truncated = True
            return chain
        budget.pairs -= len(rest_o) * len(rest_n)
        extra = [(i, j, sim) for i in rest_o for j in rest_n
                 if (sim := feats.similarity(olds[i], news[j], threshold)) >= threshold]
        if extra:
            chain = _heaviest_chain(cands + extra, m)
    return chain


def _heaviest_chain(cands: list[tuple[int, int, float]], m: int) -> list[tuple[int, int]]:
    """Max-weight chain with strictly increasing i and j (weighted LIS, Fenwick tree)."""
    if not cands:
        return []
    cands.sort(key=lambda c: (c[0], -c[1]))   # same i: larger j first, so they cannot chain
    tree_val = [0.0] * (m + 1)
    tree_idx = [-1] * (m + 1)
    prev = [-1] * len(cands)
    total = [0.0] * len(cands)
    for n, (_, j, sim) in enumerate(cands):
        best, best_idx = 0.0, -1
        p = j                                  # query prefix [0, j) -> Fenwick positions 1..j
        while p > 0:
            if tree_val[p] > best:
                best, best_idx = tree_val[p], tree_idx[p]
            p -= p & -p
        total[n] = best + sim
        prev[n] = best_idx
        p = j + 1
        while p <= m:
            if total[n] > tree_val[p]:
                tree_val[p], tree_idx[p] = total[n], n
            p += p & -p
    n = max(range(len(cands)), key=total.__getitem__)
    chain: list[tuple[int, int]] = []
    while n >= 0:
        chain.append((cands[n][0], cands[n][1]))
        n = prev[n]
    chain.reverse()
    return chain


# ---------------------------------------------------------------------------------------------
# Word diff


def diff_field(old: str | None, new: str) -> dict[str, Any]:
    """A changed one-line field (headline, standfirst, byline): both texts and the word diff.

    ``old`` None means the earlier version did not record the field; the diff then shows
    the whole new text as added.
    """
    return {"old": old, "new": new, "words": diff_words(old or "", new)}


def diff_words(old: str, new: str) -> list[list[str]]:
    """Word-level ops ``[op, text]``, op in ``=``, ``-``, ``+``.

    Joining the ``=`` and ``-`` texts gives back ``old``, joining ``=`` and ``+`` gives
    ``new``. Adjacent ops of the same kind are merged.
    """
    return _word_diff(old, new, Budget())


def _word_diff(old: str, new: str, budget: Budget) -> list[list[str]]:
    # Trim the shared start/end as whole words first: tokenising is the dominant cost for
    # the common "one word changed in a long paragraph" case, and this is O(n) in C.
    p = _common_prefix_len(old, new)
    while p and not (_is_cut(old, p) and _is_cut(new, p)):
        p -= 1
    limit = min(len(old), len(new)) - p
    q = _common_prefix_len(old[::-1], new[::-1], limit)
    while q and not (_is_cut(old, len(old) - q) and _is_cut(new, len(new) - q)):
        q -= 1
    a, b = _units(old[p:len(old) - q]), _units(new[p:len(new) - q])
    raw: list[list[str]] = [["=", old[:p]]]
    for tag, i1, i2, j1, j2 in align(a, b, budget):
        if tag == "equal":
            raw.append(["=", "".join(a[i1:i2])])
            continue
        if i2 > i1:
            raw.append(["-", "".join(a[i1:i2])])
        if j2 > j1:
            raw.append(["+", "".join(b[j1:j2])])
    raw.append(["=", old[len(old) - q:]])
    return _tidy(raw)


def _common_prefix_len(x: str, y: str, limit: int | None = None) -> int:
    """Length of the common prefix, by bisection over C-speed slice comparisons."""
    lo, hi = 0, min(len(x), len(y)) if limit is None else limit
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if x[lo:mid] == y[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _joins(ch: str) -> bool:
    # Characters that belong to the word/cluster on their left or right.
    return (ch.isalnum() or ch == "_" or unicodedata.category(ch)[0] == "M"
            or ch == "\u200d" or "\U0001f3fb" <= ch <= "\U0001f3ff" or ch in "\ufe0e\ufe0f")


def _is_cut(text: str, pos: int) -> bool:
    """True when a diff op may start/end at text[pos] without splitting a word or cluster."""
    if pos <= 0 or pos >= len(text):
        return True
    left, right = text[pos - 1], text[pos]
    if left == "\u200d" or right in "\u200d\ufe0e\ufe0f" or unicodedata.category(right)[0] == "M":
        return False
    if "\U0001f3fb" <= right <= "\U0001f3ff":
        return False
    cjk = _CJK_CHAR_RE.match
    return not (_joins(left) and _joins(right)) or bool(cjk(left) or cjk(right))


def _tidy(ops: list[list[str]]) -> list[list[str]]:
    """Merge same-kind neighbours; move text shared by a '-'/'+' pair's edges into '='."""
    merged: list[list[str]] = []
    for op, text in ops:
        if text:
            if merged and merged[-1][0] == op:
                merged[-1][1] += text
            else:
                merged.append([op, text])

    out: list[list[str]] = []

    def add(op: str, text: str) -> None:
        if text:
            if out and out[-1][0] == op:
                out[-1][1] += text
            else:
                out.append([op, text])

    i = 0
    while i < len(merged):
        if merged[i][0] == "=":
            add("=", merged[i][1])
            i += 1
            continue
        # A change group: at most one "-" then one "+" (opcodes are merged per block).
        dele = ins = ""
        while i < len(merged) and merged[i][0] != "=":
            if merged[i][0] == "-":
                dele += merged[i][1]
            else:
                ins += merged[i][1]
            i += 1
        head = tail = ""
        if dele and ins:
            # Unit boundaries can hide shared text ("five " -> "six ", "sat on" -> "sat."):
            # move a common prefix/suffix into "=", but only at word boundaries, so that
            # "Smtih" -> "Smith" stays a whole-word change.
            n, limit = 0, min(len(dele), len(ins))
            while n < limit and dele[n] == ins[n]:
                n += 1
            while n and not (_is_cut(dele, n) and _is_cut(ins, n)):
                n -= 1
            head, dele, ins = dele[:n], dele[n:], ins[n:]
            n, limit = 0, min(len(dele), len(ins))
            while n < limit and dele[-1 - n] == ins[-1 - n]:
                n += 1
            while n and not (_is_cut(dele, len(dele) - n) and _is_cut(ins, len(ins) - n)):
                n -= 1
            if n:
                tail, dele, ins = dele[-n:], dele[:-n], ins[:-n]
        add("=", head)
        add("-", dele)
        add("+", ins)
        add("=", tail)
    return out


# ---------------------------------------------------------------------------------------------
# Sentences

_ABBREVIATIONS = frozenset({
    # titles
    "mr", "mrs", "ms", "mx", "dr", "prof", "sr", "jr", "st", "rev", "hon", "fr", "messrs",
    "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "cpl", "cmdr", "adm", "brig", "gov",
    "sen", "rep", "pres", "supt", "insp", "det", "atty", "amb",
    # months and days
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mon", "tue", "tues", "wed", "thu", "thurs", "fri", "sat", "sun",
    # misc. that are nearly always followed by more of the same sentence
    "no", "nos", "vs", "v", "e.g", "i.e", "cf", "approx", "est", "dept", "univ", "ave",
    "blvd", "rd", "mt", "ft", "fig", "vol", "ch", "pp", "ph.d",
})
_INITIALS_RE = re.compile(r"(?:[A-Za-z]\.)*[A-Z]")   # "U.S", "J.R.R", a middle initial "F"
_OPENERS = "\"'“‘«„([¿¡"
# "[.!?…؟।][.!?…؟।]*" is "[.!?…؟।]+" written so that the regex engine skips ahead to the first
# mark (twice as fast).
_LATIN_END_RE = re.compile(r"""[.!?…؟।][.!?…؟।]*[)\]"'”’»]*\s+""")
_CJK_END_RE = re.compile(r"[。！？]+[」』”’）》〉]*\s*")
_CJK_ENDS = "。！？"
_TOKEN_STARTS = "([\"'“‘«"    # besides white space, what a word before a full stop starts after
_MAX_TOKEN = 24


def _last_token(text: str, end: int) -> str:
    r"""The word before ``text[end]`` within 24 characters: what a search of
    ``[^\s(\["'“‘«]+$`` in ``text[end - 24:end]`` finds (``$`` also matches before a final
    newline); empty when that window ends with white space or an opener.

    String methods instead of that regex search: this runs for every full stop of the text.
    """
    window = text[max(0, end - _MAX_TOKEN):end]
    if window.endswith("\n"):
        window = window[:-1]
    if not window or window[-1].isspace() or window[-1] in _TOKEN_STARTS:
        return ""
    token = window.rsplit(None, 1)[-1]
    for opener in _TOKEN_STARTS:
        if opener in token:
            token = token[token.rfind(opener) + 1:]
    return token


def _sentence_ends(text: str) -> list[int]:
    """Offsets where a new sentence starts (sorted, strictly inside the text)."""
    ends: set[int] = set()
    size = len(text)
    for m in _LATIN_END_RE.finditer(text):
        end = m.end()
        if end >= size:
            continue
        k = end
        while k < size and text[k] in _OPENERS:
            k += 1
        if k == end:  # no opening quote: the next sentence must start with capital/digit
            ch = text[k]
            if not (ch.isdigit() or (ch.isalpha() and not ch.islower())):
                continue
        if text[m.start()] == "." and text[m.start() + 1:m.start() + 2] != ".":
            tok = _last_token(text, m.start())
            if tok and (tok.casefold() in _ABBREVIATIONS or _INITIALS_RE.fullmatch(tok)):
                continue
        ends.add(end)
    if any(mark in text for mark in _CJK_ENDS):  # a scan in C first: most text has none
        for m in _CJK_END_RE.finditer(text):
            if m.end() < size:
                ends.add(m.end())
    return sorted(ends)


def split_sentences(paragraph: str) -> list[str]:
    """Pragmatic sentence splitter; never returns empty strings."""
    bounds = [0, *_sentence_ends(paragraph), len(paragraph)]
    out: list[str] = []
    for start, end in zip(bounds, bounds[1:]):
        sentence = paragraph[start:end].strip()
        if sentence:
            out.append(sentence)
    return out


def _diff_sentences(
    old: Sequence[str], new: Sequence[str], budget: Budget, feats: TextFeatures,
) -> dict[str, list[Any]]:
    # Most paragraphs are unchanged between versions: split each distinct text once.
    cache: dict[str, list[str]] = {}

    def sentences(paragraph: str) -> list[str]:
        found = cache.get(paragraph)
        if found is None:
            found = cache[paragraph] = [_norm(s) for s in split_sentences(paragraph)]
        return found

    olds = [s for p in old for s in sentences(p)]
    news = [s for p in new for s in sentences(p)]
    blocks = [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in align(olds, news, budget)
              if tag != "equal"]

    # An identical sentence left unmatched on both sides was moved (to another paragraph,
    # or reordered), not deleted and re-added.
    unmatched_old = Counter(olds[i] for i1, i2, _, _ in blocks for i in range(i1, i2))
    moved: list[str] = []
    moved_new: set[int] = set()
    for _, _, j1, j2 in blocks:
        for j in range(j1, j2):
            if unmatched_old[news[j]] > 0:
                unmatched_old[news[j]] -= 1
                moved.append(news[j])
                moved_new.add(j)
    to_consume = Counter(moved)
    moved_old: set[int] = set()
    for i1, i2, _, _ in blocks:
        for i in range(i1, i2):
            if to_consume[olds[i]] > 0:
                to_consume[olds[i]] -= 1
                moved_old.add(i)

    added: list[str] = []
    deleted: list[str] = []
    edited: list[dict[str, str]] = []
    for i1, i2, j1, j2 in blocks:
        oi = [i for i in range(i1, i2) if i not in moved_old]
        nj = [j for j in range(j1, j2) if j not in moved_new]
        pairs = _pair([olds[i] for i in oi], [news[j] for j in nj], SENTENCE_SIMILARITY,
                      budget, feats)
        paired_o = {p for p, _ in pairs}
        paired_n = {q for _, q in pairs}
        deleted.extend(olds[oi[p]] for p in range(len(oi)) if p not in paired_o)
        added.extend(news[nj[q]] for q in range(len(nj)) if q not in paired_n)
        edited.extend({"old": olds[oi[p]], "new": news[nj[q]]} for p, q in pairs)
    return {"added": added, "deleted": deleted, "edited": edited, "moved": moved}


# ---------------------------------------------------------------------------------------------
# Whole-article diff


def diff_versions(old: Sequence[str], new: Sequence[str]) -> dict[str, Any]:
    """Diff two versions of an article body (lists of paragraphs).

    Returns plain JSON data: ``paragraphs`` (equal runs as half-open ranges, delete/insert
    with text, replace with a word diff), ``sentences`` (added/deleted/edited/moved),
    ``stats`` and ``truncated`` (a cost bound was hit and something was simplified).
    """
    budget = Budget()
    feats = TextFeatures()
    okeys = [_norm(p) for p in old]
    nkeys = [_norm(p) for p in new]

    paragraphs: list[dict[str, Any]] = []

    def emit_equal(i1: int, i2: int, j1: int, j2: int) -> None:
        last = paragraphs[-1] if paragraphs else None
        if last and last["op"] == "equal" and last["old"][1] == i1 and last["new"][1] == j1:
            last["old"][1], last["new"][1] = i2, j2
        else:
            paragraphs.append({"op": "equal", "old": [i1, i2], "new": [j1, j2]})

    for tag, i1, i2, j1, j2 in align(okeys, nkeys, budget):
        if tag == "equal":
            emit_equal(i1, i2, j1, j2)
            continue
        pairs = _pair(old[i1:i2], new[j1:j2], _PARA_SIM, budget, feats)
        pi, pj = i1, j1
        for p, q in [*((i1 + p, j1 + q) for p, q in pairs), (i2, j2)]:
            paragraphs.extend({"op": "delete", "old": i, "text": old[i]} for i in range(pi, p))
            paragraphs.extend({"op": "insert", "new": j, "text": new[j]} for j in range(pj, q))
            if p < i2:
                if okeys[p] == nkeys[q]:
                    emit_equal(p, p + 1, q, q + 1)
                else:
                    paragraphs.append({"op": "replace", "old": p, "new": q,
                                       "words": _word_diff(old[p], new[q], budget)})
            pi, pj = p + 1, q + 1

    if all(e["op"] == "equal" for e in paragraphs):
        # Same text (modulo whitespace): no sentence can have changed.
        sentences: dict[str, list[Any]] = {"added": [], "deleted": [], "edited": [], "moved": []}
    else:
        sentences = _diff_sentences(old, new, budget, feats)

    stats = {"paragraphs_added": 0, "paragraphs_removed": 0, "paragraphs_changed": 0,
             "words_added": 0, "words_removed": 0}
    for entry in paragraphs:
        op = entry["op"]
        if op == "insert":
            stats["paragraphs_added"] += 1
            stats["words_added"] += _count_words(entry["text"])
        elif op == "delete":
            stats["paragraphs_removed"] += 1
            stats["words_removed"] += _count_words(entry["text"])
        elif op == "replace":
            stats["paragraphs_changed"] += 1
            for wop, text in entry["words"]:
                if wop == "+":
                    stats["words_added"] += _count_words(text)
                elif wop == "-":
                    stats["words_removed"] += _count_words(text)
    for key in ("added", "deleted", "edited", "moved"):
        stats[f"sentences_{key}"] = len(sentences[key])

    return {"paragraphs": paragraphs, "sentences": sentences, "stats": stats,
            "truncated": budget.truncated}


# ---------------------------------------------------------------------------------------------
# Terminal rendering

# C0 controls except "\n", DEL, and C1 controls (0x9b is a one-byte CSI on some terminals).
_CONTROL_RE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_RESET = "\x1b[0m"
_RED = "\x1b[31m"
_GREEN = "\x1b[32m"
_RED_STRIKE = "\x1b[31;9m"
_GREEN_UNDERLINE = "\x1b[32;4m"
_DIM = "\x1b[2m"
_BOLD = "\x1b[1m"


def _safe(text: str) -> str:
    # Article text is untrusted: it must not be able to drive the terminal.
    return _CONTROL_RE.sub("", text)


def format_diff(
    diff: dict[str, Any], old: Sequence[str], new: Sequence[str],
    *, color: bool = False, context: int = 1,
) -> str:
    """Render a diff_versions() result for a terminal."""
    context = max(0, context)

    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if color and text else text

    s = diff.get("stats", {})
    summary = (
        f"paragraphs: +{s.get('paragraphs_added', 0)} -{s.get('paragraphs_removed', 0)}"
        f" ~{s.get('paragraphs_changed', 0)}"
        f" | words: +{s.get('words_added', 0)} -{s.get('words_removed', 0)}"
        f" | sentences: +{s.get('sentences_added', 0)} -{s.get('sentences_deleted', 0)}"
        f" ~{s.get('sentences_edited', 0)} moved {s.get('sentences_moved', 0)}"
    )
    if diff.get("truncated"):
        summary += " | truncated"
    lines = [paint(_BOLD, summary)]

    def unchanged(j: int, i: int) -> str:
        text = new[j] if 0 <= j < len(new) else old[i] if 0 <= i < len(old) else ""
        return "  " + _safe(text)

    entries = diff.get("paragraphs", [])
    if not any(e.get("op") != "equal" for e in entries):
        lines.append("(no changes)")
        return "\n".join(lines)

    for idx, entry in enumerate(entries):
        op = entry.get("op")
        if op == "equal":
            (i1, _), (j1, j2) = entry["old"], entry["new"]
            count = j2 - j1
            before = idx > 0 and entries[idx - 1].get("op") != "equal"
            after = idx + 1 < len(entries) and entries[idx + 1].get("op") != "equal"
            head = min(context, count) if before else 0
            tail = min(context, count - head) if after else 0
            lines.extend(unchanged(j1 + n, i1 + n) for n in range(head))
            hidden = count - head - tail
            if hidden:
                noun = "paragraph" if hidden == 1 else "paragraphs"
                lines.append(paint(_DIM, f"  ... {hidden} unchanged {noun} ..."))
            lines.extend(unchanged(j1 + n, i1 + n) for n in range(count - tail, count))
        elif op == "delete":
            lines.append(paint(_RED, "- " + _safe(entry.get("text", ""))))
        elif op == "insert":
            lines.append(paint(_GREEN, "+ " + _safe(entry.get("text", ""))))
        elif op == "replace":
            parts = ["~ "]
            for wop, text in entry.get("words", []):
                text = _safe(text)
                if wop == "-":
                    parts.append(paint(_RED_STRIKE, text) if color else f"[-{text}-]")
                elif wop == "+":
                    parts.append(paint(_GREEN_UNDERLINE, text) if color else f"{{+{text}+}}")
                else:
                    parts.append(text)
            lines.append("".join(parts))
    return "\n".join(lines)
