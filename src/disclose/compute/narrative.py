"""The figures of the 情况说明 (SPEC §5.1, §5.2): computed once, printed by the layout's templates.

Everything here is a ``Decimal`` in printed 万元 (``Ledger.printed``: each figure rounded on its
own, SPEC §1.1) or a count, a name or a free text from the data. Ratios are computed from the
printed figures (a reader who checks a percentage against the document's own numbers gets the
same result), half up to 2 decimals (SPEC §1.2). Nothing is formatted here: the templates print
amounts and percentages with the layout's ``NumberStyle`` and choose the wording with the
layout's switches; the small wording objects below (``Change``, ``Versus``) only say which
case applies (增加/减少/持平, no rate, budget 0, final = budget).

Who reads what (henan, SPEC §5.2):

========  =====================================================================
一        ``total`` (t01 总计 vs ``changes.total``)
二        ``income`` (t01 本年收入合计; t02 合计 by source)
三        ``expenditure`` (t01 本年支出合计; t03 合计 by kind)
四        ``fiscal_total`` (t04 总计 vs ``changes.fiscal_total``)
五        ``general_budget``: total, share, change, classes, year-start budget, items
六        ``basic``: t05 基本支出, t06 人员/公用经费 and their 款 names
七 / 八   ``government_fund`` / ``state_capital``: t07 / t08 合计 vs year-start budget
九        ``three_public``: t09 budget/final per item, counts, reasons, usages
十        ``operating_cost`` (fact vs ``changes.operating_cost``)
十一      ``procurement``
十二      ``assets``
十三      ``performance``: counts and amounts from the self-evaluation forms
========  =====================================================================

liaoning (SPEC §5.3) reads, besides the above:

==========  ===================================================================
一          ``summary``: 收入总计/支出总计 (t01 总计) line by line with shares, the t06
            economic classes of 基本支出, 年末结转和结余, the changes against last year
二（一）    ``fiscal_expenditure``: 财政拨款支出 (t04) against last year and the year-start
            basic/project budgets
二（二）    ``general_budget.groups``: the t05 classes with their 项 (usage, budget, reason)
三          ``three_public`` (+ ``changes`` against last year per item)
四          ``basic``
五          ``operating_cost``, ``procurement`` (+ per-category SME shares), ``assets``,
            ``performance`` (+ ``projects``: the capped project scores of §7.5.2, counts and
            amounts by fund)
==========  ===================================================================

The figures are named for what they are, not for a layout: any profile may print them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Optional

from disclose import reference
from disclose.model.dataset import DataSet
from disclose.model.derive import SubjectRows
from disclose.model.ledger import Key, Ledger
from disclose.money import HUNDRED, TEN_THOUSAND, ZERO, r2

__all__ = [
    "Change",
    "Versus",
    "Share",
    "Item",
    "FormLine",
    "NarrativeFigures",
    "narrative_figures",
    "ratio",
    "class_phrase",
    "full_subject_name",
    "clause",
]


# --------------------------------------------------------------------------- helpers


def ratio(part: Decimal, whole: Decimal | None) -> Decimal | None:
    """``r2(part / whole × 100)``; None when there is no whole (0 or unknown)."""
    if whole is None or whole == 0:
        return None
    return r2(part * HUNDRED / whole)


def to_wan(ledger: Ledger, value: Decimal | None) -> Decimal | None:
    """A figure of the data file (in its unit) as printed: 万元, 2 decimals, half up."""
    if value is None:
        return None
    return r2(value / TEN_THOUSAND) if ledger.unit == "元" else r2(value)


def clause(text: Optional[str], lead: str = "") -> str:
    """A free text ready to be set inside a sentence: trimmed, without a trailing 。；，
    and without ``lead`` when the writer already began with it (``主要用于…``)."""
    if not text:
        return ""
    out = text.strip()
    if lead and out.startswith(lead):
        out = out[len(lead):].lstrip("：:，, ")
    while out and out[-1] in "。；;，,.":
        out = out[:-1].rstrip()
    return out


def class_phrase(name: str) -> str:
    """五（二）: the class name without its trailing 支出, then ``（类）支出`` (SPEC §5.1)."""
    stem = name[:-2] if name.endswith("支出") else name
    return f"{stem}（类）支出"


def full_subject_name(rows: SubjectRows, code: str) -> str:
    """``{类名}（类）{款名}（款）{项名}（项）`` with the full table names (SPEC §5.1)."""
    parts = []
    for length, level in ((3, "类"), (5, "款"), (7, "项")):
        if len(code) >= length:
            sub = code[:length]
            name = rows.names.get(sub) or _reference_name(sub)
            parts.append(f"{name}（{level}）")
    return "".join(parts)


def _reference_name(code: str) -> str:
    ref = reference.subject(code)
    return ref.name if ref else code


# --------------------------------------------------------------------------- wording objects


@dataclass(frozen=True)
class Change:
    """This year against last year (SPEC §5.1): Δ, |Δ|, direction and rate.

    ``known`` is False when the data give no prior-year figure: the comparison is left out.
    ``rate`` is None when last year was 0 (no rate is printed: ``比2023年度增加58.75万元``).
    """

    current: Decimal
    prior: Decimal | None
    reason: str = ""

    @property
    def known(self) -> bool:
        return self.prior is not None

    @property
    def delta(self) -> Decimal:
        return self.current - (self.prior or ZERO)

    @property
    def amount(self) -> Decimal:
        return abs(self.delta)

    @property
    def up(self) -> bool:
        return self.known and self.delta > 0

    @property
    def down(self) -> bool:
        return self.known and self.delta < 0

    @property
    def flat(self) -> bool:
        return self.known and self.delta == 0

    @property
    def verb(self) -> str:
        """增加 / 减少 (empty when 持平)."""
        return "增加" if self.up else "减少" if self.down else ""

    @property
    def trend(self) -> str:
        """增长 / 下降 (empty when 持平)."""
        return "增长" if self.up else "下降" if self.down else ""

    @property
    def rate(self) -> Decimal | None:
        if not self.known or self.flat:
            return None
        return ratio(self.amount, self.prior)

    @property
    def has_rate(self) -> bool:
        return self.rate is not None


@dataclass(frozen=True)
class Versus:
    """A final figure against its budget: completion rate (None when the budget is 0) and
    whether the two are equal (the reason sentence is written only when they differ)."""

    final: Decimal
    budget: Decimal
    reason: str = ""

    @property
    def rate(self) -> Decimal | None:
        return ratio(self.final, self.budget)

    @property
    def has_rate(self) -> bool:
        return self.budget != 0

    @property
    def equal(self) -> bool:
        return self.final == self.budget

    @property
    def active(self) -> bool:
        """Something to explain: a budget or a final figure."""
        return self.final != 0 or self.budget != 0


@dataclass(frozen=True)
class Share:
    """A part of a whole (``占X%``)."""

    amount: Decimal
    whole: Decimal
    name: str = ""
    code: str = ""
    key: str = ""

    @property
    def rate(self) -> Decimal | None:
        return ratio(self.amount, self.whole)


@dataclass(frozen=True)
class Item(Versus):
    """五（三）: one 项 of 公开05表 with its year-start budget."""

    code: str = ""
    name: str = ""  # {类名}（类）{款名}（款）{项名}（项）
    number: int = 0  # 1, 2, … in printed order
    usage: str = ""  # what the money was mainly spent on (liaoning “主要是…等支出”)


@dataclass
class ClassGroup:
    """A 类 of 公开05表 with its 项 (liaoning 二（二）: ``1. {类名}X万元，具体包括：（1）…``)."""

    code: str
    name: str  # the full class name, with its trailing 支出
    amount: Decimal
    items: list[Item]


# --------------------------------------------------------------------------- sections


@dataclass
class Income:
    total: Decimal  # t01 本年收入合计
    fiscal: Share  # t02 合计 财政拨款收入
    others: list[Share]  # non-zero other sources, column order


@dataclass
class Expenditure:
    total: Decimal  # t01 本年支出合计
    basic: Share
    project: Share
    others: list[Share]  # non-zero 上缴上级/经营/对附属单位补助支出


@dataclass
class GeneralBudget:
    total: Decimal  # G = t05 合计 小计
    share: Share  # G / 本年支出合计
    change: Change
    classes: list[Share]  # non-zero 类, ascending; ``name`` is the 五（二） class phrase
    budget: Versus  # G against Σ year-start budgets (G0)
    items: list[Item]
    groups: list[ClassGroup]  # the items under their 类 (non-zero 类 only)


@dataclass
class Basic:
    total: Decimal  # t05 合计 基本支出
    personnel: Decimal  # t06 人员经费合计
    public: Decimal  # t06 公用经费合计
    personnel_items: list[str]  # non-zero 301/303 款, code order, canonical names
    public_items: list[str]  # non-zero 302/307/310/312/313/399 款
    classes: list[Share]  # t06 economic 类: 301, 302, 303 always, the others when non-zero; whole = total


@dataclass(frozen=True)
class Fund(Versus):
    """七 / 八: a fund's 财政拨款支出 against its year-start budget."""

    usage: str = ""
    carry_over_note: str = ""
    project_names: tuple[str, ...] = ()  # the 项 names of the table, for the carry-over sentence


