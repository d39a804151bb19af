"""The Excel workbook that finance clerks fill in: template, reader, round trips, bad workbooks.

* Every leaf of the input model is reachable from some cell (the declaration in
  ``disclose.readers.workbook_spec`` cannot silently fall behind the model).
* YAML → workbook (``--from``) → model gives the same model and the same document, for
  every example; a workbook saved by LibreOffice reads back the same too.
* Bad workbooks get a located Chinese message (``工作表!单元格``) and exit code 2, no traceback;
  numbers typed as text are read when unambiguous, with a 提示.
"""

from __future__ import annotations

import json
import shutil
import struct
import sys
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from disclose.findings import InputError
from disclose.model.dataset import T01_EXPENDITURE_KEYS, T01_INCOME_KEYS, T04_EXPENDITURE_KEYS, T04_INCOME_KEYS
from disclose.readers import read_input
from disclose.readers import workbook_spec as spec
from disclose.readers.excel_reader import read_workbook, read_workbook_input, text_number
from disclose.writers import xlsx

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
SAMPLE = ROOT / "examples" / "sample-2024.yaml"


# --------------------------------------------------------------------------- helpers


def run_cli(capsys, monkeypatch, *args: str) -> tuple[int, str]:
    """Run ``disclose`` in this process (as the console script does) and return (exit code, output)."""
    from disclose.cli import main

    monkeypatch.setattr(sys, "argv", ["disclose", *map(str, args)])
    monkeypatch.delenv("DISCLOSE_DEBUG", raising=False)
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def assert_input_error(code: int, out: str, *expected: str) -> None:
    assert code == 2, out
    assert "Traceback" not in out and "内部错误" not in out, out
    for part in expected:
        assert part in out, f"{part!r} not in:\n{out}"


def write_template(values: dict | None, target: Path, **kw) -> Path:
    xlsx.build_workbook(values, **kw).save(target)
    return target


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory) -> Path:
    """The clean sample department as a filled workbook (written once for the module)."""
    target = tmp_path_factory.mktemp("wb") / "sample.xlsx"
    return write_template(xlsx.values_of(read_input(SAMPLE).data), target)


@pytest.fixture(scope="module")
def sample_places(sample_book) -> dict:
    return read_workbook(sample_book)[1].places


def edit(source: Path, target: Path, change) -> Path:
    """Open a workbook as a clerk's program would, change it, save it under ``target``."""
    book = openpyxl.load_workbook(source)
    change(book)
    book.save(target)
    return target


def cell(places: dict, *path) -> str:
    return places[tuple(path)].cell


# --------------------------------------------------------------------------- the declaration


def test_every_model_leaf_is_reachable_from_a_cell():
    model = spec.model_leaf_patterns()
    cells = spec.spec_leaf_patterns()
    assert not model - cells, f"model fields with no workbook cell (add them to workbook_spec.py): {sorted(model - cells)}"
    assert not cells - model, f"workbook cells for fields the model does not have: {sorted(cells - model)}"


def test_fixed_dict_keys_each_have_a_row():
    paths = {p for s in spec.SHEETS if isinstance(s, spec.KVSheet) for p in s.paths()}
    classes = [c.code for c in spec.reference.expenditure_classes()]
    for key in T01_INCOME_KEYS:
        assert ("summary", "stated", "income", key) in paths
    for key in list(T01_EXPENDITURE_KEYS) + classes:
        assert ("summary", "stated", "expenditure", key) in paths
    for key in T04_INCOME_KEYS:
        assert ("fiscal_summary", "stated", "income", key) in paths
    for key in list(T04_EXPENDITURE_KEYS) + classes:
        assert all(("fiscal_summary", "stated", "expenditure", key, i) in paths for i in range(4))
    for key in ("vehicle_operation", "domestic_reception"):
        assert ("three_public", "usage", key) in paths


def test_every_declared_cell_resolves_to_a_model_leaf():
    for sheet in spec.SHEETS:
        if isinstance(sheet, spec.KVSheet):
            for path in sheet.paths():
                spec.resolve(path)
        else:
            for column in sheet.columns:
                if column.is_input:
                    spec.item_leaf(sheet, column)


