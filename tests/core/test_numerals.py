"""Numbers as Chinese writes them (issue 22, docs/rules.md §10): the forms read, and property tests
that a number written in any supported form reads back to itself."""

from __future__ import annotations

from decimal import Decimal

import cn2an
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from selfeval_lib.core.numerals import numeral_value, rewrite
from selfeval_lib.core.quantity import Quantity, Text, TimePoint, parse_value
from selfeval_lib.core.readings import describe_reading


@pytest.mark.parametrize("text, value, unit, dimension", [
    ("两部", 2, "部", "count:部"),
    ("≥三个", 3, "个", "count:个"),
    ("≥两千人", 2000, "人", "count:人"),
    ("捌万元", 80_000, "万元", "currency"),
    ("壹拾万元", 100_000, "万元", "currency"),
    ("贰佰元", 200, "元", "currency"),
    ("一点五亿元", 150_000_000, "亿元", "currency"),
    ("一亿二千万元", 120_000_000, "万元", "currency"),
    ("十二人", 12, "人", "count:人"),
    ("一千八百米", 1800, "米", "length"),
    ("百人", 100, "人", "count:人"),
    ("百分之八十", 80, "%", "percent"),
    ("百分之九十五点五", 95.5, "%", "percent"),
    ("百分之百", 100, "%", "percent"),
    ("八成", 80, "%", "percent"),
    ("八成五", 85, "%", "percent"),
    ("十成", 100, "%", "percent"),
    ("约3部", 3, "部", "count:部"),
    ("近2000人", 2000, "人", "count:人"),
    ("大约两百人", 200, "人", "count:人"),
    ("完成3部", 3, "部", "count:部"),
    ("达到95%", 95, "%", "percent"),
    ("8个百分点", 8, "个百分点", "points"),
    ("≥5百分点", 5, "百分点", "points"),
    ("100%覆盖", 100, "%", "percent"),
    ("2TB", 2048, "TB", "data"),
    ("５００ＧＢ", 500, "GB", "data"),
    ("壹仟贰佰元", 1200, "元", "currency"),
    ("兩萬人", 20_000, "万人", "count:人"),
    ("百分百", 100, "%", "percent"),
    ("千分之五", 0.5, "‰", "percent"),
])
def test_numbers_written_in_words(text, value, unit, dimension):
    q = parse_value(text)
    assert isinstance(q, Quantity), q
    assert (q.value, q.unit, q.dimension) == (pytest.approx(value), unit, dimension)


@pytest.mark.parametrize("text, value, unit", [
    ("十几个", 10, "个"), ("上百人", 100, "人"), ("上千次", 1000, "次"), ("上万人", 10_000, "万人"),
    ("逾千人", 1000, "人"), ("逾3000人", 3000, "人"), ("逾三千人", 3000, "人"), ("超过3次", 3, "次"),
])
def test_round_figures_and_more_than_are_lower_bounds(text, value, unit):
    q = parse_value(text)
    assert isinstance(q, Quantity) and (q.value, q.unit) == (value, unit) and q.op in ("≥", ">")


@pytest.mark.parametrize("text, value, unit", [
    ("3个月内", 90, "个月"), ("五个工作日内", 5, "个工作日"), ("10个工作日之内", 10, "个工作日"), ("3天内", 3, "天"),
])
def test_within_a_time_is_a_ceiling(text, value, unit):
    q = parse_value(text)
    assert isinstance(q, Quantity) and (q.op, q.value, q.unit) == ("≤", value, unit)


@pytest.mark.parametrize("text, op, value, unit", [
    ("满意度达95%", None, 95, "%"), ("验收合格率为100%", None, 100, "%"), ("培训人次：520人次", None, 520, "人次"),
    ("完成率98%", None, 98, "%"), ("满意度达九成", None, 90, "%"), ("社会公众满意度≥90%", "≥", 90, "%"),
    ("成本额≤8.62万元", "≤", 86_200, "万元"),
])
def test_a_measure_named_before_its_figure_reads_as_the_figure(text, op, value, unit):
    q = parse_value(text)
    assert isinstance(q, Quantity) and (q.op, q.value, q.unit, q.text) == (op, value, unit, text)


