"""The 自评表 sheet's cell styles and :class:`Sheet`, which writes bordered, styled cells and
merged ranges and remembers the formulas' results (the layouts in :mod:`.xlsx_layouts` use it)."""

from __future__ import annotations

import math
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from selfeval_lib.core import formatting as fmt
from selfeval_lib.files.cells import put_formula, put_value
from selfeval_lib.render.htmlblocks import display_len

# --- style ---------------------------------------------------------------------------------
BODY_FONT = "宋体"    # SimSun: the body font of published 自评表
TITLE_FONT = "黑体"   # SimHei for the title
_GB2312 = 134          # font charset, so Excel picks the Chinese face
FONT = Font(name=BODY_FONT, size=10, charset=_GB2312)
BOLD = Font(name=BODY_FONT, size=10, bold=True, charset=_GB2312)
TITLE = Font(name=TITLE_FONT, size=16, charset=_GB2312)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)

AMOUNT, RATE, SCORE = fmt.XLSX_AMOUNT, fmt.XLSX_RATE, fmt.XLSX_SCORE


# --- sheet helper --------------------------------------------------------------------------
class Sheet:
    """Writes bordered, styled cells and merged ranges; remembers formula results."""

    def __init__(self, ws: Worksheet, widths: tuple[float, ...]) -> None:
        self.ws = ws
        self.widths = widths
        self.ncols = len(widths)
        self.cached: dict[str, float | str] = {}
        self.last_row = 1
        self._texts: dict[int, list[tuple[str, float, int]]] = {}  # row -> (text, width, rows spanned)

    def put(self, row: int, col: int, value: Any, *, to_col: int | None = None, to_row: int | None = None,
            font: Font = FONT, align: Alignment = CENTER, header: bool = False, number_format: str | None = None,
            cached: float | str | None = None, border: bool = True) -> str:
        """Write ``value`` at (row, col), merged to (to_row, to_col); returns the cell reference.

        ``value`` is a formula only when ``cached`` (its result) is given; any other string is
        stored as text (:func:`~selfeval_lib.files.cells.put_value`), so a target such as
        "=5项" is never read as a formula.
        """
        to_col = to_col or col
        to_row = to_row or row
        cell = self.ws.cell(row=row, column=col)
        if cached is not None:
            put_formula(cell, value)
        else:
            put_value(cell, value)
        cell.font = BOLD if header and font is FONT else font
        cell.alignment = align
        if header:
            cell.fill = HEADER_FILL
        if number_format:
            cell.number_format = number_format
        if to_col != col or to_row != row:
            self.ws.merge_cells(start_row=row, start_column=col, end_row=to_row, end_column=to_col)
        if border:
            for r in range(row, to_row + 1):
                for c in range(col, to_col + 1):
                    self.ws.cell(row=r, column=c).border = BORDER
                    if header:
                        self.ws.cell(row=r, column=c).fill = HEADER_FILL
        if cached is not None:
            self.cached[cell.coordinate] = cached
        if isinstance(value, str) and cached is None:
            width = sum(self.widths[c - 1] for c in range(col, to_col + 1))
            self._texts.setdefault(row, []).append((value, width, to_row - row + 1))
        return cell.coordinate

    def ref(self, row: int, col: int) -> str:
        return f"{get_column_letter(col)}{row}"

    def fit_rows(self, first: int, last: int, minimum: float = 18.0) -> None:
        """Row heights for wrapped text (a CJK character is about two width units)."""
        for row in range(first, last + 1):
            lines = 1.0
            for text, width, rows in self._texts.get(row, []):
                per_line = max(1.0, (width - 1) / 2.1)
                needed = sum(math.ceil(max(1, display_len(part)) / 2 / per_line) for part in text.split("\n"))
                lines = max(lines, needed / rows)
            self.ws.row_dimensions[row].height = max(minimum, 13.5 * lines + 4)
