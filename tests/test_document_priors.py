"""Costs priced by the document (aligner/align/priors.py), on real Kiwi, Punkt and encoder:
a loose, faithful translation keeps its sentences aligned, a true omission stays unaligned."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from aligner.align import align_document
from aligner.align.boilerplate import deletion_weights
from aligner.align.length import LengthModel, LengthPrior, path_length_model
from aligner.align.params import DEFAULT_PARAMS
from aligner.align.priors import matched_floor, merge_penalty_from_path, semantic_scale
from aligner.align import best_matches, matched_factors
from aligner.encoders import load_encoder
from aligner.data import Bead, Document, Sentence
from aligner.evaluate import block_beads, read_gold_blocks, score_document
from aligner.pipeline import Job, align_jobs

BIBLE = Path(__file__).parent / "fixtures" / "bible"

# A literary passage: the third Korean sentence becomes two English ones.
LITERARY_KO = [
    "그해 겨울, 할머니는 마당의 감나무 아래에서 오래도록 눈을 맞으며 서 계셨다.",
    "아무도 그 이유를 묻지 않았다.",
    "봄이 오자 할머니는 감나무 가지를 하나하나 쓰다듬으며 잘 견뎌 주어 고맙다고 말씀하셨고, "
    "우리는 그제야 할아버지가 그 나무를 심었다는 것을 알게 되었다.",
    "그 뒤로 우리 집 사람들은 누구도 감나무를 베자는 말을 꺼내지 않았다.",
    "가을마다 감이 붉게 익으면 할머니는 첫 감을 따서 장독대 위에 올려 두셨다.",
]
LITERARY_EN = [
    "That winter, Grandmother stood for a long time under the persimmon tree in the yard, letting the snow fall on her.",
    "Nobody asked her why.",
    "When spring came, she stroked the branches one by one and thanked the tree for holding on.",
    "Only then did we learn that Grandfather had planted it.",
    "After that, no one in our house ever again suggested cutting the persimmon tree down.",
    "Every autumn, when the fruit ripened red, Grandmother picked the first persimmon and set it on the crock terrace.",
]


def document(src: list[str], tgt: list[str]) -> Document:
    return Document("doc", "ko", "en", [Sentence(t) for t in src], [Sentence(t) for t in tgt])


def test_a_literary_one_to_two_translation_is_kept_whole(encoder):
    beads = align_document(document(LITERARY_KO, LITERARY_EN), encoder)
    assert [(b.src, b.tgt) for b in beads] == [((0,), (0,)), ((1,), (1,)), ((2,), (2, 3)), ((3,), (4,)), ((4,), (5,))]


def test_a_true_omission_in_a_literary_text_is_still_left_unaligned(encoder):
    inserted = "※ 이 작품은 2019년 지역 문학상 수상작입니다."
    beads = align_document(document(LITERARY_KO[:2] + [inserted] + LITERARY_KO[2:], LITERARY_EN), encoder)
    assert ((2,), ()) in [(b.src, b.tgt) for b in beads]
    assert ((3,), (2, 3)) in [(b.src, b.tgt) for b in beads]


def test_every_verse_of_a_faithful_archaic_translation_is_aligned(encoder):
    """1 Samuel 8 through the whole pipeline (Kiwi, Punkt, the encoder): each verse is one gold
    block. The cosine cut that used to split low-scoring pairs left verses 21 and 22 unaligned."""
    (result,) = list(align_jobs([Job("1samuel8", (BIBLE / "ko.txt", BIBLE / "en.txt"))], encoder))
    blocks = read_gold_blocks((BIBLE / "gold.tsv").read_text(encoding="utf-8"))
    gold, predicted, missing = block_beads(blocks, [s.text for s in result.document.src],
                                           [s.text for s in result.document.tgt], result.beads)
    assert missing == 0
    assert score_document(gold, predicted).strict_f1 == 1.0


def test_semantic_scale_follows_how_loose_the_translation_is(encoder):
    """A paraphrase's best pairs are further apart than a close translation's, so its
    dissimilarities are scaled down (its true pairs must not cost as much as deletions)."""
    close = ["The committee approved the budget on Monday.", "Prices rose by three percent last year.",
             "The museum opens at nine in the morning.", "Heavy rain is expected over the weekend."]
    ko = ["위원회는 월요일에 예산을 승인했다.", "작년에 물가가 3퍼센트 올랐다.",
          "박물관은 아침 9시에 문을 연다.", "주말 동안 폭우가 예상된다."]
    loose = ["On Monday the money question was finally settled by the members.",
             "Everything cost a little more than the year before.",
             "You can walk in as soon as the morning begins.", "Better keep an umbrella close for the next two days."]

    def scale(tgt: list[str]) -> float:
        src_vecs, tgt_vecs = encoder.encode(ko), encoder.encode(tgt)
        rows, cols = best_matches(src_vecs, tgt_vecs).anchors(-1.0)
        return semantic_scale(src_vecs, tgt_vecs, rows, cols, DEFAULT_PARAMS)

    assert scale(loose) < scale(close)
    assert 0.5 <= scale(loose) <= 2.0 and 0.5 <= scale(close) <= 2.0


def test_the_length_ratio_comes_from_the_first_path_not_from_halves_of_splits():
    """Anchors are 1-1 pairs; in a text that splits sentences they are often one half of a 1-2
    translation and say the target runs shorter than it does. The path's beads see the whole
    translation: the estimate moves from the anchors' ratio to the path's."""
    src_lens = np.array([300.0, 300.0, 300.0, 300.0])
    tgt_lens = np.array([900.0, 450.0, 450.0, 900.0, 900.0])
    beads = [Bead((0,), (0,)), Bead((1,), (1, 2)), Bead((2,), ()), Bead((3,), (3,)), Bead((), (4,))]
    prior = LengthPrior(ratio=2.0, ratio_log_sd=0.2, variance=6.8)
    from_anchors = LengthModel(2.0, 6.8)
    model = path_length_model(prior, from_anchors, beads, src_lens, tgt_lens)
    assert 2.9 < model.ratio < 3.0  # the path says 3.0 (unaligned sentences do not count)
    tiny = path_length_model(prior, from_anchors, [Bead((0,), (0,))], np.array([4.0]), np.array([12.0]))
    assert 2.0 < tiny.ratio < 2.5  # four characters hardly move the prior


def test_a_furniture_line_cut_in_two_is_furniture_in_both_parts():
    """A caption line the segmenter cut in two: the second part has no ▶ of its own but comes
    from the same line. Without line numbers (all 0) each sentence stands alone."""
    texts = ["▶ 김윤상 조달청장이 20일 렉스젠을 방문했다.",
             "수출 물량을 살펴보고 있다.",
             "조달청은 수출 기업을 지원한다."]
    weights = deletion_weights(texts, [7, 7, 8])
    assert weights[0] == weights[1] < weights[2]
    assert deletion_weights(texts)[1] == weights[2]
    assert deletion_weights(texts, [0, 0, 0])[1] == weights[2]
    # a paragraph (one line) that only mentions the licence is body text but for that sentence
    body = deletion_weights(["정부는 공공누리 제도를 확대한다.", "이용자는 늘었다.", "다음."], [1, 1, 2])
    assert body[0] == weights[0] and body[1] == body[2] == weights[2]
    # the first half of a KOGL footer says what it is by the licence's own wording
    assert deletion_weights(["조달청 이(가) 창작한 경제활력, 해외조달시장에서 답 찾다"])[0] == weights[0]


# A press release whose English version has no headline: the Korean headline restates the lead.
HEADLINE_KO = [
    "부산시, 내년 1월부터 시내버스 요금 200원 인상한다",
    "부산시는 내년 1월부터 시내버스 요금을 200원 인상한다고 12일 밝혔다.",
    "시는 연료비와 인건비가 크게 올라 요금 조정이 불가피하다고 설명했다.",
    "어린이와 청소년 요금은 그대로 유지된다.",
]
HEADLINE_EN = [
    "Busan City said on the 12th that it will raise city bus fares by 200 won from January next year.",
    "The city explained that the fare adjustment was unavoidable because fuel and labour costs had risen sharply.",
    "Fares for children and teenagers will stay the same.",
]


def _lengths(src: list[str], tgt: list[str]) -> tuple[np.ndarray, np.ndarray]:
    return np.array([len(t) for t in src]), np.array([len(t) for t in tgt])


def _floor(matches) -> float:
    """The matched floor align_document takes from the document's mutual best pairs."""
    return matched_floor(matches.row_sim[matches.anchors(-1.0)[0]], DEFAULT_PARAMS)


