"""How a value is shown in a cell of the package's HTML pages and workbooks (the filters of
:mod:`.templating`, and the same texts in the indexes' workbooks): the year's index, the
monitoring index, the 复核 summary, and the 复核 letters' subheadings; the lights' colours.

Amounts in an index row are already 万元 (two decimals), rates fractions (1.0 = 100%).
"""

from __future__ import annotations

from typing import Any

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.monitoring import LIGHT_ZH
from selfeval_lib.core.vocabulary import GRADES

#: A run's status as the indexes show it.
STATUS_ZH = {"ok": "成功", "failed": "失败"}
#: The order of the grades when the index is sorted by 等级 (best first): the rank sorts, the text shows.
GRADE_RANK = {grade: len(GRADES) - i for i, grade in enumerate(GRADES)}
#: The pale ground of a cell whose figure has a light (HTML), and the colour of each light (text
#: on that ground), always shown with its word (红灯 …).
LIGHT_FILLS = {"red": "#f8d7da", "yellow": "#fff2cc", "green": "#e2efda", "blue": "#ddebf7"}
LIGHT_COLOURS = {"red": "#c00000", "yellow": "#9c6500", "green": "#2e7d32", "blue": "#1f4e79"}
#: The same as Excel, Word and the index's CSS take them ("F8D7DA").
FILLS = {light: colour.lstrip("#").upper() for light, colour in LIGHT_FILLS.items()}
COLOURS = {light: colour.lstrip("#").upper() for light, colour in LIGHT_COLOURS.items()}


def index_cell(value: Any, key: str) -> str:
    """A cell of the year's index as shown: "—" for none, rates as percent, 万元 with thousands,
    scores with two decimals, 成功/失败."""
    if value is None:
        return "—"
    if key == "execution_rate":
        return fmt.percent(value)
    if key == "budget_wan":
        return f"{value:,.2f}"
    if key == "total":
        return fmt.score(value)
    if key == "status":
        return STATUS_ZH.get(value, str(value))
    return str(value)


def monitoring_cell(value: Any, key: str, kind: str) -> str:
    """A cell of the monitoring index: as :func:`index_cell`, plus lights as words (红灯 …) and
    the monitoring's own rates (序时进度, 全年预计执行率) and progress points."""
    if value is None:
        return index_cell(value, key)
    if kind == "light":
        return LIGHT_ZH.get(value, str(value))
    if key in ("time_progress", "projected_rate"):
        return fmt.percent(value)
    if key == "progress":
        return fmt.score(value)
    return index_cell(value, key)


def summary_cell(value: Any) -> str:
    """A cell of the 复核 summary: "—" for none or empty, a fraction with up to four decimals,
    a larger number with thousands and two decimals, anything else as text."""
    if value is None or value == "":
        return "—"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if abs(value) < 1 else f"{value:,.2f}"
    return str(value)


def is_subheading(text: str) -> bool:
    """A paragraph that is a （一） heading: short, numbered, no sentence in it."""
    return text.startswith("（") and "。" not in text and len(text) <= 30


__all__ = ["COLOURS", "FILLS", "GRADE_RANK", "LIGHT_COLOURS", "LIGHT_FILLS", "STATUS_ZH", "index_cell", "is_subheading",
           "monitoring_cell", "summary_cell"]
