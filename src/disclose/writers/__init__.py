"""Writers: PDF (pdf/), DOCX (docx.py, ooxml.py), XLSX (xlsx.py), JSON (json.py)."""

import re
import unicodedata

# Characters XML 1.0 cannot carry at all, escaped or not (C0 controls, lone surrogates,
# U+FFFE/U+FFFF). The DOCX writer refuses them; the PDF writer drops them (they print nothing).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def is_wide(c: str) -> bool:
    """A character set a full em wide (Chinese characters and full-width forms)."""
    return unicodedata.east_asian_width(c) in "WF"


def ems(text: str) -> float:
    """The width of ``text`` in ems as the CJK faces set it: a Chinese (wide) character is
    one em; Latin letters, digits and ASCII punctuation are narrower (0.6 em, generously)."""
    return sum(1.0 if is_wide(c) else 0.6 for c in text)


def info_line_fits(line, width_ems: float) -> bool:
    """Whether an IR ``InfoLine``'s three parts (部门：… | 2024年度 | 单位：万元) fit a line
    ``width_ems`` wide with an em between each two; then neither writer wraps them."""
    return ems(line.left + line.center + line.right) + 2 <= width_ems
