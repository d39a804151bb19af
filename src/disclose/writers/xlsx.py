"""Write the Excel workbook that finance clerks fill in (``disclose template``).

The sheets, their rows and columns come from ``disclose.readers.workbook_spec``, the same
declaration the reader uses. What this module adds is the clerk's view:

* input cells unlocked and tinted, with number formats (金额 ``#,##0.00``, codes as text ``@``)
  and drop-down lists (科目编码 from the bundled classification on the hidden ``_lists``
  sheet through a defined name, since an inline list is capped at 255 characters; 栏目,
  是/否, 版式 and the like inline);
* derived cells (标准科目名称, 级次, row totals, 项级合计, 决算数 − 年初预算数, 三公 合计)
  as formulas in grey, locked cells: shown for the clerk, never read back (disclose recomputes);
* 必填 fields marked with *, a 说明 for every key/value row, frozen headers, sheet
  protection without a password (against slips, not people), A4 pages fitted to width with
  the header rows repeated on every printed page;
* a hidden version cell (``_lists!A1:B1``) so that a foreign or outdated workbook is
  recognised when it is read.

Pre-filling (``--from``) writes only the values the data set gives (``model_fields_set``):
a blank cell reads back as "not given" and a 0 as 0, so the round trip YAML → workbook →
model gives the same model. ``--prior`` fills the 上年数 cells from last year's data
(``prior_values``).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from disclose import __version__, reference
from disclose.files import saved, write_atomic
from disclose.readers.workbook_spec import (
    ECONOMIC_LIST,
    FORMULA_ROWS,
    GUIDE_SHEET,
    HEADER_ROW,
    INTRO_ROW,
    LISTS_SHEET,
    MARKER,
    PROJECT_LIST,
    SHEETS,
    SUBJECT_LIST,
    TABLES,
    TITLE_ROW,
    WORKBOOK_VERSION,
    Column,
    KVSheet,
    Leaf,
    Row,
    TableSheet,
    column_title,
    item_leaf,
    resolve,
)
from disclose.writers import is_wide

MISSING = object()
FONT = "宋体"
NUMBER_FORMATS = {
    "amount": "#,##0.00",
    "form": "#,##0.00##",
    "signed": "#,##0.00##",
    "count": "0",
    "int": "0",
}
TEXT_FORMAT = "@"

_thin = Side(style="thin", color="A6A6A6")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")  # light yellow: type here
DERIVED_FILL = PatternFill("solid", fgColor="EDEDED")  # grey: computed, locked
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
DERIVED_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
SECTION_FILL = PatternFill("solid", fgColor="BDD7EE")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4E4")
UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)

F_TITLE = Font(name=FONT, size=14, bold=True)
F_INTRO = Font(name=FONT, size=10, color="595959")
F_HEADER = Font(name=FONT, size=10, bold=True)
F_BODY = Font(name=FONT, size=10)
F_LABEL_REQUIRED = Font(name=FONT, size=10, bold=True, color="C00000")
F_DERIVED = Font(name=FONT, size=10, color="404040")
F_NOTE = Font(name=FONT, size=9, color="595959")

A_WRAP = Alignment(wrap_text=True, vertical="top")
A_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
A_NUMBER = Alignment(horizontal="right", vertical="top")
A_LEFT = Alignment(horizontal="left", vertical="top")
A_INTRO = Alignment(wrap_text=True, vertical="center")

LN_MARK = "辽宁版式"  # model titles of fields only the liaoning layout prints
LINE = 15.0  # points per wrapped line of 10-point text
PAGE_WIDTH = 230  # column width units that still print legibly on one landscape A4 page


def _unit_cell() -> str:
    """Where the 金额单位 is typed, as an absolute reference for formulas."""
    sheet = next(s for s in SHEETS if isinstance(s, KVSheet) and ("profile", "unit") in s.paths())
    row = next(r for r, _, line in sheet.layout() if line is not None and line.cells == (("profile", "unit"),))
    return f"'{sheet.name}'!$B${row}"


UNIT_CELL = _unit_cell()


def _named_styles() -> dict[str, NamedStyle]:
    """Cell styles by name: one assignment per cell instead of six (and a tidy style list in Excel)."""

    def style(name, font, fill, fmt, alignment, protection):
        return NamedStyle(name=name, font=font, fill=fill, border=BORDER, number_format=fmt, alignment=alignment, protection=protection)

    out = {}
    for kind, fmt in (("金额", "#,##0.00"), ("数值", "#,##0.00##"), ("整数", "0"), ("常规", "General")):
        out[f"填报{kind}"] = style(f"填报{kind}", F_BODY, INPUT_FILL, fmt, A_NUMBER, UNLOCKED)
    out["填报文字"] = style("填报文字", F_BODY, INPUT_FILL, TEXT_FORMAT, A_WRAP, UNLOCKED)
    out["填报选项"] = style("填报选项", F_BODY, INPUT_FILL, TEXT_FORMAT, Alignment(horizontal="center", vertical="top", wrap_text=True), UNLOCKED)
    out["自动金额"] = style("自动金额", F_DERIVED, DERIVED_FILL, "#,##0.00", A_NUMBER, LOCKED)
    out["自动文字"] = style("自动文字", F_DERIVED, DERIVED_FILL, TEXT_FORMAT, A_WRAP, LOCKED)
    return out


STYLE_OF_FORMAT = {"#,##0.00": "填报金额", "#,##0.00##": "填报数值", "0": "填报整数", "General": "填报常规"}


# --------------------------------------------------------------------------- values


def values_of(data) -> dict:
    """The values a data set gives, as plain nested data (only fields that were set)."""
    return data.model_dump(exclude_unset=True)


def _get(values: Any, path: tuple) -> Any:
    node = values
    for part in path:
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                return MISSING
            node = node[part]
        else:
            if not isinstance(node, dict) or part not in node:
                return MISSING
            node = node[part]
        if node is None:
            return MISSING
    return node


def _put(values: dict, path: tuple, value: Any) -> None:
    node = values
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value


# --------------------------------------------------------------------------- --prior


PRIOR_FIGURES: dict[tuple, tuple] = {
    # changes.*.prior_year ← last year's figure of the same line (ledger keys, disclose.model.derive)
    ("changes", "total", "prior_year"): ("t01", "inc", "total"),  # 收、支总计 (公开01表 总计)
    ("changes", "fiscal_total", "prior_year"): ("t04", "inc", "total"),  # 财政拨款收、支总计 (公开04表 总计)
    ("changes", "general_budget", "prior_year"): ("t05", "合计", "total"),  # 一般公共预算财政拨款支出 (公开05表 合计)
    ("changes", "operating_cost", "prior_year"): ("fact", "operating_cost"),  # 机关运行经费
    ("changes", "income_total", "prior_year"): ("t01", "inc", "total"),  # 收入总计 (辽宁)
    ("changes", "expenditure_total", "prior_year"): ("t01", "exp", "total"),  # 支出总计 (辽宁)
    ("changes", "closing_balance", "prior_year"): ("t01", "exp", "closing_balance"),  # 年末结转和结余 (辽宁)
    ("changes", "fiscal_expenditure", "prior_year"): ("t04", "exp", "expenditure_total", "total"),  # 财政拨款支出 (辽宁)
    # three_public.prior_year ← last year's 三公 决算数 (公开09表)
    ("three_public", "prior_year", "abroad"): ("t09", "final", "abroad"),
    ("three_public", "prior_year", "vehicle"): ("t09", "final", "vehicle"),
    ("three_public", "prior_year", "reception"): ("t09", "final", "reception"),
}
CARRIED_OVER = (("overview",), ("performance", "regulations"))  # copied from last year when there is no --from


@dataclass
class PriorResult:
    filled: dict[tuple, Decimal] = field(default_factory=dict)  # path → value written
    kept: dict[tuple, tuple[Any, Decimal]] = field(default_factory=dict)  # path → (--from value, last year's)
    notes: list[str] = field(default_factory=list)


def prior_values(prior, unit: str) -> dict[tuple, Decimal]:
    """Last year's figures for the 上年数 cells, in ``unit`` (this year's 金额单位).

    ``prior`` is a loaded ``Input`` of last year's data; its ledger gives every figure the
    way the document printed it: stated where the data state it, derived otherwise.
    """
    from disclose.model.derive import build_ledger

    ledger, _ = build_ledger(prior)
    out: dict[tuple, Decimal] = {}
    for path, key in PRIOR_FIGURES.items():
        if key not in ledger:
            continue
        out[path] = convert_unit(ledger.value(key), prior.data.profile.unit, unit)
    return out


def convert_unit(value: Decimal, source: str, target: str) -> Decimal:
    cent = Decimal("0.01")
    if source == target:
        return value.quantize(cent, rounding=ROUND_HALF_UP)
    if source == "元":  # → 万元, rounded as printed
        return (value / Decimal(10000)).quantize(cent, rounding=ROUND_HALF_UP)
    return (value * Decimal(10000)).quantize(cent, rounding=ROUND_HALF_UP)  # 万元 → 元


def apply_prior(values: dict, prior, *, from_given: bool) -> PriorResult:
    """Fill the 上年数 of ``values`` from last year's loaded data; values already given win."""
    result = PriorResult()
    profile = values.setdefault("profile", {})
    last = prior.data
    if not from_given:
        # A new year's workbook: last year's department, layout and unit, the year after,
        # and the parts that rarely change (概况, 绩效管理办法).
        for name in ("department", "cover_name", "layout", "variant", "unit"):
            value = getattr(last.profile, name)
            if name in last.profile.model_fields_set and value is not None:
                profile[name] = value
        profile["year"] = last.profile.year + 1
        dumped = last.model_dump(exclude_unset=True)
        for path in CARRIED_OVER:
            value = _get(dumped, path)
            if value is not MISSING and value != [] and value != {}:
                _put(values, path, value)
    unit = profile.get("unit") or last.profile.unit
    year = profile.get("year")
    if year is not None and year != last.profile.year + 1:
        result.notes.append(f"上年数据的决算年度为 {last.profile.year}，本年为 {year}，请确认 --prior 选对了文件")
    for path, value in prior_values(prior, unit).items():
        current = _get(values, path)
        if current is MISSING:
            _put(values, path, value)
            result.filled[path] = value
        elif Decimal(current) != value:
            result.kept[path] = (current, value)
    return result


