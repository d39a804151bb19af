"""Field types shared by the input model: amounts, subject codes, counts.

Each validator raises a ``PydanticCustomError`` whose type is a finding code of
``disclose.findings``, so schema errors come out in the same catalogue as
reader errors, in Chinese, with the field's location.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

from disclose.money import decimal_places


def _to_decimal(value: Any, *, max_places: int, allow_negative: bool) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise PydanticCustomError("not-a-number", "此处应填金额（数字），实际为“{value}”", {"value": value})
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, float):
        # Only readers of other formats can hand in floats; repr() is the shortest exact text.
        number = Decimal(repr(value))
    else:
        raise PydanticCustomError("not-a-number", "此处应填金额（数字），实际为“{value}”{note}", {"value": _show(value), "note": full_width_note(value)})
    if not number.is_finite():
        raise PydanticCustomError("amount-not-finite", "金额不能是 NaN 或无穷大：{value}", {"value": str(number)})
    if number < 0 and not allow_negative:
        raise PydanticCustomError("amount-negative", "金额不能为负数：{value}", {"value": str(number)})
    if decimal_places(number) > max_places:
        raise PydanticCustomError(
            "amount-precision",
            "金额最多保留 {places} 位小数，实际为 {value}",
            {"value": str(number), "places": max_places},
        )
    return number + 0  # normalise -0


def full_width_note(value: Any) -> str:
    """A hint for digits typed full-width (a Chinese input method's ２０２４), which read as text."""
    if isinstance(value, str) and any("０" <= c <= "９" for c in value):
        return "：其中有全角数字，请改用半角数字（关闭输入法的全角模式）"
    return ""


def _show(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _amount(value: Any) -> Decimal:
    return _to_decimal(value, max_places=2, allow_negative=False)


def _form_number(value: Any) -> Decimal:
    return _to_decimal(value, max_places=4, allow_negative=False)


def _signed_form_number(value: Any) -> Decimal:
    return _to_decimal(value, max_places=4, allow_negative=True)


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)) or value != int(value) or value < 0:
        raise PydanticCustomError("wrong-type", "此处应填非负整数（个数），实际为“{value}”", {"value": _show(value)})
    return int(value)


_decimal_json = WithJsonSchema({"type": "number", "minimum": 0, "multipleOf": 0.01})
_serialize = PlainSerializer(lambda d: format(d, "f"), return_type=str, when_used="json")

Amount = Annotated[Decimal, BeforeValidator(_amount), _decimal_json, _serialize]
"""An amount in the file's unit (元 or 万元): a number ≥ 0 with at most 2 decimals."""

FormNumber = Annotated[
    Decimal,
    BeforeValidator(_form_number),
    WithJsonSchema({"type": "number", "minimum": 0}),
    _serialize,
]
"""A number in a performance form (万元 as typed, weights, scores): ≥ 0, up to 4 decimals."""

SignedFormNumber = Annotated[
    Decimal, BeforeValidator(_signed_form_number), WithJsonSchema({"type": "number"}), _serialize
]

Count = Annotated[int, BeforeValidator(_count), WithJsonSchema({"type": "integer", "minimum": 0})]


def _text(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        raise PydanticCustomError("wrong-type", "此处应填文字，实际为“{value}”", {"value": value})
    if isinstance(value, (int, Decimal)):
        return str(value)
    if not isinstance(value, str):
        raise PydanticCustomError("wrong-type", "此处应填文字，实际为{value}", {"value": type(value).__name__})
    return value.strip()


Text = Annotated[str, BeforeValidator(_text), WithJsonSchema({"type": "string"})]


def _subject_code(value: Any) -> str:
    if isinstance(value, bool):
        raise PydanticCustomError("code-malformed", "科目编码“{code}”格式错误：{reason}", {"code": value, "reason": "应为数字"})
    text = str(value).strip() if isinstance(value, (int, str, Decimal)) else None
    if text == "合计":
        return text
    if not text or not text.isdigit() or not text.isascii():
        raise PydanticCustomError(
            "code-malformed", "科目编码“{code}”格式错误：{reason}", {"code": _show(value), "reason": "应为 3、5 或 7 位数字（或“合计”）"}
        )
    if len(text) not in (3, 5, 7):
        raise PydanticCustomError(
            "code-malformed",
            "科目编码“{code}”格式错误：{reason}",
            {"code": text, "reason": f"有 {len(text)} 位，类级 3 位、款级 5 位、项级 7 位"},
        )
    if not text.startswith("2"):
        raise PydanticCustomError(
            "code-malformed", "科目编码“{code}”格式错误：{reason}", {"code": text, "reason": "支出功能分类科目以 2 开头"}
        )
    return text


SubjectCode = Annotated[
    str,
    BeforeValidator(_subject_code),
    WithJsonSchema({"type": ["string", "integer"], "pattern": r"^(2\d{2}|2\d{4}|2\d{6}|合计)$", "description": "功能分类科目编码：类 3 位、款 5 位、项 7 位；合计行写“合计”"}),
]


def _economic_code(value: Any) -> str:
    text = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
    if not text.isdigit() or len(text) not in (3, 5) or not text.startswith("3"):
        raise PydanticCustomError(
            "code-malformed",
            "经济分类科目编码“{code}”格式错误：{reason}",
            {"code": _show(value), "reason": "应为 3 位（类）或 5 位（款）数字，以 3 开头"},
        )
    return text


EconomicCode = Annotated[str, BeforeValidator(_economic_code)]
