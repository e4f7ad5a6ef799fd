"""The .xls reader: LibreOffice's .xls of the grid's workbook gives the same review as the YAML
transcription (merges, % formats, numbers as printed); dates as text; damaged and misnamed files."""

from __future__ import annotations

import datetime as dt

import pytest
from forms.office import DRILL, DRILL_YAML, _folder, built, copy_to, row_less
from office_convert import convert, make_profile

from selfeval_lib.errors import InputError
from selfeval_lib.review.readers import read_tables
from selfeval_lib.review.service import review_reads

pytestmark = pytest.mark.integration


def _review(path, rules):
    (review,) = review_reads(read_tables(path), rules)
    return review


def test_xls_gives_the_findings_of_its_yaml_and_of_the_xlsx(national):
    xls, expected = _review(built(str(DRILL), "xls"), national), _review(DRILL_YAML, national)
    assert row_less(xls) == row_less(expected)
    assert row_less(xls) == row_less(_review(built(str(DRILL), "xlsx"), national))
    assert xls.recomputed_total == pytest.approx(expected.recomputed_total)
    table = xls.table
    assert table.sheet == "自评表"
    assert table.indicators[0].weight == "20%"  # a number formatted as % reads as printed
    assert table.indicators[0].score == 20 and table.funds.executed == 99  # numbers stay numbers
    assert table.funds.rate == "90%"
    assert [i.level1 for i in table.indicators][:4] == ["产出指标"] * 4  # merged cells spread
    assert table.project.unit == "某区应急服务中心"


def test_dates_and_percentages_as_printed(tmp_path):
    from openpyxl import load_workbook

    wb = load_workbook(built(str(DRILL), "xlsx"))
    ws = wb["自评表"]
    ws["I12"] = dt.date(2023, 10, 31)
    ws["I12"].number_format = "yyyy-mm-dd"
    ws["F15"] = dt.datetime(2023, 11, 30, 0, 0)
    ws["F15"].number_format = "yyyy/m/d"
    ws["F16"] = 0.925
    ws["F16"].number_format = "0.0%"
    wb.save(tmp_path / "odd.xlsx")
    (xls,) = convert([tmp_path / "odd.xlsx"], "xls", tmp_path / "out", make_profile(_folder() / "profile"))
    (read,) = read_tables(xls)
    by_name = {i.name: i for i in read.table.indicators}
    assert by_name["新建避难场所"].deviation_reason == "2023-10-31"
    assert by_name["单处建设成本"].actual == "2023-11-30"
    assert by_name["应急避险能力"].actual == "92.5%"


def test_truncated_xls(tmp_path):
    raw = built(str(DRILL), "xls").read_bytes()
    path = tmp_path / "cut.xls"
    path.write_bytes(raw[: len(raw) // 3])
    with pytest.raises(InputError) as info:
        read_tables(path)
    (problem,) = info.value.problems
    assert problem.file == str(path) and "无法读取 .xls 文件：文件损坏或不完整" in problem.message


def test_xls_named_xlsx_is_read_as_xls(tmp_path, national):
    path = copy_to(built(str(DRILL), "xls"), tmp_path / "自评表.xlsx")
    (read,) = read_tables(path)
    assert read.notes[0] == "文件内容是Excel 97-2003 工作簿（.xls），虽然文件名是“.xlsx”：按Excel 97-2003 工作簿（.xls）读取。"
    (review,) = review_reads([read], national)
    assert row_less(review) == row_less(_review(DRILL_YAML, national))


def test_xls_without_a_table(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["序号", "项目", "金额"])
    wb.save(tmp_path / "list.xlsx")
    (xls,) = convert([tmp_path / "list.xlsx"], "xls", tmp_path / "out", make_profile(_folder() / "profile"))
    with pytest.raises(InputError) as info:
        read_tables(xls)
    assert "没有找到可识别的自评表" in str(info.value) and "“Sheet”（没有含“三级指标”的表头行）" in str(info.value)
