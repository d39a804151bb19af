"""The DOCX writer, checked on real files: python-docx read-back and the raw XML.

The sample IR is rendered once per module; a LibreOffice test converts it to PDF
and checks what a reader would see (text, landscape pages, repeated headers,
page numbers, fonts).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from disclose.document.ir import (
    Cell,
    Column,
    Document,
    Heading,
    InfoLine,
    Paragraph,
    Run,
    Table,
    TableOfContents,
)
from disclose.writers.docx import LANDSCAPE, PORTRAIT, write_docx
from tests.support.sample_ir import LONG_TABLE_ROWS, amount, build_sample_document

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


def footer_parts(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as archive:
        return {n: etree.fromstring(archive.read(n)) for n in archive.namelist() if re.match(r"word/footer\d+\.xml", n)}


def style(styles: etree._Element, style_id: str) -> etree._Element:
    found = styles.find(f"w:style[@w:styleId='{style_id}']", NS)
    assert found is not None, f"style {style_id} missing"
    return found


@pytest.fixture(scope="module")
def ir() -> Document:
    return build_sample_document()


@pytest.fixture(scope="module")
def rendered(ir, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("docx") / "sample.docx"
    info = write_docx(ir, path)
    assert info.path == path and info.size == path.stat().st_size
    return path


@pytest.fixture(scope="module")
def word(rendered):
    return docx.Document(str(rendered))


@pytest.fixture(scope="module")
def body(rendered) -> etree._Element:
    return part(rendered, "word/document.xml").find("w:body", NS)


@pytest.fixture(scope="module")
def styles(rendered) -> etree._Element:
    return part(rendered, "word/styles.xml")


def ir_tables(ir: Document) -> list[Table]:
    return [b for s in ir.sections for b in s.blocks if isinstance(b, Table)]


# ----------------------------------------------------------------------- pages


def test_one_word_section_per_ir_section_all_a4(ir, word):
    assert len(word.sections) == len(ir.sections)
    for section in word.sections:
        size = {section.page_width.twips, section.page_height.twips}
        assert size == {11906, 16838}, "A4 (not python-docx's Letter default)"


def test_orientations_follow_the_ir_with_swapped_dimensions(ir, word, body):
    expected = [s.orientation for s in ir.sections]
    assert expected.count("landscape") == 2
    got = []
    for section in word.sections:
        width, height = section.page_width.twips, section.page_height.twips
        got.append("landscape" if width > height else "portrait")
        assert (section.orientation == docx.enum.section.WD_ORIENT.LANDSCAPE) == (width > height)
    assert got == expected
    for sect in body.iter(w("sectPr")):
        assert sect.find("w:type", NS).get(w("val")) == "nextPage"


def test_page_numbers_only_from_the_first_body_section_and_restarting_at_one(ir, rendered, word, body):
    kinds = [s.kind for s in ir.sections]
    assert kinds[:3] == ["cover", "toc", "body"]
    sects = list(body.iter(w("sectPr")))
    assert len(sects) == len(ir.sections)
    # Cover and 目录 have no footer at all; the first body section brings one,
    # which every later section inherits (linked to previous).
    linked = [s.footer.is_linked_to_previous for s in word.sections]
    assert linked == [True, True, False] + [True] * (len(kinds) - 3)
    restarts = [s.find("w:pgNumType", NS) is not None for s in sects]
    assert restarts == [False, False, True] + [False] * (len(kinds) - 3)
    assert sects[2].find("w:pgNumType", NS).get(w("start")) == "1"
    footers = footer_parts(rendered)
    assert len(footers) == 1
    (footer,) = footers.values()
    assert [t.text.strip() for t in footer.iter(w("instrText"))] == ["PAGE"]
    assert word.sections[2].footer.paragraphs[0].style.name == "Footer"


# ---------------------------------------------------------------------- styles


def test_headings_use_heading_styles_with_outline_levels(ir, word, styles):
    headings = ir.headings()
    by_text = {p.text: p.style.name for p in word.paragraphs}
    for heading in headings:
        assert by_text[heading.text] == f"Heading {heading.level}"
    for level in range(1, 5):
        definition = style(styles, f"Heading{level}")
        assert definition.find("w:name", NS).get(w("val")) == f"heading {level}"
        assert definition.find("w:pPr/w:outlineLvl", NS).get(w("val")) == str(level - 1)
        color = definition.find("w:rPr/w:color", NS)
        assert color.get(w("val")) == "000000" and color.get(w("themeColor")) is None


def test_paragraph_roles_map_to_styles(word):
    style_of = {p.text: p.style.name for p in word.paragraphs}
    assert style_of["示例部门部门决算"] == "封面标题"
    assert style_of["二〇二五年九月"] == "封面副标题"
    assert style_of["收入决算表"] == "表格标题"
    assert style_of["公开02表"] == "右对齐"
    assert style_of["示例部门内设机构3个，包括：办公室、财务科、业务科。"] == "正文段落"
    assert style_of["部门：示例部门\t2024年度\t单位：万元"] == "表格信息行"
    assert next(p for p in word.paragraphs if p.text.startswith("注：")).style.name == "表注"


def test_bold_runs(word):
    paragraph = next(p for p in word.paragraphs if p.text.startswith("1. 因公出国"))
    assert [(r.text, bool(r.bold)) for r in paragraph.runs] == [
        ("1. 因公出国（境）费", True),
        (" 预算为0万元，支出决算为0万元，完成预算的0%。", False),
    ]


def test_east_asian_fonts_without_theme_overrides(styles):
    assert not [
        (f.getparent().getparent().get(w("styleId")), f.attrib)
        for f in styles.iter(w("rFonts"))
        if any(k.endswith("Theme") or k.endswith("theme") for k in f.attrib)
    ]
    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    fonts = defaults.find("w:rFonts", NS)
    assert fonts.get(w("eastAsia")) == "仿宋"
    assert fonts.get(w("ascii")) == fonts.get(w("hAnsi")) == "Times New Roman"
    assert defaults.find("w:lang", NS).get(w("eastAsia")) == "zh-CN"
    expected = {
        "Normal": "仿宋",
        "Heading1": "黑体",
        "Heading2": "黑体",
        "Heading3": "楷体",
        "Heading4": "仿宋",
        "TableText": "宋体",
        "Footer": "宋体",
    }
    for style_id, east_asia in expected.items():
        rfonts = style(styles, style_id).find("w:rPr/w:rFonts", NS)
        assert rfonts.get(w("eastAsia")) == east_asia, style_id
        assert rfonts.get(w("ascii")) == "Times New Roman", style_id


def test_normal_style_has_no_cjk_latin_autospace(styles):
    ppr = style(styles, "Normal").find("w:pPr", NS)
    assert ppr.find("w:autoSpaceDE", NS).get(w("val")) == "0"
    assert ppr.find("w:autoSpaceDN", NS).get(w("val")) == "0"


def test_gb2312_font_switch(ir, tmp_path):
    path = tmp_path / "gb2312.docx"
    write_docx(ir, path, fonts="gb2312")
    styles = part(path, "word/styles.xml")
    assert styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS).get(w("eastAsia")) == "仿宋_GB2312"
    assert style(styles, "Heading3").find("w:rPr/w:rFonts", NS).get(w("eastAsia")) == "楷体_GB2312"
    assert style(styles, "Heading1").find("w:rPr/w:rFonts", NS).get(w("eastAsia")) == "黑体"
    with pytest.raises(ValueError, match="fonts"):
        write_docx(ir, tmp_path / "bad.docx", fonts="mac")  # type: ignore[arg-type]


# ---------------------------------------------------------------------- tables


def test_every_table_with_its_rows_and_grid(ir, word, body):
    tables = ir_tables(ir)
    assert len(word.tables) == len(tables) == 3
    xml_tables = body.findall("w:tbl", NS)
    sections = [s for s in ir.sections for b in s.blocks if isinstance(b, Table)]
    for table, got, tbl, section in zip(tables, word.tables, xml_tables, sections):
        assert len(got.rows) == len(table.header) + len(table.body), table.name
        grid = [int(c.get(w("w"))) for c in tbl.findall("w:tblGrid/w:gridCol", NS)]
        assert len(grid) == table.grid_width(), table.name
        page = LANDSCAPE if section.orientation == "landscape" else PORTRAIT
        assert sum(grid) == page.text_width, "scaled to the text width"
        share = [c.width / sum(c.width for c in table.columns) for c in table.columns]
        assert all(abs(g / sum(grid) - s) < 0.001 for g, s in zip(grid, share))
        # Each cell's width equals the grid columns it spans (LibreOffice reads the
        # grid, Word the cells).
        for tr in tbl.findall("w:tr", NS):
            col = 0
            for tc in tr.findall("w:tc", NS):
                span_el = tc.find("w:tcPr/w:gridSpan", NS)
                span = int(span_el.get(w("val"))) if span_el is not None else 1
                assert int(tc.find("w:tcPr/w:tcW", NS).get(w("w"))) == sum(grid[col:col + span])
                col += span
            assert col == len(grid)


def test_only_ir_header_rows_repeat_and_no_row_splits(ir, body):
    for table, tbl in zip(ir_tables(ir), body.findall("w:tbl", NS)):
        rows = tbl.findall("w:tr", NS)
        marked = [tr.find("w:trPr/w:tblHeader", NS) is not None for tr in rows]
        assert marked == [True] * len(table.header) + [False] * len(table.body), table.name
        assert all(tr.find("w:trPr/w:cantSplit", NS) is not None for tr in rows)


def expected_merges(table: Table) -> tuple[int, int, int]:
    """(w:gridSpan, vMerge restart, vMerge continue) counts implied by the IR spans."""
    cells = [c for row in table.header + table.body for c in row]
    grid_spans = sum(c.rowspan for c in cells if c.colspan > 1)  # continue cells keep the span
    restarts = sum(1 for c in cells if c.rowspan > 1)
    continues = sum(c.rowspan - 1 for c in cells)
    return grid_spans, restarts, continues


def merges(tbl: etree._Element) -> tuple[int, int, int]:
    spans = [e for e in tbl.iter(w("gridSpan")) if int(e.get(w("val"))) > 1]
    vmerge = [e.get(w("val"), "continue") for e in tbl.iter(w("vMerge"))]
    return len(spans), vmerge.count("restart"), vmerge.count("continue")


def test_merged_cells_match_the_ir_spans(ir, body):
    tables = ir_tables(ir)
    got = {t.name: merges(tbl) for t, tbl in zip(tables, body.findall("w:tbl", NS))}
    assert got == {t.name: expected_merges(t) for t in tables}
    # The sample's spans, spelled out: 公开02表 has 项目 over two columns and three
    # two-row headers; 公开09表 two six-column groups, two three-column groups and
    # six two-row headers; the form spans in its body.
    assert got == {"公开02表": (1, 3, 3), "公开09表": (4, 6, 6), "自评表": (3, 2, 3)}


def test_merged_cells_read_back_in_place(word):
    income, three, form = word.tables
    assert [c.text for c in income.rows[0].cells] == ["项目", "项目", "本年收入合计", "财政拨款收入", "其他收入"]
    assert [c.text for c in income.rows[1].cells] == ["功能分类科目编码", "科目名称", "本年收入合计", "财政拨款收入", "其他收入"]
    assert [c.text for c in income.rows[-1].cells][1:3] == [f"示例科目名称第{LONG_TABLE_ROWS}项", amount(LONG_TABLE_ROWS + 1)]
    assert [c.text for c in three.rows[2].cells][:6] == ["合计", "因公出国（境）费", "小计", "公务用车购置费", "公务用车运行维护费", "公务接待费"]
    assert [c.text for c in form.rows[3].cells][:3] == ["产出指标", "数量指标", "覆盖率"]
    assert [c.text for c in form.rows[4].cells][:3] == ["产出指标", "时效指标", "完成时间"]


def test_table_cells_carry_styles_not_direct_formatting(body):
    styles_used = set()
    for tbl in body.iter(w("tbl")):
        for p in tbl.iter(w("p")):
            styles_used.add(p.find("w:pPr/w:pStyle", NS).get(w("val")))
            assert p.find("w:pPr/w:jc", NS) is None
            for r in p.iter(w("r")):
                assert r.find("w:rPr", NS) is None
    assert styles_used == {
        "TableHeader", "TableText", "TableNumber", "TableCenter",  # normal size
        "TableTextSmall", "TableCenterSmall",  # the form: small, no header rows
    }


def test_cell_alignment_from_column_and_cell(word):
    income = word.tables[0]
    total = income.rows[3]  # the 合计 row: centred label, right-aligned numbers
    assert [c.paragraphs[0].style.name for c in total.cells] == ["表格正文", "表格居中", "表格数字", "表格数字", "表格数字"]
    assert income.rows[0].cells[0].paragraphs[0].style.name == "表头"


# ----------------------------------------------------------------- TOC, fields


def test_toc_field_and_update_on_open(rendered, body):
    instructions = [t.text.strip() for t in body.iter(w("instrText"))]
    assert instructions == ['TOC \\o "1-2" \\h \\z \\u']
    settings = part(rendered, "word/settings.xml")
    assert settings.find("w:updateFields", NS).get(w("val")) == "true"
    # Schema order: updateFields must come before w:compat.
    tags = [etree.QName(e).localname for e in settings]
    assert tags.index("updateFields") < tags.index("compat")


def test_toc_prefilled_with_page_numbers(ir, tmp_path):
    pages = {h.text: 10 + i for i, h in enumerate(ir.headings())}
    path = tmp_path / "toc.docx"
    info = write_docx(ir, path, toc_pages=pages)
    assert info.toc_prefilled and info.toc_entries == 9
    word = docx.Document(str(path))
    entries = [p for p in word.paragraphs if p.style.name in ("toc 1", "toc 2")]
    listed = [h for h in ir.headings() if h.toc and h.level <= 2]
    assert [p.text for p in entries] == [f"{h.text}\t{pages[h.text]}" for h in listed]
    assert [p.style.name for p in entries] == [f"toc {h.level}" for h in listed]
    body = part(path, "word/document.xml")
    anchors = [h.get(w("anchor")) for h in body.iter(w("hyperlink"))]
    bookmarks = {b.get(w("name")) for b in body.iter(w("bookmarkStart"))}
    assert len(anchors) == len(listed) and set(anchors) == bookmarks
    pagerefs = [t.text.strip() for t in body.iter(w("instrText")) if "PAGEREF" in t.text]
    assert pagerefs == [f"PAGEREF {a} \\h" for a in anchors]


# ----------------------------------------------------------- escaping, safety


TRICKY = 'A < B & C > D "双引号" \'单引号\' &amp; <w:t>'


def tricky_document() -> Document:
    doc = Document(title=TRICKY, author="测试 & <作者>")
    doc.new_section(kind="toc").add(TableOfContents())
    doc.new_section().add(
        Heading("一、" + TRICKY, 2),
        Heading("不入目录的 <标题>", 2, toc=False),
        Paragraph([Run(TRICKY, bold=True), Run("  前后空格  ")]),
        InfoLine("部门：<甲&乙>", '"2024"', "单位：万元"),
        Table(columns=[Column(1), Column(1, "right")], header=[[Cell("<项目>"), Cell("&金额")]], body=[[Cell(TRICKY), Cell("1,000.00")]]),
    )
    return doc


def test_text_is_escaped_and_round_trips(tmp_path):
    path = tmp_path / "tricky.docx"
    write_docx(tricky_document(), path, toc_pages={"一、" + TRICKY: 1})
    word = docx.Document(str(path))
    texts = [p.text for p in word.paragraphs]
    assert "一、" + TRICKY in texts
    assert TRICKY + "  前后空格  " in texts
    assert "部门：<甲&乙>\t\"2024\"\t单位：万元" in texts
    assert f"一、{TRICKY}\t1" in texts  # the TOC entry
    assert [c.text for c in word.tables[0].rows[1].cells] == [TRICKY, "1,000.00"]
    assert [c.text for c in word.tables[0].rows[0].cells] == ["<项目>", "&金额"]
    assert word.core_properties.title == TRICKY
    assert word.core_properties.author == "测试 & <作者>"


def test_heading_out_of_toc_keeps_its_look_but_not_its_outline_level(tmp_path):
    path = tmp_path / "tricky.docx"
    write_docx(tricky_document(), path)
    word = docx.Document(str(path))
    paragraph = next(p for p in word.paragraphs if p.text == "不入目录的 <标题>")
    assert paragraph.style.base_style.name == "Heading 2"
    definition = style(part(path, "word/styles.xml"), "Heading2NoToc")
    assert definition.find("w:pPr/w:outlineLvl", NS).get(w("val")) == "9"


def test_invalid_characters_fail_and_leave_no_partial_file(tmp_path):
    target = tmp_path / "out.docx"
    target.write_bytes(b"previous")
    doc = Document(title="x")
    doc.new_section().add(Paragraph.of("bad \x01 char"))
    with pytest.raises(ValueError, match="character"):
        write_docx(doc, target)
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.docx"]


def test_malformed_rows_are_reported(tmp_path):
    doc = Document(title="x")
    doc.new_section().add(Table(columns=[Column(1)], body=[[Cell("a"), Cell("b")]], name="窄表"))
    with pytest.raises(ValueError, match="窄表"):
        write_docx(doc, tmp_path / "out.docx")


def test_atomic_write_replaces_and_leaves_no_temp_files(ir, tmp_path):
    target = tmp_path / "sub" / "doc.docx"
    write_docx(ir, target)
    first = target.read_bytes()
    write_docx(ir, target)
    assert zipfile.is_zipfile(target) and len(first) > 10_000
    assert [p.name for p in target.parent.iterdir()] == ["doc.docx"]
    # The mode follows the umask like any new file (not a temp file's 0600).
    plain = target.parent / "plain"
    plain.write_bytes(b"")
    assert target.stat().st_mode == plain.stat().st_mode


def test_empty_sections_still_make_a4_pages(tmp_path):
    doc = Document(title="空")
    doc.new_section(kind="cover")
    doc.new_section(orientation="landscape")
    path = tmp_path / "empty.docx"
    write_docx(doc, path)
    word = docx.Document(str(path))
    assert [(s.page_width.twips, s.page_height.twips) for s in word.sections] == [(11906, 16838), (16838, 11906)]
    assert write_docx(Document(title="无节"), path).sections == 0
    assert [s.page_width.twips for s in docx.Document(str(path)).sections] == [11906]


def test_adjacent_tables_stay_apart(tmp_path):
    doc = Document(title="两表")
    one = Table(columns=[Column(1)], body=[[Cell("甲")]])
    two = Table(columns=[Column(1), Column(1)], body=[[Cell("乙"), Cell("丙")]])
    doc.new_section().add(one, two)
    path = tmp_path / "two.docx"
    write_docx(doc, path)
    children = [etree.QName(e).localname for e in part(path, "word/document.xml").find("w:body", NS)]
    assert children == ["tbl", "p", "tbl", "p", "sectPr"]


def test_no_template_leftovers(rendered):
    # python-docx's template brings a preview of its own sample page, a Word 2010 copy of
    # its 160 styles, a bibliography item and list numbering: none belongs in a report.
    with zipfile.ZipFile(rendered) as archive:
        names = archive.namelist()
    assert not [n for n in names if re.search(r"thumbnail|stylesWithEffects|customXml|numbering", n)], names


def test_every_style_the_document_names_is_defined(rendered, styles):
    defined = {s.get(w("styleId")) for s in styles.iterfind("w:style", NS)}
    named = set()
    with zipfile.ZipFile(rendered) as archive:
        for name in archive.namelist():
            if re.fullmatch(r"word/[^/]+\.xml", name):
                root = etree.fromstring(archive.read(name))
                for tag in ("pStyle", "rStyle", "tblStyle", "basedOn", "next", "link"):
                    named |= {e.get(w("val")) for e in root.iter(w(tag))}
    assert named and not named - defined, sorted(named - defined)


def test_base_package_is_what_its_script_makes(tmp_path):
    # base.docx is committed; scripts/make_docx_base.py is its recipe. The parts are
    # compared, not the archives (python-docx stamps each entry with the time).
    from disclose.writers.docx import BASE

    made = tmp_path / "base.docx"
    script = Path(__file__).resolve().parents[1] / "scripts" / "make_docx_base.py"
    subprocess.run([sys.executable, str(script), "--out", str(made)], check=True, timeout=120)
    with zipfile.ZipFile(BASE) as committed, zipfile.ZipFile(made) as fresh:
        assert sorted(committed.namelist()) == sorted(fresh.namelist())
        for name in committed.namelist():
            assert committed.read(name) == fresh.read(name), name


# ------------------------------------------------------------------ LibreOffice


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_renders_the_document(ir, rendered, tmp_path):
    from pypdf import PdfReader

    from tests.support.libreoffice import convert

    pdf = convert(rendered, "pdf", tmp_path)
    reader = PdfReader(pdf)
    pages = [normalise(page.extract_text()) for page in reader.pages]
    landscape = [float(p.mediabox.width) > float(p.mediabox.height) for p in reader.pages]
    whole = "".join(pages)

    for heading in ir.headings():
        assert normalise(heading.text) in whole
    assert amount(LONG_TABLE_ROWS + 1) in whole  # the long table's last row

    # Landscape exactly where the wide tables are.
    wide = [i for i, text in enumerate(pages) if "公务用车运行维护费" in text or "项目支出绩效自评情况表" in text]
    assert wide and [i for i, flag in enumerate(landscape) if flag] == wide

    # The long table spans pages and its header row (栏次) repeats on each of them.
    table_pages = [i for i, text in enumerate(pages) if "示例科目名称" in text]
    assert len(table_pages) >= 2
    assert all("栏次" in pages[i] for i in table_pages)

    # No number on the cover and 目录; the body counts from 1.
    numbers = [re.findall(r"—(\d+)—", text) for text in pages]
    assert numbers[0] == numbers[1] == []
    assert [int(n[-1]) for n in numbers[2:]] == list(range(1, len(pages) - 1))

    # fonts.conf maps 仿宋/宋体 to Noto Serif CJK and 黑体 to Noto Sans CJK: no
    # Chinese text falls back to a Latin font.
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout if shutil.which("pdffonts") else ""
    if fonts:
        assert "NotoSerifCJK" in fonts and "NotoSansCJK" in fonts
        assert "DejaVu" not in fonts
