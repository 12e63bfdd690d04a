"""Fit the confidence model of align/confidence.py on gold data, and measure its calibration.

    python -m aligner calibrate --data ../shared/data [--dev-extra [NAME=]PATH[:SRC-TGT] ...]
        [--encoders use,none] [--out models]

Every development set is aligned with the real pipeline (aligner.gold) and every bead gets a
label, 1 if it is exactly right:
- pre-split sets (Vecalign gold): an aligned bead has the source and target ids of a gold bead;
  an unaligned sentence is one the gold leaves unaligned.
- raw sets (gold blocks, scored at block level): the scoring merges consecutive predicted
  beads that share a block (evaluate.block_groups); a bead is right when the merged bead it
  went into equals a gold block bead and, if that block is aligned, none of the beads merged
  into it left a sentence unaligned (the TMX unit then misses text the block translates).
Logistic regression (scikit-learn) per bead kind, over standardised features, each data set
weighing the same (set_weights); the parameters go to models/confidence-NAME.json and are read
with numpy at run time.

`--dev-extra` adds development gold sets kept outside --data (the MAC dev set, models/README.md;
`make calibrate DEV_EXTRA=…`), except for `none` (collect). Out-of-fold predictions measure it
two ways: 5-fold cross-validation grouped by document (a document of NTREX seg and the same
document of NTREX raw fall in one fold) and leave one corpus out (NTREX, Text+Berg, the Bible,
each extra set). Aligned dev data are cached per encoder in .cache/calibrate (keyed by the
code, the length models and the data), so a refit after a change to the fitting alone takes
seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import numpy as np

from aligner.align.confidence import (ALIGNED_FEATURES, UNALIGNED_FEATURES, bead_features,
                                      model_files, predict)
from aligner.align.length import MODELS
from aligner.data import Bead
from aligner.encoders import load_encoder
from aligner.encoders.cache import default_cache_dir
from aligner.evaluate import block_groups, read_gold_blocks
from aligner.formats.atomic import write_atomic
from aligner.gold import DocumentResult, evaluate_path

if TYPE_CHECKING:
    from aligner.bench import GoldSet

PACKAGE = Path(__file__).resolve().parent
THRESHOLDS = (0.5, 0.8, 0.9)
ECE_BINS = 15
CV_FOLDS = 5
# Inverse regularisation strength of the logistic regressions (scikit-learn's C).
REGULARISATION_C = 1.0


@dataclass(frozen=True)
class Row:
    """One bead of a gold set: where it is from, its kind and features, and whether it is right."""

    dataset: str  # e.g. ntrex-ko-en-dev/seg
    corpus: str  # the data set's top folder: NTREX seg and raw share their documents
    document: str
    kind: str  # "aligned" or "unaligned"
    features: dict[str, float]
    label: int

    @property
    def group(self) -> str:
        return f"{self.corpus}/{self.document}"


# --------------------------------------------------------------------------- labels


def _key(bead: Bead) -> tuple[tuple[int, ...], tuple[int, ...]]:
    return tuple(sorted(bead.src)), tuple(sorted(bead.tgt))


def presplit_labels(gold: list[Bead], beads: list[Bead]) -> list[int]:
    """1 for a bead identical to a gold bead, or an unaligned bead whose sentences gold leaves
    unaligned; else 0."""
    keys = {_key(b) for b in gold}
    lone = ({i for b in gold if not b.tgt for i in b.src}, {j for b in gold if not b.src for j in b.tgt})
    labels = []
    for bead in beads:
        if bead.src and bead.tgt:
            labels.append(int(_key(bead) in keys))
        else:
            side, ids = (0, bead.src) if bead.src else (1, bead.tgt)
            labels.append(int(all(i in lone[side] for i in ids)))
    return labels


def block_labels(blocks: list[tuple[str, str]], src: list[str], tgt: list[str], beads: list[Bead]) -> list[int | None]:
    """Labels at the level block scoring sees (module docstring); None for a bead whose text
    lies in no gold block."""
    gold, merged, groups = block_groups(blocks, src, tgt, beads)
    keys = {_key(b) for b in gold}
    broken = {g for g, bead in zip(groups, beads) if g is not None and not (bead.src and bead.tgt)}
    labels: list[int | None] = []
    for g in groups:
        if g is None:
            labels.append(None)
            continue
        group = merged[g]
        right = _key(group) in keys and not (group.src and group.tgt and g in broken)
        labels.append(int(right))
    return labels


def document_labels(folder: Path, result: DocumentResult) -> list[int | None]:
    """The label of each bead of one aligned gold document: block labels where the document has
    gold blocks (raw documents, read as a pair, a bilingual file or lines: a line is a block
    there), else the pre-split gold's."""
    alignment = result.alignment
    assert alignment is not None
    if (folder / result.name / "gold.tsv").exists():
        blocks = read_gold_blocks((folder / result.name / "gold.tsv").read_text(encoding="utf-8"))
        return block_labels(blocks, [s.text for s in alignment.document.src],
                            [s.text for s in alignment.document.tgt], alignment.beads)
    return list(presplit_labels(result.gold, alignment.beads))


