"""A CSV or JSONL list of documents gives the same run as the folder that holds them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import SEEDS, run_cli

DATE = "20240101T000000Z"


def test_a_csv_manifest_aligns_like_the_folder(tmp_path: Path) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    (tmp_path / "files").mkdir()
    for seed in seeds:
        shutil.copy(seed, tmp_path / "files" / seed.name)
    manifest = tmp_path / "docs.csv"
    manifest.write_text("id,path\n" + "".join(f"{s.stem},files/{s.name}\n" for s in seeds), encoding="utf-8")
    by_manifest = run_cli("align", manifest, "-o", tmp_path / "m.tmx", "--date", DATE, "--encoder", "none")
    by_folder = run_cli("align", SEEDS, "-o", tmp_path / "f.tmx", "--date", DATE, "--encoder", "none")
    assert by_manifest.returncode == by_folder.returncode == 0, by_manifest.stderr
    assert (tmp_path / "m.tmx").read_bytes() == (tmp_path / "f.tmx").read_bytes()


def test_a_jsonl_manifest_of_file_pairs_and_its_mistakes(tmp_path: Path) -> None:
    (tmp_path / "a.ko").write_text("조달청은 협약을 체결했다.\n", encoding="utf-8")
    (tmp_path / "a.en").write_text("PPS signed an MOU.\n", encoding="utf-8")
    manifest = tmp_path / "pairs.jsonl"
    manifest.write_text(json.dumps({"id": "doc-a", "src": "a.ko", "tgt": "a.en"}) + "\n", encoding="utf-8")
    result = run_cli("align", manifest, "-o", tmp_path / "a.tsv", "--encoder", "none")
    assert result.returncode == 0, result.stderr
    assert "doc-a\t0\t0\t1-1" in (tmp_path / "a.tsv").read_text(encoding="utf-8")
    manifest.write_text('{"id": "doc-a", "src": "a.ko"}\n', encoding="utf-8")
    result = run_cli("align", manifest, "-o", tmp_path / "b.tsv", "--encoder", "none")
    assert result.returncode == 2 and "pairs.jsonl: line 1 names no files" in result.stderr
    assert not (tmp_path / "b.tsv").exists()
