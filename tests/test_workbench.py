"""The workbench without a browser: the project file, every edit and its undo, re-align
pending with the real encoder, the views, and the export through the real TMX writer."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.data import Alignment, Bead
from aligner.formats.review import read_review_tsv
from aligner.formats.tmx import lint_tmx, read_tmx, validate_dtd
from aligner.workbench import edits, views
from aligner.workbench.export import export
from aligner.workbench.project import AUTOMATIC, CONFIRMED, EDITED, DocState, StaleChange
from aligner.workbench.realign import params_of, realign_pending
from aligner.workbench.store import Project, Settings, create_project, write_project
from tests.conftest import SEEDS, notice, press_release, run_cli
from tests.omegat import omegat_available, omegat_required, pretranslate, tmx14_dtd

KO = ["한-캐나다 협력", "조달청은 16일 양해각서를 체결했다.", "협약식에서 기념촬영을 했다.", "양국은 정보를 공유한다.",
      "전자조달 협력도 강화한다.", "조달 정책도 논의했다.", "이번 협약은 엑스포 회담을 계기로 이뤄졌다.", "* 문의: 042-724-7470"]
EN = ["Korea and Canada cooperate", "PPS signed an MOU on the 16th.", "It covers procurement.",
      "Both countries share information.", "They discussed procurement policy.", "The MOU followed talks at the Expo.",
      "Photo: KINTEX"]


def small() -> list[Alignment]:
    return [press_release(KO, EN, [0.82, 0.71, 0.64, 0.52, 0.31]),
            notice("notice", ["계약 절차가 간소화된다.", "자세한 내용은 누리집을 참조하라."],
                   ["Contract procedures will be simplified.", "See the website for details.", "© KOGL Type 1"])]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    path = tmp_path / "small.aligner"
    create_project(path, small(), Settings("use", 5))
    opened = Project(path)
    yield opened
    opened.close()


def texts(doc: DocState) -> list[tuple[list[str], list[str]]]:
    return [(doc.texts(u, "src"), doc.texts(u, "tgt")) for u in doc.units]


def reopened(project: Project) -> list[DocState]:
    """The documents as a new process would read them from the file."""
    other = Project(project.path)
    try:
        return other.documents
    finally:
        other.close()


def covers_every_sentence_once(doc: DocState) -> bool:
    ids = [sid for unit in doc.units for sid in unit.src + unit.tgt]
    return sorted(ids) == sorted(doc.sentences) and len(ids) == len(set(ids))


def do(project: Project, change) -> None:
    """Record an edit; then the file holds what memory holds, and undo then redo go round."""
    before = [list(d.units) for d in project.documents], [dict(d.sentences) for d in project.documents]
    project.record(change)
    after = [list(d.units) for d in project.documents], [dict(d.sentences) for d in project.documents]
    assert all(covers_every_sentence_once(d) for d in project.documents)
    assert [(d.units, d.sentences) for d in reopened(project)] == list(zip(*after))
    assert project.undo() == change
    assert ([list(d.units) for d in project.documents], [dict(d.sentences) for d in project.documents]) == before
    assert project.redo() == change
    assert ([list(d.units) for d in project.documents], [dict(d.sentences) for d in project.documents]) == after


# --------------------------------------------------------------------------- the file


def test_a_new_project_holds_the_alignment_as_automatic_rows(project):
    doc = project.documents[0]
    assert project.settings == Settings("use", 5)
    assert [u.kind for u in doc.units] == ["1-1", "1-2", "1-0", "1-1", "2-1", "1-1", "0-1", "1-0"]
    assert {u.status for d in project.documents for u in d.units} == {AUTOMATIC}
    assert texts(doc)[1] == ([KO[1]], EN[1:3])
    assert doc.units[4].score == 0.52 and doc.units[4].confidence is None
    assert project.history_counts() == (0, 0)


def test_creating_a_project_replaces_the_old_one_whole(tmp_path):
    path = tmp_path / "p.aligner"
    create_project(path, small(), Settings("use", 5))
    create_project(path, small()[1:], Settings("none", 3))
    assert [p.name for p in tmp_path.iterdir()] == ["p.aligner"]
    reopened = Project(path)
    assert len(reopened.documents) == 1 and reopened.settings == Settings("none", 3)
    reopened.close()


def test_a_new_run_keeps_a_project_that_holds_review_work(tmp_path):
    path = tmp_path / "small.aligner"
    assert write_project(path, small(), Settings("use", 5)) is None
    assert write_project(path, small(), Settings("use", 5)) is None  # nothing reviewed: replaced
    project = Project(path)
    project.record(edits.confirm(project.documents[0], 2))
    project.close()
    note = write_project(path, small()[1:], Settings("use", 5))
    assert note == f"the earlier project, with 1 edits, is kept as {tmp_path / 'small.1.aligner'}"
    kept, new = Project(tmp_path / "small.1.aligner"), Project(path)
    assert kept.documents[0].units[2].status == CONFIRMED and kept.history_counts() == (1, 0)
    assert len(new.documents) == 1 and new.history_counts() == (0, 0)
    kept.close()
    new.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small.1.aligner", "small.aligner"]


def test_a_file_that_is_no_project_is_bad_input(tmp_path):
    from aligner.errors import InputError

    bogus = tmp_path / "x.aligner"
    bogus.write_text("not sqlite")
    with pytest.raises(InputError, match="is not an aligner project"):
        Project(bogus)


# --------------------------------------------------------------------------- every edit, undone and redone


def test_merge_with_next(project):
    doc = project.documents[0]
    do(project, edits.merge_next(doc, 1))
    assert texts(doc)[1] == ([KO[1], KO[2]], EN[1:3])
    assert doc.units[1].status == EDITED and doc.units[1].score is None and len(doc.units) == 7
    with pytest.raises(edits.EditError, match="no row below"):
        edits.merge_next(doc, len(doc.units) - 1)


def test_split_a_unit_between_its_sentences(project):
    doc = project.documents[0]
    do(project, edits.split_unit(doc, 1, 1, 1))
    assert texts(doc)[1:3] == [([KO[1]], [EN[1]]), ([], [EN[2]])]
    with pytest.raises(edits.EditError, match="both rows"):
        edits.split_unit(doc, 0, 1, 1)


def test_split_a_sentence_at_an_offset(project):
    doc = project.documents[0]
    cut = KO[1].index("양해각서")
    do(project, edits.split_sentence(doc, 1, "src", 0, cut, project.next_sentence_id()))
    assert texts(doc)[1] == (["조달청은 16일", "양해각서를 체결했다."], EN[1:3])
    assert len(doc.sentences) == len(KO) + len(EN) + 1
    with pytest.raises(edits.EditError, match="text on both sides"):
        edits.split_sentence(doc, 0, "tgt", 0, 0, project.next_sentence_id())


def test_move_a_sentence_to_the_row_above_and_below(project):
    doc = project.documents[0]
    do(project, edits.move_sentence(doc, 1, "tgt", "up"))  # EN[1] joins the title's row
    assert texts(doc)[:2] == [([KO[0]], EN[0:2]), ([KO[1]], [EN[2]])]
    do(project, edits.move_sentence(doc, 4, "src", "down"))  # KO[5] goes to the row below
    assert texts(doc)[4:6] == [([KO[4]], [EN[4]]), ([KO[5], KO[6]], [EN[5]])]
    with pytest.raises(edits.EditError, match="no row above"):
        edits.move_sentence(doc, 0, "src", "up")
    with pytest.raises(edits.EditError, match="no sentence to move"):
        edits.move_sentence(doc, 2, "tgt", "down")


def test_insert_and_remove_an_empty_row(project):
    doc = project.documents[0]
    do(project, edits.insert_empty(doc, 3))
    assert doc.units[3].is_empty and len(doc.units) == 9
    do(project, edits.move_sentence(doc, 2, "src", "down"))  # the caption into the empty row
    assert texts(doc)[2:4] == [([], []), ([KO[2]], [])]
    do(project, edits.remove_empty(doc, 2))
    assert len(doc.units) == 8
    with pytest.raises(edits.EditError, match="only an empty row"):
        edits.remove_empty(doc, 0)


def test_edit_a_sentence_text(project):
    doc = project.documents[1]
    do(project, edits.edit_text(doc, 1, "src", 0, "  자세한 내용은\t누리집을 보라. "))
    assert texts(doc)[1] == (["자세한 내용은 누리집을 보라."], ["See the website for details."])
    with pytest.raises(edits.EditError, match="cannot be emptied"):
        edits.edit_text(doc, 1, "src", 0, " \n")


def test_confirm_a_row_confirms_the_rows_above(project):
    doc = project.documents[0]
    do(project, edits.confirm(doc, 1))
    do(project, edits.confirm(doc, 3))
    assert [u.status for u in doc.units[:5]] == [CONFIRMED] * 4 + [AUTOMATIC]
    change = edits.confirm(doc, 4)
    assert change.start == 4 and len(change.before) == 1  # the rows already confirmed are not rewritten
    with pytest.raises(edits.EditError, match="already confirmed"):
        edits.confirm(doc, 2)


def test_undo_history_survives_a_restart_and_a_new_edit_drops_the_redo(project, tmp_path):
    doc = project.documents[0]
    project.record(edits.merge_next(doc, 0))
    project.record(edits.confirm(doc, 2))
    project.record(edits.edit_text(project.documents[1], 0, "tgt", 0, "Procedures get simpler."))
    assert project.undo().op == "edit"
    project.close()

    again = Project(project.path)
    assert again.history_counts() == (2, 1)
    assert again.redo().op == "edit"
    assert again.documents[1].sentences[again.documents[1].units[0].tgt[0]].text == "Procedures get simpler."
    assert again.undo().op == "edit" and again.undo().op == "confirm" and again.undo().op == "merge"
    assert again.undo() is None
    fresh = tmp_path / "fresh.aligner"
    create_project(fresh, small(), Settings("use", 5))
    assert [d.units for d in again.documents] == [d.units for d in reopened(Project(fresh))]
    again.record(edits.insert_empty(again.documents[0], 0))
    assert again.history_counts() == (1, 0)  # the three undone edits cannot come back now
    assert again.redo() is None
    again.close()


def test_a_change_is_refused_when_the_rows_moved_under_it(project):
    doc = project.documents[0]
    stale = edits.merge_next(doc, 3)
    project.record(edits.insert_empty(doc, 0))
    with pytest.raises(StaleChange, match="not in the state"):
        project.record(stale)
    assert len(reopened(project)[0].units) == 9


# --------------------------------------------------------------------------- views


def test_filters_next_to_check_search_and_counts(project):
    doc = project.documents[0]
    # rows: 1-1 .82, 1-2 .71, 1-0, 1-1 .64, 2-1 .52, 1-1 .31, 0-1, 1-0
    assert views.matching_rows(doc, "low") == [4, 5]
    assert views.matching_rows(doc, "unaligned") == [2, 6, 7]
    assert views.matching_rows(doc, "not-1-1") == [1, 2, 4, 6, 7]
    assert views.matching_rows(doc, "check") == [1, 2, 4, 5, 6, 7]
    assert views.matching_rows(doc, "all", "mou") == [1, 5]  # case ignored
    assert views.matching_rows(doc, "low", "MOU") == [5]
    assert views.matching_rows(doc, "all", "엑스포") == [5]
    assert views.next_to_check(doc, 2) == 4 and views.next_to_check(doc, 7) == 1
    project.record(edits.confirm(doc, 4))
    assert views.matching_rows(doc, "unconfirmed") == [5, 6, 7]
    assert views.next_to_check(doc, 0) == 5
    assert views.counts(doc) == {"rows": 8, "units": 8, "confirmed": 5, "edited": 0, "automatic": 3, "to_check": 3}
    with pytest.raises(ValueError, match="unknown filter"):
        views.matching_rows(doc, "pretty")


def test_a_calibrated_confidence_decides_before_the_score(project):
    doc = project.documents[0]
    doc.units[0] = doc.units[0]._replace(confidence=0.2)
    doc.units[5] = doc.units[5]._replace(confidence=0.9)
    assert views.is_low(doc.units[0]) and not views.is_low(doc.units[5])


# --------------------------------------------------------------------------- re-align pending


def test_realign_pending_keeps_confirmed_rows_and_redoes_the_rest(tmp_path, seeds_aligned, encoder):
    """Rows after the confirmed ones are thrown together (all remaining source sentences in
    one row, all target sentences in another); re-aligning finds the run's own alignment."""
    right = seeds_aligned[0]
    keep = 3
    rest = right.beads[keep:]
    wrong = Alignment(right.document, right.beads[:keep] + [
        Bead(tuple(i for b in rest for i in b.src), ()), Bead((), tuple(j for b in rest for j in b.tgt))])
    path = tmp_path / "seeds.aligner"
    create_project(path, [wrong], Settings("use", 5))
    project = Project(path)
    doc = project.documents[0]
    project.record(edits.confirm(doc, keep - 1))
    confirmed = list(doc.units[:keep])

    change = realign_pending(doc, encoder, params_of(project.settings))
    project.record(change)
    assert doc.units[:keep] == confirmed
    assert covers_every_sentence_once(doc)
    assert reopened(project)[0].units == doc.units
    # sentence ids: the source side first, in order, then the target side (create_project)
    n = len(right.document.src)
    assert [(u.src, u.tgt) for u in doc.units[keep:]] == [
        (b.src, tuple(n + j for j in b.tgt)) for b in rest]
    assert all(u.status == AUTOMATIC and u.score is not None for u in doc.units[keep:])
    assert project.undo().op == "realign" and reopened(project)[0].units == doc.units
    assert [u.kind for u in doc.units[keep:]] == [f"{len(rest) and sum(len(b.src) for b in rest)}-0",
                                                  f"0-{sum(len(b.tgt) for b in rest)}"]
    project.record(edits.confirm(doc, len(doc.units) - 1))
    assert realign_pending(doc, encoder, params_of(project.settings)) is None  # nothing pending
    project.close()


