"""Scores of the performance self-evaluation forms (SPEC §7.2–§7.5), Decimal end to end.

Pure functions: nothing here reads files, prints or rounds with floats. Every derivable
number of a form is computed from the figures the department supplies; a number the
form states is never needed, but where it is given the rules in
``disclose.rules.performance`` compare it with what is computed here.

Rules implemented (SPEC):

* 执行率 = 全年执行数 / 全年预算数 × 100 (§7.2.2), half-up to 2 dp; a zero 全年预算数 gives 0.
  The 年度资金总额 line is the stated one where the form states it, else the sum of the
  财政拨款 / 财政专户管理资金 / 单位资金 lines (see ``line_sum`` for blanks).
* 资金得分 = 分值 × 全年执行数 / 全年预算数, half-up to 2 dp, from the unrounded ratio
  (69.13% → 6.91, 88.125% → 8.81). Capped at 分值 when more than the budget was spent
  (SPEC does not say; a score above its weight would break the form).
* Indicator scores (``indicator_score``): the NY rules of §7.2.2 and the JY tolerance bands
  of §7.3.2, selected by ``rule_set``.
* 总分 = 资金得分 + Σ 资金管理得分 + Σ 指标得分; grade 优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60.
* LN project and 整体 forms (§7.5): ``ln_project``, ``ln_overall`` over plain Decimals.

Anything that cannot be derived (a target that does not parse, a blank figure) comes out
as ``None``: a stated value is then taken as it is, and nothing is checked.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable, Literal, Optional, Sequence

from disclose.money import HUNDRED, ZERO, r2, truncate

RuleSet = Literal["NY", "JY"]

COLUMNS = ("initial", "full_year", "executed")
COLUMN_TITLES = {"initial": "年初预算数", "full_year": "全年预算数", "executed": "全年执行数"}
LINES = ("fiscal", "special_account", "unit_funds")
LINE_TITLES = {"fiscal": "财政拨款", "special_account": "财政专户管理资金", "unit_funds": "单位资金", "total": "年度资金总额"}

GRADES = ("优", "良", "中", "差")
JY_TOLERANCE = Decimal(30)  # over-achievement up to 30% is not penalised (§7.3.2)
JY_FLOOR = Decimal("0.6")  # d ≥ 100%: 0.6 × 分值
JY_SLOPE = Decimal("0.4")
JY_SPAN = Decimal(70)

LN_CAP_LOW = Decimal(59)  # rate < 50%
LN_CAP_HIGH = Decimal(69)  # 50% ≤ rate < L
LN_LOW_RATE = Decimal(50)
LN_DEFAULT_THRESHOLD = Decimal(60)
"""L of SPEC §7.5.2. The source does not determine it (60 or 80); 60 is the default here."""


# --------------------------------------------------------------------------- grade


def grade(total: Decimal | None) -> str | None:
    """优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60 (SPEC §7.2.2)."""
    if total is None:
        return None
    if total >= 90:
        return "优"
    if total >= 80:
        return "良"
    if total >= 60:
        return "中"
    return "差"


def grade_counts(totals: Iterable[Decimal | None]) -> dict[str, int]:
    """How many forms per grade (十三（二） n1…n4); forms without a total are not counted."""
    counts = dict.fromkeys(GRADES, 0)
    for total in totals:
        g = grade(total)
        if g is not None:
            counts[g] += 1
    return counts


# --------------------------------------------------------------------------- rates


def rate(executed: Decimal | None, budget: Decimal | None) -> Decimal | None:
    """执行率 in percent, half-up 2 dp; a zero budget gives 0; None when a figure is blank."""
    if executed is None or budget is None:
        return None
    if budget == 0:
        return r2(ZERO)
    return r2(executed * HUNDRED / budget)


def funds_score(weight: Decimal, executed: Decimal | None, budget: Decimal | None) -> Decimal | None:
    """资金得分 = 分值 × 执行数 / 预算数 (unrounded ratio), 2 dp, at most 分值; zero budget → 0."""
    if executed is None or budget is None:
        return None
    if budget == 0:
        return r2(ZERO)
    return min(r2(weight * executed / budget), weight)


# --------------------------------------------------------------------------- target parsing

_OPERATORS = [
    # (spelling, canonical). Strict signs read as ≥/≤: the forms use them that way
    # (003 `>90%` with actual 90% scores full marks).
    (">=", ">="), ("≥", ">="), ("≧", ">="), ("⩾", ">="), (">", ">="),
    ("<=", "<="), ("≤", "<="), ("≦", "<="), ("⩽", "<="), ("<", "<="),
    ("==", "="), ("=", "="),
    ("大于等于", ">="), ("不低于", ">="), ("不少于", ">="), ("至少", ">="), ("大于", ">="), ("高于", ">="),
    ("小于等于", "<="), ("不高于", "<="), ("不超过", "<="), ("不多于", "<="), ("至多", "<="), ("小于", "<="), ("低于", "<="),
    ("等于", "="),
]
_SUFFIXES = [("及以上", ">="), ("以上", ">="), ("及以下", "<="), ("以下", "<="), ("以内", "<=")]
_NUMBER = re.compile(r"^(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*(.*)$")
_UNIT = re.compile(r"^[^\d\s]{0,8}$")
_DIGIT = re.compile(r"\d")


def normalize_text(text: str) -> str:
    """Full-width to half-width (NFKC: `＝` → `=`, `％` → `%`, full-width digits), no blanks."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text)


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    unit: str  # "" when none is printed


