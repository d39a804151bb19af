"""Audit rules for the performance data (预算绩效, SPEC §5.2 十三 and §7): P01–P10, N12, N17.

Every number a self-evaluation form states (执行率, 资金得分, 年度资金总额, indicator 得分 and
偏差度, 总分) is compared with what ``disclose.model.scoring`` computes from the form's own
figures; 十三's text is compared with the forms. Each finding names the form (项目名称) and
the field path of the stated value.

Importing this module registers its checks (``disclose.rules.checks`` imports it at its end).

Which scoring rules apply comes from the layout profile: ``appendix.scoring.rule_set``, else
the ``rule_set`` of the form the self-evaluations print in (``appendix.forms.<form>.rule_set``);
without either, the JY variant uses the JY rules and every other variant the NY rules.
Whether the forms cover every project (N12): ``appendix.scoring.forms_cover_all_projects``,
else true in henan NY only (十三 says “对所有预算项目（政策）……开展了绩效自评”).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable

from disclose.findings import Finding, Location, Path, Severity
from disclose.model.dataset import DataSet, SelfEvaluation
from disclose.model.derive import SubjectRows
from disclose.model.ledger import Ledger
from disclose.model.load import Input
from disclose.model.scoring import (
    COLUMN_TITLES,
    COLUMNS,
    FormScores,
    RuleSet,
    form_scores,
    grade,
    indicator_candidates,
    line_sum,
    normalize_text,
)
from disclose.money import CENT, ZERO, r2, strip_zeros
from disclose.rules.catalogue import Rule
from disclose.rules.checks import check

E, W = Severity.ERROR, Severity.WARNING

FORMS = ("performance", "self_evaluations")


# --------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class Setup:
    rule_set: RuleSet
    covers_all_projects: bool


def scoring_setup(source: Input) -> Setup:
    """The scoring rule set and whether the forms cover every project: the layout's requirements."""
    req = source.requirements
    return Setup(req.rule_set, req.forms_cover_all_projects)


def _scores(source: Input) -> list[tuple[int, SelfEvaluation, FormScores]]:
    """Every form's scores, computed once per audit and shared by the P rules."""
    rule_set = scoring_setup(source).rule_set
    key = ("form_scores", rule_set)
    if key not in source.memo:
        forms = source.data.performance.self_evaluations
        source.memo[key] = [(i, form, form_scores(form, rule_set)) for i, form in enumerate(forms)]
    return source.memo[key]


def _candidates(source: Input) -> dict[tuple[int, int], list]:
    """(form, indicator) → the scores the rules derive for it; computed once, shared by P04 and P05."""
    rule_set = scoring_setup(source).rule_set
    key = ("indicator_candidates", rule_set)
    if key not in source.memo:
        source.memo[key] = {
            (i, j): [c for c in indicator_candidates(ind.target, ind.actual, ind.weight, rule_set) if c.derived]
            for i, form in enumerate(source.data.performance.self_evaluations)
            for j, ind in enumerate(form.indicators)
        }
    return source.memo[key]


def _loc(source: Input, *path: Any) -> Location:
    return source.source.locate(tuple(path))


def _cell(source: Input, base: Path, column: str) -> Location:
    """A funds-line cell: the reader records ``[a, b, c]`` by index, a mapping by name."""
    index = COLUMNS.index(column)
    for probe in (base + (index,), base + (column,)):
        if probe in source.source.places:
            return dataclasses.replace(source.source.locate(probe), path=base + (column,))
    return source.source.locate(base + (column,))


def show(value: Decimal | None) -> str:
    """A form number in a message: as computed, 2 dp stripped (``9.8``, ``62.5``, ``100``)."""
    if value is None:
        return "（空）"
    return strip_zeros(r2(value)) if value == r2(value) else strip_zeros(value)


def _two(value: Decimal) -> str:
    return f"{r2(value):.2f}"


def _equal(stated: Decimal, computed: Decimal) -> bool:
    """Equal at 2 dp: ``62.5`` and ``62.50`` are the same number."""
    return Decimal(stated) == computed


# --------------------------------------------------------------------------- P01–P03 funds


