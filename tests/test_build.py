"""`disclose build` end to end: every example rendered to PDF and Word, then read back.

This is also CI's rendering of the sample reports: the module builds all examples once
(`-j 2`, as a user would) and the tests inspect the files. Figures expected in the
outputs are taken from the published transcriptions (tests/truth) or from the data
files themselves, never from the code under test.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from decimal import Decimal
from pathlib import Path

import docx
import pytest
import yaml
from pypdf import PdfReader
from tests.support import TRUTH
from tests.support.cli import disclose
from tests.support.processes import running_with

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
DOCS = {
    "nanyang-hr-2024.yaml": ("南阳高新技术产业开发区组织人力资源社会保障局-2024", "000"),
    "jiaozuo-hr-2024.yaml": ("焦作高新技术产业开发区人力资源和社会保障局-2024", "001"),
    "nanyang-miit-2024.yaml": ("南阳市工业和信息化局-2024", "003"),
    "sample-2024.yaml": ("示例市工业和信息化局-2024", None),
}
PARTS = ["第一部分", "第二部分", "第三部分", "第四部分", "第五部分"]
TABLE_TITLES = [
    "收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表", "一般公共预算财政拨款支出决算表",
    "一般公共预算财政拨款基本支出决算明细表", "政府性基金预算财政拨款收入支出决算表", "国有资本经营预算财政拨款支出决算表",
]
SECTIONS = ["一、收入支出决算总体情况说明", "五、一般公共预算财政拨款支出决算情况说明", "十、机关运行经费支出情况说明", "十三、预算绩效情况说明"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build")
    result = disclose("build", *(str(EXAMPLES / name) for name in DOCS), "-o", str(out), "-j", "2", "--accept-errors")
    assert result.returncode == 0, result.stdout + result.stderr
    (out / "stdout.txt").write_text(result.stdout, encoding="utf-8")
    return out


@pytest.mark.slow
def test_parallel_build_reports_in_the_order_given(built):
    # The workers take the largest input first (nanyang-miit), not the first given.
    reported = [line.split(" → ")[0] for line in (built / "stdout.txt").read_text(encoding="utf-8").splitlines() if " → " in line]
    assert reported == [str(EXAMPLES / name) for name in DOCS]
    assert all((built / f"{stem}.pdf").is_file() and (built / f"{stem}.docx").is_file() for stem, _ in DOCS.values())


def pdf_text(path: Path) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(path)
    return reader, [re.sub(r"\s+", "", page.extract_text() or "") for page in reader.pages]


def appendix_landscape_pages(reader: PdfReader, pages: list[str]) -> list[str]:
    """The text of the landscape pages from 第五部分 on: the appendix forms."""
    appendix = next(i for i, text in enumerate(pages) if re.sub(r"^—\d+—", "", text).startswith("第五部分"))
    return [text for page, text in zip(reader.pages[appendix:], pages[appendix:]) if page.mediabox.width > page.mediabox.height]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(DOCS))
def test_pdf_has_every_part_table_and_section(built, name):
    stem, _ = DOCS[name]
    reader, pages = pdf_text(built / f"{stem}.pdf")
    text = "".join(pages)
    assert len(reader.pages) >= 20
    for heading in PARTS + TABLE_TITLES + SECTIONS + ["目录", "名词解释"]:
        assert heading in text, heading
    assert "\ufffd" not in text
    # 目录 page numbers match where the headings are: the 目录 line of 第三部分 names its page.
    toc = next(p for p in pages if "目录" in p[:10])
    m = re.search(r"第三部分\s*\d{4}年度部门决算情况说明[\s.…·]*(\d+)", toc)
    assert m, toc[:300]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(DOCS))
def test_pdf_fonts_are_embedded_cjk_subsets(built, name):
    stem, _ = DOCS[name]
    out = subprocess.run(["pdffonts", str(built / f"{stem}.pdf")], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows
    names = [r[0] for r in rows]
    assert any("CJK" in n for n in names), names
    for row in rows:
        assert re.match(r"^[A-Z]{6}\+", row[0]), row  # subset
        assert "yes" in row[-5:-3], row  # emb column


@pytest.mark.slow
def test_pdf_landscape_pages_hold_the_wide_tables(built):
    stem, _ = DOCS["sample-2024.yaml"]
    reader, pages = pdf_text(built / f"{stem}.pdf")
    wide = [i for i, page in enumerate(reader.pages) if page.mediabox.width > page.mediabox.height]
    assert wide, "no landscape page"
    wide_text = "".join(pages[i] for i in wide)
    assert "财政拨款收入支出决算总表" in wide_text  # 公开04表 is 9 columns wide
    portrait = [i for i in range(len(pages)) if i not in wide]
    assert any("情况说明" in pages[i] for i in portrait)


def _published_t01(doc_id: str) -> list[str]:
    truth = yaml.safe_load((TRUTH / f"{doc_id}.yaml").read_text(encoding="utf-8"))
    rows = truth["tables"]["t01"]["income"] + truth["tables"]["t01"]["expenditure"]
    return [f"{Decimal(str(r['amount'])):,.2f}" for r in rows if r.get("amount")]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(DOCS))
def test_pdf_table_info_lines_keep_the_department_name_whole(built, name):
    # 部门：… | 2024年度 | 单位：万元 above each table, on one line, even for a 22-character
    # name on a portrait page (it used to wrap in a third of the line's width).
    stem, _ = DOCS[name]
    department = stem.rsplit("-", 1)[0]
    lines = [line for page in PdfReader(built / f"{stem}.pdf").pages for line in (page.extract_text() or "").splitlines()]
    info = [line for line in lines if "单位：万元" in line and "年度" in line]
    assert len(info) >= 8
    assert all(re.sub(r"\s+", "", line).startswith(f"部门：{department}") for line in info), info


@pytest.mark.slow
@pytest.mark.parametrize("name", ["nanyang-hr-2024.yaml", "nanyang-miit-2024.yaml", "sample-2024.yaml"])
def test_pdf_each_project_form_fits_its_page(built, name):
    # The NY 项目支出绩效自评情况表 of the examples (5 to 21 per document, up to 30-odd
    # rows with wrapped cells) each fit one landscape page: no form leaves its last rows,
    # or its 总分 alone, on a page of their own.
    stem, _ = DOCS[name]
    forms = appendix_landscape_pages(*pdf_text(built / f"{stem}.pdf"))
    assert len(forms) >= 5
    assert all("项目支出绩效自评情况表" in text and "总分" in text for text in forms), [t[:40] for t in forms]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["nanyang-hr-2024.yaml", "nanyang-miit-2024.yaml"])
def test_pdf_prints_the_published_summary_table(built, name):
    stem, doc_id = DOCS[name]
    _, pages = pdf_text(built / f"{stem}.pdf")
    text = "".join(pages)
    for figure in _published_t01(doc_id):
        assert figure in text, figure


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(DOCS))
def test_docx_structure(built, name):
    stem, _ = DOCS[name]
    document = docx.Document(str(built / f"{stem}.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name.lower().startswith("heading 1")]
    assert [h[:4] for h in headings] == PARTS
    level2 = [p.text for p in document.paragraphs if p.style.name.lower() == "heading 2"]
    assert any(h.startswith("十三、") for h in level2)
    titles = [p.text for p in document.paragraphs if p.style.name.startswith("表格标题")]
    for title in TABLE_TITLES:
        assert title in titles, title
    assert len(document.tables) >= 9
    for table in document.tables[:9]:
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None
    orientations = [s.orientation for s in document.sections]
    assert docx.enum.section.WD_ORIENT.LANDSCAPE in orientations
    for section in document.sections:
        short, long_ = sorted((section.page_width, section.page_height))
        assert abs(short.mm - 210) < 1 and abs(long_.mm - 297) < 1  # A4, never Letter


@pytest.mark.slow
def test_docx_opens_in_libreoffice(built, tmp_path):
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice not installed")
    from tests.support.libreoffice import convert

    stem, _ = DOCS["sample-2024.yaml"]
    pdf = convert(built / f"{stem}.docx", "pdf", tmp_path)
    reader, pages = pdf_text(pdf)
    assert len(reader.pages) >= 20
    assert "收入支出决算总表" in "".join(pages)
    # Word and PDF print the same page number under the first body page (GB/T 9704: "— 1 —").
    assert folio_of_first_body_page(pdf) == folio_of_first_body_page(built / f"{stem}.pdf")
    # As in the PDF, each project form fits its landscape page.
    forms = appendix_landscape_pages(reader, pages)
    assert len(forms) == 5 and all("项目支出绩效自评情况表" in text and "总分" in text for text in forms), [t[:40] for t in forms]


@pytest.mark.slow
def test_docx_info_lines_keep_their_three_parts_on_one_line(built, tmp_path):
    # A 22-character 部门 name reaches the middle of a portrait page: Word (and LibreOffice)
    # would move 2024年度 to the right tab and 单位：万元 to a line of its own.
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice not installed")
    from tests.support.libreoffice import convert

    stem, _ = DOCS["nanyang-hr-2024.yaml"]
    lines = [line for page in PdfReader(convert(built / f"{stem}.docx", "pdf", tmp_path)).pages
             for line in (page.extract_text() or "").splitlines()]
    info = [re.sub(r"\s+", "", line) for line in lines if "部门：" in line]
    assert len(info) >= 8
    assert all(line.endswith("单位：万元") and "年度" in line for line in info), info


def folio_of_first_body_page(path: Path) -> str:
    """The last line printed on the page where 第一部分 begins: its page number."""
    page = next(p for p in PdfReader(path).pages if (p.extract_text() or "").lstrip().startswith("第一部分"))
    return re.sub(r"\s+", " ", (page.extract_text() or "").strip().splitlines()[-1]).strip()


def test_data_with_errors_is_not_built(tmp_path):
    result = disclose("build", str(EXAMPLES / "jiaozuo-hr-2024.yaml"), "-o", str(tmp_path), "--format", "docx")
    assert result.returncode == 1
    assert "未生成" in result.stdout and "R02" in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_accept_errors_builds_and_says_so_loudly(tmp_path):
    result = disclose("build", str(EXAMPLES / "jiaozuo-hr-2024.yaml"), "-o", str(tmp_path), "--format", "docx", "--accept-errors")
    assert result.returncode == 0
    assert "--accept-errors" in result.stderr and "R02" in result.stderr
    assert [p.suffix for p in tmp_path.iterdir()] == [".docx"]


def test_failed_build_leaves_the_previous_output_alone(tmp_path):
    target = tmp_path / "示例市工业和信息化局-2024.docx"
    target.write_bytes(b"previous good file")
    result = disclose("build", str(EXAMPLES / "sample-2024.yaml"), "-o", str(tmp_path), "--format", "docx", "--layout", "no-such-layout")
    assert result.returncode == 2
    assert "no-such-layout" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert target.read_bytes() == b"previous good file"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_two_inputs_of_one_department_and_year_do_not_overwrite_each_other(tmp_path):
    # Two files with the same department and year would write the same documents; in a
    # parallel build either may get there first, and the other is refused, naming it.
    inputs = []
    for name in ("a.yaml", "b.yaml"):
        shutil.copy(EXAMPLES / "sample-2024.yaml", tmp_path / name)
        inputs.append(str(tmp_path / name))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    for jobs in ("1", "2"):
        out = tmp_path / f"out-j{jobs}"
        result = disclose("build", *inputs, "-o", str(out), "--format", "docx", "-j", jobs, env={"TMPDIR": str(scratch)})
        assert result.returncode == 2, result.stdout + result.stderr
        built = [line.split(" → ")[0] for line in result.stdout.splitlines() if " → " in line]
        refused = [line for line in result.stdout.splitlines() if "写入同一文件" in line]
        assert len(built) == 1 and len(refused) == 1, result.stdout
        assert refused[0].startswith(f"{({*inputs} - {*built}).pop()}：与 {built[0]} 写入同一文件 示例市工业和信息化局-2024.docx")
        assert [p.name for p in out.iterdir()] == ["示例市工业和信息化局-2024.docx"]
        assert "Traceback" not in result.stderr
    assert list(scratch.iterdir()) == [], "the batch's claims are removed at its end"


def test_a_department_name_too_long_for_a_file_name_is_cut_to_fit(tmp_path):
    # 100 Chinese characters are 300 bytes in UTF-8; a file name may have 255.
    department = "很长的部门名称之一二三" * 10
    text = (EXAMPLES / "sample-2024.yaml").read_text(encoding="utf-8")
    source = tmp_path / "long.yaml"
    source.write_text(re.sub(r"(?m)^(\s*department:).*$", rf"\1 {department}", text, count=1), encoding="utf-8")
    out = tmp_path / "out"
    result = disclose("build", str(source), "-o", str(out), "--format", "docx,json")
    assert result.returncode == 0, result.stdout + result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert [Path(n).suffix for n in names] == [".docx", ".json"], names
    for name in names:
        assert len(name.encode("utf-8")) <= 255
        stem = Path(name).stem
        assert stem.endswith("-2024") and department.startswith(stem[: -len("-2024")]) and len(stem) > 40
    assert department in "".join(p.text for p in docx.Document(str(out / names[0])).paragraphs), "the document itself keeps the whole name"


def department_copies(folder: Path, n: int) -> list[str]:
    """``n`` copies of the sample, each a department of its own (its own output files)."""
    text = (EXAMPLES / "sample-2024.yaml").read_text(encoding="utf-8")
    copies = []
    for i in range(n):
        copy = folder / f"dept{i}.yaml"
        copy.write_text(re.sub(r"(department: *)(.+)", rf"\g<1>\g<2>{i}", text, count=1), encoding="utf-8")
        copies.append(str(copy))
    return copies


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_stops_the_build_and_leaves_only_whole_files(tmp_path, jobs):
    # Ctrl-C from a terminal reaches the whole process group: the command, its workers,
    # their PDF processes and those processes' chunk children.
    inputs = department_copies(tmp_path, 6)
    out = tmp_path / "out"
    out.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "disclose", "build", *inputs, "-o", str(out), "-j", jobs],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    while not any(out.iterdir()) and process.poll() is None:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 2
    assert "已取消" in stderr and "Traceback" not in stderr, stderr
    assert running_with(str(out)) == [], "no process of the build outlives it"
    written = sorted(out.iterdir())
    assert all(not p.name.startswith(".") for p in written), "no temporary file is left"
    assert len(written) < 2 * len(inputs), "the inputs not started are not built"
    for path in written:
        if path.suffix == ".pdf":
            assert len(PdfReader(path).pages) > 20
        else:
            assert docx.Document(str(path)).tables
    time.sleep(1)
    assert sorted(out.iterdir()) == written, "nothing is written after the command has ended"


@pytest.mark.parametrize(("jobs", "inputs"), [("1", 2), ("2", 1)])
def test_jobs_bound_the_processes_at_work(tmp_path, jobs, inputs):
    # -j 1 is one process at work at a time, as with make -j 1: the Word file is written
    # once the PDF is finished. A single input with two processes to use has its Word
    # file written while its PDF is rendered (the file times tell the order).
    out = tmp_path / "out"
    result = disclose("build", *department_copies(tmp_path, inputs), "-o", str(out), "-j", jobs)
    assert result.returncode == 0, result.stdout + result.stderr
    pdfs, docxs = sorted(out.glob("*.pdf")), sorted(out.glob("*.docx"))
    assert len(pdfs) == len(docxs) == inputs
    for pdf, word in zip(pdfs, docxs):
        assert (word.stat().st_mtime_ns > pdf.stat().st_mtime_ns) == (jobs == "1"), (jobs, word, pdf)
    if jobs == "1":
        # and the second input is begun only once the first is done
        assert min(p.stat().st_mtime_ns for p in (pdfs[1], docxs[1])) > docxs[0].stat().st_mtime_ns or \
            min(p.stat().st_mtime_ns for p in (pdfs[0], docxs[0])) > docxs[1].stat().st_mtime_ns


def test_a_ctrl_c_lost_in_a_del_still_stops_the_build():
    # Python prints and drops an exception raised in __del__, the KeyboardInterrupt of a
    # Ctrl-C that lands there included; check_ctrl_c, called between documents, still
    # sees that it came. (In a child: the handler is the process's own.)
    script = textwrap.dedent(
        """
        import os, signal
        from disclose.forking import check_ctrl_c, take_ctrl_c
        take_ctrl_c()
        class Swallows:
            def __del__(self):
                os.kill(os.getpid(), signal.SIGINT)
                for _ in range(10000):
                    pass
        Swallows()
        print("went on")
        try:
            check_ctrl_c()
        except KeyboardInterrupt:
            print("stopped")
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["went", "on", "stopped"], result.stdout + result.stderr
    assert "KeyboardInterrupt" in result.stderr, "the first one was lost in __del__"


