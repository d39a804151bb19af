#!/usr/bin/env python3
"""Write ``examples/sample-2024.yaml``: a clean, complete sample department (synthetic).

    .venv/bin/python scripts/make_sample.py [--out examples/sample-2024.yaml]

示例市工业和信息化局 (henan NY, unit 元) follows the structure of the published 南阳市工业和信息化局
document (seed 003): the same kinds of subjects (资源勘探工业信息等 215 with 21505/21508, 社会保障和就业
208, 卫生健康 210, 住房保障 221, a 政府性基金 subject 2120899), a 本级 administration plus one
事业单位, a 年初结转 spent on 行政运行, project self-evaluation forms in the NY layout. The figures are
new, in 元 with 分, and consistent by construction:

* only 项 rows are given: disclose derives every 类/款/合计 row and both 总表 (no printed totals, so
  no rounding tails);
* 公开02表 = 公开03表 per 项 except 2150501 行政运行, which spent the 年初结转和结余 126,350.00 元
  (003 spent its 115.33万元 年初结转 the same way);
* 公开05表 = 公开03表 without the 政府性基金 项; 公开06表's items add up to 公开05表 基本支出 exactly
  (30108/30109/30110/30111/30113 equal the pension, medical and housing-fund 项; 30301–30305 equal
  the 离退休 项; 30101 基本工资 takes the rest of 行政运行 + 事业运行);
* the “三公” 决算 equal the 公开06表 30217/30231 amounts (all spent from basic expenditure);
* every project 项 has exactly one self-evaluation form; project amounts are whole hundreds of 元,
  so the forms' 全年执行数 in 万元 add up to 公开03表 项目支出 without a tail (N12);
* form scores follow SPEC §7.2.2, computed below with Decimal half-up: 执行率 = 执行 ÷ 全年预算,
  资金得分 = 10 × 执行 ÷ 全年预算, indicators met → 分值, lower bound missed → 分值 × 实际/目标,
  qualitative → 分值 × p%, 总分 = 资金 + 管理 + 指标;
* 编制绩效目标金额 = Σ 年初预算数 of the forms; 监控执行率 = 1-7月执行数 ÷ 编制绩效目标金额.

Corrections relative to 003 (which this sample must not repeat): no 类/款 rows that disagree
with their 项 (003 t02 20805/21011/21505/215/合计), 公开06表 class totals equal their items
(003 301/302), 十三 scores equal the forms (003 信访 99.55 vs 99.5), the evaluation report's
figures come from the tables (003 printed 4711.34 as 一般公共预算), and the 公务用车 counts agree
with the “三公” data (003: 5 vehicles, 保有量 0).
"""

from __future__ import annotations

import argparse
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from convert_truth import ROOT, Amt, Code, Comment, Flow, FlowSeq, Note, Num, write_yaml  # noqa: E402

from disclose import reference  # noqa: E402

D = Decimal
CENT = D("0.01")
HUNDRED = D(100)
WAN = D(10000)


