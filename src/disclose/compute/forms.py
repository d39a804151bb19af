"""How the numbers of the performance forms are printed (SPEC §1.3, §1.4, §7.2–§7.5).

Formatting only: the numbers come from ``disclose.model.scoring``. Every function takes a
``Decimal`` and returns the text of one cell.

| what | NY (000, 003) | JY | LN |
|---|---|---|---|
| 执行率 | ``{r2}%`` (``100.00%``, ``69.13%``, ``0.00%``) | bare, zeros stripped (``100``, ``69.13``, ``0``) | ``{r2 stripped}%`` (``100%``, ``62.5%``) |
| 资金得分 / 指标得分 | as typed: 2 dp, zeros stripped (``6.91``, ``9.8``, ``10``) | same | same |
| 偏差度 | 2 dp, no ``%`` (``-10.53``, ``0.00``) | 2 dp with ``%`` (``-10.53%``, ``0.00%``) | — |
| 减分项 | — | — | 3 dp **truncated**, zeros stripped |
| amounts typed in the form | as typed (``2.5``, ``17.5``, ``119.1``) | same | same |
"""

from __future__ import annotations

from decimal import Decimal

from disclose.money import r2, strip_zeros, truncate


def form_number(value: Decimal | None) -> str:
    """A score or an amount as typed in a form: 2 dp half-up, trailing zeros stripped (``9.8``, ``10``)."""
    if value is None:
        return ""
    return strip_zeros(r2(value))


def ny_rate(value: Decimal | None) -> str:
    """NY 执行率 cell: ``{r2}%`` (recommended in SPEC §7.2.2; zero rows ``0.00%``)."""
    if value is None:
        return ""
    return f"{r2(value)}%"


def jy_rate(value: Decimal | None) -> str:
    """JY 执行率 cell (header ``执行率 %``): a bare number, ``100``, ``XX.XX``, ``0``."""
    return form_number(value)


def ny_deviation(value: Decimal | None) -> str:
    """NY 偏差度: 2 dp, no ``%`` (``-10.53``, ``0.00``)."""
    if value is None:
        return ""
    return f"{_signed(r2(value))}"


def jy_deviation(value: Decimal | None) -> str:
    """JY 偏差度: 2 dp with ``%`` (``0.00%``, ``-10.53%``, ``70.00%``)."""
    if value is None:
        return ""
    return f"{_signed(r2(value))}%"


def stripped_percent(value: Decimal | None) -> str:
    """Rates in the 十三 list and in LN forms: 2 dp half-up, zeros stripped, ``%`` (``100%``, ``62.5%``)."""
    if value is None:
        return ""
    return f"{strip_zeros(r2(value))}%"


def ln_deduction(value: Decimal | None) -> str:
    """LN 减分项: 3 decimals truncated (not rounded), zeros stripped."""
    if value is None:
        return ""
    return strip_zeros(truncate(value, 3))


def ln_total(value: Decimal | None) -> str:
    """LN 绩效自评总得分: ``59``, ``69``, ``100``, ``XX.XX`` (zeros stripped)."""
    return form_number(value)


def ln_overall_total(value: Decimal | None) -> str:
    """LN 整体 form 总评价得分: always 2 decimals."""
    if value is None:
        return ""
    return f"{r2(value)}"


def _signed(value: Decimal) -> str:
    text = f"{value:f}"
    return "0.00" if text in ("-0.00", "0.00") else text