def test_a_caption_stays_out_of_re_aligned_units_and_is_marked(tmp_path, encoder):
    from aligner.data import Sentence as TextSentence

    alignment = small()[0]
    caption = alignment.document.src[2]
    alignment.document.src[2] = TextSentence(caption.text, caption.paragraph, caption.line, "caption")
    # the caption thrown into the row above, as a careless first alignment might
    alignment.beads[1:3] = [Bead((1, 2), (1, 2), 0.7)]
    path = tmp_path / "caption.aligner"
    create_project(path, [alignment], Settings("use", 5))
    project = Project(path)
    doc = project.documents[0]
    assert views.row_json(doc, 1)["kept_out"] == [[False, True], [False, False]]
    project.record(realign_pending(doc, encoder, params_of(project.settings)))
    caption_rows = [u for u in doc.units if 2 in u.src]
    assert caption_rows == [caption_rows[0]] and caption_rows[0].kind == "1-0"
    assert reopened(project)[0].sentences[2].kind == "caption"
    project.close()


# --------------------------------------------------------------------------- export


def test_an_untouched_project_exports_the_run_s_own_tmx_and_tsv(tmp_path):
    date = "20240416T000000Z"
    result = run_cli("align", SEEDS, "-o", tmp_path / "seeds.tmx", "--encoder", "none", "--date", date)
    assert result.returncode == 0, result.stderr
    assert f"wrote {tmp_path / 'seeds.aligner'}" in result.stdout
    result = run_cli("export", tmp_path / "seeds.aligner", "-o", tmp_path / "again.tmx", "--date", date)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "again.tmx").read_bytes() == (tmp_path / "seeds.tmx").read_bytes()
    assert run_cli("export", tmp_path / "seeds.tmx", "-o", tmp_path / "again.tsv").returncode == 0
    assert (tmp_path / "again.tsv").read_text() == (tmp_path / "seeds.review.tsv").read_text()

    missing = run_cli("export", tmp_path / "other.tmx", "-o", tmp_path / "x.tmx")
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1 and "no project other.aligner" in missing.stderr
    wrong = run_cli("export", tmp_path / "seeds.aligner", "-o", tmp_path / "x.html")
    assert wrong.returncode == 2 and "export to a .tmx or a .tsv file" in wrong.stderr
    assert not (tmp_path / "x.tmx").exists() and not (tmp_path / "x.html").exists()


