"""What every presentation of a review shows: the recomputed table's rows and columns, which
cells the findings mark, the summary across tables and the way values are printed.

A :class:`~selfeval_lib.review.table.Review` holds scores, not the printed cells, so each
function takes the :class:`~selfeval_lib.review.table.PublishedTable` of the review as an optional
argument to show the targets, actuals and reasons as printed; without it only the scores are
shown (a review made by :func:`~selfeval_lib.review.recompute.review_table` keeps its table).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import InvalidOperation
from typing import Any

from markupsafe import Markup, escape

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.findings import SEVERITY_ORDER, FindingCode
from selfeval_lib.review.table import PublishedTable, Review, ReviewFinding
from selfeval_lib.review.text_blocks import TEXT_FIELDS

#: Excel fills and HTML colours by severity: red, orange, yellow.
SEVERITY_FILL = {"high": "FFC7CE", "medium": "F8CBAD", "low": "FFF2CC"}
KIND_ZH = {"execution": "预算执行", "quantitative": "定量", "time": "时效", "qualitative": "定性",
           "blank": "空白", "unreadable": "无法复核", "unweighted": "未列分值", "detail": "明细行",
           "block": "一级指标合计", "group": "合并计分（整体）", "merged": "合并计分"}

#: Columns of the recomputed table: (key, heading).
COLUMNS = (
    ("row", "行"), ("level1", "一级指标"), ("level2", "二级指标"), ("name", "三级指标"), ("target", "年度指标值"),
    ("actual", "实际完成值"), ("weight", "分值"), ("published", "填报得分"), ("recomputed", "复核得分"),
    ("reason", "偏差原因分析"),
)
#: The columns of :data:`COLUMNS` that hold scores.
NUMERIC_COLUMNS = frozenset({"weight", "published", "recomputed"})
#: Headings of the summary across tables (the keys of :func:`summary_rows`).
SUMMARY_HEADINGS = ("表", "填报总分", "复核总分", "填报等级", "复核等级", "高", "中", "低")
#: Headings of the list of findings.
FINDING_HEADINGS = ("行", "字段", "代码", "级别", "填报", "复核", "说明")
#: Which column a finding's ``field`` marks (indicator rows, the funds row and the 总分 row).
_FIELD_COLUMN = {
    "得分": "published", "分值": "weight", "年度指标值": "target", "实际完成值": "actual", "actual": "actual",
    "target/actual": ("target", "actual"), "三级指标": "name", "偏差原因分析": "reason", "原因": "reason",
    "执行率": "actual", "全年预算数": "target", "全年执行数": "actual", "等级": "reason",
}

Marks = dict[tuple[str, str], list[ReviewFinding]]


def tables_of(reviews: Sequence[Review], tables: Sequence[PublishedTable | None] | None) -> list[PublishedTable | None]:
    """The published table of each review: ``tables`` when given (same order), else the tables the
    reviews keep."""
    if tables is None:
        return [getattr(r, "table", None) for r in reviews]
    if len(tables) != len(reviews):
        raise ValueError("tables 与 reviews 数量不一致")
    return list(tables)


def review_title(review: Review, table: PublishedTable | None = None) -> str:
    """A table's heading: project name, else the source (with the sheet when known)."""
    if table is not None:
        where = f"{table.source}［{table.sheet}］" if table.sheet else table.source
        return f"{table.project.name}（{where}）" if table.project.name else where
    return review.source or "自评表"


def show(value: Any) -> str:
    """A value as the reports print it: scores with at most two decimals, None as "—", a
    number that has no two-decimal form (inf, nan, 1e300) as Python writes it ("inf")."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return str(value)
        try:
            return fmt.score(value, trim=True)
        except InvalidOperation:  # too many digits for two decimals
            return f"{value:g}"
    return str(value)


def show_text(value: Any) -> str:
    """Text as printed (an empty text stays empty), anything else as :func:`show` prints it."""
    return value if isinstance(value, str) else show(value)


def attribute_lines(text: str) -> Markup:
    """Text for an attribute, its line breaks kept as ``&#10;`` (a tooltip of several lines)."""
    return escape(text).replace("\n", Markup("&#10;"))


def row_key(row: Any) -> str:
    """The key of a row of the recomputed table: the sheet row, "资金" or "总分", as text."""
    return str(row)


def cell_marks(review: Review, table: PublishedTable | None = None) -> Marks:
    """The findings on each cell of the recomputed table: (row, column key) → findings.

    Rows are keyed by :func:`row_key`; a level-1 finding (LEVEL1_WEIGHTS_DIFFER) marks the weight
    of every row of that level-1 indicator.
    """
    marks: Marks = {}
    level1_rows: dict[str, list[str]] = {}
    if table is not None:
        for index, ind in enumerate(table.indicators):
            row = ind.row if ind.row is not None else index + 1
            level1_rows.setdefault(ind.level1, []).append(row_key(row))
    for finding in review.findings:
        columns = _FIELD_COLUMN.get(finding.field, "published")
        columns = columns if isinstance(columns, tuple) else (columns,)
        if finding.row is None:
            continue
        rows = level1_rows.get(str(finding.row)) if finding.code == FindingCode.LEVEL1_WEIGHTS_DIFFER else None
        for row in rows or [row_key(finding.row)]:
            for column in columns:
                marks.setdefault((row, column), []).append(finding)
    return marks


