"""Forked children that end with the work they were made for.

disclose forks: pool workers for several inputs, a PDF process per document, chunk
processes per PDF. Ctrl-C reaches every process of the terminal's process group, so
each child decides how it takes it; and a child must not outlive the process that
forked it, whichever way that one ends.
"""

from __future__ import annotations

import os
import signal
from contextlib import contextmanager
from typing import Iterator

_PR_SET_PDEATHSIG = 1


@contextmanager
def ctrl_c_held() -> Iterator[None]:
    """Fork inside this: the child starts with Ctrl-C (SIGINT) blocked, to take it or
    ignore it once it is ready (``ignore_ctrl_c``), and a Ctrl-C that comes meanwhile
    reaches this process when the block ends, not in the middle of a fork."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signal masks (and no fork)
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def ignore_ctrl_c() -> None:
    """In a child forked under ``ctrl_c_held``: ignore Ctrl-C (the parent stops this child
    after its own clean-up), and drop the block."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def take_ctrl_c() -> None:
    """Make Ctrl-C raise KeyboardInterrupt, and remember that it came (``check_ctrl_c``)."""
    signal.signal(signal.SIGINT, _on_ctrl_c)


def _on_ctrl_c(signum, frame) -> None:
    global _pressed
    _pressed = True
    raise KeyboardInterrupt


def check_ctrl_c() -> None:
    """Raise KeyboardInterrupt if Ctrl-C came since ``take_ctrl_c``. The one its handler
    raised is lost if it lands in a ``__del__`` (Python prints and drops it); called
    between documents, this stops the build there all the same."""
    if _pressed:
        raise KeyboardInterrupt


_pressed = False


def die_with_parent(parent: int) -> None:
    """In a forked child: be sent SIGTERM when the process ``parent`` ends, however it ends.

    A parent killed, or one that leaves without stopping its children, would otherwise
    leave them running on: a PDF process would render and write a file nobody waits
    for, or wait for a document forever.
    """
    import ctypes  # here: the command itself, which only takes Ctrl-C, need not load it

    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # no prctl: only a parent that stops its children stops them
        return
    if os.getppid() != parent:  # it ended before prctl took effect
        os.kill(os.getpid(), signal.SIGTERM)