# --------------------------------------------------------------------------- the workbook


@dataclass
class Options:
    layout: str = "henan"
    variant: str | None = None


def build_workbook(values: dict | None = None, layout: str | None = None, variant: str | None = None) -> Workbook:
    values = values or {}
    profile = values.get("profile") or {}
    options = Options(layout or profile.get("layout") or "henan", variant if variant is not None else profile.get("variant"))
    return _Writer(values, options).build()


def write_workbook(target: Path, values: dict | None = None, layout: str | None = None, variant: str | None = None) -> None:
    write_atomic(target, saved(build_workbook(values, layout, variant).save))


class _Writer:
    def __init__(self, values: dict, options: Options):
        self.values = values
        self.options = options
        self.ln = options.layout == "liaoning"
        self.validations: dict[str, dict[str, DataValidation]] = {}

    def build(self) -> Workbook:
        book = Workbook()
        for style in _named_styles().values():
            book.add_named_style(style)
        guide = book.active
        guide.title = GUIDE_SHEET
        self.book = book
        for spec in SHEETS:
            ws = book.create_sheet(spec.name)
            if isinstance(spec, KVSheet):
                self._kv(ws, spec)
            else:
                self._table(ws, spec)
            self._page(ws, spec)
        lists = book.create_sheet(LISTS_SHEET)
        self._lists(lists)
        self._guide(guide)
        book.security = WorkbookProtection(lockStructure=True)
        book.active = 0
        return book

    # -- cells

    def _input(self, cell, leaf: Leaf, value: Any = MISSING) -> None:
        fmt = _format(leaf)
        if fmt == TEXT_FORMAT:
            cell.style = "填报选项" if leaf.kind in ("bool", "flag") else "填报文字"
        else:
            cell.style = STYLE_OF_FORMAT[fmt]
        if value is MISSING or value is None:
            return
        if leaf.kind == "bool":
            cell.value = "是" if value else "否"
        elif leaf.kind == "flag":
            cell.value = "√"
        elif isinstance(value, Decimal):
            cell.value = int(value) if value == value.to_integral_value() and abs(value) < 10**15 else value
        else:
            cell.value = value
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"  # a text such as "=1次", not a formula

    def _derived(self, cell, formula: str | None, fmt: str = "#,##0.00") -> None:
        cell.value = formula
        cell.style = "自动文字" if fmt == TEXT_FORMAT else "自动金额"

    def _header(self, cell, text: str, derived: bool = False) -> None:
        cell.value = text
        cell.font = F_HEADER
        cell.fill = DERIVED_HEADER_FILL if derived else HEADER_FILL
        cell.border = BORDER
        cell.alignment = A_CENTER
        cell.protection = LOCKED

    def _titles(self, ws, spec, width: int) -> None:
        last = get_column_letter(width)
        ws.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
        ws.merge_cells(f"A{INTRO_ROW}:{last}{INTRO_ROW}")
        title = ws.cell(TITLE_ROW, 1, spec.title)
        title.font = F_TITLE
        total_width = sum((ws.column_dimensions[get_column_letter(i)].width or 9) for i in range(1, width + 1))
        # A title centred over a table printed across several pages would fall between them.
        title.alignment = Alignment(horizontal="center" if total_width <= PAGE_WIDTH else "left", vertical="center")
        intro = ws.cell(INTRO_ROW, 1, self._intro(spec.intro) if _has_amounts(spec) else spec.intro)
        intro.font = F_INTRO
        intro.alignment = A_INTRO
        ws.row_dimensions[TITLE_ROW].height = 26
        ws.row_dimensions[INTRO_ROW].height = max(18, _height(spec.intro + "金额单位：见“单位信息”表。", total_width))

    def _intro(self, text: str) -> str:
        """The sheet's note, ending with the 金额单位 as the 单位信息 sheet says (a formula, so it follows the cell)."""
        unit = UNIT_CELL
        parts = [text[i:i + 200] for i in range(0, len(text), 200)] + ["金额单位："]
        literal = "&".join('"' + p.replace('"', '""') + '"' for p in parts)
        return f'={literal}&IF({unit}="","见“单位信息”表",{unit})&"。"'

    def _validation(self, ws, key: str, factory) -> DataValidation:
        per_sheet = self.validations.setdefault(ws.title, {})
        if key not in per_sheet:
            dv = factory()
            ws.add_data_validation(dv)
            per_sheet[key] = dv
        return per_sheet[key]

    def _validate(self, ws, leaf: Leaf, ref: str) -> None:
        factory = _validation_factory(leaf)
        if factory is None:
            return
        key = f"{leaf.kind}:{','.join(map(str, leaf.choices))}"
        self._validation(ws, key, factory).add(ref)

    # -- key/value sheets

    def _kv(self, ws, spec: KVSheet) -> None:
        n = spec.ncols
        note_col = n + 2
        ws.column_dimensions["A"].width = 36
        for j in range(n):
            ws.column_dimensions[get_column_letter(2 + j)].width = spec.value_width
        ws.column_dimensions[get_column_letter(note_col)].width = 42
        self._titles(ws, spec, note_col)
        positions: dict[str, int] = {}
        for r, section, row in spec.layout():
            if row is None:
                self._header(ws.cell(r, 1), section.title)
                for j in range(n):
                    text = section.columns[j] if j < len(section.columns) else ""
                    self._header(ws.cell(r, 2 + j), text)
                self._header(ws.cell(r, note_col), "说明")
                if len(section.columns) == 1 and n > 1:
                    ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=1 + n)
                continue
            positions[row.row_key()] = r
            self._kv_row(ws, spec, section, row, r, n, note_col, positions)

    def _kv_row(self, ws, spec: KVSheet, section, row: Row, r: int, n: int, note_col: int, positions: dict[str, int]) -> None:
        label = ws.cell(r, 1)
        leaves = [resolve(p) if p is not None else None for p in row.cells]
        first = next((l for l in leaves if l is not None), None)
        required = bool(first and first.required)
        label.value = spec.row_label(row) + ("*" if required else "")
        label.font = F_LABEL_REQUIRED if required else F_BODY
        label.alignment = A_WRAP
        label.border = BORDER
        label.protection = LOCKED
        if row.derived:
            label.font = F_DERIVED
            label.fill = DERIVED_FILL
            for j in range(len(row.cells)):
                letter = get_column_letter(2 + j)
                refs = ",".join(f"{letter}{positions[k]}" for k in row.sum_of)
                self._derived(ws.cell(r, 2 + j), f'=IF(COUNT({refs})=0,"",SUM({refs}))')
            for j in range(len(row.cells), n):
                self._derived(ws.cell(r, 2 + j), None)
            self._note(ws.cell(r, note_col), "自动计算，仅供核对，不必填写")
            return
        any_value = False
        for j, (path, leaf) in enumerate(zip(row.cells, leaves)):
            cell = ws.cell(r, 2 + j)
            if path is None:
                self._derived(cell, None)
                continue
            value = _get(self.values, path)
            any_value = any_value or value is not MISSING
            self._input(cell, leaf, value)
            special = _special_validation(path)
            if special is not None:
                dv = special()
                ws.add_data_validation(dv)
                dv.add(cell.coordinate)
            else:
                self._validate(ws, leaf, cell.coordinate)
        for j in range(len(row.cells), n):
            self._derived(ws.cell(r, 2 + j), None)
        if len(row.cells) == 1 and n > 1:
            ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=1 + n)
        self._note(ws.cell(r, note_col), _note(row, first, required))
        if required:
            ws.conditional_formatting.add(
                f"B{r}", FormulaRule(formula=[f'LEN(TRIM(B{r}))=0'], fill=REQUIRED_FILL, stopIfTrue=False)
            )
        text = _get(self.values, row.cells[0]) if len(row.cells) == 1 and row.cells[0] is not None else MISSING
        width = spec.value_width * n
        lines = max(_lines(label.value, 36), _lines(ws.cell(r, note_col).value, 42, 9), _lines(text if isinstance(text, str) else "", width))
        if lines > 1:
            ws.row_dimensions[r].height = min(409, LINE * lines + 3)
        title_text = spec.row_label(row) + " " + (first.title if first else "")
        if LN_MARK in title_text and not self.ln and not any_value:
            ws.row_dimensions[r].hidden = True

    def _note(self, cell, text: str | None) -> None:
        cell.value = text or None
        cell.font = F_NOTE
        cell.alignment = A_WRAP
        cell.border = BORDER
        cell.protection = LOCKED

    # -- table sheets

    def _table(self, ws, spec: TableSheet) -> None:
        letters = spec.letters()
        leaves: dict[str, Leaf] = {}
        for i, column in enumerate(spec.columns, 1):
            letter = letters[column.id]
            dim = ws.column_dimensions[letter]
            dim.width = column.width
            if column.is_input:
                leaf = item_leaf(spec, column) if column.role in ("input", "dictkey") else Leaf("text", column.header, None, True, None)
                if column.role == "choice":
                    leaf = Leaf("enum", column.header, None, True, None, tuple(label for label, _ in spec.choices))
                if column.role in ("key", "parent"):
                    leaf = Leaf("key", column.header, None, True, None)
                leaves[column.id] = leaf
                # Rows past the formatted ones stay typeable, in the right format.
                dim.protection = UNLOCKED
                dim.number_format = _format(leaf)
        self._titles(ws, spec, len(spec.columns))
        for i, column in enumerate(spec.columns, 1):
            self._header(ws.cell(HEADER_ROW, i), column_title(spec, column), derived=not column.is_input)
        heights = [_lines(column_title(spec, c), c.width) for c in spec.columns]
        ws.row_dimensions[HEADER_ROW].height = max(30, LINE * max(heights) + 6)
        if spec.summary_row:
            self._summary_row(ws, spec, letters, leaves)
        rows = list(self._rows(spec))
        first = spec.first_row
        blank = max(spec.blank_rows - len(rows), min(spec.blank_rows, 15))
        end = first + len(rows) + blank - 1
        hidden = {c.id for c in spec.columns if LN_MARK in column_title(spec, c) and not self.ln and not any(c.id in row for row in rows)}
        for offset in range(len(rows) + blank):
            r = first + offset
            values = rows[offset] if offset < len(rows) else {}
            tallest = 1
            for i, column in enumerate(spec.columns, 1):
                if column.id in hidden:
                    continue  # a hidden column (another layout's): its column style is enough
                cell = ws.cell(r, i)
                if not column.is_input:
                    self._derived(cell, column.formula(letters, r) if column.formula else None, _derived_format(column))
                    continue
                leaf = leaves[column.id]
                value = values.get(column.id, MISSING)
                self._input(cell, leaf, value)
                if isinstance(value, str):
                    tallest = max(tallest, _lines(value, column.width))
            if tallest > 1:
                ws.row_dimensions[r].height = min(409, LINE * tallest + 3)
        for i, column in enumerate(spec.columns, 1):
            if column.is_input:
                self._validate(ws, leaves[column.id] if column.role != "parent" else Leaf("parent", column.header, None, True, None, (spec.parent,)),
                               f"{letters[column.id]}{first}:{letters[column.id]}{FORMULA_ROWS}")
        ws.freeze_panes = ws.cell(first, 2 if spec.mode != "text" else 1)
        last_printed = first + len(rows) - 1 if rows else first + 14
        ws.print_area = f"A1:{get_column_letter(len(spec.columns))}{last_printed}"
        shown = sum(c.width for c in spec.columns if c.id not in hidden)
        if shown > PAGE_WIDTH:  # too wide for one landscape page: spread over pages, repeat column A
            ws.page_setup.fitToWidth = math.ceil(shown / PAGE_WIDTH)
            ws.print_title_cols = "A:A"
        for column_id in hidden:
            ws.column_dimensions[letters[column_id]].hidden = True

    def _summary_row(self, ws, spec: TableSheet, letters: dict[str, str], leaves: dict[str, Leaf]) -> None:
        r = HEADER_ROW + 1
        first = spec.first_row
        level = letters["level"]
        for i, column in enumerate(spec.columns, 1):
            cell = ws.cell(r, i)
            amount = column.total or (column.is_input and leaves.get(column.id) is not None and leaves[column.id].kind == "amount" and column.id not in ("total", "closing"))
            if i == 1:
                self._derived(cell, "项级合计（自动）", TEXT_FORMAT)
                cell.font = F_HEADER
            elif amount:
                ref = letters[column.id]
                self._derived(cell, f'=SUMIFS({ref}{first}:{ref}{FORMULA_ROWS},${level}${first}:${level}${FORMULA_ROWS},"项")')
                cell.font = Font(name=FONT, size=10, bold=True, color="404040")
            else:
                self._derived(cell, None)

    def _rows(self, spec: TableSheet):
        """The rows of a table pre-filled from the values: {column id: value}."""
        letters_by_field = {c.field: c.id for c in spec.columns if c.field is not None and c.flag is None}
        if spec.mode == "dict":
            given = _get(self.values, spec.path)
            given = given if isinstance(given, dict) else {}
            listed = spec.prelisted(self.options.layout, self.options.variant) if spec.prelisted else []
            key_id = spec.column("dictkey").id
            value_id = next(c.id for c in spec.columns if c.role == "input")
            for key in listed + [k for k in given if k not in listed]:
                row = {key_id: key}
                if key in given:
                    row[value_id] = given[key]
                yield row
            return
        if spec.parent is not None:
            parent = TABLES[spec.parent]
            items = _get(self.values, parent.path)
            parent_key = parent.key_column()
            for i, item in enumerate(items if isinstance(items, list) else []):
                key = i + 1 if parent_key.role == "key" else item.get(parent_key.field[0]) if parent_key.field else None
                children = _get(item, spec.path)
                for child in children if isinstance(children, list) else []:
                    yield self._item_row(spec, child, letters_by_field, key)
            return
        if spec.mode == "text":
            choice_id = spec.column("choice").id
            text_id = next(c.id for c in spec.columns if c.role == "input")
            for label, path in spec.choices:
                texts = _get(self.values, path)
                for text in texts if isinstance(texts, list) else []:
                    yield {choice_id: label, text_id: text}
            return
        items = _get(self.values, spec.path)
        for i, item in enumerate(items if isinstance(items, list) else []):
            row = self._item_row(spec, item, letters_by_field, None)
            key_column = spec.column("key")
            if key_column is not None:
                row[key_column.id] = i + 1
            yield row

    def _item_row(self, spec: TableSheet, item: Any, letters_by_field: dict, parent_key: Any) -> dict:
        row: dict[str, Any] = {}
        if spec.mode == "text":
            text_id = next(c.id for c in spec.columns if c.role == "input")
            row[text_id] = item
        else:
            for fieldpath, column_id in letters_by_field.items():
                value = _get(item, fieldpath)
                if value is not MISSING:
                    row[column_id] = value
            for column in spec.columns:
                if column.flag is not None:
                    chosen = _get(item, column.field)
                    if chosen is not MISSING and column.flag in chosen:
                        row[column.id] = True
        parent_column = spec.column("parent")
        if parent_column is not None and parent_key is not None:
            row[parent_column.id] = parent_key
        return row

    # -- page setup

    def _page(self, ws, spec) -> None:
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if spec.landscape else "portrait"
        if not ws.page_setup.fitToWidth or isinstance(spec, KVSheet):
            ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.page_margins.header = ws.page_margins.footer = 0.3
        ws.oddFooter.center.text = "&A　第 &P 页，共 &N 页"
        ws.oddFooter.center.size = 9
        if isinstance(spec, TableSheet):
            ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        ws.sheet_view.zoomScale = 100
        protection = ws.protection
        protection.sheet = True
        protection.formatColumns = False  # allowed: widen a column
        protection.formatRows = False
        protection.selectLockedCells = False
        protection.selectUnlockedCells = False
        if isinstance(spec, TableSheet):
            protection.insertRows = False  # allowed: rows may be inserted or deleted in tables
            protection.deleteRows = False
            protection.sort = False
            protection.autoFilter = False

    # -- the hidden lists and the guide

    def _lists(self, ws) -> None:
        ws.sheet_state = "hidden"
        ws["A1"] = MARKER
        ws["B1"] = WORKBOOK_VERSION
        ws["C1"] = f"disclose {__version__}"
        ws["A3"], ws["B3"], ws["C3"] = "功能科目", "编码", "名称"
        ws["D3"], ws["E3"], ws["F3"] = "经济科目", "编码", "名称"
        subjects = list(reference.function_subjects().values())
        for i, subject in enumerate(subjects, 4):
            ws.cell(i, 1, f"{subject.code} {subject.name}")
            ws.cell(i, 2, subject.code).number_format = TEXT_FORMAT
            ws.cell(i, 3, subject.name)
        economic = _economic_names()
        for i, (code, name) in enumerate(economic, 4):
            ws.cell(i, 4, f"{code} {name}")
            ws.cell(i, 5, code).number_format = TEXT_FORMAT
            ws.cell(i, 6, name)
        self.book.defined_names[SUBJECT_LIST] = DefinedName(SUBJECT_LIST, attr_text=f"{LISTS_SHEET}!$A$4:$A${3 + len(subjects)}")
        self.book.defined_names[ECONOMIC_LIST] = DefinedName(ECONOMIC_LIST, attr_text=f"{LISTS_SHEET}!$D$4:$D${3 + len(economic)}")
        for name, table in TABLES.items():
            if any(t.parent == name for t in TABLES.values()):
                key = table.key_column()
                letter = table.letters()[key.id]
                self.book.defined_names[f"{PROJECT_LIST}_{name}"] = DefinedName(
                    f"{PROJECT_LIST}_{name}", attr_text=f"'{name}'!${letter}${table.first_row}:${letter}${FORMULA_ROWS}"
                )
        ws.protection.sheet = True

    def _guide(self, ws) -> None:
        ws.column_dimensions["A"].width = 20
        ws.column_dimensions["B"].width = 96
        ws.merge_cells("A1:B1")
        ws["A1"] = "部门决算填报工作簿：填表说明"
        ws["A1"].font = F_TITLE
        ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
        ws.row_dimensions[1].height = 28
        profile = self.values.get("profile") or {}
        who = f"{profile.get('department', '')} {profile.get('year', '')}年度".strip() if profile.get("department") else "（部门名称、年度填在“单位信息”表）"
        lines = [
            ("", f"本工作簿由 disclose {__version__} 生成（工作簿格式版本 {WORKBOOK_VERSION}），用于填报部门决算公开所需的数据：{who}。"),
            ("怎样填", "浅黄色单元格是填报项；灰色单元格是自动计算或固定内容，已锁定，不必也不能填写。表头带 * 的为必填项。"
                     "各表的行列位置固定：请勿插入、删除、移动或改名工作表和列；表格类工作表可以在数据行之间插入行，空行会被跳过。"),
            ("金额", "金额按“单位信息”表中的金额单位填写（元：精确到分；万元：四舍五入到两位小数），直接填数字，不要带“元”“万元”，"
                   "不要用公式（disclose 不读取公式结果）。以文字形式填写的数字（如从其他软件粘贴来的“1,234.56”）会按数字读取并给出提示。"),
            ("自动计算", "类、款、合计行，各表的合计栏，收入支出决算总表、财政拨款收入支出决算总表的其余各行，"
                       "“三公”经费小计与合计，自评表的得分与偏差度都由 disclose 计算，不必填写；表中灰色的“（自动）”栏只供填报时核对。"
                       "如需核对已公开的数，可填写“已印数”栏和“总表已印数”表，disclose 会逐一核对。"),
            ("科目编码", "功能分类科目编码可从下拉列表中选择（列表取自 disclose 所附的政府收支分类科目），也可直接输入 7 位项级编码。"
                       "列表中没有的编码请同时填写“科目名称”。"),
            ("上年数", "“上年数与年初预算”表中的上年数可由 disclose 从上年数据填入：disclose template --prior 上年数据.yaml（或上年工作簿）。"
                     "上年数取上年数据推算出的合计数：收、支总计取公开01表总计，财政拨款收、支总计取公开04表总计，"
                     "一般公共预算财政拨款支出取公开05表合计，机关运行经费取上年机关运行经费，“三公”经费上年决算数取上年公开09表决算数。"),
            ("检查与生成", "填好后运行 disclose validate 本工作簿.xlsx 审核，问题会标明“工作表!单元格”；"
                         "再运行 disclose build 本工作簿.xlsx 生成 PDF 和 Word 文档。"),
        ]
        r = 3
        for head, text in lines:
            if not head:
                a = ws.cell(r, 1, text)
                a.font, a.alignment = F_BODY, A_WRAP
                ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
                ws.row_dimensions[r].height = _height(text, 116)
            else:
                a, b = ws.cell(r, 1, head), ws.cell(r, 2, text)
                a.font, a.alignment = F_HEADER, A_WRAP
                b.font, b.alignment = F_BODY, A_WRAP
                ws.row_dimensions[r].height = _height(text, 96)
            r += 1
        r += 1
        self._header(ws.cell(r, 1), "工作表")
        self._header(ws.cell(r, 2), "内容")
        r += 1
        for spec in SHEETS:
            a, b = ws.cell(r, 1, spec.name), ws.cell(r, 2, f"{spec.title}。{spec.intro}")
            a.font, a.alignment, a.border = F_BODY, A_WRAP, BORDER
            b.font, b.alignment, b.border = F_NOTE, A_WRAP, BORDER
            ws.row_dimensions[r].height = _height(b.value, 96, 9)
            r += 1
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.protection.sheet = True


