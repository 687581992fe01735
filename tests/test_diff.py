"""Tests for tracker.diff: shape, correctness of the alignments, rendering, cost bounds."""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Sequence
from typing import Any

import pytest

from bench.diff import VOCAB, paragraph  # the benchmark's synthetic article text
from tracker.diff import diff_versions, diff_words, format_diff, split_sentences

# Generous wall-clock safety net for the cost-bound tests (the real figure is in bench/diff.py).
TIME_LIMIT_S = 2.0

STAT_KEYS = {
    "paragraphs_added", "paragraphs_removed", "paragraphs_changed", "words_added",
    "words_removed", "sentences_added", "sentences_deleted", "sentences_edited",
    "sentences_moved",
}


# ---------------------------------------------------------------------------------------------
# Helpers


def rebuild(ops: list[list[str]]) -> tuple[str, str]:
    """(old, new) texts reconstructed from word ops."""
    old = "".join(text for op, text in ops if op in "=-")
    new = "".join(text for op, text in ops if op in "=+")
    return old, new


def check_word_ops(ops: list[list[str]], old: str, new: str) -> None:
    assert rebuild(ops) == (old, new)
    for n, item in enumerate(ops):
        assert isinstance(item, list) and len(item) == 2
        op, text = item
        assert op in ("=", "-", "+") and isinstance(text, str) and text
        if n:
            assert ops[n - 1][0] != op, "adjacent ops of the same kind must be merged"


def check_diff(diff: dict[str, Any], old: Sequence[str], new: Sequence[str]) -> None:
    """The stored shape, JSON round trip, and that the entries walk both documents in order."""
    assert set(diff) >= {"paragraphs", "sentences", "stats", "truncated"}
    assert json.loads(json.dumps(diff)) == diff
    assert isinstance(diff["truncated"], bool)
    assert set(diff["stats"]) == STAT_KEYS
    assert all(type(v) is int and v >= 0 for v in diff["stats"].values())
    sents = diff["sentences"]
    assert set(sents) == {"added", "deleted", "edited", "moved"}
    assert all(isinstance(s, str) and s for key in ("added", "deleted", "moved") for s in sents[key])
    assert all(set(e) == {"old", "new"} for e in sents["edited"])
    for key in ("added", "deleted", "edited", "moved"):
        assert diff["stats"][f"sentences_{key}"] == len(sents[key])

    i = j = 0
    counts = {"insert": 0, "delete": 0, "replace": 0}
    for entry in diff["paragraphs"]:
        op = entry["op"]
        if op == "equal":
            assert set(entry) == {"op", "old", "new"}
            (i1, i2), (j1, j2) = entry["old"], entry["new"]
            assert (i1, j1) == (i, j) and i2 - i1 == j2 - j1 > 0
            assert [" ".join(p.split()) for p in old[i1:i2]] == \
                   [" ".join(p.split()) for p in new[j1:j2]]
            i, j = i2, j2
            continue
        counts[op] += 1
        if op == "delete":
            assert set(entry) == {"op", "old", "text"}
            assert entry["old"] == i and entry["text"] == old[i]
            i += 1
        elif op == "insert":
            assert set(entry) == {"op", "new", "text"}
            assert entry["new"] == j and entry["text"] == new[j]
            j += 1
        else:
            assert op == "replace" and set(entry) == {"op", "old", "new", "words"}
            assert (entry["old"], entry["new"]) == (i, j)
            check_word_ops(entry["words"], old[i], new[j])
            i, j = i + 1, j + 1
    assert (i, j) == (len(old), len(new)), "entries must cover both documents"
    assert diff["stats"]["paragraphs_added"] == counts["insert"]
    assert diff["stats"]["paragraphs_removed"] == counts["delete"]
    assert diff["stats"]["paragraphs_changed"] == counts["replace"]


def entries(diff: dict[str, Any], op: str) -> list[dict[str, Any]]:
    return [e for e in diff["paragraphs"] if e["op"] == op]


def timed(fn: Any, *args: Any) -> Any:
    start = time.perf_counter()
    result = fn(*args)
    elapsed = time.perf_counter() - start
    assert elapsed < TIME_LIMIT_S, f"took {elapsed:.2f}s"
    return result


def change_word(paragraph: str, pos: int, word: str = "zzchanged") -> str:
    words = paragraph.split(" ")
    words[pos] = word
    return " ".join(words)


