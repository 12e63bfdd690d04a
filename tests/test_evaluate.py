"""Scoring on hand-made cases whose numbers are worked out by hand in the comments."""

from __future__ import annotations

import pytest

from aligner.data import Bead
from aligner.evaluate import (
    Scores,
    block_beads,
    format_beads,
    parse_beads,
    read_gold_blocks,
    score_corpus,
    score_document,
)


def beads(text: str) -> list[Bead]:
    return parse_beads(text.replace(";", "\n"))


def counts(s: Scores) -> tuple[int, int, int, int, int, int]:
    return (s.strict_p_hits, s.lax_p_hits, s.n_pred, s.strict_r_hits, s.lax_r_hits, s.n_gold)


# --------------------------------------------------------------------------- bead format


def test_parse_format_round_trip() -> None:
    text = "[0]:[0]\n[1, 2]:[1]\n[3]:[]\n[]:[2, 3]\n"
    parsed = parse_beads(text)
    assert parsed == [Bead((0,), (0,)), Bead((1, 2), (1,)), Bead((3,), ()), Bead((), (2, 3))]
    assert format_beads(parsed) == text
    assert parse_beads(format_beads(parsed)) == parsed


def test_parse_tolerates_spacing_blank_lines_crlf_and_keeps_score() -> None:
    text = "\n [0,1] : [ 2 ] \r\n\n[]:[3]:0.75\n[4]:[4]: -1e-3\n"
    assert parse_beads(text) == [
        Bead((0, 1), (2,)),
        Bead((), (3,), 0.75),
        Bead((4,), (4,), -0.001),
    ]


def test_format_with_scores_round_trips() -> None:
    b = [Bead((0,), (1,), 0.125), Bead((), (2,), 0.0)]
    assert format_beads(b, with_scores=True) == "[0]:[1]:0.125\n[]:[2]:0.0\n"
    assert parse_beads(format_beads(b, with_scores=True)) == b


def test_format_empty_is_empty() -> None:
    assert format_beads([]) == ""
    assert parse_beads("") == []


@pytest.mark.parametrize(
    "bad",
    ["[0]-[1]", "[a]:[1]", "[0,,1]:[2]", "[0]", "[0]:[1]:x", "[-1]:[0]", "[0]:[1]:0.5:7", "0:1"],
)
def test_malformed_line_names_its_line_number(bad: str) -> None:
    with pytest.raises(ValueError, match=r"line 3\b"):
        parse_beads(f"[0]:[0]\n\n{bad}\n[1]:[1]\n")


# --------------------------------------------------------------------------- Scores


def test_scores_zero_over_zero_is_zero() -> None:
    s = Scores()
    assert (s.strict_precision, s.lax_recall, s.strict_f1, s.lax_f1) == (0.0, 0.0, 0.0, 0.0)


def test_scores_add_and_sum() -> None:
    a = Scores(1, 2, 3, 4, 5, 6)
    b = Scores(10, 20, 30, 40, 50, 60)
    assert a + b == Scores(11, 22, 33, 44, 55, 66)
    assert sum([a, b]) == Scores(11, 22, 33, 44, 55, 66)  # sum() starts from 0


# --------------------------------------------------------------------------- sentence level


def test_perfect_prediction_scores_one() -> None:
    gold = beads("[0]:[0];[1]:[1, 2];[2]:[];[]:[3]")
    s = score_document(gold, list(gold))
    # precision over all 4 beads, recall over the 2 with both sides non-empty
    assert counts(s) == (4, 4, 4, 2, 2, 2)
    assert s.as_dict() == {k: 1.0 for k in s.as_dict()}


def test_one_two_predicted_as_one_one_plus_zero_one() -> None:
    gold = beads("[0]:[0];[1]:[1, 2];[2]:[3]")
    pred = beads("[0]:[0];[1]:[1];[]:[2];[2]:[3]")
    s = score_document(gold, pred)
    # precision, 4 predicted beads:
    #   [0]:[0] strict; [1]:[1] lax only (gold [1]:[1,2] shares src 1 and tgt 1);
    #   []:[2] miss (no source id to share); [2]:[3] strict  -> strict 2/4, lax 3/4
    # recall, gold aligned beads 3, predicted aligned [0]:[0], [1]:[1], [2]:[3]:
    #   [0]:[0] strict; [1]:[1,2] lax via [1]:[1]; [2]:[3] strict -> strict 2/3, lax 3/3
    assert counts(s) == (2, 3, 4, 2, 3, 3)
    assert s.strict_precision == 0.5
    assert s.lax_precision == 0.75
    assert s.strict_recall == pytest.approx(2 / 3)
    assert s.lax_recall == 1.0
    assert s.strict_f1 == pytest.approx(4 / 7)  # 2 * 1/2 * 2/3 / (1/2 + 2/3) = (2/3) / (7/6)
    assert s.lax_f1 == pytest.approx(6 / 7)  # 2 * 3/4 * 1 / (7/4)


