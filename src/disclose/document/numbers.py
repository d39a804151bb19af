"""How a layout variant prints amounts and percentages (SPEC §1.3, §1.4).

All inputs are printed figures in 万元 (Decimal, 2 decimals). Ratios are computed
from the printed figures, so a reader who checks a percentage against the
document's own numbers gets the same result.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from disclose.money import HUNDRED, ZERO, format_amount, r2, strip_zeros


@dataclass(frozen=True)
class NumberStyle:
    table_separator: bool = True  # 1,163.97 in table cells
    table_zero: str = "0.00"  # how a zero prints in a table body cell ("" = blank, LN)
    text_separator: bool = True  # 1,163.97万元 in the narrative
    text_zero: str = "0"  # a zero amount in the narrative: "0" (NY) or "0.00" (JZ, JY, LN)
    percent_zero: str = "0"  # an undefined or zero ratio: "0" (NY, printed 0%) or "0.00"
    item_budget_separator: bool = False  # 五（三） per-项 年初预算 (NY prints them without separator)

    @classmethod
    def from_profile(cls, switches: dict) -> "NumberStyle":
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in switches.items() if k in known})

    # -- amounts

    def table(self, value: Decimal | None) -> str:
        if value is None:
            return ""
        if value == 0:
            return self.table_zero
        return format_amount(value, separator=self.table_separator)

    def table_always(self, value: Decimal) -> str:
        """A table cell that prints 0.00 even where zeros are blank (LN t05 basic/project)."""
        return format_amount(value, separator=self.table_separator)

    def amount(self, value: Decimal) -> str:
        if value == 0:
            return self.text_zero
        return format_amount(value, separator=self.text_separator)

    def amount_plain(self, value: Decimal) -> str:
        """An amount without thousands separator (五（三） per-项 年初预算 in NY)."""
        if value == 0:
            return self.text_zero
        return format_amount(value, separator=self.item_budget_separator and self.text_separator)

    # -- ratios

    def ratio(self, part: Decimal, whole: Decimal) -> Decimal:
        if whole == 0:
            return ZERO
        return r2(part * HUNDRED / whole)

    def percent(self, part: Decimal, whole: Decimal) -> str:
        """``r2(part / whole × 100)`` without the % sign; the zero style when 0 or undefined."""
        value = self.ratio(part, whole)
        if value == 0:
            return self.percent_zero
        return f"{value:.2f}"

    @staticmethod
    def percent_short(part: Decimal, whole: Decimal) -> str:
        """2 decimals, trailing zeros stripped: 100, 62.5, 69.13 (十三 lists, LN summaries)."""
        if whole == 0:
            return "0"
        return strip_zeros(r2(part * HUNDRED / whole))