@dataclass(frozen=True)
class ThreePublicLine(Versus):
    key: str = ""  # abroad / vehicle / reception / total
    share: Decimal | None = None  # final / 三公 total final × 100


@dataclass
class ThreePublic:
    total: ThreePublicLine
    abroad: ThreePublicLine
    vehicle: ThreePublicLine
    reception: ThreePublicLine
    vehicle_purchase: Decimal
    vehicle_operation: Decimal
    foreign_reception: Decimal
    domestic_reception: Decimal
    abroad_groups: int
    abroad_people: int
    vehicles_purchased: int
    vehicle_fleet: int
    foreign_groups: int
    foreign_people: int
    domestic_groups: int
    domestic_people: int
    vehicle_usage: str
    reception_usage: str
    changes: "ThreePublicChanges"  # each item against last year's final figure

    @property
    def lines(self) -> list[ThreePublicLine]:
        return [self.abroad, self.vehicle, self.reception]

    @property
    def reception_groups(self) -> int:
        """All receptions (domestic and foreign), 批次."""
        return self.domestic_groups + self.foreign_groups

    @property
    def reception_people(self) -> int:
        return self.domestic_people + self.foreign_people


@dataclass
class ThreePublicChanges:
    abroad: Change
    vehicle: Change
    reception: Change


