"""The commands the README and the user guide show are commands disclose takes, and the
guide's sample finding is what ``validate`` prints."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from disclose.cli import cli
from tests.support.cli import disclose

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", ROOT / "docs" / "guide-zh.md"]
GUIDE = ROOT / "docs" / "guide-zh.md"


def shown_commands(path: Path) -> list[str]:
    """``disclose …`` in code blocks and in inline code, without the ``.venv/bin/`` prefix or a comment."""
    text = path.read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"```(?:sh|bash)?\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            line = line.split("#")[0].strip()
            if re.match(r"(\.venv/bin/)?disclose\s", line):
                found.append(line)
    found += re.findall(r"`((?:\.venv/bin/)?disclose [^`]+)`", text)
    parts = [part.strip() for command in found for part in re.split(r"&&|\|\||;|\|", command)]
    return [re.sub(r"^\.venv/bin/", "", part) for part in parts if re.match(r"(\.venv/bin/)?disclose\s", part)]


def parse(command: str) -> None:
    """Parse as the command line would, without running: unknown commands and options fail.
    A bare ``disclose <command>`` in the text names the command and is not parsed further."""
    name, *args = shlex.split(command)[1:]
    with click.Context(cli, info_name="disclose") as context:
        sub = cli.get_command(context, name)
        if sub is None:
            raise click.UsageError(f"没有命令 {name!r}")
        if args:
            with sub.make_context(name, args, parent=context):
                pass


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_command_shown_is_one_disclose_takes(doc):
    commands = shown_commands(doc)
    assert len(commands) >= 5
    for command in commands:
        if command.rstrip().endswith(("-h", "--help")):
            continue
        try:
            parse(command)
        except click.ClickException as exc:
            pytest.fail(f"{doc.name}: `{command}`: {exc.format_message()}")


def test_a_mistyped_command_would_be_caught():
    with pytest.raises(click.ClickException):
        parse("disclose build 数据.yaml --fromat pdf")


def test_the_guides_sample_finding_is_what_validate_prints(tmp_path):
    sample = re.search(r"```text\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S).group(1).strip().splitlines()
    workbook = tmp_path / "填报.xlsx"
    made = disclose("template", "-o", str(workbook), "--from", str(ROOT / "examples" / "jiaozuo-hr-2024.yaml"))
    assert made.returncode == 0, made.stderr
    checked = disclose("validate", "填报.xlsx", cwd=tmp_path)
    assert checked.returncode == 1
    printed = [line.strip() for line in checked.stdout.splitlines()]
    for line in sample:
        assert line.strip() in printed, line
