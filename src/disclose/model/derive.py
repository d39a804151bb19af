"""Build the ledger of a data set: the nine tables' figures and their identities (SPEC §4, §9.9).

Keys (tuples of strings) name figures the same way everywhere:

* subject tables ``(table, code, column)`` with table ``t02`` 收入, ``t03`` 支出, ``t05`` 一般公共预算,
  ``t07`` 政府性基金, ``t08`` 国有资本经营 (the henan numbers, used as internal names in every
  layout), code a 类/款/项 code or ``合计``;
* ``("t01", "inc"|"exp", line)`` — line a key of ``T01_*_KEYS`` or a 类 code;
* ``("t04", "inc", line[, fund])`` and ``("t04", "exp", line, column)``;
* ``("t06", economic code)``, ``("t06", "personnel_total"|"public_total")``;
* ``("t09", "budget"|"final", item)``;
* ``("fact", …)`` for narrative facts that have identities (采购, 车辆, 接待).

Rule ids follow SPEC §4 (R = within a table, X = between tables, N = narrative facts).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from disclose import reference
from disclose.model.dataset import (
    T01_EXPENDITURE_KEYS,
    T01_INCOME_KEYS,
    T04_EXPENDITURE_KEYS,
    T04_INCOME_KEYS,
    DataSet,
)
from disclose.model.ledger import Key, Ledger, Term
from disclose.model.load import Input


@dataclass(frozen=True)
class TableSpec:
    key: str  # internal table id
    field: str  # DataSet field
    title: str
    inputs: tuple[tuple[str, str], ...]  # (column, title) that are entered per 项
    total: tuple[str, str]  # the row total column
    total_rule: str


SUBJECT_TABLES = (
    TableSpec(
        "t02",
        "income",
        "收入决算表",
        (("fiscal", "财政拨款收入"), ("superior", "上级补助收入"), ("business", "事业收入"), ("operating", "经营收入"), ("affiliated", "附属单位上缴收入"), ("other", "其他收入")),
        ("total", "本年收入合计"),
        "R06",
    ),
    TableSpec(
        "t03",
        "expenditure",
        "支出决算表",
        (("basic", "基本支出"), ("project", "项目支出"), ("remit", "上缴上级支出"), ("operating", "经营支出"), ("affiliated", "对附属单位补助支出")),
        ("total", "本年支出合计"),
        "R07",
    ),
    TableSpec("t05", "general_budget", "一般公共预算财政拨款支出决算表", (("basic", "基本支出"), ("project", "项目支出")), ("total", "小计"), "R08"),
    TableSpec(
        "t07",
        "government_fund",
        "政府性基金预算财政拨款收入支出决算表",
        (("opening", "年初结转和结余"), ("income", "本年收入"), ("basic", "基本支出"), ("project", "项目支出")),
        ("total", "本年支出小计"),
        "R09",
    ),
    TableSpec("t08", "state_capital", "国有资本经营预算财政拨款支出决算表", (("basic", "基本支出"), ("project", "项目支出")), ("total", "小计"), "R08"),
)
TABLES = {spec.key: spec for spec in SUBJECT_TABLES}
FUNDS = (("general_budget", "一般公共预算财政拨款"), ("government_fund", "政府性基金预算财政拨款"), ("state_capital", "国有资本经营预算财政拨款"))
FUND_TABLE = {"general_budget": "t05", "government_fund": "t07", "state_capital": "t08"}
PERSONNEL_CLASSES = ("301", "303")
PUBLIC_CLASSES = ("302", "307", "310", "312", "313", "399")
THREE_PUBLIC_ITEMS = (
    ("abroad", "因公出国（境）费"),
    ("vehicle_purchase", "公务用车购置费"),
    ("vehicle_operation", "公务用车运行维护费"),
    ("reception", "公务接待费"),
)


@dataclass
class SubjectRows:
    """The rows a subject table prints: codes in depth-first order, with their names."""

    codes: list[str]  # 类/款/项 codes, depth-first ascending (SPEC §3.3); no 合计
    names: dict[str, str]
    children: dict[str, list[str]]  # parent code (or 合计) → child codes

    def leaves(self) -> list[str]:
        return [c for c in self.codes if not self.children.get(c)]


def build_ledger(source: Input) -> tuple[Ledger, dict[str, SubjectRows]]:
    data = source.data
    ledger = Ledger(data.profile.unit)
    rows = {spec.key: _subject_table(ledger, data, spec) for spec in SUBJECT_TABLES}
    _t04(ledger, data, rows)
    _t01(ledger, data, rows)
    _t06(ledger, data)
    _t09(ledger, data)
    _facts(ledger, data)
    return ledger, rows


# --------------------------------------------------------------------------- subject tables


def _subject_table(ledger: Ledger, data: DataSet, spec: TableSpec) -> SubjectRows:
    given_rows = getattr(data, spec.field)
    codes = {row.code for row in given_rows if row.code != "合计"}
    if spec.key == "t05":
        # Items with an initial budget print in t05 even when nothing was spent (SPEC §3.3).
        codes |= {item.code for item in data.budgets.general_budget_items}
    for code in list(codes):
        if len(code) == 7:
            codes |= {code[:5], code[:3]}
        elif len(code) == 5:
            codes.add(code[:3])
    ordered = sorted(codes)  # ascending codes are depth-first: "208" < "20801" < "2080101" < "20802"
    children: dict[str, list[str]] = {"合计": [c for c in ordered if len(c) == 3]}
    for code in ordered:
        if len(code) < 7:
            children[code] = [c for c in ordered if len(c) == len(code) + 2 and c.startswith(code)]
    names = {}
    for code in ordered:
        ref = reference.subject(code)
        names[code] = ref.name if ref else ""
    for row in given_rows:
        if row.name and row.code != "合计":
            names[row.code] = row.name

    by_code = {row.code: (i, row) for i, row in enumerate(given_rows)}
    columns = list(spec.inputs) + [spec.total] + ([("closing", "年末结转和结余")] if spec.key == "t07" else [])
    for code in ["合计"] + ordered:
        row_label = f"{spec.title}“合计”行" if code == "合计" else f"{spec.title} {code} {names.get(code, '')}".rstrip()
        index_row = by_code.get(code)
        explicit = index_row[1].model_fields_set if index_row else set()
        kids = children.get(code, [])
        for column, title in columns:
            key: Key = (spec.key, code, column)
            given: Decimal | None = None
            path = None
            if index_row is not None:
                i, row = index_row
                value = getattr(row, column)
                is_input = column in dict(spec.inputs)
                # A leaf's input columns are entered (omitted means 0); anything else is given
                # only when written out, so that an omitted 类 figure is derived, not zero.
                if value is not None and (column in explicit or (is_input and not kids)):
                    given, path = value, (spec.field, i, column)
            ledger.add(key, f"{row_label}“{title}”", given, path)
        for column, _title in spec.inputs:
            if kids:
                ledger.derive("R10", (spec.key, code, column), [(spec.key, k, column) for k in kids])
        total_col = spec.total[0]
        terms = [(spec.key, code, c) for c, _ in spec.inputs if c not in ("opening", "income")]
        ledger.derive(spec.total_rule, (spec.key, code, total_col), terms)
        if kids:
            ledger.check("R10", (spec.key, code, total_col), [(spec.key, k, total_col) for k in kids], if_given=True)
        if spec.key == "t07":
            ledger.derive(
                "R09",
                ("t07", code, "closing"),
                [("t07", code, "opening"), ("t07", code, "income"), Term(("t07", code, "total"), -1)],
            )
            if kids:
                ledger.check("R10", ("t07", code, "closing"), [("t07", k, "closing") for k in kids], if_given=True)
    return SubjectRows(ordered, names, children)


def _table_value_key(rows: dict[str, SubjectRows], table: str, code: str, column: str) -> list[Key]:
    """The key of a subject-table figure as a term list (empty when the table lacks the row)."""
    return [(table, code, column)] if code in rows[table].codes or code == "合计" else []


# --------------------------------------------------------------------------- 公开04表


def _t04(ledger: Ledger, data: DataSet, rows: dict[str, SubjectRows]) -> None:
    fs = data.fiscal_summary
    classes = reference.expenditure_classes()
    columns = [("total", "合计")] + list(FUNDS)
    title = "财政拨款收入支出决算总表"

    for cls in classes:
        for column, col_title in columns:
            ledger.add(("t04", "exp", cls.code, column), f"{title}“{cls.name}”{col_title}")
        for fund, _ in FUNDS:
            rule = {"general_budget": "X05", "government_fund": "X06", "state_capital": "X07"}[fund]
            ledger.derive(rule, ("t04", "exp", cls.code, fund), _table_value_key(rows, FUND_TABLE[fund], cls.code, "total"))
    for line, line_title in T04_EXPENDITURE_KEYS.items():
        for column, col_title in columns:
            ledger.add(("t04", "exp", line, column), f"{title}“{line_title}”{col_title}")
    for fund, _ in FUNDS:
        ledger.derive("R13", ("t04", "exp", "expenditure_total", fund), [("t04", "exp", c.code, fund) for c in classes])
        rule = {"general_budget": "X05", "government_fund": "X06", "state_capital": "X07"}[fund]
        ledger.check(rule, ("t04", "exp", "expenditure_total", fund), [(FUND_TABLE[fund], "合计", "total")])
    ledger.check("R13", ("t04", "exp", "expenditure_total", "total"), [("t04", "exp", c.code, "total") for c in classes])

    # 年末/年初结转和结余 by fund: 政府性基金 from 公开07表 unless stated.
    for side, line, model_field in (("exp", "closing_balance", fs.closing_balance), ("inc", "opening", fs.opening_balance)):
        for fund, fund_title in FUNDS:
            key = ("t04", side, line, fund) if side == "inc" else ("t04", "exp", line, fund)
            if side == "inc":
                ledger.add(key, f"{title}“年初财政拨款结转和结余”{fund_title}")
            given = getattr(model_field, fund)
            explicit = fund in model_field.model_fields_set
            node = "closing_balance" if side == "exp" else "opening_balance"
            if fund == "government_fund" and not explicit:
                ledger.derive("X06", key, [("t07", "合计", "closing" if side == "exp" else "opening")])
            else:
                ledger.add(key, ledger.label(key), given, ("fiscal_summary", node, fund))
                if fund == "government_fund":
                    ledger.check("X06", key, [("t07", "合计", "closing" if side == "exp" else "opening")])

    for line in ("expenditure_total", "closing_balance", "total") + tuple(c.code for c in classes):
        ledger.derive("R11", ("t04", "exp", line, "total"), [("t04", "exp", line, f) for f, _ in FUNDS])
    for fund, _ in FUNDS:
        ledger.derive(
            "R13", ("t04", "exp", "total", fund), [("t04", "exp", "expenditure_total", fund), ("t04", "exp", "closing_balance", fund)]
        )
    ledger.check("R13", ("t04", "exp", "total", "total"), [("t04", "exp", "expenditure_total", "total"), ("t04", "exp", "closing_balance", "total")])

    # Income side: this year's appropriations by fund (lines 1-3), derivable from the balance.
    for fund, fund_title in FUNDS:
        key = ("t04", "inc", fund)
        ledger.add(key, f"{title}收入“{fund_title}”")
        balance = [("t04", "exp", "expenditure_total", fund), ("t04", "exp", "closing_balance", fund), Term(("t04", "inc", "opening", fund), -1)]
        if fs.income is not None and fund in fs.income.model_fields_set:
            ledger.add(key, ledger.label(key), getattr(fs.income, fund), ("fiscal_summary", "income", fund))
            ledger.check("R16", key, balance)
        elif fund == "government_fund" and data.government_fund:
            ledger.derive("X06", key, [("t07", "合计", "income")])
            ledger.check("R16", key, balance)
        else:
            ledger.derive("R16", key, balance)
    for line, line_title in T04_INCOME_KEYS.items():
        ledger.add(("t04", "inc", line), f"{title}“{line_title}”")
    ledger.derive("R12", ("t04", "inc", "income_total"), [("t04", "inc", f) for f, _ in FUNDS])
    ledger.derive("R12", ("t04", "inc", "opening_total"), [("t04", "inc", "opening", f) for f, _ in FUNDS])
    ledger.derive("R12", ("t04", "inc", "total"), [("t04", "inc", "income_total"), ("t04", "inc", "opening_total")])
    ledger.check("R13", ("t04", "inc", "total"), [("t04", "exp", "total", "total")])

    for line, value in fs.stated.income.items():
        ledger.add(("t04", "inc", line), ledger.label(("t04", "inc", line)), value, ("fiscal_summary", "stated", "income", line))
    for line, values in fs.stated.expenditure.items():
        for (column, _), value in zip(columns, values):
            ledger.add(("t04", "exp", line, column), ledger.label(("t04", "exp", line, column)), value, ("fiscal_summary", "stated", "expenditure", line))


# --------------------------------------------------------------------------- 公开01表


def _t01(ledger: Ledger, data: DataSet, rows: dict[str, SubjectRows]) -> None:
    summary = data.summary
    title = "收入支出决算总表"
    for line, line_title in T01_INCOME_KEYS.items():
        ledger.add(("t01", "inc", line), f"{title}收入“{line_title}”")
    for fund, _ in FUNDS:
        ledger.derive("X04", ("t01", "inc", fund), [("t04", "inc", fund)])
    for column in ("superior", "business", "operating", "affiliated", "other"):
        ledger.derive("X02", ("t01", "inc", column), [("t02", "合计", column)])
    ledger.check("X02", ("t02", "合计", "fiscal"), [("t01", "inc", f) for f, _ in FUNDS])
    income_lines = [f for f, _ in FUNDS] + ["superior", "business", "operating", "affiliated", "other"]
    ledger.derive("R01", ("t01", "inc", "income_total"), [("t01", "inc", k) for k in income_lines])
    ledger.check("X01", ("t01", "inc", "income_total"), [("t02", "合计", "total")])
    for line in ("non_fiscal_balance_used", "opening_balance"):
        ledger.add(("t01", "inc", line), ledger.label(("t01", "inc", line)), getattr(summary, line), ("summary", line))
    ledger.derive(
        "R03", ("t01", "inc", "total"), [("t01", "inc", k) for k in ("income_total", "non_fiscal_balance_used", "opening_balance")]
    )

    classes = reference.expenditure_classes()
    for cls in classes:
        key = ("t01", "exp", cls.code)
        ledger.add(key, f"{title}“{cls.label}”")
        ledger.derive("X03", key, _table_value_key(rows, "t03", cls.code, "total"))
    for line, line_title in T01_EXPENDITURE_KEYS.items():
        ledger.add(("t01", "exp", line), f"{title}支出“{line_title}”")
    ledger.derive("R02", ("t01", "exp", "expenditure_total"), [("t01", "exp", c.code) for c in classes])
    ledger.check("X03", ("t01", "exp", "expenditure_total"), [("t03", "合计", "total")])
    for line in ("surplus_distribution", "closing_balance"):
        ledger.add(("t01", "exp", line), ledger.label(("t01", "exp", line)), getattr(summary, line), ("summary", line))
    ledger.derive(
        "R04", ("t01", "exp", "total"), [("t01", "exp", k) for k in ("expenditure_total", "surplus_distribution", "closing_balance")]
    )
    ledger.check("R05", ("t01", "inc", "total"), [("t01", "exp", "total")])
    ledger.check("X10", ("t04", "inc", "total"), [("t01", "inc", "total")], "<=")
    ledger.check("X11", ("t04", "inc", "opening_total"), [("t01", "inc", "opening_balance")], "<=")

    for line, value in summary.stated.income.items():
        ledger.add(("t01", "inc", line), ledger.label(("t01", "inc", line)), value, ("summary", "stated", "income", line))
    for line, value in summary.stated.expenditure.items():
        key = ("t01", "exp", line)
        ledger.add(key, ledger.label(key) if key in ledger else f"{title}“{line}”", value, ("summary", "stated", "expenditure", line))

    # t03 against the fiscal tables: spending can only exceed appropriations (X09).
    ledger.check("X09", ("t03", "合计", "total"), [("t05", "合计", "total"), ("t07", "合计", "total"), ("t08", "合计", "total")], ">=")
    for code in rows["t05"].codes:
        for column in ("basic", "project"):
            if code in rows["t03"].codes:
                ledger.check("X09", ("t03", code, column), [("t05", code, column)], ">=")


# --------------------------------------------------------------------------- 公开06表


def _t06(ledger: Ledger, data: DataSet) -> None:
    title = "基本支出决算明细表"
    items = data.basic_expenditure.items
    codes = set(items)
    for code in list(codes):
        codes.add(code[:3])
    for code in sorted(codes):
        name = reference.economic_canonical_name(code) or ""
        given = items.get(code)
        ledger.add(("t06", code), f"{title} {code} {name}".rstrip(), given, ("basic_expenditure", "items", code) if given is not None else None)
    for code in sorted(c for c in codes if len(c) == 3):
        kids = [("t06", c) for c in sorted(codes) if len(c) == 5 and c.startswith(code)]
        if kids:
            ledger.derive("R14", ("t06", code), kids)
    be = data.basic_expenditure
    ledger.add(("t06", "personnel_total"), f"{title}“人员经费合计”", be.personnel_total, ("basic_expenditure", "personnel_total"))
    ledger.add(("t06", "public_total"), f"{title}“公用经费合计”", be.public_total, ("basic_expenditure", "public_total"))
    for total, classes in (("personnel_total", PERSONNEL_CLASSES), ("public_total", PUBLIC_CLASSES)):
        present = [("t06", c) for c in classes if ("t06", c) in ledger]
        # A stated total over a partial list (or with none of its items) is taken as given.
        stated = ledger.figures[("t06", total)].given is not None
        if not (stated and (be.partial or not present)):
            ledger.derive("R14", ("t06", total), present)
    if items or be.personnel_total is not None or be.public_total is not None:
        ledger.check("X08", ("t05", "合计", "basic"), [("t06", "personnel_total"), ("t06", "public_total")])


# --------------------------------------------------------------------------- 公开09表 三公


def _t09(ledger: Ledger, data: DataSet) -> None:
    tp = data.three_public
    for side, side_title in (("budget", "预算数"), ("final", "决算数")):
        amounts = getattr(tp, side)
        for item, item_title in THREE_PUBLIC_ITEMS:
            ledger.add(("t09", side, item), f"“三公”经费{side_title}“{item_title}”", getattr(amounts, item), ("three_public", side, item))
        ledger.add(("t09", side, "vehicle"), f"“三公”经费{side_title}“公务用车购置及运行维护费”", amounts.vehicle, ("three_public", side, "vehicle"))
        ledger.add(("t09", side, "total"), f"“三公”经费{side_title}“合计”", amounts.total, ("three_public", side, "total"))
        ledger.derive("R15", ("t09", side, "vehicle"), [("t09", side, "vehicle_purchase"), ("t09", side, "vehicle_operation")])
        ledger.derive("R15", ("t09", side, "total"), [("t09", side, "abroad"), ("t09", side, "vehicle"), ("t09", side, "reception")])
    for econ, item in (("30212", "abroad"), ("30217", "reception"), ("30231", "vehicle_operation"), ("31013", "vehicle_purchase")):
        if ("t06", econ) in ledger:
            ledger.check("X12", ("t06", econ), [("t09", "final", item)], "<=")


# --------------------------------------------------------------------------- facts


def _facts(ledger: Ledger, data: DataSet) -> None:
    tp = data.three_public
    ledger.add(("fact", "foreign_reception"), "外宾接待支出", tp.foreign_reception.amount or Decimal(0), ("three_public", "foreign_reception", "amount"))
    ledger.add(("fact", "domestic_reception"), "国内公务接待支出", tp.domestic_reception.amount, ("three_public", "domestic_reception", "amount"))
    ledger.derive("N11", ("fact", "domestic_reception"), [("t09", "final", "reception"), Term(("fact", "foreign_reception"), -1)])
    ledger.check("N11", ("fact", "foreign_reception"), [("t09", "final", "reception")], "<=")

    p = data.procurement
    for name, title in (("goods", "政府采购货物支出"), ("works", "政府采购工程支出"), ("services", "政府采购服务支出"), ("sme", "授予中小企业合同金额"), ("small_micro", "授予小微企业合同金额")):
        ledger.add(("fact", "procurement", name), title, getattr(p, name), ("procurement", name))
    ledger.add(("fact", "procurement", "total"), "政府采购支出总额", p.total, ("procurement", "total"))
    ledger.derive("N13", ("fact", "procurement", "total"), [("fact", "procurement", n) for n in ("goods", "works", "services")])
    ledger.check("N13", ("fact", "procurement", "sme"), [("fact", "procurement", "total")], "<=")
    ledger.check("N13", ("fact", "procurement", "small_micro"), [("fact", "procurement", "sme")], "<=")
    for name, title in (("goods_sme", "goods"), ("works_sme", "works"), ("services_sme", "services")):
        value = getattr(p, name)
        if value is not None:
            ledger.add(("fact", "procurement", name), f"{title}采购授予中小企业合同金额", value, ("procurement", name))
            ledger.check("N13", ("fact", "procurement", name), [("fact", "procurement", title)], "<=")

    ledger.add(("fact", "operating_cost"), "机关运行经费", data.operating_cost.amount, ("operating_cost", "amount"))
    ledger.check("X13", ("fact", "operating_cost"), [("t06", "public_total")], "<=")

    items = data.budgets.general_budget_items
    for i, item in enumerate(items):
        ledger.add(("fact", "budget", item.code), f"{item.code} 年初预算", item.initial_budget, ("budgets", "general_budget_items", i, "initial_budget"))
    ledger.add(("fact", "budget", "total"), "一般公共预算财政拨款支出年初预算合计", data.budgets.general_budget_total, ("budgets", "general_budget_total"))
    ledger.derive("N07", ("fact", "budget", "total"), [("fact", "budget", item.code) for item in items])
