"""WeasyPrint, confined: our stylesheets and fonts, and a fetcher that reads nothing else.

Importing this module imports WeasyPrint (about 0.4 s, with its libraries loaded by
their Linux names: tuning.libraries_by_soname); ``disclose.writers.pdf`` therefore
imports it lazily.
"""

from __future__ import annotations

import gc
import mimetypes
import os
import xml.etree.ElementTree as ElementTree
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

from disclose.document.ir import Document
from disclose.writers.pdf import tuning
from disclose.writers.pdf.subset import SUFFIX, cut_faces

_TUNED = os.environ.get("DISCLOSE_WEASYPRINT_TUNING", "1") != "0"  # 0: WeasyPrint as released
with tuning.libraries_by_soname() if _TUNED else nullcontext():
    import weasyprint
import cssselect2
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

if _TUNED:
    tuning.apply()

PACKAGE_DIR = Path(str(resources.files(__package__))).resolve()


class FetchRefused(Exception):
    """The document asked for a resource outside this package."""


class PackageFetcher(URLFetcher):
    """Serve ``file:`` URLs inside this package, and the fonts we made; refuse everything else.

    Our HTML references nothing, and IR text is escaped, so any other fetch is a bug or
    an injection: ``fail_on_errors`` makes WeasyPrint abort instead of logging it.
    """

    def __init__(self, made: dict[str, bytes] | None = None) -> None:
        super().__init__(fail_on_errors=True)
        self._made = made or {}

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url in self._made:
            return URLFetcherResponse(url, self._made[url], {"Content-Type": "font/otf"})
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise FetchRefused(f"refused to fetch {url!r}: only files of the PDF writer are allowed")
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(PACKAGE_DIR) or not path.is_file():
            raise FetchRefused(f"refused to fetch {url!r}: only files of the PDF writer are allowed")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})


@cache
def _user_agent_stylesheet() -> weasyprint.CSS:
    return weasyprint.CSS(filename=PACKAGE_DIR / "ua.css", url_fetcher=PackageFetcher())


@cache
def _stylesheet() -> weasyprint.CSS:
    return weasyprint.CSS(filename=PACKAGE_DIR / "style.css", url_fetcher=PackageFetcher())


class _Html(weasyprint.HTML):
    """Our XHTML, parsed by the standard library (expat) instead of WeasyPrint's tinyhtml5.

    tinyhtml5 is a pure-Python HTML5 parser: 0.5 s for the 140 KB of an 80-page
    document, a tenth of its rendering; expat takes 10 ms. html.py writes well-formed
    XML, and the tree is the one tinyhtml5 makes of it (no namespaces). The attributes
    are those that ``HTML.__init__`` sets (tests/test_pdf_writer.py checks that they
    still are).
    """

    def __init__(self, markup: str, base_url: str, url_fetcher: URLFetcher) -> None:
        try:
            root = ElementTree.fromstring(markup)
        except ElementTree.ParseError as error:  # a bug of html.py, never of the data
            raise RenderError(f"PDF 排版用的 XHTML 不合格式：{error}") from error
        self.base_url = base_url
        self.url_fetcher = url_fetcher
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element

    # WeasyPrint's HTML5 user-agent sheet gives every element six pseudo-elements
    # (::marker, ::footnote-call, …) whose styles are computed for each of thousands of
    # table cells; ua.css covers only the elements html.py emits, and a rendering takes
    # 10-20% less time. (_ua_stylesheets is the hook WeasyPrint's own test suite overrides.)
    def _ua_stylesheets(self, forms: bool = False) -> list[weasyprint.CSS]:
        return [_user_agent_stylesheet()]


@contextmanager
def gc_paused():
    # WeasyPrint allocates millions of short-lived objects; full collections over them
    # cost about 10% of a render and free almost nothing (boxes die by refcount).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class RenderError(RuntimeError):
    """WeasyPrint could not render the document."""


def preload() -> None:
    """Everything that does not depend on the document: stylesheets, C types, HarfBuzz, the faces."""
    from disclose.writers.pdf.fonts import find_faces
    from disclose.writers.pdf.subset import FACES, harfbuzz_available

    _user_agent_stylesheet()
    _stylesheet()
    _parse_c_types()
    if harfbuzz_available():
        find_faces(FACES)


# The C types WeasyPrint's rendering names in ffi.new and ffi.cast. cffi parses a type
# name with pycparser, in Python, the first time it is used: about 9 ms each, 0.07 s per
# process that renders. Parsed before the rendering processes are forked, they are parsed
# once per build instead of once per document and chunk.
_C_TYPES = (
    "PangoFcFontMap *", "FcChar8 **", "FcResult *", "char[]", "char[4]", "unsigned int *",
    "PangoRectangle *", "PangoLogAttr[]", "hb_tag_t[100]", "hb_codepoint_t[]",
)


def _parse_c_types() -> None:
    import cffi
    from weasyprint.text.ffi import ffi

    for name in _C_TYPES:
        try:
            ffi.typeof(name)
        except cffi.CDefError:  # not declared by this WeasyPrint: nothing to save
            pass


@dataclass
class Fonts:
    """What all renderings of one document share: the font configuration with the cut faces.

    Made before the chunk processes fork, so that they inherit it.
    """

    config: FontConfiguration
    stylesheets: list[weasyprint.CSS]
    fetcher: PackageFetcher


def document_fonts(document: Document, faces: dict[tuple[str, bool], bytes] | None = None) -> Fonts:
    """Register the document's cut faces (subset.py; cut here unless given) as @font-face
    rules of one font configuration."""
    config = FontConfiguration()
    made, rules = {}, []
    for (family, bold), font in (cut_faces(document) if faces is None else faces).items():
        weight = 700 if bold else 400
        # Served from memory by our fetcher; the URL only has to be unique.
        url = f"file:///disclose/fonts/{family.replace(' ', '-')}-Subset-{weight}.otf"
        made[url] = font
        rules.append(f'@font-face {{ font-family: "{family}{SUFFIX}"; font-weight: {weight}; src: url("{url}"); }}')
    fetcher = PackageFetcher(made)
    stylesheets = [_stylesheet()]
    if rules:
        stylesheets.append(weasyprint.CSS(string="\n".join(rules), font_config=config, url_fetcher=fetcher))
    return Fonts(config, stylesheets, fetcher)


def render(html: str, fonts: Fonts | None = None) -> weasyprint.Document:
    """Lay out ``html`` with the package stylesheet (and the document's cut fonts)."""
    fonts = fonts or Fonts(FontConfiguration(), [_stylesheet()], PackageFetcher())
    try:
        with gc_paused():
            html_document = _Html(html, PACKAGE_DIR.as_uri() + "/", fonts.fetcher)
            return html_document.render(stylesheets=fonts.stylesheets, font_config=fonts.config)
    except FatalURLFetchingError as error:
        raise RenderError(str(error.__cause__ or error)) from error


def write(document: weasyprint.Document) -> bytes:
    with gc_paused():
        return document.write_pdf()


@dataclass
class PageFacts:
    """What the assembler needs to know about one rendered page."""

    anchors: dict[str, tuple[float, float]]  # element id -> (x, y) in CSS px from the top left


def page_facts(document: weasyprint.Document) -> list[PageFacts]:
    # Page.anchors values are (x, y) or, in newer WeasyPrint, (x1, y1, x2, y2).
    return [PageFacts({name: (box[0], box[1]) for name, box in page.anchors.items()}) for page in document.pages]
