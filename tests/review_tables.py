"""Published 自评表 for the review's tests, as data: a clean table under the national rule set and
the builder of its variants (:func:`build`), read through the YAML loader or reviewed directly; and
the comparisons of tables read from different forms (:func:`findings`, :func:`content`)."""

from __future__ import annotations

import copy
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from selfeval_lib.core.rules import RuleSet
from selfeval_lib.review.readers import load_table
from selfeval_lib.review.recompute import review_table
from selfeval_lib.review.service import review_reads
from selfeval_lib.review.table import PublishedTable, Review

#: A clean table under the national rule set: 10 + 50 + 30 + 10, one justified deduction
#: (540 of 600 trainees: 20 × 540 / 600 = 18), total 9.5 + 88 = 97.5 (优).
BASE: dict[str, Any] = {
    "source": "测试自评表",
    "project": {"name": "应急救援队伍培训", "department": "某区应急管理局", "unit": "某区应急管理局", "year": 2023},
    "total_weight": 100,
    "funds": {"amount_unit": "万元", "budget_initial": 100, "budget_full_year": 100, "executed": 95, "weight": 10,
              "rate": "95%", "score": 9.5, "reason": ""},
    "indicators": [
        {"level1": "产出指标", "level2": "数量指标", "name": "培训人数", "target": "≥600人", "actual": "540人",
         "weight": 20, "score": 18, "deviation_reason": "部分队员汛期值守，延至次年参训"},
        {"level1": "产出指标", "level2": "质量指标", "name": "培训考核合格率", "target": "≥95%", "actual": "98%",
         "weight": 10, "score": 10},
        {"level1": "产出指标", "level2": "时效指标", "name": "培训完成时间", "target": "2023年11月底前",
         "actual": "2023年11月", "weight": 10, "score": 10},
        {"level1": "产出指标", "level2": "成本指标", "name": "人均培训成本", "target": "≤150元", "actual": "140元",
         "weight": 10, "score": 10},
        {"level1": "效益指标", "level2": "社会效益指标", "name": "应急处置能力", "target": "有效提升", "actual": "达成",
         "weight": 20, "score": 20},
        {"level1": "效益指标", "level2": "可持续影响指标", "name": "培训成果持续应用", "target": "≥3年", "actual": "3年",
         "weight": 10, "score": 10},
        {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "参训人员满意度", "target": "≥90%",
         "actual": "93%", "weight": 10, "score": 10},
    ],
    "published_total": 97.5,
    "published_grade": "优",
}


def build(rows: dict[int, dict[str, Any]] | None = None, **top: Any) -> dict[str, Any]:
    """BASE with indicator ``rows`` updated (by index) and top-level sections updated/replaced."""
    data = copy.deepcopy(BASE)
    for index, change in (rows or {}).items():
        data["indicators"][index].update(change)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key].update(value)
        else:
            data[key] = value
    return data


def via_yaml(data: dict[str, Any], tmp_path: Path, name: str = "table.yaml") -> PublishedTable:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (table,) = load_table(path)
    return table


def review(data: dict[str, Any], rules: RuleSet) -> Review:
    return review_table(PublishedTable.model_validate(data), rules)


def codes(result: Review) -> Counter:
    return Counter(f.code for f in result.findings)


def row_scores(result: Review) -> dict[Any, float | None]:
    return {r.row: r.recomputed for r in result.rows}


def findings(reads, rules) -> list[tuple]:
    """What each review found, by code, field and indicator name (rows differ between forms)."""
    out = []
    for read, review in zip(reads, review_reads(reads, rules)):
        names = {ind.row: ind.name for ind in read.table.indicators}
        out.append(sorted((f.code, f.field, names.get(f.row, str(f.row) if f.row == "总分" else "")) for f in review.findings))
    return out


def content(read) -> dict:
    """The table as read, cells as text, without rows and source."""
    def text(value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return "" if value is None else str(value)

    t = read.table
    inds = [{k: text(getattr(i, k)) for k in ("level1", "level2", "name", "target", "actual", "weight", "score",
                                               "deviation_reason")} for i in t.indicators]
    funds = {k: text(getattr(t.funds, k)) for k in ("amount_unit", "budget_initial", "budget_full_year", "executed",
                                                     "weight", "rate", "score")}
    return {"project": t.project.model_dump(), "funds": funds, "indicators": inds, "total": text(t.published_total),
            "weight": text(t.total_weight), "grade": t.published_grade}
