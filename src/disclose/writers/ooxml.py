"""WordprocessingML helpers for what python-docx has no API for.

The friendly writer (``disclose.writers.docx``) decides *what* the document looks
like; this module only knows how to spell it in OOXML: East-Asian fonts without
theme overrides, style definitions, section properties, table grids and merges,
repeated header rows, complex fields, bookmarks and settings.

Child elements are emitted in the order the schema (ECMA-376 part 1) prescribes:
Word refuses to open a file whose ``w:pPr``, ``w:rPr``, ``w:tcPr`` or ``w:sectPr``
children are out of order, even though LibreOffice does not mind.

Lengths are in twips (1/20 pt) unless a name says otherwise; font sizes are in
points and written as half-points.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.run import CT_R
from lxml import etree

TWIPS_PER_MM = 1440 / 25.4

# Word's own A4 figures: 210 x 297 mm rounded to whole twips.
A4_SHORT = 11906
A4_LONG = 16838

_THEME_FONT_ATTRS = tuple(qn(f"w:{name}") for name in ("asciiTheme", "eastAsiaTheme", "hAnsiTheme", "cstheme"))


def mm(value: float) -> int:
    """Millimetres to twips."""
    return round(value * TWIPS_PER_MM)


def _sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    """Append a ``w:`` child; keyword names are ``w:`` attributes (``val`` -> ``w:val``)."""
    return etree.SubElement(parent, qn(f"w:{tag}"), {qn(f"w:{k}"): v for k, v in attrs.items()})


def _el(tag: str, **attrs: str) -> etree._Element:
    return OxmlElement(f"w:{tag}", {qn(f"w:{k}"): v for k, v in attrs.items()})


def _half_points(size_pt: float) -> str:
    return str(round(size_pt * 2))


# --------------------------------------------------------------------------- fonts


def strip_theme_fonts(root: etree._Element) -> None:
    """Remove the ``*Theme`` attributes of every ``w:rFonts`` under ``root``.

    A theme attribute takes precedence over the explicit font name next to it, so
    python-docx's template would show every Chinese character in the theme's
    East-Asian font (a Japanese Mincho) whatever ``w:eastAsia`` says.
    """
    for rfonts in root.iter(qn("w:rFonts")):
        for attr in _THEME_FONT_ATTRS:
            rfonts.attrib.pop(attr, None)


def _rfonts(east_asia: str, latin: str) -> etree._Element:
    # w:hint="eastAsia" makes Word treat shared punctuation (quotes, dashes) as
    # East-Asian characters, so they take the Chinese font as in Chinese Word.
    return _el("rFonts", ascii=latin, hAnsi=latin, eastAsia=east_asia, cs=latin, hint="eastAsia")


# -------------------------------------------------------------------------- styles


@dataclass(frozen=True)
class Tab:
    kind: Literal["left", "center", "right"]
    position: int
    leader: Literal["none", "dot"] = "none"


@dataclass(frozen=True)
class ParagraphProps:
    """Paragraph properties as written into ``w:pPr`` (``None``: inherited)."""

    keep_next: bool | None = None
    keep_lines: bool | None = None
    tabs: tuple[Tab, ...] = ()
    auto_space_off: bool = False  # no extra gap between CJK and Latin/digits
    space_before: int | None = None
    space_after: int | None = None
    line: int | None = None  # twips (exact/atLeast) or 240ths of a line (auto)
    line_rule: Literal["exact", "atLeast", "auto"] = "exact"
    first_line_chars: int | None = None  # hundredths of a character
    first_line: int | None = None  # twips; the fallback where *Chars is ignored
    left_chars: int | None = None
    left: int | None = None
    align: Literal["left", "center", "right", "both"] | None = None
    outline_level: int | None = None  # 0-based; 9 is body text


@dataclass(frozen=True)
class RunProps:
    """Run properties as written into ``w:rPr`` (``None``: inherited)."""

    east_asia: str | None = None
    latin: str | None = None
    bold: bool | None = None
    color: str | None = None  # RRGGBB
    size_pt: float | None = None


def paragraph_properties(props: ParagraphProps, style_id: str | None = None) -> etree._Element:
    ppr = _el("pPr")
    if style_id:
        _sub(ppr, "pStyle", val=style_id)
    if props.keep_next is not None:
        _sub(ppr, "keepNext", val="1" if props.keep_next else "0")
    if props.keep_lines is not None:
        _sub(ppr, "keepLines", val="1" if props.keep_lines else "0")
    if props.tabs:
        tabs = _sub(ppr, "tabs")
        for tab in props.tabs:
            _sub(tabs, "tab", val=tab.kind, leader=tab.leader, pos=str(tab.position))
    if props.auto_space_off:
        _sub(ppr, "autoSpaceDE", val="0")
        _sub(ppr, "autoSpaceDN", val="0")
    spacing = {}
    if props.space_before is not None:
        spacing["before"] = str(props.space_before)
    if props.space_after is not None:
        spacing["after"] = str(props.space_after)
    if props.line is not None:
        spacing["line"] = str(props.line)
        spacing["lineRule"] = props.line_rule
    if spacing:
        _sub(ppr, "spacing", **spacing)
    indent = {}
    if props.left_chars is not None:
        indent["leftChars"] = str(props.left_chars)
    if props.left is not None:
        indent["left"] = str(props.left)
    if props.first_line_chars is not None:
        indent["firstLineChars"] = str(props.first_line_chars)
    if props.first_line is not None:
        indent["firstLine"] = str(props.first_line)
    if indent:
        _sub(ppr, "ind", **indent)
    if props.align:
        _sub(ppr, "jc", val=props.align)
    if props.outline_level is not None:
        _sub(ppr, "outlineLvl", val=str(props.outline_level))
    return ppr


def run_properties(props: RunProps) -> etree._Element:
    rpr = _el("rPr")
    if props.east_asia or props.latin:
        latin = props.latin or "Times New Roman"
        rpr.append(_rfonts(props.east_asia or latin, latin))
    if props.bold is not None:
        val = "1" if props.bold else "0"
        _sub(rpr, "b", val=val)
        _sub(rpr, "bCs", val=val)
    if props.color:
        _sub(rpr, "color", val=props.color)
    if props.size_pt is not None:
        _sub(rpr, "sz", val=_half_points(props.size_pt))
        _sub(rpr, "szCs", val=_half_points(props.size_pt))
    return rpr


def define_paragraph_style(
    styles: etree._Element,
    style_id: str,
    name: str,
    paragraph: ParagraphProps,
    run: RunProps,
    *,
    based_on: str | None = "Normal",
    next_style: str | None = None,
    builtin: bool = False,
    ui_priority: int | None = None,
) -> None:
    """Create the paragraph style ``style_id``, or redefine it from scratch if it exists.

    Redefining (rather than patching) built-in styles drops the template's theme
    colours, theme fonts and spacing in one go, while keeping the built-in name
    that Word localises (``heading 1`` shows as 标题 1 in Chinese Word) and that
    the TOC ``\\o`` switch looks for. ``builtin`` styles must use Word's own name.
    """
    old = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='{style_id}']")
    style = _el("style", type="paragraph", styleId=style_id)
    if not builtin:
        style.set(qn("w:customStyle"), "1")
    if old is not None:
        old.addprevious(style)
        styles.remove(old)
    else:
        styles.append(style)
    _sub(style, "name", val=name)
    if based_on:
        _sub(style, "basedOn", val=based_on)
    if next_style:
        _sub(style, "next", val=next_style)
    if ui_priority is not None:
        _sub(style, "uiPriority", val=str(ui_priority))
    _sub(style, "qFormat")
    style.append(paragraph_properties(paragraph))
    style.append(run_properties(run))


def set_doc_defaults(styles: etree._Element, run: RunProps, east_asia_lang: str) -> None:
    """Replace the document-wide run defaults (fonts, size, languages)."""
    rpr_default = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}")
    old = rpr_default.find(qn("w:rPr"))
    rpr = run_properties(run)
    _sub(rpr, "lang", val="en-US", eastAsia=east_asia_lang, bidi="ar-SA")
    if old is not None:
        rpr_default.remove(old)
    rpr_default.append(rpr)
    ppr_default = styles.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}")
    if ppr_default is not None:
        # The template's default of 10 pt after every paragraph and 1.15 lines
        # would leak into every style that does not override it.
        for child in list(ppr_default):
            ppr_default.remove(child)
        ppr_default.append(paragraph_properties(ParagraphProps(space_before=0, space_after=0)))


# ------------------------------------------------------------------------ sections


@dataclass(frozen=True)
class PageSetup:
    width: int
    height: int
    top: int
    bottom: int
    left: int
    right: int
    header: int
    footer: int

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def text_width(self) -> int:
        return self.width - self.left - self.right


def section_properties(page: PageSetup, *, restart_numbering: bool = False, center_vertically: bool = False) -> etree._Element:
    """A complete ``w:sectPr`` for a section starting on a new page.

    Orientation needs both ``w:orient`` and swapped dimensions: Word and
    LibreOffice lay out by the dimensions, ``w:orient`` only tells the printer.
    """
    sect = _el("sectPr")
    _sub(sect, "type", val="nextPage")
    size = {"w": str(page.width), "h": str(page.height)}
    if page.landscape:
        size["orient"] = "landscape"
    _sub(sect, "pgSz", **size)
    _sub(
        sect,
        "pgMar",
        top=str(page.top),
        right=str(page.right),
        bottom=str(page.bottom),
        left=str(page.left),
        header=str(page.header),
        footer=str(page.footer),
        gutter="0",
    )
    if restart_numbering:
        _sub(sect, "pgNumType", start="1")
    _sub(sect, "cols", space="425")
    if center_vertically:
        _sub(sect, "vAlign", val="center")
    _sub(sect, "docGrid", linePitch="312")
    return sect


# -------------------------------------------------------------------- paragraphs


def paragraph(style_id: str, props: ParagraphProps | None = None) -> etree._Element:
    p = _el("p")
    p.append(paragraph_properties(props or ParagraphProps(), style_id))
    return p


def add_run(parent: etree._Element, text: str, *, bold: bool = False) -> CT_R:
    """Append a run; python-docx turns tabs and newlines into ``w:tab``/``w:br``."""
    r = etree.SubElement(parent, qn("w:r"))
    if bold:
        rpr = _sub(r, "rPr")
        _sub(rpr, "b")
        _sub(rpr, "bCs")
    r.text = text
    return r


def _fld_char(parent: etree._Element, kind: str, *, dirty: bool = False) -> None:
    r = _sub(parent, "r")
    attrs = {"fldCharType": kind}
    if dirty:
        attrs["dirty"] = "true"
    _sub(r, "fldChar", **attrs)


def field_begin(parent: etree._Element, instruction: str, *, dirty: bool = False) -> None:
    """Open a complex field and write its instruction; the result follows."""
    _fld_char(parent, "begin", dirty=dirty)
    r = _sub(parent, "r")
    instr = _sub(r, "instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = f" {instruction} "
    _fld_char(parent, "separate")


def field_end(parent: etree._Element) -> None:
    _fld_char(parent, "end")


def add_field(parent: etree._Element, instruction: str, result: str) -> None:
    """A complete complex field with a cached ``result`` shown until it is updated."""
    field_begin(parent, instruction)
    add_run(parent, result)
    field_end(parent)


def add_bookmark(p: etree._Element, bookmark_id: int, name: str) -> None:
    """Wrap the paragraph's content (everything after ``w:pPr``) in a bookmark."""
    start = _el("bookmarkStart", id=str(bookmark_id), name=name)
    ppr = p.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        p.insert(0, start)
    _sub(p, "bookmarkEnd", id=str(bookmark_id))


