"""Parse the target and actual strings of performance tables.

Tables write values such as "≥95%", "≦8.62万元", "=3部", "600余人", "2023年12月底前" or
"达成". :func:`parse_value` turns one such string into a :class:`Quantity`, a :class:`TimePoint`,
a :class:`Text` (qualitative) or :class:`Blank`. A string that looks numeric (it starts with an
operator or a digit) but cannot be read raises :class:`QuantityError` quoting the string; it is
never read as zero.

Units carry a dimension and a factor to the dimension's base unit, so "8.62万元" and "86200元"
compare equal (base unit 元), while "3人" and "3万元" cannot be compared
(:func:`convert` raises :class:`UnitMismatch`). The units are data (:mod:`selfeval_lib.core.units`):
lengths, areas (亩, 公顷), masses, volumes, counts, 倍, and per-unit rates ("500元/亩", written
"每亩500元" too, is 元 per 平方米; "80元/人" is 元 per 人). Values are read as tables print them:
full-width digits, spaces inside numbers, thousands separators ("1，200人"), the unit spelled
out (">= 90 %(百分比)"), and numbers written in Chinese ("两部", "捌万元", "八成", "3至5次": the
rewriting into digits is :mod:`selfeval_lib.core.numerals`). A range has its upper bound in
``Quantity.high``. :func:`~selfeval_lib.core.readings.describe_reading` says how a value was read
where that goes beyond the obvious; reading an actual in the context of its target ("9月" against "10月底前" is a
date) is :func:`selfeval_lib.core.readings.read_against`.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Literal, NamedTuple, Union

from selfeval_lib.core.numerals import rewrite as rewrite_numerals
from selfeval_lib.core.units import (
    PER_PREFIX,
    RANGE_SEPARATORS,
    TRAILING_WORDS,
    UNIT_ALIASES,
    all_units,
    unit_reading,
)
from selfeval_lib.errors import QuantityError, UnitMismatch

Direction = Literal["positive", "reverse", "equal"]

#: Operator glyphs as printed in tables (incl. full-width and look-alike forms) → (symbol, direction).
OPERATORS: dict[str, tuple[str, Direction]] = {
    "≥": ("≥", "positive"), "≧": ("≥", "positive"), ">=": ("≥", "positive"),
    "＞＝": ("≥", "positive"), "⩾": ("≥", "positive"),
    ">": (">", "positive"), "＞": (">", "positive"),
    "≤": ("≤", "reverse"), "≦": ("≤", "reverse"), "<=": ("≤", "reverse"),
    "＜＝": ("≤", "reverse"), "⩽": ("≤", "reverse"),
    "<": ("<", "reverse"), "＜": ("<", "reverse"),
    "=": ("=", "equal"), "＝": ("=", "equal"), "═": ("=", "equal"), "==": ("=", "equal"),
    "不低于": ("≥", "positive"), "不少于": ("≥", "positive"), "大于等于": ("≥", "positive"),
    "大于": (">", "positive"), "高于": (">", "positive"), "多于": (">", "positive"),
    "不高于": ("≤", "reverse"), "不超过": ("≤", "reverse"), "不多于": ("≤", "reverse"),
    "小于等于": ("≤", "reverse"), "小于": ("<", "reverse"), "低于": ("<", "reverse"),
    "少于": ("<", "reverse"), "等于": ("=", "equal"), "超过": (">", "positive"),
}

_UNIT_ALTERNATION = "|".join(re.escape(u) for u in all_units())
_OPERATOR_RE = re.compile(
    "^(" + "|".join(sorted((re.escape(o) for o in OPERATORS), key=len, reverse=True)) + ")"
)
_NUMBER_RE = re.compile(
    r"^(?P<num>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"
    r"(?P<approx1>余|多)?(?P<mag>[千万亿](?!元))?(?P<approx2>余|多)?"
    r"(?P<unit>" + _UNIT_ALTERNATION + r")?(?P<per>/[\u4e00-\u9fffA-Za-z²³㎡·]{1,5})?"
    r"(?P<approx3>以上|以内|之内|以下|左右|内)?(?P<word>" + "|".join(map(re.escape, TRAILING_WORDS)) + r")?$"
)
#: A range: "3-5次", "3次至5次", "90%～95%", "1万-2万人" (the second part a full quantity).
_RANGE_RE = re.compile(
    r"^(?P<low>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?P<unit>[^\d]{0,6}?)"
    r"(?:" + "|".join(map(re.escape, RANGE_SEPARATORS)) + r")(?P<high>\d.*)$"
)
_DATE_RE = re.compile(
    r"^(?:(?P<year>\d{4})\s*年\s*)?(?P<month>\d{1,2})\s*月份?"
    r"(?:\s*(?P<day>\d{1,2})\s*日)?\s*(?P<edge>底|末|上旬|中旬|下旬)?\s*"
    r"(?P<suffix>前|之前|以前|内|以内|完成|底前|末前)?$"
)
_ISO_DATE_RE = re.compile(r"^(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})(?P<suffix>前|之前|以前)?$")
_YEAR_END_RE = re.compile(r"^(?:(?P<year>\d{4})\s*)?年(?:底|末)(?P<suffix>前|之前|以前)?$")
#: What a cell holds when nothing was written: empty, dashes, slashes, 无, 空, n/a, 未填写 (compared
#: after full-width digits and signs are made ASCII and spaces stripped). The one definition of a
#: blank cell: the parser, the review's cell readers and its table readers all use :func:`is_blank_text`.
BLANK_TOKENS = frozenset({"", "—", "——", "-", "--", "/", "／", "\\", "无", "空", "n/a", "na", "N/A", "——/——",
                          "（未填写）", "(未填写)", "未填写", "未填"})


class Quantity(NamedTuple):
    """A number with its operator and unit, in the unit's base (元 for money).

    ``value`` is in the dimension's base unit (元, %, 米 …); ``unit`` is as written
    (e.g. "万元"); ``approx`` is True for "余/多/以上" ("600余人" means at least 600), which
    also implies ``op`` "≥" when no operator is written (``op_written`` False). A range
    ("3-5次") has its lower bound in ``value`` and its upper in ``high`` (None otherwise).
    """

    op: str | None
    op_written: bool
    direction: Direction | None
    value: float
    unit: str
    dimension: str
    approx: bool
    text: str
    high: float | None = None


def is_range(q: Quantity) -> bool:
    """A range ("3-5次", "3至5次"): ``value`` is its lower bound, ``high`` its upper, both in the base unit."""
    return q.high is not None


@dataclass(frozen=True, slots=True)
class TimePoint:
    """A deadline or completion date; ``year`` is None when the string names no year."""

    op: str | None
    op_written: bool
    year: int | None
    month: int
    day: int
    text: str

    def resolve(self, default_year: int) -> date:
        """The date itself, taking ``default_year`` when the string named none."""
        return date(self.year or default_year, self.month, self.day)


@dataclass(frozen=True, slots=True)
class Text:
    """A qualitative value ("达成", "有效提升应急处置能力")."""

    text: str


@dataclass(frozen=True, slots=True)
class Blank:
    """An empty cell or a dash."""

    text: str


Value = Union[Quantity, TimePoint, Text, Blank]


#: Full-width digits, letters ("ＴＢ"), dot, percent, comma and spaces → ASCII; Chinese stays as is.
_HALF_WIDTH = str.maketrans("０１２３４５６７８９．，　％－−" + "".join(map(chr, range(0xFF21, 0xFF3B)))
                            + "".join(map(chr, range(0xFF41, 0xFF5B))),
                            "0123456789., %--ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


_FULL_WIDTH_RE = re.compile("[" + "".join(chr(c) for c in _HALF_WIDTH) + "]")


def _normalise(text: str) -> str:
    # translate() is slow on Chinese text; most cells hold no full-width sign, so look first
    return text.translate(_HALF_WIDTH).strip() if _FULL_WIDTH_RE.search(text) else text.strip()


def half_width(text: str) -> str:
    """``text`` with full-width digits, signs and spaces made ASCII, stripped ("１２０．５" → "120.5")."""
    return _normalise(text)


def month_end(year: int, month: int) -> int:
    """The last day of ``month`` in ``year``."""
    return calendar.monthrange(year, month)[1]


_PER_FIRST_RE = re.compile(rf"^{PER_PREFIX}(?P<per>[^\d{PER_PREFIX}]{{1,5}}?)(?P<rest>\d.*)$")
_ALIASES = sorted(UNIT_ALIASES, key=len, reverse=True)
_ALIAS_ENDINGS = tuple(_ALIASES)


def _spelled_out(compact: str) -> str:
    """A value as tables spell it, rewritten to the parser's form: "90%(百分比)" → "90%",
    "每亩500元" → "500元/亩" (only where the rewritten string is a quantity)."""
    if compact.endswith(_ALIAS_ENDINGS):  # one test first: most values spell nothing out
        for alias in _ALIASES:
            if compact.endswith(alias) and compact[: -len(alias)][-1:].isdigit():
                compact = compact[: -len(alias)] + UNIT_ALIASES[alias]
                break
    m = _PER_FIRST_RE.match(compact) if compact.startswith(PER_PREFIX) else None
    if m and _NUMBER_RE.match(rewritten := f"{m['rest']}/{m['per']}"):
        return rewritten
    return compact


def is_blank_text(text: str | None) -> bool:
    """A cell with nothing written in it: None, empty, or one of :data:`BLANK_TOKENS` ("—", "/", "无" …)."""
    return text is None or _normalise(text if type(text) is str else str(text)) in BLANK_TOKENS


def _parse_time(body: str, op: str | None, original: str) -> TimePoint | None:
    m = _YEAR_END_RE.match(body)
    if m:
        year = int(m["year"]) if m["year"] else None
        return TimePoint(op or ("≤" if m["suffix"] else None), op is not None, year, 12, 31, original)
    m = _ISO_DATE_RE.match(body) or _DATE_RE.match(body)
    if not m:
        return None
    year = int(m["year"]) if m["year"] else None
    month = int(m["month"])
    if not 1 <= month <= 12:
        raise QuantityError(f"“{original}”中的月份 {month} 不存在")
    ref_year = year or 2000  # a leap year when none is named, so "2月29日" is admitted here
    groups = m.groupdict()
    edge = groups.get("edge")
    if groups.get("day"):
        day = int(groups["day"])
        if not 1 <= day <= month_end(ref_year, month):
            raise QuantityError(f"“{original}”中的日期 {month}月{day}日 不存在")
    elif edge == "上旬":
        day = 10
    elif edge == "中旬":
        day = 20
    else:  # a month alone, "月底", "月末", "下旬": the month's last day
        day = month_end(ref_year, month)
    written = op is not None
    if op is None and groups.get("suffix"):
        op = "≤"
    return TimePoint(op, written, year, month, day, original)


@lru_cache(maxsize=65536)
def parse_value(text: str | None) -> Value:
    """Read one target or actual string as written in a performance table.

    Rules: a blank cell or a dash is :class:`Blank`; a string that starts with an operator
    or a digit must be a quantity ("≥95%", "8.62万元", "600余人") or a date
    ("2023年12月底前", "2023-06-30"), otherwise :class:`QuantityError`; any other string is
    qualitative :class:`Text`. "余/多/以上" mark an approximate value read as a lower bound.
    """
    if text is None:
        return Blank("")
    original = str(text)
    body = _normalise(original)
    if body in BLANK_TOKENS:
        return Blank(original)
    op_symbol: str | None = None
    direction: Direction | None = None
    op_match = _OPERATOR_RE.match(body)
    if op_match:
        op_symbol, direction = OPERATORS[op_match.group(1)]
        body = body[op_match.end():].strip()
    if not body:
        raise QuantityError(f"“{original}”只有运算符，没有数值")
    unspaced = body.replace(" ", "")
    compact = _spelled_out(unspaced)
    if compact != unspaced:
        body = compact
    starts_numeric = body[0].isdigit() or body[0] in "+-."
    if not starts_numeric and (words := rewrite_numerals(compact)) is not None:
        # a number written in words ("两部", "百分之八十", "八成", "约3部"): read as digits, and
        # as text when the digits make no value ("一般" is not 1般); "满意度≥90%": the named measure's
        if op_symbol is None and not words.text[0].isdigit() and isinstance(inner := parse_value(words.text), Quantity):
            return inner._replace(text=original)
        read = _read_number(_spelled_out(words.text), op_symbol, direction, op_match is not None, original)
        if read is None:
            read = _parse_time(words.text, op_symbol, original)
        if read is not None:
            return read
        if op_symbol is None:
            return Text(original)
    if op_symbol is None and not starts_numeric and unicodedata.category(body[0]) in ("Sm", "Sc"):
        raise QuantityError(f"“{original}”以无法识别的符号“{body[0]}”开头（可用：≥ ≤ = > < 及 ≧ ≦ ═ ＞ ＜）")
    if op_symbol is None and not starts_numeric:
        year_end = _YEAR_END_RE.match(compact)
        return _parse_time(compact, None, original) if year_end else Text(original)
    number = _read_number(compact, op_symbol, direction, op_match is not None, original)
    if number is not None:
        return number
    time_point = _parse_time(compact, op_symbol, original)
    if time_point is not None:
        return time_point
    raise QuantityError(f"无法解析“{original}”：既不是“运算符+数值+单位”（如“≥95%”“≤8.62万元”），也不是日期（如“2023年12月底前”）")


def _read_number(compact: str, op_symbol: str | None, direction: Direction | None, written: bool,
                 original: str) -> Quantity | None:
    """A quantity or a range in digits ("8.62万元", "600余人", "3-5次"); None when ``compact`` is
    neither (it may be a date); :class:`QuantityError` for a unit that cannot be read."""
    number = _NUMBER_RE.match(compact)
    if number is None:
        return _read_range(compact, op_symbol, direction, written, original)
    num, approx1, magnitude, approx2, unit, per, approx3 = number.group(
        "num", "approx1", "mag", "approx2", "unit", "per", "approx3")
    if approx3 in ("内", "之内") and unit == "月" and not per:
        return None  # "12月内" is a date (within December), "3个月内" a duration
    raw = Decimal(num.replace(",", "") if "," in num else num)
    unit = unit or ""
    if magnitude:
        unit = magnitude + unit
    if per:
        unit += per
    dimension, factor = _unit_of(unit, original)
    approx = bool(approx1 or approx2 or approx3)
    if op_symbol is None and approx3 in ("以内", "之内", "以下", "内"):
        op_symbol, direction = "≤", "reverse"
    elif op_symbol is None and (approx1 or approx2 or approx3 == "以上"):
        op_symbol, direction = "≥", "positive"
    return Quantity(op_symbol, written, direction, _scaled(raw, factor), unit, dimension, approx, original)


def _read_range(compact: str, op_symbol: str | None, direction: Direction | None, written: bool,
                original: str) -> Quantity | None:
    """A range "3-5次" / "3次至5次" / "90%～95%" / "1万-2万人": the upper bound read as a quantity,
    the lower in its unit (a unit written after the lower bound must be the upper's or its
    magnitude); None when ``compact`` is no range (an operator before a range is none either)."""
    m = _RANGE_RE.match(compact)
    if m is None or op_symbol is not None:
        return None
    high = _NUMBER_RE.match(m["high"])
    if high is None or high["approx1"] or high["approx2"] or high["approx3"]:
        return None
    upper = _read_number(m["high"], None, None, False, original)
    low_unit = m["unit"]
    if upper is None or (low_unit and low_unit != upper.unit and not upper.unit.startswith(low_unit)):
        return None
    lower = _scaled(Decimal(m["low"].replace(",", "")), _unit_of(low_unit or upper.unit, original)[1])
    if lower > upper.value:
        return None
    return Quantity(None, False, "positive", lower, upper.unit, upper.dimension, False, original, upper.value)


def _unit_of(unit: str, original: str) -> tuple[str, float]:
    """Dimension and factor of a unit possibly prefixed by 千/万/亿 ("万人", "万") or per
    something ("元/人", "次/年": a rate, comparable only with the same "per")."""
    reading = unit_reading(unit)
    if isinstance(reading, str):
        raise QuantityError(f"“{original}”的单位“{reading}”无法识别")
    return reading


def convert(actual: Quantity, target: Quantity) -> float:
    """The actual's value in the target's base unit.

    A dimensionless actual ("98") takes the target's unit, as tables that print the unit in
    the target only do. Different dimensions raise :class:`UnitMismatch`.
    """
    if actual.dimension == target.dimension:
        return actual.value
    if actual.dimension == "number":
        return _scaled(Decimal(repr(actual.value)), unit_factor(target.unit))
    if target.dimension == "number":
        return actual.value
    raise UnitMismatch(
        f"实际值“{actual.text}”与指标值“{target.text}”的单位无法换算（{actual.unit or '无单位'} 与 {target.unit or '无单位'}）"
    )


@lru_cache(maxsize=1024)
def unit_factor(unit: str) -> float:
    """Factor from a unit as written to its dimension's base unit: "万元" → 10000, "万人" → 10000,
    "万元/公里" → 10 (元 per 米: a per-unit rate is in the base of both units; "次/年" keeps
    its "per" as written); an unknown unit raises :class:`QuantityError`."""
    return _unit_of(unit, unit)[1]


def _scaled(number: Decimal, factor: float) -> float:
    """number × factor computed in decimal, so "8.62万元" is exactly 86200 元."""
    if factor == 1.0:
        return float(number)
    return float(number * _exact_factor(factor))


@lru_cache(maxsize=256)
def _exact_factor(factor: float) -> Decimal:
    return Decimal(repr(factor))


def is_lower_bound(q: Quantity) -> bool:
    """A value known only from below: "3500余元", "600多人", "10场以上", ">3500元", "≥3500元"."""
    return q.op in ("≥", ">")


def is_strict_lower_bound(q: Quantity) -> bool:
    """A value known to lie above its number: "3500余元", "3500多元", "3500元以上", ">3500元"
    ("余/多/以上" mean more than the number, docs/rules.md §4)."""
    return is_lower_bound(q) and (q.approx or q.op == ">")


def is_count(q: Quantity) -> bool:
    """True for count units (人, 部, 个 …), optionally with a magnitude prefix."""
    return q.dimension.startswith("count:")


_BARE_MONTH_RE = re.compile(r"^(?P<month>\d{1,2})月$")
