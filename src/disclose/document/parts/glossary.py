"""第四部分 名词解释 (SPEC §6).

The standard entries, their order, grouping and numbering are profile data
(``glossary:`` in ``templates/<layout>/glossary.yaml``); the only computed entries are
the per-subject ones: every 项 (7-digit code) of 公开05表, in the table's order, as
``{类名}（类）{款名}（款）{项名}（项）：{科目说明}`` with the names the table prints and the
definition from the reference data. A 项 without a definition is left out (rule G01
already reports it), so no entry is ever printed blank.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from disclose import reference
from disclose.document.chinese import ordinal
from disclose.document.context import BuildContext
from disclose.document.ir import Document, Heading, Paragraph, Run
from disclose.document.layout import LayoutError
from disclose.document.parts import part, part_heading

SUBJECTS = "subjects"  # the place of the per-subject entries in ``order``


@dataclass(frozen=True)
class Entry:
    term: str
    definition: str


@part("glossary")
def build_glossary(ctx: BuildContext, doc: Document, spec: dict) -> None:
    cfg = ctx.layout.get("glossary")
    if not isinstance(cfg, dict) or "order" not in cfg:
        raise LayoutError(f"{ctx.layout.root}：缺少 glossary 设置（glossary.yaml）")
    section = doc.new_section(orientation="portrait")
    section.add(part_heading(ctx, "glossary"))
    section.add(*glossary_blocks(cfg, subject_entries(ctx), where=str(ctx.layout.root)))


def subject_entries(ctx: BuildContext) -> list[Entry]:
    """One entry per 项 of t05 that has a definition, in t05 order."""
    rows = ctx.rows.get("t05")
    if rows is None:
        return []
    out = []
    for code in rows.codes:
        if len(code) != 7:
            continue
        subject = reference.subject(code)
        definition = subject.definition if subject else None
        if not definition or not definition.strip():
            continue  # G01 warns; print nothing rather than a blank explanation
        out.append(Entry(subject_term(code, rows.names), definition.strip()))
    return out


def subject_term(code: str, names: dict[str, str]) -> str:
    """``{类名}（类）{款名}（款）{项名}（项）`` with the names the table prints (SPEC §5.1)."""

    def name(c: str) -> str:
        if names.get(c):
            return names[c]
        ref = reference.subject(c)
        return ref.name if ref else ""

    return f"{name(code[:3])}（类）{name(code[:5])}（款）{name(code)}（项）"


def glossary_blocks(cfg: dict[str, Any], subjects: list[Entry], where: str = "glossary") -> list[Heading | Paragraph]:
    """The glossary's headings and paragraphs from a profile ``glossary`` block."""
    terms = cfg.get("terms") or {}
    markers = cfg.get("markers") or {}
    top_marker = markers.get("top", "{cn}、")
    item_marker = markers.get("item", "（{cn}）、")
    separator = cfg.get("separator", "：")
    bold_terms = int(cfg.get("bold_terms") or 0)
    printed = 0  # entries printed so far (for bold_terms)

    def standard(key: str) -> Entry:
        value = terms.get(key)
        if not isinstance(value, (list, tuple)) or len(value) != 2:
            raise LayoutError(f"{where}：名词解释条目“{key}”未定义（glossary.terms 中应为 [词条, 解释]）")
        return Entry(str(value[0]), str(value[1]))

    def expand(items: list) -> list[Entry]:
        out: list[Entry] = []
        for item in items:
            if item == SUBJECTS:
                out.extend(subjects)
            elif isinstance(item, str):
                out.append(standard(item))
            else:
                raise LayoutError(f"{where}：名词解释组内只能列条目编号或 subjects，实际为 {item!r}")
        return out

    def entry(marker: str, e: Entry) -> Paragraph:
        nonlocal printed
        printed += 1
        bold = printed <= bold_terms
        return Paragraph([Run(marker), Run(e.term, bold), Run(separator + e.definition)], "body")

    blocks: list[Heading | Paragraph] = []
    n = 0
    for item in cfg.get("order") or []:
        if isinstance(item, dict) and "group" in item:
            n += 1
            blocks.append(Heading(_marker(top_marker, n) + str(item["group"]), 2, toc=False))
            for i, e in enumerate(expand(list(item.get("items") or [])), start=1):
                blocks.append(entry(_marker(item_marker, i), e))
        else:
            for e in expand([item]):
                n += 1
                blocks.append(entry(_marker(top_marker, n), e))
    return [_merge_runs(b) for b in blocks]


def _marker(template: str, n: int) -> str:
    return template.replace("{cn}", ordinal(n)).replace("{n}", str(n))


def _merge_runs(block: Heading | Paragraph) -> Heading | Paragraph:
    if isinstance(block, Heading):
        return block
    merged: list[Run] = []
    for run in block.runs:
        if not run.text:
            continue
        if merged and merged[-1].bold == run.bold:
            merged[-1] = Run(merged[-1].text + run.text, run.bold)
        else:
            merged.append(run)
    return Paragraph(merged or [Run("")], block.role)