@dataclass(frozen=True)
class Target:
    """A parsed 年度指标值: ``op`` is ">=", "<=", "=", "" (a bare number) or "qualitative"."""

    op: str
    value: Decimal | None = None
    unit: str = ""
    text: str = ""


def parse_quantity(text: Any) -> Quantity | None:
    """``85%``, ``2.09万元``, ``12``, ``4,500平方米`` → number and unit; None if not a number."""
    if text is None:
        return None
    s = normalize_text(str(text))
    m = _NUMBER.match(s)
    if not m:
        return None
    unit = m.group(2)
    if not _UNIT.match(unit):
        return None
    return Quantity(Decimal(m.group(1).replace(",", "")), unit)


def parse_target(text: Any) -> Target | None:
    """A 年度指标值: ``≥95%``, ``≤2.09万元``, ``=1次``, ``>=4次``, ``稳定提升`` (qualitative).

    None when it cannot be read (empty, a range, digits in words): no score is derived.
    """
    if text is None:
        return None
    s = normalize_text(str(text))
    if not s:
        return None
    if not _DIGIT.search(s):
        return Target("qualitative", text=s)
    op = ""
    for spelling, canonical in _OPERATORS:
        if s.startswith(spelling):
            op, s = canonical, s[len(spelling):]
            break
    for suffix, canonical in _SUFFIXES:
        if s.endswith(suffix) and not op:
            op, s = canonical, s[: -len(suffix)]
            break
    quantity = parse_quantity(s)
    if quantity is None:
        return None
    return Target(op, quantity.value, quantity.unit, normalize_text(str(text)))


def _same_unit(a: str, b: str) -> bool:
    return a == b or not a or not b


# --------------------------------------------------------------------------- indicator scores


@dataclass(frozen=True)
class IndicatorScore:
    """The rule's score and 偏差度 of one indicator (None when the rule does not apply)."""

    score: Decimal | None
    deviation: Decimal | None
    rule: str  # which case of the rules applied, in words (for messages)

    @property
    def derived(self) -> bool:
        return self.score is not None


NOT_DERIVED = IndicatorScore(None, None, "无法按规则计算")