def test_deletions_in_gold_and_prediction() -> None:
    gold = beads("[0]:[0];[1]:[];[2]:[1];[]:[2]")
    pred = beads("[0]:[0];[1]:[1];[2]:[];[]:[2]")
    s = score_document(gold, pred)
    # precision, 4 predicted beads:
    #   [0]:[0] strict; []:[2] strict (identical 0-1 in gold);
    #   [1]:[1] miss: the gold bead with src 1 is [1]:[] (no target), the one with tgt 1 has src 2;
    #   [2]:[] miss: not identical to a gold bead, and a 1-0 bead shares no target id
    #   -> strict 2/4, lax 2/4
    # recall: gold aligned [0]:[0], [2]:[1]; predicted aligned [0]:[0], [1]:[1]
    #   [0]:[0] strict; [2]:[1] miss ([1]:[1] shares tgt 1 but not src 2) -> 1/2, 1/2
    assert counts(s) == (2, 2, 4, 1, 1, 2)
    assert (s.strict_precision, s.lax_precision) == (0.5, 0.5)
    assert (s.strict_recall, s.lax_recall) == (0.5, 0.5)


def test_lax_needs_one_gold_bead_sharing_both_sides() -> None:
    gold = beads("[0]:[0];[1]:[1]")
    # [0]:[1] shares its source with gold bead 0 and its target with gold bead 1: not lax
    assert counts(score_document(gold, beads("[0]:[1];[1]:[0]"))) == (0, 0, 2, 0, 0, 2)
    # [0, 1]:[0, 1] overlaps both gold beads: lax precision 1/1, lax recall 2/2, strict nothing
    assert counts(score_document(gold, beads("[0, 1]:[0, 1]"))) == (0, 1, 1, 0, 2, 2)


def test_empty_both_sides_beads_are_dropped() -> None:
    gold = [Bead((0,), (0,)), Bead((), ())]
    pred = [Bead((), ()), Bead((0,), (0,)), Bead((), ())]
    # only [0]:[0] counts, on both sides
    assert counts(score_document(gold, pred)) == (1, 1, 1, 1, 1, 1)
    assert counts(score_document([Bead((), ())], [Bead((), ())])) == (0, 0, 0, 0, 0, 0)


def test_beads_compared_by_ids_not_score_or_id_order() -> None:
    gold = [Bead((0, 1), (0,), 0.0)]
    pred = [Bead((1, 0), (0,), 0.93)]
    assert counts(score_document(gold, pred)) == (1, 1, 1, 1, 1, 1)


def test_micro_average_differs_from_macro() -> None:
    doc_a = (beads("[0]:[0]"), beads("[0]:[0]"))  # 1 of 1 strict
    doc_b = (beads("[0]:[0];[1]:[1];[2]:[2]"), beads("[0]:[0];[1]:[2];[2]:[1]"))  # 1 of 3 strict
    s = score_corpus([doc_a, doc_b])
    # micro: (1 + 1) / (1 + 3) = 0.5; macro would be (1 + 1/3) / 2 = 2/3
    assert counts(s) == (2, 2, 4, 2, 2, 4)
    assert s.strict_precision == 0.5
    assert s.strict_recall == 0.5
    assert s.strict_f1 == 0.5
    macro = sum(score_document(*d).strict_precision for d in (doc_a, doc_b)) / 2
    assert macro == pytest.approx(2 / 3)
    assert score_corpus([]) == Scores()


def test_large_document_is_fast_enough() -> None:
    # 20,000 beads: an all-pairs match would be 4e8 comparisons; the index makes this instant
    n = 20_000
    gold = [Bead((i,), (i,)) for i in range(n)]
    pred = [Bead((i,), ((i + 1) % n,)) for i in range(n)]
    s = score_document(gold, pred)
    assert counts(s) == (0, 0, n, 0, 0, n)


