"""Word (DOCX) writer for the layout-neutral document IR.

Every IR section becomes a Word section of its own (A4, portrait or landscape),
so that cover and 目录 can go without page numbers and the body can restart at 1.
Everything the reader sees is carried by named paragraph styles (标题 1-4 for the
navigation pane and the TOC field, 正文段落, 表格数字, …): cells and paragraphs
carry no direct run formatting beyond the IR's own bold runs, so a clerk can
restyle the whole document in Word by editing a style.

Low-level OOXML lives in ``disclose.writers.ooxml``; this module decides the look.

python-docx supplies the package: the parts of its template that a document needs
(``base.docx``, made by scripts/make_docx_base.py), settings, core properties,
footers and saving. The body is written as XML text and saved as written (see
``ooxml``), not through python-docx's proxies: ``Paragraph.style = …`` scans all
styles on every call and ``Table.cell()`` rebuilds the grid on every call, which
made a 40-page document take seconds; this way an 80-page one takes 0.04 s.
"""

from __future__ import annotations

import datetime as dt
import functools
import pathlib
import time
from dataclasses import dataclass, replace
from typing import Literal

import docx
from docx.oxml.ns import qn
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
from disclose.files import saved, write_atomic
from disclose.writers import ems, info_line_fits, ooxml
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
    top=mm(20), bottom=mm(20), left=mm(20), right=mm(20), header=mm(10), footer=mm(10),
)

BODY_PT = 16.0  # 三号
INFO_LINE_PT = 12.0  # 部门：… | 2024年度 | 单位：万元 above a table
LINE = 560  # 28 pt, in twips
TWO_CHARS = ParagraphProps(first_line_chars=200, first_line=round(2 * BODY_PT * 20))
TABLE_PT = {"normal": 10.5, "small": 9.0, "tiny": 7.5}  # 五号, 小五, 六号
_TABLE_SIZE_SUFFIX = {"normal": ("", ""), "small": ("Small", " 小五"), "tiny": ("Tiny", " 六号")}

# Text around the PAGE field in the footer: a 一字线 on each side, as GB/T 9704 has
# 公文 page numbers and as the PDF writer prints them.
PAGE_NUMBER = ("— ", " —")
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
# In a section to be kept on one page (a form), its title lines take less height, as in
# the PDF: the room goes to the form's rows.
_KEEP_TOGETHER_STYLES = {"table-title": "FormTitle", "center": "FormSubtitle"}
_CELL_STYLES = {"left": "TableText", "justify": "TableText", "right": "TableNumber", "center": "TableCenter"}


