"""第一部分 概况, 第四部分 名词解释 and 第五部分 附件 in the layout-neutral IR (SPEC §2.3, §6, §7).

Inline data sets (the beancount way) state what each test needs; the published
departments in ``examples/`` are compared with their transcriptions in
``tests/truth``. The standard glossary texts are
read from SPEC §6 itself, so the profile is checked against the specification and
not against a copy of itself.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from disclose.document.context import BuildContext
from disclose.document.ir import Cell, Document, Heading, InfoLine, Paragraph, Section, Table
from disclose.document.layout import load_layout
from disclose.document.parts.appendix import build_appendix, indicator_rows, report_block
from disclose.document.parts.glossary import build_glossary
from disclose.document.parts.overview import build_overview
from disclose.model.load import load_dataset
from disclose.readers import read_input
from disclose.readers.yaml_reader import parse_yaml
from disclose.rules.engine import audit
from tests.support import TRUTH
from tests.support.auditing import audit_as_validate

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = Path("/work/shared")
SPEC = SHARED / "SPEC.md"


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def templates() -> Path:
    return ROOT / "templates"


def audit_text(text: str):
    data, source = parse_yaml(text.encode("utf-8"), "data.yaml")
    return audit_as_validate(load_dataset(data, source))


def build(report, templates: Path, variant: str | None = None, parts=("overview", "glossary", "appendix")) -> Document:
    profile = report.source.data.profile
    layout = load_layout("henan", variant or profile.variant, root=templates)
    ctx = BuildContext(report, layout)
    doc = Document("test")
    builders = {"overview": build_overview, "glossary": build_glossary, "appendix": build_appendix}
    for name in parts:
        builders[name](ctx, doc, {})
    return doc


def texts(section: Section) -> list[str]:
    out = []
    for b in section.blocks:
        if isinstance(b, Heading):
            out.append(f"H{b.level} {b.text}")
        elif isinstance(b, Paragraph):
            out.append(b.text)
    return out


def paragraphs(section: Section) -> list[str]:
    return [b.text for b in section.blocks if isinstance(b, Paragraph)]


def tables(doc: Document) -> list[Table]:
    return [b for s in doc.sections for b in s.blocks if isinstance(b, Table)]


def occupancy(table: Table) -> list[list[Cell]]:
    """The grid position → the cell covering it; asserts that every row is exactly full."""
    width = len(table.columns)
    rows = table.header + table.body
    grid: dict[tuple[int, int], Cell] = {}
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in grid:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    assert (r + dr, c + dc) not in grid, f"{table.name}: row {r} overlaps at column {c + dc}"
                    grid[(r + dr, c + dc)] = cell
            c += cell.colspan
        covered = sorted(k for (rr, k) in grid if rr == r)
        assert covered == list(range(width)), f"{table.name}: row {r} covers {covered}, width {width}"
    assert all(r < len(rows) for r, _ in grid), f"{table.name}: a row span runs past the last row"
    return [[grid[(r, c)] for c in range(width)] for r in range(len(rows))]


def row_starting(grid: list[list[Cell]], text: str, column: int = 0) -> int:
    return next(i for i, row in enumerate(grid) if row[column].text == text)


def normalize(text: str) -> str:
    """Undo the extraction's half-width punctuation (SPEC §1.7) for comparisons with transcriptions."""
    text = text.replace(",", "，").replace(":", "：").replace(";", "；").replace("(", "（").replace(")", "）")
    out, open_quote = [], True
    for ch in text:
        if ch == '"':
            out.append("“" if open_quote else "”")
            open_quote = not open_quote
        else:
            out.append(ch)
    return "".join(out)


BASE = """\
profile: {{department: 示例局, year: 2024, unit: 万元, variant: {variant}}}
overview:
  duties_style: "{style}"
  duties: [负责甲工作。, 负责乙工作；, 完成交办的其他任务。]
  internal_departments: [办公室, 财务科, 业务科]
  units: {units}
general_budget:
  - {{code: "2080101", basic: 100.00}}
  - {{code: "2080103", basic: 10.00}}
  - {{code: "2010399", project: 0.00}}
  - {{code: "2210201", basic: 20.00}}
expenditure:
  - {{code: "2080101", basic: 100.00}}
  - {{code: "2080103", basic: 10.00}}
  - {{code: "2210201", basic: 20.00}}
  - {{code: "2296099", project: 5.00}}
income:
  - {{code: "2080101", fiscal: 100.00}}
  - {{code: "2080103", fiscal: 10.00}}
  - {{code: "2210201", fiscal: 20.00}}
  - {{code: "2296099", fiscal: 5.00}}
government_fund:
  - {{code: "2296099", income: 5.00, project: 5.00}}
"""


