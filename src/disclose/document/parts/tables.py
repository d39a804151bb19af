"""决算表 part: the part heading, then one page (Section) per table (SPEC §3, §8.4).

Everything a layout prints is profile data (``templates/<layout>/tables.yaml``, key
``tables``): which tables in which order, their numbers, titles, 目录 entries, header
grids with spans, column widths and alignments, orientation, line numbering, row labels,
notes and empty-table 说明. Python only knows *kinds* of table, each a generic builder:

* ``summary`` / ``fiscal_summary`` — a two-sided 总表 (公开01表, 公开04表): a left and a
  right side, each a list of rows with 行次 and one or more amount columns;
* ``subject`` — a table of 功能分类 subject rows (02, 03, 05, 07, 08): ``合计`` then the
  类/款/项 rows depth-first;
* ``economic`` — three side-by-side columns of 经济分类 fixed rows (henan 06);
* ``three_public_wide`` / ``three_public_vertical`` — fixed cells (henan 09, LN 07).

Every amount cell prints ``ctx.numbers.table(ctx.printed(key))``: the 万元 figure of the
ledger, in the variant's number style (separator, zero style).
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any, Callable, Iterator

from disclose import reference
from disclose.document.chinese import ordinal
from disclose.document.context import BuildContext
from disclose.document.ir import Cell, Column, Document, Heading, InfoLine, Paragraph, Section, Table
from disclose.document.layout import LayoutError, deep_merge
from disclose.document.parts import part, part_heading
from disclose.model.ledger import Key

Row = list[Cell]


@part("tables")
def build_tables(ctx: BuildContext, doc: Document, spec: dict) -> None:
    profile = ctx.layout.get("tables")
    if not isinstance(profile, dict):
        raise LayoutError(f"{ctx.layout.root / 'layout.yaml'}：缺少 tables（决算表的版式数据）")
    heading = part_heading(ctx, "tables")
    pending: Heading | None = heading
    if profile.get("heading_on_own_page", True):
        doc.new_section().add(heading)
        pending = None
    for number, table_id in enumerate(profile.get("order") or [], start=1):
        table_spec = table_profile(ctx, table_id, profile)
        section = doc.new_section(orientation=table_spec.get("orientation", "portrait"))
        if pending is not None:
            section.add(pending)
            pending = None
        TableBuilder(ctx, table_id, table_spec, number).build(section)


def table_profile(ctx: BuildContext, table_id: str, profile: dict | None = None) -> dict:
    """One table's profile: ``tables.defaults`` merged with ``tables.items.<id>``."""
    profile = profile if profile is not None else (ctx.layout.get("tables") or {})
    items = profile.get("items") or {}
    if table_id not in items:
        raise LayoutError(f"{_where(ctx)}：tables.order 列出的表“{table_id}”在 tables.items 中没有定义")
    return deep_merge(profile.get("defaults") or {}, items[table_id] or {})


def _where(ctx: BuildContext) -> str:
    return str(ctx.layout.root / "tables.yaml")


