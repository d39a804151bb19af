"""``disclose template``: the Excel workbook that finance clerks fill in."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from disclose.commands import COMMAND


@click.command("template", **COMMAND)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=Path("填报.xlsx"), show_default=True,
              help="写入的工作簿（.xlsx）。")
@click.option("--from", "source", type=click.Path(path_type=Path), default=None,
              help="用已有数据（YAML 文件、YAML 文件夹或工作簿）预填。")
@click.option("--prior", type=click.Path(path_type=Path), default=None,
              help="上年数据（YAML 或工作簿）：把上年的合计数填入“上年数”各格。")
@click.option("--layout", default=None, metavar="版式", help="版式（默认为数据中的 profile.layout，或 henan）：决定经济分类科目清单和显示哪些栏。")
@click.option("--variant", default=None, metavar="变体", help="版式变体。")
@click.option("-f", "--force", is_flag=True, help="输出文件已存在时覆盖它（默认不覆盖，以免冲掉已填好的工作簿）。")
def command(output: Path, source: Path | None, prior: Path | None, layout: str | None, variant: str | None, force: bool) -> None:
    """生成供财务人员填报的 Excel 工作簿（.xlsx）。

    工作簿含“填表说明”和按填报顺序排列的各表：单位信息、部门概况、收入、支出、
    一般公共预算支出、基本支出（经济分类）、三公经费、政府性基金、国有资本经营、
    总表补充数、上年数与年初预算、情况说明原因、采购与资产、绩效自评等。
    浅黄色为填报项，灰色为自动计算（锁定），表头带 * 为必填。
    填好后：disclose validate 工作簿.xlsx，disclose build 工作簿.xlsx。

    \b
    --from 数据   用已有数据预填（生成的工作簿读回与原数据完全相同，不同则报错）。
    --prior 上年  从上年数据填入上年数：收、支总计（公开01表总计）、财政拨款收、支总计
                  （公开04表总计）、一般公共预算财政拨款支出（公开05表合计）、机关运行经费、
                  “三公”经费上年决算数（公开09表决算数），以及辽宁版式的收入总计、支出总计、
                  年末结转和结余、财政拨款支出；按本年金额单位换算（元 → 万元四舍五入）。
                  --from 中已填的上年数保留不变（与上年数据不同时给出提示）。
                  不给 --from 时，另从上年数据带入部门名称、版式、金额单位、部门概况和
                  绩效管理办法名称，决算年度为上年加一。
    """
    from disclose.files import explain, saved, write_atomic
    from disclose.readers import read_input
    from disclose.writers import xlsx

    if output.suffix.lower() != ".xlsx":
        raise click.BadParameter("工作簿文件名应以 .xlsx 结尾", param_hint="-o")
    for given in (source, prior):
        if given is not None and given.exists() and output.exists() and output.resolve() == given.resolve():
            raise click.BadParameter(f"输出文件 {output} 与输入文件相同，disclose 不会覆盖输入", param_hint="-o")
    if output.exists() and not force:
        raise click.BadParameter(f"{output} 已存在（可能是已填好的工作簿）；换一个文件名，或加 --force 覆盖", param_hint="-o")

    values: dict = {}
    loaded = None
    if source is not None:
        loaded = read_input(source)  # InputError → exit code 2 with located messages
        values = xlsx.values_of(loaded.data)
    if layout is not None:
        values.setdefault("profile", {})["layout"] = layout
        if variant is not None:
            values["profile"]["variant"] = variant
    elif variant is not None:
        values.setdefault("profile", {})["variant"] = variant

    prior_result = None
    if prior is not None:
        last = read_input(prior)
        prior_result = xlsx.apply_prior(values, last, from_given=source is not None)

    book = xlsx.build_workbook(values, layout, variant)
    try:
        # Filled from data: written only if the data read back from it unchanged.
        write_atomic(output, saved(book.save), _reads_back(values) if loaded is not None else None)
    except OSError as exc:
        click.secho(explain(exc, output), fg="red", err=True)
        sys.exit(2)

    click.echo(f"已写入 {output}（{len(book.sheetnames) - 1} 个工作表）")
    if source is not None:
        click.echo(f"已按 {source} 预填")
    if prior_result is not None:
        for note in prior_result.notes:
            click.secho(f"注意：{note}", fg="yellow", err=True)
        for path, value in prior_result.filled.items():
            click.echo(f"上年数 {'.'.join(path)} = {value}")
        for path, (kept, last_value) in prior_result.kept.items():
            click.secho(f"提示：{'.'.join(path)} 保留已填的 {kept}（上年数据为 {last_value}）", fg="yellow", err=True)


def _reads_back(values: dict):
    """A check for write_atomic: exit, leaving the output as it was, if ``values`` do not
    read back from the new workbook."""

    def check(path: Path) -> None:
        problems = _round_trip_problems(path, values)
        if problems:
            click.secho("以下数据无法在工作簿中原样表示，未写入：", fg="red", err=True)
            for line in problems[:20]:
                click.echo(f"  {line}", err=True)
            sys.exit(2)

    return check


def _round_trip_problems(path: Path, values: dict) -> list[str]:
    """Read the new workbook back and compare with what was meant to be written."""
    from disclose.findings import InputError
    from disclose.model.dataset import DataSet
    from disclose.readers.excel_reader import read_workbook
    from disclose.writers.xlsx import compare_values

    try:
        data, _ = read_workbook(path)
    except InputError as exc:
        return [str(f) for f in exc.findings]
    try:
        expected = DataSet.model_validate(values)
        actual = DataSet.model_validate(data)
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return [f"{type(exc).__name__}: {exc}"]
    return compare_values(expected, actual)
