"""Check a layout profile before anything is rendered: ``disclose layouts --check`` and every load.

A region's layout is data (``templates/<layout>/``), so its mistakes are data mistakes and are
reported like the data's: each with its file and line. What is checked, per variant:

* the profile's structure: every part ``kind`` exists (``parts``), the settings each part reads
  are there (``headings.<kind>``, ``tables.order`` ⊂ ``tables.items``, table ``kind``\\ s,
  ``narrative.sections`` entries with an existing ``template``, glossary entries, appendix
  content kinds and forms);
* every template — the ``.j2`` files the profile uses (and what they include or import) and the
  template strings written in the YAML (headings, titles, notes, sentences): syntax, and every
  variable and figure they refer to. Figures are checked against the types of what the templates
  receive (``f`` is ``disclose.compute.narrative.NarrativeFigures``, ``style`` the profile's own
  ``style`` block, …): ``f.general_budget.totl`` is reported with the line it is on and the
  names that do exist;
* finally a dry build of the whole document from a minimal data set, which catches what the
  static checks cannot see (a table cell naming a ledger figure that does not exist, a grid that
  does not add up).

``check_layout(name)`` checks every variant of a layout; ``check_loaded(layout)`` one loaded
variant (what ``load_layout`` runs, cached).
"""

from __future__ import annotations

import dataclasses
import os
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

import yaml
from jinja2 import TemplateNotFound, TemplateSyntaxError, nodes

from disclose.document.layout import Layout, LayoutError, deep_merge, load_layout

__all__ = ["Problem", "check_layout", "check_loaded"]


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    message: str
    variant: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}：{self.message}"


# --------------------------------------------------------------------------- entry points


def check_layout(name: str, root: Path | None = None) -> list[Problem]:
    """Every problem of every variant of layout ``name`` (a name or a folder)."""
    try:
        base = load_layout(name, root=root, check=False)
    except LayoutError as exc:
        return [_from_error(exc)]
    variants = list(base.profile.get("variant_names") or []) or [base.variant]
    found: dict[str, tuple[Problem, list[str]]] = {}
    for variant in variants:
        try:
            layout = load_layout(name, variant or None, root=root, check=False)
        except LayoutError as exc:
            problems = [_from_error(exc)]
        else:
            problems = check_loaded(layout, dry_run=True)
        for p in problems:
            found.setdefault(str(p), (p, []))[1].append(variant)
    # A problem of some variants only names them.
    return [
        p if len(where) == len(variants) else dataclasses.replace(p, variant="、".join(where))
        for p, where in found.values()
    ]


def check_loaded(layout: Layout, *, dry_run: bool = False) -> list[Problem]:
    """The problems of one loaded variant of a layout (empty when it is sound).

    ``dry_run``: also build the whole document from a minimal data set (``disclose layouts
    --check``); a load runs the static checks only — the real build reports the rest itself.
    """
    checker = _Checker(layout)
    checker.run(dry_run=dry_run)
    return checker.problems


def _from_error(exc: LayoutError) -> Problem:
    text = exc.problems[0] if exc.problems else str(exc)
    head, sep, message = text.partition("：")
    if sep and (":" in head or "/" in head):
        file, _, rest = head.partition(":")
        line = rest.split(":")[0]
        return Problem(file, int(line) if line.isdigit() else None, message)
    return Problem("", None, text)


# --------------------------------------------------------------------------- positions in the YAML


