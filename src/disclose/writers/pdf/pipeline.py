"""Render a Document to PDF, in one process or in parallel chunks (html.py has the terms).

One pass: the whole document in one WeasyPrint rendering.

Both first cut the fonts down to the document (subset.py).

Parallel:

1. the numbered sections are split into chunks of about equal cost, and each chunk is
   laid out in a forked child process, which inherits the fonts;
2. a child reports its pages (where each section starts, where each heading landed)
   as soon as its layout is done, then goes on to draw its PDF;
3. meanwhile the parent renders the frame: the front matter, its 目录 numbered from
   the chunks' layouts, and the sheet of page numbers and heading marks (html.py);
4. the parent puts the chunk pages between the front matter pages, draws their page
   numbers and points the bookmarks at their headings (assemble.py).

Layout is about two thirds of the work. The frame (a few hundredths) is rendered while
the children draw, so all cores stay busy to the end.
"""

from __future__ import annotations

import logging
import multiprocessing
import gc
import os
import time
import traceback
from dataclasses import dataclass
from typing import BinaryIO

from disclose.document.ir import Document, Heading, Paragraph, Section, Table
from disclose.forking import die_with_parent
from disclose.writers.pdf import engine
from disclose.writers.pdf.html import FOLIO_TOP_MM, SHEET_ID, BodyPage, Mark, chunk_html, document_html, frame_html, heading_infos, is_numbered
from disclose.writers.pdf.process import can_fork

_log = logging.getLogger(__name__)

# Estimated cost (see _cost) that makes a chunk worth its own process. A rendering does
# about 20,000 per second; a process adds ~0.1 s, the frame and the assembly ~0.5 s.
# The 12-page sample (11,000) renders in 0.9 s on two cores against 1.3 s in one pass.
CHUNK_MIN_COST = 5_000
# More chunks than this gain nothing on a document of tens of pages: a few large
# tables dominate and cannot be split.
MAX_WORKERS = 4
# A table cell costs about as much to lay out and draw as this many characters of prose
# (fitted over the sections of four documents: 0.9 ms against 43 µs).
CELL_COST = 20


def default_workers() -> int:
    """Idle cores, or 1 where forking is unsafe or would nest inside another pool.

    A parallel rendering does about a quarter more work in all than one pass, so it
    pays only with cores to spare: on a machine kept busy by other processes (the load
    average counts them, and this one) it would be slower.
    """
    if not can_fork():
        return 1
    if multiprocessing.parent_process() is not None:
        return 1  # already a worker of a parallel build: do not multiply processes
    cores = len(os.sched_getaffinity(0))
    idle = cores - os.getloadavg()[0] + 1
    return max(1, min(cores, int(idle + 0.5)))


def render_pdf(document: Document, target: BinaryIO, workers: int | None, faces: dict | None = None) -> tuple[int, int]:
    """Write the PDF of ``document`` to ``target``; return its page count and the processes used.

    ``workers`` is an upper bound (None: default_workers()); small documents use fewer.
    """
    # One pause for the whole rendering: re-enabled between laying out and drawing, the
    # collector would walk every box of the laid-out document (0.3 s for 80 pages).
    with engine.gc_paused():
        return _render_pdf(document, target, workers, faces)


