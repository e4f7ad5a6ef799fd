"""Readings of a value in the context of its target, and the sentences that report them.

:func:`read_against` reads an actual as its target asks (a bare month "9月" against a date target
"10月底前" is September's end in the project year, not 9 months). :func:`describe_reading`
(defined in :mod:`selfeval_lib.core.quantity`, re-exported here) says, in Chinese, how a value was
read where the reading goes beyond the obvious (a per-unit rate, a multiple, a month read as a
date, a unit taken from the target, thousands separators, a spelled-out unit, full-width digits);
the review lists these sentences among its readings.
"""

from __future__ import annotations

from selfeval_lib.core.quantity import (
    _BARE_MONTH_RE,
    Quantity,
    TimePoint,
    Value,
    describe_reading,
    half_width,
    month_end,
    parse_value,
)


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


__all__ = ["describe_reading", "month_as_date", "read_against"]
