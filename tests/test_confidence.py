"""Confidence, P(unit is right): computed by the real aligner, carried by the TMX, the review TSV
and the HTML, filtered by --min-confidence, and loaded from an installed (non-editable) package."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from lxml import etree

from aligner.align import DEFAULT_PARAMS, align, align_document
from aligner.align.confidence import bead_features, load_model, predict
from aligner.align.length import MODELS, document_length_model, load_length_prior
from aligner.align.scoring import BeadCosts, RunVectors
from aligner.align.search import MARGIN_CAP, Band, bead_types, best_path_with_margins, dp
from aligner.calibrate import Row, block_labels, collect, ece, gold_sets, presplit_labels, set_weights
from aligner.data import Bead, Document, Sentence
from aligner.errors import InputError
from aligner.formats.review import COLUMNS, read_review_tsv
from aligner.outputs import check_min_confidence
from aligner.formats.tmx import lint_tmx, read_tmx
from tests.conftest import ROOT, SEEDS, align_dated, run_cli

SEED = SEEDS / "000_02a3d8eb0ab517f7.txt"


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("conf")
    return out, align_dated(SEED, out / "seed.tmx")


def tsv_rows(path: Path) -> list[dict[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == list(COLUMNS)
    return [dict(zip(COLUMNS, line.split("\t"), strict=True)) for line in lines[1:]]


def test_models_for_use_and_none_name_their_data_and_date() -> None:
    for encoder in ("use", "use-onnx", "none"):
        model = load_model(encoder)
        assert model is not None, encoder
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", model["date"]) and model["data"]["sets"]
        assert set(model["aligned"]["features"]) and len(model["aligned"]["coef"]) == len(model["aligned"]["features"])
    assert load_model("st:/some/local/model") is None


def test_every_bead_of_a_real_alignment_gets_a_probability(encoder) -> None:
    ko = ["조달청은 협약을 체결했다.", "▶ 사진: 협약식 모습", "양국은 정보를 공유한다."]
    en = ["PPS signed an agreement.", "Both countries share information."]
    document = Document("d", "ko", "en", [Sentence(t, i, 0) for i, t in enumerate(ko)],
                        [Sentence(t, i, 0) for i, t in enumerate(en)])
    alignment = align(document, encoder)
    assert [(b.src, b.tgt) for b in alignment.beads] == [((0,), (0,)), ((1,), ()), ((2,), (1,))]
    assert all(b.confidence is not None and 0.0 <= b.confidence <= 1.0 for b in alignment.beads)
    # the two translations are likelier right than the caption is to have no counterpart
    assert min(alignment.beads[0].confidence, alignment.beads[2].confidence) > 0.5


def test_features_take_the_path_margins_the_search_kept(encoder) -> None:
    ko = ["조달청은 협약을 체결했다.", "양국은 정보를 공유한다.", "협력은 계속된다."]
    en = ["PPS signed an agreement.", "Both countries share information.", "Cooperation goes on."]
    document = Document("d", "ko", "en", [Sentence(t, i, 0) for i, t in enumerate(ko)],
                        [Sentence(t, i, 0) for i, t in enumerate(en)])
    beads = align_document(document, encoder)
    assert [(b.src, b.tgt) for b in beads] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    kept = [b.margin for b in beads]
    assert all(m is not None and 0.0 < m <= MARGIN_CAP for m in kept)
    features = bead_features(document, beads)
    assert [f.values["path_margin"] for f in features] == pytest.approx(kept)
    # a bead the search did not draw (a later pass's) takes the median of the document's others
    other = bead_features(document, [Bead((0, 1), (0, 1)), beads[2]])
    assert other[0].values["path_margin"] == other[1].values["path_margin"] == features[2].values["path_margin"]


@pytest.mark.parametrize("paragraphs", [None, ([0, 0, 1], [0, 1, 1])], ids=["pre-split", "paragraphs"])
def test_path_margins_are_the_best_path_without_each_bead(paragraphs) -> None:
    """On a document small enough to list every path, each bead's margin is the cheapest path
    that does not hold it, less the best path's cost; the beads are dp()'s. Paragraph breaks
    price a bead by where it starts: the backward table must read that price as the forward
    one does."""
    src_lens, tgt_lens = np.array([40.0, 12.0, 30.0]), np.array([38.0, 33.0, 14.0])
    length = document_length_model(load_length_prior("de", "fr", 82.0, 85.0), src_lens, tgt_lens)
    random = np.random.default_rng(7)  # three sentences and their loose translations
    src = random.normal(size=(3, 8))
    tgt = src + random.normal(size=(3, 8))
    src, tgt = (v / np.linalg.norm(v, axis=1, keepdims=True) for v in (src, tgt))
    src_paragraphs, tgt_paragraphs = paragraphs or (None, None)
    forward = BeadCosts(RunVectors(src), RunVectors(tgt), src_lens, tgt_lens, length, DEFAULT_PARAMS,
                        src_paragraphs=src_paragraphs, tgt_paragraphs=tgt_paragraphs)
    assert forward.has_paragraphs == bool(paragraphs)
    types = bead_types(DEFAULT_PARAMS)
    band = Band.full(3, 3)
    beads, margins = best_path_with_margins(forward, 3, 3, band, types)
    assert beads == dp(forward, 3, 3, band, types)

    def step(i: int, j: int, x: int, y: int) -> float:
        if x and y:
            return float(forward.cells(x, y, np.array([i + x]), np.array([j + y]))[0])
        return float(forward.deletion_src()[i] if x else forward.deletion_tgt()[j])

    def paths(i: int, j: int) -> list[tuple[float, set]]:
        if (i, j) == (3, 3):
            return [(0.0, set())]
        return [(step(i, j, x, y) + cost, held | {((i, j), (x, y))})
                for x, y in types if i + x <= 3 and j + y <= 3 for cost, held in paths(i + x, j + y)]

    every = paths(0, 0)
    best = min(cost for cost, _ in every)
    starts = np.cumsum([(0, 0)] + [(len(b.src), len(b.tgt)) for b in beads], axis=0)
    for bead, start, margin in zip(beads, starts, margins):
        own = ((int(start[0]), int(start[1])), (len(bead.src), len(bead.tgt)))
        assert margin == pytest.approx(min(MARGIN_CAP, min(c for c, held in every if own not in held) - best))


def test_a_units_sentences_beyond_a_1_1_enter_as_their_log() -> None:
    document = Document("d", "ko", "en", [Sentence(t) for t in ("가다.", "나다.", "다다.")],
                        [Sentence(t) for t in ("A.", "B.", "C.", "D.")])
    beads = [Bead((0,), (0, 1), margin=0.5), Bead((1, 2), (2, 3), margin=0.5)]
    assert [f.values["log_extra"] for f in bead_features(document, beads)] == pytest.approx([np.log(2), np.log(3)])


def test_a_documents_share_of_low_margin_units_lowers_each_of_its_units() -> None:
    """The same unit is less sure in a document where most units nearly tie with another drawing."""
    document = Document("d", "ko", "en", [Sentence(t) for t in ("가다.", "나다.", "다다.", "라다.")],
                        [Sentence(t) for t in ("A.", "B.", "C.", "D.")])
    steady = [Bead((i,), (i,), score=0.7, margin=m) for i, m in enumerate((0.9, 0.8, 0.9, 0.1))]
    loose = [Bead((i,), (i,), score=0.7, margin=m) for i, m in enumerate((0.9, 0.1, 0.2, 0.1))]
    shares = [bead_features(document, beads)[0].values["low_margin_share"] for beads in (steady, loose)]
    assert shares == pytest.approx([0.25, 0.75])
    model = load_model("use")
    p = [predict(model["aligned"], [bead_features(document, beads)[0].values])[0] for beads in (steady, loose)]
    assert p[1] < p[0]


def test_a_unit_whose_line_holds_a_sentence_left_unaligned_is_flagged() -> None:
    """Sentence(text, paragraph, line): the first Korean line holds two sentences, one of them
    left unaligned; a caption left unaligned on its own line, or in a unit's line, is no sign."""
    ko = [Sentence("가다.", 0, 0), Sentence("나다.", 0, 0), Sentence("다다.", 1, 2), Sentence("사진.", 1, 2, "caption")]
    en = [Sentence("A.", 0, 0), Sentence("C.", 1, 2)]
    document = Document("d", "ko", "en", ko, en)
    beads = [Bead((0,), (0,), score=0.7, margin=0.5), Bead((1,), (), margin=0.5), Bead((2,), (1,), score=0.7, margin=0.5),
             Bead((3,), (), margin=0.5)]
    assert [f.values.get("line_left_out") for f in bead_features(document, beads)] == [1.0, None, 0.0, None]
    presplit = Document("d", "ko", "en", [Sentence(t, 0, i) for i, t in enumerate(("가다.", "나다.", "다다."))],
                        [Sentence(t, 0, i) for i, t in enumerate(("A.", "C."))])
    beads = [Bead((0,), (0,), score=0.7, margin=0.5), Bead((1,), (), margin=0.5), Bead((2,), (1,), score=0.7, margin=0.5)]
    assert [f.values.get("line_left_out") for f in bead_features(presplit, beads)] == [0.0, None, 0.0]


