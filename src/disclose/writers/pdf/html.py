"""Turn IR sections into HTML for WeasyPrint.

Two kinds of HTML document are made from one IR ``Document``:

* a *chunk*: some of the body sections, laid out in full but without page
  numbers (several chunks are rendered in parallel);
* the *frame*: the whole document in order, where the cover and 目录 sections
  are laid out in full and every page of a body section is a *stand-in* page
  that carries only the page number and invisible marks at the places where
  the headings ended up in the chunk.  WeasyPrint then numbers the pages,
  fills in the 目录 (``target-counter`` to the marks), makes the links and the
  bookmarks; the assembler pastes the chunk pages' content into the stand-ins.

All text goes through Jinja2 autoescaping; nothing from the IR becomes markup.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import cache
import jinja2

from disclose.document.ir import (
    Document,
    Heading,
    InfoLine,
    Paragraph,
    Section,
    Spacer,
    Table,
    TableOfContents,
)

# Headings up to this level become PDF bookmarks (IR: levels 1-2 are navigation).
BOOKMARK_LEVELS = 2
# The body line pitch in style.css (``p`` line-height); a Spacer line is one of these.
BODY_LINE_PT = 28


@dataclass(frozen=True)
class Mark:
    """Where a heading landed on a chunk page, in CSS px from the page's top left."""

    anchor: str
    x: float
    y: float


@dataclass
class StandIn:
    """One page of a body section, as laid out in a chunk."""

    orientation: str
    marks: list[Mark] = field(default_factory=list)


@dataclass(frozen=True)
class HeadingInfo:
    anchor: str
    text: str
    level: int
    toc: bool

    @property
    def bookmark_level(self) -> int:
        return self.level if self.toc and self.level <= BOOKMARK_LEVELS else 0


def is_frame_section(section: Section) -> bool:
    """Sections laid out in the frame itself: unnumbered ones and the one with the 目录."""
    return section.kind != "body" or any(isinstance(b, TableOfContents) for b in section.blocks)


def heading_infos(document: Document) -> dict[int, HeadingInfo]:
    """Unique anchors for all headings, keyed by ``id()`` of the IR heading.

    ``Heading.anchor`` is kept when given (and unique); the others get ``h-N``.
    """
    infos: dict[int, HeadingInfo] = {}
    used: set[str] = set()
    for number, heading in enumerate(document.headings(), start=1):
        anchor = heading.anchor or f"h-{number}"
        for suffix in itertools.count(2):
            if anchor not in used:
                break
            anchor = f"{heading.anchor or f'h-{number}'}-{suffix}"
        used.add(anchor)
        infos[id(heading)] = HeadingInfo(anchor, heading.text, min(max(heading.level, 1), 4), heading.toc)
    return infos


# --- block views: what the template needs beyond the IR itself ---------------------


@dataclass(frozen=True)
class CellView:
    text: str
    colspan: int
    rowspan: int
    classes: str


@dataclass(frozen=True)
class TableView:
    widths: list[float]  # percent of the table width
    header: list[list[CellView]]
    body: list[list[CellView]]
    font_size: str


def _cell_rows(rows: list, table: Table, header: bool, taken: set[tuple[int, int]], first_row: int) -> list[list[CellView]]:
    """Resolve each cell's grid column (spans from rows above push cells right) for its alignment."""
    out = []
    for r, row in enumerate(rows, start=first_row):
        col = 0
        cells = []
        for cell in row:
            while (r, col) in taken:
                col += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, col + dc))
            column = table.columns[min(col, len(table.columns) - 1)]
            align = cell.align or ("center" if header else column.align)
            classes = f"a-{align}" + (" b" if cell.bold else "")
            cells.append(CellView(cell.text, max(cell.colspan, 1), max(cell.rowspan, 1), classes))
            col += cell.colspan
        out.append(cells)
    return out


def table_view(table: Table) -> TableView:
    total = sum(c.width for c in table.columns) or 1.0
    taken: set[tuple[int, int]] = set()
    header = _cell_rows(table.header, table, True, taken, 0)
    body = _cell_rows(table.body, table, False, taken, len(table.header))
    widths = [100.0 * c.width / total for c in table.columns]
    return TableView(widths, header, body, table.font_size)


@dataclass(frozen=True)
class TocEntry:
    anchor: str
    text: str
    level: int


@dataclass(frozen=True)
class BlockView:
    kind: str
    block: object
    extra: object = None


def block_views(section: Section, infos: dict[int, HeadingInfo], toc_entries: list[TocEntry]) -> list[BlockView]:
    views = []
    for block in section.blocks:
        if isinstance(block, Heading):
            views.append(BlockView("heading", block, infos[id(block)]))
        elif isinstance(block, Paragraph):
            views.append(BlockView("paragraph", block))
        elif isinstance(block, Table):
            views.append(BlockView("table", block, table_view(block)))
        elif isinstance(block, InfoLine):
            views.append(BlockView("info", block))
        elif isinstance(block, TableOfContents):
            entries = [e for e in toc_entries if e.level <= block.levels]
            views.append(BlockView("toc", block, entries))
        elif isinstance(block, Spacer):
            views.append(BlockView("spacer", block, block.lines * BODY_LINE_PT))
        else:  # pragma: no cover - the IR's Block union is closed
            raise TypeError(f"unknown block {type(block).__name__}")
    return views


@dataclass(frozen=True)
class SectionView:
    number: int  # index in Document.sections; the element id is s-<number>
    classes: str
    blocks: list[BlockView]


@dataclass(frozen=True)
class StandInsView:
    """The stand-in pages of one body section in the frame; ``first`` numbers the first of them.

    Stand-in k (counted over the whole document) has the element id ``stand-in-k``, which
    tells the assembler on which frame page it landed.
    """

    number: int
    first: int
    pages: list[StandIn]


def _section_classes(section: Section, numbered: bool) -> str:
    # The second class picks the named @page in style.css: <orientation>[-plain].
    page = section.orientation + ("" if numbered else "-plain")
    return f"{section.kind} {page}" + (" keep" if section.keep_together else "")


# --- templates -------------------------------------------------------------------


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("disclose.writers.pdf", "."),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def _render(document: Document, parts: list[SectionView | StandInsView], labels: dict[str, HeadingInfo]) -> str:
    return _environment().get_template("document.html.j2").render(doc=document, parts=parts, labels=labels)


def toc_entries(document: Document, infos: dict[int, HeadingInfo]) -> list[TocEntry]:
    return [
        TocEntry(info.anchor, info.text, info.level)
        for info in (infos[id(h)] for h in document.headings())
        if info.toc
    ]


def chunk_html(document: Document, numbers: list[int]) -> str:
    """HTML for the body sections with the given indexes, without page numbers."""
    infos = heading_infos(document)
    parts = [
        SectionView(n, _section_classes(document.sections[n], numbered=False), block_views(document.sections[n], infos, []))
        for n in numbers
    ]
    return _render(document, parts, {})


def frame_html(document: Document, stand_ins: dict[int, list[StandIn]]) -> str:
    """HTML for the whole document with ``stand_ins[n]`` in place of body section n."""
    infos = heading_infos(document)
    entries = toc_entries(document, infos)
    labels = {info.anchor: info for info in infos.values()}
    parts: list[SectionView | StandInsView] = []
    first = 0
    for n, section in enumerate(document.sections):
        if n in stand_ins:
            parts.append(StandInsView(n, first, stand_ins[n]))
            first += len(stand_ins[n])
        else:
            numbered = section.kind == "body"
            parts.append(SectionView(n, _section_classes(section, numbered), block_views(section, infos, entries)))
    return _render(document, parts, labels)