# --------------------------------------------------------------------------- block level


def test_read_gold_blocks() -> None:
    text = "가나.\tAb.\r\n광고 문구.\t\n\tCd.\n\n \t \n"
    # CR stripped, blank line and the row empty on both sides skipped
    assert read_gold_blocks(text) == [("가나.", "Ab."), ("광고 문구.", ""), ("", "Cd.")]


@pytest.mark.parametrize("bad", ["no tab here", "a\tb\tc"])
def test_read_gold_blocks_bad_row_names_line(bad: str) -> None:
    with pytest.raises(ValueError, match=r"line 2\b"):
        read_gold_blocks(f"가\tA\n{bad}\n")


def test_gold_beads_number_each_side_separately() -> None:
    blocks = [("가.", "A."), ("광고.", ""), ("", "B."), ("나.", "C.")]
    gold, _, _ = block_beads(blocks, [], [], [])
    # ko blocks 0 1 2 = 가 광고 나 ; en blocks 0 1 2 = A B C
    assert gold == [
        Bead((0,), (0,)),
        Bead((1,), ()),
        Bead((), (1,)),
        Bead((2,), (2,)),
    ]


def test_finer_split_merges_into_strict_hit() -> None:
    blocks = [("가나다. 라마바.", "Abc def."), ("사아.", "Ghi.")]
    src = ["가나다.", "라마바.", "사아."]
    tgt = ["Abc def.", "Ghi."]
    # two Korean sentences of block 0 aligned separately: [0]:[0] then [1]:[] -> {0}:{0}, {0}:{}
    # share source block 0 and merge into [0]:[0], identical to gold
    pred = beads("[0]:[0];[1]:[];[2]:[1]")
    gold, merged, missing = block_beads(blocks, src, tgt, pred)
    assert merged == gold == [Bead((0,), (0,)), Bead((1,), (1,))]
    assert missing == 0.0
    assert counts(score_document(gold, merged)) == (2, 2, 2, 2, 2, 2)


def test_finer_split_both_sides_and_insertion_first() -> None:
    blocks = [("가. 나.", "A. B. C.")]
    src = ["가.", "나."]
    tgt = ["A.", "B.", "C."]
    # {}:{0}, {0}:{0}, {0}:{0}: each shares a block with the bead merged so far -> [0]:[0]
    _, merged, missing = block_beads(blocks, src, tgt, beads("[]:[0];[0]:[1];[1]:[2]"))
    assert merged == [Bead((0,), (0,))]
    assert missing == 0.0


def test_source_only_then_aligned_in_same_block_merge() -> None:
    # the brief's example: src {1} tgt {} followed by src {1} tgt {1} share source block 1
    blocks = [("가.", "A."), ("나. 다.", "B.")]
    pred = beads("[0]:[0];[1]:[];[2]:[1]")
    _, merged, _ = block_beads(blocks, ["가.", "나.", "다."], ["A.", "B."], pred)
    assert merged == [Bead((0,), (0,)), Bead((1,), (1,))]


def test_korean_only_block_predicted_as_one_zero_is_strict_hit() -> None:
    blocks = [("가.", "A."), ("광고 문구.", ""), ("나.", "B.")]
    src = ["가.", "광고 문구.", "나."]
    tgt = ["A.", "B."]
    gold, merged, missing = block_beads(blocks, src, tgt, beads("[0]:[0];[1]:[];[2]:[1]"))
    assert gold == merged == [Bead((0,), (0,)), Bead((1,), ()), Bead((2,), (1,))]
    # precision 3/3 (the 1-0 identical to gold), recall 2/2 (1-0 beads not in recall)
    assert counts(score_document(gold, merged)) == (3, 3, 3, 2, 2, 2)
    assert missing == 0.0


def test_whitespace_differences_do_not_matter() -> None:
    blocks = [("가나다 라마바.", "Hello,  world.\n"), ("사 아.", "Bye .")]
    src = ["가나다라마바.", " 사\u3000아. "]  # no space, ideographic space
    tgt = ["Hello, world.", "Bye."]
    gold, merged, missing = block_beads(blocks, src, tgt, beads("[0]:[0];[1]:[1]"))
    assert merged == gold
    assert missing == 0.0


