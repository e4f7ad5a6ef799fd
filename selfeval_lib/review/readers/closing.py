"""What closes a 自评表 grid: the 总分 row (its 分值 and 得分, also where the row prints them apart
from those columns, beside the grade's own cells), the grade and the survey; and the weight a
label prints ("产出指标（60分）", "得分（20分*执行率）")."""

from __future__ import annotations

import re
from typing import Any

from selfeval_lib.review.cells import GRADE_WORDS
from selfeval_lib.review.readers.excel_grid import Sheet, base, norm, or_none, right_of, text_of


TOTAL_LABELS = ("总分", "合计", "总计", "得分合计", "合计得分", "综合得分", "自评得分")


GRADE_LABELS = ("等级", "评价等级", "自评等级", "绩效等级", "评定等级", "评价结果")


#: A weight printed in a label: "产出指标（60分）", "预算执行情况（万元）（20分）", "得分（20分*执行率）";
#: "（分）" (the template's blank) has no number.
WEIGHT_IN_LABEL = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)?\s*分\s*(?:[*×xX＊]\s*执行率\s*)?[)）]")


def first_text(row: list[Any], upto: int | None = None) -> str:
    for value in row[:upto]:
        if norm(value):
            return norm(value)
    return ""


def is_total_row(row: list[Any], upto: int) -> bool:
    return any(base(v) in TOTAL_LABELS for v in row[:max(upto, 1)])


def is_number_text(value: Any) -> bool:
    return isinstance(value, (int, float)) or bool(re.fullmatch(r"[+-]?\d+(?:\.\d+)?\s*分?", norm(value)))


def total_cells(sheet: Sheet, r: int, cols: dict[str, int], upto: int) -> dict[str, Any]:
    """分值 and 得分 of the 总分 row: in the 分值 and 得分 columns; where the row prints them apart from
    those columns (总分（100分） | 97 | 自评等级 | 优, as Hubei's template does), the weight from the
    label and the score from the first number right of it."""
    row = sheet.spread[r]
    label = first_text(row, upto)
    out: dict[str, Any] = {}
    for key, col in (("total_weight", cols.get("weight")), ("published_total", cols.get("score"))):
        value = sheet.get(r, col)
        out[key] = None if norm(value) == label else or_none(value)
    if out["total_weight"] is None and (m := WEIGHT_IN_LABEL.search(label)) and m.group(1):
        out["total_weight"] = m.group(1)
    if out["published_total"] is not None and grade_text(out["published_total"]):
        out["published_total"] = None  # the grade's cell reaches into the 得分 column
    if out["published_total"] is None:
        start = next((c for c, v in enumerate(row) if norm(v) == label), 0)
        seen = {label}
        for c in range(start + 1, len(row)):
            value = row[c]
            if not norm(value) or norm(value) in seen or c == cols.get("weight"):
                continue
            seen.add(norm(value))
            if base(value) in GRADE_LABELS:
                break
            if is_number_text(value):
                out["published_total"] = value
                break
    return out


def grade_text(value: Any) -> bool:
    """A grade word or a grade label ("优", "良好", "自评等级")."""
    t = norm(value)
    return t in GRADE_WORDS or t in GRADE_WORDS.values() or base(value) in GRADE_LABELS


def find_grade(sheet: Sheet, start: int) -> str:
    """The grade printed on or below the 总分 row: "等级：优" in one cell, or 评价等级 | 优."""
    for r in range(start, len(sheet.spread)):
        row = sheet.spread[r]
        for c, value in enumerate(row):
            t = norm(value)
            m = re.match(r"^(?:自评|评价|绩效|评定)?等级[:：](\S{1,4})$", t)
            if m:
                return m.group(1)
            if base(value) in GRADE_LABELS:
                right = right_of(row, c)
                if right is not None and len(norm(right)) <= 4:
                    return norm(right)
    return ""


def survey_of(sheet: Sheet, start: int) -> dict[str, Any]:
    """样本量 and 调查方式 printed from row ``start`` (0-based) down."""
    survey: dict[str, Any] = {}
    for r in range(start, len(sheet.spread)):
        for c, value in enumerate(sheet.spread[r]):
            b = base(value)
            if b in ("样本量", "调查样本量", "有效样本量", "调查样本数", "有效问卷"):
                survey["sample_size"] = or_none(right_of(sheet.spread[r], c))
            elif b in ("调查方式", "调查方法"):
                survey["method"] = text_of(right_of(sheet.spread[r], c))
    return survey