def test_sheet_names_are_valid_and_unique():
    names = [s.name for s in spec.SHEETS] + [spec.GUIDE_SHEET, spec.LISTS_SHEET]
    assert len(names) == len(set(names))
    for name in names:
        assert 0 < len(name) <= 31 and not set(name) & set("[]:*?/\\"), name


# --------------------------------------------------------------------------- the template


@pytest.fixture(scope="module")
def empty_book(tmp_path_factory) -> Path:
    return write_template({}, tmp_path_factory.mktemp("empty") / "empty.xlsx")


def test_template_layout_for_the_clerk(empty_book):
    book = openpyxl.load_workbook(empty_book)
    assert book.sheetnames[0] == "填表说明"
    assert book.sheetnames[1:-1] == [s.name for s in spec.SHEETS]
    lists = book[spec.LISTS_SHEET]
    assert lists.sheet_state == "hidden"
    assert (lists["A1"].value, lists["B1"].value) == (spec.MARKER, spec.WORKBOOK_VERSION)
    assert book.security.lockStructure

    income = book["收入决算"]
    assert income.protection.sheet
    assert income.page_setup.orientation == "landscape" and income.page_setup.fitToWidth == 1
    assert income.print_title_rows == f"${spec.HEADER_ROW}:${spec.HEADER_ROW}"
    assert income.freeze_panes == "B5"
    assert income["A3"].value == "科目编码*"
    code, fiscal, auto = income["A5"], income["F5"], income["E5"]
    assert not code.protection.locked and code.number_format == "@"
    assert not fiscal.protection.locked and fiscal.number_format == "#,##0.00"
    assert auto.protection.locked and auto.value.startswith("=")  # derived, shown as a formula
    assert income["E4"].value.startswith("=SUMIFS(")  # 项级合计
    # Columns stay typeable below the formatted rows.
    assert not income.column_dimensions["F"].protection.locked
    # The 科目 drop-down comes from a defined name on the hidden sheet, not an inline list (255 chars).
    lists_used = {dv.formula1 for dv in income.data_validations.dataValidation if dv.type == "list"}
    assert f"={spec.SUBJECT_LIST}" in lists_used
    assert spec.SUBJECT_LIST in book.defined_names
    assert book.defined_names[spec.SUBJECT_LIST].attr_text.startswith(f"{spec.LISTS_SHEET}!$A$4:")

    profile = book["单位信息"]
    assert profile["A4"].value == "部门全称*" and not profile["B4"].protection.locked
    unit_lists = [dv.formula1 for dv in profile.data_validations.dataValidation]
    assert '"元,万元"' in unit_lists


def test_empty_template_names_the_missing_required_cells(empty_book, capsys, monkeypatch):
    code, out = run_cli(capsys, monkeypatch, "validate", empty_book)
    assert_input_error(code, out, "单位信息!B4", "缺少必填项", "department", "单位信息!B6", "单位信息!B7")


def test_template_command_writes_a_readable_workbook(tmp_path, capsys, monkeypatch):
    target = tmp_path / "新表.xlsx"
    code, out = run_cli(capsys, monkeypatch, "template", "-o", target, "--layout", "henan", "--variant", "JZ")
    assert code == 0, out
    data, _ = read_workbook(target)
    assert data["profile"] == {"layout": "henan", "variant": "JZ"}
    listed = openpyxl.load_workbook(target)["基本支出"]["A4"].value
    assert listed == spec._economic_prelisted("henan", "JZ")[0]


def test_template_refuses_to_overwrite_its_input(tmp_path, sample_book, capsys, monkeypatch):
    target = tmp_path / "in.xlsx"
    shutil.copy(sample_book, target)
    before = target.read_bytes()
    code, out = run_cli(capsys, monkeypatch, "template", "--from", target, "-o", target)
    assert code == 2 and "不会覆盖输入" in out, out
    assert target.read_bytes() == before


# --------------------------------------------------------------------------- round trips