# --------------------------------------------------------------------------- helpers


def _format(leaf: Leaf) -> str:
    if leaf.kind in NUMBER_FORMATS:
        return NUMBER_FORMATS[leaf.kind]
    if leaf.kind == "enum" and leaf.choices and all(isinstance(c, int) for c in leaf.choices):
        return "General"
    return TEXT_FORMAT


def _derived_format(column: Column) -> str:
    return "#,##0.00" if column.total or column.id in ("final", "difference") else TEXT_FORMAT


def _note(row: Row, leaf: Leaf | None, required: bool) -> str:
    parts = []
    if required:
        parts.append("必填")
    text = row.note if row.note is not None else (leaf.description if leaf else None)
    if text:
        parts.append(text)
    if leaf is not None and not row.note:
        default = leaf.default
        if isinstance(default, str) and default:
            parts.append(f"不填为“{default}”")
        elif isinstance(default, (int, Decimal)) and not isinstance(default, bool) and default != 0:
            parts.append(f"不填为 {default}")
    if leaf is not None and leaf.kind == "bool":
        parts.append("选“是”或“否”，不填为否")
    return "；".join(parts)


def _validation_factory(leaf: Leaf):
    kind = leaf.kind

    def make(**kw):
        return lambda: DataValidation(allow_blank=True, showErrorMessage=True, showInputMessage=False, **kw)

    if kind == "amount":
        return make(type="decimal", operator="greaterThanOrEqual", formula1="0", errorStyle="warning",
                    errorTitle="金额", error="应填不小于 0 的数字，最多两位小数；不要带单位，也不要用公式")
    if kind == "form":
        return make(type="decimal", operator="greaterThanOrEqual", formula1="0", errorStyle="warning",
                    errorTitle="数值", error="应填不小于 0 的数字，最多四位小数")
    if kind in ("count", "int"):
        return make(type="whole", operator="greaterThanOrEqual", formula1="0", errorStyle="warning",
                    errorTitle="整数", error="应填不小于 0 的整数")
    if kind == "subject":
        return make(type="list", formula1=f"={SUBJECT_LIST}", errorStyle="warning", errorTitle="科目编码",
                    error="编码不在分类参考中。类、款、合计行或新增科目可以继续填写（请在“科目名称”栏填写名称）")
    if kind == "economic":
        return make(type="list", formula1=f"={ECONOMIC_LIST}", errorStyle="warning", errorTitle="经济分类科目编码",
                    error="编码不在经济分类参考中，请核对")
    if kind == "bool":
        return make(type="list", formula1='"是,否"', errorStyle="stop", errorTitle="是/否", error="请选择“是”或“否”")
    if kind == "flag":
        return make(type="list", formula1='"√"', errorStyle="warning", errorTitle="打√", error="符合的栏填“√”，不符合的留空")
    if kind == "enum" and leaf.choices:
        items = ",".join(str(c) for c in leaf.choices)
        if len(items) <= 250 and "," not in "".join(str(c) for c in leaf.choices):
            return make(type="list", formula1=f'"{items}"', errorStyle="stop", errorTitle=leaf.title,
                        error=f"请从列表中选择：{'、'.join(str(c) for c in leaf.choices)}")
    if kind == "parent" and leaf.choices:
        name = f"{PROJECT_LIST}_{leaf.choices[0]}"
        return make(type="list", formula1=f"={name}", errorStyle="warning", errorTitle=leaf.title,
                    error=f"应与“{leaf.choices[0]}”表中的写法完全一致")
    return None


