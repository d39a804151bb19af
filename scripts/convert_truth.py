#!/usr/bin/env python3
"""Convert the ground-truth transcriptions of three published 部门决算 into disclose input files.

    .venv/bin/python scripts/convert_truth.py [--truth tests/truth] [--out examples]

Reads ``000.yaml``, ``001.yaml`` and ``003.yaml`` (format: tests/truth/FORMAT.md) and writes

* ``examples/nanyang-hr-2024.yaml``   (000, henan NY)
* ``examples/jiaozuo-hr-2024.yaml``   (001, henan JZ)
* ``examples/nanyang-miit-2024.yaml`` (003, henan NY)

in the project's own input format (``disclose.model.dataset``), unit 万元. The examples are
self-contained and keep the published figures, including their inconsistencies: every printed
figure the input format can hold goes in (项 rows and the printed 类/款/合计 rows, the 总表
figures as ``stated``, 公开06表 class rows, 三公 小计/合计, the self-evaluation forms' stated rates and
scores). Figures lost in the extraction are reconstructed only where the SPEC identities determine
them exactly; each reconstruction is listed in the header comment of the example it concerns.

The text of 001 and 003 was extracted with half-width punctuation (SPEC §1.7: artefacts); it is
converted to ，：；（）“” except inside numbers (1,383.75), list markers (1.), %, ≤ ≥ and > <.

The published documents are henan documents; the facts only the liaoning layout needs are added
by ``liaoning_facts`` (a separate section below), derived from each document's own figures and
marked ``辽宁版式示例（虚构）`` in the file: they are illustrative, not published.

The module also holds the small YAML emitter used by ``scripts/make_sample.py``: amounts are
``Decimal`` all the way and are formatted here, never through a float.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from disclose import reference  # noqa: E402
from disclose.readers.yaml_reader import parse_yaml, read_yaml  # noqa: E402

CENT = Decimal("0.01")

# =========================================================================== YAML emitter


class Comment(str):
    """A dict key that is emitted as a ``# …`` comment line (its value is ignored)."""


class Flow(dict):
    """A mapping emitted inline: ``{code: "2080101", basic: 420.94}``."""


class FlowSeq(list):
    """A sequence emitted inline: ``[2.5, 2.09, 2.09]``."""


@dataclass(frozen=True)
class Amt:
    """An amount: always printed with exactly 2 decimals."""

    value: Decimal

    def __post_init__(self):
        if isinstance(self.value, int) and not isinstance(self.value, bool):
            object.__setattr__(self, "value", Decimal(self.value))
        if not isinstance(self.value, Decimal):
            raise TypeError(f"amounts must be Decimal, not {type(self.value).__name__}")
        if self.value != self.value.quantize(CENT):
            raise ValueError(f"amount with more than 2 decimals: {self.value}")

    def text(self) -> str:
        return f"{self.value.quantize(CENT):f}"


@dataclass(frozen=True)
class Num:
    """A performance-form number, printed as typed (2.5, 100.0, 0.35)."""

    value: Decimal

    def text(self) -> str:
        return format(self.value, "f")


@dataclass(frozen=True)
class Note:
    """A value with a trailing ``# comment``."""

    value: Any
    comment: str


def _no_float():
    raise TypeError("floats are not accepted: use Decimal")


_PLAIN_OK = re.compile(r"^[^\x00-\x7f]+[^\x00-\x1f]*$")
_ASCII_RISKY = set(":#{}[],'\"\\")
_WORD = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_RESERVED = {"null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "yes", "no", "on", "off", "y", "n"}


class Code(str):
    """A subject code: always quoted (\"2080101\", \"合计\")."""


def _plain(text: str, flow: bool) -> bool:
    if not text or text != text.strip() or "\n" in text:
        return False
    if _WORD.match(text) and text not in _RESERVED and not text.lower() in {"yes", "no", "on", "off"}:
        return True
    if not _PLAIN_OK.match(text):  # must start with a non-ASCII character (CJK, full-width, ≤ ≥ …)
        return False
    for ch in text:
        if ch in _ASCII_RISKY or (flow and ch in ",[]{}"):
            return False
    return True


def scalar(value: Any, flow: bool = False) -> str:
    if isinstance(value, Note):
        return scalar(value.value, flow)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (Amt, Num)):
        return value.text()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        _no_float()
    if isinstance(value, Decimal):
        raise TypeError(f"wrap Decimal {value} in Amt or Num")
    if isinstance(value, Flow):
        return "{" + ", ".join(f"{_key(k)}: {scalar(v, True)}" for k, v in value.items()) + "}"
    if isinstance(value, FlowSeq):
        return "[" + ", ".join(scalar(v, True) for v in value) + "]"
    if isinstance(value, str):
        return value if (_plain(value, flow) and not isinstance(value, Code)) else json.dumps(value, ensure_ascii=False)
    raise TypeError(f"cannot emit {type(value).__name__}: {value!r}")


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) else json.dumps(key, ensure_ascii=False)


def _inline(value: Any) -> bool:
    return not isinstance(value, (dict, list)) or isinstance(value, (Flow, FlowSeq))


def emit(obj: Any, indent: int = 0) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(obj, dict) and not isinstance(obj, Flow):
        for key, value in obj.items():
            if isinstance(key, Comment):
                lines.extend(f"{pad}# {part}".rstrip() if part else "" for part in str(key).split("\n"))
                continue
            trailing = f"  # {value.comment}" if isinstance(value, Note) else ""
            inner = value.value if isinstance(value, Note) else value
            if _inline(inner):
                lines.append(f"{pad}{_key(key)}: {scalar(inner)}{trailing}")
            elif not inner:
                lines.append(f"{pad}{_key(key)}: {'{}' if isinstance(inner, dict) else '[]'}{trailing}")
            else:
                lines.append(f"{pad}{_key(key)}:{trailing}")
                lines.extend(emit(inner, indent + 2))
        return lines
    if isinstance(obj, list) and not isinstance(obj, FlowSeq):
        for item in obj:
            if isinstance(item, Comment):
                lines.append(f"{pad}# {item}")
                continue
            trailing = f"  # {item.comment}" if isinstance(item, Note) else ""
            inner = item.value if isinstance(item, Note) else item
            if _inline(inner):
                lines.append(f"{pad}- {scalar(inner)}{trailing}")
            else:
                sub = emit(inner, indent + 2)
                lines.append(f"{pad}- {sub[0].lstrip()}{trailing}")
                lines.extend(sub[1:])
        return lines
    return [pad + scalar(obj)]


def plain(obj: Any) -> Any:
    """What a reader should get back from the emitted YAML (for the round-trip check)."""
    if isinstance(obj, Note):
        return plain(obj.value)
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items() if not isinstance(k, Comment)}
    if isinstance(obj, list):
        return [plain(v) for v in obj if not isinstance(v, Comment)]
    if isinstance(obj, Amt):
        return obj.value
    if isinstance(obj, Num):
        return obj.value
    return obj


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, (int, Decimal)) and isinstance(b, (int, Decimal)) and not isinstance(a, bool) and not isinstance(b, bool):
        return Decimal(a) == Decimal(b)
    return a == b


def write_yaml(path: Path, header: list[str], document: dict) -> None:
    """Emit ``document`` below the ``header`` comment lines, then read it back and compare."""
    text = "\n".join([f"# {line}".rstrip() for line in header] + [""] + emit(document)) + "\n"
    data, _ = parse_yaml(text.encode("utf-8"), str(path))
    if not _same(data, plain(document)):
        raise SystemExit(f"round trip of {path} differs from the data it was written from")
    path.write_text(text, encoding="utf-8")


# =========================================================================== helpers


def D(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, float):
        _no_float()
    return value if isinstance(value, Decimal) else Decimal(value)


def amt(value: Any) -> Amt | None:
    return None if value is None else Amt(D(value))


def num(value: Any) -> Num | None:
    return None if value is None else Num(D(value))


def compact(mapping: dict) -> dict:
    """Drop ``None`` values (keys left out take the model's default)."""
    return type(mapping)((k, v) for k, v in mapping.items() if v is not None)


_QUOTE_OPEN = "“"
_QUOTE_CLOSE = "”"


