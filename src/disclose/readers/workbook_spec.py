"""The layout of the Excel workbook that finance clerks fill in: one declaration for writer and reader.

``disclose template`` (``disclose.writers.xlsx``) writes the sheets declared here and
``disclose.readers.excel_reader`` reads them back, so the two cannot drift apart. Every
cell names the path of the value it holds in the input model (``disclose.model.dataset``);
what the cell accepts (an amount, a count, a code, a text, a choice) and its Chinese label
come from the model itself, so a field added to the model only needs a line here, and
``tests/test_workbook.py`` fails until it has one (it walks the model and checks that every
leaf is reachable from some cell).

Two kinds of sheet:

* ``KVSheet`` — 项目 | 值 | 说明: one row per field, grouped in sections; a section may have
  several value columns (预算数 | 决算数; 一般公共预算 | 政府性基金 | 国有资本经营). Rows are
  read by position and their 项目 text is checked, so inserted or moved rows are reported.
* ``TableSheet`` — one row per item of a list (收入决算, 绩效指标…) or per entry of a dict
  (基本支出 by economic code), or per paragraph of several text lists (``mode="text"``,
  the 栏目 column says which list). A child table (资金管理, 绩效指标, 评价报告正文) is keyed
  by its parent's key column (项目名称, 报告序号). Blank rows are skipped, rows beyond the
  formatted area are read, and derived columns (formulas, grey, locked) are never read.

A blank cell means "not given" (the model's default or derivation applies), a 0 means 0:
the distinction matters (a 类 figure left out is derived, a 0 is checked).
"""

from __future__ import annotations

import functools
import inspect
import types
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Callable, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.functional_validators import BeforeValidator

from disclose import reference
from disclose.model import types as model_types
from disclose.model.dataset import T01_EXPENDITURE_KEYS, T01_INCOME_KEYS, T04_EXPENDITURE_KEYS, T04_INCOME_KEYS, DataSet

Path = tuple[Any, ...]

WORKBOOK_VERSION = 1  # bump when a sheet's layout changes incompatibly
MARKER = "disclose 填报工作簿"
LISTS_SHEET = "_lists"  # hidden: version cell, drop-down lists
GUIDE_SHEET = "填表说明"
TITLE_ROW, INTRO_ROW, HEADER_ROW = 1, 2, 3
FORMULA_ROWS = 5000  # derived formulas and validations reach this far below the header
MAX_ROWS = 20000  # more rows than this on one sheet is not a department's data

SUBJECT_LIST = "功能科目"  # defined names of the drop-down lists on the hidden sheet
ECONOMIC_LIST = "经济科目"
PROJECT_LIST = "项目名称"


# --------------------------------------------------------------------------- the model side


_VALIDATOR_KINDS = {
    model_types._amount: "amount",
    model_types._form_number: "form",
    model_types._signed_form_number: "signed",
    model_types._count: "count",
    model_types._text: "text",
    model_types._subject_code: "subject",
    model_types._economic_code: "economic",
}
NUMBER_KINDS = {"amount", "form", "signed", "count", "int"}
PLACES = {"amount": 2, "form": 4, "signed": 4}


@dataclass(frozen=True)
class Leaf:
    """What one cell holds, as the model declares it."""

    kind: str  # amount form signed count int text subject economic bool enum
    title: str
    description: str | None
    required: bool
    default: Any
    choices: tuple = ()


def _strip(tp: Any) -> tuple[Any, list]:
    meta: list = []
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            args = get_args(tp)
            tp, meta = args[0], meta + list(args[1:])
            continue
        if origin in (Union, types.UnionType):
            args = [a for a in get_args(tp) if a is not type(None)]
            if len(args) == 1:
                tp = args[0]
                continue
        return tp, meta


def _annotated(field_info) -> Any:
    if field_info.metadata:
        return Annotated[(field_info.annotation, *field_info.metadata)]
    return field_info.annotation


def _is_model(tp: Any) -> bool:
    return inspect.isclass(tp) and issubclass(tp, BaseModel)


@functools.cache
def resolve(path: Path) -> Leaf:
    """The leaf at ``path`` (list indices as ints or "*", dict keys as strings)."""
    tp: Any = DataSet
    info = None
    owner_field = True
    for part in path:
        base, _ = _strip(tp)
        if get_origin(base) is list:
            if not (isinstance(part, int) or part == "*"):
                raise KeyError(f"{path}: {part!r} where a list index belongs")
            tp, owner_field = get_args(base)[0], False
        elif get_origin(base) is dict:
            tp, owner_field = get_args(base)[1], False
        elif _is_model(base):
            if part not in base.model_fields:
                raise KeyError(f"{path}: {base.__name__} has no field {part!r}")
            info = base.model_fields[part]
            tp, owner_field = _annotated(info), True
        else:
            raise KeyError(f"{path}: {part!r} below a leaf")
    base, meta = _strip(tp)
    kind = None
    for m in meta:
        if isinstance(m, BeforeValidator) and m.func in _VALIDATOR_KINDS:
            kind = _VALIDATOR_KINDS[m.func]
    choices: tuple = ()
    if kind is None:
        if base is bool:
            kind = "bool"
        elif base is int:
            kind = "int"
        elif get_origin(base) is Literal:
            kind, choices = "enum", get_args(base)
        elif base is str:
            kind = "text"
        elif base is Decimal:
            kind = "amount"
        else:
            raise KeyError(f"{path} is not a leaf ({base})")
    if info is None:
        raise KeyError(f"{path}: no field")
    required = owner_field and info.is_required()
    default = None
    if owner_field and not required:
        default = info.default_factory() if info.default_factory is not None else info.default
    return Leaf(kind, info.title or str(path[-1]), info.description, required, default, choices)


