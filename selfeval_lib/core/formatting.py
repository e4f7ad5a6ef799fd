"""Display formats shared by findings, narrative and tables (rounding happens only here)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_CENT = Decimal("0.01")
_WAN = Decimal(10_000)


def wan(amount_yuan: Decimal | float | int) -> str:
    """元 → "8.62万元" (two decimals, as the tables print 万元)."""
    value = (Decimal(str(amount_yuan)) / _WAN).quantize(_CENT, rounding=ROUND_HALF_UP)
    return f"{value:,.2f}万元"


def yuan(amount_yuan: Decimal | float | int) -> str:
    """元 → "12,000元" or "1,234.50元"."""
    value = Decimal(str(amount_yuan)).quantize(_CENT, rounding=ROUND_HALF_UP)
    return f"{value:,.0f}元" if value == value.to_integral_value() else f"{value:,.2f}元"


def percent(fraction: float | None, digits: int = 2) -> str:
    """0.875 → "87.5%", 1.0 → "100%"; None → "—"."""
    if fraction is None:
        return "—"
    value = Decimal(str(fraction * 100)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def score(value: float) -> str:
    """A score with two decimals at most: 9.5 → "9.5", 100.0 → "100"."""
    rounded = Decimal(str(value)).quantize(_CENT, rounding=ROUND_HALF_UP)
    text = f"{rounded:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