def _document(source) -> dict:
    from disclose.document.build import build_document, layout_for
    from disclose.document.layout import requirements_for
    from disclose.rules.engine import audit
    from disclose.writers.json import document_to_dict

    profile = source.data.profile
    report = audit(source, requirements_for(profile.layout, profile.variant))
    return json.loads(json.dumps(document_to_dict(build_document(report, layout_for(report))), ensure_ascii=False, default=str)), report


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_yaml_to_workbook_to_model_is_the_same(example, tmp_path):
    original = read_input(example)
    book = write_template(xlsx.values_of(original.data), tmp_path / "book.xlsx")
    again = read_workbook_input(book)
    assert xlsx.compare_values(original.data, again.data) == []
    assert again.data == original.data
    assert again.warnings == original.warnings
    document, report = _document(original)
    document_again, report_again = _document(again)
    assert document_again == document
    assert sorted(f.message for f in report_again.findings) == sorted(f.message for f in report.findings)


def test_findings_point_at_cells(sample_book, sample_places):
    """An audit finding about a figure names the workbook cell, as YAML ones name the line."""
    source = read_workbook_input(sample_book)
    from disclose.rules.engine import audit

    assert audit(source).errors == []
    location = source.source.locate(("income", 0, "fiscal"))
    assert (location.sheet, location.cell) == ("收入决算", cell(sample_places, "income", 0, "fiscal"))
    assert location.place().endswith("收入决算!F5")


def test_cli_build_from_the_workbook_gives_the_same_document(tmp_path, capsys, monkeypatch):
    book = tmp_path / "sample.xlsx"
    code, out = run_cli(capsys, monkeypatch, "template", "--from", SAMPLE, "-o", book)
    assert code == 0, out
    code, out = run_cli(capsys, monkeypatch, "build", book, "--format", "json", "-o", tmp_path / "from-xlsx", "-j", "1")
    assert code == 0, out
    code, out = run_cli(capsys, monkeypatch, "build", SAMPLE, "--format", "json", "-o", tmp_path / "from-yaml", "-j", "1")
    assert code == 0, out
    (a,) = (tmp_path / "from-xlsx").glob("*.json")
    (b,) = (tmp_path / "from-yaml").glob("*.json")
    assert json.loads(a.read_text(encoding="utf-8")) == json.loads(b.read_text(encoding="utf-8"))


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_workbook_saved_by_libreoffice_reads_back_the_same(sample_book, tmp_path):
    from tests.support.libreoffice import convert

    source = tmp_path / "in" / "sample.xlsx"
    source.parent.mkdir()
    shutil.copy(sample_book, source)
    saved = convert(source, "xlsx", tmp_path / "out")
    original = read_input(SAMPLE)
    again = read_workbook_input(saved)
    assert xlsx.compare_values(original.data, again.data) == []
    assert again.data == original.data
    # LibreOffice computed the clerk's-view formulas: they agree with disclose's own totals.
    from disclose.model.derive import build_ledger

    ledger, _ = build_ledger(original)
    computed = openpyxl.load_workbook(saved, data_only=True)
    income = computed["收入决算"]
    assert Decimal(str(income["E4"].value)).quantize(Decimal("0.01")) == ledger.value(("t02", "合计", "total"))
    assert income["C5"].value == spec.reference.subject(original.data.income[0].code).name
    assert income["D5"].value == "项"


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_template_prints_as_readable_pages(empty_book, tmp_path):
    from pypdf import PdfReader

    from tests.support.libreoffice import convert

    pdf = convert(empty_book, "pdf", tmp_path)
    reader = PdfReader(pdf)
    first = reader.pages[0].extract_text()
    assert "填表说明" in first and "怎样填" in first
    text = "".join(page.extract_text() for page in reader.pages[:12])
    assert "收入决算表（公开02表）" in text and "科目编码" in text
    landscape = [p for p in reader.pages if p.mediabox.width > p.mediabox.height]
    assert landscape, "table sheets print on landscape pages"


# --------------------------------------------------------------------------- cell values


def test_text_in_an_amount_cell_is_located(sample_book, sample_places, tmp_path, capsys, monkeypatch):
    where = cell(sample_places, "income", 0, "fiscal")
    book = edit(sample_book, tmp_path / "bad.xlsx", lambda b: b["收入决算"].__setitem__(where, "三百万"))
    code, out = run_cli(capsys, monkeypatch, "validate", book)
    assert_input_error(code, out, f"收入决算!{where}", "income[0].fiscal", "此处应填金额", "三百万")


