"""Writing files safely: a failed build never leaves a half-written file over a good one."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from disclose.forking import ctrl_c_held


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target`` in one step."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        # mkstemp makes owner-only files; a document is an ordinary file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_path, 0o666 & ~umask)
        os.replace(tmp_path, target)
    finally:
        with ctrl_c_held():  # a Ctrl-C now must not leave the temporary file behind
            if tmp_path.exists():
                tmp_path.unlink()


def write_atomic(target: Path, content: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(content)


def claim(claims: Path, name: str, owner: str) -> str | None:
    """Claim ``name`` for ``owner`` in the folder ``claims`` that the processes of one batch
    share; return the owner that claimed it first, or None if this one has it now.

    The claim is a hard link to a file already holding the owner's name: it appears
    complete or not at all, so the loser always reads the whole name of the winner (an
    exclusively created file could be read before its owner has written into it).
    """
    fd, tmp = tempfile.mkstemp(dir=claims)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            stream.write(owner)
        try:
            os.link(tmp, claims / name)
        except FileExistsError:
            return (claims / name).read_text(encoding="utf-8")
        return None
    finally:
        os.unlink(tmp)