def title(path: Path) -> str:
    """The model's Chinese title of the field at ``path`` (a leaf or not)."""
    tp: Any = DataSet
    info = None
    for part in path:
        base, _ = _strip(tp)
        if get_origin(base) is list:
            tp = get_args(base)[0]
        elif get_origin(base) is dict:
            tp = get_args(base)[1]
        else:
            info = base.model_fields[part]
            tp = _annotated(info)
    return info.title if info is not None and info.title else str(path[-1])


def model_leaf_patterns() -> set[Path]:
    """Every leaf of the model as a pattern: ``*`` for a list index, ``{}`` for a dict key."""
    out: set[Path] = set()

    def walk(tp: Any, prefix: Path) -> None:
        base, _ = _strip(tp)
        if _is_model(base):
            for name, info in base.model_fields.items():
                walk(_annotated(info), prefix + (name,))
        elif get_origin(base) is list:
            walk(get_args(base)[0], prefix + ("*",))
        elif get_origin(base) is dict:
            walk(get_args(base)[1], prefix + ("{}",))
        else:
            out.add(prefix)

    walk(DataSet, ())
    return out


def pattern_of(path: Path) -> Path:
    """A concrete path as a pattern (indices → ``*``, dict keys → ``{}``)."""
    out: list = []
    tp: Any = DataSet
    for part in path:
        base, _ = _strip(tp)
        if get_origin(base) is list:
            out.append("*")
            tp = get_args(base)[0]
        elif get_origin(base) is dict:
            out.append("{}")
            tp = get_args(base)[1]
        else:
            out.append(part)
            tp = _annotated(base.model_fields[part])
    return tuple(out)


# --------------------------------------------------------------------------- key/value sheets


@dataclass(frozen=True)
class Row:
    """One row of a key/value sheet: a label and one input cell per value column."""

    cells: tuple[Path | None, ...]
    label: str | None = None  # default: the model's title of the first cell's field
    note: str | None = None  # default: the model's description (+ default value)
    key: str | None = None  # to refer to this row from a derived row
    sum_of: tuple[str, ...] = ()  # a derived row: per column, the sum of these rows (by key)
    whole: bool = False  # the cells form one list value (all filled or none)

    @property
    def derived(self) -> bool:
        return bool(self.sum_of)

    def row_key(self) -> str:
        if self.key:
            return self.key
        first = next(p for p in self.cells if p is not None)
        return str(first[-1])


@dataclass(frozen=True)
class Section:
    title: str
    rows: tuple[Row, ...]
    columns: tuple[str, ...] = ("值",)


@dataclass(frozen=True)
class KVSheet:
    name: str
    title: str
    intro: str
    sections: tuple[Section, ...]
    value_width: float = 18.0  # per value column (one column: the width of the whole value area)
    landscape: bool = False

    @property
    def ncols(self) -> int:
        return max(len(s.columns) for s in self.sections)

    def layout(self) -> list[tuple[int, Section, Row | None]]:
        """(row number, section, row) for every line; row None is the section's header line."""
        out = []
        r = HEADER_ROW
        for section in self.sections:
            out.append((r, section, None))
            r += 1
            for row in section.rows:
                out.append((r, section, row))
                r += 1
            r += 1  # a blank line between sections
        return out

    def row_label(self, row: Row) -> str:
        if row.label:
            return row.label
        first = next(p for p in row.cells if p is not None)
        return resolve(first).title

    def paths(self) -> list[Path]:
        return [p for s in self.sections for row in s.rows for p in row.cells if p is not None]


# --------------------------------------------------------------------------- table sheets


Formula = Callable[[dict[str, str], int], str]


@dataclass(frozen=True)
class Column:
    id: str
    header: str
    field: Path | None = None  # relative to the row's item; None for key/parent/choice/derived columns
    role: str = "input"  # input | key (parent key) | parent (reference to it) | choice (栏目) | dictkey | derived
    width: float = 14.0
    formula: Formula | None = None  # derived columns
    total: bool = False  # derived/amount column summed in the 项级合计 row
    note: str | None = None
    flag: str | None = None  # a check-box column of a list of choices: "√" puts this choice in the list

    @property
    def is_input(self) -> bool:
        return self.role != "derived"


@dataclass(frozen=True)
class TableSheet:
    name: str
    title: str
    intro: str
    path: Path  # the list (or dict) in the model; for a child table, relative to the parent's item
    columns: tuple[Column, ...]
    mode: str = "list"  # list | dict | text
    parent: str | None = None  # child table: the name of the parent table sheet
    choices: tuple[tuple[str, Path], ...] = ()  # text mode: 栏目 label → list path
    summary_row: bool = False  # a 项级合计（自动） line under the header
    blank_rows: int = 30  # formatted empty rows below the data
    landscape: bool = True
    prelisted: Callable[[str | None, str | None], list[str]] | None = None  # dict mode: keys listed in advance

    @property
    def first_row(self) -> int:
        return HEADER_ROW + (2 if self.summary_row else 1)

    def letters(self) -> dict[str, str]:
        from openpyxl.utils import get_column_letter

        return {c.id: get_column_letter(i) for i, c in enumerate(self.columns, 1)}

    def column(self, role: str) -> Column | None:
        return next((c for c in self.columns if c.role == role), None)

    def key_column(self) -> Column | None:
        """The column child tables refer to: a ``key`` column, or the field marked as key."""
        return self.column("key") or next((c for c in self.columns if c.id == KEY_FIELDS.get(self.name)), None)


