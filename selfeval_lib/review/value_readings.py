"""The readings of target and actual cells that are not obvious ("≥ 90 %(百分比)" read as ≥90%,
"9月" against "10月底前" read as a date, "80元/人" as a per-unit rate …), listed once each with the
rows they occur on (issue 13). The sentences are the quantity reader's
(:func:`~selfeval_lib.core.readings.describe_reading`); this module only collects them.
"""

from __future__ import annotations

from selfeval_lib.core.quantity import QuantityError, Value, parse_value
from selfeval_lib.core.readings import describe_reading, read_against
from selfeval_lib.review.table import PublishedTable


def _described(text: str, target: Value | None, year: int, is_actual: bool) -> str | None:
    try:
        if is_actual and target is not None:
            return describe_reading(text, read_against(text, target, year), target, year)
        return describe_reading(text, None, None, year)
    except QuantityError:  # a text that cannot be read is the row's finding, not a reading
        return None


def value_readings(table: PublishedTable) -> list[str]:
    """One reading per distinct (field, cell text, sentence), naming its rows: "第2、7行年度指标值
    “≥95%(百分比)”单位“百分比”读作%。"."""
    year = table.project.year or 2000
    rows_of: dict[tuple[str, str], list[str]] = {}
    for index, ind in enumerate(table.indicators):
        row = str(ind.row if ind.row is not None else index + 1)
        try:
            target: Value | None = parse_value(ind.target)
        except QuantityError:
            target = None
        for what, text, is_actual in (("年度指标值", ind.target, False), ("实际完成值", ind.actual, True)):
            if not text.strip():
                continue
            described = _described(text, target, year, is_actual)
            if described:
                rows_of.setdefault((what, described), []).append(row)
    return [f"第{'、'.join(dict.fromkeys(rows))}行{what}{described}" for (what, described), rows in rows_of.items()]