def _document_rows(dataset: str, folder: Path, result: DocumentResult) -> list[Row]:
    assert result.alignment is not None
    labels = document_labels(folder, result)
    corpus = dataset.split("/")[0]
    rows = []
    for features, label in zip(bead_features(result.alignment.document, result.alignment.beads), labels):
        if features is not None and label is not None:
            rows.append(Row(dataset, corpus, result.name, features.kind, features.values, label))
    return rows


# --------------------------------------------------------------------------- collecting


def _fingerprint(data: Path, sets: list[GoldSet], encoder: str) -> str:
    """What the rows depend on: the aligner's code, its length models, the data (the sets, with
    their names and languages, and their files), the encoder (not the confidence models, which
    the rows are for)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(encoder.encode())
    digest.update(repr([(s.name, str(s.folder.resolve()), s.mode, s.src_lang, s.tgt_lang) for s in sets]).encode())
    files = sorted(PACKAGE.rglob("*.py")) + [p for p in sorted(MODELS.glob("*.json")) if p not in model_files()]
    for path in files:
        digest.update(path.name.encode() + path.read_bytes())
    outside = [s.folder for s in sets if not s.folder.resolve().is_relative_to(data.resolve())]
    for folder in dict.fromkeys([data] + outside):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            stat = path.stat()
            digest.update(f"{path.resolve()}\x1f{stat.st_size}\x1f{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def _slug(encoder: str) -> str:
    """An encoder name as part of a file name (`st:/models/labse` → `st__models_labse`)."""
    return encoder.replace("/", "_").replace(":", "_")


def gold_sets(data: Path, extra: Sequence[str] = ()) -> list[GoldSet]:
    """Every gold set under data and each `extra` one ([NAME=]PATH[:SRC-TGT]), raw ones read as
    a pair of files."""
    from aligner.bench import PAIR, PRESPLIT, extra_sets, find_sets

    return [s for s in find_sets(data) + extra_sets(list(extra)) if s.mode in (PRESPLIT, PAIR)]


def collect(data: Path, encoder_spec: str, cache: Path | None = None, log=print,
            extra: Sequence[str] = ()) -> tuple[str, list[Row]]:
    """(the encoder's name, the labelled beads of every gold set under data and, but for the
    length-only aligner, in `extra`: `none` gets half of a literary set's units wrong (MAC dev:
    .48 right, against .73–.88 elsewhere), and fitted on it too its probabilities on every other
    set fall below their rate (the Bible's ECE .065 → .104))."""
    encoder = load_encoder(encoder_spec, cache_dir=default_cache_dir())  # vectors on disk, where batch-invariant
    sets = gold_sets(data, extra)  # every extra spec is read: a wrong one is an input error for any encoder
    if encoder.name == "none" and extra:
        sets = gold_sets(data)
        log("none: fitted on the sets under --data only")
    path = None
    if cache is not None:
        stem = f"rows-{_slug(encoder.name)}-"
        path = cache / f"{stem}{_fingerprint(data, sets, encoder.name)}.json"
        if path.exists():
            return encoder.name, [Row(**row) for row in json.loads(path.read_text(encoding="utf-8"))]
        for stale in cache.glob(f"{stem}{'?' * 32}.json"):  # rows of older code or data
            stale.unlink()
    rows: list[Row] = []
    for gold_set in sets:
        started = time.perf_counter()
        report = evaluate_path(gold_set.folder, encoder, src_lang=gold_set.src_lang, tgt_lang=gold_set.tgt_lang)
        for result in report.documents:
            rows += _document_rows(gold_set.name, gold_set.folder, result)
        log(f"aligned {gold_set.name} with {encoder.name} ({time.perf_counter() - started:.1f}s)")
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps([row.__dict__ for row in rows]).encode("utf-8"))
    return encoder.name, rows


# --------------------------------------------------------------------------- fitting


def feature_names(kind: str, rows: list[Row]) -> list[str]:
    """The features of this kind the rows carry (the semantic ones only with an encoder)."""
    names = ALIGNED_FEATURES if kind == "aligned" else UNALIGNED_FEATURES
    present = set(rows[0].features) if rows else set()
    return [n for n in names if n in present]


