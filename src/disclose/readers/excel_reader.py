"""Read a workbook made by ``disclose template`` into plain data plus a SourceMap of cells.

The layout comes from ``disclose.readers.workbook_spec`` (the writer uses the same
declaration). Every value's place is a ``工作表!单元格`` in the SourceMap, so the model's
schema errors and the audit's findings point at cells exactly as YAML ones point at lines.

Safety and honesty, in this order:

1. The file is looked at before any spreadsheet library touches it: an encrypted workbook
   or an old .xls (both OLE2 compound files), a text/CSV file, a truncated zip, a macro
   workbook and a zip bomb (declared uncompressed sizes and ratios, checked with
   ``zipfile``; ``zipfile`` never inflates a member beyond its declared size) are refused
   with a message that says what to do.
2. The cells are streamed by ``disclose.readers.xlsx_parts`` (formulas as text, the way
   openpyxl's ``data_only=False`` gives them, but without an object per cell, and with the
   merged ranges that openpyxl's read-only mode does not report). Formula results are never
   trusted as input: a file saved by openpyxl has none, and derived figures are recomputed
   by disclose anyway. A formula typed into an input cell is an error that says so; derived
   (grey, locked) columns are not read at all.
3. Structure is checked against the declaration: the hidden version cell, every sheet,
   every table header, every key/value row's label, and merged cells over input cells.
4. Values are converted by what the model expects in the cell. Numbers typed as text
   ("1,234.56", "１２３４．５６", " 1 234.56 ") are read when unambiguous and reported as a
   提示 (``WorkbookSourceMap.notes``); anything else is handed to the model as it is, so
   the model's own message names the cell.
"""

from __future__ import annotations

import math
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from disclose.findings import Finding, InputError, Location, SourceMap
from disclose.readers import excel_findings as X
from disclose.readers.xlsx_parts import Package, PackageError, TooManyRows
from disclose.readers.workbook_spec import (
    HEADER_ROW,
    LISTS_SHEET,
    MARKER,
    MAX_ROWS,
    PLACES,
    SHEETS,
    TABLES,
    WORKBOOK_VERSION,
    KVSheet,
    TableSheet,
    column_title,
    item_leaf,
    normalise_header,
    resolve,
)

MAX_FILE_BYTES = 20 * 1024 * 1024  # a filled workbook is ~100 KB
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # all members together, as declared in the zip
MAX_MEMBER = 100 * 1024 * 1024
MAX_RATIO = 100  # for members over RATIO_FLOOR bytes
RATIO_FLOOR = 10 * 1024 * 1024
MAX_MEMBERS = 5000
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

BLANK = object()


@dataclass
class WorkbookSourceMap(SourceMap):
    """A SourceMap plus the reader's 提示 (numbers typed as text, dates read as text)."""

    notes: list[Finding] = field(default_factory=list)


def read_workbook(path: Path) -> tuple[dict, WorkbookSourceMap]:
    """Plain data (as the YAML reader gives) and where every value stands in the workbook."""
    name = str(path)
    archive = open_archive(path, name)
    try:
        try:
            package = Package(archive)
        except PackageError as exc:
            raise InputError([X.CORRUPT([Location(name)], reason=str(exc))]) from None
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError, zlib.error) as exc:
            raise InputError([X.CORRUPT([Location(name)], reason=f"{type(exc).__name__}: {exc}")]) from None
        reader = _Reader(name, package)
        data = reader.read()
    finally:
        archive.close()
    if reader.errors:
        raise InputError(reader.errors + _model_findings(data, reader))
    return data, reader.source


STRUCTURAL = {X.SHEET_MISSING.code, X.HEADER_MOVED.code, X.ROW_MOVED.code, X.FOREIGN.code, X.VERSION.code, X.CORRUPT.code, X.TOO_MANY_ROWS.code}


def _model_findings(data: dict, reader: "_Reader") -> list[Finding]:
    """With cell-level problems only, the model's findings on the rest, so that one run shows all.

    A cell the reader refused (a formula, an error value) was left out of the data; the model
    would call it missing, so its findings at those cells are dropped.
    """
    if not data or any(f.code in STRUCTURAL for f in reader.errors):
        return []
    from disclose.model.load import load_dataset

    refused = {(loc.sheet, loc.cell) for f in reader.errors for loc in f.locations}
    try:
        load_dataset(data, reader.source)
    except InputError as exc:
        return [f for f in exc.findings if not any((loc.sheet, loc.cell) in refused for loc in f.locations)]
    return []


