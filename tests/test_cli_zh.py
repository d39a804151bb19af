"""click's own messages (usage errors, help pages) reach users in Chinese."""

from __future__ import annotations

import ast
import re
import string
import unicodedata
from pathlib import Path

import click
import pytest

from disclose import click_zh
from tests.support.cli import disclose as run

CLICK = Path(click.__file__).parent


def click_messages() -> set[tuple[str, ...]]:
    """Every text the installed click passes to ``_`` (one string) or ``ngettext`` (two)."""
    found = set()
    for name in click_zh.MODULES:
        tree = ast.parse((CLICK / f"{name}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
                texts = tuple(a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str))
                if texts:
                    found.add(texts)
    return found


def catalogued() -> set[tuple[str, ...]]:
    return {(m,) for m in click_zh.MESSAGES} | set(click_zh.PLURALS) | {(m,) for m in click_zh.FOR_DEVELOPERS}


def test_every_message_click_shows_users_is_in_the_catalogue():
    missing = click_messages() - catalogued()
    assert not missing, f"click {click.__version__} has messages the catalogue lacks: {sorted(missing)}"


def test_the_catalogue_has_no_message_click_no_longer_has():
    assert not catalogued() - click_messages()


def fields(text: str) -> set[str]:
    names = {name for _, name, _, _ in string.Formatter().parse(text) if name}
    return {re.split(r"[!:.\[]", n)[0] for n in names} | set(re.findall(r"%\((\w+)\)s", text))


@pytest.mark.parametrize("english", sorted(click_zh.MESSAGES))
def test_a_translation_uses_only_the_placeholders_click_fills(english):
    assert fields(click_zh.MESSAGES[english]) <= fields(english)


@pytest.mark.parametrize("forms", sorted(click_zh.PLURALS))
def test_a_plural_translation_uses_only_the_placeholders_click_fills(forms):
    # click formats whichever form ngettext returns with the placeholders of both
    assert fields(click_zh.PLURALS[forms]) <= fields(forms[0]) | fields(forms[1])


ENGLISH = re.compile(r"Usage|Options|Commands|Error|Missing|Try |Show this|No such|Invalid value|is a file|does not exist")


def test_usage_errors_are_in_chinese(tmp_path):
    cases = {
        ("build",): "错误：缺少参数 'INPUTS...'",
        ("bild",): "没有命令 'bild'。 是否想输入 'build'？",
        ("build", "--formatt", "pdf", "x.yaml"): "没有选项 '--formatt'。 是否想输入 '--format'？",
        ("build", "-j", "0", "x.yaml"): "'-j' / '--jobs' 的值无效：0 不在范围 1<=x<=64 内",
        ("validate", "--format", "xml", "x.yaml"): "'xml' 不是可选的值（'text', 'json'）",
    }
    a_file = tmp_path / "a-file"
    a_file.write_text("", encoding="utf-8")
    cases[("build", "-o", str(a_file), "x.yaml")] = f"文件夹 '{a_file}' 是文件，不是文件夹"
    for args, expected in cases.items():
        result = run(*args)
        assert result.returncode == 2, args
        assert expected in result.stderr, (args, result.stderr)
        assert "用法: " in result.stderr and "[选项]" in result.stderr and "查看帮助" in result.stderr
        assert not ENGLISH.search(result.stderr), (args, result.stderr)
        assert "Traceback" not in result.stderr


def display_column(line: str, text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line[: line.index(text)])


def test_help_pages_are_in_chinese_and_their_columns_line_up():
    top = run("--help")
    assert top.returncode == 0
    assert re.match(r"用法: (python -m )?disclose \[选项\] 命令 \[参数\]\.\.\.\n", top.stdout)
    assert "显示本帮助并退出。" in top.stdout and "显示版本号并退出。" in top.stdout
    assert not ENGLISH.search(top.stdout)
    assert run("-V").stdout.strip().startswith("disclose，版本 ")

    page = run("build", "--help").stdout
    assert "[默认：pdf,docx]" in page and not ENGLISH.search(page)
    rows = {"-o, --output 文件夹": "输出目录", "--format 格式": "输出格式", "-q, --quiet": "只输出错误", "--templates 文件夹": "先在此目录"}
    lines = {option: next(line for line in page.splitlines() if line.strip().startswith(option)) for option in rows}
    assert len({display_column(lines[option], text) for option, text in rows.items()}) == 1, lines


def test_help_text_is_wrapped_to_the_terminal_in_columns():
    for command in (["--help"], ["build", "--help"], ["validate", "--help"]):
        page = run(*command, env={"COLUMNS": "80"}).stdout
        widths = [display_column(line + "\0", "\0") for line in page.splitlines()]
        assert max(widths) <= 80, page
        assert max(widths) > 70, "long lines are filled, not cut short"
        # A name in angle brackets (OUTPUT/<部门>-<年度>.pdf) is not split before its ">".
        assert not any(line.strip().startswith(">") for line in page.splitlines()), page
    # A docstring's line break inside Chinese text does not come out as a space, and a
    # closing mark does not start a line.
    flat = "".join(line.strip() for line in page.splitlines())
    assert "可以给多个。退出码" in flat and not re.search(r"。 [\u4e00-\u9fff]", page)
    assert not any(line.strip().startswith(("，", "。", "；", "）")) for line in page.splitlines())
