"""Work inside WeasyPrint made cheaper, without changing what it computes.

``strut(style)`` (the line height and baseline of a style) runs for every line box and
text box, about 13,000 times for an 80-page document. It starts by building its cache
key as ``str()`` of a 14-tuple of font properties, several of them named tuples with a
Python-level ``__repr__``: a tenth of the layout time of a table-heavy page.

* ``_font_style_cache_key`` returns the tuple itself (hashable, and only ever used as a
  key of WeasyPrint's own caches) where it can, and the string otherwise;
* ``strut`` remembers its result on the style object, whose computed values do not
  change once computed.

More, each explained where it is installed: ``avoid_collisions`` without floats,
``resolve_percentages`` for styles without percentages, drawing a text box with the
Pango layout that measured it, plain ring borders drawn directly, content streams
compressed at zlib's default level, glyph id arrays without a C type parsed per length,
and WeasyPrint's C libraries loaded by their Linux names (``libraries_by_soname``, used
by engine.py around ``import weasyprint``). Together they take a fifth off the
instructions of a rendering (valgrind, the 41-page sample without them: 9.49 G; with them: 7.55 G).

All are applied only to the WeasyPrint versions they were checked against (TESTED,
TESTED_ALL), and
``tests/test_pdf_writer.py`` renders a document with and without them and compares
every page's drawing operators.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from contextlib import contextmanager
from pathlib import Path

# Major versions whose strut and _font_style_cache_key were read for this.
TESTED = range(63, 71)
# Major versions whose functions replaced by the other tunings were read for them.
TESTED_ALL = range(70, 71)

_applied = False


def _major(version: str) -> int:
    try:
        return int(version.split(".")[0])
    except ValueError:
        return -1


def apply() -> bool:
    """Install the tunings (once); False where this WeasyPrint was not checked."""
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
        return _per_style(style, "_disclose_strut", original_strut, style)

    line_break._font_style_cache_key = font_style_cache_key
    _replace("strut", original_strut, strut)
    if _major(weasyprint.__version__) in TESTED_ALL:
        _tune_collisions()
        _tune_percentages()
        _tune_layout_reuse()
        _tune_compression()
        _tune_borders()
        _tune_glyph_arrays()
        _tune_normal_flow()
        _tune_backgrounds()
    _applied = True
    return True


@contextmanager
def libraries_by_soname():
    """While WeasyPrint is imported, load its libraries by their Linux names only.

    WeasyPrint's ``text/ffi.py`` tries several names for each of its seven libraries,
    the Windows and macOS names first (``libgobject-2.0-0``, ``gobject-2.0-0``,
    ``gobject-2.0``, then ``libgobject-2.0.so.0``). For a name it cannot open, cffi
    calls ``ctypes.util.find_library``, which runs ``ldconfig -p`` and then gcc and ld
    to search for it: about 50 processes and 0.3 s of every WeasyPrint import. On Linux
    such names are refused here at once, and WeasyPrint goes on to the Linux name,
    which ``dlopen`` finds directly, as it would have after the searches.

    Only for the WeasyPrint versions read for this (each library's list there has its
    Linux name); the version is read from the package's source, without importing it.
    """
    if not (sys.platform.startswith("linux") and _major(_source_version("weasyprint")) in TESTED_ALL):
        yield
        return
    import _ctypes

    import cffi.api

    real = cffi.api.FFI.dlopen

    def dlopen(self, name, flags=0):
        if isinstance(name, str) and "/" not in name:
            if ".so" not in name:
                raise OSError(f"{name}: not a Linux library name")
            # A missing Linux name (libharfbuzz-vector.so.0, optional) would be searched too.
            _ctypes.dlclose(_ctypes.dlopen(name, flags))  # raises OSError if it cannot be opened
        return real(self, name, flags)

    cffi.api.FFI.dlopen = dlopen
    try:
        yield
    finally:
        cffi.api.FFI.dlopen = real


def _source_version(package: str) -> str:
    """``__version__`` as the package's ``__init__.py`` assigns it ("" if not found)."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return ""
    try:
        text = Path(spec.origin).read_text(encoding="utf-8")
    except OSError:
        return ""
    found = re.search(r"""^(?:VERSION = )?__version__ = ['"]([^'"]+)['"]""", text, re.MULTILINE)
    return found.group(1) if found else ""


def _per_style(style, name: str, compute, *args):
    """``compute(*args)``, worked out once per style object and kept on it.

    A style's computed values do not change once computed, and boxes share styles: what
    depends on the style alone need not be worked out again for every box.
    """
    memo = style.__dict__
    try:
        return memo[name]
    except KeyError:
        result = memo[name] = compute(*args)
        return result


