"""第五部分 附件 (SPEC §7): self-evaluation forms, the 汇总表 and the evaluation reports.

What a variant prints, and every label, title and column of its forms, is profile
data (``appendix:`` in ``templates/<layout>/appendix.yaml``); nothing here branches
on a variant's name.

Kinds of content (``appendix.content``): ``self_evaluations`` (one NY/JY-style project form per
self-evaluation), ``overall`` (the JZ 整体 form), ``summary_table``, ``reports``, and the two
liaoning-style forms (SPEC §7.5): ``task_overall`` — a 部门（单位）整体 form with a task block
(下达/执行金额, 执行率, 分值 × 执行率) and operator/value/unit indicator columns, totalled as
Σ task scores + Σ indicator scores; ``capped_projects`` — one 预算项目（政策） form per
self-evaluation, whose 总得分 is capped by the execution rate (59 below 50%, 69 below the
profile's ``appendix.scoring.cap_threshold``) with the 减分项 truncated to 3 decimals.

Numbers. Amounts typed in a form are printed as typed (trailing zeros stripped:
``2.5``, ``17.5``). The mechanical figures — 年度资金总额 (Σ of the three lines), 执行率,
资金得分, the 分值 total and the 总分 — are computed by ``disclose.model.scoring`` and
printed as computed, even where the data state something else: 000's 资金得分 8.62 with
an 执行率 of 100% prints 10 (the audit reports the stated figure, rules P01–P03, P06, P07,
as errors). Indicator 得分 and 偏差度 are the department's judgement (the audit only warns
when they depart from the observed rules, P04/P05): a stated figure is printed as stated,
a missing one is computed by the rules. 总分 = 资金得分 + Σ 资金管理得分 + Σ printed indicator
scores, so the printed form always adds up.
All use of ``scoring`` is in ``form_figures`` and ``summary_rate``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Iterable

from disclose.compute.forms import form_number, jy_deviation, jy_rate, ny_deviation, ny_rate, stripped_percent
from disclose.document.context import BuildContext
from disclose.document.ir import Cell, Column, Document, Heading, InfoLine, Paragraph, Run, Section, Table
from disclose.document.layout import LayoutError
from disclose.document.parts import part, part_heading
from disclose.money import r2, strip_zeros

LINES = ("fiscal", "special_account", "unit_funds")
FUNDS_ROWS = ("total", *LINES)
INDICATOR_COLUMNS = 9  # 一级 二级 三级 指标值 完成值 分值 得分 偏差度 原因


# --------------------------------------------------------------------------- the part


@part("appendix")
def build_appendix(ctx: BuildContext, doc: Document, spec: dict) -> None:
    cfg = ctx.layout.get("appendix")
    if not isinstance(cfg, dict) or "content" not in cfg:
        raise LayoutError(f"{ctx.layout.root}：缺少 appendix 设置（appendix.yaml）")
    pending: list = [part_heading(ctx, "appendix")]
    for item in cfg.get("content") or []:
        kind = item.get("kind")
        builder = CONTENT.get(kind)
        if builder is None:
            raise LayoutError(f"{ctx.layout.root}：appendix.content 中未知的内容“{kind}”；可用：{'、'.join(CONTENT)}")
        for section in builder(ctx, cfg, item):
            # The part heading opens the first page of the appendix, above its first form.
            if pending:
                section.blocks[:0] = pending
                pending = []
            doc.sections.append(section)
    if pending:
        doc.new_section(orientation="portrait").add(*pending)


def _self_evaluations(ctx: BuildContext, cfg: dict, item: dict) -> list[Section]:
    form_cfg = _form_cfg(ctx, cfg, item)
    return [form_section(ctx, form_cfg, form) for form in ctx.data.performance.self_evaluations]


def _overall(ctx: BuildContext, cfg: dict, item: dict) -> list[Section]:
    overall = ctx.data.performance.overall
    if overall is None:
        return []
    form_cfg = _form_cfg(ctx, cfg, item)
    label = overall.label or (ctx.render_heading(item["label"]) if item.get("label") else None)
    return [form_section(ctx, form_cfg, overall, label=label, title=overall.title or form_cfg.get("title"))]


def _summary(ctx: BuildContext, cfg: dict, item: dict) -> list[Section]:
    summary = ctx.data.performance.summary_table
    if summary is None:
        return []
    scfg = cfg.get("summary_table") or {}
    label = summary.label or (ctx.render_heading(item["label"]) if item.get("label") else None)
    section = Section(orientation=scfg.get("orientation", "landscape"), keep_together=False)
    if label:
        section.add(Paragraph.of(label, "plain", bold=True))
    section.add(Paragraph.of(summary.title, "table-title"))
    if scfg.get("unit_line"):
        section.add(InfoLine(right=scfg["unit_line"]))
    section.add(summary_table(scfg, summary.rows))
    return [section]


def _reports(ctx: BuildContext, cfg: dict, item: dict) -> list[Section]:
    rcfg = cfg.get("reports") or {}
    return [report_section(rcfg, report) for report in ctx.data.performance.reports]


def _task_overall(ctx: BuildContext, cfg: dict, item: dict) -> list[Section]:
    overall = ctx.data.performance.overall
    if overall is None:
        return []
    form_cfg = _form_cfg(ctx, cfg, item, TASK_OVERALL_COLUMNS)
    return [task_overall_section(ctx, form_cfg, overall)]


def _capped_projects(ctx: BuildContext, cfg: dict, item: dict) -> list[Section]:
    form_cfg = _form_cfg(ctx, cfg, item, CAPPED_PROJECT_COLUMNS)
    return [capped_project_section(ctx, form_cfg, form) for form in ctx.data.performance.self_evaluations]


CONTENT: dict[str, Callable[[BuildContext, dict, dict], list[Section]]] = {
    "self_evaluations": _self_evaluations,
    "overall": _overall,
    "summary_table": _summary,
    "reports": _reports,
    "task_overall": _task_overall,
    "capped_projects": _capped_projects,
}


def _form_cfg(ctx: BuildContext, cfg: dict, item: dict, width: int | None = None) -> dict:
    """The form's layout settings, checked to have ``width`` columns (default: the
    indicator forms' columns, plus one for a vertical label)."""
    name = item.get("form")
    forms = cfg.get("forms") or {}
    if name not in forms:
        raise LayoutError(f"{ctx.layout.root}：appendix.forms 中没有表式“{name}”")
    form_cfg = dict(forms[name])
    # One rule set for the forms and the audit: the layout's requirements (``audit.rule_set``).
    form_cfg["rule_set"] = form_cfg.get("rule_set") or ctx.layout.requirements().rule_set
    if width is None:
        width = INDICATOR_COLUMNS + (1 if form_cfg.get("vertical_label") else 0)
    actual = len(form_cfg.get("columns") or [])
    if actual != width:
        raise LayoutError(f"{ctx.layout.root}：appendix.forms.{name}.columns 应有 {width} 列，实际 {actual} 列")
    return form_cfg


