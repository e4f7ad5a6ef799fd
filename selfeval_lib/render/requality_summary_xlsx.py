"""The summary across units as a workbook: a sheet of key figures, then one sheet per table of
:func:`~selfeval_lib.requality.summary_view.sections`. Every text is stored as text (``files.cells``), never as a formula;
fixed document properties and zip times make it byte-identical for the same summary."""

from __future__ import annotations


from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from selfeval_lib.files.cells import put_text, put_value
from selfeval_lib.files.ooxml import workbook_bytes
from selfeval_lib.files.xmltext import xml_text
from selfeval_lib.requality.summary_data import Summary
from selfeval_lib.requality.summary_view import overview, sections, summary_title

_HEAD = Font(bold=True, color="FFFFFF")
_FILL = PatternFill("solid", fgColor="1F4E79")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _width(values: list[object]) -> float:
    longest = max((len(str(v)) for v in values if v is not None), default=4)
    return min(60.0, max(8.0, longest * 1.8 + 2))


def summary_workbook(s: Summary) -> bytes:
    """The workbook's bytes (.xlsx)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "概况"
    put_text(ws.cell(1, 1), summary_title(s)).font = Font(bold=True, size=14)
    for n, (label, value) in enumerate(overview(s), start=3):
        put_text(ws.cell(n, 1), label)
        put_value(ws.cell(n, 2), value)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 24
    for section in sections(s):
        sheet = wb.create_sheet(section.key)
        put_text(sheet.cell(1, 1), section.title).font = Font(bold=True, size=12)
        if section.note:
            put_text(sheet.cell(2, 1), section.note)
        for col, heading in enumerate(section.headings, start=1):
            cell = put_text(sheet.cell(3, col), heading)
            cell.font, cell.fill, cell.alignment = _HEAD, _FILL, _WRAP
        for r, row in enumerate(section.rows, start=4):
            for col, value in enumerate(row, start=1):
                cell = put_value(sheet.cell(r, col), value)
                if isinstance(value, str):
                    cell.alignment = _WRAP
        for col, heading in enumerate(section.headings, start=1):
            sheet.column_dimensions[get_column_letter(col)].width = _width(
                [heading] + [row[col - 1] for row in section.rows[:200]])
        sheet.freeze_panes = "A4"
    props = wb.properties
    props.creator = "selfeval"
    props.lastModifiedBy = "selfeval"
    props.title = xml_text(summary_title(s))
    return workbook_bytes(wb)


__all__ = ["summary_workbook"]
