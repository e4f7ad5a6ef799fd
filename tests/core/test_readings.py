"""Amounts as people write them in params and workbooks (core/readings.amount_yuan): the unit is
part of the value, and whatever is no exact sum of money is refused with a Chinese message."""

from __future__ import annotations

from decimal import Decimal

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfeval_lib.core.readings import amount_yuan, count_value, rate_fraction


@pytest.mark.parametrize("written, yuan", [
    ("320.8万元", "3208000"),
    ("3,208,000", "3208000"),
    ("3,208,000元", "3208000"),
    ("3208000.50元", "3208000.5"),
    ("捌万元", "80000"),
    ("壹拾贰万叁仟元", "123000"),
    ("0.5亿元", "50000000"),
    ("３２０．８万元", "3208000"),
    ("-5万元", "-50000"),
    (" 18,000 元 ", "18000"),
    ("人民币捌万元整", "80000"),
    ("￥86,200.00", "86200"),
    ("¥ 1,205,000元", "1205000"),
])
def test_amounts_as_written(written, yuan):
    assert amount_yuan(written) == Decimal(yuan)


@pytest.mark.parametrize("value", [86200, 86200.5, Decimal("86200"), None, True, "见批复文件", "", "三", "捌万"])
def test_what_is_not_written_text_is_left_to_the_schema(value):
    assert amount_yuan(value) is value


@pytest.mark.parametrize("written, fragment", [
    ("约320万元", "不是确数"), ("近320万元", "不是确数"), ("320万元以上", "不是确数"), ("300余万元", "不是确数"),
    ("≥320万元", "不是确数"), ("3-5万元", "不是确数"), ("320万元左右", "不是确数"),
    ("320万人", "不是金额"), ("95%", "不是金额"), ("3部", "不是金额"),
])
def test_no_exact_sum_of_money_is_refused(written, fragment):
    with pytest.raises(ValueError) as info:
        amount_yuan(written)
    assert fragment in str(info.value) and written in str(info.value)


cents = st.integers(min_value=0, max_value=10**14)  # up to 1万亿元, in 分


@settings(max_examples=300, deadline=None)
@given(fen=cents, form=st.sampled_from(["yuan", "commas", "wan", "yi", "full"]))
def test_any_written_amount_reads_back(fen, form):
    yuan = Decimal(fen) / 100
    written = {
        "yuan": f"{yuan}元",
        "commas": f"{yuan:,}元",
        "wan": f"{yuan / 10_000:f}万元",
        "yi": f"{yuan / 100_000_000:f}亿元",
        "full": f"{yuan}".translate(str.maketrans("0123456789.", "０１２３４５６７８９．")) + "元",
    }[form]
    assert amount_yuan(written) == yuan


@settings(max_examples=200, deadline=None)
@given(n=st.integers(min_value=1, max_value=10**8), case=st.sampled_from(["low", "up"]))
def test_amounts_in_words_read_back(n, case):
    assert amount_yuan(cn2an.an2cn(n, case) + "元") == n


@pytest.mark.parametrize("written, fraction", [
    ("95%", 0.95), ("９５％", 0.95), ("百分之九十五", 0.95), ("九成五", 0.95), ("八成", 0.8), ("100%", 1.0),
])
def test_rates_as_written(written, fraction):
    assert rate_fraction(written) == pytest.approx(fraction, abs=1e-12)


@pytest.mark.parametrize("value", [0.95, 95, "约95%", "≥95%", "95", "95人", "达成"])
def test_what_is_no_exact_rate_is_left_to_the_schema(value):
    assert rate_fraction(value) is value


@pytest.mark.parametrize("written, count", [("300份", 300), ("三百人", 300), ("1,200", 1200), ("两千份", 2000)])
def test_counts_as_written(written, count):
    assert count_value(written) == count


@pytest.mark.parametrize("value", [300, "约300份", "300余份", "3.5份", "300万元", "很多"])
def test_what_is_no_exact_count_is_left_to_the_schema(value):
    assert count_value(value) is value


@settings(max_examples=200, deadline=None)
@given(n=st.integers(min_value=0, max_value=1000), form=st.sampled_from(["digits", "words", "per_cent"]))
def test_any_written_rate_reads_back(n, form):
    tenth = Decimal(n) / 10  # 0.0 … 100.0 per cent, one decimal
    written = {"digits": f"{tenth}%", "words": f"百分之{cn2an.an2cn(str(tenth), 'low')}",
               "per_cent": f"{tenth}％"}[form]
    assert rate_fraction(written) == pytest.approx(float(tenth / 100), abs=1e-12)
