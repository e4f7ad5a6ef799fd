"""Read a published 自评表 from an Excel 97-2003 workbook (.xls) with xlrd: one table per sheet
that has a recognisable indicator header, as :mod:`.excel` reads an .xlsx.

Cells are read as printed, like :func:`~selfeval_lib.review.readers.excel_grid.cell_value`:
numbers stay numbers unless formatted as %, dates become text (ISO), booleans 是/否, error cells
their Excel text ("#DIV/0!"). Merged ranges come from the file's formatting records
(``formatting_info=True``). xlrd's own messages are kept off the console.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from selfeval_lib.errors import InputError
from selfeval_lib.inputs.files import read_input, shown
from selfeval_lib.inputs.messages import Problem
from selfeval_lib.review.readers.base import TableRead
from selfeval_lib.review.readers.excel_grid import (
    MAX_COLS,
    MAX_ROWS,
    Sheet,
    number_text,
    spread_merges,
)
from selfeval_lib.review.readers.layout import read_sheet
from selfeval_lib.review.readers.tables import EXPECTED_HEADER

MAX_XLS_BYTES = 20 * 1024 * 1024


def _value(book: Any, cell: Any) -> Any:
    import xlrd

    kind, value = cell.ctype, cell.value
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if kind == xlrd.XL_CELL_BOOLEAN:
        return "是" if value else "否"
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#错误")
    if kind == xlrd.XL_CELL_DATE:
        try:
            when = xlrd.xldate_as_datetime(value, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return number_text(value)
        if value < 1:  # a time of day
            return when.time().isoformat()
        return when.date().isoformat() if when.time() == dt.time() else when.isoformat(sep=" ")
    if kind == xlrd.XL_CELL_NUMBER:
        fmt = book.format_map.get(book.xf_list[cell.xf_index].format_key) if cell.xf_index is not None else None
        if fmt is not None and "%" in fmt.format_str:
            return number_text(value * 100) + "%"
        return int(value) if float(value).is_integer() else value
    text = str(value).replace("\u3000", " ").strip()
    return text or None


def _sheet(book: Any, ws: Any) -> Sheet:
    rows, cols = min(ws.nrows, MAX_ROWS), min(ws.ncols, MAX_COLS)
    grid = [[_value(book, ws.cell(r, c)) for c in range(cols)] for r in range(rows)]
    merges = [(rlo, clo, rhi - 1, chi - 1) for rlo, rhi, clo, chi in ws.merged_cells]
    return spread_merges(ws.name, grid, merges)


def read_xls(path: Path) -> list[TableRead]:
    """Every qualifying sheet of the .xls workbook at ``path``. Raises :class:`InputError` for a
    file that cannot be opened (damaged, encrypted) or a workbook without any 自评表."""
    import xlrd

    name = shown(path)
    raw = read_input(path, MAX_XLS_BYTES)
    try:
        book = xlrd.open_workbook(file_contents=raw, formatting_info=True, logfile=io.StringIO(), on_demand=True)
    except xlrd.biffh.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise InputError([Problem(name, "", "文件已加密（受密码保护的 .xls 文件）：请去除密码后另存，再复核")]) from None
        raise InputError([Problem(name, "", f"无法读取 .xls 文件：文件损坏或不完整（{str(exc)[:80]}）")]) from None
    except Exception as exc:  # noqa: BLE001 - any failure to open is the same message for the user
        raise InputError([Problem(name, "", f"无法读取 .xls 文件：文件损坏或不完整（{type(exc).__name__}）")]) from None
    reads: list[TableRead] = []
    skipped: list[str] = []
    try:
        for index in range(book.nsheets):
            try:
                ws = book.sheet_by_index(index)
            except Exception as exc:  # noqa: BLE001 - a damaged sheet: say which
                raise InputError([Problem(name, f"第{index + 1}张工作表", f"无法读取该工作表：文件损坏（{type(exc).__name__}）")]) from None
            read = read_sheet(name, _sheet(book, ws))
            if isinstance(read, str):
                skipped.append(f"“{ws.name}”（{read}）")
            else:
                reads.append(read)
    finally:
        book.release_resources()
    if not reads:
        raise InputError([Problem(name, "", f"没有找到可识别的自评表：{EXPECTED_HEADER}。已检查的工作表：" + "；".join(skipped))])
    return reads