P01 = Rule(
    "P01", E, "绩效自评表：执行率",
    "自评表 执行率 = 年度资金总额 全年执行数 ÷ 全年预算数 × 100（四舍五入到 2 位小数；全年预算数为 0 时为 0）",
    template="自评表“{project}”：执行率填为 {stated}，按全年执行数 {executed} ÷ 全年预算数 {budget} 计算应为 {computed}",
)


@check(P01)
def p01_rate(source: Input, ledger: Ledger, rows: dict[str, SubjectRows]) -> list[Finding]:
    out = []
    for i, form, s in _scores(source):
        stated = form.funds.rate
        if stated is None or s.rate is None or _equal(stated, s.rate):
            continue
        out.append(
            P01.type(
                [_loc(source, *FORMS, i, "funds", "rate")],
                project=form.project, stated=show(stated), computed=_two(s.rate),
                executed=show(s.total_line.executed), budget=show(s.total_line.full_year),
            )
        )
    return out


P02 = Rule(
    "P02", E, "绩效自评表：资金得分",
    "自评表 资金得分 = 分值 × 全年执行数 ÷ 全年预算数（由资金数计算，不取所填执行率；四舍五入到 2 位小数，不超过分值）",
    template="自评表“{project}”：资金得分填为 {stated}，按分值 {weight} × 全年执行数 {executed} ÷ 全年预算数 {budget} 应为 {computed}",
)


@check(P02)
def p02_funds_score(source: Input, ledger: Ledger, rows: dict[str, SubjectRows]) -> list[Finding]:
    out = []
    for i, form, s in _scores(source):
        stated = form.funds.score
        if stated is None or s.funds_score is None or _equal(stated, s.funds_score):
            continue
        out.append(
            P02.type(
                [_loc(source, *FORMS, i, "funds", "score")],
                project=form.project, stated=show(stated), computed=show(s.funds_score), weight=show(s.funds_weight),
                executed=show(s.total_line.executed), budget=show(s.total_line.full_year),
            )
        )
    return out


P03 = Rule(
    "P03", E, "绩效自评表：年度资金总额",
    "自评表 年度资金总额 = 财政拨款 + 财政专户管理资金 + 单位资金（年初预算数、全年预算数、全年执行数各栏；"
    "整行未填的资金行按 0 计，行内有空格的栏不核对）",
    template="自评表“{project}”：年度资金总额的{column}填为 {stated}，三个资金行之和为 {computed}",
)


@check(P03)
def p03_total_line(source: Input, ledger: Ledger, rows: dict[str, SubjectRows]) -> list[Finding]:
    out = []
    for i, form, _ in _scores(source):
        total = form.funds.total
        if total is None:
            continue
        base = (*FORMS, i, "funds", "total")
        for column in COLUMNS:
            stated = getattr(total, column)
            summed = line_sum(form.funds, column)
            if stated is None or summed is None or stated == summed:
                continue
            out.append(
                P03.type(
                    [_cell(source, base, column)],
                    project=form.project, column=COLUMN_TITLES[column], stated=show(stated), computed=show(summed),
                )
            )
    return out


# --------------------------------------------------------------------------- P04–P05 indicators


P04 = Rule(
    "P04", W, "绩效自评表：指标得分与评分规则不符",
    "指标得分按评分规则（SPEC §7.2.2 NY、§7.3.2 JY）：达到目标得满分；未达下限 = 分值 × 实际值/目标值；"
    "定性指标 = 分值 × 实际完成百分比；JY 超额 30% 以上按容差扣分（NY 表超额不扣分，也接受 JY 扣分）。"
    "目标值或实际值无法解读的指标不核对",
    template="自评表“{project}”指标“{indicator}”（目标 {target}，实际 {actual}，分值 {weight}）：得分填为 {stated}，按规则应为 {computed}（{rule}）",
)

P05 = Rule(
    "P05", W, "绩效自评表：指标偏差度与评分规则不符",
    "偏差度：达到目标为 0；未达下限 = (实际值 − 目标值)/目标值 × 100；定性指标 = 实际完成百分比 − 100；"
    "JY 超额 30% 以上 = 超额百分比 − 30（2 位小数）",
    template="自评表“{project}”指标“{indicator}”（目标 {target}，实际 {actual}）：偏差度填为 {stated}，按规则应为 {computed}（{rule}）",
)


