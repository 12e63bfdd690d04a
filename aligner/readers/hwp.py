"""HWP 5 (the binary format of Hangul): python-hwpx converts it to the OWPML section parts of an
HWPX package, which hwpx.py walks, so the .hwp and .hwpx of one document read alike."""

from __future__ import annotations

from pathlib import Path

from aligner.errors import InputError
from aligner.readers.base import Block, Reader
from aligner.readers.hwpx import blocks_of_sections, section_names

_REFUSED = {
    "hwp5-password": "is password-protected; save it without a password and try again",
    "hwp5-distribution": "is an HWP distribution document (배포용 문서): its text is encrypted; "
                         "save an editable copy and try again",
    "hwp5-drm": "is DRM-protected or encrypted; its text cannot be read",
}


def read(path: Path, data: bytes) -> list[Block]:
    from hwpx.hwp5.errors import Hwp5Error
    from hwpx.hwp5.package import convert

    try:
        converted = convert(data)
    except Hwp5Error as err:
        problem = _REFUSED.get(getattr(err, "code", ""), f"is a damaged or unsupported HWP file ({err})")
        raise InputError(path, problem) from None
    return blocks_of_sections(path, [converted.files[name] for name in section_names(list(converted.files))])


READER = Reader("hwp", "HWP 5", (".hwp", ".hwpx"), read)
