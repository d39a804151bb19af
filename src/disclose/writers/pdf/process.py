"""Render a PDF in a process of its own, started before the document exists.

Loading WeasyPrint takes about 0.4 s (Pango through cffi, and WeasyPrint's own
stylesheets), while reading, auditing and laying out a department's data take about 0.7 s. A ``PdfProcess`` is forked first thing:
it loads WeasyPrint and our stylesheets while its parent audits, then receives the
finished IR document, renders it (forking its own chunk processes, pipeline.py) and
writes the file, atomically, as ``write_pdf`` does.

Rendering in a process of its own also keeps WeasyPrint's millions of short-lived
objects out of the caller: the process runs without the cyclic garbage collector (one
collection over a rendered 80-page document takes 0.3 s and frees nothing that
reference counting would not) and ends with ``os._exit``, so no interpreter teardown
walks its heap either.

Where forking is unsafe (not Linux, or a process with threads: see pipeline.py) the
document is rendered in the calling process when its result is asked for.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import signal
import sys
import threading
import traceback
from pathlib import Path

from disclose.document.ir import Document
from disclose.forking import ctrl_c_held, die_with_parent, ignore_ctrl_c

_log = logging.getLogger(__name__)


class PdfFailed(RuntimeError):
    """The PDF could not be written; ``detail`` names the cause as the renderer raised it."""

    def __init__(self, kind: str | None, message: str) -> None:
        self.detail = f"{kind}: {message}" if kind else message  # no kind: the message is for users
        super().__init__(self.detail)


def can_fork() -> bool:
    # Forked children inherit what their parent imported and made, without pickling.
    # Forking is safe on Linux only (macOS system libraries are not fork-safe); a
    # threaded process can deadlock its child; daemonic processes (multiprocessing.Pool
    # workers) may have no children.
    return (
        sys.platform.startswith("linux")
        and threading.active_count() == 1
        and not multiprocessing.current_process().daemon
    )


def preload() -> None:
    """Import WeasyPrint, parse our stylesheets and compile the HTML template in this
    process (the chunk processes it forks inherit them)."""
    from disclose.writers.pdf import engine, html

    engine.preload()
    html.preload()


def _stop(signum, frame) -> None:
    # terminate() sends SIGTERM. Leave at once, with the file being written removed: an
    # exception raised here to unwind through write_pdf could land in a __del__, where
    # Python prints and swallows it, and the rendering would go on.
    from disclose.files import remove_unfinished

    remove_unfinished()
    os._exit(128 + signum)


def _serve(connection, parent_end, parent: int) -> None:
    """The rendering process: load, wait for one job, render it, report, leave."""
    signal.signal(signal.SIGTERM, _stop)
    ignore_ctrl_c()  # the process that made this one stops it (close) after its own clean-up
    die_with_parent(parent)
    # Inherited with the fork: while open here, the pipe would never close for the
    # parent's end, and the wait for the job below would never see it gone.
    parent_end.close()
    gc.disable()
    _log.debug("PDF process started")
    try:
        preload()
        _log.debug("PDF process ready")
        job = connection.recv()
    except EOFError:  # closed without a job
        return
    if job is None:
        return
    document, target, workers, faces = job
    _log.debug("PDF process received the document")
    try:
        from disclose.writers.pdf import write_pdf

        reply = ("done", write_pdf(document, target, workers, faces))
    except BaseException as exc:  # noqa: BLE001 - everything must reach the parent
        if isinstance(exc, OSError):  # the file could not be written: say why in Chinese
            from disclose.files import explain

            reply = ("failed", None, explain(exc, target), traceback.format_exc())
        else:
            reply = ("failed", type(exc).__name__, str(exc), traceback.format_exc())
    try:
        connection.send(reply)
    except OSError:  # the process that asked no longer listens: it is stopping this one
        pass
    finally:
        connection.close()


class PdfProcess:
    """One PDF, rendered by a process forked at construction.

    ``submit`` hands over the document and returns at once; ``result`` waits for the
    file. Always ``close`` (or use as a context manager): a process whose result nobody
    asked for is stopped, and leaves no file behind.
    """

    def __init__(self) -> None:
        self._job: tuple[Document, Path, int | None, dict | None] | None = None
        self._done = False
        self._process = None
        self._connection = None
        if can_fork():
            context = multiprocessing.get_context("fork")
            here, there = context.Pipe()
            # Not daemonic: it forks chunk processes of its own. If this process dies, the
            # pipe closes and the child, waiting on it, leaves.
            self._process = context.Process(target=_serve, args=(there, here, os.getpid()), name="disclose-pdf")
            with ctrl_c_held():
                self._process.start()
            there.close()
            self._connection = here

    def submit(self, document: Document, target: Path, workers: int | None = None) -> None:
        faces = None
        if self._connection is not None:
            # The fonts are cut down to the document here (0.1 s), while the PDF process
            # is usually still loading WeasyPrint, rather than there after it.
            from disclose.writers.pdf.subset import cut_faces

            faces = cut_faces(document)
        self._job = (document, Path(target), workers, faces)
        if self._connection is not None:
            self._connection.send(self._job)

    def result(self):
        """The ``PdfInfo`` of the written file; raises PdfFailed if it could not be written."""
        if self._job is None:
            raise RuntimeError("no document submitted")
        if self._connection is None:
            from disclose.writers.pdf import write_pdf

            self._done = True
            return write_pdf(*self._job)
        try:
            reply = self._connection.recv()
        except EOFError:
            self._done = True
            raise PdfFailed(None, "PDF 渲染进程意外退出") from None
        # Only now: a wait cut short (Ctrl-C) leaves the process unfinished, for close() to stop.
        self._done = True
        if reply[0] == "done":
            return reply[1]
        _, kind, message, _trace = reply
        raise PdfFailed(kind, message)

    def close(self) -> None:
        # Not cut short by a Ctrl-C: a process left running would write its file for nobody.
        with ctrl_c_held():
            self._close()

    def _close(self) -> None:
        # Stopped before the pipe closes: a process that finishes meanwhile then has its
        # reply refused, rather than told nothing about it.
        if self._process is not None and self._process.is_alive() and not self._done:
            self._process.terminate()  # unused, or its file no longer wanted
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._process is not None:
            self._process.join()
            self._process = None

    def __enter__(self) -> "PdfProcess":
        return self

    def __exit__(self, *exc_info) -> None:
        if exc_info[0] is not None and self._process is not None and self._process.is_alive():
            self._process.terminate()
        self.close()