def read_workbook_input(path: Path):
    """``read_workbook`` validated by the model, with the reader's 提示 among the input warnings."""
    from disclose.model.load import load_dataset

    data, source = read_workbook(path)
    loaded = load_dataset(data, source)
    loaded.warnings[:0] = source.notes
    return loaded


# --------------------------------------------------------------------------- the container


def open_archive(path: Path, name: str) -> zipfile.ZipFile:
    here = Location(name)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        from disclose import findings as F

        raise InputError([F.FILE_UNREADABLE([here], reason=exc.strerror or str(exc))]) from None
    if size == 0:
        from disclose import findings as F

        raise InputError([F.FILE_EMPTY([here])])
    if size > MAX_FILE_BYTES:
        raise InputError([X.TOO_LARGE([here], reason=f"文件大小 {size / 1048576:.1f} MB 超过上限 {MAX_FILE_BYTES // 1048576} MB")])
    if head.startswith(CFB_MAGIC):
        raise InputError([(X.ENCRYPTED if _is_encrypted(path) else X.LEGACY_XLS)([here])])
    if not head.startswith(b"PK"):
        raise InputError([X.NOT_A_WORKBOOK([here], reason=_not_zip_reason(head))])
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError([X.CORRUPT([here], reason=f"zip 结构不完整：{exc}")]) from None
    try:
        _check_members(archive, here)
    except InputError:
        archive.close()
        raise
    return archive


def _is_encrypted(path: Path) -> bool:
    # An encrypted OOXML file is an OLE2 compound file with EncryptionInfo/EncryptedPackage
    # streams; the directory entries hold the names in UTF-16LE. An .xls has a Workbook stream.
    data = path.read_bytes()
    return "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data


def _not_zip_reason(head: bytes) -> str:
    text = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = head.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is not None and "\x00" not in text:
        if any(sep in text for sep in (",", "\t", "，")):
            return "文件内容是文字（像是 CSV 或文本文件改了扩展名），不是 Excel 工作簿。请用 disclose template 生成的 .xlsx 工作簿填报"
        return "文件内容是文字，不是 Excel 工作簿（.xlsx）"
    return "文件不是 Excel 工作簿（.xlsx），或已损坏"


def _check_members(archive: zipfile.ZipFile, here: Location) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputError([X.TOO_LARGE([here], reason=f"压缩包中有 {len(infos)} 个文件，超过上限 {MAX_MEMBERS}")])
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER:
            raise InputError([X.TOO_LARGE([here], reason=(
                f"其中 {info.filename} 压缩后 {info.compress_size / 1048576:.1f} MB，解压后声明为 {info.file_size / 1048576:.0f} MB"
                f"（压缩比 {ratio} 倍），超过上限 {MAX_MEMBER // 1048576} MB，疑似压缩炸弹"))])
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise InputError([X.TOO_LARGE([here], reason=f"其中 {info.filename} 的压缩比为 {ratio} 倍，疑似压缩炸弹")])
        if info.flag_bits & 0x1:
            raise InputError([X.ENCRYPTED([here])])
    if total > MAX_UNCOMPRESSED:
        raise InputError([X.TOO_LARGE([here], reason=f"解压后共 {total / 1048576:.0f} MB，超过上限 {MAX_UNCOMPRESSED // 1048576} MB（压缩炸弹）")])
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names and not any(n.endswith("workbook.xml") for n in names):
        if "word/document.xml" in names:
            reason = "这是 Word 文档（.docx）改了扩展名，不是 Excel 工作簿"
        elif "content.xml" in names:
            reason = "这是 OpenDocument 文件（.ods 等）改了扩展名。请在 WPS/LibreOffice 中另存为 Excel 工作簿（*.xlsx）"
        else:
            reason = "压缩包中没有 Excel 工作簿的内容（xl/workbook.xml）"
        raise InputError([X.NOT_A_WORKBOOK([here], reason=reason)])
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise InputError([X.MACRO([here])])


# --------------------------------------------------------------------------- cell values


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_CODE = re.compile(r"^(\d+)(?:\s*\D.*)?$", re.S)


