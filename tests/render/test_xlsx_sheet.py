"""The sheet writer: text never read as a formula, bordered merged ranges, row heights."""

from __future__ import annotations


from openpyxl import Workbook

from selfeval_lib.render.xlsx_sheet import Sheet


def test_text_formula_and_merge() -> None:
    ws = Workbook().active
    sh = Sheet(ws, (10, 10, 10))
    text = sh.put(1, 1, "=5项")
    formula = sh.put(2, 1, "=A3*2", cached=4.0)
    sh.put(3, 1, "表头", to_col=3, header=True)
    assert ws[text].data_type == "s" and ws[text].value == "=5项"
    assert ws[formula].data_type == "f" and sh.cached == {formula: 4.0}
    assert "A3:C3" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["C3"].border.right.style == "thin" and ws["A3"].font.b
    assert ws["A3"].fill.fgColor.rgb.endswith("D9E1F2")


def test_fit_rows_wraps_long_text() -> None:
    ws = Workbook().active
    sh = Sheet(ws, (10, 10))
    sh.put(1, 1, "短")
    sh.put(2, 1, "很长的中文说明文字" * 6)
    sh.fit_rows(1, 2)
    assert ws.row_dimensions[1].height == 18.0
    assert ws.row_dimensions[2].height > 4 * 13.5