@dataclass
class Procurement:
    total: Decimal
    goods: Decimal
    works: Decimal
    services: Decimal
    sme: Share  # of the total
    small_micro: Share  # of the SME amount
    goods_sme: Share | None  # SME contracts of the goods purchases (None when not given)
    works_sme: Share | None
    services_sme: Share | None


@dataclass
class Assets:
    vehicles: list[tuple[str, int]]  # (category key, count) in printed order
    total: int
    other_note: str
    equipment: int

    @property
    def nonzero(self) -> list[tuple[str, int]]:
        return [(k, n) for k, n in self.vehicles if n]


@dataclass
class FormLine:
    """One project self-evaluation form, as 十三 quotes it."""

    name: str
    unit: str
    initial: Decimal | None  # 年初预算数 (年度资金总额 line)
    budget: Decimal | None  # 全年预算数
    executed: Decimal | None  # 全年执行数
    rate: Decimal | None  # 执行率 (executed / 全年预算数)
    score: Decimal | None  # 总分 as printed on the form
    grade: str | None
    summary: str


@dataclass
class ProjectScore:
    """A project self-evaluation scored as a capped project form (SPEC §7.5.2, liaoning).

    subtotal = Σ indicator scores (stated, else by the rules; an indicator neither states nor
    derives a score counts 0); rate_score = 10 × 执行数 / 预算数; a rate below 50% caps the
    total at 59, below ``threshold`` at 69, and the 减分项 (truncated to 3 decimals) is what the
    cap takes off. None where the form has no budget or execution figure.
    """

    name: str
    fund: str  # 一般公共预算 / 政府性基金预算 / 国有资本经营预算
    budget: Decimal | None  # 全年预算数 (年度资金总额 line)
    executed: Decimal | None
    rate: Decimal | None  # execution rate, unrounded
    subtotal: Decimal
    weights: Decimal  # Σ indicator weights
    rate_score: Decimal | None  # unrounded
    cap: Decimal | None
    deduction: Decimal | None
    total: Decimal | None
    goal_expected: str
    goal_actual: str
    problems: str
    measures: str
    indicator_scores: list[Decimal | None]


@dataclass
class UnitGroup:
    unit: str
    forms: list[FormLine]


@dataclass
class Performance:
    forms: list[FormLine]
    n_self: int  # number of forms
    amt_self: Decimal  # Σ 全年执行数 of the forms
    budget_self: Decimal  # Σ 全年预算数 of the forms
    initial_self: Decimal  # Σ 年初预算数 of the forms (绩效目标 amount when not given; 003: 379.00)
    grades: dict[str, int]  # 优/良/中/差 → count
    units: list[UnitGroup]  # forms grouped by their unit (in order of first appearance)
    grouped: bool  # every form names its unit
    regulations: list[str]
    target_projects: int  # 编制绩效目标的项目: given, else the number of forms
    target_amount: Decimal  # given, else Σ 年初预算数 of the forms
    monitoring_year: int  # given, else the fiscal year
    monitoring_month: int  # given, else 8
    monitoring_projects: int  # given, else the number of forms
    monitoring_executed: Decimal | None  # 1-7月预算执行数 (input)
    monitoring_rate: Decimal | None  # given, else executed / target_amount
    evaluated_projects: int
    evaluated_names: list[str]
    evaluated_amount: Decimal | None
    evaluation_issues: int
    evaluation_advices: int
    text: dict[str, list[str]]  # management / results / evaluation paragraphs given verbatim
    report_titles: list[str]
    # JZ: the project expenditure the self-evaluation covers, by fund
    project_total: Decimal  # t03 合计 项目支出
    project_general: Decimal  # t05 合计 项目支出
    project_fund: Decimal  # t07 合计 项目支出
    project_soe: Decimal  # t08 合计 项目支出
    overall_amount: Decimal | None  # 部门整体 form: 全年执行数
    overall_score: Decimal | None
    overall_grade: str | None
    summary_rows: int  # rows of the 项目单位自评汇总表
    # capped project scores and counts by fund (liaoning 五（四）)
    projects: list[ProjectScore]
    fund_counts: dict[str, int]  # 一般公共预算 / 政府性基金预算 / 国有资本经营预算 → forms
    fund_budgets: dict[str, Decimal]  # → Σ 全年预算数 of those forms
    coverage: Decimal | None  # forms / projects with targets × 100, 2 dp
    overall_units: int  # units that evaluated their 整体 spending (0 without a 整体 form)
    overall_funds: dict[str, Decimal]  # 整体 evaluation amount by fund
    evaluated_funds: dict[str, Decimal]  # 部门评价 amount by fund (the evaluated forms' 全年预算数)


