"""Chinese numerals for ordinals (一、二、… 三十五) and cover dates (二〇二五年九月), SPEC §1.5–1.6."""

from __future__ import annotations

DIGITS = "〇一二三四五六七八九"


def ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 35 → 三十五 (n from 1 to 99)."""
    if not 1 <= n <= 99:
        raise ValueError(f"ordinal out of range: {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return DIGITS[ones]
    head = "十" if tens == 1 else DIGITS[tens] + "十"
    return head + (DIGITS[ones] if ones else "")


def year_digits(year: int) -> str:
    """2025 → 二〇二五 (digit by digit)."""
    return "".join(DIGITS[int(d)] for d in str(year))


def month_name(month: int) -> str:
    """9 → 九, 10 → 十, 12 → 十二."""
    return ordinal(month)


def cover_date(year: int, month: int) -> str:
    return f"{year_digits(year)}年{month_name(month)}月"
