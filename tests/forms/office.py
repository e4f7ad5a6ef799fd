"""A grid (:mod:`forms.grid`) printed as the Office forms a unit publishes: a Word .docx (python-docx,
cells merged with ``merge``), an .xlsx (openpyxl ``merge_cells``) and an .xls (LibreOffice's
conversion of that .xlsx). Plain numbers are written as numbers in the workbooks, "20%" as a
number formatted as a percentage, as Excel users type them.

Files are built once per test session (:func:`built`), in a private folder.
"""

from __future__ import annotations

import atexit
import re
import shutil
import struct
import tempfile
from functools import cache
from pathlib import Path

from forms.grid import Grid, load_grid, placed, shape

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_PERCENT = re.compile(r"^-?\d+(\.\d+)?%$")


def to_docx(grid: Grid, path: Path) -> Path:
    """The grid as a Word table (title paragraph above, notes below)."""
    import docx

    document = docx.Document()
    if grid.title:
        document.add_paragraph(grid.title)
    rows, cols = shape(grid)
    table = document.add_table(rows=rows, cols=cols)
    table.style = "Table Grid"
    for s in placed(grid):
        cell = table.cell(s.row, s.col)
        if s.rowspan > 1 or s.colspan > 1:
            cell = cell.merge(table.cell(s.row + s.rowspan - 1, s.col + s.colspan - 1))
        lines = s.text.split("\n")
        cell.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
    for note in grid.notes:
        document.add_paragraph(note)
    document.save(path)
    return path


def to_xlsx(grid: Grid, path: Path) -> Path:
    """The grid as one worksheet "自评表" (title in a merged first row)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    rows, cols = shape(grid)
    top = 1
    if grid.title:
        ws.cell(1, 1, grid.title)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=cols)
        top = 2
    for s in placed(grid):
        cell = ws.cell(top + s.row, 1 + s.col)
        if _NUMBER.match(s.text):
            cell.value = float(s.text) if "." in s.text else int(s.text)
        elif _PERCENT.match(s.text):
            cell.value = float(s.text[:-1]) / 100
            cell.number_format = "0%" if "." not in s.text else "0.0%"
        else:
            cell.value = s.text or None
            if s.text.startswith("="):  # "=3万元/公里" is printed text, as a unit's file holds it, not a formula
                cell.data_type = "s"
            if "\n" in s.text:
                cell.alignment = Alignment(wrap_text=True)
        if s.rowspan > 1 or s.colspan > 1:
            ws.merge_cells(start_row=top + s.row, start_column=1 + s.col,
                           end_row=top + s.row + s.rowspan - 1, end_column=s.col + s.colspan)
    for i, note in enumerate(grid.notes):
        ws.cell(top + rows + i, 1, note)
    wb.save(path)
    return path


@cache
def _folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="selfeval-forms-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


@cache
def built(grid_path: str, form: str) -> Path:
    """The grid at ``grid_path`` as ``form`` ("docx", "xlsx", "xls", "html", "gbk.html", "pdf", "scan"), built once
    per session; do not modify the file (copy it)."""
    from office_convert import convert, make_profile

    from forms.grid import to_html

    grid = load_grid(grid_path)
    stem = Path(grid_path).stem
    out = _folder() / form
    out.mkdir(exist_ok=True)
    if form == "docx":
        return to_docx(grid, out / f"{stem}.docx")
    if form == "xlsx":
        return to_xlsx(grid, out / f"{stem}.xlsx")
    if form == "html":
        path = out / f"{stem}.html"
        path.write_text(to_html(grid, chrome=True), encoding="utf-8")
        return path
    if form == "gbk.html":
        path = out / f"{stem}.html"
        path.write_bytes(to_html(grid, charset="gbk", chrome=True).encode("gbk"))
        return path
    if form == "xls":
        (converted,) = convert([built(grid_path, "xlsx")], "xls", out, make_profile(_folder() / "profile"))
        return converted
    if form == "pdf":
        from forms.pdf import text_pdf

        return text_pdf(grid, out / f"{stem}.pdf")
    if form == "scan":
        from forms.pdf import scanned_pdf

        return scanned_pdf(built(grid_path, "pdf"), out / f"{stem}.pdf", dpi=150, angle=0.4)
    raise ValueError(form)


def copy_to(src: Path, dest: Path) -> Path:
    """A copy of a built form (tests may rename or damage it)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)
    return dest


# --- comparing reviews -------------------------------------------------------------------------

GRIDS = Path(__file__).resolve().parent / "grids"
#: The grid of helper A's form tests and its YAML transcription.
DRILL = GRIDS / "national_drill.yaml"
DRILL_YAML = GRIDS / "national_drill.table.yaml"


def row_less(review) -> list[tuple[str, str, str]]:
    """A review's findings without row numbers (which differ between forms): code, field and the
    indicator the finding is on ("资金" for the funds row, the row label otherwise), sorted."""
    # a YAML transcription has no sheet rows: its findings name the indicator's number (1, 2 …)
    names = {ind.row if ind.row is not None else i: ind.name for i, ind in enumerate(review.table.indicators, 1)}
    funds_row = review.table.funds.row if review.table.funds else None
    out = []
    for f in review.findings:
        where = names.get(f.row, "资金" if f.row == funds_row and f.row is not None else
                          (f.row if isinstance(f.row, str) else "全表"))
        out.append((str(f.code), f.field or "", str(where)))
    return sorted(out)


def cfb(*names: str) -> bytes:
    """A minimal OLE2 (compound file) holding empty streams named ``names``."""
    end, free, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFF
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108
    fat = struct.pack("<II", 0xFFFFFFFD, end) + struct.pack("<I", free) * 126

    def entry(name: str, kind: int, right: int, child: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBBIII", len(raw), kind, 1, nostream, right, child)
                + bytes(16) + bytes(4) + bytes(16) + struct.pack("<IQ", end, 0))

    entries = [entry("Root Entry", 5, nostream, 1 if names else nostream)]
    for i, name in enumerate(names, start=1):
        entries.append(entry(name, 2, i + 1 if i < len(names) else nostream, nostream))
    directory = b"".join(entries).ljust(512, b"\0")
    return header + fat + directory
