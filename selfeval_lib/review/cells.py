"""Reading the cells of a published table: numbers, rates, blanks and grade words as printed.

A blank cell is what :func:`selfeval_lib.core.quantity.is_blank_text` says it is (the one
definition the parser of targets and actuals uses too).
"""

from __future__ import annotations

import re

from selfeval_lib.core.quantity import is_blank_text
from selfeval_lib.errors import CellError
from selfeval_lib.review.table import Cell

# --- reading cells -----------------------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
MAX_CELL_NUMBER = 1e12
#: Grade words as printed → the grade bands of the rule set.
GRADE_WORDS = {"优秀": "优", "良好": "良", "中等": "中", "合格": "中", "较差": "差", "不合格": "差"}


def is_blank_cell(value: Cell) -> bool:
    """An empty cell, a dash, a slash, 无 … (:func:`~selfeval_lib.core.quantity.is_blank_text`)."""
    return value is None or (isinstance(value, str) and is_blank_text(value))


def grade_of_text(text: str) -> str:
    """A printed grade: "优秀" → "优"; "优" stays."""
    text = text.strip().removeprefix("等级").lstrip("：: ")
    return GRADE_WORDS.get(text, text)


def number_cell(value: Cell, percent_as_fraction: bool = False) -> float | None:
    """A printed number: 20, "20", "20%", "20分", "1,200"; blank or a dash → None.

    With ``percent_as_fraction`` "96%" → 0.96 (for rates); otherwise "20%" → 20 (for weights
    printed as percentages of 100). Text raises :class:`CellError`.
    """
    if value is None:
        return None
    if isinstance(value, (int, float)):
        if abs(value) > MAX_CELL_NUMBER or value != value:
            raise CellError(f"“{value}”数值过大或无效")
        return float(value)
    text = str(value).strip().replace(",", "").replace("，", "").replace("％", "%")
    if is_blank_text(text):
        return None
    percent = text.endswith("%")
    text = text.rstrip("%").removesuffix("分").strip()
    if not _NUMBER.match(text):
        raise CellError(f"“{value}”不是数字")
    number = float(text)
    if abs(number) > MAX_CELL_NUMBER:
        raise CellError(f"“{value}”数值过大")
    return number / 100 if percent and percent_as_fraction else number


def number_cell_or_none(value: Cell) -> float | None:
    """:func:`number_cell`, None for a cell that is not a number."""
    try:
        return number_cell(value)
    except CellError:
        return None


def rate_cell(value: Cell) -> float | None:
    """A printed rate: "96%" or "96.5%" → 0.96…; a bare number above 1.5 is read as percent."""
    number = number_cell(value, percent_as_fraction=True)
    if number is None:
        return None
    text = str(value)
    return number / 100 if "%" not in text and "％" not in text and number > 1.5 else number