def test_each_data_set_weighs_the_same_in_the_fit() -> None:
    rows = [Row(name, name, "doc", "aligned", {}, 1) for name, count in (("a", 3), ("b", 1)) for _ in range(count)]
    weights = set_weights(rows)
    assert weights == pytest.approx({"a": 4 / 6, "b": 2.0})
    assert sum(weights[r.dataset] for r in rows) == pytest.approx(len(rows))


def _tiny_gold(folder: Path, name: str, src: str, tgt: str, texts: tuple[str, str]) -> None:
    folder.mkdir(parents=True)
    for suffix, text in ((src, texts[0]), (tgt, texts[1]), ("align", "[0]:[0]\n[1]:[1]\n")):
        (folder / f"{name}.{suffix}").write_text(text, encoding="utf-8")


def test_extra_gold_sets_are_fitted_on_with_their_languages(tmp_path) -> None:
    _tiny_gold(tmp_path / "data" / "news", "001", "ko", "en", ("조달청은 협약을 체결했다.\n양국은 정보를 공유한다.\n",
                                                           "PPS signed an agreement.\nBoth countries share information.\n"))
    _tiny_gold(tmp_path / "mac", "001", "zh", "en", ("我来了。\n他走了。\n", "I came.\nHe left.\n"))
    data, cache, spec = tmp_path / "data", tmp_path / "cache", f"mac-dev={tmp_path / 'mac'}:zh-en"
    sets = gold_sets(data, [spec])
    assert [(s.name, s.src_lang, s.tgt_lang) for s in sets] == [("news", None, None), ("mac-dev", "zh", "en")]
    with pytest.raises(InputError):
        gold_sets(data, [str(tmp_path / "missing")])
    # the USE model is fitted on the extra set too, under its name (a new name is not served
    # from the cache of the old); the length-only one on the data alone
    assert {r.dataset for r in collect(data, "use", cache, lambda _: None, [spec])[1]} == {"news", "mac-dev"}
    renamed = f"other={tmp_path / 'mac'}:zh-en"
    assert {r.dataset for r in collect(data, "use", cache, lambda _: None, [renamed])[1]} == {"news", "other"}
    assert {r.dataset for r in collect(data, "none", cache, lambda _: None, [spec])[1]} == {"news"}