def _indicator_label(ind: Any, j: int) -> str:
    return ind.name or f"第 {j + 1} 个指标（{ind.level1}/{ind.level2}）"


@check(P04)
def p04_indicator_score(source: Input, ledger: Ledger, rows: dict[str, SubjectRows]) -> list[Finding]:
    derived = _candidates(source)
    out = []
    for i, form in enumerate(source.data.performance.self_evaluations):
        for j, ind in enumerate(form.indicators):
            if ind.score is None:
                continue
            candidates = derived[i, j]
            if not candidates or any(_equal(ind.score, c.score) for c in candidates):
                continue
            first = candidates[0]
            computed = " 或 ".join(show(c.score) for c in candidates)
            out.append(
                P04.type(
                    [_loc(source, *FORMS, i, "indicators", j, "score")],
                    project=form.project, indicator=_indicator_label(ind, j), target=ind.target, actual=ind.actual,
                    weight=show(ind.weight), stated=show(ind.score), computed=computed, rule=first.rule,
                )
            )
    return out


@check(P05)
def p05_indicator_deviation(source: Input, ledger: Ledger, rows: dict[str, SubjectRows]) -> list[Finding]:
    derived = _candidates(source)
    out = []
    for i, form in enumerate(source.data.performance.self_evaluations):
        for j, ind in enumerate(form.indicators):
            if ind.deviation is None:
                continue
            candidates = derived[i, j]
            if not candidates:
                continue
            # Judge the deviation under the rule the stated score follows, when it follows one.
            if ind.score is not None:
                same = [c for c in candidates if _equal(ind.score, c.score)]
                candidates = same or candidates
            if any(_equal(ind.deviation, c.deviation) for c in candidates):
                continue
            first = candidates[0]
            out.append(
                P05.type(
                    [_loc(source, *FORMS, i, "indicators", j, "deviation")],
                    project=form.project, indicator=_indicator_label(ind, j), target=ind.target, actual=ind.actual,
                    stated=show(ind.deviation), computed=" 或 ".join(_two(c.deviation) for c in candidates), rule=first.rule,
                )
            )
    return out


# --------------------------------------------------------------------------- P06–P08 totals


P06 = Rule(
    "P06", E, "绩效自评表：分值合计不是 100",
    "资金分值 + 资金管理各项分值 + 绩效指标各项分值 = 100",
    template="自评表“{project}”：分值合计为 {total}（资金 {funds} + 资金管理 {management} + 绩效指标 {indicators}），应为 100",
)


@check(P06)
def p06_weights(source: Input, ledger: Ledger, rows: dict[str, SubjectRows]) -> list[Finding]:
    out = []
    for i, form, s in _scores(source):
        if s.weight_total == 100:
            continue
        out.append(
            P06.type(
                [_loc(source, *FORMS, i, "indicators")],
                project=form.project, total=show(s.weight_total), funds=show(s.funds_weight),
                management=show(sum(s.management_weights, ZERO)),
                indicators=show(sum((Decimal(ind.weight) for ind in form.indicators), ZERO)),
            )
        )
    return out


P07 = Rule(
    "P07", E, "绩效自评表：总分",
    "总分 = 资金得分 + Σ资金管理得分 + Σ指标得分（各项取表中所填之数，未填的按规则计算）",
    template="自评表“{project}”：总分填为 {stated}，资金得分 {funds} + 资金管理 {management} + 指标 {indicators} = {computed}{also}",
)


@check(P07)
def p07_total(source: Input, ledger: Ledger, rows: dict[str, SubjectRows]) -> list[Finding]:
    out = []
    for i, form, s in _scores(source):
        if s.stated_total is None or s.total is None or _equal(s.stated_total, s.total):
            continue
        also = ""
        if s.total_computed is not None and s.total_computed != s.total:
            also = f"（各项均按规则计算则为 {show(s.total_computed)}）"
        out.append(
            P07.type(
                [_loc(source, *FORMS, i, "total_score")],
                project=form.project, stated=show(s.stated_total), computed=show(s.total),
                funds=show(s.funds_score_used), management=show(s.management_total), indicators=show(s.indicator_total),
                also=also,
            )
        )
    return out


