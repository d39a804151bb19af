"""The catalogue of audit rules (审核公式).

Each rule has a stable id (SPEC §4: R within a table, X between tables, N narrative
facts against tables; P performance forms; L layout-specific facts), a default
severity, a Chinese title, the formula it states, and how its message reads.
Identity rules are evaluated from the ledger (``disclose.model.derive`` wires each
identity to its rule id); check rules are plain functions in ``disclose.rules.checks``
that return findings of the rule's type.

``disclose rules`` prints this catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass

from disclose.findings import FindingType, Severity

E, W = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str
    formula: str
    rhs: str = ""  # how the right-hand side reads in a message, e.g. "下级科目之和"
    template: str = ""  # for check rules; identity rules use IDENTITY_TEMPLATE

    @property
    def type(self) -> FindingType:
        return FindingType(self.id, self.severity, self.title, self.template or IDENTITY_TEMPLATES["="])

    def identity_type(self, relation: str) -> FindingType:
        return FindingType(self.id, self.severity, self.title, IDENTITY_TEMPLATES[relation])


IDENTITY_TEMPLATES = {
    "=": "{lhs_label}为 {lhs}，{rhs_label}为 {rhs}，相差 {diff}{unit}",
    "<=": "{lhs_label}为 {lhs}，大于{rhs_label} {rhs}（超出 {diff}{unit}）",
    ">=": "{lhs_label}为 {lhs}，小于{rhs_label} {rhs}（少 {diff}{unit}）",
}

RULES: list[Rule] = [
    # ---- within a table
    Rule("R01", E, "收入支出决算总表：本年收入合计", "公开01表 本年收入合计 = 收入第 1–8 行之和", "收入各行之和"),
    Rule("R02", E, "收入支出决算总表：本年支出合计", "公开01表 本年支出合计 = 26 个功能分类类级行之和", "26 个类级支出行之和"),
    Rule("R03", E, "收入支出决算总表：收入总计", "收入总计 = 本年收入合计 + 使用非财政拨款结余和专用结余 + 年初结转和结余", "本年收入合计、使用非财政拨款结余、年初结转和结余之和"),
    Rule("R04", E, "收入支出决算总表：支出总计", "支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余", "本年支出合计、结余分配、年末结转和结余之和"),
    Rule("R05", E, "收入支出决算总表：收支平衡", "收入总计 = 支出总计", "支出总计"),
    Rule("R06", E, "收入决算表：行内平衡", "每行 本年收入合计 = 财政拨款收入 + 上级补助收入 + 事业收入 + 经营收入 + 附属单位上缴收入 + 其他收入", "本行各项收入之和"),
    Rule("R07", E, "支出决算表：行内平衡", "每行 本年支出合计 = 基本支出 + 项目支出 + 上缴上级支出 + 经营支出 + 对附属单位补助支出", "本行各项支出之和"),
    Rule("R08", E, "财政拨款支出表：行内平衡", "公开05表、国有资本经营表每行 小计 = 基本支出 + 项目支出", "本行基本支出与项目支出之和"),
    Rule("R09", E, "政府性基金表：行内平衡", "每行 本年支出小计 = 基本支出 + 项目支出；年末结转和结余 = 年初结转和结余 + 本年收入 − 本年支出", "按本行其他各栏推算的数"),
    Rule("R10", E, "科目汇总：类 = Σ款，款 = Σ项，合计 = Σ类", "公开02、03、05、07、08表每一金额栏：类 = 其下各款之和，款 = 其下各项之和，合计 = 各类之和", "下级科目之和"),
    Rule("R11", E, "财政拨款收支总表：支出合计栏", "公开04表支出每行 合计 = 一般公共预算 + 政府性基金 + 国有资本经营", "三类财政拨款之和"),
    Rule("R12", E, "财政拨款收支总表：收入方", "本年收入合计 = 第 1–3 行；年初财政拨款结转和结余 = 第 29–31 行；收入总计 = 本年收入合计 + 年初结转和结余", "各组成项之和"),
    Rule("R13", E, "财政拨款收支总表：支出方与收支平衡", "本年支出合计 = 26 个类级行之和；总计 = 本年支出合计 + 年末结转和结余；收入总计 = 支出总计", "对应各项之和"),
    Rule("R14", E, "基本支出明细表：经济分类汇总", "经济分类类 = 其下各款之和；人员经费合计 = 301 + 303；公用经费合计 = 302 + 307 + 310 + 312 + 313 + 399", "对应科目之和"),
    Rule("R15", E, "“三公”经费表：合计与小计", "合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费；小计 = 购置费 + 运行维护费", "各项之和"),
    Rule("R16", E, "财政拨款收支总表：分资金来源收支平衡", "每类财政拨款：本年收入 + 年初结转和结余 = 本年支出 + 年末结转和结余", "本年支出 + 年末结转和结余 − 年初结转和结余"),
    # ---- between tables
    Rule("X01", E, "总表与收入决算表：本年收入合计", "公开01表 本年收入合计 = 公开02表 合计“本年收入合计”", "收入决算表合计"),
    Rule("X02", E, "总表与收入决算表：分来源收入", "公开01表 第 1+2+3 行 = 公开02表 财政拨款收入；第 4–8 行 = 公开02表 对应各栏合计", "对应数"),
    Rule("X03", E, "总表与支出决算表：分类支出", "公开01表 各类级支出行及本年支出合计 = 公开03表 对应类级行及合计的“本年支出合计”", "支出决算表对应数"),
    Rule("X04", E, "两张总表：财政拨款收入", "公开01表 第 1–3 行 = 公开04表 第 1–3 行", "财政拨款收入支出决算总表对应数"),
    Rule("X05", E, "财政拨款总表与一般公共预算支出表", "公开04表 一般公共预算栏各类级行及合计 = 公开05表 对应行“小计”", "一般公共预算财政拨款支出决算表对应数"),
    Rule("X06", E, "财政拨款总表与政府性基金表", "公开04表 政府性基金栏各行、收入第 2 行、年初/年末结转 = 政府性基金表对应数", "政府性基金表对应数"),
    Rule("X07", E, "财政拨款总表与国有资本经营表", "公开04表 国有资本经营栏各行 = 国有资本经营预算财政拨款支出决算表对应数", "国有资本经营表对应数"),
    Rule("X08", E, "基本支出明细表与一般公共预算支出表", "公开06表 人员经费合计 + 公用经费合计 = 公开05表 合计“基本支出”", "人员经费合计与公用经费合计之和"),
    Rule("X09", E, "支出决算表不小于财政拨款支出", "公开03表 合计 ≥ 公开05表 + 政府性基金 + 国有资本经营合计；每个科目 公开03表 基本/项目支出 ≥ 公开05表 对应数", "财政拨款支出"),
    Rule("X10", E, "财政拨款总计不大于收支总计", "公开04表 总计 ≤ 公开01表 总计", "收入支出决算总表总计"),
    Rule("X11", E, "财政拨款年初结转不大于年初结转和结余", "公开04表 年初财政拨款结转和结余 ≤ 公开01表 年初结转和结余", "收入支出决算总表年初结转和结余"),
    Rule("X12", W, "基本支出中的“三公”科目不大于“三公”经费决算", "公开06表 30212 ≤ 因公出国（境）费；30217 ≤ 公务接待费；30231 ≤ 公务用车运行维护费；31013 ≤ 公务用车购置费", "“三公”经费决算对应数"),
    Rule("X13", W, "机关运行经费不大于公用经费", "机关运行经费 ≤ 公开06表 公用经费合计（全部为行政/参公单位时相等）", "公用经费合计"),
    # ---- narrative facts against tables
    Rule("N07", E, "年初预算合计", "一般公共预算财政拨款支出年初预算合计 = 各项年初预算之和", "各项年初预算之和"),
    Rule("N11", E, "公务接待费的外宾与国内部分", "外宾接待支出 + 国内公务接待支出 = 公务接待费决算数", "按公务接待费推算的数"),
    Rule("N13", E, "政府采购", "政府采购支出总额 = 货物 + 工程 + 服务；授予小微企业 ≤ 授予中小企业 ≤ 总额", "对应数"),
]

CATALOGUE: dict[str, Rule] = {rule.id: rule for rule in RULES}


def register(rule: Rule) -> Rule:
    """Add a check rule defined next to its check function."""
    if rule.id in CATALOGUE:
        raise ValueError(f"duplicate rule id {rule.id}")
    RULES.append(rule)
    CATALOGUE[rule.id] = rule
    return rule