def r2(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def strip(x: Decimal) -> Decimal:
    """A form number as typed: 9.80 → 9.8, 100.00 → 100."""
    x = r2(x)
    return x.quantize(D(1)) if x == x.to_integral() else x.normalize()


# --------------------------------------------------------------------------- 项 rows (元)

# code: (basic, project) of 公开03表; 2120899 is the 政府性基金 项, all others 一般公共预算.
ITEMS = {
    "2080501": (D("3128604.15"), D(0)),  # 行政单位离退休
    "2080502": (D("289417.60"), D(0)),  # 事业单位离退休
    "2080505": (D("992275.44"), D(0)),  # 机关事业单位基本养老保险缴费支出
    "2080506": (D("356318.72"), D(0)),  # 机关事业单位职业年金缴费支出
    "2089999": (D(0), D("54500.00")),  # 其他社会保障和就业支出（困难企业军转干部生活补助）
    "2101101": (D("379163.58"), D(0)),  # 行政单位医疗
    "2101102": (D("124782.06"), D(0)),  # 事业单位医疗
    "2101103": (D("258004.90"), D(0)),  # 公务员医疗补助
    "2120899": (D(0), D("990000.00")),  # 其他国有土地使用权出让收入安排的支出（政府性基金）
    "2150501": (D("4813726.38"), D(0)),  # 行政运行
    "2150502": (D(0), D("736800.00")),  # 一般行政管理事务
    "2150517": (D(0), D("1250000.00")),  # 产业发展
    "2150550": (D("2436519.27"), D(0)),  # 事业运行
    "2150805": (D(0), D("583600.00")),  # 中小企业发展专项
    "2210201": (D("719548.32"), D(0)),  # 住房公积金
}
GOVERNMENT_FUND = {"2120899"}
OPENING_BALANCE = D("126350.00")  # 年初结转和结余（一般公共预算），全部用于 2150501 行政运行
OPENING_SPENT_ON = "2150501"

# 年初预算 (元) and the reason for the difference (情况说明五（三）)
BUDGETS = {
    "2080501": (D("3050000.00"), "离休人员医疗费及退休人员生活补贴标准调整，支出增加"),
    "2080502": (D("276000.00"), "事业单位退休人员增加，支出增加"),
    "2080505": (D("968400.00"), "养老保险缴费基数调整，缴费支出增加"),
    "2080506": (D("372000.00"), "职业年金缴费基数变动，支出减少"),
    "2089999": (D("55000.00"), "部分补助对象年中退出，补助支出减少"),
    "2101101": (D("366000.00"), "医疗保险缴费基数调整，缴费支出增加"),
    "2101102": (D("120500.00"), "医疗保险缴费基数调整，缴费支出增加"),
    "2101103": (D("252000.00"), "公务员医疗补助缴费基数调整，支出增加"),
    "2150501": (D("4690000.00"), "使用上年结转资金弥补人员经费和日常公用经费支出"),
    "2150502": (D("800000.00"), "厉行节约，压减会议和差旅支出"),
    "2150517": (D("1250000.00"), None),
    "2150550": (D("2405000.00"), "事业单位人员工资标准调整，支出增加"),
    "2150805": (D("880000.00"), "部分培训活动未按计划开展，资金按规定收回"),
    "2210201": (D("702000.00"), "住房公积金缴费基数调整，缴费支出增加"),
}
GOVERNMENT_FUND_BUDGET = D("990000.00")

# 公开06表 经济分类（元）. 30101 基本工资 takes the rest of 行政运行 + 事业运行.
PERSONNEL_FIXED = {
    "30102": D("1125380.00"),
    "30103": D("968240.50"),
    "30107": D("512306.00"),
    "30112": D("48216.37"),
    "30199": D("36900.00"),
}
RETIREMENT = {"30301": D("398215.40"), "30304": D("30000.00"), "30305": D("2900.00")}  # 30302 退休费 takes the rest
PUBLIC = {
    "30201": D("103250.60"), "30202": D("4365.00"), "30205": D("8120.40"), "30206": D("86932.17"), "30207": D("38760.25"),
    "30211": D("46318.00"), "30213": D("25640.00"), "30215": D("12800.00"), "30216": D("15600.00"), "30217": D("12836.00"),
    "30226": D("28250.00"), "30227": D("35000.00"), "30228": D("94523.18"), "30229": D("176420.00"), "30231": D("48563.20"),
    "30239": D("286320.00"), "30299": D("27964.53"), "31002": D("36480.00"),
}
OPERATING_COST = D("938516.27")  # 机关运行经费：本级（行政单位）的公用经费


def economic_items() -> dict[str, Decimal]:
    basic = {c: b for c, (b, _) in ITEMS.items()}
    items: dict[str, Decimal] = {}
    items["30108"] = basic["2080505"]
    items["30109"] = basic["2080506"]
    items["30110"] = basic["2101101"] + basic["2101102"]
    items["30111"] = basic["2101103"]
    items["30113"] = basic["2210201"]
    items.update(PERSONNEL_FIXED)
    retirement = basic["2080501"] + basic["2080502"]
    items.update(RETIREMENT)
    items["30302"] = retirement - sum(RETIREMENT.values())
    items.update(PUBLIC)
    operations = basic["2150501"] + basic["2150550"]
    items["30101"] = operations - sum(PUBLIC.values()) - sum(PERSONNEL_FIXED.values())
    assert items["30101"] > 0
    assert sum(items.values()) == sum(basic.values())
    return dict(sorted(items.items()))


# --------------------------------------------------------------------------- self-evaluation forms


MANAGEMENT_NOTES = {
    "安排科学性": "编制经过科学论证、内容与项目内容匹配，预算依据充分，按照标准编制，项目与工作任务相匹配。",
    "拨付合规性": "资金拨付有完整的审批程序。",
    "使用规范性": "符合国家财经法规和财务管理制度以及有关专项资金管理办法的规定。",
    "预算绩效管理情况": "制定相应的合法、合规、完整的财务和业务管理制度，开展绩效目标管理和绩效监控。",
}

# (level1, level2, name, target, actual, weight); targets: ≤/≥/= with a number, or qualitative.
FORMS = [
    {
        "code": "2150502",
        "project": "2024年工业经济运行监测与产业链推进工作经费",
        "implementer": "示例市工业和信息化局",
        "unit": "示例市工业和信息化局本级",
        "funds": (D("80"), D("80"), D("73.68")),
        "management": {},
        "goal_expected": "目标1：按月开展全市工业经济运行监测分析，编发运行分析报告。\n目标2：每季度召开产业链推进会，协调解决重点企业运行中的困难和问题。",
        "goal_actual": "全年编发工业经济运行分析报告12期，召开产业链推进会4次，监测重点企业312家，全市规模以上工业运行总体平稳。",
        "indicators": [
            ("成本指标", "经济成本指标", "会议及资料费", "≤30万元", "27.68万元", 5),
            ("成本指标", "经济成本指标", "调研差旅费", "≤50万元", "46万元", 5),
            ("产出指标", "数量指标", "产业链推进会次数", "≥4次", "4次", 10),
            ("产出指标", "数量指标", "监测重点企业数量", "≥300家", "312家", 10),
            ("产出指标", "质量指标", "运行监测数据准确率", "≥95%", "96%", 5),
            ("产出指标", "时效指标", "月度运行分析报告按时完成率", "=100%", "100%", 5),
            ("效益指标", "社会效益指标", "服务工业经济平稳运行", "明显提升", "95%", 25, "进一步提高运行监测的针对性和时效性。"),
            ("满意度指标", "服务对象满意度指标", "服务企业满意度", "≥90%", "93%", 5),
        ],
    },
    {
        "code": "2150517",
        "project": "2024年制造业高质量发展专项经费",
        "implementer": "示例市工业和信息化局",
        "unit": "示例市工业和信息化局本级",
        "funds": (D("125"), D("125"), D("125")),
        "management": {"预算绩效管理情况": (D("4.5"), "部分绩效指标细化量化程度不够，下一步将完善指标设置。")},
        "goal_expected": "支持10个以上企业技术改造项目，带动企业技术改造投资5000万元以上，推动制造业转型升级。",
        "goal_actual": "支持企业技术改造项目10个，项目全部通过验收，带动企业技术改造投资4600万元。",
        "indicators": [
            ("成本指标", "经济成本指标", "专项资金支出", "≤125万元", "125万元", 10),
            ("产出指标", "数量指标", "支持技术改造项目数", "≥10个", "10个", 10),
            ("产出指标", "质量指标", "项目验收合格率", "≥95%", "100%", 10),
            ("产出指标", "时效指标", "资金拨付及时率", "≥95%", "100%", 10),
            ("效益指标", "经济效益指标", "带动企业技术改造投资", "≥5000万元", "4600万元", 15, "部分项目投资进度滞后，下一步加强项目跟踪服务。"),
            ("效益指标", "社会效益指标", "促进制造业转型升级", "明显促进", "96%", 10, "持续推动制造业转型升级。"),
            ("满意度指标", "服务对象满意度指标", "受支持企业满意度", "≥90%", "95%", 5),
        ],
    },
    {
        "code": "2150805",
        "project": "2024年中小企业公共服务体系建设专项资金",
        "implementer": "示例市中小企业服务中心",
        "unit": "示例市中小企业服务中心",
        "funds": (D("88"), D("88"), D("58.36")),
        "management": {"预算绩效管理情况": (D("4"), "预算执行进度偏慢，部分培训活动未按计划开展。")},
        "goal_expected": "组织中小企业培训20场以上，服务中小企业1500家以上，服务事项办结率达到95%以上。",
        "goal_actual": "组织中小企业培训16场，服务中小企业1620家，服务事项办结率97%。",
        "indicators": [
            ("成本指标", "经济成本指标", "平台运营服务费", "≤88万元", "58.36万元", 10),
            ("产出指标", "数量指标", "组织中小企业培训场次", "≥20场", "16场", 10, "部分培训活动未按计划开展，下一步加快实施进度。"),
            ("产出指标", "数量指标", "服务中小企业数量", "≥1500家", "1620家", 10),
            ("产出指标", "质量指标", "服务事项办结率", "≥95%", "97%", 5),
            ("产出指标", "时效指标", "企业诉求响应及时率", "≥95%", "96%", 5),
            ("效益指标", "社会效益指标", "中小企业发展环境持续改善", "持续改善", "90%", 25, "进一步提升服务精准度。"),
            ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "92%", 5),
        ],
    },
    {
        "code": "2089999",
        "project": "困难企业军转干部生活补助资金",
        "implementer": "示例市工业和信息化局",
        "unit": "示例市工业和信息化局本级",
        "funds": (D("5.5"), D("5.5"), D("5.45")),
        "management": {},
        "goal_expected": "按时足额发放困难企业军转干部生活补助，保障其基本生活。",
        "goal_actual": "全年为46名困难企业军转干部发放生活补助5.45万元，补助资金按时足额发放到位。",
        "indicators": [
            ("成本指标", "经济成本指标", "补助资金", "≤5.5万元", "5.45万元", 10),
            ("产出指标", "数量指标", "补助人数", "=46人", "46人", 10),
            ("产出指标", "质量指标", "补助资金发放准确率", "=100%", "100%", 10),
            ("产出指标", "时效指标", "补助资金发放及时率", "≥95%", "98%", 10),
            ("效益指标", "社会效益指标", "保障困难军转干部基本生活", "有效保障", "98%", 25, "持续做好军转干部服务保障工作。"),
            ("满意度指标", "服务对象满意度指标", "军转干部满意度", "≥90%", "95%", 5),
        ],
    },
    {
        "code": "2120899",
        "project": "2024年产业园区基础设施配套奖补资金",
        "implementer": "示例市工业和信息化局",
        "unit": "示例市工业和信息化局本级",
        "funds": (D("99"), D("99"), D("99")),
        "management": {},
        "goal_expected": "对3个产业园区的道路、供排水等基础设施配套项目给予奖补，提升园区承载能力。",
        "goal_actual": "完成3个产业园区基础设施配套奖补，配套设施全部验收合格，园区承载能力明显提升。",
        "indicators": [
            ("成本指标", "经济成本指标", "奖补资金", "≤99万元", "99万元", 10),
            ("产出指标", "数量指标", "奖补园区个数", "=3个", "3个", 10),
            ("产出指标", "质量指标", "配套设施验收合格率", "≥95%", "100%", 10),
            ("产出指标", "时效指标", "资金拨付及时率", "≥95%", "100%", 10),
            ("效益指标", "经济效益指标", "园区承载能力", "明显提升", "95%", 25, "持续完善园区配套设施。"),
            ("满意度指标", "服务对象满意度指标", "入园企业满意度", "≥90%", "92%", 5),
        ],
    },
]
DEPARTMENT_EVALUATED = 2  # index of the form chosen for 部门评价