FUNDS = ("一般公共预算", "政府性基金预算", "国有资本经营预算")


@dataclass
class Summary:
    """收入总计 and 支出总计 (t01 总计) line by line (liaoning 一)."""

    income_total: Decimal  # t01 收入总计
    income: list[Share]  # fiscal, superior, business, operating, affiliated, other, non_fiscal_balance_used, opening_balance
    fiscal_split: list[Share]  # general_budget, government_fund, state_capital (t01 lines 1–3)
    income_change: Change
    expenditure_total: Decimal  # t01 支出总计
    expenditure: list[Share]  # basic, project, remit, operating, affiliated (t03 合计)
    expenditure_change: Change
    closing_balance: Decimal  # t01 年末结转和结余
    closing_change: Change


@dataclass
class FiscalExpenditure:
    """财政拨款支出 (t04 本年支出合计) against last year and the year-start budgets (liaoning 二（一））."""

    total: Decimal
    basic: Decimal  # t05 + t07 + t08 合计 基本支出
    project: Decimal
    change: Change
    budget: Versus | None  # None unless both year-start budgets are given
    basic_budget: Versus | None
    project_budget: Versus | None


@dataclass
class NarrativeFigures:
    year: int
    total: Change
    income: Income
    expenditure: Expenditure
    fiscal_total: Change
    general_budget: GeneralBudget
    basic: Basic
    government_fund: Fund
    state_capital: Fund
    three_public: ThreePublic
    operating_cost: Change
    procurement: Procurement
    assets: Assets
    performance: Performance
    summary: Summary
    fiscal_expenditure: FiscalExpenditure


# --------------------------------------------------------------------------- computation


INCOME_SOURCES = (("superior", "上级补助收入"), ("business", "事业收入"), ("operating", "经营收入"), ("affiliated", "附属单位上缴收入"), ("other", "其他收入"))
OTHER_EXPENDITURE = (("remit", "上缴上级支出"), ("operating", "经营支出"), ("affiliated", "对附属单位补助支出"))
VEHICLE_KEYS = ("leaders", "principal_leaders", "confidential", "emergency", "law_enforcement", "special_technical", "retired_cadres", "other")


def narrative_figures(
    data: DataSet, ledger: Ledger, rows: dict[str, SubjectRows], *, rule_set: str = "NY", cap_threshold: Decimal | None = None
) -> NarrativeFigures:
    """Every figure the 情况说明 states, from the audited ledger and the data set.

    ``cap_threshold``: L of the capped project scores (SPEC §7.5.2), from the profile; None: the
    default of ``disclose.model.scoring``.
    """
    p = _Printer(ledger)
    year = data.profile.year
    ch = data.changes

    total = Change(p(("t01", "inc", "total")), to_wan(ledger, ch.total.prior_year), ch.total.reason or "")
    fiscal_total = Change(p(("t04", "inc", "total")), to_wan(ledger, ch.fiscal_total.prior_year), ch.fiscal_total.reason or "")

    income_total = p(("t01", "inc", "income_total"))
    income = Income(
        income_total,
        Share(p(("t02", "合计", "fiscal")), income_total, "财政拨款收入", key="fiscal"),
        [Share(v, income_total, title, key=k) for k, title in INCOME_SOURCES if (v := p(("t02", "合计", k)))],
    )

    exp_total = p(("t01", "exp", "expenditure_total"))
    expenditure = Expenditure(
        exp_total,
        Share(p(("t03", "合计", "basic")), exp_total, "基本支出", key="basic"),
        Share(p(("t03", "合计", "project")), exp_total, "项目支出", key="project"),
        [Share(v, exp_total, title, key=k) for k, title in OTHER_EXPENDITURE if (v := p(("t03", "合计", k)))],
    )

    general_budget = _general_budget(data, ledger, rows, p, exp_total)
    basic = _basic(ledger, p)
    government_fund = _fund(data.budgets.government_fund, ledger, rows["t07"], p(("t07", "合计", "total")))
    state_capital = _fund(data.budgets.state_capital, ledger, rows["t08"], p(("t08", "合计", "total")))
    three_public = _three_public(data, ledger, p)
    operating_cost = Change(
        p(("fact", "operating_cost")), to_wan(ledger, ch.operating_cost.prior_year), ch.operating_cost.reason or ""
    )
    procurement = _procurement(p)
    assets = _assets(data)
    performance = _performance(data, ledger, p, rule_set, cap_threshold)
    summary = _summary(data, ledger, p)
    fiscal_expenditure = _fiscal_expenditure(data, ledger, p)
    return NarrativeFigures(
        year,
        total,
        income,
        expenditure,
        fiscal_total,
        general_budget,
        basic,
        government_fund,
        state_capital,
        three_public,
        operating_cost,
        procurement,
        assets,
        performance,
        summary,
        fiscal_expenditure,
    )


