"""PDF writer: renders any IR ``Document`` with WeasyPrint.

A4 pages, landscape sections on landscape pages; body pages numbered “— N —” at the
foot, from 1 on the first body page (cover and 目录 pages print no number and do not
count); a 目录 with dot leaders and page numbers, linked to the headings; bookmarks for
level 1-2 headings; tables with repeated header rows. Large documents are laid out in
parallel processes (pipeline.py).

WeasyPrint is imported on first use (about 0.4 s), not with this module.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from disclose.document.ir import Document
from disclose.files import atomic_path
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
    started = time.perf_counter()
    with atomic_path(target) as temporary, open(temporary, "wb") as stream:
        pages, used = pipeline.render_pdf(document, stream, workers if workers is None else max(1, workers), faces)
    return PdfInfo(pages, time.perf_counter() - started, used)