def _number(text: str) -> tuple[Decimal, str]:
    digits = ""
    for ch in text:
        if ch.isdigit() or ch == ".":
            digits += ch
        elif digits:
            break
    return D(digits), text[text.index(digits) + len(digits):]


def indicator_score(target: str, actual: str, weight: Decimal) -> tuple[Decimal, Decimal]:
    """SPEC §7.2.2 (NY): score and 偏差度 of one indicator."""
    a, _ = _number(actual)
    if not any(ch.isdigit() for ch in target):  # qualitative, actual p%
        return r2(weight * a / HUNDRED), r2(a - HUNDRED)
    op = target[0]
    t, _ = _number(target)
    if op == "≤" or a >= t:
        assert op != "≤" or a <= t
        return r2(weight), D("0.00")
    return r2(weight * a / t), r2((a - t) * HUNDRED / t)


def form_block(spec: dict) -> tuple[dict, Decimal]:
    initial, full, executed = spec["funds"]
    rate = r2(executed * HUNDRED / full)
    funds_score = r2(D(10) * executed / full)
    management = []
    management_total = D(0)
    for item, note in MANAGEMENT_NOTES.items():
        score, issue = spec["management"].get(item, (D(5), None))
        management_total += score
        row = Flow(item=item, note=note, score=Num(strip(score)))
        row["issue"] = issue or "无"
        management.append(row)
    indicators = []
    indicator_total = D(0)
    weights = D(0)
    for level1, level2, name, target, actual, weight, *remark in spec["indicators"]:
        w = D(weight)
        weights += w
        score, deviation = indicator_score(target, actual, w)
        indicator_total += score
        row = Flow(level1=level1, level2=level2, name=name, target=target, actual=actual, weight=Num(w), score=Num(strip(score)), deviation=Num(deviation))
        if remark:
            row["remark"] = remark[0]
        indicators.append(row)
    assert D(10) + D(20) + weights == 100, spec["project"]
    total = funds_score + management_total + indicator_total
    line = FlowSeq(Num(strip(x)) for x in (initial, full, executed))
    block = {
        "project": spec["project"],
        "period": "2024年度",
        "department": "示例市工业和信息化局",
        "implementer": spec["implementer"],
        "unit": spec["unit"],
        "funds": {
            "fiscal": line,
            "special_account": FlowSeq([Num(D(0))] * 3),
            "unit_funds": FlowSeq([Num(D(0))] * 3),
            "total": FlowSeq(line),
            "rate": Num(rate),
            "score": Num(strip(funds_score)),
        },
        "management": management,
        "goal_expected": spec["goal_expected"],
        "goal_actual": spec["goal_actual"],
        "indicators": indicators,
        "total_score": Num(strip(total)),
    }
    return block, total