class _Printer:
    """``ledger.printed`` that reads an absent figure as 0 (a table the data do not have)."""

    def __init__(self, ledger: Ledger):
        self.ledger = ledger

    def __call__(self, key: Key) -> Decimal:
        if key not in self.ledger:
            return r2(ZERO)
        return self.ledger.printed(key)


def _general_budget(data: DataSet, ledger: Ledger, rows: dict[str, SubjectRows], p: _Printer, exp_total: Decimal) -> GeneralBudget:
    t05 = rows["t05"]
    g = p(("t05", "合计", "total"))
    ch = data.changes.general_budget
    classes = []
    for code in t05.children.get("合计", []):
        value = p(("t05", code, "total"))
        if value:
            name = t05.names.get(code) or _reference_name(code)
            classes.append(Share(value, g, class_phrase(name), code))
    budgets = {item.code: item for item in data.budgets.general_budget_items}
    items: list[Item] = []
    for code in t05.codes:
        if len(code) != 7:
            continue
        final = p(("t05", code, "total"))
        budget = p(("fact", "budget", code)) if code in budgets else r2(ZERO)
        if final == 0 and budget == 0:
            continue  # 003 skips its zero rows
        entry = budgets.get(code)
        items.append(
            Item(
                final,
                budget,
                (entry.reason or "") if entry else "",
                code=code,
                name=full_subject_name(t05, code),
                number=len(items) + 1,
                usage=(entry.usage or "") if entry else "",
            )
        )
    groups = []
    for share in classes:
        members = [it for it in items if it.code.startswith(share.code)]
        groups.append(ClassGroup(share.code, t05.names.get(share.code) or _reference_name(share.code), share.amount, members))
    g0 = p(("fact", "budget", "total"))
    return GeneralBudget(
        g, Share(g, exp_total, key="general_budget"), Change(g, to_wan(ledger, ch.prior_year), ch.reason or ""), classes, Versus(g, g0), items, groups
    )


def _basic(ledger: Ledger, p: _Printer) -> Basic:
    personnel: list[str] = []
    public: list[str] = []
    for key in sorted(ledger.keys("t06"), key=lambda k: k[1]):
        code = key[1]
        if len(code) != 5 or not code.isdigit() or not p(key):
            continue
        name = reference.economic_canonical_name(code) or ledger.label(key)
        group = reference.economic_group(code)
        (personnel if group == "personnel" else public).append(name)
    classes = []
    total = p(("t05", "合计", "basic"))
    for code in sorted({k[1] for k in ledger.keys("t06") if len(k[1]) == 3 and k[1].isdigit()} | {"301", "302", "303"}):
        value = p(("t06", code))
        if value or code in ("301", "302", "303"):
            classes.append(Share(value, total, reference.economic_canonical_name(code) or code, code, code))
    return Basic(total, p(("t06", "personnel_total")), p(("t06", "public_total")), personnel, public, classes)


def _fund(budget: Any, ledger: Ledger, table: SubjectRows, final: Decimal) -> Fund:
    names = tuple(table.names.get(c) or _reference_name(c) for c in table.codes if len(c) == 7)
    return Fund(
        final,
        to_wan(ledger, budget.initial_budget) or r2(ZERO),
        usage=budget.usage or "",
        carry_over_note=budget.carry_over_note or "",
        project_names=names,
    )


