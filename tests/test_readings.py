"""Amounts as people write them in params and workbooks (core/readings.amount_yuan): the unit is
part of the value, and whatever is no exact sum of money is refused with a Chinese message."""

from __future__ import annotations

from decimal import Decimal

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfeval_lib.core.readings import amount_yuan


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
