"""The number, rate and amount cells of a published table as printed (issue 13 item 2)."""

from __future__ import annotations

import pytest

from selfeval_lib.errors import CellError
from selfeval_lib.review.cells import (
    amount_cell,
    amount_reading,
    is_blank_cell,
    is_dash_mark,
    number_cell,
    rate_cell,
)


@pytest.mark.parametrize("value, unit, expected", [
    ("120.50万元", "万元", 120.5), ("1,205,000元", "万元", 120.5), ("1，205，000元", "万元", 120.5),
    ("8.62万元", "元", 86200), ("215,457.6", "元", 215457.6), ("８６．２", "万元", 86.2), ("120.5", "万元", 120.5),
    (120.5, "万元", 120.5), ("0.5亿元", "万元", 5000), (" 90 ", "万元", 90),
    # written as finance writes an amount in words (read as a params file's amount is)
    ("捌万元", "万元", 8), ("人民币壹拾贰万元整", "万元", 12), ("￥86,200.00", "万元", 8.62), ("两千元整", "元", 2000),
])
def test_amount_cells_with_their_unit_are_converted_to_the_column(value, unit, expected):
    assert amount_cell(value, unit) == pytest.approx(expected)


@pytest.mark.parametrize("value", ["——", "—", "/", "", None, "无"])
def test_dashes_stay_blank(value):
    assert amount_cell(value, "万元") is None and is_blank_cell(value)


@pytest.mark.parametrize("value", ["一一", "一", "二", "=", "＝＝", "—一", "- -", "ー", "~"])
def test_ocr_dashes_in_number_cells_are_blank(value):
    """What OCR makes of a scanned "——" is a blank number cell, never an amount or a score."""
    assert amount_cell(value, "万元") is None and number_cell(value) is None and rate_cell(value) is None
    assert is_dash_mark(value) and not is_blank_cell(value)


@pytest.mark.parametrize("value", ["一般", "120", "二等奖", "——", "=90%"])
def test_words_and_numbers_are_not_dash_marks(value):
    assert not is_dash_mark(value)


@pytest.mark.parametrize("value", ["5人", "约120万元", "120万元左右", "见附件", "三", "120万人"])
def test_text_in_an_amount_cell_is_an_error_quoting_it(value):
    with pytest.raises(CellError, match=f"“{value}”"):
        amount_cell(value, "万元")


def test_an_amount_read_beyond_the_obvious_is_said():
    assert amount_reading("1,205,000元", "万元", "全年执行数") == "全年执行数“1,205,000元”按万元列读作120.5万元。"
    assert "120.5万元" in amount_reading("120.50万元", "万元")
    assert amount_reading("120.5", "万元") is None
    assert amount_reading("——", "万元") is None
    assert amount_reading(120.5, "万元") is None
    assert amount_reading("人民币捌万元整", "万元", "全年执行数") == "全年执行数“人民币捌万元整”按万元列读作8万元。"


def test_numbers_and_rates_with_full_width_digits_and_separators():
    assert number_cell("1，200") == 1200
    assert number_cell("２０分") == 20
    assert rate_cell("８６．１９％") == pytest.approx(0.8619)
    assert rate_cell("86.19") == pytest.approx(0.8619)
    with pytest.raises(CellError):
        number_cell("二十")