def _three_public(data: DataSet, ledger: Ledger, p: _Printer) -> ThreePublic:
    tp = data.three_public
    reasons = tp.reasons
    total_final = p(("t09", "final", "total"))

    def line(item: str, reason: str | None) -> ThreePublicLine:
        final = p(("t09", "final", item))
        return ThreePublicLine(final, p(("t09", "budget", item)), reason or "", key=item, share=ratio(final, total_final))

    return ThreePublic(
        total=line("total", reasons.overall),
        abroad=line("abroad", reasons.abroad),
        vehicle=line("vehicle", reasons.vehicle),
        reception=line("reception", reasons.reception),
        vehicle_purchase=p(("t09", "final", "vehicle_purchase")),
        vehicle_operation=p(("t09", "final", "vehicle_operation")),
        foreign_reception=p(("fact", "foreign_reception")),
        domestic_reception=p(("fact", "domestic_reception")),
        abroad_groups=tp.abroad_groups,
        abroad_people=tp.abroad_people,
        vehicles_purchased=tp.vehicles_purchased,
        vehicle_fleet=tp.vehicle_fleet,
        foreign_groups=tp.foreign_reception.groups,
        foreign_people=tp.foreign_reception.people,
        domestic_groups=tp.domestic_reception.groups,
        domestic_people=tp.domestic_reception.people,
        vehicle_usage=tp.usage.get("vehicle_operation") or "",
        reception_usage=tp.usage.get("domestic_reception") or "",
        changes=ThreePublicChanges(
            abroad=Change(p(("t09", "final", "abroad")), to_wan(ledger, tp.prior_year.abroad), tp.prior_reasons.abroad or ""),
            vehicle=Change(p(("t09", "final", "vehicle")), to_wan(ledger, tp.prior_year.vehicle), tp.prior_reasons.vehicle or ""),
            reception=Change(p(("t09", "final", "reception")), to_wan(ledger, tp.prior_year.reception), tp.prior_reasons.reception or ""),
        ),
    )


def _procurement(p: _Printer) -> Procurement:
    total = p(("fact", "procurement", "total"))
    sme = p(("fact", "procurement", "sme"))

    def category(name: str) -> Share | None:
        key = ("fact", "procurement", f"{name}_sme")
        if key not in p.ledger:
            return None
        return Share(p(key), p(("fact", "procurement", name)), key=f"{name}_sme")

    return Procurement(
        total,
        p(("fact", "procurement", "goods")),
        p(("fact", "procurement", "works")),
        p(("fact", "procurement", "services")),
        Share(sme, total, "授予中小企业合同金额", key="sme"),
        Share(p(("fact", "procurement", "small_micro")), sme, "授予小微企业合同金额", key="small_micro"),
        category("goods"),
        category("works"),
        category("services"),
    )


# --------------------------------------------------------------------------- 收支总计 line by line, 财政拨款支出


SUMMARY_INCOME = ("superior", "business", "operating", "affiliated", "other", "non_fiscal_balance_used", "opening_balance")
SUMMARY_EXPENDITURE = (("basic", "basic"), ("project", "project"), ("remit", "remit"), ("operating", "operating"), ("affiliated", "affiliated"))


def _prior(ledger: Ledger, own: Any, fallback: Any = None) -> tuple[Decimal | None, str]:
    """Last year's figure and reason of a change: its own entry, else ``fallback`` (the same quantity
    under the henan name: 收入总计 = 支出总计 = 收、支总计)."""
    prior = own.prior_year if own.prior_year is not None else (fallback.prior_year if fallback is not None else None)
    reason = own.reason or (fallback.reason if fallback is not None else None) or ""
    return to_wan(ledger, prior), reason


def _summary(data: DataSet, ledger: Ledger, p: _Printer) -> Summary:
    ch = data.changes
    inc_total = p(("t01", "inc", "total"))
    split = [Share(p(("t01", "inc", k)), inc_total, key=k) for k in ("general_budget", "government_fund", "state_capital")]
    fiscal = sum((s.amount for s in split), ZERO)
    income = [Share(fiscal, inc_total, key="fiscal")] + [Share(p(("t01", "inc", k)), inc_total, key=k) for k in SUMMARY_INCOME]
    exp_total = p(("t01", "exp", "total"))
    expenditure = [Share(p(("t03", "合计", col)), exp_total, key=k) for k, col in SUMMARY_EXPENDITURE]
    closing = p(("t01", "exp", "closing_balance"))
    return Summary(
        income_total=inc_total,
        income=income,
        fiscal_split=split,
        income_change=Change(inc_total, *_prior(ledger, ch.income_total, ch.total)),
        expenditure_total=exp_total,
        expenditure=expenditure,
        expenditure_change=Change(exp_total, *_prior(ledger, ch.expenditure_total, ch.total)),
        closing_balance=closing,
        closing_change=Change(closing, *_prior(ledger, ch.closing_balance)),
    )


