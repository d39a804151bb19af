"""From a reader's plain data to a validated ``DataSet``, with located findings.

Schema problems (types, unknown keys, malformed codes, duplicate rows) are input
errors: the data cannot be trusted enough to audit, so they raise ``InputError``
(exit code 2). Everything that is a question of figures is left to the audit rules.
"""

from __future__ import annotations

import difflib
import typing
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from disclose import findings as F
from disclose import reference
from disclose.findings import Finding, InputError, SourceMap
from disclose.model.dataset import DataSet
from disclose.model.requirements import Requirements
from disclose.model.types import full_width_note

SUBJECT_TABLES = {
    "income": "收入决算表",
    "expenditure": "支出决算表",
    "general_budget": "一般公共预算财政拨款支出决算表",
    "government_fund": "政府性基金预算财政拨款收入支出决算表",
    "state_capital": "国有资本经营预算财政拨款支出决算表",
}

_CODE_BY_PYDANTIC_TYPE = {
    "missing": F.MISSING_FIELD,
    "extra_forbidden": F.UNKNOWN_FIELD,
}


@dataclass
class Input:
    """A validated data set and where each of its values came from."""

    data: DataSet
    source: SourceMap
    warnings: list[Finding] = field(default_factory=list)  # input-level 提示 (e.g. codes not in the reference)
    requirements: Requirements = field(default_factory=Requirements)  # what the chosen layout expects
    memo: dict = field(default_factory=dict, repr=False, compare=False)  # results several checks share


def load_dataset(raw: dict[str, Any], source: SourceMap) -> Input:
    try:
        data = DataSet.model_validate(raw)
    except ValidationError as exc:
        raise InputError([_finding(err, source) for err in exc.errors(include_url=False)]) from None
    problems, warnings = check_structure(data, source)
    if problems:
        raise InputError(problems)
    return Input(data, source, warnings)


def _finding(err: dict[str, Any], source: SourceMap) -> Finding:
    path = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        name = str(path[-1])
        return F.UNKNOWN_FIELD([source.locate(path)], field=name, hint=_hint(path))
    location = source.locate(path)
    if kind == "missing":
        return F.MISSING_FIELD([location], field=_title(path) or str(path[-1]))
    catalogue = {t.code: t for t in vars(F).values() if isinstance(t, F.FindingType)}
    if kind in catalogue:
        return catalogue[kind]([location], **{k: v for k, v in ctx.items()}, **_defaults(kind, ctx))
    return F.WRONG_TYPE([location], what=_translate(err))


def _defaults(kind: str, ctx: dict) -> dict:
    # Templates in the catalogue name values that a model validator may not supply.
    needed = {"code-malformed": {"kind": "科目", "code": "", "reason": ""}, "not-a-number": {"note": ""}}.get(kind, {})
    return {k: v for k, v in needed.items() if k not in ctx}


def _translate(err: dict[str, Any]) -> str:
    kind = err["type"]
    value = err.get("input")
    shown = repr(value) if not isinstance(value, str) else f"“{value[:40]}”"
    simple = {
        "int_type": "应为整数",
        "int_parsing": "应为整数",
        "int_from_float": "应为整数",
        "string_type": "应为文字",
        "bool_type": "应为是/否（true/false）",
        "bool_parsing": "应为是/否（true/false）",
        "list_type": "应为列表（每项以“- ”开头）",
        "dict_type": "应为键值对",
        "model_type": "应为键值对",
        "model_attributes_type": "应为键值对",
        "literal_error": "取值应为：" + str((err.get("ctx") or {}).get("expected", "")),
        "greater_than_equal": f"不能小于 {(err.get('ctx') or {}).get('ge')}",
        "less_than_equal": f"不能大于 {(err.get('ctx') or {}).get('le')}",
    }
    if kind in simple:
        return f"{simple[kind]}，实际为 {shown}{full_width_note(value)}"
    return f"{err.get('msg', kind)}（实际为 {shown}）"


