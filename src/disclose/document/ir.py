"""The layout-neutral document model (IR) that every writer consumes.

The layout stage (``disclose.document.build``) turns validated figures into a
``Document``; the writers (PDF, DOCX, JSON) turn a ``Document`` into a file.
Nothing here knows about 决算: a writer that renders this model correctly renders
every layout. All text is plain text; writers must escape it (data is never markup).

Structure::

    Document
      └─ Section (a run of pages with one orientation; a new Section starts a new page)
           └─ blocks: Heading | Paragraph | Table | InfoLine | TableOfContents | Spacer

Headings carry a level: 1 = part (第一部分), 2 = section (一、), 3 = sub-section (（一）),
4 = minor heading. Levels 1-2 go to the 目录 and to the PDF bookmarks/Word navigation
pane; ``toc=False`` keeps a heading out of the 目录 (e.g. the title of a table page).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Union

Align = Literal["left", "center", "right", "justify"]
Orientation = Literal["portrait", "landscape"]

# Paragraph roles. Writers map each role to a style; a role is a meaning, not a look.
ParagraphRole = Literal[
    "body",  # running text: first-line indent of two characters, justified
    "plain",  # running text without first-line indent (list items, labels)
    "center",  # centred line
    "right",  # right-aligned line (e.g. the 公开01表 label)
    "cover-title",  # big centred title lines on the cover
    "cover-subtitle",  # smaller centred cover lines (the date)
    "table-title",  # centred bold title above a table or form
    "note",  # small text below a table (注：…, 说明：…)
]


@dataclass
class Run:
    """A piece of a paragraph with uniform emphasis."""

    text: str
    bold: bool = False


@dataclass
class Paragraph:
    runs: list[Run]
    role: ParagraphRole = "body"

    @classmethod
    def of(cls, text: str, role: ParagraphRole = "body", bold: bool = False) -> "Paragraph":
        return cls([Run(text, bold)], role)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Heading:
    text: str
    level: int  # 1 part, 2 section, 3 sub-section, 4 minor
    toc: bool = True  # listed in the 目录 and as a bookmark
    anchor: str = ""  # stable id for cross references; writers fill one in if empty
    toc_text: str = ""  # the entry in the 目录/bookmarks when it differs from ``text``
    role: Literal["heading", "table-title"] = "heading"  # table-title: looks like a table's title

    @property
    def entry(self) -> str:
        return self.toc_text or self.text


@dataclass
class InfoLine:
    """One line with a left, a centre and a right part, e.g. 部门：… | 2024年度 | 单位：万元."""

    left: str = ""
    center: str = ""
    right: str = ""


@dataclass
class Cell:
    text: str = ""
    colspan: int = 1
    rowspan: int = 1
    align: Align | None = None  # None: the column's alignment (header cells: centre)
    bold: bool = False


@dataclass
class Column:
    width: float  # relative width; writers scale the sum to the text width
    align: Align = "left"


@dataclass
class Table:
    """A grid table. ``header`` rows repeat on every page the table spans.

    Rows are lists of the cells that *start* in that row; a cell spanning rows or
    columns covers the grid positions to its right and below, which later rows
    therefore leave out (as in HTML).
    """

    columns: list[Column]
    header: list[list[Cell]] = field(default_factory=list)
    body: list[list[Cell]] = field(default_factory=list)
    font_size: Literal["normal", "small", "tiny"] = "normal"
    name: str = ""  # a label for tests and diagnostics, e.g. "公开01表"

    def grid_width(self) -> int:
        return len(self.columns)


@dataclass
class TableOfContents:
    """The 目录: writers list the headings with ``toc=True`` and their page numbers."""

    title: str = "目 录"
    levels: int = 2


@dataclass
class Spacer:
    lines: float = 1.0


Block = Union[Heading, Paragraph, Table, InfoLine, TableOfContents, Spacer]


@dataclass
class Section:
    """A run of pages; each Section starts on a new page."""

    blocks: list[Block] = field(default_factory=list)
    orientation: Orientation = "portrait"
    kind: Literal["cover", "toc", "body"] = "body"  # cover/toc pages carry no page number
    keep_together: bool = False  # a hint: try to keep the section on one page (forms)

    def add(self, *blocks: Block) -> "Section":
        self.blocks.extend(blocks)
        return self


@dataclass
class Document:
    title: str
    author: str = ""
    lang: str = "zh-CN"
    sections: list[Section] = field(default_factory=list)

    def new_section(self, **kwargs) -> Section:
        section = Section(**kwargs)
        self.sections.append(section)
        return section

    def headings(self) -> list[Heading]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Heading)]
