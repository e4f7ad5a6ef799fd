"""The input workbook's homes for 佐证材料 and the monitoring data: written, read back, round-trip;
an older workbook without the new columns and sheets still imports."""

from __future__ import annotations

import io

from workbook_helpers import append, col, open_book, problems_of, save, seed_project

from selfeval_lib.core.model import ProjectYear
from selfeval_lib.inputs.params import load_project
from selfeval_lib.inputs.workbook import project_from_workbook, workbook_from_project

from conftest import MONTH7


def _monitored() -> ProjectYear:
    data = load_project(MONTH7).project_year.model_dump(mode="json")
    data["indicators"][0]["evidence"] = [
        {"file": "验收报告.pdf", "description": "验收报告"}, {"file": "材料/支付凭证.pdf"},
        {"file": "合同.pdf", "description": "服务合同", "sha256": "ab" * 32}]
    data["indicators"][1]["progress"][0] = {"month": 6, "value": "1部", "achievable": True}  # 是 of an older form
    return ProjectYear.model_validate(data)


def test_monitoring_and_evidence_round_trip(tmp_path):
    py = _monitored()
    data = workbook_from_project(py)
    wb = open_book(data)
    ws = wb["绩效指标"]
    assert ws.cell(row=2, column=col(ws, "佐证材料")).value == (
        "验收报告.pdf：验收报告；材料/支付凭证.pdf；合同.pdf：服务合同（sha256:" + "ab" * 32 + "）")
    assert ws.cell(row=3, column=col(ws, "监控进度")).value == "6月：1部；7月：2部"
    funds = wb["预算执行监控"]
    assert [funds.cell(row=r, column=2).value for r in (2, 3)] == [6, 7]
    assert funds.cell(row=3, column=col(funds, "完成目标可能性")).value == "确定能"
    assert "1部送修" in funds.cell(row=3, column=col(funds, "1–N月总体目标完成情况")).value
    plan = wb["用款计划"]
    assert [plan.cell(row=2, column=c).value for c in (2, 3)] == [12, 86200]
    assert ws.cell(row=3, column=col(ws, "监控口径")).value == "时点"
    notes = wb["指标监控说明"]
    assert [notes.cell(row=r, column=2).value for r in range(2, notes.max_row + 1)] == [
        "卫星电话年服务部数", "卫星电话年服务部数", "通信数据使用费总额", "通信数据使用费总额",
        "应急会商及指挥调度保障能力", "应急会商及指挥调度保障能力", "社会满意度", "社会满意度"]
    assert notes.cell(row=2, column=col(notes, "完成目标可能性")).value == "是"
    assert notes.cell(row=3, column=col(notes, "全年预计完成值")).value == "3部"
    back = ProjectYear.model_validate(project_from_workbook(save(tmp_path, data)))
    assert back == py


def test_workbook_bytes_are_deterministic():
    assert workbook_from_project(_monitored()) == workbook_from_project(_monitored())


def test_older_workbook_without_the_new_columns_and_sheets_imports(tmp_path):
    wb = open_book(workbook_from_project(seed_project()))
    ws = wb["绩效指标"]
    for header in ("监控进度", "佐证材料", "监控口径"):
        ws.delete_cols(col(ws, header))
    del wb["预算执行监控"], wb["指标监控说明"]
    buffer = io.BytesIO()
    wb.save(buffer)
    assert ProjectYear.model_validate(project_from_workbook(save(tmp_path, buffer.getvalue()))) == seed_project()


def test_bad_monitoring_cells_are_named(tmp_path):
    wb = open_book(workbook_from_project(seed_project()))
    ws = wb["绩效指标"]
    ws.cell(row=2, column=col(ws, "监控进度")).value = "六月2项"
    ws.cell(row=3, column=col(ws, "监控进度")).value = "13月：2部"
    append(wb["预算执行监控"], {"月份": 7, "偏差原因类别": "天气", "完成目标可能性": "也许"})
    append(wb["用款计划"], {"计划支付月份": 13, "计划支付金额（元）": 100})
    append(wb["指标监控说明"], {"三级指标": "没有这个指标", "月份": 7, "偏差原因": "x"})
    buffer = io.BytesIO()
    wb.save(buffer)
    found = dict(problems_of(save(tmp_path, buffer.getvalue())))
    progress = col(ws, "监控进度")
    letter = ws.cell(row=1, column=progress).column_letter
    assert "应写作“月份：完成值”" in found[f"绩效指标!{letter}2"]
    assert any("12" in m for f, m in found.items() if f == f"绩效指标!{letter}3"), found
    assert any("应填“确定能”“有可能”“完全不可能”之一" in m for m in found.values())
    assert any(f.startswith("用款计划!B") for f in found), found
    assert any("经费保障" in m for f, m in found.items() if f.startswith("预算执行监控!C")), found
    assert any("“没有这个指标”不在“绩效指标”工作表中" in m for m in found.values())
