"""`pip install .` (not only editable) must carry everything disclose reads at run time."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_contains_templates_reference_data_and_writer_assets(tmp_path):
    # Without build isolation when hatchling is at hand: no download, and seconds instead of a minute.
    flags = ["--no-build-isolation"] if _has_hatchling() else []
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", *flags, "-q", "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True, timeout=600,
    )
    wheel = next(tmp_path.glob("disclose-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for layout in ("henan", "liaoning"):
        assert f"disclose/_templates/{layout}/layout.yaml" in names
        assert any(n.startswith(f"disclose/_templates/{layout}/sections/") for n in names)
    for needed in (
        "disclose/reference/function_subjects.yaml",
        "disclose/reference/economic_lists.yaml",
        "disclose/reference/expenditure_classes.yaml",
        "disclose/writers/pdf/style.css",
        "disclose/writers/pdf/document.html.j2",
        "disclose/writers/fonts.conf",
        "disclose/_schemas/disclose-input.schema.json",
    ):
        assert needed in names, needed


def _has_hatchling() -> bool:
    try:
        import hatchling  # noqa: F401
    except ImportError:
        return False
    return True
