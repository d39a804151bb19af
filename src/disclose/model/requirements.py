"""What a layout expects of the data, as plain settings the audit reads.

The layout profile states them (``audit:`` in ``templates/<layout>/layout.yaml``); the
audit never loads a layout itself, so rules stay independent of the document stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Requirements:
    layout: str = ""  # the layout's name, for messages ("辽宁版式需要……")
    rule_set: Literal["NY", "JY"] = "NY"  # scoring rules of the self-evaluation forms (SPEC §7.2.2 / §7.3.2)
    forms_cover_all_projects: bool = False  # the appendix forms should add up to t03 项目支出 (N12)
    subject_definitions: bool = True  # the glossary explains every t05 项 (G01)
    facts: tuple[str, ...] = field(default_factory=tuple)  # dotted data paths the layout needs filled

    @classmethod
    def from_profile(cls, layout: str, settings: dict | None) -> "Requirements":
        settings = dict(settings or {})
        facts = tuple(settings.pop("facts", []) or [])
        known = {k: v for k, v in settings.items() if k in cls.__dataclass_fields__}
        return cls(layout=layout, facts=facts, **known)