KEY_FIELDS = {"项目自评": "project"}  # parents keyed by a model field


def _dict_key_leaf(path: Path) -> str:
    tp: Any = DataSet
    for part in path:
        base, _ = _strip(tp)
        if get_origin(base) is list:
            tp = get_args(base)[0]
        elif get_origin(base) is dict:
            tp = get_args(base)[1]
        else:
            tp = _annotated(base.model_fields[part])
    base, _ = _strip(tp)
    key_tp, meta = _strip(get_args(base)[0])
    for m in meta:
        if isinstance(m, BeforeValidator) and m.func in _VALIDATOR_KINDS:
            return _VALIDATOR_KINDS[m.func]
    return "text"


def absolute_pattern(sheet: TableSheet, parents: dict[str, TableSheet]) -> Path:
    if sheet.parent is None:
        return sheet.path
    return absolute_pattern(parents[sheet.parent], parents) + ("*",) + sheet.path


# --------------------------------------------------------------------------- helpers to declare


def kv(*path: Any, label: str | None = None, note: str | None = None) -> Row:
    return Row((tuple(path),), label=label, note=note)


def grid(label: str, *cells: Path | None, note: str | None = None, key: str | None = None, whole: bool = False) -> Row:
    return Row(tuple(cells), label=label, note=note, key=key, whole=whole)


def col(*fieldpath: Any, header: str | None = None, width: float = 14.0, note: str | None = None) -> Column:
    return Column(".".join(map(str, fieldpath)), header or "", tuple(fieldpath), width=width, note=note)


def flags(*fieldpath: Any, width: float = 7.0) -> tuple[Column, ...]:
    """One check-box column per choice of a list-of-choices field (打“√”的栏)."""
    path = tuple(fieldpath)
    leaf = resolve(("performance", "self_evaluations", 0, "indicators", 0) + path + (0,)) if path == ("reasons",) else None
    choices = leaf.choices if leaf else ()
    return tuple(Column(f"{'.'.join(map(str, path))}={c}", f"{c}（打√）", path, width=width, flag=c) for c in choices)


def derived(id: str, header: str, formula: Formula, width: float = 14.0, total: bool = False) -> Column:
    return Column(id, header, None, "derived", width, formula, total)


def _token(ref: str) -> str:
    """The code part of a code cell that may hold "2080101 行政运行" (picked from the list)."""
    return f'LEFT({ref},FIND(" ",{ref}&" ")-1)'


def _std_name(code: str, lookup: str) -> Formula:
    def f(c: dict[str, str], r: int) -> str:
        ref = f"{c[code]}{r}"
        return f'=IF({ref}="","",IF({ref}="合计","合计",IFERROR(VLOOKUP({_token(ref)},{LISTS_SHEET}!{lookup},2,FALSE),"（不在分类参考中）")))'

    return f


def _level(c: dict[str, str], r: int) -> str:
    ref = f"{c['code']}{r}"
    n = f"LEN({_token(ref)})"
    return f'=IF({ref}="","",IF({ref}="合计","合计",IF({n}=7,"项",IF({n}=5,"款",IF({n}=3,"类","？")))))'


def _row_sum(ids: list[str]) -> Formula:
    def f(c: dict[str, str], r: int) -> str:
        cells = ",".join(f"{c[i]}{r}" for i in ids)
        return f'=IF(COUNT({cells})=0,"",SUM({cells}))'

    return f


# --------------------------------------------------------------------------- the sheets


def _subject_table(name: str, field_name: str, title: str, inputs: list[str], total_title: str, *, extra: str = "") -> TableSheet:
    spent = [i for i in inputs if i not in ("opening", "income")]
    columns = [
        col("code", header="科目编码", width=13, note="从下拉列表选择或直接输入 7 位项级编码"),
        col("name", header="科目名称（可不填）", width=22),
        derived("std_name", "标准科目名称（自动）", _std_name("code", "$B:$C"), width=26),
        derived("level", "级次（自动）", _level, width=7),
        derived("auto_total", f"{total_title}（自动）", _row_sum(spent), width=15, total=True),
    ]
    columns += [col(i, width=14) for i in inputs]
    columns.append(col("total", header=f"{total_title}（已印数，可不填）", width=15))
    if field_name == "government_fund":
        def closing(c: dict[str, str], r: int) -> str:
            return (
                f'=IF(COUNT({c["opening"]}{r},{c["income"]}{r},{c["auto_total"]}{r})=0,"",'
                f'N({c["opening"]}{r})+N({c["income"]}{r})-N({c["auto_total"]}{r}))'
            )

        columns.append(derived("auto_closing", "年末结转和结余（自动）", closing, width=15, total=True))
        columns.append(col("closing", header="年末结转和结余（已印数，可不填）", width=15))
    intro = (
        "每个项级科目填一行，只填有数的栏；类、款、合计行与各合计栏由 disclose 汇总，不必填写。"
        "如要核对已公开的表，也可照印填列类、款行（编码 3、5 位）和“合计”行（编码写“合计”），填了就核对。" + extra
    )
    return TableSheet(name, title, intro, (field_name,), tuple(columns), summary_row=True, blank_rows=60)


