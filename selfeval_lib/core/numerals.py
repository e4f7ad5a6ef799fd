"""Numbers as Chinese writes them (docs/rules.md §4), rewritten into the digits that
:func:`selfeval_lib.core.quantity.parse_value` reads.

"两部" → "2部", "≥两千人" → "≥2000人", "捌万元" → "8万元", "一点五亿元" → "1.5亿元",
"百分之八十" → "80%" ("百分百" 100%, "千分之五" 5‰), "八成" → "80%" ("八成五" → "85%"), "三至五次" → "3至5次", "三五次" and
"三四次" → "3-5次"/"3-4次" (two neighbouring digits are a colloquial range), "约3部" and
"近3部" → "3部" (约/近 are read as the number; 余/多 stay, the parser reads them as at least).
A word that only introduces the figure ("完成3部", "达到95%", "累计1.2万人") is dropped; "十几个",
"上百人", "上万人", "逾千人" are at least 10个, 100人, 1万人, 1000人 (as "余": "10余个" …).

The numeral itself is converted by cn2an (PyPI: 小写 and 大写, 十/百/千/万/亿, 两, 点, traditional
forms). Its import takes about half a second (it builds tables for traditional characters), so
it is imported on the first value that holds a Chinese numeral, not with the package: a table
written in digits never pays for it. A trailing 万 or 亿 stays a magnitude ("三万元" → "3万元"),
so the unit reads as written.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import NamedTuple

from selfeval_lib.core.units import ABOUT_WORDS, LEAD_WORDS, RANGE_SEPARATORS

#: Digits (小写, 大写, traditional) and the multipliers 十/百/千/万/亿 (and their 大写 forms).
DIGIT_CHARS = "零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖貳叁陸兩"
MULTIPLIER_CHARS = "十拾百佰千仟万萬亿億"
_NUMERAL = f"[{DIGIT_CHARS}{MULTIPLIER_CHARS}]+(?:点[{DIGIT_CHARS}]+)?"
_NUMERAL_RE = re.compile(_NUMERAL)
_SEPARATORS = "|".join(re.escape(s) for s in RANGE_SEPARATORS)
#: "百分之八十", "百分之95", "百分之百".
_PER_CENT_RE = re.compile(rf"^(?P<per>百|千)分之(?P<num>{_NUMERAL}|\d+(?:\.\d+)?)")
#: The measure named before its figure, as an actual often is: "满意度达95%", "验收合格率为100%",
#: "培训人次：520人次", "完成率98%" (a name ending in 率/度/数/量/额/人次, then 达/为/是/：).
_LABEL_RE = re.compile(r"^(?P<label>[\u4e00-\u9fff]{1,10}?(?:率|度|数|量|额|人次))(?:达到|达|为|是|：|:)?"
                       r"(?=[\d０-９零〇一二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟约近≥≤≧≦><＞＜=＝])")
_OPERATOR_START = frozenset("≥≤≧≦><＞＜=＝")
#: A named measure that says what is not done or left ("未完成数3个", "差额5万元") is no achievement.
_NOT_DONE = re.compile(r"[未没不尚差剩缺欠无超减]")
#: At least a round figure: "十几个" (10余个), "上百人" (100余人), "上万人" (1万余人), "逾千人",
#: "逾3000人" (逾 is 超过): read with 余, which the parser takes as at least the figure.
_AT_LEAST_RE = re.compile(r"^(?:(?P<teens>十几)|上(?P<round>百|千|万)|逾(?P<over>[\d.,]+|[一二两三四五六七八九十百千万亿]+))")
#: "八成", "8成", "八成五" (8.5 成 = 85%), "十成".
_TENTHS_RE = re.compile(rf"^(?P<num>[{DIGIT_CHARS}]|十|拾|\d)成(?P<half>[{DIGIT_CHARS}]|\d)?")
#: The second number of a range ("3至五次", "三～五次" once the first is digits).
#: Two neighbouring digits, a colloquial range ("一两次", "三四个", "三五天", "两三百人", "三五万元"),
#: not followed by another digit ("一二三" is no range).
_PAIR_RE = re.compile(r"^(?P<a>[一二两三四五六七八])(?P<b>[二两三四五六七八九])(?P<mult>[十百千万亿]?)"
                      r"(?![零〇一二两三四五六七八九十百千万亿点])")
_RANGE_SECOND_RE = re.compile(rf"(?<=[\d%\u4e00-\u9fff])(?P<sep>{_SEPARATORS})(?P<num>{_NUMERAL})")
_ABOUT_RE = re.compile("^(?:" + "|".join(sorted(map(re.escape, ABOUT_WORDS), key=len, reverse=True)) + ")")
_LEAD_RE = re.compile("^(?:" + "|".join(sorted(map(re.escape, LEAD_WORDS), key=len, reverse=True)) + ")")
_MAGNITUDES = {"万": Decimal(10_000), "萬": Decimal(10_000), "亿": Decimal(100_000_000), "億": Decimal(100_000_000)}
_BIG = "万萬亿億"
#: Characters a value written in words can start with (a cheap test before any regex).
STARTS = frozenset(DIGIT_CHARS + MULTIPLIER_CHARS + "百上逾" + "".join(w[0] for w in (*ABOUT_WORDS, *LEAD_WORDS)))


class Rewritten(NamedTuple):
    """A value rewritten into digits: ``text`` for the parser, ``about`` when 约/近 led it,
    ``words`` when a Chinese numeral, 百分之 or 成 was read."""

    text: str
    about: bool
    words: bool


@lru_cache(maxsize=1)
def _cn2an():
    import cn2an  # imported on first use: see the module's docstring

    return cn2an.cn2an


def _plain(number: Decimal) -> str:
    """A decimal as digits without exponent or trailing zeros ("80000", "1.5")."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@lru_cache(maxsize=4096)
