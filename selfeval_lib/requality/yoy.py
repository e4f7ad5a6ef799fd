"""Year over year: the same project's 复核 this year against last year's, as Chinese sentences for
the 复核意见 — indicators dropped or added, targets lowered, the same problem found again.

Indicators are matched by their 三级指标 name (normalised: no spaces or punctuation, digits
masked, so "2023年完成数" matches "2024年完成数"). A target is lowered when both years' targets read
(:func:`selfeval_lib.core.quantity.parse_value`) as quantities of the same dimension and direction
and this year's asks less: a smaller lower bound ("≥95%" → "≥90%"), a larger upper bound ("≤100元"
→ "≤120元"), a later deadline. A problem is found again when a rule of the 口径 deducted points in
both years: on the same indicator, or (else) anywhere in the project.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from selfeval_lib.core.quantity import Quantity, TimePoint, convert, parse_value
from selfeval_lib.errors import ValueReadError
from selfeval_lib.requality.copies import normalise
from selfeval_lib.requality.model import IndicatorRequality, Requality


def _by_name(indicators: tuple[IndicatorRequality, ...]) -> dict[str, list[IndicatorRequality]]:
    out: dict[str, list[IndicatorRequality]] = defaultdict(list)
    for i in indicators:
        out[normalise(i.name)].append(i)
    return out


def _lowered(previous: str, current: str, year: int | None, last_year: int | None) -> str | None:
    """How the target was lowered ("降低为", "放宽为", "推迟为"), or None."""
    try:
        before, now = parse_value(previous), parse_value(current)
    except ValueReadError:
        return None
    if isinstance(before, Quantity) and isinstance(now, Quantity):
        if before.direction != now.direction or before.dimension != now.dimension:
            return None
        try:
            value = convert(now, before)
        except ValueReadError:
            return None
        if before.direction == "positive" and value < before.value:
            return "降低为"
        if before.direction == "reverse" and value > before.value:
            return "放宽为"
        return None
    if isinstance(before, TimePoint) and isinstance(now, TimePoint):
        if (before.year is None) != (now.year is None):
            return None
        # a deadline a year later is the same deadline in the next year's table
        shift = (year or 0) - (last_year or 0) if before.year and now.year else 0
        b, n = (before.year or 0) + shift, now.year or 0
        if (n, now.month, now.day) > (b, before.month, before.day):
            return "推迟为"
    return None


def _deducted_codes(r: Requality) -> Counter[str]:
    return Counter(i.rule_code for i in r.indicators if i.deduction > 0 and i.rule_code)


def compare_years(current: Requality, previous: Requality) -> list[str]:
    """Sentences comparing ``current`` with ``previous`` (the same project's previous year)."""
    last = f"{previous.year}年度" if previous.year else "上年"
    now_by, last_by = _by_name(current.indicators), _by_name(previous.indicators)
    sentences: list[str] = []
    for key, items in last_by.items():
        for old in items[len(now_by.get(key, [])):]:
            sentences.append(f"与{last}相比，删除了{old.level2}“{old.name}”（{last}指标值“{old.target}”）。")
    for key, items in now_by.items():
        for new in items[len(last_by.get(key, [])):]:
            sentences.append(f"与{last}相比，新增了{new.level2}“{new.name}”（指标值“{new.target}”）。")
    again: dict[str, list[str]] = defaultdict(list)
    for key, items in now_by.items():
        for new, old in zip(items, last_by.get(key, [])):
            how = _lowered(old.target, new.target, current.year, previous.year)
            if how:
                sentences.append(f"“{new.name}”的指标值由{last}的“{old.target}”{how}“{new.target}”，目标设置偏低。")
            if new.deduction > 0 and old.deduction > 0 and new.rule_code and new.rule_code == old.rule_code:
                again[new.rule_code].append(new.name)
    for code in sorted(again):
        names = "、".join(f"“{n}”" for n in again[code])
        sentences.append(f"{names}{last}已因同一问题扣分（规则 {code}{_what(code, current)}），本年度仍未整改。")
    now_codes, last_codes = _deducted_codes(current), _deducted_codes(previous)
    for code in sorted((now_codes.keys() & last_codes.keys()) - again.keys()):
        sentences.append(f"规则 {code}{_what(code, current)}所指问题{last}和本年度均有扣分（{last} {last_codes[code]} 个指标，"
                         f"本年度 {now_codes[code]} 个指标），同类问题重复出现。")
    return sentences


def _what(code: str, r: Requality) -> str:
    """"：<what the rule looks at>" from the result's rule hits, or ""."""
    looks_at = next((h.looks_at for i in r.indicators for h in i.hits if h.code == code and h.looks_at), "")
    return f"：{looks_at}" if looks_at else ""


__all__ = ["compare_years"]
