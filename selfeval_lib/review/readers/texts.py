"""The text blocks of a 自评表 grid: 年度总体目标 (预期目标 / 实际完成情况), 评价结论, 存在问题,
改进措施 (改进意见), 项目负责人 and 填表人, wherever they sit outside the indicator rows (above
the indicator header, below the 总分 row).

A label is a cell of its own ("评价结论"), its text right of it or, for the longer blocks, in the
row below (the same column, merges spread); or one cell holds both ("评价结论：总体良好",
"项目负责人：张三 填表人：李四"). A label printed with no text is read as "" (left blank), a
block not printed stays absent.
"""

from __future__ import annotations

import re
from typing import Any

from selfeval_lib.review.readers.excel_grid import (
    Sheet,
    funds_field,
    indicator_field,
    norm,
    right_of,
    text_of,
)

#: field → the labels that name it (compared without spaces, brackets or a trailing colon).
LABELS: dict[str, tuple[str, ...]] = {
    "goal_expected": ("预期目标", "年度预期目标", "年初设定目标", "年度绩效目标", "项目年度目标"),
    "goal_actual": ("实际完成情况", "全年实际完成情况", "年度目标完成情况", "总体目标完成情况", "目标完成情况",
                    "年度总体目标完成情况", "年度总体目标完成情况综述", "总体目标完成情况综述", "年度目标完成情况综述",
                    "目标完成情况综述", "项目年度目标完成情况"),
    "conclusion": ("评价结论", "自评结论", "综合评价结论", "总体评价", "自评结果"),
    "problems": ("存在问题", "存在的问题", "主要问题", "存在问题及原因", "存在问题和改进措施", "存在问题及改进措施"),
    "measures": ("改进措施", "改进意见", "整改措施", "改进措施及建议", "下一步改进措施", "意见建议", "相关建议",
                 "改进措施及结果应用方案", "改进措施及结果应用"),
    "reasons": ("偏差大或目标未完成原因分析", "目标未完成原因分析", "偏差大或目标未完成原因", "未完成原因分析"),
    "leader": ("项目负责人",),
    "filler": ("填表人", "填报人"),
}
#: Labels that give the goal only when the text sits right of them (a one-cell 年度总体目标 block).
_GOAL_ONLY_RIGHT = ("年度总体目标", "总体目标", "年度目标")
_NAMES = ("leader", "filler")
_BY_LABEL = {label: field for field, labels in LABELS.items() for label in labels}
_ALL_LABELS = sorted([*_BY_LABEL, *_GOAL_ONLY_RIGHT, "财务负责人", "联系电话", "填报日期", "填表日期", "单位负责人"],
                     key=len, reverse=True)
_LABEL_COLON = re.compile(r"(" + "|".join(map(re.escape, _ALL_LABELS)) + r")\s*[:：]")


def _label(value: Any) -> str:
    """A cell's text as a label: no spaces, no bracketed note, no trailing colon."""
    return re.sub(r"[（(][^）)]*[）)]", "", norm(value)).rstrip(":：")


def _is_label(value: Any) -> bool:
    t = _label(value)
    return t in _BY_LABEL or t in _GOAL_ONLY_RIGHT or t in _ALL_LABELS


def _inline(text: str) -> list[tuple[str, str]]:
    """(field, text) for each "label：text" inside one cell ("项目负责人：张三 填表人：李四")."""
    marks = list(_LABEL_COLON.finditer(text))
    out = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        field = _BY_LABEL.get(m.group(1))
        if field is not None:
            out.append((field, text[m.end():end].strip().rstrip("；;，,")))
    return out


def read_texts(sheet: Sheet, header_row: int, end_row: int) -> dict[str, Any]:
    """The text blocks in rows above ``header_row`` and from ``end_row`` down (0-based), as the
    fields of :class:`~selfeval_lib.review.table.PublishedTexts` (empty when none is printed)."""
    found: dict[str, str] = {}
    rows: dict[str, int] = {}

    def put(field: str, value: str, r: int) -> None:
        if field not in found or (not found[field] and value):
            found[field] = value
            rows[field] = r + 1

    for r in [*range(min(header_row, len(sheet.spread))), *range(end_row, len(sheet.spread))]:
        row = sheet.spread[r]
        seen: set[str] = set()
        for c, value in enumerate(row):
            if value is None or not isinstance(value, str) or (r, c) in sheet.continued:
                continue  # a label's merge continued from the row above is no new label
            label = _label(value)
            if label in seen:  # a merged label spread over several cells
                continue
            seen.add(label)
            field = _BY_LABEL.get(label)
            if field is None and label in _GOAL_ONLY_RIGHT:
                right = right_of(row, c)
                if right is not None and not _is_label(right):
                    put("goal_expected", text_of(right), r)
                continue
            if field is None:
                for inline_field, text in _inline(text_of(value)):
                    put(inline_field, text, r)
                continue
            put(field, _block_value(sheet, r, c, field), r)
    if not found:
        return {}
    return {**found, "rows": rows}


def _looks_like_name(value: Any) -> bool:
    """A short text that is no label or heading of the table (a person's name, not "项目资金")."""
    t = norm(value)
    return (bool(t) and len(t) <= 12 and not _is_label(value) and not re.search(r"[:：\d]", t)
            and funds_field(value) is None and indicator_field(value) is None
            and not t.startswith(("项目", "资金", "预算", "绩效", "年度", "单位", "主管", "实施")))


def _block_value(sheet: Sheet, r: int, c: int, field: str) -> str:
    """The text of the label at (r, c): right of it, else (not for names) the cell below."""
    right = right_of(sheet.spread[r], c)
    if right is not None and not _is_label(right):
        return text_of(right)
    if field in _NAMES:  # a header-style row (项目负责人 | 联系电话 over 张三 | …): a short name below
        below = sheet.get(r + 1, c) if r + 1 < len(sheet.spread) else None
        if below is not None and _looks_like_name(below):
            return text_of(below)
        return ""
    if right is not None and field not in ("goal_expected", "goal_actual"):
        return ""
    if r + 1 < len(sheet.spread):
        below = sheet.get(r + 1, c)
        if below is not None and not _is_label(below) and norm(below) != norm(sheet.spread[r][c]):
            return text_of(below)
    return ""