# --------------------------------------------------------------------------- figures (scoring)


@dataclass
class IndicatorFigures:
    score: Decimal | None
    deviation: Decimal | None


@dataclass
class FormFigures:
    """Every number a form prints, derived by ``disclose.model.scoring``."""

    lines: dict[str, tuple[Decimal | None, Decimal | None, Decimal | None]]  # total + the three lines
    rates: dict[str, Decimal | None]
    funds_weight: Decimal
    funds_score: Decimal | None
    indicators: list[IndicatorFigures]
    weight_total: Decimal
    total: Decimal | None
    goal_actual: str | None  # the default 实际完成情况 text


def form_figures(form: Any, rule_set: str, *, management: bool = True, extra_weight: Decimal = Decimal(0)) -> FormFigures:
    """The printed numbers of a ``SelfEvaluation`` or ``OverallEvaluation``.

    ``management``: whether the form has a 资金管理情况 block whose scores count in the total
    (a form without management rows then has no computable total). ``extra_weight``: weights of
    default rows printed in place of missing management rows.
    """
    from disclose.model import scoring

    scores = scoring.form_scores(form, rule_set)  # type: ignore[arg-type]
    lines: dict[str, tuple[Decimal | None, Decimal | None, Decimal | None]] = {}
    for name in LINES:
        ln = scores.lines[name]
        figures = (ln.initial, ln.full_year, ln.executed)
        # A line left out entirely counts as zero (scoring.line_sum): print it so.
        lines[name] = (Decimal(0),) * 3 if all(v is None for v in figures) else figures
    # 年度资金总额: the sum of the three lines where every figure is known, else the stated figure.
    sums, stated = scores.line_sums, scores.total_line
    lines["total"] = tuple(  # type: ignore[assignment]
        sums.get(c) if sums.get(c) is not None else stated.get(c) for c in scoring.COLUMNS
    )
    rates = {name: scoring.rate(lines[name][2], lines[name][1]) for name in FUNDS_ROWS}
    weight = scores.funds_weight
    funds_score = scoring.funds_score(weight, lines["total"][2], lines["total"][1])
    if funds_score is None:
        funds_score = form.funds.score  # blank figures: nothing to compute from

    indicators = []
    for ind in form.indicators:
        candidates = [
            c for c in scoring.indicator_candidates(ind.target, ind.actual, ind.weight, rule_set) if c.derived  # type: ignore[arg-type]
        ]
        if ind.score is not None:
            # The department's score; a missing 偏差度 only from the rule that score follows.
            same = next((c for c in candidates if c.score == r2(Decimal(ind.score))), None)
            deviation = ind.deviation if ind.deviation is not None else (same.deviation if same else None)
            indicators.append(IndicatorFigures(Decimal(ind.score), deviation))
        elif candidates:
            first = candidates[0]
            indicators.append(IndicatorFigures(first.score, ind.deviation if ind.deviation is not None else first.deviation))
        else:
            indicators.append(IndicatorFigures(None, ind.deviation))

    rows = list(getattr(form, "management", None) or [])
    parts: list[Decimal | None] = [funds_score, *(i.score for i in indicators)]
    if management:
        if rows:
            parts.extend(Decimal(m.score) for m in rows)
        else:
            parts.append(None)  # management scores unknown
    total = sum(parts, Decimal(0)) if all(p is not None for p in parts) else None  # type: ignore[arg-type]
    if total is None and getattr(form, "total_score", None) is not None:
        total = form.total_score  # nothing to compute from: the stated figure

    goal = None
    project = getattr(form, "project", None)
    if project:
        goal = scoring.default_goal_actual(project, lines["total"][0], lines["total"][2])
    return FormFigures(
        lines=lines,
        rates=rates,
        funds_weight=weight,
        funds_score=funds_score,
        indicators=indicators,
        weight_total=scores.weight_total + extra_weight,
        total=total,
        goal_actual=goal,
    )


