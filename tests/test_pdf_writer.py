"""The PDF writer, checked on real renderings of the sample IR document.

The sample is rendered twice per module: in one pass (workers=1) and in parallel chunks
assembled with a frame (workers=2); every content check runs on both, and the two must
agree word for word. A few tiny documents test escaping, edge cases and failures.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from importlib import resources
from io import BytesIO
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from disclose.document.ir import Cell, Column, Document, Heading, InfoLine, Paragraph, Run, Section, Spacer, Table, TableOfContents
from disclose.writers.pdf import FontsMissing, PdfInfo, check_fonts, write_pdf
from disclose.writers.pdf.fonts import FONT_STACKS
from disclose.writers.pdf.html import chunk_html, table_view
from tests.support.processes import running
from tests.support.sample_ir import build_sample_document

STYLE_CSS = resources.files("disclose.writers.pdf") / "style.css"
FOOTER = re.compile(r"—\s*(\d+)\s*—")
CJK = re.compile(r"[\u4e00-\u9fff]")
# Faces that really have Chinese glyphs: what the tofu check accepts as a CJK character's font.
CJK_FONT = re.compile(r"^[A-Z]{6}\+(Noto-(Serif|Sans)-CJK-SC|SimSun|SimHei|FangSong|KaiTi|STSong|STFangsong|STKaiti)")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@dataclass
class Rendered:
    requested: int  # the workers argument
    document: Document
    path: Path
    info: PdfInfo
    reader: PdfReader
    texts: list[str]  # per page, footer removed, whitespace removed
    footers: list[int | None]  # the printed page number of each page
    top_words: list[set[str]]  # words in the top fifth of each page
    words: list[list[tuple[str, int, int]]]  # per page: each word and its position in points
    cjk_fonts: set[str]  # font names of all CJK characters
    warnings: list[str]  # what WeasyPrint logged in this process while rendering

    def body_page_of(self, text: str, start: int = 0) -> int:
        """0-based index of the first numbered page from ``start`` on that contains ``text``."""
        wanted = squash(text)
        for index in range(start, len(self.texts)):
            if self.footers[index] is not None and wanted in self.texts[index]:
                return index
        raise AssertionError(f"{text!r} not found on a numbered page")


def _render(workers: int, directory: Path) -> Rendered:
    document = build_sample_document()
    path = directory / f"sample-{workers}.pdf"
    warnings = _Collect()
    logging.getLogger("weasyprint").addHandler(warnings)
    try:
        info = write_pdf(document, path, workers=workers)
    finally:
        logging.getLogger("weasyprint").removeHandler(warnings)
    texts, footers, top_words, words, cjk_fonts = [], [], [], [], set()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            text = page.extract_text()
            numbers = FOOTER.findall(text)
            footers.append(int(numbers[-1]) if numbers else None)
            texts.append(squash(FOOTER.sub("", text)))
            page_words = page.extract_words()
            top_words.append({w["text"] for w in page_words if w["top"] < page.height / 5})
            words.append([(w["text"], round(w["x0"]), round(w["top"])) for w in page_words])
            cjk_fonts |= {c["fontname"] for c in page.chars if CJK.match(c["text"])}
    return Rendered(workers, document, path, info, PdfReader(path), texts, footers, top_words, words, cjk_fonts, warnings.messages)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(scope="module")
def renderings(tmp_path_factory):
    """The sample rendered with a given number of workers, each at most once per module."""
    directory = tmp_path_factory.mktemp("pdf")
    cache: dict[int, Rendered] = {}

    def get(workers: int) -> Rendered:
        if workers not in cache:
            cache[workers] = _render(workers, directory)
        return cache[workers]

    return get


@pytest.fixture(scope="module", params=[1, 2], ids=["one-pass", "parallel"])
def rendered(request, renderings) -> Rendered:
    return renderings(request.param)


def toc_headings(document: Document, levels: int = 2) -> list[Heading]:
    return [h for h in document.headings() if h.toc and h.level <= levels]


def test_page_count_is_plausible(rendered: Rendered) -> None:
    assert rendered.info.pages == len(rendered.reader.pages)
    assert 8 <= rendered.info.pages <= 20


def test_weasyprint_has_no_complaints(rendered: Rendered) -> None:
    # Unsupported CSS, unreachable resources and missing anchors are only logged.
    assert rendered.warnings == []


def test_workers_are_reported(rendered: Rendered) -> None:
    assert rendered.info.workers == rendered.requested
    assert rendered.info.seconds > 0


def test_headings_and_table_titles_are_printed(rendered: Rendered) -> None:
    whole = "".join(rendered.texts)
    titles = [b.text for s in rendered.document.sections for b in s.blocks if isinstance(b, Paragraph) and b.role == "table-title"]
    for text in [h.text for h in rendered.document.headings()] + titles:
        assert squash(text) in whole, text


def test_all_paragraphs_and_cells_are_printed(rendered: Rendered) -> None:
    whole = "".join(rendered.texts)
    for section in rendered.document.sections:
        for block in section.blocks:
            if isinstance(block, Paragraph):
                assert squash(block.text) in whole, block.text
            elif isinstance(block, Table):
                for row in block.body:
                    for cell in row:
                        assert squash(cell.text) in whole, cell.text
                for row in block.header:
                    for cell in row:
                        # Header labels wrap, and extraction interleaves the lines of a row.
                        assert re.search(".*".join(map(re.escape, squash(cell.text))), whole), cell.text


def test_chinese_text_without_replacement_characters(rendered: Rendered) -> None:
    whole = "".join(rendered.texts)
    assert len(CJK.findall(whole)) > 1000
    assert "\ufffd" not in whole


def _fonts(page_resources, seen: set[int]):
    """Font dictionaries of a resources dictionary, including those of its form XObjects."""
    page_resources = page_resources.get_object() if page_resources is not None else {}
    for font in page_resources.get("/Font", {}).values():
        yield font.get_object()
    for xobject in page_resources.get("/XObject", {}).values():
        if isinstance(xobject, IndirectObject):
            if xobject.idnum in seen:
                continue
            seen.add(xobject.idnum)
        yield from _fonts(xobject.get_object().get("/Resources"), seen)


def test_fonts_are_embedded_and_subset(rendered: Rendered) -> None:
    seen: set[int] = set()
    fonts = [font for page in rendered.reader.pages for font in _fonts(page.get("/Resources"), seen)]
    assert fonts
    for font in fonts:
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert re.match(r"^/[A-Z]{6}\+", font["/BaseFont"]), font["/BaseFont"]
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]


def test_fonts_are_cut_down_to_the_document(rendered: Rendered) -> None:
    # The full Noto CJK faces would embed at 150-250 KB each, per chunk (subset.py).
    assert any("Subset" in name for name in rendered.cjk_fonts)
    assert rendered.path.stat().st_size < 400_000


def test_cut_faces_cover_the_document() -> None:
    from fontTools.ttLib import TTFont

    from disclose.writers.pdf.subset import cut_faces, document_characters

    document = build_sample_document()
    chars = document_characters(document)
    faces = cut_faces(document)
    assert len(faces) == 4, "fonts-noto-cjk has Serif and Sans, Regular and Bold"
    for face in faces.values():
        font = TTFont(BytesIO(face))
        assert chars <= set(map(chr, font.getBestCmap()))
        assert len(face) < 600_000


def test_chinese_glyphs_come_from_chinese_fonts(rendered: Rendered) -> None:
    # Text extraction survives tofu (the ToUnicode map is there either way): the font is the proof.
    assert rendered.cjk_fonts
    assert all(CJK_FONT.match(name) for name in rendered.cjk_fonts), rendered.cjk_fonts


def test_table_header_repeats_on_continuation_pages(rendered: Rendered) -> None:
    first = rendered.body_page_of("收入决算表公开02表")
    pages = [i for i in range(first + 1, len(rendered.texts)) if "示例科目名称第" in rendered.texts[i]]
    assert pages, "the long table should continue on another page"
    for index in pages:
        assert "项目" in rendered.top_words[index], f"no header on page {index + 1}"
        assert "示例科目名称第" not in rendered.texts[index].split("栏次")[0], f"a body row above the header on page {index + 1}"


def _section_starts(rendered: Rendered) -> list[tuple[Section, int]]:
    starts, page = [], 0
    for section in rendered.document.sections:
        if section.kind != "body":
            continue
        first = section.blocks[0]
        page = rendered.body_page_of(first.text, page)
        starts.append((section, page))
    return starts


def test_landscape_pages_are_the_landscape_sections(rendered: Rendered) -> None:
    starts = _section_starts(rendered)
    expected = ["portrait"] * len(rendered.reader.pages)
    for (section, start), end in zip(starts, [s for _, s in starts[1:]] + [len(expected)]):
        expected[start:end] = [section.orientation] * (end - start)
    actual = ["landscape" if p.mediabox.width > p.mediabox.height else "portrait" for p in rendered.reader.pages]
    assert actual == expected
    assert "landscape" in actual


def test_body_pages_are_numbered_from_1(rendered: Rendered) -> None:
    body = [i for i, n in enumerate(rendered.footers) if n is not None]
    assert body == list(range(body[0], len(rendered.footers))), "cover and 目录 unnumbered, the rest numbered"
    assert [rendered.footers[i] for i in body] == list(range(1, len(body) + 1))
    assert body[0] == 2  # after the cover and a one-page 目录


def _toc_entries(rendered: Rendered) -> list[tuple[str, int]]:
    entries = []
    with pdfplumber.open(rendered.path) as pdf:
        for page in pdf.pages:
            lines = page.extract_text().splitlines()
            if lines and squash(lines[0]) == "目录":
                for line in lines[1:]:
                    match = re.fullmatch(r"(.+?)[\s.]*?(\d+)", line.strip())
                    assert match, line
                    entries.append((squash(match[1].rstrip(". ")), int(match[2])))
    return entries


def test_toc_numbers_are_the_pages_of_the_headings(rendered: Rendered) -> None:
    entries = _toc_entries(rendered)
    headings = toc_headings(rendered.document)
    assert [text for text, _ in entries] == [squash(h.text) for h in headings]
    for text, number in entries:
        assert rendered.footers[rendered.body_page_of(text)] == number, text


def test_toc_links_go_to_the_headings(rendered: Rendered) -> None:
    reader = rendered.reader
    targets = {
        annotation.get_object()["/Dest"]
        for page in reader.pages[:2]
        for annotation in page.get("/Annots", [])
        if annotation.get_object()["/Subtype"] == "/Link"
    }
    # The sample sets no anchors: heading n is h-n.
    anchors = {f"h-{n}": h for n, h in enumerate(rendered.document.headings(), start=1) if h.toc and h.level <= 2}
    assert targets == set(anchors)
    for name, heading in anchors.items():
        assert reader.get_destination_page_number(reader.named_destinations[name]) == rendered.body_page_of(heading.text)


def test_every_destination_is_a_page_of_the_document(rendered: Rendered) -> None:
    reader = rendered.reader
    pages = range(len(reader.pages))
    for name, destination in reader.named_destinations.items():
        assert reader.get_destination_page_number(destination) in pages, name
    for _, item in _outline(reader.outline):
        assert reader.get_destination_page_number(item) in pages, item.title


def _outline(items, level: int = 1):
    for item in items:
        if isinstance(item, list):
            yield from _outline(item, level + 1)
        else:
            yield level, item


def test_bookmarks_for_level_1_and_2_headings(rendered: Rendered) -> None:
    reader = rendered.reader
    marks = [(level, squash(item.title), reader.get_destination_page_number(item)) for level, item in _outline(reader.outline)]
    expected = [(h.level, squash(h.text), rendered.body_page_of(h.text)) for h in toc_headings(rendered.document)]
    assert marks == expected


def _destinations(reader: PdfReader) -> dict[str, tuple[int, float, float]]:
    return {
        name: (reader.get_destination_page_number(dest), round(float(dest.left or 0)), round(float(dest.top or 0)))
        for name, dest in reader.named_destinations.items()
        if name.startswith("h-")
    }


def test_both_renderings_agree(renderings) -> None:
    # The parallel rendering puts chunk pages between the frame's front matter and draws
    # their page numbers from the frame's sheet: every word, page number and heading
    # destination must land exactly where the one-pass rendering puts it.
    one_pass, parallel = renderings(1), renderings(2)
    assert parallel.info.workers == 2
    assert parallel.words == one_pass.words
    assert _destinations(parallel.reader) == _destinations(one_pass.reader)
    assert len(_destinations(parallel.reader)) == len(one_pass.document.headings())


def test_parallel_assembly_keeps_back_matter_in_place(tmp_path: Path) -> None:
    # Front matter after the numbered pages (a back cover) stays after them, unnumbered,
    # and the sheet of page numbers leaves no page behind.
    seen = {}
    for workers in (1, 2):
        document = build_sample_document()
        document.new_section(kind="cover").add(Paragraph.of("封底文字", "center"))
        info = write_pdf(document, tmp_path / f"back-{workers}.pdf", workers=workers)
        assert info.workers == workers
        reader = PdfReader(tmp_path / f"back-{workers}.pdf")
        with pdfplumber.open(tmp_path / f"back-{workers}.pdf") as pdf:
            words = [[(w["text"], round(w["x0"]), round(w["top"])) for w in page.extract_words()] for page in pdf.pages]
        seen[workers] = (info.pages, len(reader.pages), words, _destinations(reader), [(level, item.title) for level, item in _outline(reader.outline)])
    assert seen[2] == seen[1]
    words = seen[2][2]
    assert [text for text, _, _ in words[-1]] == ["封底文字"], "the back cover is last and has no page number"
    assert any(text == "—" for text, _, _ in words[-2]), "the page before it is numbered"


def test_qpdf_check(rendered: Rendered) -> None:
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf not installed")
    result = subprocess.run(["qpdf", "--check", str(rendered.path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_metadata(rendered: Rendered) -> None:
    meta = rendered.reader.metadata
    assert meta.title == rendered.document.title
    assert meta.author == rendered.document.author
    assert rendered.reader.trailer["/Root"]["/Lang"] == "zh-CN"


def test_pdffonts_reports_embedded_subsets(rendered: Rendered) -> None:
    if shutil.which("pdffonts") is None:
        pytest.skip("poppler-utils not installed")
    lines = subprocess.run(["pdffonts", str(rendered.path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert lines
    for line in lines:
        name, *_, emb, sub, uni, _obj, _gen = line.split()
        assert (emb, sub, uni) == ("yes", "yes", "yes"), line


# --- HTML, escaping, fetching, atomic writes, fonts -------------------------------------


def test_table_markup() -> None:
    table = Table(
        columns=[Column(1, "left"), Column(2, "right"), Column(1, "right")],
        header=[[Cell("项目", rowspan=2), Cell("金额", colspan=2)], [Cell("本年"), Cell("上年", align="right")]],
        body=[[Cell("甲", bold=True), Cell("1.00"), Cell("2.00")], [Cell("合计", colspan=2, align="center")]],
    )
    view = table_view(table)
    assert [round(w) for w in view.widths] == [25, 50, 25]
    assert view.align == "r"  # most body cells are right-aligned: the table's class
    assert [[c.classes for c in row] for row in view.header] == [["", ""], ["", "r"]]
    # The short last row is completed with an empty cell in the third column.
    assert [[(c.text, c.classes) for c in row] for row in view.body] == [[("甲", "l b"), ("1.00", ""), ("2.00", "")], [("合计", "c"), ("", "")]]
    document = Document(title="表")
    document.new_section().add(table)
    html = chunk_html(document, [0])
    assert '<th rowspan="2">项目</th><th colspan="2">金额</th>' in html
    assert '<td class="c" colspan="2">合计</td><td></td>' in html

def test_unusual_documents_render(tmp_path: Path) -> None:
    document = Document(title="边角")
    document.new_section(kind="toc").add(TableOfContents(title="目录", levels=4))
    body = document.new_section()
    body.add(
        Heading("第一部分", 1, anchor="same"),
        Heading("（一）三级标题。", 3, anchor="same"),  # a duplicate anchor gets a suffix
        Heading("1. 四级标题", 4),
        Heading("不进目录", 2, toc=False),
        Spacer(2),
        InfoLine(left="部门：很长很长很长很长很长很长很长很长很长很长很长的单位名称", right="单位：万元"),
        Table(columns=[Column(1), Column(1, "right")], header=[[Cell("项目"), Cell("金额")]]),  # no body rows
        Table(columns=[Column(1), Column(1)], body=[[Cell("1234567890" * 8), Cell("")]], font_size="tiny"),
        Paragraph([Run("加粗", bold=True), Run("与正常")], "plain"),
    )
    info = write_pdf(document, tmp_path / "edge.pdf", workers=1)
    reader = PdfReader(tmp_path / "edge.pdf")
    assert info.pages == len(reader.pages) == 2
    assert set(reader.named_destinations) >= {"same", "same-2", "h-3"}
    toc = squash(reader.pages[0].extract_text())
    for text in ["第一部分", "（一）三级标题。", "1.四级标题"]:
        assert text in toc
    assert "不进目录" not in toc
    assert [item.title for item in reader.outline] == ["第一部分"]
    with pdfplumber.open(tmp_path / "edge.pdf") as pdf:
        left = {w["text"][:2]: round(w["x0"]) for w in pdf.pages[1].extract_words()}
    assert left["加粗"] == left["部门"], "a plain paragraph starts at the margin"


INJECTIONS = [
    '<img src="file:///etc/passwd">',
    "<link rel=stylesheet href=http://127.0.0.1:9/x.css>",
    "<style>@import url(http://127.0.0.1:9/y.css);</style>",
]


def test_text_is_never_markup(tmp_path: Path) -> None:
    document = Document(title="<title>注入</title>")
    section = document.new_section()
    section.add(Heading('<script>alert("x")</script>', 1))
    for injection in INJECTIONS:
        section.add(Paragraph.of(f"示例{injection}"))
    info = write_pdf(document, tmp_path / "x.pdf", workers=4)
    assert (info.pages, info.workers) == (1, 1)  # too small to be worth a second process
    text = squash(PdfReader(tmp_path / "x.pdf").pages[0].extract_text())
    for injection in INJECTIONS + ['<script>alert("x")</script>']:
        assert squash(injection) in text


def test_no_nested_processes_inside_a_pool_worker() -> None:
    from disclose.writers.pdf.pipeline import default_workers

    assert default_workers() >= 1
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.apply(default_workers) == 1


def test_fetcher_serves_only_the_package() -> None:
    from disclose.writers.pdf.engine import PACKAGE_DIR, FetchRefused, PackageFetcher

    fetcher = PackageFetcher()
    assert fetcher.fetch((PACKAGE_DIR / "style.css").as_uri()).read().startswith(b"/*")
    refused = ["file:///etc/passwd", "http://127.0.0.1:9/", "https://example.com/x.css", "data:text/css,p{}"]
    for url in refused + [(PACKAGE_DIR / "../__init__.py").as_uri(), "file:///disclose/fonts/Other-Subset-400.otf"]:
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)


def test_a_fetch_aborts_the_rendering() -> None:
    from disclose.writers.pdf.engine import RenderError, render

    with pytest.raises(RenderError, match="passwd"):
        render('<html><body><img src="file:///etc/passwd"/></body></html>')


def test_our_html_document_has_what_weasyprint_sets() -> None:
    # engine._Html replaces HTML.__init__ (XML parser instead of tinyhtml5): it must set
    # the same attributes, or a WeasyPrint upgrade would break it quietly.
    import weasyprint

    from disclose.writers.pdf.engine import PackageFetcher, _Html

    theirs = weasyprint.HTML(string="<html><body><p>x</p></body></html>", base_url="file:///x/")
    ours = _Html("<html><body><p>x</p></body></html>", "file:///x/", PackageFetcher())
    assert set(vars(ours)) == set(vars(theirs))
    assert ours.etree_element.tag == theirs.etree_element.tag == "html"
    assert [e.tag for e in ours.etree_element.iter()] == [e.tag for e in theirs.etree_element.iter() if e.tag != "head"]


def test_control_characters_in_data_do_not_break_the_xml(tmp_path: Path) -> None:
    document = Document(title="控制字符\x01")
    document.new_section().add(Paragraph.of("甲\x0b乙\x1f丙\x00丁"))
    write_pdf(document, tmp_path / "c.pdf", workers=1)
    assert "甲乙丙丁" in squash(PdfReader(tmp_path / "c.pdf").pages[0].extract_text())


def test_failed_render_leaves_target_untouched(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(b"previous")
    broken = Document(title="坏")
    broken.new_section().blocks.append(object())  # not an IR block: rendering fails
    with pytest.raises(TypeError):
        write_pdf(broken, target, workers=1)
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pdf"]


# --------------------------------------------------------------------------- WeasyPrint tuning


def test_tuning_changes_no_drawing(tmp_path: Path) -> None:
    # tuning.py replaces work inside WeasyPrint: the same document rendered with and
    # without it must draw exactly the same on every page.
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        sys.path.insert(0, sys.argv[2])
        from tests.support.sample_ir import build_sample_document
        from disclose.document.ir import Cell, Column, Heading, Paragraph, Table
        from disclose.writers.pdf import write_pdf
        from disclose.writers.pdf import tuning
        document = build_sample_document()
        # What the tuned code treats apart: justified Latin text (spacing added at
        # drawing), lines broken inside a cell, paragraph separators, an unbreakable
        # word wider than its cell.
        document.new_section(orientation="landscape").add(
            Heading("调校对照", 1),
            Paragraph.of("Justified text with spaces between words, long enough to wrap onto a second line "
                         "so that the first line is stretched to the full width of the page. " * 3),
            Paragraph.of("第一行\\n第二行\\u2029第三段", "plain"),
            Table(columns=[Column(1), Column(3, "right"), Column(1)], body=[
                [Cell("很长的单元格文字，" * 12), Cell("1,234.56"), Cell("W" * 40)],
                [Cell("short words that wrap inside a narrow cell " * 3), Cell(""), Cell("0.00")],
            ]),
        )
        write_pdf(document, Path(sys.argv[1]), workers=1)
        print(tuning._applied)
        """
    )
    root = str(Path(__file__).resolve().parent.parent)
    outputs = {}
    for setting in ("1", "0"):
        target = tmp_path / f"tuning-{setting}.pdf"
        env = {**os.environ, "DISCLOSE_WEASYPRINT_TUNING": setting}
        result = subprocess.run([sys.executable, "-c", script, str(target), root], capture_output=True, text=True, env=env)
        assert result.returncode == 0, result.stderr
        outputs[setting] = (result.stdout.strip(), PdfReader(target))
    assert outputs["1"][0] == "True" and outputs["0"][0] == "False"
    tuned, plain = outputs["1"][1], outputs["0"][1]
    assert len(tuned.pages) == len(plain.pages) > 5
    for number, (a, b) in enumerate(zip(tuned.pages, plain.pages), start=1):
        assert a.get_contents().get_data() == b.get_contents().get_data(), f"page {number} differs"
    # The embedded (subset) fonts too, byte for byte.
    assert embedded_font_files(tuned) == embedded_font_files(plain) != []


