"""The input model: everything a department supplies for one 部门决算 document.

One ``DataSet`` is one department and year. Amounts are ``Decimal`` in the unit the
file declares (``profile.unit``): 元 (preferred: exact, every total is computed
before rounding to 万元) or 万元 (already rounded: printed as given, sums checked
with a rounding tolerance). Anything derivable (款/类/合计 rows, row totals, the
总表 figures, scores) may be left out and is then computed; if given, it is checked.

Field names are English (see docs in README, "术语对照"); every field carries its
Chinese title, which the JSON Schema and the Excel template show to the people
who fill the data in.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from disclose.model.types import Amount, Count, EconomicCode, FormNumber, SignedFormNumber, SubjectCode, Text

FORMAT_VERSION = 1


class Strict(BaseModel):
    # defer_build: each model's validator is built when first used, and only the data
    # set's is ever used (it covers the nested models): building all 44 at import took
    # a third of a validate run.
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=False, str_strip_whitespace=True, defer_build=True)


def _f(title: str, description: str | None = None, **kw):
    return Field(title=title, description=description, **kw)


# --------------------------------------------------------------------------- profile


class Profile(Strict):
    department: Text = _f("部门全称", "表头“部门：”一栏所印的部门全称")
    cover_name: Optional[Text] = _f("封面部门名称", "封面上的名称与部门全称不同时填写", default=None)
    year: int = _f("决算年度", ge=2000, le=2100)
    layout: Text = _f("版式", "版式名称，如 henan、liaoning（templates/ 下的目录名）", default="henan")
    variant: Optional[Text] = _f("版式变体", "如河南版式的 NY、JZ、JY；不填用版式的默认变体", default=None)
    publish_month: Optional[Text] = _f(
        "封面日期", "封面所印的年月，写作 YYYY-MM，如 2025-09；不填为决算年度次年九月", default=None
    )
    unit: Literal["元", "万元"] = _f("金额单位", "本文件中金额的单位：元（推荐，精确）或 万元（已四舍五入）")

    @field_validator("publish_month")
    @classmethod
    def _month(cls, value: str | None) -> str | None:
        if value is None:
            return value
        m = re.fullmatch(r"(\d{4})-(\d{1,2})", value)
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise PydanticCustomError("invalid-value", "封面日期应写作 YYYY-MM（如 2025-09），实际为“{value}”", {"value": value})
        return f"{m.group(1)}-{int(m.group(2)):02d}"


# --------------------------------------------------------------------------- 概况


class Overview(Strict):
    duties_heading: Text = _f("职责标题", default="部门职责")
    duties_intro: Optional[Text] = _f("职责引言", "如“XX的主要职责是：”", default=None)
    duties: list[Text] = _f("部门职责", "每条职责一项，不含编号", default_factory=list)
    duties_style: Literal["1)", "（一）", "1、", "1.", "段落"] = _f(
        "职责编号样式", "1) / （一） / 1、 / 1. 逐条编号；“段落”合为一段，以“；”连接", default="（一）"
    )
    internal_departments: list[Text] = _f("内设机构", "每个内设机构一项", default_factory=list)
    internal_departments_note: Optional[Text] = _f("另设机构说明", "如“另设有……。”", default=None)
    composition: Text = _f("决算单位构成", "如“本级决算”“本级决算、所属单位决算”", default="本级决算")
    units: list[Text] = _f("纳入决算编制范围的单位", "每个单位一项，不含编号", default_factory=list)
    structure_text: Optional[list[Text]] = _f(
        "机构设置原文", "如需逐字印出机构设置部分，在此按段落填写；填写后不再由上面各项生成", default=None
    )


# --------------------------------------------------------------------------- subject tables


class SubjectRow(Strict):
    code: SubjectCode = _f("科目编码", "功能分类科目编码；项级 7 位。类、款、合计行可不填（自动汇总），填了就核对")
    name: Optional[Text] = _f("科目名称", "不填则取分类参考中的标准名称", default=None)


class IncomeRow(SubjectRow):
    """收入决算表（公开02表）的一行。"""

    total: Optional[Amount] = _f("本年收入合计", "可不填：等于各项收入之和", default=None)
    fiscal: Amount = _f("财政拨款收入", default=Decimal(0))
    superior: Amount = _f("上级补助收入", default=Decimal(0))
    business: Amount = _f("事业收入", default=Decimal(0))
    operating: Amount = _f("经营收入", default=Decimal(0))
    affiliated: Amount = _f("附属单位上缴收入", default=Decimal(0))
    other: Amount = _f("其他收入", default=Decimal(0))


class ExpenditureRow(SubjectRow):
    """支出决算表（公开03表）的一行。"""

    total: Optional[Amount] = _f("本年支出合计", "可不填：等于各项支出之和", default=None)
    basic: Amount = _f("基本支出", default=Decimal(0))
    project: Amount = _f("项目支出", default=Decimal(0))
    remit: Amount = _f("上缴上级支出", default=Decimal(0))
    operating: Amount = _f("经营支出", default=Decimal(0))
    affiliated: Amount = _f("对附属单位补助支出", default=Decimal(0))


class BasicProjectRow(SubjectRow):
    """一般公共预算（公开05表）或国有资本经营预算（公开08表）财政拨款支出的一行。"""

    total: Optional[Amount] = _f("小计", "可不填：等于基本支出 + 项目支出", default=None)
    basic: Amount = _f("基本支出", default=Decimal(0))
    project: Amount = _f("项目支出", default=Decimal(0))


class GovernmentFundRow(SubjectRow):
    """政府性基金预算财政拨款收入支出决算表（公开07表）的一行。"""

    opening: Amount = _f("年初结转和结余", default=Decimal(0))
    income: Amount = _f("本年收入", default=Decimal(0))
    total: Optional[Amount] = _f("本年支出小计", "可不填：等于基本支出 + 项目支出", default=None)
    basic: Amount = _f("基本支出", default=Decimal(0))
    project: Amount = _f("项目支出", default=Decimal(0))
    closing: Optional[Amount] = _f("年末结转和结余", "可不填：年初结转和结余 + 本年收入 − 本年支出", default=None)


# --------------------------------------------------------------------------- 总表 inputs


class FundSplit(Strict):
    general_budget: Amount = _f("一般公共预算财政拨款", default=Decimal(0))
    government_fund: Amount = _f("政府性基金预算财政拨款", default=Decimal(0))
    state_capital: Amount = _f("国有资本经营预算财政拨款", default=Decimal(0))


T01_INCOME_KEYS = {
    "general_budget": "一般公共预算财政拨款收入",
    "government_fund": "政府性基金预算财政拨款收入",
    "state_capital": "国有资本经营预算财政拨款收入",
    "superior": "上级补助收入",
    "business": "事业收入",
    "operating": "经营收入",
    "affiliated": "附属单位上缴收入",
    "other": "其他收入",
    "income_total": "本年收入合计",
    "non_fiscal_balance_used": "使用非财政拨款结余和专用结余",
    "opening_balance": "年初结转和结余",
    "total": "总计",
}
T01_EXPENDITURE_KEYS = {
    "expenditure_total": "本年支出合计",
    "surplus_distribution": "结余分配",
    "closing_balance": "年末结转和结余",
    "total": "总计",
}


def _stated_keys(mapping: dict, allowed: dict[str, str], *, class_codes: bool) -> dict:
    for key in mapping:
        if key in allowed or (class_codes and re.fullmatch(r"2\d\d", str(key))):
            continue
        raise PydanticCustomError(
            "unknown-field", "未知字段“{field}”{hint}", {"field": key, "hint": "，可填：" + "、".join(allowed) + ("、类级科目编码" if class_codes else "")}
        )
    return mapping


class T01Stated(Strict):
    """公开01表中已印出的数（可选）：填了就与推算值核对，印刷时以填写值为准（万元数据）。"""

    income: dict[str, Amount] = _f("收入方", "键：" + "、".join(T01_INCOME_KEYS), default_factory=dict)
    expenditure: dict[str, Amount] = _f("支出方", "键：类级科目编码（201 等）及 " + "、".join(T01_EXPENDITURE_KEYS), default_factory=dict)

    @field_validator("income")
    @classmethod
    def _income(cls, v):
        return _stated_keys(v, T01_INCOME_KEYS, class_codes=False)

    @field_validator("expenditure")
    @classmethod
    def _exp(cls, v):
        return _stated_keys(v, T01_EXPENDITURE_KEYS, class_codes=True)


class Summary(Strict):
    """收入支出决算总表（公开01表）中不能由其他表推出的数。"""

    non_fiscal_balance_used: Amount = _f("使用非财政拨款结余和专用结余", default=Decimal(0))
    opening_balance: Amount = _f("年初结转和结余", default=Decimal(0))
    surplus_distribution: Amount = _f("结余分配", default=Decimal(0))
    closing_balance: Amount = _f("年末结转和结余", default=Decimal(0))
    stated: T01Stated = _f("已印出的数（核对用）", default_factory=T01Stated)


T04_INCOME_KEYS = {"income_total": "本年收入合计", "opening_total": "年初财政拨款结转和结余", "total": "总计"}
T04_EXPENDITURE_KEYS = {"expenditure_total": "本年支出合计", "closing_balance": "年末财政拨款结转和结余", "total": "总计"}


class T04Stated(Strict):
    """公开04表中已印出的数（可选）。支出方每行四个数：合计、一般公共预算、政府性基金、国有资本经营。"""

    income: dict[str, Amount] = _f("收入方", "键：" + "、".join(T04_INCOME_KEYS), default_factory=dict)
    expenditure: dict[str, list[Amount]] = _f("支出方", "键：类级科目编码及 " + "、".join(T04_EXPENDITURE_KEYS), default_factory=dict)

    @field_validator("income")
    @classmethod
    def _income(cls, v):
        return _stated_keys(v, T04_INCOME_KEYS, class_codes=False)

    @field_validator("expenditure")
    @classmethod
    def _exp(cls, v):
        v = _stated_keys(v, T04_EXPENDITURE_KEYS, class_codes=True)
        for key, values in v.items():
            if len(values) != 4:
                raise PydanticCustomError(
                    "invalid-value", "“{key}”应有 4 个数（合计、一般公共预算、政府性基金、国有资本经营），实际 {n} 个", {"key": key, "n": len(values)}
                )
        return v


class FiscalSummary(Strict):
    """财政拨款收入支出决算总表（公开04表）中不能由其他表推出的数。"""

    income: Optional[FundSplit] = _f(
        "本年财政拨款收入", "可不填：本年支出 + 年末结转和结余 − 年初结转和结余", default=None
    )
    opening_balance: FundSplit = _f("年初财政拨款结转和结余", default_factory=FundSplit)
    closing_balance: FundSplit = _f("年末财政拨款结转和结余", default_factory=FundSplit)
    stated: T04Stated = _f("已印出的数（核对用）", default_factory=T04Stated)


# --------------------------------------------------------------------------- 公开06表


class BasicExpenditure(Strict):
    """一般公共预算财政拨款基本支出（公开06表），按支出经济分类款级科目填列。"""

    items: dict[EconomicCode, Amount] = _f(
        "经济分类科目金额", "键为经济分类款级编码（如 30101），值为金额；类级编码（如 301）可填，填了就核对", default_factory=dict
    )
    personnel_total: Optional[Amount] = _f("人员经费合计", "可不填：301 + 303", default=None)
    public_total: Optional[Amount] = _f("公用经费合计", "可不填：302 + 307 + 310 + 312 + 313 + 399", default=None)
    partial: bool = _f(
        "只列出部分科目",
        "原始资料不全（如公开文本缺页）时填 true：人员经费合计、公用经费合计按填写值使用，不与所列科目之和核对",
        default=False,
    )


# --------------------------------------------------------------------------- 三公


class ThreePublicAmounts(Strict):
    abroad: Amount = _f("因公出国（境）费", default=Decimal(0))
    vehicle_purchase: Amount = _f("公务用车购置费", default=Decimal(0))
    vehicle_operation: Amount = _f("公务用车运行维护费", default=Decimal(0))
    reception: Amount = _f("公务接待费", default=Decimal(0))
    vehicle: Optional[Amount] = _f("公务用车购置及运行维护费小计", "可不填：购置费 + 运行维护费", default=None)
    total: Optional[Amount] = _f("合计", "可不填：三项之和", default=None)


class ThreePublicItems(Strict):
    overall: Optional[Text] = _f("合计", default=None)
    abroad: Optional[Text] = _f("因公出国（境）费", default=None)
    vehicle: Optional[Text] = _f("公务用车购置及运行维护费", default=None)
    reception: Optional[Text] = _f("公务接待费", default=None)


class ThreePublicPrior(Strict):
    abroad: Optional[Amount] = _f("因公出国（境）费", default=None)
    vehicle: Optional[Amount] = _f("公务用车购置及运行维护费", default=None)
    reception: Optional[Amount] = _f("公务接待费", default=None)


class Reception(Strict):
    amount: Optional[Amount] = _f("金额", default=None)
    groups: Count = _f("团组（批次）数", default=0)
    people: Count = _f("人次", default=0)


class ThreePublic(Strict):
    """财政拨款“三公”经费（公开09表）及情况说明所需的事实。"""

    budget: ThreePublicAmounts = _f("预算数", default_factory=ThreePublicAmounts)
    final: ThreePublicAmounts = _f("决算数", default_factory=ThreePublicAmounts)
    abroad_groups: Count = _f("因公出国（境）团组数", default=0)
    abroad_people: Count = _f("因公出国（境）人次", default=0)
    vehicles_purchased: Count = _f("购置车辆数", default=0)
    vehicle_fleet: Count = _f("财政拨款开支的公务用车保有量", default=0)
    foreign_reception: Reception = _f("外宾接待", "金额、团组、人次", default_factory=Reception)
    domestic_reception: Reception = _f("国内公务接待", "金额可不填（公务接待费 − 外宾接待）", default_factory=Reception)
    reasons: ThreePublicItems = _f("决算数与预算数差异的主要原因", default_factory=ThreePublicItems)
    usage: dict[Literal["vehicle_operation", "domestic_reception"], Text] = _f(
        "主要用途", "vehicle_operation（公务用车运行维护）、domestic_reception（国内公务接待）", default_factory=dict
    )
    prior_year: ThreePublicPrior = _f("上年决算数", default_factory=ThreePublicPrior)
    prior_reasons: ThreePublicItems = _f("与上年相比变化的主要原因", default_factory=ThreePublicItems)


# --------------------------------------------------------------------------- narrative facts


class Change(Strict):
    prior_year: Optional[Amount] = _f("上年数", default=None)
    reason: Optional[Text] = _f("变化的主要原因", default=None)


class Changes(Strict):
    """与上年相比：上年数与主要原因。"""

    total: Change = _f("收、支总计", default_factory=Change)
    fiscal_total: Change = _f("财政拨款收、支总计", default_factory=Change)
    general_budget: Change = _f("一般公共预算财政拨款支出", default_factory=Change)
    operating_cost: Change = _f("机关运行经费", default_factory=Change)
    income_total: Change = _f("收入总计（辽宁版式）", default_factory=Change)
    expenditure_total: Change = _f("支出总计（辽宁版式）", default_factory=Change)
    closing_balance: Change = _f("年末结转和结余（辽宁版式）", default_factory=Change)
    fiscal_expenditure: Change = _f("财政拨款支出（辽宁版式）", default_factory=Change)


class BudgetItem(Strict):
    """一般公共预算财政拨款支出的一个项：年初预算与决算差异的说明。"""

    code: SubjectCode = _f("科目编码（项级）")
    initial_budget: Amount = _f("年初预算数", default=Decimal(0))
    reason: Optional[Text] = _f("决算数与年初预算数存在差异的主要原因", default=None)
    usage: Optional[Text] = _f("主要用途（辽宁版式“主要是……等支出”）", default=None)


class FundBudget(Strict):
    initial_budget: Amount = _f("年初预算数", default=Decimal(0))
    usage: Optional[Text] = _f("主要用于", default=None)
    carry_over_note: Optional[Text] = _f("年末结转和结余说明", default=None)


class Budgets(Strict):
    """年初预算。"""

    general_budget_items: list[BudgetItem] = _f(
        "一般公共预算财政拨款支出（按项）", "每个项一条；公开05表没有的项也会列入（决算为 0）", default_factory=list
    )
    general_budget_total: Optional[Amount] = _f("一般公共预算年初预算合计", "可不填：各项之和", default=None)
    government_fund: FundBudget = _f("政府性基金预算财政拨款", default_factory=FundBudget)
    state_capital: FundBudget = _f("国有资本经营预算财政拨款", default_factory=FundBudget)
    fiscal_basic: Optional[Amount] = _f("财政拨款基本支出年初预算（辽宁版式）", default=None)
    fiscal_project: Optional[Amount] = _f("财政拨款项目支出年初预算（辽宁版式）", default=None)


class OperatingCost(Strict):
    amount: Amount = _f("机关运行经费", default=Decimal(0))


class Procurement(Strict):
    goods: Amount = _f("政府采购货物支出", default=Decimal(0))
    works: Amount = _f("政府采购工程支出", default=Decimal(0))
    services: Amount = _f("政府采购服务支出", default=Decimal(0))
    total: Optional[Amount] = _f("政府采购支出总额", "可不填：三项之和", default=None)
    sme: Amount = _f("授予中小企业合同金额", default=Decimal(0))
    small_micro: Amount = _f("其中：授予小微企业合同金额", default=Decimal(0))
    goods_sme: Optional[Amount] = _f("货物采购授予中小企业合同金额（辽宁版式）", default=None)
    works_sme: Optional[Amount] = _f("工程采购授予中小企业合同金额（辽宁版式）", default=None)
    services_sme: Optional[Amount] = _f("服务采购授予中小企业合同金额（辽宁版式）", default=None)


class Vehicles(Strict):
    leaders: Count = _f("省级（副省级以上）领导干部用车", default=0)
    principal_leaders: Count = _f("主要领导干部用车", default=0)
    confidential: Count = _f("机要通信用车", default=0)
    emergency: Count = _f("应急保障用车", default=0)
    law_enforcement: Count = _f("执法执勤用车", default=0)
    special_technical: Count = _f("特种专业技术用车", default=0)
    retired_cadres: Count = _f("离退休干部服务用车", default=0)
    other: Count = _f("其他用车", default=0)
    total: Optional[Count] = _f("车辆合计", "可不填：各类之和", default=None)


class Assets(Strict):
    vehicles: Vehicles = _f("车辆", default_factory=Vehicles)
    other_vehicles_note: Optional[Text] = _f("其他用车主要是", default=None)
    equipment_over_1m: Count = _f("单价100万元（含）以上设备（不含车辆）台（套）数", default=0)


# --------------------------------------------------------------------------- performance


class FundsLine(Strict):
    """[年初预算数, 全年预算数, 全年执行数]（万元，照表填写）。"""

    initial: Optional[FormNumber] = _f("年初预算数", default=None)
    full_year: Optional[FormNumber] = _f("全年预算数", default=None)
    executed: Optional[FormNumber] = _f("全年执行数", default=None)

    @model_validator(mode="before")
    @classmethod
    def _from_list(cls, value):
        if isinstance(value, list):
            if len(value) != 3:
                raise PydanticCustomError(
                    "invalid-value", "资金行应为 3 个数 [年初预算数, 全年预算数, 全年执行数]，实际 {n} 个", {"n": len(value)}
                )
            return dict(zip(("initial", "full_year", "executed"), value))
        return value


class FormFunds(Strict):
    fiscal: FundsLine = _f("财政拨款", default_factory=FundsLine)
    special_account: FundsLine = _f("财政专户管理资金", default_factory=FundsLine)
    unit_funds: FundsLine = _f("单位资金", default_factory=FundsLine)
    total: Optional[FundsLine] = _f("年度资金总额（核对用）", default=None)
    weight: FormNumber = _f("分值", default=Decimal(10))
    rate: Optional[FormNumber] = _f("执行率（已印出的数，核对用）", default=None)
    score: Optional[FormNumber] = _f("得分（已印出的数，核对用）", default=None)


class ManagementRow(Strict):
    item: Text = _f("项目", "安排科学性 / 拨付合规性 / 使用规范性 / 预算绩效管理情况")
    note: Optional[Text] = _f("情况说明", default=None)
    weight: FormNumber = _f("分值", default=Decimal(5))
    score: FormNumber = _f("得分")
    issue: Optional[Text] = _f("存在问题和改进措施", default=None)


class Indicator(Strict):
    level1: Text = _f("一级指标")
    level2: Text = _f("二级指标")
    name: Optional[Text] = _f("三级指标", default=None)
    target: Optional[Text] = _f("年度指标值", "如 ≥95%、≤2.09万元、=1次、及时", default=None)
    actual: Optional[Text] = _f("实际完成值", default=None)
    weight: FormNumber = _f("分值")
    score: Optional[FormNumber] = _f("得分", "可不填：按评分规则计算", default=None)
    deviation: Optional[SignedFormNumber] = _f("偏差度", "可不填：按评分规则计算", default=None)
    remark: Optional[Text] = _f("偏差原因分析及改进措施", "辽宁版式印在“原因说明”栏", default=None)
    # 辽宁版式（SPEC §7.5）才有的栏目；河南版式不印
    completion: Optional[FormNumber] = _f("完成程度（辽宁版式）", "可不填：得分 ÷ 分值", default=None)
    reasons: list[Literal["经费保障", "制度保障", "人员保障", "硬件条件保障", "其他"]] = _f(
        "未完成原因分析（辽宁版式）", "打“√”的栏：经费保障、制度保障、人员保障、硬件条件保障、其他", default_factory=list
    )
    measures: Optional[Text] = _f("改进措施（辽宁版式）", default=None)


class SelfEvaluation(Strict):
    """项目支出绩效自评表（一个项目一张）。"""

    project: Text = _f("项目名称")
    period: Optional[Text] = _f("表头日期/期间", "如 2025年04月、2024年度", default=None)
    department: Optional[Text] = _f("主管部门", default=None)
    implementer: Optional[Text] = _f("实施单位", default=None)
    unit: Optional[Text] = _f("所属单位", "情况说明按单位分组时使用", default=None)
    funds: FormFunds = _f("项目资金（万元）", default_factory=FormFunds)
    management: list[ManagementRow] = _f("资金管理情况", default_factory=list)
    goal_expected: Optional[Text] = _f("年度总体目标：预期目标", default=None)
    goal_actual: Optional[Text] = _f("年度总体目标：实际完成情况", default=None)
    indicators: list[Indicator] = _f("绩效指标", default_factory=list)
    total_score: Optional[FormNumber] = _f("总分（已印出的数，核对用）", default=None)
    summary: Optional[Text] = _f("情况说明中的项目简述", default=None)
    # 辽宁版式（SPEC §5.3 五（四）、§7.5.2）才用的事实
    fund: Optional[Literal["一般公共预算", "政府性基金预算", "国有资本经营预算"]] = _f(
        "资金性质（辽宁版式）", "情况说明按资金性质统计自评项目；不填按一般公共预算", default=None
    )
    problems: Optional[Text] = _f("发现的主要问题及原因（辽宁版式）", "不填印“无”", default=None)
    measures: Optional[Text] = _f("下一步改进措施（辽宁版式）", "不填印“无”", default=None)


class Task(Strict):
    name: Text = _f("任务名称")
    content: Optional[Text] = _f("主要内容", default=None)
    actual: Optional[Text] = _f("实际完成情况", default=None)
    # 辽宁版式整体绩效自评表（SPEC §7.5.1）的任务栏
    project: Optional[Text] = _f("对应项目（辽宁版式）", default=None)
    issued: Optional[FormNumber] = _f("项目下达金额（万元，辽宁版式）", default=None)
    executed: Optional[FormNumber] = _f("项目执行金额（万元，辽宁版式）", default=None)
    weight: Optional[FormNumber] = _f("分值（辽宁版式）", default=None)
    score: Optional[FormNumber] = _f("得分（辽宁版式，可不填：分值 × 执行率）", default=None)


class OverallEvaluation(Strict):
    """部门整体支出绩效自评表。"""

    label: Optional[Text] = _f("附件标题", "如“附件1：《2024年度部门整体项目支出自评表》”", default=None)
    title: Text = _f("表名", default="部门整体自评表")
    funds: FormFunds = _f("部门整体支出情况", default_factory=FormFunds)
    goal_expected: Optional[Text] = _f("年度履职目标：预期目标", default=None)
    goal_actual: Optional[Text] = _f("年度履职目标：实际完成情况", default=None)
    tasks: list[Task] = _f("年度主要任务", default_factory=list)
    indicators: list[Indicator] = _f("绩效指标", default_factory=list)
    total_score: Optional[FormNumber] = _f("总分（核对用）", default=None)
    grade: Optional[Text] = _f("评价等级", default=None)
    # 辽宁版式部门（单位）整体绩效自评表（SPEC §7.5.1）的表头
    unit_code: Optional[Text] = _f("单位编码（辽宁版式）", "6 位", default=None)
    division_code: Optional[Text] = _f("区划编码（辽宁版式）", "9 位", default=None)
    income_budget: Optional[FormNumber] = _f("部门年初预算收入金额（万元，辽宁版式）", default=None)
    expenditure_budget: Optional[FormNumber] = _f("部门年初预算支出金额（万元，辽宁版式）", default=None)
    units: Optional[Count] = _f("开展整体绩效自评的单位数（辽宁版式）", "不填为 1", default=None)


class SummaryRow(Strict):
    unit_code: Optional[Text] = _f("单位编码", default=None)
    unit_name: Optional[Text] = _f("单位名称", default=None)
    department_code: Optional[Text] = _f("主管部门编码", default=None)
    department_name: Optional[Text] = _f("主管部门名称", default=None)
    project: Text = _f("项目名称")
    project_type: Optional[Text] = _f("项目类型", default=None)
    office: Optional[Text] = _f("资金归口处室", default=None)
    budget: FormNumber = _f("全年预算数")
    executed: FormNumber = _f("全年执行数")
    system_executed: Optional[FormNumber] = _f("系统查询全年执行数", default=None)
    rates: list[Optional[FormNumber]] = _f(
        "得分率", "预算执行率、资金管理情况、成本、产出、效益、满意度指标得分率（%，无则 null）", default_factory=list
    )
    score: FormNumber = _f("自评得分")
    deviation: bool = _f("是否有偏差项目", default=False)


class EvaluationSummary(Strict):
    """项目单位自评汇总表。"""

    label: Optional[Text] = _f("附件标题", default=None)
    title: Text = _f("表名", default="项目单位自评汇总表")
    rows: list[SummaryRow] = _f("行", default_factory=list)


class Report(Strict):
    label: Optional[Text] = _f("附件标题", "如“附件3：《财政重点绩效评价报告》”", default=None)
    title: Optional[Text] = _f("报告标题", default=None)
    paragraphs: list[Text] = _f("正文（按段落）", "以“一、”“（一）”“1.”开头的段落按标题排版", default_factory=list)


class Monitoring(Strict):
    year: Optional[int] = _f("监控年份", default=None)
    month: Optional[int] = _f("监控月份", default=None, ge=1, le=12)
    projects: Optional[Count] = _f("监控项目数", default=None)
    executed: Optional[FormNumber] = _f("1-7月预算执行数（万元）", default=None)
    rate: Optional[FormNumber] = _f("执行率（%，可不填：执行数 ÷ 编制绩效目标金额）", default=None)


class DepartmentEvaluation(Strict):
    projects: Count = _f("部门评价项目数", default=0)
    names: list[Text] = _f("部门评价项目名称", default_factory=list)
    amount: Optional[FormNumber] = _f("涉及金额（万元）", default=None)
    issues: Count = _f("发现问题条数", default=0)
    advices: Count = _f("提出建议条数", default=0)


class PerformanceText(Strict):
    """十三、预算绩效情况说明中由部门撰写的文字（按段落）。填写的部分原样印出，代替自动生成的段落。"""

    management: Optional[list[Text]] = _f("（一）绩效管理工作开展情况", default=None)
    results: Optional[list[Text]] = _f("（二）项目绩效自评结果", default=None)
    evaluation: Optional[list[Text]] = _f("（三）部门评价结果", default=None)
    fiscal_evaluation: Optional[list[Text]] = _f("财政评价结果（辽宁版式）", "不填印“{年度}年我部门无财政评价项目”", default=None)


class Performance(Strict):
    """预算绩效：情况说明十三所需事实与附件中的自评表。"""

    regulations: list[Text] = _f("本地预算绩效管理办法名称", default_factory=list)
    target_projects: Optional[Count] = _f("编制绩效目标的项目数", default=None)
    target_amount: Optional[FormNumber] = _f("编制绩效目标涉及金额（万元）", default=None)
    monitoring: Monitoring = _f("绩效监控", default_factory=Monitoring)
    department_evaluation: DepartmentEvaluation = _f("部门评价", default_factory=DepartmentEvaluation)
    text: PerformanceText = _f("部门撰写的文字", default_factory=PerformanceText)
    self_evaluations: list[SelfEvaluation] = _f("项目支出绩效自评表", default_factory=list)
    overall: Optional[OverallEvaluation] = _f("部门整体支出绩效自评表", default=None)
    summary_table: Optional[EvaluationSummary] = _f("项目单位自评汇总表", default=None)
    reports: list[Report] = _f("评价报告", default_factory=list)


class AuditNote(Strict):
    """对一条审核提示的书面说明（出错说明）。"""

    rule: Text = _f("规则编号", "如 X13")
    where: Optional[Text] = _f("位置", "不填则说明该规则的全部提示", default=None)
    note: Text = _f("说明")


# --------------------------------------------------------------------------- the data set


class DataSet(Strict):
    """一个部门一个年度的部门决算数据。"""

    model_config = ConfigDict(
        extra="forbid",
        title="disclose 部门决算数据",
        json_schema_extra={"$comment": "Generated from disclose.model.dataset; do not edit by hand."},
    )

    format: Literal[1] = _f("数据格式版本", "当前为 1", default=1)
    profile: Profile = _f("基本信息")
    overview: Overview = _f("部门概况", default_factory=Overview)
    income: list[IncomeRow] = _f("收入决算表（公开02表）", "按项级科目逐行填列", default_factory=list)
    expenditure: list[ExpenditureRow] = _f("支出决算表（公开03表）", "按项级科目逐行填列", default_factory=list)
    general_budget: list[BasicProjectRow] = _f(
        "一般公共预算财政拨款支出决算表（公开05表）", "按项级科目逐行填列", default_factory=list
    )
    government_fund: list[GovernmentFundRow] = _f(
        "政府性基金预算财政拨款收入支出决算表", "按项级科目逐行填列；没有则不填", default_factory=list
    )
    state_capital: list[BasicProjectRow] = _f(
        "国有资本经营预算财政拨款支出决算表", "按项级科目逐行填列；没有则不填", default_factory=list
    )
    basic_expenditure: BasicExpenditure = _f("一般公共预算财政拨款基本支出（经济分类）", default_factory=BasicExpenditure)
    summary: Summary = _f("收入支出决算总表补充数", default_factory=Summary)
    fiscal_summary: FiscalSummary = _f("财政拨款收入支出决算总表补充数", default_factory=FiscalSummary)
    three_public: ThreePublic = _f("财政拨款“三公”经费", default_factory=ThreePublic)
    changes: Changes = _f("与上年相比", default_factory=Changes)
    budgets: Budgets = _f("年初预算", default_factory=Budgets)
    operating_cost: OperatingCost = _f("机关运行经费", default_factory=OperatingCost)
    procurement: Procurement = _f("政府采购", default_factory=Procurement)
    assets: Assets = _f("国有资产占用", default_factory=Assets)
    performance: Performance = _f("预算绩效", default_factory=Performance)
    audit_notes: list[AuditNote] = _f("审核提示的书面说明", default_factory=list)
