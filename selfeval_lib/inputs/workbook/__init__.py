"""The Excel input workbook (输入工作簿): a template analysts fill instead of YAML, and its import.

:mod:`.spec` says which sheet and column holds each field of the schema, :mod:`.template` writes
the workbook (blank, with example rows, or filled with a project-year), :mod:`.reader` reads a
filled one back into params data with the cell of every field, and :mod:`.importer` validates
that data as a params file is validated and writes ``<out>/<year>/<id>.yaml``.
"""

from selfeval_lib.inputs.workbook.importer import IMPORT_MARK, import_workbook, params_yaml, project_from_workbook
from selfeval_lib.inputs.workbook.reader import MAX_DATA_ROWS, MAX_WORKBOOK_BYTES
from selfeval_lib.inputs.workbook.spec import EXAMPLE_MARK, INSTRUCTIONS_SHEET, SHEET_BY_NAME, SHEETS, Column, Sheet
from selfeval_lib.inputs.workbook.template import (
    EXAMPLE_PARAMS,
    VALIDATED_ROWS,
    YEAR_NAME,
    blank_workbook,
    workbook_from_project,
)

__all__ = [
    "EXAMPLE_MARK",
    "EXAMPLE_PARAMS",
    "IMPORT_MARK",
    "INSTRUCTIONS_SHEET",
    "MAX_DATA_ROWS",
    "MAX_WORKBOOK_BYTES",
    "SHEETS",
    "SHEET_BY_NAME",
    "VALIDATED_ROWS",
    "YEAR_NAME",
    "Column",
    "Sheet",
    "blank_workbook",
    "import_workbook",
    "params_yaml",
    "project_from_workbook",
    "workbook_from_project",
]
