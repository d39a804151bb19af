"""Findings: what readers, the schema and the audit rules report, and where.

Every finding names a type from a catalogue (a code, a severity, a Chinese title
and a message template, the frictionless way) and the places of the values
involved. A place is a YAML ``file:line:column`` or an Excel ``工作表!单元格``,
plus the field path in the data (``income[3].fiscal``), so a finding reads the
same whether the data came from YAML or from a workbook.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Iterable

Path = tuple[str | int, ...]


class Severity(str, enum.Enum):
    ERROR = "错误"  # blocks a build
    WARNING = "提示"  # printed, does not block; may carry a written 出错说明 in the data
    NOTICE = "尾差"  # rounding differences of printed figures: expected, never blocks

    @property
    def rank(self) -> int:
        return {"错误": 0, "提示": 1, "尾差": 2}[self.value]


@dataclass(frozen=True)
class Location:
    """Where a value stands in the input."""

    file: str = ""
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    sheet: str | None = None
    cell: str | None = None
    path: Path = ()

    def place(self) -> str:
        if self.sheet:
            where = f"{self.sheet}!{self.cell}" if self.cell else self.sheet
            return f"{self.file}: {where}" if self.file else where
        parts = [self.file or "<输入>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def field(self) -> str:
        return format_path(self.path)

    def __str__(self) -> str:
        f = self.field()
        return f"{self.place()} ({f})" if f else self.place()


def format_path(path: Path) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass
class SourceMap:
    """Field path → location, filled by a reader; the model keeps it beside the data."""

    file: str
    places: dict[Path, Location] = field(default_factory=dict)

    def locate(self, path: Path) -> Location:
        """The location of ``path``, or of its nearest ancestor that the reader recorded."""
        probe = tuple(path)
        while True:
            found = self.places.get(probe)
            if found is not None:
                return Location(found.file, found.line, found.column, found.sheet, found.cell, tuple(path))
            if not probe:
                return Location(self.file, path=tuple(path))
            probe = probe[:-1]


@dataclass(frozen=True)
class FindingType:
    code: str
    severity: Severity
    title: str
    template: str  # str.format template over the finding's values

    def __call__(self, locations: Iterable[Location] = (), **values: Any) -> "Finding":
        return Finding(self, list(locations), values)


@dataclass
class Finding:
    type: FindingType
    locations: list[Location]
    values: dict[str, Any]
    severity: Severity | None = None  # a rule may lower its default (e.g. to 尾差)
    explanation: str | None = None  # an 出错说明 written in the data for a 提示

    @property
    def code(self) -> str:
        return self.type.code

    @property
    def level(self) -> Severity:
        return self.severity or self.type.severity

    @property
    def message(self) -> str:
        try:
            return self.type.template.format(**self.values)
        except (KeyError, IndexError, ValueError):  # a template bug must not hide the finding
            return f"{self.type.title}：{self.values}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.level.value,
            "title": self.type.title,
            "message": self.message,
            "explanation": self.explanation,
            "locations": [
                {
                    "place": loc.place(),
                    "file": loc.file,
                    "line": loc.line,
                    "column": loc.column,
                    "sheet": loc.sheet,
                    "cell": loc.cell,
                    "path": loc.field(),
                }
                for loc in self.locations
            ],
        }

    def __str__(self) -> str:
        where = str(self.locations[0]) if self.locations else ""
        more = "".join(f"\n    另见 {loc}" for loc in self.locations[1:])
        prefix = f"{where}: " if where else ""
        return f"{prefix}[{self.level.value} {self.code}] {self.message}{more}"


class InputError(Exception):
    """Input that cannot be read or does not fit the schema (exit code 2)."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__("\n".join(str(f) for f in findings))


# --- The catalogue of input findings (readers and schema). Audit rules have their own
# catalogue in disclose.rules. Codes are stable: scripts may rely on them.

def _t(code: str, severity: Severity, title: str, template: str) -> FindingType:
    return FindingType(code, severity, title, template)


E = Severity.ERROR
W = Severity.WARNING

