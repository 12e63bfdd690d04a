"""Neighbouring units that a name or number crosses are joined (aligner/align/crossing.py), on
the real encoder: the strict truth there is one unit, and a straight pair is left alone."""

from __future__ import annotations

from aligner.align import align
from aligner.align.crossing import Anchors, anchors, crossed, join_crossed_units
from aligner.data import Bead, Document, Sentence

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


def test_a_name_moved_across_a_sentence_boundary_joins_the_two_units(encoder):
    document = Document("ascent", "de", "fr", [Sentence(t) for t in FIRST_ASCENT_DE],
                        [Sentence(t) for t in FIRST_ASCENT_FR])
    assert units(document, encoder) == [((0,), (0,)), ((1, 2), (1, 2)), ((3,), (3,))]


def test_units_whose_names_stay_in_their_own_sentence_are_not_joined(encoder):
    straight_de = FIRST_ASCENT_DE[:2] + ["Seitdem wurde der Gipfel oft besucht."] + FIRST_ASCENT_DE[3:]
    document = Document("ascent", "de", "fr", [Sentence(t) for t in straight_de],
                        [Sentence(t) for t in FIRST_ASCENT_FR])
    assert units(document, encoder) == [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), (3,))]


def test_units_in_different_paragraphs_are_not_joined():
    src = [Sentence("Die erste Besteigung gelang 1933.", 0), Sentence("Abalakow kam oft wieder.", 1)]
    tgt = [Sentence("La première ascension, par Abalakow, date de 1933.", 0), Sentence("Il est souvent revenu.", 1)]
    beads = [Bead((0,), (0,)), Bead((1,), (1,))]
    assert join_crossed_units(Document("d", "de", "fr", src, tgt), beads, 6) == beads
    one_paragraph = [Sentence(s.text, 0) for s in src], [Sentence(t.text, 0) for t in tgt]
    assert join_crossed_units(Document("d", "de", "fr", *one_paragraph), beads, 6) == [Bead((0, 1), (0, 1))]
    assert join_crossed_units(Document("d", "de", "fr", *one_paragraph), beads, 3) == beads  # too big


def test_a_word_that_opens_sentences_on_both_sides_joins_nothing(encoder):
    src = ["The climbers left the hut at dawn.", "They reached the summit at noon.", "The descent was quick."]
    tgt = ["At dawn the climbers left the hut.", "At noon they reached the summit.", "They came down quickly."]
    document = Document("d", "en", "en", [Sentence(t) for t in src], [Sentence(t) for t in tgt])
    assert units(document, encoder) == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