def text_number(text: str, *, percent: bool = False) -> Decimal | None:
    """The number a text means, when it means one unambiguously; None otherwise."""
    t = unicodedata.normalize("NFKC", text)
    t = re.sub(r"\s+", "", t)
    t = t.lstrip("¥$")
    if percent and t.endswith("%"):
        t = t[:-1]
    if _THOUSANDS.match(t):
        t = t.replace(",", "")
    elif not _PLAIN.match(t):
        return None
    try:
        return Decimal(t)
    except InvalidOperation:  # pragma: no cover - the patterns admit only valid numbers
        return None


def float_decimal(value: float, places: int | None) -> Decimal:
    """A float from the file as the decimal it was typed as (shortest repr; float noise snapped to ``places``)."""
    number = Decimal(repr(value))
    if places is not None and number.is_finite() and number.as_tuple().exponent < -places:
        snapped = number.quantize(Decimal(1).scaleb(-places))
        if abs(float(snapped) - value) <= 4 * math.ulp(value):
            return snapped
    return number


class _Reader:
    def __init__(self, name: str, package: Package):
        self.name = name
        self.package = package
        self.source = WorkbookSourceMap(name)
        self.errors: list[Finding] = []
        self.data: dict = {"profile": {}}
        self.parent_rows: dict[str, dict[str, tuple[int, str]]] = {}  # table → key → (index, cell)
        self.merges: dict[str, list[str]] = {}  # sheet → merged ranges

    # -- locations

    def loc(self, sheet: str, row: int | None = None, col: int | None = None, path: tuple = ()) -> Location:
        cell = f"{get_column_letter(col)}{row}" if row is not None and col is not None else None
        return Location(self.name, sheet=sheet, cell=cell, path=path)

    def place(self, path: tuple, location: Location) -> None:
        self.source.places[path] = location
        for i in range(len(path) - 1, 0, -1):
            prefix = path[:i]
            if prefix in self.source.places:
                break
            self.source.places[prefix] = Location(self.name, sheet=location.sheet, path=prefix)

    # -- the book

    def read(self) -> dict:
        self.source.places[()] = Location(self.name)
        self._check_version()
        if self.errors:
            return {}
        present = set(self.package.sheets)
        missing = [s.name for s in SHEETS if s.name not in present]
        if missing:
            known = {s.name for s in SHEETS} | {LISTS_SHEET, "填表说明"}
            unknown = [n for n in self.package.sheets if n not in known]
            hint = f"。工作簿中有模板之外的工作表“{'”“'.join(unknown)}”，是否改了名？请改回原名" if unknown else "。请勿删除或改名工作表"
            for sheet in missing:
                self.errors.append(X.SHEET_MISSING([Location(self.name, sheet=sheet)], sheet=sheet, hint=hint))
            return {}
        for spec in SHEETS:
            rows = self._rows(spec)
            if rows is None:
                continue
            if isinstance(spec, KVSheet):
                self._kv(spec, rows)
            else:
                self._table(spec, rows)
        self._check_merges()
        return self.data

    def _check_version(self) -> None:
        here = Location(self.name)
        if LISTS_SHEET not in self.package.sheets:
            self.errors.append(X.FOREIGN([here], reason="工作簿中没有 disclose 的版本信息（隐藏工作表 _lists），不是 disclose template 生成的工作簿"))
            return
        rows, _ = self.package.rows(LISTS_SHEET, 2, MAX_ROWS)
        first = rows[0] if rows else [None, None]
        marker, version = ((c.value if c is not None else None) for c in first[:2])
        if marker != MARKER:
            self.errors.append(X.FOREIGN([self.loc(LISTS_SHEET, 1, 1)], reason="隐藏工作表 _lists 的版本信息不对，不是 disclose template 生成的工作簿"))
            return
        try:
            number = int(version)
        except (TypeError, ValueError):
            number = -1
        if number > WORKBOOK_VERSION:
            self.errors.append(X.VERSION([self.loc(LISTS_SHEET, 1, 2)], reason=f"工作簿是较新版本的 disclose 生成的（格式版本 {number}），本程序只能读取版本 {WORKBOOK_VERSION}：请升级 disclose"))
        elif number != WORKBOOK_VERSION:
            self.errors.append(X.VERSION([self.loc(LISTS_SHEET, 1, 2)], reason=f"工作簿格式版本为 {version}，本程序读取版本 {WORKBOOK_VERSION}：请用 disclose template --from 旧工作簿 重新生成后再填"))

    def _rows(self, spec) -> list[list] | None:
        width = (1 + spec.ncols) if isinstance(spec, KVSheet) else len(spec.columns)
        try:
            rows, merges = self.package.rows(spec.name, width, MAX_ROWS)
        except TooManyRows:
            self.errors.append(X.TOO_MANY_ROWS([self.loc(spec.name)], rows=MAX_ROWS, limit=MAX_ROWS))
            return None
        except PackageError as exc:
            self.errors.append(X.CORRUPT([self.loc(spec.name)], reason=str(exc)))
            return None
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError, zlib.error) as exc:
            self.errors.append(X.CORRUPT([self.loc(spec.name)], reason=f"工作表“{spec.name}”无法读取：{type(exc).__name__}: {exc}"))
            return None
        self.merges[spec.name] = merges
        return rows

    # -- one cell

    def cell(self, rows: list[tuple], r: int, c: int):
        if r - 1 < len(rows):
            row = rows[r - 1]
            if c - 1 < len(row):
                return row[c - 1]
        return None

    def value(self, sheet: str, rows: list[tuple], r: int, c: int, kind: str, path: tuple, choices: tuple = (), *, register: bool = True) -> Any:
        """The cell converted for the model (BLANK when empty); problems are recorded."""
        cell = self.cell(rows, r, c)
        location = self.loc(sheet, r, c, path)
        if register:
            self.place(path, location)
        if cell is None:
            return BLANK
        raw = cell.value
        if raw is None:
            return BLANK
        data_type = getattr(cell, "data_type", None)
        if data_type == "f" or not isinstance(raw, (str, int, float, bool, Decimal, datetime, date, time)):
            formula = str(getattr(raw, "text", raw))
            kind_type = X.EXTERNAL_LINK if _external(formula) else X.FORMULA_INPUT
            self.errors.append(kind_type([location], formula=_short(formula)))
            return BLANK
        if data_type == "e":
            self.errors.append(X.ERROR_VALUE([location], value=raw))
            return BLANK
        if isinstance(raw, str) and not raw.strip():
            return BLANK
        fmt = getattr(cell, "number_format", "") or ""
        return self.convert(raw, kind, fmt, location, choices)

    def convert(self, raw: Any, kind: str, fmt: str, location: Location, choices: tuple = ()) -> Any:
        if kind in ("amount", "form", "signed", "count", "int"):
            return self._number(raw, kind, fmt, location)
        if kind in ("subject", "economic"):
            return _code(raw)
        if kind == "bool":
            return _bool(raw)
        if kind == "enum":
            if choices and all(isinstance(c, int) for c in choices):
                number = self._number(raw, "int", fmt, location)
                return number
            return _text(raw, fmt) if not isinstance(raw, str) else raw.strip()
        # text
        if isinstance(raw, (datetime, date)):
            shown = raw.strftime("%Y-%m") if location.path[-1:] == ("publish_month",) else raw.strftime("%Y-%m-%d")
            self.source.notes.append(X.TEXT_DATE([location], value=shown))
            return shown
        return _text(raw, fmt)

    def _number(self, raw: Any, kind: str, fmt: str, location: Location) -> Any:
        places = PLACES.get(kind, 0)
        if isinstance(raw, bool):
            return raw  # the model says it is not a number
        if isinstance(raw, int):
            return raw
        if isinstance(raw, float):
            if not math.isfinite(raw):
                return Decimal(repr(raw))
            if "%" in fmt and kind in ("form", "signed"):
                number = float_decimal(raw * 100, places)
            else:
                number = float_decimal(raw, places)
            if kind in ("count", "int") and number == number.to_integral_value():
                return int(number)
            return number
        if isinstance(raw, str):
            number = text_number(raw, percent=kind in ("form", "signed"))
            if number is None:
                return raw.strip()  # the model names the cell: 此处应填金额（数字）……
            self.source.notes.append(X.TEXT_NUMBER([location], text=raw.strip(), value=_plain(number)))
            if kind in ("count", "int") and number == number.to_integral_value():
                return int(number)
            return number
        return str(raw)  # a date or time where a number belongs: the model reports it

    # -- key/value sheets

    def _kv(self, spec: KVSheet, rows: list[tuple]) -> None:
        for r, section, row in spec.layout():
            if row is None:
                continue
            expected = spec.row_label(row)
            label_cell = self.cell(rows, r, 1)
            actual = label_cell.value if label_cell is not None else None
            if normalise_header(actual) != normalise_header(expected):
                self.errors.append(
                    X.ROW_MOVED([self.loc(spec.name, r, 1)], row=r, expected=expected, actual=str(actual or "（空）"))
                )
                return
            if row.derived:
                continue
            values = []
            for j, path in enumerate(row.cells):
                if path is None:
                    continue
                leaf = resolve(path)
                value = self.value(spec.name, rows, r, 2 + j, leaf.kind, path, leaf.choices)
                values.append((path, value))
            if row.whole:
                filled = [v for _, v in values if v is not BLANK]
                if filled and len(filled) != len(values):
                    self.errors.append(
                        X.INCOMPLETE_ROW([self.loc(spec.name, r, 2, values[0][0][:-1])], label=expected, count=len(values),
                                         columns="、".join(section.columns), filled=len(filled))
                    )
                    continue
                if filled:
                    self.place(values[0][0][:-1], self.loc(spec.name, r, 2, values[0][0][:-1]))
            for path, value in values:
                if value is not BLANK:
                    _set(self.data, path, value)

    # -- table sheets

    def _table(self, spec: TableSheet, rows: list[tuple]) -> None:
        if not self._check_header(spec, rows):
            return
        inputs = [(i, c) for i, c in enumerate(spec.columns, 1) if c.is_input]
        leaves = {c.id: item_leaf(spec, c) for _, c in inputs if c.role in ("input", "dictkey")}
        keys: dict[str, tuple[int, str]] = {}
        self.parent_rows[spec.name] = keys
        counters: dict[tuple, int] = {}
        for r in range(spec.first_row, len(rows) + 1):
            row = rows[r - 1]
            if all(_empty(row[i - 1]) if i - 1 < len(row) else True for i, _ in inputs):
                continue
            self._table_row(spec, rows, r, inputs, leaves, keys, counters)

    def _check_header(self, spec: TableSheet, rows: list[tuple]) -> bool:
        header = [self.cell(rows, HEADER_ROW, i) for i in range(1, len(spec.columns) + 1)]
        actual = [normalise_header(c.value if c is not None else None) for c in header]
        problems = []
        for i, column in enumerate(spec.columns):
            want = normalise_header(column_title(spec, column))
            if actual[i] == want:
                continue
            letter = get_column_letter(i + 1)
            if want in actual:
                problems.append(f"“{column_title(spec, column).rstrip('*')}”应在 {letter} 列，实际在 {get_column_letter(actual.index(want) + 1)} 列")
            else:
                problems.append(f"{letter} 列应为“{column_title(spec, column).rstrip('*')}”，实际为“{actual[i] or '（空）'}”")
        if problems:
            self.errors.append(X.HEADER_MOVED([self.loc(spec.name, HEADER_ROW, 1)], detail="；".join(problems[:4]) + ("……" if len(problems) > 4 else "")))
            return False
        return True

    def _table_row(self, spec, rows, r, inputs, leaves, keys, counters) -> None:
        sheet = spec.name
        base = spec.path
        if spec.parent is not None:
            parent_spec = TABLES[spec.parent]
            col_no, column = next((i, c) for i, c in inputs if c.role == "parent")
            raw = self.cell(rows, r, col_no)
            key = _key_text(raw.value if raw is not None else None)
            here = self.loc(sheet, r, col_no)
            if key is None:
                self.errors.append(X.KEY_MISSING([here], column=column.header, hint=f"请填写与“{spec.parent}”表对应的{column.header}"))
                return
            found = self.parent_rows.get(spec.parent, {}).get(key)
            if found is None:
                self.errors.append(X.PARENT_UNKNOWN([here], column=column.header, value=key, parent=spec.parent, hint="（须与该表中的写法完全一致）"))
                return
            base = parent_spec.path + (found[0],) + spec.path
        if spec.mode == "text":
            self._text_row(spec, rows, r, inputs, base, counters)
        elif spec.mode == "dict":
            self._dict_row(spec, rows, r, inputs, leaves, base, keys)
        else:
            self._list_row(spec, rows, r, inputs, leaves, base, keys, counters)

    def _list_row(self, spec, rows, r, inputs, leaves, base, keys, counters) -> None:
        sheet = spec.name
        index = counters.get(base, 0)
        counters[base] = index + 1
        item_path = base + (index,)
        first_col = inputs[0][0]
        self.place(item_path, self.loc(sheet, r, first_col, item_path))
        item: dict = {}
        lists: dict[str, int] = {}
        for col_no, column in inputs:
            if column.role == "key":
                cell = self.cell(rows, r, col_no)
                key = _key_text(cell.value if cell is not None else None)
                self._remember(spec, keys, key, index, r, col_no, column.header)
                continue
            if column.role == "parent":
                continue
            leaf = leaves[column.id]
            path = item_path + column.field
            if column.flag is not None:
                if self._flag(sheet, rows, r, col_no, path):
                    item.setdefault(column.field[0], []).append(column.flag)
                continue
            value = self.value(sheet, rows, r, col_no, leaf.kind, path, leaf.choices)
            if len(column.field) > 1 and isinstance(column.field[-1], int):
                lists[column.field[0]] = max(lists.get(column.field[0], 0), column.field[-1] + 1)
            if value is not BLANK:
                _set(item, column.field, value)
        for name, length in lists.items():  # fixed-width lists (得分率): pad with blanks
            if name in item:
                current = item[name]
                item[name] = [current[i] if i < len(current) else None for i in range(length)]
        key_column = spec.key_column()
        if key_column is not None and key_column.role != "key":
            key_col = next(i for i, c in inputs if c is key_column)
            cell = self.cell(rows, r, key_col)
            self._remember(spec, keys, _key_text(cell.value if cell is not None else None), index, r, key_col, column_title(spec, key_column).rstrip("*"))
        _append(self.data, base, item)

    def _flag(self, sheet, rows, r, col_no, path) -> bool:
        """A check-box cell: √ (or 是/1/✓) ticks it; blank, 否, 0, × leave it unticked."""
        value = self.value(sheet, rows, r, col_no, "text", path, register=False)
        if value is BLANK:
            return False
        self.place(path, self.loc(sheet, r, col_no, path))
        return unicodedata.normalize("NFKC", str(value)).strip().lower() not in ("否", "0", "false", "×", "n", "no")

    def _remember(self, spec, keys, key, index, r, col_no, header) -> None:
        if key is None:
            return
        here = self.loc(spec.name, r, col_no)
        if key in keys:
            children = "、".join(t.name for t in TABLES.values() if t.parent == spec.name)
            self.errors.append(X.PARENT_DUPLICATE([here], column=header, value=key, other=keys[key][1], children=children))
            return
        keys[key] = (index, here.place())

    def _dict_row(self, spec, rows, r, inputs, leaves, base, keys) -> None:
        sheet = spec.name
        (key_col, key_column), (value_col, value_column) = inputs
        if _empty(self.cell(rows, r, value_col)):
            return  # a listed code with no amount: not given
        key = self.value(sheet, rows, r, key_col, leaves[key_column.id].kind, base, register=False)
        if key is BLANK:
            self.errors.append(X.KEY_MISSING([self.loc(sheet, r, key_col, base)], column=key_column.header, hint="请填写编码，或清除本行的金额"))
            return
        key = str(key)
        path = base + (key,)
        if key in keys:
            self.errors.append(X.KEY_DUPLICATE([self.loc(sheet, r, key_col, path)], value=key, other=keys[key][1]))
            return
        keys[key] = (len(keys), self.loc(sheet, r, key_col).place())
        self.place(path + ("[key]",), self.loc(sheet, r, key_col, path))
        value = self.value(sheet, rows, r, value_col, leaves[value_column.id].kind, path)
        if value is not BLANK:
            _set(self.data, path, value)

    def _text_row(self, spec, rows, r, inputs, base, counters) -> None:
        sheet = spec.name
        content_col = next(i for i, c in inputs if c.role == "input")
        if spec.parent is None:
            choice_col = next(i for i, c in inputs if c.role == "choice")
            raw = self.cell(rows, r, choice_col)
            choice = (str(raw.value).strip() if raw is not None and raw.value is not None else "")
            content = self.cell(rows, r, content_col)
            if _empty(content):
                return  # a 栏目 chosen, nothing written
            if not choice:
                self.errors.append(X.KEY_MISSING([self.loc(sheet, r, choice_col)], column="栏目", hint="请选择本行所属的栏目"))
                return
            targets = {normalise_header(label): path for label, path in spec.choices}
            target = targets.get(normalise_header(choice))
            if target is None:
                self.errors.append(X.CHOICE_UNKNOWN([self.loc(sheet, r, choice_col)], value=choice, choices="、".join(l for l, _ in spec.choices)))
                return
            base = target
        index = counters.get(base, 0)
        counters[base] = index + 1
        path = base + (index,)
        value = self.value(sheet, rows, r, content_col, "text", path)
        if value is BLANK:
            counters[base] = index
            return
        _append(self.data, base, value)

    # -- merged cells

    def _check_merges(self) -> None:
        for spec in SHEETS:
            for ref in self.merges.get(spec.name, []):
                bounds = _bounds(ref)
                if bounds is None:
                    continue
                covered = self._covered_inputs(spec, bounds)
                if covered:
                    self.errors.append(
                        X.MERGED_INPUT([self.loc(spec.name, bounds[0], bounds[1])], range=ref, cells="、".join(covered[:5]) + ("……" if len(covered) > 5 else ""))
                    )

    def _covered_inputs(self, spec, bounds) -> list[str]:
        r1, c1, r2, c2 = bounds
        out = []
        if isinstance(spec, KVSheet):
            for r, _, row in spec.layout():
                if row is None or row.derived or not r1 <= r <= r2:
                    continue
                for j, path in enumerate(row.cells):
                    c = 2 + j
                    if path is not None and c1 <= c <= c2 and (r, c) != (r1, c1):
                        out.append(f"{get_column_letter(c)}{r}")
            return out
        first = spec.first_row
        cols = [i for i, c in enumerate(spec.columns, 1) if c.is_input and c1 <= i <= c2]
        top = max(r1, first)
        if not cols or top > r2:
            return []
        for c in cols:
            for r in range(top, min(r2, top + 3) + 1):
                if (r, c) != (r1, c1):
                    out.append(f"{get_column_letter(c)}{r}")
        return out


