"""The Excel reader: the national, Sichuan and Yunnan-split layouts read back as their YAML
transcription, merged cells, formulas, the reader's notes, odd cells and workbooks that cannot be
used. The workbooks are printed by :mod:`review_workbooks`."""

from __future__ import annotations

import copy
import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from review_workbooks import (
    NATIONAL,
    SICHUAN,
    YUNNAN,
    comparable,
    finding_tuples,
    make_workbook,
    write_national,
    write_sichuan,
    yaml_table,
)

from selfeval_lib.errors import InputError
from selfeval_lib.review.readers import load_table, read_tables
from selfeval_lib.review.recompute import review_table
from selfeval_lib.review.service import review_reads

# --- layouts read back as the YAML transcription -----------------------------------------------------

@pytest.mark.parametrize("layout, rules_name", [("national", "national"), ("sichuan", "sichuan"), ("yunnan", "national")])
def test_layout_reads_as_yaml(layout, rules_name, tmp_path, national, sichuan):
    rules = {"national": national, "sichuan": sichuan}[rules_name]
    expected = make_workbook(tmp_path / f"{layout}.xlsx", layout)
    (from_excel,) = load_table(tmp_path / f"{layout}.xlsx")
    from_yaml = yaml_table(expected, tmp_path / f"{layout}.yaml")
    assert comparable(from_excel) == comparable(from_yaml)
    assert from_excel.sheet == "自评表"
    assert from_excel.source == str(tmp_path / f"{layout}.xlsx")
    excel_review, yaml_review = review_table(from_excel, rules), review_table(from_yaml, rules)
    assert finding_tuples(excel_review) == finding_tuples(yaml_review)
    assert excel_review.recomputed_total == yaml_review.recomputed_total


def test_national_layout_findings_on_sheet_rows(tmp_path, national):
    make_workbook(tmp_path / "n.xlsx", "national")
    (table,) = load_table(tmp_path / "n.xlsx")
    assert [ind.row for ind in table.indicators] == [12, 13, 14, 15, 16, 17]
    assert table.funds.row == 6 and table.funds.rate == "90%" and table.funds.amount_unit == "万元"
    assert table.indicators[1].level1 == "产出指标"  # merged cell, "（50分）" dropped
    assert table.indicators[0].weight == "20%"
    result = review_table(table, national)
    found = {(f.row, f.code) for f in result.findings}
    # 600余人: 520 of 600 → 10 × 520 / 600 = 8.67, printed 10 (full marks on a shortfall).
    assert {(13, "SCORE_MISMATCH"), (13, "SHORTFALL_FULL_MARKS"), (14, "ACTUAL_BLANK"), (14, "SCORE_MISMATCH"),
            (17, "SATISFACTION_NO_BASIS")} <= found
    assert ("总分", "TOTAL_MISMATCH") in found
    # 99 / 110 = 90%: execution right; the 年初预算数 (120) is not the denominator.
    assert not any(f.row == 6 for f in result.findings)
    assert result.recomputed_total == pytest.approx(9 + 20 + 10 * 520 / 600 + 0 + 10 + 22 + 10)


def test_sichuan_layout_amounts_in_yuan(tmp_path, sichuan):
    make_workbook(tmp_path / "s.xlsx", "sichuan")
    (table,) = load_table(tmp_path / "s.xlsx")
    assert table.funds.amount_unit == "元"
    assert table.funds.budget_full_year == 480000
    assert table.indicators[0].target == "≥4艘" and table.indicators[2].target == "=100%"
    assert table.published_total == 96.5 and table.total_weight == 100
    result = review_table(table, sichuan)
    codes = {(f.row, f.code) for f in result.findings}
    assert (6, "EXECUTION_REASON_MISSING") in codes  # 408000 / 480000 = 85% < 90%
    assert not any(c == "EXECUTION_RATE_MISMATCH" for _, c in codes)


def test_yuan_and_wan_headers_give_the_same_review(tmp_path, national):
    data = copy.deepcopy(NATIONAL)
    data["funds"].update(amount_unit="元", budget_initial=1_200_000, budget_full_year=1_100_000, executed=990_000)
    expected = make_workbook(tmp_path / "yuan.xlsx", "national", data, unit="元")
    (yuan,) = load_table(tmp_path / "yuan.xlsx")
    assert yuan.funds.amount_unit == "元"
    assert comparable(yuan) == comparable(yaml_table(expected, tmp_path / "yuan.yaml"))
    make_workbook(tmp_path / "wan.xlsx", "national")
    (wan,) = load_table(tmp_path / "wan.xlsx")
    assert finding_tuples(review_table(yuan, national)) == finding_tuples(review_table(wan, national))


