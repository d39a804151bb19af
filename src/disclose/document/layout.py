"""Layout profiles: ``templates/<layout>/layout.yaml`` plus its sentence templates.

A profile is data: which parts in which order, the tables with their numbers,
titles and notes, the narrative sections and their templates, the glossary and
the appendix forms, and the style switches (number format, zero style, wording).
A variant (e.g. henan NY/JZ/JY) is a set of overrides deep-merged over the profile,
so nothing in Python branches on a layout or variant name.

Where layouts are found (``layout_dirs``), first match wins:

1. the folders in ``DISCLOSE_TEMPLATES`` (``os.pathsep``-separated), each holding
   ``<name>/layout.yaml`` folders like ``templates/`` does;
2. the bundled ``templates/``.

A layout *name* that is a path (contains ``/``, or starts with ``.`` or ``~``) is that folder
itself: ``disclose build data.yaml --layout ./my-region``.

A profile may ``extends:`` another one (a name or a path relative to its own folder): the
base profile, with its includes and variants, is deep-merged under the new one, and the
base's templates are found after the new layout's own (so a region can override single
files). See docs/adding-a-layout.md.

Every load runs the profile check (``disclose.document.check``, cached per set of files):
a broken profile is a ``LayoutError`` listing each problem with its file and line, before
anything is rendered.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

import yaml

from disclose import cache
from disclose.document.numbers import NumberStyle
from disclose.model.requirements import Requirements

ENV_VAR = "DISCLOSE_TEMPLATES"
SHARED = "_shared"


class LayoutError(Exception):
    """A broken or missing layout profile; the message names the file (and line).

    ``problems``: every problem the profile check found (``file:line：message`` each), when
    the error comes from the check.
    """

    def __init__(self, message: str, problems: Iterable[str] = ()):
        super().__init__(message)
        self.problems = list(problems)


def templates_root() -> Path:
    """``templates/``: beside the package in a checkout, inside it when installed from a wheel."""
    packaged = Path(str(resources.files("disclose"))) / "_templates"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[3] / "templates"
    if checkout.is_dir():
        return checkout
    raise LayoutError("找不到版式模板目录 templates/（安装不完整？）")


def layout_dirs(root: Path | None = None) -> list[Path]:
    """The folders searched for ``<name>/layout.yaml``: ``root`` alone when given, else
    ``$DISCLOSE_TEMPLATES`` then the bundled ``templates/``."""
    if root is not None:
        return [Path(root)]
    dirs = [Path(p).expanduser() for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p.strip()]
    dirs.append(templates_root())
    out: list[Path] = []
    for d in dirs:
        if d not in out:
            out.append(d)
    return out


def use_template_dirs(dirs: Iterable[Path | str]) -> None:
    """Put ``dirs`` in front of the layout search path, for this process and the ones it starts
    (a CLI option such as ``--templates DIR`` calls this)."""
    extra = [str(Path(d).expanduser().resolve()) for d in dirs]
    current = [p for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p.strip()]
    os.environ[ENV_VAR] = os.pathsep.join(extra + [p for p in current if p not in extra])


def layout_folders(root: Path | None = None) -> dict[str, Path]:
    """name → folder of every layout on the search path (the first of a name wins)."""
    found: dict[str, Path] = {}
    for d in layout_dirs(root):
        if not d.is_dir():
            continue
        for p in sorted(d.iterdir()):
            if p.name not in found and not p.name.startswith(("_", ".")) and (p / "layout.yaml").is_file():
                found[p.name] = p
    return found


def available_layouts(root: Path | None = None) -> list[str]:
    return sorted(layout_folders(root))


def is_path_name(name: str) -> bool:
    return "/" in name or os.sep in name or name.startswith((".", "~"))


def resolve_layout(name: str, root: Path | None = None, *, relative_to: Path | None = None) -> Path:
    """The folder of layout ``name``: a path (absolute, or relative to ``relative_to`` / the
    working directory) or a name on the search path."""
    if is_path_name(name) or Path(name).is_absolute():
        path = Path(name).expanduser()
        if not path.is_absolute() and relative_to is not None:
            path = relative_to / path
        if path.is_file() and path.name == "layout.yaml":
            path = path.parent
        if not (path / "layout.yaml").is_file():
            raise LayoutError(f"版式文件夹 {path} 中没有 layout.yaml")
        return path.resolve()
    folders = layout_folders(root)
    if name in folders:
        return folders[name]
    known = "、".join(sorted(folders)) or "（无）"
    raise LayoutError(f"没有名为“{name}”的版式；可用的版式：{known}（也可给出版式文件夹的路径）")


def _template_error() -> type[Exception]:
    from jinja2 import TemplateError

    return TemplateError


@dataclass
class Layout:
    name: str
    variant: str
    root: Path  # the layout's folder
    profile: dict[str, Any]  # layout.yaml with the variant's overrides merged in
    _env: Any = field(default=None, repr=False)  # the Jinja2 environment, made on first use
    folders: list[Path] = field(default_factory=list)  # own folder, then the folders of the layouts it extends
    files: list[Path] = field(default_factory=list)  # every profile file read, own first
    _strings: Any = field(default=None, repr=False)  # text.StringTemplates of the environment

    @property
    def env(self) -> Any:
        """The sentence-template environment. Made on first use: an audit reads the profile
        only and need not import Jinja2."""
        if self._env is None:
            from jinja2 import ChoiceLoader, FileSystemLoader

            from disclose.document.text import StringTemplates, text_environment

            # Templates resolve in the layout's own folder first, then in the ones it extends, then _shared.
            self._strings = StringTemplates()
            files = [FileSystemLoader(str(f)) for f in self.template_folders()]
            self._env = text_environment(ChoiceLoader([self._strings.loader(), *files]))
        return self._env

    @functools.cached_property
    def numbers(self) -> NumberStyle:
        # Read for every printed amount (a thousand times per document): made once.
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
            env = self.env
            return env.get_template(self._strings.name_for(source)).render(**context)
        except _template_error() as exc:
            raise LayoutError(f"{self.root / 'layout.yaml'}：模板“{source}”出错：{exc}") from None

    def render(self, template: str, **context: Any) -> str:
        try:
            return self.env.get_template(template).render(**context)
        except _template_error() as exc:
            line = getattr(exc, "lineno", None)
            name = getattr(exc, "filename", None) or self.template_path(template)
            where = f"{name}" + (f":{line}" if line else "")
            raise LayoutError(f"{where}：{exc}") from None

    def template_path(self, template: str) -> Path:
        """The file a template name resolves to (own folder first, then the bases, then _shared)."""
        for folder in self.template_folders():
            if (folder / template).is_file():
                return folder / template
        return self.root / template

    def template_folders(self) -> list[Path]:
        out = list(self.folders or [self.root])
        for folder in list(out):
            shared = folder.parent / SHARED
            if shared.is_dir() and shared not in out:
                out.append(shared)
        try:
            bundled = templates_root() / SHARED
        except LayoutError:
            bundled = None
        if bundled is not None and bundled.is_dir() and bundled not in out:
            out.append(bundled)
        return out


@dataclass
class _Layer:
    """One layout of an ``extends`` chain: its profile (includes merged) and its variants apart."""

    folder: Path
    profile: dict
    variants: dict
    files: list[Path]


def _layers(folder: Path, root: Path | None, chain: tuple[Path, ...] = ()) -> list[_Layer]:
    """The ``extends`` chain of a layout, base first."""
    path = folder / "layout.yaml"
    profile = _read_profile(path)
    files = [path]
    variants = profile.pop("variants", {}) or {}
    # A profile may be split over several files (tables, narrative, glossary, appendix);
    # each file may carry its own variant overrides.
    for extra in profile.pop("include", []) or []:
        part_path = folder / extra
        if not part_path.is_file():
            raise LayoutError(f"{path}：include 的文件 {extra} 不存在", [f"{path}：include 的文件 {extra} 不存在"])
        part = _read_profile(part_path)
        files.append(part_path)
        variants = deep_merge(variants, part.pop("variants", {}) or {})
        clash = set(part) & set(profile)
        if clash:
            message = f"{part_path}：键 {'、'.join(sorted(clash))} 已在 layout.yaml 或其他 include 文件中定义"
            raise LayoutError(message, [message])
        profile.update(part)
    own = _Layer(folder, profile, variants, files)
    base_name = profile.pop("extends", None)
    if not base_name:
        return [own]
    base_folder = resolve_layout(str(base_name), root, relative_to=folder) if is_path_name(str(base_name)) else resolve_layout(str(base_name), root)
    if base_folder in chain + (folder,):
        message = f"{path}：extends 形成循环：{' → '.join(str(p) for p in chain + (folder, base_folder))}"
        raise LayoutError(message, [message])
    return _layers(base_folder, root, chain + (folder,)) + [own]


def load_layout(name: str, variant: str | None = None, root: Path | None = None, *, check: bool = True) -> Layout:
    """Load layout ``name`` (a name on the search path, or a folder) in ``variant``.

    With ``extends``, each layer — the base first — is merged in with its own overrides for the
    variant, so a region's settings apply in every variant of the layout it extends.
    ``check``: run the profile check first (cached); a broken profile raises ``LayoutError``
    naming each problem's file and line.
    """
    folder = resolve_layout(name, root)
    layers = _layers(folder, root)
    names: list[str] = []
    default = None
    for layer in layers:
        names += [v for v in layer.variants if v not in names]
        default = layer.profile.get("default_variant", default)
    chosen = variant or default
    if names and chosen not in names:
        raise LayoutError(f"版式“{name}”没有变体“{chosen}”；可用的变体：{'、'.join(names)}")
    merged: dict = {}
    for layer in layers:
        merged = deep_merge(merged, layer.profile)
        if chosen:
            merged = deep_merge(merged, layer.variants.get(chosen, {}) or {})
    merged["variant_names"] = names
    display = folder.name
    folders = [layer.folder for layer in reversed(layers)]
    files = [f for layer in reversed(layers) for f in layer.files]
    layout = Layout(display, chosen or "", folder, merged, None, folders, files)  # type: ignore[arg-type]
    if check:
        problems = checked(layout)
        if problems:
            shown = "\n".join(f"  {p}" for p in problems)
            raise LayoutError(f"版式“{display}”（{folder}）有 {len(problems)} 个问题：\n{shown}", problems)
    return layout


_CHECKED: dict[tuple, tuple[str, ...]] = {}


def checked(layout: Layout) -> list[str]:
    """The profile check of a loaded layout, cached by the files it reads (see ``disclose.document.check``)."""
    key = (layout.root, layout.variant, _signature(layout))
    if key not in _CHECKED:
        # A clean result is remembered on disk too, so that every `disclose build` process
        # does not parse every template again; a profile with problems is always re-checked.
        digest = cache.key("layout-check", key)
        if cache.has_marker("checks", digest):
            _CHECKED[key] = ()
            return []
        from disclose.document.check import check_loaded

        if len(_CHECKED) > 64:
            _CHECKED.clear()
        _CHECKED[key] = tuple(str(p) for p in check_loaded(dataclasses.replace(layout, profile=copy.deepcopy(layout.profile))))
        if not _CHECKED[key]:
            cache.set_marker("checks", digest)
    return list(_CHECKED[key])


def _signature(layout: Layout) -> tuple:
    stamp = []
    for folder in layout.template_folders():
        for dirpath, _dirs, names in os.walk(folder):
            for n in names:
                p = os.path.join(dirpath, n)
                try:
                    stamp.append((p, os.stat(p).st_mtime_ns))
                except OSError:
                    pass
    return (tuple(str(f) for f in layout.folders), tuple(sorted(stamp)), os.environ.get(ENV_VAR, ""))


@functools.lru_cache(maxsize=64)
def _read_cached(path: str, mtime: float) -> dict:
    with open(path, encoding="utf-8") as fh:
        try:
            data = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
            raise LayoutError(f"{where}：版式文件 YAML 语法错误：{exc.problem}", [f"{where}：版式文件 YAML 语法错误：{exc.problem}"]) from None
    if not isinstance(data, dict):
        raise LayoutError(f"{path}:1：版式文件的顶层应是键值映射", [f"{path}:1：版式文件的顶层应是键值映射"])
    return data


def _read_profile(path: Path) -> dict:
    return copy.deepcopy(_read_cached(str(path), path.stat().st_mtime))


def deep_merge(base: dict, override: dict) -> dict:
    out = copy.deepcopy(base)
    _merge_into(out, override)
    return out


def _merge_into(target: dict, override: dict) -> None:
    # ``target`` is already a copy: nested dicts are merged in place, not copied again.
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge_into(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


def requirements_for(layout: str, variant: str | None) -> Requirements:
    """The requirements of the layout a data set names; defaults when it names none that exists."""
    try:
        # The audit needs the profile's data only; the template check is the build's job.
        return load_layout(layout, variant, check=False).requirements()
    except LayoutError:  # an unknown or broken layout is reported by the build, not by the audit
        return Requirements(layout=layout)