def _model_at(path: tuple) -> type[BaseModel] | None:
    model: Any = DataSet
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or part not in model.model_fields:
            return None
        model = _unwrap(model.model_fields[part].annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    while True:
        args = typing.get_args(annotation)
        origin = typing.get_origin(annotation)
        if origin in (list, typing.Union) or str(origin) == "types.UnionType":
            candidates = [a for a in args if a is not type(None)]
            if len(candidates) != 1:
                return annotation
            annotation = candidates[0]
            continue
        return annotation


def _hint(path: tuple) -> str:
    model = _model_at(path[:-1])
    if model is None:
        return ""
    known = list(model.model_fields)
    close = difflib.get_close_matches(str(path[-1]), known, n=1, cutoff=0.6)
    if close:
        return f"，是否应为“{close[0]}”（{model.model_fields[close[0]].title}）？"
    return "，此处可填：" + "、".join(known)


def _title(path: tuple) -> str | None:
    model = _model_at(path[:-1])
    if model is None or path[-1] not in model.model_fields:
        return None
    title = model.model_fields[path[-1]].title
    return f"{path[-1]}（{title}）" if title else None


def check_structure(data: DataSet, source: SourceMap) -> tuple[list[Finding], list[Finding]]:
    """Row-level checks the schema cannot express: duplicates, codes, missing parents."""
    errors: list[Finding] = []
    warnings: list[Finding] = []
    subjects = reference.function_subjects()
    edition = f"{reference.edition()}年政府收支分类科目"
    for key, title in SUBJECT_TABLES.items():
        rows = getattr(data, key)
        seen: dict[str, int] = {}
        for i, row in enumerate(rows):
            loc = source.locate((key, i, "code"))
            if row.code in seen:
                other = source.locate((key, seen[row.code], "code")).place()
                errors.append(F.DUPLICATE_ROW([loc], code=row.code, table=title, other=other))
                continue
            seen[row.code] = i
            if row.code == "合计":
                continue
            known = subjects.get(row.code)
            if known is None and not row.name:
                errors.append(F.CODE_UNKNOWN([loc], kind="功能分类科目", code=row.code, edition=edition))
            elif known is None:
                warnings.append(F.CODE_NOT_IN_REFERENCE([loc], kind="功能分类科目", code=row.code, name=row.name, edition=edition))
        has_parents = any(len(c) in (3, 5) for c in seen)
        if has_parents:
            for code, i in seen.items():
                if len(code) != 7:
                    continue
                for parent in (code[:5], code[:3]):
                    if parent not in seen:
                        errors.append(
                            F.MISSING_PARENT([source.locate((key, i, "code"))], table=title, code=code, parent=parent)
                        )
                        break
    for i, item in enumerate(data.budgets.general_budget_items):
        loc = source.locate(("budgets", "general_budget_items", i, "code"))
        if len(item.code) != 7:
            errors.append(F.CODE_MALFORMED([loc], kind="年初预算科目", code=item.code, reason="应为 7 位项级编码"))
        elif item.code not in subjects and not any(r.code == item.code for r in data.general_budget):
            errors.append(F.CODE_UNKNOWN([loc], kind="功能分类科目", code=item.code, edition=edition))
    codes = [i.code for i in data.budgets.general_budget_items]
    for i, code in enumerate(codes):
        if code in codes[:i]:
            first = codes.index(code)
            errors.append(
                F.DUPLICATE_ROW(
                    [source.locate(("budgets", "general_budget_items", i, "code"))],
                    code=code,
                    table="年初预算（一般公共预算）",
                    other=source.locate(("budgets", "general_budget_items", first, "code")).place(),
                )
            )
    for code in data.basic_expenditure.items:
        loc = source.locate(("basic_expenditure", "items", code))
        if reference.economic_canonical_name(code) is None and len(code) == 5:
            errors.append(F.CODE_UNKNOWN([loc], kind="经济分类科目", code=code, edition="支出经济分类"))
    return errors, warnings