def embedded_font_files(reader: PdfReader) -> list[bytes]:
    files = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            for descendant in font.get_object().get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                files.extend(descriptor[key].get_object().get_data() for key in ("/FontFile2", "/FontFile3") if key in descriptor)
    return sorted(set(files))


def test_tuning_is_applied_to_this_weasyprint() -> None:
    import weasyprint

    from disclose.writers.pdf import tuning

    assert tuning._major(weasyprint.__version__) in tuning.TESTED
    assert tuning._major(weasyprint.__version__) in tuning.TESTED_ALL
    assert tuning._source_version("weasyprint") == weasyprint.__version__
    assert tuning.apply() is True


def test_weasyprint_loads_the_same_libraries_by_soname_without_searching() -> None:
    # Imported with and without libraries_by_soname: the same C libraries (by their
    # files in /proc/self/maps, and which optional ones WeasyPrint found), and with it no
    # child process (ldconfig, gcc, ld) started to search for names.
    script = textwrap.dedent(
        """
        import json, os, re, subprocess, sys
        started = []
        real = subprocess.Popen.__init__
        def popen(self, args, *a, **k):
            started.append(str(args))
            real(self, args, *a, **k)
        subprocess.Popen.__init__ = popen
        from disclose.writers.pdf import engine
        from weasyprint.text import ffi
        names = "gobject pango harfbuzz harfbuzz_subset harfbuzz_vector fontconfig pangoft2".split()
        maps = open("/proc/self/maps").read()
        libraries = sorted(set(re.findall(r"/\\S*/(lib(?:gobject|glib|pango|harfbuzz|fontconfig)[^/\\s]*)", maps)))
        print(json.dumps({"found": [n for n in names if getattr(ffi, n) is not None], "libraries": libraries, "started": started}))
        """
    )
    seen = {}
    for setting in ("1", "0"):
        env = {**os.environ, "DISCLOSE_WEASYPRINT_TUNING": setting}
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
        assert result.returncode == 0, result.stderr
        seen[setting] = json.loads(result.stdout)
    assert seen["1"]["started"] == []
    assert {"pango", "harfbuzz_subset", "pangoft2"} <= set(seen["1"]["found"])
    assert seen["1"]["found"] == seen["0"]["found"]
    assert seen["1"]["libraries"] == seen["0"]["libraries"]
    assert any(name.startswith("libpango-1.0.so") for name in seen["1"]["libraries"])


