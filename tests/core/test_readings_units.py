"""The values real tables hold (issue 13 item 2): units from the units table, per-unit rates,
multiples, spelled-out percentages, split cells joined, full-width digits, thousands separators,
a bare month read as a date against a date target, and the sentences reporting these readings."""

from __future__ import annotations

from datetime import date

import pytest

from selfeval_lib.core import units
from selfeval_lib.core.model import Indicator
from selfeval_lib.core.quantity import Quantity, TimePoint, convert, parse_value
from selfeval_lib.core.readings import describe_reading
from selfeval_lib.core.readings import month_as_date, read_against
from selfeval_lib.errors import QuantityError, UnitMismatch


@pytest.mark.parametrize("text, dimension, value", [
    ("12公里", "length", 12_000), ("≥12千米", "length", 12_000), ("50厘米", "length", 0.5),
    ("3公顷", "area", 30_000), ("1200平方米", "area", 1200), ("2吨", "mass", 2000), ("≥20 立方米", "volume", 20),
    ("≥1.5倍", "multiple", 1.5), ("90百分比", "percent", 90), ("≥100百分比", "percent", 100),
])
def test_units_of_real_tables(text, dimension, value):
    q = parse_value(text)
    assert isinstance(q, Quantity) and q.dimension == dimension and q.value == pytest.approx(value)


@pytest.mark.parametrize("unit", ["人", "人次", "个", "次", "户", "台", "套", "部", "项", "件", "所", "场", "期",
                                  "篇", "份", "家", "辆", "批", "条", "座", "棵", "株", "头", "只", "艘"])
def test_every_listed_count_is_its_own_dimension(unit):
    q = parse_value(f"≥3{unit}")
    assert q.dimension == f"count:{unit}" and q.value == 3
    other = "台" if unit != "台" else "人"
    with pytest.raises(UnitMismatch):
        convert(parse_value(f"3{other}"), q)


def test_units_are_data_not_parser_code():
    assert units.MEASURES["亩"][0] == "area" and "倍" in units.MEASURES and "株" in units.COUNT_UNITS
    assert units.all_units()[0] == max(units.all_units(), key=len)


def test_area_units_convert():
    assert convert(parse_value("45亩"), parse_value("≥3公顷")) == pytest.approx(30_000, rel=1e-6)


def test_per_unit_rate_written_either_way_is_one_value():
    assert parse_value("每亩500元").value == parse_value("500元/亩").value
    assert parse_value("每亩500元").dimension == parse_value("500元/亩").dimension == "currency/area"
    assert convert(parse_value("每亩450元"), parse_value("≤500元/亩")) < parse_value("≤500元/亩").value
    # 元/平方米 and 元/亩 are one dimension: 0.6元/平方米 = 400元/亩
    assert convert(parse_value("0.6元/平方米"), parse_value("≤500元/亩")) == pytest.approx(0.6)
    q = parse_value("≤每亩500元")
    assert q.op == "≤" and q.direction == "reverse"


def test_per_person_rates():
    assert parse_value("80元/人").dimension == "currency/count:人"
    assert parse_value("≤30元/人·次").dimension == "currency/count:人·次"
    with pytest.raises(UnitMismatch):
        convert(parse_value("80元/人"), parse_value("≤500元/亩"))


def test_per_year_rate_keeps_its_per_as_written():
    assert parse_value("≥2次/年").dimension == "count:次/年"


def test_per_word_inside_text_stays_text():
    assert parse_value("每年12月底前完成").__class__.__name__ == "Text"
    assert parse_value("每季度开展检查").__class__.__name__ == "Text"


@pytest.mark.parametrize("text", [">= 90 %(百分比)", ">=90%（百分比）", "≥ 90 %", "≥９０％", "＞＝ 90 %"])
def test_percent_spelled_out_and_split_cells_joined(text):
    q = parse_value(text)
    assert (q.op, q.value, q.dimension) == ("≥", 90, "percent")


@pytest.mark.parametrize("text, value", [("1,200万元", 12_000_000), ("1，200人", 1200), ("120.50万元", 1_205_000),
                                         ("１２０．５０万元", 1_205_000), ("1 200人", 1200), ("1,205,000元", 1_205_000)])
def test_thousands_separators_full_width_and_spaces(text, value):
    assert parse_value(text).value == pytest.approx(value)


def test_a_string_that_still_cannot_be_read_is_an_error_quoting_it():
    with pytest.raises(QuantityError, match="“≥90斗”"):
        parse_value("≥90斗")
    with pytest.raises(QuantityError, match="“≥每亩”"):
        parse_value("≥每亩")


def test_bare_month_is_a_date_when_the_target_is_a_date():
    target = parse_value("10月底前")
    actual = read_against("9月", target, 2023)
    assert isinstance(actual, TimePoint) and actual.resolve(2023) == date(2023, 9, 30)
    assert read_against("2月", target, 2023).resolve(2023) == date(2023, 2, 28)
    # against a duration or a count the month stays a duration
    assert isinstance(read_against("9月", parse_value("≤10个月"), 2023), Quantity)
    assert month_as_date(parse_value("≥9月"), target, 2023) is None
    assert isinstance(parse_value("9月份"), TimePoint)


def test_scoring_reads_a_bare_month_against_a_date_target(national):
    from selfeval_lib.core.scoring import score_indicator
    ind = Indicator(level1="产出指标", level2="时效指标", name="完工时间", target="10月底前", actual="9月", weight=10)
    assert score_indicator(ind, national, 2023).kind == "time"
    assert score_indicator(ind, national, 2023).score == 10
    late = ind.model_copy(update={"actual": "11月"})
    assert score_indicator(late, national, 2023).score == 0


@pytest.mark.parametrize("text, target, expected", [
    ("9月", "10月底前", "“9月”读作2023年9月30日（目标为时间“10月底前”"),
    ("每亩500元", "≤600元/亩", "单位金额：每亩500元"),
    ("80元/人", None, "每人80元"),
    ("1.5倍", "≥1倍", "倍数"),
    ("98", "≥95%", "按指标值“≥95%”的单位“%”读作98%"),
    ("1,200人", None, "千分位"),
    (">= 90 %(百分比)", None, "百分比"),
    ("９５％", None, "全角"),
])
def test_describe_reading(text, target, expected):
    tv = parse_value(target) if target else None
    value = read_against(text, tv, 2023) if tv is not None else parse_value(text)
    sentence = describe_reading(text, value, tv, 2023)
    assert sentence is not None and expected in sentence


@pytest.mark.parametrize("text, target", [("95%", "≥90%"), ("2023年9月", "10月底前"), ("达成", "达成"), ("", "≥1人")])
def test_obvious_readings_are_not_described(text, target):
    tv = parse_value(target)
    assert describe_reading(text, read_against(text, tv, 2023), tv, 2023) is None


def test_describe_reading_of_a_text_alone():
    """As the review's value readings call it: the text only, no context."""
    assert "倍数" in describe_reading("≥1.5倍")
    assert describe_reading("95%") is None and describe_reading("无法识别的≥") is None
    assert describe_reading("≥90斗") is None and describe_reading(None) is None
