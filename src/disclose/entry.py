"""The ``disclose`` command's entry point, kept apart from ``cli`` so that a Ctrl-C while
disclose is still loading (about half a second on a first run) ends it as quietly as one
during a build, instead of with a traceback from Python's import machinery."""

from __future__ import annotations

import os
import sys


def run() -> None:
    from disclose.loading import loading

    try:
        with loading():
            from disclose.cli import run as run_cli
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        sys.stderr.flush()
        os._exit(2)  # modules were left half imported: do not run their clean-up
    run_cli()