# python-docx's template less what no disclose document uses (scripts/make_docx_base.py).
BASE = pathlib.Path(__file__).with_name("base.docx")


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
    write_atomic(target, saved(word.save))  # readers never see a half-written file
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
    # Mostly the 公开NN表 label above a table: table-sized, kept with what follows.
    define("Right", "右对齐", ParagraphProps(align="right", keep_next=True, line=240, line_rule="auto"),
           RunProps(east_asia=st, size_pt=12))

    indented = replace(TWO_CHARS, keep_next=True, keep_lines=True)
    levels = [
        # part titles stand alone, centred, at the top of their page: 36 pt lines and 12 pt
        # before, 18 pt after, as in the PDF (double spacing took a 22 pt CJK line to ~60 pt,
        # which pushed the first appendix form's last rows onto a page of their own)
        (ParagraphProps(keep_next=True, keep_lines=True, align="center", line=720, line_rule="exact",
                        space_before=240, space_after=360), RunProps(east_asia=ht, size_pt=22)),
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
               based_on=f"Heading{level}", next_style="Body", gallery=False)

    define("CoverTitle", "封面标题",
           ParagraphProps(align="center", line=360, line_rule="auto", space_after=240),
           RunProps(east_asia=ht, size_pt=26, bold=True))
    define("CoverSubtitle", "封面副标题",
           ParagraphProps(align="center", line=360, line_rule="auto", space_before=720),
           RunProps(east_asia=kt, size_pt=BODY_PT))
    define("TableTitle", "表格标题",
           ParagraphProps(align="center", keep_next=True, line=360, line_rule="auto", space_after=120),
           RunProps(east_asia=st, size_pt=18, bold=True))
    define("FormTitle", "表单标题", ParagraphProps(line=240, line_rule="auto", space_after=0), based_on="TableTitle",
           gallery=False)
    define("FormSubtitle", "表单副标题", ParagraphProps(keep_next=True, line=240, line_rule="auto", space_after=60),
           RunProps(size_pt=14), based_on="Center", gallery=False)
    # A table's title that is also its 目录 entry: the look of TableTitle, the outline level of a section.
    define("TableHeading", "表格标题（入目录）", ParagraphProps(outline_level=1), based_on="TableTitle", next_style="Body")
    define("TableHeadingNoToc", "表格标题（不入目录）", ParagraphProps(outline_level=9), based_on="TableTitle", next_style="Body",
           gallery=False)
    define("InfoLine", "表格信息行",
           ParagraphProps(align="left", keep_next=True, line=240, line_rule="auto", space_after=60),
           RunProps(east_asia=st, size_pt=INFO_LINE_PT))
    define("TableNote", "表注",
           ParagraphProps(line=400, line_rule="exact", space_before=60),
           RunProps(east_asia=fs, size_pt=12))
    # The empty paragraph Word needs after a table that ends a section or the
    # document: 1 pt high, so that it cannot spill onto a page of its own.
    define("SectionBreak", "分节段落", ParagraphProps(line=20, line_rule="exact"), RunProps(size_pt=1), gallery=False)

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
            define(base + id_suffix, name + name_suffix, run=RunProps(size_pt=TABLE_PT[size]), based_on=base,
                   gallery=False)

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
        define(f"TOC{level}", f"toc {level}", paragraph, run, builtin=True, gallery=False, ui_priority=39)

    define("Footer", "footer", ParagraphProps(align="center", line=240, line_rule="auto"),
           RunProps(east_asia=st, size_pt=14), builtin=True, gallery=False)


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
        self.word = docx.Document(str(BASE))
        self.tables = 0
        self.bookmark_ids = 0
        toc = next((b for s in document.sections for b in s.blocks if isinstance(b, TableOfContents)), None)
        toc_levels = toc.levels if toc else 0
        self.toc_entries: list[tuple[Heading, str]] = [
            (h, _bookmark_name(i))
            for i, h in enumerate(h for h in document.headings() if h.toc and h.level <= toc_levels)
        ]
        # Headings get bookmarks only when a pre-filled 目录 links to them.
        self.bookmark_of = {id(h): name for h, name in self.toc_entries} if toc_pages is not None else {}
        self.toc_prefilled = False

    # -- document ---------------------------------------------------------------

    def build(self) -> docx.document.Document:
        _define_styles(self.word.styles.element, self.font)
        settings = self.word.settings.element
        ooxml.enable_update_fields(settings)
        ooxml.set_theme_font_lang(settings, "zh-CN")
        self._core_properties()

        sections = self.document.sections or [Section()]
        first_body = next((i for i, s in enumerate(sections) if s.kind == "body"), None)
        body: list[str] = []
        numbered_before = False
        for index, section in enumerate(sections):
            page = LANDSCAPE if section.orientation == "landscape" else PORTRAIT
            numbered = section.kind == "body"
            sect = ooxml.section_properties(
                page,
                # Only where numbering switches on or off; other sections inherit the footer.
                footer_rid=self._footer(numbered) if numbered != numbered_before else None,
                restart_numbering=index == first_body,
                center_vertically=section.kind == "cover",
            )
            numbered_before = numbered
            # Word keeps a section's properties in its last paragraph, the body's
            # last section's in a w:sectPr after all paragraphs.
            final = index == len(sections) - 1
            blocks = section.blocks
            for i, block in enumerate(blocks):
                last = i == len(blocks) - 1
                keep = section.keep_together and not last
                if i and isinstance(block, Table) and isinstance(blocks[i - 1], Table):
                    body.append(ooxml.paragraph("Normal"))  # else Word joins the two tables
                body.append(self._block(block, page, keep_with_next=keep, keep_together=section.keep_together,
                                        section=sect if last and not final else ""))
            if not blocks:  # Word wants at least one paragraph per section
                body.append(ooxml.paragraph("SectionBreak", section="" if final else sect))
            elif final and isinstance(blocks[-1], Table):
                body.append(ooxml.paragraph("SectionBreak"))  # and a paragraph after the last table
            if final:
                body.append(sect)
        # The whole body is saved as written: see ooxml's docstring for why. The
        # template's main part is otherwise empty, so nothing is lost by replacing it.
        ooxml.write_document_as_text(self.word.part, "".join(body))
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

    def _footer(self, numbered: bool) -> str:
        """A new footer part, with the page number or empty; returns its relationship id."""
        part, rid = self.word.part.add_footer_part()
        if numbered:
            before, after = PAGE_NUMBER
            xml = ooxml.run(before) + ooxml.field("PAGE", "1") + ooxml.run(after)
            ooxml.append_content(part.element.find(qn("w:p")), xml)
        return rid

    # -- blocks: each returns its XML ----------------------------------------------

    def _block(self, block: Block, page: ooxml.PageSetup, *, keep_with_next: bool, keep_together: bool,
               section: str) -> str:
        """``section``: a w:sectPr for the block's last paragraph (the block ends a section);
        ``keep_together``: the block's section is to be kept on one page."""
        keep = ParagraphProps(keep_next=True) if keep_with_next else None
        if isinstance(block, Paragraph):
            runs = "".join(ooxml.run(r.text, bold=r.bold) for r in block.runs)
            style = (keep_together and _KEEP_TOGETHER_STYLES.get(block.role)) or _ROLE_STYLES[block.role]
            return ooxml.paragraph(style, runs, keep, section=section)
        if isinstance(block, Heading):
            return self._heading(block, section)
        if isinstance(block, Table):
            xml = self._table(block, page, keep_rows=keep_together, keep_with_next=keep_with_next)
            # A section cannot end in a table: Word needs a paragraph to carry the break.
            return xml + ooxml.paragraph("SectionBreak", section=section) if section else xml
        if isinstance(block, InfoLine):
            tabs = (Tab("center", self._info_centre(block, page.text_width)), Tab("right", page.text_width))
            text = ooxml.run(f"{block.left}\t{block.center}\t{block.right}")
            return ooxml.paragraph("InfoLine", text, ParagraphProps(tabs=tabs), section=section)
        if isinstance(block, TableOfContents):
            return self._toc(block, section)
        if isinstance(block, Spacer):
            height = ParagraphProps(line=max(1, round(block.lines * LINE)), line_rule="exact",
                                    keep_next=keep_with_next or None)
            return ooxml.paragraph("Normal", "", height, section=section)
        raise TypeError(f"unknown block type {type(block).__name__}")

    def _heading(self, heading: Heading, section: str) -> str:
        if not 1 <= heading.level <= 4:
            raise ValueError(f"heading level must be 1-4, got {heading.level}: {heading.text!r}")
        if heading.role == "table-title":
            style = "TableHeading" if heading.toc else "TableHeadingNoToc"
        else:
            style = f"Heading{heading.level}" if heading.toc else f"Heading{heading.level}NoToc"
        content = ooxml.run(heading.text)
        name = self.bookmark_of.get(id(heading))
        if name:
            content = ooxml.bookmark(self.bookmark_ids, name, content)
            self.bookmark_ids += 1
        return ooxml.paragraph(style, content, section=section)

    @staticmethod
    def _info_centre(line: InfoLine, width: int) -> int:
        """Where the middle part is centred (twips): the middle of the line, unless a long
        left part (a 部门 name) reaches it. Word would then move the middle part to the right
        tab and the right part to a line of its own; as in the PDF, the middle part follows
        the left one an em apart while all three fit on the line."""
        em = INFO_LINE_PT * 20
        left, centre = ems(line.left) * em, ems(line.center) * em
        if left + em <= width / 2 - centre / 2 or not info_line_fits(line, width / em):
            return width // 2
        return round(left + em + centre / 2)

    def _toc(self, toc: TableOfContents, section: str) -> str:
        """The 目录 as a Word TOC field over the heading styles; Word rebuilds it on open.

        Without ``toc_pages`` the field shows a placeholder until it is updated.
        With them, its result is written out as Word itself would: one entry per
        heading, linked to a bookmark on the heading, with a PAGEREF field whose
        cached text is the given number. Renderers that do not update fields
        (LibreOffice's converter) then still print a complete 目录.
        """
        xml = [ooxml.paragraph("TOCTitle", ooxml.run(toc.title))]
        begin = ooxml.field_begin(f'TOC \\o "1-{toc.levels}" \\h \\z \\u', dirty=True)
        if not self.toc_entries or self.toc_pages is None:
            content = begin + ooxml.run(TOC_PLACEHOLDER) + ooxml.field_end()
            xml.append(ooxml.paragraph("TOC1", content, section=section))
            return "".join(xml)
        self.toc_prefilled = True
        last = len(self.toc_entries) - 1
        for index, (heading, name) in enumerate(self.toc_entries):
            page = self.toc_pages.get(heading.anchor) if heading.anchor else None
            if page is None:
                page = self.toc_pages.get(heading.text)
            number = ooxml.field(f"PAGEREF {name} \\h", "" if page is None else str(page))
            entry = ooxml.internal_hyperlink(name, ooxml.run(heading.entry) + ooxml.run("\t") + number)
            content = (begin if index == 0 else "") + entry + (ooxml.field_end() if index == last else "")
            xml.append(ooxml.paragraph(f"TOC{heading.level}", content, section=section if index == last else ""))
        return "".join(xml)

    def _table(self, table: Table, page: ooxml.PageSetup, *, keep_rows: bool, keep_with_next: bool) -> str:
        columns = table.columns
        if not columns:
            raise ValueError(f"table {table.name!r} has no columns")
        widths = _scale([c.width for c in columns], page.text_width)
        ncols = len(columns)
        suffix = _TABLE_SIZE_SUFFIX[table.font_size][0]
        empty = ooxml.paragraph("TableText" + suffix)
        all_rows = [(cells, True) for cells in table.header] + [(cells, False) for cells in table.body]
        # For each grid column: (grid span, rows still to cover) of a row span from above.
        spanning: list[tuple[int, int] | None] = [None] * ncols
        rows = []
        for row_index, (cells, is_header) in enumerate(all_rows):
            keep = keep_rows and (row_index < len(all_rows) - 1 or keep_with_next)
            pending = iter(cells)
            tcs = []
            col = 0
            while col < ncols:
                span = spanning[col]
                if span is not None:
                    colspan, left = span
                    tcs.append(ooxml.table_cell(sum(widths[col:col + colspan]), empty, grid_span=colspan,
                                                v_merge="continue"))
                    spanning[col] = (colspan, left - 1) if left > 1 else None
                    col += colspan
                    continue
                cell = next(pending, None) or Cell()  # a short row is padded with empty cells
                colspan = min(cell.colspan, ncols - col)
                if any(spanning[c] is not None for c in range(col, col + colspan)):
                    raise ValueError(f"table {table.name!r} row {row_index + 1}: cell {cell.text!r} overlaps a row span")
                content = self._cell_paragraph(cell, columns[col].align, is_header, suffix, keep)
                tcs.append(ooxml.table_cell(sum(widths[col:col + colspan]), content, grid_span=colspan,
                                            v_merge="restart" if cell.rowspan > 1 else None))
                if cell.rowspan > 1:
                    spanning[col] = (colspan, cell.rowspan - 1)
                col += colspan
            extra = list(pending)
            if extra:
                raise ValueError(
                    f"table {table.name!r} row {row_index + 1}: {len(extra)} cell(s) beyond the {ncols}-column grid"
                )
            rows.append(ooxml.table_row(tcs, header=is_header))
        self.tables += 1
        return ooxml.table(widths, rows)

    @staticmethod
    def _cell_paragraph(cell: Cell, column_align: str, is_header: bool, suffix: str, keep: bool) -> str:
        """A cell's paragraph: alignment and weight come from the style, not direct formatting."""
        if is_header:
            style = "TableHeader"
            align = cell.align if cell.align not in (None, "center") else None
        else:
            wanted = cell.align or column_align
            style = _CELL_STYLES[wanted]
            align = "both" if wanted == "justify" else None
        content = ooxml.run(cell.text, bold=cell.bold) if cell.text else ""
        return f"<w:p>{_cell_paragraph_properties(style + suffix, align, keep)}{content}</w:p>"


@functools.lru_cache(maxsize=None)
def _cell_paragraph_properties(style_id: str, align: str | None, keep: bool) -> str:
    # A handful of combinations over thousands of cells: made once each.
    props = ParagraphProps(align=align, keep_next=True if keep else None) if align or keep else None
    return ooxml.paragraph_properties(props, style_id)


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