@pytest.mark.parametrize(
    "typed, value",
    [("１，２３４．５６", "1234.56"), (" 1 234.50 ", "1234.50"), ("1,234,567.8", "1234567.8"), ("２０００", "2000")],
)
def test_numbers_typed_as_text_are_read_and_noted(sample_book, sample_places, tmp_path, typed, value):
    where = cell(sample_places, "income", 0, "fiscal")

    def change(book):
        book["收入决算"][where] = typed
        book["收入决算"][where].number_format = "@"

    loaded = read_workbook_input(edit(sample_book, tmp_path / "text.xlsx", change))
    assert loaded.data.income[0].fiscal == Decimal(value)
    (note,) = [w for w in loaded.warnings if w.code == "xlsx-text-number"]
    assert note.level.value == "提示"
    assert note.locations[0].place().endswith(f"收入决算!{where}")
    assert typed.strip() in note.message and value in note.message


@pytest.mark.parametrize("typed", ["1.234,56", "1,23", "12元", "1e3e", "--5"])
def test_ambiguous_text_numbers_are_errors(sample_book, sample_places, tmp_path, typed, capsys, monkeypatch):
    where = cell(sample_places, "income", 0, "fiscal")
    book = edit(sample_book, tmp_path / "bad.xlsx", lambda b: b["收入决算"].__setitem__(where, typed))
    code, out = run_cli(capsys, monkeypatch, "validate", book)
    assert_input_error(code, out, f"收入决算!{where}", "应填金额")


def test_text_number_rules():
    assert text_number("１，２３４．５６") == Decimal("1234.56")
    assert text_number("￥1,000") == Decimal("1000")
    assert text_number("92.10%", percent=True) == Decimal("92.10")
    assert text_number("92.10%") is None
    assert text_number("1,2345") is None and text_number("一千") is None


def test_code_typed_as_a_number_is_normalised(sample_book, sample_places, tmp_path):
    where = cell(sample_places, "income", 0, "code")
    code = read_input(SAMPLE).data.income[0].code

    def change(book):
        book["收入决算"][where] = float(code)  # what Excel stores when the column lost its text format
        book["收入决算"][where].number_format = "General"

    loaded = read_workbook_input(edit(sample_book, tmp_path / "code.xlsx", change))
    assert loaded.data.income[0].code == code


def test_code_picked_from_the_list_keeps_only_the_code(sample_book, sample_places, tmp_path):
    where = cell(sample_places, "income", 0, "code")
    code = read_input(SAMPLE).data.income[0].code
    picked = f"{code} {spec.reference.subject(code).name}"
    loaded = read_workbook_input(edit(sample_book, tmp_path / "pick.xlsx", lambda b: b["收入决算"].__setitem__(where, picked)))
    assert loaded.data.income[0].code == code and loaded.data.income[0].name is None


def test_percent_formatted_rate_is_read_as_a_percentage(sample_book, sample_places, tmp_path):
    where = cell(sample_places, "performance", "self_evaluations", 0, "funds", "rate")

    def change(book):
        book["项目自评"][where] = 0.921
        book["项目自评"][where].number_format = "0.00%"

    loaded = read_workbook_input(edit(sample_book, tmp_path / "pct.xlsx", change))
    assert loaded.data.performance.self_evaluations[0].funds.rate == Decimal("92.10")


def test_formula_typed_into_an_input_cell_is_an_error(sample_book, sample_places, tmp_path, capsys, monkeypatch):
    where = cell(sample_places, "income", 0, "fiscal")
    book = edit(sample_book, tmp_path / "f.xlsx", lambda b: b["收入决算"].__setitem__(where, "=1000+234.5"))
    code, out = run_cli(capsys, monkeypatch, "validate", book)
    assert_input_error(code, out, f"收入决算!{where}", "xlsx-formula", "=1000+234.5", "不读取公式的结果")


