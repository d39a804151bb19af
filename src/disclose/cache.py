"""A small on-disk cache for work that depends only on files (compiled templates, layout checks).

Location: ``$DISCLOSE_CACHE_DIR``, else ``$XDG_CACHE_HOME/disclose``, else ``~/.cache/disclose``;
``DISCLOSE_CACHE_DIR=0`` turns it off. A cache that cannot be written is simply not used:
every result is also computed without it.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

from disclose import __version__


@functools.cache
def cache_dir() -> Path | None:
    chosen = os.environ.get("DISCLOSE_CACHE_DIR")
    if chosen == "0":
        return None
    if chosen:
        base = Path(chosen)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = (Path(xdg) if xdg else Path.home() / ".cache") / "disclose"
    folder = base / __version__
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        probe = folder / ".writable"
        probe.touch()
    except OSError:
        return None
    return folder


def subdir(name: str) -> Path | None:
    root = cache_dir()
    if root is None:
        return None
    path = root / name
    try:
        path.mkdir(exist_ok=True, mode=0o700)
    except OSError:
        return None
    return path


def jinja_bytecode():
    """A Jinja2 bytecode cache here, or None: compiling a template costs more than
    rendering it. Jinja keys the bytecode by the source's checksum, so an edited
    template is compiled anew."""
    folder = subdir("jinja")
    if folder is None:
        return None
    from jinja2 import FileSystemBytecodeCache

    return FileSystemBytecodeCache(str(folder))


def key(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:32]


def has_marker(kind: str, digest: str) -> bool:
    folder = subdir(kind)
    return folder is not None and (folder / digest).exists()


def set_marker(kind: str, digest: str) -> None:
    folder = subdir(kind)
    if folder is None:
        return
    try:
        (folder / digest).touch()
    except OSError:
        pass