def test_after_preload_a_rendering_parses_no_c_types(tmp_path: Path) -> None:
    # Every process that renders (one per document, one per chunk) is forked after
    # preload: a C type name cffi first meets during the rendering is parsed again,
    # in Python, in each of them. In a fresh process, so that nothing is parsed already.
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from disclose.writers.pdf.process import preload
        preload()
        import cffi.cparser
        parsed = []
        real = cffi.cparser.Parser.parse_type_and_quals
        def spy(self, cdecl):
            parsed.append(cdecl)
            return real(self, cdecl)
        cffi.cparser.Parser.parse_type_and_quals = spy
        from disclose.writers.pdf import write_pdf
        from tests.support.sample_ir import build_sample_document
        write_pdf(build_sample_document(), Path({str(tmp_path / "t.pdf")!r}), 1)
        print(parsed)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", f"add these to engine._C_TYPES: {result.stdout.strip()}"


def test_a_c_type_this_weasyprint_lacks_is_skipped(monkeypatch) -> None:
    from disclose.writers.pdf import engine

    monkeypatch.setattr(engine, "_C_TYPES", ("NoSuchWeasyPrintType *", "char[]"))
    engine._parse_c_types()


# --------------------------------------------------------------------------- the PDF process


def small_document(title: str = "进程") -> Document:
    document = Document(title=title)
    document.new_section().add(Heading("第一部分", 1), Paragraph.of("在自己的进程里排版。"))
    return document


