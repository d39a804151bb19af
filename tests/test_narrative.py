"""第三部分 情况说明 (SPEC §5): the published figures, and the wording rules.

The regression that matters most: for each published document (000, 001, 003) the generated
情况说明 states the same figures as the published text (``tests/truth/*.yaml``,
``explanations.sections``), section by section under the same heading. Numbers are compared
as printed tokens (``1,163.97`` → ``1163.97``; ``100`` and ``100.00`` differ), as a multiset:
every number of a published section must occur in the generated section as often. The only
exceptions are the published slips of SPEC §10, listed in ``SLIPS`` with a reason each.

Run with ``-s`` to see the per-section table (numbers matched / total).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from disclose.compute.narrative import Change, Versus, class_phrase, clause, narrative_figures
from disclose.document.context import BuildContext
from disclose.document.ir import Document, Heading, Paragraph
from disclose.document.layout import load_layout
from disclose.document.parts.narrative import build_narrative
from disclose.model.load import load_dataset
from disclose.readers import read_input
from disclose.readers.yaml_reader import parse_yaml
from disclose.rules.engine import audit
from tests.support import TRUTH
from tests.support.auditing import audit_as_validate

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

DOCUMENTS = {
    "000": "nanyang-hr-2024.yaml",  # NY
    "001": "jiaozuo-hr-2024.yaml",  # JZ
    "003": "nanyang-miit-2024.yaml",  # NY
}

# Published numbers the generator does not (and must not) reproduce: (document, section ordinal)
# → {published token: (the token the generator prints instead, or None, reason)}.
SLIPS: dict[tuple[str, str], dict[str, tuple[str | None, str]]] = {
    ("000", "五"): {
        "16786.5": ("16786.50", "SPEC §1.4/§10.1: 335.73/2.00×100 = 16786.50, printed with the trailing zero dropped"),
    },
    ("001", "五"): {
        "12": ("20", "SPEC §10.2 #8: two items numbered “12.”; the generator numbers 1–20"),
    },
    ("003", "二"): {
        "4.596.01": ("4596.01", "SPEC §10.2 #9: 4,596.01 printed as “4.596.01”"),
    },
    ("000", "十三"): {
        "658.20": (
            "658.21",
            "SPEC §5.2 十三: amt_self = Σ 全年执行数 of the 20 forms = 658.21; the text prints 658.20 "
            "(= t03 合计 项目支出, whose 项 rows also add to 658.21: a rounding-level slip, §10.3)",
        ),
    },
}


# --------------------------------------------------------------------------- helpers


@functools.lru_cache(maxsize=8)
def cached_layout(name: str, variant: str | None):
    """Layouts are data: one per variant for the whole module (compiling templates is the slow part)."""
    return load_layout(name, variant)


def narrative_sections(report, variant: str | None = None) -> list[tuple[str, list]]:
    """[(level-2 heading, blocks under it)] of the generated 情况说明."""
    profile = report.source.data.profile
    layout = cached_layout(profile.layout, variant if variant is not None else profile.variant)
    doc = Document("t")
    build_narrative(BuildContext(report, layout), doc, {"kind": "narrative"})
    (section,) = doc.sections
    assert isinstance(section.blocks[0], Heading) and section.blocks[0].level == 1
    out: list[tuple[str, list]] = []
    for block in section.blocks[1:]:
        if isinstance(block, Heading) and block.level == 2:
            out.append((block.text, []))
        else:
            out[-1][1].append(block)
    return out


def section_texts(report, variant: str | None = None) -> dict[str, str]:
    return {h: "\n".join(b.text for b in blocks) for h, blocks in narrative_sections(report, variant)}


def heading_key(heading: str) -> str:
    """Headings compared without punctuation artefacts (001: "三公" with ASCII quotes)."""
    text = unicodedata.normalize("NFKC", heading)
    return re.sub(r"[\s“”\"'‘’]", "", text)


def ordinal(heading: str) -> str:
    return heading.split("、", 1)[0]


_MARKER = re.compile(r"(?m)^\s*(\d{1,2})\s*[.、]\s*")  # a list marker: 1. 12、
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)+|\d+")


def numbers(text: str) -> Counter:
    """The printed numbers of a text: list markers at a paragraph start are cut off from what
    follows (``1.2024安全…`` → 1, 2024), thousands separators dropped, decimals kept as printed."""
    text = unicodedata.normalize("NFKC", text)
    text = _MARKER.sub(lambda m: f"{m.group(1)}、", text)
    text = re.sub(r"(?<=\d) (?=[\d.])|(?<=\d\.) (?=\d)", "", text)  # "6519. 14" (001 extraction)
    return Counter(tok.replace(",", "") for tok in _NUMBER.findall(text))


def compare(published: str, generated: str, slips: dict[str, tuple[str | None, str]]) -> tuple[int, int, list[str]]:
    """(matched, total, problems): every published number must be in the generated text."""
    want = numbers(published)
    have = numbers(generated)
    problems = []
    matched = 0
    total = 0
    for token, count in want.items():
        total += count
        hits = min(count, have[token])
        if hits < count and token in slips:
            instead, _reason = slips[token]
            if instead is not None and have[instead] >= count - hits:
                have[instead] -= count - hits
                matched += count  # an accepted slip: the generator prints the corrected figure
                continue
        matched += hits
        if hits < count:
            problems.append(f"{token} ×{count - hits}")
    return matched, total, problems


@functools.lru_cache(maxsize=4)
def load_published(name: str) -> list[dict]:
    with open(TRUTH / f"{name}.yaml", encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return data["explanations"]["sections"]


def example_report(name: str):
    path = EXAMPLES / DOCUMENTS[name]
    return audit_as_validate(read_input(path))


# --------------------------------------------------------------------------- the published documents


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_generated_narrative_states_the_published_figures(name):
    report = example_report(name)
    generated = section_texts(report)
    published = load_published(name)
    by_key = {heading_key(h): text for h, text in generated.items()}
    assert [heading_key(s["heading"]) for s in published] == list(by_key), "section headings differ"
    rows = []
    failures = []
    for sec in published:
        key = heading_key(sec["heading"])
        slips = SLIPS.get((name, ordinal(sec["heading"])), {})
        matched, total, problems = compare(sec["text"], by_key[key], slips)
        rows.append((ordinal(sec["heading"]), matched, total))
        if problems:
            failures.append(f"{sec['heading']}: missing {', '.join(problems)}")
    print(f"\n{name} ({DOCUMENTS[name]}): numbers matched / total per section")
    for sec_ordinal, matched, total in rows:
        print(f"  {sec_ordinal:<3} {matched:>4} / {total:<4}")
    print(f"  all {sum(r[1] for r in rows):>4} / {sum(r[2] for r in rows)}")
    assert not failures, "\n".join(failures)


def test_slips_are_still_slips():
    """Each listed exception is a number the published text really prints (no stale entries)."""
    for (name, sec_ordinal), slips in SLIPS.items():
        text = next(s["text"] for s in load_published(name) if ordinal(s["heading"]) == sec_ordinal)
        for token in slips:
            assert numbers(text)[token] >= 1, (name, sec_ordinal, token)


def test_number_normalisation():
    assert numbers("1,163.97万元,下降18.70%") == Counter({"1163.97": 1, "18.70": 1})
    assert numbers("1.2024安全生产工作经费5万元")["2024"] == 1
    assert numbers("财政拨款收入4.596.01万元")["4.596.01"] == 1
    assert numbers("6519. 14万元")["6519.14"] == 1
    assert numbers("100%与100.00%") == Counter({"100": 1, "100.00": 1})


# --------------------------------------------------------------------------- wording rules (small data sets)


BASE = """\
profile: {department: 示例局, year: 2024, unit: 万元, variant: %(variant)s}
income:
  - {code: "2080101", fiscal: 1000.00}
  - {code: "2080701", fiscal: 335.73}
  - {code: "2089999", fiscal: 1383.75}
  - {code: "2299999", fiscal: 10.00}
