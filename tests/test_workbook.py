"""The Excel input workbook: template (sheets, headers, validations, example rows, determinism),
round trip of every sample, a workbook filled and saved by LibreOffice, tolerated quirks of
hand-filled workbooks, and bad input reported by cell with nothing written."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from selfeval_lib.core.evaluation import evaluate
from selfeval_lib.core.model import ProjectYear
from selfeval_lib.inputs.params import InputError, load_project
from selfeval_lib.inputs.workbook import (
    IMPORT_MARK,
    INSTRUCTIONS_SHEET,
    SHEETS,
    YEAR_NAME,
    blank_workbook,
    import_workbook,
    project_from_workbook,
    workbook_from_project,
)

from selfeval_lib.inputs.synthetic import synthetic_params

from conftest import RULES_DIR, SAMPLES, SEED_SAMPLE, make_project

TABLES = [s for s in SHEETS if s.table]
KEY_VALUES = [s for s in SHEETS if not s.table]


# --- helpers ---------------------------------------------------------------------------------

def _save(tmp_path: Path, data: bytes, name: str = "input.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _open(data: bytes):
    return load_workbook(io.BytesIO(data))


def _col(ws, header: str) -> int:
    return next(c.column for c in ws[1] if c.value == header)


def _kv(ws, label: str):
    """The 填写内容 cell of a key/value sheet row."""
    row = next(c.row for c in ws["A"] if c.value == label)
    return ws.cell(row=row, column=2)


def _append(ws, values: dict[str, object]) -> int:
    """Write a row below the last used row, by header text; returns the row number."""
    row = ws.max_row + 1
    for header, value in values.items():
        cell = ws.cell(row=row, column=_col(ws, header))
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"
    return row


def _by_header(ws) -> dict[str, object]:
    """Data validations of a table sheet by the header of the column they cover."""
    return {ws.cell(row=1, column=min(r.min_col for r in dv.sqref.ranges)).value: dv
            for dv in ws.data_validations.dataValidation}


def _problems(path: Path, out: Path | None = None) -> list[tuple[str, str]]:
    with pytest.raises(InputError) as info:
        if out is None:
            project_from_workbook(path)
        else:
            import_workbook(path, out)
    return [(p.field, p.message) for p in info.value.problems]



@pytest.fixture(scope="module")
def seed() -> ProjectYear:
    return load_project(SEED_SAMPLE).project_year


@pytest.fixture(scope="module")
def seed_book(seed) -> bytes:
    return workbook_from_project(seed)


# --- the template ----------------------------------------------------------------------------

def test_template_has_every_sheet_and_header():
    wb = _open(blank_workbook())
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


def test_every_schema_field_has_a_home():
    from selfeval_lib.core import model

    homes = {(s.loc, c.key) for s in SHEETS for c in s.columns}
    sections = {("project",): model.Project, ("project", "items"): model.ContentItem, ("funds",): model.Funds,
                ("funds", "adjustments"): model.Adjustment, ("funds", "arrivals"): model.Arrival,
                ("funds", "payments"): model.Payment, ("indicators",): model.Indicator,
                ("survey",): model.Survey, ("narrative",): model.Narrative, ("claims",): model.Claims}
    lists = {("project", "basis_documents"), ("project", "items"), ("funds", "adjustments"),
             ("funds", "arrivals"), ("funds", "payments")}
    for loc, cls in sections.items():
        for name in cls.model_fields:
            if loc + (name,) in lists:
                assert any(s.loc == loc + (name,) for s in SHEETS), name
            else:
                assert (loc, name) in homes, f"{'.'.join(loc)}.{name}"
    assert (("project", "basis_documents"), "") in homes


def test_template_data_validations(national):
    wb = _open(blank_workbook())
    ind = wb["绩效指标"]
    lists = _by_header(ind)
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
    by_col = _by_header(pay)
    amount = by_col["金额（元）"]
    assert (amount.type, amount.operator, amount.formula1) == ("decimal", "greaterThanOrEqual", "0")
    date = by_col["支付日期"]
    assert (date.type, date.operator) == ("date", "between")
    assert f"DATE({YEAR_NAME},1,1)" in date.formula1 and f"DATE({YEAR_NAME},12,31)" in date.formula2
    assert by_col["支出内容"].type == "list" and by_col["支出内容"].formula1.startswith("'支出内容'!$B$2:")
    assert pay.column_dimensions["B"].number_format == "yyyy-mm-dd"
    assert pay.column_dimensions["C"].number_format == "#,##0.00"
    # the year the date validations use is the 年度 cell of 项目信息
    year_cell = _kv(wb["项目信息"], "年度")
    assert wb.defined_names[YEAR_NAME].attr_text == f"'项目信息'!$B${year_cell.row}"
    approved = {str(dv.sqref): dv for dv in wb["资金"].data_validations.dataValidation}
    approved_date = approved[_kv(wb["资金"], "批复日期").coordinate]
    assert f"DATE({YEAR_NAME}-1,1,1)" in approved_date.formula1
    grades = {str(dv.sqref): dv for dv in wb["单位自评"].data_validations.dataValidation}
    assert grades[_kv(wb["单位自评"], "自评等级").coordinate].formula1 == '"优,良,中,差"'
    rule_sets = {str(dv.sqref): dv for dv in wb["项目信息"].data_validations.dataValidation}
    names = sorted(p.stem for p in RULES_DIR.glob("*.yaml"))
    assert rule_sets[_kv(wb["项目信息"], "规则集").coordinate].formula1 == '"' + ",".join(names) + '"'


def test_template_example_rows_come_from_the_seed_and_are_not_imported(tmp_path, seed):
    wb = _open(blank_workbook())
    pay = wb["支付明细"]
    assert pay["A2"].value == "示例" and pay["A3"].value is None
    first = seed.funds.payments[0]
    assert pay["B2"].value.date() == first.date
    assert Decimal(pay["C2"].value) == first.amount and pay["F2"].value == first.voucher
    assert pay["C2"].font.i  # grey italic
    ind = wb["绩效指标"]
    examples = [row for row in ind.iter_rows(min_row=2, values_only=True) if row[0] == "示例"]
    assert {r[5] for r in examples} <= {i.target for i in seed.indicators} and len(examples) == 3
    assert _kv(wb["项目信息"], "项目名称").value is None
    assert _kv(wb["项目信息"], "项目名称").offset(column=1).value == seed.project.name
    # the example-only template has no data: nothing of the example is imported
    problems = _problems(_save(tmp_path, blank_workbook()))
    assert ("项目信息!B2", "缺少必填字段") in problems
    assert ("支出内容!B2", "至少需要 1 项") in problems
    # without examples
    bare = _open(blank_workbook(example=False))
    assert bare["支付明细"].max_row == 1 and _kv(bare["项目信息"], "项目名称").offset(column=1).value is None


def test_workbooks_are_deterministic(seed):
    assert blank_workbook() == blank_workbook()
    data = workbook_from_project(seed)
    assert data == workbook_from_project(seed)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml")
    assert b"dcterms:created" not in core and b"dcterms:modified" not in core


# --- round trip ------------------------------------------------------------------------------

@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_round_trip_of_every_sample(tmp_path, sample):
    original = load_project(sample).project_year
    path = _save(tmp_path, workbook_from_project(original))
    assert ProjectYear.model_validate(project_from_workbook(path)) == original


def test_round_trip_of_every_field(tmp_path):
    """Every field filled, with values that are easy to get wrong: cents, a negative adjustment,
    text starting with “=”, line breaks, a voucher that looks like a date, an empty 资金来源."""
    py = make_project(
        project={"basis_documents": ["=文件一", "文件二"], "funding_source": "", "rule_set": "national",
                 "items": [{"name": "甲", "purpose": "用途\n第二行", "budget": "50000.50"},
                           {"name": "乙", "budget": 49999.5}]},
        funds={"approved_date": "2022-12-28", "reported_executed": "100000.00", "execution_shortfall_reason": "无",
               "adjustments": [{"date": "2023-06-01", "amount": "-0.01", "reason": "调减"},
                               {"date": "2023-07-01", "amount": 0.01, "reason": "追加"}],
               "arrivals": [{"date": "2023-02-01", "amount": "99999.99", "note": "第一批"},
                            {"date": "2023-03-01", "amount": "0.01"}]},
        survey={"rate": 0.925, "sample_size": 120, "method": "问卷", "date": "2024-01-10"},
        narrative={k: f"{k} 说明" for k in ("organisation", "implementation", "management", "supervision",
                                           "financial_management", "evaluation_steps", "evaluation_methods")},
        claims={"total_score": 91.5, "grade": "优", "arrival_rate": 1.0, "execution_rate": 1.0, "usage_rate": 1.0,
                "satisfaction_rate": 0.925, "balance": "0.00"},
    )
    payments = [p.model_dump() for p in py.funds.payments]
    payments[0].update(voucher="2023-03-15", payee="=某公司", approvals=[])
    indicators = [i.model_dump() for i in py.indicators]
    indicators[2].update(actual="部分达成", assessment="部分达成", score=20.5, deviation_reason="原因")
    py = ProjectYear.model_validate({**py.model_dump(), "funds": {**py.funds.model_dump(), "payments": payments},
                                     "indicators": indicators})
    path = _save(tmp_path, workbook_from_project(py))
    assert ProjectYear.model_validate(project_from_workbook(path)) == py


@pytest.mark.parametrize("index", range(0, 20, 4))
def test_round_trip_of_synthetic_projects(tmp_path, index):
    data = synthetic_params(20)[index]
    py = ProjectYear.model_validate(data)
    path = _save(tmp_path, workbook_from_project(py))
    assert ProjectYear.model_validate(project_from_workbook(path)) == py


def test_import_writes_yaml_that_loads_back(tmp_path, seed, seed_book):
    book = _save(tmp_path, seed_book, "东区.xlsx")
    out = tmp_path / "params"
    target = import_workbook(book, out)
    assert target == out / "2023" / "dongqu-yjglj-ydhs.yaml"
    text = target.read_text(encoding="utf-8")
    assert text.startswith(f"{IMPORT_MARK}：东区.xlsx\n")
    assert load_project(target).project_year == seed
    assert list(text.split("\nfunds:")[0].split("\n  ")[1:6]) == [
        "id: dongqu-yjglj-ydhs", f"name: {seed.project.name}", f"unit: {seed.project.unit}",
        f"department: {seed.project.department}", "year: 2023"]  # schema order
    assert "approved: 86200\n" in text and "approved_date: 2023-01-16\n" in text
    assert not list(target.parent.glob(".*tmp"))
    # re-import replaces an imported file; a hand-written one only with overwrite=True
    assert import_workbook(book, out) == target and target.read_text(encoding="utf-8") == text
    target.write_text(SEED_SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    problems = _problems(book, out)
    assert len(problems) == 1 and "--force" in problems[0][1]
    assert target.read_text(encoding="utf-8") == SEED_SAMPLE.read_text(encoding="utf-8")
    import_workbook(book, out, overwrite=True)
    assert target.read_text(encoding="utf-8") == text


# --- a workbook filled in by hand and saved by LibreOffice -------------------------------------

def _fill_new_project(wb) -> None:
    """What an analyst types into the template: a new 2024 project, some numbers typed as text,
    a text date, trailing spaces, a percentage typed as text; the example rows stay."""
    info = wb["项目信息"]
    for label, value in {"项目编号": "xq-test-2024", "项目名称": "社区应急广播建设  ", "实施单位": "某区应急管理局",
                         "主管部门": "某区应急管理局", "年度": 2024, "资金来源": "区级财政预算资金",
                         "年度总体目标": "建成社区应急广播 20 个点位", "规则集": "national"}.items():
        _kv(info, label).value = value
    _append(wb["立项依据"], {"立项依据文件": "某区应急广播建设方案"})
    items = wb["支出内容"]
    _append(items, {"支出内容": "广播终端", "用途": "采购安装", "预算金额（元）": 120000})
    _append(items, {"支出内容": "平台服务 ", "预算金额（元）": "30000"})
    funds = wb["资金"]
    _kv(funds, "申报数（元）").value = 150000
    _kv(funds, "批复数（元）").value = "150,000"
    _kv(funds, "批复日期").value = dt.date(2024, 1, 12)
    _append(wb["资金到位"], {"到位日期": "2024-02-20", "到位金额（元）": 150000})
    pay = wb["支付明细"]
    roles = "经办人、分管领导、主要领导、党委会、分管区领导"
    _append(pay, {"支付日期": dt.date(2024, 4, 18), "金额（元）": 60000, "收款方": "某电子公司", "支出内容": "广播终端",
                  "凭证号": "记-2024-04-003", "审批签字": roles})
    _append(pay, {"支付日期": "2024年9月3日", "金额（元）": "60000", "收款方": "某电子公司", "支出内容": "广播终端",
                  "凭证号": "记-2024-09-011", "审批签字": roles})
    _append(pay, {"支付日期": dt.date(2024, 11, 20), "金额（元）": 28000, "收款方": "某通信公司", "支出内容": "平台服务",
                  "凭证号": "记-2024-11-020", "审批签字": roles})
    ind = wb["绩效指标"]
    for row in (
        ("产出指标", "数量指标", "建成广播点位", 30, "≥20个", "20个", None),
        ("产出指标", "质量指标", "设备验收合格率", 20, "=100%", "100%", None),
        ("效益指标", "社会效益指标", "预警信息覆盖群众", 30, "有效提升", "有效提升", None),
        ("满意度指标", "服务对象满意度指标", "群众满意度", 10, "≥90%", "93%", None),
    ):
        _append(ind, dict(zip(("一级指标", "二级指标", "三级指标", "分值", "年度指标值", "实际完成值", "评价档次"), row)))
    survey = wb["满意度调查"]
    _kv(survey, "满意度").value = "93%"
    _kv(survey, "样本量").value = 200
    _kv(survey, "调查方式").value = "入户问卷"
    _kv(wb["情况说明"], "组织情况").value = "局应急指挥中心负责实施。"
    _kv(wb["单位自评"], "自评等级").value = "优"


def test_template_filled_and_saved_by_libreoffice_imports_and_evaluates(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed: apt-get install -y --no-install-recommends libreoffice-calc"
    wb = _open(blank_workbook())
    _fill_new_project(wb)
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    out_dir = tmp_path / "lo"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "xlsx", "--outdir", str(out_dir), str(filled)],
        capture_output=True, text=True, timeout=240)
    converted = out_dir / "filled.xlsx"
    assert result.returncode == 0 and converted.is_file(), result.stderr
    assert converted.read_bytes() != filled.read_bytes()
    # the drop-downs and the date rule survive the office suite
    saved = load_workbook(converted)
    formulas = {dv.formula1 for dv in saved["绩效指标"].data_validations.dataValidation}
    assert '"产出指标,效益指标,满意度指标"' in formulas and '"达成,部分达成,未达成"' in formulas
    assert any(dv.type == "date" for dv in saved["支付明细"].data_validations.dataValidation)

    target = import_workbook(converted, tmp_path / "params")
    assert target == tmp_path / "params" / "2024" / "xq-test-2024.yaml"
    loaded = load_project(target)
    py = loaded.project_year
    assert py.project.name == "社区应急广播建设" and py.project.basis_documents == ["某区应急广播建设方案"]
    assert [i.name for i in py.project.items] == ["广播终端", "平台服务"]
    assert py.funds.approved == Decimal(150000)
    assert [p.date for p in py.funds.payments] == [dt.date(2024, 4, 18), dt.date(2024, 9, 3), dt.date(2024, 11, 20)]
    assert py.funds.payments[1].amount == Decimal(60000) and len(py.funds.payments[0].approvals) == 5
    assert py.survey is not None and py.survey.rate == pytest.approx(0.93) and py.survey.sample_size == 200
    assert [i.target for i in py.indicators] == ["≥20个", "=100%", "有效提升", "≥90%"]
    assert py.claims.grade == "优" and py.narrative.organisation == "局应急指挥中心负责实施。"
    ev = evaluate(py, loaded.rules)
    assert ev.funds.executed == Decimal(148000)
    assert 90 <= ev.total <= 100 and ev.grade == "优"


# --- tolerated quirks ------------------------------------------------------------------------

def test_quirks_of_hand_filled_workbooks_are_accepted(tmp_path, seed, seed_book):
    wb = _open(seed_book)
    pay = wb["支付明细"]
    # columns moved: swap 收款方 and 凭证号 (header and data), and a column of one's own
    c_payee, c_voucher = _col(pay, "收款方"), _col(pay, "凭证号")
    for row in pay.iter_rows(min_row=1, max_row=pay.max_row):
        row[c_payee - 1].value, row[c_voucher - 1].value = row[c_voucher - 1].value, row[c_payee - 1].value
    pay.cell(row=1, column=12, value="经办科室")
    pay.cell(row=3, column=12, value="财务股")
    # an empty row in the middle
    pay.insert_rows(4)
    # a number stored as text, with a thousands separator and trailing spaces; a text date
    pay.cell(row=2, column=_col(pay, "金额（元）")).value = " 18,000 "
    pay.cell(row=3, column=_col(pay, "支付日期")).value = "2023/12/8"
    # one date for the last two payments, written once in a merged cell
    c_date = _col(pay, "支付日期")
    last = pay.max_row
    pay.cell(row=last - 1, column=c_date).value = dt.date(2023, 12, 8)
    pay.cell(row=last, column=c_date).value = None
    pay.merge_cells(start_row=last - 1, start_column=c_date, end_row=last, end_column=c_date)
    # key/value: the value cell merged with the example column, trailing spaces in a label
    info = wb["项目信息"]
    goal = _kv(info, "年度总体目标")
    info.merge_cells(start_row=goal.row, start_column=2, end_row=goal.row, end_column=3)
    _kv(info, "项目名称").offset(column=-1).value = "项目名称 "
    _kv(info, "年度").value = "2023"
    _kv(wb["满意度调查"], "满意度").value = "95%"
    _kv(wb["资金"], "批复日期").value = "2023年1月16日"
    # a sheet name with a trailing space
    wb["情况说明"].title = "情况说明 "
    path = tmp_path / "quirks.xlsx"
    wb.save(path)

    py = ProjectYear.model_validate(project_from_workbook(path))
    payments = list(seed.funds.payments)
    payments[-1] = payments[-1].model_copy(update={"date": dt.date(2023, 12, 8)})
    assert py == seed.model_copy(update={"funds": seed.funds.model_copy(update={"payments": payments})})


def test_percent_cells_and_formulas_are_read_as_shown(tmp_path, seed_book):
    wb = _open(seed_book)
    ind = wb["绩效指标"]
    actual = ind.cell(row=4, column=_col(ind, "实际完成值"))  # 会商及通信系统正常运行率: 98%
    actual.value = 0.98
    actual.number_format = "0%"
    items = wb["支出内容"]
    items.cell(row=2, column=_col(items, "预算金额（元）")).value = "=10000+8000"  # a formula without result
    path = tmp_path / "f.xlsx"
    wb.save(path)
    assert _problems(path) == [("支出内容!D2", "公式 =10000+8000 没有计算结果：请在 Excel/WPS/LibreOffice 中打开并保存后再导入")]
    items.cell(row=2, column=_col(items, "预算金额（元）")).value = 18000
    wb.save(path)
    py = ProjectYear.model_validate(project_from_workbook(path))
    assert py.indicators[2].actual == "98%"


# --- bad input -------------------------------------------------------------------------------

def _break(wb, how: str) -> tuple[str, str]:
    """Spoil a good workbook; returns the expected (field, message fragment)."""
    if how == "missing sheet":
        del wb["支付明细"]
        return "支付明细!A1", "缺少工作表“支付明细”"
    if how == "renamed header":
        ws = wb["支付明细"]
        ws.cell(row=1, column=_col(ws, "金额（元）")).value = "付款额"
        return "支付明细!1:1", "找不到表头“金额（元）”"
    if how == "missing label":
        ws = wb["资金"]
        ws.delete_rows(_kv(ws, "批复数（元）").row)
        return "资金!A:A", "找不到栏目“批复数（元）”"
    if how == "text in amount":
        ws = wb["支付明细"]
        ws.cell(row=7, column=_col(ws, "金额（元）")).value = "一万五千元"
        return "支付明细!C7", "应为金额数字（单位：元）（当前值：'一万五千元'）"
    if how == "negative amount":
        ws = wb["支付明细"]
        ws.cell(row=3, column=_col(ws, "金额（元）")).value = -9600
        return "支付明细!C3", "不能为负数"
    if how == "date in the wrong year":
        ws = wb["支付明细"]
        ws.cell(row=7, column=_col(ws, "支付日期")).value = dt.date(2024, 1, 5)
        return "支付明细!B7", "支付日期 2024-01-05 不在项目年度 2023 年内"
    if how == "impossible date":
        ws = wb["资金到位"]
        ws.cell(row=2, column=_col(ws, "到位日期")).value = "2023-02-30"
        return "资金到位!B2", "不是有效日期"
    if how == "unknown operator":
        ws = wb["绩效指标"]
        ws.cell(row=4, column=_col(ws, "年度指标值")).value = "≈95%"
        return "绩效指标!F4", "无法识别的符号“≈”"
    if how == "unreadable target":
        ws = wb["绩效指标"]
        ws.cell(row=4, column=_col(ws, "年度指标值")).value = "≥95公斤%"
        return "绩效指标!F4", "≥95公斤%"
    if how == "unknown level1":
        ws = wb["绩效指标"]
        ws.cell(row=2, column=_col(ws, "一级指标")).value = "产出"
        return "绩效指标!B2", "应为以下之一"
    if how == "unknown item":
        ws = wb["支付明细"]
        ws.cell(row=2, column=_col(ws, "支出内容")).value = "不存在的内容"
        return "支付明细!E2", "不在“支出内容”工作表中"
    if how == "weights do not add up":
        ws = wb["绩效指标"]
        ws.cell(row=2, column=_col(ws, "分值")).value = 14
        return "绩效指标!E:E", "指标分值合计 89"
    if how == "missing required cell":
        ws = wb["支付明细"]
        ws.cell(row=5, column=_col(ws, "凭证号")).value = None
        return "支付明细!F5", "缺少必填字段"
    if how == "excel error value":
        ws = wb["绩效指标"]
        cell = ws.cell(row=2, column=_col(ws, "年度指标值"))
        cell.value, cell.data_type = "#NAME?", "e"
        return "绩效指标!F2", "错误值 #NAME?"
    if how == "unknown rule set":
        _kv(wb["项目信息"], "规则集").value = "hainan"
        return "项目信息!B9", "找不到规则集“hainan”"
    if how == "rate as a whole number":
        _kv(wb["满意度调查"], "满意度").value = 95
        return "满意度调查!B2", "应为百分比（如 95%）或 0–1 之间的小数"
    raise AssertionError(how)


BAD = ["missing sheet", "renamed header", "missing label", "text in amount", "negative amount",
       "date in the wrong year", "impossible date", "unknown operator", "unreadable target", "unknown level1",
       "unknown item", "weights do not add up", "missing required cell", "excel error value", "unknown rule set",
       "rate as a whole number"]


@pytest.mark.parametrize("how", BAD)
def test_bad_input_names_the_cell_and_writes_nothing(tmp_path, seed_book, how):
    wb = _open(seed_book)
    field, fragment = _break(wb, how)
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    out = tmp_path / "params"
    problems = _problems(path, out)
    assert any(f == field and fragment in m for f, m in problems), problems
    assert not out.exists() or not any(out.rglob("*"))


def test_every_problem_is_reported_at_once(tmp_path, seed_book):
    wb = _open(seed_book)
    expected = [_break(wb, how) for how in ("text in amount", "unknown operator", "missing required cell")]
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    problems = _problems(path)
    for field, fragment in expected:
        assert any(f == field and fragment in m for f, m in problems), (field, problems)
    with pytest.raises(InputError) as info:
        project_from_workbook(path)
    assert all(p.file == str(path) for p in info.value.problems)
    assert str(info.value.problems[0]).startswith(f"{path}: ")


def test_structural_problems_come_alone(tmp_path, seed_book):
    wb = _open(seed_book)
    expected = [_break(wb, "missing sheet"), _break(wb, "missing label")]
    ws = wb["绩效指标"]
    ws.cell(row=1, column=_col(ws, "分值")).value = "权重"
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    problems = _problems(path)
    assert [f for f, _ in problems] == ["资金!A:A", "支付明细!A1", "绩效指标!1:1"]
    assert "找不到表头“分值”" in problems[2][1] and "权重" in problems[2][1]
    assert {f for f, _ in expected} <= {f for f, _ in problems}


def test_not_a_workbook(tmp_path):
    path = tmp_path / "params.xlsx"
    path.write_text("project: {}\n", encoding="utf-8")
    problems = _problems(path)
    assert len(problems) == 1 and "无法读取工作簿" in problems[0][1]
    assert _problems(tmp_path / "missing.xlsx")[0][1].startswith("无法读取文件")