def pairs(path: Path) -> list[tuple[str, str]]:
    return [(u.src, u.tgt) for u in read_tmx(path)[0]]


def test_export_all_confirmed_only_or_above_a_confidence(project, tmp_path):
    doc = project.documents[0]
    project.record(edits.merge_next(doc, 1))  # 1-2 + caption: an edited 2-2 row, no score
    project.record(edits.confirm(doc, 2))
    everything, confirmed, sure = tmp_path / "all.tmx", tmp_path / "confirmed.tmx", tmp_path / "sure.tmx"
    assert export(project, everything) == 7
    assert export(project, confirmed, confirmed_only=True) == 3
    assert export(project, sure, min_confidence=0.6) == 5
    merged = (f"{KO[1]} {KO[2]}", f"{EN[1]} {EN[2]}")
    assert pairs(confirmed) == [(KO[0], EN[0]), merged, (KO[3], EN[3])]
    # at or above .6: .82, the edited row (no score), .64, and the notice's .912 and .7702
    assert [p[0] for p in pairs(sure)] == [KO[0], merged[0], KO[3], "계약 절차가 간소화된다.", "자세한 내용은 누리집을 참조하라."]
    for path in (everything, confirmed, sure):
        assert lint_tmx(path) == []

    # the TSV keeps every row; a row left out says why, and `aligner tmx` gives the same units
    tsv = tmp_path / "confirmed.tsv"
    assert export(project, tsv, confirmed_only=True) == 10
    assert [(u.src, u.tgt) for u in read_review_tsv(tsv)] == pairs(confirmed)
    assert statuses(tsv) == ["aligned", "aligned", "aligned", "unconfirmed", "unconfirmed", "unaligned",
                             "unaligned", "unconfirmed", "unconfirmed", "unaligned"]