def base(variant="NY", style="（一）", units="[示例局本级, 示例局下属中心]", extra="") -> str:
    return BASE.format(variant=variant, style=style, units=units) + extra


# --------------------------------------------------------------------------- 第一部分 概况


@pytest.mark.parametrize(
    "style, expected",
    [
        ("1)", ["1) 负责甲工作。", "2) 负责乙工作；", "3) 完成交办的其他任务。"]),
        ("（一）", ["（一）负责甲工作。", "（二）负责乙工作；", "（三）完成交办的其他任务。"]),
        ("1、", ["1、负责甲工作。", "2、负责乙工作；", "3、完成交办的其他任务。"]),
        ("1.", ["1. 负责甲工作。", "2. 负责乙工作；", "3. 完成交办的其他任务。"]),
        ("段落", ["负责甲工作；负责乙工作；完成交办的其他任务。"]),
    ],
)
def test_duties_numbering_styles(templates, style, expected):
    doc = build(audit_text(base(style=style)), templates, parts=("overview",))
    lines = texts(doc.sections[0])
    assert lines[:2] == ["H1 第一部分 示例局概况", "H2 一、部门职责"]
    assert lines[2 : 2 + len(expected)] == expected
    assert lines[2 + len(expected)] == "H2 二、机构设置"


def test_overview_is_a_portrait_section_with_toc_headings(templates):
    doc = build(audit_text(base()), templates, parts=("overview",))
    assert len(doc.sections) == 1 and doc.sections[0].orientation == "portrait"
    heads = [b for b in doc.sections[0].blocks if isinstance(b, Heading)]
    assert [(h.level, h.toc) for h in heads] == [(1, True), (2, True), (2, True)]


def test_duties_heading_and_intro_come_from_the_data(templates):
    text = base().replace("  duties_style:", "  duties_heading: 主要职责\n  duties_intro: 示例局的主要职责是：\n  duties_style:")
    lines = texts(build(audit_text(text), templates, parts=("overview",)).sections[0])
    assert lines[1:4] == ["H2 一、主要职责", "示例局的主要职责是：", "（一）负责甲工作。"]


def test_structure_ny_counts_come_from_the_lists(templates):
    lines = texts(build(audit_text(base()), templates, parts=("overview",)).sections[0])
    tail = lines[lines.index("H2 二、机构设置") + 1 :]
    assert tail == [
        "示例局内设机构3个，包括：办公室、财务科、业务科。",
        "从决算单位构成看，示例局部门决算包括：本级决算。",
        "纳入本部门2024年度部门决算编制范围的单位共2个，其中二级预算单位包括：",
        "1. 示例局本级。",
        "2. 示例局下属中心。",
    ]


def test_structure_ny_single_unit_and_note(templates):
    text = base(units="[示例局本级]").replace("  units:", "  internal_departments_note: 另设有示例中心。\n  units:")
    lines = texts(build(audit_text(text), templates, parts=("overview",)).sections[0])
    tail = lines[lines.index("H2 二、机构设置") + 1 :]
    assert tail[0] == "示例局内设机构3个，包括：办公室、财务科、业务科。另设有示例中心。"
    assert tail[2:] == ["纳入本部门2024年度部门决算编制范围的单位共1个，其中包括：", "1. 示例局本级。"]


def test_structure_jz_is_one_level_without_unit_list(templates):
    lines = texts(build(audit_text(base(variant="JZ")), templates, parts=("overview",)).sections[0])
    assert lines[0] == "H1 第一部分 部门概况"
    tail = lines[lines.index("H2 二、机构设置") + 1 :]
    assert tail == ["示例局内设机构3个，包括：办公室、财务科、业务科。", "从决算单位构成看，示例局为一级部门，决算为本级决算。"]


def test_structure_jy_unit_lines_without_full_stop(templates):
    lines = texts(build(audit_text(base(variant="JY")), templates, parts=("overview",)).sections[0])
    tail = lines[lines.index("H2 二、机构设置") + 1 :]
    assert tail[2:] == ["纳入本部门2024年度部门决算编制范围的单位共2个，其中二级预算单位包括：", "1. 示例局本级", "2. 示例局下属中心"]


