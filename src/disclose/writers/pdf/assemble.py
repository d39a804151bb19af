"""Paste the pages of the chunk PDFs into the stand-in pages of the frame PDF.

The frame PDF is the finished document except for the body pages' content: its
stand-in pages carry the page numbers, and its 目录 links, named destinations and
bookmarks already point at them. So the frame is kept whole and each stand-in page gets
the content and resources of its chunk page, while the stand-in's own content (the page
number) becomes a form XObject drawn before it. Nothing is parsed or re-encoded: content
streams and fonts are copied as they are, so this costs little more than writing the file.
"""

from __future__ import annotations

from io import BytesIO
from typing import BinaryIO

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

# The form XObject of a page's number; WeasyPrint's own resource names never look like this.
_FOLIO = NameObject("/DiscloseFolio")


def assemble(frame: bytes, chunks: list[bytes], pastes: list[tuple[int, int, int]], target: BinaryIO) -> None:
    """Write the frame with ``(frame_page, chunk, chunk_page)`` pasted for each entry of ``pastes``."""
    writer = PdfWriter(clone_from=BytesIO(frame))
    readers = [PdfReader(BytesIO(chunk)) for chunk in chunks]
    invocation = DecodedStreamObject()
    invocation.set_data(b"q /DiscloseFolio Do Q\n")
    draw_folio = writer._add_object(invocation)  # pypdf has no public way to add a stream
    for frame_page, chunk, chunk_page in pastes:
        _paste(writer, writer.pages[frame_page], readers[chunk].pages[chunk_page], draw_folio)
    writer.write(target)


def _paste(writer: PdfWriter, stand_in: PageObject, page: PageObject, draw_folio) -> None:
    folio = stand_in.raw_get("/Contents").get_object()
    folio.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): stand_in.mediabox,
            NameObject("/Resources"): stand_in.raw_get("/Resources"),
        }
    )
    resources = DictionaryObject(page.raw_get("/Resources").clone(writer).get_object())
    xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
    xobjects[_FOLIO] = stand_in.raw_get("/Contents")
    resources[NameObject("/XObject")] = xobjects
    stand_in[NameObject("/Resources")] = resources
    # The number first: a WeasyPrint page stream starts with an unbalanced `cm` (flipping
    # the y axis), so nothing may follow it.
    stand_in[NameObject("/Contents")] = ArrayObject([draw_folio, page.raw_get("/Contents").clone(writer)])