def indicator_score(target: Any, actual: Any, weight: Decimal, rule_set: RuleSet = "NY") -> IndicatorScore:
    """Score and 偏差度 of an indicator (SPEC §7.2.2 NY, §7.3.2 JY).

    * met (``≤t`` with a ≤ t; ``≥t``/``=t``/bare t with a = t, or a > t in NY) → 分值, 偏差度 0;
    * lower bound missed (a < t) → 分值 × a/t, 偏差度 (a − t)/t × 100;
    * JY over-achievement (a > t), d = (a − t)/t × 100: d ≤ 30 → 分值, 0; 30 < d < 100 →
      分值 × (1 − 0.4 × (d − 30)/70), 偏差度 d − 30; d ≥ 100 → 0.6 × 分值, 偏差度 d − 30;
    * qualitative target with a percentage actual p% (p ≤ 100) → 分值 × p/100, 偏差度 p − 100.

    Scores and deviations are half-up to 2 dp. Anything else (no rule: an exceeded upper bound,
    different units, a qualitative actual) → ``NOT_DERIVED``.
    """
    t = parse_target(target)
    a = parse_quantity(actual)
    if t is None or a is None:
        return NOT_DERIVED
    w = Decimal(weight)
    if t.op == "qualitative":
        if a.unit != "%" or a.value > HUNDRED:
            return NOT_DERIVED
        return IndicatorScore(r2(w * a.value / HUNDRED), r2(a.value - HUNDRED), "定性指标，按实际完成百分比")
    assert t.value is not None
    if not _same_unit(t.unit, a.unit):
        return NOT_DERIVED
    tv, av = t.value, a.value
    if t.op == "<=":
        if av <= tv:
            return IndicatorScore(r2(w), r2(ZERO), "达到目标")
        return NOT_DERIVED
    # ">=", "=", bare number: a lower bound (SPEC: `≥t`, `=t` are lower-bound targets).
    if av == tv:
        return IndicatorScore(r2(w), r2(ZERO), "达到目标")
    if av < tv:
        return IndicatorScore(r2(w * av / tv), r2((av - tv) * HUNDRED / tv), "未达目标值")
    if rule_set == "NY":
        return IndicatorScore(r2(w), r2(ZERO), "超额完成，NY 不扣分")
    if tv == 0:
        return NOT_DERIVED
    d = (av - tv) * HUNDRED / tv
    if d <= JY_TOLERANCE:
        return IndicatorScore(r2(w), r2(ZERO), "超额完成 30% 以内，不扣分")
    if d < HUNDRED:
        score = w * (1 - JY_SLOPE * (d - JY_TOLERANCE) / JY_SPAN)
        return IndicatorScore(r2(score), r2(d - JY_TOLERANCE), "超额完成 30%–100%")
    return IndicatorScore(r2(w * JY_FLOOR), r2(d - JY_TOLERANCE), "超额完成 100% 及以上")


def indicator_candidates(target: Any, actual: Any, weight: Decimal, rule_set: RuleSet = "NY") -> list[IndicatorScore]:
    """The results a stated score may match.

    JY has one rule. NY does not penalise over-achievement, yet 003's NY forms also use the
    JY tolerance bands (校企合作联盟 `≥1次` → `2次`: 6/10, 70.00; SPEC §7.2.2): for an NY
    over-achievement beyond 30% both results are admissible.
    """
    first = indicator_score(target, actual, weight, rule_set)
    if rule_set != "NY" or not first.derived:
        return [first]
    other = indicator_score(target, actual, weight, "JY")
    if other.derived and (other.score, other.deviation) != (first.score, first.deviation):
        return [first, other]
    return [first]


# --------------------------------------------------------------------------- funds lines


@dataclass(frozen=True)
class LineFigures:
    initial: Decimal | None
    full_year: Decimal | None
    executed: Decimal | None

    @property
    def rate(self) -> Decimal | None:
        return rate(self.executed, self.full_year)

    def get(self, column: str) -> Decimal | None:
        return getattr(self, column)


def _line(line: Any) -> LineFigures:
    if line is None:
        return LineFigures(None, None, None)
    return LineFigures(*(getattr(line, c, None) for c in COLUMNS))


def _line_absent(line: LineFigures) -> bool:
    return all(line.get(c) is None for c in COLUMNS)


def line_sum(funds: Any, column: str) -> Decimal | None:
    """Σ of the three funds lines in ``column``.

    A line left out entirely (all three cells blank: the usual input when only 财政拨款 is
    filled in) counts as zero; a blank cell in a line that has other figures is unknown, and
    makes the sum unknown. None when no line has any figure.
    """
    lines = [_line(getattr(funds, name, None)) for name in LINES]
    present = [ln for ln in lines if not _line_absent(ln)]
    if not present:
        return None
    values = [ln.get(column) for ln in present]
    if any(v is None for v in values):
        return None
    return sum(values, ZERO)


def total_line(funds: Any) -> LineFigures:
    """The 年度资金总额 line: per column the stated figure, else the sum of the lines."""
    stated = _line(getattr(funds, "total", None))
    return LineFigures(*(stated.get(c) if stated.get(c) is not None else line_sum(funds, c) for c in COLUMNS))


