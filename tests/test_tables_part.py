"""第二部分 决算表: the IR the tables part builds (SPEC §3, §8.4), per henan variant.

The tables are checked in the layout-neutral IR (no PDF): order, numbers, titles and
目录 entries, header grids and spans, 行次, fixed rows, subject rows, zero and number
styles, notes and empty-table 说明, orientation and column widths. Inline data sets
(the beancount way) cover the variants; the published departments in ``examples/``
are compared figure by figure with their transcriptions in ``tests/truth``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from disclose import reference
from disclose.document.build import layout_for
from disclose.document.context import BuildContext
from disclose.document.ir import Cell, Document, Heading, InfoLine, Paragraph, Section, Table
from disclose.document.layout import LayoutError, load_layout
from disclose.document.parts.tables import build_tables
from disclose.model.load import load_dataset
from disclose.readers import read_input
from disclose.readers.yaml_reader import parse_yaml
from disclose.rules.engine import audit
from tests.support import TRUTH
from tests.support.auditing import audit_as_validate

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

# 元; 公开07表 (政府性基金) and 公开08表 (国有资本经营) are empty; 三公 has figures.
BASE = """\
profile: {department: 示例局, year: 2024, unit: 元}
income:
  - {code: "2080101", fiscal: 41234567.89}
  - {code: "2080505", fiscal: 200000.00}
  - {code: "2101101", fiscal: 142349.99}
  - {code: "2210201", fiscal: 50000.00}
  - {code: "2019999", other: 30000.00}
expenditure:
  - {code: "2080101", basic: 40234567.89, project: 1000000.00}
  - {code: "2080505", basic: 200000.00}
  - {code: "2101101", basic: 142349.99}
  - {code: "2210201", basic: 50000.00}
  - {code: "2019999", project: 30000.00}
general_budget:
  - {code: "2080101", basic: 40234567.89, project: 1000000.00}
  - {code: "2080505", basic: 200000.00}
  - {code: "2101101", basic: 142349.99}
  - {code: "2210201", basic: 50000.00}
basic_expenditure:
  items: {"30101": 30000000.00, "30108": 10434567.89, "30113": 42349.99, "30201": 100000.00, "30211": 50000.00}
three_public:
  budget: {reception: 20000.00, vehicle_operation: 30000.00}
  final: {reception: 12345.67, vehicle_operation: 25000.00}
operating_cost: {amount: 150000.00}
"""

ORDER = ["t01", "t02", "t03", "t04", "t05", "t06", "t07", "t08", "t09"]
TITLES = {
    "t01": "收入支出决算总表",
    "t02": "收入决算表",
    "t03": "支出决算表",
    "t04": "财政拨款收入支出决算总表",
    "t05": "一般公共预算财政拨款支出决算表",
    "t06": "一般公共预算财政拨款基本支出决算明细表",
    "t07": "政府性基金预算财政拨款收入支出决算表",
    "t08": "国有资本经营预算财政拨款支出决算表",
    "t09": "财政拨款“三公”经费支出决算表",
}
TITLE_JZ_T09 = "一般公共预算财政拨款“三公”经费支出决算表"
ORDINALS = "一二三四五六七八九"
LANDSCAPE = {"t01", "t02", "t03", "t04", "t06", "t07", "t09"}  # SPEC §8.4 rec. + the 8–9 column subject tables


# --------------------------------------------------------------------------- helpers


def audit_text(text: str):
    data, source = parse_yaml(text.encode("utf-8"), "data.yaml")
    return audit_as_validate(load_dataset(data, source))


class Page:
    """One table page of the IR: its section and blocks."""

    def __init__(self, section: Section):
        self.section = section
        self.heading = next(b for b in section.blocks if isinstance(b, Heading) and b.role == "table-title")
        self.table = next(b for b in section.blocks if isinstance(b, Table))
        self.info = next(b for b in section.blocks if isinstance(b, InfoLine))
        paragraphs = [b for b in section.blocks if isinstance(b, Paragraph)]
        self.label = next(p.text for p in paragraphs if p.role == "right")
        self.notes = [p.text for p in paragraphs if p.role == "note"]

    def body(self) -> list[list[str]]:
        return [[c.text for c in row] for row in self.table.body]

    def row(self, first: str, column: int = 0) -> list[str]:
        rows = [r for r in self.body() if r[column] == first]
        assert len(rows) == 1, (first, rows)
        return rows[0]


def build(report, variant: str | None = None, layout=None):
    layout = layout or layout_for(report, variant=variant)
    ctx = BuildContext(report, layout)
    doc = Document("test")
    build_tables(ctx, doc, {"kind": "tables"})
    return ctx, doc


def pages(doc: Document) -> list[Page]:
    return [Page(s) for s in doc.sections if any(isinstance(b, Table) for b in s.blocks)]


def by_label(doc: Document) -> dict[str, Page]:
    return {p.label: p for p in pages(doc)}


def fmt(value: Decimal, separator: bool) -> str:
    return format(Decimal(value), ",.2f" if separator else ".2f")


def same(cells: list[str], values: list, separator: bool) -> bool:
    """Printed cells against transcribed figures; ``null`` (unreadable in the extraction) matches anything."""
    return len(cells) == len(values) and all(v is None or c == fmt(v, separator) for c, v in zip(cells, values))


def grid(rows: list[list[Cell]], width: int) -> list[list[tuple[str, int, int]]]:
    """Place the cells on the grid: (text, row, col) of each cell's top-left corner, checking the grid is filled."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(rows):
        col = 0
        placed = []
        for cell in row:
            while (r, col) in taken:
                col += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    assert (r + dr, col + dc) not in taken
                    taken.add((r + dr, col + dc))
            placed.append((cell.text, col, cell.colspan, cell.rowspan))
            col += cell.colspan
        out.append(placed)
    for r in range(len(rows)):
        assert {c for (rr, c) in taken if rr == r} == set(range(width)), f"row {r} does not fill the grid"
    return out


