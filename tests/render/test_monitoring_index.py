"""The monthly monitoring index as bytes (render/monitoring_index.py): each light a word on its
colour in the page and the workbook, user text escaped in HTML and stored as text in Excel, rows
in the order given, the same rows giving the same bytes. (Rows from real runs:
tests/batch/test_run_monitoring.py.)"""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from selfeval_lib.render.cell_texts import COLOURS, FILLS
from selfeval_lib.render.monitoring_index import COLUMNS, monitoring_index_html, monitoring_index_xlsx

RED = {"id": "P-1", "name": "<script>专线</script>", "unit": "=1+1", "budget_wan": 12.5, "execution_rate": 0.3,
       "time_progress": 0.5833, "progress": 51.43, "light": "red", "checkpoint_light": "yellow",
       "projected_rate": 0.9, "red": 1, "yellow": 0, "green": 2, "blue": 0, "none": 1, "findings": 3, "worst": 0,
       "status": "ok", "error": "", "links": [("HTML", "p-1/monitoring-07/monitoring.html")]}
FAILED = {"id": "P-2", "name": "坏", "unit": "", "status": "failed", "error": "参数错误 <x>", "links": []}


def test_the_page_shows_lights_as_words_on_their_colour_escaped():
    page = monitoring_index_html(2023, 7, [FAILED, RED])
    assert "2023年1–7月项目支出绩效运行监控汇总" in page and "有红灯的项目 1 个" in page
    assert "<script>专线" not in page and "&lt;script&gt;专线" in page and "参数错误 &lt;x&gt;" in page
    assert re.search(rf'background-color: #{FILLS["red"]}; color: #{COLOURS["red"]}">红灯<', page)
    assert page.index("P-2") < page.index("P-1")                     # the order given (batch sorts)
    assert page.count("<tr class=") == 2 and page.endswith("</html>")  # a column a row lacks is "—"
    assert monitoring_index_html(2023, 7, [FAILED, RED]) == page


def test_the_workbook_keeps_numbers_and_text_and_colours_the_lights():
    data = monitoring_index_xlsx(2023, 7, [RED, FAILED])
    ws = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in ws[1]] == [label for label, _, _ in COLUMNS] + ["错误"]
    keys = [key for _, key, _ in COLUMNS]
    row = {key: ws.cell(row=2, column=i + 1) for i, key in enumerate(keys)}
    assert row["budget_wan"].value == 12.5 and row["execution_rate"].number_format.endswith("%")
    assert row["light"].value == "红灯" and row["light"].fill.fgColor.rgb.endswith(FILLS["red"])
    assert row["unit"].value == "=1+1" and row["unit"].data_type == "s"  # text, never a formula
    assert ws.cell(row=3, column=len(keys) + 1).value == "参数错误 <x>"
    assert monitoring_index_xlsx(2023, 7, [RED, FAILED]) == data
