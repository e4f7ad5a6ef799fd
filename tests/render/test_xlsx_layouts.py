"""The 自评表 layouts: the layout a rule set names, the Sichuan target split, the closing texts."""

from __future__ import annotations

import dataclasses
import io

import pytest
from openpyxl import load_workbook

from selfeval_lib.core.evaluation import Evaluation
from selfeval_lib.render import xlsx_layouts as layouts
from selfeval_lib.render.xlsx import self_evaluation_workbook


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


def test_fit_text_keeps_whole_sentences() -> None:
    limit = layouts.SICHUAN_CLOSING_LIMIT
    short = "经核对未发现问题。"
    assert layouts.fit_text(short, limit) == short
    for sep in (" ", ""):  # "1. 第…" as older text writes it, "1.第…" as the report does
        items = "".join(f"{i}.{sep}第{i}个问题较为突出，结余2.40万元。说明文字较长较长较长较长较长。" for i in range(1, 8))
        fitted = layouts.fit_text(items, limit)  # every item, each by its first sentence
        assert len(fitted) <= limit and "说明文字" not in fitted
        assert [f"{i}.第{i}个问题较为突出，结余2.40万元。" in fitted for i in range(1, 8)] == [True] * 7
    many = "".join(f"{i}.第{i}个问题，说明文字较长较长较长较长较长较长。" for i in range(1, 20))
    fitted = layouts.fit_text(many, limit)  # whole items that fit, and how many more there are
    assert len(fitted) <= limit and not fitted.endswith("…")
    n = fitted.count("个问题，")
    assert 0 < n < 19 and fitted.endswith(f"另有{19 - n}项，详见报告正文。")
    prose = "第一句话。" * 50
    assert layouts.fit_text(prose, 22) == "第一句话。" * 4
    assert layouts.fit_text("原因甲；原因乙；" * 10, 9) == "原因甲；原因乙。"  # never ends on ；


def test_closing_texts_respect_the_limit(evaluations: dict[str, Evaluation]) -> None:
    ev = evaluations["dongqu-yjglj-aqpx"]
    full = layouts.closing_texts(ev, 10_000)
    assert list(full) == list(layouts.SICHUAN_CLOSING)
    fitted = layouts.closing_texts(ev, layouts.SICHUAN_CLOSING_LIMIT)
    for label, text in fitted.items():
        assert 0 < len(text) <= layouts.SICHUAN_CLOSING_LIMIT and "…" not in text
        assert text.endswith("。")


def test_completion_summary_says_what_was_achieved(evaluations: dict[str, Evaluation]) -> None:
    for ev in evaluations.values():
        text = layouts.completion_summary(ev)
        assert "等级" not in text and "总分" not in text  # not a score summary
        for s in ev.indicators:
            assert "未填写" not in text
            # without an actual: named once, as still to be given, never as not reached
            assert (s.name in text and s.actual in text) if s.actual else f"“{s.name}”完成值待补充" in text
    aqpx = layouts.completion_summary(evaluations["dongqu-yjglj-aqpx"])
    assert "“培训企业主要负责人及安全管理人员”" in aqpx and "未达到年度指标值" in aqpx


def test_cell_notes_speak_as_the_form(evaluations: dict[str, Evaluation]) -> None:
    """The notes of the funds rows say what was filled in the form's words (no 参数, no program)."""
    ev = evaluations["dongqu-yjglj-slfh"]
    wb = load_workbook(io.BytesIO(self_evaluation_workbook(ev)))
    notes = [c.comment for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.comment]
    assert notes and all(n.author == layouts.NOTE_AUTHOR for n in notes)
    assert all("参数" not in n.text and "selfeval" not in n.text for n in notes), [n.text for n in notes]
    assert any(n.text.startswith("资金来源未分列，全部按当年财政拨款填列") for n in notes)
