"""Year over year: hand-built pairs of a project's 复核 in two years, and the sentences they give."""

from __future__ import annotations

from selfeval_lib.requality.model import IndicatorRequality, Requality
from selfeval_lib.requality.yoy import compare_years


def _ind(name: str, target: str, *, level2: str = "数量指标", rule: str = "", deduction: float = 0.0,
         reason: str = "") -> IndicatorRequality:
    return IndicatorRequality(row=None, level1="产出指标", level2=level2, name=name, target=target, actual="",
                              weight=10.0, self_score=10.0, recomputed_score=10.0, requality_score=10.0 - deduction,
                              share=deduction / 10, deduction=deduction, rule_code=rule, reason=reason, heuristic=False)


def _result(year: int, *indicators: IndicatorRequality) -> Requality:
    return Requality(source=f"{year}.yaml", kind="params", rules="district", unit="甲局", department="甲局",
                     project="培训项目", project_id=f"p{year}", year=year, self_total=100.0, requality_total=90.0,
                     self_grade="优", requality_grade="优", indicators=tuple(indicators))


def test_dropped_and_added_indicators() -> None:
    last = _result(2022, _ind("培训人数", "≥200人"), _ind("培训合格率", "≥95%", level2="质量指标"))
    now = _result(2023, _ind("培训人数", "≥200人"), _ind("培训覆盖乡镇数", "≥10个"))
    assert compare_years(now, last) == [
        "与2022年度相比，删除了质量指标“培训合格率”（2022年度指标值“≥95%”）。",
        "与2022年度相比，新增了数量指标“培训覆盖乡镇数”（指标值“≥10个”）。",
    ]


def test_targets_lowered_loosened_and_postponed_but_not_raised() -> None:
    last = _result(2022, _ind("培训人数", "≥200人"), _ind("人均成本", "≤500元", level2="成本指标"),
                   _ind("完成时间", "2022年10月底前", level2="时效指标"), _ind("合格率", "≥90%"),
                   _ind("资金规模", "≥8万元"))
    now = _result(2023, _ind("培训人数", "≥150人"), _ind("人均成本", "≤0.06万元", level2="成本指标"),
                  _ind("完成时间", "2023年12月底前", level2="时效指标"), _ind("合格率", "≥95%"),
                  _ind("资金规模", "≥80000元"))
    assert compare_years(now, last) == [
        "“培训人数”的指标值由2022年度的“≥200人”降低为“≥150人”，目标设置偏低。",
        "“人均成本”的指标值由2022年度的“≤500元”放宽为“≤0.06万元”，目标设置偏低。",
        "“完成时间”的指标值由2022年度的“2022年10月底前”推迟为“2023年12月底前”，目标设置偏低。",
    ]


def test_targets_of_other_units_or_unreadable_are_not_compared() -> None:
    last = _result(2022, _ind("培训规模", "≥200人"), _ind("效果", "≥9x%"))
    now = _result(2023, _ind("培训规模", "≥100场"), _ind("效果", "明显提升"))
    assert compare_years(now, last) == []


def test_the_same_deadline_one_year_later_is_not_postponed() -> None:
    last = _result(2022, _ind("完成时间", "2022年12月底前"))
    now = _result(2023, _ind("完成时间", "2023年12月底前"))
    assert compare_years(now, last) == []


def test_the_same_problem_found_again() -> None:
    last = _result(2022, _ind("培训人数", "≥200人", rule="R01", deduction=10, reason="完成值无佐证材料"),
                   _ind("满意度", "≥90%", rule="R04", deduction=10))
    now = _result(2023, _ind("培训人数", "≥200人", rule="R01", deduction=10, reason="完成值无佐证材料"),
                  _ind("群众满意度", "≥90%", rule="R04", deduction=10), _ind("满意度", "≥90%"))
    sentences = compare_years(now, last)
    assert "“培训人数”2022年度已因同一问题扣分（规则 R01），本年度仍未整改。" in sentences
    assert "规则 R04所指问题2022年度和本年度均有扣分（2022年度 1 个指标，本年度 1 个指标），同类问题重复出现。" in sentences
    assert not any("R01 所指问题" in s for s in sentences)


def test_nothing_changed_gives_no_sentence() -> None:
    one = _result(2022, _ind("培训人数", "≥200人"))
    assert compare_years(_result(2023, _ind("培训人数", "≥200人")), one) == []


def test_the_same_problem_on_several_indicators_is_one_sentence_naming_what_the_rule_looks_at() -> None:
    from selfeval_lib.requality.model import RuleHit

    def hit(name: str) -> IndicatorRequality:
        import dataclasses

        return dataclasses.replace(_ind(name, "≥1个", rule="1", deduction=10),
                                   hits=(RuleHit("1", 1.0, "无佐证材料", False, "佐证材料"),))

    last, now = _result(2022, hit("甲"), hit("乙")), _result(2023, hit("甲"), hit("乙"))
    assert compare_years(now, last) == ["“甲”、“乙”2022年度已因同一问题扣分（规则 1：佐证材料），本年度仍未整改。"]
