"""Turn IR sections into HTML for WeasyPrint.

Body sections (kind "body", without a 目录) are *numbered*: their pages print a page
number, and the first of them is page 1. The others (cover, 目录) are front matter.

Three kinds of HTML document are made from one IR ``Document``:

* the whole document, rendered in one pass: WeasyPrint numbers the pages, fills in
  the 目录 with ``target-counter`` and makes the bookmarks;
* a *chunk*: some numbered sections, laid out without page numbers (chunks are
  rendered in parallel);
* the *frame*: the front matter laid out in full (its 目录 with the page numbers the
  chunks' layouts give), followed by a *sheet*: one tall page, removed again by the
  assembler, with a mark for every heading of the numbered sections (so that
  WeasyPrint makes their named destinations and bookmarks, which the assembler then
  points at the chunk pages) and every page number printed as it prints on its page
  (which the assembler cuts out and draws on each chunk page). Laying out a page per
  number instead took two thirds of the frame's time.

All text goes through Jinja2 autoescaping; nothing from the IR becomes markup. The
markup is well-formed XML, so that engine.py can parse it with a C parser: characters
that XML forbids (C0 controls) are dropped from every value, as they print nothing.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

import jinja2

from disclose.document.ir import (
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
from disclose.writers import NOT_XML, info_line_fits

# Headings up to this level become PDF bookmarks (IR: levels 1-2 are navigation).
BOOKMARK_LEVELS = 2
# The body line pitch in style.css (``html`` line-height); a Spacer line is one of these.
BODY_LINE_PT = 28
# Where the top of a numbered page's number line is (style.css: @bottom-center).
FOLIO_TOP_MM = {"portrait": 269, "landscape": 197}
# The element id of the frame's sheet (heading anchors are h-N or a layout's own names).
SHEET_ID = "disclose-sheet"
# The width of the text area in ems of the info line's 12 pt text (style.css: 156 mm on
# portrait pages, 257 mm on landscape ones). A Chinese character is one em wide; Latin
# letters and digits of the CJK faces are narrower.
INFO_LINE_EMS = {"portrait": 156 / 25.4 * 72 / 12, "landscape": 257 / 25.4 * 72 / 12}


def is_numbered(section: Section) -> bool:
    return section.kind == "body" and not any(isinstance(b, TableOfContents) for b in section.blocks)


@dataclass(frozen=True)
class Mark:
    """Where a heading landed on a chunk page, in CSS px from the page's top left."""

    anchor: str
    x: float
    y: float


@dataclass
class BodyPage:
    """One page of a numbered section, as laid out in a chunk: page ``page`` of chunk ``chunk``."""

    orientation: str
    marks: list[Mark] = field(default_factory=list)
    chunk: int = 0
    page: int = 0


@dataclass(frozen=True)
class HeadingInfo:
    anchor: str
    text: str
    level: int  # 1-4: the h1-h4 element
    toc: bool
    numbered: bool  # in a numbered section

    @property
    def bookmark_level(self) -> int:
        return self.level if self.toc and self.level <= BOOKMARK_LEVELS else 0


def heading_infos(document: Document) -> dict[int, HeadingInfo]:
    """Unique anchors for all headings, keyed by ``id()`` of the IR heading.

    ``Heading.anchor`` is kept when given (and unique); the others get ``h-N``.
    """
    infos: dict[int, HeadingInfo] = {}
    used: set[str] = set()
    number = 0
    for section in document.sections:
        for heading in (b for b in section.blocks if isinstance(b, Heading)):
            number += 1
            base = heading.anchor or f"h-{number}"
            anchor = next(a for a in itertools.chain([base], (f"{base}-{i}" for i in itertools.count(2))) if a not in used)
            used.add(anchor)
            level = min(max(heading.level, 1), 4)
            # The 目录 and the bookmarks name a heading by its entry (a table's "一、收入支出决算总表").
            infos[id(heading)] = HeadingInfo(anchor, heading.entry, level, heading.toc, is_numbered(section))
    return infos