def _replace(name: str, original, replacement) -> None:
    # Modules that imported a function by name hold the original: replace it there too.
    for module_name, module in list(sys.modules.items()):
        if module_name.startswith("weasyprint") and getattr(module, name, None) is original:
            setattr(module, name, replacement)


def _tune_normal_flow() -> None:
    """``Box.is_in_normal_flow``, worked out once per style.

    It runs about 80,000 times for 80 pages (for every child of every block laid out,
    again on each page, mostly line and text boxes), each time reading five style values
    through five methods. It depends on the style's float and position only. WeasyPrint
    changes those of a computed style only while building the boxes of list markers and
    footnotes, before any box asks (and style.css makes neither).
    """
    from weasyprint.formatting_structure import boxes

    original = boxes.Box.is_in_normal_flow

    def is_in_normal_flow(self):
        return _per_style(self.style, "_disclose_in_flow", original, self)

    boxes.Box.is_in_normal_flow = is_in_normal_flow


_ZERO_RADII = {f"border_{corner}_radius": (0, 0) for corner in ("top_left", "top_right", "bottom_right", "bottom_left")}


def _tune_backgrounds() -> None:
    """``layout_box_backgrounds`` of a box with square corners and nothing to paint behind it.

    It runs for every box of every page (60,000 times for 80 pages), each time working
    out the four corner radii and reading a dozen background values, to find for
    almost every box that there is no background. Whether there is none depends on the
    style only: worked out once per style, such a box gets its zero radii and no
    background directly, and its children are visited as before.
    """
    from weasyprint.draw.color import get_color
    from weasyprint.layout import background

    original = background.layout_box_backgrounds

    def plain(style):
        return (
            all((0, "px") in style[name] for name in _ZERO_RADII)
            and style["border_image_source"][0] == "none"
            and style["mask_border_source"][0] == "none"
            and not style["box_shadow"]
            and (
                style["visibility"] == "hidden"
                or (
                    all(type_ != "url" and not value for type_, value in style["background_image"])
                    and get_color(style, "background_color").alpha == 0
                )
            )
        )

    def layout_box_backgrounds(page, box, get_image_from_uri, layout_children=True, style=None):
        if style is not None or box is page:  # the page, and the canvas taken from <body>
            return original(page, box, get_image_from_uri, layout_children, style)
        if not _per_style(box.style, "_disclose_no_background", plain, box.style):
            return original(page, box, get_image_from_uri, layout_children, style)
        box.__dict__.update(_ZERO_RADII)
        if layout_children:
            for child in box.all_children():
                layout_box_backgrounds(page, child, get_image_from_uri)
        box.background = None

    _replace("layout_box_backgrounds", original, layout_box_backgrounds)


def _tune_collisions() -> None:
    """``avoid_collisions`` without floats: the containing block's bounds, directly.

    It runs for every line box (20,000 times for 80 pages) and, with no float on the
    page, scans nothing but still reads a dozen style values and box sizes.
    """
    from weasyprint.layout import float as floats

    original = floats.avoid_collisions

    def avoid_collisions(context, box, containing_block, outer=True):
        if context.excluded_shapes or containing_block.style["direction"] != "ltr":
            return original(context, box, containing_block, outer)
        position_y = box.position_y if outer else box.border_box_y()
        if box.border_height() == 0 and box.is_floated():
            return 0, position_y, containing_block.width
        left = containing_block.content_box_x()
        right = left + containing_block.width
        if outer:
            return left, position_y, right - left
        left += box.margin_left
        right -= box.margin_right
        return left - box.margin_left, position_y - box.margin_top, right - left

    _replace("avoid_collisions", original, avoid_collisions)


# The properties resolve_percentages sets from the style, in its order.
_LENGTHS = (
    "margin_left", "margin_right", "margin_top", "margin_bottom",
    "padding_left", "padding_right", "padding_top", "padding_bottom",
    "width", "min_width", "max_width",
)
_HEIGHTS = ("height", "min_height", "max_height")
_BORDERS = ("border_top_width", "border_right_width", "border_bottom_width", "border_left_width")