def summary_rate(budget: Decimal, executed: Decimal) -> Decimal | None:
    from disclose.model import scoring

    return scoring.rate(executed, budget)


# --------------------------------------------------------------------------- a form


def form_section(ctx: BuildContext, cfg: dict, form: Any, *, label: str | None = None, title: str | None = None) -> Section:
    section = Section(orientation=cfg.get("orientation", "landscape"), keep_together=bool(cfg.get("keep_together", True)))
    if label:
        section.add(Paragraph.of(label, "plain", bold=True))
    section.add(Paragraph.of(title or cfg.get("title", ""), "table-title"))
    if cfg.get("period_line"):
        period = getattr(form, "period", None)
        if period is None and cfg.get("period"):
            period = ctx.render_heading(cfg["period"])
        if period:
            section.add(Paragraph.of(period, "center"))
    section.add(form_table(ctx, cfg, form))
    return section


class _Grid:
    """Rows of cells for a form of ``width`` columns."""

    def __init__(self, width: int):
        self.width = width
        self.rows: list[list[Cell]] = []

    def add(self, *cells: Cell) -> None:
        self.rows.append(list(cells))


def _label(text: str, colspan: int = 1, rowspan: int = 1, bold: bool = False) -> Cell:
    return Cell(text, colspan=colspan, rowspan=rowspan, align="center", bold=bold)