def fullwidth(text: str | None) -> str | None:
    """Undo the half-width punctuation of the 001/003 extraction (SPEC §1.7)."""
    if text is None:
        return None
    out: list[str] = []
    quote_open = True
    n = len(text)
    odd_last = text.rfind('"') if text.count('"') % 2 else -1
    for i, ch in enumerate(text):
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < n else ""
        if ch == ",":
            thousands = prev.isdigit() and re.match(r"\d{3}(?!\d)", text[i + 1 :] or "") is not None
            out.append("," if thousands else "，")
        elif ch == ":":
            out.append(":" if prev.isdigit() and nxt.isdigit() else "：")
        elif ch == ";":
            out.append("；")
        elif ch == "(":
            out.append("（")
        elif ch == ")":
            out.append("）")
        elif ch == '"':
            if i == odd_last:
                # An unpaired quote (001 附件4: …各分担50%"要求…): closing after a figure or at the end.
                out.append(_QUOTE_CLOSE if (prev in "%0123456789" or not nxt) else _QUOTE_OPEN)
                continue
            out.append(_QUOTE_OPEN if quote_open else _QUOTE_CLOSE)
            quote_open = not quote_open
        else:
            out.append(ch)
    return "".join(out)


def ident(text: str | None) -> str | None:
    return text


def split_outside_parens(text: str, sep: str = "、") -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [p.strip() for p in parts if p.strip()]


# =========================================================================== tables


SUBJECT_COLUMNS = {
    "t02": ("income", ["total", "fiscal", "superior", "business", "operating", "affiliated", "other"]),
    "t03": ("expenditure", ["total", "basic", "project", "remit", "operating", "affiliated"]),
    "t05": ("general_budget", ["total", "basic", "project"]),
    "t07": ("government_fund", ["opening", "income", "total", "basic", "project", "closing"]),
    "t08": ("state_capital", ["total", "basic", "project"]),
}
INPUTS = {
    "t02": ["fiscal", "superior", "business", "operating", "affiliated", "other"],
    "t03": ["basic", "project", "remit", "operating", "affiliated"],
    "t05": ["basic", "project"],
    "t07": ["opening", "income", "basic", "project"],
    "t08": ["basic", "project"],
}


def subject_rows(table_key: str, table: dict, text, *, extra_rows: list[dict] | None = None) -> list:
    """Rows of one subject table: 合计 first, then the printed rows in printed order.

    项 rows carry their non-zero input columns (and their row total only where it is not
    the sum of the printed columns); 类/款/合计 rows carry every printed figure that is not
    zero or whose children are not all zero (a zero over zero children derives as zero).
    """
    _, columns = SUBJECT_COLUMNS[table_key]
    inputs = INPUTS[table_key]
    printed = [dict(r) for r in (table.get("rows") or [])] + (extra_rows or [])
    by_code = {r["code"]: dict(zip(columns, r["values"])) for r in printed}
    leaves = {c: v for c, v in by_code.items() if len(c) == 7}

    def descendant_sum(code: str, column: str) -> Decimal:
        prefix = "" if code == "合计" else code
        return sum((D(v[column]) or Decimal(0) for c, v in leaves.items() if c.startswith(prefix)), Decimal(0))

    def row(code: str, values: dict, name: str | None) -> Flow:
        out = Flow(code=Code(code))
        ref = reference.subject(code) if code != "合计" else None
        shown = text(name) if name else None
        if code != "合计" and shown and (ref is None or ref.name != shown):
            out["name"] = shown
        if len(code) == 7:
            for column in inputs:
                v = D(values.get(column))
                if v:
                    out[column] = Amt(v)
            total = D(values.get("total"))
            parts = sum((D(values.get(c)) or Decimal(0) for c in inputs if c not in ("opening", "income")), Decimal(0))
            if total is not None and total != parts:
                out["total"] = Amt(total)
            if table_key == "t07":
                closing = D(values.get("closing"))
                expected = (D(values.get("opening")) or 0) + (D(values.get("income")) or 0) - (total if total is not None else parts)
                if closing is not None and closing != expected:
                    out["closing"] = Amt(closing)
        else:
            for column in columns:
                v = D(values.get(column))
                if v is None:
                    continue
                if column == "total" or v != 0 or descendant_sum(code, column) != 0:
                    out[column] = Amt(v)
        return out

    rows: list = []
    total = table.get("total")
    if total and any(v is not None for v in total):
        rows.append(row("合计", dict(zip(columns, total)), None))
    for r in printed:
        out = row(r["code"], by_code[r["code"]], r.get("name"))
        if len(r["code"]) == 7 and list(out) == ["code"]:
            out = Note(out, "各栏均印 0.00")
        rows.append(out)
    return rows


# 公开01表 / 公开04表 row names (printed, after the transcription dropped the ordinals)
T01_INCOME = {
    "一般公共预算财政拨款收入": "general_budget",
    "政府性基金预算财政拨款收入": "government_fund",
    "国有资本经营预算财政拨款收入": "state_capital",
    "上级补助收入": "superior",
    "事业收入": "business",
    "经营收入": "operating",
    "附属单位上缴收入": "affiliated",
    "其他收入": "other",
    "本年收入合计": "income_total",
    "使用非财政拨款结余和专用结余": "non_fiscal_balance_used",
    "使用非财政拨款结余(含专用结余)": "non_fiscal_balance_used",
    "年初结转和结余": "opening_balance",
    "总计": "total",
}
T01_EXPENDITURE = {"本年支出合计": "expenditure_total", "结余分配": "surplus_distribution", "年末结转与结余": "closing_balance", "年末结转和结余": "closing_balance", "总计": "total"}
CLASS_BY_NAME = {c.name: c.code for c in reference.expenditure_classes()}


def summary_block(t01: dict) -> dict:
    income = {T01_INCOME[r["name"]]: D(r["amount"]) for r in t01["income"]}
    expenditure: dict[str, Decimal] = {}
    for r in t01["expenditure"]:
        key = T01_EXPENDITURE.get(r["name"]) or CLASS_BY_NAME[r["name"]]
        expenditure[key] = D(r["amount"])
    out: dict = {Comment("公开01表中不能由其他表推出的四个数"): None}
    for key in ("non_fiscal_balance_used", "opening_balance"):
        out[key] = Amt(income.get(key) or Decimal(0))
    for key in ("surplus_distribution", "closing_balance"):
        out[key] = Amt(expenditure.get(key) or Decimal(0))
    stated_income = Flow()
    for key in ("general_budget", "government_fund", "state_capital", "superior", "business", "operating", "affiliated", "other", "income_total", "total"):
        if income.get(key) is not None:
            stated_income[key] = Amt(income[key])
    stated_exp = Flow()
    for key, value in expenditure.items():
        if re.fullmatch(r"\d{3}", key) and value:
            stated_exp[key] = Amt(value)
    for key in ("expenditure_total", "total"):
        stated_exp[key] = Amt(expenditure[key])
    out[Comment("公开01表所印之数（核对用）：收入方各行；支出方非零的类级行（其余 22 个类级行均印 0.00）与合计、总计")] = None
    out["stated"] = {"income": dict(stated_income), "expenditure": dict(stated_exp)}
    return out


T04_FUND_ROWS = ["一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"]
FUND_KEYS = ["general_budget", "government_fund", "state_capital"]


def fiscal_summary_block(t04: dict) -> dict:
    inc = t04["income"]
    lines = {r["line"]: D(r["amount"]) for r in inc}
    out: dict = {}
    out["income"] = Flow((k, Amt(lines[i + 1])) for i, k in enumerate(FUND_KEYS) if lines.get(i + 1) is not None)
    if all(lines.get(29 + i) is not None for i in range(3)):
        out["opening_balance"] = Flow((k, Amt(lines[29 + i])) for i, k in enumerate(FUND_KEYS))
    else:
        out[Comment("年初财政拨款结转和结余（第 29–31 行）原件印为空白，不填（按 0 处理）")] = None
    exp = {}
    for r in t04["expenditure"]:
        name = r["name"]
        key = {"本年支出合计": "expenditure_total", "年末财政拨款结转和结余": "closing_balance", "总计": "total"}.get(name) or CLASS_BY_NAME[name]
        exp[key] = [D(v) for v in r["values"]]
    out["closing_balance"] = Flow((k, Amt(exp["closing_balance"][i + 1])) for i, k in enumerate(FUND_KEYS))
    stated_income = Flow()
    for line, key in ((27, "income_total"), (28, "opening_total"), (32, "total")):
        if lines.get(line) is not None:
            stated_income[key] = Amt(lines[line])
    stated_exp: dict = {}
    for key, values in exp.items():
        if re.fullmatch(r"\d{3}", key) and not any(values):
            continue
        stated_exp[key] = FlowSeq(Amt(v) for v in values)
    out[Comment("公开04表所印之数（核对用）：支出方每行四个数（合计、一般公共预算、政府性基金、国有资本经营）；全为 0.00 的类级行从略")] = None
    out["stated"] = {"income": stated_income, "expenditure": stated_exp}
    return out


