"""The example data sets: they load, the sample is clean, and the published ones show their slips.

``examples/nanyang-hr-2024.yaml`` (000), ``jiaozuo-hr-2024.yaml`` (001) and
``nanyang-miit-2024.yaml`` (003) hold the figures of three published documents, including
their inconsistencies (``scripts/convert_truth.py``); ``sample-2024.yaml`` is the clean
synthetic department of the README (``scripts/make_sample.py``).

For every inconsistency that the ground-truth transcriptions (tests/truth/*.yaml,
``inconsistencies``) list and that is about figures, one case states which finding the audit
must report: rule code(s), severity, the field path of the figure the finding is about (its
first location) and a value that must stand on that line of the example. The expectations
come from the truth text and SPEC §4/§7/§10, not from the audit's output. Items about wording
only are listed in ``NOT_FIGURES`` with the reason; ``test_every_truth_item_is_classified``
keeps both lists in step with the transcriptions.
"""

from __future__ import annotations

import functools
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from disclose.findings import Finding, Severity
from disclose.model.load import load_dataset
from disclose.readers.yaml_reader import read_yaml
from disclose.document.layout import requirements_for
from disclose.rules.engine import AuditReport, audit
from tests.support import TRUTH

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DOCS = {"000": "nanyang-hr-2024.yaml", "001": "jiaozuo-hr-2024.yaml", "003": "nanyang-miit-2024.yaml"}
SAMPLE = "sample-2024.yaml"

E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTICE


@functools.lru_cache(maxsize=None)
def loaded(name: str) -> tuple[dict, AuditReport, list[str]]:
    path = EXAMPLES / name
    data, source = read_yaml(path, display_name=name)
    source = load_dataset(data, source)
    profile = source.data.profile
    # As `disclose validate` does: audit against what the data's own layout requires.
    report = audit(source, requirements_for(profile.layout, profile.variant))
    return data, report, path.read_text(encoding="utf-8").splitlines()


# --------------------------------------------------------------------------- (a) every example


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_every_example_loads_and_audits(name):
    data, report, lines = loaded(name)  # raises InputError when the file does not fit the schema
    assert report.ledger.figures, name
    assert all(f.code for f in report.findings)
    # Self-contained: nothing refers to the shared transcriptions at run time.
    assert not any("/work/shared" in line for line in lines if not line.startswith("#"))


def test_the_four_examples_are_there():
    assert {p.name for p in EXAMPLES.glob("*.yaml")} >= set(DOCS.values()) | {SAMPLE}


# --------------------------------------------------------------------------- (b) the sample


def test_sample_has_no_errors_and_no_warnings():
    _, report, _ = loaded(SAMPLE)
    bad = [str(f) for f in report.findings if f.level in (E, W)]
    assert bad == []


def test_sample_is_a_complete_department():
    data, report, _ = loaded(SAMPLE)
    assert data["profile"]["unit"] == "元"
    xiang = [r for r in data["expenditure"] if len(str(r["code"])) == 7]
    assert 15 <= len(xiang) <= 25
    assert all(len(str(r["code"])) == 7 for key in ("income", "expenditure", "general_budget") for r in data[key])
    classes = {str(r["code"])[:3] for r in xiang}
    assert len(classes) >= 3
    assert 3 <= len(data["performance"]["self_evaluations"]) <= 5
    ledger = report.ledger
    # the derived 总表 balance: 收入总计 = 支出总计, and the forms cover the 项目支出 exactly
    assert ledger.value(("t01", "inc", "total")) == ledger.value(("t01", "exp", "total"))
    executed = sum(f["funds"]["fiscal"][2] for f in data["performance"]["self_evaluations"])
    assert executed == ledger.printed(("t03", "合计", "project"))


# --------------------------------------------------------------------------- (c) published inconsistencies


@dataclass(frozen=True)
class Expect:
    """A finding the audit must report.

    ``at`` is the field path of the finding's first location. ``[@208]`` stands for the index
    of the row whose code is 208, ``[~text]`` for the index of the list item (paragraph, or
    form by its project name) containing ``text``; a trailing ``*`` matches any path below.
    ``value`` must appear on the source line of that location.
    """

    codes: tuple[str, ...]
    levels: tuple[Severity, ...]
    at: str
    value: str | None = None

    def describe(self) -> str:
        return f"{'/'.join(self.codes)} [{'/'.join(l.value for l in self.levels)}] at {self.at}" + (f" ({self.value})" if self.value else "")


