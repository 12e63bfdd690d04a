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

# Marks that start a furniture line (a caption, a contact, the title and date metadata) …
_LINE_MARKS = [
    re.compile(r"^\s*[▶▷►☞※■□◆◇]"),                     # captions and notes
    re.compile(r"^\s*\*?\s*(문의|담당|연락처)\s*[:：]"),      # contact lines
    re.compile(r"^\s*(제목|등록|작성일|출처)\s"),              # title and date metadata
]
# … and words that make a sentence furniture wherever they stand.
_SENTENCE_MARKS = [
    re.compile(r"공공누리|저작물은.*이용\s*할\s*수\s*있습니다|이\(가\)\s*창작한"),  # KOGL licence footer
]


def is_furniture(text: str) -> bool:
    return any(p.search(text) for p in _LINE_MARKS + _SENTENCE_MARKS)


def deletion_weights(texts: Sequence[str], lines: Sequence[int] | None = None) -> np.ndarray:
    """Per sentence, the factor its deletion cost is multiplied by.

    A line that starts with a furniture mark is furniture as a whole: when the segmenter cuts a
    caption in two, the second part has no mark of its own. (Sentences made without line
    numbers all say line 0; then each stands alone.)
    """
    furniture = [is_furniture(t) for t in texts]
    if lines is not None and len(set(lines)) > 1:
        marked = {line for k, (line, text) in enumerate(zip(lines, texts))
                  if (k == 0 or lines[k - 1] != line) and any(p.search(text) for p in _LINE_MARKS)}
        furniture = [f or line in marked for line, f in zip(lines, furniture)]
    return np.array([FURNITURE_DELETION if f else 1.0 for f in furniture], dtype=np.float64)