# --- block views: what the template needs beyond the IR itself ---------------------

# Short class names: a table cell's markup is parsed thousands of times per document.
_ALIGN_CLASS = {"left": "l", "center": "c", "right": "r", "justify": "j"}


@dataclass(frozen=True)
class CellView:
    text: str
    colspan: int
    rowspan: int
    classes: str  # alignment (where it differs from the usual one) and boldness


@dataclass(frozen=True)
class TableView:
    widths: list[float]  # percent of the table width
    header: list[list[CellView]]
    body: list[list[CellView]]
    font_size: str
    align: str  # class of the body cells' most common alignment, set on <table> and inherited


def _aligned_rows(table: Table) -> list[list[tuple[Cell, str]]]:
    """Each cell with its alignment: its own, or that of the grid column it starts in.

    Spans from the rows above push a cell to the right, as in HTML. A row that leaves
    grid positions uncovered is completed with empty cells, so that every position
    gets its borders.
    """
    width = len(table.columns)
    taken: set[tuple[int, int]] = set()
    rows = []
    for r, row in enumerate(table.header + table.body):
        header = r < len(table.header)
        cells = []
        col = 0
        for cell in row:
            while (r, col) in taken:
                col += 1
            taken.update((r + dr, col + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan))
            column = table.columns[min(col, width - 1)]
            cells.append((cell, cell.align or ("center" if header else column.align)))
            col += cell.colspan
        for col in range(width):
            if (r, col) not in taken:
                taken.add((r, col))
                cells.append((Cell(), "center" if header else table.columns[col].align))
        rows.append(cells)
    return rows


def _cell_views(rows: list[list[tuple[Cell, str]]], usual: str) -> list[list[CellView]]:
    return [
        [
            CellView(
                cell.text,
                max(cell.colspan, 1),
                max(cell.rowspan, 1),
                " ".join(([_ALIGN_CLASS[align]] if align != usual else []) + (["b"] if cell.bold else [])),
            )
            for cell, align in row
        ]
        for row in rows
    ]


def table_view(table: Table) -> TableView:
    rows = _aligned_rows(table)
    header, body = rows[: len(table.header)], rows[len(table.header) :]
    # Only cells that differ from the table's alignment get a class: an attribute on
    # every cell doubles the time WeasyPrint spends parsing a table.
    counts = Counter(align for row in body for _, align in row)
    usual = counts.most_common(1)[0][0] if counts else "left"
    total = sum(c.width for c in table.columns) or 1.0
    widths = [100.0 * c.width / total for c in table.columns]
    return TableView(widths, _cell_views(header, "center"), _cell_views(body, usual), table.font_size, _ALIGN_CLASS[usual])


@dataclass(frozen=True)
class TocEntry:
    anchor: str
    text: str
    level: int
    number: int | None  # the page number, when known before rendering (in the frame)


@dataclass(frozen=True)
class BlockView:
    kind: str
    block: object
    extra: object = None


def block_views(section: Section, infos: dict[int, HeadingInfo], toc: list[TocEntry]) -> list[BlockView]:
    views = []
    for block in section.blocks:
        if isinstance(block, Heading):
            views.append(BlockView("heading", block, infos[id(block)]))
        elif isinstance(block, Paragraph):
            views.append(BlockView("paragraph", block))
        elif isinstance(block, Table):
            views.append(BlockView("table", block, table_view(block)))
        elif isinstance(block, InfoLine):
            # printed as .info-line (style.css) where it fits, so that no part wraps
            views.append(BlockView("info", block, info_line_fits(block, INFO_LINE_EMS[section.orientation])))
        elif isinstance(block, TableOfContents):
            views.append(BlockView("toc", block, [e for e in toc if e.level <= block.levels]))
        elif isinstance(block, Spacer):
            views.append(BlockView("spacer", block, block.lines * BODY_LINE_PT))
        else:
            raise TypeError(f"not an IR block: {type(block).__name__}")
    return views


