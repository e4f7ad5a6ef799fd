"""Readings of a value in the context of its target, and the sentences that report them.

:func:`read_against` reads an actual as its target asks (a bare month "9月" against a date target
"10月底前" is September's end in the project year, not 9 months). :func:`describe_reading` says,
in Chinese, how a value was read where the reading goes beyond the obvious (a number written in
words, a range, 个百分点, a per-unit rate, a multiple, a month read as a date, a unit taken from the
target, thousands separators, a spelled-out unit, full-width digits); the review lists these
sentences among its readings.
"""

from __future__ import annotations

import re
from decimal import Decimal

from selfeval_lib.core.numerals import rewrite as rewrite_numerals
from selfeval_lib.core.quantity import (
    _BARE_MONTH_RE,
    _OPERATOR_RE,
    Quantity,
    TimePoint,
    Value,
    _normalise,
    half_width,
    month_end,
    parse_value,
    unit_factor,
)
from selfeval_lib.core.units import DIMENSION_ZH, UNIT_ALIASES
from selfeval_lib.errors import QuantityError


#: The marks of money around a figure, as finance writes it: "人民币捌万元整", "￥86,200.00".
_MONEY_MARKS = re.compile(r"^\s*(?:人民币|RMB|[¥￥])\s*|(?<=元)\s*[整正]\s*$")


def amount_yuan(value: object) -> object:
    """An amount as people write it, in 元 (``Decimal``): "320.8万元", "3,208,000", "3,208,000元",
    "捌万元", "人民币捌万元整", "￥86,200.00", "-5万元" (an adjustment); a number is 元 as it is.
    The unit is part of the value: a bare figure is 元, 万元/亿元/千元 are converted exactly.
    Anything else is returned unchanged for the schema to report, except a figure that is no exact
    amount of money ("约320万元", "320万元以上", "3-5万元", "320万人"), a :class:`ValueError`
    saying so in Chinese."""
    if not isinstance(value, str):
        return value
    try:
        read = parse_value(_MONEY_MARKS.sub("", value))
    except QuantityError:
        return value
    if not isinstance(read, Quantity):
        return value
    if read.dimension not in ("currency", "number"):
        raise ValueError(f"“{value}”不是金额：金额以元或万元填写，如“320.8万元”“3,208,000元”“3208000”")
    about = rewrite_numerals(_normalise(value).replace(" ", ""))
    if about is not None and about.words and read.dimension == "number":
        return value  # a numeral without 元 ("三") is no amount: OCR's dash, or a slip
    if read.op is not None or read.high is not None or read.approx or (about is not None and about.about):
        raise ValueError(f"“{value}”不是确数：金额应填写确切数额，如“320.8万元”")
    yuan = Decimal(repr(read.value))  # exact: parse_value scales in decimal, and 元 have 15 digits at most
    return yuan.quantize(Decimal(1)) if yuan == yuan.to_integral_value() else yuan.normalize()


def _exact(value: str) -> Quantity | None:
    """``value`` read as one exact figure (no operator, 约/余/左右 or range); None otherwise."""
    try:
        read = parse_value(value)
    except QuantityError:
        return None
    about = rewrite_numerals(_normalise(value).replace(" ", ""))
    if (not isinstance(read, Quantity) or read.op is not None or read.high is not None or read.approx
            or (about is not None and about.about)):
        return None
    return read


def rate_fraction(value: object) -> object:
    """A rate as written ("95%", "百分之九十五", "九成五") as the fraction the schema holds (0.95);
    anything else unchanged for the schema to report (a bare 95 is refused there: above 1)."""
    if not isinstance(value, str) or (read := _exact(value)) is None or read.dimension != "percent":
        return value
    return float(Decimal(repr(read.value)) / 100)


def count_value(value: object) -> object:
    """A count as written ("300份", "三百人", "1,200") as an integer; anything else unchanged."""
    if not isinstance(value, str) or (read := _exact(value)) is None:
        return value
    if not (read.dimension == "number" or read.dimension.startswith("count:")) or read.value != int(read.value):
        return value
    return int(read.value)


