"""Spreadsheet and CSV cells that keep user text as text (no formula injection).

Every xlsx and CSV writer of the package writes its cells through this module:

- :func:`put_text` stores a string as an inline string (``data_type == "s"``) whatever it starts
  with. openpyxl reads any string beginning with "=" as a formula (and "#N/A" and the like as
  an error value); here the value is set, then the type forced back to text. A text beginning
  with one of :data:`FORMULA_TRIGGERS` also gets Excel's quote prefix, so that editing the cell
  in Excel keeps it text. Characters XML cannot hold are replaced (:func:`~.xmltext.xml_text`).
- :func:`put_formula` writes the formulas we mean (``data_type == "f"``).
- :func:`put_value` writes any value: numbers as numbers, dates as dates, None as an empty
  cell, anything else as text; :func:`append_row` is ``Worksheet.append`` through it.
- :func:`csv_safe` neutralises a CSV cell as OWASP recommends (CSV Injection): a text beginning
  with = + - @ TAB or CR gets a leading apostrophe ``'``. Numbers we write as numbers (int,
  float, Decimal; not bool) stay numbers, negative ones included. A *text* that looks like a
  number ("-5") is text and is neutralised too ("'-5"): whoever means a number passes a number.
  A CR inside a text becomes LF, so that the csv module quotes the field. :func:`csv_bytes`
  writes rows of such cells as UTF-8 CSV with a BOM (so Excel reads the Chinese correctly).

openpyxl is not imported here: the functions take the cells and sheets the caller made.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from selfeval_lib.files.xmltext import xml_text

#: First characters that make a spreadsheet read a cell as a formula (or DDE command).
FORMULA_TRIGGERS = ("=", "+", "-", "@")
#: First characters a CSV cell may not begin with (OWASP): the triggers, TAB and CR.
CSV_TRIGGERS = FORMULA_TRIGGERS + ("\t", "\r")
#: The longest text a cell holds (Excel's limit; openpyxl cuts there too).
MAX_CELL_CHARS = 32_767


def put_text(cell: Any, text: str) -> Any:
    """Store ``text`` in an openpyxl ``cell`` as text (never a formula or error value); returns
    the cell."""
    text = xml_text(str(text))[:MAX_CELL_CHARS]
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
    return cell


def put_formula(cell: Any, expression: str) -> Any:
    """Store a formula we mean (``"=SUM(A1:A3)"``) in ``cell``; returns the cell."""
    if not expression.startswith("=") or len(expression) < 2:
        raise ValueError(f"not a formula: {expression!r}")
    cell.value = expression
    if cell.data_type != "f":  # pragma: no cover - openpyxl types every "=…" string as a formula
        raise ValueError(f"openpyxl did not take {expression!r} as a formula")
    return cell


def _number(value: Any) -> int | float | None:
    """``value`` as a finite number to write as one, or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return None


def put_value(cell: Any, value: Any) -> Any:
    """Write ``value`` into ``cell``: None as an empty cell, a bool as a bool, a finite number
    (int, float, Decimal) as a number, a date as a date, anything else, a non-finite number
    included ("inf"), as text (:func:`put_text`). Returns the cell."""
    if value is None:
        cell.value = None
    elif isinstance(value, (bool, dt.date, dt.time, dt.timedelta)):
        cell.value = value
    elif (number := _number(value)) is not None:
        cell.value = number
    else:
        put_text(cell, value if isinstance(value, str) else str(value))
    return cell


def append_row(ws: Any, values: Sequence[Any]) -> int:
    """Append ``values`` as the next row of the openpyxl sheet ``ws`` (as ``ws.append`` does),
    each written by :func:`put_value`; returns the row number."""
    ws.append([None] * len(values))
    row = ws.max_row
    for col, value in enumerate(values, start=1):
        put_value(ws.cell(row=row, column=col), value)
    return row


def csv_safe(value: Any) -> str:
    """One CSV cell: None → "", a finite number as written by ``str``, any text (and a
    non-finite number) with a leading ``'`` when it begins with = + - @ TAB or CR; control
    characters and lone surrogates in a text are replaced by U+FFFD (:func:`~.xmltext.xml_text`)
    and a CR inside it becomes LF (the csv module quotes a field holding LF, not one holding
    only CR, which readers would take for the end of a row)."""
    if value is None:
        return ""
    number = _number(value)
    if number is not None:
        return str(number)
    text = xml_text(str(value))
    text = "'" + text if text.startswith(CSV_TRIGGERS) else text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def csv_bytes(rows: Iterable[Sequence[Any]], *, bom: bool = True) -> bytes:
    """Rows as CSV bytes: every cell through :func:`csv_safe`, fields quoted where needed, LF
    line ends, UTF-8 (with a BOM unless ``bom=False``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([csv_safe(value) for value in row])
    text = ("\ufeff" if bom else "") + buffer.getvalue()
    return text.encode("utf-8")


__all__ = ["CSV_TRIGGERS", "FORMULA_TRIGGERS", "MAX_CELL_CHARS", "append_row", "csv_bytes", "csv_safe",
           "put_formula", "put_text", "put_value"]
