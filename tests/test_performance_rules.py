"""Audit rules on the performance data: P01–P10, N12, N17 (SPEC §5.2 十三, §7)."""

from __future__ import annotations

import pytest

from disclose.findings import Finding, Severity, SourceMap
from disclose.model.load import load_dataset
from disclose.readers.yaml_reader import parse_yaml
from disclose.rules.catalogue import CATALOGUE
from disclose.rules.engine import audit
from tests.support.truth_forms import truth_dataset
from tests.support.auditing import audit_as_validate

OURS = {"P01", "P02", "P03", "P04", "P05", "P06", "P07", "P08", "P10", "N12", "N17"}

# One consistent NY form. Figures: 7.05 / 8 → 88.13%, 资金得分 8.81; indicators
# 10 + 10 + 20 × 85/95 (17.89, −10.53) + 25 × 85% (21.25, −15) + 5 × 85/90 (4.72, −5.56) = 63.86;
# 总分 8.81 + 20 + 63.86 = 92.67 (优).
BASE = """\
profile:
  department: 示例局
  year: 2024
  unit: 万元
  layout: henan
  variant: NY
expenditure:
  - code: "2080101"
    basic: 10.00
    project: 7.05      # t03 project
performance:
  department_evaluation:
    projects: 1        # dept projects
    names: [示例项目经费]
    amount: 8          # dept amount
  text:
    results:
      - 2024年对本部门1个项目开展绩效自评。
      - 1、示例项目经费：自评得分92.67分，评价等级“优”。全年预算8万元，1-12月资金执行7.05万元，预算执行率88.13%。
  self_evaluations:
    - project: 示例项目经费
      funds:
        total: [8, 8, 7.05]    # funds total
        fiscal: [8, 8, 7.05]
        weight: 10
        rate: 88.13        # funds rate
        score: 8.81        # funds score
      management:
        - item: 安排科学性
          score: 5         # management score
        - {item: 拨付合规性, score: 5}
        - {item: 使用规范性, score: 5}
        - {item: 预算绩效管理情况, score: 5}
      indicators:
        - level1: 成本指标
          level2: 经济成本指标
          name: 总金额
          target: ≤8万元
          actual: 7.05万元
          weight: 10       # cost weight
          score: 10
          deviation: 0
        - {level1: 产出指标, level2: 数量指标, name: 活动次数, target: ≥4次, actual: 5次, weight: 10, score: 10, deviation: 0}
        - level1: 产出指标
          level2: 质量指标
          name: 完成率
          target: ≥95%
          actual: 85%
          weight: 20
          score: 17.89     # quality score
          deviation: -10.53  # quality deviation
        - {level1: 效益指标, level2: 社会效益指标, name: 工作质量, target: 稳定提升, actual: 85%, weight: 25, score: 21.25, deviation: -15}
        - {level1: 满意度指标, level2: 服务对象满意度指标, name: 满意度, target: ≥90%, actual: 85%, weight: 5, score: 4.72, deviation: -5.56}
      total_score: 92.67   # total
"""


def run(text: str) -> list[Finding]:
    raw, source = parse_yaml(text.encode("utf-8"), "data.yaml")
    report = audit_as_validate(load_dataset(raw, source))
    return [f for f in report.findings if f.code in OURS]


def drop_line(marker: str, text: str = BASE) -> str:
    lines = text.splitlines(keepends=True)
    assert sum(marker in line for line in lines) == 1, marker
    return "".join(line for line in lines if marker not in line)