# --------------------------------------------------------------------------- helpers


def _empty(cell) -> bool:
    if cell is None:
        return True
    value = cell.value
    return value is None or (isinstance(value, str) and not value.strip())


def _external(formula: str) -> bool:
    return bool(re.search(r"\[\d+\]|\[[^\]]*\.(xls[xmb]?|ods|csv)\]|'[a-z]:\\|https?://|file:", formula, re.I))


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:60] + "…"


def _plain(number: Decimal) -> str:
    return format(number, "f")


def _text(raw: Any, fmt: str) -> Any:
    if isinstance(raw, str):
        return raw.strip()
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, float):
        if "%" in fmt:
            return f"{_plain(float_decimal(raw * 100, 4).normalize())}%"
        if raw.is_integer():
            return str(int(raw))
        return repr(raw)
    if isinstance(raw, (int, Decimal)):
        return str(raw)
    if isinstance(raw, (datetime, date, time)):
        return raw.isoformat()
    return str(raw)


def _code(raw: Any) -> Any:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip()
        match = _CODE.match(text)
        return match.group(1) if match else text
    return raw


def _bool(raw: Any) -> Any:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip().lower()
        if text in ("是", "true", "1", "y", "yes", "√"):
            return True
        if text in ("否", "false", "0", "n", "no", "×"):
            return False
    return raw