expenditure:
  - {code: "2080101", basic: 1000.00}
  - {code: "2080701", project: 335.73}
  - {code: "2089999", project: 1383.75}
  - {code: "2299999", project: 10.00}
general_budget:
  - {code: "2080101", basic: 1000.00}
  - {code: "2080701", project: 335.73}
  - {code: "2089999", project: 1383.75}
  - {code: "2299999", project: 10.00}
basic_expenditure:
  items: {"30101": 800.00, "30201": 150.00, "30309": 0.00, "31002": 50.00}
three_public:
  budget: {reception: 2.00}
  final: {reception: 0.00}
operating_cost: {amount: 100.00}
changes:
  total: {prior_year: %(prior_total)s, reason: "%(reason)s"}
  operating_cost: {prior_year: %(prior_opcost)s, reason: 机构改革}
budgets:
  general_budget_items:
    - {code: "2080101", initial_budget: 1000.00}
    - {code: "2080701", initial_budget: 2.00, reason: 使用上级补助资金}
    - {code: "2089999", initial_budget: 1015.87, reason: 科目增加}
    - {code: "2299999", initial_budget: 0.00, reason: 年中追加}
"""


def build(variant="NY", prior_total="2000.00", prior_opcost="80.00", reason="项目支出增加", extra=""):
    text = BASE % {"variant": variant, "prior_total": prior_total, "prior_opcost": prior_opcost, "reason": reason} + extra
    data, source = parse_yaml(text.encode("utf-8"), "data.yaml")
    return audit_as_validate(load_dataset(data, source))


def section(report, number: str) -> str:
    texts = section_texts(report)
    return next(t for h, t in texts.items() if ordinal(h) == number)


def item_line(report, code_name: str) -> str:
    return next(line for line in section(report, "五").split("\n") if code_name in line)


def test_change_wording_up_down_flat():
    # this year's 收支总计 = 2729.48
    up = section(build(prior_total="2000.00"), "一")
    assert "各增加729.48万元，增长36.47%，主要原因是：项目支出增加。" in up
    down = section(build(prior_total="3000.00", reason="项目支出减少"), "一")
    assert "各减少270.52万元，下降9.02%，主要原因是：项目支出减少。" in down
    flat = section(build(prior_total="2729.48", reason="无变化"), "一")
    assert "与上年度相比，收、支总计持平，主要原因是：无变化。" in flat
    assert "增长" not in flat and "下降" not in flat and "各持平" not in flat


def test_change_object():
    c = Change(Decimal("58.75"), Decimal("0.00"))
    assert (c.verb, c.trend, c.amount, c.rate) == ("增加", "增长", Decimal("58.75"), None)
    c = Change(Decimal("18.24"), Decimal("25.35"))
    assert (c.verb, c.trend, c.amount, c.rate) == ("减少", "下降", Decimal("7.11"), Decimal("28.05"))
    assert Change(Decimal(1), None).known is False


def test_prior_year_zero_has_no_rate():
    jz = section(build("JZ", prior_opcost="0.00"), "十")
    assert jz == "2024年度机关运行经费支出100.00万元，比2023年度增加100.00万元。主要原因是机构改革。"
    ny = section(build("NY", prior_opcost="0.00"), "十")
    assert ny == "2024年度机关运行经费为100.00万元，与上年度相比，增加100.00万元，主要原因是：机构改革。"


def test_unknown_prior_year_leaves_the_comparison_out():
    report = build()
    report.source.data.changes.total.prior_year = None
    assert section(report, "一") == "2024年度收、支总计均为2,729.48万元。"


@pytest.mark.parametrize("variant", ["NY", "JZ"])
def test_budget_zero_omits_the_completion_clause(variant):
    line = item_line(build(variant), "其他支出（项）")
    assert "完成年初预算" not in line
    zero = "0" if variant == "NY" else "0.00"
    assert f"年初预算为{zero}万元，支出决算为10.00万元。" in line
    assert "主要原因是年中追加。" in line


def test_final_equal_to_budget_has_no_reason_sentence_except_jy():
    ny = item_line(build("NY"), "行政运行（项）")
    assert ny.endswith("完成年初预算的100.00%。")
    jy = item_line(build("JY"), "行政运行（项）")
    assert jy.endswith("完成年初预算的100.00%。决算数与年初预算数持平。")


def test_three_public_budget_zero_prints_zero_percent_in_ny_only():
    ny = section(build("NY"), "九")
    assert "1. 因公出国（境）费 预算为0万元，支出决算为0万元，完成预算的0%。决算数与预算数持平。" in ny
    assert "公务接待费 预算为2.00万元，支出决算为0万元，完成预算的0%。" in ny
    jz = section(build("JZ"), "九")
    assert "完成预算" not in jz
    assert "1. 因公出国（境）费预算数为0.00万元，支出决算数为0.00万元。全年因公出国（境）团组0个" in jz
    jy = section(build("JY"), "九")
    assert "因公出国（境）费 预算数为0.00万元，支出决算数为0.00万元。" in jy  # budget 0: clause omitted
    assert "公务接待费 预算数为2.00万元，支出决算数为0.00万元，完成预算的0.00%。" in jy


def test_three_public_labels_are_bold_in_ny():
    blocks = dict(narrative_sections(build("NY")))
    heading = next(h for h in blocks if h.startswith("九"))
    item = next(b for b in blocks[heading] if isinstance(b, Paragraph) and b.text.startswith("1. 因公出国"))
    assert item.runs[0].bold and item.runs[0].text == "1. 因公出国（境）费"
    assert not item.runs[1].bold


def test_half_up_rounding_of_rates():
    extra = """\
  government_fund: {initial_budget: 40.00}