def notice(code: str, at: str, value: str | None = None) -> Expect:
    return Expect((code,), (N,), at, value)


def error(code: str, at: str, value: str | None = None) -> Expect:
    return Expect((code,), (E,), at, value)


def warning(code: str, at: str, value: str | None = None) -> Expect:
    return Expect((code,), (W,), at, value)


@dataclass(frozen=True)
class Case:
    doc: str
    index: int  # position in the transcription's ``inconsistencies``
    starts: str  # the item's first characters (kept in step by test_every_truth_item_is_classified)
    expect: tuple[Expect, ...]

    @property
    def id(self) -> str:
        return f"{self.doc}-{self.index:02d}"


FORM_000 = "performance.self_evaluations[~{}]"

CASES = [
    # ------------------------------------------------------------------ 000 南阳高新区组织人社局
    Case("000", 0, "t01 本年支出合计 1163.97 but the class rows sum to 1163.98", (
        notice("R02", "summary.stated.expenditure.expenditure_total", "1163.97"),
        notice("R10", "income[@合计].total", "1163.97"),
        notice("R10", "expenditure[@合计].total", "1163.97"),
    )),
    Case("000", 1, "t02/t03 row 208 社会保障和就业支出: 1057.39", (
        notice("R10", "income[@208].total", "1057.39"),
        notice("R10", "expenditure[@208].total", "1057.39"),
    )),
    # With the printed 类 rows the 合计 row agrees with Σ类 (658.20); the tail shows at 208.
    Case("000", 2, "t03 row 208 项目支出 593.06", (notice("R10", "expenditure[@208].project", "593.06"),)),
    Case("000", 3, "t03 合计 基本支出 505.77", (notice("R10", "expenditure[@合计].basic", "505.77"),)),
    Case("000", 4, "t04 本年支出合计/总计 一般公共预算财政拨款 1160.97", (
        notice("R13", "fiscal_summary.stated.expenditure.expenditure_total", "1160.97"),
    )),
    Case("000", 5, "section 十三（二） item 11 社会保障工作经费2024年", (
        warning("N17", "performance.text.results[~11、社会保障工作经费2024年]", "良"),
    )),
    # The text's 100% contradicts the form's printed 执行率 98.54% (the form's own figures give 100%).
    Case("000", 6, "section 十三（二） item 19 公共就业服务能力提升示范项目资金", (
        warning("N17", "performance.text.results[~19、公共就业服务能力提升示范项目资金]", "100%"),
    )),
    Case("000", 7, "section 十三（三） 部门评价 and 五是", (
        warning("P10", "performance.department_evaluation.amount", "57.00"),
        warning("N17", "performance.text.evaluation[~累计支出57万元]", "57"),
    )),
    Case("000", 9, "self-evaluation 组织工作经费", (
        error("P06", FORM_000.format("组织工作经费") + "*"),
        error("P07", FORM_000.format("组织工作经费") + ".total_score", "95.69"),
    )),
    Case("000", 10, "self-evaluation 社保、医保和机关养老网络专线费用", (
        error("P02", FORM_000.format("网络专线") + ".funds.score", "3.15"),
        error("P07", FORM_000.format("网络专线") + ".total_score", "94.21"),
    )),
    Case("000", 11, "self-evaluation 2024年劳务派遣人员经费", (
        error("P02", FORM_000.format("劳务派遣") + ".funds.score", "8.62"),
        error("P07", FORM_000.format("劳务派遣") + ".total_score", "95.72"),
    )),
    Case("000", 12, "self-evaluation 财政代缴城乡居民基本医疗保险费支出", (
        error("P02", FORM_000.format("财政代缴") + ".funds.score", "8.62"),
        error("P07", FORM_000.format("财政代缴") + ".total_score", "95.72"),
    )),
    Case("000", 13, "self-evaluation 干部教育培训经费", (
        error("P02", FORM_000.format("干部教育") + ".funds.score", "0.18"),
        error("P07", FORM_000.format("干部教育") + ".total_score", "94.21"),
    )),
    Case("000", 14, "self-evaluation 选人用人专项检查经费", (
        error("P02", FORM_000.format("选人用人") + ".funds.score", "6.54"),
        error("P07", FORM_000.format("选人用人") + ".total_score", "94.44"),
    )),
    Case("000", 15, "self-evaluation 宛财预【2024】482号", (
        error("P01", FORM_000.format("482号") + ".funds.rate", "98.54"),
        error("P02", FORM_000.format("482号") + ".funds.score", "9.85"),
        error("P07", FORM_000.format("482号") + ".total_score", "94.47"),
    )),
    Case("000", 16, "self-evaluation 社会保障工作经费2024年", (
        error("P02", FORM_000.format("社会保障工作经费") + ".funds.score", "0.72"),
        error("P07", FORM_000.format("社会保障工作经费") + ".total_score", "95.97"),
    )),
    Case("000", 18, "self-evaluation tables: the 全年预算数 of the 20 projects sum to 658.21", (
        notice("N12", "performance.self_evaluations*"),
    )),
    # ------------------------------------------------------------------ 001 焦作高新区人社局
    Case("001", 0, "t01 line 51 国有资本经营预算支出 printed 0.90", (
        error("X03", "summary.stated.expenditure.223", "0.90"),
        error("R02", "summary.stated.expenditure.expenditure_total", "6521.36"),
    )),
    # 小计 32.42 < 基本支出 32.43 with 项目支出 0.00 is not a rounding tail: rounding is monotone,
    # so a printed total can never be below one of its non-negative printed parts (SPEC §4.4).
    Case("001", 1, "t03 row 2080505: 基本支出 32.43 but 本年支出合计 32.42", (
        error("R07", "expenditure[@2080505].total", "32.42"),
        error("R08", "general_budget[@2080505].total", "32.42"),
        notice("R10", "expenditure[@20805].basic", "40.77"),
        notice("R10", "general_budget[@20805].basic", "40.77"),
    )),
    # A 年末结转和结余 explanation for the 国有资本经营 money while 公开04表 line 60 (国有资本经营
    # column) and 公开01表 年末结转和结余 are 0.00: SPEC §4.3 N10 (八 against the tables).
    Case("001", 2, "Section 八 says the 国有企业退休人员社会化管理补助支出 project", (
        warning("N10", "budgets.state_capital.carry_over_note", "因修建档案室"),
    )),
    # Reasons that say 增加 for items whose 决算 is below the 年初预算: the wording contradicts the
    # figures (N18), one finding per item the truth lists.
    Case("001", 4, "Section 五 (三): the stated reasons say spending 增加", (
        warning("N18", "budgets.general_budget_items[@2080505].reason"),
        warning("N18", "budgets.general_budget_items[@2101101].reason"),
        warning("N18", "budgets.general_budget_items[@2101102].reason"),
        warning("N18", "budgets.general_budget_items[@2101103].reason"),
        warning("N18", "budgets.general_budget_items[@2210201].reason"),
    )),
    Case("001", 7, "Rounding tails of 0.01", (
        notice("R01", "summary.stated.income.income_total", "6521.36"),
        notice("R12", "fiscal_summary.stated.income.income_total", "6521.36"),
        notice("R11", "fiscal_summary.stated.expenditure.expenditure_total", "6521.36"),
        notice("R11", "fiscal_summary.stated.expenditure.total", "6521.36"),
        notice("R13", "fiscal_summary.stated.expenditure.expenditure_total", "6519.14"),
        notice("R10", "income[@208].total", "6461.30"),
        notice("R10", "income[@208].fiscal", "6461.30"),
        notice("R10", "income[@21011].total", "27.35"),
        notice("R10", "income[@21011].fiscal", "27.35"),
        notice("R07", "expenditure[@208].total", "6461.30"),
        notice("R10", "expenditure[@208].total", "6461.30"),
        notice("R10", "expenditure[@20801].basic", "423.72"),
        notice("R10", "expenditure[@20801].project", "546.36"),
        notice("R10", "expenditure[@21011].total", "27.35"),
        notice("R10", "expenditure[@21011].basic", "27.35"),
        notice("R10", "expenditure[@合计].project", "5999.04"),
        notice("R08", "general_budget[@208].total", "6461.30"),
        notice("R10", "general_budget[@208].total", "6461.30"),
        notice("R10", "general_budget[@20801].basic", "423.72"),
        notice("R10", "general_budget[@20801].project", "546.36"),
        notice("R10", "general_budget[@21011].total", "27.35"),
        notice("R10", "general_budget[@21011].basic", "27.35"),
        notice("R10", "general_budget[@合计].total", "6519.14"),
        # 十三: 5996.82 (t05 项目支出) + 2.23 (t08) = 5999.05 vs 5999.04 (t03 项目支出): the same tail
        # between the tables, t03 合计 6521.36 < t05 + t08 = 6521.37.
        notice("X09", "expenditure[@合计]*", "6521.36"),
    )),
    # ------------------------------------------------------------------ 003 南阳市工信局
    Case("003", 0, "t02/t03/t05 20805 行政事业单位养老支出", tuple(
        notice("R10", f"{table}[@20805].{column}", "809.42")
        for table, columns in (("income", ("total", "fiscal")), ("expenditure", ("total", "basic")), ("general_budget", ("total", "basic")))
        for column in columns
    )),
    Case("003", 1, "t02/t03/t05 21011 行政事业单位医疗", tuple(
        notice("R10", f"{table}[@21011].{column}", "142.35")
        for table, columns in (("income", ("total", "fiscal")), ("expenditure", ("total", "basic")), ("general_budget", ("total", "basic")))
        for column in columns
    )),
    Case("003", 2, "t02 21505 工业和信息产业监管", (
        notice("R10", "income[@21505].total", "1407.66"),
        notice("R10", "income[@21505].fiscal", "1407.66"),
    )),
    Case("003", 3, "t02 215 资源勘探工业信息等支出", (
        notice("R10", "income[@215].total", "1515.82"),
        notice("R10", "income[@215].fiscal", "1515.82"),
    )),
    Case("003", 4, "t02 合计: printed 4596.01", (
        notice("R10", "income[@合计].total", "4596.01"),
        notice("R10", "income[@合计].fiscal", "4596.01"),
    )),
    Case("003", 5, "t06 301 工资福利支出", (notice("R14", "basic_expenditure.items.301", "1826.43"),)),
    Case("003", 6, "t06 302 商品和服务支出", (notice("R14", "basic_expenditure.items.302", "142.21"),)),
    # Σ(t03 − t02) over the 项 = 115.32 against 年初结转 115.33: the truth names it t02's own tail,
    # i.e. 公开02表 合计 4596.01 against its rows 4596.02 (t01/t04 balance with 4596.01 + 115.33).
    Case("003", 7, "t03 vs t02: expenditure exceeds income only in 2150501", (
        notice("R10", "income[@合计].total", "4596.01"),
    )),
    Case("003", 8, "情况说明 十三(二) 本级 item 12 (2024信访工作专项费用)", (
        warning("N17", "performance.text.results[~12.2024信访工作专项费用]", "99.55"),
    )),
    # The report's 一般公共预算 收入/支出 4711.34 against 公开04表 line 1 (4415.98) and 公开05表 合计
    # (4531.31): SPEC §4.3 N05 / §7.6 (report figures come from the tables).
    Case("003", 11, "appendix 项目支出绩效评价报告 四(一)", (
        warning("N05", "performance.reports[0].paragraphs[~一般公共预算资金收入4711.34]", "4711.34"),
    )),
]