def set_weights(rows: list[Row]) -> dict[str, float]:
    """Per data set, the weight of each of its rows in the fit: every set's beads, units and
    unaligned sentences together, weigh the same in all (the MAC dev set holds as many beads as
    two of the others; the number of beads says how long a set's documents are, not how much it
    should count), the mean row weight 1. Each kind's model then sees the sets in proportion to
    their beads of that kind: most unaligned sentences are Text+Berg's."""
    counts = Counter(r.dataset for r in rows)
    return {name: len(rows) / (len(counts) * count) for name, count in counts.items()}


def fit_part(kind: str, rows: list[Row], weights: dict[str, float]) -> dict:
    """A logistic regression over standardised features, as confidence.predict reads it (with
    no rows of the kind: P = .5, which says nothing)."""
    from sklearn.linear_model import LogisticRegression

    names = feature_names(kind, rows)
    x = np.array([[r.features[n] for n in names] for r in rows], dtype=np.float64)
    y = np.array([r.label for r in rows])
    if not rows:
        return {"features": [], "mean": [], "scale": [], "labels": 0, "right": 0, "coef": [], "intercept": 0.0}
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    part = {"features": names, "mean": mean.tolist(), "scale": scale.tolist(), "labels": len(rows),
            "right": int(y.sum())}
    if y.min() == y.max():  # one class only: its frequency, smoothed
        part.update(coef=[0.0] * len(names), intercept=float(np.log((y.sum() + 1) / (len(y) - y.sum() + 1))))
        return part
    model = LogisticRegression(C=REGULARISATION_C, max_iter=2000).fit(
        (x - mean) / scale, y, sample_weight=np.array([weights[r.dataset] for r in rows]))
    part.update(coef=model.coef_[0].tolist(), intercept=float(model.intercept_[0]))
    return part


def fit(rows: list[Row]) -> dict:
    weights = set_weights(rows)
    return {kind: fit_part(kind, [r for r in rows if r.kind == kind], weights) for kind in ("aligned", "unaligned")}


def predict_rows(model: dict, rows: list[Row]) -> np.ndarray:
    p = np.zeros(len(rows))
    for kind in ("aligned", "unaligned"):
        index = [k for k, r in enumerate(rows) if r.kind == kind]
        if index:
            p[index] = predict(model[kind], [rows[k].features for k in index])
    return p


def out_of_fold(rows: list[Row], by: str) -> np.ndarray | None:
    """Predictions for every row from a model fitted without its group: `document` (5 folds,
    grouped by document) or `corpus` (leave one corpus out); None with fewer than two groups."""
    from sklearn.model_selection import GroupKFold, LeaveOneGroupOut

    groups = np.array([r.group if by == "document" else r.corpus for r in rows])
    if len(set(groups)) < 2:
        return None
    splitter = GroupKFold(n_splits=min(CV_FOLDS, len(set(groups)))) if by == "document" else LeaveOneGroupOut()
    p = np.zeros(len(rows))
    for train, test in splitter.split(np.zeros(len(rows)), groups=groups):
        model = fit([rows[k] for k in train])
        p[test] = predict_rows(model, [rows[k] for k in test])
    return p


# --------------------------------------------------------------------------- measuring


def ece(p: np.ndarray, y: np.ndarray, bins: int = ECE_BINS) -> float:
    """Expected calibration error over equal-mass bins: Σ (n_b / N) · |mean p_b − mean y_b|."""
    if len(p) == 0:
        return float("nan")
    order = np.argsort(p, kind="stable")
    return float(sum(len(b) / len(p) * abs(p[b].mean() - y[b].mean())
                     for b in np.array_split(order, min(bins, len(p))) if len(b)))


def auroc(p: np.ndarray, y: np.ndarray) -> float:
    if len(set(y.tolist())) < 2:
        return float("nan")
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, p))


def metrics(p: np.ndarray, y: np.ndarray, unit: np.ndarray) -> dict[str, float]:
    """ECE, Brier and AUROC over every bead; precision and coverage at each threshold over the
    units (aligned beads, what goes into the TMX)."""
    out = {"beads": int(len(p)), "right": float(y.mean()) if len(y) else float("nan"),
           "ece": ece(p, y), "brier": float(np.mean((p - y) ** 2)) if len(p) else float("nan"), "auroc": auroc(p, y),
           "units": int(unit.sum())}
    pu, yu = p[unit], y[unit]
    for t in THRESHOLDS:
        kept = pu >= t
        out[f"precision@{t}"] = float(yu[kept].mean()) if kept.any() else float("nan")
        out[f"coverage@{t}"] = float(kept.mean()) if len(pu) else float("nan")
    return out


