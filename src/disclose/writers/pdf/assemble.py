"""Put the finished PDF together from the frame PDF and the chunk PDFs (html.py has the terms).

The frame holds the front matter (cover, 目录 with its links), the document's outline,
its named destinations and metadata, and, on its last pages, the *sheet*: a mark for
each heading of the numbered sections, and every page number drawn as it is drawn on
its page. The assembler

1. inserts the chunk pages, in document order, between the front matter pages;
2. draws page k's number on it: the drawing operators of the sheet's k-th number line,
   moved to the bottom of the page, as a form XObject drawn before the page's content;
3. points the named destination and the bookmark of each heading mark at the heading on
   its chunk page;
4. removes the sheet pages.

Content streams and fonts are copied as they are, nothing is re-encoded (qpdf, through
pikepdf: a few hundredths of a second for 80 pages).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import BinaryIO

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator, Pdf

# The form XObject of a page's number; WeasyPrint's own resource names never look like this.
_FOLIO = Name("/DiscloseFolio")
# WeasyPrint draws in CSS px (1/96 in) from the top left corner; PDF units are 1/72 in.
_PT_PER_PX = Decimal(3) / Decimal(4)
_PX_PER_MM = Decimal(96) / Decimal("25.4")
# What may occur between BT and ET in a number line of the sheet.
_TEXT_OPERATORS = {"Tf", "Tm", "TJ", "Tj", "Tc", "Tw", "Tz", "TL", "Ts", "Tr"}


class AssemblyError(RuntimeError):
    """The frame is not what the assembler expects (a WeasyPrint change): nothing is written."""


@dataclass(frozen=True)
class ChunkPage:
    chunk: int  # index into the chunk PDFs
    page: int  # 0-based page of that chunk
    folio_top_mm: int  # where the top of its number line is


@dataclass(frozen=True)
class HeadingMark:
    """Sheet mark i (1 px high at y = i px on the sheet): where its heading landed."""

    anchor: str
    page: int  # 0-based page of the finished document
    x: float  # CSS px from the page's top left
    y: float


@dataclass(frozen=True)
class Plan:
    pages: list[int | ChunkPage]  # the finished document: a frame page (its index) or a chunk page
    marks: list[HeadingMark]
    sheet: int  # the frame's first sheet page


def assemble(frame: bytes, chunks: list[bytes], plan: Plan, target: BinaryIO) -> None:
    with Pdf.open(BytesIO(frame)) as document:
        sources = [Pdf.open(BytesIO(chunk)) for chunk in chunks]
        try:
            _assemble(document, sources, plan)
            # Streams as they are (WeasyPrint compressed them); the file ID from the
            # content, so that the same document gives the same bytes.
            document.save(
                target,
                compress_streams=False,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
                object_stream_mode=pikepdf.ObjectStreamMode.generate,
                deterministic_id=True,
            )
        finally:
            for source in sources:
                source.close()


def _assemble(document: Pdf, sources: list[Pdf], plan: Plan) -> None:
    sheets = [document.pages[i] for i in range(plan.sheet, len(document.pages))]
    lines = [line for sheet in sheets for line in _number_lines(document, sheet)]
    numbered = sum(isinstance(entry, ChunkPage) for entry in plan.pages)
    if len(lines) != numbered:
        raise AssemblyError(f"the sheet has {len(lines)} page numbers for {numbered} numbered pages")
    # The first number's line starts right under the marks, at y = (number of marks) px;
    # every number sits as far below the top of its line.
    baseline = Decimal(lines[0].text[0][0][5]) - len(plan.marks) if lines else Decimal(0)
    draw_folio = document.make_stream(b"q /DiscloseFolio Do Q\n")
    numbers = iter(lines)
    frame_pages = [page.obj.objgen for page in document.pages]
    position = 0
    for entry in plan.pages:
        if isinstance(entry, ChunkPage):
            document.pages.insert(position, sources[entry.chunk].pages[entry.page])
            page = document.pages[position].obj
            top = Decimal(entry.folio_top_mm) * _PX_PER_MM + baseline
            _draw_number(document, page, next(numbers), top, draw_folio)
        elif document.pages[position].obj.objgen != frame_pages[entry]:
            raise AssemblyError(f"frame page {entry} is out of order")
        position += 1
    destinations = [_destination(document.pages[mark.page].obj, mark) for mark in plan.marks]
    _point_marks(document, plan, destinations, sheets)
    for _ in sheets:
        del document.pages[position]


@dataclass
class _Line:
    """The operators that draw one number on the sheet."""

    state: list  # graphics state set before its text object (opacity, colour)
    text: list  # (operands, operator) inside BT ... ET; the first is its Tm
    resources: Dictionary


def _number_lines(document: Pdf, sheet: pikepdf.Page) -> list[_Line]:
    """The sheet's number lines, in order: the text objects' runs, grouped by baseline."""
    resources = document.make_indirect(sheet.obj.Resources)
    lines: list[_Line] = []
    state: dict[str, list] = {}  # "gs": the opacity; "fill": the fill colour (cs + scn, or rg)
    font = None
    in_text = False
    for operands, operator in pikepdf.parse_content_stream(sheet):
        name, instruction = str(operator), (list(operands), operator)
        if name == "BT":
            in_text = True
        elif name == "ET":
            in_text = False
        elif not in_text:
            if name == "gs":
                state["gs"] = [instruction]
            elif name in ("cs", "rg", "g", "k"):
                state["fill"] = [instruction]
            elif name in ("sc", "scn"):
                state["fill"] = [i for i in state.get("fill", []) if str(i[1]) == "cs"] + [instruction]
        elif name not in _TEXT_OPERATORS:
            raise AssemblyError(f"unexpected operator {name} in a page number")
        elif name == "Tm" and (not lines or lines[-1].text[0][0][5] != operands[5]):
            # A new baseline: the next number. The font is set once per text object.
            lines.append(_Line(state.get("gs", []) + state.get("fill", []), [instruction] + ([font] if font else []), resources))
        elif not lines:
            if name != "Tf":
                raise AssemblyError("a page number without a text position")
        else:
            lines[-1].text.append(instruction)
        if name == "Tf":
            font = instruction
    return lines


def _height(page: Dictionary) -> Decimal:
    return Decimal(page.MediaBox[3]) - Decimal(page.MediaBox[1])


def _draw_number(document: Pdf, page: Dictionary, line: _Line, baseline_y: Decimal, draw_folio) -> None:
    height = _height(page)
    text = []
    for operands, operator in line.text:
        if str(operator) == "Tm":
            operands = [*operands[:5], baseline_y]
        text.append((operands, operator))
    instructions = [
        ([], Operator("q")),
        ([1, 0, 0, -1, 0, height], Operator("cm")),
        ([_PT_PER_PX, 0, 0, _PT_PER_PX, 0, 0], Operator("cm")),
        *line.state,
        ([], Operator("BT")),
        *text,
        ([], Operator("ET")),
        ([], Operator("Q")),
    ]
    folio = document.make_stream(pikepdf.unparse_content_stream(instructions))
    folio.Type = Name.XObject
    folio.Subtype = Name.Form
    folio.BBox = page.MediaBox
    folio.Resources = line.resources
    resources = Dictionary({key: value for key, value in page.Resources.items()})
    xobjects = Dictionary({key: value for key, value in resources.get("/XObject", Dictionary()).items()})
    xobjects[_FOLIO] = folio
    resources.XObject = xobjects
    page.Resources = resources
    # The number first: a WeasyPrint page stream starts with an unbalanced `cm` (flipping
    # the y axis), so nothing may follow it.
    page.Contents = Array([draw_folio, page.Contents])


def _destination(page: Dictionary, mark: HeadingMark) -> Array:
    x = Decimal(repr(mark.x)) * _PT_PER_PX
    y = _height(page) - Decimal(repr(mark.y)) * _PT_PER_PX
    return Array([page, Name.XYZ, x, y, 0])


def _point_marks(document: Pdf, plan: Plan, destinations: list[Array], sheets: list[pikepdf.Page]) -> None:
    """Named destinations by name, bookmarks by where their mark is on the sheet."""
    sheet_pages = {sheet.obj.objgen: sheet.obj for sheet in sheets}
    if "/Names" in document.Root and "/Dests" in document.Root.Names:
        names = pikepdf.NameTree(document.Root.Names.Dests)
        for mark, destination in zip(plan.marks, destinations):
            names[mark.anchor] = destination
        # Other names on the sheet (the section's own id) would point at a removed page.
        for name in [n for n, target in names.items() if target[0].objgen in sheet_pages]:
            del names[name]
    if "/Outlines" not in document.Root:
        return
    for item in _outline_items(document.Root.Outlines):
        target = item.get("/Dest")
        if not isinstance(target, Array) or target[0].objgen not in sheet_pages:
            continue
        index = int(((_height(sheet_pages[target[0].objgen]) - Decimal(target[3])) / _PT_PER_PX).to_integral_value())
        if not 0 <= index < len(destinations):
            raise AssemblyError(f"a bookmark points at y = {index} px of the sheet, where no mark is")
        item.Dest = destinations[index]


def _outline_items(node: Dictionary):
    item = node.get("/First")
    while item is not None:
        yield item
        yield from _outline_items(item)
        item = item.get("/Next")
