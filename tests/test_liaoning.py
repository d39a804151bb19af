"""The liaoning layout (SPEC §2.5, §3.4, §5.3, §6.3, §7.5), read back from the built documents.

Every example builds in the liaoning layout (and still in henan); the tests read the LN output
back — part order, table numbers and titles, blank zeros, the 情况说明 sentences, the glossary and
the appendix forms — and compare it with figures computed here by hand from the example's own
data (Decimal, 四舍五入), never with figures taken from the code under test.
"""

from __future__ import annotations

import functools
import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from disclose.document.build import build_document, layout_for
from disclose.document.ir import Document, Heading, InfoLine, Paragraph, Table
from disclose.document.layout import load_layout
from disclose.pipeline import audit_input, output_stem
from disclose.readers.yaml_reader import read_yaml
from tests.support.cli import disclose

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SAMPLE = EXAMPLES / "sample-2024.yaml"
PUBLISHED = ["nanyang-hr-2024.yaml", "jiaozuo-hr-2024.yaml", "nanyang-miit-2024.yaml"]
ALL = PUBLISHED + ["sample-2024.yaml"]
CENT = Decimal("0.01")
IF_EMPTY = "如本表为空，则我部门本年度无此类资金收支余。"

LN_TABLES = [
    ("公开01表", "收入支出决算总表"),
    ("公开02表", "收入决算表"),
    ("公开03表", "支出决算表"),
    ("公开04表", "财政拨款收入支出决算总表"),
    ("公开05表", "一般公共预算财政拨款支出决算表"),
    ("公开06表", "一般公共预算财政拨款基本支出决算表"),
    ("公开07表", "财政拨款“三公”经费支出决算表"),
    ("公开08表", "政府性基金预算财政拨款收入支出决算表"),
    ("公开09表", "国有资本经营预算财政拨款支出决算表"),
]
LN_SECTIONS = [
    "一、收入支出决算总体情况说明",
    "二、财政拨款支出决算情况说明",
    "三、财政拨款“三公”经费支出决算情况说明",
    "四、一般公共预算财政拨款基本支出决算情况说明",
    "五、其他重要事项的情况说明",
]


# --------------------------------------------------------------------------- hand arithmetic