def test_external_link_formula_is_refused(sample_book, sample_places, tmp_path, capsys, monkeypatch):
    where = cell(sample_places, "operating_cost", "amount")
    link = "='C:\\财务\\[2024决算.xlsx]Sheet1'!$B$2"
    book = edit(sample_book, tmp_path / "link.xlsx", lambda b: b["采购与资产"].__setitem__(where, link))
    code, out = run_cli(capsys, monkeypatch, "validate", book)
    assert_input_error(code, out, f"采购与资产!{where}", "xlsx-external-link", "引用了其他工作簿")


def test_error_value_cell(sample_book, sample_places, tmp_path, capsys, monkeypatch):
    where = cell(sample_places, "income", 0, "fiscal")
    book = edit(sample_book, tmp_path / "e.xlsx", lambda b: b["收入决算"].__setitem__(where, "#VALUE!"))
    code, out = run_cli(capsys, monkeypatch, "validate", book)
    assert_input_error(code, out, f"收入决算!{where}", "错误值 #VALUE!")


def test_date_in_an_amount_cell(sample_book, sample_places, tmp_path, capsys, monkeypatch):
    import datetime

    where = cell(sample_places, "income", 0, "fiscal")
    book = edit(sample_book, tmp_path / "d.xlsx", lambda b: b["收入决算"].__setitem__(where, datetime.date(2024, 3, 1)))
    code, out = run_cli(capsys, monkeypatch, "validate", book)
    assert_input_error(code, out, f"收入决算!{where}", "应填金额", "2024-03-01")


def test_text_beginning_with_an_equals_sign_stays_text(tmp_path):
    values = xlsx.values_of(read_input(SAMPLE).data)
    values["performance"]["self_evaluations"][0]["indicators"][0]["target"] = "=1次"
    book = write_template(values, tmp_path / "eq.xlsx")
    loaded = read_workbook_input(book)
    assert loaded.data.performance.self_evaluations[0].indicators[0].target == "=1次"


def test_blank_versus_zero(sample_book, sample_places, tmp_path):
    """A blank cell is "not given" (derived), a 0 is a given 0."""
    data = read_input(SAMPLE).data
    assert "government_fund" not in data.fiscal_summary.opening_balance.model_fields_set
    where = cell(sample_places, "fiscal_summary", "opening_balance", "government_fund")
    loaded = read_workbook_input(edit(sample_book, tmp_path / "z.xlsx", lambda b: b["总表补充数"].__setitem__(where, 0)))
    assert "government_fund" in loaded.data.fiscal_summary.opening_balance.model_fields_set


# --------------------------------------------------------------------------- rows and sheets


def test_blank_rows_between_data_rows_are_accepted(sample_book, tmp_path):
    def change(book):
        book["收入决算"].insert_rows(7, amount=3)
        book["自评绩效指标"].insert_rows(6, amount=2)

    loaded = read_workbook_input(edit(sample_book, tmp_path / "gaps.xlsx", change))
    assert loaded.data == read_input(SAMPLE).data


def test_rows_beyond_the_data_are_read(sample_book, tmp_path):
    def change(book):
        ws = book["收入决算"]
        ws["A400"] = "2019999"
        ws["F400"] = 12.5
        ws["A401"] = None  # a formatted but empty row further down changes nothing

    loaded = read_workbook_input(edit(sample_book, tmp_path / "far.xlsx", change))
    original = read_input(SAMPLE).data
    assert loaded.data.income[:-1] == original.income
    assert (loaded.data.income[-1].code, loaded.data.income[-1].fiscal) == ("2019999", Decimal("12.5"))


def test_deleted_sheet(sample_book, tmp_path, capsys, monkeypatch):
    book = edit(sample_book, tmp_path / "del.xlsx", lambda b: b.remove(b["三公经费"]))
    code, out = run_cli(capsys, monkeypatch, "validate", book)
    assert_input_error(code, out, "缺少工作表“三公经费”", "请勿删除或改名")


def test_renamed_sheet(sample_book, tmp_path, capsys, monkeypatch):
    def change(book):
        book["支出决算"].title = "支出决算（改）"

    code, out = run_cli(capsys, monkeypatch, "validate", edit(sample_book, tmp_path / "ren.xlsx", change))
    assert_input_error(code, out, "缺少工作表“支出决算”", "支出决算（改）", "是否改了名")


