"""Two lookups inside WeasyPrint made cheaper, without changing what it computes.

``strut(style)`` (the line height and baseline of a style) runs for every line box and
text box, about 13,000 times for an 80-page document. It starts by building its cache
key as ``str()`` of a 14-tuple of font properties, several of them named tuples with a
Python-level ``__repr__``: a tenth of the layout time of a table-heavy page.

* ``_font_style_cache_key`` returns the tuple itself (hashable, and only ever used as a
  key of WeasyPrint's own caches) where it can, and the string otherwise;
* ``strut`` remembers its result on the style object, whose computed values do not
  change once computed.

Both are applied only to the WeasyPrint versions they were checked against, and
``tests/test_pdf_writer.py`` renders a document with and without them and compares
every page's drawing operators.
"""

from __future__ import annotations

import sys

# Major versions whose line_break.strut and _font_style_cache_key were read for this.
TESTED = range(63, 71)

_applied = False


def _major(version: str) -> int:
    try:
        return int(version.split(".")[0])
    except ValueError:
        return -1


def apply() -> bool:
    """Install the faster lookups (once); False where this WeasyPrint was not checked."""
    global _applied
    if _applied:
        return True
    import weasyprint
    from weasyprint.text import line_break

    if _major(weasyprint.__version__) not in TESTED:
        return False
    original_key = line_break._font_style_cache_key
    original_strut = line_break.strut

    def font_style_cache_key(style, include_size=False):
        key = (
            style["font_family"],
            style["font_style"],
            style["font_stretch"],
            style["font_weight"],
            style["font_variant_ligatures"],
            style["font_variant_position"],
            style["font_variant_caps"],
            style["font_variant_numeric"],
            style["font_variant_alternates"],
            style["font_variant_east_asian"],
            style["font_feature_settings"],
            style["font_variation_settings"],
            style["font_language_override"],
            style["lang"],
        )
        if include_size:
            key += (style["font_size"], style["line_height"])
        try:
            hash(key)
        except TypeError:  # a value without a hash (a calc() token): the original key
            return original_key(style, include_size)
        return key

    def strut(style):
        memo = style.__dict__
        try:
            return memo["_disclose_strut"]
        except KeyError:
            result = memo["_disclose_strut"] = original_strut(style)
            return result

    line_break._font_style_cache_key = font_style_cache_key
    # Modules that imported strut by name hold the original: replace it there too.
    for name, module in list(sys.modules.items()):
        if name.startswith("weasyprint") and getattr(module, "strut", None) is original_strut:
            module.strut = strut
    _applied = True
    return True
