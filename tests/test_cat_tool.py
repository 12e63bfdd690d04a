"""The program's own TMX of real documents, loaded by a real CAT tool (OmegaT 3.6, headless).

On the seeds always; on every NTREX development document too when ../shared/data is beside the
project (CI has it; a fresh clone alone does not need it). OmegaT must fill every Korean
sentence that is a 1-1 unit with that unit's English.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.formats.tmx import lint_tmx, read_tmx, validate_dtd
from tests.conftest import ROOT, SEEDS, run_cli
from tests.omegat import omegat_available, omegat_required, pretranslate, tmx14_dtd

pytestmark = pytest.mark.skipif(
    not omegat_available() and not omegat_required(),
    reason="OmegaT not installed (apt-get install -y omegat); set ALIGNER_REQUIRE_OMEGAT=1 to fail instead",
)

DEV_RAW = ROOT.parent / "shared" / "data" / "ntrex-ko-en-dev" / "raw"


def _check_in_omegat(inputs: list[Path], tmp_path: Path) -> int:
    assert omegat_available(), "ALIGNER_REQUIRE_OMEGAT=1 but OmegaT is not installed"
    tmx = tmp_path / "memory.tmx"
    result = run_cli("align", *inputs, "-o", tmx, "--no-review")
    assert result.returncode == 0, result.stderr
    dtd = tmp_path / "tmx14.dtd"
    tmx14_dtd(dtd)
    assert validate_dtd(tmx, dtd) == []
    assert lint_tmx(tmx) == [] or all("same source" in p for p in lint_tmx(tmx))
    units, _, _ = read_tmx(tmx)
    one_to_one = {u.src: u.tgt for u in units if u.kind == "1-1"}
    assert one_to_one
    translated = pretranslate(tmx, list(one_to_one), tmp_path / "project")
    missing = [(ko, en) for (ko, en), got in zip(one_to_one.items(), translated) if got != en]
    assert missing == [], f"{len(missing)} of {len(one_to_one)} 1-1 units not filled: {missing[:3]}"
    return len(one_to_one)


def test_omegat_fills_every_one_to_one_unit_of_the_seeds(tmp_path: Path) -> None:
    assert _check_in_omegat([SEEDS], tmp_path) >= 8


@pytest.mark.skipif(not DEV_RAW.is_dir(), reason="../shared/data (development data) is not beside the project")
def test_omegat_fills_every_one_to_one_unit_of_the_dev_documents(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for doc in sorted(DEV_RAW.iterdir()):
        (folder / f"{doc.name}.txt").write_bytes((doc / "bilingual.txt").read_bytes())
    assert _check_in_omegat([folder], tmp_path) > 300