def basic_expenditure_block(t06: dict, text, overrides: dict[str, tuple[Decimal, str]] | None = None) -> dict:
    items: dict = {}
    for r in t06["items"]:
        code = r.get("code")
        if code is None:
            continue
        value = D(r.get("amount"))
        if value is None:
            continue
        if len(code) == 5 and value == 0:
            continue
        name = reference.economic_canonical_name(code) or ""
        items[code] = Note(Amt(value), name)
    for code, (value, why) in (overrides or {}).items():
        items[code] = Note(Amt(value), f"{reference.economic_canonical_name(code)}（{why}）")
    items = dict(sorted(items.items(), key=lambda kv: (kv[0][:3], len(kv[0]) != 3, kv[0])))
    out: dict = {Comment("经济分类类级行与非零款级行（为 0.00 的款级行从略）"): None, "items": items}
    if t06.get("personnel_total") is not None:
        out["personnel_total"] = Amt(D(t06["personnel_total"]))
    if t06.get("public_total") is not None:
        out["public_total"] = Amt(D(t06["public_total"]))
    return out


def three_public_amounts(values: list) -> Flow:
    total, abroad, vehicle, purchase, operation, reception = [D(v) for v in values]
    return Flow(
        abroad=Amt(abroad), vehicle_purchase=Amt(purchase), vehicle_operation=Amt(operation), reception=Amt(reception),
        vehicle=Amt(vehicle), total=Amt(total),
    )


# =========================================================================== performance forms


class Fixes:
    """Reconstructions of lost cells, each with its reason (listed in the example's header)."""

    def __init__(self):
        self.lines: list[str] = []

    def add(self, where: str, what: str, why: str) -> None:
        self.lines.append(f"{where}：{what}（{why}）")


FUND_ROWS = ("total", "fiscal", "special_account", "unit_funds")


def funds_block(funds: dict, label: str, fixes: Fixes, narrative_executed: Decimal | None = None) -> dict:
    rows = {k: (list(funds[k]) if funds.get(k) else [None] * 6) for k in FUND_ROWS}
    total_printed = funds.get("total") is not None and any(v is not None for v in funds["total"][:3])
    rate = D(rows["total"][4]) if rows["total"][4] is not None else None

    # 执行率 100% printed: 全年执行数 = 全年预算数 (SPEC §7.2.2 执行率 = 执行/全年预算); other rates
    # determine the missing 全年预算数 when exactly one 2-decimal value reproduces the printed rate.
    for key in ("total",):
        full, executed = D(rows[key][1]), D(rows[key][2])
        if full is None and executed is not None and rate is not None:
            candidates = []
            if rate == 100:
                candidates = [executed]
            elif rate > 0:
                guess = (executed * 100 / rate).quantize(CENT)
                for delta in range(-10, 11):
                    x = guess + CENT * delta
                    if x > 0 and (executed * 100 / x).quantize(CENT, rounding="ROUND_HALF_UP") == rate:
                        candidates.append(x)
            if len(candidates) == 1:
                rows[key][1] = candidates[0]
                fixes.add(label, f"年度资金总额 全年预算数 {candidates[0]}", f"原件此格无法辨认；由所印执行率 {rate}% 与全年执行数 {executed} 唯一确定")
        if executed is None and full is not None and rate == 100:
            rows[key][2] = full
            fixes.add(label, f"年度资金总额 全年执行数 {full}", f"原件此格无法辨认；所印执行率 100% 且情况说明十三（二）所列金额为 {narrative_executed}" if narrative_executed is not None else "原件此格无法辨认；所印执行率 100%")
    # 年度资金总额 = 财政拨款 + 财政专户管理资金 + 单位资金 (P03), amounts ≥ 0.
    if total_printed or any(rows["total"][c] is not None for c in range(3)):
        for c in range(3):
            t = D(rows["total"][c])
            parts = [D(rows[k][c]) for k in FUND_ROWS[1:]]
            unknown = [i for i, p in enumerate(parts) if p is None]
            if t is None or not unknown:
                continue
            rest = t - sum((p for p in parts if p is not None), Decimal(0))
            col = ("年初预算数", "全年预算数", "全年执行数")[c]
            names = ("财政拨款", "财政专户管理资金", "单位资金")
            if len(unknown) == 1:
                rows[FUND_ROWS[1 + unknown[0]]][c] = rest
                fixes.add(label, f"{names[unknown[0]]} {col} {rest}", "原件此格无法辨认；年度资金总额 = 三行之和")
            elif rest == 0:
                for i in unknown:
                    rows[FUND_ROWS[1 + i]][c] = Decimal(0)
                fixes.add(label, f"{'、'.join(names[i] for i in unknown)} {col} 0", "原件此格无法辨认；年度资金总额与其余各行相等，各行金额不为负")
    out: dict = {}
    for key in ("fiscal", "special_account", "unit_funds"):
        out[key] = FlowSeq(num(v) for v in rows[key][:3])
    if any(v is not None for v in rows["total"][:3]):
        out["total"] = FlowSeq(num(v) for v in rows["total"][:3])
    weight = rows["total"][3]
    if weight is not None and D(weight) != 10:
        out["weight"] = num(weight)
    if rows["total"][4] is not None:
        out["rate"] = num(rows["total"][4])
    if rows["total"][5] is not None:
        out["score"] = num(rows["total"][5])
    return out


def form_block(form: dict, text, label: str, fixes: Fixes, *, period: str | None, unit: str | None,
               form_fixes: dict | None = None, narrative_executed: Decimal | None = None) -> dict:
    form_fixes = form_fixes or {}
    out: dict = {"project": text(form["project"])}
    if period:
        out["period"] = period
    if form.get("department"):
        out["department"] = text(form["department"])
    if form.get("implementer"):
        out["implementer"] = text(form["implementer"])
    if unit:
        out["unit"] = unit
    out["funds"] = funds_block(form["funds"], label, fixes, narrative_executed)
    management = []
    for i, m in enumerate(form.get("management") or []):
        weight, score = m.get("weight"), m.get("score")
        if weight is None:
            weight = Decimal(5)
            fixes.add(label, f"资金管理“{m['item']}”分值 5", "原件此格无法辨认；资金管理四项各 5 分、共 20 分（SPEC §7.2.1）")
        if score is None:
            score, why = form_fixes[("management", i)]
            fixes.add(label, f"资金管理“{m['item']}”得分 {score}", why)
        management.append(Flow(compact(dict(item=m["item"], note=text(m.get("note")), weight=num(weight) if D(weight) != 5 else None, score=num(score), issue=text(m.get("issue"))))))
    out["management"] = management
    if form.get("goal_expected"):
        out["goal_expected"] = text(form["goal_expected"])
    if form.get("goal_actual"):
        out["goal_actual"] = text(form["goal_actual"])
    indicators = []
    for i, ind in enumerate(form.get("indicators") or []):
        level2 = ind.get("level2")
        if level2 is None:
            level2 = "（不详）"
            fixes.add(label, f"第 {i + 1} 个指标的二级指标记为“（不详）”", "原件此格无法辨认，而输入格式要求填写二级指标")
        weight, score = ind.get("weight"), ind.get("score")
        if weight is None:
            weight, why = form_fixes[("indicator_weight", i)]
            fixes.add(label, f"第 {i + 1} 个指标“{text(ind.get('name')) or ''}”分值 {weight}", why)
        if score is None and ("indicator_score", i) in form_fixes:
            score, why = form_fixes[("indicator_score", i)]
            fixes.add(label, f"第 {i + 1} 个指标“{text(ind.get('name')) or ''}”得分 {score}", why)
        target = ind.get("target")
        if target is not None and str(target).startswith("€"):
            fixes.add(label, f"指标“{text(ind.get('name'))}”年度指标值 “{target}” 读作 “≤{str(target)[1:]}”", "抽取把 ≤ 识别为 €")
            target = "≤" + str(target)[1:]
        remark = ind.get("remark")
        if remark is not None and re.fullmatch(r"[0\s]+", str(remark)):
            remark = None  # stray "0" / "0 0" of the extraction in the 偏差原因 column (001 附件1)
        indicators.append(Flow(compact(dict(
            level1=ind["level1"], level2=text(level2), name=text(ind.get("name")), target=text(str(target)) if target is not None else None,
            actual=text(str(ind["actual"])) if ind.get("actual") is not None else None,
            weight=num(weight), score=num(score), deviation=num(ind.get("deviation")), remark=text(remark),
        ))))
    out["indicators"] = indicators
    if form.get("total_score") is not None:
        out["total_score"] = num(form["total_score"])
    return out