def shipped_metrics(folder: Path, documents: list[DocumentResult]) -> dict[str, float] | None:
    """The metrics of the confidence the aligner gave (the shipped model) on aligned gold
    documents: on a set the model was not fitted on, how it holds on other text. None when no
    bead carries a confidence (no model for the encoder)."""
    p, y, unit = [], [], []
    for result in documents:
        if result.alignment is None:
            continue
        for bead, label in zip(result.alignment.beads, document_labels(folder, result)):
            if bead.confidence is not None and label is not None:
                p.append(bead.confidence)
                y.append(label)
                unit.append(bead.is_aligned)
    if not p:
        return None
    return metrics(np.array(p), np.array(y, dtype=np.float64), np.array(unit))


def metrics_by_set(rows: list[Row], p: np.ndarray) -> dict[str, dict[str, float]]:
    """Metrics per data set, then over all of them ("all")."""
    y = np.array([r.label for r in rows], dtype=np.float64)
    unit = np.array([r.kind == "aligned" for r in rows])
    names = list(dict.fromkeys(r.dataset for r in rows))
    out = {}
    for name in names + ["all"]:
        mask = np.array([name == "all" or r.dataset == name for r in rows])
        out[name] = metrics(p[mask], y[mask], unit[mask])
    return out


HEADER = ("| data set | beads | right | ECE | Brier | AUROC | units | "
          + " | ".join(f"P@{t} | cov@{t}" for t in THRESHOLDS) + " |")


def table(results: dict[str, dict[str, float]]) -> list[str]:
    """The metrics as Markdown table rows (HEADER and its rule first)."""
    lines = [HEADER, "|---" * (HEADER.count("|") - 1) + "|"]
    for name, m in results.items():
        cells = [name, str(m["beads"]), f"{m['right']:.3f}", f"{m['ece']:.3f}", f"{m['brier']:.3f}",
                 f"{m['auroc']:.3f}", str(m["units"])]
        cells += [f"{m[f'{k}@{t}']:.3f}" for t in THRESHOLDS for k in ("precision", "coverage")]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def reliability_diagram(rows: list[Row], p: np.ndarray, title: str, path: Path) -> None:
    """Observed frequency against predicted probability (15 equal-mass bins), one line per data
    set and one for all, with each bin's share of beads below; written as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    y = np.array([r.label for r in rows], dtype=np.float64)
    fig, (ax, hist) = plt.subplots(2, 1, figsize=(6.4, 7.2), gridspec_kw={"height_ratios": [3, 1]}, sharex=True)
    ax.plot([0, 1], [0, 1], color="#999999", linestyle="--", linewidth=1, label="perfect calibration")
    names = list(dict.fromkeys(r.dataset for r in rows))
    for name in names + ["all"]:
        mask = np.array([name == "all" or r.dataset == name for r in rows])
        order = np.argsort(p[mask], kind="stable")
        bins = [b for b in np.array_split(order, min(ECE_BINS, int(mask.sum()))) if len(b)]
        xs = [p[mask][b].mean() for b in bins]
        ys = [y[mask][b].mean() for b in bins]
        ax.plot(xs, ys, marker="o", markersize=3.5, linewidth=2.2 if name == "all" else 1.2,
                color="black" if name == "all" else None,
                label=f"{name} (ECE {ece(p[mask], y[mask]):.3f}, n={int(mask.sum())})")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_ylabel("fraction of beads exactly right")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="upper left")
    ax.grid(alpha=0.3)
    hist.hist(p, bins=np.linspace(0, 1, 21), color="#4c72b0")
    hist.set_yscale("log")
    hist.set_xlabel("predicted P(bead is right), out of fold")
    hist.set_ylabel("beads")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


# --------------------------------------------------------------------------- the command


@dataclass
class Calibration:
    """One encoder's rows, out-of-fold predictions both ways, and the model fitted on all."""

    encoder: str
    rows: list[Row]
    by_document: np.ndarray | None  # None: fewer than two documents
    by_corpus: np.ndarray | None  # None: fewer than two corpora
    model: dict

    def out_of_fold(self) -> list[tuple[str, np.ndarray]]:
        """(how, predictions) of the cross-validations that could be run."""
        return [(how, p) for how, p in (("5 folds grouped by document", self.by_document),
                                         ("leaving one corpus out", self.by_corpus)) if p is not None]


