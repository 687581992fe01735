"""Tests for tracker.sentences: splitting versions and matching their sentences."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest

import tracker.sentences as sentences_module
from bench.diff import article, change_words, heavily_edited, paragraph
from tracker.diff import split_sentences
from tracker.sentences import (
    OPERATIONS, PAIR_BUDGET, SIMILARITY_THRESHOLD, Sentence, SentenceMatch, align_sentences,
    match_sentences, pair_counts, split_version,
)

ROOT = Path(__file__).resolve().parents[1]

# One labelled row, readable: (operation, old sentence text or None, new sentence text or None).
Row = tuple[str, str | None, str | None]


def match_paragraphs(old: Sequence[str], new: Sequence[str]) -> list[SentenceMatch]:
    matches = match_sentences(split_version(old), split_version(new))
    check_matches(matches, split_version(old), split_version(new))
    return matches


def labelled(old: Sequence[str], new: Sequence[str]) -> list[Row]:
    """The full result with sentence texts in place of indexes."""
    olds, news = split_version(old), split_version(new)
    return [(m.operation,
             None if m.index_old is None else olds[m.index_old].text,
             None if m.index_new is None else news[m.index_new].text)
            for m in match_paragraphs(old, new)]


def check_matches(
    matches: Sequence[SentenceMatch], old: Sequence[Sentence], new: Sequence[Sentence],
) -> None:
    """Invariants of every result: coverage, multiplicity, similarity ranges, row order."""
    assert all(m.operation in OPERATIONS for m in matches)
    rows_of_old = Counter(m.index_old for m in matches if m.index_old is not None)
    rows_of_new = Counter(m.index_new for m in matches if m.index_new is not None)
    assert set(rows_of_old) == {s.sentence_index for s in old}, "every old sentence in a row"
    assert set(rows_of_new) == {s.sentence_index for s in new}, "every new sentence in a row"
    for m in matches:
        assert 0.0 <= m.similarity <= 1.0
        assert m.similarity == round(m.similarity, 4), "rounded: stable text exports"
        if m.operation in ("unchanged", "moved"):
            assert m.similarity == 1.0
        if m.operation == "added":
            assert m.index_old is None and m.index_new is not None and m.similarity == 0.0
        elif m.operation == "deleted":
            assert m.index_new is None and m.index_old is not None and m.similarity == 0.0
        else:
            assert m.index_old is not None and m.index_new is not None
        if m.operation == "edited":
            assert m.similarity > 0.0
        if m.operation in ("split", "merged"):
            assert m.similarity >= SIMILARITY_THRESHOLD
        # Only a split old sentence has several rows, only a merged new one.
        if m.index_old is not None and rows_of_old[m.index_old] > 1:
            assert m.operation == "split"
        if m.index_new is not None and rows_of_new[m.index_new] > 1:
            assert m.operation == "merged"
    for m in matches:
        if m.operation == "split":
            assert rows_of_old[m.index_old] >= 2
        if m.operation == "merged":
            assert rows_of_new[m.index_new] >= 2
    with_old = [(m.index_old, m.index_new) for m in matches if m.index_old is not None]
    assert with_old == sorted(with_old, key=lambda p: (p[0], -1 if p[1] is None else p[1]))
    added = [m.index_new for m in matches if m.index_old is None]
    assert added == sorted(added)


# ---------------------------------------------------------------------------------------------
# split_version

def test_split_version_numbers_sentences_through_the_version() -> None:
    paragraphs = ["First one. Second one.", "", "Third one."]
    assert split_version(paragraphs) == [
        Sentence(0, 0, "First one."), Sentence(0, 1, "Second one."), Sentence(2, 2, "Third one."),
    ]


def test_split_version_uses_the_diff_splitter() -> None:
    paragraphs = ["Mr. Smith went to Washington. He met Sen. Jones at 10 a.m. on Monday.",
                  "「こんにちは。」彼は言った。", "No final stop"]
    assert [s.text for s in split_version(paragraphs)] == \
        [s for p in paragraphs for s in split_sentences(p)]


# ---------------------------------------------------------------------------------------------
# The hand-made cases of the issue, each with its full labelled result

FIRE = [
    "The fire started shortly after midnight on Tuesday. Police said five people were hurt.",
    "Firefighters from three stations attended the scene.",
    "The cause of the fire is under investigation. A report is expected next week.",
]


def unchanged(*texts: str) -> list[Row]:
    return [("unchanged", t, t) for t in texts]


def test_one_word_edit_is_edited() -> None:
    new = list(FIRE)
    new[0] = FIRE[0].replace("five", "six")
    assert labelled(FIRE, new) == [
        ("unchanged", "The fire started shortly after midnight on Tuesday.",
         "The fire started shortly after midnight on Tuesday."),
        ("edited", "Police said five people were hurt.", "Police said six people were hurt."),
        *unchanged("Firefighters from three stations attended the scene.",
                   "The cause of the fire is under investigation.",
                   "A report is expected next week."),
    ]
    (edit,) = [m for m in match_paragraphs(FIRE, new) if m.operation == "edited"]
    assert (edit.index_old, edit.index_new) == (1, 1)
    assert edit.similarity == pytest.approx(5 / 7, abs=1e-4)   # word-set Jaccard


@pytest.mark.parametrize("old,new", [
    ("The cat sat.", "The dog sat."),                  # replaced (Jaccard 0.5)
    ("He was seen leaving.", "He was seen leaving early."),  # added
    ("Smtih said.", "Smith said."),                    # typo: character trigrams
])
def test_one_word_edit_of_a_short_sentence_is_edited(old: str, new: str) -> None:
    assert labelled([old], [new]) == [("edited", old, new)]


def test_rewritten_sentence_is_added_and_deleted() -> None:
    old, new = "Officials declined to comment on the report.", "Markets rallied after lunch."
    assert labelled([old], [new]) == [("added", None, new), ("deleted", old, None)]


def test_sentence_moved_to_another_paragraph() -> None:
    moved = "The mayor visited the site on Wednesday."
    old = [f"The fire started at midnight. {moved}", "Firefighters attended the scene.",
           "The cause is unknown."]
    new = ["The fire started at midnight.", "Firefighters attended the scene.",
           f"The cause is unknown. {moved}"]
    assert labelled(old, new) == [
        ("unchanged", "The fire started at midnight.", "The fire started at midnight."),
        ("moved", moved, moved),
        *unchanged("Firefighters attended the scene.", "The cause is unknown."),
    ]
    assert [(m.index_old, m.index_new) for m in match_paragraphs(old, new)] == \
        [(0, 0), (1, 3), (2, 1), (3, 2)]


def test_sentence_moved_within_a_paragraph() -> None:
    old = ["Alpha came first. Bravo came second. Charlie came third. Delta came last."]
    new = ["Alpha came first. Charlie came third. Delta came last. Bravo came second."]
    assert labelled(old, new) == [
        ("unchanged", "Alpha came first.", "Alpha came first."),
        ("moved", "Bravo came second.", "Bravo came second."),
        *unchanged("Charlie came third.", "Delta came last."),
    ]


def test_edited_and_moved_sentence_is_edited() -> None:
    old = ["The council met on Monday. Rain is expected. The vote was close."]
    new = ["Rain is expected. The vote was close. The council met on Monday evening."]
    assert labelled(old, new) == [
        ("edited", "The council met on Monday.", "The council met on Monday evening."),
        *unchanged("Rain is expected.", "The vote was close."),
    ]


def test_sentence_split_in_two() -> None:
    old = ["The mayor resigned on Monday, and the council will meet on Tuesday to pick a "
           "successor.", "Residents were surprised."]
    new = ["The mayor resigned on Monday. The council will meet on Tuesday to pick a successor.",
           "Residents were surprised."]
    assert labelled(old, new) == [
        ("split", old[0], "The mayor resigned on Monday."),
        ("split", old[0], "The council will meet on Tuesday to pick a successor."),
        ("unchanged", "Residents were surprised.", "Residents were surprised."),
    ]
    matches = match_paragraphs(old, new)
    assert len({m.similarity for m in matches if m.operation == "split"}) == 1
    assert pair_counts(matches) == {**dict.fromkeys(OPERATIONS, 0), "split": 1, "unchanged": 1}


def test_two_sentences_merged_into_one() -> None:
    old = ["The storm hit the coast on Monday. It killed three people.", "Schools are closed."]
    new = ["The storm hit the coast on Monday and killed three people.", "Schools are closed."]
    merged = "The storm hit the coast on Monday and killed three people."
    assert labelled(old, new) == [
        ("merged", "The storm hit the coast on Monday.", merged),
        ("merged", "It killed three people.", merged),
        ("unchanged", "Schools are closed.", "Schools are closed."),
    ]
    matches = match_paragraphs(old, new)
    assert pair_counts(matches) == {**dict.fromkeys(OPERATIONS, 0), "merged": 1, "unchanged": 1}


def test_edit_next_to_a_short_added_sentence_is_not_a_split() -> None:
    # "He said." is made of words of the edited sentence but brings nothing it lacks.
    old = ["He said the plan would fail on Friday."]
    new = ["He said the plan could fail on Friday. He said."]
    assert labelled(old, new) == [
        ("edited", old[0], "He said the plan could fail on Friday."),
        ("added", None, "He said."),
    ]


def test_new_paragraph() -> None:
    new = FIRE[:2] + ["A witness heard a loud bang. She called the police."] + FIRE[2:]
    assert labelled(FIRE, new) == [
        *unchanged("The fire started shortly after midnight on Tuesday.",
                   "Police said five people were hurt.",
                   "Firefighters from three stations attended the scene."),
        ("added", None, "A witness heard a loud bang."),
        ("added", None, "She called the police."),
        *unchanged("The cause of the fire is under investigation.",
                   "A report is expected next week."),
    ]


def test_new_paragraph_at_the_top() -> None:
    new = ["Breaking news."] + FIRE
    rows = labelled(FIRE, new)
    assert rows[0] == ("added", None, "Breaking news.")
    assert rows[1:] == unchanged(*(s for p in FIRE for s in split_sentences(p)))


def test_deleted_paragraph() -> None:
    new = [FIRE[0], FIRE[2]]
    assert labelled(FIRE, new) == [
        *unchanged("The fire started shortly after midnight on Tuesday.",
                   "Police said five people were hurt."),
        ("deleted", "Firefighters from three stations attended the scene.", None),
        *unchanged("The cause of the fire is under investigation.",
                   "A report is expected next week."),
    ]


def test_reordered_block_of_paragraphs() -> None:
    old = ["Para one opens. It has two sentences.", "Para two follows.", "Para three is here.",
           "Para four is the block. It moves up.", "Para five moves too."]
    new = [old[3], old[4], old[0], old[1], old[2]]
    # The longer run (paragraphs 1-3, four sentences) stays; the block (three sentences) moved.
    assert labelled(old, new) == [
        *unchanged("Para one opens.", "It has two sentences.", "Para two follows.",
                   "Para three is here."),
        ("moved", "Para four is the block.", "Para four is the block."),
        ("moved", "It moves up.", "It moves up."),
        ("moved", "Para five moves too.", "Para five moves too."),
    ]


def test_identical_versions() -> None:
    matches = match_paragraphs(FIRE, list(FIRE))
    n = len(split_version(FIRE))
    assert matches == [SentenceMatch(k, k, "unchanged", 1.0) for k in range(n)]
    assert pair_counts(matches) == {**dict.fromkeys(OPERATIONS, 0), "unchanged": n}


def test_whitespace_and_typography_only_is_unchanged() -> None:
    old = ["He said \u201cno\u201d \u2014 twice."]
    new = ['He said  "no" - twice.']
    assert [m.operation for m in match_paragraphs(old, new)] == ["unchanged"]


@pytest.mark.parametrize("old,new", [([], []), ([""], ["", ""]), ([], FIRE), (FIRE, [])])
def test_empty_versions(old: list[str], new: list[str]) -> None:
    olds = [s.text for s in split_version(old)]
    news = [s.text for s in split_version(new)]
    assert labelled(old, new) == [("deleted", t, None) for t in olds] + \
        [("added", None, t) for t in news]
    result = align_sentences(split_version(old), split_version(new))
    assert result.evaluations == 0 and result.truncated is False


def test_unicode_and_cjk() -> None:
    old = ["他说这个计划会失败。我们明天再谈。", "Ο δήμαρχος παραιτήθηκε τη Δευτέρα. Café 🙂 naïve."]
    new = ["我们明天再谈。他说这个计划不会失败。", "Ο δήμαρχος παραιτήθηκε την Τρίτη. Café 🙂 naïve."]
    assert labelled(old, new) == [
        ("edited", "他说这个计划会失败。", "他说这个计划不会失败。"),
        ("unchanged", "我们明天再谈。", "我们明天再谈。"),
        ("edited", "Ο δήμαρχος παραιτήθηκε τη Δευτέρα.", "Ο δήμαρχος παραιτήθηκε την Τρίτη."),
        ("unchanged", "Café 🙂 naïve.", "Café 🙂 naïve."),
    ]


def test_punctuation_only_sentences() -> None:
    # No words at all: equal ones match exactly, different ones are never "similar".
    assert labelled(["— ! —"], ["— ! —"]) == [("unchanged", "— ! —", "— ! —")]
    assert labelled(["🙂!"], ["🎉!"]) == [("added", None, "🎉!"), ("deleted", "🙂!", None)]


def test_added_row_follows_its_predecessor_not_a_moved_row() -> None:
    moved = "The mayor visited the site."
    old = [f"Start here. {moved}", "Middle part.", "End part."]
    new = ["Start here.", "Middle part.", f"End part. {moved}", "A new closing line."]
    assert labelled(old, new) == [
        ("unchanged", "Start here.", "Start here."),
        ("moved", moved, moved),
        *unchanged("Middle part.", "End part."),
        ("added", None, "A new closing line."),
    ]


def test_sentence_indexes_come_from_the_sentences() -> None:
    # Any numbering passed in is what the rows carry.
    old = [Sentence(0, 10, "One sentence here."), Sentence(0, 11, "Another one.")]
    new = [Sentence(0, 20, "Another one."), Sentence(1, 21, "Something else entirely.")]
    assert match_sentences(old, new) == [
        SentenceMatch(10, None, "deleted", 0.0),
        SentenceMatch(11, 20, "unchanged", 1.0),
        SentenceMatch(None, 21, "added", 0.0),
    ]


# ---------------------------------------------------------------------------------------------
# pair_counts

def test_pair_counts_counts_split_and_merged_groups_once() -> None:
    matches = [
        SentenceMatch(0, 0, "split", 0.9), SentenceMatch(0, 1, "split", 0.9),
        SentenceMatch(0, 2, "split", 0.9),
        SentenceMatch(1, 3, "merged", 0.8), SentenceMatch(2, 3, "merged", 0.8),
        SentenceMatch(3, 4, "unchanged", 1.0), SentenceMatch(4, 5, "moved", 1.0),
        SentenceMatch(5, 6, "edited", 0.7), SentenceMatch(6, None, "deleted", 0.0),
        SentenceMatch(None, 7, "added", 0.0), SentenceMatch(None, 8, "added", 0.0),
    ]
    assert pair_counts(matches) == {"unchanged": 1, "edited": 1, "added": 2, "deleted": 1,
                                    "moved": 1, "merged": 1, "split": 1}
    assert pair_counts([]) == dict.fromkeys(OPERATIONS, 0)


# ---------------------------------------------------------------------------------------------
# Determinism

def duplicated_case() -> tuple[list[str], list[str]]:
    old = ["Same sentence. Other text here. Same sentence.", "Same sentence. Closing words."]
    new = ["Other text here. Same sentence.", "Same sentence. New words. Same sentence.",
           "Closing words!"]
    return old, new


def test_same_input_same_output_with_duplicates() -> None:
    old, new = duplicated_case()
    first = match_paragraphs(old, new)
    assert all(match_paragraphs(old, new) == first for _ in range(3))
    # Old: S O S S C, new: O S S N S C'. The longest common run O S S .. C stays; the first
    # old S crossed it, so it is the one moved (to the last S of the new version).
    assert [(m.index_old, m.index_new, m.operation) for m in first] == [
        (0, 4, "moved"), (1, 0, "unchanged"), (2, 1, "unchanged"), (3, 2, "unchanged"),
        (None, 3, "added"), (4, 5, "edited"),
    ]
    # Punctuation is not a word: "Closing words." -> "Closing words!" is an edit of similarity 1.
    assert first[-1].similarity == 1.0


def test_output_does_not_depend_on_the_hash_seed() -> None:
    # Set and dict iteration orders of str change with PYTHONHASHSEED: run in fresh processes.
    rng = random.Random(5)
    old = article(rng, 600, per_paragraph=30)
    new = [change_words(p, [rng.randrange(30)], rng) for p in old[::-1]] + old[:3]
    old += duplicated_case()[0]
    new += duplicated_case()[1]
    script = ("import json, sys; from tracker.sentences import match_sentences, split_version;"
              "old, new = json.load(sys.stdin);"
              "print(json.dumps([[m.index_old, m.index_new, m.operation, m.similarity]"
              " for m in match_sentences(split_version(old), split_version(new))]))")
    outputs = set()
    for seed in ("0", "1", "12345"):
        result = subprocess.run([sys.executable, "-c", script], input=json.dumps([old, new]),
                                capture_output=True, text=True, cwd=ROOT, check=True,
                                env={**os.environ, "PYTHONHASHSEED": seed})
        outputs.add(result.stdout)
    assert len(outputs) == 1
    rows = json.loads(outputs.pop())
    assert {op for _, _, op, _ in rows} >= {"unchanged", "moved", "edited", "added"}


def test_repeated_sentences_keep_the_longest_run_in_order() -> None:
    body = ["Alpha one.", "Bravo two.", "Alpha one.", "Bravo two.", "Charlie three.",
            "Bravo two.", "Charlie three.", "Alpha one."]
    old = ["Opening words here.", *body, "Closing words here."]
    new = ["Another opening.", body[-1], *body[:-1], "Another ending."]
    # Seven of the eight body sentences stay in order (a longest common subsequence; two of
    # them exist, and the choice is deterministic); the eighth is moved, not added + deleted.
    assert labelled(old, new) == [
        ("added", None, "Another opening."),
        ("deleted", "Opening words here.", None),
        *unchanged(*body[:-1]),
        ("added", None, "Another ending."),
        ("moved", body[-1], body[-1]),
        ("deleted", "Closing words here.", None),
    ]
    assert [(m.index_old, m.index_new) for m in match_paragraphs(old, new)
            if m.operation in ("unchanged", "moved")] == \
        [(1, 1), (2, 3), (3, 4), (4, 5), (5, 6), (6, 7), (7, 8), (8, 2)]


@pytest.mark.parametrize("limit", [0, 10**9])
def test_exact_and_bounded_alignment_agree_on_moves(
    monkeypatch: pytest.MonkeyPatch, limit: int,
) -> None:
    # Past _MAX_EQUAL_PAIRS the diffs' bounded alignment takes over; same labels here.
    monkeypatch.setattr(sentences_module, "_MAX_EQUAL_PAIRS", limit)
    test_sentence_moved_to_another_paragraph()
    test_reordered_block_of_paragraphs()


def test_many_repeated_sentences_use_the_bounded_alignment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = []
    real = sentences_module.align
    monkeypatch.setattr(sentences_module, "align", lambda *a: calls.append(1) or real(*a))
    old = ["Alpha paragraph.", "Bravo paragraph."] * 400      # 320,000 equal pairs
    new = ["Bravo paragraph.", "Alpha paragraph."] * 400
    assert Counter(m.operation for m in match_paragraphs(old, new)) == \
        {"unchanged": 799, "moved": 1}
    assert calls == [1]


# ---------------------------------------------------------------------------------------------
# Invariants on random edits

@pytest.mark.parametrize("seed", range(8))
def test_random_edits_keep_the_invariants(seed: int) -> None:
    rng = random.Random(seed)
    old = article(rng, 800, per_paragraph=40)
    new = [change_words(p, rng.sample(range(40), rng.randrange(4)), rng) for p in old]
    rng.shuffle(new[2:6])
    new.insert(rng.randrange(len(new)), paragraph(rng, 30))
    del new[rng.randrange(len(new))]
    old_s, new_s = split_version(old), split_version(new)
    check_matches(match_sentences(old_s, new_s), old_s, new_s)


# ---------------------------------------------------------------------------------------------
# Cost bound: similarity evaluations counted from outside, not timed

@pytest.fixture
def evaluations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]
    real = sentences_module._pair_score

    def counting(*args: object) -> object:
        calls[0] += 1
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(sentences_module, "_pair_score", counting)
    return calls


def test_big_unrelated_versions_stay_within_the_pair_budget(evaluations: list[int]) -> None:
    rng = random.Random(11)
    old, new = split_version(article(rng, 20_000)), split_version(article(rng, 20_000))
    assert len(old) * len(new) > 10 * PAIR_BUDGET        # all pairs would be far over budget
    result = align_sentences(old, new)
    assert evaluations[0] == result.evaluations
    assert 0.9 * PAIR_BUDGET < evaluations[0] <= PAIR_BUDGET
    assert result.truncated is True
    check_matches(result.matches, old, new)


def test_big_edited_versions_stay_within_the_pair_budget(evaluations: list[int]) -> None:
    old_p, new_p = heavily_edited(20_000)
    old, new = split_version(old_p), split_version(new_p)
    result = align_sentences(old, new)
    assert evaluations[0] == result.evaluations <= PAIR_BUDGET
    counts = pair_counts(result.matches)
    # Most sentences are still found although only nearby pairs were compared.
    assert counts["edited"] + counts["unchanged"] > 0.8 * len(old)


def test_exhausted_budget_falls_back_to_added_and_deleted(evaluations: list[int]) -> None:
    rng = random.Random(3)
    old_p = article(rng, 2_000)
    new_p = [change_words(p, [5], rng) for p in old_p]
    old, new = split_version(old_p), split_version(new_p)
    starved = align_sentences(old, new, pair_budget=0)
    assert evaluations[0] == starved.evaluations == 0 and starved.truncated
    assert {m.operation for m in starved.matches} <= {"unchanged", "added", "deleted"}
    assert starved == align_sentences(old, new, pair_budget=0)      # deterministic
    check_matches(starved.matches, old, new)
    full = align_sentences(old, new)
    assert pair_counts(full.matches)["edited"] > 0 and not full.truncated


def test_budget_is_linear_per_unmatched_sentence(evaluations: list[int]) -> None:
    rng = random.Random(4)
    old = split_version([paragraph(rng, 3) for _ in range(3000)])
    new = split_version([paragraph(rng, 3) for _ in range(3000)])
    result = align_sentences(old, new, pair_budget=6000)
    assert evaluations[0] == result.evaluations <= 6000
    assert result.evaluations == 2 * len(old)      # a window of two per unmatched old sentence
