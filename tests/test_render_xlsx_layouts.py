"""The 自评表 layouts: the layout a rule set names, the Sichuan target split, the closing texts."""

from __future__ import annotations

import dataclasses
import io

import pytest
from conftest import SAMPLES
from openpyxl import load_workbook

from selfeval_lib.core.evaluation import Evaluation, evaluate
from selfeval_lib.inputs.params import load_project
from selfeval_lib.render import xlsx_layouts as layouts
from selfeval_lib.render.xlsx import self_evaluation_workbook


@pytest.fixture(scope="module")
def evaluations() -> dict[str, Evaluation]:
    out = {}
    for path in SAMPLES:
        loaded = load_project(path)
        out[path.stem] = evaluate(loaded.project_year, loaded.rules)
    return out


def test_layout_is_the_rule_sets(evaluations: dict[str, Evaluation]) -> None:
    ev = evaluations["dongqu-yjglj-ydhs"]
    assert layouts.layout_name(ev) == ev.rules.table_layout == "national"
    sichuan = dataclasses.replace(ev, rules=ev.rules.model_copy(update={"table_layout": "sichuan"}))
    assert layouts.layout_name(sichuan) == "sichuan"
    ws = load_workbook(io.BytesIO(self_evaluation_workbook(sichuan))).active
    texts = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert set(layouts.SICHUAN_CLOSING) <= texts and "指标性质" in texts
    assert len(tuple(ws.columns)) == len(layouts.LAYOUTS["sichuan"].widths)


@pytest.mark.parametrize(("target", "expected"), [
    ("≥95%", ("≥", 95, "%")), ("≦8.62万元", ("≤", 8.62, "万元")), ("≤8.62万元", ("≤", 8.62, "万元")),
    ("=3部", ("=", 3, "部")), ("＝100%", ("=", 100, "%")), ("1.2万人", ("=", 1.2, "万人")),
    ("600余人", ("≥", 600, "人")), ("≥0.5亿元", ("≥", 0.5, "亿元")), ("＞3千米", (">", 3, "千米")),
    ("2023年11月底前", ("≤", "2023年11月底前", "")), ("明显增强", ("定性", "明显增强", "")), ("", ("", "", "")),
])
def test_split_target(target: str, expected: tuple) -> None:
    assert layouts.split_target(target) == expected


def test_truncate() -> None:
    limit = layouts.SICHUAN_CLOSING_LIMIT
    short = "经核对未发现问题。"
    assert layouts.truncate(short, limit) == short
    items = " ".join(f"{i}. 第{i}个问题，说明文字较长较长较长较长较长较长。" for i in range(1, 20))
    cut = layouts.truncate(items, limit)
    assert len(cut) <= limit and cut.endswith("。…")
    assert layouts.truncate("字" * 300, limit) == "字" * 199 + "…"
    assert layouts.truncate("字" * 300, 10) == "字" * 9 + "…"


def test_closing_texts_respect_the_limit(evaluations: dict[str, Evaluation]) -> None:
    ev = evaluations["dongqu-yjglj-aqpx"]
    full = layouts.closing_texts(ev, 10_000)
    assert list(full) == list(layouts.SICHUAN_CLOSING)
    short = layouts.closing_texts(ev, 40)
    for label, text in short.items():
        assert 0 < len(text) <= 40
        assert full[label].startswith(text.rstrip("…"))


def test_completion_summary(evaluations: dict[str, Evaluation]) -> None:
    ev = evaluations["dongqu-yjglj-ydhs"]
    text = layouts.completion_summary(ev)
    assert f"等级为“{ev.grade}”" in text and f"绩效指标{len(ev.indicators)}项" in text