def _render_pdf(document: Document, target: BinaryIO, workers: int | None, faces: dict | None) -> tuple[int, int]:
    body = [n for n, section in enumerate(document.sections) if is_numbered(section)]
    costs = {n: _cost(document.sections[n]) for n in body}
    if workers is None:
        workers = default_workers()
    elif not can_fork():
        workers = 1
    chunks = _split(body, costs, min(workers, MAX_WORKERS, sum(costs.values()) // CHUNK_MIN_COST))
    started = time.perf_counter()
    fonts = engine.document_fonts(document, faces)
    _log.debug("fonts cut in %.2f s", time.perf_counter() - started)
    if len(chunks) < 2:
        rendered = engine.render(document_html(document), fonts)
        target.write(engine.write(rendered))
        return len(rendered.pages), 1
    return _render_parallel(document, chunks, fonts, target), len(chunks)


def _cost(section: Section) -> int:
    cost = 0
    for block in section.blocks:
        if isinstance(block, (Paragraph, Heading)):
            cost += len(block.text)
        elif isinstance(block, Table):
            for row in block.header + block.body:
                cost += sum(CELL_COST + len(cell.text) for cell in row)
    return cost


def _split(sections: list[int], costs: dict[int, int], workers: int) -> list[list[int]]:
    """Longest-first greedy partition into at most ``workers`` chunks, each in document order."""
    chunks: list[list[int]] = [[] for _ in range(max(1, min(workers, len(sections))))]
    loads = [0] * len(chunks)
    for n in sorted(sections, key=lambda n: -costs[n]):
        lightest = loads.index(min(loads))
        chunks[lightest].append(n)
        loads[lightest] += costs[n]
    return [sorted(chunk) for chunk in chunks if chunk]


@dataclass
class _ChunkLayout:
    """A chunk's pages: for each, the section it belongs to and the marks of its headings."""

    sections: list[int]
    marks: list[list[Mark]]


def _layout_of(headings: set[str], sections: list[int], pages: list[engine.PageFacts]) -> _ChunkLayout:
    """``headings``: the anchors of the document's headings (html.heading_infos)."""
    starts = {f"s-{n}": n for n in sections}
    owner, owners, marks, seen = sections[0], [], [], set()
    for page in pages:
        # WeasyPrint lists an element's id on every page the element covers: a section
        # starts, and a heading is marked, on the first of them.
        new = [a for a in page.anchors if a not in seen]
        seen.update(new)
        owner = next((starts[a] for a in new if a in starts), owner)
        owners.append(owner)
        marks.append([Mark(a, *page.anchors[a]) for a in new if a in headings])
    return _ChunkLayout(owners, marks)


class ChunkFailed(RuntimeError):
    """A child process could not render its chunk."""


def _chunk_child(document: Document, sections: list[int], fonts: engine.Fonts, connection, parent: int) -> None:
    """Runs in a forked child: lay out, report the layout, draw, send the PDF."""
    die_with_parent(parent)
    gc.disable()  # the child ends with os._exit: nothing needs collecting
    try:
        started = time.perf_counter()
        html = chunk_html(document, sections)
        _log.debug("chunk HTML made in %.2f s", time.perf_counter() - started)
        rendered = engine.render(html, fonts)
        connection.send(("layout", engine.page_facts(rendered)))
        laid_out = time.perf_counter()
        connection.send(("pdf", engine.write(rendered)))
        _log.debug("chunk of %d pages: layout %.2f s, drawing %.2f s", len(rendered.pages), laid_out - started, time.perf_counter() - laid_out)
    except BaseException:  # noqa: BLE001 - everything must reach the parent
        connection.send(("error", traceback.format_exc()))
    finally:
        connection.close()


def _render_parallel(document: Document, chunks: list[list[int]], fonts: engine.Fonts, target: BinaryIO) -> int:
    started = time.perf_counter()
    context = multiprocessing.get_context("fork")
    children = []
    try:
        for chunk in chunks:
            receiver, sender = context.Pipe(duplex=False)
            # Forked, so the arguments are inherited, not pickled.
            process = context.Process(target=_chunk_child, args=(document, chunk, fonts, sender, os.getpid()), daemon=True)
            process.start()
            sender.close()
            children.append((process, receiver))

        # pikepdf (0.1 s) is loaded while the children lay out, not after, when it would delay the end.
        from disclose.writers.pdf.assemble import assemble

        headings = {info.anchor for info in heading_infos(document).values()}
        body_pages: dict[int, list[BodyPage]] = {}  # section -> its pages, in order
        for c, (chunk, (_, receiver)) in enumerate(zip(chunks, children)):
            layout = _layout_of(headings, chunk, _receive(receiver, "layout"))
            for page, (section, marks) in enumerate(zip(layout.sections, layout.marks)):
                orientation = document.sections[section].orientation
                body_pages.setdefault(section, []).append(BodyPage(orientation, marks, c, page))

        _log.debug("chunks laid out after %.2f s", time.perf_counter() - started)
        frame = engine.render(frame_html(document, body_pages), fonts)
        plan = _plan(document, body_pages, engine.page_facts(frame))
        frame_pdf = engine.write(frame)
        _log.debug("frame done after %.2f s", time.perf_counter() - started)
        chunk_pdfs = [_receive(receiver, "pdf") for _, receiver in children]
        _log.debug("chunks drawn after %.2f s", time.perf_counter() - started)
        assemble(frame_pdf, chunk_pdfs, plan, target)
        _log.debug("assembled after %.2f s", time.perf_counter() - started)
        return len(plan.pages)
    finally:
        for process, receiver in children:
            receiver.close()
            if process.is_alive():
                process.terminate()
            process.join()


def _plan(document: Document, body_pages: dict[int, list[BodyPage]], frame: list[engine.PageFacts]) -> "Plan":
    """The finished document's pages in order (frame pages and chunk pages), and its headings' places."""
    from disclose.writers.pdf.assemble import ChunkPage, HeadingMark, Plan

    starts: dict[str, int] = {}
    for index, page in enumerate(frame):
        for name in page.anchors:
            starts.setdefault(name, index)  # an element's id is listed on every page it covers
    front = [n for n, section in enumerate(document.sections) if not is_numbered(section)]
    ends = sorted([starts[f"s-{n}"] for n in front] + [starts[SHEET_ID]])
    pages: list[int | ChunkPage] = []
    marks: list[HeadingMark] = []
    for n, section in enumerate(document.sections):
        if not is_numbered(section):
            first = starts[f"s-{n}"]
            pages.extend(range(first, next(end for end in ends if end > first)))
            continue
        # In the order of frame_html's sheet: sections, their pages, the headings on each.
        for body_page in body_pages.get(n, []):
            marks.extend(HeadingMark(mark.anchor, len(pages), mark.x, mark.y) for mark in body_page.marks)
            pages.append(ChunkPage(body_page.chunk, body_page.page, FOLIO_TOP_MM[body_page.orientation]))
    return Plan(pages, marks, starts[SHEET_ID])


def _receive(receiver, expected: str):
    try:
        kind, payload = receiver.recv()
    except EOFError:
        raise ChunkFailed("PDF 分块渲染进程意外退出") from None
    if kind != expected:
        raise ChunkFailed(f"PDF 分块渲染失败：\n{payload}")
    return payload