# =========================================================================== narrative


def section(truth: dict, heading_prefix: str) -> str:
    for s in truth["explanations"]["sections"]:
        if s["heading"].startswith(heading_prefix):
            return s["text"]
    raise KeyError(heading_prefix)


def split_performance(text: str, convert) -> dict[str, list[str]]:
    """十三 → {"management": [...], "results": [...], "evaluation": [...]} (headings dropped)."""
    parts: dict[str, list[str]] = {"management": [], "results": [], "evaluation": []}
    current = None
    for line in text.split("\n"):
        line = convert(line).strip()
        if not line:
            continue
        if re.match(r"^（一）绩效管理工作开展情况", line):
            current = "management"
            continue
        if re.match(r"^（二）项目绩效自评结果", line):
            current = "results"
            continue
        if re.match(r"^（三）部门(绩效)?评价结果", line):
            current = "evaluation"
            continue
        parts[current].append(line)
    return parts


def overview_block(truth: dict, text, style: str, *, verbatim_structure: bool = False) -> dict:
    ov = truth["overview"]
    structure = [text(p) for p in ov["structure"].split("\n")]
    m = re.match(r"^(.*)内设机构(\d+)个，包括：(.*)$", structure[0])
    assert m, structure[0]
    listed, _, note = m.group(3).partition("。另设有")
    departments = split_outside_parens(listed.rstrip("。"))
    assert len(departments) == int(m.group(2)), (departments, m.group(2))
    composition = None
    for p in structure[1:]:
        c = re.search(r"部门决算包括：(.*?)。", p) or re.search(r"决算为(本级决算)。", p)
        if c:
            composition = c.group(1)
    out: dict = {"duties_heading": ov.get("duties_heading") or "部门职责", "duties_style": style}
    duties = [text(d) for d in ov["duties"]]
    if style == "段落":
        duties = [d for d in re.split(r"；", duties[0])]
    out["duties"] = duties
    out["internal_departments"] = departments
    if note:
        out["internal_departments_note"] = "另设有" + note
    out["composition"] = composition
    out["units"] = [text(u) for u in ov["units"]]
    if verbatim_structure:
        out["structure_text"] = structure + [f"{i}. {text(u)}。" for i, u in enumerate(ov["units"], 1)]
    return out


def changes_block(facts: dict, text) -> dict:
    prior, reasons = facts["prior_year"], facts["reasons"]
    out = {}
    for key, prior_key, reason_key in (
        ("total", "total", "total_change"),
        ("fiscal_total", "fiscal_total", "fiscal_total_change"),
        ("general_budget", "general_budget_expenditure", "general_budget_change"),
        ("operating_cost", "operating_cost", "operating_cost_change"),
    ):
        out[key] = Flow(prior_year=Amt(D(prior[prior_key])), reason=text(reasons[reason_key]))
    return out


def budget_items_block(facts: dict, text) -> list:
    items = []
    for it in facts["item_budgets"]:
        name = reference.subject(it["code"]).name
        items.append(Note(Flow(compact(dict(code=Code(it["code"]), initial_budget=Amt(D(it["initial_budget"])), reason=text(it.get("reason"))))), name))
    return items


def strip_prefix(text: str | None, prefix: str) -> str | None:
    if text is None:
        return None
    return text[len(prefix):] if text.startswith(prefix) else text


def report_paragraphs(lines: list[str], convert) -> list[str]:
    return [convert(line).strip() for line in lines if line.strip()]


def performance_counts(text: str) -> dict:
    """The numbers 十三（一）（NY template）states: targets, monitoring, department evaluation."""
    out = {}
    m = re.search(r"共有(\d+)个项目，涉及金额([\d.,]+)万元", text)
    out["target_projects"], out["target_amount"] = int(m.group(1)), D(m.group(2).replace(",", ""))
    m = re.search(r"(\d{4})年(\d+)月份组织.*?涉及(\d+)个项目，1-7月份预算执行数([\d.,]+)万元，执行率([\d.]+)%", text)
    out["monitoring"] = Flow(year=int(m.group(1)), month=int(m.group(2)), projects=int(m.group(3)), executed=num(D(m.group(4).replace(",", ""))), rate=num(D(m.group(5))))
    m = re.search(r"本部门选取(\d+)个项目，涉及金额([\d.,]+)万元.*?共发现问题(\d+)条，针对性提出建议(\d+)条", text)
    out["department_evaluation"] = (int(m.group(1)), D(m.group(2).replace(",", "")), int(m.group(3)), int(m.group(4)))
    regs = re.findall(r"《([^》]+)》", text.split("\n")[1] if text.startswith("（一）") else text)
    out["regulations"] = [r for r in regs if r.startswith("南阳")]
    return out


# =========================================================================== the three documents


HEADER_COMMON = [
    "金额单位：万元。数字照公开文本填列，公开文本自身的不一致（见 disclose validate 的审核结果）一律保留，不作更正。",
    "项级行只填非零栏；类、款、合计行（code: \"合计\"）为公开表所印之数，供核对。",
    "本文件由 scripts/convert_truth.py 生成，请勿手工修改；改动请改脚本后重新生成。",
]


def header(title: str, source: str, notes: list[str], fixes: Fixes) -> list[str]:
    lines = [title, f"来源：已公开的部门决算文本（{source}）的逐字转录。", ""] + HEADER_COMMON + [""]
    if notes:
        lines.append("说明：")
        lines += [f"  - {n}" for n in notes]
        lines.append("")
    if fixes.lines:
        lines.append("重建的数（原件在文本抽取中丢失，仅在 SPEC 的恒等式能唯一确定时补回）：")
        lines += [f"  - {f}" for f in fixes.lines]
    return lines


def profile_block(truth: dict, variant: str, cover_name: str | None = None) -> dict:
    out = {"department": truth["department"]}
    if cover_name:
        out["cover_name"] = cover_name
    out.update(year=truth["year"], layout="henan", variant=variant, publish_month=f"{truth['year'] + 1}-09", unit="万元")
    return out


def tables(truth: dict, text, doc: dict, t05_extra: list[dict] | None = None) -> None:
    t = truth["tables"]
    doc[Comment("\n---------------------------------------------------------------- 收入决算表（公开02表）")] = None
    doc["income"] = subject_rows("t02", t["t02"], text)
    doc[Comment("\n---------------------------------------------------------------- 支出决算表（公开03表）")] = None
    doc["expenditure"] = subject_rows("t03", t["t03"], text)
    doc[Comment("\n---------------------------------------------------------------- 一般公共预算财政拨款支出决算表（公开05表）")] = None
    if t05_extra is not None:
        doc["general_budget"] = subject_rows("t05", t["t05"], text, extra_rows=t05_extra)
    else:
        doc["general_budget"] = subject_rows("t05", t["t05"], text)
    if t["t07"].get("rows"):
        doc[Comment("\n---------------------------------------------------------------- 政府性基金预算财政拨款收入支出决算表（公开07表）")] = None
        doc["government_fund"] = subject_rows("t07", t["t07"], text)
    if t["t08"].get("rows"):
        doc[Comment("\n---------------------------------------------------------------- 国有资本经营预算财政拨款支出决算表（公开08表）")] = None
        doc["state_capital"] = subject_rows("t08", t["t08"], text)


