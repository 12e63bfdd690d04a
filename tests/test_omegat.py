"""A real CAT tool loads our TMX: OmegaT pre-translates Korean press-release lines from it.

Skipped without OmegaT (apt-get install -y omegat) unless ALIGNER_REQUIRE_OMEGAT=1, which
makes a missing OmegaT a failure (CI). One OmegaT run takes a few seconds.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from aligner.data import TranslationUnit
from aligner.formats.tmx import lint_tmx, write_tmx
from tests.omegat import OmegaTError, omegat_available, omegat_required, pretranslate

pytestmark = pytest.mark.skipif(
    not omegat_available() and not omegat_required(),
    reason="OmegaT not installed (apt-get install -y omegat); set ALIGNER_REQUIRE_OMEGAT=1 to fail instead",
)

# (Korean as the aligner might have extracted it, Korean line of the document to translate, English)
PAIRS = [
    # a title line without final punctuation: OmegaT glues it to the next line unless told not to
    ("조달청, 혁신제품 공공구매 확대 방안 발표", "PPS announces plan to expand public purchasing of innovative products"),
    (
        "조달청은 올해 상반기 공공조달 계약 규모가 역대 최대인 95조 원을 기록했다고 밝혔다.",
        "The Public Procurement Service (PPS) said public procurement contracts in the first half "
        "of this year reached a record 95 trillion won.",
    ),
    ("혁신제품 구매 실적은 전년 대비 12.5% 증가했다.", "Purchases of innovative products rose 12.5% from a year earlier."),
    (  # a 1-2 bead: one Korean sentence, two English ones
        "나라장터 이용 기관은 5만 곳을 넘어섰으며 전자조달 수수료는 내년에도 동결된다.",
        "More than 50,000 institutions now use KONEPS. E-procurement fees will stay frozen next year.",
    ),
    (  # markup-like text and an ampersand must survive escaping and still match
        "긴급 입찰은 <수의계약> & 제한경쟁 방식으로 진행된다.",
        "Urgent tenders will use <private contracts> & restricted competition.",
    ),
]


def require_omegat() -> None:
    if not omegat_available():
        pytest.fail("ALIGNER_REQUIRE_OMEGAT=1 but OmegaT is not installed (apt-get install -y omegat)")


def test_omegat_pretranslates_from_our_tmx(tmp_path: Path) -> None:
    require_omegat()
    units = [TranslationUnit(ko, en, 0.9, "1-1", "pps-2024-07.txt") for ko, en in PAIRS]
    units[3] = TranslationUnit(PAIRS[3][0], PAIRS[3][1], 0.8, "1-2", "pps-2024-07.txt")
    # Dirty copies of the first pair: NBSP, double space, padding. Cleaning must make them match
    # the document's line, and dedup must fold them into one TU.
    units.append(TranslationUnit(" 조달청,\u00a0혁신제품  공공구매 확대 방안 발표\t", PAIRS[0][1], 0.7))
    # Unaligned lines never reach the TMX.
    units.append(TranslationUnit("* 문의: 조달청 혁신조달기획과", "", 0.0, "1-0"))

    tmx_path = tmp_path / "pps.tmx"
    result = write_tmx(units, tmx_path, "ko", "en", creation_date=datetime(2025, 1, 1, tzinfo=timezone.utc))
    assert len(result.written) == len(PAIRS) and len(result.skipped) == 1
    assert lint_tmx(tmx_path) == []

    source_lines = [ko for ko, _ in PAIRS] + ["* 문의: 조달청 혁신조달기획과"]
    target = pretranslate(tmx_path, source_lines, tmp_path / "omegat")

    for _, english in PAIRS:
        assert english in target
    assert target == [en for _, en in PAIRS] + ["* 문의: 조달청 혁신조달기획과"]


def test_omegat_rejection_is_detected_despite_exit_0(tmp_path: Path) -> None:
    """A TMX with srclang 'kr' loads without error in OmegaT but every unit is skipped."""
    require_omegat()
    ko, en = PAIRS[1]
    bad = tmp_path / "kr.tmx"
    bad.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="hand" '
        'creationtoolversion="1" segtype="sentence" o-tmf="hand" adminlang="en" srclang="kr" '
        f'datatype="plaintext"/><body><tu><tuv xml:lang="kr"><seg>{ko}</seg></tuv>'
        f'<tuv xml:lang="en"><seg>{en}</seg></tuv></tu></body></tmx>\n',
        encoding="utf-8",
    )
    with pytest.raises(OmegaTError, match="TMXR_WARNING_SOURCE_NOT_FOUND"):
        pretranslate(bad, [ko], tmp_path / "omegat")