def test_sentence_straddling_two_blocks_belongs_to_both() -> None:
    blocks = [("가.", "One."), ("나.", "Two.")]
    src = ["가.", "나."]
    tgt = ["One. Two."]  # the program's split glued both English blocks
    gold, merged, missing = block_beads(blocks, src, tgt, beads("[0, 1]:[0]"))
    # sentence 0 of en lies in blocks 0 and 1 -> one bead [0, 1]:[0, 1]
    assert merged == [Bead((0, 1), (0, 1))]
    # precision: 1 bead, not identical, overlaps gold [0]:[0] -> strict 0/1, lax 1/1
    # recall: gold [0]:[0] and [1]:[1] both overlap it -> strict 0/2, lax 2/2
    assert counts(score_document(gold, merged)) == (0, 1, 1, 0, 2, 2)
    assert missing == 0.0


def test_repeated_text_maps_to_its_own_block() -> None:
    blocks = [("네.", "Yes."), ("아니요.", "No."), ("네.", "Yes.")]
    src = ["네.", "아니요.", "네."]
    tgt = ["Yes.", "No.", "Yes."]
    gold, merged, _ = block_beads(blocks, src, tgt, beads("[0]:[0];[1]:[1];[2]:[2]"))
    # without the moving cursor the last sentences would land in block 0 again
    assert merged == gold == [Bead((0,), (0,)), Bead((1,), (1,)), Bead((2,), (2,))]


def test_missing_text_reported() -> None:
    blocks = [("가나.", "Ab."), ("다라.", "Cd.")]
    src = ["가나.", "다라."]
    tgt = ["Ab.", "Zz."]  # the program lost "Cd." and produced text found nowhere
    gold, merged, missing = block_beads(blocks, src, tgt, beads("[0]:[0];[1]:[1]"))
    # gold characters without whitespace: 3 + 3 (ko) + 3 + 3 (en) = 12; "Cd." uncovered -> 3/12
    assert missing == pytest.approx(0.25)
    # "Zz." maps to no block, so the second bead is [1]:[] over blocks
    assert merged == [Bead((0,), (0,)), Bead((1,), ())]
    # precision: [0]:[0] strict, [1]:[] misses -> 1/2; recall: gold [1]:[1] unmatched -> 1/2
    assert counts(score_document(gold, merged)) == (1, 1, 2, 1, 1, 2)


def test_sentence_left_out_of_prediction_counts_as_missing() -> None:
    blocks = [("가나다.", "Abc.")]
    src = ["가", "나다."]
    tgt = ["Abc."]
    # source sentence 1 is in the split but in no bead: "나다." (3 of 8 characters) is missing
    _, merged, missing = block_beads(blocks, src, tgt, beads("[0]:[0]"))
    assert merged == [Bead((0,), (0,))]
    assert missing == pytest.approx(3 / 8)


def test_unfound_sentence_is_skipped_and_search_moves_forward() -> None:
    blocks = [("가나다.", "A."), ("라마.", "B.")]
    src = ["가", "XYZ", "라마."]  # "XYZ" is nowhere; "나다." was dropped by the program
    tgt = ["A.", "B."]
    gold, merged, missing = block_beads(blocks, src, tgt, beads("[0]:[0];[1]:[];[2]:[1]"))
    # the bead of "XYZ" maps to no block at all and vanishes; "라마." is found past the gap
    assert merged == gold == [Bead((0,), (0,)), Bead((1,), (1,))]
    # gold characters 4 + 3 + 2 + 2 = 11; "나다." (3) uncovered
    assert missing == pytest.approx(3 / 11)


def test_bad_sentence_id_raises() -> None:
    with pytest.raises(ValueError, match="no target sentence 5"):
        block_beads([("가.", "A.")], ["가."], ["A."], [Bead((0,), (5,))])


def test_no_text_at_all() -> None:
    assert block_beads([], [], [], []) == ([], [], 0.0)


def test_deletion_then_insertion_of_one_block_pair_do_not_merge() -> None:
    # [0]:[] then []:[0] over sentences become {0}:{} and {}:{0}: they share no block on the
    # same side, so they stay two beads; the aligner did not pair them, and scores show it
    blocks = [("가.", "A.")]
    gold, merged, missing = block_beads(blocks, ["가."], ["A."], beads("[0]:[];[]:[0]"))
    assert merged == [Bead((0,), ()), Bead((), (0,))]
    assert counts(score_document(gold, merged)) == (0, 0, 2, 0, 0, 1)
    assert missing == 0.0