# --------------------------------------------------------------------------- the data set


def subject_name(code: str) -> str:
    return reference.subject(code).name


def build() -> tuple[list[str], dict]:
    gb = {c: v for c, v in ITEMS.items() if c not in GOVERNMENT_FUND}
    gf = {c: v for c, v in ITEMS.items() if c in GOVERNMENT_FUND}
    for spec in FORMS:  # every project 项 has its form; 全年执行数 = the 项's 项目支出
        assert ITEMS[spec["code"]][1] == spec["funds"][2] * WAN, spec["code"]
    assert {c for c, (_, p) in ITEMS.items() if p} == {f["code"] for f in FORMS}
    for code, (budget, _) in BUDGETS.items():
        form = next((f for f in FORMS if f["code"] == code), None)
        if form is not None:
            assert budget == form["funds"][0] * WAN, code

    income = []
    for code, (basic, project) in sorted(ITEMS.items()):
        amount = basic + project - (OPENING_BALANCE if code == OPENING_SPENT_ON else 0)
        income.append(Note(Flow(code=Code(code), fiscal=Amt(amount)), subject_name(code)))
    expenditure = []
    for code, (basic, project) in sorted(ITEMS.items()):
        row = Flow(code=Code(code))
        if basic:
            row["basic"] = Amt(basic)
        if project:
            row["project"] = Amt(project)
        expenditure.append(Note(row, subject_name(code)))
    general_budget = [Note(Flow((k, v) for k, v in row.value.items()), row.comment) for row in expenditure if row.value["code"] not in GOVERNMENT_FUND]
    government_fund = [
        Note(Flow(code=Code(code), income=Amt(project), project=Amt(project)), subject_name(code)) for code, (_, project) in gf.items()
    ]

    items = economic_items()
    names = {code: reference.economic_canonical_name(code) for code in items}
    forms, totals = zip(*(form_block(spec) for spec in FORMS))
    target_amount = sum((f["funds"][0] for f in FORMS), D(0))
    monitored = D("196.37")
    evaluated = FORMS[DEPARTMENT_EVALUATED]

    budget_items = []
    for code in sorted(gb):
        budget, reason = BUDGETS[code]
        row = Flow(code=Code(code), initial_budget=Amt(budget))
        final = sum(gb[code])
        if r2(final / WAN) != r2(budget / WAN):
            assert reason, code
            row["reason"] = reason
        budget_items.append(Note(row, subject_name(code)))

    doc: dict = {"format": 1}
    doc[Comment("---------------------------------------------------------------- 基本信息")] = None
    doc["profile"] = {"department": "示例市工业和信息化局", "year": 2024, "layout": "henan", "variant": "NY", "publish_month": "2025-09", "unit": "元"}
    doc[Comment("\n---------------------------------------------------------------- 部门概况")] = None
    doc["overview"] = {
        "duties_heading": "部门职责",
        "duties_style": "（一）",
        "duties": [
            "贯彻执行国家、省有关工业和信息化的法律法规和方针政策，拟订并组织实施全市工业和信息化发展规划，推进产业结构战略性调整和优化升级，推进信息化和工业化融合。",
            "监测分析全市工业运行态势，统计并发布相关信息，进行预测预警和信息引导，协调解决行业运行发展中的有关问题并提出政策建议。",
            "拟订并组织实施全市制造业高质量发展、产业链培育的政策措施，组织推进企业技术改造和重点产业链建设。",
            "负责提出全市工业和信息化固定资产投资规模和方向的意见，组织实施规划内及年度计划规模内固定资产投资项目。",
            "负责全市中小企业、民营经济发展的宏观指导，推动建立完善中小企业服务体系，协调解决中小企业发展中的重大问题。",
            "统筹推进全市信息化工作，组织拟订相关政策措施并协调信息化建设和网络安全保障体系建设中的重大问题。",
            "拟订并组织实施全市工业和信息化能源节约和资源综合利用、循环经济、绿色化改造促进政策措施。",
            "负责全市产业园区建设发展的指导协调，推动园区基础设施和公共服务平台建设。",
            "负责全市民用爆炸物品行业的监督管理工作，指导相关行业加强安全生产管理。",
            "完成市委、市政府交办的其他工作任务。",
        ],
        "internal_departments": [
            "办公室", "综合法规科", "规划科（产业政策科）", "财务科", "运行监测协调科", "中小企业科", "企业服务科",
            "节能与综合利用科", "装备工业科", "消费品工业科（安全生产科）", "信息化和软件服务业科", "人事科（机关党委）",
        ],
        "composition": "本级决算、所属事业单位决算",
        "units": ["示例市工业和信息化局本级", "示例市中小企业服务中心"],
    }
    doc[Comment("\n---------------------------------------------------------------- 收入决算表（公开02表）：只填项级行，类、款、合计由 disclose 汇总")] = None
    doc["income"] = income
    doc[Comment("\n---------------------------------------------------------------- 支出决算表（公开03表）")] = None
    doc["expenditure"] = expenditure
    doc[Comment("\n---------------------------------------------------------------- 一般公共预算财政拨款支出决算表（公开05表）")] = None
    doc["general_budget"] = general_budget
    doc[Comment("\n---------------------------------------------------------------- 政府性基金预算财政拨款收入支出决算表（公开07表）")] = None
    doc["government_fund"] = government_fund
    doc[Comment("\n---------------------------------------------------------------- 一般公共预算财政拨款基本支出决算明细表（公开06表）")] = None
    doc["basic_expenditure"] = {"items": {code: Note(Amt(v), names[code]) for code, v in items.items()}}
    doc[Comment("\n---------------------------------------------------------------- 收入支出决算总表、财政拨款收入支出决算总表的补充数")] = None
    doc["summary"] = {"opening_balance": Amt(OPENING_BALANCE)}
    doc["fiscal_summary"] = {"opening_balance": Flow(general_budget=Amt(OPENING_BALANCE))}
    doc[Comment("\n---------------------------------------------------------------- 财政拨款“三公”经费（公开09表、情况说明九）")] = None
    doc["three_public"] = {
        "budget": Flow(abroad=Amt(D(0)), vehicle_purchase=Amt(D(0)), vehicle_operation=Amt(D("60000.00")), reception=Amt(D("20000.00"))),
        "final": Flow(abroad=Amt(D(0)), vehicle_purchase=Amt(D(0)), vehicle_operation=Amt(PUBLIC["30231"]), reception=Amt(PUBLIC["30217"])),
        "abroad_groups": 0,
        "abroad_people": 0,
        "vehicles_purchased": 0,
        "vehicle_fleet": 3,
        "foreign_reception": Flow(amount=Amt(D(0)), groups=0, people=0),
        "domestic_reception": Flow(groups=18, people=126),
        "reasons": {
            "overall": "严格落实中央八项规定及其实施细则精神，厉行节约，压减公务用车运行和公务接待支出",
            "vehicle": "加强公务用车管理，实行定点维修和保险集中采购，运行维护费支出减少",
            "reception": "严格执行公务接待标准，控制接待规模和陪同人数",
        },
    }
    doc[Comment("\n---------------------------------------------------------------- 与上年相比")] = None
    doc["changes"] = {
        "total": Flow(prior_year=Amt(D("16385204.61")), reason="企业技术改造和产业园区配套奖补项目支出增加"),
        "fiscal_total": Flow(prior_year=Amt(D("16385204.61")), reason="企业技术改造和产业园区配套奖补项目支出增加"),
        "general_budget": Flow(prior_year=Amt(D("15652318.20")), reason="制造业高质量发展专项经费增加"),
        "operating_cost": Flow(prior_year=Amt(D("1012430.18")), reason="落实过紧日子要求，压减办公费、差旅费等日常公用支出"),
    }
    doc[Comment("\n---------------------------------------------------------------- 年初预算（情况说明五（三）、七、八）")] = None
    doc["budgets"] = {
        "general_budget_items": budget_items,
        "government_fund": Flow(initial_budget=Amt(GOVERNMENT_FUND_BUDGET), usage="产业园区道路、供排水等基础设施配套奖补"),
    }
    doc[Comment("\n---------------------------------------------------------------- 机关运行经费、政府采购、国有资产（情况说明十至十二）")] = None
    doc["operating_cost"] = Flow(amount=Amt(OPERATING_COST))
    doc["procurement"] = Flow(goods=Amt(D("186320.00")), works=Amt(D(0)), services=Amt(D("462800.00")), sme=Amt(D("598600.00")), small_micro=Amt(D("412300.00")))
    doc["assets"] = {
        "vehicles": Flow(confidential=1, other=2),
        "other_vehicles_note": "保障单位日常公务和企业服务工作需要",
        "equipment_over_1m": 0,
    }
    doc[Comment("\n---------------------------------------------------------------- 预算绩效（情况说明十三、附件）")] = None
    doc["performance"] = {
        "regulations": [
            "示例市市级预算项目政策事前绩效评估管理办法",
            "示例市市级部门预算绩效目标管理办法",
            "示例市市级预算绩效运行监控管理办法",
            "示例市市级预算项目支出绩效评价管理办法",
        ],
        "target_projects": len(FORMS),
        "target_amount": Num(r2(target_amount)),
        "monitoring": Flow(year=2024, month=8, projects=len(FORMS), executed=Num(monitored), rate=Num(r2(monitored * HUNDRED / target_amount))),
        "department_evaluation": Flow(projects=1, names=FlowSeq([evaluated["project"]]), amount=Num(r2(evaluated["funds"][1])), issues=2, advices=3),
        Comment("附件：项目支出绩效自评情况表（每个项目支出项目一张；得分按 SPEC §7.2.2 计算）"): None,
        "self_evaluations": list(forms),
        Comment("部门评价报告"): None,
        "reports": [department_report(evaluated, totals[DEPARTMENT_EVALUATED])],
    }

    liaoning_facts(doc)
    head = [
        "示例市工业和信息化局 2024年度部门决算（示例数据，虚构）",
        "",
        "这是 README 主命令所用的示例：一个完整、自洽的部门（本级 + 1 个事业单位），金额单位：元（精确到分）。",
        "只填项级行，类、款、合计行与两张总表由 disclose 推算；审核应无错误、无提示。",
        "本文件由 scripts/make_sample.py 生成（结构取自南阳市工业和信息化局 2024 年度公开文本，数字为新编），请勿手工修改。",
        "与公开文本相比所作的更正：类/款/合计不再与项级行相矛盾；公开06表类级数等于所属款级之和；",
        "十三所写得分与自评表一致；评价报告中的金额取自决算表；公务用车数量与“三公”经费一致。",
        "标有“辽宁版式（liaoning）才用的事实”的各项只在按辽宁版式生成时使用（disclose build --layout liaoning）。",
    ]
    return head, doc



