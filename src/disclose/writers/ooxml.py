"""WordprocessingML helpers for what python-docx has no API for.

The friendly writer (``disclose.writers.docx``) decides *what* the document looks
like; this module only knows how to spell it in OOXML: East-Asian fonts without
theme overrides, style definitions, section properties, table grids and merges,
repeated header rows, complex fields, bookmarks and settings.

The document body is produced as XML text and saved as written
(``write_document_as_text``). Creating the elements one at a time through lxml costs
about 7 µs each, and moving a parsed subtree into python-docx's tree about 45 µs per
node (lxml re-resolves every namespace); even parsing the text and serialising it
again would cost more than writing it. Every piece of text and every attribute value
passes through ``_text``/``_attr``, so data is never markup.

Child elements are emitted in the order the schema (ECMA-376 part 1) prescribes:
Word refuses to open a file whose ``w:pPr``, ``w:rPr``, ``w:tcPr`` or ``w:sectPr``
children are out of order, even though LibreOffice does not mind.

Lengths are in twips (1/20 pt) unless a name says otherwise; font sizes are in
points and written as half-points.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from disclose.writers import NOT_XML

TWIPS_PER_MM = 1440 / 25.4

# Word's own A4 figures: 210 x 297 mm rounded to whole twips.
A4_SHORT = 11906
A4_LONG = 16838

_THEME_FONT_ATTRS = tuple(qn(f"w:{name}") for name in ("asciiTheme", "eastAsiaTheme", "hAnsiTheme", "cstheme"))

_BREAKS = re.compile(r"(\t|\r\n|\r|\n)")


def mm(value: float) -> int:
    """Millimetres to twips."""
    return round(value * TWIPS_PER_MM)


def _text(value: str) -> str:
    if NOT_XML.search(value):
        raise ValueError(f"text contains a character XML cannot represent: {value!r}")
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: object) -> str:
    return _text(str(value)).replace('"', "&quot;")


def _tag(tag: str, **attrs: object) -> str:
    """An empty ``w:`` element; keyword names are ``w:`` attributes (``val`` -> ``w:val``)."""
    if not attrs:
        return f"<w:{tag}/>"
    rendered = " ".join(f'w:{k}="{_attr(v)}"' for k, v in attrs.items())
    return f"<w:{tag} {rendered}/>"


def _half_points(size_pt: float) -> int:
    return round(size_pt * 2)


def write_document_as_text(part: XmlPart, body: str) -> None:
    """Have python-docx save ``body`` (the ``w:body`` content, as XML text) as the main
    part ``part``, byte for byte, instead of serialising the part's element tree.

    Parsing an 80-page body into lxml and serialising it again took 0.03 s of a 0.45 s
    Word build, for nothing: the text is already what the file holds. The part's
    element tree keeps the template's empty body, so this is the last change to it.
    """
    xml = f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n<w:document {nsdecls('w', 'r')}><w:body>{body}</w:body></w:document>"
    part.__class__ = _text_part_class(type(part))
    part.written_xml = xml.encode("utf-8")


@functools.cache
def _text_part_class(base: type[XmlPart]) -> type[XmlPart]:
    # A subclass, so that the part stays what python-docx expects in every other way.
    def blob(self) -> bytes:
        return self.written_xml

    return type(f"Written{base.__name__}", (base,), {"blob": property(blob)})


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


def _bool(value: bool) -> str:
    return "1" if value else "0"


def paragraph_properties(props: ParagraphProps | None, style_id: str | None = None, extra: str = "") -> str:
    """``w:pPr`` XML; ``extra`` is appended last (a ``w:sectPr``). Empty if there is nothing to say."""
    parts = []
    if style_id:
        parts.append(_tag("pStyle", val=style_id))
    if props is not None:
        if props.keep_next is not None:
            parts.append(_tag("keepNext", val=_bool(props.keep_next)))
        if props.keep_lines is not None:
            parts.append(_tag("keepLines", val=_bool(props.keep_lines)))
        if props.tabs:
            tabs = "".join(_tag("tab", val=t.kind, leader=t.leader, pos=t.position) for t in props.tabs)
            parts.append(f"<w:tabs>{tabs}</w:tabs>")
        if props.auto_space_off:
            parts.append(_tag("autoSpaceDE", val="0") + _tag("autoSpaceDN", val="0"))
        spacing = {}
        if props.space_before is not None:
            spacing["before"] = props.space_before
        if props.space_after is not None:
            spacing["after"] = props.space_after
        if props.line is not None:
            spacing["line"] = props.line
            spacing["lineRule"] = props.line_rule
        if spacing:
            parts.append(_tag("spacing", **spacing))
        indent = {}
        if props.left_chars is not None:
            indent["leftChars"] = props.left_chars
        if props.left is not None:
            indent["left"] = props.left
        if props.first_line_chars is not None:
            indent["firstLineChars"] = props.first_line_chars
        if props.first_line is not None:
            indent["firstLine"] = props.first_line
        if indent:
            parts.append(_tag("ind", **indent))
        if props.align:
            parts.append(_tag("jc", val=props.align))
        if props.outline_level is not None:
            parts.append(_tag("outlineLvl", val=props.outline_level))
    parts.append(extra)
    inner = "".join(parts)
    return f"<w:pPr>{inner}</w:pPr>" if inner else ""


def run_properties(props: RunProps) -> str:
    parts = []
    if props.east_asia or props.latin:
        latin = props.latin or "Times New Roman"
        # w:hint="eastAsia" makes Word treat shared punctuation (quotes, dashes) as
        # East-Asian characters, so they take the Chinese font as in Chinese Word.
        parts.append(_tag("rFonts", ascii=latin, hAnsi=latin, eastAsia=props.east_asia or latin, cs=latin, hint="eastAsia"))
    if props.bold is not None:
        parts.append(_tag("b", val=_bool(props.bold)) + _tag("bCs", val=_bool(props.bold)))
    if props.color:
        parts.append(_tag("color", val=props.color))
    if props.size_pt is not None:
        parts.append(_tag("sz", val=_half_points(props.size_pt)) + _tag("szCs", val=_half_points(props.size_pt)))
    inner = "".join(parts)
    return f"<w:rPr>{inner}</w:rPr>" if inner else ""


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
    gallery: bool = True,
    ui_priority: int | None = None,
) -> None:
    """Create the paragraph style ``style_id``, or redefine it from scratch if it exists.

    Redefining (rather than patching) built-in styles drops the template's theme
    colours, theme fonts and spacing in one go, while keeping the built-in name
    that Word localises (``heading 1`` shows as 标题 1 in Chinese Word) and that
    the TOC ``\\o`` switch looks for. ``builtin`` styles must use Word's own name;
    ``gallery`` styles show in Word's quick-style gallery.
    """
    custom = "" if builtin else ' w:customStyle="1"'
    xml = [f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="{_attr(style_id)}"{custom}>', _tag("name", val=name)]
    if based_on:
        xml.append(_tag("basedOn", val=based_on))
    if next_style:
        xml.append(_tag("next", val=next_style))
    if ui_priority is not None:
        xml.append(_tag("uiPriority", val=ui_priority))
    if gallery:
        xml.append(_tag("qFormat"))
    xml += [paragraph_properties(paragraph), run_properties(run), "</w:style>"]
    style = parse_xml("".join(xml))
    old = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='{style_id}']")
    if old is not None:
        old.addprevious(style)
        styles.remove(old)
    else:
        styles.append(style)


def set_doc_defaults(styles: etree._Element, run: RunProps, east_asia_lang: str) -> None:
    """Replace the document-wide defaults: fonts, size, languages, no paragraph spacing.

    The template's default of 10 pt after every paragraph and 1.15 lines would
    otherwise leak into every style that does not override it.
    """
    rpr = run_properties(run).replace(
        "</w:rPr>", _tag("lang", val="en-US", eastAsia=east_asia_lang, bidi="ar-SA") + "</w:rPr>"
    )
    ppr = paragraph_properties(ParagraphProps(space_before=0, space_after=0))
    defaults = parse_xml(
        f"<w:docDefaults {nsdecls('w')}><w:rPrDefault>{rpr}</w:rPrDefault>"
        f"<w:pPrDefault>{ppr}</w:pPrDefault></w:docDefaults>"
    )
    old = styles.find(qn("w:docDefaults"))
    if old is not None:
        old.addprevious(defaults)
        styles.remove(old)
    else:
        styles.insert(0, defaults)


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


def section_properties(
    page: PageSetup,
    *,
    footer_rid: str | None = None,
    restart_numbering: bool = False,
    center_vertically: bool = False,
) -> str:
    """A complete ``w:sectPr`` for a section starting on a new page.

    Orientation needs both ``w:orient`` and swapped dimensions: Word and
    LibreOffice lay out by the dimensions, ``w:orient`` only tells the printer.
    A section without ``footer_rid`` inherits the previous section's footer.
    """
    size = {"w": page.width, "h": page.height}
    if page.landscape:
        size["orient"] = "landscape"
    xml = ["<w:sectPr>"]
    if footer_rid:
        xml.append(f'<w:footerReference w:type="default" r:id="{_attr(footer_rid)}"/>')
    xml += [
        _tag("type", val="nextPage"),
        _tag("pgSz", **size),
        _tag("pgMar", top=page.top, right=page.right, bottom=page.bottom, left=page.left,
             header=page.header, footer=page.footer, gutter=0),
    ]
    if restart_numbering:
        xml.append(_tag("pgNumType", start=1))
    xml.append(_tag("cols", space=425))
    if center_vertically:
        xml.append(_tag("vAlign", val="center"))
    xml += [_tag("docGrid", linePitch=312), "</w:sectPr>"]
    return "".join(xml)


def append_content(p: etree._Element, xml: str) -> None:
    """Append runs (or other paragraph content) given as XML to the paragraph ``p``."""
    p.extend(list(parse_xml(f"<w:p {nsdecls('w')}>{xml}</w:p>")))


# ---------------------------------------------------------------- paragraphs, runs


def paragraph(style_id: str, content: str = "", props: ParagraphProps | None = None, *, section: str = "") -> str:
    """A paragraph; ``section`` (a ``w:sectPr``) makes it the last paragraph of a section."""
    # w:sectPr follows every other pPr child except w:pPrChange, which we never write.
    return f"<w:p>{paragraph_properties(props, style_id, section)}{content}</w:p>"


def run(text: str, *, bold: bool = False) -> str:
    """A run of plain text: tabs become ``w:tab``, line breaks ``w:br``."""
    rpr = "<w:rPr><w:b/><w:bCs/></w:rPr>" if bold else ""
    parts = []
    for piece in _BREAKS.split(text) if ("\t" in text or "\n" in text or "\r" in text) else (text,):
        if piece == "\t":
            parts.append("<w:tab/>")
        elif piece in ("\n", "\r", "\r\n"):
            parts.append("<w:br/>")
        elif piece:
            # Without xml:space="preserve" Word drops leading and trailing spaces.
            space = ' xml:space="preserve"' if piece[0].isspace() or piece[-1].isspace() else ""
            parts.append(f"<w:t{space}>{_text(piece)}</w:t>")
    return f"<w:r>{rpr}{''.join(parts)}</w:r>" if parts else ""


def field_begin(instruction: str, *, dirty: bool = False) -> str:
    """Open a complex field and write its instruction; the cached result follows."""
    flag = ' w:dirty="true"' if dirty else ""
    return (
        f'<w:r><w:fldChar w:fldCharType="begin"{flag}/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {_text(instruction)} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    )


def field_end() -> str:
    return '<w:r><w:fldChar w:fldCharType="end"/></w:r>'


def field(instruction: str, result: str) -> str:
    """A complete complex field showing ``result`` until it is updated."""
    return field_begin(instruction) + run(result) + field_end()


def bookmark(bookmark_id: int, name: str, content: str) -> str:
    return f'<w:bookmarkStart w:id="{bookmark_id}" w:name="{_attr(name)}"/>{content}<w:bookmarkEnd w:id="{bookmark_id}"/>'


def internal_hyperlink(bookmark_name: str, content: str) -> str:
    return f'<w:hyperlink w:anchor="{_attr(bookmark_name)}" w:history="1">{content}</w:hyperlink>'


# -------------------------------------------------------------------------- tables


def table(widths: Sequence[int], rows: Iterable[str], *, border_size: int = 4, cell_margin: int = 57) -> str:
    """A fixed-layout ``w:tbl`` with single borders on every cell.

    The ``w:tblGrid`` widths matter: LibreOffice lays a table out from the grid and
    ignores the cell widths, while Word uses the cell widths.
    """
    border = {"val": "single", "sz": border_size, "space": 0, "color": "auto"}
    borders = "".join(_tag(edge, **border) for edge in ("top", "left", "bottom", "right", "insideH", "insideV"))
    margins = _tag("left", w=cell_margin, type="dxa") + _tag("right", w=cell_margin, type="dxa")
    grid = "".join(_tag("gridCol", w=w) for w in widths)
    return (
        "<w:tbl><w:tblPr>"
        + _tag("tblW", w=sum(widths), type="dxa")
        + _tag("jc", val="center")
        + f"<w:tblBorders>{borders}</w:tblBorders>"
        + _tag("tblLayout", type="fixed")
        + f"<w:tblCellMar>{margins}</w:tblCellMar>"
        + _tag("tblLook", val="0000", firstRow=0, lastRow=0, firstColumn=0, lastColumn=0, noHBand=1, noVBand=1)
        + f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
        + "".join(rows)
        + "</w:tbl>"
    )


def table_row(cells: Iterable[str], *, header: bool) -> str:
    """A row that never splits over pages; ``header`` rows repeat on every page.

    Word honours ``w:tblHeader`` only on an unbroken run of rows at the top of the
    table, so callers mark exactly the leading header rows.
    """
    marks = "<w:cantSplit/><w:tblHeader/>" if header else "<w:cantSplit/>"
    return f"<w:tr><w:trPr>{marks}</w:trPr>{''.join(cells)}</w:tr>"


def table_cell(
    width: int,
    content: str,
    *,
    grid_span: int = 1,
    v_merge: Literal["restart", "continue"] | None = None,
) -> str:
    """A vertically centred cell; ``content`` must hold at least one paragraph.

    A cell spanning ``n`` grid columns is a single ``w:tc`` with ``w:gridSpan``; a
    cell spanning rows is a ``restart`` cell followed by one ``continue`` cell (of
    the same grid span) in each row it covers.
    """
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if grid_span > 1:
        props += f'<w:gridSpan w:val="{grid_span}"/>'
    if v_merge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif v_merge == "continue":
        props += "<w:vMerge/>"
    return f'<w:tc><w:tcPr>{props}<w:vAlign w:val="center"/></w:tcPr>{content}</w:tc>'


# ------------------------------------------------------------------------ settings


def enable_update_fields(settings: etree._Element) -> None:
    """Ask Word to update all fields (the TOC's page numbers) when the file is opened."""
    if settings.find(qn("w:updateFields")) is not None:
        return
    update = parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>')
    # Schema order: w:updateFields comes right before these.
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
