"""Document fonts: the Noto CJK faces cut down to the characters of one document.

The Noto CJK collections have 65,535 glyphs, and WeasyPrint subsets an embedded font
keeping every glyph id up to the highest one used, which for CJK punctuation is near
the end. So every rendering spent about 0.1 s per face subsetting and compressing,
and embedded 150-250 KB per face: in a parallel rendering once per chunk and once more
for the frame. Cutting the faces down first, once per document (a few hundredths of
a second with HarfBuzz), makes that cost vanish and the PDF several times smaller.

The cut faces are offered as "Noto Serif CJK SC Subset" and "Noto Sans CJK SC Subset",
named in the font stacks of style.css just before the full faces. They have the same
glyphs, and a character missing from them falls through to the full face. Fonts that
precede them in a stack (SimSun, FangSong, …, where installed) still win.
"""

from __future__ import annotations

import ctypes
from functools import cache

from disclose.document.ir import Document, Heading, InfoLine, Paragraph, Table, TableOfContents
from disclose.writers.pdf.fonts import find_faces, load_library

FACES = (("Noto Serif CJK SC", False), ("Noto Serif CJK SC", True), ("Noto Sans CJK SC", False), ("Noto Sans CJK SC", True))
SUFFIX = " Subset"
# Text the templates add: page numbers, dot leaders, and ASCII for good measure.
_FIXED = "— " + "".join(map(chr, range(0x21, 0x7F)))
# hb_subset_sets_t: drop the OpenType layout tables. Chinese and digits need no GSUB or
# GPOS, WeasyPrint removes them from embedded fonts anyway, and their closure is half
# of the subsetting time.
_HB_SUBSET_SETS_DROP_TABLE_TAG = 3
_DROPPED_TABLES = (b"GSUB", b"GPOS", b"GDEF", b"BASE", b"VORG", b"vhea", b"vmtx")


def document_characters(document: Document) -> set[str]:
    chars = set(_FIXED)
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, (Heading, Paragraph)):
                chars.update(block.text)
            elif isinstance(block, InfoLine):
                chars.update(block.left + block.center + block.right)
            elif isinstance(block, TableOfContents):
                chars.update(block.title)
            elif isinstance(block, Table):
                for row in block.header + block.body:
                    for cell in row:
                        chars.update(cell.text)
    return chars


@cache
def _harfbuzz() -> tuple[ctypes.CDLL, ctypes.CDLL]:
    hb = load_library("libharfbuzz.so.0", "harfbuzz")
    subset = load_library("libharfbuzz-subset.so.0", "harfbuzz-subset")
    pointer = ctypes.c_void_p
    hb.hb_blob_create_from_file_or_fail.restype = pointer
    hb.hb_blob_create_from_file_or_fail.argtypes = [ctypes.c_char_p]
    hb.hb_face_create.restype = pointer
    hb.hb_face_create.argtypes = [pointer, ctypes.c_uint]
    hb.hb_face_reference_blob.restype = pointer
    hb.hb_face_reference_blob.argtypes = [pointer]
    hb.hb_blob_get_data.restype = pointer
    hb.hb_blob_get_data.argtypes = [pointer, ctypes.POINTER(ctypes.c_uint)]
    hb.hb_set_add.argtypes = [pointer, ctypes.c_uint32]
    hb.hb_tag_from_string.restype = ctypes.c_uint32
    hb.hb_tag_from_string.argtypes = [ctypes.c_char_p, ctypes.c_int]
    for name in ("hb_blob_destroy", "hb_face_destroy"):
        getattr(hb, name).argtypes = [pointer]
    subset.hb_subset_input_create_or_fail.restype = pointer
    subset.hb_subset_input_unicode_set.restype = pointer
    subset.hb_subset_input_unicode_set.argtypes = [pointer]
    subset.hb_subset_input_set.restype = pointer
    subset.hb_subset_input_set.argtypes = [pointer, ctypes.c_int]
    subset.hb_subset_or_fail.restype = pointer
    subset.hb_subset_or_fail.argtypes = [pointer, pointer]
    subset.hb_subset_input_destroy.argtypes = [pointer]
    return hb, subset


def harfbuzz_available() -> bool:
    try:
        _harfbuzz()
    except (OSError, AttributeError):
        return False
    return True


def _cut(path: str, index: int, chars: set[str]) -> bytes | None:
    hb, subset = _harfbuzz()
    blob = hb.hb_blob_create_from_file_or_fail(path.encode())
    if not blob:
        return None
    face = hb.hb_face_create(blob, index)
    request = subset.hb_subset_input_create_or_fail()
    try:
        unicodes = subset.hb_subset_input_unicode_set(request)
        for char in chars:
            hb.hb_set_add(unicodes, ord(char))
        dropped = subset.hb_subset_input_set(request, _HB_SUBSET_SETS_DROP_TABLE_TAG)
        for tag in _DROPPED_TABLES:
            hb.hb_set_add(dropped, hb.hb_tag_from_string(tag, -1))
        result = subset.hb_subset_or_fail(face, request)
        if not result:
            return None
        data = hb.hb_face_reference_blob(result)
        length = ctypes.c_uint()
        font = ctypes.string_at(hb.hb_blob_get_data(data, ctypes.byref(length)), length.value)
        hb.hb_blob_destroy(data)
        hb.hb_face_destroy(result)
        return font or None
    finally:
        subset.hb_subset_input_destroy(request)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)


def cut_faces(document: Document) -> dict[tuple[str, bool], bytes]:
    """The installed faces of FACES, cut down to the document's characters.

    None without libharfbuzz-subset (≥ 2.8.2): the full faces then serve, only slower.
    """
    if not harfbuzz_available():
        return {}
    chars = document_characters(document)
    faces = {}
    for (family, bold), (path, index) in find_faces(FACES).items():
        if font := _cut(path, index, chars):
            faces[family, bold] = font
    return faces
