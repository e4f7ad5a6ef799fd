"""The 自评表 workbook: layout per rule set, formulas, scores, print setup, LibreOffice, bytes."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import SAMPLES
from office_convert import convert, make_profile, pdf_text
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.evaluation import Evaluation, evaluate
from selfeval_lib.files.ooxml import FIXED_TIME
from selfeval_lib.inputs.params import load_project
from selfeval_lib.render import xlsx, xlsx_sheet
from selfeval_lib.render import xlsx_layouts as layouts

IDS = [p.stem for p in SAMPLES]


@dataclass
class Case:
    ev: Evaluation
    data: bytes
    uncached: bytes

    @property
    def layout(self) -> str:
        return layouts.layout_name(self.ev)


@pytest.fixture(scope="session")
def cases() -> dict[str, Case]:
    out = {}
    for path in SAMPLES:
        loaded = load_project(path)
        ev = evaluate(loaded.project_year, loaded.rules)
        out[path.stem] = Case(ev, xlsx.self_evaluation_workbook(ev),
                              xlsx.self_evaluation_workbook(ev, cached_values=False))
    return out


@pytest.fixture(scope="session")
def converted(cases: dict[str, Case], tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """Every sample through LibreOffice: the workbook as PDF, and the workbook without stored
    formula results re-saved by LibreOffice (so its values are LibreOffice's own)."""
    root = tmp_path_factory.mktemp("xlsx")
    profile = make_profile(root / "profile")
    (root / "in").mkdir()
    (root / "uncached").mkdir()
    files, uncached = [], []
    for name, case in cases.items():
        files.append(root / "in" / f"{name}.xlsx")
        files[-1].write_bytes(case.data)
        uncached.append(root / "uncached" / f"{name}.xlsx")
        uncached[-1].write_bytes(case.uncached)
    pdfs = convert(files, "pdf", root / "pdf", profile)
    recalculated = convert(uncached, "xlsx", root / "recalculated", profile)
    return {name: {"pdf": pdf, "xlsx": re_} for name, pdf, re_ in zip(cases, pdfs, recalculated)}


def sheet(data: bytes, values: bool = False) -> Worksheet:
    return load_workbook(io.BytesIO(data), data_only=values).active


def find(ws: Worksheet, text: str, column: int | None = None) -> tuple[int, int]:
    """(row, column) of the first cell whose value is ``text``."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text and (column is None or cell.column == column):
                return cell.row, cell.column
    raise AssertionError(f"{text!r} not in sheet")


def header_columns(ws: Worksheet, row: int) -> dict[str, int]:
    return {c.value: c.column for c in ws[row] if isinstance(c.value, str)}


FUNDS = {"national": layouts.NATIONAL_FUNDS, "sichuan": layouts.SICHUAN_FUNDS}
INDICATORS = {"national": layouts.NATIONAL_INDICATORS, "sichuan": layouts.SICHUAN_INDICATORS}
#: The funds headers of each layout by meaning (docs/rules.md §1), spelled out here rather than
#: taken from the library, so that a renamed or reordered header fails the tests.
FUNDS_BY_MEANING = {
    "national": {"initial": "年初预算数", "full": "全年预算数", "executed": "全年执行数",
                 "weight": "分值", "rate": "执行率", "score": "得分"},
    "sichuan": {"initial": "年初预算", "full": "调整后预算数", "executed": "预算执行数",
                "weight": "权重", "rate": "预算执行率", "score": "得分"},
}


def funds_cells(ws: Worksheet, layout: str) -> dict[str, str]:
    """Cell references of the 年度资金总额 row by meaning (initial … score), found by the
    header texts in the sheet: the funds header row, and 年度资金总额 in the row below it."""
    names = FUNDS_BY_MEANING[layout]
    assert set(names.values()) == set(FUNDS[layout])
    row, _ = find(ws, names["initial"])
    cols = header_columns(ws, row)
    total_row, _ = find(ws, "年度资金总额")
    assert total_row == row + 1
    return {k: f"{get_column_letter(cols[n])}{total_row}" for k, n in names.items()}


def indicator_rows(ws: Worksheet, ev: Evaluation) -> tuple[int, dict[str, int]]:
    row, _ = find(ws, "一级指标", column=1)
    return row + 1, header_columns(ws, row)


def test_layout_follows_rule_set(cases: dict[str, Case]) -> None:
    chosen = {name: case.layout for name, case in cases.items()}
    assert chosen["dongqu-yjglj-aqpx"] == "sichuan"
    assert chosen["dongqu-yjglj-ydhs"] == "national"
    assert set(layouts.LAYOUTS) == {"national", "sichuan"}


@pytest.mark.parametrize("name", IDS)
def test_headers(cases: dict[str, Case], name: str) -> None:
    case = cases[name]
    ws = sheet(case.data)
    p = case.ev.project_year.project
    assert ws["A1"].value == f"项目支出绩效自评表（{p.year}年度）"
    texts = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for label in ("项目名称", "主管部门", "实施单位", "年度资金总额", "年度总体目标", "预期目标", "实际完成情况", "总分",
                  p.name, p.unit, p.overall_goal):
        assert label in texts, label
    for header in FUNDS[case.layout] + INDICATORS[case.layout]:
        assert header in texts, header
    if case.layout == "sichuan":
        for label in ("原因", "其中：财政拨款", "评价结论", "存在问题", "改进措施", "项目负责人", "财务负责人"):
            assert label in texts, label
    else:
        for label in ("其中：当年财政拨款", "上年结转资金", "其他资金"):
            assert label in texts, label
    assert f"等级：{case.ev.grade}" in texts


@pytest.mark.parametrize("name", IDS)
def test_level_cells_merged(cases: dict[str, Case], name: str) -> None:
    case = cases[name]
    ws = sheet(case.data)
    first, _ = indicator_rows(ws, case.ev)
    merged = {str(r) for r in ws.merged_cells.ranges}
    levels = [s.level1 for s in case.ev.indicators]
    groups, start = [], 0
    for i in range(1, len(levels) + 1):
        if i == len(levels) or levels[i] != levels[start]:
            groups.append((start, i - 1))
            start = i
    assert any(b > a for a, b in groups), "sample without a multi-row level-1 group"
    for a, b in groups:
        assert ws.cell(first + a, 1).value == levels[a]
        if b > a:
            assert f"A{first + a}:A{first + b}" in merged
    seconds = [(s.level1, s.level2) for s in case.ev.indicators]
    for i in range(len(seconds) - 1):
        if seconds[i] == seconds[i + 1] and (i == 0 or seconds[i - 1] != seconds[i]):
            assert any(r.startswith(f"B{first + i}:B") for r in merged)


@pytest.mark.parametrize("name", IDS)
def test_formulas(cases: dict[str, Case], name: str) -> None:
    case = cases[name]
    ws = sheet(case.data)
    c = funds_cells(ws, case.layout)
    assert ws[c["rate"]].value == f"=IF({c['full']}=0,0,{c['executed']}/{c['full']})"
    assert ws[c["score"]].value == f"=MIN({c['rate']},1)*{c['weight']}"
    first, cols = indicator_rows(ws, case.ev)
    last = first + len(case.ev.indicators) - 1
    total_row, _ = find(ws, "总分", column=1)
    score_col = get_column_letter(cols["得分"])
    weight_col = get_column_letter(cols[INDICATORS[case.layout][-3]])
    assert ws[f"{score_col}{total_row}"].value == f"=SUM({score_col}{first}:{score_col}{last})+{c['score']}"
    assert ws[f"{weight_col}{total_row}"].value == f"=SUM({weight_col}{first}:{weight_col}{last})+{c['weight']}"
    formulas = [cell.coordinate for row in ws.iter_rows() for cell in row if cell.data_type == "f"]
    assert sorted(formulas) == sorted([c["rate"], c["score"], f"{score_col}{total_row}", f"{weight_col}{total_row}"])


@pytest.mark.parametrize("name", IDS)
def test_values_equal_evaluate(cases: dict[str, Case], name: str) -> None:
    case = cases[name]
    ev = case.ev
    ws = sheet(case.data)
    values = sheet(case.data, values=True)  # the stored formula results
    c = funds_cells(ws, case.layout)
    f = ev.funds
    assert ws[c["initial"]].value == pytest.approx(float(f.budget_initial) / 10_000)
    assert ws[c["full"]].value == pytest.approx(float(f.budget_full_year) / 10_000)
    assert ws[c["executed"]].value == pytest.approx(float(f.executed) / 10_000)
    assert values[c["rate"]].value == pytest.approx(f.execution_rate)
    assert values[c["score"]].value == pytest.approx(ev.execution_score)
    first, cols = indicator_rows(ws, ev)
    weight_header = INDICATORS[case.layout][-3]
    for i, s in enumerate(ev.indicators):
        row = first + i
        assert ws.cell(row, cols["三级指标"]).value == s.name
        assert round(ws.cell(row, cols["得分"]).value, 2) == round(s.score, 2)
        assert ws.cell(row, cols[weight_header]).value == s.weight
    total_row, _ = find(ws, "总分", column=1)
    assert values.cell(total_row, cols["得分"]).value == pytest.approx(ev.total)


@pytest.mark.parametrize("name", IDS)
def test_targets_are_text_not_formulas(cases: dict[str, Case], name: str) -> None:
    case = cases[name]
    ws = sheet(case.data)
    first, cols = indicator_rows(ws, case.ev)
    for i, s in enumerate(case.ev.indicators):
        actual = ws.cell(first + i, cols["实际完成值" if case.layout == "national" else "完成值"])
        if s.actual:
            assert actual.data_type == "s" and actual.value == s.actual
        else:  # left blank, never "（未填写）": the report asks for it once
            assert actual.value in (None, "")
        if case.layout == "national":
            target = ws.cell(first + i, cols["年度指标值"])
            assert target.data_type == "s" and target.value == s.target  # "=5项" stays text


def test_sichuan_target_split(cases: dict[str, Case]) -> None:
    case = cases["dongqu-yjglj-aqpx"]
    ws = sheet(case.data)
    first, cols = indicator_rows(ws, case.ev)
    rows = {ws.cell(r, cols["三级指标"]).value: r for r in range(first, first + len(case.ev.indicators))}

    def split(name: str) -> tuple:
        r = rows[name]
        return tuple(ws.cell(r, cols[h]).value for h in ("指标性质", "指标值", "度量单位"))

    assert split("培训企业主要负责人及安全管理人员") == ("≥", 600, "人次")
    assert split("培训考核合格率") == ("≥", 95, "%")  # written "≧95%"
    assert split("人均培训成本") == ("≤", 200, "元")
    assert split("企业安全生产主体责任意识") == ("定性", "明显增强", None)
    closing = layouts.closing_texts(case.ev, layouts.SICHUAN_CLOSING_LIMIT)
    for label, text in closing.items():
        row, _ = find(ws, label, column=1)
        assert ws.cell(row, 2).value == text
        assert 0 < len(text) <= layouts.SICHUAN_CLOSING_LIMIT
    assert fmt.score(case.ev.total) in closing["评价结论"] and case.ev.grade in closing["评价结论"]
    for text in closing.values():  # whole sentences, never cut with "…"
        assert not text.endswith("…") and text.endswith("。")
    reason_row, _ = find(ws, "年度资金总额")
    _, reason_col = find(ws, "原因")
    assert ws.cell(reason_row, reason_col).value in ("", None, case.ev.project_year.funds.execution_shortfall_reason)
    sign_row, _ = find(ws, "项目负责人", column=1)
    assert ws.cell(sign_row, 2).value is None


@pytest.mark.parametrize("name", IDS)
def test_print_and_style(cases: dict[str, Case], name: str) -> None:
    case = cases[name]
    ws = sheet(case.data)
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and int(ws.page_setup.fitToWidth) == 1
    last_col = "H" if case.layout == "national" else "J"
    assert re.fullmatch(rf"'.+'!\$A\$1:\${last_col}\$\d+", ws.print_area), ws.print_area
    assert ws["A1"].font.name == xlsx_sheet.TITLE_FONT
    c = funds_cells(ws, case.layout)
    assert ws[c["full"]].number_format == "#,##0.00" and ws[c["rate"]].number_format == "0.00%"
    assert ws[c["score"]].number_format == "0.00"
    first, cols = indicator_rows(ws, case.ev)
    score = ws.cell(first, cols["得分"])
    assert score.number_format == "0.00" and score.font.name == xlsx_sheet.BODY_FONT
    header = ws.cell(first - 1, 1)
    assert header.font.b and header.fill.fgColor.rgb.endswith("D9E1F2")
    table_rows = range(2, first + len(case.ev.indicators) + 1)
    for row in ws.iter_rows(min_row=table_rows.start, max_row=table_rows.stop - 1):
        for cell in row:
            if cell.__class__.__name__ != "MergedCell":
                b = cell.border
                assert {b.left.style, b.right.style, b.top.style, b.bottom.style} == {"thin"}, cell.coordinate
    for merged in ws.merged_cells.ranges:  # a merged range is bordered along its outline
        if merged.min_row in table_rows:
            assert ws.cell(merged.min_row, merged.min_col).border.left.style == "thin", str(merged)
            assert ws.cell(merged.min_row, merged.min_col).border.top.style == "thin", str(merged)
            assert ws.cell(merged.max_row, merged.max_col).border.right.style == "thin", str(merged)
            assert ws.cell(merged.max_row, merged.max_col).border.bottom.style == "thin", str(merged)
    assert ws.cell(first, cols["三级指标"]).alignment.wrap_text
    assert ws.column_dimensions["C"].width >= 20


@pytest.mark.integration
@pytest.mark.parametrize("name", IDS)
def test_libreoffice_recalculates_to_evaluate(cases: dict[str, Case], converted: dict, name: str) -> None:
    """The formulas, evaluated by LibreOffice (file without stored results), equal evaluate()."""
    case = cases[name]
    ws = sheet(case.data)
    recalculated = load_workbook(converted[name]["xlsx"], data_only=True).active
    c = funds_cells(ws, case.layout)
    assert recalculated[c["rate"]].value == pytest.approx(case.ev.funds.execution_rate, abs=1e-12)
    assert recalculated[c["score"]].value == pytest.approx(case.ev.execution_score, abs=1e-9)
    _, cols = indicator_rows(ws, case.ev)
    total_row, _ = find(ws, "总分", column=1)
    assert recalculated.cell(total_row, cols["得分"]).value == pytest.approx(case.ev.total, abs=1e-9)


@pytest.mark.integration
@pytest.mark.parametrize("name", IDS)
def test_pdf_shows_total(cases: dict[str, Case], converted: dict, name: str) -> None:
    case = cases[name]
    text = pdf_text(converted[name]["pdf"])
    assert "总分" in text and f"等级：{case.ev.grade}" in text
    assert f"{case.ev.total:.2f}" in text
    assert f"{case.ev.execution_score:.2f}" in text
    assert f"{case.ev.funds.execution_rate * 100:.2f}%" in text
    assert case.ev.project_year.project.name in text
    assert "#NAME" not in text and "Err:" not in text and "\ufffd" not in text


@pytest.mark.parametrize("name", IDS)
def test_deterministic(cases: dict[str, Case], name: str) -> None:
    case = cases[name]
    assert xlsx.self_evaluation_workbook(case.ev) == case.data
    archive = zipfile.ZipFile(io.BytesIO(case.data))
    assert all(info.date_time == FIXED_TIME for info in archive.infolist())
    core = archive.read("docProps/core.xml").decode()
    assert "dcterms:created" not in core and "dcterms:modified" not in core
    assert "<dc:creator" in core and "selfeval" in core