def test_a_headline_that_restates_the_lead_is_unaligned_when_the_other_side_has_none(encoder):
    """The headline's best match is the English lead, which prefers the Korean lead: the match is
    explained away, so leaving the headline out costs a plain deletion, not a matched one."""
    doc = document(HEADLINE_KO, HEADLINE_EN)
    assert [(b.src, b.tgt) for b in align_document(doc, encoder)] == [
        ((0,), ()), ((1,), (0,)), ((2,), (1,)), ((3,), (2,))]
    without = replace(DEFAULT_PARAMS, duplicate_similarity=1.01)  # no sentence repeats another
    assert [(b.src, b.tgt) for b in align_document(doc, encoder, without)][0] == ((0, 1), (0,))


def test_only_a_repeating_neighbour_explains_a_match_away(encoder):
    vecs, tgt = encoder.encode(HEADLINE_KO), encoder.encode(HEADLINE_EN)
    lens = _lengths(HEADLINE_KO, HEADLINE_EN)
    matches = best_matches(vecs, tgt)
    src_sim, tgt_sim = matches.unexplained(vecs, tgt, *lens, DEFAULT_PARAMS)
    assert src_sim[0] == -1.0 and matches.row_sim[0] > 0.5
    assert np.array_equal(src_sim[1:], matches.row_sim[1:])
    assert np.array_equal(tgt_sim, matches.col_sim)
    far = replace(DEFAULT_PARAMS, duplicate_window=0)
    assert np.array_equal(matches.unexplained(vecs, tgt, *lens, far)[0], matches.row_sim)
    # a sentence longer than its repeating neighbour says more than it: its match stands
    longer = lens[0].copy()
    longer[0] = longer[1] + 1
    assert np.array_equal(matches.unexplained(vecs, tgt, longer, lens[1], DEFAULT_PARAMS)[0], matches.row_sim)