def _text(text: str | None, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(text or "", colspan=colspan, rowspan=rowspan, align="left")


def _num(text: str, colspan: int = 1) -> Cell:
    return Cell(text, colspan=colspan, align="center")


def _amount(value: Decimal | None) -> str:
    """An amount as typed: ``2.5``, ``17.5``, ``0``; blank when not given."""
    return "" if value is None else strip_zeros(Decimal(value))


def form_table(ctx: BuildContext, cfg: dict, form: Any) -> Table:
    labels = cfg.get("labels") or {}
    blocks = list(cfg.get("blocks") or [])
    width = len(cfg["columns"])
    offset = 1 if cfg.get("vertical_label") else 0
    rest = width - 2  # columns right of a block's 2-column label

    management_rows = _management_rows(cfg, form) if "management" in blocks else []
    defaults_used = "management" in blocks and not list(getattr(form, "management", None) or [])
    extra = sum((Decimal(w) for _, _, w, _, _ in management_rows), Decimal(0)) if defaults_used else Decimal(0)
    fig = form_figures(form, cfg["rule_set"], management="management" in blocks, extra_weight=extra)
    rate_fmt = jy_rate if cfg.get("rate") == "bare" else ny_rate
    dev_fmt = jy_deviation if cfg.get("deviation") == "percent" else ny_deviation
    na = str(cfg.get("na", "—"))

    g = _Grid(width)
    for block in blocks:
        if block == "project":
            g.add(_label(labels.get("project", "项目名称"), 2), _text(form.project, rest))
        elif block == "departments":
            department = getattr(form, "department", None) or ctx.department
            implementer = getattr(form, "implementer", None) or ""
            g.add(
                _label(labels.get("department", "主管部门"), 2),
                _text(department, 3),
                _label(labels.get("implementer", "实施单位")),
                _text(implementer, rest - 4),
            )
        elif block == "unit":
            g.add(_label(labels.get("unit", "部门（单位）名称"), 2), _text(ctx.department, rest))
        elif block == "funds":
            header = list(labels.get("funds_header") or [])
            names = labels.get("funds_lines") or {}
            g.add(
                _label(labels.get("funds", ""), 2, rowspan=1 + len(FUNDS_ROWS), bold=True),
                _label(""),
                *(_label(h, bold=True) for h in header[:5]),
                _label(header[5] if len(header) > 5 else "得分", rest - 6, bold=True),
            )
            for name in FUNDS_ROWS:
                amounts = [_num(_amount(v)) for v in fig.lines[name]]
                if name == "total":
                    tail = [_num(strip_zeros(fig.funds_weight)), _num(rate_fmt(fig.rates[name])), _num(form_number(fig.funds_score), rest - 6)]
                else:
                    tail = [_num(na), _num(rate_fmt(fig.rates[name])), _num(na, rest - 6)]
                g.add(_label(names.get(name, name)), *amounts, *tail)
        elif block == "management":
            header = list(labels.get("management_header") or [])
            weight = sum((Decimal(w) for _, _, w, _, _ in management_rows), Decimal(0))
            heads = [ctx.render_heading(h, weight=strip_zeros(weight)) for h in header]
            g.add(
                _label(labels.get("management", "资金管理情况"), 2, rowspan=1 + len(management_rows), bold=True),
                _label(""),
                _label(heads[0], 3, bold=True),
                _label(heads[1], bold=True),
                _label(heads[2], bold=True),
                _label(heads[3], rest - 6, bold=True),
            )
            for item, note, w, score, issue in management_rows:
                g.add(_label(item), _text(note, 3), _num(strip_zeros(Decimal(w))), _num(form_number(score)), _text(issue, rest - 6))
        elif block == "goals":
            header = list(labels.get("goals_header") or ["预期目标", "实际完成情况"])
            left = rest // 2
            actual = getattr(form, "goal_actual", None)
            if actual is None and cfg.get("goal_actual_default"):
                actual = fig.goal_actual
            g.add(_label(labels.get("goals", ""), 2, rowspan=2, bold=True), _label(header[0], left, bold=True), _label(header[1], rest - left, bold=True))
            g.add(_text(getattr(form, "goal_expected", None), left), _text(actual, rest - left))
        elif block == "tasks":
            tasks = list(getattr(form, "tasks", None) or [])
            if not tasks:
                continue
            header = list(labels.get("tasks_header") or ["任务名称", "主要内容", "实际完成情况"])
            left = rest // 2
            g.add(_label(header[0], 2, bold=True), _label(header[1], left, bold=True), _label(header[2], rest - left, bold=True))
            for task in tasks:
                g.add(_text(task.name, 2), _text(task.content, left), _text(task.actual, rest - left))
        elif block == "indicator_title":
            g.add(_label(labels.get("indicator_title", "绩效指标"), width, bold=True))
        elif block == "indicators":
            _indicator_block(g, cfg, labels, form, fig, dev_fmt, offset)
        elif block == "total":
            g.add(
                _label(labels.get("total", "总分"), width - 4, bold=True),
                _num(strip_zeros(fig.weight_total)),
                _num(form_number(fig.total)),
                _text("", 2),
            )
        else:
            raise LayoutError(f"{ctx.layout.root}：表式中未知的块“{block}”")
    columns = [Column(float(w), "center") for w in cfg["columns"]]
    return Table(columns=columns, header=[], body=g.rows, font_size=cfg.get("font_size", "small"), name=cfg.get("title", ""))


def _management_rows(cfg: dict, form: Any) -> list[tuple[str, str | None, Decimal, Decimal | None, str | None]]:
    """(item, note, weight, score, issue) per row; the profile's default rows when the form has none."""
    defaults = {str(item): str(note) for item, note in (cfg.get("management_defaults") or [])}
    rows = list(getattr(form, "management", None) or [])
    if rows:
        return [(m.item, m.note if m.note is not None else defaults.get(m.item), m.weight, m.score, m.issue) for m in rows]
    weight = Decimal(str(cfg.get("management_weight", 5)))
    return [(item, note, weight, None, None) for item, note in defaults.items()]


def _indicator_block(g: _Grid, cfg: dict, labels: dict, form: Any, fig: FormFigures, dev_fmt, offset: int) -> None:
    rows = indicator_rows(form.indicators, fig.indicators, cfg.get("skeleton"))
    header = list(labels.get("indicators_header") or [])
    if len(header) != INDICATOR_COLUMNS:
        raise LayoutError(f"indicators_header 应有 {INDICATOR_COLUMNS} 个列名，实际 {len(header)} 个")
    first: list[Cell] = []
    if offset:
        first.append(_label(str(cfg["vertical_label"]), rowspan=1 + len(rows), bold=True))
    g.add(*first, *(_label(h, bold=True) for h in header))

    spans1 = _runs([r[0] for r in rows])
    spans2 = _runs([(r[0], r[1]) for r in rows])
    for i, (level1, level2, ind, figures) in enumerate(rows):
        cells: list[Cell] = []
        if i in spans1:
            cells.append(_label(level1, rowspan=spans1[i]))
        if i in spans2:
            cells.append(_label(level2, rowspan=spans2[i]))
        if ind is None:
            cells.extend([_text(""), _num(""), _num(""), _num(""), _num(""), _num(""), _text("")])
        else:
            cells.extend(
                [
                    _text(ind.name),
                    _num(ind.target or ""),
                    _num(ind.actual or ""),
                    _num(strip_zeros(Decimal(ind.weight))),
                    _num(form_number(figures.score)),
                    _num(dev_fmt(figures.deviation)),
                    _text(ind.remark),
                ]
            )
        g.add(*cells)


def indicator_rows(indicators: list, figures: list[IndicatorFigures], skeleton: list | None) -> list[tuple[str, str, Any, Any]]:
    """(一级, 二级, indicator or None, figures) per printed row, grouped so that equal 一级/二级 are adjacent.

    Without a skeleton: 一级 in order of first appearance, 二级 likewise within each 一级, the
    indicators in input order. With a skeleton: its 一级/二级 first, in its order, with an empty
    row for each 二级 that has no indicator; indicators outside the skeleton follow.
    """
    pairs = list(zip(indicators, figures))
    order: dict[str, dict[str, list]] = {}
    empty_ok: set[tuple[str, str]] = set()
    for group in skeleton or []:
        level1 = str(group["level1"])
        for level2 in group.get("level2") or []:
            order.setdefault(level1, {}).setdefault(str(level2), [])
            empty_ok.add((level1, str(level2)))
    for ind, fig in pairs:
        order.setdefault(ind.level1, {}).setdefault(ind.level2, []).append((ind, fig))
    rows: list[tuple[str, str, Any, Any]] = []
    for level1, level2s in order.items():
        for level2, items in level2s.items():
            if not items:
                if (level1, level2) in empty_ok:
                    rows.append((level1, level2, None, None))
                continue
            rows.extend((level1, level2, ind, fig) for ind, fig in items)
    return rows


def _runs(keys: list) -> dict[int, int]:
    """Index of the first row of each run of equal keys → the run's length."""
    out: dict[int, int] = {}
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            out[start] = i - start
            start = i
    return out


# --------------------------------------------------------------------------- 汇总表


def summary_table(cfg: dict, rows: Iterable[Any]) -> Table:
    columns = [(str(name), float(width)) for name, width in cfg.get("columns") or []]
    missing = str(cfg.get("missing_rate", "-%"))
    yes, no = (cfg.get("deviation_words") or ["是", "否"])[:2]

    def pct(value: Decimal | None) -> str:
        return missing if value is None else f"{strip_zeros(Decimal(value))}%"

    body = []
    for row in rows:
        rates = list(row.rates) + [None] * max(0, 6 - len(row.rates))
        computed = summary_rate(row.budget, row.executed)
        execution = stripped_percent(computed) if computed is not None else pct(rates[0])
        cells = [
            _num(row.unit_code or ""),
            _text(row.unit_name),
            _num(row.department_code or ""),
            _text(row.department_name),
            _text(row.project),
            _num(row.project_type or ""),
            _num(row.office or ""),
            _num(_amount(row.budget)),
            _num(_amount(row.executed)),
            _num(_amount(row.system_executed)),
            _num(execution),
            *(_num(pct(r)) for r in rates[1:6]),
            _num(_amount(row.score)),
            _num(yes if row.deviation else no),
        ]
        body.append(cells)
    header = [[_label(name, bold=True) for name, _ in columns]]
    return Table(
        columns=[Column(w, "center") for _, w in columns],
        header=header,
        body=body,
        font_size=cfg.get("font_size", "small"),
        name="项目单位自评汇总表",
    )


# --------------------------------------------------------------------------- reports


def report_section(cfg: dict, report: Any) -> Section:
    section = Section(orientation=cfg.get("orientation", "portrait"))
    if report.label:
        section.add(Paragraph.of(report.label, "plain", bold=True))
    if report.title:
        section.add(Paragraph.of(report.title, "table-title"))
    rules = [(re.compile(str(h["pattern"])), h) for h in cfg.get("headings") or []]
    limit = int(cfg.get("max_chars", 40))
    for text in report.paragraphs:
        text = text.strip()
        if not text:
            continue
        section.add(report_block(text, rules, limit))
    return section


def report_block(text: str, rules: list[tuple[re.Pattern, dict]], limit: int) -> Heading | Paragraph:
    """A report paragraph: a short one opening with a heading number is a minor heading or bold."""
    if len(text) <= limit:
        for pattern, rule in rules:
            if pattern.match(text):
                if rule.get("level"):
                    return Heading(text, int(rule["level"]), toc=False)
                if rule.get("bold"):
                    return Paragraph([Run(text, True)], "body")
    return Paragraph.of(text)


# --------------------------------------------------------------------------- task / capped forms (SPEC §7.5)

TASK_OVERALL_COLUMNS = 16  # 一级 二级 三级 运算符号 指标值 度量单位 完成值 完成程度 分值 得分 + 5 原因 + 改进措施
CAPPED_PROJECT_COLUMNS = 18  # 绩效指标 + 一级 二级 三级 + 3 目标值 + 完成值 完成程度 分值 得分 + 6 原因 + 改进措施
REASONS = ("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他")
OPERATORS = {">=": ">=", "<=": "<=", "=": "=", "": "="}


def _threshold(ctx: BuildContext) -> Decimal | None:
    value = ctx.layout.get("appendix.scoring.cap_threshold")
    return Decimal(str(value)) if value is not None else None


def target_cells(target: str | None) -> tuple[str, str, str]:
    """(运算符号, 指标值, 度量单位) of a 年度指标值: ``≥95%`` → (``>=``, ``95``, ``%``); a qualitative
    target is its text with no operator and unit; an unreadable one is printed as written."""
    from disclose.model import scoring

    parsed = scoring.parse_target(target)
    if parsed is None:
        return "", target or "", ""
    if parsed.op == "qualitative":
        return "", parsed.text, ""
    return OPERATORS.get(parsed.op, parsed.op), strip_zeros(parsed.value) if parsed.value is not None else "", parsed.unit


def _completion(ind: Any, score: Decimal | None) -> str:
    if ind.completion is not None:
        return strip_zeros(Decimal(ind.completion))
    if score is None or not ind.weight:
        return ""
    return form_number(score / Decimal(ind.weight))


def _form_title(ctx: BuildContext, section: Section, cfg: dict) -> None:
    section.add(Paragraph.of(ctx.render_heading(str(cfg.get("title", ""))), "table-title"))
    if cfg.get("period"):
        section.add(Paragraph.of(ctx.render_heading(str(cfg["period"])), "center"))


def _ln_indicator_rows(form: Any, scores: list[Decimal | None], *, with_remark_column: bool) -> list[list[Cell]]:
    """The LN forms' indicator rows: 一级/二级指标 merged down equal runs, target split
    into sign, value and unit, the score as computed, the reasons and the measures."""
    spans1, spans2 = _merged_levels([(i.level1, i.level2) for i in form.indicators])
    rows = []
    for i, (ind, score) in enumerate(zip(form.indicators, scores)):
        op, value, unit_text = target_cells(ind.target)
        cells: list[Cell] = []
        if i in spans1:
            cells.append(_label(ind.level1, rowspan=spans1[i]))
        if i in spans2:
            cells.append(_label(ind.level2, rowspan=spans2[i]))
        cells += [
            _text(ind.name), _num(op), _num(value), _num(unit_text), _num(ind.actual or ""), _num(_completion(ind, score)),
            _num(strip_zeros(Decimal(ind.weight))), _num(form_number(score)),
        ]
        cells += _reason_cells(ind, with_remark_column=with_remark_column)
        cells.append(_text(ind.measures))
        rows.append(cells)
    return rows


def _merged_levels(rows: list[tuple[str, str]]) -> tuple[dict[int, int], dict[int, int]]:
    return _runs([r[0] for r in rows]), _runs([(r[0], r[1]) for r in rows])


def task_overall_section(ctx: BuildContext, cfg: dict, form: Any) -> Section:
    """部门（单位）整体绩效自评表 (SPEC §7.5.1)."""
    from disclose.compute.narrative import indicator_scores
    from disclose.model import scoring

    labels = cfg.get("labels") or {}
    section = Section(orientation=cfg.get("orientation", "landscape"), keep_together=bool(cfg.get("keep_together", False)))
    _form_title(ctx, section, cfg)
    g = _Grid(TASK_OVERALL_COLUMNS)
    unit = ctx.department
    if form.unit_code or form.division_code:  # “XXXXXX {名称}-XXXXXXXXX”
        unit = ctx.render_heading(
            str(cfg.get("unit_line", "{{ unit_code }} {{ name }}-{{ division_code }}")),
            unit_code=form.unit_code or "", division_code=form.division_code or "", name=ctx.department,
        )
    g.add(_label(labels.get("unit", "部门（单位）名称"), 3, bold=True), _text(unit, 13))
    g.add(_label(labels.get("income_budget", "部门年初预算收入金额"), 3, bold=True), _text(_amount2(form.income_budget), 13))
    g.add(_label(labels.get("expenditure_budget", "部门年初预算支出金额"), 3, bold=True), _text(_amount2(form.expenditure_budget), 13))

    heads = list(labels.get("tasks_header") or ["年度主要任务", "对应项目", "项目下达金额", "项目执行金额", "项目执行率", "分值", "得分"])
    spans = (3, 4, 2, 2, 2, 1, 2)
    g.add(*(_label(h, n, bold=True) for h, n in zip(heads, spans)))
    task_scores: list[Decimal] = []
    for task in form.tasks:
        rate = score = None
        if task.issued is not None and task.executed is not None:
            computed = scoring.ln_task(Decimal(task.weight or 0), Decimal(task.issued), Decimal(task.executed))
            rate, score = computed.rate, (computed.score if task.weight is not None else None)
        if task.score is not None:
            score = Decimal(task.score)
        if score is not None:
            task_scores.append(score)
        cells = [
            _text(task.name, 3),
            _text(task.project or task.content, 4),
            _num(_amount(task.issued), 2),
            _num(_amount(task.executed), 2),
            _num("" if rate is None else f"{r2(rate)}%", 2),
            _num(_amount(task.weight)),
            _num(form_number(score), 2),
        ]
        g.add(*cells)

    goals = list(labels.get("goals_header") or ["年初总体目标", "全年完成情况"])
    g.add(_label(labels.get("goals", "年度目标"), 3, rowspan=2, bold=True), _label(goals[0], 6, bold=True), _label(goals[1], 7, bold=True))
    g.add(_text(form.goal_expected, 6), _text(form.goal_actual, 7))

    header = list(labels.get("indicators_header") or [
        "一级指标", "二级指标", "三级指标", "运算符号", "指标值", "度量单位", "全年完成值", "完成程度", "分值", "得分", "偏差原因分析", "改进措施"])
    reasons_header = list(labels.get("reasons_header") or [f"{r}原因分析" for r in REASONS])
    g.add(*(_label(h, rowspan=2, bold=True) for h in header[:10]), _label(header[10], 5, bold=True), _label(header[11], rowspan=2, bold=True))
    g.add(*(_label(h, bold=True) for h in reasons_header))
    scores = indicator_scores(form, cfg["rule_set"])
    for row in _ln_indicator_rows(form, scores, with_remark_column=False):
        g.add(*row)
    _, total = scoring.ln_overall([], [*task_scores, *(s for s in scores if s is not None)])
    g.add(_label(labels.get("total", "总评价得分"), TASK_OVERALL_COLUMNS - 2, bold=True), _num(f"{r2(total)}", 2))
    columns = [Column(float(w), "center") for w in cfg["columns"]]
    section.add(Table(columns=columns, header=[], body=g.rows, font_size=cfg.get("font_size", "tiny"), name=str(cfg.get("title", ""))))
    return section


def _reason_cells(ind: Any, *, with_remark_column: bool) -> list[Cell]:
    """The 未完成原因 check columns (√), and where the form has no 原因说明 column, the remark in
    the first checked column (or in 其他 when none is checked)."""
    checked = set(ind.reasons or [])
    cells = []
    remark_placed = with_remark_column or not ind.remark
    for reason in REASONS:
        text = ""
        if reason in checked:
            text = "√"
            if not remark_placed:
                text, remark_placed = ind.remark, True
        elif reason == REASONS[-1] and not remark_placed and not checked:
            text, remark_placed = ind.remark, True
        cells.append(_num(text) if text == "√" else _text(text))
    if with_remark_column:
        cells.append(_text(ind.remark))
    return cells


def _amount2(value: Decimal | None) -> str:
    """A 万元 amount with 2 decimals (the 整体 form's year-start budgets)."""
    return "" if value is None else f"{r2(Decimal(value))}"


def capped_project_section(ctx: BuildContext, cfg: dict, form: Any) -> Section:
    """预算项目（政策）绩效自评表 (SPEC §7.5.2), one per project."""
    from disclose.compute.forms import ln_deduction, ln_total
    from disclose.compute.narrative import project_score

    labels = cfg.get("labels") or {}
    score = project_score(form, cfg["rule_set"], _threshold(ctx))
    section = Section(orientation=cfg.get("orientation", "landscape"), keep_together=bool(cfg.get("keep_together", True)))
    _form_title(ctx, section, cfg)
    width = CAPPED_PROJECT_COLUMNS
    g = _Grid(width)
    line = str(cfg.get("department_line", "{{ name }}"))
    department = ctx.render_heading(line, name=form.department or ctx.department)
    implementer = ctx.render_heading(line, name=form.implementer or form.department or ctx.department)
    g.add(_label(labels.get("project", "项目（政策）名称"), 3, bold=True), _text(form.project, width - 3))
    g.add(_label(labels.get("department", "主管部门"), 3, bold=True), _text(department, width - 3))
    g.add(_label(labels.get("implementer", "实施单位"), 3, bold=True), _text(implementer, width - 3))
    g.add(
        _label(labels.get("budget", "项目预算金额（万元）"), 3, bold=True), _num(_amount(score.budget), 3),
        _label(labels.get("executed", "全年执行数（万元）"), 3, bold=True), _num(_amount(score.executed), 3),
        _label(labels.get("rate", "执行率"), 3, bold=True), _num(stripped_percent(score.rate) if score.rate is not None else "", 3),
    )
    goals = list(labels.get("goals_header") or ["年初设定目标", "全年实际完成情况"])
    g.add(_label(labels.get("goals", "年度总体目标"), 3, rowspan=2, bold=True), _label(goals[0], 7, bold=True), _label(goals[1], 8, bold=True))
    g.add(_text(form.goal_expected, 7), _text(form.goal_actual, 8))

    n = len(form.indicators)
    header = list(labels.get("indicators_header") or ["一级指标", "二级指标", "三级指标", "年度目标值", "全年完成值", "完成程度", "分值", "得分", "未完成原因分析", "改进措施"])
    target_header = list(labels.get("target_header") or ["运算符号", "内容", "度量单位"])
    reasons_header = list(labels.get("reasons_header") or [*REASONS, "原因说明"])
    g.add(
        _label(labels.get("vertical", "绩效指标"), rowspan=2 + n, bold=True),
        *(_label(h, rowspan=2, bold=True) for h in header[:3]),
        _label(header[3], 3, bold=True),
        *(_label(h, rowspan=2, bold=True) for h in header[4:8]),
        _label(header[8], 6, bold=True),
        _label(header[9], rowspan=2, bold=True),
    )
    g.add(*(_label(h, bold=True) for h in target_header), *(_label(h, bold=True) for h in reasons_header))
    for row in _ln_indicator_rows(form, score.indicator_scores, with_remark_column=True):
        g.add(*row)
    foot = list(labels.get("footer") or ["指标自评得分小计", "预算执行率得分", "减分项", "绩效自评总得分"])
    g.add(
        _label(foot[0], 4, bold=True), _num(form_number(score.subtotal), 2),
        _label(foot[1], 3, bold=True), _num(form_number(score.rate_score), 2),
        _label(foot[2], 2, bold=True), _num(ln_deduction(score.deduction)),
        _label(foot[3], 3, bold=True), _num(ln_total(score.total)),
    )
    columns = [Column(float(w), "center") for w in cfg["columns"]]
    section.add(Table(columns=columns, header=[], body=g.rows, font_size=cfg.get("font_size", "tiny"), name=str(cfg.get("title", ""))))
    return section
