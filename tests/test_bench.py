"""The bench's plumbing on tiny gold sets written here: line-level gold from gold.tsv, extra sets
given by path, the modes each folder is read in, and the summary against the targets."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.bench import LINES, PAIR, PRESPLIT, GoldSet, parse_extra, sets_in, summary
from aligner.data import Bead
from aligner.errors import InputError
from aligner.evaluate import Scores
from aligner.gold import (DocumentResult, Report, evaluate_path, find_presplit, has_line_gold, line_gold,
                          raw_languages)

VERSES = [
    ("태초에 하나님이 천지를 창조하시니라", "In the beginning God created the heaven and the earth."),
    ("하나님이 가라사대 빛이 있으라 하시매 빛이 있었고", "And God said, Let there be light: and there was light."),
    ("하나님이 빛을 낮이라 칭하시고 어두움을 밤이라 칭하시니라", "And God called the light Day, and the darkness he called Night."),
]


def write_raw(folder: Path, rows: list[tuple[str, str]], ko_lines: list[str] | None = None,
              en_lines: list[str] | None = None) -> Path:
    folder.mkdir(parents=True)
    (folder / "gold.tsv").write_text("".join(f"{ko}\t{en}\n" for ko, en in rows), encoding="utf-8")
    ko_lines = [ko for ko, _ in rows if ko] if ko_lines is None else ko_lines
    en_lines = [en for _, en in rows if en] if en_lines is None else en_lines
    (folder / "ko.txt").write_text("\n".join(ko_lines) + "\n", encoding="utf-8")
    (folder / "en.txt").write_text("\n".join(en_lines) + "\n", encoding="utf-8")
    return folder


def test_line_gold_pairs_verse_i_with_verse_i() -> None:
    ko, en = [k for k, _ in VERSES], [e for _, e in VERSES]
    assert line_gold(VERSES, ko, en) == [Bead((0,), (0,)), Bead((1,), (1,)), Bead((2,), (2,))]


def test_line_gold_omitted_verse_is_a_null_bead_and_blank_lines_keep_their_number() -> None:
    rows = [VERSES[0], ("", VERSES[1][1]), VERSES[2]]
    ko = [VERSES[0][0], "", VERSES[2][0]]  # a blank line where the verse is missing
    en = [e for _, e in VERSES]
    assert line_gold(rows, ko, en) == [Bead((0,), (0,)), Bead((), (1,)), Bead((2,), (2,))]
    ko_tight = [VERSES[0][0], VERSES[2][0]]  # or no line at all
    assert line_gold(rows, ko_tight, en) == [Bead((0,), (0,)), Bead((), (1,)), Bead((1,), (2,))]


def test_line_gold_refuses_lines_that_are_not_the_blocks() -> None:
    ko, en = [k for k, _ in VERSES], [e for _, e in VERSES]
    with pytest.raises(ValueError, match="line 2"):
        line_gold(VERSES, ko, [en[0], en[2], en[1]])
    with pytest.raises(ValueError, match="2 target lines for 3"):
        line_gold(VERSES, ko, en[:2])
    # whitespace is not text
    assert line_gold(VERSES, [f"  {k} " for k in ko], [e.replace(" ", "  ") for e in en])


def test_raw_folder_with_one_block_a_line_is_also_read_as_lines(tmp_path: Path) -> None:
    bible = tmp_path / "bible"
    write_raw(bible / "gen1", VERSES)
    assert has_line_gold(bible)
    assert [s.mode for s in sets_in(bible, "bible")] == [PAIR, LINES]
    news = tmp_path / "news"  # two blocks on one line: a paragraph, not verses
    write_raw(news / "doc", VERSES, ko_lines=[VERSES[0][0] + " " + VERSES[1][0], VERSES[2][0]])
    assert not has_line_gold(news)
    assert [s.mode for s in sets_in(news, "news")] == [PAIR]
    with pytest.raises(InputError):
        evaluate_path(news, None, raw_input="lines")


def test_lines_mode_aligns_the_verses_as_sentences(tmp_path: Path, encoder) -> None:
    bible = tmp_path / "bible"
    write_raw(bible / "gen1", [VERSES[0], ("", VERSES[1][1]), VERSES[2]])
    report = evaluate_path(bible, encoder, raw_input="lines")
    assert report.mode == "lines as sentences"
    assert report.documents[0].gold == [Bead((0,), (0,)), Bead((), (1,)), Bead((1,), (2,))]
    assert report.scores.n_gold == 2


def test_raw_documents_in_other_languages_are_read_by_their_file_names(tmp_path: Path, encoder) -> None:
    """A raw zh-en document (zh.txt, en.txt) is split as Chinese and scored by its blocks; the
    languages come from the file names, English the target, or from --src-lang/--tgt-lang."""
    doc = tmp_path / "novel" / "ch1"
    doc.mkdir(parents=True)
    rows = [("今天下雨了。", "It rained today."), ("我们没有去公园，而是在家看书。", "We did not go to the park but read at home."),
            ("晚上雨停了！", "In the evening the rain stopped!")]
    (doc / "gold.tsv").write_text("".join(f"{zh}\t{en}\n" for zh, en in rows), encoding="utf-8")
    (doc / "zh.txt").write_text("".join(zh for zh, _ in rows) + "\n", encoding="utf-8")  # one paragraph, no spaces
    (doc / "en.txt").write_text(" ".join(en for _, en in rows) + "\n", encoding="utf-8")
    for langs in ({}, {"src_lang": "zh", "tgt_lang": "en"}):
        report = evaluate_path(tmp_path / "novel", encoder, **langs)
        assert report.mode == "raw pair"
        assert (report.documents[0].alignment.document.src_lang, len(report.documents[0].alignment.document.src)) == ("zh", 3)
        assert report.scores.strict_f1 == 1.0


def test_raw_languages_from_the_file_names_and_the_side_given(tmp_path: Path) -> None:
    doc = tmp_path / "doc"
    doc.mkdir()
    for name in ("zh.txt", "en.txt", "notes.txt", "bilingual.txt"):  # notes.txt names no language
        (doc / name).write_text("x\n", encoding="utf-8")
    assert raw_languages(doc) == ("zh", "en")
    assert raw_languages(doc, src_lang="en") == ("en", "zh")  # the side not given is the other file
    assert raw_languages(doc, tgt_lang="zh") == ("en", "zh")
    assert raw_languages(doc, "zh-CN", "en") == ("zh-CN", "en")
    (doc / "zh.txt").unlink()
    assert raw_languages(doc) == ("ko", "en")  # no pair of language files: the default pair


def test_extra_set_by_path_name_and_languages(tmp_path: Path) -> None:
    mac = tmp_path / "mac-test"
    mac.mkdir()
    for suffix, text in (("zh", "你好。\n"), ("en", "Hello.\n"), ("align", "[0]:[0]\n")):
        (mac / f"001.{suffix}").write_text(text, encoding="utf-8")
    assert parse_extra(str(mac)) == [GoldSet("mac-test", mac, PRESPLIT)]
    assert parse_extra(f"mac={mac}:zh-en") == [GoldSet("mac", mac, PRESPLIT, "zh", "en")]
    with pytest.raises(InputError, match="no such folder"):
        parse_extra(str(tmp_path / "missing"))
    # English is the target side when the languages come from the file names
    assert find_presplit(mac, None, None)[0][4:] == ("zh", "en")


def _report(hits: int, total: int) -> Report:
    report = Report("set", "pre-split", "use-onnx")
    report.documents.append(DocumentResult("d", Scores(hits, hits, total, hits, hits, total), [], []))
    return report


def test_summary_needs_the_target_and_for_mac_test_a_win_over_bertalign() -> None:
    mac = GoldSet("mac-test", Path("mac"), PRESPLIT)
    other = GoldSet("unknown", Path("u"), PRESPLIT)
    runs = [(mac, "use-onnx", _report(89, 100)), (mac, "bertalign (use-onnx)", _report(90, 100)),
            (other, "use-onnx", _report(50, 100))]
    lines = summary([mac, other], runs, ["use-onnx"], ["use-onnx"])
    assert lines[2] == "| mac-test | pre-split | 0.8900 | 0.9000 | ≥ 0.880 and > Bertalign | use-onnx: no |"
    assert lines[3] == "| unknown | pre-split | 0.5000 | — | — | — |"
    runs[1] = (mac, "bertalign (use-onnx)", _report(85, 100))
    assert summary([mac], runs, ["use-onnx"], ["use-onnx"])[2].endswith("| use-onnx: yes |")


def test_overlap_encoder_gives_bertalign_the_runs_in_its_layout(encoder) -> None:
    from aligner.peer_bertalign import OverlapEncoder

    def runs(sents, num_overlaps):  # Bertalign's yield_overlaps: layer k holds the runs ending at i
        for k in range(1, num_overlaps + 1):
            yield from ["PAD"] * min(k - 1, len(sents))
            yield from (" ".join(sents[i:i + k]) for i in range(len(sents) - k + 1))

    sents = ["The sun rose.", "Birds sang.", "해가 떴다."]
    vectors, lengths = OverlapEncoder(encoder, runs).transform(sents, 2)
    assert vectors.shape == (2, 3, encoder.dimension) and lengths.shape == (2, 3)
    assert vectors.dtype == "float32" and vectors[0].flags.c_contiguous
    expected = encoder.encode(["Birds sang. 해가 떴다."])[0]
    assert float(vectors[1, 2] @ expected) > 0.999
    assert lengths[1, 2] == len("Birds sang. 해가 떴다.".encode("utf-8"))


def test_shipped_confidence_is_measured_on_a_set_outside_the_dev_data(tmp_path: Path, encoder, capsys) -> None:
    """The aligner's own probabilities (the shipped model) are scored against an extra set's gold:
    each bead labelled right or wrong as calibration labels them."""
    from aligner.bench import held_out_confidence
    from aligner.calibrate import shipped_metrics

    extra = tmp_path / "extra"
    extra.mkdir()
    ko = ["조달청은 캐나다와 협약을 체결했다.", "양국은 조달 정보를 공유한다.", "문의: 국제협력과"]
    en = ["PPS signed an agreement with Canada.", "The two countries share procurement information."]
    for name, gold in (("right", "[0]:[0]\n[1]:[1]\n[2]:[]\n"), ("wrong", "[0, 1]:[0, 1]\n[2]:[]\n")):
        (extra / f"{name}.ko").write_text("\n".join(ko) + "\n", encoding="utf-8")
        (extra / f"{name}.en").write_text("\n".join(en) + "\n", encoding="utf-8")
        (extra / f"{name}.align").write_text(gold, encoding="utf-8")
    report = evaluate_path(extra, encoder)
    beads = [b for d in report.documents for b in d.alignment.beads]
    assert [(b.src, b.tgt) for b in report.documents[0].alignment.beads] == [((0,), (0,)), ((1,), (1,)), ((2,), ())]
    assert all(b.confidence is not None for b in beads)
    measured = shipped_metrics(extra, report.documents)
    # the same three beads in both documents: right against the first gold, only the unaligned
    # contact line right against the second
    assert measured["beads"] == 6 and measured["units"] == 4 and measured["right"] == pytest.approx(4 / 6)
    units = [(b.confidence, d.name == "right") for d in report.documents for b in d.alignment.beads if b.is_aligned]
    kept = [right for p, right in units if p >= 0.5]
    assert measured["precision@0.5"] == pytest.approx(sum(kept) / len(kept))
    assert measured["coverage@0.5"] == pytest.approx(len(kept) / len(units))
    held_out_confidence([(GoldSet("extra", extra, PRESPLIT), "use-onnx", report)])
    assert "| extra / pre-split / use-onnx | 6 | 0.667 |" in capsys.readouterr().out
    # a raw set is labelled by its gold blocks
    raw = tmp_path / "raw"
    write_raw(raw / "gen1", VERSES)
    blocks = shipped_metrics(raw, evaluate_path(raw, encoder).documents)
    assert blocks["beads"] == blocks["units"] == 3 and blocks["right"] == 1.0