def convert_000(truth: dict) -> tuple[list[str], dict]:
    text = ident
    fixes = Fixes()
    notes = [
        "公开07表（政府性基金）有数；公开08表（国有资本经营）无数据，从略。",
        "公开06表仅存最后一页（12 个款级行及人员经费合计、公用经费合计），其余各行随页面丢失、无法由其他表推出，"
        "故此处只填所存的非零款级行与两个合计；因此标明 partial: true（两个合计按原件所印，不与残存科目核对）。",
        "情况说明六“主要包括”的人员经费、公用经费科目名单无法由残存的公开06表得出（输入格式没有填写这两个名单的位置）。",
        "十三（二）各项目的自评得分、等级、预算与执行率照公开文本作为文字保留（其中第 11、19 项与附件自评表不符，应由审核发现）；"
        "十三（三）部门评价报告原文同样作为文字保留。",
    ]
    t = truth["tables"]
    # 公开05表: the first page is lost. Rows 201…2101101 and the 合计 row are rebuilt from 公开03表:
    # every class but 229 is financed by 一般公共预算 only (公开04表), there is no non-fiscal income
    # and no carry-over, so each printed t05 figure equals the t03 figure of the same 元 amount.
    t03 = {r["code"]: r["values"] for r in t["t03"]["rows"]}
    surviving = {r["code"] for r in t["t05"]["rows"]}
    rebuilt = []
    for r in t["t03"]["rows"]:
        code = r["code"]
        if code in surviving or code.startswith("229"):
            continue
        total, basic, project = t03[code][:3]
        rebuilt.append({"code": code, "name": r["name"], "values": [total, basic, project]})
    t05 = dict(t["t05"])
    t05["rows"] = []
    t05["total"] = [Decimal("1160.97"), Decimal("505.77"), Decimal("655.20")]
    order = {r["code"]: i for i, r in enumerate(t["t03"]["rows"])}
    rows_t05 = sorted(rebuilt + [dict(r) for r in t["t05"]["rows"]], key=lambda r: order[r["code"]])
    fixes.add("公开05表", f"“合计”行及 {', '.join(r['code'] for r in rebuilt)} 各行",
              "首页丢失；这些科目只有一般公共预算一个资金来源（公开04表），且无非财政收入和年初结转，故取公开03表同一科目所印之数；"
              "合计行 小计 1160.97 = 公开04表一般公共预算本年支出合计（X05），基本支出 505.77 = 情况说明六（SPEC §4.3 N08），项目支出 655.20 = 1160.97 − 505.77")
    fixes.add("公开09表（“三公”经费）", "预算数、决算数各栏均为 0.00", "全表丢失；情况说明九逐项写明预算、决算均为 0（SPEC §4.3 N11：九 = 公开09表）")

    doc: dict = {"format": 1}
    doc[Comment("---------------------------------------------------------------- 基本信息")] = None
    doc["profile"] = profile_block(truth, "NY")
    doc[Comment("\n---------------------------------------------------------------- 部门概况")] = None
    doc["overview"] = overview_block(truth, text, "1)")
    tables(truth, text, doc, t05_extra=None)
    t05["rows"] = rows_t05
    doc["general_budget"] = subject_rows("t05", t05, text)
    doc[Comment("\n---------------------------------------------------------------- 基本支出明细表（公开06表，仅存末页）")] = None
    doc["basic_expenditure"] = basic_expenditure_block(t["t06"], text)
    common_tail(truth, text, doc, fixes, notes)

    facts = truth["explanations"]["facts"]
    perf_text = section(truth, "十三")
    counts = performance_counts(perf_text)
    parts = split_performance(perf_text, text)
    n, amount, issues, advices = counts["department_evaluation"]
    evaluated = facts["performance"]["dept_evaluation"]["project"]
    forms = []
    for i, f in enumerate(truth["appendix"]["self_evaluations"]):
        forms.append(form_block(f, text, f"附件自评表 {i + 1}“{f['project']}”", fixes, period=f.get("date"), unit=None))
    doc[Comment("\n---------------------------------------------------------------- 预算绩效（情况说明十三、附件自评表）")] = None
    doc["performance"] = {
        "regulations": counts["regulations"],
        "target_projects": counts["target_projects"],
        "target_amount": num(counts["target_amount"]),
        "monitoring": counts["monitoring"],
        "department_evaluation": Flow(projects=n, names=FlowSeq([evaluated]), amount=num(amount), issues=issues, advices=advices),
        Comment("十三（二）（三）照公开文本逐段填列"): None,
        "text": {"results": parts["results"], "evaluation": parts["evaluation"]},
        Comment("附件：项目支出绩效自评情况表（20 张）"): None,
        "self_evaluations": forms,
    }
    doc[Comment("\n---------------------------------------------------------------- 审核提示的书面说明")] = None
    doc["basic_expenditure"]["partial"] = True
    title = "南阳高新技术产业开发区组织人力资源社会保障局 2024年度部门决算（公开文本的数据）"
    return header(title, truth["source"], notes, fixes), doc


def common_tail(truth: dict, text, doc: dict, fixes: Fixes, notes: list[str]) -> None:
    """总表补充数, 三公, 与上年相比, 年初预算, 机关运行经费, 采购, 资产."""
    t = truth["tables"]
    facts = truth["explanations"]["facts"]
    doc[Comment("\n---------------------------------------------------------------- 收入支出决算总表（公开01表）补充数")] = None
    doc["summary"] = summary_block(t["t01"])
    doc[Comment("\n---------------------------------------------------------------- 财政拨款收入支出决算总表（公开04表）补充数")] = None
    doc["fiscal_summary"] = fiscal_summary_block(t["t04"])

    tp = facts["three_public"]
    doc[Comment("\n---------------------------------------------------------------- 财政拨款“三公”经费（公开09表、情况说明九）")] = None
    if t["t09"].get("budget") is not None:
        budget, final = three_public_amounts(t["t09"]["budget"]), three_public_amounts(t["t09"]["final"])
    else:
        zero = [0] * 6
        budget, final = three_public_amounts(zero), three_public_amounts(zero)
    block: dict = {"budget": budget, "final": final}
    block.update(
        abroad_groups=tp["abroad_groups"], abroad_people=tp["abroad_people"], vehicles_purchased=tp["vehicles_purchased"], vehicle_fleet=tp["vehicle_fleet"],
        foreign_reception=Flow(amount=Amt(D(tp.get("final", {}).get("foreign_reception", tp.get("foreign_reception", 0)))), groups=tp["foreign_reception_groups"], people=tp["foreign_reception_people"]),
        domestic_reception=Flow(amount=Amt(D(tp.get("final", {}).get("domestic_reception", tp.get("domestic_reception", 0)))), groups=tp["domestic_reception_groups"], people=tp["domestic_reception_people"]),
    )
    reasons = facts["reasons"]
    r = {}
    if reasons.get("three_public_vs_budget") and reasons["three_public_vs_budget"] != "决算数与预算数持平":
        r["overall"] = text(reasons["three_public_vs_budget"])
    if reasons.get("three_public_vehicle_vs_budget"):
        r["vehicle"] = text(reasons["three_public_vehicle_vs_budget"])
    if reasons.get("three_public_reception_vs_budget"):
        r["reception"] = text(reasons["three_public_reception_vs_budget"])
    if r:
        block["reasons"] = r
    doc["three_public"] = block

    doc[Comment("\n---------------------------------------------------------------- 与上年相比（上年数由所印增减额推出）")] = None
    doc["changes"] = changes_block(facts, text)

    doc[Comment("\n---------------------------------------------------------------- 年初预算（情况说明五（三）、七、八）")] = None
    budgets: dict = {"general_budget_items": budget_items_block(facts, text)}
    budgets["general_budget_total"] = Amt(D(facts["general_budget_initial_total"]))
    gf = facts.get("government_fund")
    if gf:
        budgets["government_fund"] = Flow(compact(dict(initial_budget=Amt(D(gf["initial_budget"])), usage=text(strip_prefix(gf.get("usage"), "主要用于")))))
    sc = facts.get("state_capital") or facts.get("state_capital_fund")
    if sc:
        carry = text(sc.get("carryover_note"))
        if carry:
            carry = re.sub(r"^其中.*?主要原因：", "", carry).rstrip("。")
        budgets["state_capital"] = Flow(compact(dict(initial_budget=Amt(D(sc["initial_budget"])), usage=text(sc.get("usage")), carry_over_note=carry)))
    doc["budgets"] = budgets

    doc[Comment("\n---------------------------------------------------------------- 机关运行经费、政府采购、国有资产（情况说明十至十二）")] = None
    doc["operating_cost"] = Flow(amount=Amt(D(facts["operating_cost"])))
    p = facts["procurement"]
    doc["procurement"] = Flow(goods=Amt(D(p["goods"])), works=Amt(D(p["works"])), services=Amt(D(p["services"])), total=Amt(D(p["total"])), sme=Amt(D(p["sme"])), small_micro=Amt(D(p["small_micro"])))
    a = facts["assets"]
    by = a["by_type"]
    get = lambda *names: next((by[n] for n in names if n in by), 0)  # noqa: E731
    vehicles = Flow(
        leaders=get("省级领导干部用车"), principal_leaders=get("主要领导干部用车"), confidential=get("机要通信用车"), emergency=get("应急保障用车", "应急保障车"),
        law_enforcement=get("执法执勤用车"), special_technical=get("特种专业技术用车"), retired_cadres=get("离退休干部服务用车", "离退休干部用车"), other=get("其他用车"),
    )
    vehicles = Flow((k, v) for k, v in vehicles.items() if v)
    vehicles["total"] = a["vehicles"]
    assets: dict = {"vehicles": vehicles}
    if a.get("other_vehicles_use"):
        assets["other_vehicles_note"] = text(a["other_vehicles_use"])
    assets["equipment_over_1m"] = a["equipment_over_1m"]
    doc["assets"] = assets