# ---------------------------------------------------------------------------------------------
# diff_versions: behaviour

ARTICLE = [
    "The fire started shortly after midnight on Tuesday.",
    "Police said five people were hurt. Two of them are in hospital.",
    "Firefighters from three stations attended the scene.",
    "The cause of the fire is under investigation.",
]


def test_identical_is_one_equal_run() -> None:
    diff = diff_versions(ARTICLE, list(ARTICLE))
    check_diff(diff, ARTICLE, ARTICLE)
    assert diff["paragraphs"] == [{"op": "equal", "old": [0, 4], "new": [0, 4]}]
    assert all(v == 0 for v in diff["stats"].values())
    assert diff["sentences"] == {"added": [], "deleted": [], "edited": [], "moved": []}
    assert diff["truncated"] is False


def test_one_edited_paragraph() -> None:
    new = list(ARTICLE)
    new[1] = "Police said six people were hurt. Two of them are in hospital."
    diff = diff_versions(ARTICLE, new)
    check_diff(diff, ARTICLE, new)
    replaces = entries(diff, "replace")
    assert len(replaces) == 1 and len(diff["paragraphs"]) == 3
    assert replaces[0]["old"] == 1 and replaces[0]["new"] == 1
    changes = [op for op in replaces[0]["words"] if op[0] != "="]
    assert changes == [["-", "five"], ["+", "six"]]
    assert replaces[0]["words"][0] == ["=", "Police said "]
    stats = diff["stats"]
    assert (stats["paragraphs_changed"], stats["words_added"], stats["words_removed"]) == (1, 1, 1)
    assert diff["sentences"]["edited"] == [
        {"old": "Police said five people were hurt.", "new": "Police said six people were hurt."}
    ]
    assert diff["sentences"]["added"] == diff["sentences"]["deleted"] == []
    assert diff["truncated"] is False


def test_one_character_correction() -> None:
    old = ["Smtih said.", "Nothing else changed here."]
    new = ["Smith said.", "Nothing else changed here."]
    diff = diff_versions(old, new)
    check_diff(diff, old, new)
    (replace,) = entries(diff, "replace")
    assert replace["words"] == [["-", "Smtih"], ["+", "Smith"], ["=", " said."]]
    assert diff["sentences"]["edited"] == [{"old": "Smtih said.", "new": "Smith said."}]


def test_inserted_paragraph_in_the_middle() -> None:
    new = ARTICLE[:2] + ["A witness described hearing a loud bang."] + ARTICLE[2:]
    diff = diff_versions(ARTICLE, new)
    check_diff(diff, ARTICLE, new)
    assert diff["paragraphs"] == [
        {"op": "equal", "old": [0, 2], "new": [0, 2]},
        {"op": "insert", "new": 2, "text": "A witness described hearing a loud bang."},
        {"op": "equal", "old": [2, 4], "new": [3, 5]},
    ]
    assert diff["stats"]["paragraphs_added"] == 1
    assert diff["stats"]["words_added"] == 7
    assert diff["sentences"]["added"] == ["A witness described hearing a loud bang."]


def test_deleted_paragraph() -> None:
    new = [ARTICLE[0], ARTICLE[1], ARTICLE[3]]
    diff = diff_versions(ARTICLE, new)
    check_diff(diff, ARTICLE, new)
    assert entries(diff, "delete") == [{"op": "delete", "old": 2, "text": ARTICLE[2]}]
    assert diff["stats"]["paragraphs_removed"] == 1
    assert diff["stats"]["words_removed"] == 7
    assert diff["sentences"]["deleted"] == [ARTICLE[2]]


def test_edited_and_deleted_and_inserted_together_keep_document_order() -> None:
    old = ["Alpha one two three four.", "Bravo paragraph to delete entirely.",
           "Charlie five six seven eight."]
    new = ["Alpha one two three FOUR.", "Charlie five six seven eight.", "Delta is new here."]
    diff = diff_versions(old, new)
    check_diff(diff, old, new)
    assert [e["op"] for e in diff["paragraphs"]] == ["replace", "delete", "equal", "insert"]


def test_moved_sentence() -> None:
    moved = "The mayor visited the site on Wednesday."
    old = [f"The fire started at midnight. {moved}", "Firefighters attended the scene.",
           "The cause is unknown."]
    new = ["The fire started at midnight.", "Firefighters attended the scene.",
           f"The cause is unknown. {moved}"]
    diff = diff_versions(old, new)
    check_diff(diff, old, new)
    sents = diff["sentences"]
    assert sents["moved"] == [moved]
    assert moved not in sents["added"] and moved not in sents["deleted"]
    assert sents["added"] == sents["deleted"] == sents["edited"] == []
    assert diff["stats"]["sentences_moved"] == 1


