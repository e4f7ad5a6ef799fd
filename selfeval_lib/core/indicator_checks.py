"""Checks of the performance indicators (docs/rules.md §4–§5, §7.2, §7.4–§7.8), written once.

The predicates take plain fields (level-2 name, target and actual as written or parsed, weight,
score, reason …), so the evaluation (:func:`indicator_findings`, on a params indicator and its
:class:`~selfeval_lib.core.scoring.IndicatorScore`) and the review (``review/recompute``, on a
published row) apply the same rule and name it with the same
:class:`~selfeval_lib.core.findings.FindingCode`. Each side words its own message. Pure.
"""

from __future__ import annotations

import re
from typing import Iterable

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core import vocabulary as vocab
from selfeval_lib.core.findings import Finding, FindingCode, finding
from selfeval_lib.core.model import ProjectYear
from selfeval_lib.core.quantity import (
    Blank,
    Quantity,
    Text,
    TimePoint,
    Value,
    is_count,
    parse_value,
)
from selfeval_lib.core.rules import RuleSet
from selfeval_lib.core.scoring import (
    IndicatorScore,
    bound_over_ceiling,
    copies_target,
    has_written_operator,
)
from selfeval_lib.errors import QuantityError

#: Negation or delay in a qualitative actual that no band's words caught ("未按计划推进").
_NEGATION = re.compile(r"未|没|不|尚|无法|延期|滞后|推迟")
#: A template placeholder: "指标1", "指标3：" (a number, a colon, nothing after), "XX指标", "××", "……".
_PLACEHOLDER = re.compile(
    r"^(?:(?:三级)?指标\s*[\d一二三四五六七八九十]+\s*[:：]?|[xX×Ｘｘ]+|[xX×Ｘｘ]{2,}.*|…+|\.{3,}|待定|待填|待补充|示例)$")


def is_quantity_level2(level2: str) -> bool:
    """数量指标 and its variants."""
    return "数量" in level2


def is_cost_level2(level2: str) -> bool:
    """成本指标 and its provincial variants (经济成本指标, 社会成本指标 …)."""
    return "成本" in level2


def is_placeholder(text: str) -> bool:
    """Text left from a template: "指标1", "……", "XX", "待定" …"""
    return bool(_PLACEHOLDER.match(text.strip()))


#: A value whose number is still the template's mark: "≥**平方米", "**%", "≥XX人", "≥（ ）个",
#: "≥　　平方米" (an operator, the mark where the number goes, a unit).
_PLACEHOLDER_NUMBER = re.compile(
    r"^(?P<op>[≥≤=＝<>＜＞]|不低于|不少于|不高于|不超过|大于|小于|达到)?\s*"
    r"(?P<mark>[*＊]+|[xX×Ｘｘ]+|[_＿]+|[（(]\s*[)）]|【\s*】|…+|\.{2,}|\s{2,})\s*"
    r"(?P<unit>[%％‰/a-zA-Z\u4e00-\u9fff]{0,8})$")


def number_placeholder(text: str) -> str:
    """The template's mark standing where a value's number goes ("≥**平方米" → "**"), "" when
    the value has none (a whole placeholder such as "XX" is :func:`is_placeholder`'s)."""
    if not text or is_placeholder(text):
        return ""
    m = _PLACEHOLDER_NUMBER.match(text.strip())
    if m is None:
        return ""
    mark, stars = m["mark"], m["mark"].strip("*＊") == ""
    if not m["op"] and not stars and (mark.isspace() or len(m["unit"]) > 2 or len(mark) < 2 or not m["unit"]):
        return ""  # without an operator, asterisks, or two marks and a short unit ("XX人"): "X光机" is a name
    return m["mark"].strip() or "空格"


#: What to do about an actual that cannot be read (the review words its own).
_UNREADABLE_SUGGESTION = "按指标的计量单位填写可以读取的实际完成值（如“3部”“95%”“2023年10月”）。"


def unreadable_reason(text: str) -> str:
    """Why the parser could not read ``text`` (its message), "" when it can."""
    try:
        parse_value(text)
    except QuantityError as exc:
        return str(exc)
    return ""


def safe_parse(text: str) -> Value | None:
    """:func:`~selfeval_lib.core.quantity.parse_value`, None for a string that cannot be read."""
    try:
        return parse_value(text)
    except QuantityError:
        return None


# --- one indicator -------------------------------------------------------------------------------


def placeholder_fields(**texts: str) -> list[str]:
    """PLACEHOLDER_TEXT: the keys of the non-empty texts that are template placeholders."""
    return [key for key, text in texts.items() if text.strip() and is_placeholder(text)]


def actual_blank(actual: Value | None) -> bool:
    """ACTUAL_BLANK: no actual written (scored 0)."""
    return isinstance(actual, Blank)


def actual_copies_target(actual_text: str, target_text: str) -> bool:
    """ACTUAL_COPIES_TARGET: the actual repeats the target's wording or carries an operator
    ("≥95%" as an achievement); "100%" for a bare "100%" is exact achievement, not a copy."""
    return copies_target(actual_text, target_text) or has_written_operator(safe_parse(actual_text))