def change(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def line_of(text: str, marker: str) -> int:
    lines = [i for i, line in enumerate(text.splitlines(), 1) if marker in line]
    assert len(lines) == 1, marker
    return lines[0]


def only(findings: list[Finding], code: str) -> Finding:
    hits = [f for f in findings if f.code == code]
    assert len(hits) == 1, [str(f) for f in findings]
    return hits[0]


def test_rules_are_registered():
    for code in OURS:
        assert code in CATALOGUE
    assert CATALOGUE["P04"].severity is Severity.WARNING and CATALOGUE["P07"].severity is Severity.ERROR


def test_a_consistent_form_has_no_findings():
    assert run(BASE) == []


def test_p01_rate():
    text = change("rate: 88.13        # funds rate", "rate: 88.12        # funds rate")
    f = only(run(text), "P01")
    assert f.level is Severity.ERROR
    assert f.locations[0].line == line_of(text, "# funds rate")
    assert f.locations[0].field() == "performance.self_evaluations[0].funds.rate"
    assert "示例项目经费" in f.message and "88.12" in f.message and "88.13" in f.message


def test_p01_accepts_fewer_decimals():
    text = change("total: [8, 8, 7.05]", "total: [8, 8, 5]")
    text = change("fiscal: [8, 8, 7.05]", "fiscal: [8, 8, 5]", text)
    text = change("rate: 88.13 ", "rate: 62.5 ", text)
    assert not [f for f in run(text) if f.code == "P01"]


def test_p02_funds_score_from_the_figures_not_the_stated_rate():
    # the stated rate 100 is wrong (P01); 资金得分 10 is judged against 7.05/8, not against 100%
    text = change("rate: 88.13 ", "rate: 100 ")
    text = change("score: 8.81        # funds score", "score: 10        # funds score", text)
    findings = run(text)
    f = only(findings, "P02")
    assert f.locations[0].line == line_of(text, "# funds score")
    assert "10" in f.message and "8.81" in f.message
    assert only(findings, "P01")


def test_p03_total_line():
    text = change("total: [8, 8, 7.05]", "total: [8, 8, 7.06]")
    findings = run(text)
    f = only(findings, "P03")
    assert f.locations[0].line == line_of(text, "# funds total")
    assert f.locations[0].field() == "performance.self_evaluations[0].funds.total.executed"
    assert "全年执行数" in f.message and "7.06" in f.message and "7.05" in f.message


def test_p03_ignores_blank_cells():
    text = change("fiscal: [8, 8, 7.05]", "fiscal: [8, null, 7.05]")
    assert run(text) == []


def test_p04_indicator_score():
    text = change("score: 17.89     # quality score", "score: 17.9     # quality score")
    f = only(run(text), "P04")
    assert f.level is Severity.WARNING
    assert f.locations[0].line == line_of(text, "# quality score")
    assert f.locations[0].field() == "performance.self_evaluations[0].indicators[2].score"
    assert "完成率" in f.message and "17.9" in f.message and "17.89" in f.message


def test_p04_skips_unparsable_targets():
    text = change("target: ≥95%", "target: 90%-100%")
    assert run(text) == []


def test_p04_over_achievement_ny_and_jy():
    # `≥4次` → `5次` is within 30%: full marks in both. `≥1次` → `2次`: NY full marks, JY 6/10 (70.00)
    over = change("target: ≥4次, actual: 5次, weight: 10, score: 10, deviation: 0", "target: ≥1次, actual: 2次, weight: 10, score: 10, deviation: 0")
    assert run(over) == []
    jy_style = change("score: 10, deviation: 0}", "score: 6, deviation: 70}", over)
    jy_style = change("total_score: 92.67", "total_score: 88.67", jy_style)
    jy_style = change("自评得分92.67分，评价等级“优”", "自评得分88.67分，评价等级“良”", jy_style)
    assert run(jy_style) == []  # NY also admits the JY band (003 校企合作联盟)
    wrong = change("score: 10, deviation: 0}", "score: 7, deviation: 0}", over)
    wrong = change("total_score: 92.67", "total_score: 89.67", wrong)
    wrong = change("自评得分92.67分，评价等级“优”", "自评得分89.67分，评价等级“良”", wrong)
    assert [f.code for f in run(wrong)] == ["P04"]
    jy = change("variant: NY", "variant: JY", over)
    f = only(run(jy), "P04")
    assert "6" in f.message
    assert only(run(jy), "P05")


def test_p05_indicator_deviation():
    text = change("deviation: -10.53  # quality deviation", "deviation: -10.5  # quality deviation")
    f = only(run(text), "P05")
    assert f.locations[0].line == line_of(text, "# quality deviation")
    assert "-10.5" in f.message and "-10.53" in f.message


def test_p06_weights():
    text = change("weight: 10       # cost weight", "weight: 11       # cost weight")
    f = only(run(text), "P06")
    assert f.level is Severity.ERROR
    assert "101" in f.message and "示例项目经费" in f.message
    assert f.locations[0].field() == "performance.self_evaluations[0].indicators"


def test_p07_total():
    text = change("total_score: 92.67", "total_score: 92.68")
    text = change("自评得分92.67分", "自评得分92.68分", text)
    f = only(run(text), "P07")
    assert f.locations[0].line == line_of(text, "# total")
    assert f.locations[0].field() == "performance.self_evaluations[0].total_score"
    assert "92.68" in f.message and "92.67" in f.message


def test_p07_uses_the_rule_for_blank_components():
    text = drop_line("# quality score")
    text = drop_line("# quality deviation", text)
    assert run(text) == []


def test_p08_score_over_weight():
    text = change("score: 5         # management score", "score: 6         # management score")
    findings = run(text)
    f = only(findings, "P08")
    assert f.locations[0].line == line_of(text, "# management score")
    assert "安排科学性" in f.message and "6" in f.message


def test_p10_department_evaluation():
    text = change("amount: 8          # dept amount", "amount: 57          # dept amount")
    f = only(run(text), "P10")
    assert f.level is Severity.WARNING
    assert f.locations[0].line == line_of(text, "# dept amount")
    assert "57" in f.message and "8" in f.message
    text = change("projects: 1        # dept projects", "projects: 2        # dept projects")
    f = only(run(text), "P10")
    assert f.locations[0].line == line_of(text, "# dept projects")
    # a name that contains the form's name (or the other way round) matches
    text = change("names: [示例项目经费]", "names: [2024年示例项目经费]")
    assert run(text) == []


@pytest.mark.parametrize(
    "project, severity",
    [("7.00", Severity.ERROR), ("7.04", Severity.NOTICE), ("7.06", Severity.NOTICE), ("20.00", Severity.WARNING)],
)
def test_n12_self_evaluated_amount_against_t03(project, severity):
    text = change("project: 7.05      # t03 project", f"project: {project}      # t03 project")
    f = only(run(text), "N12")
    assert f.level is severity
    assert f.locations[0].field() == "performance.self_evaluations"
    assert any(loc.line == line_of(text, "# t03 project") for loc in f.locations)


def test_n12_smaller_is_silent_where_forms_need_not_cover_all_projects():
    text = change("project: 7.05      # t03 project", "project: 20.00      # t03 project")
    text = change("variant: NY", "variant: JY", text)
    assert run(text) == []


@pytest.mark.parametrize(
    "old, new, what",
    [
        ("自评得分92.67分", "自评得分92.6分", "自评得分"),
        ("评价等级“优”", "评价等级“良”", "评价等级"),
        ("预算执行率88.13%", "预算执行率88.1%", "预算执行率"),
        ("全年预算8万元", "全年预算9万元", "全年预算"),
        ("1-12月资金执行7.05万元", "1-12月资金执行7万元", "全年执行数"),
    ],
)
def test_n17_text_against_the_form(old, new, what):
    text = change(old, new)
    f = only(run(text), "N17")
    assert f.level is Severity.WARNING
    assert f.locations[0].field() == "performance.text.results[1]"
    assert f.locations[0].line == line_of(text, "1、示例项目经费")
    assert what in f.message and "示例项目经费" in f.message


TWO_FORMS = change(
    "      total_score: 92.67   # total\n",
    """      total_score: 92.67   # total
    - project: 宛财预【2024】149号2024年另一项目资金
      summary: 该项目自评得分100分，执行率100%。
      funds: {fiscal: [4, 4, 4]}
      management: [{item: 安排科学性, weight: 20, score: 20}]
      indicators:
        - {level1: 产出指标, level2: 数量指标, target: ≥1次, actual: 1次, weight: 70, score: 70}
""",
)


def test_n17_attributes_numbers_to_the_project_named_before_them():
    text = change("project: 7.05      # t03 project", "project: 11.05      # t03 project", TWO_FORMS)
    assert run(text) == []
    # one paragraph citing both projects (the second by a short name, 003 style)
    para = "1.示例项目经费7.05万元，项目自评得分92.67分。2.2024年另一项目资金4万元，项目自评得分100分，执行率100%。"
    text = change("- 2024年对本部门1个项目开展绩效自评。", f"- {para}", text)
    findings = run(text)
    assert [f.code for f in findings] == []
    text = change("资金4万元，项目自评得分100分", "资金4万元，项目自评得分95分", text)
    f = only(run(text), "N17")
    assert "另一项目资金" in f.message and "95" in f.message and "100" in f.message
    assert f.locations[1].field() == "performance.self_evaluations[1].total_score"


def test_n17_checks_a_forms_summary():
    text = change("project: 7.05      # t03 project", "project: 11.05      # t03 project", TWO_FORMS)
    text = change("该项目自评得分100分", "该项目自评得分99分", text)
    f = only(run(text), "N17")
    assert f.locations[0].field() == "performance.self_evaluations[1].summary"


def test_n17_ignores_unattributed_numbers():
    para = "2024年对本部门1个项目开展绩效自评，其中：评价等级为“优”的项目1个，评价等级为“良”的项目0个，执行率26.19%，自评得分80分。"
    text = change("- 2024年对本部门1个项目开展绩效自评。", f"- {para}")
    assert run(text) == []
    # indicator-level scores in a report are not the form's 总分
    para = "示例项目经费评价指标分析：满意度指标得分4.47分，分值5分，得分4分。"
    text = change("- 2024年对本部门1个项目开展绩效自评。", f"- {para}")
    assert run(text) == []


# --------------------------------------------------------------------------- the published documents


def truth_findings(name: str) -> list[Finding]:
    raw = truth_dataset(name)
    report = audit_as_validate(load_dataset(raw, SourceMap(f"truth/{name}.yaml")))
    return [f for f in report.findings if f.code in OURS]


def summary(findings: list[Finding]) -> set[tuple[str, str]]:
    return {(f.code, f.locations[0].field()) for f in findings}


def form(i: int, *rest: str | int) -> str:
    out = f"performance.self_evaluations[{i}]"
    for part in rest:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def test_000_anomalies_are_reported():
    """SPEC §7.2.4 and truth/000.yaml inconsistencies, and nothing else."""
    findings = truth_findings("000")
    # forms by index in the appendix: 2 组织工作经费, 4 网络专线, 5 劳务派遣, 6 财政代缴, 8 干部教育,
    # 12 选人用人, 13 公共就业 (482号), 16 社会保障工作经费, 18 149号 城乡医疗救助
    funds_anomalies = [4, 5, 6, 8, 12, 13, 16]
    expected = {("P01", form(13, "funds", "rate"))}
    expected |= {("P02", form(i, "funds", "score")) for i in funds_anomalies}
    expected |= {("P07", form(i, "total_score")) for i in funds_anomalies + [2]}
    expected |= {("P06", form(2, "indicators"))}
    expected |= {("P10", "performance.department_evaluation.amount")}  # 57万元 vs the form's 35
    expected |= {("N17", "performance.text.results[11]")}  # item 11: 95.97分 but “良”
    expected |= {("N17", "performance.text.results[19]")}  # item 19: 预算执行率100%, the form prints 98.54%
    expected |= {("N17", "performance.text.evaluation[3]")}  # 累计支出57万元 vs the form's 35
    expected |= {("N12", "performance.self_evaluations")}  # 658.21 vs t03 658.20: 尾差
    assert summary(findings) == expected
    n12 = only(findings, "N12")
    assert n12.level is Severity.NOTICE and "658.21" in n12.message and "658.20" in n12.message
    grade = next(f for f in findings if f.code == "N17" and "评价等级" in f.message)
    assert "社会保障工作经费2024年" in grade.message and "良" in grade.message and "95.97" in grade.message
    p07 = next(f for f in findings if f.code == "P07" and "网络专线" in f.message)
    assert "3.15" in p07.message and "94.21" in p07.message and "87.36" in p07.message


def test_003_follows_the_rules():
    """003: only its known inconsistency (信访 99.55 in the text, 99.5 on the form) and the one
    indicator row that does not follow the rules (承接产业转移 `≥8万元` → `6万元` printed 4, 0.0)."""
    findings = truth_findings("003")
    expected = {
        ("N17", "performance.text.results[13]"),
        ("P04", form(2, "indicators", 2, "score")),
        ("P05", form(2, "indicators", 2, "deviation")),
    }
    assert summary(findings) == expected
    n17 = only(findings, "N17")
    assert "2024信访工作专项费用" in n17.message and "99.55" in n17.message and "99.5分" in n17.message