# --------------------------------------------------------------------------- liaoning facts

# What only the liaoning layout prints (SPEC §5.3, §7.5). The sample carries them so that it builds
# complete in both layouts; a henan build does not read them.
LN_USAGE = {
    "2080501": "离休人员离休费、退休人员生活补贴",
    "2080502": "事业单位退休人员生活补贴",
    "2080505": "单位缴纳的基本养老保险费",
    "2080506": "单位缴纳的职业年金",
    "2089999": "困难企业军转干部生活补助",
    "2101101": "行政单位职工基本医疗保险缴费",
    "2101102": "事业单位职工基本医疗保险缴费",
    "2101103": "公务员医疗补助缴费",
    "2150501": "在职人员工资福利和机关日常运转",
    "2150502": "工业经济运行监测、产业链推进会议及调研",
    "2150517": "企业技术改造项目补助",
    "2150550": "事业单位人员工资福利和日常运转",
    "2150805": "中小企业培训、公共服务平台运营",
    "2210201": "单位为职工缴纳的住房公积金",
}
LN_PRIOR_CLOSING = OPENING_BALANCE  # last year's 年末结转和结余 = this year's 年初
LN_PRIOR_FUND = D("850000.00")  # last year's 政府性基金 spending
LN_THREE_PUBLIC_PRIOR = {"abroad": D(0), "vehicle": D("52310.00"), "reception": D("15620.00")}
LN_SME = {"goods_sme": D("160000.00"), "works_sme": D(0), "services_sme": D("438600.00")}
LN_INDICATOR_REASONS = {  # (project, indicator) → (未完成原因, 改进措施)
    ("2024年中小企业公共服务体系建设专项资金", "组织中小企业培训场次"): (["其他"], "合理安排培训计划，加快实施进度"),
}
LN_FORM_NOTES = {  # project → (发现的主要问题及原因, 下一步改进措施)
    "2024年工业经济运行监测与产业链推进工作经费": ("厉行节约，会议及调研支出低于预算，预算执行率92.1%", "进一步提高预算编制的精准度"),
    "2024年中小企业公共服务体系建设专项资金": ("部分培训活动未按计划开展，预算执行率66.32%", "合理安排培训计划，加快预算执行进度"),
}


