"""click's own messages in Chinese (usage errors, help headings, path checks), and help
pages laid out for Chinese text (widths in terminal columns, lines broken between characters).

disclose speaks Chinese, but click writes its usage lines, help headings and the errors
of its parameter types ("Missing argument", "Directory 'x' is a file.") in English,
through ``gettext``. A gettext catalogue would only be used under a Chinese locale, and
finance offices' servers often run with ``LANG=C``; so ``install()`` puts a lookup in
this catalogue where click's modules call ``_`` and ``ngettext``.

A message missing here stays English rather than failing. tests/test_cli_zh.py reads
click's source and fails when click shows users a message this catalogue lacks, so a
click upgrade that rewords one is noticed.
"""

from __future__ import annotations

import importlib

from disclose.writers import is_wide

# click modules that translate user-facing text with ``_`` or ``ngettext``.
MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils")

MESSAGES = {
    # help pages
    "Usage:": "用法:",  # click puts ":" after its other headings ("选项:"), in ASCII
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "位置参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "deprecated": "已弃用",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": "注意：命令 {name!r} 已弃用。{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": "注意：{param_type} {name!r} 已弃用。{extra_message}",
    # usage errors
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Missing command.": "缺少命令。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Invalid start character for option ({option})": "选项的开头字符无效（{option}）",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "unknown error": "未知错误",
    "Aborted!": "已取消。",
    # parameter types
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件，不是文件夹。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹，不是文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 无法读取（没有读取权限）。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 无法写入（没有写入权限）。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 不可执行。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    # number_type is click's English type name ("integer"): left out.
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数字。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是有效的是/否值，可用：{states}",
    "{value!r} is not a valid UUID.": "{value!r} 不是有效的 UUID。",
    # prompts
    "Do you want to continue?": "是否继续？",
    "Confirm the action without prompting.": "不经询问，直接确认。",
    "Press any key to continue...": "按任意键继续……",
    "Repeat for confirmation": "再输入一次以确认",
    "Error: The two entered values do not match.": "错误：两次输入的值不一致。",
    "Error: invalid input": "错误：输入无效",
}

# (singular, plural) -> one Chinese text: Chinese does not inflect for number, and click
# passes every placeholder to both forms.
PLURALS = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): "多余的参数（{args}）",
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): "是否想输入 {possibilities}？",
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): "选项 {name!r} 需要 {nargs} 个值。",
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): "需要 {nargs} 个值，给出了 {len} 个。",
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): "{value!r} 不是可选的值（{choices}）。",
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."): "{value!r} 不符合格式 {formats}。",
    ("{len_type} values are required, but {len_value} was given.", "{len_type} values are required, but {len_value} were given."): "需要 {len_type} 个值，给出了 {len_value} 个。",
}

# Raised only for mistakes in a program's own command definitions, never for a user's.
FOR_DEVELOPERS = {
    "Could not determine name for option with declarations {decls!r}",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? Did you mean to pass '--{name}'?",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
    "Name '{name}' defined twice",
    "Boolean option {decl!r} cannot use the same flag for true/false.",
    "Value must be an iterable.",
    "Choice({choices})",
    "Unknown color {colour!r}",
    "Unknown standard stream '{name}'",
}


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    chinese = PLURALS.get((singular, plural))
    if chinese is not None:
        return chinese
    return singular if n == 1 else plural


def columns(text: str) -> int:
    """Terminal columns of ``text``: a Chinese character takes two."""
    from click._compat import strip_ansi

    return sum(2 if is_wide(c) else 1 for c in strip_ansi(text))


# Chinese line breaking (避头尾): these never start a line, and these never end one.
# Angle brackets too: help texts name files as OUTPUT/<部门>-<年度>.pdf.
_NO_LINE_START = set("，。、；：！？）」』】》〉”’％…—·,.;:!?)]}>")
_NO_LINE_END = set("（「『【《〈“‘([{<")


def _pieces(chunk: str) -> list[str]:
    """``chunk`` (text between spaces) cut where a line may break: between two Chinese
    characters, and between Chinese and other text, but never before a closing or after
    an opening punctuation mark."""
    pieces: list[str] = []
    for c in chunk:
        if pieces and (c in _NO_LINE_START or pieces[-1][-1] in _NO_LINE_END or not (is_wide(c) or is_wide(pieces[-1][-1]))):
            pieces[-1] += c
        else:
            pieces.append(c)
    return pieces


def _wrapper_class():
    from click._textwrap import TextWrapper

    class ChineseTextWrapper(TextWrapper):
        """click's wrapper, measuring in terminal columns and breaking Chinese text,
        which has no spaces to break at, between characters."""

        def _split(self, text: str) -> list[str]:
            chunks = [piece for chunk in super()._split(text) for piece in _pieces(chunk)]
            # A docstring's line break inside Chinese text arrives here as a space: drop it.
            return [
                chunk for i, chunk in enumerate(chunks)
                if not (chunk.isspace() and 0 < i < len(chunks) - 1 and is_wide(chunks[i - 1][-1]) and is_wide(chunks[i + 1][0]))
            ]

    return ChineseTextWrapper


def install() -> None:
    """Make click speak Chinese. Call before defining commands: click translates some
    texts (a path type's name, an option's help) when they are declared."""
    for name in MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
    # Help pages align their option column and wrap their text by term_len, which counts
    # characters: a Chinese metavar ("文件夹") pushed its description out of line, and a
    # line of Chinese came out twice as wide as the terminal.
    importlib.import_module("click.formatting").term_len = columns
    textwrap = importlib.import_module("click._textwrap")
    textwrap.term_len = columns
    textwrap.TextWrapper = _wrapper_class()