class _Positions:
    """Where each key of the profile files is: path (tuple of keys/indices) → (file, line, block)."""

    def __init__(self, files: Iterable[Path]):
        self.files: list[tuple[str, dict[tuple, tuple[int, bool]]]] = []
        for f in files:
            try:
                node = yaml.compose(f.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
            except (OSError, yaml.YAMLError):
                continue
            table: dict[tuple, tuple[int, bool]] = {}
            if node is not None:
                self._walk(node, (), table)
            self.files.append((str(f), table))

    def _walk(self, node: yaml.Node, path: tuple, table: dict) -> None:
        block = isinstance(node, yaml.ScalarNode) and node.style in ("|", ">")
        if block or isinstance(node, yaml.ScalarNode):
            table[path] = (node.start_mark.line + 1 + (1 if block else 0), block)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                k = key.value if isinstance(key, yaml.ScalarNode) else str(key)
                table.setdefault(path + (k,), (key.start_mark.line + 1, False))
                self._walk(value, path + (k,), table)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                table.setdefault(path + (i,), (item.start_mark.line + 1, False))
                self._walk(item, path + (i,), table)

    def find(self, path: tuple, variant: str) -> tuple[str, int | None]:
        """The file and line of ``path`` (the variant's override first), or of its nearest ancestor."""
        path = tuple(path)
        for k in range(len(path), 0, -1):
            prefix = path[:k]
            for file, table in self.files:
                for candidate in (("variants", variant) + prefix, prefix):
                    if candidate in table:
                        return file, table[candidate][0]
        return (self.files[0][0], None) if self.files else ("", None)


# --------------------------------------------------------------------------- the checker


UNKNOWN = object()


@dataclass(frozen=True)
class Concrete:
    """A value the checker knows exactly (a block of the profile, e.g. ``style``)."""

    value: Any


JINJA_GLOBALS = {
    "range", "dict", "lipsum", "cycler", "joiner", "namespace", "loop", "caller", "varargs", "kwargs", "self", "super",
    "true", "false", "none", "True", "False", "None",
}


class _Checker:
    def __init__(self, layout: Layout):
        self.layout = layout
        self.variant = layout.variant
        self.problems: list[Problem] = []
        self._positions: _Positions | None = None
        self._seen: set[str] = set()
        self._analysed: set[tuple] = set()

    # -- reporting

    @property
    def positions(self) -> "_Positions":
        if self._positions is None:  # composing the YAML again is slow: only when there is something to report
            self._positions = _Positions(self.layout.files)
        return self._positions

    def at(self, path: tuple, message: str) -> None:
        file, line = self.positions.find(path, self.variant)
        self.add(Problem(file, line, message))

    def add(self, problem: Problem) -> None:
        key = str(problem)
        if key not in self._seen:
            self._seen.add(key)
            self.problems.append(problem)

    # -- the run

    def run(self, dry_run: bool = False) -> None:
        from disclose.document.parts import load_builders

        profile = self.layout.profile
        builders = load_builders()
        parts = profile.get("parts")
        if not isinstance(parts, list) or not parts:
            self.at(("parts",), "缺少 parts（文档各部分及其顺序）")
            return
        kinds = []
        for i, entry in enumerate(parts):
            kind = entry.get("kind") if isinstance(entry, dict) else None
            if kind not in builders:
                self.at(("parts", i, "kind"), f"未知的部分类型“{kind}”；可用：{'、'.join(sorted(builders))}")
                continue
            kinds.append(kind)
        from disclose.rules.layout_facts import unknown_fact_paths

        facts = (profile.get("audit") or {}).get("facts") or []
        for entry, wrong in unknown_fact_paths(list(facts)):
            index = list(facts).index(entry)
            self.at(("audit", "facts", index), f"audit.facts 中的“{entry}”：数据中没有字段 {wrong}")
        ctx = self._probe_context(report_failure=dry_run)
        contexts = _Contexts(self, ctx)
        self._check_strings(contexts)
        for kind in kinds:
            check = getattr(self, f"_part_{kind}", None)
            if check is not None:
                check(contexts)
        if dry_run and not self.problems and ctx is not None:
            self._dry_build(ctx)

    # -- a probe data set: what the templates receive, and the dry build

    def _probe_context(self, report_failure: bool):
        """A build context over a minimal data set: what the templates receive, with their types.

        Without it (it cannot fail on a sound installation) the names are still checked, their
        fields are not; only ``layouts --check`` reports the failure, a build is not blocked by it.
        """
        from disclose.document.context import BuildContext

        try:
            report = _probe_report(self.layout)
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            if report_failure:
                self.add(Problem(str(self.layout.root / "layout.yaml"), None, f"无法用示例数据检查本版式：{type(exc).__name__}: {exc}"))
            return None
        return BuildContext(report, self.layout)

    def _dry_build(self, ctx) -> None:
        from disclose.document.build import build_document

        try:
            build_document(ctx.report, self.layout)
        except LayoutError as exc:
            self.add(_from_error(exc))
        except Exception as exc:  # noqa: BLE001
            self.add(Problem(str(self.layout.root / "layout.yaml"), None, f"用示例数据试排时出错：{type(exc).__name__}: {exc}"))

    # -- template strings in the YAML

    def _check_strings(self, contexts: "_Contexts") -> None:
        for path, value in _strings(self.layout.profile):
            if "{{" not in value and "{%" not in value:
                continue
            scope = contexts.for_path(path)
            self.template_string(value, path, scope)

    def template_string(self, source: str, path: tuple, scope: dict[str, Any]) -> None:
        try:
            tree = self.layout.env.parse(source)
        except TemplateSyntaxError as exc:
            file, line = self.positions.find(path, self.variant)
            self.add(Problem(file, line + (exc.lineno or 1) - 1 if line else None, f"模板语法错误：{exc.message}"))
            return
        self.analyse(_Analyser(self, None, None, dict(scope), source_name=None, yaml_path=path), tree)

    def analyse(self, analyser: "_Analyser", tree: nodes.Template) -> None:
        """Run the static analysis; a construct it does not understand is left to the build."""
        try:
            analyser.template(tree)
        except Exception:  # noqa: BLE001 - the checker must never be what stops a sound layout
            if os.environ.get("DISCLOSE_DEBUG"):
                raise

    # -- parts

    def _part_overview(self, contexts: "_Contexts") -> None:
        cfg = self.layout.profile.get("overview")
        if not isinstance(cfg, dict):
            self.at(("overview",), "缺少 overview 设置（第一部分 概况）")
            return
        for key in ("duties_heading", "structure_heading", "structure"):
            if key not in cfg:
                self.at(("overview",), f"overview 缺少 {key}")
        self._heading_needed("overview")

    def _part_tables(self, contexts: "_Contexts") -> None:
        from disclose.document.parts.tables import KINDS

        self._heading_needed("tables")
        profile = self.layout.profile.get("tables")
        if not isinstance(profile, dict):
            self.at(("tables",), "缺少 tables（决算表的版式数据）")
            return
        items = profile.get("items") or {}
        subject_sources = {"t02", "t03", "t05", "t07", "t08"}
        for i, table_id in enumerate(profile.get("order") or []):
            if table_id not in items:
                self.at(("tables", "order", i), f"tables.order 列出的表“{table_id}”在 tables.items 中没有定义")
        for table_id, spec in items.items():
            spec = deep_merge(profile.get("defaults") or {}, spec or {})
            base = ("tables", "items", table_id)
            kind = spec.get("kind")
            if kind not in KINDS:
                self.at(base + ("kind",), f"表“{table_id}”：未知的表格类型 kind“{kind}”；可用：{'、'.join(sorted(KINDS))}")
                continue
            if not spec.get("columns"):
                self.at(base, f"表“{table_id}”缺少 columns")
            if kind == "subject" and spec.get("source") not in subject_sources:
                self.at(base + ("source",), f"表“{table_id}”：source“{spec.get('source')}”不是科目表；可用：{'、'.join(sorted(subject_sources))}")

    def _part_narrative(self, contexts: "_Contexts") -> None:
        self._heading_needed("narrative")
        sections = self.layout.profile.get("narrative", {}).get("sections") if isinstance(self.layout.profile.get("narrative"), dict) else None
        if not sections:
            self.at(("narrative",), "缺少 narrative.sections（情况说明各节）")
            return
        scope = contexts.narrative
        for i, entry in enumerate(sections):
            path = ("narrative", "sections", i)
            if not isinstance(entry, dict):
                self.at(path, "情况说明的一节应写作 {heading: 标题, template: 模板文件}")
                continue
            unknown = set(entry) - {"heading", "template"}
            if unknown:
                self.at(path, f"情况说明的一节中有未知的键：{'、'.join(sorted(unknown))}（只有 heading、template）")
            if "heading" not in entry:
                self.at(path, "情况说明的一节缺少 heading（标题）")
            template = entry.get("template")
            if not template:
                self.at(path, "情况说明的一节缺少 template（模板文件）")
                continue
            self.template_file(str(template), dict(scope, heading=str), path + ("template",))

    def _part_glossary(self, contexts: "_Contexts") -> None:
        self._heading_needed("glossary")
        cfg = self.layout.profile.get("glossary")
        if not isinstance(cfg, dict) or "order" not in cfg:
            self.at(("glossary",), "缺少 glossary 设置（名词解释）")
            return
        terms = cfg.get("terms") or {}

        def check_item(item: Any, path: tuple) -> None:
            if item == "subjects":
                return
            if isinstance(item, str):
                value = terms.get(item)
                if not isinstance(value, (list, tuple)) or len(value) != 2:
                    self.at(path, f"名词解释条目“{item}”未定义（glossary.terms 中应为 [词条, 解释]）")
            elif isinstance(item, dict) and "group" in item:
                for j, sub in enumerate(item.get("items") or []):
                    if isinstance(sub, dict):
                        self.at(path + ("items", j), "名词解释组内只能列条目编号或 subjects")
                    else:
                        check_item(sub, path + ("items", j))
            else:
                self.at(path, f"名词解释的 order 中不能写 {item!r}")

        for i, item in enumerate(cfg.get("order") or []):
            check_item(item, ("glossary", "order", i))

    def _part_appendix(self, contexts: "_Contexts") -> None:
        from disclose.document.parts.appendix import CONTENT

        self._heading_needed("appendix")
        cfg = self.layout.profile.get("appendix")
        if not isinstance(cfg, dict) or "content" not in cfg:
            self.at(("appendix",), "缺少 appendix 设置（附件）")
            return
        forms = cfg.get("forms") or {}
        for i, item in enumerate(cfg.get("content") or []):
            kind = item.get("kind") if isinstance(item, dict) else None
            if kind not in CONTENT:
                self.at(("appendix", "content", i), f"appendix.content 中未知的内容“{kind}”；可用：{'、'.join(CONTENT)}")
                continue
            form = item.get("form")
            if form is not None and form not in forms:
                self.at(("appendix", "content", i, "form"), f"appendix.forms 中没有表式“{form}”")

    def _heading_needed(self, kind: str) -> None:
        headings = self.layout.profile.get("headings") or {}
        value = headings.get(kind)
        if value is None:
            self.at(("headings",), f"缺少 headings.{kind}（“{kind}”部分的标题）")
        elif isinstance(value, dict) and "text" not in value:
            self.at(("headings", kind), f"headings.{kind} 写成映射时须有 text（正文标题），可加 toc（目录条目）")

    # -- template files

    def template_file(self, name: str, scope: dict[str, Any], path: tuple | None = None, *, at: tuple[str, int | None] | None = None) -> None:
        key = (name, tuple(sorted(scope)))
        if key in self._analysed:
            return
        self._analysed.add(key)
        try:
            source, filename, _ = self.layout.env.loader.get_source(self.layout.env, name)  # type: ignore[union-attr]
        except TemplateNotFound:
            message = f"模板文件 {name} 不存在（在 {'、'.join(str(f) for f in self.layout.template_folders())} 中都没有找到）"
            if path is not None:
                self.at(path, message)
            elif at is not None:
                self.add(Problem(at[0], at[1], message))
            return
        try:
            tree = self.layout.env.parse(source, name, filename)
        except TemplateSyntaxError as exc:
            self.add(Problem(filename or name, exc.lineno, f"模板语法错误：{exc.message}"))
            return
        self.analyse(_Analyser(self, filename or name, 0, dict(scope), source_name=name), tree)


def _strings(node: Any, path: tuple = ()) -> Iterable[tuple[tuple, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for k, v in node.items():
            if k == "variant_names":
                continue
            yield from _strings(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _strings(v, path + (i,))


# --------------------------------------------------------------------------- what templates receive


class _Contexts:
    """The variables each kind of template sees, with their types (from a probe build context)."""

    def __init__(self, checker: _Checker, ctx):
        self.checker = checker
        base_names = ("dept", "dept_cover", "year", "prior_year", "variant", "style", "amt", "amt_plain", "pct", "pct_short")
        if ctx is not None:
            from disclose.document.parts.narrative import template_context

            self.base = {k: _type_of(v) for k, v in ctx.base_context().items()}
            try:
                self.narrative = {k: _type_of(v) for k, v in template_context(ctx).items()}
            except Exception:  # noqa: BLE001 - the dry build reports it
                self.narrative = dict(self.base)
        else:
            self.base = dict.fromkeys(base_names, UNKNOWN)
            self.narrative = dict(self.base)

    def for_path(self, path: tuple) -> dict[str, Any]:
        """The scope of a template string at ``path`` of the profile."""
        from disclose.document.parts.overview import STRUCTURE_VARIABLES

        top = path[0] if path else ""
        if top == "narrative" and len(path) >= 3 and path[1] == "sections":
            return dict(self.narrative)
        if top == "tables":
            return dict(self.base, labels=UNKNOWN, label=str, ordinal=str, title=str)
        if top == "overview":
            if len(path) >= 2 and path[1] == "duties_markers":
                return dict(self.base, n=int, cn=str)
            if len(path) >= 2 and path[1] == "duties_heading":
                return dict(self.base, heading=str)
            return dict(self.base, **dict.fromkeys(STRUCTURE_VARIABLES, UNKNOWN))
        if top == "appendix":
            return dict(self.base, weight=str, unit_code=str, division_code=str, name=str)
        return dict(self.base)


def _type_of(value: Any) -> Any:
    if isinstance(value, dict):
        return Concrete(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return type(value)
    if isinstance(value, (str, int, Decimal, bool, float)):
        return type(value)
    return UNKNOWN


def _probe_report(layout: Layout):
    """A minimal, valid data set audited against the layout's requirements."""
    from disclose.findings import SourceMap
    from disclose.model.load import load_dataset
    from disclose.rules.engine import audit

    data = {"profile": {"department": "版式检查部门", "year": 2024, "unit": "元", "layout": layout.name}}
    source = load_dataset(data, SourceMap(f"<{layout.name} 版式检查>"))
    return audit(source, layout.requirements())


# --------------------------------------------------------------------------- the template analyser


def _strip_optional(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else UNKNOWN
    return tp


@dataclass
class _Analyser:
    checker: _Checker
    file_name: str | None  # a template file; None for a template string of the YAML (``yaml_path``)
    offset_value: int | None  # line offset of the template inside its file
    scope: dict[str, Any]
    source_name: str | None
    yaml_path: tuple | None = None

    @property
    def file(self) -> str:
        if self.file_name is None:
            self.file_name, line = self.checker.positions.find(self.yaml_path or (), self.checker.variant)
            self.offset_value = (line - 1) if line else None
        return self.file_name

    @property
    def offset(self) -> int | None:
        self.file  # noqa: B018 - resolves the position of a YAML string
        return self.offset_value

    # -- reporting

    def problem(self, node: nodes.Node, message: str) -> None:
        line = getattr(node, "lineno", None)
        if self.offset is None:
            line = None
        elif line is not None:
            line += self.offset
        self.checker.add(Problem(self.file, line, message))

    # -- statements

    def template(self, tree: nodes.Template) -> None:
        # Macros and top-level assignments are visible everywhere in the template.
        for node in tree.find_all(nodes.Macro):
            self.scope.setdefault(node.name, UNKNOWN)
        self.body(tree.body, self.scope)

    def body(self, statements: list[nodes.Node], scope: dict[str, Any]) -> None:
        for node in statements:
            self.statement(node, scope)

    def statement(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if not isinstance(child, nodes.TemplateData):
                    self.expr(child, scope)
        elif isinstance(node, nodes.Assign):
            value = self.expr(node.node, scope)
            self.assign(node.target, value, scope)
        elif isinstance(node, nodes.AssignBlock):
            self.body(node.body, scope)
            self.assign(node.target, str, scope)
        elif isinstance(node, nodes.For):
            iterable = self.expr(node.iter, scope)
            inner = dict(scope)
            inner["loop"] = UNKNOWN
            self.assign(node.target, self.element(iterable), inner)
            if node.test is not None:
                self.expr(node.test, inner)
            self.body(node.body, inner)
            self.body(node.else_, scope)
        elif isinstance(node, nodes.If):
            self.expr(node.test, scope)
            self.body(node.body, scope)
            for elif_ in node.elif_:
                self.statement(elif_, scope)
            self.body(node.else_, scope)
        elif isinstance(node, nodes.Macro):
            inner = dict(self.scope)
            inner.update(scope)
            for arg in node.args:
                inner[arg.name] = UNKNOWN
            for default in node.defaults:
                self.expr(default, inner)
            inner.update(varargs=UNKNOWN, kwargs=UNKNOWN, caller=UNKNOWN)
            scope[node.name] = UNKNOWN
            self.body(node.body, inner)
        elif isinstance(node, nodes.CallBlock):
            self.expr(node.call, scope)
            inner = dict(scope, caller=UNKNOWN)
            for arg in node.args:
                inner[arg.name] = UNKNOWN
            self.body(node.body, inner)
        elif isinstance(node, nodes.FilterBlock):
            self.body(node.body, scope)
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values):
                self.assign(target, self.expr(value, scope), inner)
            self.body(node.body, inner)
        elif isinstance(node, nodes.Include):
            self.include(node, scope)
        elif isinstance(node, nodes.FromImport):
            name = self.template_name(node.template, scope)
            for item in node.names:
                alias = item[1] if isinstance(item, tuple) else item
                scope[alias] = UNKNOWN
            if name is not None:
                self.checker.template_file(name, self.import_scope(scope, node.with_context), at=(self.file, self.line(node)))
        elif isinstance(node, nodes.Import):
            scope[node.target] = UNKNOWN
            name = self.template_name(node.template, scope)
            if name is not None:
                self.checker.template_file(name, self.import_scope(scope, node.with_context), at=(self.file, self.line(node)))
        elif isinstance(node, (nodes.ExprStmt,)):
            self.expr(node.node, scope)
        else:
            for child in node.iter_child_nodes():
                if isinstance(child, nodes.Stmt):
                    self.statement(child, scope)
                elif isinstance(child, nodes.Expr):
                    self.expr(child, scope)
                elif isinstance(child, nodes.Helper):
                    self.children(child, scope)

    def line(self, node: nodes.Node) -> int | None:
        if self.offset is None:
            return None
        return (getattr(node, "lineno", None) or 1) + self.offset

    def import_scope(self, scope: dict[str, Any], with_context: bool) -> dict[str, Any]:
        # An imported macro file sees the importer's context only ``with context``.
        return dict(scope) if with_context else {}

    def include(self, node: nodes.Include, scope: dict[str, Any]) -> None:
        name = self.template_name(node.template, scope)
        if name is None:
            return
        self.checker.template_file(name, dict(scope) if node.with_context else {}, at=(self.file, self.line(node)))

    def template_name(self, expr: nodes.Expr, scope: dict[str, Any]) -> str | None:
        """The name of an included/imported template: a constant, or a value of the profile
        (``{% include style.performance.body %}``)."""
        if isinstance(expr, nodes.Const) and isinstance(expr.value, str):
            return expr.value
        value = self.expr(expr, scope)
        if isinstance(value, Concrete) and isinstance(value.value, str):
            return value.value
        return None

    def assign(self, target: nodes.Node, value: Any, scope: dict[str, Any]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = value
        elif isinstance(target, nodes.Tuple):
            items = None
            if isinstance(value, tuple) and len(value) == len(target.items):
                items = value
            for i, item in enumerate(target.items):
                self.assign(item, items[i] if items else UNKNOWN, scope)
        elif isinstance(target, nodes.NSRef):
            self.expr(nodes.Name(target.name, "load", lineno=target.lineno), scope)

    # -- expressions: the type of a value (a class, a typing construct, Concrete or UNKNOWN)

    def expr(self, node: nodes.Node, scope: dict[str, Any]) -> Any:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name in self.checker_env_globals() or node.name in JINJA_GLOBALS:
                return UNKNOWN
            known = "、".join(sorted(k for k in scope if not k.startswith("_"))) or "（无）"
            self.problem(node, f"模板引用了未定义的变量“{node.name}”；可用的变量：{known}")
            return UNKNOWN
        if isinstance(node, nodes.Getattr):
            base = self.expr(node.node, scope)
            return self.attribute(node, base, node.attr)
        if isinstance(node, nodes.Getitem):
            base = self.expr(node.node, scope)
            arg = node.arg
            if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
                return self.attribute(node, base, arg.value, item=True)
            self.expr(arg, scope)
            if isinstance(arg, nodes.Const) and isinstance(arg.value, int):
                return self.element(base, arg.value)
            if isinstance(arg, nodes.Slice):
                return base
            return self.value_of(base)
        if isinstance(node, nodes.Const):
            return Concrete(node.value) if isinstance(node.value, str) else type(node.value)
        if isinstance(node, nodes.TemplateData):
            return str
        if isinstance(node, nodes.Filter):
            if node.node is not None:
                value = self.expr(node.node, scope)
            else:
                value = UNKNOWN
            self.call_args(node, scope)
            if node.name not in self.checker.layout.env.filters and node.name not in _LATE_FILTERS:
                self.problem(node, f"模板使用了不存在的过滤器“{node.name}”")
            if node.name in ("join", "clause", "string", "trim", "upper", "lower", "replace", "format"):
                return str
            if node.name in ("length", "count", "int"):
                return int
            if node.name in ("list", "sort", "reverse", "unique", "reject", "select", "rejectattr", "selectattr"):
                return value
            if node.name in ("first", "last"):
                return self.element(value)
            return UNKNOWN
        if isinstance(node, nodes.Test):
            self.expr(node.node, scope)
            self.call_args(node, scope)
            return bool
        if isinstance(node, nodes.Call):
            self.expr(node.node, scope)
            self.call_args(node, scope)
            return UNKNOWN
        if isinstance(node, nodes.CondExpr):
            self.expr(node.test, scope)
            a = self.expr(node.expr1, scope)
            b = self.expr(node.expr2, scope) if node.expr2 is not None else UNKNOWN
            return a if a == b else UNKNOWN
        if isinstance(node, (nodes.Concat,)):
            for child in node.nodes:
                self.expr(child, scope)
            return str
        self.children(node, scope)
        return UNKNOWN

    def children(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        for child in node.iter_child_nodes():
            if isinstance(child, nodes.Expr):
                self.expr(child, scope)
            elif isinstance(child, nodes.Helper):  # Operand, Keyword, Pair
                self.children(child, scope)

    def checker_env_globals(self) -> set[str]:
        return set(self.checker.layout.env.globals)

    def call_args(self, node: Any, scope: dict[str, Any]) -> None:
        for arg in node.args:
            self.expr(arg, scope)
        for kw in node.kwargs:
            self.expr(kw.value, scope)
        for extra in (node.dyn_args, node.dyn_kwargs):
            if extra is not None:
                self.expr(extra, scope)

    def element(self, container: Any, index: int | None = None) -> Any:
        """The type of an item of ``container`` (a ``for`` variable, ``x[0]``)."""
        if isinstance(container, Concrete):
            value = container.value
            if isinstance(value, (list, tuple)):
                if index is not None and -len(value) <= index < len(value):
                    return _concrete(value[index])
                return _concrete(value[0]) if value and all(type(v) is type(value[0]) for v in value) and isinstance(value[0], (dict, str)) else UNKNOWN
            if isinstance(value, dict):
                return Concrete(next(iter(value))) if value else UNKNOWN
            return UNKNOWN
        tp = _strip_optional(container)
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin in (list, set, frozenset, typing.Sequence, typing.Iterable) and args:
            return args[0]
        if origin is tuple and args:
            if index is not None and len(args) > index and args[-1] is not Ellipsis:
                return args[index]
            if len(args) == 2 and args[1] is Ellipsis:
                return args[0]
            return tuple(args) if index is None else UNKNOWN
        if origin is dict and args:
            return args[0]
        return UNKNOWN

    def value_of(self, container: Any) -> Any:
        tp = _strip_optional(container)
        if typing.get_origin(tp) is dict and typing.get_args(tp):
            return typing.get_args(tp)[1]
        if typing.get_origin(tp) in (list, tuple) and typing.get_args(tp):
            return typing.get_args(tp)[0]
        return UNKNOWN

    def attribute(self, node: nodes.Node, base: Any, name: str, item: bool = False) -> Any:
        """The type of ``base.name`` (``base["name"]``); a problem when ``base`` has no such field."""
        if base is UNKNOWN or base is None:
            return UNKNOWN
        if isinstance(base, Concrete):
            value = base.value
            if isinstance(value, dict):
                if name in value:
                    return _concrete(value[name])
                if not item and hasattr(dict, name):
                    return UNKNOWN
                keys = "、".join(str(k) for k in value) or "（无）"
                self.problem(node, f"模板引用了不存在的设置“{_text(node)}”（没有 {name}；有：{keys}）")
                return UNKNOWN
            if isinstance(value, str):
                return self.attribute(node, str, name, item)
            return UNKNOWN
        if isinstance(base, tuple):
            return UNKNOWN
        tp = _strip_optional(base)
        if tp is UNKNOWN or tp is typing.Any:
            return UNKNOWN
        if dataclasses.is_dataclass(tp) and isinstance(tp, type):
            hints = _hints(tp)
            if name in hints:
                return hints[name]
            attr = getattr(tp, name, None)
            if isinstance(attr, property):
                return _hints(attr.fget).get("return", UNKNOWN) if attr.fget else UNKNOWN
            if attr is not None:
                return UNKNOWN
            available = sorted(set(hints) | {k for k, v in vars(tp).items() if isinstance(v, property)})
            self.problem(node, f"模板引用了不存在的数“{_text(node)}”（{tp.__name__} 没有 {name}；有：{'、'.join(available)}）")
            return UNKNOWN
        origin = typing.get_origin(tp)
        if origin is dict:
            if hasattr(dict, name) and not item:
                return UNKNOWN
            args = typing.get_args(tp)
            return args[1] if args else UNKNOWN
        if origin in (list, tuple):
            if hasattr(list, name) and not item:
                return UNKNOWN
            self.problem(node, f"模板引用了不存在的数“{_text(node)}”（列表没有 {name}）")
            return UNKNOWN
        if isinstance(tp, type) and tp in (str, int, Decimal, bool, float):
            if hasattr(tp, name):
                return UNKNOWN
            self.problem(node, f"模板引用了不存在的数“{_text(node)}”（{_TYPE_NAMES.get(tp, tp.__name__)}没有 {name}）")
            return UNKNOWN
        return UNKNOWN


_LATE_FILTERS = {"clause"}  # registered by the narrative part when it renders
_TYPE_NAMES = {str: "文字", int: "整数", Decimal: "金额", bool: "真假值", float: "数"}


def _concrete(value: Any) -> Any:
    if isinstance(value, (dict, list, str)):
        return Concrete(value)
    if value is None:
        return UNKNOWN
    return type(value)


def _hints(obj: Any) -> dict[str, Any]:
    try:
        return typing.get_type_hints(obj)
    except Exception:  # noqa: BLE001 - an annotation we cannot resolve is unknown, not wrong
        return {}


def _text(node: nodes.Node) -> str:
    """``f.general_budget.totl`` for a chain of attributes (for messages)."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_text(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        arg = node.arg
        inner = repr(arg.value) if isinstance(arg, nodes.Const) else "…"
        return f"{_text(node.node)}[{inner}]"
    return "…"

