"""The ledger derives what is left out and the audit checks what is given (SPEC §4).

Data sets are written inline, the beancount way: each test states its data.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from disclose.findings import Severity
from disclose.model.load import load_dataset
from disclose.readers.yaml_reader import parse_yaml
from disclose.rules.engine import audit

BASE = """\
profile: {department: 示例局, year: 2024, unit: 元}
income:
  - {code: "2080101", fiscal: 1000000.00}
  - {code: "2080505", fiscal: 200000.00}
  - {code: "2210201", fiscal: 50000.00}
  - {code: "2296099", other: 30000.00}
expenditure:
  - {code: "2080101", basic: 900000.00, project: 100000.00}
  - {code: "2080505", basic: 200000.00}
  - {code: "2210201", basic: 50000.00}
  - {code: "2296099", project: 30000.00}
general_budget:
  - {code: "2080101", basic: 900000.00, project: 100000.00}
  - {code: "2080505", basic: 200000.00}
  - {code: "2210201", basic: 50000.00}
basic_expenditure:
  items: {"30101": 600000.00, "30108": 200000.00, "30113": 50000.00, "30201": 250000.00, "30211": 50000.00}
three_public:
  budget: {reception: 20000.00}
  final: {reception: 12345.67}
operating_cost: {amount: 300000.00}
"""


def run_audit(text: str):
    data, source = parse_yaml(text.encode("utf-8"), "data.yaml")
    return audit(load_dataset(data, source))


def codes(report, severity=None):
    return sorted({f.code for f in report.findings if severity is None or f.level is severity})


def test_consistent_data_has_no_errors():
    report = run_audit(BASE)
    assert codes(report, Severity.ERROR) == []
    assert codes(report, Severity.NOTICE) == []


def test_totals_are_derived_from_the_xiang_rows():
    ledger = run_audit(BASE).ledger
    # 公开02/03表: 类, 款 and 合计 rows; row totals
    assert ledger.value(("t02", "208", "fiscal")) == Decimal("1200000.00")
    assert ledger.value(("t02", "合计", "total")) == Decimal("1280000.00")
    assert ledger.value(("t03", "20801", "total")) == Decimal("1000000.00")
    # 公开01表 from 02/03 and 04
    assert ledger.value(("t01", "inc", "general_budget")) == Decimal("1250000.00")
    assert ledger.value(("t01", "inc", "other")) == Decimal("30000.00")
    assert ledger.value(("t01", "inc", "total")) == Decimal("1280000.00")
    assert ledger.value(("t01", "exp", "208")) == Decimal("1200000.00")
    assert ledger.value(("t01", "exp", "229")) == Decimal("30000.00")
    assert ledger.value(("t01", "exp", "201")) == 0
    # 公开04表 from 05
    assert ledger.value(("t04", "exp", "221", "general_budget")) == Decimal("50000.00")
    assert ledger.value(("t04", "exp", "total", "total")) == Decimal("1250000.00")
    # 公开06表
    assert ledger.value(("t06", "personnel_total")) == Decimal("850000.00")
    assert ledger.value(("t06", "public_total")) == Decimal("300000.00")
    # 三公
    assert ledger.value(("t09", "final", "total")) == Decimal("12345.67")


def test_printed_figures_are_rounded_cell_by_cell():
    text = BASE.replace("2210201\", fiscal: 50000.00", "2210201\", fiscal: 50049.99")
    text = text.replace("2210201\", basic: 50000.00}\n  - {code: \"2296099\"", "2210201\", basic: 50049.99}\n  - {code: \"2296099\"")
    text = text.replace("2210201\", basic: 50000.00}\nbasic", "2210201\", basic: 50049.99}\nbasic")
    text = text.replace('"30113": 50000.00', '"30113": 50049.99')
    report = run_audit(text)
    assert codes(report, Severity.ERROR) == []
    ledger = report.ledger
    assert ledger.printed(("t05", "2210201", "total")) == Decimal("5.00")  # 5.004999 万元
    assert ledger.printed(("t05", "合计", "total")) == Decimal("125.00")  # 125.004999 万元, not a sum of rounded cells


def test_given_parent_rows_are_checked_with_location():
    text = BASE.replace('income:\n', 'income:\n  - {code: "208", fiscal: 1200000.01}\n  - {code: "20801", fiscal: 1000000.00}\n  - {code: "20805", fiscal: 200000.00}\n  - {code: "221"}\n  - {code: "22102"}\n  - {code: "229"}\n  - {code: "22960"}\n')
    report = run_audit(text)
    r10 = [f for f in report.findings if f.code == "R10"]
    assert len(r10) == 1 and r10[0].level is Severity.ERROR  # in 元 there is no rounding tolerance
    assert r10[0].locations[0].line == 3
    assert r10[0].locations[0].field() == "income[0].fiscal"


def test_stated_totals_in_wanyuan_get_a_rounding_tolerance():
    text = """\
profile: {department: 示例局, year: 2024, unit: 万元}
income:
  - {code: "合计", fiscal: 100.01}
  - {code: "2080101", fiscal: 33.33}
  - {code: "2080102", fiscal: 33.33}
  - {code: "2080199", fiscal: 33.34}
"""
    report = run_audit(text)
    r10 = [f for f in report.findings if f.code == "R10"]
    assert [f.level for f in r10] == [Severity.NOTICE]
    # a difference beyond 0.01 per summand is an error
    report = run_audit(text.replace("100.01", "100.05"))
    assert [f.level for f in report.findings if f.code == "R10"] == [Severity.ERROR]


@pytest.mark.parametrize(
    "old, new, rule, line",
    [
        # t01 stated 本年支出合计 ≠ Σ classes
        ("operating_cost:", "summary: {stated: {expenditure: {expenditure_total: 1279999.00}}}\noperating_cost:", "R02", 21),
        # t01 class row ≠ t03 class row
        ("operating_cost:", "summary: {stated: {expenditure: {\"221\": 40000.00}}}\noperating_cost:", "X03", 21),
        # t06 does not add up to t05 basic
        ('"30211": 50000.00', '"30211": 50000.01', "X08", 17),
        # 三公 final total stated wrongly
        ("final: {reception: 12345.67}", "final: {reception: 12345.67, total: 12345.68}", "R15", 20),
        # t03 less than t05 for a subject
        ('"2080505", basic: 200000.00}\n  - {code: "2210201", basic: 50000.00}\n  - {code: "2296099"', '"2080505", basic: 199999.00, project: 1000.00}\n  - {code: "2210201", basic: 50000.00}\n  - {code: "2296099"', "X09", 9),
    ],
)
def test_each_identity_reports_where(old, new, rule, line):
    assert old in BASE
    report = run_audit(BASE.replace(old, new, 1))
    found = [f for f in report.findings if f.code == rule]
    assert found, [str(f) for f in report.findings]
    assert any(loc.line == line for f in found for loc in f.locations), [str(f) for f in found]


def test_operating_cost_above_public_expenditure_is_a_warning():
    report = run_audit(BASE.replace("amount: 300000.00", "amount: 300000.01"))
    x13 = [f for f in report.findings if f.code == "X13"]
    assert [f.level for f in x13] == [Severity.WARNING]
    assert x13[0].locations[0].field() == "operating_cost.amount"


def test_written_explanation_is_attached():
    text = BASE.replace("amount: 300000.00", "amount: 300000.01") + "audit_notes:\n  - {rule: X13, note: 含事业单位公用经费}\n"
    x13 = [f for f in run_audit(text).findings if f.code == "X13"]
    assert x13[0].explanation == "含事业单位公用经费"
