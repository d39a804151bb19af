"""Word (DOCX) writer for the layout-neutral document IR.

Every IR section becomes a Word section of its own (A4, portrait or landscape),
so that cover and 目录 can go without page numbers and the body can restart at 1.
Everything the reader sees is carried by named paragraph styles (标题 1-4 for the
navigation pane and the TOC field, 正文段落, 表格数字, …): cells and paragraphs
carry no direct run formatting beyond the IR's own bold runs, so a clerk can
restyle the whole document in Word by editing a style.

Low-level OOXML lives in ``disclose.writers.ooxml``; this module decides the look.

Speed: the body is built as raw XML through lxml rather than python-docx's proxy
objects. ``Paragraph.style = …`` scans all styles on every call and
``Table.cell()`` rebuilds the grid on every call, which made a 40-page document
take seconds; building the elements directly takes a small fraction of that.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import pathlib
import tempfile
import time
from dataclasses import dataclass, replace
from typing import Literal

import docx
from docx.oxml.ns import qn
from docx.section import Section as DocxSection
from lxml import etree

from disclose.document.ir import (
    Block,
    Cell,
    Document,
    Heading,
    InfoLine,
    Paragraph,
    Section,
    Spacer,
    Table,
    TableOfContents,
)
from disclose.writers import ooxml
from disclose.writers.ooxml import ParagraphProps, RunProps, Tab, mm

FontSet = Literal["windows", "gb2312"]

# East-Asian font names as Chinese Windows/WPS users have them. The *_GB2312
# variants are what GB/T 9704 names, but they exist only where someone installed them.
_FONT_SETS: dict[str, dict[str, str]] = {
    "windows": {"fangsong": "仿宋", "kaiti": "楷体", "heiti": "黑体", "songti": "宋体"},
    "gb2312": {"fangsong": "仿宋_GB2312", "kaiti": "楷体_GB2312", "heiti": "黑体", "songti": "宋体"},
}
LATIN = "Times New Roman"

# GB/T 9704 (公文) geometry: a 156 x 225 mm text block, which at 三号 (16 pt) with
# 28 pt lines gives the familiar 22 lines of 28 characters. Landscape pages hold
# wide tables, so they get narrower margins.
PORTRAIT = ooxml.PageSetup(
    width=ooxml.A4_SHORT, height=ooxml.A4_LONG,
    top=mm(37), bottom=mm(35), left=mm(28), right=mm(26), header=mm(15), footer=mm(25),
)
LANDSCAPE = ooxml.PageSetup(
    width=ooxml.A4_LONG, height=ooxml.A4_SHORT,
    top=mm(25), bottom=mm(25), left=mm(25), right=mm(25), header=mm(12), footer=mm(12),
)

BODY_PT = 16.0  # 三号
LINE = 560  # 28 pt, in twips
TWO_CHARS = ParagraphProps(first_line_chars=200, first_line=round(2 * BODY_PT * 20))
TABLE_PT = {"normal": 10.5, "small": 9.0, "tiny": 7.5}  # 五号, 小五, 六号
_TABLE_SIZE_SUFFIX = {"normal": ("", ""), "small": ("Small", " 小五"), "tiny": ("Tiny", " 六号")}

PAGE_NUMBER = ("- ", " -")  # text around the PAGE field in the footer
TOC_PLACEHOLDER = "目录将在打开文档时更新（如未更新，请右键单击此处并选择“更新域”）。"

_ROLE_STYLES = {
    "body": "Body",
    "plain": "Normal",
    "center": "Center",
    "right": "Right",
    "cover-title": "CoverTitle",
    "cover-subtitle": "CoverSubtitle",
    "table-title": "TableTitle",
    "note": "TableNote",
}
_CELL_STYLES = {"left": "TableText", "justify": "TableText", "right": "TableNumber", "center": "TableCenter"}


@dataclass(frozen=True)
class DocxInfo:
    path: pathlib.Path
    sections: int
    tables: int
    toc_entries: int
    toc_prefilled: bool  # the TOC shows page numbers from ``toc_pages`` before any update
    size: int  # bytes
    seconds: float


def write_docx(
    document: Document,
    target: pathlib.Path,
    *,
    fonts: FontSet = "windows",
    toc_pages: dict[str, int] | None = None,
) -> DocxInfo:
    """Write ``document`` to ``target`` atomically (a temporary file, then ``os.replace``).

    ``fonts`` picks the East-Asian font names: "windows" (仿宋, 楷体) or "gb2312"
    (仿宋_GB2312, 楷体_GB2312). ``toc_pages`` maps a heading's anchor, or else its
    text, to the page number printed in its footer (e.g. from the PDF's
    pagination); the 目录 then shows those numbers before Word updates its fields.
    """
    if fonts not in _FONT_SETS:
        raise ValueError(f"fonts must be one of {sorted(_FONT_SETS)}, not {fonts!r}")
    started = time.perf_counter()
    target = pathlib.Path(target)
    writer = _Writer(document, _FONT_SETS[fonts], toc_pages)
    word = writer.build()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        word.save(tmp_name)
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    return DocxInfo(
        path=target,
        sections=len(document.sections),
        tables=writer.tables,
        toc_entries=len(writer.toc_entries),
        toc_prefilled=writer.toc_prefilled,
        size=target.stat().st_size,
        seconds=time.perf_counter() - started,
    )


# ------------------------------------------------------------------------- styles


def _define_styles(styles: etree._Element, font: dict[str, str]) -> None:
    fs, kt, ht, st = font["fangsong"], font["kaiti"], font["heiti"], font["songti"]
    ooxml.strip_theme_fonts(styles)
    ooxml.set_doc_defaults(styles, RunProps(east_asia=fs, latin=LATIN, size_pt=BODY_PT), "zh-CN")

    def define(style_id, name, paragraph=ParagraphProps(), run=RunProps(), **kwargs):
        ooxml.define_paragraph_style(styles, style_id, name, paragraph, run, **kwargs)

    define(
        "Normal", "Normal",
        ParagraphProps(auto_space_off=True, space_before=0, space_after=0, line=LINE, align="both"),
        RunProps(east_asia=fs, latin=LATIN, size_pt=BODY_PT),
        based_on=None, builtin=True,
    )
    define("Body", "正文段落", TWO_CHARS, next_style="Body")
    define("Center", "居中", ParagraphProps(align="center"))
    define("Right", "右对齐", ParagraphProps(align="right", keep_next=True))

    indented = ParagraphProps(keep_next=True, keep_lines=True, first_line_chars=200, first_line=640)
    levels = [
        # part titles stand alone, centred, at the top of their page
        (ParagraphProps(keep_next=True, keep_lines=True, align="center", line=480, line_rule="auto",
                        space_before=240, space_after=480), RunProps(east_asia=ht, size_pt=22)),
        (indented, RunProps(east_asia=ht, size_pt=BODY_PT)),
        (indented, RunProps(east_asia=kt, size_pt=BODY_PT)),
        (indented, RunProps(east_asia=fs, size_pt=BODY_PT, bold=True)),
    ]
    for level, (paragraph, run) in enumerate(levels, start=1):
        paragraph = replace(paragraph, outline_level=level - 1)
        run = replace(run, color="000000")
        define(f"Heading{level}", f"heading {level}", paragraph, run, next_style="Body", builtin=True, ui_priority=9)
        # Same look, but outline level "body text": out of the TOC and the navigation pane.
        define(f"Heading{level}NoToc", f"标题 {level}（不入目录）", ParagraphProps(outline_level=9),
               based_on=f"Heading{level}", next_style="Body")

    define("CoverTitle", "封面标题",
           ParagraphProps(align="center", line=360, line_rule="auto", space_after=240),
           RunProps(east_asia=ht, size_pt=26, bold=True))
    define("CoverSubtitle", "封面副标题",
           ParagraphProps(align="center", line=360, line_rule="auto", space_before=720),
           RunProps(east_asia=kt, size_pt=BODY_PT))
    define("TableTitle", "表格标题",
           ParagraphProps(align="center", keep_next=True, line=360, line_rule="auto", space_after=120),
           RunProps(east_asia=st, size_pt=18, bold=True))
    define("InfoLine", "表格信息行",
           ParagraphProps(align="left", keep_next=True, line=240, line_rule="auto", space_after=60),
           RunProps(east_asia=st, size_pt=12))
    define("TableNote", "表注",
           ParagraphProps(line=400, line_rule="exact", space_before=60),
           RunProps(east_asia=fs, size_pt=12))
    # An empty paragraph that must close a section after a table: 1 pt high, so
    # that it cannot spill onto a page of its own.
    define("SectionBreak", "分节段落", ParagraphProps(line=20, line_rule="exact"), RunProps(size_pt=1))

    cell = ParagraphProps(line=240, line_rule="auto", align="left")
    define("TableText", "表格正文", cell, RunProps(east_asia=st, size_pt=TABLE_PT["normal"]))
    define("TableNumber", "表格数字", ParagraphProps(align="right"), based_on="TableText")
    define("TableCenter", "表格居中", ParagraphProps(align="center"), based_on="TableText")
    # keep_next keeps header rows together with the first body row on a page.
    define("TableHeader", "表头", ParagraphProps(align="center", keep_next=True), RunProps(bold=True),
           based_on="TableText")
    base_names = {"TableText": "表格正文", "TableNumber": "表格数字", "TableCenter": "表格居中", "TableHeader": "表头"}
    for size in ("small", "tiny"):
        id_suffix, name_suffix = _TABLE_SIZE_SUFFIX[size]
        for base, name in base_names.items():
            define(base + id_suffix, name + name_suffix, run=RunProps(size_pt=TABLE_PT[size]), based_on=base)

    define("TOCTitle", "目录标题",
           ParagraphProps(align="center", line=480, line_rule="auto", space_after=480),
           RunProps(east_asia=ht, size_pt=22))
    dots = (Tab("right", PORTRAIT.text_width, "dot"),)
    toc_levels = [
        (ParagraphProps(tabs=dots), RunProps(east_asia=ht)),
        (ParagraphProps(tabs=dots, left_chars=200, left=640), RunProps()),
        (ParagraphProps(tabs=dots, left_chars=400, left=1280), RunProps()),
        (ParagraphProps(tabs=dots, left_chars=600, left=1920), RunProps()),
    ]
    for level, (paragraph, run) in enumerate(toc_levels, start=1):
        define(f"TOC{level}", f"toc {level}", paragraph, run, builtin=True, ui_priority=39)

    define("Footer", "footer", ParagraphProps(align="center", line=240, line_rule="auto"),
           RunProps(east_asia=st, size_pt=14), builtin=True)


# ------------------------------------------------------------------------- writer


def _bookmark_name(index: int) -> str:
    # Leading underscore: Word hides such bookmarks from its bookmark list, as it
    # does for the _Toc bookmarks it makes itself.
    return f"_TocH{index:06d}"


class _Writer:
    def __init__(self, document: Document, font: dict[str, str], toc_pages: dict[str, int] | None):
        self.document = document
        self.font = font
        self.toc_pages = toc_pages
        self.word = docx.Document()
        self.body = self.word.element.body
        self.tables = 0
        self.bookmark_ids = 0
        toc = next((b for s in document.sections for b in s.blocks if isinstance(b, TableOfContents)), None)
        self.toc_levels = toc.levels if toc else 0
        self.toc_entries: list[tuple[Heading, str]] = [
            (h, _bookmark_name(i))
            for i, h in enumerate(h for h in document.headings() if h.toc and h.level <= self.toc_levels)
        ]
        self.bookmark_of = {id(h): name for h, name in self.toc_entries}
        self.toc_prefilled = False

    # -- document ---------------------------------------------------------------

    def build(self) -> docx.document.Document:
        _define_styles(self.word.styles.element, self.font)
        settings = self.word.settings.element
        ooxml.enable_update_fields(settings)
        ooxml.set_theme_font_lang(settings, "zh-CN")
        self._core_properties()

        sentinel = self.body.sectPr
        sections = self.document.sections or [Section()]
        first_body = next((i for i, s in enumerate(sections) if s.kind == "body"), None)
        numbered_before = False
        for index, section in enumerate(sections):
            page = LANDSCAPE if section.orientation == "landscape" else PORTRAIT
            last = None
            for position, block in enumerate(section.blocks):
                keep = section.keep_together and position < len(section.blocks) - 1
                last = self._block(block, page, keep_with_next=keep, keep_rows=section.keep_together)
            sect = ooxml.section_properties(
                page, restart_numbering=index == first_body, center_vertically=section.kind == "cover"
            )
            if index == len(sections) - 1:
                sentinel.addprevious(sect)
                self.body.remove(sentinel)
            else:
                if last is None or last.tag != qn("w:p"):
                    last = self._append(ooxml.paragraph("SectionBreak"))
                ooxml.set_section_break(last, sect)
            numbered = section.kind == "body"
            if numbered != numbered_before:
                self._footer(sect, numbered)
            numbered_before = numbered
        return self.word

    def _core_properties(self) -> None:
        props = self.word.core_properties
        now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
        props.title = self.document.title
        props.author = self.document.author
        props.last_modified_by = self.document.author
        props.language = self.document.lang
        props.created = now
        props.modified = now
        props.revision = 1
        props.comments = ""

    def _footer(self, sect: etree._Element, numbered: bool) -> None:
        """Give the section a footer of its own; later sections inherit it (Word's "link to previous")."""
        footer = DocxSection(sect, self.word.part).footer
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]._p
        if numbered:
            before, after = PAGE_NUMBER
            ooxml.add_run(p, before)
            ooxml.add_field(p, "PAGE", "1")
            ooxml.add_run(p, after)

    def _append(self, element: etree._Element) -> etree._Element:
        # The body's own w:sectPr (the last section's properties) must stay last.
        self.body.sectPr.addprevious(element)
        return element

    # -- blocks -----------------------------------------------------------------

    def _block(self, block: Block, page: ooxml.PageSetup, *, keep_with_next: bool, keep_rows: bool):
        """Write one block; return the last body element it wrote."""
        keep = ParagraphProps(keep_next=True) if keep_with_next else None
        if isinstance(block, Paragraph):
            p = ooxml.paragraph(_ROLE_STYLES[block.role], keep)
            for run in block.runs:
                ooxml.add_run(p, run.text, bold=run.bold)
            return self._append(p)
        if isinstance(block, Heading):
            return self._append(self._heading(block))
        if isinstance(block, Table):
            return self._table(block, page, keep_rows=keep_rows, keep_with_next=keep_with_next)
        if isinstance(block, InfoLine):
            tabs = (Tab("center", page.text_width // 2), Tab("right", page.text_width))
            p = ooxml.paragraph("InfoLine", ParagraphProps(tabs=tabs, keep_next=True))
            ooxml.add_run(p, f"{block.left}\t{block.center}\t{block.right}")
            return self._append(p)
        if isinstance(block, TableOfContents):
            return self._toc(block)
        if isinstance(block, Spacer):
            height = ParagraphProps(line=max(1, round(block.lines * LINE)), line_rule="exact", keep_next=keep_with_next or None)
            return self._append(ooxml.paragraph("Normal", height))
        raise TypeError(f"unknown block type {type(block).__name__}")

    def _heading(self, heading: Heading) -> etree._Element:
        if not 1 <= heading.level <= 4:
            raise ValueError(f"heading level must be 1-4, got {heading.level}: {heading.text!r}")
        style = f"Heading{heading.level}" if heading.toc else f"Heading{heading.level}NoToc"
        p = ooxml.paragraph(style)
        ooxml.add_run(p, heading.text)
        bookmark = self.bookmark_of.get(id(heading))
        if bookmark:
            ooxml.add_bookmark(p, self.bookmark_ids, bookmark)
            self.bookmark_ids += 1
        return p

    def _toc(self, toc: TableOfContents) -> etree._Element:
        """The 目录 as a Word TOC field over the heading styles.

        The field's result is written out in full, one entry per heading with a
        PAGEREF field for its number, exactly as Word itself would write it. So the
        目录 reads right before anyone updates it: the numbers are ``toc_pages``'
        when given, and any renderer that evaluates PAGEREF (LibreOffice does)
        fills in its own. Word rebuilds the whole field on open (updateFields).
        """
        title = ooxml.paragraph("TOCTitle")
        ooxml.add_run(title, toc.title)
        self._append(title)
        instruction = f'TOC \\o "1-{toc.levels}" \\h \\z \\u'
        if not self.toc_entries:
            p = ooxml.paragraph("TOC1")
            ooxml.field_begin(p, instruction, dirty=True)
            ooxml.add_run(p, TOC_PLACEHOLDER)
            ooxml.field_end(p)
            return self._append(p)
        pages = self.toc_pages or {}
        self.toc_prefilled = bool(self.toc_pages)
        p = None
        for index, (heading, bookmark) in enumerate(self.toc_entries):
            p = ooxml.paragraph(f"TOC{heading.level}")
            if index == 0:
                ooxml.field_begin(p, instruction, dirty=True)
            link = ooxml.add_internal_hyperlink(p, bookmark)
            ooxml.add_run(link, heading.text)
            ooxml.add_run(link, "\t")
            page = pages.get(heading.anchor) if heading.anchor else None
            if page is None:
                page = pages.get(heading.text)
            ooxml.add_field(link, f"PAGEREF {bookmark} \\h", "" if page is None else str(page))
            self._append(p)
        ooxml.field_end(p)
        return p

    def _table(self, table: Table, page: ooxml.PageSetup, *, keep_rows: bool, keep_with_next: bool) -> etree._Element:
        columns = table.columns
        if not columns:
            raise ValueError(f"table {table.name!r} has no columns")
        widths = _scale([c.width for c in columns], page.text_width)
        tbl = ooxml.table(widths)
        ncols = len(columns)
        suffix = _TABLE_SIZE_SUFFIX[table.font_size][0]
        rows = [(cells, True) for cells in table.header] + [(cells, False) for cells in table.body]
        # For each grid column: (grid span, rows still to cover) of a row span from above.
        spanning: list[tuple[int, int] | None] = [None] * ncols
        for row_index, (cells, is_header) in enumerate(rows):
            keep = keep_rows and (row_index < len(rows) - 1 or keep_with_next)
            tr = ooxml.table_row(tbl, header=is_header)
            pending = iter(cells)
            col = 0
            while col < ncols:
                span = spanning[col]
                if span is not None:
                    colspan, left = span
                    tc = ooxml.table_cell(tr, sum(widths[col:col + colspan]), grid_span=colspan, v_merge="continue")
                    tc.append(ooxml.paragraph("TableText" + suffix))
                    spanning[col] = (colspan, left - 1) if left > 1 else None
                    col += colspan
                    continue
                cell = next(pending, None) or Cell()
                colspan = min(cell.colspan, ncols - col)
                if any(spanning[c] is not None for c in range(col, col + colspan)):
                    raise ValueError(f"table {table.name!r} row {row_index + 1}: cell {cell.text!r} overlaps a row span")
                tc = ooxml.table_cell(
                    tr, sum(widths[col:col + colspan]), grid_span=colspan,
                    v_merge="restart" if cell.rowspan > 1 else None,
                )
                tc.append(self._cell_paragraph(cell, columns[col].align, is_header, suffix, keep))
                if cell.rowspan > 1:
                    spanning[col] = (colspan, cell.rowspan - 1)
                col += colspan
            extra = list(pending)
            if extra:
                raise ValueError(
                    f"table {table.name!r} row {row_index + 1}: {len(extra)} cell(s) beyond the {ncols}-column grid"
                )
        self.tables += 1
        return self._append(tbl)

    @staticmethod
    def _cell_paragraph(cell: Cell, column_align: str, is_header: bool, suffix: str, keep: bool) -> etree._Element:
        if is_header:
            style = "TableHeader"
            align = cell.align if cell.align not in (None, "center") else None
        else:
            wanted = cell.align or column_align
            style = _CELL_STYLES[wanted]
            align = "both" if wanted == "justify" else None
        props = ParagraphProps(align=align, keep_next=True if keep else None)
        p = ooxml.paragraph(style + suffix, props)
        if cell.text:
            ooxml.add_run(p, cell.text, bold=cell.bold)
        return p


def _scale(weights: list[float], total: int) -> list[int]:
    """Integer widths proportional to ``weights`` that add up to exactly ``total``."""
    whole = sum(weights)
    if whole <= 0:
        weights, whole = [1.0] * len(weights), float(len(weights))
    widths, acc, done = [], 0.0, 0
    for weight in weights:
        acc += weight
        edge = round(total * acc / whole)
        widths.append(edge - done)
        done = edge
    return widths
