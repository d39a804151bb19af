"""PDF writer: renders any IR ``Document`` with WeasyPrint.

A4 pages, landscape sections on landscape pages; body pages numbered “— N —” at the
foot, from 1 on the first body page (cover and 目录 pages print no number and do not
count); a 目录 with dot leaders and page numbers, linked to the headings; bookmarks for
level 1-2 headings; tables with repeated header rows. Large documents are laid out in
parallel processes (pipeline.py).

WeasyPrint is imported on first use (about 0.4 s), not with this module.
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from disclose.document.ir import Document
from disclose.writers.pdf.fonts import FontsMissing, check_fonts

__all__ = ["FontsMissing", "PdfInfo", "check_fonts", "write_pdf"]


@dataclass(frozen=True)
class PdfInfo:
    pages: int
    seconds: float  # wall time of the rendering, without the import of WeasyPrint
    workers: int  # processes that laid out the body (1: rendered in one pass)


def write_pdf(document: Document, target: Path, workers: int | None = None, faces: dict | None = None) -> PdfInfo:
    """Render ``document`` to ``target``, replacing it only once the PDF is complete.

    ``workers`` bounds the number of processes that lay out the body; 1 renders in one
    pass without forking. The default (None) is the number of idle cores (see
    pipeline.default_workers), and 1 inside a worker process of a parallel build (no
    nested pools). Small documents use fewer processes (about one per 5,000 characters
    or 250 table cells), and where processes cannot be forked (not Linux, or a daemonic
    process) the rendering is always one pass. ``faces``: the document's cut faces
    (``subset.cut_faces``), where they were made beforehand.
    """
    from disclose.writers.pdf import pipeline  # imports WeasyPrint

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    # The temporary file lives next to the target so that os.replace is an atomic rename;
    # os.open (unlike mkstemp) lets the umask set its permissions, as for any new file.
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    _unfinished.add(temporary)  # before it exists: a stop in between must not miss it
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            with os.fdopen(handle, "wb") as stream:
                pages, used = pipeline.render_pdf(document, stream, workers if workers is None else max(1, workers), faces)
            os.replace(temporary, target)
        except BaseException:
            os.unlink(temporary)
            raise
    finally:
        _unfinished.discard(temporary)
    return PdfInfo(pages, time.perf_counter() - started, used)


_unfinished: set[Path] = set()  # the temporary files write_pdf is writing in this process


def remove_unfinished() -> None:
    """Remove the files write_pdf is writing in this process: for a process being stopped
    that leaves at once (os._exit), without unwinding through write_pdf's own clean-up."""
    for path in list(_unfinished):
        try:
            path.unlink()
        except OSError:  # not made yet, or already renamed into place
            pass