def _tune_percentages() -> None:
    """``resolve_percentages`` for a style without percentages: its values, worked out once.

    It runs several times for every box (23,000 times for 80 pages), each time reading
    and converting 18 style values. Where none of them is a percentage or calc(), the
    used values do not depend on the containing block, and are kept on the style
    object, whose computed values do not change once computed.
    """
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import percent

    original = percent.resolve_percentages
    adjust_box_sizing = percent.adjust_box_sizing

    def plain(value):
        # A length in px, 'auto' or None: what percentage() returns unchanged.
        return value is None or value == "auto" or getattr(value, "unit", None) == "px"

    def plan(style):
        if style["border_collapse"] == "collapse":
            return None  # border widths may come from the collapsing, per box
        values = []
        for name in _LENGTHS + _HEIGHTS:
            value = style[name]
            if not plain(value):
                return None
            used = value if value is None or value == "auto" else value.value
            if used == "auto" and name in ("min_width", "min_height"):
                used = 0
            values.append((name, used))
        values.extend((name, style[name]) for name in _BORDERS)
        # Box sizes are plain attributes: set all at once. Content boxes need no adjusting.
        return dict(values), style["box_sizing"] != "content-box"

    def resolve_percentages(box, containing_block):
        values = _per_style(box.style, "_disclose_lengths", plan, box.style)
        if values is None or isinstance(box, boxes.PageBox):
            return original(box, containing_block)
        lengths, adjust = values
        box.__dict__.update(lengths)
        if adjust:
            adjust_box_sizing(box, "width")
            adjust_box_sizing(box, "height")

    _replace("resolve_percentages", original, resolve_percentages)


# Every style value that Layout.setup, Layout.set_text and split_first_line read: two
# styles equal in these get the same Pango layouts, lines and measures for a text.
_TEXT_PROPERTIES = (
    "font_family", "font_style", "font_stretch", "font_weight", "font_size",
    "font_variant_ligatures", "font_variant_position", "font_variant_caps",
    "font_variant_numeric", "font_variant_alternates", "font_variant_east_asian",
    "font_feature_settings", "font_variation_settings", "font_kerning",
    "font_language_override", "lang", "direction", "text_decoration_line",
    "white_space", "word_spacing", "letter_spacing", "overflow_wrap", "word_break",
    "tab_size", "hyphens", "hyphenate_character", "hyphenate_limit_chars",
    "hyphenate_limit_zone",
)


def _text_key(style):
    """The style's values in _TEXT_PROPERTIES (and its font configuration), or None."""
    return _per_style(style, "_disclose_text_key", _text_values, style)


def _text_values(style):
    key = (id(style.font_config), *(style[name] for name in _TEXT_PROPERTIES))
    try:
        hash(key)
    except TypeError:  # a value without a hash (a calc() token)
        return None
    return key