def actual_not_measured(target: Value | None, actual: Value | None) -> bool:
    """ACTUAL_NOT_MEASURED: a measurable target (a quantity or a date) answered in words."""
    return isinstance(target, (Quantity, TimePoint)) and isinstance(actual, Text)


def target_not_quantified(level2: str, target: Value | None) -> bool:
    """TARGET_NOT_QUANTIFIED: a 数量 or 成本 indicator whose target is words."""
    return isinstance(target, Text) and (is_quantity_level2(level2) or is_cost_level2(level2))


def deduction_without_reason(score: float | None, weight: float, reason: str) -> bool:
    """DEDUCTION_WITHOUT_REASON: points deducted and no 偏差原因 written."""
    return score is not None and vocab.below_full_marks(score, weight) and not reason.strip()


def cost_without_ceiling(level2: str, kind: str, direction: str | None) -> bool:
    """COST_WITHOUT_CEILING: a measured 成本 indicator not written as a ceiling (≤)."""
    return is_cost_level2(level2) and kind == "quantitative" and direction != "reverse"


def cost_target_without_ceiling(level2: str, target: Value | None) -> bool:
    """COST_WITHOUT_CEILING from the target alone: a 成本 indicator whose measured target is not a
    ceiling ("=100元", "≥100元", "100元"), whatever its actual (blank, words or a number)."""
    return is_cost_level2(level2) and isinstance(target, Quantity) and (target.direction or "equal") != "reverse"


def satisfaction_rate(actual: Value | None, target: Value | None) -> float | None:
    """A satisfaction actual as a fraction: "95%" → 0.95, and a bare number ("95") when the target
    is a percentage; None otherwise."""
    if not isinstance(actual, Quantity):
        return None
    if actual.dimension == "percent":
        return actual.value / 100
    if (actual.dimension == "number" and isinstance(target, Quantity) and target.dimension == "percent"
            and 0 <= actual.value <= 100):
        return actual.value / 100
    return None


def ceiling_on_count(level2: str, kind: str, direction: str | None, target: Value | None) -> bool:
    """CEILING_ON_COUNT: a 数量 indicator of a count (人, 部 …) written as a ceiling (≤)."""
    return (kind == "quantitative" and direction == "reverse" and is_quantity_level2(level2)
            and isinstance(target, Quantity) and is_count(target))


def level2_unknown(level1: str, level2: str, rules: RuleSet) -> bool:
    """LEVEL2_UNKNOWN: a level-2 name outside the rule set's groups of its level 1."""
    groups = rules.level2_groups.get(level1, ())
    return level2 not in groups and level2 + "指标" not in groups


def satisfaction_needs_basis(rate: float, rules: RuleSet) -> bool:
    """A satisfaction rate (fraction) high enough to need a documented survey (SATISFACTION_NO_BASIS)."""
    return rate >= rules.problems.satisfaction_needs_basis_from


def has_survey_basis(sample_size: float | None, method: str) -> bool:
    """A survey is documented when both its sample size and its method are given."""
    return bool(sample_size) and bool(method.strip())


# --- the table of indicators ---------------------------------------------------------------------


def all_full_marks(scores: Iterable[tuple[float | None, float | None]]) -> bool:
    """ALL_FULL_MARKS: three or more (score, weight) rows, every one at full marks."""
    rows = list(scores)
    return len(rows) >= 3 and all(s is not None and w is not None and vocab.at_full_marks(s, w) for s, w in rows)


def level1_weight_gaps(sums: dict[str, float], rules: RuleSet) -> list[tuple[str, float, float]]:
    """LEVEL1_WEIGHTS_DIFFER: (level 1, weights given, rule set's weight) where they differ."""
    if rules.level1_weights is None:
        return []
    gaps = []
    for level1, expected in rules.level1_weights.items():
        got = sums.get(level1, 0.0)
        if abs(got - expected) > rules.weight_tolerance:
            gaps.append((level1, got, expected))
    return gaps


# --- the evaluation's findings ---------------------------------------------------------------------