@dataclass(frozen=True)
class SectionView:
    number: int  # index in Document.sections; the element id is s-<number>
    classes: str
    blocks: list[BlockView]


@dataclass(frozen=True)
class SheetView:
    """The frame's last section (element id SHEET_ID, on pages of its own).

    ``marks``: the headings of the numbered sections in document order; mark i is a
    block 1 px high at y = i px, so that its bookmark's destination on the sheet names
    it. ``folios``: the orientation of each numbered page; folio k is page k's number
    in a block as wide as its page.
    """

    marks: list[HeadingInfo]
    folios: list[str]
    anchor: str = SHEET_ID


def _section_view(n: int, section: Section, infos: dict[int, HeadingInfo], toc: list[TocEntry], numbered: bool) -> SectionView:
    # Classes: the kind (prefixed: paragraph roles are classes too, and "body" is both),
    # and the named @page of style.css, <orientation>[-plain].
    page = section.orientation + ("" if numbered else "-plain")
    classes = f"kind-{section.kind} {page}" + (" keep" if section.keep_together else "")
    return SectionView(n, classes, block_views(section, infos, toc))


# --- documents -------------------------------------------------------------------


def _xml_text(value: object) -> object:
    # Runs on every printed value, before autoescaping: strings only, and only where needed.
    if isinstance(value, str) and NOT_XML.search(value):
        return NOT_XML.sub("", value)
    return value


@cache
def _template() -> jinja2.Template:
    from disclose.cache import jinja_bytecode

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("disclose.writers.pdf", "."),
        bytecode_cache=jinja_bytecode(),  # compiling took 0.015 s in every process that renders
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_xml_text,
    )
    return environment.get_template("document.html.j2")


def preload() -> None:
    """Compile the template now (0.04 s), in a process that will fork renderers."""
    _template()


def _render(document: Document, parts: list[SectionView | SheetView]) -> str:
    return _template().render(doc=document, parts=parts)


def _toc(infos: dict[int, HeadingInfo], numbers: dict[str, int] | None) -> list[TocEntry]:
    """The 目录 entries: headings of numbered sections with ``toc=True``."""
    return [
        TocEntry(info.anchor, info.text, info.level, numbers[info.anchor] if numbers else None)
        for info in infos.values()
        if info.toc and info.numbered
    ]


def document_html(document: Document) -> str:
    """The whole document, for a rendering in one pass."""
    infos = heading_infos(document)
    toc = _toc(infos, None)
    return _render(document, [_section_view(n, s, infos, toc, is_numbered(s)) for n, s in enumerate(document.sections)])


def chunk_html(document: Document, sections: list[int]) -> str:
    """The numbered sections with the given indexes, without page numbers."""
    infos = heading_infos(document)
    return _render(document, [_section_view(n, document.sections[n], infos, [], False) for n in sections])


def frame_html(document: Document, body_pages: dict[int, list[BodyPage]]) -> str:
    """The front matter, and the sheet for the numbered pages ``body_pages[n]`` of each section n."""
    infos = heading_infos(document)
    by_anchor = {info.anchor: info for info in infos.values()}
    numbers, marks, folios = {}, [], []
    for n in sorted(body_pages):
        for body_page in body_pages[n]:
            folios.append(body_page.orientation)
            numbers.update((mark.anchor, len(folios)) for mark in body_page.marks)
            marks.extend(by_anchor[mark.anchor] for mark in body_page.marks)
    toc = _toc(infos, numbers)
    parts: list[SectionView | SheetView] = [
        _section_view(n, section, infos, toc, False) for n, section in enumerate(document.sections) if not is_numbered(section)
    ]
    parts.append(SheetView(marks, folios))
    return _render(document, parts)
