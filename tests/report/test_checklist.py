"""The 自查清单 holds what the report does not: claims vs computation, placeholders,
illustrative data, data to correct."""

from __future__ import annotations

from selfeval_lib.core.evaluation import Evaluation, evaluate
from selfeval_lib.inputs.params import load_project
from selfeval_lib.report.checklist import checklist_items, open_count
from selfeval_lib.report.missing_facts import missing_facts

from conftest import ROOT


def _ev(stem: str) -> Evaluation:
    loaded = load_project(ROOT / "params" / "2023" / f"dongqu-yjglj-{stem}.yaml")
    return evaluate(loaded.project_year, loaded.rules)


def test_claims_placeholders_and_data_findings() -> None:
    ev = _ev("slfh")
    items = checklist_items(ev)
    claims = [i for i in items if i.category == "自评结论核对"]
    assert any("78.68" in i.text and i.where == "参数文件的自报总分" for i in claims)
    assert len([i for i in items if i.category == "待补充事实"]) == len(missing_facts(ev))
    assert any(i.category == "数据核对" and "30.00万元" in i.text for i in items)
    assert open_count(ev) == sum(i.status == "需处理" for i in items) > 0


def test_consistent_claims_and_illustrative_data() -> None:
    items = checklist_items(_ev("ydhs"))
    assert any(i.status == "一致" and "“优”" in i.text for i in items)
    illustrative = [i for i in items if i.category == "示例数据"]
    assert len(illustrative) == 5 and all("首页" in i.where for i in illustrative)
