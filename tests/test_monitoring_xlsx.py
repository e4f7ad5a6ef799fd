"""The 运行监控表 workbook (render/monitoring_xlsx.py): layout, text kept as text, determinism."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook

from selfeval_lib.core.model import ProjectYear
from selfeval_lib.core.monitoring import monitor
from selfeval_lib.inputs.params import load_project
from selfeval_lib.render.monitoring_xlsx import monitoring_workbook

EXAMPLE = Path(__file__).parent / "data" / "monitoring" / "seed-month7.yaml"


def _sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def _rows(ws) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_layout_of_the_seed_at_month_7():
    loaded = load_project(EXAMPLE)
    ws = _sheet(monitoring_workbook(monitor(loaded.project_year, loaded.rules, 7)))
    rows = _rows(ws)
    assert rows[0][0] == "2023年度项目支出绩效运行监控表（截至7月末）"
    assert rows[1][:2] == ["项目名称", "移动会商系统及海事卫星电话通信数据使用费"]
    assert rows[2][0] == "主管部门" and rows[2][4] == "实施单位"
    assert rows[4] == ["年初预算数（万元）", "全年预算数（万元）", "1–7月执行数（万元）", "执行率", "序时进度",
                       "偏差原因", "纠偏措施", "是否可能完成全年目标", "预警"]
    funds = rows[5]
    assert funds[:3] == [8.62, 8.62, 0] and funds[3] == 0 and abs(funds[4] - 7 / 12) < 1e-12
    assert funds[5].startswith("【其他】") and funds[7] == "是" and funds[8] == "红灯"
    assert ws.cell(row=6, column=9).fill.fgColor.rgb.endswith("FF9999")
    assert rows[7] == ["一级指标", "二级指标", "三级指标", "年度指标值", "1–7月实际完成值", "全年预计完成值",
                       "偏差原因", "纠偏措施", "预警"]
    by_name = {r[2]: r for r in rows[8:16]}
    assert by_name["卫星电话年服务部数"][3:] == ["=3部", "2部", "3部", "【硬件条件】1部卫星电话送修", "督促服务商9月前修复或更换", "黄灯"]
    assert by_name["社会满意度"][8] == "—"
    assert "用款计划" in rows[-1][0] and "7月末不低于40%" in rows[-1][0]


def test_user_text_is_text_and_output_deterministic():
    loaded = load_project(EXAMPLE)
    data = loaded.project_year.model_dump(mode="json")
    data["project"]["name"] = "=HYPERLINK(\"http://x\")"
    data["funds"]["monitoring"][0]["reason"] = "+1+1"
    py = ProjectYear.model_validate(data)
    first = monitoring_workbook(monitor(py, loaded.rules, 7))
    assert first == monitoring_workbook(monitor(py, loaded.rules, 7))
    ws = load_workbook(io.BytesIO(first)).active
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    assert ws["B2"].value == "=HYPERLINK(\"http://x\")"


def test_runs_of_level1_and_level2_are_merged_cells():
    """The 运行监控表 shows a run of one 一级指标 (and of one 二级指标 inside it) as one merged cell."""
    loaded = load_project(EXAMPLE)
    m = monitor(loaded.project_year, loaded.rules, 7)
    ws = _sheet(monitoring_workbook(m))
    first = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "一级指标") + 1
    expected = set()
    for col, key in ((1, lambda s: (s.level1,)), (2, lambda s: (s.level1, s.level2))):
        start = 0
        for i in range(1, len(m.indicators) + 1):
            if i == len(m.indicators) or key(m.indicators[i]) != key(m.indicators[start]):
                if i - start > 1:
                    expected.add((col, first + start, first + i - 1))
                start = i
    merged = {(r.min_col, r.min_row, r.max_row) for r in ws.merged_cells.ranges
              if r.min_col == r.max_col and r.min_row >= first}
    assert expected and merged == expected
    assert ws.cell(row=first, column=1).value == m.indicators[0].level1
