"""Which writer an output path gets, and the review files that go beside a TMX."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

from aligner.data import Alignment, TranslationUnit, base_language
from aligner.errors import InputError

FORMATS = ("tmx", "tsv", "html", "align")
_SUFFIXES = {".tmx": "tmx", ".tsv": "tsv", ".html": "html", ".htm": "html", ".align": "align"}


def check_output_path(path: Path) -> None:
    """Refuse an unusable output path before any work is done."""
    import os

    if path.is_dir():
        raise InputError(path, "is a folder; give an output file name")
    folder = path.parent
    if not folder.is_dir():
        raise InputError(path, "the output folder does not exist")
    if not os.access(folder, os.W_OK):
        raise InputError(path, "the output folder is not writable")


def format_for(path: Path, explicit: str | None) -> str:
    """The output format: from the suffix, or --format (which must not contradict a known suffix)."""
    by_suffix = _SUFFIXES.get(path.suffix.lower())
    if explicit:
        if by_suffix and by_suffix != explicit:
            raise InputError(path, f"the suffix says {by_suffix} but --format says {explicit}")
        return explicit
    if by_suffix is None:
        raise InputError(path, f"unknown output suffix {path.suffix!r}: use .tmx, .tsv, .html or .align, or --format")
    return by_suffix


def preflight(path: Path, fmt: str, documents: int, src_lang: str, tgt_lang: str, *,
              date: str | None = None, review: bool = True) -> None:
    """Every check that needs no alignment, made before any work, so a mistake costs nothing."""
    from aligner.formats.tmx import creation_stamp, tmx_language, tmx_languages

    check_output_path(path)
    if fmt == "align" and documents != 1:
        raise InputError(path, "the bead format holds one document; align one pair at a time")
    if fmt != "tmx":
        return
    for flag, code in (("--src-lang", src_lang), ("--tgt-lang", tgt_lang)):
        try:
            tmx_language(code)
        except ValueError as err:
            raise InputError(flag, str(err)) from None
    try:
        tmx_languages(src_lang, tgt_lang)
    except ValueError as err:
        raise InputError("--tgt-lang", str(err)) from None
    creation_stamp(parse_date(date))
    if review:
        from aligner.workbench.store import project_path

        for extra in (*review_paths(path), project_path(path)):
            check_output_path(extra)


def parse_date(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        raise InputError("--date", f"{text!r} is not a date like 20240416T000000Z") from None


def review_paths(tmx_path: Path) -> tuple[Path, Path]:
    """`out/seeds.tmx` → `out/seeds.review.tsv`, `out/seeds.review.html`."""
    stem = tmx_path.with_suffix("")
    return stem.with_name(stem.name + ".review.tsv"), stem.with_name(stem.name + ".review.html")


@dataclass
class Written:
    """What a run wrote, and what the user should know about the memory."""

    paths: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def conflict_notes(units: Sequence[TranslationUnit]) -> list[str]:
    """Sources that appear with more than one target: kept, but a translator should know."""
    targets: dict[str, set[str]] = {}
    for unit in units:
        targets.setdefault(unit.src, set()).add(unit.tgt)
    return [f"same source, different targets: {src}" for src, tgts in targets.items() if len(tgts) > 1]


def confidence_note(units: Sequence[TranslationUnit], encoder: str, where: str) -> str:
    """How many units are expected to be wrong (Σ 1 − confidence), or why there is no confidence."""
    if not units:
        return ""
    known = [unit.confidence for unit in units if unit.confidence is not None]
    if known:
        wrong = sum(1.0 - p for p in known)
        unknown = f"; {len(units) - len(known)} units have none" if len(known) < len(units) else ""
        return f"expected wrong units in {where}: {wrong:.1f} of {len(units)} (sum of 1 − confidence{unknown})"
    return (f"confidence: none (no calibrated model for encoder {encoder or '?'}: the calibration is for "
            "use and none; `aligner calibrate --encoders NAME --data DIR` fits one)")


def write(alignments: Sequence[Alignment], path: Path, fmt: str, *, min_score: float | None = None,
          min_confidence: float | None = None, date: str | None = None, review: bool = True,
          encoder: str = "") -> Written:
    """Write the requested output (and, beside a TMX, the review files)."""
    from aligner.formats.atomic import write_atomic
    from aligner.formats.html import html_from_rows
    from aligner.formats.review import review_documents, tsv_from_rows, units_from_rows

    check_output_path(path)
    result = Written()
    written = result.paths
    limits = {"min_score": min_score, "min_confidence": min_confidence}
    if fmt == "align":
        from aligner.formats.beads import write_beads

        if len(alignments) != 1:
            raise InputError(path, "the bead format holds one document; align one pair at a time")
        write_beads(alignments[0].beads, path)
        written.append(path)
        return result
    documents = review_documents(alignments, **limits)  # the TMX's units and the review files' rows
    units = units_from_rows(documents)
    if fmt == "tmx":
        from aligner.formats.tmx import write_tmx

        first = alignments[0].document
        tmx = write_tmx(units, path, first.src_lang, first.tgt_lang, creation_date=parse_date(date))
        written.append(path)
        result.notes.append(f"translation memory: {len(tmx.written)} units"
                            + (f" ({tmx.merged} identical units written once)" if tmx.merged else ""))
        result.notes += conflict_notes(tmx.written)
        if review:
            tsv, html = review_paths(path)
            write_atomic(tsv, tsv_from_rows(documents))
            write_atomic(html, html_from_rows(documents, **limits))
            written += [tsv, html]
    elif fmt == "tsv":
        write_atomic(path, tsv_from_rows(documents))
        written.append(path)
    else:
        write_atomic(path, html_from_rows(documents, **limits))
        written.append(path)
    if note := confidence_note(units, encoder, "the TMX" if fmt == "tmx" else "the aligned rows"):
        result.notes.append(note)
    return result


def _require_file(path: Path) -> None:
    if not path.is_file():
        raise InputError(path, "no such file")


def check_min_confidence(value: float | None, encoder: str) -> None:
    """--min-confidence is a probability, and needs a calibrated model for the encoder."""
    if value is None:
        return
    from aligner.align.confidence import load_model

    if not 0.0 <= value <= 1.0:
        raise InputError("--min-confidence", f"{value} is not a probability between 0 and 1")
    if load_model(encoder) is None:
        raise InputError("--min-confidence", f"encoder {encoder} has no calibrated confidence model "
                                             "(models/confidence-*.json); use --min-score, or fit one with "
                                             "`aligner calibrate`")


def lint(path: Path) -> list[str]:
    """Problems a DTD cannot see (see formats.tmx.lint_tmx); a file that will not parse is bad input."""
    from aligner.formats.tmx import lint_tmx

    _require_file(path)
    return lint_tmx(path)


def tmx_from_review(review: Path, output: Path, src_lang: str, tgt_lang: str, *, date: str | None = None) -> int:
    """The units a person kept in a review TSV, as a TMX; returns how many were written."""
    from aligner.formats.review import read_review_tsv
    from aligner.formats.tmx import write_tmx

    _require_file(review)
    check_output_path(output)
    try:
        units = read_review_tsv(review)
    except ValueError as err:
        raise InputError(review, str(err)) from None
    result = write_tmx(units, output, src_lang, tgt_lang, creation_date=parse_date(date))
    return len(result.written)


def merge_memories(inputs: Sequence[Path], output: Path, *, date: str | None = None) -> tuple[int, list[str]]:
    """One memory from several: identical pairs once (counts summed), conflicting targets kept and listed."""
    from aligner.formats.tmx import read_tmx, write_tmx

    check_output_path(output)
    units = []
    langs: set[tuple[str, str]] = set()
    for path in inputs:
        _require_file(path)
        try:
            file_units, src_lang, tgt_lang = read_tmx(path)
        except Exception as err:  # translate-toolkit raises parser-specific errors
            raise InputError(path, f"is not a readable TMX ({err.__class__.__name__})") from None
        if file_units:  # an empty memory names no target language and adds nothing
            langs.add((base_language(src_lang), base_language(tgt_lang)))
        units.extend(file_units)
    if not langs:
        raise InputError(inputs[0], "the memories hold no units to merge")
    if len(langs) != 1:
        raise InputError(inputs[0], f"the memories have different language pairs: {sorted(langs)}")
    src_lang, tgt_lang = langs.pop()
    result = write_tmx(units, output, src_lang, tgt_lang, creation_date=parse_date(date))
    return len(result.written), conflict_notes(result.written)