@functools.cache
def _economic_prelisted(layout: str | None, variant: str | None) -> list[str]:
    name = "A"
    try:
        from disclose.document.layout import load_layout

        name = load_layout(layout or "henan", variant, check=False).profile["tables"]["items"]["t06"].get("list", "A")
    except Exception:  # noqa: BLE001 - an unknown layout still gets the national list
        name = "A"
    return [code for group in reference.economic_list(name) for code, _ in group]


def _fund_grid(label: str, node: tuple, note: str | None = None) -> Row:
    return grid(label, *(node + (f,) for f in ("general_budget", "government_fund", "state_capital")), note=note)


def _funds_line(label: str, node: tuple, note: str | None = None) -> Row:
    return grid(label, *(node + (f,) for f in ("initial", "full_year", "executed")), note=note)


CHANGE_ITEMS = ("total", "fiscal_total", "general_budget", "operating_cost", "income_total", "expenditure_total", "closing_balance", "fiscal_expenditure")
THREE_PUBLIC_TEXT = ("overall", "abroad", "vehicle", "reception")
FUND_KEYS = ("general_budget", "government_fund", "state_capital")


def _stated_sections() -> tuple[Section, ...]:
    classes = reference.expenditure_classes()
    t01_in = tuple(kv("summary", "stated", "income", k, label=t, note="") for k, t in T01_INCOME_KEYS.items())
    t01_out = tuple(kv("summary", "stated", "expenditure", c.code, label=f"{c.code} {c.name}", note="") for c in classes) + tuple(
        kv("summary", "stated", "expenditure", k, label=t, note="") for k, t in T01_EXPENDITURE_KEYS.items()
    )
    t04_in = tuple(kv("fiscal_summary", "stated", "income", k, label=t, note="") for k, t in T04_INCOME_KEYS.items())

    def four(key: str, label: str) -> Row:
        return grid(label, *(("fiscal_summary", "stated", "expenditure", key, i) for i in range(4)), whole=True,
                    note="四个数都填，或都不填", key=f"t04-{key}")

    t04_out = tuple(four(c.code, f"{c.code} {c.name}") for c in classes) + tuple(four(k, t) for k, t in T04_EXPENDITURE_KEYS.items())
    return (
        Section("公开01表 收入方（已印数）", t01_in, ("金额",)),
        Section("公开01表 支出方（已印数）", t01_out, ("金额",)),
        Section("公开04表 收入方（已印数）", t04_in, ("金额",)),
        Section("公开04表 支出方（已印数）", t04_out, ("合计", "一般公共预算", "政府性基金", "国有资本经营")),
    )


def _indicator_columns() -> list[Column]:
    return [
        col("level1", width=12),
        col("level2", width=14),
        col("name", width=26),
        col("target", width=14),
        col("actual", width=14),
        col("weight", width=8),
        col("score", header="得分（可不填）", width=9),
        col("deviation", header="偏差度（可不填）", width=9),
        col("remark", width=30),
        col("completion", width=9),
        *flags("reasons"),
        col("measures", width=24),
    ]


