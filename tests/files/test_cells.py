"""Cells that keep user text as text (files/cells.py) and text XML can hold (files/xmltext.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from selfeval_lib.files.cells import (
    append_row,
    csv_bytes,
    csv_safe,
    put_formula,
    put_text,
    put_value,
)
from selfeval_lib.files.xmltext import xml_text

#: Text beginning with every character a spreadsheet may read as a formula, and more.
HOSTILE = [
    "=1+1", "+1", "-1", "@SUM(A1)", "\t=1+1", "\r=1+1", "=5项", '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "#N/A", "#DIV/0!", "=", "-",
]


def _saved(wb: Workbook) -> Workbook:
    buffer = io.BytesIO()
    wb.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))


@pytest.mark.parametrize("text", HOSTILE)
def test_put_text_stores_text_not_formula(text: str) -> None:
    wb = Workbook()
    cell = put_text(wb.active["A1"], text)
    assert cell.data_type == "s"
    loaded = _saved(wb).active["A1"]
    assert loaded.data_type == "s"
    assert loaded.value == text
    assert loaded.quotePrefix == text.startswith(("=", "+", "-", "@"))


def test_written_xml_has_no_formula_for_text() -> None:
    wb = Workbook()
    for row, text in enumerate(HOSTILE, start=1):
        put_text(wb.active.cell(row, 1), text)
    put_formula(wb.active.cell(1, 2), "=SUM(A1:A3)")
    buffer = io.BytesIO()
    wb.save(buffer)
    import zipfile

    sheet = zipfile.ZipFile(buffer).read("xl/worksheets/sheet1.xml").decode()
    assert sheet.count("<f>") == 1 and "<f>SUM(A1:A3)</f>" in sheet
    assert sheet.count('t="inlineStr"') == len(HOSTILE)


def test_put_formula_keeps_our_formulas() -> None:
    wb = Workbook()
    put_value(wb.active["A1"], 2)
    put_value(wb.active["A2"], 3)
    assert put_formula(wb.active["A3"], "=SUM(A1:A2)").data_type == "f"
    loaded = _saved(wb).active["A3"]
    assert loaded.data_type == "f" and loaded.value == "=SUM(A1:A2)"


@pytest.mark.parametrize("bad", ["SUM(A1)", "=", "5"])
def test_put_formula_refuses_what_is_not_one(bad: str) -> None:
    with pytest.raises(ValueError):
        put_formula(Workbook().active["A1"], bad)


def test_put_value_types() -> None:
    wb = Workbook()
    ws = wb.active
    values = [-5, 2.5, Decimal("12.50"), Decimal(3), True, None, dt.date(2023, 3, 15), "-5", float("inf"),
              float("-inf"), float("nan"), Decimal("Infinity")]
    for col, value in enumerate(values, start=1):
        put_value(ws.cell(1, col), value)
    row = [c for c in _saved(wb).active[1]]
    assert [c.value for c in row[:5]] == [-5, 2.5, 12.5, 3, True]
    assert [c.data_type for c in row[:4]] == ["n"] * 4 and row[4].data_type == "b"
    assert row[5].value is None
    assert row[6].value == dt.datetime(2023, 3, 15)
    assert (row[7].value, row[7].data_type) == ("-5", "s")  # a text stays text
    assert [(c.value, c.data_type) for c in row[8:]] == [("inf", "s"), ("-inf", "s"), ("nan", "s"), ("Infinity", "s")]


def test_append_row_writes_through_put_value() -> None:
    wb = Workbook()
    ws = wb.active
    assert append_row(ws, ["名称", "数"]) == 1
    assert append_row(ws, ["=1+1", -3]) == 2
    loaded = _saved(wb).active
    assert [(c.value, c.data_type) for c in loaded[2]] == [("=1+1", "s"), (-3, "n")]


# --- XML-incompatible characters ------------------------------------------------------------
@pytest.mark.parametrize("bad", ["\ufffe", "\uffff", "\x00", "\x01", "\x1f", "\x0b", "\udcff"])
def test_xml_text_replaces_what_xml_cannot_hold(bad: str) -> None:
    assert xml_text(f"项目{bad}名称") == "项目\ufffd名称"


def test_xml_text_keeps_everything_else() -> None:
    text = "制表\t换行\n回车\r😀\ue000\ufffd ≥95%"
    assert xml_text(text) is text


@pytest.mark.parametrize("bad", ["\ufffe", "\x00", "\x07", "\udcff"])
def test_workbook_with_odd_characters_is_written(bad: str) -> None:
    wb = Workbook()
    put_text(wb.active["A1"], f"=名称{bad}")
    wb.properties.title = xml_text(f"标题{bad}")
    loaded = _saved(wb).active["A1"]
    assert loaded.value == "=名称\ufffd" and loaded.data_type == "s"


# --- CSV ------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "=cmd|' /C calc'!A0", "-5"])
def test_csv_safe_neutralises_text(text: str) -> None:
    assert csv_safe(text) == "'" + text


def test_csv_safe_carriage_return() -> None:
    assert csv_safe("\r=1+1") == "'\n=1+1"  # neutralised, and the CR a line break the writer quotes
    assert csv_safe("a\r\nb\rc") == "a\nb\nc"


@pytest.mark.parametrize("value, shown", [
    (-5, "-5"), (-2.5, "-2.5"), (0, "0"), (Decimal("-12.50"), "-12.5"), (None, ""), ("名称", "名称"),
    (True, "True"), ("a=1", "a=1"), (" =1", " =1"), (float("-inf"), "'-inf"), (float("inf"), "inf"),
    ("名\x00称", "名\ufffd称"),
])
def test_csv_safe_numbers_stay_numbers(value, shown: str) -> None:
    assert csv_safe(value) == shown


def test_csv_bytes_round_trip() -> None:
    rows = [["项目名称", "总分"], ['=HYPERLINK("http://x","y")', 95.5], ["a,b\n\"c\"", -1], ["x\udcff", None],
            ["\r=1", "a\rb"]]
    data = csv_bytes(rows)
    assert data.startswith(b"\xef\xbb\xbf")
    read = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert read == [["项目名称", "总分"], ['\'=HYPERLINK("http://x","y")', "95.5"], ["a,b\n\"c\"", "-1"],
                    ["x\ufffd", ""], ["'\n=1", "a\nb"]]
    assert not csv_bytes([["a"]], bom=False).startswith(b"\xef\xbb\xbf")