P08 = Rule(
    "P08", E, "绩效自评表：得分超过分值",
    "资金管理各项得分 ≤ 其分值；绩效指标各项得分 ≤ 其分值",
    template="自评表“{project}”{what}“{name}”：得分 {score} 超过分值 {weight}",
)


@check(P08)
def p08_score_over_weight(source: Input, ledger: Ledger, rows: dict[str, SubjectRows]) -> list[Finding]:
    out = []
    for i, form in enumerate(source.data.performance.self_evaluations):
        for k, row in enumerate(form.management):
            if row.score > row.weight:
                out.append(
                    P08.type(
                        [_loc(source, *FORMS, i, "management", k, "score")],
                        project=form.project, what="资金管理", name=row.item, score=show(row.score), weight=show(row.weight),
                    )
                )
        for j, ind in enumerate(form.indicators):
            if ind.score is not None and ind.score > ind.weight:
                out.append(
                    P08.type(
                        [_loc(source, *FORMS, i, "indicators", j, "score")],
                        project=form.project, what="指标", name=_indicator_label(ind, j), score=show(ind.score), weight=show(ind.weight),
                    )
                )
    return out


# --------------------------------------------------------------------------- P10 部门评价


P10 = Rule(
    "P10", W, "部门评价：项目与金额",
    "部门评价涉及金额 = 所评价项目自评表的全年预算数之和（按项目名称对应，名称互相包含也算）；部门评价项目数 = 所列项目名称个数",
    template="{message}",
)


@check(P10)
def p10_department_evaluation(source: Input, ledger: Ledger, rows: dict[str, SubjectRows]) -> list[Finding]:
    perf = source.data.performance
    ev = perf.department_evaluation
    out = []
    if ev.names and ev.projects != len(ev.names):
        out.append(
            P10.type(
                [_loc(source, "performance", "department_evaluation", "projects")],
                message=f"部门评价项目数填为 {ev.projects}，但列出了 {len(ev.names)} 个项目名称（{'、'.join(ev.names)}）",
            )
        )
    if ev.amount is None or not ev.names:
        return out
    rule_set = scoring_setup(source).rule_set
    budgets: list[Decimal] = []
    matched: list[str] = []
    for name in ev.names:
        hits = [f for f in perf.self_evaluations if _same_project(name, f.project)]
        if len(hits) != 1:
            return out  # not attributable to exactly one form: nothing to compare
        budget = form_scores(hits[0], rule_set).total_line.full_year
        if budget is None:
            return out
        budgets.append(budget)
        matched.append(hits[0].project)
    total = sum(budgets, ZERO)
    if ev.amount != total:
        out.append(
            P10.type(
                [_loc(source, "performance", "department_evaluation", "amount")],
                message=(
                    f"部门评价涉及金额填为 {show(ev.amount)}万元，所评价项目自评表（{'、'.join(f'“{m}”' for m in matched)}）"
                    f"的全年预算数为 {show(total)}万元"
                ),
            )
        )
    return out


# --------------------------------------------------------------------------- N12 自评金额


N12 = Rule(
    "N12", E, "绩效自评金额与项目支出",
    "Σ 各自评表年度资金总额的全年执行数 ≤ 公开03表 合计 项目支出（自评项目是项目支出的一部分）。"
    "自评表金额按万元填写，每张表可有 0.01 的尾差。大于项目支出（超出尾差）为错误；"
    "在“对所有预算项目开展了绩效自评”的版式（河南 NY）中小于项目支出为提示（可能有项目未自评）",
    template="{count} 张自评表的全年执行数合计 {forms}万元，公开03表 项目支出合计 {t03}万元，{relation} {diff}万元",
)