def calibrate(data: Path, encoder_spec: str, cache: Path | None = None, log=print,
              extra: Sequence[str] = ()) -> Calibration:
    """One encoder's model, fitted on the gold sets under data and the extra ones (collect)."""
    name, rows = collect(data, encoder_spec, cache, log, extra)
    if not rows:
        raise ValueError(f"{data}: no labelled beads")
    return Calibration(name, rows, out_of_fold(rows, "document"), out_of_fold(rows, "corpus"), fit(rows))


def model_json(cal: Calibration, encoders: list[str], data: Path) -> dict:
    """The fitted model with where it came from, what it scored out of fold, and when."""
    under_data = {s.name for s in gold_sets(data)}
    extra = sorted({r.dataset for r in cal.rows} - under_data)
    counts: dict[str, dict[str, int]] = {}
    for r in cal.rows:
        c = counts.setdefault(r.dataset, {"documents": 0, "units": 0, "unaligned": 0})
        c["units" if r.kind == "aligned" else "unaligned"] += 1
    for name in counts:
        counts[name]["documents"] = len({r.document for r in cal.rows if r.dataset == name})

    def summary(p: np.ndarray) -> dict:
        """The metrics, rounded; one that cannot be computed (one class only) as null."""
        return {name: {k: ((round(v, 4) if math.isfinite(v) else None) if isinstance(v, float) else v)
                       for k, v in m.items()} for name, m in metrics_by_set(cal.rows, p).items()}

    return {
        "encoders": encoders,
        "fitted_with": cal.encoder,
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
        "data": {"folder": str(data), "sets": counts},
        "label": "1 if the bead is exactly right (see aligner/calibrate.py)",
        "method": f"logistic regression per bead kind over standardised features, each data set weighing the "
                  f"same (scikit-learn, C={REGULARISATION_C})",
        "refit": "make calibrate" + (" DEV_EXTRA=\"NAME=FOLDER:SRC-TGT …\" for " + ", ".join(extra)
                                     + " (models/README.md)" if extra else ""),
        "out_of_fold": {key: summary(p) for key, p in (("by_document", cal.by_document), ("by_corpus", cal.by_corpus))
                        if p is not None},
        **cal.model,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="aligner calibrate", description=__doc__.split("\n")[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=Path("../shared/data"), help="folder of gold sets")
    parser.add_argument("--dev-extra", action="append", default=[], metavar="[NAME=]PATH[:SRC-TGT]",
                        help="a development gold folder outside --data to fit on too (repeatable), "
                             "e.g. mac-dev=/data/mac-dev:zh-en")
    parser.add_argument("--encoders", default="use,none",
                        help="comma-separated encoders, one model each; `use` is fitted with use-onnx when "
                             "installed and also serves use-numpy (`use`)")
    parser.add_argument("--out", type=Path, default=MODELS, help="where the models go (default: models/)")
    parser.add_argument("--cache", type=Path, default=Path(".cache/calibrate"),
                        help="aligned dev data per encoder (default .cache/calibrate)")
    parser.add_argument("--figures", type=Path, default=None,
                        help="also write a reliability diagram per encoder (PNG) into this folder")


def run(args: argparse.Namespace) -> int:
    from aligner.errors import InputError

    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise InputError("calibrate", "fitting needs scikit-learn: pip install 'aligner[calibrate]'") from None
    if not args.data.is_dir():
        raise InputError(args.data, "no such folder of gold data")
    for spec in [e for e in args.encoders.split(",") if e]:
        started = time.perf_counter()
        cal = calibrate(args.data, spec, args.cache, log=lambda line: print(line, file=sys.stderr),
                        extra=args.dev_extra)
        # one model serves the USE model in numpy and through ONNX (measured: models/README.md)
        encoders = ["use-onnx", "use"] if cal.encoder in ("use", "use-onnx") else [cal.encoder]
        slug = "use" if cal.encoder in ("use", "use-onnx") else _slug(cal.encoder)
        args.out.mkdir(parents=True, exist_ok=True)
        path = args.out / f"confidence-{slug}.json"
        model = model_json(cal, encoders, args.data)
        write_atomic(path, json.dumps(model, indent=1, ensure_ascii=False) + "\n")
        for how, p in cal.out_of_fold():
            print(f"\n{cal.encoder}: out of fold, {how}")
            print("\n".join(table(metrics_by_set(cal.rows, p))))
        if args.figures and cal.by_document is not None:
            figure = args.figures / f"reliability-{slug}.png"
            reliability_diagram(cal.rows, cal.by_document, f"Confidence ({cal.encoder}), out of fold "
                                f"(5 folds grouped by document)", figure)
            print(f"wrote {figure}")
        print(f"wrote {path} ({time.perf_counter() - started:.1f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