def test_a_ctrl_c_while_disclose_is_loading_ends_it_quietly():
    # The first half second of a run is spent importing; a Ctrl-C then used to end in a
    # traceback from the import machinery. Here it lands while disclose.cli imports click.
    script = textwrap.dedent(
        """
        import importlib.abc, os, signal, sys
        # As in a terminal: a process started in the background of a script inherits
        # SIGINT ignored, and Python then installs no handler of its own.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        class CtrlC(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path, target=None):
                if name == "click":
                    os.kill(os.getpid(), signal.SIGINT)
                return None
        sys.meta_path.insert(0, CtrlC())
        sys.argv = ["disclose", "build", "--help"]
        from disclose.entry import run
        run()
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.strip() == "已取消。" and result.stdout == ""
    # and it is what the disclose command and python -m disclose run
    assert 'disclose = "disclose.entry:run"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "from disclose.entry import run" in (ROOT / "src" / "disclose" / "__main__.py").read_text(encoding="utf-8")


def test_modules_load_out_of_the_collectors_way_and_leave_it_as_it_was():
    # What a build loads is frozen (about a tenth of a Word build is saved), and the
    # collector is back on after, except in a process that had it off (a PDF process).
    script = textwrap.dedent(
        """
        import gc
        from disclose.pipeline import preload
        before = gc.get_freeze_count()
        preload(("docx",))
        print(before, gc.isenabled(), gc.get_freeze_count())
        gc.disable()
        preload(("pdf",))
        print(gc.isenabled(), gc.get_freeze_count())
        gc.enable()
        frozen = gc.get_freeze_count()
        preload(("pdf", "docx"))  # loaded already: nothing made since is frozen
        print(gc.get_freeze_count() - frozen)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    first, second, third = (line.split() for line in result.stdout.splitlines())
    assert first[0] == "0" and first[1] == "True" and int(first[2]) > 50_000
    assert second[0] == "False" and int(second[1]) > int(first[2]) + 50_000  # WeasyPrint's too
    assert third == ["0"]


def test_an_input_given_twice_is_built_once(tmp_path):
    sample = EXAMPLES / "sample-2024.yaml"
    again = sample.parent / ".." / sample.parent.name / sample.name
    result = disclose("build", str(sample), str(again), "-o", str(tmp_path), "--format", "docx")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{again} 重复给出，只生成一次" in result.stderr
    assert [line.split(" → ")[0] for line in result.stdout.splitlines() if " → " in line] == [str(sample)]


def test_unknown_format_is_a_usage_error(tmp_path):
    result = disclose("build", str(EXAMPLES / "sample-2024.yaml"), "-o", str(tmp_path), "--format", "odt")
    assert result.returncode == 2
    assert "odt" in result.stdout + result.stderr