class TableBuilder:
    """Builds one table page from its profile; ``kind`` picks the body builder."""

    def __init__(self, ctx: BuildContext, table_id: str, spec: dict, number: int):
        self.ctx = ctx
        self.id = table_id
        self.spec = spec
        self.number = number
        self.amounts: list[Decimal] = []  # every amount printed in the grid (for the empty test)
        self._vars = {
            "labels": spec.get("labels") or {},
            "label": spec.get("label", ""),
            "ordinal": ordinal(number),
        }
        self._vars["title"] = self.text(spec.get("title", ""))

    # -- text and cells

    def error(self, message: str) -> LayoutError:
        return LayoutError(f"{_where(self.ctx)}：tables.items.{self.id}：{message}")

    def text(self, source: Any) -> str:
        if source is None:
            return ""
        source = str(source)
        if "{" not in source:
            return source
        return self.ctx.render_heading(source, **self._vars)

    def amount(self, key: Key, always: bool = False) -> Cell:
        value = self.ctx.printed(key)
        self.amounts.append(value)
        numbers = self.ctx.numbers
        return Cell(numbers.table_always(value) if always else numbers.table(value))

    def cell(self, spec: Any, prefix: Key = ()) -> Cell:
        """A cell from its profile form: a string, or {text|key, colspan, rowspan, align, bold, always}."""
        if not isinstance(spec, dict):
            return Cell(self.text(spec))
        if "key" in spec:
            cell = self.amount(prefix + _key(spec["key"]), bool(spec.get("always", False)))
        else:
            cell = Cell(self.text(spec.get("text", "")))
        cell.colspan = int(spec.get("colspan", 1))
        cell.rowspan = int(spec.get("rowspan", 1))
        cell.align = spec.get("align")
        cell.bold = bool(spec.get("bold", False))
        return cell

    def rows(self, specs: list | None, prefix: Key = ()) -> list[Row]:
        return [[self.cell(c, prefix) for c in row] for row in specs or []]

    def columns(self) -> list[Column]:
        specs = self.spec.get("columns") or []
        if not specs:
            raise self.error("缺少 columns")
        return [Column(float(c.get("width", 1)), c.get("align", "left")) for c in specs]

    # -- the page

    def build(self, section: Section) -> None:
        spec = self.spec
        kind = spec.get("kind")
        body_builder = KINDS.get(kind)
        if body_builder is None:
            raise self.error(f"未知的表格类型 kind“{kind}”；可用：{'、'.join(sorted(KINDS))}")
        columns = self.columns()
        header = self.rows(spec.get("header"))
        body = body_builder(self)
        table = Table(columns=columns, header=header, body=body, font_size=spec.get("font_size", "normal"), name=self.text(spec.get("label")))
        _check_grid(self, table)

        title = self._vars["title"]
        info = spec.get("info") or {}
        section.add(
            Heading(title, 2, toc_text=self.text(spec.get("toc")) or title, role="table-title"),
            Paragraph.of(self.text(spec.get("label")), "right"),
            InfoLine(self.text(info.get("left")), self.text(info.get("center")), self.text(info.get("right"))),
            table,
        )
        for note in spec.get("notes") or []:
            section.add(Paragraph.of(self.text(note), "note"))
        if spec.get("empty_note") and self.is_empty():
            section.add(Paragraph.of(self.text(spec["empty_note"]), "note"))

    def is_empty(self) -> bool:
        """A table is empty when it prints no amount other than zero (SPEC §3.5)."""
        return all(value == 0 for value in self.amounts)


def _key(value: Any) -> Key:
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value)
    return (str(value),)


def _check_grid(builder: TableBuilder, table: Table) -> None:
    """Every row must fill the grid exactly (spans included); a profile error names the row."""
    width = table.grid_width()
    for where, rows in (("header", table.header), ("body", table.body)):
        covered: dict[tuple[int, int], bool] = {}
        for r, row in enumerate(rows):
            col = 0
            for cell in row:
                while covered.get((r, col)):
                    col += 1
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        covered[(r + dr, col + dc)] = True
                col += cell.colspan
            while covered.get((r, col)):
                col += 1
            if col != width:
                raise builder.error(f"{where} 第 {r + 1} 行占 {col} 列，表格有 {width} 列")


# --------------------------------------------------------------------------- kinds


def _two_sided(b: TableBuilder) -> list[Row]:
    """公开01表 / 公开04表: a left and a right side side by side, each with 行次 and amounts."""
    sides = []
    previous_last = 0
    for name in ("left", "right"):
        side = b.spec.get(name)
        if not isinstance(side, dict):
            raise b.error(f"缺少 {name}（总表的一栏）")
        entries = list(_side_rows(b, side))
        first = side.get("first_line", 1)
        first = previous_last + 1 if first == "continue" else int(first)
        previous_last = first + len(entries) - 1
        sides.append((side, entries, first))
    if len(sides[0][1]) != len(sides[1][1]):
        raise b.error(f"左栏 {len(sides[0][1])} 行，右栏 {len(sides[1][1])} 行，两栏行数须相同")

    body: list[Row] = []
    for i in range(len(sides[0][1])):
        row: Row = []
        for side, entries, first in sides:
            prefix = _key(side.get("ledger") or ())
            amounts = side.get("amounts") or [None]
            text, key = entries[i]
            row.append(Cell(text))
            row.append(Cell(str(first + i)))
            for column in amounts:
                if key is None:
                    row.append(Cell(""))
                else:
                    row.append(b.amount(prefix + key + (() if column is None else _key(column))))
        body.append(row)
    return body