def statuses(tsv: Path) -> list[str]:
    lines = tsv.read_text(encoding="utf-8").splitlines()
    column = lines[0].split("\t").index("status")
    return [line.split("\t")[column] for line in lines[1:]]


def test_a_row_below_the_confidence_asked_for_is_left_out_as_low_confidence(tmp_path):
    """The confidence decides where the aligner gave one; the score stands in only where it did
    not, and the TSV says which of the two left the row out."""
    first, second = small()
    confidences = iter([0.9, 0.3, 0.8, None, None])  # of the aligned beads, whose scores are .82 .71 .64 .52 .31
    beads = [Bead(b.src, b.tgt, b.score, next(confidences)) if b.is_aligned else b for b in first.beads]
    path = tmp_path / "sure.aligner"
    create_project(path, [Alignment(first.document, beads), second], Settings("use", 5))
    project = Project(path)
    try:
        tsv, tmx = tmp_path / "sure.tsv", tmp_path / "sure.tmx"
        export(project, tsv, min_confidence=0.6)
        assert export(project, tmx, min_confidence=0.6) == 4
    finally:
        project.close()
    assert statuses(tsv) == ["aligned", "low-confidence", "unaligned", "aligned", "low-score", "low-score",
                             "unaligned", "unaligned", "aligned", "aligned", "unaligned"]
    assert [p[0] for p in pairs(tmx)] == [KO[0], KO[3], "계약 절차가 간소화된다.", "자세한 내용은 누리집을 참조하라."]
    assert [(u.src, u.tgt) for u in read_review_tsv(tsv)] == pairs(tmx)


def test_the_export_of_an_edited_project_is_dtd_valid_and_omegat_fills_it(project, tmp_path):
    if not omegat_available():
        if omegat_required():
            pytest.fail("ALIGNER_REQUIRE_OMEGAT=1 but OmegaT is not installed (apt-get install -y omegat)")
        pytest.skip("OmegaT not installed (apt-get install -y omegat)")
    doc = project.documents[0]
    project.record(edits.move_sentence(doc, 1, "tgt", "down"))  # EN[2] joins the caption: a new 1-1
    project.record(edits.edit_text(doc, 3, "tgt", 0, "Both countries <will> share information & more."))
    path = tmp_path / "edited.tmx"
    export(project, path)
    dtd = tmp_path / "tmx14.dtd"
    assert tmx14_dtd(dtd) is not None
    assert validate_dtd(path, dtd) == [] and lint_tmx(path) == []
    units = pairs(path)
    assert (KO[2], EN[2]) in units and (KO[3], "Both countries <will> share information & more.") in units
    # one segment per line: a 2-1 unit's source is one line of two sentences
    target = pretranslate(path, [src for src, _ in units], tmp_path / "omegat", sentence_seg=False)
    assert target == [tgt for _, tgt in units]
