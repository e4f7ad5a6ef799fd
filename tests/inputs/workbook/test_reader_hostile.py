"""Hostile input workbooks: merged cells never copy a value into other rows (an error naming the
range where data is read, layout elsewhere), forbidden characters in cells, sheets and workbooks
over the size limits refused while streaming — at the limit, before openpyxl loads them (the
tests count the XML elements read, never the seconds) — and the same limits for review tables
read from Excel."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from selfeval_lib.core.model import ProjectYear
from selfeval_lib.errors import InputError
from selfeval_lib.inputs.workbook import MAX_WORKBOOK_BYTES, import_workbook, project_from_workbook
from selfeval_lib.inputs.workbook.reader import LIMITS
from selfeval_lib.inputs import xlsx_limits
from selfeval_lib.inputs.xlsx_limits import XlsxLimits, check_xlsx
from selfeval_lib.review.readers import read_tables

from review_workbooks import make_workbook
from workbook_helpers import col, kv, open_book, problems_of, seed_project, seed_workbook

MERGE_MESSAGE = "合并单元格：填写区域的单元格不能合并（合并后只有左上角 {first} 有值，其余单元格读作空白，不会复制），请取消合并，在每个单元格分别填写"


def _save(wb, tmp_path: Path, name: str = "input.xlsx") -> Path:
    path = tmp_path / name
    wb.save(path)
    return path


# --- merged cells ------------------------------------------------------------------------------

def test_merged_amounts_are_an_error_naming_the_range_not_a_copied_value(tmp_path):
    wb = open_book(seed_workbook())
    pay = wb["支付明细"]
    c = col(pay, "金额（元）")
    assert [pay.cell(r, c).value for r in (2, 3, 4)] == [18000, 9600, 12000]
    pay.merge_cells(start_row=2, start_column=c, end_row=4, end_column=c)
    path = _save(wb, tmp_path)
    assert problems_of(path) == [("支付明细!C2:C4", MERGE_MESSAGE.format(first="C2"))]
    out = tmp_path / "params"
    assert problems_of(path, out) == [("支付明细!C2:C4", MERGE_MESSAGE.format(first="C2"))]
    assert not out.exists()  # nothing written


def test_a_merge_across_two_read_columns_of_one_row_is_an_error(tmp_path):
    wb = open_book(seed_workbook())
    pay = wb["支付明细"]
    pay.merge_cells(start_row=5, start_column=col(pay, "收款方"), end_row=5, end_column=col(pay, "支出内容"))
    assert problems_of(_save(wb, tmp_path)) == [("支付明细!D5:E5", MERGE_MESSAGE.format(first="D5"))]


def test_a_key_value_cell_merged_down_over_the_next_label_is_an_error(tmp_path):
    wb = open_book(seed_workbook())
    info = wb["项目信息"]
    name = kv(info, "项目名称")
    info.merge_cells(start_row=name.row, start_column=2, end_row=name.row + 1, end_column=2)
    first = f"B{name.row}"
    assert problems_of(_save(wb, tmp_path)) == [(f"项目信息!{first}:B{name.row + 1}", MERGE_MESSAGE.format(first=first))]


def test_merges_in_headers_and_unread_columns_are_layout(tmp_path):
    wb = open_book(seed_workbook())
    pay = wb["支付明细"]
    last = pay.max_column
    pay.merge_cells(start_row=1, start_column=last, end_row=1, end_column=last + 2)  # a wide last header
    pay.merge_cells(start_row=2, start_column=last + 3, end_row=6, end_column=last + 4)  # a note beside the data
    info = wb["项目信息"]
    info.merge_cells(start_row=kv(info, "项目名称").row, start_column=2, end_row=kv(info, "项目名称").row, end_column=4)
    assert ProjectYear.model_validate(project_from_workbook(_save(wb, tmp_path))) == seed_project()


def test_a_merge_over_a_header_cell_does_not_copy_the_header(tmp_path):
    wb = open_book(seed_workbook())
    pay = wb["支付明细"]
    c = col(pay, "收款方")
    pay.insert_cols(c + 1)  # an empty column right of 收款方, its header merged with 收款方's
    pay.merge_cells(start_row=1, start_column=c, end_row=1, end_column=c + 1)
    py = ProjectYear.model_validate(project_from_workbook(_save(wb, tmp_path)))
    assert py.funds.payments == seed_project().funds.payments


# --- forbidden characters ----------------------------------------------------------------------

@pytest.mark.parametrize("char, label", [("\x7f", "U+007F（DEL 删除符）"), ("\x85", "U+0085（NEL 下一行）"),
                                         ("\x9b", "U+009B（控制字符）")])
def test_a_forbidden_character_in_a_text_cell_is_an_error_of_the_cell(tmp_path, char, label):
    wb = open_book(seed_workbook())
    pay = wb["支付明细"]
    pay.cell(3, col(pay, "收款方")).value = f"移动{char}公司"
    problems = problems_of(_save(wb, tmp_path))
    assert problems == [("支付明细!D3", f"第 3 个字符是不允许的字符 {label}：请删除该字符（常见于从其他系统复制的文字）")]


def test_a_forbidden_character_in_a_review_table_names_the_cell(tmp_path):
    path = tmp_path / "table.xlsx"
    make_workbook(path, "national")
    wb = open_book(path.read_bytes())
    ws = wb.active
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "三级指标")
    below = ws.cell(cell.row + 1, cell.column)
    below.value = f"{below.value}\x7f"
    wb.save(path)
    with pytest.raises(InputError) as info:
        read_tables(path)
    (problem,) = info.value.problems
    assert problem.field == f"自评表!{below.column_letter}{below.row}"
    assert "不允许的字符 U+007F（DEL 删除符）" in problem.message


# --- size limits, checked while streaming ------------------------------------------------------

def _with_rows(sheet_name: str, rows: int, cells_per_row: int = 1) -> bytes:
    """A small workbook whose sheet ``sheet_name`` holds ``rows`` rows written straight into its
    XML (building it with openpyxl would take minutes)."""
    wb = Workbook()
    wb.active.title = sheet_name
    wb.active["A1"] = "序号"
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    cells = "".join(f'<c t="n"><v>{i}</v></c>' for i in range(cells_per_row))
    body = "".join(f'<row r="{r}">{cells}</row>' for r in range(2, rows + 2))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", body.encode() + b"</sheetData>")
            dst.writestr(info, data)
    return out.getvalue()


@pytest.fixture
def elements_read(monkeypatch) -> list[int]:
    """How many sheet elements the limit check has read (a one-item list, updated as it reads)."""
    seen = [0]
    start = xlsx_limits._Counter.start

    def counting(self, tag, attrs):
        seen[0] += 1
        return start(self, tag, attrs)

    monkeypatch.setattr(xlsx_limits._Counter, "start", counting)
    return seen


@pytest.fixture(scope="module")
def million_rows() -> bytes:
    data = _with_rows("支付明细", 1_000_000)
    assert len(data) < MAX_WORKBOOK_BYTES  # small on disk: only the row count can refuse it
    return data


def test_a_million_row_sheet_is_refused_at_the_limit_while_streaming(tmp_path, million_rows, elements_read):
    path = tmp_path / "huge.xlsx"
    path.write_bytes(million_rows)
    problems = problems_of(path)
    stop = LIMITS.rows + 1
    assert problems == [(f"支付明细!{stop}:{stop}",
                         f"行数过多：工作表超过 {LIMITS.rows} 行，已停止读取；请删除多余的行（含只有格式的空行）")]
    assert elements_read[0] < 10 * stop < 1_000_000, "reading went on past the limit"


def test_a_million_row_review_table_is_refused_at_the_limit(tmp_path, million_rows, elements_read):
    path = tmp_path / "huge.xlsx"
    path.write_bytes(million_rows)
    with pytest.raises(InputError) as info:
        read_tables(path)
    assert 0 < elements_read[0] < 10 * (LIMITS.rows + 1) < 1_000_000, "reading went on past the limit"
    (problem,) = info.value.problems
    assert problem.field.startswith("支付明细!") and problem.message.startswith("行数过多")


def test_too_many_cells_are_refused(tmp_path):
    path = tmp_path / "wide.xlsx"
    path.write_bytes(_with_rows("支付明细", 20, cells_per_row=LIMITS.cells // 10))
    problems = problems_of(path)
    assert len(problems) == 1 and problems[0][0] == "支付明细!11:11"
    assert problems[0][1].startswith(f"单元格过多：整个工作簿超过 {LIMITS.cells} 个单元格")


def test_unpacked_size_and_doctype_are_refused():
    small = _with_rows("表", 3)
    assert check_xlsx(small, "t.xlsx", XlsxLimits(rows=10, cells=100)) is None
    with pytest.raises(InputError) as info:
        check_xlsx(small, "t.xlsx", XlsxLimits(rows=10, cells=100, unpacked=1000))
    assert "文件解压后过大" in str(info.value)
    src = zipfile.ZipFile(io.BytesIO(small))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + data.split(b"?>", 1)[-1]
            dst.writestr(item, data)
    with pytest.raises(InputError) as info:
        check_xlsx(out.getvalue(), "t.xlsx", XlsxLimits(rows=10, cells=100))
    assert "文档类型声明（DTD）" in str(info.value)
    assert check_xlsx(b"not a zip", "t.xlsx", LIMITS) is None  # left to the loader's message


def test_a_fifo_or_device_as_workbook_is_refused(tmp_path):
    os.mkfifo(tmp_path / "pipe.xlsx")
    (tmp_path / "zero.xlsx").symlink_to("/dev/zero")
    assert problems_of(tmp_path / "pipe.xlsx") == [("", "无法读取文件：是命名管道（FIFO），不是普通文件")]
    assert problems_of(tmp_path / "zero.xlsx") == [("", "无法读取文件：是字符设备，不是普通文件")]
    with pytest.raises(InputError):
        import_workbook(tmp_path / "pipe.xlsx", tmp_path / "out")


def test_a_huge_merged_range_is_counted_as_the_cells_it_covers(tmp_path, elements_read):
    """openpyxl creates a cell object for every cell a merge covers: A1:Z100000 is 2.6 million."""
    data = _with_rows("支付明细", 2)
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A5:Z100000"/>'
                                    b"</mergeCells>")
            dst.writestr(item, body)
    path = tmp_path / "merge.xlsx"
    path.write_bytes(out.getvalue())
    problems = problems_of(path)
    assert len(problems) == 1 and problems[0][1].startswith("单元格过多"), problems
    assert elements_read[0] < 100, "the merge was not refused when it was read"
