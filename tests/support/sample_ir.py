"""A synthetic document in the layout-neutral IR, for writer tests.

It exercises what the real layouts use: a cover and a 目录 without page numbers,
part/section/sub-section headings, body paragraphs with bold runs, a long table
with a two-row header (row and column spans) that must break over pages, a
landscape table with three header rows, and a form with row spans in the body.
"""

from __future__ import annotations

from disclose.document.ir import (
    Cell,
    Column,
    Document,
    Heading,
    InfoLine,
    Paragraph,
    Run,
    Table,
    TableOfContents,
)

LONG_TABLE_ROWS = 60


def amount(i: int) -> str:
    return f"{(i * 1234567) % 10_000_000 / 100:,.2f}"


def build_sample_document() -> Document:
    doc = Document(title="2024年度示例部门部门决算", author="示例部门")

    cover = doc.new_section(kind="cover")
    cover.add(
        Paragraph.of("2024年度", "cover-title"),
        Paragraph.of("示例部门部门决算", "cover-title"),
        Paragraph.of("二〇二五年九月", "cover-subtitle"),
    )
    doc.new_section(kind="toc").add(TableOfContents())

    part1 = doc.new_section()
    part1.add(
        Heading("第一部分 示例部门概况", 1),
        Heading("一、部门职责", 2),
        Paragraph.of("1) 贯彻落实国家和省、市关于人力资源和社会保障工作的方针政策和法律法规。"),
        Paragraph.of("2) 拟订本区人力资源和社会保障事业发展规划、政策，并组织实施和监督检查。" * 3),
        Heading("二、机构设置", 2),
        Paragraph.of("示例部门内设机构3个，包括：办公室、财务科、业务科。"),
    )

    part2 = doc.new_section()
    part2.add(Heading("第二部分 2024年度部门决算表", 1), Heading("一、收入决算表", 2, toc=True))
    header = [
        [Cell("项目", colspan=2), Cell("本年收入合计", rowspan=2), Cell("财政拨款收入", rowspan=2), Cell("其他收入", rowspan=2)],
        [Cell("功能分类科目编码"), Cell("科目名称")],
        [Cell(""), Cell("栏次"), Cell("1"), Cell("2"), Cell("3")],
    ]
    body = [[Cell(""), Cell("合计", align="center"), Cell(amount(1)), Cell(amount(1)), Cell("0.00")]]
    for i in range(LONG_TABLE_ROWS):
        code = f"208{i:04d}"
        body.append([Cell(code), Cell(f"示例科目名称第{i + 1}项"), Cell(amount(i + 2)), Cell(amount(i + 2)), Cell("0.00")])
    part2.add(
        Paragraph.of("收入决算表", "table-title"),
        Paragraph.of("公开02表", "right"),
        InfoLine("部门：示例部门", "2024年度", "单位：万元"),
        Table(
            columns=[Column(1.2, "left"), Column(3.0, "left"), Column(1.2, "right"), Column(1.2, "right"), Column(1.2, "right")],
            header=header,
            body=body,
            name="公开02表",
        ),
        Paragraph.of("注：本表反映部门本年度取得的各项收入情况。本表金额转换为万元时，因四舍五入可能存在尾差。", "note"),
    )

    wide = doc.new_section(orientation="landscape")
    wide.add(Heading("二、财政拨款“三公”经费支出决算表", 2))
    groups = ["合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务接待费"]
    h1 = [Cell("预算数", colspan=6), Cell("决算数", colspan=6)]
    h2: list[Cell] = []
    h3: list[Cell] = []
    for _ in range(2):
        h2 += [Cell(groups[0], rowspan=2), Cell(groups[1], rowspan=2), Cell(groups[2], colspan=3), Cell(groups[3], rowspan=2)]
        h3 += [Cell("小计"), Cell("公务用车购置费"), Cell("公务用车运行维护费")]
    h4 = [Cell(str(i)) for i in range(1, 13)]
    data = [Cell(amount(i), align="right") for i in range(12)]
    wide.add(
        Paragraph.of("财政拨款“三公”经费支出决算表", "table-title"),
        Table(columns=[Column(1.0, "right") for _ in range(12)], header=[h1, h2, h3, h4], body=[data], name="公开09表"),
    )

    part3 = doc.new_section()
    part3.add(
        Heading("第三部分 2024年度部门决算情况说明", 1),
        Heading("一、收入支出决算总体情况说明", 2),
        Paragraph.of(
            "2024年度收、支总计均为1,163.97万元。与上年度相比，收、支总计各减少267.65万元，下降18.70%，主要原因是：项目支出减少。"
        ),
        Heading("（一）一般公共预算财政拨款支出决算总体情况。", 3),
        Paragraph([Run("1. 因公出国（境）费", bold=True), Run(" 预算为0万元，支出决算为0万元，完成预算的0%。")]),
    )
    for i in range(12):
        part3.add(Paragraph.of("示例部门严格按照预算绩效管理要求开展工作，" * 8 + f"第{i + 1}段。"))

    form = doc.new_section(orientation="landscape", keep_together=True)
    form.add(Heading("第五部分 附 件", 1), Paragraph.of("项目支出绩效自评情况表", "table-title"))
    cols = [Column(1.0, "center")] * 2 + [Column(1.5, "left"), Column(1.2, "center"), Column(1.2, "center"), Column(0.8, "center"), Column(0.8, "center"), Column(0.8, "center"), Column(2.0, "left")]
    fbody = [
        [Cell("项目名称", colspan=2), Cell("示例项目", colspan=7, align="left")],
        [Cell("一级指标"), Cell("二级指标"), Cell("三级指标"), Cell("年度指标值"), Cell("实际完成值"), Cell("分值"), Cell("得分"), Cell("偏差度"), Cell("偏差原因分析及改进措施")],
        [Cell("产出指标", rowspan=3), Cell("数量指标", rowspan=2), Cell("培训人数"), Cell("≥95%"), Cell("85%"), Cell("5"), Cell("4.47"), Cell("-10.53"), Cell("无")],
        [Cell("覆盖率"), Cell("≥90%"), Cell("90%"), Cell("5"), Cell("5"), Cell("0.00"), Cell("")],
        [Cell("时效指标"), Cell("完成时间"), Cell("及时"), Cell("及时"), Cell("5"), Cell("5"), Cell("0.00"), Cell("")],
        [Cell("总分", colspan=5), Cell("100"), Cell("94.47"), Cell(""), Cell("")],
    ]
    form.add(Table(columns=list(cols), body=fbody, font_size="small", name="自评表"))
    return doc
