"""The phrases of the unit's prose (report/phrases.py): no raw ≥ ≤ = in a sentence, what was done
said by kind, a params text given its subject, amounts and rates without trailing zeros."""

from __future__ import annotations

import dataclasses

import pytest

from conftest import make_project
from selfeval_lib.core.evaluation import evaluate
from selfeval_lib.report import phrases


@pytest.fixture(scope="module")
def indicator(national):
    """An indicator score of the builder's project, to vary field by field."""
    return evaluate(make_project(), national).indicators[0]


@pytest.mark.parametrize("target, kind, said", [
    ("≥600人次", "quantitative", "年度指标值为不少于600人次"), ("≥95%", "quantitative", "年度指标值为不低于95%"),
    ("≤10万元", "quantitative", "年度指标值为不超过10万元"), ("=5项", "quantitative", "年度指标值为5项"),
    ("5项。", "quantitative", "年度指标值为5项"), ("有效提升", "qualitative", "年度指标值为“有效提升”")])
def test_a_target_in_words(indicator, target, kind, said):
    assert phrases.target_phrase(dataclasses.replace(indicator, target=target, kind=kind)) == said


@pytest.mark.parametrize("actual, changes, said", [
    ("2023年12月20日", {}, "于12月20日完成"), ("2024年1月5日", {}, "于2024年1月5日完成"),
    ("明显改善", {"kind": "qualitative"}, "完成情况为“明显改善”"),
    ("8.62万元", {"name": "项目总成本"}, "实际支出8.62万元"), ("185元", {"level2": "成本指标"}, "实际为185元"),
    ("98%", {}, "实际达到98%"), ("5项", {}, "实际完成5项")])
def test_what_was_done_by_kind(indicator, actual, changes, said):
    assert phrases.actual_phrase(dataclasses.replace(indicator, actual=actual, **changes), 2023) == said


def test_params_texts_get_their_subject():
    assert phrases.with_subject("由局应急指挥中心统一负责监管使用。", "我局") == "项目由局应急指挥中心统一负责监管使用"
    assert phrases.with_subject("根据年度计划支付资金", "我局") == "我局根据年度计划支付资金"
    assert phrases.with_subject("局纪检组对经费使用进行监督", "我局") == "局纪检组对经费使用进行监督"


def test_figures_in_prose_drop_trailing_zeros():
    assert (phrases.prose_wan(86200), phrases.prose_wan(60000), phrases.prose_wan(0)) == ("8.62万元", "6万元", "0万元")
    assert (phrases.prose_percent(1), phrases.prose_percent(0.4533), phrases.prose_percent(0.45)) == ("100%", "45.33%", "45%")
    assert (phrases.points(10), phrases.points(7.5)) == ("10", "7.5")
    assert phrases.clause("  按期完成。；\n") == "按期完成"
    assert (phrases.numbered(2), phrases.numbered(3, level=2)) == ("2.", "（3）")


@pytest.mark.parametrize("target, said", [("≥95%", "不低于95%"), (">=3次", "不低于3次"), ("≤2天", "不超过2天"),
                                          ("=3部", "3部"), ("有效提升。", "“有效提升”")])
def test_a_monitoring_target_in_words(target, said):
    assert phrases.target_prose(target) == said


def test_full_and_reported(indicator):
    assert phrases.is_full(dataclasses.replace(indicator, score=10.0, weight=10.0))
    assert not phrases.is_full(dataclasses.replace(indicator, score=9.5, weight=10.0))
    assert not phrases.is_reported(dataclasses.replace(indicator, kind="unmeasured"))
    assert phrases.is_reported(dataclasses.replace(indicator, kind="quantitative"))