def liaoning_facts(doc: dict) -> None:
    """Add the liaoning-only facts to the sample (in place), each block marked as such."""
    mark = "辽宁版式（liaoning）才用的事实，河南版式不读"
    gb = {c: v for c, v in ITEMS.items() if c not in GOVERNMENT_FUND}
    basic_budget = sum((BUDGETS[c][0] for c, (b, p) in gb.items() if b), D(0))
    project_budget = sum((BUDGETS[c][0] for c, (b, p) in gb.items() if not b), D(0)) + GOVERNMENT_FUND_BUDGET
    for row in doc["budgets"]["general_budget_items"]:
        flow = row.value if isinstance(row, Note) else row
        flow["usage"] = LN_USAGE[flow["code"]]
    doc["budgets"][Comment(f"{mark}：财政拨款基本支出、项目支出年初预算；上面各项的 usage 为“主要是……等支出”")] = None
    doc["budgets"]["fiscal_basic"] = Amt(basic_budget)
    doc["budgets"]["fiscal_project"] = Amt(project_budget)

    general_prior = doc["changes"]["general_budget"]["prior_year"].value
    doc["changes"][Comment(f"{mark}：年末结转和结余、财政拨款支出的上年数（收入总计、支出总计的上年数即上面的收、支总计）")] = None
    doc["changes"]["closing_balance"] = Flow(prior_year=Amt(LN_PRIOR_CLOSING), reason="上年结转资金已在本年全部用于行政运行支出")
    doc["changes"]["fiscal_expenditure"] = Flow(prior_year=Amt(general_prior + LN_PRIOR_FUND), reason="企业技术改造和产业园区配套奖补项目支出增加")

    tp = doc["three_public"]
    tp[Comment(f"{mark}：“三公”经费各项上年决算数与变化原因")] = None
    tp["prior_year"] = Flow((k, Amt(v)) for k, v in LN_THREE_PUBLIC_PRIOR.items())
    tp["prior_reasons"] = Flow(
        abroad="未安排因公出国（境）团组",
        vehicle="实行公务用车定点维修和保险集中采购，运行维护费支出减少",
        reception="严格执行公务接待标准，压减接待批次和陪同人数",
    )

    proc = doc["procurement"]
    for key, value in LN_SME.items():
        proc[key] = Amt(value)
    doc["procurement"] = Note(proc, f"goods_sme、works_sme、services_sme：{mark}")

    perf = doc["performance"]
    for form in perf["self_evaluations"]:
        spec = next(f for f in FORMS if f["project"] == form["project"])
        notes = LN_FORM_NOTES.get(form["project"])
        if spec["code"] in GOVERNMENT_FUND or notes:
            form[Comment(f"{mark}：资金性质、发现的问题与改进措施（以及上面指标行中的 reasons、measures）")] = None
        if spec["code"] in GOVERNMENT_FUND:
            form["fund"] = "政府性基金预算"
        if notes:
            form["problems"], form["measures"] = notes
        for row in form["indicators"]:
            reasons = LN_INDICATOR_REASONS.get((form["project"], row["name"]))
            if reasons:  # (the form's comment below covers these two keys too)
                row["reasons"], row["measures"] = FlowSeq(reasons[0]), reasons[1]
    spent_basic = sum((b for b, _ in gb.values()), D(0)) / WAN
    spent_project = sum((p for _, p in ITEMS.values()), D(0)) / WAN
    budget_total = (basic_budget + project_budget) / WAN
    perf[Comment(f"{mark}：部门（单位）整体绩效自评表（SPEC §7.5.1）")] = None
    perf["overall"] = {
        "unit_code": Code("101001"),
        "division_code": Code("419900000"),
        "income_budget": Num(r2(budget_total)),
        "expenditure_budget": Num(r2(budget_total)),
        "goal_expected": "保障机构正常运转；推进制造业高质量发展和中小企业服务体系建设；完成工业经济运行监测和产业园区配套建设任务。",
        "goal_actual": "机构运转正常；支持企业技术改造项目10个，服务中小企业1620家；按月完成工业经济运行监测，完成3个产业园区基础设施配套奖补。",
        "tasks": [
            Flow(name="基本支出人员经费（保障在职和离退休人员待遇）", project="基本支出", issued=Num(r2(basic_budget / WAN * D("0.92"))), executed=Num(r2(spent_basic * D("0.92"))), weight=Num(D(10))),
            Flow(name="基本支出公用经费（保障机构日常运转）", project="基本支出", issued=Num(r2(basic_budget / WAN * D("0.08"))), executed=Num(r2(spent_basic * D("0.08"))), weight=Num(D(10))),
            Flow(name="推进制造业高质量发展", project="2024年制造业高质量发展专项经费", issued=Num(D(125)), executed=Num(D(125)), weight=Num(D(10))),
            Flow(name="中小企业公共服务体系建设", project="2024年中小企业公共服务体系建设专项资金", issued=Num(D(88)), executed=Num(D("58.36")), weight=Num(D(10))),
        ],
        "indicators": [
            Flow(level1="履职效能", level2="重点工作", name="支持企业技术改造项目数", target="≥10个", actual="10个", weight=Num(D(15))),
            Flow(level1="履职效能", level2="重点工作", name="服务中小企业数量", target="≥1500家", actual="1620家", weight=Num(D(15))),
            Flow(level1="管理效率", level2="预算执行", name="预算执行率", target="≥90%", actual=f"{r2(spent_basic + spent_project) * HUNDRED / r2(budget_total):.2f}%", weight=Num(D(10))),
            Flow(level1="运行成本", level2="成本控制", name="“三公”经费控制率", target="≤100%", actual="76.75%", weight=Num(D(5))),
            Flow(level1="社会效应", level2="服务对象满意度", name="服务企业满意度", target="≥90%", actual="93%", weight=Num(D(10))),
            Flow(level1="可持续性", level2="制度建设", name="内部管理制度健全性", target="健全", actual="全部或基本达成预期指标 100%-80%（含）", weight=Num(D(5)), score=Num(D(5))),
        ],
    }


