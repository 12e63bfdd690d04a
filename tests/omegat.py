"""Drive OmegaT 3.6 (Debian package `omegat`) headless, to prove a CAT tool accepts our TMX.

OmegaT exits 0 even when it rejects a TMX, so pretranslate reads its log instead of the
exit code and raises OmegaTError when a memory failed to load or units were skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

JAR_CANDIDATES = (Path("/usr/share/omegat/OmegaT.jar"), Path("/opt/omegat/OmegaT.jar"))
DTD_IN_JAR = "schemas/tmx14.dtd"
REQUIRE_ENV = "ALIGNER_REQUIRE_OMEGAT"

PROJECT_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
    <project version="1.0">
        <source_dir>__DEFAULT__</source_dir>
        <target_dir>__DEFAULT__</target_dir>
        <tm_dir>__DEFAULT__</tm_dir>
        <glossary_dir>__DEFAULT__</glossary_dir>
        <glossary_file>__DEFAULT__</glossary_file>
        <dictionary_dir>__DEFAULT__</dictionary_dir>
        <source_lang>{src}</source_lang>
        <target_lang>{tgt}</target_lang>
        <source_tok>org.omegat.tokenizer.LuceneCJKTokenizer</source_tok>
        <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
        <sentence_seg>{sentence_seg}</sentence_seg>
        <support_default_translations>true</support_default_translations>
        <remove_tags>false</remove_tags>
    </project>
</omegat>
"""

# Project-specific filter settings (omegat/filters.xml). segmentOn=BREAKS makes every line
# a segment; OmegaT's default (EMPTYLINES) glues a line without final punctuation to the next.
FILTERS_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<filters removeTags="true" removeSpacesNonseg="true" preserveSpaces="false" ignoreFileContext="false">
    <filter className="org.omegat.filters2.text.TextFilter" enabled="true">
        <files sourceFilenameMask="*.txt" targetFilenamePattern="${filename}" sourceEncoding="UTF-8" targetEncoding="UTF-8"/>
        <option name="segmentOn" value="BREAKS"/>
        <option name="lineLength" value=""/>
        <option name="maxLineLength" value=""/>
    </filter>
</filters>
"""

# Log lines that mean OmegaT did not use (all of) the TMX although it exits 0.
REJECTION_MARKERS = (
    "TF_TM_LOAD_ERROR",  # the TMX could not be parsed
    "TMXR_WARNING_SOURCE_NOT_FOUND",  # units skipped: no tuv in the project's source language
    "Error:",
)


class OmegaTError(RuntimeError):
    """OmegaT ran but rejected the memory or produced no target file."""


def omegat_required() -> bool:
    """ALIGNER_REQUIRE_OMEGAT=1 turns 'OmegaT not installed' from a skip into a failure (CI)."""
    return os.environ.get(REQUIRE_ENV) == "1"


def omegat_jar() -> Path | None:
    """OmegaT.jar: $OMEGAT_JAR if set, else where the Debian package puts it."""
    env = os.environ.get("OMEGAT_JAR")
    candidates = (Path(env),) if env else JAR_CANDIDATES
    return next((p for p in candidates if p.is_file()), None)


def omegat_available() -> bool:
    """True when both OmegaT.jar and a java launcher are present."""
    return omegat_jar() is not None and shutil.which("java") is not None


def tmx14_dtd(dest: Path | None = None) -> bytes | None:
    """The TMX 1.4 DTD shipped inside OmegaT.jar (written to dest if given), or None."""
    jar = omegat_jar()
    if jar is None:
        return None
    try:
        with zipfile.ZipFile(jar) as zf:
            data = zf.read(DTD_IN_JAR)
    except (KeyError, zipfile.BadZipFile, OSError):
        return None
    if dest is not None:
        Path(dest).write_bytes(data)
    return data


def omegat_command(project: Path, config_dir: Path) -> list[str]:
    """The console-translate command line (java directly: the /usr/bin wrapper breaks on spaces)."""
    jar = omegat_jar()
    if jar is None:
        raise OmegaTError("OmegaT.jar not found (apt-get install -y omegat)")
    return [
        "java",
        "-Djava.awt.headless=true",
        f"-Djava.util.prefs.userRoot={config_dir}",
        "-jar",
        str(jar),
        str(project),
        "--mode=console-translate",
        f"--config-dir={config_dir}",
        "--disable-project-locking",
        "--no-team",
        "--quiet",
    ]


def make_project(
    workdir: Path,
    tmx_path: Path,
    source_lines: list[str],
    *,
    src_lang: str = "ko-KR",
    tgt_lang: str = "en-US",
    sentence_seg: bool = True,
) -> Path:
    """An OmegaT project in workdir/project: one source file, the TMX in tm/auto/."""
    project = Path(workdir) / "project"
    for sub in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        (project / sub).mkdir(parents=True, exist_ok=True)
    (project / "omegat.project").write_text(
        PROJECT_XML.format(src=src_lang, tgt=tgt_lang, sentence_seg=str(sentence_seg).lower()),
        encoding="utf-8",
    )
    (project / "omegat" / "filters.xml").write_text(FILTERS_XML, encoding="utf-8")
    (project / "source" / "source.txt").write_text(
        "".join(line + "\n" for line in source_lines), encoding="utf-8"
    )
    shutil.copyfile(tmx_path, project / "tm" / "auto" / Path(tmx_path).name)
    return project


def pretranslate(
    tmx_path: Path,
    source_lines: list[str],
    workdir: Path,
    *,
    src_lang: str = "ko-KR",
    tgt_lang: str = "en-US",
    sentence_seg: bool = True,
    timeout: float = 300,
) -> list[str]:
    """Pre-translate source_lines from tmx_path with OmegaT and return the target file's lines.

    An untranslated segment comes back in the source language, as OmegaT writes it.
    Raises OmegaTError when OmegaT logged a rejected or partly skipped memory.
    """
    workdir = Path(workdir)
    project = make_project(
        workdir, tmx_path, source_lines, src_lang=src_lang, tgt_lang=tgt_lang, sentence_seg=sentence_seg
    )
    config_dir = workdir / "omegat-config"
    config_dir.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        omegat_command(project, config_dir),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
    )
    log = proc.stdout + proc.stderr
    (workdir / "omegat.log").write_text(log, encoding="utf-8")
    rejected = [line for line in log.splitlines() if any(m in line for m in REJECTION_MARKERS)]
    if proc.returncode != 0 or rejected:
        detail = "\n".join(rejected) or log[-2000:]
        raise OmegaTError(f"OmegaT exit {proc.returncode}; log {workdir / 'omegat.log'}:\n{detail}")
    target = project / "target" / "source.txt"
    if not target.is_file():
        raise OmegaTError(f"OmegaT wrote no {target}; log {workdir / 'omegat.log'}:\n{log[-2000:]}")
    return target.read_text(encoding="utf-8").splitlines()