def test_pdf_process_renders_in_a_child(tmp_path: Path) -> None:
    import gc

    from disclose.writers.pdf.process import PdfProcess, can_fork

    assert can_fork(), "the test machine is Linux without threads here"
    target = tmp_path / "p.pdf"
    with PdfProcess() as process:
        child = process._process
        assert child is not None and child.is_alive()
        process.submit(small_document(), target, 1)
        info = process.result()
    assert isinstance(info, PdfInfo) and info.pages == 1
    assert "在自己的进程里排版" in squash(PdfReader(target).pages[0].extract_text())
    assert child.exitcode == 0
    assert gc.isenabled(), "the parent's collector is left alone"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.pdf"]


def test_pdf_process_reports_a_failure_and_keeps_the_old_file(tmp_path: Path) -> None:
    from disclose.writers.pdf.process import PdfFailed, PdfProcess

    target = tmp_path / "out.pdf"
    target.write_bytes(b"previous")
    broken = small_document()
    broken.sections[0].blocks.append(object())
    with PdfProcess() as process:
        process.submit(broken, target, 1)
        with pytest.raises(PdfFailed, match="TypeError: not an IR block"):
            process.result()
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pdf"]


def test_an_unused_pdf_process_is_stopped() -> None:
    from disclose.writers.pdf.process import PdfProcess

    process = PdfProcess()
    child = process._process
    process.close()
    assert not child.is_alive()


