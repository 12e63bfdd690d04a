"""Progress of a whole run on stderr: documents and sentences done, the rate, the time left.

Shown on a terminal for more than one document; `ALIGNER_PROGRESS=1` forces it (logs, tests),
`ALIGNER_PROGRESS=0` turns it off.
"""

from __future__ import annotations

import os
import sys
import time


class Progress:
    def __init__(self, total: int) -> None:
        from tqdm import tqdm

        self._bar = tqdm(total=total, unit="doc", file=sys.stderr, dynamic_ncols=True)
        self._started = time.perf_counter()
        self.sentences = 0

    def done(self, sentences: int) -> None:
        """One more document, of `sentences` sentences (both sides)."""
        self.sentences += sentences
        rate = self.sentences / max(time.perf_counter() - self._started, 1e-9)
        self._bar.set_postfix_str(f"{self.sentences} sentences, {rate:.0f} sent/s", refresh=False)
        self._bar.update(1)

    def close(self) -> None:
        self._bar.close()


def progress_for(total: int) -> Progress | None:
    wanted = os.environ.get("ALIGNER_PROGRESS", "")
    if wanted == "0" or (wanted != "1" and (total < 2 or not sys.stderr.isatty())):
        return None
    return Progress(total)