def r2(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def wan(yuan: Decimal) -> Decimal:
    """元 → 万元 as printed."""
    return r2(Decimal(yuan) / 10000)


def pct(part: Decimal, whole: Decimal) -> str:
    """A share of printed figures, 2 dp half up (LN prints 0.00 for an undefined ratio)."""
    return "0.00" if whole == 0 else f"{r2(part * 100 / whole):.2f}"


def stripped(x: Decimal) -> str:
    text = f"{x:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def amount(x: Decimal) -> str:
    """A narrative amount in LN: no separator, 2 decimals."""
    return f"{r2(x):.2f}"


@functools.lru_cache(maxsize=None)
def data(path: Path) -> dict:
    raw, _ = read_yaml(path)
    return raw


# --------------------------------------------------------------------------- building and reading back


@functools.lru_cache(maxsize=None)
def document(name: str, layout: str = "liaoning") -> Document:
    report = audit_input(EXAMPLES / name, layout=layout)
    return build_document(report, layout_for(report, layout))


def build_text(text: str, layout) -> Document:
    """A data set given as text (a variant of the sample), built in ``layout``."""
    from disclose.document.build import build_document as build
    from disclose.model.load import load_dataset
    from disclose.readers.yaml_reader import parse_yaml
    from disclose.rules.engine import audit

    raw, source = parse_yaml(text.encode("utf-8"), "sample-variant.yaml")
    report = audit(load_dataset(raw, source), layout.requirements())
    return build(report, layout)


def headings(doc: Document, level: int | None = None) -> list[Heading]:
    return [h for h in doc.headings() if level is None or h.level == level]


def blocks(doc: Document) -> list:
    return [b for s in doc.sections for b in s.blocks]


def section_text(doc: Document, heading: str) -> list[str]:
    """The paragraphs (and sub-headings) under the level-2 heading ``heading``, as plain text."""
    out, inside = [], False
    for b in blocks(doc):
        if isinstance(b, Heading) and b.level <= 2:
            if inside:
                break
            inside = b.text == heading
            continue
        if inside and isinstance(b, (Paragraph, Heading)):
            out.append(b.text)
    assert inside or out, heading
    return out


def sentence(doc: Document, heading: str, start: str) -> str:
    found = [p for p in section_text(doc, heading) if p.startswith(start)]
    assert len(found) == 1, (start, section_text(doc, heading))
    return found[0]


class Page:
    """One table page: its title, label, info line, grid and notes."""

    def __init__(self, section):
        self.title = next(b for b in section.blocks if isinstance(b, Heading)).text
        self.heading = next(b for b in section.blocks if isinstance(b, Heading) and b.role == "table-title")
        self.label = next(b.text for b in section.blocks if isinstance(b, Paragraph) and b.role == "right")
        self.info = next(b for b in section.blocks if isinstance(b, InfoLine))
        self.table = next(b for b in section.blocks if isinstance(b, Table))
        table_at = section.blocks.index(self.table)
        self.notes = [b.text for b in section.blocks[table_at + 1:] if isinstance(b, Paragraph)]

    def rows(self) -> list[list[str]]:
        return [[c.text for c in row] for row in self.table.header + self.table.body]

    def row(self, first: str) -> list[str]:
        for r in self.table.body:
            texts = [c.text for c in r]
            if first in texts[:2]:
                return texts
        raise KeyError(first)


def table_pages(doc: Document) -> list[Page]:
    return [Page(s) for s in doc.sections if any(isinstance(b, InfoLine) for b in s.blocks)]


# --------------------------------------------------------------------------- (1) parts, cover, 目录


@pytest.mark.parametrize("name", ALL)
def test_part_order_and_headings(name):
    doc = document(name)
    dept = data(EXAMPLES / name)["profile"]["department"]
    year = data(EXAMPLES / name)["profile"]["year"]
    parts = headings(doc, 1)
    assert [h.text for h in parts] == [
        f"第一部分 {dept}概况",
        f"第二部分 {year}年度部门决算情况说明",
        "第三部分 名词解释",
        f"第四部分 {year}年度部门决算表",
        "第五部分 附件",
    ]
    # the 目录 entries name the department where the liaoning 目录 does (SPEC §2.5)
    assert [h.entry for h in parts][1] == f"第二部分 {year}年度{dept}部门决算情况说明"
    assert [h.entry for h in parts][3] == f"第四部分 {year}年度{dept}部门决算表"
    # 第一部分: 一、主要职责, 二、部门决算单位构成 (目录: 二、{DEPT}决算单位构成)
    overview = [h for h in headings(doc, 2)][:2]
    assert [h.text for h in overview] == ["一、主要职责", "二、部门决算单位构成"]
    assert overview[1].entry == f"二、{dept}决算单位构成"
    # 第二部分: the five sections, in order
    narrative = [h.text for h in headings(doc, 2) if not h.role == "table-title"][2:7]
    assert narrative == LN_SECTIONS


def test_cover_has_no_date_and_duties_are_numbered_1_():
    doc = document("sample-2024.yaml")
    cover = doc.sections[0]
    assert cover.kind == "cover"
    assert [b.text for b in cover.blocks if isinstance(b, Paragraph)] == ["示例市工业和信息化局", "2024年度部门决算"]
    duties = section_text(doc, "一、主要职责")
    raw = data(SAMPLE)["overview"]["duties"]
    assert duties == [f"{i}、{d}" for i, d in enumerate(raw, 1)]
    units = section_text(doc, "二、部门决算单位构成")
    assert units == ["纳入示例市工业和信息化局2024年部门决算编制范围的预算单位包括：", "1、示例市工业和信息化局本级", "2、示例市中小企业服务中心"]


# --------------------------------------------------------------------------- (2) tables


@pytest.mark.parametrize("name", ALL)
def test_table_numbers_titles_and_notes(name):
    doc = document(name)
    pages = table_pages(doc)
    assert [(p.label, p.title) for p in pages] == LN_TABLES
    toc = [p.heading.entry for p in pages]
    assert toc[5:] == ["六、一般公共预算财政拨款基本支出决算表", "七、财政拨款“三公”经费支出决算表", "八、政府性基金预算财政拨款收入支出决算表", "九、国有资本经营预算财政拨款支出决算表"]
    for page in pages:
        assert page.info.right == "金额单位：万元", page.label
        assert page.notes[-1] == IF_EMPTY, page.label  # under every table, empty or not (SPEC §3.5)
        assert not any(n.startswith("说明：") for n in page.notes)


def test_table_headers_in_the_liaoning_wording():
    pages = {p.label: p for p in table_pages(document("sample-2024.yaml"))}
    t01 = pages["公开01表"].rows()
    assert t01[1] == ["项目", "行", "金额", "项目", "行", "金额"]
    assert pages["公开01表"].row("使用非财政拨款结余")[1] == "28"
    assert pages["公开01表"].row("本年收入合计")[3:5] == ["本年支出合计", "58"]
    assert pages["公开04表"].rows()[0] == ["收 入", "支 出"]
    assert pages["公开04表"].row("三、国有资本经营财政拨款")[1] == "3"
    t02 = pages["公开02表"].table
    assert t02.header[2][0].text == "栏次" and t02.header[2][0].colspan == 2
    assert t02.body[0][0].text == "合计" and t02.body[0][0].colspan == 2
    # 06: 人员经费 over group 1, 公用经费 over groups 2–3; footer spans
    t06 = pages["公开06表"].table
    assert [(c.text, c.colspan) for c in t06.header[0]] == [("人员经费", 3), ("公用经费", 6)]
    assert [c.text for c in t06.header[1]][:3] == ["科目编码", "科目名称", "决算数"]
    footer = [(c.text, c.colspan) for c in t06.body[-1]]
    assert footer[0] == ("人员经费合计", 2) and footer[2] == ("公用经费合计", 5)


def test_three_public_is_a_vertical_table():
    raw = data(SAMPLE)["three_public"]
    budget, final = raw["budget"], raw["final"]
    t07 = {p.label: p for p in table_pages(document("sample-2024.yaml"))}["公开07表"]
    assert len(t07.table.columns) == 3
    assert t07.rows()[0] == ["项 目", "预算数", "决算数"]

    def money(x: Decimal) -> str:
        return "" if x == 0 else f"{wan(x):,.2f}"  # blank zeros

    b_total = budget["abroad"] + budget["vehicle_purchase"] + budget["vehicle_operation"] + budget["reception"]
    f_total = final["abroad"] + final["vehicle_purchase"] + final["vehicle_operation"] + final["reception"]
    assert t07.rows()[1:] == [
        ["合 计", money(b_total), money(f_total)],
        ["1、因公出国（境）费", money(budget["abroad"]), money(final["abroad"])],
        ["2、公务接待费", money(budget["reception"]), money(final["reception"])],
        ["3、公务用车购置及运行费", money(budget["vehicle_purchase"] + budget["vehicle_operation"]), money(final["vehicle_purchase"] + final["vehicle_operation"])],
        ["其中：（1）公务用车运行维护费", money(budget["vehicle_operation"]), money(final["vehicle_operation"])],
        ["（2）公务用车购置费", money(budget["vehicle_purchase"]), money(final["vehicle_purchase"])],
    ]


def test_zeros_are_blank_except_in_t05_basic_and_project():
    ln = {p.label: p for p in table_pages(document("sample-2024.yaml"))}
    henan = {p.label: p for p in table_pages(document("sample-2024.yaml", "henan"))}
    # 公开01表: classes without spending are blank (henan 0.00)
    assert ln["公开01表"].row("一、一般公共预算财政拨款收入")[3:] == ["一、一般公共服务支出", "32", ""]
    assert henan["公开01表"].row("一、一般公共预算财政拨款收入")[3:] == ["一、一般公共服务支出", "32", "0.00"]
    assert ln["公开01表"].row("三、国有资本经营预算财政拨款收入")[2] == ""
    # 公开03表: 210 卫生健康支出 has no 项目支出
    assert ln["公开03表"].row("210")[4] == ""
    # 公开05表: the 基本支出/项目支出 columns print 0.00 (SPEC §1.3), 小计 does not occur as 0
    assert ln["公开05表"].row("210")[2:] == [f"{wan(Decimal('379163.58') + Decimal('124782.06') + Decimal('258004.90')):,.2f}", "76.20", "0.00"]
    # 国有资本经营: an empty table, its 合计 row blank
    assert ln["公开09表"].table.body == [ln["公开09表"].table.body[0]]
    assert [c.text for c in ln["公开09表"].table.body[0]] == ["合计", "", "", ""]
    # nowhere else a 0.00
    for label, page in ln.items():
        for r, row in enumerate(page.table.body):
            for c, cell in enumerate(row):
                if cell.text == "0.00":
                    assert label == "公开05表", (label, r, c)


# --------------------------------------------------------------------------- (3) the 情况说明 sentences


@pytest.fixture(scope="module")
def sample():
    raw = data(SAMPLE)
    fiscal = sum((r["fiscal"] for r in raw["income"]), Decimal(0))
    fund_income = sum((r.get("income", Decimal(0)) for r in raw["government_fund"]), Decimal(0))
    opening = raw["summary"]["opening_balance"]
    basic = sum((r.get("basic", Decimal(0)) for r in raw["expenditure"]), Decimal(0))
    project = sum((r.get("project", Decimal(0)) for r in raw["expenditure"]), Decimal(0))
    gb_basic = sum((r.get("basic", Decimal(0)) for r in raw["general_budget"]), Decimal(0))
    gb_project = sum((r.get("project", Decimal(0)) for r in raw["general_budget"]), Decimal(0))
    fund_project = sum((r.get("project", Decimal(0)) for r in raw["government_fund"]), Decimal(0))
    items = raw["basic_expenditure"]["items"]
    econ = {c: sum((v for k, v in items.items() if k.startswith(c)), Decimal(0)) for c in ("301", "302", "303", "310")}
    return dict(raw=raw, T=fiscal + opening, F=fiscal, fund=fund_income, opening=opening, B=basic, P=project,
                gb_basic=gb_basic, gb_project=gb_project, fund_project=fund_project, econ=econ)


def test_section_1_income_and_expenditure_line_by_line(sample):
    doc = document("sample-2024.yaml")
    h = LN_SECTIONS[0]
    T, F, fund = wan(sample["T"]), wan(sample["F"]), wan(sample["fund"])
    general = F - fund
    assert sentence(doc, h, "（一）") == f"（一）收入总计{amount(T)}万元，包括："
    assert sentence(doc, h, "1. 财政拨款收入") == (
        f"1. 财政拨款收入{amount(F)}万元，占收入总计的{pct(F, T)}%。其中：一般公共预算财政拨款收入{amount(general)}万元，"
        f"政府性基金预算财政拨款收入{amount(fund)}万元，国有资本经营预算财政拨款收入0.00万元。"
    )
    # every line is printed, zeros included (SPEC §5.3)
    assert sentence(doc, h, "2. 上级") == "2. 上级补助收入0.00万元，占收入总计的0.00%。"
    assert sentence(doc, h, "7. ") == "7. 使用非财政拨款结余0.00万元，占收入总计的0.00%。"
    opening = wan(sample["opening"])
    assert sentence(doc, h, "8. ") == f"8. 上年结转和结余{amount(opening)}万元，占收入总计的{pct(opening, T)}%。"
    changes = sample["raw"]["changes"]
    prior = wan(changes["total"]["prior_year"])  # 收入总计 of last year = henan 收、支总计 (SPEC §5.3)
    delta = T - prior
    assert delta > 0
    assert sentence(doc, h, "与上年相比，今年收入总计") == (
        f"与上年相比，今年收入总计增加{amount(delta)}万元，增长{pct(delta, prior)}%，主要原因：{changes['total']['reason']}。"
    )
    B, P, econ = wan(sample["B"]), wan(sample["P"]), {k: wan(v) for k, v in sample["econ"].items()}
    assert sentence(doc, h, "1. 基本支出") == (
        f"1. 基本支出{amount(B)}万元，占支出总计的{pct(B, T)}%。主要是为保障机构正常运转、完成日常工作任务而发生的各项支出，其中："
        f"工资福利支出{amount(econ['301'])}万元；商品和服务支出{amount(econ['302'])}万元；对个人和家庭的补助{amount(econ['303'])}万元；"
        f"资本性支出{amount(econ['310'])}万元。"
    )
    assert sentence(doc, h, "2. 项目支出") == f"2. 项目支出{amount(P)}万元，占支出总计的{pct(P, T)}%。主要包括商品和服务支出、对个人和家庭的补助支出等业务支出。"
    assert sentence(doc, h, "5. 对附属") == "5. 对附属单位补助支出0.00万元，占支出总计的0.00%。"
    # 年末结转和结余 0; last year's was the 年初 of this year: 减少
    closing = changes["closing_balance"]
    assert sentence(doc, h, "（三）") == "（三）年末结转和结余0.00万元。"
    prior_closing = wan(closing["prior_year"])
    assert sentence(doc, h, "与上年相比，今年结转结余") == (
        f"与上年相比，今年结转结余减少{amount(prior_closing)}万元，下降100.00%，主要原因：{closing['reason']}。"
    )


def test_section_2_fiscal_expenditure_and_items(sample):
    doc = document("sample-2024.yaml")
    h = LN_SECTIONS[1]
    raw = sample["raw"]
    basic = wan(sample["gb_basic"])
    project = wan(sample["gb_project"] + sample["fund_project"])
    FE = wan(sample["gb_basic"] + sample["gb_project"] + sample["fund_project"])
    b0b, b0p = wan(raw["budgets"]["fiscal_basic"]), wan(raw["budgets"]["fiscal_project"])
    prior = wan(raw["changes"]["fiscal_expenditure"]["prior_year"])
    delta = FE - prior
    assert sentence(doc, h, f"{2024}年度财政拨款支出") == (
        f"2024年度财政拨款支出{amount(FE)}万元，其中：基本支出{amount(basic)}万元，项目支出{amount(project)}万元。"
        f"与上年相比，财政拨款支出增加{amount(delta)}万元，增长{pct(delta, prior)}%，主要原因：{raw['changes']['fiscal_expenditure']['reason']}。"
        f"与年初预算相比，2024年度财政拨款支出完成年初预算的{pct(FE, b0b + b0p)}%，其中：基本支出完成年初预算的{pct(basic, b0b)}%，"
        f"项目支出完成年初预算的{pct(project, b0p)}%。"
    )
    # 二（二）: class lines and the 项 with usage, completion and reason
    rows = {r["code"]: r for r in raw["general_budget"]}
    c215 = wan(sum((r.get("basic", Decimal(0)) + r.get("project", Decimal(0)) for c, r in rows.items() if c.startswith("215")), Decimal(0)))
    assert sentence(doc, h, "3. ") == f"3. 资源勘探工业信息等支出{amount(c215)}万元，具体包括："
    item = next(i for i in raw["budgets"]["general_budget_items"] if i["code"] == "2150805")
    final, budget = wan(rows["2150805"]["project"]), wan(item["initial_budget"])
    text = [p for p in section_text(doc, h) if "中小企业发展专项（项）" in p]
    assert text == [
        f"（5）资源勘探工业信息等支出（类）支持中小企业发展和管理支出（款）中小企业发展专项（项）{amount(final)}万元，"
        f"主要是{item['usage']}等支出，完成年初预算的{pct(final, budget)}%。决算数与年初预算数存在差异的主要原因是{item['reason']}。"
    ]
    # a 项 whose final equals its budget has no reason sentence
    equal = [p for p in section_text(doc, h) if "产业发展（项）" in p]
    assert equal == ["（3）资源勘探工业信息等支出（类）工业和信息产业监管（款）产业发展（项）125.00万元，主要是企业技术改造项目补助等支出，完成年初预算的100.00%。"]
    fund = raw["budgets"]["government_fund"]
    assert sentence(doc, h, "2024年度政府性基金") == (
        f"2024年度政府性基金预算财政拨款支出{amount(wan(sample['fund_project']))}万元，完成年初预算的"
        f"{pct(wan(sample['fund_project']), wan(fund['initial_budget']))}%。主要用于{fund['usage']}。"
    )
    assert sentence(doc, h, "本部门") == "本部门2024年度无国有资本经营预算财政拨款支出。"


def test_section_2_budget_zero_prints_0_percent():
    # 000: 2081105 残疾人就业 had no year-start budget: “完成年初预算的0%” (SPEC §5.3)
    doc = document("nanyang-hr-2024.yaml")
    line = next(p for p in section_text(doc, LN_SECTIONS[1]) if "残疾人就业（项）" in p)
    assert "完成年初预算的0%。" in line


def test_section_3_three_public(sample):
    doc = document("sample-2024.yaml")
    h = LN_SECTIONS[2]
    tp = sample["raw"]["three_public"]
    rf, vop = wan(tp["final"]["reception"]), wan(tp["final"]["vehicle_operation"])
    total = wan(tp["final"]["reception"] + tp["final"]["vehicle_operation"])
    budget = wan(tp["budget"]["reception"] + tp["budget"]["vehicle_operation"])
    assert sentence(doc, h, "2024年度财政拨款安排") == (
        f"2024年度财政拨款安排的“三公”经费支出{amount(total)}万元，完成预算的{pct(total, budget)}%，"
        f"决算数小于预算数的主要原因是{tp['reasons']['overall']}。其中：因公出国（境）费0.00万元，公务接待费{amount(rf)}万元，"
        f"公务用车购置及运行维护费{amount(vop)}万元。"
    )
    reception = sentence(doc, h, "2. 公务接待费")
    assert reception.startswith(
        f"2. 公务接待费{amount(rf)}万元，占“三公”经费支出的{pct(rf, total)}%。完成预算的{pct(rf, wan(tp['budget']['reception']))}%，"
    )
    groups, people = tp["domestic_reception"]["groups"], tp["domestic_reception"]["people"]
    assert f"2024年国内公务接待累计{groups}批次、{people}人、{amount(rf)}万元。其中外事接待累计0批次、0人、0.00万元。" in reception
    prior = wan(tp["prior_year"]["reception"])
    assert reception.endswith(
        f"2024年公务接待费比上年减少{amount(prior - rf)}万元，下降{pct(prior - rf, prior)}%，主要是{tp['prior_reasons']['reception']}等原因。"
    )
    abroad = sentence(doc, h, "1. 因公出国（境）费")
    assert abroad == (
        "1. 因公出国（境）费0.00万元，占“三公”经费支出的0.00%。完成预算的0.00%，决算数持平预算数。2024年参加出国（境）团组0个，累计0人次。"
        f"2024年因公出国（境）费与上年持平，主要原因是{tp['prior_reasons']['abroad']}等。"
    )
    assert sentence(doc, h, "其中：公务用车购置费") == (
        f"其中：公务用车购置费0.00万元，当年购置公务用车0辆。公务用车运行维护费{amount(vop)}万元，截至年末使用财政拨款开支运行维护费的公务用车保有量{tp['vehicle_fleet']}辆。"
    )


def test_section_4_basic_expenditure(sample):
    doc = document("sample-2024.yaml")
    text = section_text(doc, LN_SECTIONS[3])
    assert len(text) == 1
    assert text[0].startswith(
        f"2024年度一般公共预算财政拨款基本支出{amount(wan(sample['gb_basic']))}万元，其中：人员经费{amount(wan(sample['econ']['301'] + sample['econ']['303']))}万元，主要包括基本工资、"
    )
    assert f"等；日常公用经费{amount(wan(sample['econ']['302'] + sample['econ']['310']))}万元，主要包括办公费、" in text[0]
    assert text[0].endswith("信息网络及软件购置更新等。")


def test_section_5_other_matters(sample):
    doc = document("sample-2024.yaml")
    h = LN_SECTIONS[4]
    raw = sample["raw"]
    text = section_text(doc, h)
    assert [t for t in text if t.startswith("（")][:4] == ["（一）机关运行经费支出情况。", "（二）政府采购支出情况。", "（三）国有资产占用情况。", "（四）预算绩效情况。"]
    k, prior = wan(raw["operating_cost"]["amount"]), wan(raw["changes"]["operating_cost"]["prior_year"])
    assert sentence(doc, h, "2024年机关运行经费") == (
        f"2024年机关运行经费支出{amount(k)}万元（与部门决算中行政单位和参照公务员法管理事业单位财政拨款基本支出中公用经费之和一致），"
        f"与上年相比减少{amount(prior - k)}万元，下降{pct(prior - k, prior)}%，主要原因是{raw['changes']['operating_cost']['reason']}。"
    )
    p = {k: wan(v) for k, v in raw["procurement"].items()}
    total = p["goods"] + p["works"] + p["services"]
    assert sentence(doc, h, "2024年政府采购") == (
        f"2024年政府采购支出总额{amount(total)}万元，其中：政府采购货物支出{amount(p['goods'])}万元，政府采购工程支出0.00万元，"
        f"政府采购服务支出{amount(p['services'])}万元。授予中小企业合同金额{amount(p['sme'])}万元，占政府采购支出总额的{pct(p['sme'], total)}%，"
        f"其中：授予小微企业合同金额{amount(p['small_micro'])}万元，占中小企业采购支出总额的{pct(p['small_micro'], p['sme'])}%；"
        f"货物采购授予中小企业合同金额占货物支出金额的{pct(p['goods_sme'], p['goods'])}%；工程采购授予中小企业合同金额占工程支出金额的0.00%；"
        f"服务采购授予中小企业合同金额占服务支出金额的{pct(p['services_sme'], p['services'])}%。"
    )
    assert sentence(doc, h, "截至2024年12月31日") == (
        "截至2024年12月31日，共有车辆3辆，其中：副省级以上领导干部用车0辆，主要领导干部用车0辆，机要通信用车1辆，应急保障用车0辆，"
        "执法执勤用车0辆，特种专业技术用车0辆，离退休干部用车0辆，其他用车2辆；单价100万元（含）以上设备（不含车辆）0台（套）。"
    )


def _form_subtotal(form: dict) -> Decimal:
    return sum((Decimal(i["score"]) for i in form["indicators"]), Decimal(0))


def test_section_5_performance_with_project_summaries(sample):
    doc = document("sample-2024.yaml")
    h = LN_SECTIONS[4]
    forms = sample["raw"]["performance"]["self_evaluations"]
    budgets = {f["project"]: Decimal(f["funds"]["total"][1]) for f in forms}
    fund = [f["project"] for f in forms if f.get("fund") == "政府性基金预算"]
    general = sum((b for p, b in budgets.items() if p not in fund), Decimal(0))
    in_fund = sum((budgets[p] for p in fund), Decimal(0))
    assert sentence(doc, h, "根据预算绩效管理要求") == (
        f"根据预算绩效管理要求，本部门组织对2024年度预算项目支出全面开展绩效自评，共涉及预算支出项目{len(forms)}个（其中：一般公共预算项目"
        f"{len(forms) - len(fund)}个，政府性基金预算项目{len(fund)}个，国有资本经营预算项目0个），涉及资金{amount(general + in_fund)}万元（其中："
        f"一般公共预算资金{amount(general)}万元，政府性基金预算资金{amount(in_fund)}万元，国有资本经营预算资金0.00万元），"
        "自评覆盖率（开展绩效自评的项目数/年初批复绩效目标的项目数*100%）达到100.00%。"
    )
    names = "、".join(f"“{f['project']}”" for f in forms)
    assert sentence(doc, h, "本部门在2024年度") == f"本部门在2024年度部门决算中反映{names}等{len(forms)}个项目绩效自评结果。"
    # form 3: 66.32% executed, above L = 60: not capped
    form = forms[2]
    b, e = Decimal(form["funds"]["total"][1]), Decimal(form["funds"]["total"][2])
    total = r2(_form_subtotal(form) + Decimal(10) * e / b)
    assert sentence(doc, h, "（3）") == (
        f"（3）“{form['project']}”项目自评综述：根据年初设定的绩效目标，项目自评得分{stripped(total)}分。项目全年预算数为{stripped(b)}万元，"
        f"执行数为{stripped(e)}万元，完成预算的{stripped(r2(e * 100 / b))}%。项目绩效目标完成情况：{form['goal_actual'].rstrip('。')}。"
        f"发现的主要问题及原因：{form['problems']}。下一步改进措施：{form['measures']}。《预算（项目）政策绩效自评表》见附件。"
    )
    assert sentence(doc, h, "2024年我部门无财政评价") == "2024年我部门无财政评价项目。"


@pytest.mark.parametrize("name", PUBLISHED)
def test_published_examples_state_their_own_figures(name):
    """000/001/003 in the liaoning layout: 收入总计 from their printed 公开01表, last year from 十一."""
    raw = data(EXAMPLES / name)
    doc = document(name)
    stated = raw["summary"]["stated"]["income"]
    T = stated["total"]
    F = sum((stated.get(k, Decimal(0)) for k in ("general_budget", "government_fund", "state_capital")), Decimal(0))
    h = LN_SECTIONS[0]
    assert sentence(doc, h, "（一）") == f"（一）收入总计{amount(T)}万元，包括："
    assert sentence(doc, h, "1. 财政拨款收入").startswith(f"1. 财政拨款收入{amount(F)}万元，占收入总计的{pct(F, T)}%。")
    prior = raw["changes"]["total"]["prior_year"]
    delta = T - prior
    word, trend = ("增加", "增长") if delta > 0 else ("减少", "下降")
    assert sentence(doc, h, "与上年相比，今年收入总计") == (
        f"与上年相比，今年收入总计{word}{amount(abs(delta))}万元，{trend}{pct(abs(delta), prior)}%，主要原因：{raw['changes']['total']['reason']}。"
    )


# --------------------------------------------------------------------------- (4) glossary


def test_glossary_numbered_with_bold_terms():
    doc = document("sample-2024.yaml")
    entries = []
    inside = False
    for b in blocks(doc):
        if isinstance(b, Heading) and b.level == 1:
            inside = b.text == "第三部分 名词解释"
            continue
        if inside and isinstance(b, Paragraph):
            entries.append(b)
    assert entries[0].runs[0].text == "1. " and entries[0].runs[1].text == "财政拨款收入" and entries[0].runs[1].bold
    assert [e.runs[1].bold for e in entries[:10]] == [True] * 10
    assert not any(r.bold for e in entries[10:] for r in e.runs)
    assert entries[9].text.startswith("10. 项目支出：指在基本支出之外")
    assert entries[13].text.startswith("14. “三公”经费：指用一般公共预算财政拨款安排的")
    # per-subject entries follow from 16, in 公开05表 order
    t05 = [r["code"] for r in data(SAMPLE)["general_budget"]]
    assert entries[15].text.startswith("16. 社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）：")
    assert len(entries) == 15 + len(t05)


# --------------------------------------------------------------------------- (5) appendix forms


def _form_tables(doc: Document) -> list[tuple[str, Table]]:
    out = []
    inside = False
    for s in doc.sections:
        for b in s.blocks:
            if isinstance(b, Heading) and b.level == 1:
                inside = b.text.startswith("第五部分")
        if inside:
            title = next((b.text for b in s.blocks if isinstance(b, Paragraph) and b.role == "table-title"), "")
            out += [(title, b) for b in s.blocks if isinstance(b, Table)]
    return out


def test_overall_form():
    raw = data(SAMPLE)["performance"]["overall"]
    forms = _form_tables(document("sample-2024.yaml"))
    title, table = forms[0]
    assert title == "部门（单位）整体绩效自评表"
    rows = [[c.text for c in r] for r in table.body]
    assert rows[0] == ["部门（单位）名称", f"{raw['unit_code']} 示例市工业和信息化局-{raw['division_code']}"]
    assert rows[2] == ["部门年初预算支出金额", f"{r2(Decimal(raw['expenditure_budget'])):.2f}"]
    assert rows[3] == ["年度主要任务", "对应项目", "项目下达金额", "项目执行金额", "项目执行率", "分值", "得分"]
    scores = []
    for task, row in zip(raw["tasks"], rows[4:]):
        issued, executed, weight = Decimal(task["issued"]), Decimal(task["executed"]), Decimal(task["weight"])
        score = min(r2(weight * executed / issued), weight)
        scores.append(score)
        assert row == [task["name"], task["project"], stripped(issued), stripped(executed), f"{r2(executed * 100 / issued):.2f}%", stripped(weight), stripped(score)]
    indicators = sum((Decimal(i["weight"]) for i in raw["indicators"]), Decimal(0))  # every target met: full marks
    assert rows[-1] == ["总评价得分", f"{r2(sum(scores, Decimal(0)) + indicators):.2f}"]
    # operator, value and unit split from the target; the qualitative row keeps its text
    row = next(r for r in rows if "服务中小企业数量" in r)
    assert row[1:8] == [">=", "1500", "家", "1620家", "1", "15", "15"]


def test_project_forms_and_the_execution_caps():
    raw = data(SAMPLE)["performance"]["self_evaluations"]
    forms = _form_tables(document("sample-2024.yaml"))[1:]
    assert [t for t, _ in forms] == ["预算项目（政策）绩效自评表"] * len(raw)
    form, (_, table) = raw[2], forms[2]
    b, e = Decimal(form["funds"]["total"][1]), Decimal(form["funds"]["total"][2])
    subtotal = _form_subtotal(form)
    rows = [[c.text for c in r] for r in table.body]
    assert rows[0] == ["项目（政策）名称", form["project"]]
    assert rows[3] == ["项目预算金额（万元）", stripped(b), "全年执行数（万元）", stripped(e), "执行率", f"{stripped(r2(e * 100 / b))}%"]
    s_e = Decimal(10) * e / b
    assert rows[-1] == ["指标自评得分小计", stripped(subtotal), "预算执行率得分", stripped(r2(s_e)), "减分项", "0", "绩效自评总得分", stripped(r2(subtotal + s_e))]
    # 运算符号/内容/度量单位 from the target; 完成程度 = 得分 ÷ 分值; the 未完成原因 columns: √ where the data check
    # a reason, the remark in 原因说明, then the 改进措施
    indicator = form["indicators"][1]
    row = next(r for r in rows if indicator["name"] in r)
    start = row.index(indicator["name"])
    score, weight = Decimal(indicator["score"]), Decimal(indicator["weight"])
    assert row[start:start + 8] == [indicator["name"], ">=", "20", "场", indicator["actual"], stripped(r2(score / weight)), stripped(weight), stripped(score)]
    checks = dict(zip(["经费保障", "制度保障", "人员保障", "硬件条件保障", "其他"], row[start + 8:start + 13]))
    assert checks == {k: ("√" if k in indicator["reasons"] else "") for k in checks}
    assert row[-2:] == [indicator["remark"], indicator["measures"]]


def test_cap_threshold_is_configurable(tmp_path):
    """L (SPEC §7.5.2) from the profile: with L = 80 the 66.32% form is capped at 69."""
    folder = tmp_path / "ln80"
    folder.mkdir()
    (folder / "layout.yaml").write_text(
        f"extends: {ROOT / 'templates' / 'liaoning'}\ndescription: L = 80\nappendix:\n  scoring:\n    cap_threshold: 80\n", encoding="utf-8"
    )
    layout = load_layout(str(folder))
    report = audit_input(SAMPLE, layout=str(folder))
    doc = build_document(report, layout)
    form = data(SAMPLE)["performance"]["self_evaluations"][2]
    b, e = Decimal(form["funds"]["total"][1]), Decimal(form["funds"]["total"][2])
    raw_total = _form_subtotal(form) + Decimal(10) * e / b
    deduction = (raw_total - 69).quantize(Decimal("0.001"), rounding=ROUND_DOWN)
    rows = [[c.text for c in r] for r in _form_tables(doc)[3][1].body]
    assert rows[-1][-4:] == ["减分项", stripped(deduction), "绩效自评总得分", "69"]
    assert "项目自评得分69分。" in sentence(doc, LN_SECTIONS[4], "（3）")


def test_a_rate_below_50_percent_caps_at_59():
    text = SAMPLE.read_text(encoding="utf-8")
    low = text.replace("fiscal: [88, 88, 58.36]", "fiscal: [88, 88, 40]").replace("total: [88, 88, 58.36]", "total: [88, 88, 40]")
    assert low != text
    doc = build_text(low, load_layout("liaoning"))
    form = data(SAMPLE)["performance"]["self_evaluations"][2]
    raw_total = _form_subtotal(form) + Decimal(10) * Decimal(40) / Decimal(88)
    deduction = (raw_total - 59).quantize(Decimal("0.001"), rounding=ROUND_DOWN)
    rows = [[c.text for c in r] for r in _form_tables(doc)[3][1].body]
    assert rows[-1] == ["指标自评得分小计", stripped(_form_subtotal(form)), "预算执行率得分", "4.55", "减分项", stripped(deduction), "绩效自评总得分", "59"]


# --------------------------------------------------------------------------- (6) the same data in both layouts


@pytest.mark.parametrize("name", ALL)
def test_every_example_builds_in_both_layouts(name):
    henan, ln = document(name, "henan"), document(name)
    assert [h.text for h in headings(henan, 1)][1].startswith("第二部分") and "决算表" in headings(henan, 1)[1].text
    assert "决算表" in headings(ln, 1)[3].text
    # the LN-only facts were added to the example: auditing for liaoning finds none missing
    report = audit_input(EXAMPLES / name, layout="liaoning")
    assert [f for f in report.findings if f.code in ("L01", "L02")] == []


def test_missing_liaoning_facts_are_findings_that_name_the_layout():
    text = SAMPLE.read_text(encoding="utf-8")
    stripped_text = re.sub(r"\n  fiscal_basic: .*\n  fiscal_project: .*\n", "\n", text)
    assert stripped_text != text
    from disclose.model.load import load_dataset
    from disclose.readers.yaml_reader import parse_yaml
    from disclose.rules.engine import audit

    raw, source = parse_yaml(stripped_text.encode("utf-8"), "sample.yaml")
    ln = audit(load_dataset(raw, source), load_layout("liaoning").requirements())
    found = [f for f in ln.findings if f.code == "L01"]
    assert {f.locations[0].field() for f in found} == {"budgets.fiscal_basic", "budgets.fiscal_project"}
    assert all("liaoning" in str(f) and f.level.value == "提示" for f in found)
    raw, source = parse_yaml(stripped_text.encode("utf-8"), "sample.yaml")
    henan = audit(load_dataset(raw, source), load_layout("henan").requirements())
    assert not [f for f in henan.findings if f.code.startswith("L")]
    # without them, 二（一） leaves out the comparison with the year-start budget
    doc = build_text(stripped_text, load_layout("liaoning"))
    assert "与年初预算相比" not in sentence(doc, LN_SECTIONS[1], "2024年度财政拨款支出")


# --------------------------------------------------------------------------- (7) Word and PDF, read back


@pytest.fixture(scope="module")
def ln_docx(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ln-docx")
    result = disclose("build", *(str(EXAMPLES / n) for n in ALL), "--layout", "liaoning", "--format", "docx", "-o", str(out), "--accept-errors", "-j", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.mark.parametrize("name", ALL)
def test_word_files_read_back(ln_docx, name):
    import docx

    dept = data(EXAMPLES / name)["profile"]["department"]
    document_ = docx.Document(str(ln_docx / f"{output_stem(dept, 2024)}.docx"))
    texts = [p.text for p in document_.paragraphs]
    order = [next(i for i, t in enumerate(texts) if t.startswith(part)) for part in ("第一部分", "第二部分", "第三部分", "第四部分", "第五部分")]
    assert order == sorted(order)
    assert texts.index("三、财政拨款“三公”经费支出决算情况说明") < texts.index("第三部分 名词解释")
    labels = [t for t in texts if re.fullmatch(r"公开0\d表", t)]
    assert labels == [label for label, _ in LN_TABLES]
    assert texts.count(IF_EMPTY) == 9
    vertical = [t for t in document_.tables if [c.text for c in t.rows[0].cells] == ["项 目", "预算数", "决算数"]]
    assert len(vertical) == 1


@pytest.mark.slow
def test_pdf_reads_back(tmp_path):
    from pypdf import PdfReader

    result = disclose("build", str(SAMPLE), "--layout", "liaoning", "--format", "pdf", "-o", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    reader = PdfReader(str(tmp_path / "示例市工业和信息化局-2024.pdf"))
    pages = [re.sub(r"\s+", "", page.extract_text() or "") for page in reader.pages]
    text = "".join(pages)
    # The 目录 names the LN parts in its own wording (SPEC §2.5); the body order is read after it.
    toc_pages = [i for i, p in enumerate(pages) if p.startswith("目录")]
    assert toc_pages
    assert "第二部分2024年度示例市工业和信息化局部门决算情况说明" in pages[toc_pages[0]]
    # The body from the first part on (the 目录 may take two pages; a page's text may begin with its number).
    body = "".join(pages[next(i for i, p in enumerate(pages) if re.sub(r"^—\d+—", "", p).startswith("第一部分")) :])
    positions = [body.index(t) for t in ("第二部分2024年度部门决算情况说明", "第三部分名词解释", "第四部分2024年度部门决算表", "第五部分附件")]
    assert positions == sorted(positions)
    for label, title in LN_TABLES:
        assert label in text and title in text
    assert "二〇二五年" not in text.split("目录")[0]  # no cover date
    assert "预算项目（政策）绩效自评表" in text and "部门（单位）整体绩效自评表" in text
