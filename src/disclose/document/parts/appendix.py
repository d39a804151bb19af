"""第五部分 附件 (SPEC §7): self-evaluation forms, the 汇总表 and the evaluation reports.

What a variant prints, and every label, title and column of its forms, is profile
data (``appendix:`` in ``templates/<layout>/appendix.yaml``); nothing here branches
on a variant's name.

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
from disclose.document.parts import part
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
    pending: list = [Heading(ctx.part_heading("appendix"), 1)]
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


CONTENT: dict[str, Callable[[BuildContext, dict, dict], list[Section]]] = {
    "self_evaluations": _self_evaluations,
    "overall": _overall,
    "summary_table": _summary,
    "reports": _reports,
}


def _form_cfg(ctx: BuildContext, cfg: dict, item: dict) -> dict:
    name = item.get("form")
    forms = cfg.get("forms") or {}
    if name not in forms:
        raise LayoutError(f"{ctx.layout.root}：appendix.forms 中没有表式“{name}”")
    form_cfg = dict(forms[name])
    # One rule set for the forms and the audit: the layout's requirements (``audit.rule_set``).
    form_cfg["rule_set"] = form_cfg.get("rule_set") or ctx.layout.requirements().rule_set
    width = len(form_cfg.get("columns") or [])
    needed = INDICATOR_COLUMNS + (1 if form_cfg.get("vertical_label") else 0)
    if width != needed:
        raise LayoutError(f"{ctx.layout.root}：appendix.forms.{name}.columns 应有 {needed} 列，实际 {width} 列")
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
