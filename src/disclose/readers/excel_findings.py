"""Findings of the Excel workbook reader (codes ``xlsx-*``), in the catalogue style of ``disclose.findings``.

Each is located as ``工作表!单元格`` (or names the sheet or the file) so that a clerk can go
straight to the cell. Schema problems of the values themselves (text in an amount cell,
a malformed code, a missing 必填 value) are reported by the model with the common
catalogue, located the same way through the reader's ``SourceMap``.
"""

from __future__ import annotations

from disclose.findings import FindingType, Severity

E, W = Severity.ERROR, Severity.WARNING


def _t(code: str, severity: Severity, title: str, template: str) -> FindingType:
    return FindingType(code, severity, title, template)


# --- the file as a whole
NOT_A_WORKBOOK = _t("xlsx-not-a-workbook", E, "不是 Excel 工作簿", "{reason}")
LEGACY_XLS = _t(
    "xlsx-legacy-xls", E, "旧版 .xls 工作簿",
    "这是 Excel 97-2003 格式（.xls）的工作簿，只是扩展名为 .xlsx。请在 Excel/WPS 中打开，"
    "“另存为”Excel 工作簿（*.xlsx）后再试",
)
ENCRYPTED = _t(
    "xlsx-encrypted", E, "工作簿设有打开密码",
    "工作簿设有打开密码（已加密），disclose 无法读取。请在 Excel 中“文件 → 信息 → 保护工作簿 → 用密码进行加密”"
    "清空密码（WPS：“文件 → 文档加密 → 密码加密”）后保存再试；保护工作表的密码不影响读取",
)
CORRUPT = _t("xlsx-corrupt", E, "工作簿已损坏", "工作簿文件已损坏或不完整（{reason}）。请重新保存或从备份恢复")
TOO_LARGE = _t("xlsx-too-large", E, "工作簿过大", "{reason}，不是一份部门决算填报工作簿，未读取")
MACRO = _t(
    "xlsx-macro", E, "工作簿含有宏",
    "工作簿含有宏（VBA），实为 .xlsm 文件。disclose 不读取含宏的工作簿：请“另存为”Excel 工作簿（*.xlsx）后再试",
)
FOREIGN = _t(
    "xlsx-foreign", E, "不是 disclose 填报工作簿",
    "{reason}。请用 disclose template 生成工作簿，把数据填入其中（可用 --from 从已有数据预填）",
)
VERSION = _t("xlsx-version", E, "工作簿版本不符", "{reason}")

# --- structure
SHEET_MISSING = _t("xlsx-sheet-missing", E, "缺少工作表", "缺少工作表“{sheet}”{hint}")
HEADER_MOVED = _t("xlsx-header-moved", E, "表头与模板不符", "表头与模板不符：{detail}。请勿插入、删除或移动列（可重新生成模板，把数据粘贴回去）")
ROW_MOVED = _t(
    "xlsx-row-moved", E, "行与模板不符",
    "第 {row} 行应为“{expected}”，实际为“{actual}”。本表各行位置固定，请勿插入、删除或移动行",
)
MERGED_INPUT = _t(
    "xlsx-merged-input", E, "合并单元格覆盖了填报项",
    "合并单元格 {range} 覆盖了填报单元格 {cells}，其中的数无法读取。请取消合并，把数分别填入各单元格",
)
TOO_MANY_ROWS = _t("xlsx-too-many-rows", E, "行数过多", "工作表有 {rows} 行以上，超过上限 {limit}，不是一份部门决算的数据")

# --- cells
FORMULA_INPUT = _t(
    "xlsx-formula", E, "填报单元格中是公式",
    "填报单元格中是公式“{formula}”。disclose 不读取公式的结果（合计等自动计算的数由 disclose 重新计算）："
    "请把公式改为数值（复制后“选择性粘贴 → 数值”），或不填",
)
EXTERNAL_LINK = _t(
    "xlsx-external-link", E, "公式引用了其他工作簿",
    "填报单元格中的公式“{formula}”引用了其他工作簿，disclose 不读取外部链接。请改为数值",
)
ERROR_VALUE = _t("xlsx-error-value", E, "单元格是错误值", "单元格显示错误值 {value}，请改为数值或留空")
KEY_MISSING = _t("xlsx-key-missing", E, "缺少对应项", "本行填了数，但“{column}”为空：{hint}")
PARENT_UNKNOWN = _t(
    "xlsx-parent-unknown", E, "找不到对应的行", "“{column}”为“{value}”，但“{parent}”表中没有这一行{hint}",
)
PARENT_DUPLICATE = _t(
    "xlsx-parent-duplicate", E, "对应项重复",
    "“{column}”为“{value}”的行在本表中重复出现（另见 {other}），“{children}”表无法对应",
)
KEY_DUPLICATE = _t("xlsx-key-duplicate", E, "编码重复", "“{value}”在本表中重复出现（另见 {other}）")
CHOICE_UNKNOWN = _t("xlsx-choice-unknown", E, "栏目不在可选范围内", "“{value}”不是可选的栏目，可选：{choices}")
INCOMPLETE_ROW = _t("xlsx-incomplete", E, "一行的数不全", "“{label}”应填 {count} 个数（{columns}），实际只填了 {filled} 个：都填或都不填")

# --- accepted, but said (提示)
TEXT_NUMBER = _t(
    "xlsx-text-number", W, "数字以文字形式填写",
    "单元格内容是文字“{text}”，已按数字 {value} 读取。请核对；把单元格格式设为数字可避免此提示",
)
TEXT_DATE = _t("xlsx-date-as-text", W, "日期按文字读取", "单元格内容是日期，已按文字“{value}”读取，请核对")
