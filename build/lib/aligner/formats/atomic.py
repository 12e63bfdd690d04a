"""Write a file whole or not at all: a temporary file beside it, then a rename."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from aligner.errors import InputError


def write_atomic(path: Path, data: str | bytes) -> None:
    """An interrupted run never leaves a partial file nor damages a good one.

    os.open with mode 0o666 lets the umask decide the final mode, as a plain open() would
    (tempfile.mkstemp would leave the output readable by its owner only).
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise InputError(path, "the output folder does not exist")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as err:
        raise InputError(path, f"cannot write here ({err.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
