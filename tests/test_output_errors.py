"""Output that cannot be written: a Chinese message naming the file, exit code 2, no
traceback, nothing half-written, and the previous document left as it was."""

from __future__ import annotations

import resource
import subprocess
from pathlib import Path
from tests.support.cli import disclose

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample-2024.yaml"
NAME = "示例市工业和信息化局-2024"


def run_limited(args: list[str], file_size: int) -> subprocess.CompletedProcess:
    """disclose with files limited to ``file_size`` bytes: writing more fails as a full disk does
    (Python ignores SIGXFSZ, so the write raises OSError instead of killing the process)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))

    return disclose(*args, preexec_fn=limit)


def assert_clean_failure(result: subprocess.CompletedProcess, target: Path) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert f"无法写入 {target}：文件超过系统允许的大小" in output
    assert "Traceback" not in output and "Exception ignored" not in output and "Error" not in output


def test_a_document_the_disk_refuses_leaves_the_previous_one(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for fmt in ("docx", "pdf"):
        previous = out / f"{NAME}.{fmt}"
        previous.write_bytes(b"the previous document")
        result = run_limited(["build", str(SAMPLE), "-o", str(out), "--format", fmt], 20_000)
        assert_clean_failure(result, previous)
        assert previous.read_bytes() == b"the previous document"
    assert sorted(p.name for p in out.iterdir()) == [f"{NAME}.docx", f"{NAME}.pdf"], "no temporary file is left"


def test_a_workbook_the_disk_refuses_is_not_left_half_written(tmp_path):
    target = tmp_path / "填报.xlsx"
    # Its worksheets (up to 70 KB) are written to temporary files first; the whole
    # workbook (about 125 KB) then does not fit.
    result = run_limited(["template", "-o", str(target)], 100_000)
    assert_clean_failure(result, target)
    assert list(tmp_path.iterdir()) == []


def test_an_output_folder_inside_a_file_is_a_usage_error(tmp_path):
    a_file = tmp_path / "a-file"
    a_file.write_text("", encoding="utf-8")
    result = disclose("build", str(SAMPLE), "-o", str(a_file / "sub"))
    assert result.returncode == 2
    assert f"无法创建输出目录 {a_file / 'sub'}：{a_file} 是文件，不是文件夹" in result.stderr
    assert SAMPLE.name not in result.stdout + result.stderr, "refused before any input is built"


def test_a_file_operation_the_system_refuses_is_not_called_a_bug(tmp_path):
    a_file = tmp_path / "a-file"
    a_file.write_text("", encoding="utf-8")
    result = disclose("schema", "-o", str(a_file / "schema.json"))
    assert result.returncode == 2
    # the folder for it cannot be made: a file has its name
    assert f"文件操作失败（{a_file}）：已有同名的文件" in result.stderr
    assert "内部错误" not in result.stderr and "Traceback" not in result.stderr