def test_structure_text_is_printed_verbatim(templates):
    text = base().replace("  units:", "  structure_text: [第一段**原文**。, '## 第二段']\n  units:")
    lines = texts(build(audit_text(text), templates, parts=("overview",)).sections[0])
    assert lines[lines.index("H2 二、机构设置") + 1 :] == ["第一段**原文**。", "## 第二段"]


# --------------------------------------------------------------------------- 第四部分 名词解释


def _spec_block(heading: str) -> list[str]:
    text = SPEC.read_text(encoding="utf-8")
    start = text.index(heading)
    block = text[start:].split("```", 2)[1]
    return [line.strip() for line in block.strip().splitlines()]


@pytest.fixture(scope="module")
def spec_glossary():
    if not SPEC.exists():
        pytest.skip("SPEC.md not available")
    ny = [line for line in _spec_block("### 6.1 henan NY") if "{per-subject" not in line and not line.startswith("…")]
    flat = [line for line in _spec_block("### 6.2 henan JY and JZ") if "{" not in line or "{same text" in line]
    # 十七/十八 point at the NY texts of 四/五
    resolved = []
    for line in flat:
        m = re.match(r"(十[七八])、(.+?)：\{same text as NY (四|五) after the colon\}", line)
        if m:
            source = next(x for x in ny if x.startswith(m.group(3) + "、"))
            line = f"{m.group(1)}、{m.group(2)}：{source.split('：', 1)[1]}"
        resolved.append(line)
    text = SPEC.read_text(encoding="utf-8")
    jz7 = re.search(r"entry 七 `([^`]+)`", text).group(1)
    jz17 = re.search(r"entry 十七 `([^`]+)`", text).group(1)
    jz = [("七、" + jz7) if x.startswith("七、") else ("十七、" + jz17) if x.startswith("十七、") else x for x in resolved]
    return {"NY": ny, "JY": resolved, "JZ": jz}


def glossary_lines(doc: Document) -> list[str]:
    section = next(s for s in doc.sections if any(isinstance(b, Heading) and b.text == "第四部分 名词解释" for b in s.blocks))
    return [line[3:] if line.startswith("H2 ") else line for line in texts(section)[1:]]


def test_glossary_ny_grouped_standard_entries_and_subjects(templates, spec_glossary):
    lines = glossary_lines(build(audit_text(base()), templates, parts=("glossary",)))
    subjects = [
        "（七）、社会保障和就业支出（类）人力资源和社会保障管理事务（款）行政运行（项）：反映行政单位（包括实行公务员管理的事业单位）的基本支出。",
        "（八）、住房保障支出（类）住房改革支出（款）住房公积金（项）：反映行政事业单位按人力资源和社会保障部、财政部规定的基本工资和津贴补贴以及规定比例为职工缴纳的住房公积金。",
    ]
    # 2010399 is a t05 row (zero) and comes first; 2080103 has no definition → left out (G01);
    # 2296099 is only in t03/t07 → not explained (SPEC §6.4)
    first = "（七）、一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）其他政府办公厅（室）及相关机构事务支出（项）：反映除上述项目以外的其他政府办公厅（室）及相关机构事务支出。"
    subjects = [first] + [s.replace("（七）", "（八）", 1).replace("（八）、住房", "（九）、住房", 1) for s in subjects]
    expected = list(spec_glossary["NY"])
    at = expected.index("三、结余类科目")
    expected[at:at] = subjects
    assert lines == expected


def test_glossary_jy_flat_subjects_continue_at_nineteen(templates, spec_glossary):
    lines = glossary_lines(build(audit_text(base(variant="JY")), templates, parts=("glossary",)))
    assert lines[:18] == spec_glossary["JY"]
    assert [line.split("、", 1)[0] for line in lines[18:]] == ["十九", "二十", "二十一"]
    assert lines[18].startswith("十九、一般公共服务支出（类）")
    assert lines[20].startswith("二十一、住房保障支出（类）住房改革支出（款）住房公积金（项）：")


def test_glossary_jz_flat_without_subjects(templates, spec_glossary):
    lines = glossary_lines(build(audit_text(base(variant="JZ")), templates, parts=("glossary",)))
    assert lines == spec_glossary["JZ"]


def test_glossary_terms_not_bold_in_henan(templates):
    doc = build(audit_text(base()), templates, parts=("glossary",))
    assert not any(r.bold for s in doc.sections for b in s.blocks if isinstance(b, Paragraph) for r in b.runs)