def convert_001(truth: dict) -> tuple[list[str], dict]:
    text = fullwidth
    fixes = Fixes()
    notes = [
        "标点：公开文本抽取时全角标点被转成半角（SPEC §1.7），文字中的 , : ; ( ) \" 已还原为 ，：；（）“”。",
        "公开07表（政府性基金）无数据，从略；公开08表（国有资本经营）有数。",
        "公开03表 2080702 行“本年支出合计”一格在抽取中丢失，不填（由基本支出 + 项目支出推出 179.95，与公开02、05表一致）。",
        "公开04表第 28–31 行（年初财政拨款结转和结余）原件印为空白，按 0 处理，不填。",
        "十三各部分为部门自行撰写（焦作版式），照公开文本逐段填列；其中涉及的部门整体自评、分资金来源项目数与金额没有对应的结构化字段。",
        "附件1（部门整体自评表）中“政府预算资金”一行的分值 2、得分 2 无法填入（输入格式只有年度资金总额一行的分值、得分）；任务“主要内容”各格在抽取中残缺，照转录保留。",
    ]
    t = truth["tables"]
    doc: dict = {"format": 1}
    doc[Comment("---------------------------------------------------------------- 基本信息")] = None
    cover = truth["cover_title"]
    cover_name = re.sub(r"^\d{4}\s*年度", "", cover).removesuffix("部门决算")
    doc["profile"] = profile_block(truth, "JZ", cover_name)
    doc[Comment("\n---------------------------------------------------------------- 部门概况")] = None
    doc["overview"] = overview_block(truth, text, "段落")
    tables(truth, text, doc)
    doc[Comment("\n---------------------------------------------------------------- 基本支出明细表（公开06表）")] = None
    t06 = dict(t["t06"])
    items = []
    for r in t06["items"]:
        r = dict(r)
        if r.get("code") is None and r.get("name") == "商品和服务支出":
            r["code"] = "302"
        elif r.get("code") is None and r.get("name") is None:
            r["code"] = "310"
        items.append(r)
    t06["items"] = items
    t06["personnel_total"], t06["public_total"] = Decimal("463.57"), Decimal("58.75")
    fixes.add("公开06表", "“商品和服务支出 49.29”一行记为 302", "该行原件未印编码，科目名称即 302")
    fixes.add("公开06表", "只存金额 9.46 的一行记为 310 资本性支出", "编码、名称在抽取中丢失；按经济分类清单 B 的位置，它是 31001…31099 的上级 310")
    fixes.add("公开06表", "人员经费合计 463.57、公用经费合计 58.75", "合计行在抽取中无法辨认；取情况说明六所印之数（SPEC §4.3 N08），亦等于 301 + 303、302 + 310")
    doc["basic_expenditure"] = basic_expenditure_block(t06, text)
    common_tail(truth, text, doc, fixes, notes)

    perf = truth["appendix"]
    facts = truth["explanations"]["facts"]["performance"]
    parts = split_performance(section(truth, "十三"), text)
    overall_src = perf["department_self_evaluation"]
    overall = {"label": text(overall_src["heading"]), "title": overall_src["title"]}
    overall["funds"] = funds_block(overall_src["funds"], "附件1 部门整体自评表", fixes)
    tasks = []
    for task in overall_src["tasks"]:
        name = text(task["name"])
        if re.search(r"民加：\s*生底线", name):
            fixes.add("附件1 任务 1 名称", "“扩大社会保障覆盖面，守好民生底线”", "抽取在“民”“生”之间插入了“加:”")
            name = re.sub(r"民加：\s*生底线", "民生底线", name)
        tasks.append(Flow(name=name, content=text(task["content"]), actual=text(task["actual"])))
    overall["tasks"] = tasks
    overall["indicators"] = form_block({"project": "", "funds": overall_src["funds"], "indicators": overall_src["indicators"]}, text, "附件1 部门整体自评表", fixes, period=None, unit=None)["indicators"]
    overall["total_score"] = num(overall_src["total_score"])
    overall["grade"] = facts["overall_self_evaluation"]["grade"]

    summary_src = perf["project_summary"]
    rows = []
    for r in summary_src["rows"]:
        (unit_code, unit_name, dept_code, dept_name, project, ptype, office, budget, executed, sys_exec, *rest) = r
        rates, score, deviation = rest[:6], rest[6], rest[7]
        rows.append(Flow(compact(dict(
            unit_code=unit_code, unit_name=unit_name, department_code=dept_code, department_name=dept_name, project=text(project),
            project_type=ptype, office=office, budget=num(budget), executed=num(executed), system_executed=num(sys_exec),
            rates=FlowSeq(num(x) for x in rates), score=num(score), deviation=(deviation == "是"),
        ))))
    summary_table = {"label": text(summary_src["heading"]), "title": summary_src["title"], "rows": rows}

    other = perf["other"].split("\n")
    cut = next(i for i, line in enumerate(other) if line.startswith("附件4"))
    reports = []
    for chunk in (other[:cut], other[cut:]):
        reports.append({"label": text(chunk[0]), "title": text(chunk[1]), "paragraphs": report_paragraphs(chunk[2:], text)})

    doc[Comment("\n---------------------------------------------------------------- 预算绩效（情况说明十三、附件1–4）")] = None
    doc["performance"] = {
        "department_evaluation": Flow(projects=facts["department_evaluated_projects"], names=FlowSeq(facts["department_evaluated_names"]),
                                      amount=num((facts["department_evaluated_general_budget"] + facts["department_evaluated_government_fund"] + facts["department_evaluated_state_capital"]).quantize(CENT))),
        Comment("十三（一）（二）（三）为部门撰写的文字，照公开文本逐段填列"): None,
        "text": {"management": parts["management"], "results": parts["results"], "evaluation": parts["evaluation"]},
        Comment("附件1：部门整体自评表"): None,
        "overall": overall,
        Comment("附件2：项目单位自评汇总表（rates：预算执行率、资金管理情况、成本、产出、效益、满意度指标得分率）"): None,
        "summary_table": summary_table,
        Comment("附件3、附件4：评价报告"): None,
        "reports": reports,
    }
    title = "焦作高新技术产业开发区人力资源和社会保障局 2024年度部门决算（公开文本的数据）"
    return header(title, truth["source"], notes, fixes), doc


# 003: cells of the self-evaluation forms lost in the extraction, determined by the form's own
# arithmetic (SPEC §7.2.2: 总分 = 资金得分 + Σ资金管理 + Σ指标; 资金管理 4 × 5 分; 指标分值合计 70).
FIXES_003 = {
    0: {("management", 3): (Decimal(5), "原件此格无法辨认；总分 98.75 − 资金得分 10（执行率 100%）− 其余三项 15 − 指标得分 68.75 = 5")},
    2: {("management", 3): (Decimal(5), "原件此格无法辨认；总分 96.56 − 资金得分 6.91 − 其余三项 15 − 其余指标得分 66.65 = 8，只能是本项 5 分与缺失的指标得分 3 分（均为满分）"),
        ("indicator_score", 3): (Decimal(3), "原件此格空白；由总分 96.56 推出，见资金管理“预算绩效管理情况”一条")},
    6: {("management", 3): (Decimal(5), "原件此格无法辨认；总分 96 − 资金得分 6.0 − 其余三项 15 − 指标得分 70 = 5")},
    8: {("management", 3): (Decimal(5), "原件此格无法辨认；总分 96 − 资金得分 6.25 − 其余三项 15 − 指标得分 69.75 = 5")},
    10: {("management", 3): (Decimal(5), "原件此格无法辨认；总分 99.55 − 资金得分 10 − 其余三项 15 − 指标得分 69.55 = 5")},
    13: {("indicator_weight", 3): (Decimal("7.5"), "原件此格空白；指标分值合计应为 70（资金 10 + 资金管理 20 + 指标 70 = 100），其余指标共 62.5")},
    14: {("indicator_score", 3): (Decimal("9.8"), "原件此格无法辨认；总分 99.2 − 资金得分 9.9 − 资金管理 20 − 其余指标得分 59.5 = 9.8")},
}