def department_report(spec: dict, total: Decimal) -> dict:
    initial, full, executed = spec["funds"]
    rate = r2(executed * HUNDRED / full)
    return {
        "title": f"{spec['project']}项目支出绩效评价报告",
        "paragraphs": [
            "（一）、基本情况",
            f"{spec['project']}由示例市中小企业服务中心实施，主要用于中小企业培训、公共服务平台运营和企业诉求办理。"
            f"项目全年预算{strip(full)}万元，全年执行{strip(executed)}万元，预算执行率{rate}%。",
            "（二）、绩效评价工作开展情况",
            "评价组对照年初设定的绩效目标，采取资料核查、实地调研和问卷调查相结合的方式，对项目决策、过程、产出和效益进行了评价。",
            "（三）、综合评价情况及评价结论",
            f"项目自评得分{strip(total)}分，评价等级为“优”。",
            "（四）、存在的问题",
            "一是预算执行进度偏慢，部分培训活动未按计划开展；二是绩效指标设置不够细化。",
            "（五）、有关建议",
            "（1）合理安排培训计划，加快预算执行进度。",
            "（2）细化量化绩效指标，提高绩效目标的可衡量性。",
            "（3）加强项目跟踪管理，及时掌握项目实施情况。",
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "examples" / "sample-2024.yaml")
    args = parser.parse_args(argv)
    head, doc = build()
    write_yaml(args.out, head, doc)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