@pytest.mark.parametrize("text", ["未完成数3个", "差额5万元", "满意度高", "合格率达标", "满意度调查95%"])
def test_a_named_measure_of_what_is_not_done_stays_words(text):
    assert parse_value(text) == Text(text)


@pytest.mark.parametrize("text, month", [("12月内", 12), ("2023年6月内", 6)])
def test_within_a_month_is_still_a_date(text, month):
    t = parse_value(text)
    assert isinstance(t, TimePoint) and (t.op, t.month) == ("≤", month)


def test_approximations_keep_their_meaning():
    assert parse_value("三百余人").op == "≥" and parse_value("三百余人").approx      # 余: at least
    assert parse_value("两千多万元").value == 20_000_000 and parse_value("两千多万元").op == "≥"
    assert parse_value("九成以上").op == "≥" and parse_value("九成以上").value == 90
    about = parse_value("约两百人")
    assert about.op is None and not about.approx and about.value == 200                 # 约: the number


@pytest.mark.parametrize("text, low, high, unit", [
    ("3-5次", 3, 5, "次"), ("3～5次", 3, 5, "次"), ("3~5次", 3, 5, "次"), ("3至5次", 3, 5, "次"),
    ("3到5次", 3, 5, "次"), ("3—5次", 3, 5, "次"), ("3次-5次", 3, 5, "次"), ("三至五次", 3, 5, "次"),
    ("３－５次", 3, 5, "次"), ("90%-95%", 90, 95, "%"), ("1万-2万人", 10_000, 20_000, "万人"),
    ("1,200-1,500人", 1200, 1500, "人"),
    # two neighbouring digits are a colloquial range, never the digits side by side (35, 12)
    ("三五次", 3, 5, "次"), ("三四个", 3, 4, "个"), ("一两次", 1, 2, "次"), ("两三百人", 200, 300, "人"),
    ("三四十人", 30, 40, "人"), ("三五万元", 30_000, 50_000, "万元"),
])
def test_ranges(text, low, high, unit):
    q = parse_value(text)
    assert isinstance(q, Quantity) and (q.value, q.high, q.unit) == (low, high, unit)
    assert q.op is None and not q.op_written


@pytest.mark.parametrize("text", ["2023-06-30", "2023-6-3"])
def test_iso_dates_are_no_ranges(text):
    assert isinstance(parse_value(text), TimePoint)


def test_a_month_in_words_is_a_date():
    t = parse_value("十二月底前")
    assert isinstance(t, TimePoint) and (t.month, t.day, t.op) == (12, 31, "≤")


@pytest.mark.parametrize("text", ["一般", "十分满意", "万无一失", "一次性补助", "完成良好", "共同推进", "近期完成",
                                  "一成不变", "百姓满意", "零投诉", "达成", "有效提升",
                                  "一一", "二二", "九一", "上级部门", "上半年", "逾期未办"])  # no number: cn2an would read 11, 22, 91
def test_words_that_only_start_like_numbers_stay_text(text):
    assert parse_value(text) == Text(text)


def test_an_operator_before_unreadable_words_is_still_an_error():
    from selfeval_lib.errors import QuantityError
    with pytest.raises(QuantityError):
        parse_value("≥三个好评")


@pytest.mark.parametrize("text, sentence", [
    ("两部", "“两部”读作2部。"),
    ("约3部", "“约3部”读作3部（约数按所写数值计）。"),
    ("3-5次", "“3-5次”为区间3至5次：在区间内为完成，低于下限按下限的比例计分。"),
    ("8个百分点", "“8个百分点”单位“个百分点”是百分比之差，不与%换算。"),
])
def test_readings_are_described(text, sentence):
    assert describe_reading(text) == sentence


def test_rewrite_leaves_digits_alone():
    assert rewrite("95%") is None and rewrite("达成") is None
    assert rewrite("两部").text == "2部" and rewrite("约3部").about


def test_numeral_value_refuses_what_is_no_numeral():
    assert numeral_value("万") is None and numeral_value("") is None
    assert numeral_value("百") == 100 and numeral_value("两千") == 2000


