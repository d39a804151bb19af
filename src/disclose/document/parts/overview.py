"""第一部分 概况: 一、部门职责 and 二、机构设置 (SPEC §2.3).

The wording lives in the profile (``overview:`` in ``templates/<layout>/overview.yaml``):
the two section headings (a template string, or ``{text, toc}`` when the 目录 entry differs),
the numbering markers of each duties style (``duties_style`` fixes one whatever the data
say) and the 机构设置 sentences as a template. The counts (内设机构 N, 单位 n) are always the
lengths of the lists the data give, so they cannot disagree with the lists.
"""

from __future__ import annotations

from typing import Any

from disclose.document.chinese import ordinal
from disclose.document.context import BuildContext
from disclose.document.ir import Document, Paragraph
from disclose.document.layout import LayoutError
from disclose.document.parts import heading_from, part, part_heading
from disclose.document.text import CLOSE, OPEN, parse_blocks

PARAGRAPH_STYLE = "段落"
STRUCTURE_VARIABLES = ("internal", "n_internal", "note", "composition", "units", "n_units")  # see structure_variables
_TRAILING = "；;。. "


@part("overview")
def build_overview(ctx: BuildContext, doc: Document, spec: dict) -> None:
    cfg = _config(ctx)
    overview = ctx.data.overview
    section = doc.new_section(orientation="portrait")
    section.add(part_heading(ctx, "overview"))

    section.add(heading_from(ctx, cfg["duties_heading"], 2, "overview.duties_heading", heading=overview.duties_heading))
    if overview.duties_intro:
        section.add(Paragraph.of(overview.duties_intro))
    # The profile may fix the numbering whatever the data's style (liaoning: 1、 2、 …).
    style = cfg.get("duties_style") or overview.duties_style
    section.add(*duty_paragraphs(ctx, cfg, overview.duties, style))

    section.add(heading_from(ctx, cfg["structure_heading"], 2, "overview.structure_heading"))
    # ``verbatim_structure: false``: the data's verbatim 机构设置 paragraphs (written in another
    # layout's wording) are not used; the profile's sentences are.
    if overview.structure_text and cfg.get("verbatim_structure", True):
        section.add(*(Paragraph.of(p) for p in overview.structure_text if p.strip()))
        return
    rendered = ctx.layout.render_string(cfg["structure"], **ctx.base_context(), **structure_variables(ctx))
    section.add(*parse_blocks(rendered, toc_levels=0))


def structure_variables(ctx: BuildContext) -> dict[str, Any]:
    """What the 机构设置 template sees besides the base context."""
    overview = ctx.data.overview
    return dict(
        internal=list(overview.internal_departments),
        n_internal=len(overview.internal_departments),
        note=overview.internal_departments_note,
        composition=overview.composition,
        units=list(overview.units),
        n_units=len(overview.units),
    )


def duty_paragraphs(ctx: BuildContext, cfg: dict[str, Any], duties: list[str], style: str) -> list[Paragraph]:
    duties = [d for d in duties if d and d.strip()]
    if not duties:
        return []
    if style == PARAGRAPH_STYLE:
        clauses = [d.strip().rstrip(_TRAILING) for d in duties]
        return [Paragraph.of(cfg.get("duties_joiner", "；").join(clauses) + cfg.get("duties_end", "。"))]
    markers = cfg.get("duties_markers") or {}
    if style not in markers:
        raise LayoutError(f"{ctx.layout.root}：overview.duties_markers 中没有职责编号样式“{style}”")
    out = []
    for n, duty in enumerate(duties, start=1):
        marker = _plain(ctx.layout.render_string(markers[style], n=n, cn=ordinal(n)))
        out.append(Paragraph.of(marker + duty.strip()))
    return out


def _config(ctx: BuildContext) -> dict[str, Any]:
    cfg = ctx.layout.get("overview")
    if not isinstance(cfg, dict):
        raise LayoutError(f"{ctx.layout.root / 'layout.yaml'}：缺少 overview 设置（overview.yaml 未列入 include？）")
    for key in ("duties_heading", "structure_heading", "structure"):
        if key not in cfg:
            raise LayoutError(f"{ctx.layout.root}：overview 设置缺少 {key}")
    return cfg


def _plain(text: str) -> str:
    return text.replace(OPEN, "").replace(CLOSE, "")
