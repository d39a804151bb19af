"""Bad input: a clear Chinese message naming the place, exit code 2, no traceback."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from tests.support.cli import disclose

MINIMAL = """\
profile:
  department: 示例局
  year: 2024
  unit: 元
income:
  - {code: "2080101", fiscal: 1000.00}
expenditure:
  - {code: "2080101", basic: 1000.00}
general_budget:
  - {code: "2080101", basic: 1000.00}
"""


run = disclose


def validate_text(tmp_path: Path, text: str, name: str = "data.yaml") -> subprocess.CompletedProcess:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return run("validate", str(path))


def assert_input_error(result: subprocess.CompletedProcess, *expected: str) -> str:
    out = result.stdout + result.stderr
    assert result.returncode == 2, out
    assert "Traceback" not in out, out
    for part in expected:
        assert part in out, f"{part!r} not in:\n{out}"
    return out


def test_minimal_input_is_valid(tmp_path):
    result = validate_text(tmp_path, MINIMAL)
    assert result.returncode == 0, result.stdout + result.stderr


def test_invalid_yaml_names_line_and_column(tmp_path):
    text = MINIMAL.replace("  year: 2024", "  year: 2024\n   bad: [1, 2")
    assert_input_error(validate_text(tmp_path, text), "data.yaml:", "YAML 语法错误")


def test_tab_indentation_is_explained(tmp_path):
    text = MINIMAL.replace("  year: 2024", "\tyear: 2024")
    assert_input_error(validate_text(tmp_path, text), "data.yaml:", "Tab")


def test_slips_of_a_chinese_keyboard_are_named_where_they_are(tmp_path):
    # The parser stops a line later ("mapping values are not allowed"): the message points
    # at the key with the full-width colon, and at the colon.
    text = MINIMAL.replace("  department: 示例局", "  department：示例局")
    assert_input_error(validate_text(tmp_path, text), "data.yaml:2:13:", "全角冒号“：”")
    text = MINIMAL.replace("  year: 2024", "  \tyear: 2024")
    assert_input_error(validate_text(tmp_path, text), "data.yaml:3:3:", "不能用 Tab 键缩进")
    # A line of text in a list may well hold a full-width colon; another slip is not blamed on it.
    text = MINIMAL.replace("profile:\n", "profile:\n  notes:\n    - 说明：见附件\n    - a: b: c\n", 1)
    out = assert_input_error(validate_text(tmp_path, text), "data.yaml:4:11:", "此处不能出现“键: 值”")
    assert "全角冒号" not in out


def test_yaml_syntax_errors_are_explained_in_chinese(tmp_path):
    cases = {
        "  department: @示例局": "请给整段文字加引号",
        '  department: "D:\\材料\\决算"': "Windows 路径请用单引号",
        "  department: [示例局": "方括号 [ ] 中的列表未闭合",
    }
    for line, explained in cases.items():
        text = MINIMAL.replace("  department: 示例局", line)
        assert_input_error(validate_text(tmp_path, text), "data.yaml:", "YAML 语法错误：", explained)


def test_wrong_type(tmp_path):
    text = MINIMAL.replace("year: 2024", "year: 二〇二四")
    assert_input_error(validate_text(tmp_path, text), "data.yaml:3:9", "profile.year", "整数")


def test_text_where_an_amount_belongs(tmp_path):
    text = MINIMAL.replace("fiscal: 1000.00", "fiscal: 一千元")
    assert_input_error(validate_text(tmp_path, text), "data.yaml:6:", "income[0].fiscal", "应填金额", "一千元")


def test_quoted_number_is_text_not_amount(tmp_path):
    text = MINIMAL.replace("fiscal: 1000.00", 'fiscal: "1,000.00"')
    assert_input_error(validate_text(tmp_path, text), "income[0].fiscal", "应填金额")


@pytest.mark.parametrize(
    "value, message",
    [("-5.00", "不能为负数"), (".nan", "NaN"), (".inf", "无穷大"), ("-.inf", "NaN 或无穷大"), ("1000.001", "最多保留 2 位小数")],
)
def test_bad_amounts(tmp_path, value, message):
    text = MINIMAL.replace("fiscal: 1000.00", f"fiscal: {value}")
    assert_input_error(validate_text(tmp_path, text), "data.yaml:6:", "income[0].fiscal", message)


def test_more_than_two_decimals_in_wanyuan(tmp_path):
    text = MINIMAL.replace("unit: 元", "unit: 万元").replace("basic: 1000.00}\ngeneral", "basic: 0.123}\ngeneral")
    assert_input_error(validate_text(tmp_path, text), "data.yaml:8:", "expenditure[0].basic", "2 位小数")


@pytest.mark.parametrize(
    "code, message",
    [("208010", "有 6 位"), ("20801AB", "应为 3、5 或 7 位数字"), ("1080101", "以 2 开头")],
)
def test_malformed_subject_codes(tmp_path, code, message):
    text = MINIMAL.replace('income:\n  - {code: "2080101"', f'income:\n  - {{code: "{code}"')
    assert_input_error(validate_text(tmp_path, text), "data.yaml:6:", "income[0].code", message)


def test_unknown_subject_code(tmp_path):
    text = MINIMAL.replace('income:\n  - {code: "2080101"', 'income:\n  - {code: "2089898"')
    assert_input_error(validate_text(tmp_path, text), "data.yaml:6:", "2089898", "不在", "未填写科目名称")


def test_unknown_code_with_a_name_is_only_a_warning(tmp_path):
    text = MINIMAL.replace(
        'income:\n  - {code: "2080101", fiscal: 1000.00}',
        'income:\n  - {code: "2080101", fiscal: 1000.00}\n  - {code: "2089898", name: 新设科目, fiscal: 0}',
    )
    result = validate_text(tmp_path, text)
    assert result.returncode == 0, result.stdout
    assert "2089898" in result.stdout and "提示" in result.stdout


def test_duplicate_rows(tmp_path):
    text = MINIMAL.replace(
        'income:\n  - {code: "2080101", fiscal: 1000.00}',
        'income:\n  - {code: "2080101", fiscal: 600.00}\n  - {code: 2080101, fiscal: 400.00}',
    )
    assert_input_error(validate_text(tmp_path, text), "data.yaml:7:", "重复", "data.yaml:6:")


def test_duplicate_keys(tmp_path):
    text = MINIMAL.replace("  year: 2024", "  year: 2024\n  year: 2023")
    assert_input_error(validate_text(tmp_path, text), "data.yaml:4:", "“year”重复", "第 3 行")


def test_xiang_row_without_its_kuan(tmp_path):
    text = MINIMAL.replace(
        'income:\n  - {code: "2080101", fiscal: 1000.00}',
        'income:\n  - {code: "208", fiscal: 1000.00}\n  - {code: "2080101", fiscal: 1000.00}',
    )
    assert_input_error(validate_text(tmp_path, text), "data.yaml:7:", "2080101", "20801", "没有列出")


def test_unknown_key_suggests_the_right_one(tmp_path):
    text = MINIMAL.replace("fiscal: 1000.00", "fiscl: 1000.00")
    assert_input_error(validate_text(tmp_path, text), "data.yaml:6:", "未知字段“fiscl”", "fiscal")


def test_unknown_top_level_key(tmp_path):
    assert_input_error(validate_text(tmp_path, MINIMAL + "extra_stuff: 1\n"), "data.yaml:11:1", "未知字段“extra_stuff”")


def test_missing_required_field(tmp_path):
    text = MINIMAL.replace("  year: 2024\n", "")
    assert_input_error(validate_text(tmp_path, text), "profile", "缺少必填项", "year")


def test_empty_file(tmp_path):
    assert_input_error(validate_text(tmp_path, ""), "data.yaml", "文件为空")
    assert_input_error(validate_text(tmp_path, "# 只有注释\n\n"), "文件为空")


def test_binary_file(tmp_path):
    path = tmp_path / "data.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert_input_error(run("validate", str(path)), "data.yaml", "不是 UTF-8 文本")


def test_non_utf8_text(tmp_path):
    # Notepad on Chinese Windows saves "ANSI" as GBK: say so, and how to save as UTF-8.
    path = tmp_path / "data.yaml"
    path.write_bytes(MINIMAL.encode("gbk"))
    # "  department: " is 14 bytes; GBK 示 (CA BE) happens to be valid UTF-8, 例 (C0 FD) is not
    out = assert_input_error(run("validate", str(path)), "data.yaml:2:17:", "[错误 file-encoding]", "GBK", "另存为 UTF-8 编码")
    assert "请确认选择的是 YAML 数据文件" not in out
    path.write_bytes(b"profile:\n  department: \xff\xfe\x00x\n".replace(b"\x00", b"\xfd"))
    assert_input_error(run("validate", str(path)), "data.yaml:2:15:", "第 2 行第 15 字节不是 UTF-8 编码")


def test_huge_file_is_refused_without_reading(tmp_path):
    path = tmp_path / "data.yaml"
    with path.open("wb") as fh:
        fh.write(MINIMAL.encode())
        fh.truncate(50 * 1024 * 1024)
    assert_input_error(run("validate", str(path)), "文件大小 50.0 MB 超过上限")


def test_alias_bomb(tmp_path):
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 12):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    text = MINIMAL + "bomb:\n" + "\n".join("  " + line for line in lines) + "\n"
    assert_input_error(validate_text(tmp_path, text), "锚点")


def test_simple_alias_is_refused_too(tmp_path):
    text = MINIMAL.replace("year: 2024", "year: &y 2024\n  publish_month: *y")
    assert_input_error(validate_text(tmp_path, text), "锚点")


def test_python_tags_do_not_construct_objects(tmp_path):
    text = MINIMAL.replace("department: 示例局", "department: !!python/object/apply:os.system ['echo pwned']")
    result = validate_text(tmp_path, text)
    assert "pwned" not in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_missing_file():
    assert_input_error(run("validate", "no/such/file.yaml"), "找不到输入文件")


@pytest.mark.parametrize("suffix", [".xls", ".xlsm", ".csv", ".docx"])
def test_unsupported_formats(tmp_path, suffix):
    path = tmp_path / f"data{suffix}"
    path.write_bytes(b"not really")
    assert_input_error(run("validate", str(path)), "data" + suffix)


def test_usage_error_exit_code():
    result = run("validate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_json_output_lists_locations(tmp_path):
    import json

    text = MINIMAL.replace("fiscal: 1000.00", "fiscal: 1000.001")
    path = tmp_path / "data.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("validate", "--format", "json", str(path))
    assert result.returncode == 2
    report = json.loads(result.stdout)
    finding = report["files"][0]["findings"][0]
    assert finding["code"] == "amount-precision"
    assert finding["locations"][0]["line"] == 6
    assert finding["locations"][0]["path"] == "income[0].fiscal"


def test_folder_input_merges_parts(tmp_path):
    folder = tmp_path / "dept"
    folder.mkdir()
    head, _, tables = MINIMAL.partition("income:")
    (folder / "profile.yaml").write_text(head, encoding="utf-8")
    (folder / "tables.yaml").write_text("income:" + tables.replace("fiscal: 1000.00", "fiscal: x"), encoding="utf-8")
    out = assert_input_error(run("validate", str(folder)), "tables.yaml:2:", "income[0].fiscal")
    assert "profile.yaml" not in out


def test_folder_with_a_part_twice(tmp_path):
    folder = tmp_path / "dept"
    folder.mkdir()
    (folder / "a.yaml").write_text(MINIMAL, encoding="utf-8")
    (folder / "b.yaml").write_text("profile: {department: x, year: 2024, unit: 元}\n", encoding="utf-8")
    assert_input_error(run("validate", str(folder)), "b.yaml:1:", "“profile”同时出现在 a.yaml 和 b.yaml")


def test_a_folder_without_yaml_is_not_called_an_empty_file(tmp_path):
    folder = tmp_path / "dept"
    folder.mkdir()
    out = assert_input_error(run("validate", str(folder)), str(folder), "文件夹中没有 .yaml 数据文件")
    assert "文件为空" not in out
    (folder / "填报.xlsx").write_bytes(b"")
    assert_input_error(run("build", str(folder), "-o", str(tmp_path / "out")), "请直接给出工作簿", str(folder / "填报.xlsx"))


def test_full_width_digits_are_named(tmp_path):
    # A Chinese input method in full-width mode types ２０２４: text, not a number.
    text = MINIMAL.replace("year: 2024", "year: ２０２４").replace("fiscal: 1000.00", "fiscal: １０００.００")
    out = assert_input_error(validate_text(tmp_path, text), "data.yaml:3:9 (profile.year)", "data.yaml:6:")
    assert out.count("其中有全角数字，请改用半角数字") == 2
    plain = MINIMAL.replace("fiscal: 1000.00", "fiscal: 一千")
    assert "全角" not in assert_input_error(validate_text(tmp_path, plain), "此处应填金额（数字），实际为“一千”")


def test_office_lock_files_matched_by_a_glob_are_skipped(tmp_path):
    # Excel and WPS leave ~$<name>.xlsx beside a workbook that is open; *.xlsx matches it.
    good = tmp_path / "data.yaml"
    good.write_text(MINIMAL, encoding="utf-8")
    lock = tmp_path / "~$填报.xlsx"
    lock.write_bytes(b"\x07Someone" + b"\x00" * 150)
    result = run("validate", str(good), str(lock))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"跳过 {lock}：这是 Excel/WPS 打开工作簿时留下的锁定文件" in result.stderr
    assert str(lock) not in result.stdout
    alone = run("build", str(lock), "-o", str(tmp_path / "out"))
    assert alone.returncode == 2 and "没有要处理的数据" in alone.stderr
    assert not (tmp_path / "out").exists()
