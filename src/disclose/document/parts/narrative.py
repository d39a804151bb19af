"""情况说明 (henan 第三部分, SPEC §5): the part heading, then each section of the profile.

The profile lists the sections (``narrative.sections``: heading + template); the figures come
from ``disclose.compute.narrative``; the wording is the templates' and the style switches'
(``style.*``). A section heading is a level-2 heading (in the 目录); a template's ``### ``
lines are level-3 sub-headings (not in the 目录). Free texts of the data (reasons, usages, the
department's 十三 paragraphs) are printed as literal text: every value a template prints is
fenced (``disclose.document.text``), so a reason reading ``## …`` or ``**`` stays text.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from disclose.compute.narrative import NarrativeFigures, clause, narrative_figures
from disclose.document.context import BuildContext
from disclose.document.ir import Document, Heading
from disclose.document.layout import LayoutError
from disclose.document.parts import part, part_heading
from disclose.document.text import parse_blocks
from disclose.money import r2, strip_zeros

CACHE_KEY = "narrative.figures"


@part("narrative")
def build_narrative(ctx: BuildContext, doc: Document, spec: dict) -> None:
    section = doc.new_section(orientation="portrait")
    section.add(part_heading(ctx, "narrative"))
    for heading, rendered in render_sections(ctx):
        section.add(Heading(heading, 2))
        section.add(*parse_blocks(rendered, toc_levels=2))


def render_sections(ctx: BuildContext) -> list[tuple[str, str]]:
    """Each section's heading and rendered template text (the line protocol of ``text``)."""
    sections = ctx.layout.get("narrative.sections")
    if not sections:
        raise LayoutError(f"{ctx.layout.root / 'layout.yaml'}：缺少 narrative.sections（情况说明各节）")
    context = template_context(ctx)
    base = ctx.base_context()
    extra = {k: v for k, v in context.items() if k not in base}  # render_heading adds the base itself
    out = []
    for entry in sections:
        heading = ctx.render_heading(entry["heading"], **extra)
        out.append((heading, ctx.layout.render(entry["template"], heading=heading, **context)))
    return out


def figures(ctx: BuildContext) -> NarrativeFigures:
    """The narrative figures of this build (computed once; other parts may read them)."""
    cached = ctx.cache.get(CACHE_KEY)
    if cached is None:
        rule_set = ctx.layout.get("appendix.scoring.rule_set") or ctx.layout.get("style.performance.rule_set") or "NY"
        threshold = ctx.layout.get("appendix.scoring.cap_threshold")
        cached = ctx.cache[CACHE_KEY] = narrative_figures(
            ctx.data, ctx.ledger, ctx.rows, rule_set=rule_set, cap_threshold=Decimal(str(threshold)) if threshold is not None else None
        )
    return cached


def template_context(ctx: BuildContext) -> dict[str, Any]:
    """What the section templates see: the base context, the figures and the wording helpers."""
    _register_filters(ctx)
    numbers = ctx.numbers
    context = ctx.base_context()
    context.update(
        f=figures(ctx),
        rate=lambda value: _rate(value, numbers.percent_zero),
        rate_short=_rate_short,
        num=_form_number,
    )
    return context


def _register_filters(ctx: BuildContext) -> None:
    env = ctx.layout.env
    env.filters.setdefault("clause", clause)


# -- number helpers the NumberStyle does not have (generic: no layout names)


def _rate(value: Decimal | None, zero: str) -> str:
    """A precomputed percentage (2 dp) in the layout's zero style (``0`` / ``0.00``)."""
    if value is None or value == 0:
        return zero
    return f"{r2(value):.2f}"


def _rate_short(value: Decimal | None) -> str:
    """A percentage with trailing zeros stripped: ``100``, ``76.67`` (十三 lists, SPEC §1.4)."""
    if value is None:
        return "0"
    return strip_zeros(r2(value))


def _form_number(value: Decimal | None) -> str:
    """A figure as typed in a form: ``17.5``, ``3``, ``95.72`` (SPEC §1.3)."""
    if value is None:
        return ""
    return strip_zeros(r2(value))