def _tune_layout_reuse() -> None:
    """Measure each distinct piece of text once, and draw it with the Pango layout that
    measured it.

    ``split_first_line`` (make a Pango layout, shape the text, find the first line)
    is a third of the layout time. In a 决算 document most of it is repeated: cells of
    "0.00", row numbers, the headings of twenty forms, each header again on every page
    of its table. For an 80-page document, 6,800 calls measure 2,500 distinct texts.
    Its result depends only on the text, the available width, the justification
    spacing, two flags and the style values in _TEXT_PROPERTIES, so it is kept per
    font configuration (one per rendering) under those.

    WeasyPrint then frees each layout after measuring, and to draw a text box makes and
    shapes a new one from the same text and style values: a sixth of the drawing time.
    Kept, the layout is reused where the new one would be the same: equal style values,
    no justification spacing to add, and one line (a layout may still carry the width
    it was measured in, within which its text fitted on one line). Drawing also
    switches a layout to single-paragraph mode, which would discard its shaping; it is
    set before measuring instead, for text without paragraph separators, where the
    mode changes nothing. (A layout shared by several boxes is changed by drawing only
    for ``text-overflow: ellipsis`` and ``block-ellipsis``, which style.css never sets.)
    """
    from weasyprint.text import line_break
    from weasyprint.text.ffi import pango

    Layout = line_break.Layout
    original_setup = Layout.setup
    original_set_text = Layout.set_text
    original_reactivate = Layout.reactivate
    original_split = line_break.split_first_line
    separators = re.compile("[\n\r\x0b\x0c\x85\u2028\u2029]")

    def setup(self, style):
        original_setup(self, style)
        self._disclose_key = _text_key(style)

    def set_text(self, text, justify=False):
        if not separators.search(text):
            pango.pango_layout_set_single_paragraph_mode(self.layout, True)
        original_set_text(self, text, justify)

    def deactivate(self):
        pass  # kept for drawing; freed with the box

    def reactivate(self, style):
        key = self.__dict__.get("_disclose_key")
        if (
            key is not None
            and _text_key(style) == key
            and not self.justification_spacing
            and self.get_first_line()[1] is None  # lines are kept: no shaping
        ):
            return
        original_reactivate(self, style)

    def split_first_line(text, style, context, max_width, justification_spacing, is_line_start=True, minimum=False):
        style_key = _text_key(style)
        if style_key is None:
            return original_split(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        lines = style.font_config.__dict__.setdefault("_disclose_lines", {})
        key = (text, style_key, max_width, justification_spacing, is_line_start, minimum)
        try:
            return lines[key]
        except KeyError:
            result = lines[key] = original_split(text, style, context, max_width, justification_spacing, is_line_start, minimum)
            return result

    Layout.setup = setup
    Layout.set_text = set_text
    Layout.deactivate = deactivate
    Layout.reactivate = reactivate
    _replace("split_first_line", original_split, split_first_line)


def _tune_compression() -> None:
    """Compress content streams at zlib's default level instead of level 9.

    For the drawing operators of an 80-page document, level 9 takes 0.18 s and level 6
    0.075 s, and the streams come out 0.3% larger (504 KB against 506 KB). What is
    drawn does not change: only the compressed bytes.
    """
    import zlib

    import pydyf

    if pydyf.__version__.split(".")[:2] not in (["0", "11"], ["0", "12"], ["0", "13"]):
        return  # Stream.data below is a copy of these versions'

    def data(self):
        stream = b"\n".join(pydyf._to_bytes(item) for item in self.stream)
        extra = pydyf.Dictionary(self.extra.copy())
        if self.compress:
            extra["Filter"] = "/FlateDecode"
            stream = zlib.compress(stream)
        extra["Length"] = len(stream)
        return b"\n".join((extra.data, b"stream", stream, b"endstream"))

    pydyf.Stream.data = property(data)


class _ArraysOfAnyLength:
    """WeasyPrint's ``ffi`` for pdf/fonts.py, where ``new("T[N]", items)`` is ``new("T[]", items)``.

    Subsetting an embedded font makes glyph id arrays with ``ffi.new(f"hb_codepoint_t[{n}]",
    ids)``. cffi parses each new C type with pycparser, in Python: 5 ms for every new
    length, twice per font and rendering, 0.1 s in all for a parallel rendering and
    some of it at its very end (the frame). ``T[]`` with the same items is the same
    array of ``len(items)`` elements, and its type is parsed once.
    """

    _SIZED = re.compile(r"(\w+)\[(\d+)\]")

    def __init__(self, ffi) -> None:
        self._ffi = ffi

    def new(self, cdecl, init=None):
        sized = self._SIZED.fullmatch(cdecl) if isinstance(cdecl, str) else None
        if sized and init is not None and len(init) == int(sized.group(2)):
            cdecl = f"{sized.group(1)}[]"
        return self._ffi.new(cdecl, init)

    def __getattr__(self, name):
        return getattr(self._ffi, name)


def _tune_glyph_arrays() -> None:
    from weasyprint.pdf import fonts

    if isinstance(fonts.ffi, _ArraysOfAnyLength):
        return
    fonts.ffi = _ArraysOfAnyLength(fonts.ffi)
    fonts.ffi.typeof("hb_codepoint_t[]")  # parsed now, in a process that forks renderers


_SIDES = ("top", "right", "bottom", "left")


def _tune_borders() -> None:
    """Draw a plain ring border (one solid colour and width on all four sides, square
    corners) directly.

    Every table cell has one, and ``draw_border`` spent about a third of the drawing
    time on the general case: it compares the four sides' colours through their
    ``repr`` on every call, and builds two rounded boxes to find two rectangles. The
    style-level conditions are worked out once per style; the operators drawn are the
    ones ``draw_rounded_border`` draws for such a box.
    """
    from weasyprint.draw import border
    from weasyprint.draw.color import get_color

    original = border.draw_border

    def plan(style):
        if style["visibility"] != "visible" or style["border_image_source"][0] != "none":
            return None
        if style["column_width"] != "auto" or style["column_count"] != "auto":
            return None
        if any(style[f"border_{side}_style"] != "solid" for side in _SIDES):
            return None
        colors = [get_color(style, f"border_{side}_color") for side in _SIDES]
        if not colors[0].alpha or any(color != colors[0] for color in colors[1:]):
            return None
        return colors[0]

    def draw_border(stream, box):
        color = _per_style(box.style, "_disclose_ring", plan, box.style)
        width = box.border_top_width
        if (
            color is None
            or not width
            or not width == box.border_right_width == box.border_bottom_width == box.border_left_width
            or box.border_top_left_radius != (0, 0)
            or box.border_top_right_radius != (0, 0)
            or box.border_bottom_right_radius != (0, 0)
            or box.border_bottom_left_radius != (0, 0)
        ):
            return original(stream, box)
        x, y = box.border_box_x(), box.border_box_y()
        outer_width, outer_height = box.border_width(), box.border_height()
        with stream.artifact(), stream.stacked():
            stream.set_color(color)
            stream.rectangle(x + width, y + width, outer_width - width - width, outer_height - width - width)
            stream.rectangle(x, y, outer_width, outer_height)
            stream.fill(even_odd=True)

    _replace("draw_border", original, draw_border)