def _fiscal_expenditure(data: DataSet, ledger: Ledger, p: _Printer) -> FiscalExpenditure:
    total = p(("t04", "exp", "expenditure_total", "total"))
    basic = sum((p((t, "合计", "basic")) for t in ("t05", "t07", "t08")), ZERO)
    project = sum((p((t, "合计", "project")) for t in ("t05", "t07", "t08")), ZERO)
    b = data.budgets
    basic_budget = to_wan(ledger, b.fiscal_basic)
    project_budget = to_wan(ledger, b.fiscal_project)
    both = basic_budget is not None and project_budget is not None
    return FiscalExpenditure(
        total=total,
        basic=basic,
        project=project,
        change=Change(total, *_prior(ledger, data.changes.fiscal_expenditure)),
        budget=Versus(total, basic_budget + project_budget) if both else None,  # type: ignore[operator]
        basic_budget=Versus(basic, basic_budget) if basic_budget is not None else None,
        project_budget=Versus(project, project_budget) if project_budget is not None else None,
    )


def _assets(data: DataSet) -> Assets:
    v = data.assets.vehicles
    counts = [(k, int(getattr(v, k))) for k in VEHICLE_KEYS]
    total = v.total if v.total is not None else sum(n for _, n in counts)
    return Assets(counts, int(total), data.assets.other_vehicles_note or "", int(data.assets.equipment_over_1m))


# --------------------------------------------------------------------------- 十三


def _performance(data: DataSet, ledger: Ledger, p: _Printer, rule_set: str, cap_threshold: Decimal | None = None) -> Performance:
    perf = data.performance
    forms = [_form_line(form, rule_set) for form in perf.self_evaluations]
    executed = sum((f.executed for f in forms if f.executed is not None), ZERO)
    budgeted = sum((f.budget for f in forms if f.budget is not None), ZERO)
    initial = sum((f.initial for f in forms if f.initial is not None), ZERO)
    grades = _grade_counts([f.score for f in forms])
    units: list[UnitGroup] = []
    by_unit: dict[str, UnitGroup] = {}
    for f in forms:
        if f.unit not in by_unit:
            by_unit[f.unit] = UnitGroup(f.unit, [])
            units.append(by_unit[f.unit])
        by_unit[f.unit].forms.append(f)
    mon = perf.monitoring
    # 绩效目标: given, else every form's project (003: 379.00 = Σ 年初预算数 of its 21 forms)
    target_projects = perf.target_projects if perf.target_projects is not None else len(forms)
    target_amount = perf.target_amount if perf.target_amount is not None else r2(initial)
    mon_rate = mon.rate
    if mon_rate is None and mon.executed is not None:
        mon_rate = ratio(mon.executed, target_amount)
    ev = perf.department_evaluation
    text = {k: list(v or []) for k, v in perf.text.model_dump().items()}  # every key, [] when not given
    overall = perf.overall
    overall_amount = overall_score = None
    overall_grade = None
    if overall is not None:
        line, overall_score, computed_grade = _scored(overall, rule_set)
        overall_amount = line.executed
        overall_grade = overall.grade or computed_grade
    return Performance(
        forms=forms,
        n_self=len(forms),
        amt_self=r2(executed),
        budget_self=r2(budgeted),
        initial_self=r2(initial),
        grades=grades,
        units=units,
        grouped=bool(forms) and all(f.unit for f in forms),
        regulations=list(perf.regulations),
        target_projects=target_projects,
        target_amount=target_amount,
        monitoring_year=mon.year or data.profile.year,
        monitoring_month=mon.month or 8,
        monitoring_projects=mon.projects if mon.projects is not None else len(forms),
        monitoring_executed=mon.executed,
        monitoring_rate=mon_rate,
        evaluated_projects=ev.projects,
        evaluated_names=list(ev.names),
        evaluated_amount=ev.amount,
        evaluation_issues=ev.issues,
        evaluation_advices=ev.advices,
        text=text,
        report_titles=[r.title or "" for r in perf.reports],
        project_total=p(("t03", "合计", "project")),
        project_general=p(("t05", "合计", "project")),
        project_fund=p(("t07", "合计", "project")),
        project_soe=p(("t08", "合计", "project")),
        overall_amount=overall_amount,
        overall_score=overall_score,
        overall_grade=overall_grade,
        summary_rows=len(perf.summary_table.rows) if perf.summary_table else 0,
        **_by_fund(data, p, rule_set, cap_threshold),
    )


