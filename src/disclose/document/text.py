"""Sentence templates → document blocks, with data kept as text.

Layout templates (Jinja2, in ``templates/<layout>/``) write the narrative as lines:

    ## 一、收入支出决算总体情况说明        heading, level = number of #
    ### （一）总体情况。
    {{ year }}年度收、支总计均为{{ amt(total) }}万元。   a body paragraph
    @plain 1. 南阳市工业和信息化局本级             a paragraph with another role
    **1. 因公出国（境）费** 预算为…                  bold runs inside a paragraph

Every value a template prints passes through ``finalize``, which fences it in
private markers, so the parser never reads structure (``#``, ``@``, ``**``, line
breaks) inside data: a reason text reading ``## 标题`` or ``**`` stays literal.
"""

from __future__ import annotations

import re


from typing import TYPE_CHECKING

from disclose.document.ir import Heading, Paragraph, Run

if TYPE_CHECKING:
    from jinja2 import Environment

OPEN, CLOSE = "\x02", "\x03"
ROLES = {"plain", "center", "right", "note", "table-title", "body"}
_HEADING = re.compile(r"^(#{1,4}) (.*)$")
_ROLE = re.compile(r"^@([a-z-]+) (.*)$")


def fence(value: object) -> str:
    """Make a printed value literal: no markers, no line breaks."""
    if value is None:
        return ""
    text = str(value).replace(OPEN, "").replace(CLOSE, "")
    text = " ".join(text.split("\n"))
    return f"{OPEN}{text}{CLOSE}"


class StringTemplates:
    """The template strings of a layout profile (headings, title lines), served by name.

    ``Environment.from_string`` compiles on every call (150 headings, half the layout
    time of a document). Named by a hash of their text and loaded through the
    environment, they are compiled once per process and kept in the bytecode cache
    across runs, like the template files.
    """

    PREFIX = "string:"

    def __init__(self) -> None:
        self._sources: dict[str, str] = {}

    def name_for(self, source: str) -> str:
        import hashlib

        name = self.PREFIX + hashlib.sha1(source.encode("utf-8")).hexdigest()
        self._sources[name] = source
        return name

    def loader(self):
        from jinja2 import FunctionLoader

        # The loader returns (source, filename, uptodate); a string never changes.
        return FunctionLoader(lambda name: (self._sources[name], None, lambda: True) if name in self._sources else None)


def text_environment(loader) -> Environment:
    from jinja2 import Environment, StrictUndefined

    from disclose import cache

    env = Environment(
        loader=loader,
        bytecode_cache=cache.jinja_bytecode(),
        autoescape=False,  # the output is our line protocol, not HTML; writers escape
        undefined=StrictUndefined,  # a misspelt figure is an error, never an empty string
        finalize=fence,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def parse_blocks(rendered: str, toc_levels: int = 2) -> list[Heading | Paragraph]:
    """Turn rendered template text into headings and paragraphs."""
    blocks: list[Heading | Paragraph] = []
    for line in rendered.split("\n"):
        if not _visible(line).strip():
            continue
        structural = line.split(OPEN, 1)[0]  # markers count only before the first data value
        m = _HEADING.match(structural)
        if m:
            level = len(m.group(1))
            text = _plain(line[len(m.group(1)) + 1 :])
            blocks.append(Heading(text.strip(), level, toc=level <= toc_levels))
            continue
        role = "body"
        m = _ROLE.match(structural)
        if m and m.group(1) in ROLES:
            role = m.group(1)
            line = line[len(m.group(1)) + 2 :]
        blocks.append(Paragraph(_runs(line.strip()), role))  # type: ignore[arg-type]
    return blocks


def _visible(line: str) -> str:
    return line.replace(OPEN, "").replace(CLOSE, "")


def _plain(line: str) -> str:
    return "".join(run.text for run in _runs(line))


def _runs(line: str) -> list[Run]:
    """Split on ``**`` outside data fences into bold and normal runs."""
    runs: list[Run] = []
    bold = False
    buf: list[str] = []
    inside = False
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == OPEN:
            inside = True
        elif ch == CLOSE:
            inside = False
        elif not inside and line.startswith("**", i):
            if buf:
                runs.append(Run("".join(buf), bold))
                buf = []
            bold = not bold
            i += 2
            continue
        else:
            buf.append(ch)
        i += 1
    if buf:
        runs.append(Run("".join(buf), bold))
    merged: list[Run] = []
    for run in runs:
        if merged and merged[-1].bold == run.bold:
            merged[-1] = Run(merged[-1].text + run.text, run.bold)
        else:
            merged.append(run)
    return merged or [Run("")]
