"""Part builders: one per kind of part a layout profile can list.

A builder is ``build(ctx, doc, part)``: it appends the part's sections to the
document. ``part`` is the part's entry in the profile (its heading and options).
"""

from __future__ import annotations

from typing import Callable

from disclose.document.context import BuildContext
from disclose.document.ir import Document

PartBuilder = Callable[[BuildContext, Document, dict], None]
BUILDERS: dict[str, PartBuilder] = {}


def part(kind: str) -> Callable[[PartBuilder], PartBuilder]:
    def register(fn: PartBuilder) -> PartBuilder:
        BUILDERS[kind] = fn
        return fn

    return register


def load_builders() -> dict[str, PartBuilder]:
    # Importing the modules registers their builders.
    from disclose.document.parts import appendix, cover, glossary, narrative, overview, tables  # noqa: F401

    return BUILDERS