def convert_003(truth: dict) -> tuple[list[str], dict]:
    text = fullwidth
    fixes = Fixes()
    notes = [
        "标点：公开文本抽取时全角标点被转成半角（SPEC §1.7），文字中的 , : ; ( ) \" 已还原为 ，：；（）“”。",
        "公开05表印出的全零科目（2010399、2050202、2080199、2080799、2080801、2150799、2160250 及其类、款）照印列入。",
        "公开08表（国有资本经营）、公开09表（“三公”经费）原件为空表（各栏 0.00）。",
        "机构设置的单位名单引语为“其中二级预算单位包括：”（000 为“其中包括：”），输入格式没有区分两者的字段，故另以 structure_text 逐段填写原文。",
        "部门职责（十四）中“洁净型煤牛产”为抽取错字，按附件评价报告中同一段文字还原为“生产”。",
        "十三（二）、（三）为部门自行撰写的文字，照公开文本逐段填列；附件所附《项目支出绩效评价报告》照原文逐段填列。",
        "附件自评表在抽取中大量残缺：无法辨认的数字不填（null），只在表内算式能唯一确定时补回（见下）；无法辨认的二级指标记为“（不详）”。",
    ]
    t = truth["tables"]
    truth = dict(truth)
    ov = dict(truth["overview"])
    ov["duties"] = [d.replace("洁净型煤牛产", "洁净型煤生产") for d in ov["duties"]]
    truth["overview"] = ov
    doc: dict = {"format": 1}
    doc[Comment("---------------------------------------------------------------- 基本信息")] = None
    doc["profile"] = profile_block(truth, "NY")
    doc[Comment("\n---------------------------------------------------------------- 部门概况")] = None
    doc["overview"] = overview_block(truth, text, "（一）", verbatim_structure=True)
    tables(truth, text, doc)
    doc[Comment("\n---------------------------------------------------------------- 基本支出明细表（公开06表）")] = None
    doc["basic_expenditure"] = basic_expenditure_block(t["t06"], text)
    common_tail(truth, text, doc, fixes, notes)

    perf_text = text(section(truth, "十三"))
    counts = performance_counts(perf_text)
    parts = split_performance(section(truth, "十三"), text)
    results = truth["explanations"]["facts"]["performance"]["results"]
    forms = []
    for i, f in enumerate(truth["appendix"]["self_evaluations"]):
        unit = "南阳市工业和信息化局本级" if i < 15 else "南阳市企业服务中心"
        stated = results[i]
        executed = D(stated.get("amount", stated.get("executed")))
        forms.append(form_block(f, text, f"附件自评表 {i + 1}“{text(f['project'])}”", fixes, period="2024年度", unit=unit,
                                form_fixes=FIXES_003.get(i), narrative_executed=executed))
    n, amount, issues, advices = counts["department_evaluation"]
    other = truth["appendix"]["other"].split("\n")
    doc[Comment("\n---------------------------------------------------------------- 预算绩效（情况说明十三、附件）")] = None
    doc["performance"] = {
        "regulations": counts["regulations"],
        "target_projects": counts["target_projects"],
        "target_amount": num(counts["target_amount"]),
        "monitoring": counts["monitoring"],
        "department_evaluation": Flow(projects=n, amount=num(amount), issues=issues, advices=advices),
        Comment("十三（二）（三）为部门撰写的文字，照公开文本逐段填列"): None,
        "text": {"results": parts["results"], "evaluation": parts["evaluation"]},
        Comment("附件：项目支出绩效自评情况表（本级 15 张、市企业服务中心 6 张）"): None,
        "self_evaluations": forms,
        Comment("附件：项目支出绩效评价报告"): None,
        "reports": [{"title": text(other[0]), "paragraphs": report_paragraphs(other[1:], text)}],
    }
    title = "南阳市工业和信息化局 2024年度部门决算（公开文本的数据）"
    return header(title, truth["source"], notes, fixes), doc



# =========================================================================== liaoning facts (illustrative)
#
# The three published documents are henan documents: they state nothing the liaoning layout
# needs beyond the henan facts (SPEC §5.3, §7.5 — last year's 结转结余 and 财政拨款支出, the
# year-start basic/project budgets, the per-项 usages, last year's 三公 per item, the SME shares
# per purchase category, the 整体 self-evaluation form). ``liaoning_facts`` adds them, derived
# from the document's own henan figures by the simple rules below, in blocks marked
# ``辽宁版式示例（虚构）`` so that nobody mistakes them for published figures. The henan figures are
# not touched: a henan build of the example is the same with or without them.

LN_MARK = "辽宁版式示例（虚构，非公开文本所载）"
LN_DIVISION = {"南阳": "411300000", "焦作": "410800000"}  # illustrative 区划编码 (city level)
LN_USAGE = [  # 项 name → “主要是…等支出”
    ("行政运行", "在职人员工资福利和机关日常运转"),
    ("事业运行", "事业单位人员工资福利和日常运转"),
    ("一般行政管理事务", "业务工作经费"),
    ("离退休", "离退休人员离退休费和生活补贴"),
    ("基本养老保险缴费", "单位缴纳的基本养老保险费"),
    ("职业年金", "单位缴纳的职业年金"),
    ("公务员医疗补助", "公务员医疗补助缴费"),
    ("单位医疗", "单位缴纳的职工基本医疗保险费"),
    ("住房公积金", "单位为职工缴纳的住房公积金"),
]


def _unwrap(value: Any) -> Any:
    return value.value if isinstance(value, Note) else value


def _amount(row: dict, key: str) -> Decimal:
    value = row.get(key)
    return value.value if isinstance(value, Amt) else Decimal(0)


def _leaf_totals(rows: list | None) -> tuple[Decimal, Decimal, dict[str, tuple[Decimal, Decimal]]]:
    """Σ 基本支出, Σ 项目支出 and per 项 (basic, project) of a subject table of the example."""
    per: dict[str, tuple[Decimal, Decimal]] = {}
    for row in rows or []:
        row = _unwrap(row)
        if len(str(row["code"])) == 7:
            per[str(row["code"])] = (_amount(row, "basic"), _amount(row, "project"))
    return sum((b for b, _ in per.values()), Decimal(0)), sum((p for _, p in per.values()), Decimal(0)), per


def _usage(code: str) -> str:
    name = reference.subject(code).name if reference.subject(code) else code
    for key, usage in LN_USAGE:
        if key in name:
            return usage
    return f"{name}相关业务"


def _split(total: Decimal, parts: list[Decimal]) -> list[Decimal]:
    """``total`` shared in proportion to ``parts`` (2 dp), the last non-zero part taking the rest."""
    whole = sum(parts, Decimal(0))
    if whole == 0 or total == 0:
        return [Decimal(0) for _ in parts]
    out = [(total * p / whole).quantize(CENT) for p in parts]
    last = max(i for i, p in enumerate(parts) if p)
    out[last] += total - sum(out, Decimal(0))
    return out