def test_predict_is_a_logistic_regression_over_standardised_features() -> None:
    part = {"features": ["path_margin", "log_extra"], "mean": [0.5, 0.0], "scale": [0.1, 1.0], "coef": [2.0, -1.0],
            "intercept": 0.5}
    p = predict(part, [{"path_margin": 0.6, "log_extra": 1.0}, {"path_margin": 0.5, "log_extra": 0.0}])
    assert p == pytest.approx([1 / (1 + np.exp(-1.5)), 1 / (1 + np.exp(-0.5))])


def test_labels_strict_and_at_block_level() -> None:
    gold = [Bead((0,), (0,)), Bead((1,), (1, 2)), Bead((2,), ())]
    predicted = [Bead((0,), (0,)), Bead((1,), (1,)), Bead((), (2,)), Bead((2,), ())]
    assert presplit_labels(gold, predicted) == [1, 0, 0, 1]
    blocks = [("가 나.", "A B."), ("다.", "")]
    # one gold block cut into two units: right at block level; a leftover piece of an aligned
    # block is not, and makes its block's units wrong with it
    assert block_labels(blocks, ["가", "나.", "다."], ["A", "B."], [Bead((0,), (0,)), Bead((1,), (1,)), Bead((2,), ())]) \
        == [1, 1, 1]
    assert block_labels(blocks, ["가", "나.", "다."], ["A", "B."], [Bead((0,), (0, 1)), Bead((1,), ()), Bead((2,), ())]) \
        == [0, 0, 1]