def test_glossary_bold_terms_switch():
    from disclose.document.parts.glossary import Entry, glossary_blocks

    cfg = {
        "markers": {"top": "{n}. "},
        "bold_terms": 1,
        "order": ["a", "subjects", "b"],
        "terms": {"a": ["甲", "甲的解释。"], "b": ["乙", "乙的解释。"]},
    }
    blocks = glossary_blocks(cfg, [Entry("丙（类）丁（款）戊（项）", "说明。")])
    assert [b.text for b in blocks] == ["1. 甲：甲的解释。", "2. 丙（类）丁（款）戊（项）：说明。", "3. 乙：乙的解释。"]
    assert [(r.text, r.bold) for r in blocks[0].runs] == [("1. ", False), ("甲", True), ("：甲的解释。", False)]
    assert not any(r.bold for r in blocks[1].runs)


# --------------------------------------------------------------------------- 第五部分 附件: NY form


FORM = """\
performance:
  self_evaluations:
    - project: 示例培训经费
      period: 2025年04月
      implementer: 示例局
      funds:
        fiscal: [12.5, 8, 6]
        special_account: [0, 0, 0]
        score: 10                      # stated wrongly (rule: 10 × 6/8 = 7.5)
      management:
        - {{item: 安排科学性, score: 5}}
        - {{item: 拨付合规性, note: 按规定拨付。, score: 5}}
        - {{item: 使用规范性, score: 4, issue: 个别票据不规范}}
        - {{item: 预算绩效管理情况, score: 5}}
      goal_expected: 完成培训任务。
      indicators:
        - {{level1: 成本指标, level2: 经济成本指标, name: 总金额, target: ≤8万元, actual: 6万元, weight: 10}}
        - {{level1: 产出指标, level2: 数量指标, name: 培训人次, target: ≥100人, actual: 90人, weight: 10}}
        - {{level1: 产出指标, level2: 数量指标, name: 培训次数, target: ≥4次, actual: 5次, weight: 10}}
        - {{level1: 产出指标, level2: 质量指标, name: 合格率, target: ≥95%, actual: 85%, weight: 10}}
        - {{level1: 效益指标, level2: 社会效益指标, name: 技能水平, target: 明显提高, actual: 85%, weight: 25}}
        - {{level1: 满意度指标, level2: 服务对象满意度指标, name: 学员满意度, target: ≥90%, actual: 80%, weight: 5{extra}}}
      total_score: 92                  # stated wrongly
"""


def ny_form_doc(templates, variant="NY", extra=""):
    return build(audit_text(base(variant=variant) + FORM.format(extra=extra)), templates, variant=variant, parts=("appendix",))


def test_ny_form_section_and_titles(templates):
    doc = ny_form_doc(templates)
    assert len(doc.sections) == 1
    section = doc.sections[0]
    assert section.orientation == "landscape" and section.keep_together
    assert texts(section) == ["H1 第五部分 附 件", "项目支出绩效自评情况表", "2025年04月"]
    assert [b.role for b in section.blocks if isinstance(b, Paragraph)] == ["table-title", "center"]