NOT_FIGURES = [
    ("000", 8, "section 十三（三） 部门评价 report on the medical-assistance funds", "报告文字抄自另一个（巡察）项目、二级指标名称与表不符：文字，不涉及数字"),
    ("000", 17, "section 五（三） item 10 (2089999", "差异原因的措辞（“项目支出减少”）与该项记为基本支出不符：自由文字的含义，不涉及数字"),
    ("001", 3, "Section 五 (三): the numbering repeats '12.'", "条目编号重复：排版由生成器编号，不是输入中的数"),
    ("001", 5, "Section 十三 (一) says 2 projects", "（三）与附件4只谈到一个项目：所填部门评价项目数 2 与所列 2 个名称一致，矛盾在文字与报告之间"),
    ("001", 6, "Labels differ between parts", "表头、科目名称与封面名称的用字：名称，不涉及数字"),
    ("003", 9, "情况说明 十三(二) 本级 item 3 says the project 组团参加2024年", "活动名称中的年份（2024/2023）：文字"),
    ("003", 10, "appendix self-evaluation #5 (2024工业发展专项经费)", "自评表预期目标与实际完成情况文字中的年份：文字"),
    ("003", 12, "情况说明 十三(二) 本级 item 6 (2024军民融合保密设备及办公工作经费)", "项目说明抄自另一个项目：文字"),
    ("003", 13, "第一部分 lists the 本级 unit as", "单位名称用旧称：名称"),
    ("003", 14, "情况说明 十二 reports 车辆5辆", "车辆 5 辆与财政拨款公务用车保有量 0 辆并不矛盾（车辆可不由财政拨款开支）：无被违反的恒等式"),
]
TRUTH_COUNTS = {"000": 19, "001": 8, "003": 15}


