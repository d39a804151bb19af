"""Exact money: Decimal arithmetic, 四舍五入 (ROUND_HALF_UP) and the printed forms.

Binary floats do not reproduce published figures (449.875 → 449.87 with float
``round``), so every amount is a ``Decimal`` from the reader to the writer and
every rounding goes through ``r2``.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
CENT = Decimal("0.01")
HUNDRED = Decimal("100")
TEN_THOUSAND = Decimal("10000")


def r2(value: Decimal) -> Decimal:
    """Round half up to 2 decimals (四舍五入)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def truncate(value: Decimal, places: int) -> Decimal:
    """Cut (not round) to ``places`` decimals; used by the LN 减分项."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part / whole × 100`` rounded half up to 2 decimals; None when ``whole`` is 0."""
    if whole == 0:
        return None
    return r2(part * HUNDRED / whole)


def decimal_places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def strip_zeros(value: Decimal) -> str:
    """``100.00`` → ``100``, ``62.50`` → ``62.5``: the style of forms and 十三 lists."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def format_amount(value: Decimal, *, separator: bool) -> str:
    """A 2-decimal amount, with or without the thousands separator."""
    value = r2(value)
    return f"{value:,.2f}" if separator else f"{value:.2f}"
