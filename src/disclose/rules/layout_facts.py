"""Facts a layout needs that the data leave out: rules L01 (提示) and L02 (错误).

A layout lists, in its profile (``audit.facts`` in ``templates/<layout>/layout.yaml``), the data
fields it prints that other layouts do not need — liaoning's 收入总计/支出总计/结转结余 of last
year, the year-start basic/project budgets, the per-项 ``主要是…等支出`` usages, the 三公 figures
of last year, the per-category SME amounts, the 整体 self-evaluation form. Those fields are
optional in the model (``disclose.model.dataset``); when the data set is audited for a layout
that needs one and it is missing, the finding names the layout and the field.

The syntax of an entry (a dotted path into the data set):

* ``budgets.fiscal_basic`` — the field must be filled (not null, not empty);
* ``budgets.general_budget_items.*.usage`` — ``*`` stands for every item of a list: one finding
  per item that lacks it;
* ``changes.income_total.prior_year|changes.total.prior_year`` — alternatives: one of them is
  enough (the same quantity under another layout's name);
* a trailing ``!`` makes a missing fact an 错误 (L02), which blocks the build, instead of a 提示.

Importing this module registers the rules (``disclose.rules.checks`` imports it at its end).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from pydantic import BaseModel

from disclose.findings import Finding, Severity
from disclose.model.dataset import DataSet
from disclose.model.derive import SubjectRows
from disclose.model.ledger import Ledger
from disclose.model.load import Input
from disclose.rules.catalogue import Rule, register
from disclose.rules.checks import check

E, W = Severity.ERROR, Severity.WARNING

_TEMPLATE = "版式“{layout}”需要的数据没有填写：{title}{item}（{path}{alternatives}）"

FACT_MISSING = Rule(
    "L01", W, "版式需要的数据未填写",
    "版式（layout.yaml 的 audit.facts）列出的、只有该版式印出的事实应当填写；未填写的部分版式按缺省写法印出或略去",
    template=_TEMPLATE,
)
FACT_REQUIRED = register(
    Rule(
        "L02", E, "版式必需的数据未填写",
        "版式的 audit.facts 中标为必需（末尾 !）的事实必须填写，否则不能按该版式生成",
        template=_TEMPLATE,
    )
)

WILDCARD = "*"


@dataclass(frozen=True)
class Fact:
    alternatives: tuple[tuple[str, ...], ...]
    required: bool
    text: str

    @classmethod
    def parse(cls, entry: str) -> "Fact":
        text = str(entry).strip()
        required = text.endswith("!")
        body = text.rstrip("!").strip()
        alternatives = tuple(tuple(p for p in alt.strip().split(".") if p) for alt in body.split("|") if alt.strip())
        return cls(alternatives, required, body)


def missing_leaves(data: Any, parts: tuple[str, ...], prefix: tuple = ()) -> Iterator[tuple]:
    """The concrete paths under ``parts`` whose value is missing (None, empty text or list)."""
    if not parts:
        if _empty(data):
            yield prefix
        return
    if _empty(data):
        yield prefix
        return
    head, rest = parts[0], parts[1:]
    if head == WILDCARD:
        items = list(data) if isinstance(data, (list, tuple)) else list(data.values()) if isinstance(data, dict) else []
        keys = range(len(items)) if isinstance(data, (list, tuple)) else list(data.keys()) if isinstance(data, dict) else []
        for key, item in zip(keys, items):
            yield from missing_leaves(item, rest, prefix + (key,))
        return
    if isinstance(data, BaseModel):
        if head not in type(data).model_fields:
            raise KeyError(".".join(str(p) for p in prefix + (head,)))
        yield from missing_leaves(getattr(data, head), rest, prefix + (head,))
    elif isinstance(data, dict):
        yield from missing_leaves(data.get(head), rest, prefix + (head,))
    else:
        yield prefix + (head,)


def dotted(path: tuple) -> str:
    """``budgets.general_budget_items[3].usage``"""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list, tuple, dict)) and not value)


def field_title(path: tuple) -> str:
    """``年初预算 › 财政拨款基本支出年初预算（辽宁版式）`` for ``("budgets", "fiscal_basic")``."""
    titles: list[str] = []
    model: Any = DataSet
    for part in path:
        if isinstance(part, int) or part == WILDCARD:
            continue
        fields = getattr(model, "model_fields", {}) if isinstance(model, type) else {}
        info = fields.get(part)
        if info is None:
            titles.append(str(part))
            model = None
            continue
        titles.append(info.title or str(part))
        model = _inner_model(info.annotation)
    return " › ".join(titles)


def _inner_model(annotation: Any) -> Any:
    import typing

    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
        for sub in typing.get_args(candidate):
            if isinstance(sub, type) and issubclass(sub, BaseModel):
                return sub
    return None


def _item_label(data: Any, path: tuple) -> str:
    """``（项 2080101）`` / ``（“项目名称”）`` for a path through a list item."""
    node = data
    label = ""
    for part in path:
        try:
            node = node[part] if isinstance(part, int) or isinstance(node, dict) else getattr(node, part)
        except (KeyError, IndexError, AttributeError, TypeError):
            break
        if isinstance(part, int):
            code = getattr(node, "code", None)
            name = getattr(node, "project", None) or getattr(node, "name", None)
            label = f"（项 {code}）" if code else (f"（“{name}”）" if name else f"（第 {part + 1} 项）")
    return label


@check(FACT_MISSING)
def layout_facts(source: Input, ledger: Ledger, rows: dict[str, SubjectRows]) -> list[Finding]:
    requirements = source.requirements
    out: list[Finding] = []
    seen: set[tuple] = set()
    for entry in requirements.facts:
        fact = Fact.parse(entry)
        if not fact.alternatives:
            continue
        gaps: list[list[tuple]] = []
        try:
            for alternative in fact.alternatives:
                gaps.append(list(missing_leaves(source.data, alternative)))
        except KeyError as exc:  # a path the model does not have: the profile check reports it
            del exc
            continue
        if any(not g for g in gaps):
            continue  # one alternative is complete
        rule = FACT_REQUIRED if fact.required else FACT_MISSING
        others = [".".join(a) for a in fact.alternatives[1:]]
        for path in gaps[0]:
            if path in seen:
                continue
            seen.add(path)
            out.append(
                rule.type(
                    [source.source.locate(path)],
                    layout=requirements.layout or "?",
                    title=field_title(path),
                    path=dotted(path),
                    alternatives=f"，或填 {'、'.join(others)}" if others else "",
                    item=_item_label(source.data, path),
                )
            )
    return out


def unknown_fact_paths(facts: tuple[str, ...] | list[str]) -> list[tuple[str, str]]:
    """(entry, the path the data model does not have) for each entry naming no field: for the
    profile check (``disclose.document.check``)."""
    out = []
    for entry in facts:
        for alternative in Fact.parse(entry).alternatives:
            model: Any = DataSet
            for i, part in enumerate(alternative):
                if part == WILDCARD:
                    continue
                fields = getattr(model, "model_fields", None) if isinstance(model, type) else None
                if fields is None:
                    break
                if part not in fields:
                    out.append((str(entry), ".".join(alternative[: i + 1])))
                    break
                model = _inner_model(fields[part].annotation)
    return out
