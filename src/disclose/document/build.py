"""Build the layout-neutral document of one audited data set, part by part as the layout lists them."""

from __future__ import annotations

from disclose.document.context import BuildContext
from disclose.document.ir import Document
from disclose.document.layout import Layout, LayoutError, load_layout
from disclose.document.parts import load_builders
from disclose.rules.engine import AuditReport


def layout_for(report: AuditReport, layout: str | None = None, variant: str | None = None) -> Layout:
    profile = report.source.data.profile
    name = layout or profile.layout
    # A variant only means something within its own layout: --layout without --variant takes its default.
    chosen = variant if variant is not None else (profile.variant if name == profile.layout else None)
    return load_layout(name, chosen)


def build_document(report: AuditReport, layout: Layout) -> Document:
    ctx = BuildContext(report, layout)
    builders = load_builders()
    doc = Document(title=f"{ctx.year}年度{ctx.department}部门决算", author=ctx.department)
    for spec in layout.profile.get("parts", []):
        kind = spec.get("kind")
        if kind not in builders:
            raise LayoutError(f"{layout.root / 'layout.yaml'}：未知的部分类型“{kind}”；可用：{'、'.join(sorted(builders))}")
        builders[kind](ctx, doc, spec)
    return doc