def test_yunnan_words_for_direction(tmp_path):
    """指标性质 written 正向/反向/定性 instead of glyphs."""
    data = copy.deepcopy(YUNNAN)
    data["indicators"][0]["target"] = "≥120个"
    data["indicators"][3]["target"] = "≤3200元"
    make_workbook(tmp_path / "w.xlsx", "yunnan", data, words=True)
    (table,) = load_table(tmp_path / "w.xlsx")
    targets = [ind.target for ind in table.indicators]
    assert targets[0] == "≥120个" and targets[3] == "≤3200元"
    assert targets[4] == "明显增强"  # 定性: the value as text
    assert table.survey is not None and table.survey.method == "入户问卷"
    assert table.published_grade == "优"


def test_glyphs_and_approximate_values(tmp_path, national):
    make_workbook(tmp_path / "y.xlsx", "yunnan")
    (table,) = load_table(tmp_path / "y.xlsx")
    assert [ind.target for ind in table.indicators][:3] == ["≧120个", "═100%", "＞11次"]
    result = review_table(table, national)
    scores = {r.row: r.recomputed for r in result.rows}
    assert scores[11] == pytest.approx(15 * 0.98)  # ═100%, 98% → equal: w × B / A
    assert scores[12] == 5                           # ＞11次, 12次
    assert table.project.year == 2023


def test_multiple_sheets_and_skipped_sheet(tmp_path, national):
    wb = Workbook()
    notes = wb.active
    notes.title = "填表说明"
    notes.append(["1.定量指标得分 = 实际完成值 ÷ 年度指标值 × 分值"])
    write_national(wb.create_sheet("项目一"), NATIONAL)
    write_sichuan(wb.create_sheet("项目二"), SICHUAN)
    wb.save(tmp_path / "book.xlsx")
    tables = load_table(tmp_path / "book.xlsx")
    assert [t.sheet for t in tables] == ["项目一", "项目二"]
    assert tables[1].funds.amount_unit == "元"


def test_reader_notes(tmp_path, national):
    """A funds block without a unit is read in 万元 and says so; a subtotal row is skipped."""
    wb = Workbook()
    ws = wb.active
    write_national(ws, NATIONAL)
    ws["A5"] = "项目资金"
    ws.insert_rows(12)
    ws["G12"], ws["H12"] = 50, 50  # a subtotal line with no indicator
    wb.save(tmp_path / "notes.xlsx")
    (read,) = read_tables(tmp_path / "notes.xlsx")
    assert read.table.funds.amount_unit == "万元"
    assert any("未注明金额单位" in n and "万元" in n for n in read.notes)
    assert any("第12行" in n and "小计" in n for n in read.notes)
    (result,) = review_reads([read], national)
    assert any("未注明金额单位" in r for r in result.readings)


def test_merged_score_cell_is_not_counted_twice(tmp_path):
    wb = Workbook()
    ws = wb.active
    write_national(ws, NATIONAL)
    ws.merge_cells("H12:H13")  # one score printed for two rows
    wb.save(tmp_path / "m.xlsx")
    (read,) = read_tables(tmp_path / "m.xlsx")
    assert read.table.indicators[0].score == 20 and read.table.indicators[1].score is None
    assert any("第13行" in n and "合并" in n for n in read.notes)


def test_formula_cells(tmp_path, national):
    """Without a cached value (a file saved by openpyxl) the formula text is kept, so the review says the
    cell cannot be read; with Excel's cached value the value is used."""
    make_workbook(tmp_path / "f.xlsx", "national")
    wb = load_workbook(tmp_path / "f.xlsx")
    ws = wb.active
    ws["H18"] = "=SUM(H6,H12:H17)"
    wb.save(tmp_path / "f.xlsx")
    (table,) = load_table(tmp_path / "f.xlsx")
    assert table.published_total == "=SUM(H6,H12:H17)"
    result = review_table(table, national)
    unreadable = [f for f in result.findings if f.code == "UNREADABLE_VALUE"]
    assert unreadable and unreadable[0].row == "总分" and "=SUM(H6,H12:H17)" in unreadable[0].message

    # Add the cached value Excel would have written.
    raw = (tmp_path / "f.xlsx").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content, n = re.subn(rb"(<c r=\"H18\"[^>]*>\s*<f>[^<]*</f>)\s*(?:<v\s*/>|<v></v>)?", rb"\1<v>91</v>", content)
                assert n == 1
            dst.writestr(info, content)
    (tmp_path / "cached.xlsx").write_bytes(out.getvalue())
    (cached,) = load_table(tmp_path / "cached.xlsx")
    assert cached.published_total == 91