def test_an_abandoned_pdf_job_is_stopped_without_leftovers(tmp_path: Path) -> None:
    from disclose.writers.pdf.process import PdfProcess
    from tests.support.sample_ir import build_sample_document

    document = build_sample_document()
    document.sections = document.sections * 10  # several seconds of rendering
    process = PdfProcess()
    child = process._process
    process.submit(document, tmp_path / "gone.pdf", 2)
    time.sleep(0.5)  # it has started
    process.close()  # the build failed elsewhere: the PDF is no longer wanted
    assert not child.is_alive()
    assert child.exitcode == 128 + signal.SIGTERM, "stopped through its clean-up, not waited for"
    assert list(tmp_path.iterdir()) == [], "no file and no temporary file left"


def test_a_wait_cut_short_leaves_the_pdf_process_to_be_stopped(tmp_path: Path) -> None:
    # Ctrl-C while waiting for the PDF: close() must stop the rendering, not wait for it.
    from disclose.writers.pdf.process import PdfProcess
    from tests.support.sample_ir import build_sample_document

    def ctrl_c(signum, frame):
        raise KeyboardInterrupt

    document = build_sample_document()
    document.sections = document.sections * 10  # several seconds of rendering
    process = PdfProcess()
    child = process._process
    process.submit(document, tmp_path / "cut.pdf", 2)
    previous = signal.signal(signal.SIGALRM, ctrl_c)
    signal.setitimer(signal.ITIMER_REAL, 0.5)
    try:
        with pytest.raises(KeyboardInterrupt):
            process.result()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    process.close()
    assert child.exitcode == 128 + signal.SIGTERM, "stopped, not waited for"
    assert list(tmp_path.iterdir()) == [], "no file and no temporary file left"