# --------------------------------------------------------------------------- a whole form


@dataclass
class FormScores:
    """Every derivable number of one NY/JY form (and of a JZ 整体 form, which has the same blocks)."""

    rule_set: RuleSet
    lines: dict[str, LineFigures]  # fiscal / special_account / unit_funds as given
    line_sums: LineFigures  # Σ of the three lines per column (None where unknown)
    total_line: LineFigures  # stated 年度资金总额 where given, else the sums
    funds_weight: Decimal
    rate: Decimal | None  # 执行率 of the total line, 2 dp
    funds_score: Decimal | None  # computed 资金得分
    funds_score_used: Decimal | None  # stated if given, else computed
    management_scores: list[Decimal]
    management_weights: list[Decimal]
    indicators: list[IndicatorScore]  # the rule's result per indicator
    indicator_scores_used: list[Decimal | None]  # stated if given, else computed
    weight_total: Decimal
    total: Decimal | None  # funds + Σ management + Σ indicators, stated components where given
    total_computed: Decimal | None  # every component computed where it can be
    stated_total: Decimal | None
    notes: list[str] = field(default_factory=list)

    @property
    def management_total(self) -> Decimal:
        return sum(self.management_scores, ZERO)

    @property
    def indicator_total(self) -> Decimal | None:
        if any(s is None for s in self.indicator_scores_used):
            return None
        return sum(self.indicator_scores_used, ZERO)  # type: ignore[arg-type]

    @property
    def printed_total(self) -> Decimal | None:
        """The 总分 the form prints: the stated one if given, else the computed total."""
        return self.stated_total if self.stated_total is not None else self.total

    @property
    def grade(self) -> str | None:
        return grade(self.printed_total)

    def line_rate(self, name: str) -> Decimal | None:
        """执行率 of a funds line (rows 7–9 of the NY form): zero rows give 0."""
        if name == "total":
            return self.total_line.rate
        return self.lines[name].rate


def form_scores(form: Any, rule_set: RuleSet = "NY") -> FormScores:
    """Compute a ``SelfEvaluation`` (or ``OverallEvaluation``): duck-typed on funds/management/indicators."""
    funds = form.funds
    lines = {name: _line(getattr(funds, name, None)) for name in LINES}
    sums = LineFigures(*(line_sum(funds, c) for c in COLUMNS))
    total = total_line(funds)
    weight = Decimal(getattr(funds, "weight", None) if getattr(funds, "weight", None) is not None else 10)
    computed_funds = funds_score(weight, total.executed, total.full_year)
    stated_funds = getattr(funds, "score", None)
    funds_used = stated_funds if stated_funds is not None else computed_funds

    management = list(getattr(form, "management", None) or [])
    m_scores = [Decimal(m.score) for m in management]
    m_weights = [Decimal(m.weight) for m in management]

    indicators = list(getattr(form, "indicators", None) or [])
    results = [indicator_score(i.target, i.actual, i.weight, rule_set) for i in indicators]
    used = [i.score if i.score is not None else r.score for i, r in zip(indicators, results)]
    computed = [r.score if r.score is not None else i.score for i, r in zip(indicators, results)]

    weight_total = weight + sum(m_weights, ZERO) + sum((Decimal(i.weight) for i in indicators), ZERO)

    def add(parts: Sequence[Optional[Decimal]]) -> Decimal | None:
        if any(p is None for p in parts):
            return None
        return sum(parts, ZERO)  # type: ignore[arg-type]

    total_used = add([funds_used, *m_scores, *used])
    total_all = add([computed_funds if computed_funds is not None else stated_funds, *m_scores, *computed])
    notes = []
    if total.full_year is None or total.executed is None:
        notes.append("全年预算数或全年执行数空白，执行率与资金得分无法计算")
    return FormScores(
        rule_set=rule_set,
        lines=lines,
        line_sums=sums,
        total_line=total,
        funds_weight=weight,
        rate=total.rate,
        funds_score=computed_funds,
        funds_score_used=funds_used,
        management_scores=m_scores,
        management_weights=m_weights,
        indicators=results,
        indicator_scores_used=used,
        weight_total=weight_total,
        total=total_used,
        total_computed=total_all,
        stated_total=getattr(form, "total_score", None),
        notes=notes,
    )