def indicator_findings(project_year: ProjectYear, scores: list[IndicatorScore], rules: RuleSet) -> list[Finding]:
    """Problems of the indicator table of a project-year (docs/rules.md §7.2, §7.4–§7.8)."""
    C = FindingCode
    out: list[Finding] = []
    first_band = rules.qualitative_bands[0].name
    for indicator, s in zip(project_year.indicators, scores):
        label = f"{s.level2}“{s.name}”"
        target, actual = parse_value(s.target), safe_parse(s.actual)
        if actual is None:  # kind "unreadable": scored 0, the cell and its value named
            out.append(finding(
                C.UNREADABLE_VALUE, f"{label}的实际完成值“{s.actual}”无法读取（{unreadable_reason(s.actual)}），按0分计。",
                s.name, suggestion=_UNREADABLE_SUGGESTION,
            ))
        if (s.kind == "qualitative" and s.band == first_band and indicator.assessment is None
                and not s.actual_copies_target and _NEGATION.search(s.actual)):
            out.append(finding(
                C.QUALITATIVE_UNCLEAR,
                f"{label}的完成情况“{s.actual}”含否定或延误的表述，未写明评价档次，按“{first_band}”计满分。", s.name,
            ))
        if placeholder_fields(name=s.name, target=s.target, actual=s.actual):
            out.append(finding(
                C.PLACEHOLDER_TEXT, f"{label}仍有占位文字（指标值“{s.target}”，完成值“{s.actual or '空'}”）。", s.name,
            ))
        if actual_blank(actual):
            out.append(finding(C.ACTUAL_BLANK, f"{label}未填写实际完成值，按0分计。", s.name))
        elif actual_copies_target(s.actual, s.target):
            out.append(finding(
                C.ACTUAL_COPIES_TARGET,
                f"{label}的实际完成值“{s.actual}”"
                + ("照抄年度指标值" if copies_target(s.actual, s.target) else "带有比较符号，是指标值的写法")
                + "，未反映实际完成情况。", s.name,
            ))
        if actual_not_measured(target, actual):
            kind = "日期" if isinstance(target, TimePoint) else "定量"
            out.append(finding(
                C.ACTUAL_NOT_MEASURED,
                f"{label}为{kind}指标（{s.target}），实际完成值却为文字“{s.actual}”，无法按指标值计分，按0分计。", s.name,
            ))
        if target_not_quantified(s.level2, target):
            out.append(finding(C.TARGET_NOT_QUANTIFIED, f"{label}的年度指标值“{s.target}”为文字表述，未量化。", s.name))
        if deduction_without_reason(s.score, s.weight, s.deviation_reason):
            out.append(finding(
                C.DEDUCTION_WITHOUT_REASON,
                f"{label}得分{fmt.score(s.score)}（分值{fmt.score(s.weight)}），但未分析偏差原因。", s.name,
            ))
        if s.over_target:
            out.append(finding(
                C.TARGET_TOO_LOW,
                f"{label}实际完成{s.actual}，达到目标值{s.target}的{fmt.percent(s.actual_value / s.target_value)}，目标可能设定偏低。",
                s.name,
            ))
        if (s.kind == "quantitative" and isinstance(target, Quantity) and isinstance(actual, Quantity)
                and bound_over_ceiling(target, actual, s.actual_value)):
            out.append(finding(
                C.REVERSE_APPROX_OVER,
                f"{label}的实际完成值“{s.actual}”高于指标值“{s.target}”，超出多少未填写具体数值，按未完成计0分。", s.name,
            ))
        if cost_without_ceiling(s.level2, s.kind, s.direction) or cost_target_without_ceiling(s.level2, target):
            out.append(finding(C.COST_WITHOUT_CEILING, f"成本指标“{s.name}”的指标值“{s.target}”未使用“≤”。", s.name))
        if ceiling_on_count(s.level2, s.kind, s.direction, target):
            out.append(finding(C.CEILING_ON_COUNT, f"数量指标“{s.name}”的指标值“{s.target}”对数量使用了“≤”。", s.name))
        if level2_unknown(s.level1, s.level2, rules):
            groups = rules.level2_groups.get(s.level1, ())
            out.append(finding(
                C.LEVEL2_UNKNOWN, f"二级指标“{s.level2}”不属于{s.level1}的规定类别（{'、'.join(groups)}）。", s.name,
            ))
    if all_full_marks((s.score, s.weight) for s in scores):
        out.append(finding(C.ALL_FULL_MARKS, f"全部{len(scores)}项绩效指标均为满分，指标设置可能缺乏挑战性。"))
    sums: dict[str, float] = {}
    for s in scores:
        sums[s.level1] = sums.get(s.level1, 0.0) + s.weight
    for level1, got, expected in level1_weight_gaps(sums, rules):
        out.append(finding(
            C.LEVEL1_WEIGHTS_DIFFER,
            f"{level1}分值合计{fmt.score(got)}，与{rules.title}规定的{fmt.score(expected)}不一致。", level1,
            suggestion=f"按{rules.title}设置一级指标分值，确需调整的说明理由。",
        ))
    out.extend(_satisfaction_findings(project_year, scores, rules))
    return out


def _satisfaction_findings(project_year: ProjectYear, scores: list[IndicatorScore], rules: RuleSet) -> list[Finding]:
    survey = project_year.survey
    rates = [survey.rate] if survey else []
    rates += [s.actual_value / 100 for s in scores
              if s.level1 == "满意度指标" and s.kind == "quantitative" and s.actual_value is not None
              and parse_value(s.target).dimension == "percent"]
    if not rates or not satisfaction_needs_basis(max(rates), rules):
        return []
    if survey is not None and has_survey_basis(survey.sample_size, survey.method):
        return []
    missing = "未开展问卷调查" if survey is None else "、".join(
        name for name, value in (("样本量", survey.sample_size), ("调查方式", survey.method)) if not value)
    return [finding(FindingCode.SATISFACTION_NO_BASIS, f"满意度达{fmt.percent(max(rates))}，但缺少调查依据（{missing}）。")]