def spans(rows: list[list[Cell]]) -> list[list[tuple[str, int, int]]]:
    return [[(c.text, c.colspan, c.rowspan) for c in row] for row in rows]


@pytest.fixture(scope="module")
def base_report():
    report = audit_text(BASE)
    assert not [f for f in report.findings if f.level.name == "ERROR"]
    return report


@pytest.fixture(scope="module", params=["NY", "JZ", "JY"])
def variant_doc(request, base_report):
    ctx, doc = build(base_report, request.param)
    return request.param, ctx, doc


# --------------------------------------------------------------------------- structure


def test_part_heading_then_nine_tables_in_order(variant_doc):
    variant, _ctx, doc = variant_doc
    first = doc.sections[0]
    assert first.blocks == [Heading("第二部分 2024年度部门决算表", 1)]  # a page of its own
    found = pages(doc)
    assert len(found) == 9 and len(doc.sections) == 10
    for i, (page, table_id) in enumerate(zip(found, ORDER)):
        title = TITLE_JZ_T09 if (variant, table_id) == ("JZ", "t09") else TITLES[table_id]
        number = table_id[1:]
        assert page.label == f"公开{number}表"
        assert page.table.name == f"公开{number}表"
        assert page.heading == Heading(title, 2, toc_text=f"{ORDINALS[i]}、{title}", role="table-title")
        assert page.info == InfoLine("部门：示例局", "2024年度", "单位：万元")
        assert page.section.orientation == ("landscape" if table_id in LANDSCAPE else "portrait")
        # block order: title, 公开NN表, 部门 line, table, notes
        kinds = [type(b).__name__ for b in page.section.blocks]
        assert kinds[:4] == ["Heading", "Paragraph", "InfoLine", "Table"]
        assert set(kinds[4:]) == {"Paragraph"}
        # every header and body row fills the grid exactly
        grid(page.table.header + page.table.body, page.table.grid_width())


def test_every_table_has_its_note(base_report):
    _ctx, doc = build(base_report, "NY")
    notes = {p.label: p.notes[0] for p in pages(doc)}
    assert notes["公开01表"] == "注：本表反映部门本年度的总收支和年末结转结余情况。本表金额转换为万元时，因四舍五入可能存在尾差。"
    assert notes["公开02表"] == "注：本表反映部门本年度取得的各项收入情况。本表金额转换为万元时，因四舍五入可能存在尾差。"
    assert notes["公开07表"] == "注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。"
    assert notes["公开08表"] == "注：本表反映部门本年度国有资本经营预算财政拨款支出情况。"
    assert notes["公开09表"].startswith("注：本表反映部门本年度财政拨款“三公”经费支出预决算情况。")
    _ctx, jz = build(base_report, "JZ")
    assert by_label(jz)["公开09表"].notes[0].startswith("注：本表反映部门本年度一般公共预算财政拨款“三公”经费支出预决算情况。")
    assert "决算数是包括当年一般公共预算财政拨款和以前年度结转资金" in by_label(jz)["公开09表"].notes[0]


