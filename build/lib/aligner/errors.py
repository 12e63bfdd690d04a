"""The one error a user sees for bad input: the file and what is wrong with it, in one line."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Bad input or an unusable output path; the CLI prints it as one line and exits with 2."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem

    def __reduce__(self):
        """Picklable, so a worker process can hand a bad document's error back."""
        return (InputError, (self.path, self.problem))