def _side_rows(b: TableBuilder, side: dict) -> Iterator[tuple[str, Key | None]]:
    """(text, ledger key or None) per row of one side of a 总表."""
    switches = b.spec.get("switches") or {}
    for entry in side.get("rows") or []:
        condition = entry.get("if")
        if condition is not None:
            if condition not in switches:
                raise b.error(f"行条目引用了未定义的开关“{condition}”")
            if not switches[condition]:
                continue
        if entry.get("classes"):
            for cls in reference.expenditure_classes():
                yield cls.label, (cls.code,)
        elif "blank" in entry:
            for _ in range(int(entry["blank"])):
                yield "", None
        else:
            yield b.text(entry.get("text", "")), (_key(entry["key"]) if "key" in entry else None)


def _subject(b: TableBuilder) -> list[Row]:
    """合计, then the 类/款/项 rows of one subject table, depth-first (SPEC §3.3)."""
    source = b.spec.get("source")
    if source not in b.ctx.rows:
        raise b.error(f"source“{source}”不是科目表；可用：{'、'.join(b.ctx.rows)}")
    subject_rows = b.ctx.rows[source]
    amounts = b.spec.get("amounts") or []
    if not amounts:
        raise b.error("缺少 amounts（金额列）")

    def amount_cells(code: str) -> Row:
        cells = []
        for column in amounts:
            if isinstance(column, dict):
                cells.append(b.amount((source, code) + _key(column["key"]), bool(column.get("always", False))))
            else:
                cells.append(b.amount((source, code, str(column))))
        return cells

    total_label = b.spec.get("total_row") or ["", "合计"]
    body: list[Row] = [[b.cell(c) for c in total_label] + amount_cells("合计")]
    for code in subject_rows.codes:
        body.append([Cell(code), Cell(subject_rows.names.get(code, ""))] + amount_cells(code))
    return body


def _economic(b: TableBuilder) -> list[Row]:
    """Side-by-side groups of fixed 经济分类 rows (SPEC §3.2.3), then the footer row."""
    list_name = str(b.spec.get("list", "A"))
    try:
        groups = reference.economic_list(list_name)
    except KeyError:
        raise b.error(f"经济分类目录 list“{list_name}”不存在；可用：{'、'.join(reference.economic_list_names())}") from None
    expected = int(b.spec.get("groups", len(groups)))
    if expected != len(groups):
        raise b.error(f"groups 为 {expected}，经济分类目录 {list_name} 有 {len(groups)} 组")
    prefix = _key(b.spec.get("ledger") or ("t06",))
    if b.spec.get("unlisted", "insert") == "insert":
        groups = _with_unlisted(b, groups, prefix)

    body: list[Row] = []
    for i in range(max(len(g) for g in groups)):
        row: Row = []
        for group in groups:
            if i < len(group):
                code, name = group[i]
                row += [Cell(code), Cell(name), b.amount(prefix + (code,))]
            else:
                row += [Cell(""), Cell(""), Cell("")]
        body.append(row)
    body += b.rows(b.spec.get("footer"), prefix)
    return body


def _with_unlisted(b: TableBuilder, groups: list[list[tuple[str, str]]], prefix: Key) -> list[list[tuple[str, str]]]:
    """Codes with a non-zero figure that the list lacks, inserted where their 类 is (else at the end).

    The list is what the layout prints even when zero; a figure it has no row for would
    otherwise vanish from the table while still counting in the 人员/公用经费 totals.
    """
    groups = copy.deepcopy(groups)
    listed = {code for group in groups for code, _ in group}
    extra = sorted(
        key[len(prefix)]
        for key in b.ctx.ledger.keys(*prefix)
        if len(key) == len(prefix) + 1 and key[-1].isdigit() and key[-1] not in listed and b.ctx.printed(key) != 0
    )
    for code in extra:
        name = reference.economic_canonical_name(code) or ""
        head = code[:3]
        target, index = len(groups) - 1, len(groups[-1])
        for g, group in enumerate(groups):
            positions = [j for j, (c, _) in enumerate(group) if c[:3] == head]
            if positions:
                before = [j for j in positions if group[j][0] < code]
                target, index = g, (before[-1] + 1 if before else positions[0])
                break
        groups[target].insert(index, (code, name))
    return groups


def _fixed(b: TableBuilder) -> list[Row]:
    """A fixed grid whose cells name their ledger keys (三公 tables)."""
    prefix = _key(b.spec.get("ledger") or ())
    return b.rows(b.spec.get("body"), prefix)


KINDS: dict[str, Callable[[TableBuilder], list[Row]]] = {
    "summary": _two_sided,
    "fiscal_summary": _two_sided,
    "subject": _subject,
    "economic": _economic,
    "three_public_wide": _fixed,
    "three_public_vertical": _fixed,
}