def marks_at(marks: Marks, key: str, column: str) -> list[ReviewFinding] | None:
    """The findings shown on one cell: the recomputed score is not marked again when the
    published score of its row carries the mark."""
    if column == "recomputed" and (key, "published") in marks:
        return None
    return marks.get((key, column))


def worst(findings: Iterable[ReviewFinding]) -> str | None:
    """The highest severity among ``findings`` (None when there are none)."""
    found = sorted((f.severity for f in findings), key=SEVERITY_ORDER.__getitem__)
    return found[0] if found else None


def finding_messages(findings: Iterable[ReviewFinding]) -> str:
    """One line per finding: "[CODE] message"."""
    return "\n".join(f"[{f.code}] {f.message}" for f in findings)


def table_rows(review: Review, table: PublishedTable | None = None) -> list[dict[str, Any]]:
    """The recomputed table, one dict per row (keys of :data:`COLUMNS` and ``kind``): the funds
    row, the indicator rows with the cells as printed when ``table`` is given, and the 总分 row.
    Amounts in the unit the table prints (元 or 万元)."""
    printed: dict[str, Any] = {}
    if table is not None:
        for index, ind in enumerate(table.indicators):
            printed[row_key(ind.row if ind.row is not None else index + 1)] = ind
    out: list[dict[str, Any]] = []
    for r in review.rows:
        key = row_key(r.row)
        entry = {"row": r.row, "level1": "", "level2": "", "name": r.name, "target": "", "actual": "",
                 "weight": r.weight, "published": r.published, "recomputed": r.recomputed, "reason": "",
                 "kind": r.kind}
        if r.kind == "execution":
            entry["level1"] = "预算执行"
            if table is not None and table.funds is not None:
                f = table.funds
                entry["target"] = f"全年预算数 {show(f.budget_full_year)}{f.amount_unit}"
                entry["actual"] = f"执行数 {show(f.executed)}{f.amount_unit}，执行率 {show(f.rate)}"
                entry["reason"] = f.reason
        elif key in printed:
            ind = printed[key]
            entry.update(level1=ind.level1, level2=ind.level2, name=ind.name, target=ind.target, actual=ind.actual,
                         reason=ind.deviation_reason)
        out.append(entry)
    for b in review.blocks:  # 一级指标 scored as a whole (the table prints no row weights)
        out.append({"row": b.row, "level1": b.name, "level2": "", "name": f"{b.name}合计", "target": "", "actual": "",
                    "weight": b.weight, "published": b.published, "recomputed": b.recomputed, "reason": "",
                    "kind": "block"})
    weights = [r.weight for r in [*review.rows, *review.blocks] if r.weight is not None]
    out.append({"row": "总分", "level1": "", "level2": "", "name": "总分", "target": "", "actual": "",
                "weight": sum(weights) if weights else None, "published": review.published_total,
                "recomputed": review.recomputed_total,
                "reason": f"等级：填报 {review.published_grade or '—'}，复核 {review.recomputed_grade or '—'}",
                "kind": "total"})
    return out


#: The text blocks shown below a table: (field of PublishedTexts, heading; also the findings' field).
TEXT_BLOCKS = tuple(TEXT_FIELDS.items())
#: Headings of the text-block table.
TEXT_HEADINGS = ("栏目", "表中文字")


def text_rows(review: Review, table: PublishedTable | None = None) -> list[dict[str, Any]]:
    """The text blocks as printed and the 其中 rows of the funds block, one dict each (``heading``,
    ``text``, ``findings`` on it); blocks the table does not print are left out."""
    if table is None:
        return []
    out: list[dict[str, Any]] = []
    if table.funds is not None:
        f = table.funds
        for line in f.breakdown:
            on_line = [x for x in review.findings if row_key(x.row) == row_key(line.row) and line.row is not None]
            out.append({"heading": f"资金·其中：{line.label}",
                        "text": f"全年预算数 {show(line.budget_full_year)}{f.amount_unit}，全年执行数 {show(line.executed)}{f.amount_unit}",
                        "findings": on_line})
    texts = table.texts
    if texts is not None:
        for field, heading in TEXT_BLOCKS:
            value = getattr(texts, field)
            if value is None:
                continue
            out.append({"heading": heading, "text": value or "（空白）",
                        "findings": [x for x in review.findings if x.field == heading]})
    return out


def summary_rows(reviews: Sequence[Review], tables: Sequence[PublishedTable | None] | None = None) -> list[dict[str, Any]]:
    """One row per table (keys of :data:`SUMMARY_HEADINGS`): totals, grades and the number of
    findings by severity."""
    out = []
    for review, table in zip(reviews, tables_of(reviews, tables)):
        counts = Counter(f.severity for f in review.findings)
        out.append({"表": review_title(review, table), "填报总分": review.published_total,
                    "复核总分": review.recomputed_total, "填报等级": review.published_grade or None,
                    "复核等级": review.recomputed_grade, "高": counts["high"], "中": counts["medium"],
                    "低": counts["low"]})
    return out


def code_counts(reviews: Sequence[Review]) -> list[tuple[str, str, int]]:
    """(code, severity, count) across all tables, most frequent first."""
    counter = Counter((f.code, f.severity) for r in reviews for f in r.findings)
    return sorted(((code, sev, n) for (code, sev), n in counter.items()),
                  key=lambda x: (-x[2], SEVERITY_ORDER[x[1]], x[0]))
