"""Review before export, and growing one memory: align → edit the TSV → `aligner tmx`; merge."""

from __future__ import annotations

import io
from pathlib import Path

from lxml import etree

from aligner.formats.tmx import read_tmx
from tests.conftest import SEEDS, run_cli
from tests.omegat import tmx14_dtd


def _aligned_rows(tsv: Path) -> tuple[str, list[list[str]]]:
    lines = tsv.read_text(encoding="utf-8").splitlines()
    return lines[0], [line.split("\t") for line in lines[1:]]


def test_edited_review_becomes_exactly_that_memory(tmp_path: Path) -> None:
    result = run_cli("align", SEEDS / "000_02a3d8eb0ab517f7.txt", "-o", tmp_path / "doc.tmx")
    assert result.returncode == 0, result.stderr
    header, rows = _aligned_rows(tmp_path / "doc.review.tsv")
    aligned = [r for r in rows if r[6] == "aligned"]
    assert len(aligned) >= 5
    deleted, changed = aligned[0], aligned[1]
    rows.remove(deleted)
    changed[8] = "An edited English sentence & <markup>."
    (tmp_path / "edited.tsv").write_text("\n".join([header] + ["\t".join(r) for r in rows]) + "\n", encoding="utf-8")

    result = run_cli("tmx", tmp_path / "edited.tsv", "-o", tmp_path / "final.tmx")
    assert result.returncode == 0, result.stderr
    units, src_lang, tgt_lang = read_tmx(tmp_path / "final.tmx")
    expected = [(r[7], r[8]) for r in rows if r[6] == "aligned"]
    assert [(u.src, u.tgt) for u in units] == expected
    assert (src_lang, tgt_lang) == ("ko-KR", "en-US")
    assert deleted[7] not in [u.src for u in units]


def test_min_score_keeps_low_units_in_review_only(tmp_path: Path) -> None:
    result = run_cli("align", SEEDS, "-o", tmp_path / "all.tmx", "--min-score", "0.5")
    assert result.returncode == 0, result.stderr
    _, rows = _aligned_rows(tmp_path / "all.review.tsv")
    low = [r for r in rows if r[6] == "low-score"]
    units, _, _ = read_tmx(tmp_path / "all.tmx")
    assert low and all(float(r[4]) < 0.5 for r in low)
    assert all(u.score >= 0.5 for u in units)
    assert not {r[7] for r in low} & {u.src for u in units}