@functools.cache
def _layout_choices() -> tuple[tuple[str, ...], tuple[str, ...]]:
    try:
        from disclose.document.layout import available_layouts, load_layout

        names = available_layouts()
        variants = sorted({v for n in names for v in (load_layout(n).profile.get("variant_names") or [])})
    except Exception:  # noqa: BLE001 - no drop-down rather than no workbook
        return (), ()
    return tuple(names), tuple(variants)


@functools.cache
def _has_amounts(spec) -> bool:
    """Whether a sheet has cells in the file's 金额单位 (its note then names the unit)."""
    if isinstance(spec, KVSheet):
        return any(resolve(p).kind == "amount" for p in spec.paths())
    return any(c.role == "input" and c.flag is None and item_leaf(spec, c).kind == "amount" for c in spec.columns)


def _special_validation(path: tuple):
    """Drop-downs for text fields whose values come from the installed layouts."""
    if path not in (("profile", "layout"), ("profile", "variant")):
        return None
    items = _layout_choices()[0 if path[-1] == "layout" else 1]
    text = ",".join(items)
    if not items or len(text) > 250:
        return None
    return lambda: DataValidation(type="list", formula1=f'"{text}"', allow_blank=True, showErrorMessage=True,
                                  errorStyle="warning", errorTitle="版式", error="不是已安装的版式（变体），请核对")


