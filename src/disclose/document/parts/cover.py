"""封面 and 目录.

The cover reads the profile's ``cover:`` block (``lines``: template lines; ``date``: print the
publication date, SPEC §1.5 — henan yes, liaoning no); keys given on the part entry itself
(``parts: - {kind: cover, lines: …}``) take precedence.
"""

from __future__ import annotations

from disclose.document.chinese import cover_date
from disclose.document.context import BuildContext
from disclose.document.ir import Document, Paragraph, Spacer, TableOfContents
from disclose.document.parts import part


@part("cover")
def build_cover(ctx: BuildContext, doc: Document, spec: dict) -> None:
    cfg = cover_settings(ctx, spec)
    section = doc.new_section(kind="cover")
    for line in cfg.get("lines") or []:
        section.add(Paragraph.of(ctx.render_heading(line), "cover-title"))
    if cfg.get("date", False):
        year, month = _publish(ctx)
        section.add(Spacer(6), Paragraph.of(cover_date(year, month), "cover-subtitle"))


def cover_settings(ctx: BuildContext, spec: dict) -> dict:
    base = ctx.layout.get("cover") or {}
    return {**(base if isinstance(base, dict) else {}), **{k: v for k, v in spec.items() if k != "kind"}}


def _publish(ctx: BuildContext) -> tuple[int, int]:
    month = ctx.data.profile.publish_month
    if month:
        y, m = month.split("-")
        return int(y), int(m)
    return ctx.year + 1, 9  # published in September of the following year (SPEC §1.5)


@part("toc")
def build_toc(ctx: BuildContext, doc: Document, spec: dict) -> None:
    doc.new_section(kind="toc").add(TableOfContents(spec.get("title", "目 录"), spec.get("levels", 2)))
