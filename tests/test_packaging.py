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
        "disclose/writers/base.docx",
        "disclose/_schemas/disclose-input.schema.json",
    ):
        assert needed in names, needed


def _has_hatchling() -> bool:
    try:
        import hatchling  # noqa: F401
    except ImportError:
        return False
    return True


def test_pinned_versions_cover_every_dependency_within_its_range():
    # scripts/setup.sh installs with these pins: a dependency left out would float to
    # whatever is newest on the day CI runs, and a pin outside pyproject's range would
    # make pip refuse to install at all.
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]]
    pins = {}
    for line in (ROOT / "scripts" / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"not an exact pin: {line}"
            pins[canonicalize_name(name)] = version
    for requirement in declared:
        pinned = pins.get(canonicalize_name(requirement.name))
        assert pinned is not None, f"{requirement.name} is not pinned in scripts/constraints.txt"
        assert requirement.specifier.contains(pinned, prereleases=True), f"{requirement.name}=={pinned} is outside {requirement.specifier}"
    assert "pip" in pins