def test_text_in_weight_cell_reported_on_sheet_row(tmp_path, national):
    data = copy.deepcopy(NATIONAL)
    data["indicators"][3]["weight"] = "十分"
    make_workbook(tmp_path / "t.xlsx", "national", data)
    (table,) = load_table(tmp_path / "t.xlsx")
    result = review_table(table, national)
    bad = [f for f in result.findings if f.code == "UNREADABLE_VALUE"]
    assert [(f.row, f.field) for f in bad] == [(15, "分值")]
    assert "十分" in bad[0].message


# --- bad input ----------------------------------------------------------------------------------------

def test_odd_cell_values_do_not_crash(tmp_path, national):
    """Dates, booleans, Excel error values and huge numbers in the indicator rows are read as printed."""
    import datetime as dt

    make_workbook(tmp_path / "odd.xlsx", "national")
    wb = load_workbook(tmp_path / "odd.xlsx")
    ws = wb.active
    ws["F12"] = dt.datetime(2023, 11, 30)
    ws["F13"] = True
    ws["H14"] = "#DIV/0!"
    ws["G15"] = 1e20  # an ID pasted into the weight column
    ws["I16"] = "——"
    wb.save(tmp_path / "odd.xlsx")
    (table,) = load_table(tmp_path / "odd.xlsx")
    assert table.indicators[0].actual == "2023-11-30"
    assert table.indicators[1].actual == "是"
    assert table.indicators[4].deviation_reason == ""
    result = review_table(table, national)
    assert {(f.row, f.code) for f in result.findings} >= {(12, "UNIT_MISMATCH"), (14, "UNREADABLE_VALUE")}


def _problem(exc_info) -> str:
    return "\n".join(str(p) for p in exc_info.value.problems)


def test_not_a_zip(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("这不是 Excel 文件", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_table(path)
    assert "fake.xlsx" in _problem(info) and "无法读取 Excel 文件" in _problem(info)


def test_truncated_workbook(tmp_path):
    make_workbook(tmp_path / "good.xlsx", "national")
    (tmp_path / "cut.xlsx").write_bytes((tmp_path / "good.xlsx").read_bytes()[:700])
    with pytest.raises(InputError) as info:
        load_table(tmp_path / "cut.xlsx")
    assert "cut.xlsx" in _problem(info) and "损坏" in _problem(info)


def test_no_recognisable_sheet(tmp_path):
    wb = Workbook()
    wb.active.title = "封面"
    wb.active.append(["2023年度项目支出绩效自评"])
    other = wb.create_sheet("指标")
    other.append(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值"])  # no 得分
    other.append(["产出指标", "数量指标", "甲", "≥1个", "1个", 10])
    wb.save(tmp_path / "none.xlsx")
    with pytest.raises(InputError) as info:
        load_table(tmp_path / "none.xlsx")
    text = _problem(info)
    assert "none.xlsx" in text and "“封面”" in text and "“指标”" in text and "“得分”" in text


def test_header_without_rows(tmp_path):
    wb = Workbook()
    wb.active.append(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"])
    wb.save(tmp_path / "empty.xlsx")
    with pytest.raises(InputError) as info:
        load_table(tmp_path / "empty.xlsx")
    assert "没有指标行" in _problem(info)


def test_blank_tokens_are_the_core_definition(tmp_path):
    """A reason of "／", "n/a" or "空" is read as no reason, and a 度量单位 of "/" adds nothing to the
    target: the reader uses the one blank-cell definition of the core."""
    make_workbook(tmp_path / "b.xlsx", "national")
    wb = load_workbook(tmp_path / "b.xlsx")
    ws = wb.active
    ws["I12"], ws["I13"], ws["I14"] = "／", "n/a", "空"
    wb.save(tmp_path / "b.xlsx")
    (table,) = load_table(tmp_path / "b.xlsx")
    assert [ind.deviation_reason for ind in table.indicators[:3]] == ["", "", ""]
    data = copy.deepcopy(YUNNAN)
    expected = make_workbook(tmp_path / "u.xlsx", "yunnan", data)
    wb = load_workbook(tmp_path / "u.xlsx")
    wb.active.cell(expected["indicators"][4]["row"], 6, "/")  # 度量单位 of a qualitative row
    wb.active.cell(expected["indicators"][0]["row"], 6, "／")  # 个 replaced by a slash
    wb.save(tmp_path / "u.xlsx")
    (table,) = load_table(tmp_path / "u.xlsx")
    assert table.indicators[4].target == "明显增强" and table.indicators[0].target == "≧120"