def _resolve(at: str, data: dict) -> tuple[str, bool]:
    """``income[@208].total`` → ``income[4].total``; the bool says whether it is a prefix."""
    prefix = at.endswith("*")
    at = at.rstrip("*")

    def lookup(path: str) -> Any:
        node: Any = data
        for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
            node = node[int(part[1:-1])] if part.startswith("[") else node[part]
        return node

    while True:
        m = re.search(r"\[([@~])([^\]]+)\]", at)
        if not m:
            return at, prefix
        items = lookup(at[: m.start()])
        kind, key = m.groups()
        hits = []
        for i, item in enumerate(items):
            if kind == "@":
                ok = isinstance(item, dict) and str(item.get("code")) == key
            elif isinstance(item, dict):
                ok = key in str(item.get("project", ""))
            else:
                ok = key in str(item)
            if ok:
                hits.append(i)
        assert len(hits) == 1, f"{at}: {len(hits)} items match {key!r}"
        at = f"{at[: m.start()]}[{hits[0]}]{at[m.end():]}"


def _found(findings: list[Finding], expect: Expect, data: dict, lines: list[str]) -> bool:
    path, prefix = _resolve(expect.at, data)
    for f in findings:
        if f.code not in expect.codes or f.level not in expect.levels or not f.locations:
            continue
        loc = f.locations[0]
        field = loc.field()
        if not (field == path or (prefix and field.startswith(path))):
            continue
        if expect.value is not None and (loc.line is None or expect.value not in lines[loc.line - 1]):
            continue
        return True
    return False


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_published_inconsistency_is_reported(case: Case):
    data, report, lines = loaded(DOCS[case.doc])
    missing = [e.describe() for e in case.expect if not _found(report.findings, e, data, lines)]
    assert not missing, f"{case.id} {case.starts}: not reported: " + "; ".join(missing)