def test_moved_header_columns(sample_book, tmp_path, capsys, monkeypatch):
    def change(book):
        ws = book["支出决算"]
        ws.move_range("F3:F200", cols=20)  # 基本支出 ↔ 项目支出
        ws.move_range("G3:G200", cols=-1)
        ws.move_range("Z3:Z200", cols=-19)

    code, out = run_cli(capsys, monkeypatch, "validate", edit(sample_book, tmp_path / "cols.xlsx", change))
    assert_input_error(code, out, "支出决算!A3", "表头与模板不符", "“基本支出”应在 F 列，实际在 G 列")


def test_inserted_row_in_a_key_value_sheet(sample_book, tmp_path, capsys, monkeypatch):
    code, out = run_cli(
        capsys, monkeypatch, "validate", edit(sample_book, tmp_path / "kv.xlsx", lambda b: b["单位信息"].insert_rows(5))
    )
    assert_input_error(code, out, "单位信息!A5", "第 5 行应为“封面部门名称”", "请勿插入、删除或移动行")


def test_merged_cells_over_input_cells(sample_book, sample_places, tmp_path, capsys, monkeypatch):
    first = cell(sample_places, "income", 0, "fiscal")
    row = first[1:]

    def change(book):
        book["收入决算"].merge_cells(f"F{row}:H{row}")

    code, out = run_cli(capsys, monkeypatch, "validate", edit(sample_book, tmp_path / "merge.xlsx", change))
    assert_input_error(code, out, f"收入决算!F{row}", "合并单元格", f"F{row}:H{row}", f"G{row}")


def test_child_row_naming_an_unknown_project(sample_book, sample_places, tmp_path, capsys, monkeypatch):
    where = "A5"

    def change(book):
        book["自评绩效指标"][where] = "没有这个项目"

    code, out = run_cli(capsys, monkeypatch, "validate", edit(sample_book, tmp_path / "child.xlsx", change))
    assert_input_error(code, out, "自评绩效指标!A5", "没有这个项目", "“项目自评”表中没有这一行")


def test_incomplete_row_of_four_numbers(sample_book, tmp_path, capsys, monkeypatch):
    sheet = spec.SHEET_BY_NAME["总表已印数"]
    r = next(r for r, _, row in sheet.layout() if row is not None and row.whole)

    def change(book):
        book["总表已印数"][f"B{r}"] = 100

    code, out = run_cli(capsys, monkeypatch, "validate", edit(sample_book, tmp_path / "four.xlsx", change))
    assert_input_error(code, out, f"总表已印数!B{r}", "应填 4 个数", "都填或都不填")


# --------------------------------------------------------------------------- files that are not our workbook


def _validate_file(tmp_path, capsys, monkeypatch, name: str, content: bytes) -> tuple[int, str]:
    path = tmp_path / name
    path.write_bytes(content)
    return run_cli(capsys, monkeypatch, "validate", path)


def _cfb(*streams: str) -> bytes:
    """An OLE2 compound file's first bytes with these directory entry names (as Office writes them)."""
    body = b"".join(name.encode("utf-16-le") + b"\x00\x00" for name in streams)
    return spreadsheet_magic() + b"\x00" * 504 + body + b"\x00" * 2048


def spreadsheet_magic() -> bytes:
    return bytes.fromhex("d0cf11e0a1b11ae1")


def test_password_protected_workbook(tmp_path, capsys, monkeypatch):
    code, out = _validate_file(tmp_path, capsys, monkeypatch, "加密.xlsx", _cfb("EncryptionInfo", "EncryptedPackage"))
    assert_input_error(code, out, "xlsx-encrypted", "打开密码", "加密.xlsx")


def test_old_xls_with_an_xlsx_name(tmp_path, capsys, monkeypatch):
    code, out = _validate_file(tmp_path, capsys, monkeypatch, "旧表.xlsx", _cfb("Workbook", "SummaryInformation"))
    assert_input_error(code, out, "xlsx-legacy-xls", "97-2003", "另存为")