def test_heading_can_share_the_first_table_page(base_report):
    layout = load_layout("henan", "NY")
    layout.profile["tables"]["heading_on_own_page"] = False
    _ctx, doc = build(base_report, layout=layout)
    assert len(doc.sections) == 9
    assert doc.sections[0].blocks[0] == Heading("第二部分 2024年度部门决算表", 1)
    assert doc.sections[0].orientation == "landscape"


# --------------------------------------------------------------------------- header grids (SPEC §3.4)


def test_subject_table_headers(variant_doc):
    variant, _ctx, doc = variant_doc
    t = by_label(doc)
    code = "科目代码" if variant == "JZ" else "功能分类科目编码"
    money = ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
    assert spans(t["公开02表"].table.header) == [
        [("项目", 2, 1)] + [(m, 1, 2) for m in money],
        [("功能分类科目编码", 1, 1), ("科目名称", 1, 1)],
        [("", 1, 1), ("栏次", 1, 1)] + [(str(i), 1, 1) for i in range(1, 8)],
    ]
    money = ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]
    assert spans(t["公开03表"].table.header) == [
        [("项目", 2, 1)] + [(m, 1, 2) for m in money],
        [(code, 1, 1), ("科目名称", 1, 1)],
        [("", 1, 1), ("栏次", 1, 1)] + [(str(i), 1, 1) for i in range(1, 7)],
    ]
    assert spans(t["公开05表"].table.header) == [
        [("项目", 2, 1), ("本年支出", 3, 1)],
        [("功能分类科目编码", 1, 1), ("科目名称", 1, 1), ("小计", 1, 1), ("基本支出", 1, 1), ("项目支出", 1, 1)],
        [("", 1, 1), ("栏次", 1, 1), ("1", 1, 1), ("2", 1, 1), ("3", 1, 1)],
    ]
    assert spans(t["公开07表"].table.header) == [
        [("项目", 2, 1), ("年初结转和结余", 1, 2), ("本年收入", 1, 2), ("本年支出", 3, 1), ("年末结转和结余", 1, 2)],
        [("功能分类科目编码", 1, 1), ("科目名称", 1, 1), ("小计", 1, 1), ("基本支出", 1, 1), ("项目支出", 1, 1)],
        [("", 1, 1), ("栏次", 1, 1)] + [(str(i), 1, 1) for i in range(1, 7)],
    ]
    subtotal = "合计" if variant == "JZ" else "小计"
    assert spans(t["公开08表"].table.header)[1] == [("科目代码", 1, 1), ("科目名称", 1, 1), (subtotal, 1, 1), ("基本支出", 1, 1), ("项目支出", 1, 1)]


