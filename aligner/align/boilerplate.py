"""Press-release furniture that is never translated: photo captions, contact lines, metadata.

Korean releases carry lines with no English counterpart (design.md): `▶` photo captions,
`* 문의:` contacts, `제목`/`등록` title and date lines, the 공공누리 licence footer. Such a
sentence gets a cheaper deletion, so the search leaves it out rather than gluing it to a
neighbour; it still can be aligned when its similarity says so.
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

FURNITURE_DELETION = 0.2  # share of the ordinary deletion cost

_PATTERNS = [
    re.compile(r"^\s*[▶▷►☞※■□◆◇]"),                     # captions and notes
    re.compile(r"^\s*\*?\s*(문의|담당|연락처)\s*[:：]"),      # contact lines
    re.compile(r"^\s*(제목|등록|작성일|출처)\s"),              # title and date metadata
    re.compile(r"공공누리|저작물은.*이용\s*할\s*수\s*있습니다|이\(가\)\s*창작한"),  # KOGL licence footer
]


def is_furniture(text: str) -> bool:
    return any(p.search(text) for p in _PATTERNS)


def deletion_weights(texts: Sequence[str], lines: Sequence[int] | None = None) -> np.ndarray:
    """Per sentence, the factor its deletion cost is multiplied by.

    Furniture is a property of the line: when the segmenter cuts a caption or a footer in two,
    the part without the telltale mark is furniture too. (Sentences made without line numbers
    all say line 0; then each stands alone.)
    """
    furniture = [is_furniture(t) for t in texts]
    if lines is not None and len(set(lines)) > 1:
        furniture_lines = {line for line, f in zip(lines, furniture) if f}
        furniture = [f or line in furniture_lines for line, f in zip(lines, furniture)]
    return np.array([FURNITURE_DELETION if f else 1.0 for f in furniture], dtype=np.float64)