@check(N12)
def n12_self_evaluated_amount(source: Input, ledger: Ledger, rows: dict[str, SubjectRows]) -> list[Finding]:
    setup = scoring_setup(source)
    forms = _scores(source)
    if not forms:
        return []
    known = [s.total_line.executed for _, _, s in forms if s.total_line.executed is not None]
    complete = len(known) == len(forms)
    total = sum(known, ZERO)
    key = ("t03", "合计", "project")
    t03 = ledger.printed(key)
    diff = total - t03
    tolerance = CENT * len(forms)
    if diff == 0:
        return []
    if diff < 0 and (not complete or not setup.covers_all_projects):
        return []
    locations = [_loc(source, *FORMS)]
    locations += [source.source.locate(p) for p in ledger.given_paths(ledger.sources(key))[:3]]
    finding = N12.type(
        locations, count=len(forms), forms=_two(total), t03=_two(t03),
        relation="多" if diff > 0 else "少", diff=_two(abs(diff)),
    )
    if abs(diff) <= tolerance:
        finding.severity = Severity.NOTICE
    elif diff < 0:
        finding.severity = W
    return [finding]


# --------------------------------------------------------------------------- N17 十三 text vs forms


N17 = Rule(
    "N17", W, "绩效说明文字与自评表不符",
    "十三（预算绩效情况说明）和各表“情况说明中的项目简述”中，写明某项目的自评得分、评价等级、执行率、全年预算、"
    "执行数的，应与该项目自评表所印之数一致（总分、执行率取表中所填之数，未填的按规则计算；等级按总分：优 ≥ 90，良 80–<90，"
    "中 60–<80，差 < 60）。表中所填之数本身的错误由 P01–P07 报告。"
    "只核对能唯一归属到一个项目的数字",
    template="“{project}”：{where}写{what}为 {text}，自评表为 {form}",
)

_NUM = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_FACTS = [
    ("score", "自评得分", re.compile(r"(?:自评|评价|总)得分(?:为|是)?:?" + _NUM + r"(?!\d|\.\d|分?的)")),
    ("grade", "评价等级", re.compile(r"(?:评价|自评)?(?:等级|结果)(?:为|是)?:?\"?([优良中差])(?!\"?(?:的|等))")),
    ("rate", "预算执行率", re.compile(r"(?:执行率|完成预算的)(?:为|是|达)?:?" + _NUM + r"%")),
    ("budget", "全年预算", re.compile(r"(?<![初月])(?:全年)?预算(?:数)?(?:为|是)?:?" + _NUM + r"万元")),
    ("executed", "全年执行数", re.compile(r"(?:1-12月资金执行|1-12月执行|实际支出|累计支出|(?<!预算)执行数(?:为|是)?|资金执行)" + _NUM + r"万元")),
]
_TRAILING = "。.；;，,、 "
_PREFIXES = [
    re.compile(r"^\S*?【\d{4}】"),  # 宛财预【2024】
    re.compile(r"^\d+号"),  # 482号
    re.compile(r"^20\d\d年?(?:度)?"),  # 2024年 / 2024
]
MIN_KEY = 4
_FORM_FIELD = {
    "score": ("total_score",),
    "grade": ("total_score",),
    "rate": ("funds", "rate"),
    "budget": ("funds", "total"),
    "executed": ("funds", "total"),
}


def _norm(text: str) -> str:
    text = normalize_text(text)
    return re.sub(r"[\"'“”‘’「」]", '"', text)


def _keys(project: str) -> list[str]:
    """The spellings under which a project may be cited: full name, then without its prefixes."""
    name = _norm(project).rstrip(_TRAILING)
    keys = [name]
    current = name
    for prefix in _PREFIXES:
        stripped = prefix.sub("", current)
        if stripped != current:
            current = stripped
            keys.append(current)
    return [k for k in dict.fromkeys(keys) if len(k) >= MIN_KEY]


def _same_project(a: str, b: str) -> bool:
    """Names refer to the same project: equal or one contains the other (after normalising)."""
    ka, kb = _keys(a), _keys(b)
    return any(x in y or y in x for x in ka for y in kb)


