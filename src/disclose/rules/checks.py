"""Check rules that are not identities: plain functions ``(input, ledger, rows) -> findings``.

Each check is registered with its catalogue entry next to it, so a rule's text and
its code stay together. ``CHECKS`` is the list the engine runs, in order.
"""

from __future__ import annotations

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
    "N08", W, "一般公共预算支出缺少年初预算",
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
    "N09", W, "缺少决算与年初预算差异的原因",
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