government_fund:
  - {code: "2296099", income: 179.95, project: 179.95}
"""
    report = build(extra=extra)
    assert "完成年初预算的16786.50%" in item_line(report, "就业创业服务补贴（项）")  # not 16786.5
    assert "年初预算为40.00万元，支出决算为179.95万元，完成年初预算的449.88%。" in section(report, "七")  # float gives 449.87
    assert Versus(Decimal("179.95"), Decimal("40.00")).rate == Decimal("449.88")


def test_class_phrase_composition():
    assert class_phrase("社会保障和就业支出") == "社会保障和就业（类）支出"
    assert class_phrase("资源勘探工业信息等支出") == "资源勘探工业信息等（类）支出"
    assert class_phrase("其他支出") == "其他（类）支出"
    text = section(build(), "五")
    assert "主要用于以下方面：社会保障和就业（类）支出2,719.48万元，占99.63%；其他（类）支出10.00万元，占0.37%。" in text
    assert "社会保障和就业支出（类）就业补助（款）就业创业服务补贴（项）。" in text


def test_item_budgets_print_without_separator_in_ny():
    line = item_line(build("NY"), "其他社会保障和就业支出（项）")
    assert "年初预算为1015.87万元，支出决算为1,383.75万元，完成年初预算的136.21%。" in line
    total = section(build("NY"), "五")
    assert "年初预算为2,017.87万元，支出决算为2,729.48万元" in total  # the total keeps it
    jz = item_line(build("JZ"), "其他社会保障和就业支出（项）")
    assert "年初预算为1015.87万元，支出决算为1383.75万元" in jz


def test_jz_reason_punctuation():
    jz = section(build("JZ"), "一")
    assert jz.endswith("各增加729.48万元，增长36.47%。主要原因是项目支出增加。")
    ny = section(build("NY"), "一")
    assert ny.endswith("各增加729.48万元，增长36.47%，主要原因是：项目支出增加。")


def test_data_text_stays_literal():
    report = build(reason="## 标题 **粗体** @plain 文字")
    blocks = dict(narrative_sections(report))
    heading = next(h for h in blocks if h.startswith("一"))
    (para,) = blocks[heading]
    assert isinstance(para, Paragraph) and para.role == "body"
    assert "主要原因是：## 标题 **粗体** @plain 文字。" in para.text
    assert all(not run.bold for run in para.runs)
    headings = [h for h in blocks]
    assert len(headings) == 13


def test_verbatim_performance_text_stays_literal():
    extra = """\