def test_ece_of_equal_mass_bins() -> None:
    p = np.array([0.1, 0.1, 0.9, 0.9])
    assert ece(p, np.array([0.0, 0.0, 1.0, 1.0]), bins=2) == pytest.approx(0.1)
    assert ece(p, np.array([1.0, 1.0, 0.0, 0.0]), bins=2) == pytest.approx(0.9)


def test_tmx_tsv_and_html_carry_the_confidence(seed_out) -> None:
    out, stdout = seed_out
    rows = tsv_rows(out / "seed.review.tsv")
    assert rows and all(0.0 <= float(r["confidence"]) <= 1.0 for r in rows)
    units, _, _ = read_tmx(out / "seed.tmx")
    aligned = [r for r in rows if r["status"] == "aligned"]
    assert [u.confidence for u in units] == [float(r["confidence"]) for r in aligned]
    # every tu has its x-confidence prop before its first tuv; the file lints clean
    for tu in etree.parse(str(out / "seed.tmx")).iter("tu"):
        kinds = [child.get("type") if child.tag == "prop" else child.tag for child in tu]
        assert "x-confidence" in kinds and kinds.index("x-confidence") < kinds.index("tuv")
    assert lint_tmx(out / "seed.tmx") == []
    wrong = sum(1 - float(r["confidence"]) for r in aligned)
    assert f"expected wrong units in the TMX: {wrong:.1f} of {len(aligned)}" in stdout
    page = (out / "seed.review.html").read_text(encoding="utf-8")
    shown = re.findall(r'<tr id="doc-1-row-\d+"[^>]* data-confidence="([0-9.]+)"', page)
    assert shown == [r["confidence"] for r in rows]
    assert check_first(page) == sorted(float(r["confidence"]) for r in rows if float(r["confidence"]) < 0.9)


def check_first(page: str) -> list[float]:
    """The confidences of the HTML review's "check first" rows, in the order shown."""
    return [float(v) for v in re.findall(r'<tr class="\w+" data-confidence="([0-9.]+)"><td class="n">', page)]


# A release whose two halves each lost two sentences, at the same places: the search pairs the
# leftovers (nothing else says text is missing), and their units are doubtful.
LEFTOVERS = """조달청, 혁신제품 구매 확대 추진

조달청은 올해 혁신제품 구매 규모를 작년보다 두 배 늘리겠다고 밝혔다. 이를 위해 공공기관의 시범 구매 예산을 대폭 확대한다.

나는 그들이 내 묘비에 무엇이라고 쓸지 궁금했던 것을 기억한다.

김철수 과장은 "혁신 기업의 판로가 넓어질 것"이라고 말했다.

고양이는 하루에 열여섯 시간을 잔다.

PPS to expand purchases of innovative products

The Public Procurement Service said it will double its purchases of innovative products this year compared with \
last year. To this end, it will greatly expand the pilot purchase budget of public institutions.

The ferry timetable changes on the first Monday of May.

"The market for innovative companies will grow," said director Kim Cheol-su.

Volcanic ash closed two airports in Iceland.
"""