def _key_index(forms: list[SelfEvaluation]) -> dict[str, int]:
    owners: dict[str, set[int]] = {}
    for i, form in enumerate(forms):
        for key in _keys(form.project):
            owners.setdefault(key, set()).add(i)
    # A spelling shared by two forms names neither; where one name contains another,
    # the longest cited name wins (``_mentions``).
    return {k: next(iter(v)) for k, v in owners.items() if len(v) == 1}


def _mentions(text: str, index: dict[str, int]) -> list[tuple[int, int, int]]:
    """(start, end, form) of cited project names, longest first, without overlaps."""
    found = []
    for key, form in index.items():
        start = text.find(key)
        while start >= 0:
            found.append((start, start + len(key), form))
            start = text.find(key, start + 1)
    found.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
    chosen: list[tuple[int, int, int]] = []
    for m in found:
        if all(m[1] <= c[0] or m[0] >= c[1] for c in chosen):
            chosen.append(m)
    return sorted(chosen)


def _segments(text: str, index: dict[str, int], default: int | None) -> list[tuple[int, str]]:
    """Split a paragraph into (form, text) pieces: from a cited name to the next other name."""
    mentions = _mentions(text, index)
    pieces: list[tuple[int, str]] = []
    if default is not None:
        first = mentions[0][0] if mentions else len(text)
        pieces.append((default, text[:first]))
    current, start = None, 0
    for m_start, m_end, form in mentions:
        if form == current:
            continue
        if current is not None:
            pieces.append((current, text[start:m_start]))
        current, start = form, m_end
    if current is not None:
        pieces.append((current, text[start:]))
    return pieces


def _form_facts(form: SelfEvaluation, s: FormScores) -> dict[str, Any]:
    """What the form prints: stated figures where given (a wrong one is P01/P07's), else computed."""
    return {
        "score": s.printed_total,
        "grade": grade(s.printed_total),
        "rate": form.funds.rate if form.funds.rate is not None else s.rate,
        "budget": s.total_line.full_year,
        "executed": s.total_line.executed,
    }


def _texts(data: DataSet) -> Iterable[tuple[Path, str, str, int | None]]:
    """(path, where, text, default form) of every free-text paragraph that may cite forms."""
    titles = {"management": "十三（一）", "results": "十三（二）", "evaluation": "十三（三）"}
    text = data.performance.text
    for field, title in titles.items():
        for k, para in enumerate(getattr(text, field) or []):
            yield ("performance", "text", field, k), f"{title}第 {k + 1} 段", para, None
    for i, form in enumerate(data.performance.self_evaluations):
        if form.summary:
            yield (*FORMS, i, "summary"), "项目简述", form.summary, i


@check(N17)
def n17_text_against_forms(source: Input, ledger: Ledger, rows: dict[str, SubjectRows]) -> list[Finding]:
    forms = _scores(source)
    if not forms:
        return []
    data = source.data
    index = _key_index([f for _, f, _ in forms])
    facts = [_form_facts(f, s) for _, f, s in forms]
    out = []
    for path, where, para, default in _texts(data):
        seen: set[tuple[int, str, str]] = set()
        for form_i, piece in _segments(_norm(para), index, default):
            expected = facts[form_i]
            for kind, label, pattern in _FACTS:
                for m in pattern.finditer(piece):
                    said = m.group(1)
                    want = expected[kind]
                    if want is None:
                        continue
                    if kind == "grade":
                        agrees = said == want
                        form_text = f"“{want}”（总分 {show(expected['score'])}）"
                        said_text = f"“{said}”"
                    else:
                        value = Decimal(said.replace(",", ""))
                        agrees = value == want
                        unit = "%" if kind == "rate" else ("分" if kind == "score" else "万元")
                        form_text = f"{show(want)}{unit}"
                        said_text = f"{said}{unit}"
                    if agrees or (form_i, kind, said) in seen:
                        continue
                    seen.add((form_i, kind, said))
                    out.append(
                        N17.type(
                            [source.source.locate(path), _loc(source, *FORMS, form_i, *_FORM_FIELD[kind])],
                            project=forms[form_i][1].project, where=where, what=label, text=said_text, form=form_text,
                        )
                    )
    return out

