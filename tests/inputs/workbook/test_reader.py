"""Reading a filled workbook: quirks of hand-filled workbooks tolerated (moved columns, merged
layout cells, numbers and dates typed as text, …), cells read as shown, structural problems reported
alone, a file that is not a workbook."""

from __future__ import annotations


from selfeval_lib.core.model import ProjectYear
from selfeval_lib.inputs.workbook import project_from_workbook

from workbook_helpers import col, kv, open_book, problems_of, seed_project, seed_workbook, spoil


def test_quirks_of_hand_filled_workbooks_are_accepted(tmp_path):
    seed = seed_project()
    wb = open_book(seed_workbook())
    pay = wb["支付明细"]
    # columns moved: swap 收款方 and 凭证号 (header and data), and a column of one's own
    c_payee, c_voucher = col(pay, "收款方"), col(pay, "凭证号")
    for row in pay.iter_rows(min_row=1, max_row=pay.max_row):
        row[c_payee - 1].value, row[c_voucher - 1].value = row[c_voucher - 1].value, row[c_payee - 1].value
    pay.cell(row=1, column=12, value="经办科室")
    pay.cell(row=3, column=12, value="财务股")
    # an empty row in the middle
    pay.insert_rows(4)
    # a number stored as text, with a thousands separator and trailing spaces; a text date
    pay.cell(row=2, column=col(pay, "金额（元）")).value = " 18,000 "
    pay.cell(row=3, column=col(pay, "支付日期")).value = "2023/12/8"
    # a merged title-like range over a column that is not read (layout, not data)
    pay.merge_cells(start_row=2, start_column=12, end_row=3, end_column=13)
    # key/value: the value cell merged with the example column, trailing spaces in a label
    info = wb["项目信息"]
    goal = kv(info, "年度总体目标")
    info.merge_cells(start_row=goal.row, start_column=2, end_row=goal.row, end_column=3)
    kv(info, "项目名称").offset(column=-1).value = "项目名称 "
    kv(info, "年度").value = "2023"
    kv(wb["满意度调查"], "满意度").value = "95%"
    kv(wb["资金"], "批复日期").value = "2023年1月16日"
    # amounts as people write them: the unit is part of the value
    kv(wb["资金"], "批复数（元）").value = f"{seed.funds.approved / 10000}万元"
    kv(wb["资金"], "申报数（元）").value = f"{seed.funds.declared:,}元"
    # a sheet name with a trailing space
    wb["情况说明"].title = "情况说明 "
    path = tmp_path / "quirks.xlsx"
    wb.save(path)

    py = ProjectYear.model_validate(project_from_workbook(path))
    assert py == seed


def test_percent_cells_and_formulas_are_read_as_shown(tmp_path):
    wb = open_book(seed_workbook())
    ind = wb["绩效指标"]
    actual = ind.cell(row=4, column=col(ind, "实际完成值"))  # 会商及通信系统正常运行率: 98%
    actual.value = 0.98
    actual.number_format = "0%"
    items = wb["支出内容"]
    items.cell(row=2, column=col(items, "预算金额（元）")).value = "=10000+8000"  # a formula without result
    path = tmp_path / "f.xlsx"
    wb.save(path)
    assert problems_of(path) == [("支出内容!D2", "公式 =10000+8000 没有计算结果：请在 Excel/WPS/LibreOffice 中打开并保存后再导入")]
    items.cell(row=2, column=col(items, "预算金额（元）")).value = 18000
    wb.save(path)
    py = ProjectYear.model_validate(project_from_workbook(path))
    assert py.indicators[2].actual == "98%"



def test_structural_problems_come_alone(tmp_path):
    wb = open_book(seed_workbook())
    expected = [spoil(wb, "missing sheet"), spoil(wb, "missing label")]
    ws = wb["绩效指标"]
    ws.cell(row=1, column=col(ws, "分值")).value = "权重"
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    problems = problems_of(path)
    assert [f for f, _ in problems] == ["资金!A:A", "支付明细!A1", "绩效指标!1:1"]
    assert "找不到表头“分值”" in problems[2][1] and "权重" in problems[2][1]
    assert {f for f, _ in expected} <= {f for f, _ in problems}


def test_not_a_workbook(tmp_path):
    path = tmp_path / "params.xlsx"
    path.write_text("project: {}\n", encoding="utf-8")
    problems = problems_of(path)
    assert len(problems) == 1 and "无法读取工作簿" in problems[0][1]
    assert problems_of(tmp_path / "missing.xlsx")[0][1].startswith("无法读取文件")


def test_illustrative_parts_are_read_by_label_or_path_and_checked(tmp_path):
    wb = open_book(seed_workbook())
    cell = kv(wb["项目信息"], "示例数据")
    assert cell.value == "支出内容、批复日期、资金到位、支付明细、绩效指标"  # written by their sheet/row names
    cell.value = "支付明细\nfunds.arrivals、 绩效指标"
    path = tmp_path / "ill.xlsx"
    wb.save(path)
    py = ProjectYear.model_validate(project_from_workbook(path))
    assert py.illustrative == ["funds.payments", "funds.arrivals", "indicators"]
    cell.value = "支付明细、收款方"
    wb.save(path)
    [(where, message)] = problems_of(path)
    assert where == f"项目信息!{cell.coordinate}" and message.startswith("“收款方”不是可标注为示例数据的部分")
    cell.value = "支付明细、funds.payments"
    wb.save(path)
    assert problems_of(path) == [(f"项目信息!{cell.coordinate}", "有重复的项")]
