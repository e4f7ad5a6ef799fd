"""Readers of published 自评表: a file → :class:`TableRead` (a :class:`PublishedTable` and the
reader's notes), chosen by the file's content (:mod:`.detect`), its suffix only for text.

Cells are kept as printed: "20%" weights, "≥95%" targets, "600余人", "——" blanks and amounts in
the unit the header names. Nothing is corrected here; :func:`selfeval_lib.review.recompute.review_table`
does the recomputation. A reader may import ``core``, ``inputs`` (safe YAML, messages) and the
table model; it never reviews. Every form's grid is read by :func:`.layout.read_sheet`.

- :mod:`.yaml_table` — a YAML transcription, one table per file;
- :mod:`.excel` — an Excel workbook, one table per qualifying sheet (sheet grid and header
  recognition in :mod:`.excel_grid`); :mod:`.xls` — the same for Excel 97-2003 (.xls);
- :mod:`.docx_table` — every table of a Word .docx; :mod:`.html_table` — every table of a saved
  web page; both join a table continued in the next one (:mod:`.tables`);
- :mod:`.pdf_table` and :mod:`.ocr` — text PDFs and scans/images.

Each reader imports its library (python-docx, lxml, xlrd, pdfplumber, the OCR extra) when a file
of its form is read, and says which extra to install when it is missing. A new form is one entry
in :data:`FORM_READERS` (form → reader) and its marks in :mod:`.detect`.
A file whose content is another form than its name says is read by its content, with a note.
"""

from __future__ import annotations

from pathlib import Path

from selfeval_lib.errors import InputError
from selfeval_lib.inputs.files import read_input, shown
from selfeval_lib.inputs.messages import Problem
from selfeval_lib.review.readers.base import Reader, TableRead, without_copies
from selfeval_lib.review.readers.docx_table import read_docx
from selfeval_lib.review.readers.detect import (
    FORMS,
    REFUSED,
    detect,
    form_name,
    form_of_suffix,
)
from selfeval_lib.review.readers.excel import read_workbook
from selfeval_lib.review.readers.html_table import read_html
from selfeval_lib.review.readers.ocr import read_image
from selfeval_lib.review.readers.pdf_table import read_pdf
from selfeval_lib.review.readers.xls import read_xls
from selfeval_lib.review.readers.yaml_table import read_yaml_table
from selfeval_lib.review.table import PublishedTable

__all__ = ["FORM_READERS", "READERS", "SUFFIXES", "UNSUPPORTED", "Reader", "TableRead", "load_table", "read_tables"]

#: The reader of each form.
FORM_READERS: dict[str, Reader] = {
    "yaml": read_yaml_table,
    "xlsx": read_workbook,
    "xls": read_xls,
    "docx": read_docx,
    "html": read_html,
    "pdf": read_pdf,
    "image": read_image,
}
#: The form each supported suffix (lower case, with the dot) names.
READERS: dict[str, str] = {suffix: form for form, (_, suffixes) in FORMS.items() for suffix in suffixes}
#: Suffixes known but not read, and what to do instead.
UNSUPPORTED: dict[str, str] = {
    ".doc": REFUSED["doc"],
    ".et": "不支持 WPS 表格（.et）格式，请另存为 .xlsx 后再复核",
    ".wps": "不支持 WPS 文字（.wps）格式，请另存为 .docx 后再复核",
    ".mht": "不支持单个文件网页（.mht），请在浏览器中另存为“网页，仅 HTML”（.html）后再复核",
    ".mhtml": "不支持单个文件网页（.mhtml），请在浏览器中另存为“网页，仅 HTML”（.html）后再复核",
}
SUFFIXES = tuple(READERS)
_SHORT = {"xlsx": " Excel 文件", "xls": " Excel 文件", "docx": " Word 文件", "pdf": " PDF 文件", "image": "图片"}
#: The largest file looked at to find its form (each reader has its own, smaller or equal limit).
MAX_DETECT_BYTES = 64 * 1024 * 1024


def _form(path: Path, name: str) -> tuple[str, str]:
    """(the form to read ``path`` as, a note when its content differs from its name or "")."""
    named = form_of_suffix(path.suffix)
    found = detect(read_input(path, MAX_DETECT_BYTES))
    if found is None:  # text without a mark of its own
        if named == "yaml":
            return "yaml", ""
        if named == "html":  # a page fragment that does not start with a tag
            return "html", ""
        if path.suffix.lower() in UNSUPPORTED:
            raise InputError([Problem(name, "", UNSUPPORTED[path.suffix.lower()])])
        if named is None:
            raise InputError([Problem(name, "", f"不支持的文件类型“{path.suffix or '无扩展名'}”：自评表应为 Word（.docx）、"
                                                "PDF、网页（.html）、Excel（.xlsx/.xls）、图片或 YAML")])
        label = _SHORT.get(named, form_name(named))
        raise InputError([Problem(name, "", f"无法读取{label}：文件损坏或不是 {path.suffix} 格式（内容是纯文本或未知格式）")])
    if found == "ole_damaged" and named == "xls":
        return "xls", ""  # the .xls reader says what is wrong with it
    if found == "ole_damaged":
        raise InputError([Problem(name, "", "文件损坏或不完整（Office 97-2003 文件结构无法读取，可能下载未完成）：请重新获取该文件")])
    if found == "xlsx_or_docx_damaged":
        raise InputError([Problem(name, "", "文件损坏或不完整（ZIP 结构无法读取，可能下载未完成）：请重新获取该文件")])
    if found in REFUSED:
        raise InputError([Problem(name, "", REFUSED[found])])
    note = ""
    if named != found:
        said = f"文件名是“{path.suffix}”" if path.suffix else "文件名没有扩展名"
        note = f"文件内容是{form_name(found)}，虽然{said}：按{form_name(found)}读取。"
    return found, note


def read_tables(path: Path | str) -> list[TableRead]:
    """Every table in ``path`` with the reader's notes: one for a YAML file, one per qualifying
    sheet of a workbook, each 自评表 of a Word file, web page or PDF.

    Raises :class:`~selfeval_lib.errors.InputError` (file, field or sheet/table/row, message in
    Chinese) for a file that cannot be used or whose form no reader handles.
    """
    path = Path(path)
    name = shown(path)
    form, note = _form(path, name)
    reads = without_copies(FORM_READERS[form](path))  # a report's own table of the 附件's indicators, in any form
    if note:
        for read in reads:
            read.notes.insert(0, note)
    return reads


def load_table(path: Path | str) -> list[PublishedTable]:
    """As :func:`read_tables`, the tables only."""
    return [read.table for read in read_tables(path)]