def test_reordered_sentences_within_paragraph_are_moved() -> None:
    old = ["First sentence here. Second sentence here. Third sentence here."]
    new = ["Second sentence here. First sentence here. Third sentence here."]
    diff = diff_versions(old, new)
    check_diff(diff, old, new)
    assert len(diff["sentences"]["moved"]) == 1
    assert diff["sentences"]["added"] == diff["sentences"]["deleted"] == []


def test_edited_sentence_among_others() -> None:
    old = ["The minister resigned on Monday evening. She gave no reason. Talks continue."]
    new = ["The minister resigned on Monday night. She gave no reason. Talks continue."]
    diff = diff_versions(old, new)
    check_diff(diff, old, new)
    assert diff["sentences"]["edited"] == [{
        "old": "The minister resigned on Monday evening.",
        "new": "The minister resigned on Monday night.",
    }]
    assert diff["sentences"]["added"] == diff["sentences"]["deleted"] == []
    assert diff["sentences"]["moved"] == []


def test_rewritten_sentence_is_added_and_deleted_not_edited() -> None:
    old = ["Officials declined to comment on the report."]
    new = ["Markets rallied strongly after lunchtime trading."]
    diff = diff_versions(old, new)
    check_diff(diff, old, new)
    assert diff["sentences"]["edited"] == []
    assert diff["sentences"]["added"] == new and diff["sentences"]["deleted"] == old
    # Dissimilar paragraphs are not paired into a replace.
    assert [e["op"] for e in diff["paragraphs"]] == ["delete", "insert"]


def test_whitespace_only_change_is_equal() -> None:
    diff = diff_versions(["Some  text here."], ["Some text here. "])
    assert diff["paragraphs"] == [{"op": "equal", "old": [0, 1], "new": [0, 1]}]


@pytest.mark.parametrize("old,new", [([], []), ([], ARTICLE), (ARTICLE, []),
                                     ([""], ["x"]), (["", ""], [""])])
def test_empty_inputs(old: list[str], new: list[str]) -> None:
    diff = diff_versions(old, new)
    check_diff(diff, old, new)
    if not old:
        assert diff["stats"]["paragraphs_added"] == len(new)
        assert diff["sentences"]["added"] == [s for p in new for s in split_sentences(p)]
    if not new:
        assert diff["stats"]["paragraphs_removed"] == len(old)
        assert diff["sentences"]["deleted"] == [s for p in old for s in split_sentences(p)]
    if not old and not new:
        assert diff["paragraphs"] == [] and diff["truncated"] is False


def test_cjk_and_emoji_paragraphs() -> None:
    old = ["他说好。然后走了！", "Great result 👍🏻 today."]
    new = ["他说不好。然后走了！", "Great result 👍🏿 today."]
    diff = diff_versions(old, new)
    check_diff(diff, old, new)
    first, second = entries(diff, "replace")
    assert [op for op in first["words"] if op[0] != "="] == [["+", "不"]]
    assert [op for op in second["words"] if op[0] != "="] == [["-", "👍🏻"], ["+", "👍🏿"]]


# ---------------------------------------------------------------------------------------------
# diff_words


def test_diff_words_simple() -> None:
    assert diff_words("police said five people", "police said six people") == [
        ["=", "police said "], ["-", "five"], ["+", "six"], ["=", " people"]]
    assert diff_words("", "") == []
    assert diff_words("", "new text") == [["+", "new text"]]
    assert diff_words("old text", "") == [["-", "old text"]]
    assert diff_words("same", "same") == [["=", "same"]]


def test_diff_words_keeps_words_whole() -> None:
    ops = diff_words("The Smtih family", "The Smith family")
    assert ops == [["=", "The "], ["-", "Smtih"], ["+", "Smith"], ["=", " family"]]