def test_rounding_tails_are_notices_not_errors():
    """A 0.01 difference between printed figures is a 尾差 (SPEC §4.3), never an error — except
    where rounding cannot produce it: a printed total below one of its non-negative parts (001
    2080505, SPEC §4.4)."""
    data_001 = loaded(DOCS["001"])[0]
    monotone = {("001", "R07", _resolve("expenditure[@2080505].total", data_001)[0]),
                ("001", "R08", _resolve("general_budget[@2080505].total", data_001)[0])}
    for doc, name in DOCS.items():
        data, report, _ = loaded(name)
        for f in report.findings:
            if f.level is E and f.values.get("diff") == "0.01万元":
                where = f.locations[0].field() if f.locations else ""
                assert (doc, f.code, where) in monotone, str(f)


def test_every_truth_item_is_classified():
    """Each inconsistency of the transcriptions is either a figure case or a wording item, once."""
    seen: dict[str, list[int]] = {}
    for doc, index, *_ in [(c.doc, c.index) for c in CASES] + NOT_FIGURES:
        seen.setdefault(doc, []).append(index)
    for doc, count in TRUTH_COUNTS.items():
        assert sorted(seen[doc]) == list(range(count)), doc
    assert len(NOT_FIGURES) == 10
    claimed = {(c.doc, c.index): c.starts for c in CASES} | {(d, i): s for d, i, s, _ in NOT_FIGURES}
    for doc in DOCS:
        truth, _ = read_yaml(TRUTH / f"{doc}.yaml")
        items = truth["inconsistencies"]
        assert len(items) == TRUTH_COUNTS[doc], f"{doc}: the transcription lists {len(items)} inconsistencies"
        for i, text in enumerate(items):
            assert text.startswith(claimed[(doc, i)]), f"{doc}[{i}] is now: {text[:80]}"


# --------------------------------------------------------------------------- generated files are current


def test_examples_are_what_the_converter_writes(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "convert_truth.py"), "--truth", str(TRUTH), "--out", str(tmp_path)], check=True, capture_output=True)
    for name in DOCS.values():
        assert (tmp_path / name).read_text(encoding="utf-8") == (EXAMPLES / name).read_text(encoding="utf-8"), name


def test_sample_is_what_make_sample_writes(tmp_path):
    out = tmp_path / SAMPLE
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_sample.py"), "--out", str(out)], check=True, capture_output=True)
    assert out.read_text(encoding="utf-8") == (EXAMPLES / SAMPLE).read_text(encoding="utf-8")
