"""The ``disclose`` command line.

Exit codes, for scripts: 0 success; 1 the data has 错误 (audit errors); 2 an input
cannot be read or does not fit the schema, or the command was used wrongly;
3 an internal error (a bug: please report it with the input that caused it).
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from disclose import __version__
from disclose.commands import COMMAND
from disclose.findings import Finding, InputError, Severity

EXIT_OK, EXIT_DATA_ERRORS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


@click.group(**COMMAND, subcommand_metavar="命令 [参数]...")
@click.version_option(__version__, "-V", "--version", prog_name="disclose")
def cli() -> None:
    """disclose：从一份经过审核的数据生成部门决算公开文档（PDF、Word）。

    \b
    常用命令：
      disclose validate 数据.yaml        审核数据（格式与审核公式）
      disclose build 数据.yaml -o output  生成 PDF 和 Word
      disclose template -o 填报.xlsx      生成供财务人员填报的 Excel 工作簿
      disclose rules                      列出全部审核规则
      disclose schema                     输出输入数据的 JSON Schema
    """


def _templates_option(fn):
    """``--templates DIR``: look for layouts in DIR first (repeatable; also DISCLOSE_TEMPLATES)."""

    def use(ctx, param, value):
        if value:
            from disclose.document.layout import use_template_dirs

            use_template_dirs(value)
        return value

    return click.option(
        "--templates", type=click.Path(path_type=Path, file_okay=False, exists=True), multiple=True, expose_value=False,
        callback=use, is_eager=True, help="先在此目录中查找版式（可多次给出；也可用环境变量 DISCLOSE_TEMPLATES）。",
    )(fn)


# --------------------------------------------------------------------------- validate


@cli.command(**COMMAND)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="输出格式。")
@click.option("--notices/--no-notices", default=True, show_default=True, help="是否列出尾差（四舍五入差异）。")
@click.option("--layout", default=None, metavar="版式", help="按此版式的要求审核（默认为数据中的 profile.layout）。")
@click.option("--variant", default=None, metavar="变体", help="版式变体。")
@_templates_option
def validate(inputs: tuple[Path, ...], fmt: str, notices: bool, layout: str | None, variant: str | None) -> None:
    """审核数据：检查格式，并按审核公式核对表内、表间和说明中的数。

    INPUTS 是 YAML 数据文件、YAML 文件夹或 Excel 工作簿，可以给多个。
    退出码：0 没有错误；1 数据有错误；2 文件无法读取或格式不符。
    """
    from disclose.pipeline import audit_input

    results = []
    worst = EXIT_OK
    for path in _without_lock_files(inputs, quiet=fmt == "json"):
        try:
            report = audit_input(path, layout, variant)
        except InputError as exc:
            results.append((path, exc.findings, True))
            worst = max(worst, EXIT_INPUT)
            continue
        results.append((path, report.findings, False))
        if report.errors:
            worst = max(worst, EXIT_DATA_ERRORS)
    if fmt == "json":
        click.echo(json.dumps({"files": [_json_result(p, f, unreadable) for p, f, unreadable in results]}, ensure_ascii=False, indent=2))
    else:
        for path, found, unreadable in results:
            _print_findings(path, found, unreadable, notices)
    sys.exit(worst)


def _counts(found: list[Finding]) -> dict[str, int]:
    return {s.value: sum(1 for f in found if f.level is s) for s in Severity}


def _json_result(path: Path, found: list[Finding], unreadable: bool) -> dict:
    counts = _counts(found)
    return {
        "file": str(path),
        "readable": not unreadable,
        "ok": not unreadable and counts[Severity.ERROR.value] == 0,
        "counts": counts,
        "findings": [f.as_dict() for f in found],
    }


def _print_findings(path: Path, found: list[Finding], unreadable: bool, notices: bool) -> None:
    counts = _counts(found)
    if unreadable:
        click.secho(f"{path}：无法读取（{len(found)} 个问题）", fg="red", bold=True, err=False)
    else:
        summary = "，".join(f"{n} 个{s}" for s, n in counts.items())
        ok = counts[Severity.ERROR.value] == 0
        click.secho(f"{path}：{'通过' if ok else '未通过'}（{summary}）", fg="green" if ok else "red", bold=True)
    for severity in Severity:
        group = [f for f in found if f.level is severity]
        if not group or (severity is Severity.NOTICE and not notices):
            continue
        color = {"错误": "red", "提示": "yellow", "尾差": None}[severity.value]
        click.secho(f"{severity.value}（{len(group)}）", fg=color, bold=True)
        for finding in group:
            click.echo(_indent(str(finding)))
            if finding.explanation:
                click.echo(_indent(f"出错说明：{finding.explanation}", 6))


def _indent(text: str, n: int = 2) -> str:
    return "\n".join(" " * n + line for line in text.splitlines())


# --------------------------------------------------------------------------- rules


@cli.command(**COMMAND)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="输出格式。")
def rules(fmt: str) -> None:
    """列出全部审核规则（编号、级别、名称、公式）。"""
    from disclose.rules import checks  # noqa: F401  (registers the check rules)
    from disclose.rules.catalogue import RULES

    groups = "RXNPGL"  # within tables, between tables, narrative, performance, glossary, layout
    ordered = sorted(RULES, key=lambda r: (groups.find(r.id[0]) % 99, int("".join(c for c in r.id if c.isdigit()) or 0)))
    if fmt == "json":
        click.echo(
            json.dumps(
                [{"id": r.id, "severity": r.severity.value, "title": r.title, "formula": r.formula} for r in ordered],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for rule in ordered:
        click.echo(f"{rule.id:<4} {rule.severity.value}  {rule.title}")
        click.echo(f"      {rule.formula}")


# --------------------------------------------------------------------------- schema


@cli.command(**COMMAND)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="写入文件（默认输出到屏幕）。")
def schema(output: Path | None) -> None:
    """输出输入数据的 JSON Schema（编辑器可据此提示与校验 YAML）。"""
    from disclose.model.schema import schema_text

    text = schema_text()
    if output is None:
        click.echo(text, nl=False)
    else:
        from disclose.files import write_atomic

        write_atomic(output, text.encode("utf-8"))
        click.echo(f"已写入 {output}")


# --------------------------------------------------------------------------- build


@cli.command(**COMMAND)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("output"), show_default=True, help="输出目录。")
@click.option("--format", "formats", default="pdf,docx", metavar="格式", show_default=True, help="输出格式，逗号分隔：pdf、docx、json。")
@click.option("--layout", default=None, metavar="版式", help="版式（覆盖数据中的 profile.layout），见 disclose layouts。")
@click.option("--variant", default=None, metavar="变体", help="版式变体（覆盖数据中的 profile.variant）。")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None, metavar="N", help="并行度（默认为 CPU 核数）：同时生成至多 N 份数据；份数少于 N 时，余下的并行度用于这份数据：PDF 在单独的进程中分块排版，与 Word 的生成同时进行。-j 1 时同一时刻只有一个进程在工作。")
@click.option("--accept-errors", is_flag=True, help="数据有错误时仍按原样生成（会列出全部错误）。")
@click.option("-q", "--quiet", is_flag=True, help="只输出错误。")
@_templates_option
def build(inputs: tuple[Path, ...], out_dir: Path, formats: str, layout: str | None, variant: str | None, jobs: int | None, accept_errors: bool, quiet: bool) -> None:
    """生成部门决算文档（PDF、Word），写入 OUTPUT/<部门>-<年度>.pdf/.docx。

    数据有错误（审核公式不成立）时不生成，除非加 --accept-errors。
    输出先写入临时文件再替换，失败时不会留下半成品，也不会覆盖输入文件。
    同一文件给出多次只生成一次；两份数据的部门和年度都相同（会写入同一文件）时，后到的一份不生成。
    退出码：0 全部生成；1 有数据因错误未生成；2 有文件无法读取、版式有误，或有两份数据要写入同一文件。
    """
    import os

    from disclose.pipeline import FORMATS, BuildOptions

    chosen = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    unknown = [f for f in chosen if f not in FORMATS + ("json",)]
    if unknown or not chosen:
        raise click.BadParameter(f"不支持的格式：{'、'.join(unknown) or '（空）'}；可选 pdf、docx、json", param_hint="--format")
    if "pdf" in chosen:
        from disclose.writers.pdf import FontsMissing, check_fonts

        try:
            check_fonts()
        except FontsMissing as exc:
            click.secho(str(exc), fg="red", err=True)
            sys.exit(EXIT_INPUT)
    from disclose.files import output_folder_problem

    if (problem := output_folder_problem(out_dir)) is not None:
        raise click.BadParameter(problem, param_hint="'-o' / '--output'")
    inputs = _distinct(inputs, quiet)
    # -j is the parallelism: up to that many documents are built side by side, and what is
    # left over goes to each document (its PDF laid out in parallel chunks, in a process of
    # its own, while the Word file is written). A document with a share of one has one
    # process at work at a time, so -j 1 uses one core.
    parallelism = jobs or os.cpu_count() or 1
    parallel_documents = min(parallelism, len(inputs))
    with _output_claims(len(inputs) > 1) as claims:
        options = BuildOptions(
            out_dir=out_dir,
            formats=chosen,
            layout=layout,
            variant=variant,
            accept_errors=accept_errors,
            pdf_workers=max(1, parallelism // parallel_documents),
            protected=tuple(p for p in inputs if p.is_file()),
            claims=claims,
        )
        results = _run_builds(inputs, options, parallel_documents, quiet)
    worst = EXIT_OK
    for result in results:
        worst = max(worst, _report_build(result, accept_errors, quiet))
    sys.exit(worst)


def _distinct(inputs: tuple[Path, ...], quiet: bool) -> tuple[Path, ...]:
    """Each input file once (a glob and a name can both match it), in the order first given."""
    seen: dict[Path, Path] = {}
    for path in _without_lock_files(inputs, quiet):
        if (key := path.resolve()) not in seen:
            seen[key] = path
        elif not quiet:
            click.echo(f"注意：{path} 重复给出，只生成一次", err=True)
    return tuple(seen.values())


def _without_lock_files(inputs: tuple[Path, ...], quiet: bool) -> tuple[Path, ...]:
    """The inputs without the owner files Excel and WPS leave beside an open workbook
    (``~$填报.xlsx``, a few hundred bytes), which ``*.xlsx`` matches too."""
    kept = []
    for path in inputs:
        try:
            lock = path.name.startswith("~$") and path.is_file() and path.stat().st_size < 4096
        except OSError:
            lock = False
        if not lock:
            kept.append(path)
        elif not quiet:
            click.echo(f"注意：跳过 {path}：这是 Excel/WPS 打开工作簿时留下的锁定文件，不是数据", err=True)
    if inputs and not kept:
        raise click.UsageError("给出的文件都是 Excel/WPS 的锁定文件（~$ 开头），没有要处理的数据")
    return tuple(kept)


@contextmanager
def _output_claims(several: bool):
    """A folder in which the builds of several inputs claim their output names (files.claim),
    so that two inputs of the same department and year cannot write over each other's
    document, in whichever order parallel builds reach their files."""
    import shutil
    import tempfile

    try:
        folder = tempfile.mkdtemp(prefix="disclose-claims-") if several else None
    except OSError:  # no writable temporary folder: build without the check rather than not at all
        folder = None
    try:
        yield Path(folder) if folder else None
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def _run_builds(inputs, options, jobs: int, quiet: bool):
    from disclose.forking import check_ctrl_c
    from disclose.pipeline import build_one, unreadable_result

    show_progress = sys.stderr.isatty() and not quiet
    total = len(inputs)
    results = {}

    def progress(done: int, result) -> None:
        if show_progress:
            state = "完成" if result.ok else "未生成"
            click.echo(f"[{done}/{total}] {result.input} {state}（{result.timings.get('total', 0):.1f} 秒）", err=True)

    if jobs <= 1:
        for i, path in enumerate(inputs, 1):
            results[path] = build_one(path, options)
            check_ctrl_c()
            progress(i, results[path])
        return [results[p] for p in inputs]

    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from disclose.forking import ctrl_c_held

    # Forked where that is safe, as the PDF processes are (pdf/process.py can_fork): the
    # workers inherit what this process loaded. (Python 3.14 no longer forks by default.)
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
    # Set when the batch is cancelled (Ctrl-C, in this process or in a worker): the workers
    # then start no further input, and the pool winds down at once without being broken.
    cancelled = context.Event()
    initargs = (cancelled, os.getpid(), options.formats, total > jobs)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start_worker, initargs=initargs) as pool:
        with ctrl_c_held():  # the workers are forked here
            futures = {pool.submit(_build_in_worker, path, options): path for path in _largest_first(inputs)}
        try:
            for i, future in enumerate(as_completed(futures), 1):
                path = futures[future]
                try:
                    results[path] = future.result()
                except Exception as exc:  # noqa: BLE001 - a crashed worker must not hide the other inputs
                    results[path] = unreadable_result(path, f"生成进程异常退出：{exc}")
                if results[path] is None:  # a worker was interrupted
                    raise KeyboardInterrupt
                check_ctrl_c()
                progress(i, results[path])
        except KeyboardInterrupt:
            cancelled.set()  # a worker the Ctrl-C did not reach finishes its input and starts no other
            raise
    return [results[p] for p in inputs]


_cancelled = None  # in a worker process: the batch's cancel event


def _start_worker(cancelled, parent: int, formats: tuple[str, ...], several: bool) -> None:
    from disclose.forking import die_with_parent, ignore_ctrl_c, take_ctrl_c

    global _cancelled
    _cancelled = cancelled
    die_with_parent(parent)
    # Ctrl-C is taken only while this worker loads or builds (_build_in_worker); between
    # inputs it would end the worker in the pool's own code, which breaks the pool.
    ignore_ctrl_c()
    if several:
        # A worker that builds several inputs imports what they need once, when it starts.
        from disclose.pipeline import preload

        take_ctrl_c()
        try:
            preload(formats)
        except KeyboardInterrupt:  # cancelled while loading: start no input
            cancelled.set()
        finally:
            ignore_ctrl_c()


def _build_in_worker(path: Path, options):
    """``build_one`` in a pool worker; None if the batch was cancelled before or during it."""
    from disclose.forking import check_ctrl_c, ignore_ctrl_c, take_ctrl_c
    from disclose.pipeline import build_one

    if _cancelled.is_set():
        return None
    take_ctrl_c()
    try:
        result = build_one(path, options)
        check_ctrl_c()
        return result
    except KeyboardInterrupt:
        # build_one has cleaned up (no temporary file left, its PDF process stopped).
        _cancelled.set()
        return None
    finally:
        ignore_ctrl_c()


def _largest_first(inputs):
    """The inputs by size, largest first: a large document started last would leave the
    other workers idle while it finishes (file size stands in for the work; four
    examples of 33-112 KB build in 3-5 s)."""

    def size(path: Path) -> int:
        try:
            return path.stat().st_size
        except OSError:
            return 0  # reported as unreadable by build_one

    return sorted(inputs, key=size, reverse=True)


def _report_build(result, accept_errors: bool, quiet: bool) -> int:
    if result.unreadable:
        _print_findings(result.input, result.findings, True, notices=False)
        return EXIT_INPUT
    errors = result.errors
    if result.refused:
        click.secho(f"{result.input}：数据有 {len(errors)} 个错误，未生成文档（核对后重试，或加 --accept-errors 按原样生成）", fg="red", bold=True)
        for finding in errors:
            click.echo(_indent(str(finding)))
        return EXIT_DATA_ERRORS
    if result.failure:
        click.secho(f"{result.input}：{result.failure}", fg="red", bold=True)
        return EXIT_INPUT
    if errors and accept_errors:
        click.secho(f"注意：{result.input} 有 {len(errors)} 个错误，已按 --accept-errors 原样生成，文档中的数可能不一致：", fg="red", bold=True, err=True)
        for finding in errors:
            click.echo(_indent(str(finding)), err=True)
    if not quiet:
        warnings = sum(1 for f in result.findings if f.level is Severity.WARNING)
        outputs = "、".join(str(p) for p in result.outputs)
        click.echo(f"{result.input} → {outputs}" + (f"（{warnings} 个提示，见 disclose validate）" if warnings else ""))
    return EXIT_OK


# --------------------------------------------------------------------------- commands in their own modules


def _register_command_modules() -> None:
    import importlib
    import pkgutil

    from disclose import commands

    for info in pkgutil.iter_modules(commands.__path__):
        module = importlib.import_module(f"disclose.commands.{info.name}")
        command = getattr(module, "command", None)
        if isinstance(command, click.Command):
            cli.add_command(command)


_register_command_modules()


# --------------------------------------------------------------------------- entry point


def main() -> None:
    from disclose.forking import take_ctrl_c

    take_ctrl_c()
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("已取消。", err=True)
        sys.exit(EXIT_INPUT)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_INPUT if exc.exit_code == 2 else exc.exit_code)
    except InputError as exc:
        for finding in exc.findings:
            click.echo(str(finding), err=True)
        sys.exit(EXIT_INPUT)
    except _layout_error() as exc:
        click.secho(f"版式错误：{exc}", fg="red", err=True)
        sys.exit(EXIT_INPUT)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as exc:  # the system refused a file operation (a full disk, no permission): not a bug of disclose
        from disclose.files import why

        place = f"（{exc.filename}）" if exc.filename else ""
        click.secho(f"文件操作失败{place}：{why(exc)}", fg="red", err=True)
        sys.exit(EXIT_INPUT)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for users
        import os
        import traceback

        if os.environ.get("DISCLOSE_DEBUG"):
            traceback.print_exc()
        click.echo(f"disclose 内部错误：{type(exc).__name__}: {exc}\n这是 disclose 的缺陷，请连同输入文件报告。设置 DISCLOSE_DEBUG=1 可显示详细信息。", err=True)
        sys.exit(EXIT_INTERNAL)


def run() -> None:
    """The console script: ``main()``, then leave at once.

    Interpreter teardown frees every object one by one: 0.15-0.3 s after a build, for
    nothing. Every file disclose writes is complete and closed by now (files.py writes
    atomically), and the standard streams are flushed here.
    """
    import logging
    import os

    try:
        main()
        code = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


def _layout_error() -> type[Exception]:
    from disclose.document.layout import LayoutError

    return LayoutError


if __name__ == "__main__":
    run()