PIECES = [
    "the", "The", "cat", "sat", "on", "mat", "naïve", "café", "e\u0301", "Zürich", "Ωμέγα",
    "Москва", "مرحبا", "שלום", "नमस्ते", "東京", "他", "说", "好", "。", "！", "？", "「", "」",
    "😀", "👍🏻", "👨\u200d👩\u200d👧", "🇺🇸", "1️⃣", ",", ".", "!", "?", "—", "…", "\"", "“", "”",
    "'", "(", ")", "42", "3.14", "_", "\u200b", "\ufeff",
]
SPACES = [" ", " ", " ", "  ", "\t", "\n", "\u00a0", "\u3000", ""]


def random_text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(PIECES) + rng.choice(SPACES) for _ in range(n))


def mutate(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(0, 6)):
        action = rng.random()
        pos = rng.randint(0, len(chars))
        if action < 0.4 and chars:
            del chars[min(pos, len(chars) - 1)]
        elif action < 0.8:
            chars[pos:pos] = list(rng.choice(PIECES) + rng.choice(SPACES))
        else:
            chars[pos:pos] = [chr(rng.randint(0x20, 0x2FFFF))]
    return "".join(chars)


def test_diff_words_reconstruction_random() -> None:
    rng = random.Random(42)
    for _ in range(600):
        old = random_text(rng, rng.randint(0, 40))
        new = mutate(rng, old) if rng.random() < 0.7 else random_text(rng, rng.randint(0, 40))
        check_word_ops(diff_words(old, new), old, new)


def test_diff_words_reconstruction_arbitrary_code_points() -> None:
    rng = random.Random(7)
    for _ in range(200):
        old = "".join(chr(rng.randint(0, 0x10FFFF)) for _ in range(rng.randint(0, 30)))
        new = mutate(rng, old)
        check_word_ops(diff_words(old, new), old, new)


# ---------------------------------------------------------------------------------------------
# split_sentences


@pytest.mark.parametrize("text,expected", [
    ("Mr. Smith met Dr. Jones. They talked.", ["Mr. Smith met Dr. Jones.", "They talked."]),
    ("He moved to the U.S. Army base in Jan. 2020. It was cold.",
     ["He moved to the U.S. Army base in Jan. 2020.", "It was cold."]),
    ("John F. Kennedy spoke. Crowds cheered.", ["John F. Kennedy spoke.", "Crowds cheered."]),
    ('He said "Stop." Then he left.', ['He said "Stop."', "Then he left."]),
    ("“Why?” she asked. “Because.” He shrugged.", ["“Why?” she asked.", "“Because.”", "He shrugged."]),
    ("He left. ‘Goodbye,’ he said.", ["He left.", "‘Goodbye,’ he said."]),
    ("Prices rose 5.5 percent. 2024 was a good year.", ["Prices rose 5.5 percent.", "2024 was a good year."]),
    ("Wait! What? Yes.", ["Wait!", "What?", "Yes."]),
    ("Wait... What happened?", ["Wait...", "What happened?"]),
    ("It costs $5 e.g. for adults. ok then.", ["It costs $5 e.g. for adults. ok then."]),
    ("No punctuation at all", ["No punctuation at all"]),
    ("他说好。然后走了！真的？", ["他说好。", "然后走了！", "真的？"]),
    ("今日は晴れです。明日は雨です。", ["今日は晴れです。", "明日は雨です。"]),
    ("他说：“好。”然后走了。", ["他说：“好。”", "然后走了。"]),
    ("Он пришёл. Она ушла.", ["Он пришёл.", "Она ушла."]),
    ("", []),
    ("   ", []),
    (" . ", ["."]),
])
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_split_sentences_never_empty_and_keeps_text() -> None:
    rng = random.Random(3)
    for _ in range(300):
        text = random_text(rng, rng.randint(0, 30))
        sentences = split_sentences(text)
        assert all(s and s == s.strip() for s in sentences)
        # Only whitespace between sentences is dropped, never content.
        assert "".join("".join(s.split()) for s in sentences) == "".join(text.split())


def test_the_word_before_a_full_stop_is_what_the_regex_finds() -> None:
    # The splitter's abbreviation check was a regex search over the 24 characters before a
    # full stop; the string-method version must find exactly the same word.
    from tracker.diff import _last_token

    regex = re.compile(r"""[^\s(\["'“‘«]+$""")
    alphabet = list("ab.CU \n\t\u00a0\u2028(\"'“‘«[]") + ["Mr", "e.g"]
    rng = random.Random(11)
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        end = rng.randint(0, len(text))
        found = regex.search(text, max(0, end - 24), end)
        assert _last_token(text, end) == (found.group() if found else ""), (text, end)


