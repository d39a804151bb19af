"""Bundled, versioned reference data (package data, YAML).

* ``function_subjects.yaml`` — 支出功能分类科目: names of 类/款/项 and the 科目说明 of 项
  (the definitions printed in the 名词解释).
* ``expenditure_classes.yaml`` — the 26 expenditure classes printed as fixed rows of t01/t04.
* ``economic_lists.yaml`` — the 支出经济分类 lists printed by t06 (lists A/B/C), canonical
  names of economic 款 codes, and the 人员经费/公用经费 grouping of economic 类.

The data follow one edition of the national 政府收支分类科目 (:func:`edition`); update the
YAML files, not this module, when the classification changes. All codes are strings.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

__all__ = [
    "Subject",
    "ExpenditureClass",
    "function_subjects",
    "subject",
    "expenditure_classes",
    "economic_list",
    "economic_list_names",
    "economic_canonical_name",
    "economic_group",
    "edition",
    "sources",
]

ECONOMIC_LISTS = ("A", "B", "C")


@dataclass(frozen=True)
class Subject:
    """A 支出功能分类科目: 类 (3 digits), 款 (5) or 项 (7)."""

    code: str
    name: str
    definition: str | None  # 科目说明 (项 only); None when not (yet) sourced
    source: str  # id into ``sources()``

    @property
    def level(self) -> str:
        """``"类"``, ``"款"`` or ``"项"``."""
        return {3: "类", 5: "款", 7: "项"}[len(self.code)]

    @property
    def parent_code(self) -> str | None:
        """Code of the enclosing 款 (for a 项) or 类 (for a 款); None for a 类."""
        return {3: None, 5: self.code[:3], 7: self.code[:5]}[len(self.code)]


@dataclass(frozen=True)
class ExpenditureClass:
    """One of the 26 fixed class rows of t01/t04."""

    ordinal: str  # 一, 二, … 二十六
    label: str  # printed row text, e.g. 一、一般公共服务支出
    code: str  # class code, e.g. "201"
    t01_line: int  # 行次 in t01 (henan NY/JY, liaoning LN)
    t01_line_jz: int  # 行次 in t01 (henan JZ)
    t04_line: int  # 行次 in t04
    observed: bool = True  # False: code not printed in any source (national list, † in SPEC)

    @property
    def name(self) -> str:
        """The class name without the ordinal, e.g. 一般公共服务支出."""
        prefix = f"{self.ordinal}、"
        return self.label[len(prefix):] if self.label.startswith(prefix) else self.label


def _load(filename: str) -> dict[str, Any]:
    text = resources.files(__name__).joinpath(filename).read_text(encoding="utf-8")
    data = yaml.load(text, Loader=_Loader)
    if not isinstance(data, dict):
        raise ValueError(f"{filename}: expected a mapping at top level")
    return data


def _code(value: Any, filename: str) -> str:
    # Codes are quoted in the files; refuse numbers so that a missing quote cannot silently
    # turn "2010399" into an int (or a leading-zero code into something else).
    if not isinstance(value, str) or not value.isdigit():
        raise ValueError(f"{filename}: code {value!r} must be a quoted string of digits")
    return value


@functools.cache
def _subjects_file() -> dict[str, Any]:
    return _load("function_subjects.yaml")


@functools.cache
def function_subjects() -> dict[str, Subject]:
    """All 支出功能分类科目 by code, in code order (depth-first)."""
    data = _subjects_file()
    known_sources = data.get("sources") or {}
    result: dict[str, Subject] = {}
    for raw_code, entry in (data.get("subjects") or {}).items():
        code = _code(raw_code, "function_subjects.yaml")
        if len(code) not in (3, 5, 7):
            raise ValueError(f"function_subjects.yaml: code {code!r} is not 3, 5 or 7 digits")
        source = entry.get("source")
        if source not in known_sources:
            raise ValueError(f"function_subjects.yaml: {code}: unknown source {source!r}")
        definition = entry.get("definition")
        if definition is not None and len(code) != 7:
            raise ValueError(f"function_subjects.yaml: {code}: only 项 (7 digits) have definitions")
        result[code] = Subject(code=code, name=str(entry["name"]), definition=definition, source=source)
    return dict(sorted(result.items()))


def subject(code: str) -> Subject | None:
    """The subject with this code, or None."""
    return function_subjects().get(str(code))


def edition() -> str:
    """The 政府收支分类科目 edition the reference data follow (e.g. ``"2024"``)."""
    return str(_subjects_file()["edition"])


def sources() -> dict[str, str]:
    """Source ids used by :class:`Subject` ``source`` → description."""
    return dict(_subjects_file().get("sources") or {})


@functools.cache
def _classes() -> tuple[ExpenditureClass, ...]:
    data = _load("expenditure_classes.yaml")
    return tuple(
        ExpenditureClass(
            ordinal=str(c["ordinal"]),
            label=str(c["label"]),
            code=_code(c["code"], "expenditure_classes.yaml"),
            t01_line=int(c["t01_line"]),
            t01_line_jz=int(c["t01_line_jz"]),
            t04_line=int(c["t04_line"]),
            observed=bool(c.get("observed", True)),
        )
        for c in data["classes"]
    )


def expenditure_classes() -> list[ExpenditureClass]:
    """The 26 expenditure classes in printed order."""
    return list(_classes())


@functools.cache
def _economic() -> dict[str, Any]:
    return _load("economic_lists.yaml")


@functools.cache
def _economic_list(name: str) -> tuple[tuple[tuple[str, str], ...], ...]:
    lists = _economic()["lists"]
    if name not in lists:
        raise KeyError(f"unknown economic list {name!r} (expected one of {', '.join(ECONOMIC_LISTS)})")
    return tuple(
        tuple((_code(code, "economic_lists.yaml"), str(label)) for code, label in group)
        for group in lists[name]["groups"]
    )


def economic_list(name: str) -> list[list[tuple[str, str]]]:
    """List ``"A"`` (henan NY/JY), ``"B"`` (JZ) or ``"C"`` (LN): three groups of (code, name)."""
    return [list(group) for group in _economic_list(name)]


def economic_list_names() -> list[str]:
    """The names of the available economic lists."""
    return list(_economic()["lists"])


def economic_canonical_name(code: str) -> str | None:
    """Canonical (list-A) name of an economic 款 code (or of a 类 in ``groups``), or None."""
    data = _economic()
    code = str(code)
    name = (data.get("canonical_names") or {}).get(code)
    if name is None:
        for members in (data.get("groups") or {}).values():
            if code in members:
                return str(members[code])
    return None if name is None else str(name)


def economic_group(code: str) -> str | None:
    """``"personnel"`` (人员经费) or ``"public"`` (公用经费) for an economic 类 or 款 code."""
    head = str(code)[:3]
    for group, members in (_economic().get("groups") or {}).items():
        if head in members:
            return str(group)
    return None
