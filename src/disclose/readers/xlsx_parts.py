"""A lean reader of the cells of an .xlsx package: values, types, number formats, merged ranges.

Why not openpyxl here: its read-only mode builds an object per cell and per inline string,
which makes a filled workbook take about half a second, most of it not parsing; and it
does not report merged cells in read-only mode. This reader streams each sheet's XML once
with ``xml.etree.ElementTree.iterparse`` (expat) and hands back light cells with the same
attributes the workbook reader uses from openpyxl's (``value``, ``data_type``,
``number_format``): formulas as ``"=…"`` text with data type ``f`` (never their cached
results), errors as ``e``, shared and inline strings as text, dates by their number format.

Only the parts a reader needs are opened, through a ``zipfile.ZipFile`` whose members were
size-checked before (``excel_reader.open_archive``); a part with a DOCTYPE (entity tricks)
is refused.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships"


# Built-in number formats (ECMA-376 §18.8.30) that matter here: percentages and dates, including
# the East Asian date formats 27–36 and 50–58 that zh-CN Excel writes (openpyxl maps those to General).
BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00",
    12: "# ?/?", 13: "# ??/??", 14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm", 37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)",
    39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0",
    48: "##0.0E+0", 49: "@",
    **{i: 'yyyy"年"m"月"d"日"' for i in (*range(27, 37), *range(50, 59))},
}
_LITERALS = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')


def is_date_format(code: str) -> bool:
    """Whether a number format shows a date or time (its first section, literals removed)."""
    first = _LITERALS.sub("", code.split(";", 1)[0])
    return bool(re.search(r"[dmyhsDMYHS]", first)) and first.lower() != "general"


def excel_date(serial: float, mac1904: bool = False) -> datetime:
    if mac1904:
        base = datetime(1904, 1, 1)
    else:
        base = datetime(1899, 12, 31) if serial < 60 else datetime(1899, 12, 30)  # Lotus's 1900-02-29
    return base + timedelta(days=serial)


class PackageError(Exception):
    """The package is not a readable spreadsheet (the message says why, in Chinese)."""


@dataclass(frozen=True)
class Cell:
    value: object
    data_type: str  # n s b d e f (as openpyxl)
    number_format: str = "General"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


_REF = re.compile(r"([A-Z]{1,3})([0-9]+)$")


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


class Package:
    """The workbook part of an .xlsx zip: sheet names, shared strings, styles."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.sheets: dict[str, str] = {}  # name → part path, in workbook order
        self.shared: list[str] = []
        self.formats: list[str] = []  # cellXfs index → number format code
        self.mac1904 = False
        self._read_workbook()
        self._read_shared_strings()
        self._read_styles()

    # -- parts

    def _xml(self, part: str) -> bytes:
        try:
            data = self.archive.read(part)
        except KeyError:
            raise PackageError(f"缺少 {part}") from None
        if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:
            raise PackageError(f"{part} 含有 DOCTYPE/ENTITY 声明，拒绝读取")
        return data

    def _root(self, part: str) -> ET.Element:
        try:
            return ET.fromstring(self._xml(part))
        except ET.ParseError as exc:
            raise PackageError(f"{part} 不是有效的 XML：{exc}") from None

    def _workbook_part(self) -> str:
        rels = self._root("_rels/.rels")
        for rel in rels:
            if rel.get("Type", "").endswith("/officeDocument"):
                return rel.get("Target", "").lstrip("/")
        return "xl/workbook.xml"

    def _read_workbook(self) -> None:
        part = self._workbook_part()
        root = self._root(part)
        base = posixpath.dirname(part)
        rels_part = posixpath.join(base, "_rels", posixpath.basename(part) + ".rels")
        targets = {}
        for rel in self._root(rels_part):
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            targets[rel.get("Id")] = (rel.get("Type", ""), path)
        self.shared_part = next((p for t, p in targets.values() if t.endswith("/sharedStrings")), None)
        self.styles_part = next((p for t, p in targets.values() if t.endswith("/styles")), None)
        for el in root.iter():
            name = _local(el.tag)
            if name == "workbookPr" and el.get("date1904") in ("1", "true"):
                self.mac1904 = True
            elif name == "sheet":
                rid = el.get(f"{{{REL}}}id") or el.get(f"{{{STRICT_REL}}}id")
                if rid in targets:
                    self.sheets[el.get("name", "")] = targets[rid][1]

    def _read_shared_strings(self) -> None:
        if not self.shared_part or self.shared_part not in self.archive.namelist():
            return
        for si in self._root(self.shared_part):
            self.shared.append(_text_of(si))

    def _read_styles(self) -> None:
        if not self.styles_part or self.styles_part not in self.archive.namelist():
            return
        root = self._root(self.styles_part)
        custom = {}
        for el in root.iter():
            if _local(el.tag) == "numFmt":
                custom[int(el.get("numFmtId", "0"))] = el.get("formatCode", "General")
        for el in root:
            if _local(el.tag) == "cellXfs":
                for xf in el:
                    fid = int(xf.get("numFmtId", "0"))
                    self.formats.append(custom.get(fid) or BUILTIN_FORMATS.get(fid, "General"))

    # -- sheets

    def rows(self, name: str, width: int, max_rows: int) -> tuple[list[list[Cell | None]], list[str]]:
        """The cells of columns 1…``width`` row by row (index 0 = row 1), and the merged ranges."""
        part = self.sheets[name]
        data = self._xml(part)
        rows: list[list[Cell | None]] = []
        merges: list[str] = []
        row_no = 0
        try:
            for _, el in ET.iterparse(_Bytes(data), events=("end",)):
                tag = _local(el.tag)
                if tag == "row":
                    r = el.get("r")
                    row_no = int(r) if r else row_no + 1
                    if row_no > max_rows:
                        raise _TooMany(row_no)
                    cells: list[Cell | None] = [None] * width
                    col_no = 0
                    any_cell = False
                    for c in el:
                        if _local(c.tag) != "c":
                            continue
                        ref = c.get("r")
                        if ref:
                            m = _REF.match(ref)
                            col_no = _column(m.group(1)) if m else col_no + 1
                        else:
                            col_no += 1
                        if col_no > width:
                            continue
                        cell = self._cell(c)
                        if cell is not None:
                            cells[col_no - 1] = cell
                            any_cell = True
                    while len(rows) < row_no - 1:
                        rows.append([None] * width)
                    rows.append(cells if any_cell else [None] * width)
                    el.clear()
                elif tag == "mergeCell":
                    ref = el.get("ref")
                    if ref:
                        merges.append(ref)
                elif tag == "sheetData":
                    el.clear()
        except ET.ParseError as exc:
            raise PackageError(f"工作表“{name}”不是有效的 XML：{exc}") from None
        return rows, merges

    def _cell(self, c: ET.Element) -> Cell | None:
        kind = c.get("t", "n")
        style = c.get("s")
        fmt = "General"
        if style is not None:
            index = int(style)
            if 0 <= index < len(self.formats):
                fmt = self.formats[index]
        v = f = None
        inline = None
        for child in c:
            name = _local(child.tag)
            if name == "v":
                v = child.text
            elif name == "f":
                f = child
            elif name == "is":
                inline = _text_of(child)
        if f is not None:
            text = f.text or ""
            return Cell("=" + text if text else "=（共享公式）", "f", fmt)
        if kind == "inlineStr":
            return Cell(inline, "s", fmt) if inline is not None else None
        if v is None:
            return None
        if kind == "s":
            index = int(v)
            return Cell(self.shared[index] if 0 <= index < len(self.shared) else "", "s", fmt)
        if kind in ("str",):
            return Cell(v, "s", fmt)
        if kind == "b":
            return Cell(v.strip() in ("1", "true"), "b", fmt)
        if kind == "e":
            return Cell(v, "e", fmt)
        if kind == "d":
            try:
                return Cell(datetime.fromisoformat(v.strip().rstrip("Z")), "d", fmt)
            except ValueError:
                return Cell(v, "s", fmt)
        text = v.strip()
        if not text:
            return None
        try:
            number = int(text) if re.fullmatch(r"[+-]?\d+", text) else float(text)
        except ValueError:
            return Cell(text, "s", fmt)
        if fmt != "General" and is_date_format(fmt):
            try:
                return Cell(excel_date(number, self.mac1904), "d", fmt)
            except (ValueError, OverflowError):
                pass
        return Cell(number, "n", fmt)


class _TooMany(Exception):
    def __init__(self, row: int):
        self.row = row


TooManyRows = _TooMany


def _text_of(el: ET.Element) -> str:
    """The text of a shared-string item or inline string: its runs, without phonetic hints."""
    parts = []
    for child in el:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            for t in child:
                if _local(t.tag) == "t":
                    parts.append(t.text or "")
    return "".join(parts)


class _Bytes:
    """A minimal file object over bytes for iterparse (avoids copying into BytesIO twice)."""

    def __init__(self, data: bytes):
        self.data = data
        self.pos = 0

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            n = len(self.data) - self.pos
        chunk = self.data[self.pos:self.pos + n]
        self.pos += len(chunk)
        return chunk