performance:
  text:
    management: ["### 不是标题", "**不是粗体**"]
"""
    blocks = dict(narrative_sections(build(extra=extra)))
    heading = next(h for h in blocks if h.startswith("十三"))
    texts = [(type(b).__name__, b.text) for b in blocks[heading]]
    assert ("Paragraph", "### 不是标题") in texts and ("Paragraph", "**不是粗体**") in texts
    subheadings = [b for b in blocks[heading] if isinstance(b, Heading)]
    assert [h.level for h in subheadings] == [3, 3, 3] and not any(h.toc for h in subheadings)


def test_headings_levels_and_toc():
    report = build()
    layout = cached_layout("henan", "NY")
    doc = Document("t")
    build_narrative(BuildContext(report, layout), doc, {"kind": "narrative"})
    heads = [b for b in doc.sections[0].blocks if isinstance(b, Heading)]
    assert heads[0].level == 1 and heads[0].text == "第三部分 2024年度部门决算情况说明"
    level2 = [h.text for h in heads if h.level == 2]
    assert level2[0] == "一、收入支出决算总体情况说明" and level2[-1] == "十三、预算绩效情况说明" and len(level2) == 13
    assert all(h.toc for h in heads if h.level <= 2)
    jz = build("JZ")
    jz_heads = [h for h, _ in narrative_sections(jz)]
    assert jz_heads[8] == "九、一般公共预算财政拨款“三公”经费支出决算情况说明"


def test_funds_without_data_per_variant():
    assert section(build("NY"), "八") == (
        "2024年度国有资本经营预算财政拨款支出年初预算为0万元，支出决算为0万元，"
        "我部门没有国有资本经营预算财政拨款收入，也没有国有资本经营预算财政拨款的支出。"
    )
    assert section(build("JZ"), "七") == "我部门2024年度没有政府性基金收入，也没有使用政府性基金安排的支出。"
    assert section(build("JY"), "七") == (
        "2024年度政府性基金预算财政拨款支出年初预算数为0.00万元，支出决算为0.00万元，决算数与年初预算数不存在差异。"
    )


def test_basic_lists_use_canonical_names_in_code_order():
    b = narrative_figures(*(lambda r: (r.source.data, r.ledger, r.rows))(build())).basic
    assert b.personnel_items == ["基本工资"]  # 30309 is zero: left out
    assert b.public_items == ["办公费", "办公设备购置"]  # 310 items are 公用经费


def test_yuan_input_is_printed_in_wanyuan():
    text = (BASE % {"variant": "NY", "prior_total": "2000.00", "prior_opcost": "80.00", "reason": "增加"})
    text = re.sub(r"(\d+\.\d\d)(?=[},\]])", lambda m: str(Decimal(m.group(1)) * 10000), text).replace("unit: 万元", "unit: 元")
    text = text.replace("project: 100000.00}", "project: 100004.90}")  # 其他支出 10.00049万元: printed 10.00, total 2,729.48
    data, source = parse_yaml(text.encode("utf-8"), "data.yaml")
    report = audit_as_validate(load_dataset(data, source))
    assert "各增加729.48万元，增长36.47%" in section(report, "一")


def test_clause_helper():
    assert clause("主要用于困难妇女两癌救助。", "主要用于") == "困难妇女两癌救助"
    assert clause("项目支出减少；") == "项目支出减少"
    assert clause(None) == ""


def test_rounding_notes_per_variant():
    ny = section(build("NY"), "五").split("\n")
    assert ny[3].endswith("占0.37%。（金额单位转换时，存在尾数误差。）")  # 五（二）, same paragraph
    jz = section(build("JZ"), "五").split("\n")
    assert jz[3].endswith("占0.37%。") and jz[4] == "（因四舍五入可能存在尾差。）"
    assert jz[-1] == "（因四舍五入可能存在尾差。）"  # after the item list
    jy = section(build("JY"), "三")
    assert jy.endswith("。（四舍五入，存在尾差。）")
    assert ny[0] == "（一）一般公共预算财政拨款支出决算总体情况。" and jz[0] == "（一）总体情况。"


def test_vehicles_list_all_categories_except_jy():
    extra = """\
