"""How the indexes and the 复核 summary show a cell (render/cell_texts.py), and the lights' one
palette in its two spellings."""

from __future__ import annotations

from selfeval_lib.render import cell_texts as c


def test_an_index_cell():
    assert [c.index_cell(None, "total"), c.index_cell(0.8523, "execution_rate"), c.index_cell(12345.6, "budget_wan"),
            c.index_cell(91.5, "total"), c.index_cell("failed", "status"), c.index_cell("甲局", "unit")] == \
        ["—", "85.23%", "12,345.60", "91.50", "失败", "甲局"]


def test_a_monitoring_cell():
    assert c.monitoring_cell("red", "light", "light") == "红灯"
    assert c.monitoring_cell(0.5833, "time_progress", "num") == "58.33%"
    assert c.monitoring_cell(80, "progress", "num") == "80.00"
    assert c.monitoring_cell(None, "light", "light") == "—" and c.monitoring_cell("ok", "status", "text") == "成功"


def test_a_summary_cell():
    assert [c.summary_cell(None), c.summary_cell(""), c.summary_cell(0.25), c.summary_cell(0.1234567),
            c.summary_cell(1234.5), c.summary_cell(7)] == ["—", "—", "0.25", "0.1235", "1,234.50", "7"]


def test_a_subheading():
    assert c.is_subheading("（一）总体情况") and not c.is_subheading("（一）总体情况。共复核12家。")
    assert not c.is_subheading("一、总体情况")


def test_one_palette_in_two_spellings():
    assert set(c.LIGHT_FILLS) == set(c.LIGHT_COLOURS) == {"red", "yellow", "green", "blue"}
    for light in c.LIGHT_FILLS:
        assert "#" + c.FILLS[light].lower() == c.LIGHT_FILLS[light]
        assert "#" + c.COLOURS[light].lower() == c.LIGHT_COLOURS[light]
    assert c.GRADE_RANK["优"] > c.GRADE_RANK["良"] > c.GRADE_RANK["中"] > c.GRADE_RANK["差"]
