"""``disclose layouts``: list the layouts, and check them (``--check``).

Replaces the plain listing the command group defines in ``disclose.cli`` (a module here that
names its command like an existing one takes its place).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from disclose.commands import COMMAND

EXIT_OK, EXIT_LAYOUT = 0, 2


@click.command("layouts", **COMMAND)
@click.argument("names", nargs=-1)
@click.option("--check", "check", is_flag=True, help="检查版式：结构、模板语法、模板引用的数是否存在，并用示例数据试排；问题带文件和行号。")
@click.option(
    "--templates",
    "template_dirs",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="另一个版式目录（其中每个子目录是一个版式），排在内置 templates/ 之前；可给多次。也可设环境变量 DISCLOSE_TEMPLATES。",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="输出格式。")
def command(names: tuple[str, ...], check: bool, template_dirs: tuple[Path, ...], fmt: str) -> None:
    """列出可用的版式及其变体；加 --check 检查版式。

    NAMES 是版式名称或版式文件夹（含 layout.yaml）的路径；不给则为全部版式。
    退出码：0 没有问题；2 有版式有问题。
    """
    from disclose.document.layout import LayoutError, layout_folders, load_layout, use_template_dirs

    if template_dirs:
        use_template_dirs(template_dirs)
    folders = layout_folders()
    chosen = list(names) or sorted(folders)
    results = []
    worst = EXIT_OK
    for name in chosen:
        entry: dict = {"name": name, "folder": str(folders.get(name, name)), "description": "", "variants": [], "problems": []}
        try:
            layout = load_layout(name, check=False)
        except LayoutError as exc:
            entry["problems"] = [_problem_dict(p) for p in _problems_of(exc)]
        else:
            entry["name"] = layout.name
            entry["folder"] = str(layout.root)
            entry["description"] = str(layout.profile.get("description", ""))
            entry["variants"] = list(layout.profile.get("variant_names") or [])
            entry["extends"] = [str(f) for f in layout.folders[1:]]
            if check:
                from disclose.document.check import check_layout

                entry["problems"] = [_problem_dict(p) for p in check_layout(name)]
        if entry["problems"]:
            worst = EXIT_LAYOUT
        entry["checked"] = check
        results.append(entry)

    if fmt == "json":
        click.echo(json.dumps({"layouts": results}, ensure_ascii=False, indent=2))
    else:
        for entry in results:
            _print(entry)
    sys.exit(worst)


def _problems_of(exc) -> list:
    from disclose.document.check import Problem, _from_error

    if exc.problems:
        return [_from_error(type(exc)(p)) for p in exc.problems]
    return [Problem("", None, str(exc))]


def _problem_dict(p) -> dict:
    return {"file": p.file, "line": p.line, "message": p.message, "variant": p.variant, "text": str(p)}


def _print(entry: dict) -> None:
    variants = "、".join(entry["variants"]) or "—"
    head = f"{entry['name']:<10} {entry['description']}（变体：{variants}）"
    if entry.get("extends"):
        head += f"  基于 {'、'.join(entry['extends'])}"
    click.echo(head)
    click.echo(f"{'':<10} {entry['folder']}")
    if entry["checked"] or entry["problems"]:
        if not entry["problems"]:
            click.secho(f"{'':<10} 检查通过", fg="green")
        else:
            click.secho(f"{'':<10} {len(entry['problems'])} 个问题：", fg="red", bold=True)
            for p in entry["problems"]:
                variant = f"［{p['variant']}］" if p["variant"] else ""
                click.echo(f"{'':<12}{variant}{p['text']}")