def build_sheets() -> tuple[tuple[KVSheet | TableSheet, ...], str]:
    three = ("three_public",)
    perf = ("performance",)
    overall = perf + ("overall",)
    sheets: list[KVSheet | TableSheet] = [
        KVSheet(
            "单位信息",
            "单位信息",
            "先填本表：部门全称、决算年度和金额单位决定整个工作簿的填法。带 * 的为必填项。",
            (
                Section(
                    "基本信息",
                    (
                        kv("profile", "department"),
                        kv("profile", "cover_name"),
                        kv("profile", "year"),
                        kv("profile", "unit", note="本工作簿中所有金额的单位：元（推荐，精确到分）或 万元（四舍五入到两位小数）"),
                        kv("profile", "layout"),
                        kv("profile", "variant"),
                        kv("profile", "publish_month"),
                        kv("format", note="当前为 1，可不填"),
                    ),
                ),
            ),
            value_width=46,
        ),
        KVSheet(
            "部门概况",
            "部门概况",
            "第一部分“部门概况”的设置。职责、内设机构、单位名单逐条填在“概况文字”表中。",
            (
                Section(
                    "部门职责与机构设置",
                    (
                        kv("overview", "duties_heading"),
                        kv("overview", "duties_intro"),
                        kv("overview", "duties_style"),
                        kv("overview", "internal_departments_note"),
                        kv("overview", "composition"),
                    ),
                ),
            ),
            value_width=46,
        ),
        TableSheet(
            "概况文字",
            "部门概况：逐条填写的文字",
            "每条一行：在“栏目”中选择所属部分，“内容”填一条职责、一个内设机构、一个单位或一段原文（不含编号）。同一栏目的各行按先后顺序印出。",
            ("overview",),
            (
                Column("choice", "栏目", role="choice", width=24),
                Column("text", "内容", role="input", width=100),
            ),
            mode="text",
            choices=tuple(
                (title(("overview", f)), ("overview", f))
                for f in ("duties", "internal_departments", "units", "structure_text")
            ),
            landscape=False,
        ),
        _subject_table(
            "收入决算", "income", "收入决算表（公开02表）",
            ["fiscal", "superior", "business", "operating", "affiliated", "other"], "本年收入合计",
        ),
        _subject_table(
            "支出决算", "expenditure", "支出决算表（公开03表）",
            ["basic", "project", "remit", "operating", "affiliated"], "本年支出合计",
        ),
        _subject_table(
            "一般公共预算支出", "general_budget", "一般公共预算财政拨款支出决算表（公开05表）", ["basic", "project"], "小计",
            extra="年初预算有数而决算为 0 的项也会列入公开05表，不必在此填写（见“年初预算按项”）。",
        ),
        TableSheet(
            "基本支出",
            "一般公共预算财政拨款基本支出（公开06表，按经济分类）",
            "按支出经济分类款级科目填金额，没有的留空。类级编码（如 301）可填，填了就核对。"
            "表中未列的科目，在下方空行中填编码和金额。人员经费合计、公用经费合计在“总表补充数”表中。",
            ("basic_expenditure", "items"),
            (
                Column("key", "经济分类科目编码", role="dictkey", width=16),
                derived("std_name", "科目名称（自动）", _std_name("key", "$E:$F"), width=30),
                Column("value", "金额", role="input", width=16),
            ),
            mode="dict",
            blank_rows=20,
            landscape=False,
            prelisted=_economic_prelisted,
        ),
        KVSheet(
            "三公经费",
            "财政拨款“三公”经费（公开09表）",
            "预算数、决算数按公开09表填列；小计、合计可不填（自动计算），填了就核对。",
            (
                Section(
                    "“三公”经费",
                    (
                        *(
                            grid(title(three + ("final", item)), three + ("budget", item), three + ("final", item), key=item)
                            for item in ("abroad", "vehicle_purchase", "vehicle_operation", "reception")
                        ),
                        grid("公务用车购置及运行维护费小计（已印数，可不填）", three + ("budget", "vehicle"), three + ("final", "vehicle")),
                        grid("合计（已印数，可不填）", three + ("budget", "total"), three + ("final", "total")),
                        Row((None, None), label="公务用车购置及运行维护费小计（自动）", key="auto_vehicle", sum_of=("vehicle_purchase", "vehicle_operation")),
                        Row((None, None), label="合计（自动）", key="auto_total", sum_of=("abroad", "vehicle_purchase", "vehicle_operation", "reception")),
                    ),
                    ("预算数", "决算数"),
                ),
                Section(
                    "因公出国（境）、公务用车",
                    tuple(kv(*three, f) for f in ("abroad_groups", "abroad_people", "vehicles_purchased", "vehicle_fleet")),
                    ("数量",),
                ),
                Section(
                    "公务接待",
                    (
                        grid("外宾接待", three + ("foreign_reception", "amount"), three + ("foreign_reception", "groups"), three + ("foreign_reception", "people")),
                        grid("国内公务接待", three + ("domestic_reception", "amount"), three + ("domestic_reception", "groups"), three + ("domestic_reception", "people"),
                             note="金额可不填：公务接待费 − 外宾接待"),
                    ),
                    ("金额", "团组（批次）数", "人次"),
                ),
            ),
        ),
        _subject_table(
            "政府性基金", "government_fund", "政府性基金预算财政拨款收入支出决算表（公开07表）",
            ["opening", "income", "basic", "project"], "本年支出小计", extra="没有政府性基金的部门不填本表。",
        ),
        _subject_table(
            "国有资本经营", "state_capital", "国有资本经营预算财政拨款支出决算表（公开08表）", ["basic", "project"], "小计",
            extra="没有国有资本经营预算的部门不填本表。",
        ),
        KVSheet(
            "总表补充数",
            "两张总表与公开06表中不能由其他表推出的数",
            "收入支出决算总表（公开01表）和财政拨款收入支出决算总表（公开04表）的其余各行由 disclose 从各表推算。",
            (
                Section(
                    "收入支出决算总表（公开01表）",
                    tuple(kv("summary", f) for f in ("non_fiscal_balance_used", "opening_balance", "surplus_distribution", "closing_balance")),
                    ("金额",),
                ),
                Section(
                    "财政拨款收入支出决算总表（公开04表）",
                    (
                        _fund_grid("本年财政拨款收入（可不填）", ("fiscal_summary", "income"), note="可不填：本年支出 + 年末结转和结余 − 年初结转和结余"),
                        _fund_grid("年初财政拨款结转和结余", ("fiscal_summary", "opening_balance"), note="政府性基金一栏可不填（取公开07表）"),
                        _fund_grid("年末财政拨款结转和结余", ("fiscal_summary", "closing_balance"), note="政府性基金一栏可不填（取公开07表）"),
                    ),
                    ("一般公共预算", "政府性基金", "国有资本经营"),
                ),
                Section(
                    "一般公共预算财政拨款基本支出（公开06表）",
                    (
                        kv("basic_expenditure", "personnel_total"),
                        kv("basic_expenditure", "public_total"),
                        kv("basic_expenditure", "partial", note="原始资料不全时选“是”：人员经费合计、公用经费合计按填写值使用，不与所列科目之和核对"),
                    ),
                    ("金额",),
                ),
            ),
        ),
        KVSheet(
            "总表已印数",
            "两张总表已印出的数（核对用，可不填）",
            "照已公开的公开01表、公开04表填列，disclose 与推算值核对；新编决算不必填写本表。公开04表支出方每行四个数都填或都不填。",
            _stated_sections(),
            value_width=15,
        ),
        KVSheet(
            "上年数与年初预算",
            "与上年相比的上年数、年初预算数",
            "上年数可用 disclose template --prior 上年数据 自动填入（取上年数据推算出的合计数）。",
            (
                Section(
                    "与上年相比：上年数",
                    tuple(kv("changes", item, "prior_year", label=title(("changes", item))) for item in CHANGE_ITEMS),
                    ("上年数",),
                ),
                Section(
                    "“三公”经费上年决算数",
                    tuple(kv(*three, "prior_year", item) for item in ("abroad", "vehicle", "reception")),
                    ("上年决算数",),
                ),
                Section(
                    "年初预算",
                    (
                        kv("budgets", "general_budget_total"),
                        kv("budgets", "government_fund", "initial_budget", label="政府性基金预算财政拨款年初预算数"),
                        kv("budgets", "state_capital", "initial_budget", label="国有资本经营预算财政拨款年初预算数"),
                        kv("budgets", "fiscal_basic"),
                        kv("budgets", "fiscal_project"),
                    ),
                    ("年初预算数",),
                ),
            ),
        ),
        TableSheet(
            "年初预算按项",
            "一般公共预算财政拨款支出：年初预算数与差异原因（按项）",
            "每个项级科目一行：年初预算数，以及决算数与年初预算数存在差异的主要原因。决算数、差额自动取自“一般公共预算支出”表，仅供参考。",
            ("budgets", "general_budget_items"),
            (
                col("code", header="科目编码", width=13),
                derived("std_name", "标准科目名称（自动）", _std_name("code", "$B:$C"), width=26),
                col("initial_budget", width=14),
                derived("final", "决算数（自动）", lambda c, r: (
                    f'=IF({c["code"]}{r}="","",SUMIFS(\'一般公共预算支出\'!$E${HEADER_ROW + 2}:$E${FORMULA_ROWS},'
                    f'\'一般公共预算支出\'!$A${HEADER_ROW + 2}:$A${FORMULA_ROWS},LEFT({c["code"]}{r},7)&"*"))'
                ), width=14),
                derived("difference", "决算数 − 年初预算数（自动）", lambda c, r: (
                    f'=IF({c["code"]}{r}="","",N({c["final"]}{r})-N({c["initial_budget"]}{r}))'
                ), width=14),
                col("reason", header="决算数与年初预算数存在差异的主要原因", width=40),
                col("usage", width=30),
            ),
            blank_rows=40,
        ),
        KVSheet(
            "情况说明原因",
            "情况说明中由部门填写的原因与用途",
            "每格填一句话，不加句号；情况说明按版式把它们写入相应段落。",
            (
                Section(
                    "与上年相比变化的主要原因",
                    tuple(kv("changes", item, "reason", label=title(("changes", item))) for item in CHANGE_ITEMS),
                    ("主要原因",),
                ),
                Section(
                    "“三公”经费决算数与预算数差异的主要原因",
                    tuple(kv(*three, "reasons", item) for item in THREE_PUBLIC_TEXT),
                    ("主要原因",),
                ),
                Section(
                    "“三公”经费与上年相比变化的主要原因",
                    tuple(kv(*three, "prior_reasons", item) for item in THREE_PUBLIC_TEXT),
                    ("主要原因",),
                ),
                Section(
                    "“三公”经费主要用途",
                    (
                        kv(*three, "usage", "vehicle_operation", label="公务用车运行维护费主要用于"),
                        kv(*three, "usage", "domestic_reception", label="国内公务接待主要用于"),
                    ),
                    ("主要用途",),
                ),
                Section(
                    "政府性基金、国有资本经营预算",
                    (
                        kv("budgets", "government_fund", "usage", label="政府性基金预算财政拨款主要用于"),
                        kv("budgets", "government_fund", "carry_over_note", label="政府性基金年末结转和结余说明"),
                        kv("budgets", "state_capital", "usage", label="国有资本经营预算财政拨款主要用于"),
                        kv("budgets", "state_capital", "carry_over_note", label="国有资本经营年末结转和结余说明"),
                    ),
                    ("内容",),
                ),
            ),
            value_width=70,
        ),
        KVSheet(
            "采购与资产",
            "机关运行经费、政府采购、国有资产占用",
            "情况说明十至十二所需的数。合计可不填（自动计算），填了就核对。",
            (
                Section("机关运行经费", (kv("operating_cost", "amount"),), ("金额",)),
                Section(
                    "政府采购",
                    (
                        *(Row((("procurement", f),), key=f) for f in ("goods", "works", "services")),
                        kv("procurement", "total"),
                        Row((None,), label="政府采购支出总额（自动）", key="auto_procurement", sum_of=("goods", "works", "services")),
                        *(kv("procurement", f) for f in ("sme", "small_micro", "goods_sme", "works_sme", "services_sme")),
                    ),
                    ("金额",),
                ),
                Section(
                    "国有资产占用",
                    (
                        *(Row((("assets", "vehicles", f),), key=f) for f in (
                            "leaders", "principal_leaders", "confidential", "emergency", "law_enforcement",
                            "special_technical", "retired_cadres", "other")),
                        kv("assets", "vehicles", "total"),
                        Row((None,), label="车辆合计（自动）", key="auto_vehicles", sum_of=(
                            "leaders", "principal_leaders", "confidential", "emergency", "law_enforcement",
                            "special_technical", "retired_cadres", "other")),
                        kv("assets", "other_vehicles_note"),
                        kv("assets", "equipment_over_1m"),
                    ),
                    ("数量",),
                ),
            ),
            value_width=40,
        ),
        KVSheet(
            "绩效情况",
            "预算绩效情况（情况说明十三）",
            "办法名称、部门评价项目名称和部门撰写的段落填在“绩效文字”表中。",
            (
                Section("绩效目标", (kv(*perf, "target_projects"), kv(*perf, "target_amount")), ("值",)),
                Section("绩效监控", tuple(kv(*perf, "monitoring", f) for f in ("year", "month", "projects", "executed", "rate")), ("值",)),
                Section(
                    "部门评价",
                    tuple(kv(*perf, "department_evaluation", f) for f in ("projects", "amount", "issues", "advices")),
                    ("值",),
                ),
                Section(
                    "项目单位自评汇总表（附件）",
                    (
                        kv(*perf, "summary_table", "label"),
                        kv(*perf, "summary_table", "title", note="不填为“项目单位自评汇总表”；各行填在“自评汇总表”表中"),
                    ),
                    ("值",),
                ),
            ),
            value_width=46,
        ),
        TableSheet(
            "绩效文字",
            "预算绩效：逐条填写的文字",
            "每条一行：在“栏目”中选择所属部分，“内容”填一个办法名称、一个项目名称或一段文字。"
            "（一）（二）（三）填了就原样印出，代替自动生成的段落。",
            ("performance",),
            (
                Column("choice", "栏目", role="choice", width=30),
                Column("text", "内容", role="input", width=100),
            ),
            mode="text",
            choices=(
                (title(perf + ("regulations",)), perf + ("regulations",)),
                (title(perf + ("department_evaluation", "names")), perf + ("department_evaluation", "names")),
                *((title(perf + ("text", f)), perf + ("text", f)) for f in ("management", "results", "evaluation", "fiscal_evaluation")),
            ),
            landscape=False,
        ),
        TableSheet(
            "项目自评",
            "项目支出绩效自评表（每个项目一行）",
            "每个项目一行，资金单位为万元（照表填写）。资金管理情况、绩效指标分别填在“自评资金管理”“自评绩效指标”表中，按项目名称对应。",
            ("performance", "self_evaluations"),
            (
                col("project", width=28),
                col("period", width=11),
                col("department", width=16),
                col("implementer", width=16),
                col("unit", width=16),
                *(col("funds", line, part, header=f"{title(('performance', 'self_evaluations', 0, 'funds', line))}\n{title(('performance', 'self_evaluations', 0, 'funds', line, part))}", width=10)
                  for line in ("fiscal", "special_account", "unit_funds", "total") for part in ("initial", "full_year", "executed")),
                col("funds", "weight", header="资金分值（不填为 10）", width=8),
                col("funds", "rate", header="执行率（已印数）", width=9),
                col("funds", "score", header="资金得分（已印数）", width=9),
                col("goal_expected", width=30),
                col("goal_actual", width=30),
                col("total_score", header="总分（已印数）", width=9),
                col("summary", width=30),
                col("fund", width=14),
                col("problems", width=30),
                col("measures", width=30),
            ),
        ),
        TableSheet(
            "自评资金管理",
            "项目支出绩效自评表：资金管理情况",
            "每个项目一般四行（安排科学性、拨付合规性、使用规范性、预算绩效管理情况）。“项目名称”须与“项目自评”表一致。",
            ("management",),
            (
                Column("parent", "项目名称", role="parent", width=28),
                col("item", width=18),
                col("note", width=40),
                col("weight", header="分值（不填为 5）", width=8),
                col("score", width=8),
                col("issue", width=30),
            ),
            parent="项目自评",
            blank_rows=60,
        ),
        TableSheet(
            "自评绩效指标",
            "项目支出绩效自评表：绩效指标",
            "每个指标一行，按表中顺序。“项目名称”须与“项目自评”表一致。得分、偏差度可不填（按评分规则计算）。",
            ("indicators",),
            (Column("parent", "项目名称", role="parent", width=24), *_indicator_columns()),
            parent="项目自评",
            blank_rows=100,
        ),
        KVSheet(
            "部门整体自评",
            "部门整体支出绩效自评表（附件，没有则不填）",
            "资金单位为万元（照表填写）。年度主要任务、绩效指标分别填在“整体自评任务”“整体自评指标”表中。",
            (
                Section(
                    "表头",
                    (
                        kv(*overall, "label"),
                        kv(*overall, "title"),
                        kv(*overall, "unit_code"),
                        kv(*overall, "division_code"),
                        kv(*overall, "income_budget"),
                        kv(*overall, "expenditure_budget"),
                        kv(*overall, "units"),
                    ),
                    ("值",),
                ),
                Section(
                    "部门整体支出情况",
                    tuple(_funds_line(title(overall + ("funds", f)), overall + ("funds", f)) for f in ("fiscal", "special_account", "unit_funds", "total")),
                    ("年初预算数", "全年预算数", "全年执行数"),
                ),
                Section(
                    "评分与目标",
                    (
                        kv(*overall, "funds", "weight", label="资金分值", note="不填为 10"),
                        kv(*overall, "funds", "rate"),
                        kv(*overall, "funds", "score"),
                        kv(*overall, "goal_expected"),
                        kv(*overall, "goal_actual"),
                        kv(*overall, "total_score"),
                        kv(*overall, "grade"),
                    ),
                    ("值",),
                ),
            ),
        ),
        TableSheet(
            "整体自评任务",
            "部门整体支出绩效自评表：年度主要任务",
            "每项任务一行。",
            ("performance", "overall", "tasks"),
            (
                col("name", width=30),
                col("content", width=50),
                col("actual", width=60),
                col("project", width=24),
                col("issued", width=10),
                col("executed", width=10),
                col("weight", width=8),
                col("score", width=8),
            ),
        ),
        TableSheet(
            "整体自评指标",
            "部门整体支出绩效自评表：绩效指标",
            "每个指标一行，按表中顺序。",
            ("performance", "overall", "indicators"),
            tuple(_indicator_columns()),
            blank_rows=40,
        ),
        TableSheet(
            "自评汇总表",
            "项目单位自评汇总表（附件，没有则不填）",
            "每个项目一行，金额单位为万元（照表填写）；得分率为百分数（如 100），没有的留空。附件标题、表名在“绩效情况”表中。",
            ("performance", "summary_table", "rows"),
            (
                col("unit_code", width=10),
                col("unit_name", width=20),
                col("department_code", width=10),
                col("department_name", width=20),
                col("project", width=26),
                col("project_type", width=12),
                col("office", width=10),
                col("budget", width=10),
                col("executed", width=10),
                col("system_executed", width=10),
                *(col("rates", i, header=f"{name}得分率", width=9) for i, name in enumerate(("预算执行率", "资金管理情况", "成本指标", "产出指标", "效益指标", "满意度指标"))),
                col("score", width=8),
                col("deviation", width=8),
            ),
        ),
        TableSheet(
            "评价报告",
            "评价报告（附件，每份一行）",
            "每份报告一行，“报告序号”填 1、2、3……；报告正文按段落填在“评价报告正文”表中，用报告序号对应。",
            ("performance", "reports"),
            (
                Column("key", "报告序号", role="key", width=9),
                col("label", width=40),
                col("title", width=50),
            ),
            landscape=False,
        ),
        TableSheet(
            "评价报告正文",
            "评价报告正文（每段一行）",
            "每段一行，按先后顺序；以“一、”“（一）”“1.”开头的段落按标题排版。",
            ("paragraphs",),
            (
                Column("parent", "报告序号", role="parent", width=9),
                Column("text", "段落", role="input", width=110),
            ),
            mode="text",
            parent="评价报告",
            blank_rows=60,
            landscape=False,
        ),
        TableSheet(
            "审核说明",
            "审核提示的书面说明（出错说明）",
            "disclose validate 列出的“提示”如确属实际情况，可在此写明原因：规则编号如 X13，位置不填则说明该规则的全部提示。",
            ("audit_notes",),
            (col("rule", width=12), col("where", width=30), col("note", width=70)),
            landscape=False,
        ),
    ]
    return tuple(sheets), GUIDE_SHEET