# --- property tests: a number written in any supported form reads back to itself ----------------

UNITS = ["", "人", "部", "个", "次", "万元", "元", "米", "平方米", "%", "TB", "个百分点"]
amounts = st.integers(min_value=0, max_value=10**12)
small = st.integers(min_value=1, max_value=9_999)


def _factor(unit: str) -> float:
    return parse_value(f"1{unit}").value


def _two(text: str) -> str:
    """The colloquial 两 for a leading 二 before a multiplier ("二千" → "两千")."""
    return "两" + text[1:] if text[:1] == "二" and text[1:2] in "百千万亿" else text


@settings(max_examples=300, deadline=None)
@given(n=amounts, unit=st.sampled_from(UNITS), form=st.sampled_from(["digits", "commas", "full", "low", "up", "two"]))
def test_any_written_form_reads_back(n, unit, form):
    # no table writes 10000 万元 in words as "一万万元" (it writes "1亿元")
    assume(not (form in ("low", "up", "two") and unit.startswith("万") and n >= 10_000))
    written = {
        "digits": str(n),
        "commas": f"{n:,}",
        "full": str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
        "low": cn2an.an2cn(n, "low"),
        "up": cn2an.an2cn(n, "up"),
        "two": _two(cn2an.an2cn(n, "low")),
    }[form]
    q = parse_value(written + unit)
    assert isinstance(q, Quantity)
    assert q.value == pytest.approx(n * _factor(unit), rel=1e-12)


@settings(max_examples=200, deadline=None)
@given(n=small, magnitude=st.sampled_from(["万", "亿"]), unit=st.sampled_from(["元", "人", ""]))
def test_magnitudes_read_back(n, magnitude, unit):
    q = parse_value(cn2an.an2cn(n, "low") + magnitude + unit)
    scale = 10_000 if magnitude == "万" else 100_000_000
    assert isinstance(q, Quantity) and q.value == pytest.approx(n * scale * _factor(unit), rel=1e-12)


@settings(max_examples=200, deadline=None)
@given(whole=st.integers(min_value=0, max_value=9999), tenths=st.integers(min_value=1, max_value=9),
       unit=st.sampled_from(["万元", "亿元", "%", "米"]))
def test_decimals_in_words_read_back(whole, tenths, unit):
    words = cn2an.an2cn(f"{whole}.{tenths}", "low")
    q = parse_value(words + unit)
    expected = Decimal(f"{whole}.{tenths}") * Decimal(repr(_factor(unit)))
    assert isinstance(q, Quantity) and q.value == pytest.approx(float(expected), rel=1e-12)


@settings(max_examples=100, deadline=None)
@given(n=st.integers(min_value=0, max_value=100))
def test_per_cent_in_words_reads_back(n):
    assert parse_value("百分之" + cn2an.an2cn(n, "low")).value == n


@settings(max_examples=50, deadline=None)
@given(tenths=st.integers(min_value=1, max_value=10), half=st.integers(min_value=0, max_value=9))
def test_tenths_read_back(tenths, half):
    words = cn2an.an2cn(tenths, "low") + "成" + (cn2an.an2cn(half, "low") if half and tenths < 10 else "")
    assert parse_value(words).value == tenths * 10 + (half if tenths < 10 else 0)


@settings(max_examples=200, deadline=None)
@given(low=st.integers(min_value=0, max_value=10**6), span=st.integers(min_value=0, max_value=10**4),
       sep=st.sampled_from(["-", "～", "~", "至", "到", "—"]), unit=st.sampled_from(["次", "人", "%", "元"]),
       words=st.booleans())
def test_ranges_read_back(low, span, sep, unit, words):
    high = low + span
    # "一至二十五万次" is read as 1万–25万 (as people read "1-2万人"): in words, no 万 in the bounds
    assume(not words or high < 10_000)
    show = (lambda n: cn2an.an2cn(n, "low")) if words else str
    q = parse_value(f"{show(low)}{sep}{show(high)}{unit}")
    f = _factor(unit)
    assert isinstance(q, Quantity)
    assert (q.value, q.high) == (pytest.approx(low * f, rel=1e-12), pytest.approx(high * f, rel=1e-12))