def month_as_date(actual: Value, target: Value, year: int) -> TimePoint | None:
    """A bare month written as the actual ("9月") against a date target ("10月底前") is that
    month's end in the project year, not a duration of 9 months; None when it is not that case."""
    if not isinstance(target, TimePoint) or not isinstance(actual, Quantity) or actual.op_written:
        return None
    m = _BARE_MONTH_RE.match(half_width(actual.text).replace(" ", ""))
    if not m or not 1 <= int(m["month"]) <= 12:
        return None
    month = int(m["month"])
    return TimePoint(None, False, None, month, month_end(year, month), actual.text)


def read_against(actual_text: str | None, target: Value, year: int) -> Value:
    """The actual read in the context of its target: as :func:`parse_value`, except a bare month
    against a date target, read as a date (:func:`month_as_date`). Raises :class:`QuantityError`
    as :func:`parse_value` does."""
    actual = parse_value(actual_text)
    return month_as_date(actual, target, year) or actual


def describe_reading(text: str | None, value: Value | None = None, target: Value | None = None,
                     year: int | None = None) -> str | None:
    """A Chinese sentence for a reading that goes beyond the obvious, None otherwise: a number
    written in words ("两部" 读作2部), 约/近, a range, 个百分点, a per-unit
    rate, a multiple (倍), a month read as a date, a unit taken from the target, thousands
    separators, a unit spelled out ("%(百分比)"), full-width digits. ``value`` is what was read
    (:func:`parse_value` of ``text`` when not given, or
    :func:`~selfeval_lib.core.readings.read_against`); ``target`` and ``year`` the context, without
    which the readings that need them (a month as a date, a unit from the target) are not given.
    A text that cannot be read gives None (its error is reported where it is parsed)."""
    try:
        value = parse_value(text) if value is None and text is not None else value
    except QuantityError:
        return None
    if text is None or not isinstance(value, (Quantity, TimePoint)):
        return None
    body = _normalise(str(text)).replace(" ", "")
    digits = re.search(r"\d[\d,]*(?:\.\d+)?", body)
    number = f"{float(digits.group(0).replace(',', '')):.12g}" if digits else ""
    parts: list[str] = []
    if isinstance(value, TimePoint) and _BARE_MONTH_RE.match(body) and isinstance(target, TimePoint):
        day = value.resolve(year or 2000)
        parts.append(f"读作{day.year}年{day.month}月{day.day}日（目标为时间“{target.text}”，按项目年度的月末计）")
    written = body[m.end():] if (m := _OPERATOR_RE.match(body)) else body
    words = rewrite_numerals(written) if written and not written[0].isdigit() else None
    if words is not None:
        parts.append(f"读作{words.text}" + ("（约数按所写数值计）" if words.about else ""))
    if isinstance(value, Quantity):
        if value.high is not None:
            low, high = (f"{v / unit_factor(value.unit):.12g}" for v in (value.value, value.high))
            parts.append(f"为区间{low}至{high}{value.unit}：在区间内为完成，低于下限按下限的比例计分")
        if value.dimension == "points":
            parts.append("单位“个百分点”是百分比之差，不与%换算")
        if "/" in value.unit:
            head, per = value.unit.split("/", 1)
            kind = DIMENSION_ZH.get(value.dimension.split("/", 1)[0], "数量")
            parts.append(f"读作单位{kind}：每{per}{number}{head}，与同类单位{kind}换算后比较")
        if value.dimension == "multiple":
            parts.append("为倍数（与指标值的倍数比较，不换算为百分比）")
        if isinstance(target, Quantity) and value.dimension == "number" and target.dimension != "number":
            parts.append(f"未写单位，按指标值“{target.text}”的单位“{target.unit}”读作{number}{target.unit}")
        if re.search(r"\d,\d{3}", body):
            parts.append(f"含千分位分隔符，读作{number}{value.unit}")
        if any(alias in body for alias in UNIT_ALIASES) or "百分比" in body:
            parts.append("单位“百分比”读作%")
    if any("０" <= ch <= "９" or ch in "．％　" for ch in str(text)):
        parts.append("全角数字、符号按半角读")
    return f"“{text}”" + "；".join(parts) + "。" if parts else None


__all__ = ["amount_yuan", "count_value", "describe_reading", "month_as_date", "rate_fraction", "read_against"]