@pytest.mark.parametrize("suffix", [".xls", ".xlsm"])
def test_xls_and_xlsm_files(tmp_path, capsys, monkeypatch, suffix):
    code, out = _validate_file(tmp_path, capsys, monkeypatch, f"数据{suffix}", _cfb("Workbook"))
    assert_input_error(code, out, f"不支持 {suffix} 文件", "*.xlsx")


def test_csv_renamed_to_xlsx(tmp_path, capsys, monkeypatch):
    content = "科目编码,财政拨款收入\n2080101,1000.00\n".encode("utf-8")
    code, out = _validate_file(tmp_path, capsys, monkeypatch, "导出.xlsx", content)
    assert_input_error(code, out, "xlsx-not-a-workbook", "CSV")


def test_macro_workbook_renamed_to_xlsx(sample_book, tmp_path, capsys, monkeypatch):
    target = tmp_path / "宏.xlsx"
    with zipfile.ZipFile(sample_book) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            out.writestr(item, source.read(item))
        out.writestr("xl/vbaProject.bin", b"\x00" * 64)
    code, out = run_cli(capsys, monkeypatch, "validate", target)
    assert_input_error(code, out, "xlsx-macro", "宏")


def test_truncated_workbook(sample_book, tmp_path, capsys, monkeypatch):
    content = sample_book.read_bytes()
    code, out = _validate_file(tmp_path, capsys, monkeypatch, "半截.xlsx", content[: len(content) // 2])
    assert_input_error(code, out, "xlsx-corrupt", "已损坏")


def test_corrupt_member_data(sample_book, tmp_path, capsys, monkeypatch):
    target = tmp_path / "坏.xlsx"
    with zipfile.ZipFile(sample_book) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.endswith("sheet5.xml"):
                data = data[:200] + b"<<<garbage" + data[400:]
            out.writestr(item.filename, data)
    code, out = run_cli(capsys, monkeypatch, "validate", target)
    assert_input_error(code, out, "xlsx-corrupt")


def _zip_with_bomb(source: Path, target: Path, size: int) -> None:
    """The workbook's parts plus one that inflates to ``size`` bytes of zeros.

    The deflate stream is one full-flushed block of 1 MiB zeros repeated (identical bytes each
    time), so the file is small and quick to make; its CRC is not computed, since disclose must
    refuse it before inflating any of it.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    stream = block * (size >> 20) + compressor.flush(zlib.Z_FINISH)
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, zin.read(item))
    # Append the bomb by hand: local header + data, then rewrite the central directory.
    with zipfile.ZipFile(target) as z:
        entries = [(i, z.read(i)) for i in z.infolist()]
    name = b"xl/worksheets/sheet99.xml"
    out = bytearray()
    central = bytearray()
    for info, data in entries:
        packed = zlib.compressobj(6, zlib.DEFLATED, -15)
        comp = packed.compress(data) + packed.flush()
        central += _central(info.filename.encode(), zlib.crc32(data), len(comp), len(data), len(out))
        out += _local(info.filename.encode(), zlib.crc32(data), len(comp), len(data)) + comp
    central += _central(name, 0, len(stream), size, len(out))
    out += _local(name, 0, len(stream), size) + stream
    count = len(entries) + 1
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), len(out), 0)
    target.write_bytes(bytes(out) + bytes(central) + end)


def _local(name: bytes, crc: int, comp: int, size: int) -> bytes:
    return struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, 0, 0, crc, comp, size, len(name), 0) + name


def _central(name: bytes, crc: int, comp: int, size: int, offset: int) -> bytes:
    return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, 8, 0, 0, crc, comp, size, len(name), 0, 0, 0, 0, 0, offset) + name


def test_zip_bomb_is_refused_before_reading(sample_book, tmp_path, capsys, monkeypatch):
    target = tmp_path / "炸弹.xlsx"
    _zip_with_bomb(sample_book, target, 3 << 30)  # 3 GiB of zeros in a file of a few MB
    assert target.stat().st_size < 10 << 20
    # Refused on the zip directory's declared sizes: nothing is inflated (speed is a benchmark's business).
    code, out = run_cli(capsys, monkeypatch, "validate", target)
    assert_input_error(code, out, "xlsx-too-large", "压缩")


def test_foreign_workbook(tmp_path, capsys, monkeypatch):
    book = openpyxl.Workbook()
    book.active.title = "收入决算"
    book.active["A1"] = "科目编码"
    book.save(tmp_path / "别人的表.xlsx")
    code, out = run_cli(capsys, monkeypatch, "validate", tmp_path / "别人的表.xlsx")
    assert_input_error(code, out, "xlsx-foreign", "disclose template")


def test_workbook_of_a_newer_version(sample_book, tmp_path, capsys, monkeypatch):
    def change(book):
        book[spec.LISTS_SHEET]["B1"] = spec.WORKBOOK_VERSION + 1

    code, out = run_cli(capsys, monkeypatch, "validate", edit(sample_book, tmp_path / "new.xlsx", change))
    assert_input_error(code, out, "_lists!B1", "较新版本", "升级 disclose")


def test_reader_errors_are_input_errors(tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    with pytest.raises(InputError):
        read_workbook(path)


# --------------------------------------------------------------------------- --prior


def test_prior_starts_a_new_year_from_last_years_data(tmp_path, capsys, monkeypatch):
    from disclose.model.derive import build_ledger

    book = tmp_path / "2025.xlsx"
    code, out = run_cli(capsys, monkeypatch, "template", "--prior", SAMPLE, "-o", book)
    assert code == 0, out
    data, _ = read_workbook(book)
    last = read_input(SAMPLE)
    ledger, _ = build_ledger(last)
    assert data["profile"]["year"] == last.data.profile.year + 1
    assert data["profile"]["department"] == last.data.profile.department
    assert data["profile"]["unit"] == "元"
    assert data["overview"]["duties"] == last.data.overview.duties
    changes = data["changes"]
    assert changes["total"]["prior_year"] == ledger.value(("t01", "inc", "total"))
    assert changes["fiscal_total"]["prior_year"] == ledger.value(("t04", "inc", "total"))
    assert changes["general_budget"]["prior_year"] == ledger.value(("t05", "合计", "total"))
    assert changes["operating_cost"]["prior_year"] == last.data.operating_cost.amount
    assert data["three_public"]["prior_year"]["vehicle"] == ledger.value(("t09", "final", "vehicle"))
    assert "reason" not in changes["total"]  # last year's reasons are not this year's
    assert "income" not in data  # nor are its tables


def test_prior_converts_units_and_keeps_what_from_gave(tmp_path, capsys, monkeypatch):
    from disclose.model.derive import build_ledger

    this_year = ROOT / "examples" / "nanyang-miit-2024.yaml"  # 万元, with its own 上年数
    given = read_input(this_year).data
    book = tmp_path / "wan.xlsx"
    code, out = run_cli(capsys, monkeypatch, "template", "--from", this_year, "--prior", SAMPLE, "-o", book)
    assert code == 0, out
    data = read_workbook_input(book).data
    assert data.changes.total.prior_year == given.changes.total.prior_year  # --from wins
    assert "保留已填的" in out
    assert "决算年度" in out  # 2024 is not the year before 2024

    # A 上年数 the data leave blank comes from last year's data, converted from 元 to 万元.
    last = read_input(SAMPLE)
    values = xlsx.values_of(given)
    del values["three_public"]["prior_year"]
    result = xlsx.apply_prior(values, last, from_given=True)
    ledger, _ = build_ledger(last)
    expected = (ledger.value(("t09", "final", "vehicle")) / 10000).quantize(Decimal("0.01"))
    assert values["three_public"]["prior_year"]["vehicle"] == expected
    assert result.filled[("three_public", "prior_year", "vehicle")] == expected


def test_template_does_not_overwrite_an_existing_workbook(tmp_path, capsys, monkeypatch):
    target = tmp_path / "已填.xlsx"
    target.write_bytes(b"filled")
    code, out = run_cli(capsys, monkeypatch, "template", "-o", target)
    assert code == 2 and "已存在" in out and target.read_bytes() == b"filled", out
    code, out = run_cli(capsys, monkeypatch, "template", "-o", target, "--force")
    assert code == 0 and read_workbook(target)[0] == {"profile": {}}, out
