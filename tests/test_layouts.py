"""Layout profiles: listing, checking (problems with file and line), and a region added without Python.

* ``disclose layouts`` lists the bundled layouts; ``--check`` checks them.
* Broken profiles, written here in a temporary folder, are reported with the file and the line of
  each problem — an unknown part or section, a template syntax error, a template that refers to a
  figure that does not exist — by ``disclose layouts --check`` and, before anything is rendered, by
  ``disclose build``.
* ``tests/profiles/henan-reordered/`` is a small profile defined only in this test folder (henan with
  the parts reordered and a table renamed, docs/adding-a-layout.md): it is found by path, through
  ``DISCLOSE_TEMPLATES`` and through ``disclose layouts --templates``, and builds a whole document.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from disclose.document.check import check_layout
from disclose.document.layout import LayoutError, load_layout
from tests.support.cli import disclose

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SAMPLE = EXAMPLES / "sample-2024.yaml"
PROFILES = Path(__file__).resolve().parent / "profiles"
CUSTOM = PROFILES / "henan-reordered"
STEM = "示例市工业和信息化局-2024"


def line_of(path: Path, text: str) -> int:
    """1-based line of the first line of ``path`` containing ``text`` (the test's own expectation)."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return n
    raise AssertionError(f"{text!r} not in {path}")


# --------------------------------------------------------------------------- listing and checking the bundled layouts


def test_layouts_lists_both_layouts_with_their_variants():
    result = disclose("layouts", "--format", "json")
    assert result.returncode == 0, result.stderr
    found = {e["name"]: e for e in json.loads(result.stdout)["layouts"]}
    assert found["henan"]["variants"] == ["NY", "JZ", "JY"]
    assert found["liaoning"]["variants"] == ["LN"]
    assert Path(found["liaoning"]["folder"]) == ROOT / "templates" / "liaoning"
    text = disclose("layouts").stdout
    assert "henan" in text and "liaoning" in text and "辽宁" in text


def test_the_bundled_layouts_pass_the_check():
    result = disclose("layouts", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("检查通过") == 2
    assert check_layout("henan") == [] and check_layout("liaoning") == []


# --------------------------------------------------------------------------- broken profiles


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A layout extending henan with one mistake of each kind."""
    folder = tmp_path / "broken"
    (folder / "sections").mkdir(parents=True)
    (folder / "layout.yaml").write_text(
        textwrap.dedent(
            """\
            extends: henan
            description: 有错误的版式
            parts:
              - {kind: cover}
              - {kind: overview}
              - {kind: narativ}
              - {kind: narrative}
            narrative:
              sections:
                - {heading: 一、收入支出决算总体情况说明, template: sections/01_total.j2}
                - {heading: 二、语法错误, template: sections/syntax.j2}
                - {heading: 三、引用不存在的数, template: sections/figure.j2}
                - {heading: 四、不存在的节, template: sections/missing.j2}
                - {heading: "五、{{ style.no_such_switch }}", template: sections/01_total.j2}
            headings:
              overview: "第一部分 {{ dept }概况"
            """
        ),
        encoding="utf-8",
    )
    (folder / "sections" / "syntax.j2").write_text("第一行\n{% if f.total.known %}\n{{ year }}年度{% endfor %}\n", encoding="utf-8")
    (folder / "sections" / "figure.j2").write_text(
        "{% set g = f.general_budget %}\n{{ year }}年度一般公共预算财政拨款支出{{ amt(g.totl) }}万元。\n"
        "{% for c in g.classes %}{{ c.nme }}{% endfor %}\n{{ undefined_name }}\n",
        encoding="utf-8",
    )
    return folder


def expected_problems(folder: Path) -> dict[str, str]:
    """file:line → a word of the message, each computed from the files written above."""
    layout = folder / "layout.yaml"
    return {
        f"{layout}:{line_of(layout, 'narativ')}": "未知的部分类型“narativ”",
        f"{layout}:{line_of(layout, 'sections/missing.j2')}": "模板文件 sections/missing.j2 不存在",
        f"{layout}:{line_of(layout, '{{ dept }概况')}": "模板语法错误",
        f"{layout}:{line_of(layout, 'no_such_switch')}": "style.no_such_switch",
        f"{folder / 'sections' / 'syntax.j2'}:3": "模板语法错误",
        f"{folder / 'sections' / 'figure.j2'}:2": "g.totl",
        f"{folder / 'sections' / 'figure.j2'}:3": "c.nme",
        f"{folder / 'sections' / 'figure.j2'}:4": "undefined_name",
    }


def test_check_reports_every_problem_with_file_and_line(broken):
    problems = [str(p) for p in check_layout(str(broken))]
    expected = expected_problems(broken)
    for where, word in expected.items():
        assert any(p.startswith(where + "：") and word in p for p in problems), (where, word, problems)
    assert len(problems) == len(expected), problems
    # the figure message names the type and what it has
    figure = next(p for p in problems if "g.totl" in p)
    assert "GeneralBudget 没有 totl" in figure and "total" in figure


def test_layouts_check_command_reports_them(broken):
    result = disclose("layouts", "--check", str(broken))
    assert result.returncode == 2
    for where, word in expected_problems(broken).items():
        assert any(line.strip().startswith(where + "：") and word in line for line in result.stdout.splitlines()), (where, result.stdout)
    # by name, through DISCLOSE_TEMPLATES and --templates
    assert disclose("layouts", "--check", "broken", env={"DISCLOSE_TEMPLATES": str(broken.parent)}).returncode == 2
    result = disclose("layouts", "--templates", str(broken.parent), "--check", "broken", "--format", "json")
    entry = json.loads(result.stdout)["layouts"][0]
    assert {(Path(p["file"]).name, p["line"]) for p in entry["problems"]} >= {("figure.j2", 2), ("syntax.j2", 3)}


def test_build_refuses_a_broken_layout_before_rendering(broken, tmp_path):
    out = tmp_path / "out"
    result = disclose("build", str(SAMPLE), "--layout", str(broken), "--format", "docx,json", "-o", str(out))
    assert result.returncode == 2
    for where in expected_problems(broken):
        assert where in result.stdout, (where, result.stdout)
    assert not out.exists() or not any(out.iterdir())
    with pytest.raises(LayoutError) as err:
        load_layout(str(broken))
    assert len(err.value.problems) == len(expected_problems(broken))


def test_a_layout_folder_with_a_yaml_syntax_error(tmp_path):
    folder = tmp_path / "bad-yaml"
    folder.mkdir()
    (folder / "layout.yaml").write_text("extends: henan\nparts: [\n  - {kind: cover\n", encoding="utf-8")
    problems = [str(p) for p in check_layout(str(folder))]
    assert len(problems) == 1 and problems[0].startswith(f"{folder / 'layout.yaml'}:") and "YAML" in problems[0]


def test_unknown_fact_paths_and_table_kinds_are_reported(tmp_path):
    folder = tmp_path / "facts"
    folder.mkdir()
    (folder / "layout.yaml").write_text(
        textwrap.dedent(
            """\
            extends: liaoning
            audit:
              facts:
                - budgets.fiscal_basic
                - budgets.no_such_field
            tables:
              items:
                t09: {kind: sideways}
            """
        ),
        encoding="utf-8",
    )
    layout = folder / "layout.yaml"
    problems = [str(p) for p in check_layout(str(folder))]
    assert any(p.startswith(f"{layout}:{line_of(layout, 'no_such_field')}：") and "budgets.no_such_field" in p for p in problems), problems
    assert any(p.startswith(f"{layout}:{line_of(layout, 'sideways')}：") and "sideways" in p for p in problems), problems


# --------------------------------------------------------------------------- a region added without Python


def test_custom_profile_is_listed_and_checked():
    result = disclose("layouts", "--templates", str(PROFILES), "--check", "--format", "json")
    assert result.returncode == 0, result.stdout
    found = {e["name"]: e for e in json.loads(result.stdout)["layouts"]}
    assert set(found) >= {"henan", "liaoning", "henan-reordered"}
    assert found["henan-reordered"]["extends"] == [str(ROOT / "templates" / "henan")]
    assert found["henan-reordered"]["problems"] == []


def _parts_and_tables(path: Path) -> tuple[list[str], list[str]]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    heads = [b for s in doc["sections"] for b in s["blocks"] if b["type"] == "Heading"]
    return [h["text"] for h in heads if h["level"] == 1], [h["text"] for h in heads if h["role"] == "table-title"]


@pytest.mark.parametrize("how", ["path", "env"])
def test_custom_profile_builds_a_whole_document(tmp_path, how):
    if how == "path":
        result = disclose("build", str(SAMPLE), "--layout", str(CUSTOM), "--format", "json,docx", "-o", str(tmp_path))
    else:
        result = disclose("build", str(SAMPLE), "--layout", "henan-reordered", "--format", "json,docx", "-o", str(tmp_path),
                          env={"DISCLOSE_TEMPLATES": str(PROFILES)})
    assert result.returncode == 0, result.stdout + result.stderr
    parts, tables = _parts_and_tables(tmp_path / f"{STEM}.json")
    assert parts == [
        "第一部分 示例市工业和信息化局概况",
        "第二部分 2024年度部门决算情况说明",   # the narrative now comes before the tables
        "第三部分 2024年度部门决算表",
        "第四部分 名词解释",
        "第五部分 附 件",
    ]
    assert tables[5] == "一般公共预算财政拨款基本支出决算表（按经济分类）"  # renamed
    assert tables[:5] == ["收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表", "一般公共预算财政拨款支出决算表"]
    # everything else is henan's: the 13 sections, the henan numbers
    henan = disclose("build", str(SAMPLE), "--format", "json", "-o", str(tmp_path / "henan"))
    assert henan.returncode == 0
    hparts, htables = _parts_and_tables(tmp_path / "henan" / f"{STEM}.json")
    assert hparts[1] == "第二部分 2024年度部门决算表" and htables[5] == "一般公共预算财政拨款基本支出决算明细表"
    # and the Word file reads back in the new order
    import docx

    texts = [p.text for p in docx.Document(str(tmp_path / f"{STEM}.docx")).paragraphs]
    assert texts.index("第二部分 2024年度部门决算情况说明") < texts.index("一般公共预算财政拨款基本支出决算表（按经济分类）")


def test_the_custom_settings_apply_in_every_variant():
    for variant in ("NY", "JZ", "JY"):
        layout = load_layout(str(CUSTOM), variant)
        assert layout.profile["tables"]["items"]["t06"]["title"] == "一般公共预算财政拨款基本支出决算表（按经济分类）"
        assert [p["kind"] for p in layout.profile["parts"]][3:5] == ["narrative", "tables"]
    jz = load_layout(str(CUSTOM), "JZ")
    assert jz.profile["tables"]["items"]["t06"]["list"] == "B"  # henan's JZ override still applies
    assert jz.profile["headings"]["appendix"] == "第五部分 附件"


# --------------------------------------------------------------------------- the cover reads the profile


def test_cover_lines_and_date_come_from_the_profile():
    from disclose.document.build import build_document, layout_for
    from disclose.pipeline import audit_input

    def cover(layout: str, variant: str | None = None) -> list[str]:
        report = audit_input(SAMPLE, layout=layout, variant=variant)
        doc = build_document(report, layout_for(report, layout, variant))
        return [b.text for b in doc.sections[0].blocks if hasattr(b, "runs")]

    # henan (SPEC §2.1): {Y}年度 / {DEPT_COVER} / 部门决算, then the date (profile.publish_month 2025-09)
    assert cover("henan") == ["2024年度", "示例市工业和信息化局", "部门决算", "二〇二五年九月"]
    assert cover("henan", "JZ") == ["2024年度示例市工业和信息化局部门决算", "二〇二五年九月"]
    # liaoning (SPEC §2.5): no date
    assert cover("liaoning") == ["示例市工业和信息化局", "2024年度部门决算"]


def test_rules_lists_the_layout_fact_rules():
    result = disclose("rules", "--format", "json")
    rules = {r["id"]: r for r in json.loads(result.stdout)}
    assert rules["L01"]["severity"] == "提示" and rules["L02"]["severity"] == "错误"


def test_a_required_fact_is_an_error_and_alternatives_suffice(tmp_path):
    from disclose.model.load import load_dataset
    from disclose.readers.yaml_reader import parse_yaml
    from disclose.rules.engine import audit

    folder = tmp_path / "strict"
    folder.mkdir()
    (folder / "layout.yaml").write_text(
        "extends: liaoning\naudit:\n  facts:\n    - budgets.fiscal_basic!\n    - changes.income_total.prior_year|changes.total.prior_year\n"
        "    - budgets.general_budget_items.*.usage\n",
        encoding="utf-8",
    )
    text = SAMPLE.read_text(encoding="utf-8").replace("  fiscal_basic: 13201900.00\n", "")
    text = text.replace(", usage: 单位缴纳的职业年金}", "}")
    raw, source = parse_yaml(text.encode("utf-8"), "strict.yaml")
    report = audit(load_dataset(raw, source), load_layout(str(folder)).requirements())
    found = {(f.code, f.level.value, f.locations[0].field()) for f in report.findings if f.code.startswith("L")}
    assert found == {
        ("L02", "错误", "budgets.fiscal_basic"),
        ("L01", "提示", "budgets.general_budget_items[3].usage"),
    }
    usage = next(f for f in report.findings if f.code == "L01")
    assert "版式“strict”" in str(usage) and "2080506" in str(usage)  # names the layout and the 项
