"""Part builders: one per kind of part a layout profile can list.

A builder is ``build(ctx, doc, part)``: it appends the part's sections to the
document. ``part`` is the part's entry in the profile (its heading and options).
"""

from __future__ import annotations

from typing import Any, Callable

from disclose.document.context import BuildContext
from disclose.document.ir import Document, Heading

PartBuilder = Callable[[BuildContext, Document, dict], None]
BUILDERS: dict[str, PartBuilder] = {}


def part(kind: str) -> Callable[[PartBuilder], PartBuilder]:
    def register(fn: PartBuilder) -> PartBuilder:
        BUILDERS[kind] = fn
        return fn

    return register


def part_heading(ctx: BuildContext, kind: str, level: int = 1) -> Heading:
    """The heading of a part: ``headings.<kind>`` in the profile, a template string, or
    ``{text: …, toc: …}`` when the 目录 entry reads differently from the heading in the body
    (liaoning: ``第二部分 2024年度部门决算情况说明`` in the body, ``…年度{部门}部门决算情况说明``
    in the 目录)."""
    return heading_from(ctx, ctx.layout.get(f"headings.{kind}"), level, f"headings.{kind}")


def heading_from(ctx: BuildContext, source: Any, level: int, what: str, **extra: Any) -> Heading:
    """A heading from a profile entry: a template string or ``{text, toc}``."""
    from disclose.document.layout import LayoutError

    if source is None:
        raise LayoutError(f"{ctx.layout.root / 'layout.yaml'}：缺少 {what}")
    if isinstance(source, dict):
        if "text" not in source:
            raise LayoutError(f"{ctx.layout.root / 'layout.yaml'}：{what} 缺少 text")
        text = ctx.render_heading(str(source["text"]), **extra)
        toc = ctx.render_heading(str(source["toc"]), **extra) if source.get("toc") else ""
        return Heading(text, level, toc_text=toc if toc != text else "")
    return Heading(ctx.render_heading(str(source), **extra), level)


def load_builders() -> dict[str, PartBuilder]:
    # Importing the modules registers their builders.
    from disclose.document.parts import appendix, cover, glossary, narrative, overview, tables  # noqa: F401

    return BUILDERS
