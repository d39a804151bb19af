"""What every part builder and template sees: the audited data, the layout, number styles."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from disclose.document.layout import Layout
from disclose.document.numbers import NumberStyle
from disclose.model.dataset import DataSet
from disclose.model.derive import SubjectRows
from disclose.model.ledger import Key, Ledger
from disclose.rules.engine import AuditReport


@dataclass
class BuildContext:
    report: AuditReport
    layout: Layout
    cache: dict[str, Any] = field(default_factory=dict)  # figures computed once, shared by parts

    @property
    def data(self) -> DataSet:
        return self.report.source.data

    @property
    def ledger(self) -> Ledger:
        return self.report.ledger

    @property
    def rows(self) -> dict[str, SubjectRows]:
        return self.report.rows

    @property
    def numbers(self) -> NumberStyle:
        return self.layout.numbers

    def printed(self, key: Key) -> Decimal:
        return self.ledger.printed(key)

    @property
    def department(self) -> str:
        return self.data.profile.department

    @property
    def year(self) -> int:
        return self.data.profile.year

    def base_context(self) -> dict[str, Any]:
        """Variables every layout template may use."""
        n = self.numbers
        return {
            "dept": self.department,
            "dept_cover": self.data.profile.cover_name or self.department,
            "year": self.year,
            "prior_year": self.year - 1,
            "variant": self.layout.variant,
            "style": self.layout.style,
            "amt": n.amount,
            "amt_plain": n.amount_plain,
            "pct": n.percent,
            "pct_short": n.percent_short,
        }

    def part_heading(self, kind: str) -> str:
        """The heading of a part (``headings.<kind>`` in the profile), rendered."""
        source = self.layout.get(f"headings.{kind}")
        if source is None:
            from disclose.document.layout import LayoutError

            raise LayoutError(f"{self.layout.root / 'layout.yaml'}：缺少 headings.{kind}")
        return self.render_heading(source)

    def render_heading(self, source: str, **extra: Any) -> str:
        from disclose.document.text import CLOSE, OPEN

        text = self.layout.render_string(source, **self.base_context(), **extra)
        return text.replace(OPEN, "").replace(CLOSE, "").strip()