assets:
  vehicles: {confidential: 2, other: 3}
  other_vehicles_note: 保障日常工作
  equipment_over_1m: 1
"""
    ny = section(build("NY", extra=extra), "十二")
    assert ny == (
        "2024年期末，我部门共有车辆5辆，其中：省级领导干部用车0辆、主要领导干部用车0辆、机要通信用车2辆、应急保障用车0辆、"
        "执法执勤用车0辆、特种专业技术用车0辆、离退休干部服务用车0辆、其他用车3辆，其他用车主要是：保障日常工作；"
        "单价100万元（含）以上设备（不含车辆）1台（套）。"
    )
    jy = section(build("JY", extra=extra), "十二")
    assert "其中：机要通信用车2辆、其他用车3辆，其他用车主要是" in jy
    jz = section(build("JZ", extra=extra), "十二")
    assert "应急保障车0辆" in jz and "离退休干部用车0辆" in jz and "部门价值100万元（含）以上设备1台（套）" in jz


FORMS = """\
performance:
  target_projects: 3
  monitoring: {year: 2024, month: 8, projects: 2, executed: 5.00}
  self_evaluations:
    - project: 项目甲
      unit: 本级
      funds: {fiscal: [10, 10, 9.5]}
      total_score: 95
    - project: 项目乙
      unit: 本级
      funds: {fiscal: [8, 8, 8]}
      total_score: 85.5