def liaoning_facts(doc: dict, *, fund_projects: tuple[str, ...] = ()) -> list[str]:
    """Add the liaoning-only facts to an example (in place); returns the header note."""
    gb_basic, gb_project, per_item = _leaf_totals(doc.get("general_budget"))
    gf_basic, gf_project, _ = _leaf_totals(doc.get("government_fund"))
    sc_basic, sc_project, _ = _leaf_totals(doc.get("state_capital"))
    budgets = doc["budgets"]
    items = [_unwrap(i) for i in budgets.get("general_budget_items") or []]

    # 年初预算 of basic / project: each 项's budget split as its 公开05表 basic/project spending,
    # the 政府性基金 and 国有资本经营 budgets counted as project spending.
    basic_budget = Decimal(0)
    for item in items:
        b, p = per_item.get(str(item["code"]), (Decimal(0), Decimal(0)))
        budget = item["initial_budget"].value
        if b + p:
            basic_budget += (budget * b / (b + p)).quantize(CENT)
    all_budget = sum((i["initial_budget"].value for i in items), Decimal(0))
    for fund in ("government_fund", "state_capital"):
        entry = _unwrap(budgets.get(fund))
        if isinstance(entry, dict) and isinstance(entry.get("initial_budget"), Amt):
            all_budget += entry["initial_budget"].value
    project_budget = all_budget - basic_budget
    for item in items:
        item["usage"] = _usage(str(item["code"]))
    budgets[Comment(f"{LN_MARK}：财政拨款基本支出、项目支出年初预算（按各项年初预算与公开05表基本/项目支出的比例拆分）；"
                    "上面各项的 usage（“主要是……等支出”）亦为示例文字")] = None
    budgets["fiscal_basic"] = Amt(basic_budget)
    budgets["fiscal_project"] = Amt(project_budget)

    # 与上年相比: 年末结转和结余 as last year's (持平); 财政拨款支出 = last year's 一般公共预算支出 +
    # this year's 政府性基金 and 国有资本经营 spending.
    changes = doc["changes"]
    closing = _unwrap(doc.get("summary", {})).get("closing_balance")
    closing = closing.value if isinstance(closing, Amt) else Decimal(0)
    gb_prior = _unwrap(changes.get("general_budget") or {}).get("prior_year")
    changes[Comment(f"{LN_MARK}：年末结转和结余、财政拨款支出的上年数与原因")] = None
    changes["closing_balance"] = Flow(
        prior_year=Amt(closing),
        reason="年末结转和结余资金规模与上年相当" if closing else "当年财政拨款资金均已按规定用途支出，年末无结转和结余",
    )
    if isinstance(gb_prior, Amt):
        changes["fiscal_expenditure"] = Flow(
            prior_year=Amt(gb_prior.value + gf_basic + gf_project + sc_basic + sc_project),
            reason=_unwrap(changes["general_budget"]).get("reason") or "项目支出变化",
        )

    # 三公: last year's figures equal to this year's (the LN wording 与上年持平).
    tp = doc["three_public"]
    final = _unwrap(tp["final"])
    vehicle = final.get("vehicle")
    vehicle = vehicle.value if isinstance(vehicle, Amt) else _amount(final, "vehicle_purchase") + _amount(final, "vehicle_operation")
    tp[Comment(f"{LN_MARK}：“三公”经费各项的上年决算数与变化原因")] = None
    tp["prior_year"] = Flow(abroad=Amt(_amount(final, "abroad")), vehicle=Amt(vehicle), reception=Amt(_amount(final, "reception")))
    tp["prior_reasons"] = Flow(
        abroad="严格控制因公出国（境）团组和人数",
        vehicle="加强公务用车管理，严格控制运行维护支出",
        reception="严格执行公务接待标准，控制接待规模",
    )

    # 政府采购: the SME contracts shared over goods / works / services in proportion.
    proc = _unwrap(doc["procurement"])
    cats = [_amount(proc, k) for k in ("goods", "works", "services")]
    for key, value in zip(("goods_sme", "works_sme", "services_sme"), _split(_amount(proc, "sme"), cats)):
        proc[key] = Amt(value)
    doc["procurement"] = Note(proc, f"goods_sme、works_sme、services_sme：{LN_MARK}（授予中小企业合同金额按采购额比例拆分）")

    # 预算绩效: the fund of the projects that are not 一般公共预算, and the 整体 form.
    perf = doc.get("performance")
    if perf is None:
        perf = doc["performance"] = {}
    for form in perf.get("self_evaluations") or []:
        if form.get("project") in fund_projects:
            form[Comment(f"{LN_MARK}：本项目的资金性质（公开07表政府性基金）")] = None
            form["fund"] = "政府性基金预算"
    department = doc["profile"]["department"]
    division = next((code for city, code in LN_DIVISION.items() if city in department), "000000000")
    budget_total = basic_budget + project_budget
    spent_basic, spent_project = gb_basic + gf_basic + sc_basic, gb_project + gf_project + sc_project
    header_fields = {
        "unit_code": Code("101001"),
        "division_code": Code(division),
        "income_budget": Num(budget_total),
        "expenditure_budget": Num(budget_total),
    }
    overall = perf.get("overall")
    if overall is not None:
        overall[Comment(f"{LN_MARK}：辽宁版式整体绩效自评表的表头")] = None
        overall.update(header_fields)
        return [f"{LN_MARK}：标有此说明的各项（budgets.fiscal_basic/fiscal_project 与各项 usage、changes.closing_balance/"
                "fiscal_expenditure、three_public.prior_year/prior_reasons、procurement 的 *_sme、performance.overall 的表头）"
                "只供按辽宁版式（--layout liaoning）生成时使用，由 scripts/convert_truth.py 的 liaoning_facts() 从本文件的河南版式数推出。"]

    def rate(executed: Decimal, issued: Decimal) -> str:
        return f"{(executed * 100 / issued).quantize(CENT)}%" if issued else "0%"

    execution = rate(spent_basic + spent_project, budget_total)
    perf[Comment(f"{LN_MARK}：辽宁版式部门（单位）整体绩效自评表（任务栏取决算表与上面的年初预算，指标为示例）")] = None
    perf["overall"] = {
        **header_fields,
        "goal_expected": "保障机构正常运转，全面完成年度各项工作任务。",
        "goal_actual": "机构运转正常，年度各项工作任务全面完成。",
        "tasks": [
            Flow(name="基本支出人员经费和公用经费（保障机构正常运转）", project="基本支出", issued=Num(basic_budget), executed=Num(spent_basic), weight=Num(Decimal(20))),
            Flow(name="项目支出（履行部门职责）", project="项目支出", issued=Num(project_budget), executed=Num(spent_project), weight=Num(Decimal(20))),
        ],
        "indicators": [
            Flow(level1="履职效能", level2="重点工作", name="年度重点工作任务完成率", target="=100%", actual="100%", weight=Num(Decimal(20))),
            Flow(level1="管理效率", level2="预算执行", name="预算执行率", target="≥90%", actual=execution, weight=Num(Decimal(10)),
                 score=Num(Decimal(10) if (spent_basic + spent_project) >= budget_total * Decimal("0.9") else Decimal(8))),
            Flow(level1="运行成本", level2="成本控制", name="“三公”经费控制率", target="≤100%", actual="100%", weight=Num(Decimal(10))),
            Flow(level1="社会效应", level2="服务对象满意度", name="服务对象满意度", target="≥90%", actual="95%", weight=Num(Decimal(10))),
            Flow(level1="可持续性", level2="制度建设", name="管理制度健全性", target="健全", actual="全部或基本达成预期指标 100%-80%（含）",
                 weight=Num(Decimal(10)), score=Num(Decimal(10))),
        ],
    }
    return [f"{LN_MARK}：标有此说明的各项（budgets.fiscal_basic/fiscal_project 与各项 usage、changes.closing_balance/"
            "fiscal_expenditure、three_public.prior_year/prior_reasons、procurement 的 *_sme、performance.overall）"
            "只供按辽宁版式（--layout liaoning）生成时使用，由 scripts/convert_truth.py 的 liaoning_facts() 从本文件的河南版式数推出。"]


LIAONING_FUND_PROJECTS = {  # self-evaluated projects financed by 政府性基金 (公开07表)
    "000": ("宛财预【2024】148号2024年河南省困难妇女“两癌”救助专项资金",),
}

DOCUMENTS = {
    "000": ("nanyang-hr-2024.yaml", convert_000),
    "001": ("jiaozuo-hr-2024.yaml", convert_001),
    "003": ("nanyang-miit-2024.yaml", convert_003),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--truth", type=Path, default=ROOT / "tests" / "truth")
    parser.add_argument("--out", type=Path, default=ROOT / "examples")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for key, (name, convert) in DOCUMENTS.items():
        truth, _ = read_yaml(args.truth / f"{key}.yaml")
        head, document = convert(truth)
        note = liaoning_facts(document, fund_projects=LIAONING_FUND_PROJECTS.get(key, ()))
        write_yaml(args.out / name, head + ["", *note], document)
        print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
