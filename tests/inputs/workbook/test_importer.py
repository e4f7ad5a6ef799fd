"""Importing a workbook: round trip of every sample and field, the YAML written (atomically, schema
order, header mark, overwrite rules), a workbook saved by LibreOffice, and bad input reported by
cell, all at once, with nothing written."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from selfeval_lib.core.evaluation import evaluate
from selfeval_lib.core.model import ProjectYear
from selfeval_lib.inputs.params import InputError, load_project
from selfeval_lib.inputs.synthetic import synthetic_params
from selfeval_lib.inputs.workbook import (
    IMPORT_MARK,
    blank_workbook,
    import_workbook,
    project_from_workbook,
    workbook_from_project,
)

from conftest import SAMPLES, SEED_SAMPLE, make_project
from workbook_helpers import append, kv, open_book, problems_of, save, seed_project, seed_workbook, spoil


# --- round trip ------------------------------------------------------------------------------

@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_round_trip_of_every_sample(tmp_path, sample):
    original = load_project(sample).project_year
    path = save(tmp_path, workbook_from_project(original))
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
    path = save(tmp_path, workbook_from_project(py))
    assert ProjectYear.model_validate(project_from_workbook(path)) == py


@pytest.mark.parametrize("index", range(0, 20, 4))
def test_round_trip_of_synthetic_projects(tmp_path, index):
    data = synthetic_params(20)[index]
    py = ProjectYear.model_validate(data)
    path = save(tmp_path, workbook_from_project(py))
    assert ProjectYear.model_validate(project_from_workbook(path)) == py


def test_import_writes_yaml_that_loads_back(tmp_path):
    seed = seed_project()
    book = save(tmp_path, seed_workbook(), "东区.xlsx")
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
    problems = problems_of(book, out)
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
        kv(info, label).value = value
    append(wb["立项依据"], {"立项依据文件": "某区应急广播建设方案"})
    items = wb["支出内容"]
    append(items, {"支出内容": "广播终端", "用途": "采购安装", "预算金额（元）": 120000})
    append(items, {"支出内容": "平台服务 ", "预算金额（元）": "30000"})
    funds = wb["资金"]
    kv(funds, "申报数（元）").value = 150000
    kv(funds, "批复数（元）").value = "150,000"
    kv(funds, "批复日期").value = dt.date(2024, 1, 12)
    append(wb["资金到位"], {"到位日期": "2024-02-20", "到位金额（元）": 150000})
    pay = wb["支付明细"]
    roles = "经办人、分管领导、主要领导、党委会、分管区领导"
    append(pay, {"支付日期": dt.date(2024, 4, 18), "金额（元）": 60000, "收款方": "某电子公司", "支出内容": "广播终端",
                  "凭证号": "记-2024-04-003", "审批签字": roles})
    append(pay, {"支付日期": "2024年9月3日", "金额（元）": "60000", "收款方": "某电子公司", "支出内容": "广播终端",
                  "凭证号": "记-2024-09-011", "审批签字": roles})
    append(pay, {"支付日期": dt.date(2024, 11, 20), "金额（元）": 28000, "收款方": "某通信公司", "支出内容": "平台服务",
                  "凭证号": "记-2024-11-020", "审批签字": roles})
    ind = wb["绩效指标"]
    for row in (
        ("产出指标", "数量指标", "建成广播点位", 30, "≥20个", "20个", None),
        ("产出指标", "质量指标", "设备验收合格率", 20, "=100%", "100%", None),
        ("效益指标", "社会效益指标", "预警信息覆盖群众", 30, "有效提升", "有效提升", None),
        ("满意度指标", "服务对象满意度指标", "群众满意度", 10, "≥90%", "93%", None),
    ):
        append(ind, dict(zip(("一级指标", "二级指标", "三级指标", "分值", "年度指标值", "实际完成值", "评价档次"), row)))
    survey = wb["满意度调查"]
    kv(survey, "满意度").value = "93%"
    kv(survey, "样本量").value = 200
    kv(survey, "调查方式").value = "入户问卷"
    kv(wb["情况说明"], "组织情况").value = "局应急指挥中心负责实施。"
    kv(wb["单位自评"], "自评等级").value = "优"


@pytest.mark.integration
def test_template_filled_and_saved_by_libreoffice_imports_and_evaluates(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed: apt-get install -y --no-install-recommends libreoffice-calc"
    wb = open_book(blank_workbook())
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


BAD = ["missing sheet", "renamed header", "missing label", "text in amount", "negative amount",
       "date in the wrong year", "impossible date", "unknown operator", "unreadable target", "unknown level1",
       "unknown item", "weights do not add up", "missing required cell", "excel error value", "unknown rule set",
       "rate as a whole number"]


@pytest.mark.parametrize("how", BAD)
def test_bad_input_names_the_cell_and_writes_nothing(tmp_path, how):
    wb = open_book(seed_workbook())
    field, fragment = spoil(wb, how)
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    out = tmp_path / "params"
    problems = problems_of(path, out)
    assert any(f == field and fragment in m for f, m in problems), problems
    assert not out.exists() or not any(out.rglob("*"))


def test_every_problem_is_reported_at_once(tmp_path):
    wb = open_book(seed_workbook())
    expected = [spoil(wb, how) for how in ("text in amount", "unknown operator", "missing required cell")]
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    problems = problems_of(path)
    for field, fragment in expected:
        assert any(f == field and fragment in m for f, m in problems), (field, problems)
    with pytest.raises(InputError) as info:
        project_from_workbook(path)
    assert all(p.file == str(path) for p in info.value.problems)
    assert str(info.value.problems[0]).startswith(f"{path}: ")
