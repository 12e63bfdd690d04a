"""Neighbouring units that a name or number crosses are joined (aligner/align/crossing.py): the
strict truth there is one unit, and a straight pair is left alone. The length-only aligner
(`none`) draws the crossed pairs as two 1-1 units, so there the join alone makes them one; the
real encoder checks the cases where a join would be wrong."""

from __future__ import annotations

import pytest

from aligner.align import DEFAULT_PARAMS, align, align_document
from aligner.align.crossing import Anchors, anchors, crossed, join_crossed_units
from aligner.align.params import with_max_side
from aligner.data import Bead, Document, Sentence
from aligner.encoders import load_encoder

FIRST_ASCENT_DE = [
    "Der Pik Lenin liegt im Pamir an der Grenze zwischen Kirgisistan und Tadschikistan.",
    "Die erste Besteigung gelang im Jahr 1933.",
    "Der Bergsteiger hieß Abalakow, und der Gipfel wurde seitdem oft besucht.",
    "Heute führen mehrere Routen auf den Gipfel.",
]
FIRST_ASCENT_FR = [
    "Le pic Lénine se trouve dans le Pamir, à la frontière entre le Kirghizistan et le Tadjikistan.",
    "La première ascension fut réussie en 1933 par Abalakow.",
    "Le sommet a souvent été visité depuis.",
    "Aujourd'hui, plusieurs voies mènent au sommet.",
]


def units(document: Document, encoder) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.src, b.tgt) for b in align(document, encoder).beads if b.is_aligned]


def test_tokens_that_translation_keeps_are_numbers_and_names():
    assert anchors("Erstersteigung 1933 durch B. M. Abalakow, seit 12 Jahren.") == Anchors(
        frozenset({"1933", "Abalakow", "Jahren"}), frozenset({"Erstersteigung"}))
    assert anchors("2. They reached 7.134 m, not 10,000 m.") == Anchors(
        frozenset({"7134", "10000"}), frozenset({"They"}))  # whole numbers; a list number opens nothing
    assert anchors("苹果公司Apple于2023年发布, 3Dmodel, Nguyễn.").every == {"Apple", "2023", "Nguyễn"}
    assert anchors("조달청은 ２０２３년 COVID와 SMEs 대응 제품을 샀다.").every == {"2023", "COVID", "SMEs"}


def test_a_token_in_one_units_source_and_the_others_target_crosses():
    name = Anchors(frozenset({"Abalakow"}))
    none = Anchors()
    assert crossed((name, none), (none, name))
    assert crossed((none, name), (name, none))
    assert not crossed((name, none), (name, none))
    assert not crossed((name, name), (none, name))  # on both sources: no evidence
    opening = Anchors(opening=frozenset({"Abalakow"}))
    assert crossed((none, opening), (name, none))  # a sentence may open with a name …
    assert not crossed((none, opening), (opening, none))  # … but `They` opens sentences in any text


@pytest.fixture(scope="module")
def lengths_only():
    return load_encoder("none")


def test_a_name_moved_across_a_sentence_boundary_joins_the_two_units(lengths_only):
    document = Document("ascent", "de", "fr", [Sentence(t) for t in FIRST_ASCENT_DE],
                        [Sentence(t) for t in FIRST_ASCENT_FR])
    beads = align_document(document, lengths_only)
    assert [(b.src, b.tgt) for b in beads] == [((0,), (0,)), ((1, 2), (1, 2)), ((3,), (3,))]
    assert beads[1].margin is None  # the search did not draw it


def test_units_whose_names_stay_in_their_own_sentence_are_not_joined(lengths_only):
    straight_de = FIRST_ASCENT_DE[:1] + ["Die erste Besteigung gelang Abalakow im Jahr 1933.",
                                         "Der Gipfel wurde seitdem oft besucht."] + FIRST_ASCENT_DE[3:]
    document = Document("ascent", "de", "fr", [Sentence(t) for t in straight_de],
                        [Sentence(t) for t in FIRST_ASCENT_FR])
    assert [(b.src, b.tgt) for b in align_document(document, lengths_only)] == [
        ((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), (3,))]


def test_a_document_of_joined_units_keeps_its_confidence(encoder):
    src = ["Die erste Besteigung gelang 1933.", "Abalakow kam seitdem oft wieder."]
    tgt = ["La première ascension, par Abalakow, date de 1933.", "Il est souvent revenu depuis."]
    beads = align(Document("d", "de", "fr", [Sentence(t) for t in src], [Sentence(t) for t in tgt]), encoder).beads
    assert [(b.src, b.tgt) for b in beads] == [((0, 1), (0, 1))]
    assert beads[0].confidence is not None


CROSSED_SRC = ["Die erste Besteigung gelang 1933.", "Abalakow kam oft wieder.", "Er schrieb über Zeravshan."]
CROSSED_TGT = ["La première ascension, par Abalakow, date de 1933.", "Il est revenu souvent, au Zeravshan.",
               "Il en a écrit."]
ONE_TO_ONE = [Bead((0,), (0,)), Bead((1,), (1,)), Bead((2,), (2,))]


def crossed_document(src_lines=(0, 1, 2), tgt_lines=(0, 1, 2), paragraphs=(0, 0, 0)) -> Document:
    return Document("d", "de", "fr", [Sentence(t, p, n) for t, p, n in zip(CROSSED_SRC, paragraphs, src_lines)],
                    [Sentence(t, p, n) for t, p, n in zip(CROSSED_TGT, paragraphs, tgt_lines)])


def test_a_run_of_crossed_units_becomes_one_unit_no_bigger_than_the_cap():
    assert join_crossed_units(crossed_document(), ONE_TO_ONE, 6, 5) == [Bead((0, 1, 2), (0, 1, 2))]
    assert join_crossed_units(crossed_document(), ONE_TO_ONE, 5, 5) == [Bead((0, 1), (0, 1)), Bead((2,), (2,))]
    assert join_crossed_units(crossed_document(), ONE_TO_ONE, 3, 5) == ONE_TO_ONE


