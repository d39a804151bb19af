"""Read a YAML data file into plain data plus a SourceMap of every value's position.

Safety first: the file is size-checked before parsing, must be UTF-8 text, may not
use anchors/aliases (which is also the defence against alias bombs), and is
composed into nodes by PyYAML's safe composer, so no tag can construct objects.
Numbers become ``Decimal`` straight from their text: ``1163.97`` never passes
through a binary float.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from disclose import findings as F
from disclose.findings import InputError, Location, SourceMap

try:  # libyaml is much faster on big files; both report the same marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 5 * 1024 * 1024  # a department's data is ~100 KB; 5 MB leaves room for long reports
MAX_DEPTH = 40
MAX_NODES = 500_000

_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")
_INF_NAN = re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


def read_yaml(path: Path, display_name: str | None = None) -> tuple[Any, SourceMap]:
    name = display_name or str(path)
    here = Location(name)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError([F.FILE_NOT_FOUND([here], path=name)]) from None
    except OSError as exc:
        raise InputError([F.FILE_UNREADABLE([here], reason=exc.strerror or str(exc))]) from None
    if size > MAX_BYTES:
        raise InputError([F.FILE_TOO_LARGE([here], size=_mb(size), limit=_mb(MAX_BYTES))])
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([F.FILE_UNREADABLE([here], reason=exc.strerror or str(exc))]) from None
    return parse_yaml(raw, name)


def parse_yaml(raw: bytes, name: str) -> tuple[Any, SourceMap]:
    here = Location(name)
    if b"\x00" in raw:
        raise InputError([F.FILE_BINARY([here], reason="含有 NUL 字节")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError([_not_utf8(raw, name, exc.start)]) from None
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise InputError([F.FILE_EMPTY([here])])
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(name, mark.line + 1, mark.column + 1) if mark else here
        reason = " ".join(x for x in (exc.context, exc.problem) if x)
        if "found undefined alias" in reason or "anchor" in reason:
            raise InputError([F.YAML_ALIAS([loc])]) from None
        first = max(0, mark.line - 1) if mark else 0
        lines = text.splitlines()[first : mark.line + 1] if mark else []
        slip = _slip(lines, reason)
        if slip is not None:  # point at the line with the slip, often the one before
            hint, index, column = slip
            loc = Location(name, first + index + 1, column)
            raise InputError([F.YAML_SYNTAX([loc], reason=f"{hint}（{reason}）")]) from None
        raise InputError([F.YAML_SYNTAX([loc], reason=_translate(reason))]) from None
    except yaml.YAMLError as exc:
        raise InputError([F.YAML_SYNTAX([here], reason=str(exc))]) from None
    if node is None:
        raise InputError([F.FILE_EMPTY([here])])
    builder = _Builder(name)
    data = builder.build(node, (), 0)
    if builder.findings:
        raise InputError(builder.findings)
    if not isinstance(data, dict):
        raise InputError([F.ROOT_NOT_MAPPING([builder.source.locate(())])])
    return data, builder.source


def _not_utf8(raw: bytes, name: str, start: int) -> F.Finding:
    """A file that is not UTF-8; most often YAML saved as GBK by an editor on Chinese Windows."""
    line = raw.count(b"\n", 0, start) + 1
    column = start - (raw.rfind(b"\n", 0, start) + 1) + 1
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return F.FILE_BINARY([Location(name, line, column)], reason=f"第 {line} 行第 {column} 字节不是 UTF-8 编码")
    return F.FILE_ENCODING([Location(name, line, column)])


class _Builder:
    """Turns composed nodes into dicts/lists/scalars and records their marks."""

    def __init__(self, name: str):
        self.name = name
        self.source = SourceMap(name)
        self.findings: list[F.Finding] = []
        self.count = 0
        self.anchored: set[int] = set()

    def _loc(self, node: yaml.Node, path: F.Path) -> Location:
        mark = node.start_mark
        return Location(self.name, mark.line + 1, mark.column + 1, path=path)

    def build(self, node: yaml.Node, path: F.Path, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES or depth > MAX_DEPTH:
            reason = f"超过 {MAX_NODES} 个节点" if self.count > MAX_NODES else f"嵌套超过 {MAX_DEPTH} 层"
            raise InputError([F.YAML_TOO_DEEP([self._loc(node, path)], reason=reason)])
        # The composer hands back the same node object for every alias of an anchor.
        if id(node) in self.anchored:
            raise InputError([F.YAML_ALIAS([self._loc(node, path)])])
        self.anchored.add(id(node))
        self.source.places[path] = self._loc(node, path)
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            first: dict[str, yaml.Node] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise InputError([F.YAML_ALIAS([self._loc(key_node, path)])])
                if not isinstance(key_node, yaml.ScalarNode):
                    self.findings.append(F.YAML_KEY_TYPE([self._loc(key_node, path)], key="{…}"))
                    continue
                key = self._key(key_node)
                if key in first:
                    self.findings.append(
                        F.YAML_DUPLICATE_KEY(
                            [self._loc(key_node, path + (key,))],
                            key=key,
                            first_line=first[key].start_mark.line + 1,
                        )
                    )
                    continue
                first[key] = key_node
                result[key] = self.build(value_node, path + (key,), depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        return _scalar(node)

    @staticmethod
    def _key(node: yaml.ScalarNode) -> str:
        # Keys are names or codes: 2080101 and "2080101" are the same key.
        return node.value


def _scalar(node: yaml.ScalarNode) -> Any:
    value = node.value
    if node.style in ("'", '"', "|", ">"):
        return value
    tag = node.tag
    if tag == "tag:yaml.org,2002:str":
        return value
    if value in _NULL:
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.match(value):
        return int(value.replace("_", ""))
    if _FLOAT.match(value):
        try:
            return Decimal(value.replace("_", ""))
        except InvalidOperation:  # pragma: no cover - the regex admits only valid numbers
            return value
    if _INF_NAN.match(value):
        return Decimal(value.replace(".", "").lower().replace("inf", "Infinity"))
    return value


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


_NO_TABS = "不能用 Tab 键缩进，请改用空格"

# PyYAML's own messages and libyaml's (the C loader used when installed) differ in wording.
_TRANSLATIONS = [
    ("mapping values are not allowed", "此处不能出现“键: 值”（是否缺少空格、缩进不对，或文字中含有未加引号的冒号？）"),
    ("could not find expected ':'", "找不到应有的冒号“:”"),
    ("tab character", _NO_TABS),
    ("found character '\\t' that cannot start any token", _NO_TABS),
    ("found character that cannot start any token", "此处的字符不能作为一项的开头（如 @、`、%，请给整段文字加引号）"),
    ("did not find expected key", "缩进不一致，找不到应有的键"),
    ("did not find expected '-' indicator", "列表缩进不一致，找不到应有的“-”"),
    ("block sequence entries are not allowed", "此处不能出现列表项“- ”（缩进不对？）"),
    ("did not find expected ',' or ']'", "方括号 [ ] 中的列表未闭合，或缺少逗号"),
    ("did not find expected ',' or '}'", "花括号 { } 中的内容未闭合，或缺少逗号"),
    ("did not find expected node content", "此处缺少值"),
    ("found unexpected end of stream", "文件意外结束（引号或括号未闭合？）"),
    ("found unknown escape character", "双引号中的反斜杠“\\”后跟了无效的字符（Windows 路径请用单引号）"),
    ("found undefined alias", "使用了未定义的别名"),
    ("expected <block end>, but found", "缩进不一致"),
    ("while scanning a quoted scalar", "引号未闭合"),
]


# What the parser says when a key is followed by a full-width colon: the key and its
# value read as one text, which runs into the next line's "key: value".
_COLON_SYMPTOMS = ("mapping values are not allowed", "could not find expected ':'", "did not find expected key")


def _slip(lines: list[str], reason: str) -> tuple[str, int, int] | None:
    """Two slips the parser's words do not name, looked for in ``lines`` (the line it
    stopped at and the one before): a tab in the indentation, a full-width colon after a
    key. The hint, and the index of the line with the slip and its column; or None.

    A list item is never taken for a key: "- 主要职责：……" is a line of text."""
    for index, line in enumerate(lines):
        if "\t" in line[: len(line) - len(line.lstrip())]:
            return _NO_TABS, index, line.index("\t") + 1
    if any(symptom in reason for symptom in _COLON_SYMPTOMS):
        for index, line in enumerate(lines):
            if re.match(r"\s*[^\s:'\"#\-][^\s:'\"#]*\s*：", line):
                return "键后的冒号应为半角“:”加一个空格，这里用了全角冒号“：”", index, line.index("：") + 1
    return None


def _translate(reason: str) -> str:
    for english, chinese in _TRANSLATIONS:
        if english in reason:
            return f"{chinese}（{reason}）"
    return reason