FILE_NOT_FOUND = _t("file-not-found", E, "文件不存在", "找不到输入文件：{path}")
FILE_UNREADABLE = _t("file-unreadable", E, "文件无法读取", "无法读取文件：{reason}")
FILE_EMPTY = _t("file-empty", E, "文件为空", "文件为空，没有任何数据")
FILE_TOO_LARGE = _t("file-too-large", E, "文件过大", "文件大小 {size} 超过上限 {limit}，不是一份部门决算数据")
FILE_BINARY = _t("file-binary", E, "不是文本文件", "文件不是 UTF-8 文本（{reason}），请确认选择的是 YAML 数据文件")
FILE_ENCODING = _t(
    "file-encoding", E, "文件编码不是 UTF-8",
    "文件是 GBK（GB18030）编码，disclose 只读 UTF-8 编码的 YAML：请在编辑器中另存为 UTF-8 编码"
    "（记事本：“另存为”，编码选“UTF-8”）后再试",
)
FILE_FORMAT = _t("file-format", E, "不支持的文件格式", "{reason}")
YAML_SYNTAX = _t("yaml-syntax", E, "YAML 语法错误", "YAML 语法错误：{reason}")
YAML_ALIAS = _t("yaml-alias", E, "不支持 YAML 锚点与别名", "数据中不允许使用 YAML 锚点/别名（&、*），请直接写出数值")
YAML_TOO_DEEP = _t("yaml-too-complex", E, "YAML 结构过于复杂", "数据结构过深或节点过多（{reason}），不是一份部门决算数据")
YAML_DUPLICATE_KEY = _t("duplicate-key", E, "重复的键", "键“{key}”重复出现（首次出现在第 {first_line} 行）")
FOLDER_DUPLICATE_KEY = _t("duplicate-part", E, "数据部分重复", "“{key}”同时出现在 {first} 和 {second} 中，每部分数据只能写在一个文件里")
YAML_KEY_TYPE = _t("key-type", E, "键必须是文字", "键 {key!r} 不是文字")
ROOT_NOT_MAPPING = _t("root-not-mapping", E, "数据格式错误", "数据文件的最外层应当是键值对（profile、income、expenditure……）")

UNKNOWN_FIELD = _t("unknown-field", E, "未知字段", "未知字段“{field}”{hint}")
MISSING_FIELD = _t("missing-field", E, "缺少必填项", "缺少必填项“{field}”")
WRONG_TYPE = _t("wrong-type", E, "类型错误", "{what}")
NOT_A_NUMBER = _t("not-a-number", E, "金额不是数字", "此处应填金额（数字），实际为“{value}”{note}")
AMOUNT_NEGATIVE = _t("amount-negative", E, "金额为负数", "金额不能为负数：{value}")
AMOUNT_NOT_FINITE = _t("amount-not-finite", E, "金额不是有限数", "金额不能是 NaN 或无穷大：{value}")
AMOUNT_PRECISION = _t("amount-precision", E, "小数位数过多", "金额最多保留 {places} 位小数（以元填报到分，以万元填报四舍五入到两位），实际为 {value}")
CODE_MALFORMED = _t("code-malformed", E, "科目编码格式错误", "{kind}编码“{code}”格式错误：{reason}")
CODE_UNKNOWN = _t("code-unknown", E, "未知科目编码", "{kind}编码“{code}”不在{edition}分类中，且未填写科目名称")
CODE_NOT_IN_REFERENCE = _t("code-not-in-reference", W, "科目编码不在分类参考中", "{kind}编码“{code}”（{name}）不在{edition}分类参考中，请核对")
DUPLICATE_ROW = _t("duplicate-row", E, "重复的行", "科目“{code}”在{table}中重复出现（另见 {other}）")
MISSING_PARENT = _t("missing-parent", E, "缺少上级科目行", "{table}列出了类、款级汇总行，但项“{code}”的上级科目“{parent}”没有列出")
INVALID_VALUE = _t("invalid-value", E, "取值错误", "{what}")
