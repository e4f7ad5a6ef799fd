"""The template: sheets, headers and their notes, data validations, example rows taken from the
seed sample and not imported, and byte-identical output for the same input."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

from selfeval_lib.inputs.workbook import INSTRUCTIONS_SHEET, SHEETS, YEAR_NAME, blank_workbook, workbook_from_project

from conftest import RULES_DIR
from workbook_helpers import by_header, kv, open_book, problems_of, save, seed_project, seed_workbook

TABLES = [s for s in SHEETS if s.table]
KEY_VALUES = [s for s in SHEETS if not s.table]


def test_template_has_every_sheet_and_header():
    wb = open_book(blank_workbook())
    assert wb.sheetnames == [INSTRUCTIONS_SHEET] + [s.name for s in SHEETS]
    for spec in TABLES:
        ws = wb[spec.name]
        headers = [c.value for c in ws[1] if c.value]
        assert headers == ["序号"] + [c.label for c in spec.columns]
        for cell in ws[1][1:]:
            assert "字段：" in cell.comment.text  # the schema field, for whoever maps it back
    for spec in KEY_VALUES:
        ws = wb[spec.name]
        assert [c.value for c in ws[1]] == ["栏目", "填写内容", "示例", "说明"]
        assert [c.value for c in ws["A"][1:]] == [c.label for c in spec.columns]
    assert "字段：funds.payments[].amount" in wb["支付明细"]["C1"].comment.text


def test_template_data_validations(national):
    wb = open_book(blank_workbook())
    ind = wb["绩效指标"]
    lists = by_header(ind)
    assert lists["一级指标"].type == "list"
    assert lists["一级指标"].formula1 == '"产出指标,效益指标,满意度指标"'
    level2 = [name for names in national.level2_groups.values() for name in names]
    assert lists["二级指标"].formula1 == '"' + ",".join(level2) + '"'
    assert lists["评价档次"].formula1 == '"达成,部分达成,未达成"'
    assert lists["一级指标"].errorStyle == "stop" and lists["二级指标"].errorStyle == "warning"
    assert (lists["分值"].type, lists["分值"].operator, lists["分值"].formula1, lists["分值"].formula2) == \
        ("decimal", "between", "0", "100")
    assert str(lists["一级指标"].sqref) == "B2:B2001"

    pay = wb["支付明细"]
    by_col = by_header(pay)
    amount = by_col["金额（元）"]
    assert (amount.type, amount.operator, amount.formula1) == ("decimal", "greaterThanOrEqual", "0")
    date = by_col["支付日期"]
    assert (date.type, date.operator) == ("date", "between")
    assert f"DATE({YEAR_NAME},1,1)" in date.formula1 and f"DATE({YEAR_NAME},12,31)" in date.formula2
    assert by_col["支出内容"].type == "list" and by_col["支出内容"].formula1.startswith("'支出内容'!$B$2:")
    assert pay.column_dimensions["B"].number_format == "yyyy-mm-dd"
    assert pay.column_dimensions["C"].number_format == "#,##0.00"
    # the year the date validations use is the 年度 cell of 项目信息
    year_cell = kv(wb["项目信息"], "年度")
    assert wb.defined_names[YEAR_NAME].attr_text == f"'项目信息'!$B${year_cell.row}"
    approved = {str(dv.sqref): dv for dv in wb["资金"].data_validations.dataValidation}
    approved_date = approved[kv(wb["资金"], "批复日期").coordinate]
    assert f"DATE({YEAR_NAME}-1,1,1)" in approved_date.formula1
    grades = {str(dv.sqref): dv for dv in wb["单位自评"].data_validations.dataValidation}
    assert grades[kv(wb["单位自评"], "自评等级").coordinate].formula1 == '"优,良,中,差"'
    rule_sets = {str(dv.sqref): dv for dv in wb["项目信息"].data_validations.dataValidation}
    names = sorted(p.stem for p in RULES_DIR.glob("*.yaml"))
    assert rule_sets[kv(wb["项目信息"], "规则集").coordinate].formula1 == '"' + ",".join(names) + '"'


def test_template_example_rows_come_from_the_seed_and_are_not_imported(tmp_path):
    seed = seed_project()
    wb = open_book(blank_workbook())
    pay = wb["支付明细"]
    assert pay["A2"].value == "示例" and pay["A3"].value is None
    first = seed.funds.payments[0]
    assert pay["B2"].value.date() == first.date
    assert Decimal(pay["C2"].value) == first.amount and pay["F2"].value == first.voucher
    assert pay["C2"].font.i  # grey italic
    ind = wb["绩效指标"]
    examples = [row for row in ind.iter_rows(min_row=2, values_only=True) if row[0] == "示例"]
    assert {r[5] for r in examples} <= {i.target for i in seed.indicators} and len(examples) == 3
    assert kv(wb["项目信息"], "项目名称").value is None
    assert kv(wb["项目信息"], "项目名称").offset(column=1).value == seed.project.name
    # the example-only template has no data: nothing of the example is imported
    problems = problems_of(save(tmp_path, blank_workbook()))
    assert ("项目信息!B2", "缺少必填字段") in problems
    assert ("支出内容!B2", "至少需要 1 项") in problems
    # without examples
    bare = open_book(blank_workbook(example=False))
    assert bare["支付明细"].max_row == 1 and kv(bare["项目信息"], "项目名称").offset(column=1).value is None


def test_workbooks_are_deterministic():
    seed = seed_project()
    assert blank_workbook() == blank_workbook()
    data = workbook_from_project(seed)
    assert data == workbook_from_project(seed)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml")
    assert b"dcterms:created" not in core and b"dcterms:modified" not in core


def test_new_project_rows_carry_their_validations():
    wb = open_book(seed_workbook())
    info = wb["项目信息"]
    dvs = {str(dv.sqref): dv for dv in info.data_validations.dataValidation}
    report = dvs[kv(info, "报告日期").coordinate]
    assert report.type == "date" and "下一年度" in report.error
    assert dvs[kv(info, "单位自称").coordinate].type == "textLength"
    assert "支付明细" in dvs[kv(info, "示例数据").coordinate].prompt
    assert kv(info, "单位自称").value == "我局"
