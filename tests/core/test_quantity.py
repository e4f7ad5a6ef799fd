from datetime import date

import pytest

from selfeval_lib import errors
from selfeval_lib.core.quantity import (
    BLANK_TOKENS, Blank, Quantity, QuantityError, Text, TimePoint, UnitMismatch, convert, is_blank_text, is_count,
    parse_value,
)


@pytest.mark.parametrize("text, op, direction, value, unit", [
    ("≥95%", "≥", "positive", 95.0, "%"),
    ("≧95%", "≥", "positive", 95.0, "%"),
    ("＞90％", ">", "positive", 90.0, "%"),
    ("≦8.62万元", "≤", "reverse", 86200.0, "万元"),
    ("＜3500元", "<", "reverse", 3500.0, "元"),
    ("═3部", "=", "equal", 3.0, "部"),
    ("＝100%", "=", "equal", 100.0, "%"),
    ("=3部", "=", "equal", 3.0, "部"),
    ("≤1.5亿元", "≤", "reverse", 150_000_000.0, "亿元"),
    ("≥１２０套", "≥", "positive", 120.0, "套"),
    ("不低于95%", "≥", "positive", 95.0, "%"),
    ("不超过200元", "≤", "reverse", 200.0, "元"),
    (">= 1,200人次", "≥", "positive", 1200.0, "人次"),
    ("≥1.2万人", "≥", "positive", 12000.0, "万人"),
])
def test_operators_numbers_and_units(text, op, direction, value, unit):
    q = parse_value(text)
    assert isinstance(q, Quantity)
    assert (q.op, q.direction, q.unit) == (op, direction, unit)
    assert q.value == pytest.approx(value)
    assert q.op_written


def test_approximate_values_are_lower_bounds():
    q = parse_value("600余人")
    assert isinstance(q, Quantity) and q.approx and q.value == 600 and q.op == "≥" and not q.op_written
    assert parse_value("95%以上").op == "≥"
    assert parse_value("200元以内").op == "≤"


def test_bare_number_has_no_operator():
    q = parse_value("98")
    assert isinstance(q, Quantity) and q.op is None and q.dimension == "number"


@pytest.mark.parametrize("text, expected", [
    ("2023年12月底前", (2023, 12, 31)),
    ("2023年12月31日前", (2023, 12, 31)),
    ("2023年6月", (2023, 6, 30)),
    ("2024年2月", (2024, 2, 29)),
    ("2023-06-15", (2023, 6, 15)),
    ("2023年10月上旬", (2023, 10, 10)),
    ("年底前", (2023, 12, 31)),
])
def test_dates(text, expected):
    t = parse_value(text)
    assert isinstance(t, TimePoint)
    assert t.resolve(2023) == date(*expected)


def test_month_without_year_takes_project_year():
    t = parse_value("12月底前")
    assert t.year is None and t.op == "≤"
    assert t.resolve(2024) == date(2024, 12, 31)


@pytest.mark.parametrize("text", ["达成", "有效提升应急处置能力", "显著提升", "长期"])
def test_text_is_qualitative(text):
    assert parse_value(text) == Text(text)


@pytest.mark.parametrize("text", ["", "  ", "—", "——", "/", None])
def test_blank(text):
    assert isinstance(parse_value(text), Blank)


@pytest.mark.parametrize("text", ["≥abc%", "≥", "95%%", "12abc", "≥3 apples", "2023年13月", "2023年2月30日"])
def test_unparsable_is_an_error_quoting_the_string(text):
    with pytest.raises(QuantityError) as info:
        parse_value(text)
    assert f"“{text}”" in str(info.value)


def test_convert_between_scales_and_refuse_dimensions():
    target = parse_value("≤8.62万元")
    assert convert(parse_value("86200元"), target) == 86200
    assert convert(parse_value("0.000862亿元"), target) == pytest.approx(86200)
    assert convert(parse_value("98"), parse_value("≥95%")) == 98
    with pytest.raises(UnitMismatch) as info:
        convert(parse_value("3人"), target)
    assert "3人" in str(info.value) and "8.62万元" in str(info.value)
    with pytest.raises(UnitMismatch):
        convert(parse_value("3部"), parse_value("=3个"))


def test_count_units():
    assert is_count(parse_value("3部"))
    assert not is_count(parse_value("3万元"))
    assert not is_count(parse_value("95%"))


@pytest.mark.parametrize("text", ["≈95%", "~95%", "±5%", "¥200"])
def test_unknown_symbol_is_an_error_not_text(text):
    with pytest.raises(QuantityError) as info:
        parse_value(text)
    assert f"“{text}”" in str(info.value)


def test_unicode_minus_reads_as_minus():
    assert parse_value("−5%").value == -5


def test_bare_actual_takes_a_prefixed_or_per_unit_target():
    assert convert(parse_value("1.25"), parse_value("≥1.2万人")) == pytest.approx(12500)
    # a per-unit rate is in the base of both units: 0.6万元/公里 = 6000元/1000米 = 6元/米
    assert convert(parse_value("0.6"), parse_value("≤0.5万元/公里")) == pytest.approx(6)


def test_errors_are_the_common_ones():
    assert QuantityError is errors.QuantityError and UnitMismatch is errors.UnitMismatch
    assert issubclass(UnitMismatch, QuantityError) and issubclass(QuantityError, ValueError)


@pytest.mark.parametrize("text", [None, "", "  ", "—", "——", "-", "－", "/", "／", "\\", "无", "空", "n/a", "N/A", "——/——"])
def test_one_definition_of_blank(text):
    assert is_blank_text(text)
    assert isinstance(parse_value(text), Blank)


@pytest.mark.parametrize("text", ["0", "达成", "无事故", "—5"])
def test_not_blank(text):
    assert not is_blank_text(text)
    assert "／" in BLANK_TOKENS


# --- "余" as a bound (issue 12 item 8) -----------------------------------------------------------
from selfeval_lib.core.quantity import is_lower_bound, is_strict_lower_bound  # noqa: E402


@pytest.mark.parametrize("text, lower, strict", [
    ("3500余元", True, True), ("3500多元", True, True), ("3500元以上", True, True), (">3500元", True, True),
    ("≥3500元", True, False), ("3500元", False, False), ("3500元以内", False, False), ("≤3500元", False, False),
])
def test_yu_duo_yishang_are_lower_bounds_above_their_number(text, lower, strict):
    q = parse_value(text)
    assert (is_lower_bound(q), is_strict_lower_bound(q)) == (lower, strict)