def add_internal_hyperlink(parent: etree._Element, bookmark: str) -> etree._Element:
    """A ``w:hyperlink`` to a bookmark; append runs to the returned element."""
    return _sub(parent, "hyperlink", anchor=bookmark, history="1")


def set_section_break(p: etree._Element, sect: etree._Element) -> None:
    """Make ``p`` the last paragraph of a section: its ``w:pPr`` carries the ``w:sectPr``."""
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        ppr = _el("pPr")
        p.insert(0, ppr)
    # sectPr comes after every other pPr child except w:pPrChange, which we never write.
    ppr.append(sect)


# -------------------------------------------------------------------------- tables


def table(widths: Iterable[int], *, border_size: int = 4, cell_margin: int = 57) -> etree._Element:
    """An empty fixed-layout ``w:tbl`` with single borders on every cell and the given grid.

    The ``w:tblGrid`` widths matter: LibreOffice lays a table out from the grid and
    ignores the cell widths, while Word uses the cell widths.
    """
    widths = list(widths)
    tbl = _el("tbl")
    tblpr = _sub(tbl, "tblPr")
    _sub(tblpr, "tblW", w=str(sum(widths)), type="dxa")
    _sub(tblpr, "jc", val="center")
    borders = _sub(tblpr, "tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _sub(borders, edge, val="single", sz=str(border_size), space="0", color="auto")
    _sub(tblpr, "tblLayout", type="fixed")
    margins = _sub(tblpr, "tblCellMar")
    for edge in ("left", "right"):
        _sub(margins, edge, w=str(cell_margin), type="dxa")
    _sub(tblpr, "tblLook", val="0000", firstRow="0", lastRow="0", firstColumn="0", lastColumn="0", noHBand="1", noVBand="1")
    grid = _sub(tbl, "tblGrid")
    for width in widths:
        _sub(grid, "gridCol", w=str(width))
    return tbl


def table_row(tbl: etree._Element, *, header: bool) -> etree._Element:
    """Append a row that never splits over pages; ``header`` rows repeat on every page.

    Word honours ``w:tblHeader`` only on an unbroken run of rows at the top of the
    table, so callers mark exactly the leading header rows.
    """
    tr = _sub(tbl, "tr")
    trpr = _sub(tr, "trPr")
    _sub(trpr, "cantSplit")
    if header:
        _sub(trpr, "tblHeader")
    return tr


def table_cell(
    tr: etree._Element,
    width: int,
    *,
    grid_span: int = 1,
    v_merge: Literal["restart", "continue"] | None = None,
) -> etree._Element:
    """Append a vertically centred cell; a cell under a row span is a ``continue`` cell.

    A cell spanning ``n`` grid columns is a single ``w:tc`` with ``w:gridSpan``; a
    cell spanning rows is a ``restart`` cell followed by one ``continue`` cell (of
    the same grid span) in each row it covers.
    """
    tc = _sub(tr, "tc")
    tcpr = _sub(tc, "tcPr")
    _sub(tcpr, "tcW", w=str(width), type="dxa")
    if grid_span > 1:
        _sub(tcpr, "gridSpan", val=str(grid_span))
    if v_merge == "restart":
        _sub(tcpr, "vMerge", val="restart")
    elif v_merge == "continue":
        _sub(tcpr, "vMerge")
    _sub(tcpr, "vAlign", val="center")
    return tc


# ------------------------------------------------------------------------ settings


def enable_update_fields(settings: etree._Element) -> None:
    """Ask Word to update all fields (the TOC's page numbers) when the file is opened."""
    if settings.find(qn("w:updateFields")) is not None:
        return
    update = _el("updateFields", val="true")
    # Schema order: w:updateFields precedes these; anything else may come before it.
    followers = {qn(f"w:{t}") for t in ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids")}
    for child in settings:
        if child.tag in followers or child.tag.startswith("{http://schemas.openxmlformats.org/officeDocument/2006/math}"):
            child.addprevious(update)
            return
    settings.append(update)


def set_theme_font_lang(settings: etree._Element, east_asia_lang: str) -> None:
    """The template says ja-JP, which makes Word pick Japanese theme fonts."""
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), east_asia_lang)