def numeral_value(text: str) -> Decimal | None:
    """A Chinese numeral's value ("两千" → 2000, "壹拾" → 10, "一点五" → 1.5, "百" → 100), None
    when ``text`` is not one. Two digits side by side without a multiplier ("一一", "九一") are
    none: cn2an reads them digit by digit (11, 91), which a table only does for a year's four
    ("二〇二三"); two neighbours ("三四", "三五") are a colloquial range (:func:`rewrite`)."""
    if not text or (len(text) == 2 and all(ch in DIGIT_CHARS for ch in text)):
        return None
    if text[0] in "百佰千仟":  # "百人", "千米" written without the leading 一
        text = "一" + text
    try:
        value = _cn2an()(text, "normal")
        return Decimal(str(value))
    except (ValueError, KeyError, IndexError, InvalidOperation):
        return None


def _numeral_digits(run: str) -> str | None:
    """A run of Chinese numerals as digits, a trailing 万/亿 kept as the magnitude it is
    ("三万" → "3万", "一点五亿" → "1.5亿", "一亿二千万" → "12000万", "两千" → "2000")."""
    if run[-1] in _BIG and len(run) > 1:
        mag = "万" if run[-1] in "万萬" else "亿"
        head = run[:-1]
        if not any(ch in _BIG for ch in head):
            value = numeral_value(head)
            return None if value is None else _plain(value) + mag
        value = numeral_value(run)
        return None if value is None else _plain(value / _MAGNITUDES[run[-1]]) + mag
    value = numeral_value(run)
    return None if value is None else _plain(value)


@lru_cache(maxsize=16384)
def rewrite(body: str) -> Rewritten | None:
    """``body`` (an operator already taken off, spaces removed) with its numbers in digits, or
    None when nothing in it is written in words (the parser then reads ``body`` as it is)."""
    label = _LABEL_RE.match(body) if body and not body[0].isdigit() else None
    if label is not None and _NOT_DONE.search(label["label"]):
        label = None
    if not body or (body[0] not in STARTS and label is None):
        return None
    text, about, words = body, False, False
    if label is not None:  # "满意度达95%", "合格率为100%": the measure named, then its figure
        text = text[label.end():]
    if m := _ABOUT_RE.match(text):
        text, about = text[m.end():], True
    elif m := _LEAD_RE.match(text):
        text = text[m.end():]
    if not text:
        return None
    if text.startswith("百分百"):  # "百分百" is 百分之百
        text = "百分之百" + text[3:]
    if m := _AT_LEAST_RE.match(text):
        if m["teens"]:
            figure = "10"
        elif m["round"]:
            figure = {"百": "100", "千": "1000", "万": "1万"}[m["round"]]
        else:
            over = m["over"]
            figure = over if over[0].isdigit() else _numeral_digits(over)
            if figure is None:
                return None
        head = re.match(r"[\d.,]+[万亿]?", figure)
        text, words = figure[: head.end()] + "余" + figure[head.end():] + text[m.end():], True
    elif m := _PER_CENT_RE.match(text):
        num = m["num"]
        digits = num if num[0].isdigit() else ("100" if num == "百" else _numeral_digits(num))
        if digits is None or not digits[0].isdigit():
            return None
        text, words = digits + ("%" if m["per"] == "百" else "‰") + text[m.end():], True
    elif m := _TENTHS_RE.match(text):
        tens, half = (_digit(m["num"]), _digit(m["half"]) if m["half"] else Decimal(0))
        if tens is None or half is None:
            return None
        text, words = _plain(tens * 10 + half) + "%" + text[m.end():], True
    elif m := _PAIR_RE.match(text):  # "三五次" is 3 to 5 times, "两三百人" 200 to 300 people
        low, high = _digit(m["a"]), _digit(m["b"])
        if low is None or high is None or (high - low != 1 and (low, high) != (3, 5)):
            return None
        mult = m["mult"]
        if mult in _BIG:
            text = f"{_plain(low)}-{_plain(high)}{mult}" + text[m.end():]
        else:
            scale = numeral_value("一" + mult) if mult else Decimal(1)
            text = f"{_plain(low * scale)}-{_plain(high * scale)}" + text[m.end():]
        words = True
    elif (m := _NUMERAL_RE.match(text)) and not text[0].isdigit():
        digits = _numeral_digits(m.group(0))
        if digits is None:
            return None
        text, words = digits + text[m.end():], True
    if text[:1].isdigit() and (m := _RANGE_SECOND_RE.search(text)):
        digits = _numeral_digits(m["num"])
        if digits is not None:
            text, words = text[: m.start("num")] + digits + text[m.end("num"):], True
    if text == body or not (text[:1].isdigit() or (label is not None and text[:1] in _OPERATOR_START)):
        return None
    return Rewritten(text, about, words)


def _digit(text: str) -> Decimal | None:
    return Decimal(text) if text.isdigit() else numeral_value(text)


__all__ = ["DIGIT_CHARS", "MULTIPLIER_CHARS", "Rewritten", "numeral_value", "rewrite"]
