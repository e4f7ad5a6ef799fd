"""The 运行监控表 workbook (render/monitoring_xlsx.py): the layout units fill (funds block with
全年预计执行数 and 其中 rows, 年度总体目标, indicators with the five 偏差原因 columns and
确定能/有可能/完全不可能), text kept as text, determinism."""

from __future__ import annotations

import dataclasses
import io

from openpyxl import load_workbook

from selfeval_lib.core.model import ProjectYear
from selfeval_lib.inputs.params import load_project
from selfeval_lib.render.monitoring_xlsx import LIGHT_FILL, monitoring_workbook
from selfeval_lib.report.monitoring import MonitoringReport

from conftest import MONTH7


def _report(month: int = 7, py: ProjectYear | None = None) -> MonitoringReport:
    loaded = load_project(MONTH7)
    if py is not None:
        loaded = dataclasses.replace(loaded, project_year=py)
    return MonitoringReport.build(loaded, month, earlier=())


def _rows(data: bytes) -> tuple[object, list[list]]:
    ws = load_workbook(io.BytesIO(data)).active
    return ws, [[c.value for c in row] for row in ws.iter_rows()]


def _row_of(rows: list[list], first: str) -> int:
    return next(i for i, r in enumerate(rows) if r[0] == first)


def test_layout_of_the_seed_at_month_7():
    ws, rows = _rows(monitoring_workbook(_report(7)))
    assert rows[0][0] == "项目支出绩效运行监控表" and rows[1][0] == "（2023年1–7月）"
    assert rows[2][0] == "项目名称" and rows[2][2] == "移动会商系统及海事卫星电话通信数据使用费"
    assert rows[3][0] == "主管部门" and rows[3][7] == "实施单位"
    funds = _row_of(rows, "资金情况（万元）")
    assert [v for v in rows[funds] if v] == ["资金情况（万元）", "年初预算数（万元）", "全年预算数（万元）",
                                            "1–7月执行数（万元）", "执行率", "全年预计执行数（万元）", "偏差原因",
                                            "完成目标可能性", "备注"]
    total, fiscal, other = rows[funds + 1], rows[funds + 2], rows[funds + 3]
    assert (total[0], fiscal[0], other[0]) == ("年度资金总额", "其中：财政拨款", "其他资金")
    # nothing paid by July, the annual fee settled in December under contract: full year expected
    assert total[2:7] == [8.62, 8.62, 0, 0, 8.62] and fiscal[2:7] == total[2:7]
    assert "12月年度结算" in total[7] and total[11] == "确定能" and "用款计划" in total[12]
    assert ws.cell(row=funds + 2, column=6).fill.fgColor.rgb.endswith(LIGHT_FILL["red"])
    goal = _row_of(rows, "年度总体目标")
    assert rows[goal][6] == "1–7月完成情况" and rows[goal + 1][0].startswith("实现与国家")
    assert "1部送修" in rows[goal + 1][6]
    top = _row_of(rows, "一级指标")
    assert [v for v in rows[top] if v] == ["一级指标", "二级指标", "三级指标", "年度指标值", "1–7月完成值",
                                         "全年预计完成值", "偏差原因", "完成目标可能性", "纠偏措施", "备注"]
    assert rows[top + 1][6:11] == ["经费保障", "制度保障", "人员保障", "硬件条件保障", "其他"]
    by_name = {r[2]: (i, r) for i, r in enumerate(rows) if i > top + 1 and r[2]}
    at, phones = by_name["卫星电话年服务部数"]
    # a level (in service), compared with the target itself: 2 of 3 is yellow, the unit's reason kept
    assert phones[3:6] == ["=3部", "2部", "3部"] and phones[9] == "1部卫星电话送修"
    assert phones[11:13] == ["有可能", "督促服务商9月前修复或更换"]
    assert ws.cell(row=at + 1, column=5).fill.fgColor.rgb.endswith(LIGHT_FILL["yellow"])
    assert by_name["社会满意度"][1][13] == "满意度调查安排在年末开展"
    assert {r[11] for _, r in by_name.values()} <= {"确定能", "有可能", "完全不可能"}
    note = rows[-1][0]
    assert note.startswith("注：") and "7月末预算执行率不低于40%" in note and "“卫星电话年服务部数”黄灯" in note


def test_june_projects_the_full_year_on_plan():
    _, rows = _rows(monitoring_workbook(_report(6)))
    total = rows[_row_of(rows, "年度资金总额")]
    assert total[4:7] == [0, 0, 8.62] and total[11] == "确定能"


def test_user_text_is_text_and_output_deterministic():
    data = load_project(MONTH7).project_year.model_dump(mode="json")
    data["project"]["name"] = "=HYPERLINK(\"http://x\")"
    data["funds"]["monitoring"][1]["reason"] = "+1+1"
    py = ProjectYear.model_validate(data)
    first = monitoring_workbook(_report(7, py))
    assert first == monitoring_workbook(_report(7, py))
    ws, rows = _rows(first)
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)
    assert ws["C3"].value == "=HYPERLINK(\"http://x\")"
    assert rows[_row_of(rows, "年度资金总额")][7] == "+1+1"


def test_runs_of_level1_and_level2_are_merged_cells():
    """The 运行监控表 shows a run of one 一级指标 (and of one 二级指标 inside it) as one merged cell."""
    report = _report(7)
    statuses = report.result.indicators
    ws, rows = _rows(monitoring_workbook(report))
    first = _row_of(rows, "一级指标") + 3  # two header rows, 1-based
    expected = set()
    for col, key in ((1, lambda s: (s.level1,)), (2, lambda s: (s.level1, s.level2))):
        start = 0
        for i in range(1, len(statuses) + 1):
            if i == len(statuses) or key(statuses[i]) != key(statuses[start]):
                if i - start > 1:
                    expected.add((col, first + start, first + i - 1))
                start = i
    merged = {(r.min_col, r.min_row, r.max_row) for r in ws.merged_cells.ranges
              if r.min_col == r.max_col and r.min_row >= first}
    assert expected and merged == expected
    assert ws.cell(row=first, column=1).value == statuses[0].level1
