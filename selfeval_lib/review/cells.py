"""Reading the cells of a published table: numbers, rates, amounts, blanks and grade words as printed.

A blank cell is what :func:`selfeval_lib.core.quantity.is_blank_text` says it is (the one
definition the parser of targets and actuals uses too). Numbers may be printed with full-width
digits, spaces or thousands separators ("1，200"); an amount cell may carry its own unit
("120.50万元", "1,205,000元") or be written in words ("捌万元", "人民币壹拾贰万元整", as a params
file's amount is read), converted to the column's unit (:func:`amount_cell`), and
:func:`amount_reading` says so.
"""

from __future__ import annotations

import re
from decimal import Decimal

from selfeval_lib.core.quantity import half_width, is_blank_text
from selfeval_lib.core.readings import amount_yuan
from selfeval_lib.core.units import CURRENCY
from selfeval_lib.errors import CellError
from selfeval_lib.review.table import Cell

# --- reading cells -----------------------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
MAX_CELL_NUMBER = 1e12
#: Grade words as printed → the grade bands of the rule set.
GRADE_WORDS = {"优秀": "优", "良好": "良", "中等": "中", "合格": "中", "较差": "差", "不合格": "差"}


#: What OCR makes of the dash printed in an empty number cell: 一, 二 or =, a run of them, a
#: hyphen or tilde. Never a number in a cell that holds an amount, a rate, a weight or a score.
_DASH_MARK = re.compile(r"^[—–\-‐‑‒−ー一二=＝_~～…·]{1,8}$")


def is_dash_mark(value: Cell) -> bool:
    """A number cell printing only dash-like marks ("一一", "=", "二", "—一"): a blank cell as OCR
    reads a scanned "——". Not blank by :func:`is_blank_cell` (words may legitimately say 一)."""
    return isinstance(value, str) and not is_blank_text(value) and bool(_DASH_MARK.match(_plain(value)))


def is_blank_cell(value: Cell) -> bool:
    """An empty cell, a dash, a slash, 无 … (:func:`~selfeval_lib.core.quantity.is_blank_text`)."""
    return value is None or (isinstance(value, str) and is_blank_text(value))


def grade_of_text(text: str) -> str:
    """A printed grade: "优秀" → "优"; "优" stays."""
    text = text.strip().removeprefix("等级").lstrip("：: ")
    return GRADE_WORDS.get(text, text)


def number_cell(value: Cell, percent_as_fraction: bool = False) -> float | None:
    """A printed number: 20, "20", "20%", "20分", "1,200"; blank or a dash (OCR's "一一", "=") → None.

    With ``percent_as_fraction`` "96%" → 0.96 (for rates); otherwise "20%" → 20 (for weights
    printed as percentages of 100). Text raises :class:`CellError`.
    """
    if value is None:
        return None
    if isinstance(value, (int, float)):
        if abs(value) > MAX_CELL_NUMBER or value != value:
            raise CellError(f"“{value}”数值过大或无效")
        return float(value)
    text = _plain(str(value))
    if is_blank_text(text) or is_dash_mark(text):
        return None
    percent = text.endswith("%")
    text = text.rstrip("%").removesuffix("分").strip()
    if not _NUMBER.match(text):
        raise CellError(f"“{value}”不是数字")
    number = float(text)
    if abs(number) > MAX_CELL_NUMBER:
        raise CellError(f"“{value}”数值过大")
    return number / 100 if percent and percent_as_fraction else number


def _plain(text: str) -> str:
    """Half-width, without spaces, line breaks or thousands separators ("１，２００ 元" → "1200元",
    "120.50⏎万元" → "120.50万元")."""
    return re.sub(r"\s+", "", half_width(text)).replace(",", "")


_AMOUNT = re.compile(r"^(?P<num>[+-]?\d+(?:\.\d+)?)(?P<unit>" + "|".join(sorted(CURRENCY, key=len, reverse=True)) + ")?$")


def amount_cell(value: Cell, column_unit: str = "万元") -> float | None:
    """An amount in the column's unit (the funds block's 元 or 万元): 120.5, "120.50",
    "120.50万元" in a 万元 column → 120.5, "1,205,000元" in a 万元 column → 120.5; blank ("——",
    or OCR's "一一"/"=" for it) → None. Text, or a unit that is not a currency, raises :class:`CellError`."""
    if value is None or not isinstance(value, str):
        return number_cell(value)
    if is_blank_text(value) or is_dash_mark(value):
        return None
    m = _AMOUNT.match(_plain(value))
    if not m:
        return _written_amount(value, column_unit)
    number = Decimal(m["num"])
    if abs(number) > MAX_CELL_NUMBER:
        raise CellError(f"“{value}”数值过大")
    unit = m["unit"]
    if unit is not None and unit != column_unit:
        number = number * CURRENCY[unit] / CURRENCY[column_unit]  # in decimal: "8.62万元" is 86200元
    return float(number)


def _written_amount(value: str, column_unit: str) -> float:
    """An amount written otherwise ("捌万元", "人民币壹拾贰万元整", "￥86,200.00"), read as a params
    file's amount (:func:`~selfeval_lib.core.readings.amount_yuan`), in the column's unit."""
    try:
        yuan = amount_yuan(value)
    except ValueError as exc:  # 约/以上/a range, or a unit that is no currency
        raise CellError(str(exc)) from None
    if not isinstance(yuan, Decimal):
        raise CellError(f"“{value}”不是金额（应为数字，可带单位元或万元）")
    return float(yuan / CURRENCY[column_unit])


def amount_reading(value: Cell, column_unit: str = "万元", field_name: str = "") -> str | None:
    """A sentence when an amount cell printed its own unit or thousands separators
    ("全年执行数“1,205,000元”按万元列读作120.5万元。"), None for a plain number or blank."""
    if not isinstance(value, str) or is_blank_text(value):
        return None
    try:
        amount = amount_cell(value, column_unit)
    except CellError:
        return None
    m = _AMOUNT.match(_plain(value))
    if amount is not None and m is None:
        return f"{field_name}“{value}”按{column_unit}列读作{amount:.12g}{column_unit}。"
    if m is None or amount is None or (m["unit"] is None and "," not in half_width(value)):
        return None
    return f"{field_name}“{value}”按{column_unit}列读作{amount:.12g}{column_unit}。"


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