# --------------------------------------------------------------------------- NY derived text


def default_goal_actual(project: str, initial: Decimal | None, executed: Decimal | None) -> str:
    """The NY form's default 实际完成情况 (SPEC §7.2.3).

    ``{项目名称}项目已完成{X}%`` with X = 全年执行数 / 年初预算数 × 100 (2 dp, zeros kept:
    ``83.60%``); ``{项目名称}项目已完成`` when 年初预算数 is 0 or blank or execution reaches it.
    A name that already ends in 项目 is not given a second one; a trailing full stop is dropped.
    """
    name = project.strip().rstrip("。.；;，, ")
    stem = name if name.endswith("项目") else name + "项目"
    if initial is None or executed is None or initial == 0 or executed >= initial:
        return f"{stem}已完成"
    return f"{stem}已完成{r2(executed * HUNDRED / initial)}%"


# --------------------------------------------------------------------------- liaoning


@dataclass(frozen=True)
class LnProjectScores:
    """SPEC §7.5.2, from the unrounded figures; print with ``disclose.compute.forms``."""

    rate: Decimal  # e/b × 100, unrounded
    rate_score: Decimal  # s_e = 10 × e/b, unrounded
    cap: Decimal | None  # 59, 69 or None
    deduction: Decimal  # 减分项 D, truncated to 3 decimals
    total: Decimal  # 小计 + s_e − D (= the cap when capped), 2 dp

    @property
    def rate_printed(self) -> Decimal:
        return r2(self.rate)

    @property
    def rate_score_printed(self) -> Decimal:
        return r2(self.rate_score)


def ln_project(
    indicator_subtotal: Decimal,
    budget: Decimal,
    executed: Decimal,
    *,
    threshold: Decimal = LN_DEFAULT_THRESHOLD,
    rate_weight: Decimal = Decimal(10),
) -> LnProjectScores:
    """LN 预算项目(政策)绩效自评表 (SPEC §7.5.2).

    rate = e/b × 100; s_e = 10 × e/b; rate < 50 → total capped at 59; 50 ≤ rate < L → 69;
    D = (小计 + unrounded s_e) − cap when capped (never negative), truncated to 3 decimals;
    total = 小计 + s_e − D. ``threshold`` is L, not determined by the source: default 60.
    A zero budget counts as rate 0.
    """
    ratio = ZERO if budget == 0 else executed / budget
    rate_value = ratio * HUNDRED
    s_e = rate_weight * ratio
    if rate_value < LN_LOW_RATE:
        cap: Decimal | None = LN_CAP_LOW
    elif rate_value < threshold:
        cap = LN_CAP_HIGH
    else:
        cap = None
    raw = indicator_subtotal + s_e
    if cap is not None and raw > cap:
        deduction = truncate(raw - cap, 3)
        total = cap
    else:
        deduction = truncate(ZERO, 3)
        total = r2(raw)
    return LnProjectScores(rate_value, s_e, cap, deduction, r2(total))


@dataclass(frozen=True)
class LnTaskScore:
    rate: Decimal  # 2 dp, percent
    score: Decimal  # 2 dp


def ln_task(weight: Decimal, issued: Decimal, executed: Decimal) -> LnTaskScore:
    """One row of the LN 整体 form's task block (SPEC §7.5.1): 得分 = 分值 × 执行率 (0 for 0%).

    Capped at 分值 when more than the issued amount was executed (SPEC does not say).
    """
    if issued == 0:
        return LnTaskScore(r2(ZERO), r2(ZERO))
    ratio = executed / issued
    return LnTaskScore(r2(ratio * HUNDRED), min(r2(weight * ratio), r2(weight)))


def ln_overall(tasks: Iterable[tuple[Decimal, Decimal, Decimal]], indicator_scores: Iterable[Decimal]) -> tuple[list[LnTaskScore], Decimal]:
    """LN 部门（单位）整体绩效自评表: task rows (分值, 下达金额, 执行金额) and 总评价得分
    = Σ task 得分 + Σ indicator 得分 (printed with 2 decimals)."""
    rows = [ln_task(w, i, e) for w, i, e in tasks]
    total = sum((r.score for r in rows), ZERO) + sum((Decimal(s) for s in indicator_scores), ZERO)
    return rows, r2(total)
