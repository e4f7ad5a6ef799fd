"""Display formats shared by findings, narrative, tables, charts, the index and the workbooks.

Numbers are shown one way (issue 12): amounts in 万元 with two decimals, rates as percentages with
two decimals ("17.40%", "100.00%"), scores with two decimals ("9.60", "100.00"). Rounding happens
only here and always half up on the decimal value as written (:func:`round_half_up`), so 97.125
is 97.13 everywhere — Python's ``round(97.125, 2)`` gives 97.12, because the float 97.125 is
stored as 97.12499999…. Full precision stays in metrics.json.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

_CENT = Decimal("0.01")
_WAN = Decimal(10_000)
_QUANTA = tuple(Decimal(1).scaleb(-digits) for digits in range(7))  # 1, 0.1 … 0.000001

Number = Decimal | float | int

#: Excel number formats of every workbook written, by the same rule as the text: 万元 with two
#: decimals and thousands separated ("1,234.57"), a rate as a percentage with two decimals, a
#: score with two decimals.
XLSX_AMOUNT = "#,##0.00"
XLSX_RATE = "0.00%"
XLSX_SCORE = "0.00"


def decimal_half_up(value: Number, digits: int = 2) -> Decimal:
    """``value`` rounded half up to ``digits`` decimals, read as its shortest decimal text
    (``Decimal(str(97.125))`` is exactly 97.125, so it rounds to 97.13)."""
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    quantum = _QUANTA[digits] if 0 <= digits < len(_QUANTA) else Decimal(1).scaleb(-digits)
    return exact.quantize(quantum, rounding=ROUND_HALF_UP)


def round_half_up(value: Number, digits: int = 2) -> float:
    """The one rounding rule for stored rounded figures (index, portfolio): 97.125 → 97.13,
    2.675 → 2.68, -1.005 → -1.01 (half away from zero)."""
    return float(decimal_half_up(value, digits))


def _trimmed(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def wan_value(amount_yuan: Number) -> Decimal:
    """元 → 万元 rounded half up to two decimals (86200 → Decimal("8.62"))."""
    exact = amount_yuan if isinstance(amount_yuan, Decimal) else Decimal(str(amount_yuan))
    return decimal_half_up(exact / _WAN)


def wan_number(amount_yuan: Number) -> float:
    """元 → 万元 as a number at full precision, for a table or workbook cell whose format shows
    two decimals (86215 → 8.6215; the cell shows 8.62)."""
    exact = amount_yuan if isinstance(amount_yuan, Decimal) else Decimal(str(amount_yuan))
    return float(exact / _WAN)


def wan(amount_yuan: Number, unit: bool = True) -> str:
    """元 → "8.62万元" (two decimals, thousands separated); ``unit=False`` → "8.62" for a column
    whose header names 万元."""
    text = f"{wan_value(amount_yuan):,.2f}"
    return text + "万元" if unit else text


def yuan(amount_yuan: Number) -> str:
    """元 → "12,000元" or "1,234.50元"."""
    value = decimal_half_up(amount_yuan)
    return f"{value:,.0f}元" if value == value.to_integral_value() else f"{value:,.2f}元"


def percent(fraction: float | None, digits: int = 2, *, trim: bool = False) -> str:
    """A rate (fraction) as a percentage with ``digits`` decimals: 0.174 → "17.40%", 1.0 →
    "100.00%"; ``trim=True`` drops trailing zeros (a rule's threshold: 0.9 → "90%"); None → "—"."""
    if fraction is None:
        return "—"
    value = decimal_half_up(Decimal(str(fraction)) * 100, digits)
    return f"{_trimmed(value) if trim else f'{value:f}'}%"


def score(value: float, *, trim: bool = False) -> str:
    """A score with two decimals: 9.6 → "9.60", 100 → "100.00", 97.125 → "97.13";
    ``trim=True`` drops trailing zeros ("9.6")."""
    rounded = decimal_half_up(value)
    return _trimmed(rounded) if trim else f"{rounded:f}"


def chinese_date(value: dt.date) -> str:
    """A date as prose writes it: 2023-01-16 → "2023年1月16日"."""
    return f"{value.year}年{value.month}月{value.day}日"