"""


def test_performance_generated_from_the_forms():
    report = build(extra=FORMS)
    pf = narrative_figures(report.source.data, report.ledger, report.rows).performance
    assert (pf.n_self, pf.amt_self, pf.initial_self) == (2, Decimal("17.50"), Decimal("18.00"))
    assert pf.grades == {"优": 1, "良": 1, "中": 0, "差": 0}
    assert pf.monitoring_rate == Decimal("27.78")  # 5.00 / 18.00 (SPEC: 003's formula)
    text = section(report, "十三")
    assert "对本部门共有3个项目，涉及金额18.00万元" in text  # amount: Σ 年初预算数 of the forms
    assert "涉及2个项目，1-7月份预算执行数5.00万元，执行率27.78%。" in text
    assert "共自评2个项目，涉及金额17.50万元。" in text
    assert "评价等级为“优”的项目1个，评价等级为“良”的项目1个，评价等级为“中”的项目0个" in text
    assert "本级2024年绩效自评项目共计2个，分别为：" in text
    assert "1. 项目甲：自评得分95分，评价等级“优”。全年预算10万元，1-12月资金执行9.5万元，预算执行率95%。" in text
    assert "2. 项目乙：自评得分85.5分，评价等级“良”。全年预算8万元，1-12月资金执行8万元，预算执行率100%。" in text
    assert text.endswith("本部门2024年度未开展部门评价。")
