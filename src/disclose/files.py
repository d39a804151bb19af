"""Writing files safely: a failed build never leaves a half-written file over a good one."""

from __future__ import annotations

import errno
import io
import os
import secrets
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from disclose.forking import ctrl_c_held


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target`` in one step.

    Beside the target, so that os.replace is an atomic rename; made with os.open (unlike
    mkstemp) so that the umask sets its permissions, as for any new file; on disk before
    it replaces the old file, so that a crash cannot leave an empty one in its place. A
    process stopped with os._exit removes it first (``remove_unfinished``).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp_path = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    _unfinished.add(tmp_path)  # before it exists: a stop in between must not miss it
    try:
        os.close(os.open(tmp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except BaseException:
        _unfinished.discard(tmp_path)
        raise
    try:
        yield tmp_path
        _fsync(tmp_path)
        os.replace(tmp_path, target)
    finally:
        with ctrl_c_held():  # a Ctrl-C now must not leave the temporary file behind
            if tmp_path.exists():
                tmp_path.unlink()
            _unfinished.discard(tmp_path)


_unfinished: set[Path] = set()  # the temporary files atomic_path has made in this process and not yet finished


def _fsync(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def remove_unfinished() -> None:
    """Remove the temporary files of this process's unfinished writes: for a process being
    stopped that leaves at once (os._exit), without unwinding through atomic_path."""
    for path in list(_unfinished):
        try:
            path.unlink()
        except OSError:  # not made yet, or already renamed into place
            pass


def write_atomic(target: Path, content: bytes, check: Callable[[Path], None] | None = None) -> None:
    """Write ``content`` to ``target`` atomically. ``check`` sees the complete temporary
    file before it replaces ``target``; raising there leaves ``target`` as it was."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(content)
        if check is not None:
            check(tmp)


def saved(save: Callable[[BinaryIO], object]) -> bytes:
    """What a library's ``save(stream)`` writes (python-docx, openpyxl), made in memory,
    for write_atomic: a zip file left open by a failed disk write would complain from its
    ``__del__``."""
    buffer = io.BytesIO()
    save(buffer)
    return buffer.getvalue()


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


# What an operating system error means for someone saving a document.
_WHY = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "所在的磁盘只读",
    errno.ENAMETOOLONG: "文件名过长",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.ENOENT: "路径不存在",
    errno.EISDIR: "已有同名的文件夹",
    errno.EEXIST: "已有同名的文件",
    errno.EIO: "读写磁盘出错",
    errno.EFBIG: "文件超过系统允许的大小",
}


def why(error: OSError) -> str:
    """What went wrong, in Chinese where it is a common failure."""
    return _WHY.get(error.errno) or error.strerror or str(error)


def explain(error: OSError, target: Path) -> str:
    """A failed write of ``target``, in Chinese: "无法写入 <target>：<why>"."""
    return f"无法写入 {target}：{why(error)}"


def output_folder_problem(folder: Path) -> str | None:
    """Why documents cannot be written into ``folder`` (made if missing), or None.

    Checked once before a batch, so that a mistyped -o is reported before every input is
    audited and laid out for nothing; the folder itself is made only when a document is written.
    """
    existing = folder
    while not existing.exists():
        if existing.parent == existing:
            return f"无法创建输出目录 {folder}：{_WHY[errno.ENOENT]}"
        existing = existing.parent
    if not existing.is_dir():
        return f"无法创建输出目录 {folder}：{existing} 是文件，不是文件夹"
    if not os.access(existing, os.W_OK | os.X_OK):
        reason = _WHY[errno.EROFS] if _read_only(existing) else "没有写入权限"
        return f"无法在 {existing} 中写入：{reason}"
    return None


def _read_only(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False
