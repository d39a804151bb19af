"""The command line as a user runs it, in a child process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def disclose(*args: str, cwd: Path | None = None, env: dict | None = None, preexec_fn=None, timeout: float = 900) -> subprocess.CompletedProcess:
    """``python -m disclose ARGS``, output as text. Settings the test runner may have
    (DISCLOSE_DEBUG, DISCLOSE_TEMPLATES) are dropped; ``env`` adds to the environment."""
    environment = dict(os.environ, PYTHONIOENCODING="utf-8")
    for name in ("DISCLOSE_DEBUG", "DISCLOSE_TEMPLATES"):
        environment.pop(name, None)
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "disclose", *args],
        capture_output=True, text=True, cwd=cwd, env=environment, preexec_fn=preexec_fn, timeout=timeout,
    )