def test_a_document_with_one_side_empty_has_every_sentence_unaligned(encoder):
    beads = align_document(document(HEADLINE_KO, []), encoder)
    assert [(b.src, b.tgt) for b in beads] == [((i,), ()) for i in range(len(HEADLINE_KO))]
    beads = align_document(document([], HEADLINE_EN), encoder)
    assert [(b.src, b.tgt) for b in beads] == [((), (j,)) for j in range(len(HEADLINE_EN))]


def test_the_matched_floor_sits_a_margin_below_the_documents_typical_pair(encoder):
    """A loose translation's true pairs have lower cosines, and so do its matches: the floor
    above which a match makes a deletion dearer follows the document."""
    floors = {}
    for name, (src, tgt) in {"literary": (LITERARY_KO, LITERARY_EN), "news": (HEADLINE_KO, HEADLINE_EN)}.items():
        matches = best_matches(encoder.encode(src), encoder.encode(tgt))
        sims = matches.row_sim[matches.anchors(-1.0)[0]]
        floors[name] = _floor(matches)
        assert floors[name] == pytest.approx(max(float(np.median(sims)) - DEFAULT_PARAMS.matched_margin,
                                                 DEFAULT_PARAMS.lowest_matched_floor))
    assert floors["literary"] < floors["news"] - 0.1
    assert matched_floor(np.zeros(0), DEFAULT_PARAMS) == 1.0  # no mutual best pair: nothing counts as matched
    # two unrelated texts: their best pairs are poor, and the floor stays where chance cannot reach
    unrelated = best_matches(encoder.encode(LITERARY_KO), encoder.encode(HEADLINE_EN))
    assert _floor(unrelated) == DEFAULT_PARAMS.lowest_matched_floor


def test_without_an_encoder_no_sentence_counts_as_matched():
    """The `none` encoder has no similarities: leaving a sentence out costs what Gale–Church says."""
    none = load_encoder("none")
    src, tgt = none.encode(HEADLINE_KO), none.encode(HEADLINE_EN)
    matches = best_matches(src, tgt)
    factors = matched_factors(matches, _floor(matches), src, tgt, *_lengths(HEADLINE_KO, HEADLINE_EN), DEFAULT_PARAMS)
    assert [f.tolist() for f in factors] == [[1.0] * len(HEADLINE_KO), [1.0] * len(HEADLINE_EN)]


def test_a_matched_sentence_costs_more_to_leave_out_unless_its_match_is_explained_away(encoder):
    src, tgt = encoder.encode(HEADLINE_KO), encoder.encode(HEADLINE_EN)
    matches = best_matches(src, tgt)
    src_factors, tgt_factors = matched_factors(matches, _floor(matches), src, tgt,
                                               *_lengths(HEADLINE_KO, HEADLINE_EN), DEFAULT_PARAMS)
    assert src_factors[0] == 1.0  # the headline: its match is the lead's
    assert (src_factors[1:] > 1.0).all() and (tgt_factors > 1.0).all()