SHEETS, _ = build_sheets()
SHEET_BY_NAME = {s.name: s for s in SHEETS}
TABLES = {s.name: s for s in SHEETS if isinstance(s, TableSheet)}


def spec_leaf_patterns() -> set[Path]:
    """Every model leaf some cell of the workbook holds, as a pattern (see ``model_leaf_patterns``)."""
    out: set[Path] = set()
    for sheet in SHEETS:
        if isinstance(sheet, KVSheet):
            out.update(pattern_of(p) for p in sheet.paths())
            continue
        base = absolute_pattern(sheet, TABLES)
        if sheet.mode == "text":
            if sheet.parent is None:
                out.update(pattern_of(p) + ("*",) for _, p in sheet.choices)
            else:
                out.add(pattern_of(_concrete(base)) + ("*",))
        elif sheet.mode == "dict":
            out.add(pattern_of(_concrete(base)) + ("{}",))
        else:
            for column in sheet.columns:
                if column.flag is not None:
                    out.add(pattern_of(_concrete(base) + (0,) + column.field + (0,)))
                elif column.field is not None:
                    out.add(pattern_of(_concrete(base) + (0,) + column.field))
    return out


def _concrete(pattern: Path) -> Path:
    return tuple(0 if p == "*" else p for p in pattern)


