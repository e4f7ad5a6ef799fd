"""Size limits of an .xlsx file checked while streaming it, before openpyxl loads it whole.

openpyxl builds every cell of every sheet in memory: a 5 MB file holding a million-row sheet
costs half a minute and most of a gigabyte before any check of ours could run. :func:`check_xlsx`
reads the zip's directory (total unpacked size) and streams each worksheet's XML and the shared
strings through expat, counting ``<row>`` and ``<c>`` elements, the cells each ``<mergeCell>``
covers (openpyxl creates every one of them) and ``<si>`` strings, and stops at the first limit
passed — so a refused file costs only the rows up to the limit. A file that is
not a readable zip or XML is left to the loader, whose message says so; an XML document type
declaration (never in a real workbook; the door to entity expansion) is refused here.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from xml.parsers import expat

from selfeval_lib.errors import InputError
from selfeval_lib.inputs.messages import Problem

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CHUNK = 1 << 16


@dataclass(frozen=True, slots=True)
class XlsxLimits:
    """Largest workbook read: rows of one sheet (``<row>`` elements, empty ones included), cells
    of all sheets together (``<c>`` elements; the shared strings have the same limit), bytes
    unpacked."""

    rows: int
    cells: int
    unpacked: int = 200 * 1024 * 1024


class _Corrupt(Exception):
    """The zip or XML cannot be read: the loader reports it."""


class _Doctype(Exception):
    """An XML document type declaration."""


def _parse(stream: io.BufferedIOBase, on_start) -> None:
    parser = expat.ParserCreate(namespace_separator=" ")

    def doctype(*_args: object) -> None:
        raise _Doctype

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = on_start
    try:
        while chunk := stream.read(_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except (expat.ExpatError, zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise _Corrupt from exc


def _sheet_parts(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(title, zip member) of every worksheet, in workbook order; members not named by the
    workbook are listed with their file name."""
    targets: dict[str, str] = {}
    sheets: list[tuple[str, str]] = []

    def on_rel(name: str, attrs: dict[str, str]) -> None:
        if name.endswith("Relationship") and "Id" in attrs and "Target" in attrs:
            target = attrs["Target"]
            targets[attrs["Id"]] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))

    def on_book(name: str, attrs: dict[str, str]) -> None:
        if name == f"{_MAIN} sheet":
            sheets.append((attrs.get("name", ""), attrs.get(f"{_REL} id", "")))

    names = set(zf.namelist())
    for member, handler in (("xl/_rels/workbook.xml.rels", on_rel), ("xl/workbook.xml", on_book)):
        if member in names:
            with zf.open(member) as stream:
                _parse(stream, handler)
    parts = [(title, targets[rid]) for title, rid in sheets if targets.get(rid) in names]
    known = {member for _t, member in parts}
    parts += [(posixpath.basename(m), m) for m in sorted(names)
              if m.startswith("xl/worksheets/") and m.endswith(".xml") and m not in known]
    return parts


def _area(ref: str) -> int:
    """Cells of a merged range ``A1:C4`` (12); :class:`_Corrupt` for a reference that is none."""
    from openpyxl.utils.cell import range_boundaries

    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    except (ValueError, TypeError) as exc:
        raise _Corrupt from exc
    if None in (min_col, min_row, max_col, max_row):  # a whole row or column: Excel's limits
        min_col, min_row = min_col or 1, min_row or 1
        max_col, max_row = max_col or 16_384, max_row or 1_048_576
    return (max_col - min_col + 1) * (max_row - min_row + 1)


class _Counter:
    """Counts one sheet's rows and the workbook's cells; raises InputError at a limit."""

    def __init__(self, name: str, limits: XlsxLimits):
        self.name, self.limits, self.cells, self.strings = name, limits, 0, 0
        self.title, self.rows, self.row_ref = "", 0, "1"

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag in (f"{_MAIN} c", f"{_MAIN} mergeCell"):
            self.cells += 1 if tag == f"{_MAIN} c" else _area(attrs.get("ref", ""))
            if self.cells > self.limits.cells:
                raise InputError([Problem(self.name, f"{self.title}!{self.row_ref}:{self.row_ref}",
                                          f"单元格过多：整个工作簿超过 {self.limits.cells} 个单元格，已停止读取；"
                                          "请删除多余的行和列（含只有格式的空单元格）")])
        elif tag == f"{_MAIN} row":
            self.rows += 1
            self.row_ref = attrs.get("r", str(self.rows))
            if self.rows > self.limits.rows:
                raise InputError([Problem(self.name, f"{self.title}!{self.row_ref}:{self.row_ref}",
                                          f"行数过多：工作表超过 {self.limits.rows} 行，已停止读取；"
                                          "请删除多余的行（含只有格式的空行）")])

    def string(self, tag: str, _attrs: dict[str, str]) -> None:
        if tag == f"{_MAIN} si":
            self.strings += 1
            if self.strings > self.limits.cells:
                raise InputError([Problem(self.name, "", f"单元格过多：共享文字超过 {self.limits.cells} 条，已停止读取")])


def check_xlsx(raw: bytes, name: str, limits: XlsxLimits) -> None:
    """Refuse (:class:`InputError`, naming the sheet and row where reading stopped) a workbook
    over ``limits``; a file that is not a readable .xlsx passes, for the loader to report."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with zf:
        unpacked = sum(info.file_size for info in zf.infolist())
        if unpacked > limits.unpacked:
            raise InputError([Problem(name, "", f"文件解压后过大（{unpacked} 字节，上限 {limits.unpacked} 字节）")])
        counter = _Counter(name, limits)
        try:
            for title, member in _sheet_parts(zf):
                counter.title, counter.rows, counter.row_ref = title, 0, "1"
                with zf.open(member) as stream:
                    _parse(stream, counter.start)
            counter.title = ""
            if "xl/sharedStrings.xml" in zf.namelist():
                with zf.open("xl/sharedStrings.xml") as stream:
                    _parse(stream, counter.string)
        except _Doctype:
            raise InputError([Problem(name, "", "无法读取工作簿：含 XML 文档类型声明（DTD），不是正常的 .xlsx 文件")]) from None
        except (_Corrupt, zipfile.BadZipFile, KeyError, NotImplementedError, RuntimeError):
            return