# News that keeps its sentence boundaries; the Korean quote's first sentence has no English.
RACE_KO = [
    "김하늘 선수가 올해 전국 마라톤 대회에서 우승했다.",
    "그녀는 2시간 24분의 기록으로 대회 신기록을 세웠다.",
    "대회 조직위원회는 이번 대회에 3만 명이 넘는 시민이 참가했다고 밝혔다.",
    "김 선수는 지난해 무릎 부상으로 여섯 달 동안 훈련을 쉬었다.",
    "그녀는 인터뷰에서 \"작년 이맘때는 계단도 오르지 못했습니다.",
    "재활 훈련은 힘들었지만 포기하지 않았습니다\"라고 말했다.",
    "코치는 그녀가 다음 달 국가대표 선발전에 나갈 것이라고 전했다.",
    "선발전은 부산에서 열리며 상위 세 명이 세계선수권에 출전한다.",
    "대한육상연맹은 올해 대회 상금을 두 배로 늘렸다.",
    "남자부에서는 케냐의 제임스 오티에노가 2시간 8분으로 1위를 차지했다.",
    "그는 30킬로미터 지점에서 선두로 나선 뒤 끝까지 자리를 지켰다.",
    "이날 서울의 기온은 영상 5도로 달리기에 알맞았다.",
    "주최 측은 구간마다 의료진 200명을 배치했다.",
    "완주자는 모두 기념 메달을 받았다.",
    "내년 대회는 4월 둘째 주 일요일에 열린다.",
    "참가 신청은 1월부터 누리집에서 받는다.",
    "조직위원회는 해외 참가자를 위한 영어 안내도 준비하겠다고 밝혔다.",
]
RACE_EN = [
    "Kim Ha-neul won this year's national marathon.",
    "She set a course record of two hours and 24 minutes.",
    "The organising committee said more than 30,000 citizens took part in the race.",
    "Kim spent six months away from training last year with a knee injury.",
    "\"Rehabilitation was hard, but I did not give up,\" she said in an interview.",
    "Her coach said she would run in next month's national team trials.",
    "The trials will be held in Busan, and the top three will compete at the world championships.",
    "The Korea Association of Athletics Federations has doubled this year's prize money.",
    "In the men's race, James Otieno of Kenya finished first in two hours and eight minutes.",
    "He took the lead at the 30-kilometre mark and held it to the end.",
    "The temperature in Seoul was five degrees, good weather for running.",
    "The organisers placed 200 medical staff along the course.",
    "Every finisher received a commemorative medal.",
    "Next year's race will be held on the second Sunday of April.",
    "Registration opens on the website in January.",
    "The committee said it would also prepare English guidance for runners from abroad.",
]


def test_a_sentence_with_no_counterpart_is_not_absorbed_where_the_document_keeps_its_sentences(encoder):
    """Every other sentence is a 1-1 pair, so the second pass prices merges dearer: the Korean
    quote's first sentence stays unaligned instead of joining its second in a 2-1 unit (at the
    default merge price it is absorbed)."""
    document = Document("race", "ko", "en", [Sentence(t, 0, i) for i, t in enumerate(RACE_KO)],
                        [Sentence(t, 0, i) for i, t in enumerate(RACE_EN)])
    expected = [((i,), (i,)) for i in range(4)] + [((4,), ())] + [((i + 1,), (i,)) for i in range(4, 16)]
    assert [(b.src, b.tgt) for b in align_document(document, encoder)] == expected
    at_default = align_document(document, encoder, replace(DEFAULT_PARAMS, merge_prior=0.0))
    assert ((4, 5), (4,)) in [(b.src, b.tgt) for b in at_default]


def test_merges_cost_more_only_in_a_document_whose_first_pass_hardly_merges():
    params = DEFAULT_PARAMS
    one_to_one = [Bead((i,), (i,)) for i in range(30)]
    regrouped = [Bead((2 * i, 2 * i + 1), (i,)) for i in range(30)]
    assert merge_penalty_from_path(regrouped, params) == params.merge_penalty
    dearer = merge_penalty_from_path(one_to_one, params)
    assert dearer > params.merge_penalty
    # a short document says less: its price stays nearer the default
    assert params.merge_penalty < merge_penalty_from_path(one_to_one[:3], params) < dearer
    # deletions are not merges
    assert merge_penalty_from_path(one_to_one + [Bead((30,), ())] * 5, params) == dearer
    # no aligned bead and no pseudo-beads, or no sparse level: the default, not a division by zero
    assert merge_penalty_from_path([], replace(params, merge_prior_beads=0.0)) == params.merge_penalty
    assert merge_penalty_from_path(one_to_one, replace(params, sparse_merges=0.0)) == params.merge_penalty
