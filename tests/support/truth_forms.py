"""Ground-truth transcriptions (tests/truth/*.yaml) as input-model performance data.

``truth_forms(doc)`` converts the transcribed ``appendix.self_evaluations`` into
``SelfEvaluation`` dicts (the YAML input shape) and says what it had to fill in. The
transcriptions keep the published figures, blanks included (``null`` = unreadable in
the extraction). The model needs a few of them, so the converter reconstructs exactly
these, each recorded in ``Converted.reconstructed``:

* a management row's blank 分值 → left out (the model's default 5, as on every form);
* a management row's blank 得分 → its 分值 (every readable 003 management score is full);
* an indicator's blank 分值 with a 偏差度 of 0 and a 得分 → the 得分 (full marks);
* a funds line transcribed as wholly blank (or absent) while the other two lines are zero →
  the 年度资金总额 line (000 主题教育: the 年度资金总额 label slid into the header row;
  003 涉企问题督办: the 财政拨款 row unreadable). A wholly blank line would otherwise count
  as a line left out, i.e. zero.

Everything else stays blank; blank 得分/偏差度 are then computed by the rules.
Numbers are read with the project's YAML reader, so they are exact Decimals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from disclose.readers.yaml_reader import parse_yaml
from tests.support import TRUTH

FUND_LINES = ("fiscal", "special_account", "unit_funds")


def load_truth(name: str) -> dict[str, Any]:
    path = TRUTH / f"{name}.yaml"
    data, _ = parse_yaml(path.read_bytes(), path.name)
    return data


@dataclass
class Converted:
    form: dict[str, Any]  # SelfEvaluation input (model field names)
    reconstructed: list[str] = field(default_factory=list)


def _three(row: list | None) -> list | None:
    if row is None:
        return None
    return list(row[:3])


def convert_form(truth: dict[str, Any]) -> Converted:
    notes: list[str] = []
    name = truth["project"]
    funds_in = truth.get("funds") or {}
    total = funds_in.get("total")
    funds: dict[str, Any] = {}
    if total is not None:
        if any(v is not None for v in total[:3]):
            funds["total"] = _three(total)
        if total[3] is not None:
            funds["weight"] = total[3]
        if total[4] is not None:
            funds["rate"] = total[4]
        if total[5] is not None:
            funds["score"] = total[5]
    for line in FUND_LINES:
        row = funds_in.get(line)
        if row is not None and any(v is not None for v in row[:3]):
            funds[line] = _three(row)
    missing = [line for line in FUND_LINES if line not in funds]
    others_zero = all(
        funds_in.get(other) is not None and all(v == 0 for v in funds_in[other][:3])
        for other in FUND_LINES
        if other not in missing
    )
    if len(missing) == 1 and others_zero and total is not None:
        funds[missing[0]] = _three(total)
        notes.append(f"{name}: funds.{missing[0]} blank, taken from 年度资金总额")

    management = []
    for row in truth.get("management") or []:
        out = {"item": row["item"]}
        for key in ("note", "issue"):
            if row.get(key) is not None:
                out[key] = row[key]
        if row.get("weight") is not None:
            out["weight"] = row["weight"]
        else:
            notes.append(f"{name}: management {row['item']} 分值 blank → 5")
        if row.get("score") is not None:
            out["score"] = row["score"]
        else:
            out["score"] = row.get("weight") if row.get("weight") is not None else Decimal(5)
            notes.append(f"{name}: management {row['item']} 得分 blank → {out['score']}")
        management.append(out)

    indicators = []
    for row in truth.get("indicators") or []:
        out: dict[str, Any] = {"level1": row.get("level1") or "", "level2": row.get("level2") or ""}
        for key in ("name", "target", "actual", "remark", "score", "deviation"):
            if row.get(key) is not None:
                out[key] = row[key]
        if row.get("weight") is not None:
            out["weight"] = row["weight"]
        elif row.get("score") is not None and row.get("deviation") == 0:
            out["weight"] = row["score"]
            notes.append(f"{name}: indicator {row.get('name')} 分值 blank → 得分 {row['score']}")
        else:  # pragma: no cover - not in the transcriptions
            raise ValueError(f"{name}: indicator {row.get('name')} has no 分值 and no full score")
        indicators.append(out)

    form: dict[str, Any] = {"project": name}
    for src, dst in (("date", "period"), ("department", "department"), ("implementer", "implementer")):
        if truth.get(src) is not None:
            form[dst] = truth[src]
    form["funds"] = funds
    form["management"] = management
    for key in ("goal_expected", "goal_actual"):
        if truth.get(key) is not None:
            form[key] = truth[key]
    form["indicators"] = indicators
    if truth.get("total_score") is not None:
        form["total_score"] = truth["total_score"]
    return Converted(form, notes)


def truth_forms(doc: dict[str, Any]) -> list[Converted]:
    return [convert_form(f) for f in doc["appendix"]["self_evaluations"]]


def section_13(doc: dict[str, Any]) -> dict[str, list[str]]:
    """十三's three sub-sections as paragraph lists (management / results / evaluation)."""
    text = next(s["text"] for s in doc["explanations"]["sections"] if s["heading"].startswith("十三"))
    parts: dict[str, list[str]] = {"management": [], "results": [], "evaluation": []}
    current = None
    for para in text.split("\n"):
        para = para.strip()
        if not para:
            continue
        head = para.replace("(", "（").replace(")", "）")
        if head.startswith("（一）绩效管理"):
            current = "management"
            continue
        if head.startswith("（二）项目绩效"):
            current = "results"
            continue
        if head.startswith("（三）部门评价"):
            current = "evaluation"
            continue
        if current:
            parts[current].append(para)
    return parts


def truth_dataset(name: str, *, with_text: bool = True) -> dict[str, Any]:
    """A minimal data set (YAML input shape) around a truth document's performance data.

    t03 is given by its 项 rows (basic/project columns) and its printed 合计 row, so that the
    t03 合计 项目支出 is the published figure (000: 658.20 while its 项 rows add to 658.21).
    """
    doc = load_truth(name)
    forms = [c.form for c in truth_forms(doc)]
    t03 = doc["tables"]["t03"]
    total = t03["total"]
    expenditure = [{"code": "合计", "total": total[0], "basic": total[1], "project": total[2]}]
    for row in t03["rows"]:
        code = str(row["code"])
        if len(code) != 7:
            continue
        values = row["values"]
        expenditure.append({"code": code, "name": row["name"], "basic": values[1], "project": values[2]})
    perf: dict[str, Any] = {"self_evaluations": forms}
    facts = doc["explanations"]["facts"].get("performance") or {}
    if facts.get("dept_evaluation"):
        ev = facts["dept_evaluation"]
        perf["department_evaluation"] = {
            "projects": facts.get("dept_evaluated_projects", 1),
            "names": [ev["project"]],
            "amount": facts.get("dept_evaluated_amount"),
        }
    if with_text:
        perf["text"] = section_13(doc)
    return {
        "profile": {"department": doc["department"], "year": doc["year"], "unit": "万元", "layout": "henan", "variant": "NY"},
        "expenditure": expenditure,
        "performance": perf,
    }
