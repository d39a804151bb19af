"""Scoring of the performance forms (SPEC §7.2–§7.5): worked examples and the published forms.

Expected numbers come from SPEC (its worked examples) or from the published forms in
tests/truth, never from the code under test.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from disclose.compute import forms as fmt
from disclose.model.dataset import SelfEvaluation
from disclose.model.scoring import (
    default_goal_actual,
    form_scores,
    funds_score,
    grade,
    grade_counts,
    indicator_candidates,
    indicator_score,
    ln_overall,
    ln_project,
    parse_target,
    rate,
)
from tests.support.truth_forms import load_truth, truth_forms

# --------------------------------------------------------------------------- indicator rules


@pytest.mark.parametrize(
    "target, actual, weight, score, deviation",
    [
        # SPEC §7.2.2: lower-bound target missed → w × a/t, (a − t)/t × 100
        ("≥95%", "85%", 5, "4.47", "-10.53"),
        ("≥90%", "85%", 5, "4.72", "-5.56"),
        ("≥95%", "80%", 5, "4.21", "-15.79"),
        ("≥90%", "80%", 5, "4.44", "-11.11"),
        # qualitative target with a percentage actual → w × p/100, p − 100
        ("稳定提升", "85%", 25, "21.25", "-15.00"),
        ("明显提高", "95%", 25, "23.75", "-5.00"),
        ("及时", "99%", 25, "24.75", "-1.00"),
        ("相关", "98%", 10, "9.8", "-2.00"),
        ("提升", "100%", 25, "25", "0"),
        # met targets → w, 0.00
        ("≤2.09万元", "2.09万元", 10, "10", "0"),
        ("≤3万元", "0.44万元", 10, "10", "0"),
        ("=1次", "1次", 3, "3", "0"),
        ("=0次", "0次", 5, "5", "0"),
        ("≥95%", "95%", 5, "5", "0"),
        ("≤12次", "12", 10, "10", "0"),  # actual printed without its unit (000)
        ("≥2000人次", "2000人次", 5, "5", "0"),
        # over-achievement is not penalised in NY (`≥4次` → `5次`)
        ("≥4次", "5次", 8, "8", "0"),
        ("≥90%", "100%", 5, "5", "0"),
    ],
)
def test_ny_indicator_rules(target, actual, weight, score, deviation):
    result = indicator_score(target, actual, D(weight), "NY")
    assert result.score == D(score)
    assert result.deviation == D(deviation)


@pytest.mark.parametrize(
    "target, actual, weight, score, deviation",
    [
        # SPEC §7.3.2 (and 003 校企合作联盟 `≥1次` → `2次`): d = 100 → 0.6 w, printed d − 30
        ("≥1次", "2次", 10, "6", "70.00"),
        ("≥1次", "3次", 10, "6", "170.00"),
        # d ≤ 30 → full marks
        ("≥100人", "130人", 10, "10", "0"),
        ("≥4次", "5次", 8, "8", "0"),
        # 30 < d < 100: w × (1 − 0.4 × (d − 30)/70); d = 50 → 10 × (1 − 0.4 × 20/70) = 8.857… → 8.86
        ("≥100人", "150人", 10, "8.86", "20.00"),
        # under-achievement as NY
        ("≥95%", "85%", 5, "4.47", "-10.53"),
        # a cost target without operator whose actual is lower: w × a/t, negative deviation
        ("50元/人", "40元/人", 10, "8", "-20.00"),
        ("及时", "98%", 10, "9.8", "-2.00"),
    ],
)
def test_jy_indicator_rules(target, actual, weight, score, deviation):
    result = indicator_score(target, actual, D(weight), "JY")
    assert result.score == D(score)
    assert result.deviation == D(deviation)


def test_ny_accepts_the_jy_tolerance_band_as_an_alternative():
    # 003 is an NY document, yet its 校企合作联盟 form scores `>1次` → `2次` with 6/10 and 70.00.
    results = {(c.score, c.deviation) for c in indicator_candidates(">1次", "2次", D(10), "NY")}
    assert results == {(D(10), D(0)), (D(6), D("70.00"))}
    assert len(indicator_candidates("≥95%", "85%", D(5), "NY")) == 1


@pytest.mark.parametrize(
    "text, op, value, unit",
    [
        ("≥95%", ">=", "95", "%"),
        (">=95%", ">=", "95", "%"),
        ("＞＝95％", ">=", "95", "%"),
        ("≤2.09万元", "<=", "2.09", "万元"),
        ("<=2.09万元", "<=", "2.09", "万元"),
        ("＝1次", "=", "1", "次"),
        ("=1次", "=", "1", "次"),
        (">90%", ">=", "90", "%"),  # strict sign read as ≥ (003 `>90%` met by 90%)
        ("≥ 4,500 平方米", ">=", "4500", "平方米"),
        ("50元/人", "", "50", "元/人"),
        ("不低于90%", ">=", "90", "%"),
        ("2小时以内", "<=", "2", "小时"),
    ],
)
def test_target_parsing(text, op, value, unit):
    target = parse_target(text)
    assert target is not None
    assert (target.op, target.value, target.unit) == (op, D(value), unit)


def test_qualitative_targets():
    for text in ("稳定提升", "明显提高", "及时", "相关", "有效保障"):
        assert parse_target(text).op == "qualitative"


@pytest.mark.parametrize(
    "target, actual",
    [
        ("90%-100%", "95%"),  # a range
        ("≥95%", "5次"),  # different units
        ("及时", "及时"),  # qualitative actual
        (None, "90%"),  # target lost
        ("≥95%", None),
        ("≤2万元", "3万元"),  # an exceeded upper bound: no rule in SPEC
        ("明显", "120%"),
    ],
)
def test_unparsable_or_unruled_indicators_are_not_derived(target, actual):
    result = indicator_score(target, actual, D(10))
    assert result.score is None and result.deviation is None


# --------------------------------------------------------------------------- funds


def test_rate_is_exact_half_up():
    assert rate(D("7.05"), D(8)) == D("88.13")  # float round() gives 88.12 (SPEC §1.2)
    assert rate(D("10.37"), D(15)) == D("69.13")
    assert rate(D(5), D(8)) == D("62.50")
    assert rate(D(0), D(0)) == D("0.00")  # zero-budget rows print 0.00%
    assert rate(None, D(8)) is None


@pytest.mark.parametrize(
    "executed, budget, score",
    [("10.37", "15", "6.91"), ("7.05", "8", "8.81"), ("5", "8", "6.25"), ("20.49", "58", "3.53"),
     ("34.69", "36", "9.64"), ("0.99", "1", "9.9"), ("23", "30", "7.67"), ("44.67", "54", "8.27"), ("3", "5", "6")],
)
def test_funds_score(executed, budget, score):
    assert funds_score(D(10), D(executed), D(budget)) == D(score)


def test_funds_score_edge_cases():
    assert funds_score(D(10), D(0), D(0)) == 0
    assert funds_score(D(10), D(12), D(10)) == 10  # over-spent: capped at 分值
    assert funds_score(D(10), None, D(10)) is None


def _form(**funds) -> SelfEvaluation:
    return SelfEvaluation.model_validate(
        {
            "project": "示例",
            "funds": funds,
            "management": [{"item": n, "score": 5} for n in ("安排科学性", "拨付合规性", "使用规范性", "预算绩效管理情况")],
            "indicators": [
                {"level1": "成本指标", "level2": "经济成本指标", "target": "≤15万元", "actual": "10.37万元", "weight": 10},
                {"level1": "产出指标", "level2": "数量指标", "target": "≥1次", "actual": "2次", "weight": 10, "score": 6},
                {"level1": "产出指标", "level2": "质量指标", "target": "≥90%", "actual": "91%", "weight": 20},
                {"level1": "效益指标", "level2": "社会效益指标", "target": "明显", "actual": "99%", "weight": 25},
                {"level1": "满意度指标", "level2": "服务对象满意度指标", "target": "≥90%", "actual": "90%", "weight": 5},
            ],
        }
    )


def test_total_line_and_form_total():
    # 003 2024承接产业转移: 15 / 15 / 10.37 → 69.13%, 6.91; total = 资金得分 + 20 + Σ指标
    form = _form(fiscal=[15, 15, D("10.37")])
    s = form_scores(form)
    assert s.total_line.full_year == 15 and s.total_line.executed == D("10.37")
    assert s.rate == D("69.13") and s.funds_score == D("6.91")
    # 10 + 6 (stated) + 20 + 24.75 + 5 = 65.75 indicators
    assert s.indicator_total == D("65.75")
    assert s.total == D("6.91") + 20 + D("65.75")
    assert s.total_computed == D("6.91") + 20 + D("69.75")  # NY: 2次 over ≥1次 not penalised
    assert s.weight_total == 100
    assert s.grade == "优"


def test_blank_cells_in_the_funds_lines():
    # the stated 年度资金总额 wins; a line with a blank cell makes that column's sum unknown
    s = form_scores(_form(total=[5, 5, 3], fiscal=[5, None, 3], unit_funds=[0, None, 0]))
    assert s.line_sums.full_year is None and s.line_sums.executed == 3
    assert s.rate == D("60.00") and s.funds_score == 6  # 003 民爆: 60.0, 6.0
    # a line left out entirely counts as zero
    s = form_scores(_form(fiscal=[8, 8, D("7.05")]))
    assert s.line_sums.executed == D("7.05") and s.rate == D("88.13")
    # nothing to compute from: rate and score unknown, the stated score is used in the total
    s = form_scores(_form(total=[45, None, 45], fiscal=[45, None, 45], score=10))
    assert s.rate is None and s.funds_score is None and s.funds_score_used == 10


def test_totals_as_in_spec():
    # SPEC §7.2.2: 6.91 + 20 + 69.65 = 96.56; 民爆 6.00 + 20 + 70 = 96
    assert D("6.91") + 20 + D("69.65") == D("96.56")
    assert grade(D("96.56")) == "优"


@pytest.mark.parametrize(
    "total, expected",
    [("100", "优"), ("90", "优"), ("89.99", "良"), ("80", "良"), ("79.99", "中"), ("60", "中"), ("59.99", "差"), ("0", "差")],
)
def test_grades(total, expected):
    assert grade(D(total)) == expected


def test_grade_counts():
    assert grade_counts([D(95), D(85), D(90), None, D(10)]) == {"优": 2, "良": 1, "中": 0, "差": 1}


# --------------------------------------------------------------------------- NY derived text


def test_default_goal_actual():
    # SPEC §7.2.3, 000's forms
    assert default_goal_actual("关工委活动经费2024年", D("2.5"), D("2.09")) == "关工委活动经费2024年项目已完成83.60%"
    assert default_goal_actual("干部教育培训经费", D(55), D("0.99")) == "干部教育培训经费项目已完成1.80%"
    assert default_goal_actual("社会保障工作经费2024年", D(5), D("0.36")) == "社会保障工作经费2024年项目已完成7.20%"
    assert default_goal_actual("外出考察调研经费", D(0), D("2.49")) == "外出考察调研经费项目已完成"
    assert default_goal_actual("主题教育专项经费", D("4.5"), D("4.5")) == "主题教育专项经费项目已完成"
    assert default_goal_actual("深化体制机制改革项目", D(0), D("17.5")) == "深化体制机制改革项目已完成"
    assert default_goal_actual("城乡医疗救助资金）。", D(0), D(35)) == "城乡医疗救助资金）项目已完成"


# --------------------------------------------------------------------------- liaoning


def test_ln_project_caps_and_truncated_deduction():
    # rate 1.7/3 = 56.67% < L = 60 → capped at 69; D = 88.5 + 5.6666… − 69 = 25.1666… → 25.166 (truncated)
    s = ln_project(D("88.5"), D(3), D("1.7"))
    assert s.cap == 69 and s.total == 69
    assert s.deduction == D("25.166")
    assert fmt.ln_deduction(s.deduction) == "25.166"
    assert s.rate_printed == D("56.67") and s.rate_score_printed == D("5.67")
    # L is configurable: with L = 50 the same form is not capped
    s = ln_project(D("88.5"), D(3), D("1.7"), threshold=D(50))
    assert s.cap is None and s.deduction == 0 and s.total == D("94.17")


def test_ln_project_low_rate_and_uncapped():
    s = ln_project(D(85), D(100), D(40))  # 40% < 50% → 59
    assert (s.cap, s.total, s.deduction) == (D(59), D(59), D(30))
    assert fmt.ln_total(s.total) == "59" and fmt.ln_deduction(s.deduction) == "30"
    s = ln_project(D("88.25"), D(8), D("7.05"))  # 88.125% ≥ L: 88.25 + 8.8125 = 97.0625 → 97.06
    assert s.cap is None and s.total == D("97.06") and s.rate_score_printed == D("8.81")
    assert fmt.stripped_percent(s.rate) == "88.13%"
    s = ln_project(D(90), D(5), D(5))
    assert s.total == 100 and fmt.ln_total(s.total) == "100"
    # a cap that does not bind: nothing deducted
    s = ln_project(D(30), D(10), D(4))
    assert s.cap == 59 and s.deduction == 0 and s.total == 34


def test_ln_overall():
    rows, total = ln_overall([(D(20), D(100), D(100)), (D(20), D(50), D(0))], [D(30), D("29.5")])
    assert [(r.rate, r.score) for r in rows] == [(D("100.00"), D(20)), (D("0.00"), D(0))]
    assert total == D("79.50") and fmt.ln_overall_total(total) == "79.50"


# --------------------------------------------------------------------------- formatting


def test_form_number_formats():
    assert fmt.ny_rate(D(100)) == "100.00%" and fmt.ny_rate(D("69.13")) == "69.13%" and fmt.ny_rate(D(0)) == "0.00%"
    assert fmt.jy_rate(D("100.00")) == "100" and fmt.jy_rate(D(0)) == "0" and fmt.jy_rate(D("62.50")) == "62.5"
    assert fmt.ny_deviation(D("-10.53")) == "-10.53" and fmt.ny_deviation(D(0)) == "0.00"
    assert fmt.jy_deviation(D(0)) == "0.00%" and fmt.jy_deviation(D(70)) == "70.00%"
    assert fmt.form_number(D("9.80")) == "9.8" and fmt.form_number(D("10.00")) == "10" and fmt.form_number(D("4.47")) == "4.47"
    assert fmt.stripped_percent(D("100.00")) == "100%" and fmt.stripped_percent(D("62.50")) == "62.5%"


# --------------------------------------------------------------------------- the published forms

# SPEC §7.2.4 / §10.1: 000's printed 资金得分 that the formula does not give
FUNDS_SCORE_ANOMALIES_000 = {
    "社保、医保和机关养老网络专线费用": "3.15",
    "2024年劳务派遣人员经费": "8.62",
    "财政代缴城乡居民基本医疗保险费支出": "8.62",
    "干部教育培训经费": "0.18",
    "社会保障工作经费2024年": "0.72",
    "选人用人专项检查经费": "6.54",
    "宛财预【2024】482号 公共就业服务能力提升示范项目资金": "9.85",
}
# …of which these five are 10 × 全年执行数 / 年初预算数 (SPEC §10.1)
FROM_INITIAL_BUDGET_000 = {"社保、医保和机关养老网络专线费用", "2024年劳务派遣人员经费", "财政代缴城乡居民基本医疗保险费支出", "干部教育培训经费", "社会保障工作经费2024年"}
# The one 003 indicator row the rules do not reproduce: a cost row `≥8万元` with actual 6万元 printed 4/4, 0.0
# (the rule gives 3 and −25.00; neither SPEC nor the truth notes explain it).
INDICATOR_EXCEPTIONS = {("003", "2024承接产业转移系列活动、京宛对口协作系列活动经费", "产业转移活动经费8万元")}


def _forms(doc: str):
    for converted in truth_forms(load_truth(doc)):
        form = SelfEvaluation.model_validate(converted.form)
        yield form, form_scores(form, "NY")


@pytest.mark.parametrize("doc, compared, derived_only", [("000", 140, 0), ("003", 159, 1)])
def test_indicator_rules_reproduce_the_published_forms(doc, compared, derived_only):
    """Every indicator row with a readable target and actual gets its printed score and 偏差度.

    000: 142 rows, 2 with a blank actual (283号 发放企业数, 资金发放及时率) → 140 compared.
    003: 172 rows, 11 with a blank target → 161 derivable: 159 agree, 1 prints no score
    (承接 `=1次`, computed), 1 does not follow the rules (INDICATOR_EXCEPTIONS).
    """
    agree = mismatched = computed_only = 0
    misses = []
    for form, _ in _forms(doc):
        for ind in form.indicators:
            candidates = [c for c in indicator_candidates(ind.target, ind.actual, ind.weight, "NY") if c.derived]
            if not candidates:
                continue
            if ind.score is None:
                computed_only += 1
                continue
            ok = any(c.score == ind.score and (ind.deviation is None or c.deviation == ind.deviation) for c in candidates)
            if ok:
                agree += 1
            elif (doc, form.project, ind.name) in INDICATOR_EXCEPTIONS:
                mismatched += 1
            else:
                misses.append((form.project, ind.name, ind.target, ind.actual, ind.score, ind.deviation))
    assert not misses
    assert agree == compared
    assert computed_only == derived_only
    assert mismatched == (1 if doc == "003" else 0)


def test_funds_rows_000():
    for form, s in _forms("000"):
        assert s.rate == 100  # every 000 form has 全年执行数 = 全年预算数
        if form.project in FUNDS_SCORE_ANOMALIES_000:
            assert form.funds.score == D(FUNDS_SCORE_ANOMALIES_000[form.project])
            assert s.funds_score == 10
        else:
            assert form.funds.score == s.funds_score == 10
        if form.project in FROM_INITIAL_BUDGET_000:
            assert funds_score(D(10), s.total_line.executed, form.funds.total.initial) == form.funds.score
        if form.project.startswith("宛财预【2024】482号"):
            assert form.funds.rate == D("98.54")
        else:
            assert form.funds.rate == s.rate


def test_totals_000_use_ten_for_the_funds_score():
    """SPEC §7.2.4: every printed 总分 is computed with 资金得分 = 10 (the computed value)."""
    for form, s in _forms("000"):
        if form.project == "组织工作经费":
            # weights add to 85; the printed 95.69 is 100 − deductions (3.75 + 0.56)
            assert s.weight_total == 85
            deductions = sum(ind.weight - ind.score for ind in form.indicators)
            assert 100 - deductions == form.total_score == D("95.69")
            continue
        assert s.weight_total == 100
        assert s.total_computed == form.total_score, form.project
        assert s.grade == "优"


def test_funds_and_totals_003():
    """003 follows the rules throughout: every computable 执行率, 资金得分 and 总分 is the printed one."""
    rates = scores = totals = 0
    for form, s in _forms("003"):
        assert s.weight_total == 100
        if form.funds.rate is not None and s.rate is not None:
            assert form.funds.rate == s.rate, form.project
            rates += 1
        if form.funds.score is not None and s.funds_score is not None:
            assert form.funds.score == s.funds_score, form.project
            scores += 1
        if form.total_score is not None and s.total is not None:
            assert form.total_score == s.total, form.project
            totals += 1
        assert s.grade == "优"
    # 4 forms have a blank 全年预算数 or 全年执行数 (产业链, 五号办公楼, 信访, 信息化专项); 军民融合 and
    # 涉企问题督办 print no 执行率, 安全生产 no 资金得分; 涉企问题督办 prints no 总分 and 困难企业军转干部
    # has an indicator whose target and score are both unreadable.
    assert (rates, scores, totals) == (15, 16, 19)


def test_default_goal_actual_reproduces_000():
    """SPEC §7.2.3. Three forms do not follow the default (not reproducible from the form)."""
    exceptions = {"组织工作经费", "选人用人专项检查经费", "宛财预【2024】482号 公共就业服务能力提升示范项目资金"}
    for form, s in _forms("000"):
        printed = "".join(form.goal_actual.split())
        made = default_goal_actual(form.project, s.total_line.initial, s.total_line.executed)
        if form.project in exceptions:
            assert made != printed
        else:
            assert made == printed, form.project
