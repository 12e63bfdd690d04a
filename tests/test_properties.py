"""Property-based: whatever the bilingual document, nothing is lost and the TMX is clean."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aligner.data import Alignment
from aligner.formats.review import format_review_tsv, units_from_alignments
from aligner.formats.tmx import lint_tmx, read_tmx, write_tmx
from aligner.pipeline import Job, align_jobs

KO_WORDS = ["조달청은", "캐나다와", "협약을", "체결했다", "양국은", "정보를", "공유한다", "中企", "2024년",
            "<b>", "&", "수출을", "지원한다", "▶", "* 문의:", "기업의", "해외", "시장에"]
EN_WORDS = ["PPS", "signed", "an", "MOU", "with", "Canada", "both", "countries", "share", "information",
            "<tu>", "&amp;", "Co.", "Mr.", "exports", "\u00a0", "markets", "2024"]

ko_sentence = st.lists(st.sampled_from(KO_WORDS), max_size=8).map(lambda w: " ".join(["기업은", *w]) + ".")
en_sentence = st.lists(st.sampled_from(EN_WORDS), max_size=10).map(lambda w: " ".join(["Korea", *w]) + ".")
paragraph = lambda s: st.lists(s, min_size=1, max_size=3).map(" ".join)  # noqa: E731
side = lambda s: st.lists(paragraph(s), min_size=1, max_size=6).map("\n\n".join)  # noqa: E731


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ko=side(ko_sentence), en=side(en_sentence), english_first=st.booleans())
def test_every_sentence_once_beads_monotone_tmx_clean(encoder, segmenter, ko: str, en: str, english_first: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.txt"
        path.write_text((en + "\n\n" + ko) if english_first else (ko + "\n\n" + en), encoding="utf-8")
        (alignment,) = list(align_jobs([Job("doc", (path,))], encoder, segmenter=segmenter))
        assert isinstance(alignment, Alignment)
        _check_beads(alignment)
        squeeze = lambda text: "".join(text.split()).replace("\u00a0", "")  # noqa: E731
        assert squeeze("".join(s.text for s in alignment.document.src)) == squeeze(ko)
        assert squeeze("".join(s.text for s in alignment.document.tgt)) == squeeze(en)
        units = units_from_alignments([alignment])
        rows = format_review_tsv([alignment]).splitlines()[1:]
        assert len(rows) == len(alignment.beads)
        tmx = Path(folder) / "doc.tmx"
        result = write_tmx(units, tmx, "ko", "en")
        assert all("same source" in problem for problem in lint_tmx(tmx))
        read_back, src_lang, tgt_lang = read_tmx(tmx)
        assert src_lang == "ko-KR" and tgt_lang in (("en-US",) if result.written else ("", "en-US"))
        assert len(read_back) == len(result.written)


def _check_beads(alignment: Alignment) -> None:
    """Beads are monotone and cover every sentence id of both sides exactly once."""
    src = [i for b in alignment.beads for i in b.src]
    tgt = [j for b in alignment.beads for j in b.tgt]
    assert src == list(range(len(alignment.document.src)))
    assert tgt == list(range(len(alignment.document.tgt)))
    for bead in alignment.beads:
        assert bead.src or bead.tgt
        assert list(bead.src) == list(range(bead.src[0], bead.src[0] + len(bead.src))) if bead.src else True