def test_a_paragraph_break_a_blank_line_or_an_unaligned_sentence_parts_units():
    assert join_crossed_units(crossed_document(paragraphs=(0, 1, 1)), ONE_TO_ONE, 6, 5) == [
        Bead((0,), (0,)), Bead((1, 2), (1, 2))]
    # a pre-split file: one paragraph, a blank line (line 1) before the second sentence
    assert join_crossed_units(crossed_document(src_lines=(0, 2, 3), tgt_lines=(0, 2, 3)), ONE_TO_ONE, 6, 5) == [
        Bead((0,), (0,)), Bead((1, 2), (1, 2))]
    apart = [Bead((0,), (0,)), Bead((), (1,)), Bead((1,), (2,))]
    assert join_crossed_units(crossed_document(), apart, 6, 5) == apart


def test_a_word_that_opens_sentences_on_both_sides_joins_nothing(encoder):
    src = ["The climbers left the hut at dawn.", "They reached the summit at noon.", "The descent was quick."]
    tgt = ["At dawn the climbers left the hut.", "At noon they reached the summit.", "They came down quickly."]
    document = Document("d", "en", "en", [Sentence(t) for t in src], [Sentence(t) for t in tgt])
    assert units(document, encoder) == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]


def test_a_capitalised_opening_word_the_side_also_writes_in_lower_case_is_no_name():
    german = [Sentence("Die Zimmer im Hotel waren billig."), Sentence("Die Preise stiegen stark.")]
    units = [Bead((0,), (0,)), Bead((1,), (1,))]
    ordinary = ["The rooms at the hotel were cheap.", "Hotel prices rose sharply."]
    assert join_crossed_units(Document("d", "en", "de", [Sentence(t) for t in ordinary], german), units, 6, 5) == units
    name_like = ["The rooms were cheap.", "Hotel prices rose sharply."]  # nothing says it is not a name
    assert join_crossed_units(Document("d", "en", "de", [Sentence(t) for t in name_like], german), units, 6, 5) == [
        Bead((0, 1), (0, 1))]


# A reference cut by the splitters at `Nov .` inside its parenthesis, on both sides (Text+Berg).
REFERENCE_DE = ["Die Besteigung ist im Alpine Journal beschrieben worden.",
                "Beletsky : Mountaineering in the U.S.S.R. ( Alpine Journal , No 293 , Nov .",
                "1956 ) , S. 310-329 .", "Das Wetter war danach schlecht."]
REFERENCE_FR = ["L' ascension a été décrite dans l' Alpine Journal .",
                "E. Beletski , Mountaineering in USSR ( The Alpine Journal , n° 293 , Nov .",
                "1956 , p. 310-329 ) .", "Le temps fut ensuite mauvais ."]


def reference_document(src=REFERENCE_DE, tgt=REFERENCE_FR) -> Document:
    return Document("ref", "de", "fr", [Sentence(t, 0, n) for n, t in enumerate(src)],
                    [Sentence(t, 0, n) for n, t in enumerate(tgt)])


def test_a_parenthesis_cut_on_both_sides_joins_the_units_up_to_a_beads_side():
    one_to_one = [Bead((k,), (k,)) for k in range(4)]
    assert join_crossed_units(reference_document(), one_to_one, 6, 5) == [
        Bead((0,), (0,)), Bead((1, 2), (1, 2)), Bead((3,), (3,))]
    # bigger than the name join's cap (max_sentences): the splitters' cut is not the translation's
    bigger = [Bead((0,), (0,)), Bead((1,), (1,)), Bead((2, 3), (2, 3))]
    assert join_crossed_units(reference_document(), bigger, 2, 5) == [Bead((0,), (0,)), Bead((1, 2, 3), (1, 2, 3))]
    # but no side longer than a bead's may be (--max-side)
    assert join_crossed_units(reference_document(), bigger, 2, 2) == bigger
    assert join_crossed_units(reference_document(), one_to_one, 6, 1) == one_to_one


def test_a_bracket_open_on_one_side_only_joins_nothing():
    one_to_one = [Bead((k,), (k,)) for k in range(4)]
    closed_fr = REFERENCE_FR[:1] + ["E. Beletski , Mountaineering in USSR , The Alpine Journal , n° 293 .",
                                    "Novembre 1956 , p. 310-329 ."] + REFERENCE_FR[3:]
    assert join_crossed_units(reference_document(tgt=closed_fr), one_to_one, 6, 5) == one_to_one
    # a bracket closed before the next unit does not cross it
    closed_de = REFERENCE_DE[:1] + ["Beletsky ( Alpine Journal ) , No 293 , Nov .", "1956 , S. 310-329 ."] + REFERENCE_DE[3:]
    assert join_crossed_units(reference_document(src=closed_de), one_to_one, 6, 5) == one_to_one
    # a round bracket is not closed by a square one
    square_fr = REFERENCE_FR[:2] + ["1956 , p. 310-329 ] ."] + REFERENCE_FR[3:]
    assert join_crossed_units(reference_document(tgt=square_fr), one_to_one, 6, 5) == one_to_one


def test_the_aligner_keeps_a_reference_cut_inside_its_parenthesis_in_one_unit(encoder):
    assert units(reference_document(), encoder) == [((0,), (0,)), ((1, 2), (1, 2)), ((3,), (3,))]
    one_to_one = align(reference_document(), encoder, with_max_side(DEFAULT_PARAMS, 1)).beads
    assert all(len(b.src) <= 1 and len(b.tgt) <= 1 for b in one_to_one)
