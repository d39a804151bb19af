"""Fonts through fontconfig: is there a Chinese font for each stack, and where are the Noto faces?

WeasyPrint silently drops glyphs that no font of the stack has, and the PDF still
extracts as correct text, so a missing font is found here, before rendering: ask
fontconfig (the library Pango uses) which font it would pick for each stack, and
whether that font has Chinese characters. Talks to libfontconfig through ctypes, so
it needs neither WeasyPrint nor the fc-* tools.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from contextlib import contextmanager
from functools import cache
from typing import Iterator

# The stacks of style.css, as fontconfig family lists (generic names last, as in CSS).
# The "… Subset" families exist only while a document renders (subset.py).
FONT_STACKS = {
    "正文（仿宋）": "FangSong,仿宋,仿宋_GB2312,Noto Serif CJK SC Subset,Noto Serif CJK SC,serif",
    "标题（黑体）": "SimHei,黑体,Noto Sans CJK SC Subset,Noto Sans CJK SC,sans-serif",
    "表格（宋体）": "SimSun,宋体,Noto Serif CJK SC Subset,Noto Serif CJK SC,serif",
    "小标题（楷体）": "KaiTi,楷体,楷体_GB2312,Noto Serif CJK SC Subset,Noto Serif CJK SC,serif",
}
# A font that has these has Chinese; one without them would print empty boxes.
_PROBES = "中文决算"

_FC_MATCH_PATTERN = 0
_FC_RESULT_MATCH = 0
_FC_WEIGHT_BOLD = 200


class FontsMissing(RuntimeError):
    """No font with Chinese characters is available to fontconfig."""


def load_library(soname: str, name: str) -> ctypes.CDLL:
    """A C library by its Linux name, else wherever ``ctypes.util.find_library`` finds it.

    The Linux name first: find_library runs ``ldconfig -p`` (and gcc and ld for a name
    it cannot find) in a child process each time it is called.
    """
    try:
        return ctypes.CDLL(soname)
    except OSError:
        return ctypes.CDLL(ctypes.util.find_library(name) or soname)


@cache
def _fontconfig() -> ctypes.CDLL:
    lib = load_library("libfontconfig.so.1", "fontconfig")
    pointer, string, integer = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
    for name in ("FcInitLoadConfigAndFonts", "FcNameParse", "FcFontMatch"):
        getattr(lib, name).restype = pointer
    lib.FcNameParse.argtypes = [string]
    lib.FcConfigSubstitute.argtypes = [pointer, pointer, integer]
    lib.FcDefaultSubstitute.argtypes = [pointer]
    lib.FcFontMatch.argtypes = [pointer, pointer, ctypes.POINTER(integer)]
    lib.FcPatternGetString.argtypes = [pointer, string, integer, ctypes.POINTER(string)]
    lib.FcPatternGetInteger.argtypes = [pointer, string, integer, ctypes.POINTER(integer)]
    lib.FcPatternGetCharSet.argtypes = [pointer, string, integer, ctypes.POINTER(pointer)]
    lib.FcCharSetHasChar.argtypes = [pointer, ctypes.c_uint32]
    lib.FcPatternDestroy.argtypes = [pointer]
    lib.FcConfigDestroy.argtypes = [pointer]
    return lib


@contextmanager
def _configuration() -> Iterator[int]:
    # A fresh configuration, so that FONTCONFIG_FILE and newly installed fonts count.
    lib = _fontconfig()
    config = lib.FcInitLoadConfigAndFonts()
    if not config:
        raise FontsMissing("无法读取 fontconfig 配置，找不到任何字体。")
    try:
        yield config
    finally:
        lib.FcConfigDestroy(config)


@contextmanager
def _best(config: int, pattern: str) -> Iterator[int | None]:
    """The font fontconfig picks for a pattern such as ``A,B,serif:lang=zh-cn``."""
    lib = _fontconfig()
    query = lib.FcNameParse(pattern.encode())
    lib.FcConfigSubstitute(config, query, _FC_MATCH_PATTERN)
    lib.FcDefaultSubstitute(query)
    result = ctypes.c_int()
    font = lib.FcFontMatch(config, query, ctypes.byref(result))
    lib.FcPatternDestroy(query)
    try:
        yield font or None
    finally:
        if font:
            lib.FcPatternDestroy(font)


def _string(font: int, key: bytes) -> str:
    value = ctypes.c_char_p()
    return value.value.decode() if _fontconfig().FcPatternGetString(font, key, 0, ctypes.byref(value)) == _FC_RESULT_MATCH else ""


def _integer(font: int, key: bytes) -> int:
    value = ctypes.c_int()
    return value.value if _fontconfig().FcPatternGetInteger(font, key, 0, ctypes.byref(value)) == _FC_RESULT_MATCH else 0


def _has_chinese(font: int) -> bool:
    lib = _fontconfig()
    charset = ctypes.c_void_p()
    if lib.FcPatternGetCharSet(font, b"charset", 0, ctypes.byref(charset)) != _FC_RESULT_MATCH:
        return False
    return all(lib.FcCharSetHasChar(charset, ord(c)) for c in _PROBES)


def matched_fonts() -> dict[str, tuple[str, bool]]:
    """For each stack: the family fontconfig picks, and whether it has Chinese characters."""
    found = {}
    with _configuration() as config:
        for role, families in FONT_STACKS.items():
            with _best(config, f"{families}:lang=zh-cn") as font:
                found[role] = (_string(font, b"family"), _has_chinese(font)) if font else ("", False)
    return found


def check_fonts() -> None:
    """Raise FontsMissing unless every font stack of the PDF finds a font with Chinese characters."""
    missing = {role: family for role, (family, chinese) in matched_fonts().items() if not chinese}
    if missing:
        found = "；".join(f"{role}只找到“{family or '无'}”" for role, family in missing.items())
        raise FontsMissing(
            f"缺少中文字体，生成的 PDF 中的汉字将无法显示（{found}）。"
            "请安装思源/Noto CJK 字体（Debian/Ubuntu：apt-get install fonts-noto-cjk），"
            "或安装仿宋、宋体、黑体等中文字体。"
        )


@cache
def find_faces(faces: tuple[tuple[str, bool], ...]) -> dict[tuple[str, bool], tuple[str, int]]:
    """File and collection index of each installed ``(family, bold)`` face; missing ones are left out.

    Cached: fonts installed while disclose runs are not looked for again.
    """
    found = {}
    with _configuration() as config:
        for family, bold in faces:
            with _best(config, f"{family}:weight={'bold' if bold else 'regular'}") as font:
                if font and _string(font, b"family") == family and (_integer(font, b"weight") >= _FC_WEIGHT_BOLD) == bold:
                    found[family, bold] = (_string(font, b"file"), _integer(font, b"index"))
    return found