def item_leaf(sheet: TableSheet, column: Column) -> Leaf:
    """The leaf a table's input column holds."""
    base = _concrete(absolute_pattern(sheet, TABLES))
    if sheet.mode == "text":
        path = (sheet.choices[0][1] if sheet.choices else base) + (0,)
        leaf = resolve(_concrete(path))
        return Leaf(leaf.kind, column.header, None, False, None)
    if sheet.mode == "dict":
        if column.role == "dictkey":
            return Leaf(_dict_key_leaf(base), column.header, None, True, None)
        leaf = resolve(base + ("k",))
        return Leaf(leaf.kind, column.header, None, False, None)
    if column.role in ("key", "parent"):
        return Leaf("text", column.header, None, True, None)
    if column.flag is not None:
        return Leaf("flag", column.header, None, False, None)
    return resolve(base + (0,) + column.field)


def column_title(sheet: TableSheet, column: Column) -> str:
    """The header text of a column (the model's title unless the spec gives one), * for required."""
    header = column.header
    required = column.role in ("parent", "key", "dictkey", "choice")
    if column.is_input and column.role == "input" and sheet.mode == "list":
        leaf = item_leaf(sheet, column)
        header = header or leaf.title
        required = leaf.required
    return header + ("*" if required else "")


def normalise_header(text: Any) -> str:
    return "".join(str(text or "").split()).replace("*", "").replace("＊", "")