def test_merge_writes_identical_units_once_and_reports_conflicts(tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert run_cli("align", SEEDS, "-o", tmp_path / f"{name}.tmx", "--no-review").returncode == 0
    single, _, _ = read_tmx(tmp_path / "a.tmx")
    result = run_cli("merge", tmp_path / "a.tmx", tmp_path / "b.tmx", "-o", tmp_path / "team.tmx")
    assert result.returncode == 0, result.stderr
    merged, _, _ = read_tmx(tmp_path / "team.tmx")
    assert [(u.src, u.tgt) for u in merged] == [(u.src, u.tgt) for u in single]
    assert all(u.count == 2 for u in merged)

    conflict = tmp_path / "conflict.tsv"
    conflict.write_text("document\tsrc_ids\ttgt_ids\tbead\tscore\tstatus\tsource\ttarget\n"
                        f"x\t0\t0\t1-1\t0.9\taligned\t{single[0].src}\tA different translation.\n", encoding="utf-8")
    assert run_cli("tmx", conflict, "-o", tmp_path / "c.tmx").returncode == 0
    result = run_cli("merge", tmp_path / "team.tmx", tmp_path / "c.tmx", "-o", tmp_path / "team2.tmx")
    assert result.returncode == 0, result.stderr
    assert "same source, different targets" in result.stdout
    merged2, _, _ = read_tmx(tmp_path / "team2.tmx")
    assert len(merged2) == len(merged) + 1


CAT_TOOL_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x"
 adminlang="en" srclang="ko-KR" datatype="plaintext"/><body>
<tu><tuv xml:lang="ko-KR"><seg>조달청은 <bpt i="1">&lt;b&gt;</bpt>혁신제품<ept i="1">&lt;/b&gt;</ept>을 산다.</seg></tuv>
<tuv xml:lang="en-US"><seg>PPS buys <bpt i="1">&lt;b&gt;</bpt>innovative products<ept i="1">&lt;/b&gt;</ept>.</seg></tuv></tu>
<tu><tuv xml:lang="ko-KR"><seg>김 과장<ph x="1">&lt;br/&gt;</ph>은 말했다.</seg></tuv>
<tuv xml:lang="en-US"><seg>Kim<ph x="1">&lt;br/&gt;</ph> said.</seg></tuv></tu>
</body></tmx>
"""


def test_merge_keeps_inline_codes_of_a_cat_tool_memory(tmp_path: Path) -> None:
    """A memory exported by a CAT tool marks formatting with inline codes; merged, they stay
    codes (not text such as `<b>` a translator would have to type) and match on the text."""
    (tmp_path / "cat.tmx").write_text(CAT_TOOL_TMX, encoding="utf-8")
    assert run_cli("align", SEEDS, "-o", tmp_path / "seeds.tmx", "--no-review").returncode == 0
    result = run_cli("merge", tmp_path / "cat.tmx", tmp_path / "seeds.tmx", tmp_path / "cat.tmx", "-o", tmp_path / "m.tmx")
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "m.tmx").read_text(encoding="utf-8")
    assert '<seg>조달청은 <bpt i="1">&lt;b&gt;</bpt>혁신제품<ept i="1">&lt;/b&gt;</ept>을 산다.</seg>' in text
    assert '<seg>Kim<ph x="1">&lt;br/&gt;</ph> said.</seg>' in text
    units, _, _ = read_tmx(tmp_path / "m.tmx")
    assert [(u.src, u.tgt, u.count) for u in units[:2]] == [
        ("조달청은 혁신제품을 산다.", "PPS buys innovative products.", 2), ("김 과장은 말했다.", "Kim said.", 2)]
    assert run_cli("lint", tmp_path / "m.tmx").returncode == 0
    dtd = tmx14_dtd()  # from OmegaT's jar, where installed
    if dtd is not None:
        assert etree.DTD(io.BytesIO(dtd)).validate(etree.parse(str(tmp_path / "m.tmx")))


def test_merge_cleans_the_text_around_inline_codes_and_never_writes_them_as_text(tmp_path: Path) -> None:
    """Padding beside a code, a prefixed namespace, the same pair first without codes: the
    merged memory is well-formed, lint-clean, and keeps the codes it can."""
    (tmp_path / "odd.tmx").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4" xmlns:x="urn:x"><header creationtool="x" '
        'creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="ko-KR" datatype="plaintext"/>'
        '<body><tu><tuv xml:lang="ko-KR"><seg>가나  다 <ph x="1"/></seg></tuv><tuv xml:lang="en-US"><seg> ABC <ph x="1"/>'
        '</seg></tuv></tu><tu><tuv xml:lang="ko-KR"><seg>라<x:foo x:a="1"/>마.</seg></tuv><tuv xml:lang="en-US"><seg>D'
        '<x:foo x:a="1"/>E.</seg></tuv></tu><tu><tuv xml:lang="ko-KR"><seg>바사.</seg></tuv><tuv xml:lang="en-US"><seg>'
        'FG.</seg></tuv></tu><tu><tuv xml:lang="ko-KR"><seg>바<ph x="2"/>사.</seg></tuv><tuv xml:lang="en-US"><seg>F'
        '<ph x="2"/>G.</seg></tuv></tu></body></tmx>\n', encoding="utf-8")
    result = run_cli("merge", tmp_path / "odd.tmx", "-o", tmp_path / "m.tmx")
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "m.tmx").read_text(encoding="utf-8")
    assert '<seg>가나 다<ph x="1"/></seg>' in text and '<seg>ABC<ph x="1"/></seg>' in text
    assert '<seg>바<ph x="2"/>사.</seg>' in text  # the codes of the second copy of the pair
    assert "&lt;" not in text and "foo" not in text and "urn:x" not in text  # not TMX: left out
    units, _, _ = read_tmx(tmp_path / "m.tmx")
    assert [(u.src, u.tgt) for u in units] == [("가나 다", "ABC"), ("라마.", "DE."), ("바사.", "FG.")]
    assert run_cli("lint", tmp_path / "m.tmx").returncode == 0
    dtd = tmx14_dtd()
    if dtd is not None:
        assert etree.DTD(io.BytesIO(dtd)).validate(etree.parse(str(tmp_path / "m.tmx")))


def test_lint_exit_status(tmp_path: Path) -> None:
    assert run_cli("align", SEEDS, "-o", tmp_path / "s.tmx", "--no-review").returncode == 0
    assert run_cli("lint", tmp_path / "s.tmx").returncode == 0
    bad = (tmp_path / "s.tmx").read_text(encoding="utf-8").replace('srclang="ko-KR"', 'srclang="kr"')
    (tmp_path / "bad.tmx").write_text(bad, encoding="utf-8")
    result = run_cli("lint", tmp_path / "bad.tmx")
    assert result.returncode == 1 and "kr" in result.stdout


def test_a_folder_writes_identical_units_once_and_reports_conflicts(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    ko = "조달청은 16일 캐나다와 업무협약을 체결했다.\n\n양국은 전자조달 정보를 공유하기로 했다.\n\n"
    (folder / "a.txt").write_text(ko + "PPS signed an MOU with Canada on the 16th.\n\nBoth countries will share "
                                  "e-procurement information.\n", encoding="utf-8")
    (folder / "b.txt").write_text(ko + "PPS signed an MOU with Canada on the 16th.\n\nThe two countries agreed to "
                                  "share e-procurement data.\n", encoding="utf-8")
    result = run_cli("align", folder, "-o", tmp_path / "m.tmx", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert "(1 identical units written once)" in result.stdout
    assert "same source, different targets: 양국은 전자조달 정보를 공유하기로 했다." in result.stdout
    units, _, _ = read_tmx(tmp_path / "m.tmx")
    assert len(units) == 3
    assert [u.count for u in units if u.src.startswith("조달청은")] == [2]


def test_merging_with_an_empty_memory(tmp_path: Path) -> None:
    empty = tmp_path / "empty.tmx"
    empty.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="x" '
                     'creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="ko-KR" '
                     'datatype="plaintext"/><body/></tmx>\n', encoding="utf-8")
    assert run_cli("align", SEEDS, "-o", tmp_path / "s.tmx", "--no-review").returncode == 0
    result = run_cli("merge", empty, tmp_path / "s.tmx", "-o", tmp_path / "m.tmx")
    assert result.returncode == 0, result.stderr
    assert len(read_tmx(tmp_path / "m.tmx")[0]) == len(read_tmx(tmp_path / "s.tmx")[0])
    alone = run_cli("merge", empty, "-o", tmp_path / "m2.tmx")
    assert alone.returncode == 2 and "no units to merge" in alone.stderr