@pytest.mark.parametrize("submitted", [False, True], ids=["waiting", "rendering"])
def test_a_pdf_process_ends_with_the_process_that_made_it(tmp_path: Path, submitted: bool) -> None:
    # The process that made it is killed (it cannot stop its child): the PDF process, and
    # its chunk processes, leave too, and no file is written for nobody.
    out = tmp_path / "out"
    out.mkdir()
    script = textwrap.dedent(
        f"""
        import os, time
        from pathlib import Path
        from disclose.writers.pdf.process import PdfProcess
        from tests.support.sample_ir import build_sample_document
        process = PdfProcess()
        Path({str(tmp_path / "pid")!r}).write_text(str(process._process.pid))
        if {submitted}:
            document = build_sample_document()
            document.sections = document.sections * 10
            process.submit(document, Path({str(out / "orphan.pdf")!r}), 2)
            time.sleep(0.5)
        os.kill(os.getpid(), 9)
        """
    )
    # Not through pipes: a child left running would hold them open, and this wait with them.
    result = subprocess.run([sys.executable, "-c", script], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=Path(__file__).resolve().parents[1], timeout=120)
    assert result.returncode == -9
    child = int((tmp_path / "pid").read_text())
    deadline = time.monotonic() + 60
    while running(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = running(child)
    if alive:
        os.kill(child, signal.SIGKILL)
    assert not alive, "the PDF process outlived the process that made it"
    assert list(out.iterdir()) == [], "no file and no temporary file left"


def test_pdf_process_renders_in_place_where_it_cannot_fork(tmp_path: Path, monkeypatch) -> None:
    from disclose.writers.pdf import process as module

    monkeypatch.setattr(module, "can_fork", lambda: False)
    with module.PdfProcess() as process:
        assert process._process is None
        process.submit(small_document(), tmp_path / "q.pdf", 1)
        assert process.result().pages == 1
    assert (tmp_path / "q.pdf").read_bytes().startswith(b"%PDF")


def test_check_fonts_passes_here() -> None:
    check_fonts()


def test_check_fonts_without_chinese_fonts(tmp_path: Path) -> None:
    latin_only = next((d for d in ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation2"] if Path(d).is_dir()), None)
    if latin_only is None:
        pytest.skip("no font directory without Chinese fonts")
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{latin_only}</dir><cachedir>{tmp_path}/cache</cachedir></fontconfig>\n')
    script = textwrap.dedent(
        """
        from disclose.writers.pdf import FontsMissing, check_fonts
        try:
            check_fonts()
        except FontsMissing as error:
            assert isinstance(error, RuntimeError)
            print(error)
        else:
            raise SystemExit("check_fonts did not raise")
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env={**os.environ, "FONTCONFIG_FILE": str(conf)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "中文字体" in result.stdout
    assert issubclass(FontsMissing, RuntimeError)


def test_every_css_font_stack_is_a_checked_chinese_stack() -> None:
    css = STYLE_CSS.read_text()
    stacks = {squash(m).replace('"', "") for m in re.findall(r"font-family:\s*([^;]+);", css)}
    known = {squash(s) for s in FONT_STACKS.values()}
    assert stacks and stacks <= known, stacks - known


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_an_info_line_stays_on_the_page_whatever_the_name(tmp_path: Path, orientation: str) -> None:
    # 部门：… | 2024年度 | 单位：万元: on one line, the middle centred, while the parts fit;
    # a name too long for that wraps within the text area instead of running off the page.
    names = {"short": "示例局", "long": "南阳高新技术产业开发区组织人力资源社会保障局", "too long": "某" * 70}
    document = Document(title="信息行")
    for name in names.values():
        section = document.new_section(orientation=orientation)
        section.add(InfoLine(f"部门：{name}", "2024年度", "单位：万元"),
                    Table([Column(1)], body=[[Cell("甲")]]))
    write_pdf(document, tmp_path / "info.pdf", workers=1)
    with pdfplumber.open(tmp_path / "info.pdf") as pdf:
        for page, name in zip(pdf.pages, names.values()):
            words = [w for w in page.extract_words() if w["top"] < page.height / 2]
            text = "".join(w["text"] for w in words)
            margin = 26 if orientation == "portrait" else 20
            assert max(w["x1"] for w in words) <= page.width - margin / 25.4 * 72 + 1, text
            assert "2024年度" in text and "单位：万元" in text
            lines = {round(w["top"]) for w in words if w["text"] != "甲"}
            if len(name) < 30:
                assert f"部门：{name}" in text and len(lines) == 1, text  # one line
            else:
                assert text.count("某") == len(name) and len(lines) > 1, text  # wrapped, not cut
        # The short name's middle part is centred under the text area.
        year = next(w for w in pdf.pages[0].extract_words() if "2024年度" in w["text"])
        left = 28 if orientation == "portrait" else 20
        right = 26 if orientation == "portrait" else 20
        centre = (left + (pdf.pages[0].width / 72 * 25.4 - right)) / 2 / 25.4 * 72
        assert abs((year["x0"] + year["x1"]) / 2 - centre) < 3