# ---------------------------------------------------------------------------------------------
# format_diff

OUR_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_format_plain() -> None:
    new = list(ARTICLE)
    new[1] = "Police said six people were hurt. Two of them are in hospital."
    diff = diff_versions(ARTICLE, new)
    out = format_diff(diff, ARTICLE, new)
    assert "[-five-]{+six+}" in out
    assert "\x1b" not in out
    first = out.splitlines()[0]
    assert "+0" in first and "~1" in first
    assert "Police said [-five-]{+six+} people were hurt." in out


def test_format_color() -> None:
    new = list(ARTICLE)
    new[1] = "Police said six people were hurt. Two of them are in hospital."
    new.append("A brand new closing paragraph.")
    diff = diff_versions(ARTICLE, new)
    out = format_diff(diff, ARTICLE, new, color=True)
    assert "\x1b[31" in out and "\x1b[32" in out and "\x1b[0m" in out
    assert "[-five-]" not in out
    assert "five" in out and "six" in out


def test_format_delete_and_insert_prefixes() -> None:
    old = ["Keep this.", "Remove this one.", "Keep that."]
    new = ["Keep this.", "Keep that.", "Brand new words."]
    out = format_diff(diff_versions(old, new), old, new)
    lines = out.splitlines()
    assert "- Remove this one." in lines
    assert "+ Brand new words." in lines


def test_format_strips_control_characters() -> None:
    evil = "Clear\x1b[2J screen\x07 bell\x9b31m c1\r done\x00."
    old = ["Intro paragraph stays.", f"Same {evil}", "Deleted paragraph here.", "Tail."]
    new = ["Intro paragraph stays.", f"Other {evil}", f"Inserted {evil}", "Tail."]
    diff = diff_versions(old, new)
    for color in (False, True):
        out = format_diff(diff, old, new, color=color, context=5)
        residue = OUR_ANSI.sub("", out)
        for ch in ("\x1b", "\x07", "\x9b", "\r", "\x00"):
            assert ch not in residue
        assert "[2J screen" in out  # the harmless rest of the text is kept
    # Equal paragraphs shown as context are sanitised too.
    old2 = [f"Context {evil}", "Changed one."]
    new2 = [f"Context {evil}", "Changed two."]
    out = format_diff(diff_versions(old2, new2), old2, new2)
    assert "\x1b" not in out and "Context Clear[2J" in out


def test_format_context_collapses_unchanged_runs() -> None:
    old = [f"Paragraph number {n} is here." for n in range(10)]
    new = list(old)
    new[5] = "Paragraph number five is here."
    diff = diff_versions(old, new)
    out = format_diff(diff, old, new, context=1)
    assert "Paragraph number 4 is here." in out and "Paragraph number 6 is here." in out
    assert "Paragraph number 0 is here." not in out and "Paragraph number 9 is here." not in out
    assert "4 unchanged paragraphs" in out and "3 unchanged paragraphs" in out
    out0 = format_diff(diff, old, new, context=0)
    assert "Paragraph number 4 is here." not in out0
    assert "5 unchanged paragraphs" in out0
    out_all = format_diff(diff, old, new, context=100)
    assert all(f"Paragraph number {n} is here." in out_all for n in range(10) if n != 5)


def test_format_no_changes() -> None:
    out = format_diff(diff_versions(ARTICLE, ARTICLE), ARTICLE, ARTICLE)
    assert "(no changes)" in out


# ---------------------------------------------------------------------------------------------
# Cost bounds


def test_bound_20k_words_every_paragraph_changed() -> None:
    rng = random.Random(5)
    old = [paragraph(rng, 50) for _ in range(400)]
    new = [change_word(p, 5) for p in old]     # position 5: never a sentence's last word
    diff = timed(diff_versions, old, new)
    check_diff(diff, old, new)
    assert diff["stats"]["paragraphs_changed"] == 400
    assert diff["stats"]["words_added"] == diff["stats"]["words_removed"] == 400
    assert diff["stats"]["sentences_edited"] == 400
    for entry in entries(diff, "replace"):
        assert [op[0] for op in entry["words"]] == ["=", "-", "+", "="]
        assert entry["words"][2] == ["+", "zzchanged"]


