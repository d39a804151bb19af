"""Check rules that are not identities: plain functions ``(input, ledger, rows) -> findings``.

Each check is registered with its catalogue entry next to it, so a rule's text and
its code stay together. ``CHECKS`` is the list the engine runs, in order.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Callable

from disclose import reference
from disclose.findings import Finding, Severity
from disclose.model.derive import SubjectRows
from disclose.model.ledger import Ledger
from disclose.model.load import Input
from disclose.rules.catalogue import Rule, register

Check = Callable[[Input, Ledger, dict[str, SubjectRows]], list[Finding]]
CHECKS: list[Check] = []

E, W = Severity.ERROR, Severity.WARNING


def check(rule: Rule) -> Callable[[Check], Check]:
    register(rule)

    def wrap(fn: Check) -> Check:
        fn.rule = rule  # type: ignore[attr-defined]
        CHECKS.append(fn)
        return fn

    return wrap


BUDGET_MISSING = Rule(
    "N15", W, "一般公共预算支出缺少年初预算",
    "公开05表每个有支出的项都应填写年初预算（情况说明五（三）逐项说明）",
    template="公开05表项“{code} {name}”支出 {amount}，但 budgets.general_budget_items 中没有它的年初预算",
)


@check(BUDGET_MISSING)
def budget_for_every_item(source: Input, ledger: Ledger, rows: dict[str, SubjectRows]) -> list[Finding]:
    listed = {item.code for item in source.data.budgets.general_budget_items}
    out = []
    for code in rows["t05"].codes:
        if len(code) == 7 and code not in listed and ledger.value(("t05", code, "total")) != 0:
            path = ledger.figures[("t05", code, "total")].path or ledger.given_paths([("t05", code, "basic"), ("t05", code, "project")])[:1]
            paths = [path] if isinstance(path, tuple) else path
            out.append(
                BUDGET_MISSING.type(
                    [source.source.locate(p) for p in paths],
                    code=code, name=rows["t05"].names.get(code, ""), amount=f"{ledger.printed(('t05', code, 'total'))}万元",
                )
            )
    return out


REASON_MISSING = Rule(
    "N16", W, "缺少决算与年初预算差异的原因",
    "决算数与年初预算数不同的项应说明主要原因",
    template="项“{code}”决算 {final}万元与年初预算 {budget}万元不同，但没有填写差异的主要原因（reason）",
)


@check(REASON_MISSING)
def reason_for_every_difference(source: Input, ledger: Ledger, rows: dict[str, SubjectRows]) -> list[Finding]:
    out = []
    for i, item in enumerate(source.data.budgets.general_budget_items):
        final = ledger.printed(("t05", item.code, "total"))
        budget = ledger.printed(("fact", "budget", item.code))
        if final != budget and not item.reason:
            out.append(
                REASON_MISSING.type(
                    [source.source.locate(("budgets", "general_budget_items", i))], code=item.code, final=final, budget=budget
                )
            )
    return out


DEFINITION_MISSING = Rule(
    "G01", W, "科目没有名词解释",
    "名词解释为公开05表的每个项列出科目说明；分类参考中没有说明的项需要补充",
    template="项“{code} {name}”在分类参考（{edition}年）中没有科目说明，名词解释中将缺少这一条",
)


@check(DEFINITION_MISSING)
def definition_for_every_item(source: Input, ledger: Ledger, rows: dict[str, SubjectRows]) -> list[Finding]:
    if not source.requirements.subject_definitions:
        return []
    out = []
    for code in rows["t05"].codes:
        if len(code) != 7:
            continue
        subject = reference.subject(code)
        if subject is None or not subject.definition:
            paths = ledger.given_paths([("t05", code, c) for c in ("basic", "project", "total")])
            out.append(
                DEFINITION_MISSING.type(
                    [source.source.locate(p) for p in paths[:1]], code=code, name=rows["t05"].names.get(code, ""), edition=reference.edition()
                )
            )
    return out


MONITORING_YEAR = Rule(
    "N14", W, "绩效监控年份",
    "绩效监控（1-7月执行）应在决算年度内进行",
    template="绩效监控年份为 {year} 年，决算年度为 {fiscal} 年，请核对",
)


@check(MONITORING_YEAR)
def monitoring_year(source: Input, ledger: Ledger, rows: dict[str, SubjectRows]) -> list[Finding]:
    year = source.data.performance.monitoring.year
    fiscal = source.data.profile.year
    if year is not None and year != fiscal:
        return [MONITORING_YEAR.type([source.source.locate(("performance", "monitoring", "year"))], year=year, fiscal=fiscal)]
    return []


PARTIAL_TABLE = Rule(
    "D01", W, "数据不完整",
    "标明只列出部分科目的表（basic_expenditure.partial）：表中合计按填写值印出，未与科目核对",
    template="公开06表只列出了部分经济分类科目（partial: true）：人员经费合计、公用经费合计按填写值印出，未与所列科目之和核对；情况说明六的“主要包括”只能列出已填写的科目",
)


@check(PARTIAL_TABLE)
def partial_tables(source: Input, ledger: Ledger, rows: dict[str, SubjectRows]) -> list[Finding]:
    if source.data.basic_expenditure.partial:
        return [PARTIAL_TABLE.type([source.source.locate(("basic_expenditure", "partial"))])]
    return []


CARRY_OVER_NOTE = Rule(
    "N10", W, "国有资本经营年末结转说明与表不符",
    "说明了国有资本经营预算财政拨款年末结转和结余（budgets.state_capital.carry_over_note），公开04表该栏年末结转和结余应大于 0",
    template="说明中写有国有资本经营预算年末结转和结余（“{note}”），但公开04表国有资本经营栏年末财政拨款结转和结余为 {closing}万元",
)


@check(CARRY_OVER_NOTE)
def carry_over_note(source: Input, ledger: Ledger, rows: dict[str, SubjectRows]) -> list[Finding]:
    note = source.data.budgets.state_capital.carry_over_note
    closing = ledger.printed(("t04", "exp", "closing_balance", "state_capital"))
    if note and closing == 0:
        short = note if len(note) <= 30 else note[:30] + "…"
        return [CARRY_OVER_NOTE.type([source.source.locate(("budgets", "state_capital", "carry_over_note"))], note=short, closing=closing)]
    return []


_INCREASE = ("增加", "增长", "提高", "上涨", "增资", "新增", "追加")
_DECREASE = ("减少", "下降", "降低", "压减", "节约", "未支付", "未清算", "未拨付", "缩减", "节省")

REASON_DIRECTION = Rule(
    "N18", W, "差异原因与增减方向不符",
    "决算数小于年初预算数时，差异原因不应只讲“增加”；大于时不应只讲“减少”",
    template="项“{code}”决算 {final}万元{relation}年初预算 {budget}万元，但差异原因只说“{word}”：“{reason}”",
)


@check(REASON_DIRECTION)
def reason_direction(source: Input, ledger: Ledger, rows: dict[str, SubjectRows]) -> list[Finding]:
    out = []
    for i, item in enumerate(source.data.budgets.general_budget_items):
        if not item.reason:
            continue
        final = ledger.printed(("t05", item.code, "total"))
        budget = ledger.printed(("fact", "budget", item.code))
        ups = [w for w in _INCREASE if w in item.reason]
        downs = [w for w in _DECREASE if w in item.reason]
        if final < budget and ups and not downs:
            word, relation = ups[0], "小于"
        elif final > budget and downs and not ups:
            word, relation = downs[0], "大于"
        else:
            continue
        out.append(
            REASON_DIRECTION.type(
                [source.source.locate(("budgets", "general_budget_items", i, "reason"))],
                code=item.code, final=final, budget=budget, relation=relation, word=word, reason=item.reason,
            )
        )
    return out


_REPORT_FIGURE = re.compile(r"一般公共预算(?:财政拨款)?(?:资金)?(收入|支出)\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*万元")

REPORT_FIGURES = Rule(
    "N05", W, "报告中的一般公共预算数与表不符",
    "评价报告和情况说明文字中写明的一般公共预算收入、支出，应等于公开04表第 1 行与公开05表合计",
    template="{where}写一般公共预算{kind} {stated}万元，表中为 {table}万元（{source}）",
)


@check(REPORT_FIGURES)
def report_figures(source: Input, ledger: Ledger, rows: dict[str, SubjectRows]) -> list[Finding]:
    table = {
        "收入": (ledger.printed(("t04", "inc", "general_budget")), "公开04表一般公共预算财政拨款收入"),
        "支出": (ledger.printed(("t05", "合计", "total")), "公开05表合计"),
    }
    perf = source.data.performance
    texts: list[tuple[tuple, str, str]] = []
    for r, report in enumerate(perf.reports):
        for j, text in enumerate(report.paragraphs):
            texts.append((("performance", "reports", r, "paragraphs", j), text, report.title or report.label or "评价报告"))
    for part in ("management", "results", "evaluation"):
        for j, text in enumerate(getattr(perf.text, part) or []):
            texts.append((("performance", "text", part, j), text, "十三、预算绩效情况说明"))
    out = []
    for path, text, where in texts:
        for m in _REPORT_FIGURE.finditer(text):
            kind, stated = m.group(1), Decimal(m.group(2).replace(",", ""))
            expected, label = table[kind]
            if stated != expected:
                out.append(
                    REPORT_FIGURES.type([source.source.locate(path)], where=where, kind=kind, stated=stated, table=expected, source=label)
                )
    return out


from disclose.rules import performance  # noqa: F401
from disclose.rules import layout_facts  # noqa: F401