def _key_text(raw: Any) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    return text or None


def _set(target: dict, path: tuple, value: Any) -> None:
    node: Any = target
    for i, part in enumerate(path[:-1]):
        nxt = path[i + 1]
        if isinstance(part, int):
            while len(node) <= part:
                node.append(None)
            if node[part] is None:
                node[part] = [] if isinstance(nxt, int) else {}
            node = node[part]
        else:
            if part not in node:
                node[part] = [] if isinstance(nxt, int) else {}
            node = node[part]
    last = path[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append(None)
        node[last] = value
    else:
        node[last] = value


def _append(target: dict, path: tuple, value: Any) -> None:
    node: Any = target
    for i, part in enumerate(path):
        last = i == len(path) - 1
        if isinstance(part, int):
            node = node[part]
            continue
        if part not in node:
            node[part] = [] if last else {}
        node = node[part]
    node.append(value)


def get_column_letter(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_RANGE = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$")


def _bounds(ref: str) -> tuple[int, int, int, int] | None:
    """(first row, first column, last row, last column) of a range such as ``F6:H6``."""
    m = _RANGE.match(ref)
    if not m:
        return None
    c1, r1 = _column_number(m.group(1)), int(m.group(2))
    c2, r2 = (_column_number(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
    return r1, c1, r2, c2


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n