def test_bound_20k_words_heavily_edited_with_moves() -> None:
    rng = random.Random(6)
    old = [paragraph(rng, 50) for _ in range(400)]
    new = []
    for n, p in enumerate(old):
        for pos in (2, 14, 26, 38):
            p = change_word(p, pos, rng.choice(VOCAB))
        if n % 50 == 7:
            new.append(paragraph(rng, 30))
        if n % 50 != 21:
            new.append(p)
    new.reverse()
    diff = timed(diff_versions, old, new)
    check_diff(diff, old, new)


def test_bound_one_huge_paragraph_vs_different() -> None:
    rng = random.Random(8)
    old = [paragraph(rng, 20_000)]
    new = [paragraph(rng, 20_000)]
    diff = timed(diff_versions, old, new)
    check_diff(diff, old, new)


def test_bound_one_huge_paragraph_small_edits() -> None:
    rng = random.Random(9)
    old = [paragraph(rng, 20_000)]
    text = old[0]
    for pos in range(100, 20_000, 200):
        text = change_word(text, pos, "zzchanged")
    new = [text]
    diff = timed(diff_versions, old, new)
    check_diff(diff, old, new)
    (replace,) = entries(diff, "replace")
    assert sum(1 for op, t in replace["words"] if op == "+") == 100
    assert diff["stats"]["words_added"] == 100


def test_bound_5000_tiny_paragraphs_vs_others() -> None:
    rng = random.Random(10)
    old = [paragraph(rng, 3) for _ in range(5000)]
    new = [paragraph(rng, 3) for _ in range(5000)]
    diff = timed(diff_versions, old, new)
    check_diff(diff, old, new)
    assert diff["truncated"] is True   # pairing could only look near the diagonal


def test_bound_repeated_identical_paragraphs() -> None:
    old = ["Same paragraph."] * 5000
    new = ["Same paragraph."] * 2500 + ["Different one."] + ["Same paragraph."] * 2500
    diff = timed(diff_versions, old, new)
    check_diff(diff, old, new)
    assert diff["stats"]["paragraphs_added"] == 1
    assert diff["stats"]["paragraphs_removed"] == 0


def test_bound_repeated_paragraphs_shifted() -> None:
    old = ["Alpha paragraph.", "Bravo paragraph."] * 2500
    new = ["Bravo paragraph.", "Alpha paragraph."] * 2500
    diff = timed(diff_versions, old, new)
    check_diff(diff, old, new)
    assert diff["stats"]["paragraphs_added"] + diff["stats"]["paragraphs_removed"] <= 10


def test_bound_few_distinct_paragraphs_random_order() -> None:
    rng = random.Random(11)
    choices = ["A b c d e.", "B c d e f.", "C d e f g."]
    old = [rng.choice(choices) for _ in range(5000)]
    new = [rng.choice(choices) for _ in range(5000)]
    diff = timed(diff_versions, old, new)
    check_diff(diff, old, new)


def test_bound_interleaved_insertions() -> None:
    rng = random.Random(12)
    old = [paragraph(rng, 3) for _ in range(3000)]
    new = [p for q in old for p in (q, paragraph(rng, 3))]
    diff = timed(diff_versions, old, new)
    check_diff(diff, old, new)
    assert diff["stats"]["paragraphs_added"] == 3000
    assert diff["stats"]["paragraphs_removed"] == 0


def test_exhausted_budgets_still_give_a_valid_diff(monkeypatch: pytest.MonkeyPatch) -> None:
    import tracker.diff as diff_module

    monkeypatch.setattr(diff_module, "_WORK_BUDGET", 0)
    monkeypatch.setattr(diff_module, "_PAIR_BUDGET", 0)
    rng = random.Random(13)
    old = [paragraph(rng, 50) for _ in range(100)]
    new = [change_word(change_word(p, 3), 20) for p in old[::-1]]
    diff = timed(diff_versions, old, new)
    check_diff(diff, old, new)
    assert diff["truncated"] is True


@pytest.mark.parametrize("old,new", [
    (" ".join(["a"] * 20_000), " ".join(["a", "b"] * 10_000)),
    (" ".join("abcde"[i % 5] for i in range(20_000)), " ".join("abcde"[i * 3 % 5] for i in range(20_000))),
    (" ".join(f"w{i}" for i in range(10_000)), " ".join(f"w{i} x{i}" for i in range(10_000))),
    ("x" * 100_000, "y" * 100_000),
])
def test_bound_word_diff_pathological(old: str, new: str) -> None:
    ops = timed(diff_words, old, new)
    check_word_ops(ops, old, new)
