"""Read a published 自评表 from an Excel workbook (.xlsx/.xlsm): one table per sheet that has a
recognisable indicator header, in the national (财预〔2020〕10号), Sichuan and Yunnan layouts.

Each sheet becomes a :class:`~selfeval_lib.review.readers.excel_grid.Sheet` read by
:func:`~selfeval_lib.review.readers.layout.read_sheet`. Workbooks are read with
``data_only=True``: a formula cell gives the value Excel cached when it saved the file. A file
written by a program that stores no cached values (openpyxl, some exporters) gives the formula
text itself ("=SUM(I8:I15)"), so the review reports that cell as unreadable instead of silently
reading it as blank.

The file is opened by :func:`~selfeval_lib.inputs.files.read_input` and its rows and cells are
counted while streaming (:func:`~selfeval_lib.inputs.xlsx_limits.check_xlsx`, :data:`LIMITS`)
before openpyxl loads it.
"""

from __future__ import annotations

import io
from pathlib import Path

from selfeval_lib.errors import InputError
from selfeval_lib.inputs.files import read_input, shown
from selfeval_lib.inputs.messages import Problem
from selfeval_lib.inputs.xlsx_limits import XlsxLimits, check_xlsx
from selfeval_lib.review.readers.base import TableRead
from selfeval_lib.review.readers.excel_grid import sheet_grid
from selfeval_lib.review.readers.layout import read_sheet

MAX_EXCEL_BYTES = 20 * 1024 * 1024
#: Rows of any sheet and cells of the whole workbook, counted while streaming, before loading.
LIMITS = XlsxLimits(rows=20_000, cells=200_000)

# --- the workbook ----------------------------------------------------------------------------

def read_workbook(path: Path) -> list[TableRead]:
    """Every qualifying sheet of the workbook at ``path``. Raises :class:`InputError` for a file
    that cannot be opened, a sheet that cannot be read, or a workbook without any 自评表 (naming
    each sheet checked and why it was skipped)."""
    name = shown(path)
    raw = read_input(path, MAX_EXCEL_BYTES)
    check_xlsx(raw, name, LIMITS)
    import warnings

    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about data validation, styles …
            values = load_workbook(io.BytesIO(raw), data_only=True)
            formulas = load_workbook(io.BytesIO(raw), data_only=False)
    except Exception as exc:  # noqa: BLE001 - any failure to open is the same message for the user
        raise InputError([Problem(name, "", f"无法读取 Excel 文件：文件损坏或不是 .xlsx 格式（{type(exc).__name__}）")]) from None

    reads: list[TableRead] = []
    skipped: list[str] = []
    problems: list[Problem] = []
    for ws in values.worksheets:
        try:
            read = read_sheet(name, sheet_grid(ws, formulas[ws.title]))
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        except Exception as exc:  # noqa: BLE001 - a layout this reader does not handle: say which sheet
            problems.append(Problem(name, f"工作表“{ws.title}”", f"无法识别表格内容（{type(exc).__name__}: {str(exc)[:80]}）"))
            continue
        if isinstance(read, str):
            skipped.append(f"“{ws.title}”（{read}）")
        else:
            reads.append(read)
    if problems:
        raise InputError(problems)
    if not reads:
        raise InputError([Problem(name, "", "没有找到可识别的自评表：每张表应有含“三级指标”“年度指标值（或指标值）”"
                                            "“实际完成值（或完成值）”“分值（或权重）”“得分”的表头行。已检查的工作表："
                                            + "；".join(skipped))])
    return reads