@pytest.fixture(scope="module")
def leftovers_out(tmp_path_factory) -> Path:
    """The folder where LEFTOVERS was aligned (b.tmx and its reviews), once for the tests below."""
    out = tmp_path_factory.mktemp("leftovers")
    (out / "leftovers.txt").write_text(LEFTOVERS, encoding="utf-8")
    align_dated(out / "leftovers.txt", out / "b.tmx")
    return out


def test_check_first_lists_the_least_sure_rows_first(leftovers_out) -> None:
    rows = tsv_rows(leftovers_out / "b.review.tsv")
    below = sorted(float(r["confidence"]) for r in rows if float(r["confidence"]) < 0.9)
    assert len(below) >= 2 and check_first((leftovers_out / "b.review.html").read_text(encoding="utf-8")) == below


def test_a_pair_of_unrelated_leftovers_is_doubtful(leftovers_out) -> None:
    """Their path margin is wide (pairing them is cheaper than two deletions), but their cosine
    is below that of a typical unrelated pair."""
    rows = {r["source"]: r for r in tsv_rows(leftovers_out / "b.review.tsv")}
    leftover = rows["나는 그들이 내 묘비에 무엇이라고 쓸지 궁금했던 것을 기억한다."]
    assert leftover["target"] == "The ferry timetable changes on the first Monday of May."
    assert float(leftover["score"]) < 0.1 and float(leftover["confidence"]) < 0.5
    assert float(rows["김철수 과장은 \"혁신 기업의 판로가 넓어질 것\"이라고 말했다."]["confidence"]) > 0.9


def test_the_title_pair_is_trusted_despite_its_low_cosine(seed_out) -> None:
    out, _ = seed_out
    title = next(r for r in tsv_rows(out / "seed.review.tsv") if r["target"].startswith("Korea and Canada"))
    assert title["source"] == "한-캐나다…中企 성장 지원 힘 모은다."
    assert float(title["score"]) < 0.4 and float(title["confidence"]) >= 0.5


