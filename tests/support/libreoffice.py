"""Headless LibreOffice conversion for tests (DOCX → PDF, XLSX recalculation, …).

Each test process uses a private LibreOffice profile, created on first use and
removed at exit: a shared profile would make concurrent soffice runs (pytest-xdist,
or a desktop instance) hand the job to each other or fail on the profile lock.
The first conversion of a process pays about a second extra to create the profile.

Fonts: soffice gets ``FONTCONFIG_FILE`` pointing at the package's fonts.conf, which
maps the Windows Chinese font names our DOCX files use (仿宋, 宋体, 黑体, 楷体,
Times New Roman) to installed fonts (Noto Serif/Sans CJK SC, Liberation Serif).
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from importlib import resources
from pathlib import Path

SOFFICE = shutil.which("soffice")
TIMEOUT = 180  # seconds; a cold start on a loaded CI machine can take tens of seconds

_profile: Path | None = None


def fonts_conf() -> Path:
    return Path(str(resources.files("disclose.writers") / "fonts.conf"))


def _profile_dir() -> Path:
    global _profile
    if _profile is None:
        _profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
        atexit.register(shutil.rmtree, _profile, True)
    return _profile


def convert(path: Path, fmt: str, outdir: Path) -> Path:
    """Convert ``path`` with ``soffice --convert-to fmt`` into ``outdir``; return the new file.

    ``fmt`` is a LibreOffice target such as "pdf" or "xlsx" (optionally with a
    filter, "pdf:writer_pdf_Export"). Raises RuntimeError if soffice is missing,
    fails, times out or writes nothing.
    """
    if SOFFICE is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    path, outdir = Path(path).resolve(), Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    target = outdir / f"{path.stem}.{fmt.split(':', 1)[0]}"
    target.unlink(missing_ok=True)
    command = [
        SOFFICE,
        "--headless",
        "--norestore",
        f"-env:UserInstallation={_profile_dir().as_uri()}",
        "--convert-to",
        fmt,
        "--outdir",
        str(outdir),
        str(path),
    ]
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts_conf())}
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"soffice timed out after {TIMEOUT} s converting {path.name}") from exc
    if done.returncode != 0 or not target.exists():
        raise RuntimeError(
            f"soffice failed to convert {path.name} to {fmt} (exit {done.returncode}):\n{done.stdout}\n{done.stderr}"
        )
    return target
