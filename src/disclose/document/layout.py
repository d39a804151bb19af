"""Layout profiles: ``templates/<layout>/layout.yaml`` plus its sentence templates.

A profile is data: which parts in which order, the tables with their numbers,
titles and notes, the narrative sections and their templates, the glossary and
the appendix forms, and the style switches (number format, zero style, wording).
A variant (e.g. henan NY/JZ/JY) is a set of overrides deep-merged over the profile,
so nothing in Python branches on a layout or variant name.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, TemplateError

from disclose.document.numbers import NumberStyle
from disclose.model.requirements import Requirements
from disclose.document.text import text_environment


class LayoutError(Exception):
    """A broken or missing layout profile; the message names the file (and line)."""


def templates_root() -> Path:
    """``templates/``: beside the package in a checkout, inside it when installed from a wheel."""
    packaged = Path(str(resources.files("disclose"))) / "_templates"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[3] / "templates"
    if checkout.is_dir():
        return checkout
    raise LayoutError("找不到版式模板目录 templates/（安装不完整？）")


def available_layouts(root: Path | None = None) -> list[str]:
    root = root or templates_root()
    return sorted(p.name for p in root.iterdir() if (p / "layout.yaml").is_file())


@dataclass
class Layout:
    name: str
    variant: str
    root: Path  # the layout's folder
    profile: dict[str, Any]  # layout.yaml with the variant's overrides merged in
    env: Environment = field(repr=False)

    @property
    def numbers(self) -> NumberStyle:
        return NumberStyle.from_profile(self.profile.get("numbers", {}))

    @property
    def style(self) -> dict[str, Any]:
        """Wording switches the templates read (``style.colon_before_reason`` …)."""
        return self.profile.get("style", {})

    def requirements(self) -> Requirements:
        """What this layout expects of the data (the profile's ``audit:`` section)."""
        return Requirements.from_profile(self.name, self.profile.get("audit"))

    def get(self, dotted: str, default: Any = None) -> Any:
        node: Any = self.profile
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node

    def render_string(self, source: str, **context: Any) -> str:
        """Render a short template string from the profile (a heading, a title line)."""
        try:
            return self.env.from_string(source).render(**context)
        except TemplateError as exc:
            raise LayoutError(f"{self.root / 'layout.yaml'}：模板“{source}”出错：{exc}") from None

    def render(self, template: str, **context: Any) -> str:
        try:
            return self.env.get_template(template).render(**context)
        except TemplateError as exc:
            line = getattr(exc, "lineno", None)
            where = f"{self.root / template}" + (f":{line}" if line else "")
            raise LayoutError(f"{where}：{exc}") from None


def load_layout(name: str, variant: str | None = None, root: Path | None = None) -> Layout:
    root = root or templates_root()
    folder = root / name
    path = folder / "layout.yaml"
    if not path.is_file():
        known = "、".join(available_layouts(root)) or "（无）"
        raise LayoutError(f"没有名为“{name}”的版式；可用的版式：{known}")
    profile = _read_profile(path)
    variants = profile.pop("variants", {}) or {}
    # A profile may be split over several files (tables, narrative, glossary, appendix);
    # each file may carry its own variant overrides.
    for extra in profile.pop("include", []) or []:
        part_path = folder / extra
        if not part_path.is_file():
            raise LayoutError(f"{path}：include 的文件 {extra} 不存在")
        part = _read_profile(part_path)
        variants = deep_merge(variants, part.pop("variants", {}) or {})
        clash = set(part) & set(profile)
        if clash:
            raise LayoutError(f"{part_path}：键 {'、'.join(sorted(clash))} 已在 layout.yaml 或其他 include 文件中定义")
        profile.update(part)
    chosen = variant or profile.get("default_variant")
    if variants and chosen not in variants:
        raise LayoutError(f"版式“{name}”没有变体“{chosen}”；可用的变体：{'、'.join(variants)}")
    merged = deep_merge(profile, variants.get(chosen, {}) or {}) if chosen else profile
    merged["variant_names"] = list(variants)
    # Templates resolve in the layout's own folder first, then in the shared one.
    loader = ChoiceLoader([FileSystemLoader(str(folder)), FileSystemLoader(str(root / "_shared"))])
    env = text_environment(loader)
    return Layout(name, chosen or "", folder, merged, env)


@functools.lru_cache(maxsize=32)
def _read_cached(path: str, mtime: float) -> dict:
    with open(path, encoding="utf-8") as fh:
        try:
            return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
            raise LayoutError(f"{where}：版式文件 YAML 语法错误：{exc.problem}") from None


def _read_profile(path: Path) -> dict:
    return copy.deepcopy(_read_cached(str(path), path.stat().st_mtime))


def deep_merge(base: dict, override: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def requirements_for(layout: str, variant: str | None) -> Requirements:
    """The requirements of the layout a data set names; defaults when it names none that exists."""
    try:
        return load_layout(layout, variant).requirements()
    except LayoutError:  # an unknown layout is reported by the build, not by the audit
        return Requirements(layout=layout)