def _by_fund(data: DataSet, p: _Printer, rule_set: str, cap_threshold: Decimal | None) -> dict[str, Any]:
    perf = data.performance
    projects = [project_score(form, rule_set, cap_threshold) for form in perf.self_evaluations]
    counts = dict.fromkeys(FUNDS, 0)
    budgets = dict.fromkeys(FUNDS, r2(ZERO))
    for x in projects:
        counts[x.fund] += 1
        budgets[x.fund] += x.budget or ZERO
    targets = perf.target_projects if perf.target_projects is not None else len(projects)
    overall = perf.overall
    general = p(("t05", "合计", "total"))
    if overall is not None and overall.expenditure_budget is not None:
        general = r2(Decimal(overall.expenditure_budget))  # SPEC §5.3: the 整体 form's 部门年初预算支出金额
    overall_funds = {FUNDS[0]: general, FUNDS[1]: p(("t07", "合计", "total")), FUNDS[2]: p(("t08", "合计", "total"))}
    evaluated = dict.fromkeys(FUNDS, r2(ZERO))
    names = set(perf.department_evaluation.names)
    for x in projects:
        if x.name in names:
            evaluated[x.fund] += x.budget or ZERO
    if not any(evaluated.values()) and perf.department_evaluation.amount is not None:
        # no evaluated project among the forms: the stated amount, counted as 一般公共预算
        evaluated[FUNDS[0]] = r2(Decimal(perf.department_evaluation.amount))
    return dict(
        projects=projects,
        fund_counts=counts,
        fund_budgets={k: r2(v) for k, v in budgets.items()},
        coverage=ratio(Decimal(len(projects)), Decimal(targets)) if targets else None,
        overall_units=(overall.units if overall.units is not None else 1) if overall is not None else 0,
        overall_funds=overall_funds,
        evaluated_funds={k: r2(v) for k, v in evaluated.items()},
    )


def indicator_scores(form: Any, rule_set: str) -> list[Decimal | None]:
    """Each indicator's score as printed: the stated one, else the first the rules derive."""
    from disclose.model import scoring

    out: list[Decimal | None] = []
    rules = rule_set if rule_set in ("NY", "JY") else "NY"
    for ind in getattr(form, "indicators", None) or []:
        if ind.score is not None:
            out.append(Decimal(ind.score))
            continue
        derived = [c for c in scoring.indicator_candidates(ind.target, ind.actual, ind.weight, rules) if c.derived]  # type: ignore[arg-type]
        out.append(derived[0].score if derived else None)
    return out


def project_score(form: Any, rule_set: str, cap_threshold: Decimal | None = None) -> ProjectScore:
    """A self-evaluation form scored as a capped project form (SPEC §7.5.2)."""
    from disclose.model import scoring

    scores = indicator_scores(form, rule_set)
    subtotal = sum((s for s in scores if s is not None), ZERO)
    weights = sum((Decimal(i.weight) for i in form.indicators), ZERO)
    line = scoring.total_line(form.funds)
    budget, executed = line.full_year, line.executed
    rate = rate_score = cap = deduction = total = None
    if budget is not None and executed is not None:
        kwargs = {"threshold": Decimal(cap_threshold)} if cap_threshold is not None else {}
        s = scoring.ln_project(subtotal, Decimal(budget), Decimal(executed), **kwargs)
        rate, rate_score, cap, deduction, total = s.rate, s.rate_score, s.cap, s.deduction, s.total
    return ProjectScore(
        name=form.project,
        fund=form.fund or FUNDS[0],
        budget=budget,
        executed=executed,
        rate=rate,
        subtotal=subtotal,
        weights=weights,
        rate_score=rate_score,
        cap=cap,
        deduction=deduction,
        total=total,
        goal_expected=form.goal_expected or "",
        goal_actual=form.goal_actual or "",
        problems=form.problems or "",
        measures=form.measures or "",
        indicator_scores=scores,
    )


# The form scores come from ``disclose.model.scoring``; ``_scored`` is the only place that
# touches its API.


def _scored(form: Any, rule_set: str) -> tuple[Any, Decimal | None, str | None]:
    """(年度资金总额 line, 总分 as printed, grade) of a self-evaluation or 整体 form."""
    from disclose.model import scoring

    s = scoring.form_scores(form, rule_set if rule_set in ("NY", "JY") else "NY")  # type: ignore[arg-type]
    score = s.printed_total
    return s.total_line, score, scoring.grade(score)


def _grade_counts(scores: list[Decimal | None]) -> dict[str, int]:
    from disclose.model import scoring

    return scoring.grade_counts(scores)


def _form_line(form: Any, rule_set: str) -> FormLine:
    line, score, grade = _scored(form, rule_set)
    return FormLine(
        name=form.project,
        unit=form.unit or "",
        initial=line.initial,
        budget=line.full_year,
        executed=line.executed,
        rate=line.rate,
        score=score,
        grade=grade,
        summary=form.summary or "",
    )