def test_ny_form_grid_merges_and_labels(templates):
    table = tables(ny_form_doc(templates))[0]
    assert len(table.columns) == 9
    grid = occupancy(table)
    cells = [[c.text for c in row] for row in grid]
    assert cells[0] == ["项目名称"] * 2 + ["示例培训经费"] * 7
    assert cells[1] == ["主管部门"] * 2 + ["示例局"] * 3 + ["实施单位"] + ["示例局"] * 3
    # 项目资金 block: label over 5 rows (header + 年度资金总额 + three lines)
    funds = row_starting(grid, "项目资金（万元）")
    assert grid[funds][0].rowspan == 5 and grid[funds][0].colspan == 2
    assert cells[funds][2:] == ["", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    assert cells[funds + 1][2:] == ["年度资金总额：", "12.5", "8", "6", "10", "75.00%", "7.5"]
    assert cells[funds + 2][2:] == ["财政拨款", "12.5", "8", "6", "—", "75.00%", "—"]
    assert cells[funds + 3][2:] == ["财政专户管理资金", "0", "0", "0", "—", "0.00%", "—"]
    assert cells[funds + 4][2:] == ["单位资金", "0", "0", "0", "—", "0.00%", "—"]
    # 资金管理情况: 5 rows, default note where none is given
    mgmt = row_starting(grid, "资金管理情况")
    assert grid[mgmt][0].rowspan == 5
    assert cells[mgmt][2:] == ["", "情况说明", "情况说明", "情况说明", "分值（20）", "得分", "存在问题和改进措施"]
    assert cells[mgmt + 1][2:] == ["安排科学性"] + ["项目资金安排科学，按照预算编制和资金管理办法要求执行。"] * 3 + ["5", "5", ""]
    assert cells[mgmt + 2][3] == "按规定拨付。"
    assert cells[mgmt + 3][6:] == ["5", "4", "个别票据不规范"]
    # 年度总体目标: 2 rows; 实际完成情况 defaults to the §7.2.3 sentence (6/12.5 = 48.00%)
    goals = row_starting(grid, "年度总体目标")
    assert grid[goals][0].rowspan == 2
    assert cells[goals][2:] == ["预期目标"] * 3 + ["实际完成情况"] * 4
    assert cells[goals + 1][2:] == ["完成培训任务。"] * 3 + ["示例培训经费项目已完成48.00%"] * 4
    title = row_starting(grid, "绩效指标")
    assert cells[title] == ["绩效指标"] * 9
    assert cells[title + 1] == ["一级指标", "二级指标", "三级指标", "年度指标值", "实际值完成值", "分值", "得分", "偏差度", "偏差原因分析及改进措施"]


def test_ny_form_indicator_spans_and_computed_scores(templates):
    grid = occupancy(tables(ny_form_doc(templates))[0])
    first = row_starting(grid, "一级指标") + 1
    rows = grid[first : first + 6]
    assert [r[0].text for r in rows] == ["成本指标", "产出指标", "产出指标", "产出指标", "效益指标", "满意度指标"]
    assert [(r[0].rowspan) for r in rows if r[0].text == "产出指标"][0] == 3
    assert rows[1][1].text == rows[2][1].text == "数量指标" and rows[1][1] is rows[2][1] and rows[1][1].rowspan == 2
    assert rows[3][1].text == "质量指标" and rows[3][1].rowspan == 1
    # by hand (SPEC §7.2.2): met → w, 0.00; ≥100人 → 90人: 10 × 90/100 = 9, (90−100)/100 = −10.00;
    # NY over-achievement not penalised; ≥95% → 85%: 10 × 85/95 = 8.947… → 8.95, −10.526… → −10.53;
    # qualitative 85%: 25 × 0.85 = 21.25, −15.00; ≥90% → 80%: 5 × 80/90 = 4.444… → 4.44, −11.11
    assert [[c.text for c in r[2:8]] for r in rows] == [
        ["总金额", "≤8万元", "6万元", "10", "10", "0.00"],
        ["培训人次", "≥100人", "90人", "10", "9", "-10.00"],
        ["培训次数", "≥4次", "5次", "10", "10", "0.00"],
        ["合格率", "≥95%", "85%", "10", "8.95", "-10.53"],
        ["技能水平", "明显提高", "85%", "25", "21.25", "-15.00"],
        ["学员满意度", "≥90%", "80%", "5", "4.44", "-11.11"],
    ]
    # 总分 = 资金得分 7.5 (computed, not the stated 10) + 管理 19 + 指标 63.64 = 90.14 (not the stated 92)
    total = grid[-1]
    assert [c.text for c in total] == ["总分"] * 5 + ["100", "90.14", "", ""]
    assert total[0].colspan == 5


def test_ny_form_keeps_a_stated_indicator_score(templates):
    # A stated score is the department's judgement (the audit warns, P04): printed as stated,
    # the 总分 follows it. 偏差度 given → printed; none → blank (no rule gives that score).
    doc = ny_form_doc(templates, extra=", score: 5, deviation: 0")
    grid = occupancy(tables(doc)[0])
    row = grid[row_starting(grid, "满意度指标")]
    assert [c.text for c in row[5:8]] == ["5", "5", "0.00"]
    assert grid[-1][6].text == "90.7"  # 7.5 + 19 + 59.2 + 5


def test_ny_form_tolerance_band_score_keeps_its_deviation(templates):
    # 003 校企合作联盟: NY form scored with the JY band (≥1次 → 2次: 6/10, 偏差度 70.00)
    text = base() + FORM.format(extra="").replace(
        "name: 培训次数, target: ≥4次, actual: 5次, weight: 10", "name: 对接次数, target: ≥1次, actual: 2次, weight: 10, score: 6"
    )
    grid = occupancy(tables(build(audit_text(text), templates, parts=("appendix",)))[0])
    row = next(r for r in grid if r[2].text == "对接次数")
    assert [c.text for c in row[5:8]] == ["10", "6", "70.00"]


def test_ny_form_without_management_prints_default_rows(templates):
    text = base() + FORM.format(extra="")
    text = re.sub(r"      management:\n(        - .*\n)+", "", text)
    grid = occupancy(tables(build(audit_text(text), templates, parts=("appendix",)))[0])
    mgmt = row_starting(grid, "资金管理情况")
    assert [grid[mgmt + i][2].text for i in range(1, 5)] == ["安排科学性", "拨付合规性", "使用规范性", "预算绩效管理情况"]
    assert [grid[mgmt + i][7].text for i in range(1, 5)] == ["", "", "", ""]
    assert [c.text for c in grid[-1][5:7]] == ["100", "92"]  # no management scores: the stated 总分


def test_indicator_grouping_is_stable_by_first_appearance():
    class I:  # noqa: E742 - a tiny stand-in for Indicator
        def __init__(self, l1, l2):
            self.level1, self.level2 = l1, l2

    inds = [I("产出指标", "数量指标"), I("效益指标", "社会效益指标"), I("产出指标", "质量指标"), I("产出指标", "数量指标")]
    rows = indicator_rows(inds, [None] * 4, None)
    assert [(r[0], r[1]) for r in rows] == [("产出指标", "数量指标")] * 2 + [("产出指标", "质量指标"), ("效益指标", "社会效益指标")]


# --------------------------------------------------------------------------- JY form


def test_jy_form_skeleton_vertical_label_and_formats(templates):
    doc = ny_form_doc(templates, variant="JY")
    section = doc.sections[0]
    assert texts(section) == ["H1 第五部分 项目支出绩效自评情况表", "项目单位自评表"]  # no date line
    table = tables(doc)[0]
    assert len(table.columns) == 10
    grid = occupancy(table)
    cells = [[c.text for c in row] for row in grid]
    funds = row_starting(grid, "项目资金")
    assert cells[funds + 1][2:] == ["年度资金总额（万元）：", "12.5", "8", "6", "10", "75", "7.5", "7.5"]
    assert cells[funds + 2][2:] == ["政府性预算资金", "12.5", "8", "6", "-", "75", "-", "-"]
    assert cells[funds + 3][2:8] == ["财政专户管理资金", "0", "0", "0", "-", "0"]
    mgmt = row_starting(grid, "资金管理情况")
    assert cells[mgmt][6:8] == ["分值", "得分"]
    header = next(i for i, r in enumerate(cells) if r[1] == "一级指标")
    label = grid[header][0]
    assert label.text == "绩效指标" and label.rowspan == 1 + 11  # header + 10 skeleton 二级 rows (数量指标 has 2)
    body = cells[header + 1 : header + 12]
    assert [(r[1], r[2]) for r in body] == [
        ("成本指标", "经济成本指标"),
        ("成本指标", "社会成本指标"),
        ("成本指标", "生态环境成本指标"),
        ("产出指标", "数量指标"),
        ("产出指标", "数量指标"),
        ("产出指标", "质量指标"),
        ("产出指标", "时效指标"),
        ("效益指标", "经济效益指标"),
        ("效益指标", "社会效益指标"),
        ("效益指标", "生态效益指标"),
        ("满意度指标", "服务对象满意度指标"),
    ]
    assert body[1][3:] == [""] * 7  # an empty skeleton row
    # JY: over-achievement ≥4次 → 5次 is d = 25% ≤ 30 → full marks; 偏差度 printed with %
    assert body[4][3:9] == ["培训次数", "≥4次", "5次", "10", "10", "0.00%"]
    assert body[5][7:9] == ["8.95", "-10.53%"]
    total = grid[-1]
    assert [c.text for c in total][5:8] == ["总分", "100", "90.14"]
    assert total[0].colspan == 6


# --------------------------------------------------------------------------- JZ attachments


JZ = """\
performance:
  overall:
    funds:
      fiscal: [100, 120, 90]
    goal_expected: 完成年度任务。
    goal_actual: 已完成。
    tasks:
      - {name: 促进就业, content: 新增就业, actual: 完成}
    indicators:
      - {level1: 投入管理指标, level2: 预算和财务管理, name: 结转结余率, target: ≤10%, actual: 0%, weight: 40}
      - {level1: 产出指标, level2: 重点工作任务完成, name: 培训完成率, target: ≥95%, actual: 90%, weight: 50}
  summary_table:
    rows:
      - {unit_code: "603001", unit_name: 示例局, department_code: "603", department_name: 示例局, project: 示例项目,
         project_type: 可执行项目, office: 社教科, budget: 25, executed: 20, system_executed: 20,
         rates: [80, 100, null, 100, 100, 100], score: 98, deviation: false}
  reports:
    - label: 附件3：《财政重点绩效评价报告》
      title: 2024年度示例项目绩效评价报告
      paragraphs:
        - 一、基本情况
        - （一）项目背景
        - 项目背景的正文。
        - 1.绩效指标设置规范性有待提升。通过查阅绩效目标表发现，目标值偏低，预期产出与实际产出存在较大偏离。
        - 1、绩效评价目的
"""


@pytest.fixture(scope="module")
def jz_doc(templates):
    return build(audit_text(base(variant="JZ") + JZ), templates, parts=("appendix",))


def test_jz_attachment_labels_and_order(jz_doc):
    firsts = [texts(s)[:3] for s in jz_doc.sections]
    assert firsts[0] == ["H1 第五部分 附件", "附件1：《2024年度部门整体项目支出自评表》", "部门整体自评表"]
    assert firsts[1] == ["附件2：《2024年度部分预算项目单位自评汇总表》", "项目单位自评汇总表"]
    assert firsts[2] == ["附件3：《财政重点绩效评价报告》", "2024年度示例项目绩效评价报告", "H3 一、基本情况"]
    assert [s.orientation for s in jz_doc.sections] == ["landscape", "landscape", "portrait"]
    label = jz_doc.sections[1].blocks[0]
    assert isinstance(label, Paragraph) and label.runs[0].bold


def test_jz_overall_form(jz_doc):
    grid = occupancy(tables(jz_doc)[0])
    cells = [[c.text for c in row] for row in grid]
    assert cells[0] == ["部门（单位）名称"] * 2 + ["示例局"] * 7
    funds = row_starting(grid, "部门整体支出情况")
    assert grid[funds][0].rowspan == 5
    # 执行率 90/120 = 75 (bare); 资金得分 10 × 90/120 = 7.5
    assert cells[funds + 1][2:] == ["部门预算总额（万元）", "100", "120", "90", "10", "75", "7.5"]
    assert cells[funds + 2][2:] == ["资金来源：（1）政府预算资金", "100", "120", "90", "-", "75", "-"]
    tasks = row_starting(grid, "任务名称")
    assert cells[tasks + 1] == ["促进就业"] * 2 + ["新增就业"] * 3 + ["完成"] * 4
    header = row_starting(grid, "一级指标")
    assert cells[header][4] == "实际完成值"
    assert cells[header + 2][5:8] == ["50", "47.37", "-5.26%"]  # 50 × 90/95; (90 − 95)/95
    assert cells[-1][5:7] == ["100", "94.87"]  # 7.5 + 40 + 47.37


def test_jz_summary_table_columns(jz_doc):
    table = tables(jz_doc)[1]
    assert table.font_size == "small" and len(table.columns) == 18
    assert [c.text for c in table.header[0]] == [
        "单位编码", "单位名称", "主管部门编码", "主管部门名称", "项目名称", "项目类型", "资金归口处室", "全年预算数", "全年执行数",
        "系统查询全年执行数", "预算执行率", "资金管理情况得分率", "成本指标得分率", "产出指标得分率", "效益指标得分率",
        "满意度指标得分率", "自评得分", "是否有偏差项目",
    ]  # fmt: skip
    assert [c.text for c in table.body[0]] == [
        "603001", "示例局", "603", "示例局", "示例项目", "可执行项目", "社教科", "25", "20", "20", "80%", "100%", "-%",
        "100%", "100%", "100%", "98", "否",
    ]  # fmt: skip
    assert any(isinstance(b, InfoLine) and b.right == "单位：万元" for b in jz_doc.sections[1].blocks)


def test_report_paragraphs(jz_doc):
    blocks = jz_doc.sections[2].blocks
    shown = [(type(b).__name__, getattr(b, "level", None), b.text, getattr(b, "toc", None)) for b in blocks[2:]]
    assert shown[:3] == [("Heading", 3, "一、基本情况", False), ("Heading", 4, "（一）项目背景", False), ("Paragraph", None, "项目背景的正文。", None)]
    long_item, short_item = blocks[5], blocks[6]
    assert isinstance(long_item, Paragraph) and not long_item.runs[0].bold
    assert isinstance(short_item, Paragraph) and short_item.runs[0].bold and short_item.text == "1、绩效评价目的"


def test_report_heading_rules_accept_half_width_parentheses():
    rules = [(re.compile(p), r) for p, r in [(r"^[（(][一二三四五六七八九十]+[）)]", {"level": 4})]]
    assert isinstance(report_block("(一) 项目背景", rules, 40), Heading)
    assert isinstance(report_block("(一) " + "很长的正文" * 10, rules, 40), Paragraph)


def test_no_appendix_content_prints_the_part_heading_alone(templates):
    doc = build(audit_text(base()), templates, parts=("appendix",))
    assert len(doc.sections) == 1 and texts(doc.sections[0]) == ["H1 第五部分 附 件"]


# --------------------------------------------------------------------------- the published departments


def _example(name: str):
    path = EXAMPLES / name
    if not path.exists():
        pytest.skip(f"{name} not available")
    return audit_as_validate(read_input(path))


def _truth(name: str) -> dict:
    import yaml

    return yaml.safe_load((TRUTH / f"{name}.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def miit(templates):
    return build(_example("nanyang-miit-2024.yaml"), templates)


def test_003_glossary_has_29_subject_entries_as_published(miit):
    lines = glossary_lines(miit)
    group = lines[lines.index("二、支出科目") + 1 : lines.index("三、结余类科目")]
    subjects = group[6:]
    assert len(subjects) == 29
    assert [s.split("、", 1)[0] for s in subjects] == [f"（{n}）" for n in (
        "七 八 九 十 十一 十二 十三 十四 十五 十六 十七 十八 十九 二十 二十一 二十二 二十三 二十四 二十五 二十六 "
        "二十七 二十八 二十九 三十 三十一 三十二 三十三 三十四 三十五"
    ).split()]  # fmt: skip
    truth = [g for g in _truth("003")["glossary"] if "（类）" in normalize(g["term"])]
    assert [s.split("、", 1)[1] for s in subjects] == [normalize(f"{g['term']}：{g['definition']}") for g in truth]


def test_003_forms_print_the_published_totals(miit):
    forms = [t for t in tables(miit) if t.name == "项目支出绩效自评情况表"]
    truth = _truth("003")["appendix"]["self_evaluations"]
    assert len(forms) == len(truth) == 21
    for table, published in zip(forms, truth):
        grid = occupancy(table)
        if published.get("total_score") is not None:
            assert Decimal(grid[-1][6].text) == Decimal(str(published["total_score"])), published["project"]


def test_003_report_follows_the_forms(miit):
    appendix = [s for s in miit.sections if s.orientation == "landscape" or any(
        isinstance(b, Paragraph) and b.text == "项目支出绩效评价报告" for b in s.blocks)]  # fmt: skip
    assert appendix[-1].orientation == "portrait"
    assert paragraphs(appendix[-1])[0] == "项目支出绩效评价报告"


def test_000_forms_print_computed_funds_scores(templates):
    doc = build(_example("nanyang-hr-2024.yaml"), templates, parts=("appendix",))
    truth = _truth("000")["appendix"]["self_evaluations"]
    forms = tables(doc)
    assert len(forms) == len(truth) == 20
    for table, published in zip(forms, truth):
        grid = occupancy(table)
        total_row = grid[row_starting(grid, "年度资金总额：", 2)]
        assert total_row[7].text == "100.00%" and total_row[8].text == "10", published["project"]  # 8.62 etc. not reproduced
        weight, total = grid[-1][5].text, grid[-1][6].text
        if published["project"] == "组织工作经费":
            assert (weight, total) == ("85", "80.69")  # its weights sum to 85 (SPEC §7.2.4)
        else:
            assert (weight, Decimal(total)) == ("100", Decimal(str(published["total_score"]))), published["project"]


def test_001_attachments(templates):
    doc = build(_example("jiaozuo-hr-2024.yaml"), templates, variant="JZ", parts=("appendix",))
    labels = [p for s in doc.sections for p in paragraphs(s) if p.startswith("附件")]
    assert labels == [
        "附件1：《2024年度部门整体项目支出自评表》",
        "附件2：《2024年度部分预算项目单位自评汇总表》",
        "附件3：《财政重点绩效评价报告》",
        "附件4：《部门评价报告》",
    ]
    overall, summary = tables(doc)[:2]
    grid = occupancy(overall)
    funds = row_starting(grid, "部门整体支出情况")
    # 9325.84 / 10065.85: 执行率 92.65, 资金得分 9.26 (the published 10 is not reproduced, SPEC §10.2 #7)
    assert [c.text for c in grid[funds + 1][6:9]] == ["10", "92.65", "9.26"]
    assert len(summary.columns) == 18 and len(summary.body) == 2
    for table in tables(doc):
        occupancy(table)
