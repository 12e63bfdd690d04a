"""The whole program on the seed press releases: real Kiwi, real encoder, real TMX writer."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from translate.storage import tmx as tt_tmx

from aligner.data import Alignment
from aligner.formats.tmx import lint_tmx
from aligner.pipeline import align_jobs, plan_jobs
from tests.conftest import SEEDS, align_dated, run_cli

FURNITURE = ("제목 ", "등록 ", "▶", "* 문의", "공공누리")


@pytest.fixture(scope="module")
def seed_alignments(encoder) -> list[Alignment]:
    return list(align_jobs(plan_jobs([SEEDS]), encoder))


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("out")
    return out, align_dated(SEEDS, out / "seeds.tmx")


def test_summary_counts_documents_sentences_units_and_unaligned(seed_run) -> None:
    _, stdout = seed_run
    assert "documents: 2" in stdout
    assert "sentences: " in stdout and "units: " in stdout and "unaligned sentences: " in stdout


def test_nothing_lost_every_sentence_in_one_tmx_unit_or_one_review_row(seed_run, seed_alignments) -> None:
    out, _ = seed_run
    store = tt_tmx.tmxfile.parsefile(str(out / "seeds.tmx"))
    units = [(u.source, u.target) for u in store.units]
    rows = [line.split("\t") for line in (out / "seeds.review.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    unaligned = [r for r in rows if r[6] == "unaligned"]
    for alignment in seed_alignments:
        for side, sentences in (("src", alignment.document.src), ("tgt", alignment.document.tgt)):
            for sentence in sentences:
                in_units = sum(sentence.segment in (s if side == "src" else t) for s, t in units)
                in_rows = sum(sentence.segment == (r[7] if side == "src" else r[8]) for r in unaligned)
                assert in_units + in_rows >= 1, sentence.text
                assert not (in_units and in_rows), sentence.text
    covered = Counter((a.document.name, i) for a in seed_alignments for b in a.beads for i in b.src)
    assert all(count == 1 for count in covered.values())
    assert sum(len(a.document.src) for a in seed_alignments) == sum(covered.values())


def test_tmx_reads_back_and_lints_clean(seed_run) -> None:
    out, _ = seed_run
    store = tt_tmx.tmxfile.parsefile(str(out / "seeds.tmx"))
    assert len(store.units) >= 10
    assert all(u.source.strip() and u.target.strip() for u in store.units)
    assert lint_tmx(out / "seeds.tmx") == []
    assert (out / "seeds.review.html").stat().st_size > 1000


def test_furniture_is_unaligned_and_every_english_sentence_is_in_a_unit(seed_alignments) -> None:
    for alignment in seed_alignments:
        for bead in alignment.beads:
            src = alignment.src_text(bead)
            if bead.is_aligned:
                assert not any(src.startswith(f) or f in src for f in FURNITURE), src
        unaligned_tgt = [alignment.tgt_text(b) for b in alignment.beads if not b.src]
        assert unaligned_tgt == []


def test_english_split_of_one_korean_sentence_is_a_1_2_unit(seed_alignments) -> None:
    one_to_two = [a.src_text(b) for a in seed_alignments for b in a.beads if b.kind == "1-2"]
    for start in ("양국은 이번 협약을 통해", "김윤상 조달청장은 20일", "렉스젠㈜는 인공지능", "오영준 렉스젠 대표는"):
        assert any(text.startswith(start) for text in one_to_two), start
    two_to_one = [a.src_text(b) for a in seed_alignments for b in a.beads if b.kind == "2-1"]
    assert any(text.startswith("조달청-캐나다") and " 양국 신성장" in text for text in two_to_one)


def test_list_markers_are_in_the_review_page_not_in_the_tmx(seed_run) -> None:
    out, _ = seed_run
    store = tt_tmx.tmxfile.parsefile(str(out / "seeds.tmx"))
    segments = [u.source for u in store.units] + [u.target for u in store.units]
    assert not [s for s in segments if s[:1] in "-•▶※○□*"], segments
    assert "MOU Singed between PPS and PSPC" in " ".join(segments)
    page = (out / "seeds.review.html").read_text(encoding="utf-8")
    assert "- MOU Singed between PPS and PSPC" in page and "▶임기근 조달청장이" in page


def test_same_input_gives_byte_identical_tmx(seed_run, tmp_path: Path) -> None:
    out, _ = seed_run
    again = run_cli("align", SEEDS, "-o", tmp_path / "seeds.tmx", "--date", "20240416T000000Z")
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "seeds.tmx").read_bytes() == (out / "seeds.tmx").read_bytes()


def test_pair_of_files_and_presplit_beads(tmp_path: Path) -> None:
    (tmp_path / "ko.txt").write_text("조달청은 협약을 체결했다.\n\n양국은 정보를 공유한다.\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("PPS signed an agreement.\n\nBoth countries share information.\n", encoding="utf-8")
    result = run_cli("align", tmp_path / "ko.txt", tmp_path / "en.txt", "-o", tmp_path / "pair.tmx")
    assert result.returncode == 0, result.stderr
    assert len(tt_tmx.tmxfile.parsefile(str(tmp_path / "pair.tmx")).units) == 2

    (tmp_path / "a.de").write_text("Der Berg ist hoch.\nWir stiegen auf.\nDas Wetter war schön.\n", encoding="utf-8")
    (tmp_path / "a.fr").write_text("La montagne est haute.\nNous sommes montés.\nIl faisait beau.\n", encoding="utf-8")
    result = run_cli("align", "--presplit", "--src-lang", "de", "--tgt-lang", "fr", tmp_path / "a.de",
                     tmp_path / "a.fr", "-o", tmp_path / "a.align")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "a.align").read_text() == "[0]:[0]\n[1]:[1]\n[2]:[2]\n"


def test_a_chinese_paragraph_is_split_and_aligned_sentence_by_sentence(tmp_path: Path) -> None:
    (tmp_path / "a.zh").write_text("今天下雨了。我们没有去公园，而是在家看书。晚上雨停了！\n", encoding="utf-8")
    (tmp_path / "a.en").write_text("It rained today. We did not go to the park but read at home. "
                                   "In the evening the rain stopped!\n", encoding="utf-8")
    result = run_cli("align", "--src-lang", "zh", "--tgt-lang", "en", tmp_path / "a.zh", tmp_path / "a.en",
                     "-o", tmp_path / "a.align")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "a.align").read_text() == "[0]:[0]\n[1]:[1]\n[2]:[2]\n"


def test_blank_lines_of_presplit_files_keep_their_ids_and_are_not_reported(tmp_path: Path) -> None:
    (tmp_path / "a.ko").write_text("조달청은 협약을 체결했다.\n\n양국은 정보를 공유한다.\n\n", encoding="utf-8")
    (tmp_path / "a.en").write_text("\nPPS signed an agreement.\n\nBoth countries share information.\n", encoding="utf-8")
    result = run_cli("align", "--presplit", tmp_path / "a.ko", tmp_path / "a.en", "-o", tmp_path / "a.align")
    assert result.returncode == 0, result.stderr
    assert "sentences: 2 source, 2 target" in result.stdout
    assert "unaligned sentences: 0 source, 0 target" in result.stdout
    # every line number is in one bead; no blank line is paired with anything
    assert (tmp_path / "a.align").read_text() == "[]:[0]\n[0]:[1]\n[1]:[]\n[]:[2]\n[2]:[3]\n[3]:[]\n"
    result = run_cli("align", "--presplit", tmp_path / "a.ko", tmp_path / "a.en", "-o", tmp_path / "a.tmx")
    assert result.returncode == 0, result.stderr
    rows = (tmp_path / "a.review.tsv").read_text(encoding="utf-8").splitlines()[1:]
    assert [row.split("\t")[6] for row in rows] == ["aligned", "aligned"]


def test_a_blank_line_between_two_merged_sentences_joins_their_bead(tmp_path: Path) -> None:
    (tmp_path / "b.ko").write_text("조달청은 올해 혁신제품 구매를 늘린다.\n\n이를 위해 예산을 확대한다.\n", encoding="utf-8")
    (tmp_path / "b.en").write_text("PPS will buy more innovative products this year and will expand the budget "
                                   "to this end.\n", encoding="utf-8")
    result = run_cli("align", "--presplit", tmp_path / "b.ko", tmp_path / "b.en", "-o", tmp_path / "b.align")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "b.align").read_text() == "[0, 1, 2]:[0]\n"  # ids in order, none skipped


def test_length_only_encoder_aligns(tmp_path: Path) -> None:
    (tmp_path / "ko.txt").write_text("조달청은 협약을 체결했다.\n\n양국은 정보를 공유하기로 했다고 밝혔다.\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("PPS signed an agreement.\n\nBoth countries said they would share information.\n", encoding="utf-8")
    result = run_cli("align", "--encoder", "none", tmp_path / "ko.txt", tmp_path / "en.txt", "-o", tmp_path / "p.tsv")
    assert result.returncode == 0, result.stderr
    rows = (tmp_path / "p.tsv").read_text(encoding="utf-8").splitlines()[1:]
    assert [r.split("\t")[3] for r in rows] == ["1-1", "1-1"]


def test_python_dash_m_and_console_script_both_work() -> None:
    import shutil
    import subprocess
    import sys

    assert run_cli("--help").returncode == 0
    script = Path(sys.executable).parent / "aligner"
    assert script.exists() or shutil.which("aligner")
    assert subprocess.run([str(script), "--help"], capture_output=True).returncode == 0


def test_max_side_limits_the_bead_types(tmp_path: Path) -> None:
    result = run_cli("align", SEEDS, "-o", tmp_path / "s.tsv", "--max-side", "1", "--no-cache")
    assert result.returncode == 0, result.stderr
    kinds = {line.split("\t")[3] for line in (tmp_path / "s.tsv").read_text(encoding="utf-8").splitlines()[1:]}
    assert kinds <= {"1-1", "1-0", "0-1"}