def _economic_names() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for name in reference.economic_list_names():
        for group in reference.economic_list(name):
            for code, label in group:
                seen.setdefault(code, reference.economic_canonical_name(code) or label)
    return sorted(seen.items())


def _width(text: str) -> int:
    return sum(2 if is_wide(ch) else 1 for ch in text)


def _lines(text: Any, width: float, size: float = 10) -> int:
    """How many lines a wrapped text takes in a column ``width`` characters wide (an estimate)."""
    if not isinstance(text, str) or not text:
        return 1
    usable = max(4.0, (width - 1.5) * 10 / size)
    return sum(max(1, math.ceil(_width(part) / usable)) for part in text.split("\n"))


def _height(text: Any, width: float, size: float = 10) -> float:
    return min(409, LINE * size / 10 * _lines(text, width, size) + 4)


def normalised(data) -> Any:
    """A data set as plain data for comparison: set fields only, explicit nulls dropped."""

    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if v is not None}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    return strip(data.model_dump(exclude_unset=True))


def compare_values(expected, actual) -> list[str]:
    """Differences between two data sets (paths and values), empty when they are the same."""
    out: list[str] = []

    def walk(a: Any, b: Any, path: str) -> None:
        if isinstance(a, dict) and isinstance(b, dict):
            for key in list(a) + [k for k in b if k not in a]:
                walk(a.get(key, MISSING), b.get(key, MISSING), f"{path}.{key}" if path else str(key))
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b)):
                walk(x, y, f"{path}[{i}]")
        elif a != b:
            shown = lambda v: "（无）" if v is MISSING else repr(v)  # noqa: E731
            out.append(f"{path}: {shown(a)} → {shown(b)}")

    walk(normalised(expected), normalised(actual), "")
    return out