def test_min_confidence_keeps_doubtful_units_out_of_the_tmx(seed_out, tmp_path) -> None:
    out, _ = seed_out
    every = tsv_rows(out / "seed.review.tsv")
    aligned = [r for r in every if r["status"] == "aligned"]
    cut = sorted(float(r["confidence"]) for r in aligned)[len(aligned) // 2]  # about half fall below
    result = run_cli("align", SEED, "-o", tmp_path / "cut.tmx", "--min-confidence", str(cut))
    assert result.returncode == 0, result.stderr
    rows = tsv_rows(tmp_path / "cut.review.tsv")
    low = [r for r in rows if r["status"] == "low-confidence"]
    assert low and all(float(r["confidence"]) < cut for r in low)
    assert len(low) == sum(float(r["confidence"]) < cut for r in aligned)
    units, _, _ = read_tmx(tmp_path / "cut.tmx")
    assert len(units) == len(aligned) - len(low) and all(u.confidence >= cut for u in units)
    assert 'data-status="low-confidence"' in (tmp_path / "cut.review.html").read_text(encoding="utf-8")
    # the reviewed TSV gives back the same memory
    assert run_cli("tmx", tmp_path / "cut.review.tsv", "-o", tmp_path / "again.tmx").returncode == 0
    again, _, _ = read_tmx(tmp_path / "again.tmx")
    assert [(u.src, u.tgt, u.confidence) for u in again] == [(u.src, u.tgt, u.confidence) for u in units]
    assert read_review_tsv(tmp_path / "cut.review.tsv") == [u for u in again]


def test_min_confidence_must_be_a_probability(tmp_path) -> None:
    result = run_cli("align", SEED, "-o", tmp_path / "x.tmx", "--min-confidence", "1.5")
    assert result.returncode == 2 and "--min-confidence" in result.stderr and not list(tmp_path.iterdir())


def test_an_encoder_without_a_model_says_so(tmp_path) -> None:
    from tests.test_st_encoder import st_model_path

    path = st_model_path()
    (tmp_path / "a.en").write_text("The climbers left the hut at dawn.\nThey reached the summit.\n", encoding="utf-8")
    (tmp_path / "b.en").write_text("At dawn the climbers left the hut.\nThey got to the top.\n", encoding="utf-8")
    env_args = ("align", "--presplit", "--src-lang", "en", "--tgt-lang", "fr", "--encoder", f"st:{path}",
                tmp_path / "a.en", tmp_path / "b.en")
    result = run_cli(*env_args, "-o", tmp_path / "p.tmx")
    assert result.returncode == 0, result.stderr
    assert f"confidence: none (no calibrated model for encoder st:{path}" in result.stdout
    assert all(r["confidence"] == "" for r in tsv_rows(tmp_path / "p.review.tsv"))
    with pytest.raises(InputError, match="no calibrated confidence model"):  # before any work is done
        check_min_confidence(0.5, f"st:{path}")


def test_models_load_from_a_non_editable_install(tmp_path) -> None:
    """pip install (not -e) into a fresh virtualenv: the fitted models travel as data files."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # the test environment's packages (numpy, pip, setuptools …) without its editable aligner
    import numpy

    Path(site, "deps.pth").write_text(str(Path(numpy.__file__).parent.parent) + "\n", encoding="utf-8")
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                              "--no-build-isolation", str(ROOT)], capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr
    check = ("import json, sys, aligner.align.confidence as c; m = c.load_model('use-onnx'); "
             "print(json.dumps([c.__file__, str(c.MODELS), sorted(m['encoders']), sys.prefix]))")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    shown = subprocess.run([str(python), "-c", check], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert shown.returncode == 0, shown.stderr
    module, models, encoders, prefix = json.loads(shown.stdout)
    assert module.startswith(site) and not module.startswith(str(ROOT))
    assert Path(models) == Path(prefix) / "share" / "aligner" / "models" and Path(models) != MODELS
    assert encoders == sorted(load_model("use-onnx")["encoders"])


def test_calibrate_fits_a_model_that_the_aligner_loads(tmp_path) -> None:
    """`aligner calibrate` on a small pre-split gold set writes a model naming its encoder,
    data and date, which load_model finds."""
    data = tmp_path / "gold" / "mini"
    data.mkdir(parents=True)
    ko = ["조달청은 협약을 체결했다.", "양국은 정보를 공유한다.", "협력은 계속된다.", "문의: 담당관"]
    en = ["PPS signed an agreement.", "Both countries share information.", "They will also cooperate.",
          "Cooperation goes on."]
    gold = "[0]:[0]\n[1]:[1, 2]\n[2]:[3]\n[3]:[]\n"
    for name in ("a", "b", "c"):
        (data / f"{name}.ko").write_text("\n".join(ko) + "\n", encoding="utf-8")
        (data / f"{name}.en").write_text("\n".join(en) + "\n", encoding="utf-8")
        (data / f"{name}.align").write_text(gold, encoding="utf-8")
    out = tmp_path / "models"
    result = run_cli("calibrate", "--data", tmp_path / "gold", "--encoders", "none", "--out", out,
                     "--cache", tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    model = json.loads((out / "confidence-none.json").read_text(encoding="utf-8"))
    assert model["encoders"] == ["none"] and model["data"]["sets"]["mini"]["documents"] == 3
    assert load_model("none", out) == model and load_model("use", out) is None
    assert "5 folds grouped by document" in result.stdout and "| all |" in result.stdout
    assert list((tmp_path / "cache").glob("rows-none-*.json"))  # the aligned beads, for a quick refit