def test_summary_table_headers(variant_doc):
    variant, _ctx, doc = variant_doc
    t = by_label(doc)
    amount = "金额" if variant == "JZ" else "决算数"
    assert spans(t["公开01表"].table.header) == [
        [("收入", 3, 1), ("支出", 3, 1)],
        [("项目", 1, 1), ("行次", 1, 1), (amount, 1, 1), ("项目", 1, 1), ("行次", 1, 1), (amount, 1, 1)],
        [("栏次", 1, 1), ("", 1, 1), ("1", 1, 1), ("栏次", 1, 1), ("", 1, 1), ("2", 1, 1)],
    ]
    assert spans(t["公开04表"].table.header) == [
        [("收入", 3, 1), ("支出", 6, 1)],
        [(x, 1, 1) for x in ("项目", "行次", "金额", "项目", "行次", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款")],
        [(x, 1, 1) for x in ("栏次", "", "1", "栏次", "", "2", "3", "4", "5")],
    ]
    header = t["公开06表"].table.header
    assert [c.text for c in header[0]] == ["经济分类科目编码", "科目名称", "决算数"] * 3 and len(header) == 1


def test_three_public_header_grid(variant_doc):
    _variant, _ctx, doc = variant_doc
    table = by_label(doc)["公开09表"].table
    assert table.grid_width() == 12 and len(table.header) == 4 and len(table.body) == 1
    placed = grid(table.header, 12)
    side = lambda c0: [  # noqa: E731
        ("合计", c0, 1, 2), ("因公出国（境）费", c0 + 1, 1, 2), ("公务用车购置及运行维护费", c0 + 2, 3, 1), ("公务接待费", c0 + 5, 1, 2)
    ]
    assert placed[0] == [("预算数", 0, 6, 1), ("决算数", 6, 6, 1)]
    assert placed[1] == side(0) + side(6)
    sub = lambda c0: [("小计", c0 + 2, 1, 1), ("公务用车购置费", c0 + 3, 1, 1), ("公务用车运行维护费", c0 + 4, 1, 1)]  # noqa: E731
    assert placed[2] == sub(0) + sub(6)
    assert placed[3] == [(str(i), i - 1, 1, 1) for i in range(1, 13)]


# --------------------------------------------------------------------------- 公开01表 / 公开04表


@pytest.mark.parametrize("variant", ["NY", "JZ", "JY"])
def test_t01_rows_and_line_numbers(base_report, variant):
    ctx, doc = build(base_report, variant)
    page = by_label(doc)["公开01表"]
    body = page.body()
    jz = variant == "JZ"
    assert len(body) == (30 if jz else 31)
    # left side: 行次 1…N, eight income rows, then blank rows up to 26
    assert [r[1] for r in body] == [str(i) for i in range(1, len(body) + 1)]
    first_exp = 31 if jz else 32
    assert [r[4] for r in body] == [str(i) for i in range(first_exp, first_exp + len(body))]
    classes = reference.expenditure_classes()
    for row, cls in zip(body, classes):
        assert row[3] == cls.label
        assert int(row[4]) == (cls.t01_line_jz if jz else cls.t01_line)
        assert row[5] == ctx.numbers.table(ctx.printed(("t01", "exp", cls.code)))
    for row in body[8:26]:
        assert row[:3] == ["", row[1], ""]
    sep = not jz
    names = ["本年收入合计", "使用非财政拨款结余和专用结余" if variant == "NY" else "使用非财政拨款结余（含专用结余）", "年初结转和结余"]
    assert [r[0] for r in body[26:29]] == names
    assert [r[3] for r in body[26:29]] == ["本年支出合计", "结余分配", "年末结转和结余" if jz else "年末结转与结余"]
    total = page.row("总计")
    assert total == ["总计", "30" if jz else "31", fmt(Decimal("4165.69"), sep), "总计", "60" if jz else "62", fmt(Decimal("4165.69"), sep)]
    assert page.row("本年收入合计")[2] == fmt(Decimal("4165.69"), sep)
    if not jz:
        assert body[29] == ["", "30", "", "", "61", ""]  # the blank row before 总计
    # income rows from the ledger: 一般公共预算 4162.69, 其他收入 3.00
    assert body[0][:3] == ["一、一般公共预算财政拨款收入", "1", fmt(Decimal("4162.69"), sep)]
    assert body[7][:3] == ["八、其他收入", "8", "3.00"]
    assert page.row("八、社会保障和就业支出", 3)[5] == fmt(Decimal("4143.46"), sep)
    assert page.row("一、一般公共服务支出", 3)[5] == "3.00"
    assert page.row("二十三、其他支出", 3)[5] == "0.00"


def test_t04_rows_and_line_numbers(base_report):
    ctx, doc = build(base_report, "NY")
    body = by_label(doc)["公开04表"].body()
    assert len(body) == 32
    assert [r[1] for r in body] == [str(i) for i in range(1, 33)]
    assert [r[4] for r in body] == [str(i) for i in range(33, 65)]
    for row, cls in zip(body, reference.expenditure_classes()):
        assert (row[3], int(row[4])) == (cls.label, cls.t04_line)
        assert row[5:] == [ctx.numbers.table(ctx.printed(("t04", "exp", cls.code, c))) for c in ("total", "general_budget", "government_fund", "state_capital")]
    assert [r[0] for r in body[:3]] == ["一、一般公共预算财政拨款", "二、政府性基金预算财政拨款", "三、国有资本经营预算财政拨款"]
    assert [r[0] for r in body[26:]] == ["本年收入合计", "年初财政拨款结转和结余", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款", "总计"]
    assert [r[3] for r in body[26:]] == ["本年支出合计", "年末财政拨款结转和结余", "", "", "", "总计"]
    assert body[28][3:] == ["", "61", "", "", "", ""]
    assert body[31] == ["总计", "32", "4,162.69", "总计", "64", "4,162.69", "4,162.69", "0.00", "0.00"]
    assert body[3][:3] == ["", "4", ""]


# --------------------------------------------------------------------------- subject tables (SPEC §3.3)


@pytest.mark.parametrize("variant", ["NY", "JZ"])
def test_subject_rows_are_depth_first_with_ledger_figures(base_report, variant):
    ctx, doc = build(base_report, variant)
    t = by_label(doc)
    columns = {
        "t02": ["total", "fiscal", "superior", "business", "operating", "affiliated", "other"],
        "t03": ["total", "basic", "project", "remit", "operating", "affiliated"],
        "t05": ["total", "basic", "project"],
        "t07": ["opening", "income", "total", "basic", "project", "closing"],
        "t08": ["total", "basic", "project"],
    }
    sep = variant != "JZ"
    for table_id, cols in columns.items():
        body = t[f"公开{table_id[1:]}表"].body()
        assert body[0][:2] == ["", "合计"]
        codes = [r[0] for r in body[1:]]
        assert codes == ctx.rows[table_id].codes
        # depth-first: every code follows its parent, in ascending order
        assert codes == sorted(codes)
        for code in codes:
            if len(code) > 3:
                assert code[: len(code) - 2] in codes[: codes.index(code)]
        for row in body:
            code = row[0] or "合计"
            assert row[1] == (ctx.rows[table_id].names[code] if code != "合计" else "合计")
            expected = [ctx.printed((table_id, code, c)) for c in cols]
            assert row[2:] == [fmt(v, sep) for v in expected]
    t02 = t["公开02表"]
    assert t02.row("2080101")[:3] == ["2080101", "行政运行", fmt(Decimal("4123.46"), sep)]
    assert t02.row("2101101")[2] == "14.23"  # 14.234999 万元: each cell rounded on its own
    assert t02.row("", 0)[2] == fmt(Decimal("4165.69"), sep)  # 合计 from 元, not a sum of rounded cells
    assert [r[0] for r in t02.body()[1:]] == ["201", "20199", "2019999", "208", "20801", "2080101", "20805", "2080505", "210", "21011", "2101101", "221", "22102", "2210201"]


def test_number_styles(base_report):
    _ctx, ny = build(base_report, "NY")
    _ctx, jz = build(base_report, "JZ")
    assert by_label(ny)["公开03表"].row("2080101")[2:4] == ["4,123.46", "4,023.46"]
    assert by_label(jz)["公开03表"].row("2080101")[2:4] == ["4123.46", "4023.46"]
    # zeros print 0.00 in henan tables
    assert by_label(ny)["公开03表"].row("2080101")[5:] == ["0.00", "0.00", "0.00"]


# --------------------------------------------------------------------------- empty tables (SPEC §3.5)


def test_empty_tables_print_the_zero_total_row_and_the_explanation(base_report):
    _ctx, doc = build(base_report, "NY")
    t = by_label(doc)
    assert t["公开07表"].body() == [["", "合计"] + ["0.00"] * 6]
    assert t["公开07表"].notes[1] == "说明：我部门没有政府性基金收入，也没有使用政府性基金安排的支出，故本表无数据。"
    assert t["公开08表"].body() == [["", "合计", "0.00", "0.00", "0.00"]]
    assert t["公开08表"].notes[1] == "说明：我部门没有使用国有资本经营预算安排的支出，故本表无数据。"
    for label in ("公开01表", "公开02表", "公开03表", "公开04表", "公开05表", "公开06表", "公开09表"):
        assert len(t[label].notes) == 1, label


def test_three_public_row_and_empty_explanation(base_report):
    _ctx, doc = build(base_report, "NY")
    assert by_label(doc)["公开09表"].body() == [["5.00", "0.00", "3.00", "0.00", "3.00", "2.00", "3.73", "0.00", "2.50", "0.00", "2.50", "1.23"]]
    report = audit_text(BASE.replace("three_public:\n  budget: {reception: 20000.00, vehicle_operation: 30000.00}\n  final: {reception: 12345.67, vehicle_operation: 25000.00}\n", ""))
    for variant, text in (
        ("NY", "说明：本部门2024年度没有财政拨款“三公”经费安排的支出，故本表无数据。"),
        ("JZ", "说明：本部门2024年度没有一般公共预算财政拨款“三公”经费安排的支出，故本表无数据。"),
    ):
        _ctx, doc = build(report, variant)
        page = by_label(doc)["公开09表"]
        assert page.body() == [["0.00"] * 12]
        assert len(page.notes) == 2 and page.notes[1] == text


def test_a_fund_table_with_figures_has_no_explanation(base_report):
    text = BASE + """\
government_fund:
  - {code: "2296099", income: 30000.00, project: 30000.00}
"""
    text = text.replace('{code: "2019999", other: 30000.00}', '{code: "2296099", fiscal: 30000.00}')
    text = text.replace('{code: "2019999", project: 30000.00}', '{code: "2296099", project: 30000.00}')
    report = audit_text(text)
    assert not [f for f in report.findings if f.level.name == "ERROR"], [f.message for f in report.findings]
    _ctx, doc = build(report, "NY")
    page = by_label(doc)["公开07表"]
    assert page.body() == [
        ["", "合计", "0.00", "3.00", "3.00", "0.00", "3.00", "0.00"],
        ["229", "其他支出", "0.00", "3.00", "3.00", "0.00", "3.00", "0.00"],
        ["22960", "彩票公益金安排的支出", "0.00", "3.00", "3.00", "0.00", "3.00", "0.00"],
        ["2296099", "用于其他社会公益事业的彩票公益金支出", "0.00", "3.00", "3.00", "0.00", "3.00", "0.00"],
    ]
    assert len(page.notes) == 1
    assert by_label(doc)["公开04表"].row("二、政府性基金预算财政拨款")[2] == "3.00"


# --------------------------------------------------------------------------- 公开06表


@pytest.mark.parametrize("variant, list_name, rows", [("NY", "A", 28), ("JZ", "B", 33), ("JY", "A", 28)])
def test_t06_fixed_rows_from_the_economic_list(base_report, variant, list_name, rows):
    ctx, doc = build(base_report, variant)
    body = by_label(doc)["公开06表"].body()
    groups = reference.economic_list(list_name)
    assert len(body) == rows + 1
    for g, group in enumerate(groups):
        column = [tuple(r[3 * g : 3 * g + 2]) for r in body[:-1]]
        assert column[: len(group)] == group
        assert all(c == ("", "") for c in column[len(group) :])
        for r, (code, _name) in zip(body, group):
            assert r[3 * g + 2] == ctx.numbers.table(ctx.printed(("t06", code)))
    sep = variant != "JZ"
    assert body[0][:3] == ["301", "工资福利支出", fmt(Decimal("4047.69"), sep)]
    assert body[1][:3] == ["30101", "基本工资", fmt(Decimal("3000.00"), sep)]
    assert body[-1] == ["", "人员经费合计", fmt(Decimal("4047.69"), sep), "", "", "", "", "公用经费合计", "15.00"]


def test_t06_codes_missing_from_the_list_are_not_lost(base_report):
    text = BASE.replace('"30211": 50000.00}', '"30211": 50000.00, "31201": 10000.00, "30311": 5000.00}')
    report = audit_text(text)
    _ctx, ny = build(report, "NY")  # list A has 30311 but no 312 group
    body = by_label(ny)["公开06表"].body()
    group3 = [tuple(r[6:9]) for r in body[:-1] if r[6]]
    assert group3[-2:] == [("312", "对企业补助", "1.00"), ("31201", "资本金注入", "1.00")]
    _ctx, jz = build(report, "JZ")  # list B has 31201 but not 30311: inserted after 30310
    body = by_label(jz)["公开06表"].body()
    group1 = [r[0] for r in body[:-1] if r[0]]
    assert group1[group1.index("30310") + 1] == "30311"
    assert len(body) == 34  # group 1 grows from 26 to 27 rows; group 2 is still the longest (33) + footer
    assert by_label(jz)["公开06表"].row("30311")[2] == "0.50"
    # the profile may choose to print the list only
    layout = load_layout("henan", "NY")
    layout.profile["tables"]["items"]["t06"]["unlisted"] = "omit"
    _ctx, doc = build(report, layout=layout)
    assert "31201" not in {c for r in by_label(doc)["公开06表"].body() for c in r[::3]}


# --------------------------------------------------------------------------- widths (SPEC §8.4)

# Text widths of A4 pages, mm (the narrower of the Word and PDF page setups).
TEXT_WIDTH = {"portrait": 156.0, "landscape": 247.0}
FONT_PT = {"normal": 10.5, "small": 9.0, "tiny": 7.5}
PADDING_MM = 2.2  # 3 pt each side


def text_mm(text: str, pt: float) -> float:
    em = pt * 25.4 / 72
    width = 0.0
    for ch in text:
        if ch.isdigit():
            width += 0.56
        elif ch in ",.":
            width += 0.3
        elif ord(ch) > 0x2E80:
            width += 1.0
        else:
            width += 0.6
    return width * em


def check_widths(page: Page) -> None:
    table = page.table
    total = sum(c.width for c in table.columns)
    page_width = TEXT_WIDTH[page.section.orientation]
    assert total == pytest.approx(page_width, abs=1.0), (page.label, total)
    scale = page_width / total
    pt = FONT_PT[table.font_size]
    placed = grid(table.header + table.body, table.grid_width())
    for r, row in enumerate(placed):
        for text, col, colspan, _ in row:
            if not re.fullmatch(r"[\d,]+\.\d\d", text):
                continue  # numbers must not wrap; names may
            available = sum(c.width for c in table.columns[col : col + colspan]) * scale - PADDING_MM
            assert text_mm(text, pt) <= available, (page.label, r, col, text)
    # a code fits its column
    for row in placed:
        for text, col, colspan, _ in row:
            if re.fullmatch(r"\d{3,7}", text):
                assert text_mm(text, pt) <= table.columns[col].width * scale - PADDING_MM, (page.label, text)


def test_column_widths_fit_a4(base_report):
    big = BASE.replace("41234567.89", "951234567.89").replace("40234567.89", "950234567.89").replace("30000000.00", "940000000.00")
    report = audit_text(big)  # 95,123.46 万元: five-digit amounts must still fit on one line
    for variant in ("NY", "JZ"):
        _ctx, doc = build(report, variant)
        for page in pages(doc):
            check_widths(page)


# --------------------------------------------------------------------------- profile errors


def test_a_broken_profile_names_the_table(base_report):
    layout = load_layout("henan", "NY")
    layout.profile["tables"]["items"]["t05"]["kind"] = "nonsense"
    with pytest.raises(LayoutError, match="t05.*nonsense"):
        build(base_report, layout=layout)
    layout = load_layout("henan", "NY")
    layout.profile["tables"]["items"]["t02"]["header"][2].append("8")
    with pytest.raises(LayoutError, match="t02.*header 第 3 行"):
        build(base_report, layout=layout)
    layout = load_layout("henan", "NY")
    layout.profile["tables"]["items"]["t01"]["left"]["rows"].pop()
    with pytest.raises(LayoutError, match="两栏行数"):
        build(base_report, layout=layout)


# --------------------------------------------------------------------------- published documents


def _norm(text: str) -> str:
    """The transcriptions keep some extraction artefacts (ASCII punctuation): compare in full width."""
    text = text.replace(",", "，").replace(":", "：").replace(";", "；").replace("(", "（").replace(")", "）")
    quotes = iter("“”" * 10)
    return re.sub('"', lambda _m: next(quotes), text)


PUBLISHED = [("000", "nanyang-hr-2024.yaml"), ("001", "jiaozuo-hr-2024.yaml"), ("003", "nanyang-miit-2024.yaml")]


@pytest.fixture(scope="module", params=PUBLISHED, ids=[p[0] for p in PUBLISHED])
def published(request):
    seed, example = request.param
    if not (EXAMPLES / example).is_file():
        pytest.skip(f"examples/{example} not written yet")
    truth, _ = parse_yaml((TRUTH / f"{seed}.yaml").read_bytes(), f"{seed}.yaml")
    report = audit_as_validate(read_input(EXAMPLES / example))
    ctx, doc = build(report)
    return truth, ctx, doc


def test_published_titles_notes_and_explanations(published):
    truth, _ctx, doc = published
    t = by_label(doc)
    for table_id, expected in truth["tables"].items():
        page = t[f"公开{table_id[1:]}表"]
        assert page.heading.text == _norm(expected["title"])
        if expected.get("note"):
            assert page.notes[0] == _norm(expected["note"]), table_id
        if "empty_note" in expected and not expected.get("missing"):
            assert page.notes[1:] == ([_norm(expected["empty_note"])] if expected["empty_note"] else []), table_id


def test_published_t01_t04_figures(published):
    truth, ctx, doc = published
    sep = bool(truth["thousands_separator"])
    t = by_label(doc)
    t01 = t["公开01表"].body()
    for row in truth["tables"]["t01"]["income"]:
        found = [r for r in t01 if r[1] == str(row["line"])]
        assert len(found) == 1
        assert re.sub(r"^[一二三四五六七八]、", "", found[0][0]) == _norm(row["name"])
        assert same(found[0][2:3], [row["amount"]], sep), row
    for row in truth["tables"]["t01"]["expenditure"]:
        found = [r for r in t01 if r[4] == str(row["line"])]
        assert len(found) == 1
        assert re.sub(r"^[一二三四五六七八九十]+、", "", found[0][3]) == _norm(row["name"])
        assert same(found[0][5:6], [row["amount"]], sep), row
    t04 = t["公开04表"].body()
    for row in truth["tables"]["t04"]["income"]:
        found = [r for r in t04 if r[1] == str(row["line"])]
        assert re.sub(r"^[一二三]、", "", found[0][0]) == _norm(row["name"])
        assert same(found[0][2:3], [row["amount"]], sep), row
    for row in truth["tables"]["t04"]["expenditure"]:
        found = [r for r in t04 if r[4] == str(row["line"])]
        assert re.sub(r"^[一二三四五六七八九十]+、", "", found[0][3]) == _norm(row["name"])
        assert same(found[0][5:], row["values"], sep), row


def test_published_subject_tables(published):
    truth, _ctx, doc = published
    sep = bool(truth["thousands_separator"])
    t = by_label(doc)
    for table_id in ("t02", "t03", "t05", "t07", "t08"):
        expected = truth["tables"][table_id]
        body = t[f"公开{table_id[1:]}表"].body()
        by_code = {r[0]: r for r in body[1:]}
        if expected.get("total"):
            assert same(body[0][2:], expected["total"], sep), table_id
        for row in expected["rows"]:
            assert row["code"] in by_code, (table_id, row["code"])
            assert by_code[row["code"]][1] == _norm(row["name"]), (table_id, row["code"])
            assert same(by_code[row["code"]][2:], row["values"], sep), (table_id, row["code"])
        if not expected.get("missing"):
            # the same subjects in the same (depth-first) order
            assert [r[0] for r in body[1:]] == [r["code"] for r in expected["rows"]], table_id


def test_published_t06_and_t09(published):
    truth, _ctx, doc = published
    sep = bool(truth["thousands_separator"])
    t = by_label(doc)
    body = t["公开06表"].body()
    cells = {}
    for r in body[:-1]:
        for g in range(3):
            if r[3 * g]:
                cells[r[3 * g]] = (r[3 * g + 1], r[3 * g + 2])
    expected = truth["tables"]["t06"]
    for item in expected["items"]:
        if item["code"] is None:  # code lost in the extraction
            continue
        assert same(cells[item["code"]][1:], [item["amount"]], sep), item
        if item["name"]:
            assert cells[item["code"]][0] == _norm(item["name"]), item
    if not expected.get("missing"):
        assert {i["code"] for i in expected["items"]} - {None} <= set(cells)
        assert len(expected["items"]) == len(cells)  # every printed row, nothing more
    footer = body[-1]
    if expected.get("personnel_total") is not None:
        assert footer[2] == fmt(expected["personnel_total"], sep)
    if expected.get("public_total") is not None:
        assert footer[8] == fmt(expected["public_total"], sep)
    t09 = truth["tables"]["t09"]
    if not t09.get("missing"):
        row = t["公开09表"].body()[0]
        order = [0, 1, 2, 3, 4, 5]  # 合计, 出国, 小计, 购置, 运行, 接待 — as the grid
        assert same(row, [t09["budget"][i] for i in order] + [t09["final"][i] for i in order], sep)
