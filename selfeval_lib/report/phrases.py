"""The phrases of the unit's prose, as pure functions of the data: what the templates' filters
and tests are (:mod:`selfeval_lib.render.templating` registers them) and what the report's
builders use to write a sentence themselves. Amounts are 元 unless a name says 万元; rates are
fractions (1.0 = 100%).
"""

from __future__ import annotations

import re
from typing import Any

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core import vocabulary as vocab
from selfeval_lib.core.scoring import IndicatorScore

_TRAILING = "。；，、;,. \n"


def clause(text: str) -> str:
    """User text without its closing punctuation, for the template to close the sentence."""
    return text.strip().rstrip(_TRAILING)


#: A target's comparison as prose says it, for a rate (%) and for anything else (a count, money).
_COMPARISON_WORDS = {"≥": ("不低于", "不少于"), "≧": ("不低于", "不少于"), "≤": ("不高于", "不超过"),
                     "≦": ("不高于", "不超过"), ">": ("高于", "多于"), "＞": ("高于", "多于"),
                     "<": ("低于", "少于"), "＜": ("低于", "少于"), "=": ("", ""), "＝": ("", "")}
_DATE = re.compile(r"^(\d{4})年(\d{1,2}月(?:\d{1,2}日|[上中下]旬|底)?)$")
_MONEY = re.compile(r"[万千百]?元$")


def target_phrase(s: IndicatorScore) -> str:
    """The target as a finance officer writes it: "年度指标值为不少于600人次", "年度指标值为5项",
    "年度指标值为“有效提升”" (no raw ≥ ≤ = in prose)."""
    target = clause(s.target)
    op = target[:1]
    if op in _COMPARISON_WORDS:
        rest = target[1:].lstrip("=＝").strip()
        rate, other = _COMPARISON_WORDS[op]
        return f"年度指标值为{rate if rest.endswith('%') else other}{rest}"
    if s.kind == "qualitative":
        return f"年度指标值为“{target}”"
    return f"年度指标值为{target}"


def actual_phrase(s: IndicatorScore, year: int) -> str:
    """What was done, by kind: "于12月20日完成" (a date of the report's year), "实际支出8.62万元"
    (a total cost; "实际为185元" a unit cost), "完成情况为“…”" (qualitative), "实际完成5项" /
    "实际达到98%" otherwise."""
    actual = clause(s.actual)
    date = _DATE.match(actual)
    if date:
        return f"于{date.group(2) if int(date.group(1)) == year else actual}完成"
    if s.kind == "qualitative":
        return f"完成情况为“{actual}”"
    if s.level2 == "成本指标" or _MONEY.search(actual):
        return f"实际支出{actual}" if "总" in s.name and _MONEY.search(actual) else f"实际为{actual}"
    if actual.endswith("%"):
        return f"实际达到{actual}"
    return f"实际完成{actual}"


def numbered(index: int, level: int = 1) -> str:
    """The outline's numbering below （一）: "1." at level 1, "（1）" at level 2 (GB/T 9704 §7.3.3)."""
    return f"{index}." if level == 1 else f"（{index}）"


_SUBJECTLESS = ("根据", "按照", "依据", "严格", "加强", "制定", "坚持", "做到", "采取", "通过", "建立", "实行",
                "落实", "认真", "及时", "积极", "定期", "对照", "结合", "财务管理", "严把", "强化", "完善")


def with_subject(text: str, me: str) -> str:
    """A params text given its subject when it starts without one: "由局应急指挥中心负责…" →
    "项目由局应急指挥中心负责…", "根据年度计划支付资金" → "我局根据年度计划支付资金"."""
    text = clause(text)
    if text.startswith("由"):
        return "项目" + text
    if text.startswith(_SUBJECTLESS):
        return me + text
    return text


def points(value: float) -> str:
    """A score, 分值 or progress in points as prose writes it: 10 → "10", 7.5 → "7.5"."""
    return fmt.score(value, trim=True)


def prose_percent(fraction: float | None, digits: int = 2, *, trim: bool = True) -> str:
    """A rate in prose, without trailing zeros: 1 → "100%", 0.4533 → "45.33%"."""
    return fmt.percent(fraction, digits, trim=trim)


def prose_wan(amount_yuan: Any) -> str:
    """元 as 万元 in prose, without trailing zeros: 86200 → "8.62万元", 60000 → "6万元", 0 → "0万元"."""
    return f"{fmt.score(fmt.wan_value(amount_yuan), trim=True)}万元"


#: A target's comparison sign as prose says it ("≥95%" → "不低于95%"); "=" says nothing ("=3部" → "3部").
_SIGN_PROSE = (("≥", "不低于"), ("≧", "不低于"), (">=", "不低于"), ("≤", "不超过"), ("≦", "不超过"), ("<=", "不超过"),
               (">", "高于"), ("＞", "高于"), ("<", "低于"), ("＜", "低于"), ("=", ""), ("＝", ""))


def target_prose(target: str) -> str:
    """年度指标值 as a monitoring sentence carries it, without raw signs: "≥95%" → "不低于95%",
    "=3部" → "3部", "有效提升" → "“有效提升”"."""
    text = target.strip()
    for sign, words in _SIGN_PROSE:
        if text.startswith(sign):
            return words + text[len(sign):].strip()
    return f"“{clause(text)}”"


def is_full(s: IndicatorScore) -> bool:
    """Whether the indicator got its full 分值."""
    return vocab.at_full_marks(s.score, s.weight)


def is_reported(s: IndicatorScore) -> bool:
    """Whether the indicator's actual was written (a blank one, 无 or — included, is asked for
    with 【待补充】 and never counted as reached or not reached)."""
    return s.kind != "unmeasured"


__all__ = ["actual_phrase", "clause", "is_full", "is_reported", "numbered", "points", "prose_percent", "prose_wan",
           "target_phrase", "target_prose", "with_subject"]
