"""绩效运行监控 (core/monitoring.py, core/projection.py): lights at and around every limit,
projections against hand-computed cases, findings."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from conftest import BASE, ROOT, SEED_SAMPLE, pay

from selfeval_lib.core.model import ProjectYear
from selfeval_lib.core.monitoring import (
    LIGHT_ORDER,
    MonitoringCode,
    light_of,
    monitor,
    monitoring_months,
)
from selfeval_lib.core.projection import project_execution
from selfeval_lib.inputs.params import load_project

C = MonitoringCode


def project(payments=(), indicators=None, monitoring=(), budget=120000, year=2023, pid="t-1") -> ProjectYear:
    data = copy.deepcopy(BASE)
    data["project"]["id"], data["project"]["year"] = pid, year
    data["project"]["items"] = [{"name": "甲", "budget": budget}]
    data["funds"].update(declared=budget, approved=budget, approved_date=f"{year}-01-10",
                         arrivals=[{"date": f"{year}-02-01", "amount": budget}], monitoring=list(monitoring))
    data["funds"]["payments"] = [
        {**pay(amount, ["经办人"], month=m, voucher=f"V{k}"), "date": f"{year}-{m:02d}-10"}
        for k, (m, amount) in enumerate(payments)]
    if indicators is not None:
        data["indicators"] = indicators
    return ProjectYear.model_validate(data)


def ind(target, progress=(), name="指标", level2="数量指标"):
    return {"level1": "产出指标", "level2": level2, "name": name, "target": target, "actual": "", "weight": 90,
            "progress": list(progress)}


def one(target, progress, month, rules):
    return monitor(project(indicators=[ind(target, progress)]), rules, month).indicators[0]


# ---- the light bands -------------------------------------------------------------------------

@pytest.mark.parametrize("progress, light", [
    (0, "red"), (59.99, "red"), (60, "yellow"), (60.01, "yellow"), (79.99, "yellow"), (80, "green"),
    (80.01, "green"), (119.99, "green"), (120, "blue"), (500, "blue"),
])
def test_positive_bands_at_and_around_each_limit(progress, light, national):
    assert light_of(progress, national.monitoring.positive_lights) == light


@pytest.mark.parametrize("progress, light", [(59.99, "red"), (60, "yellow"), (79.99, "yellow"), (80, "green"),
                                             (150, "green")])
def test_execution_bands(progress, light, national):
    assert light_of(progress, national.monitoring.execution_lights) == light


@pytest.mark.parametrize("spent, light", [
    (35999.99, "red"), (36000, "yellow"), (36000.01, "yellow"), (47999.99, "yellow"), (48000, "green"),
])
def test_execution_light_exact_at_month_6(spent, light, national):
    # 120000 budget, month 6: 序时进度 50%; 60 points = 30% = 36000, 80 points = 40% = 48000.
    status = monitor(project([(3, spent)]), national, 6).execution
    assert status.light == light
    assert status.time_progress == 0.5


@pytest.mark.parametrize("value, light", [
    ("2.09个", "red"), ("2.1个", "yellow"), ("2.79个", "yellow"), ("2.8个", "green"), ("4.19个", "green"),
    ("4.2个", "blue"),
])
def test_positive_indicator_limits_exactly(value, light, national):
    # ≥6个 at month 7: expected 6/12×7 = 3.5; 60% = 2.1, 80% = 2.8, 120% = 4.2 (exact, no float noise).
    status = one("≥6个", [{"month": 7, "value": value}], 7, national)
    assert status.light == light


@pytest.mark.parametrize("value, light", [("8.62万元", "green"), ("8.6199万元", "green"), ("86201元", "red")])
def test_reverse_indicator(value, light, national):
    assert one("≤8.62万元", [{"month": 6, "value": value}], 6, national).light == light


def test_strict_reverse_bound(national):
    assert one("<10天", [{"month": 6, "value": "10天"}], 6, national).light == "red"
    assert one("<10天", [{"month": 6, "value": "9天"}], 6, national).light == "green"


@pytest.mark.parametrize("value, light", [("达成", "green"), ("部分达成", "yellow"), ("未达成", "red")])
def test_qualitative(value, light, national):
    status = one("有效提升", [{"month": 6, "value": value}], 6, national)
    assert (status.kind, status.light) == ("qualitative", light)


@pytest.mark.parametrize("target, value, month, light, miss", [
    ("2023年9月底前", "", 8, "green", False),      # deadline not past at the cut-off
    ("2023年9月底前", "", 9, "green", False),      # the deadline is the cut-off's last day: not past
    ("2023年9月底前", "", 10, "red", True),        # past and not done
    ("2023年9月底前", "2023年9月20日", 10, "green", False),
    ("2023年9月底前", "2023年10月5日", 10, "red", True),   # done late
    ("2023年9月底前", "2023年10月5日", 9, "green", False),  # a date after the cut-off is not yet done
])
def test_time_indicator(target, value, month, light, miss, national):
    progress = [{"month": month, "value": value}] if value else []
    status = one(target, progress, month, national)
    assert (status.kind, status.light, status.will_miss) == ("time", light, miss)


def test_percentage_target_is_not_prorated(national):
    status = one("≥95%", [{"month": 3, "value": "96%"}], 3, national)
    assert status.light == "green" and status.projected_text == "96%"
    assert status.progress == pytest.approx(96 / 95 * 100)


# ---- checkpoints -------------------------------------------------------------------------------

@pytest.mark.parametrize("month, spent, checkpoint_light", [
    (6, 0, None), (7, 47999.99, "red"), (7, 48000, "green"), (10, 48000, "green"), (11, 95999.99, "red"),
    (11, 96000, "green"), (12, 96000, "green"),
])
def test_bureau_checkpoints(month, spent, checkpoint_light, national):
    # 40% by July, 80% by November (of 120000: 48000, 96000).
    status = monitor(project([(2, spent)] if spent else []), national, month).execution
    assert status.checkpoint_light == checkpoint_light
    if checkpoint_light is not None:
        assert status.checkpoint.month == (7 if month < 11 else 11)


# ---- projections -----------------------------------------------------------------------------

def test_seed_project_at_month_7(national):
    loaded = load_project(SEED_SAMPLE)
    m = monitor(loaded.project_year, loaded.rules, 7)
    e = m.execution
    assert e.executed == 0 and e.execution_rate == 0
    assert e.time_progress == pytest.approx(7 / 12)
    assert (e.progress, e.light, e.checkpoint_light) == (0, "red", "red")
    # The seed's annual fee is settled under contract in December (its 用款计划): on plan, full year.
    assert (e.planned, e.projection.method, e.projection.executed) == (0, "plan", Decimal(86200))
    assert e.projection.rate == 1.0 and "12月年度结算" in e.projection.assumption
    codes = {f.code for f in m.findings}
    assert {C.EXECUTION_RED, C.CHECKPOINT_MISSED} <= codes
    # Spending on its 用款计划 is explained by the plan's basis: no reason or measure is asked for.
    assert not {C.NOTHING_SPENT, C.EXECUTION_WILL_MISS, C.REASON_MISSING, C.MEASURE_MISSING} & codes
    assert m.worst_light == "red"
    assert "58.33%" in next(f.message for f in m.findings if f.code == C.EXECUTION_RED)


def test_monthly_average_projection(national):
    # 10000 in Feb, 10000 in Mar, 10000 in May, month 6: 30000 / 6 × 12 = 60000 → 50%.
    e = monitor(project([(2, 10000), (3, 10000), (5, 10000)]), national, 6).execution
    p = e.projection
    assert (p.method, p.executed, p.rate, p.capped) == ("monthly_average", Decimal("60000.00"), 0.5, False)
    assert p.assumption == "未编制用款计划，按1–6月月均支出推算（月均5,000元）"
    assert p.cumulative_rate[:6] == pytest.approx([0, 1 / 12, 2 / 12, 2 / 12, 0.25, 0.25])
    assert p.cumulative_rate[11] == pytest.approx(0.5) and len(p.cumulative_rate) == 12
    assert e.progress == pytest.approx(50)  # 25% ÷ 50% × 100


def test_single_large_payment_is_capped_and_flagged(national):
    # 100000 of 120000 in March, month 4: 100000 / 4 × 12 = 300000 → capped at 120000.
    p = monitor(project([(3, 100000), (4, 1000)]), national, 4).execution.projection
    assert p.capped and p.executed == Decimal(120000) and p.rate == 1.0
    assert "3月一笔支付100,000元占99.01%" in p.assumption and p.assumption.endswith("以全年预算数为上限")


def test_projection_from_earlier_years(national):
    # Earlier years spent 25% and 35% of their year by June: mean 30%; 18000 / 0.3 = 60000.
    earlier = [project([(3, 25000), (11, 75000)], year=2021), project([(6, 35000), (12, 65000)], year=2022),
               project([(1, 99999)], year=2022, pid="other")]
    p = monitor(project([(4, 18000)]), national, 6, earlier).execution.projection
    assert p.method == "earlier_years" and p.earlier_years == (2021, 2022)
    assert p.executed == Decimal("60000.00")
    assert p.assumption == "按以往年度同期支出占全年比例推算（2021、2022年1–6月支出平均占全年的30%）"


def test_no_spending_and_no_plan_cannot_be_projected(national):
    m = monitor(project(), national, 9)
    assert m.execution.projection.executed == 0 and m.execution.projection.cumulative_rate == (0.0,) * 12
    codes = {f.code for f in m.findings}
    assert C.NOTHING_SPENT in codes and C.EXECUTION_WILL_MISS not in codes  # said once, not judged twice
    assert m.execution.likelihood == "有可能"


def test_indicator_linear_projection_and_will_miss(national):
    status = one("≥10个", [{"month": 4, "value": "2个"}, {"month": 6, "value": "3个"}], 6, national)
    assert (status.value, status.value_month, status.projected_text) == ("3个", 6, "6个")
    assert status.will_miss and status.light == "yellow"  # 3 ÷ 5 = 60
    assert one("≥10个", [{"month": 6, "value": "5个"}], 6, national).will_miss is False


def test_a_count_is_projected_whole(national):
    """1 项 by July is 2项 a year (1 ÷ 7 × 12 = 1.71), never below what is done; a measure keeps decimals."""
    s = one("≥3项", [{"month": 7, "value": "1项"}], 7, national)
    assert (s.projected, s.projected_text, s.will_miss) == (2.0, "2项", True)
    assert one("≥30人次", [{"month": 7, "value": "12人次"}], 7, national).projected_text == "21人次"  # 20.57
    assert one("≥3项", [{"month": 11, "value": "1项"}], 11, national).projected_text == "1项"  # 1.09, never 0
    assert one("≥10公里", [{"month": 7, "value": "1公里"}], 7, national).projected_text == "1.71公里"


def test_progress_after_cutoff_is_ignored_by_the_core(national):
    status = one("≥10个", [{"month": 6, "value": "5个"}, {"month": 9, "value": "9个"}], 6, national)
    assert status.value == "5个"


# ---- explanations and findings ---------------------------------------------------------------

def test_red_light_with_reason_and_measure_needs_nothing_more(national):
    note = {"month": 7, "category": "经费保障", "reason": "资金3月到位，合同待签", "measure": "8月完成签约并支付",
            "achievable": True}
    m = monitor(project(monitoring=[note]), national, 7)
    assert m.execution.explanation.category == "经费保障"
    codes = {f.code for f in m.findings if f.subject == "预算执行"}
    assert C.REASON_MISSING not in codes and C.MEASURE_MISSING not in codes


def test_spending_behind_its_plan_needs_a_reason(national):
    """Behind the 用款计划 (60 000 due by March, nothing spent by July) the red light needs the unit's
    reason and measure; on the plan (nothing due before December) it does not."""
    def codes(plan_month):
        data = project().model_dump(mode="json")
        data["funds"]["plan"] = [{"month": plan_month, "amount": 120000, "basis": "合同约定"}]
        return {f.code for f in monitor(ProjectYear.model_validate(data), national, 7).findings}

    assert {C.NOTHING_SPENT, C.REASON_MISSING, C.MEASURE_MISSING} <= codes(3)
    assert not {C.NOTHING_SPENT, C.REASON_MISSING, C.MEASURE_MISSING} & codes(12)


def test_indicator_reason_missing_and_ahead(national):
    red = ind("≥10个", [{"month": 6, "value": "1个", "reason": "设备未到货"}], name="甲")
    blue = ind("≥10个", [{"month": 6, "value": "9个"}], name="乙")
    m = monitor(project([(1, 120000)], indicators=[red, blue]), national, 6)
    got = {(f.code, f.subject) for f in m.findings}
    assert (C.INDICATOR_RED, "甲") in got and (C.MEASURE_MISSING, "“甲”") in got
    assert (C.REASON_MISSING, "“甲”") not in got
    assert (C.INDICATOR_AHEAD, "乙") in got and not any(s == "“乙”" for _, s in got)
    assert m.lights["red"] == 1 and m.lights["blue"] == 1


def test_unit_says_the_target_cannot_be_met(national):
    status = one("有效提升", [{"month": 6, "value": "达成", "achievable": False}], 6, national)
    assert status.light == "green" and status.will_miss


def test_monitoring_months_and_order(national):
    py = project(indicators=[ind("≥10个", [{"month": 6, "value": "1个"}, {"month": 9, "value": "4个"}])],
                 monitoring=[{"month": 7, "reason": "x"}])
    assert monitoring_months(py) == (6, 7, 9)
    assert sorted(LIGHT_ORDER, key=LIGHT_ORDER.get)[0] == "red"


def test_monitoring_is_deterministic(national):
    py = project([(2, 5000)], indicators=[ind("≥10个", [{"month": 6, "value": "3个"}])])
    assert monitor(py, national, 6) == monitor(py, national, 6)


def test_project_execution_directly():
    monthly = [Decimal(0)] * 12
    monthly[0] = Decimal(1000)
    p = project_execution(monthly, 1, Decimal(24000))
    assert p.executed == Decimal(12000) and p.assumption.startswith("未编制用款计划，按1月月均支出推算")


def test_equal_target_reached_is_done_not_ahead(national):
    done = one("=5项", [{"month": 7, "value": "5项"}], 7, national)
    assert (done.light, done.projected_text, done.will_miss) == ("green", "5项", False)
    near = one("=5项", [{"month": 7, "value": "4项"}], 7, national)  # 4 ÷ 7 × 12 = 6.86 → capped at 5
    assert (near.light, near.projected_text, near.will_miss) == ("blue", "5项", False)
    behind = one("=12项", [{"month": 6, "value": "3项"}], 6, national)
    assert (behind.light, behind.projected_text, behind.will_miss) == ("red", "6项", True)


@pytest.mark.integration
def test_benchmark_runs():
    import subprocess
    import sys

    bench = ROOT / "bench" / "monitor_many.py"
    # the bench's own budget is a measure for `make bench`; here it only has to run (no time limit)
    done = subprocess.run([sys.executable, str(bench), "--projects", "100", "--budget", "inf"],
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    assert "projects: 100" in done.stdout and "red" in done.stdout


# ---- the 用款计划, the unit's own figures, level indicators -------------------------------------

def planned(py: ProjectYear, plan) -> ProjectYear:
    data = py.model_dump(mode="json")
    data["funds"]["plan"] = plan
    return ProjectYear.model_validate(data)


def test_contract_settled_in_december_projects_the_whole_fee(national):
    py = planned(project(budget=86200), [{"month": 12, "amount": 86200, "basis": "按合同约定于12月年度结算"}])
    for month in (6, 7):
        m = monitor(py, national, month)
        e = m.execution
        assert (e.executed, e.planned, e.light) == (0, 0, "red")  # the platform's light stays
        assert (e.projection.method, e.projection.executed, e.projection.rate) == ("plan", Decimal(86200), 1.0)
        assert "按合同约定于12月年度结算" in e.projection.assumption
        assert e.projection.cumulative_rate[10] == 0 and e.projection.cumulative_rate[11] == 1.0
        assert e.likelihood == "确定能"
        codes = {f.code for f in m.findings}
        assert C.NOTHING_SPENT not in codes and C.EXECUTION_WILL_MISS not in codes
        red = next(f for f in m.findings if f.code == C.EXECUTION_RED)
        assert "执行符合用款计划" in red.message


def test_plan_behind_schedule_projects_what_remains(national):
    # Plan 30000 in March and 90000 in September; by June only 10000 paid: 10000 + 90000 = 100000.
    py = planned(project([(3, 10000)]), [{"month": 3, "amount": 30000}, {"month": 9, "amount": 90000}])
    e = monitor(py, national, 6).execution
    assert (e.planned, e.projection.method, e.projection.executed) == (Decimal(30000), "plan", Decimal(100000))
    assert e.projection.rate == pytest.approx(100000 / 120000)
    assert e.likelihood == "有可能"  # 83% is below the 90% the year requires
    assert e.projection.cumulative_rate[8] == pytest.approx(100000 / 120000)


def test_the_units_own_figure_comes_before_the_plan(national):
    note = {"month": 7, "reason": "合同待签", "measure": "8月签约", "expected": 60000, "achievable": "有可能"}
    py = planned(project(monitoring=[note]), [{"month": 12, "amount": 120000}])
    e = monitor(py, national, 7).execution
    assert (e.projection.method, e.projection.executed, e.likelihood) == ("stated", Decimal(60000), "有可能")
    assert e.projection.assumption == "单位预计全年执行60,000元"


def test_plan_beyond_budget_is_an_input_error(tmp_path):
    import yaml

    from selfeval_lib.errors import InputError

    data = copy.deepcopy(BASE)
    data["funds"]["plan"] = [{"month": 12, "amount": float(data["funds"]["approved"]) + 1}]
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_project(path)
    assert any("用款计划合计" in p.message and p.field == "funds.plan" for p in caught.value.problems)


def test_level_indicator_is_not_prorated(national):
    # 3 satellite phones in service, one under repair in July: 2 ÷ 3 = 66.67 (yellow), not 2 ÷ 1.75.
    kept = {"month": 7, "value": "2部", "category": "硬件条件", "reason": "1部送修", "measure": "9月前修复"}
    level = ind("=3部", [kept], name="卫星电话年服务部数") | {"monitoring_kind": "时点"}
    m = monitor(project(indicators=[level]), national, 7)
    s = m.indicators[0]
    assert s.accrual == "时点" and s.progress == pytest.approx(200 / 3) and s.light == "yellow"
    assert (s.projected_text, s.will_miss) == ("2部", True)
    assert s.explanation.reason == "1部送修"
    cumulative = ind("=3部", [kept], name="卫星电话年服务部数") | {"monitoring_kind": "累计"}
    c = monitor(project(indicators=[cumulative]), national, 7).indicators[0]
    assert c.accrual == "累计" and c.light == "green"  # 2 ÷ (3 × 7 ÷ 12) = 114.29


@pytest.mark.parametrize("name, target, accrual", [
    ("培训人次", "≥500人次", "累计"), ("设备在用数", "≥10台", "时点"), ("网络覆盖村数", "≥20个", "时点"),
    ("系统正常运行率", "≥95%", "时点"), ("满意度", "≥90%", "时点"), ("新建道路", "=5公里", "累计"),
])
def test_default_accrual_inference(name, target, accrual, national):
    got = monitor(project(indicators=[ind(target, [{"month": 6, "value": target.lstrip("≥=")}], name=name)]),
                  national, 6).indicators[0]
    assert got.accrual == accrual


def test_the_units_expected_value_is_the_projection(national):
    s = one("=3部", [{"month": 7, "value": "2部", "expected": "3部", "achievable": "有可能"}], 7, national)
    assert (s.projected_text, s.expected, s.will_miss, s.likelihood) == ("3部", True, False, "有可能")
    assert s.assumption == "单位预计"


def test_likelihood_words(national):
    assert one("≥10个", [{"month": 6, "value": "5个"}], 6, national).likelihood == "确定能"
    assert one("≥10个", [{"month": 6, "value": "2个"}], 6, national).likelihood == "有可能"
    assert one("≥10个", [{"month": 6, "value": "5个", "achievable": False}], 6, national).likelihood == "完全不可能"
    late = one("2023年3月底前", [], 6, national)
    assert (late.light, late.likelihood) == ("red", "完全不可能")


def test_a_note_explains_a_missing_value(national):
    m = monitor(project(indicators=[ind("≥90%", [{"month": 7, "note": "满意度调查安排在年末开展"}])]), national, 7)
    assert m.indicators[0].light is None and C.PROGRESS_MISSING not in {f.code for f in m.findings}
    bare = monitor(project(indicators=[ind("≥90%", [{"month": 6, "value": ""}])]), national, 7)
    assert C.PROGRESS_MISSING in {f.code for f in bare.findings}


@pytest.mark.parametrize("target, words, digits", [
    ("=12部", "六部", "6部"), ("≥1200人", "约六百人", "600人"), ("≥90%", "八成", "80%"), ("3-5次", "两次", "2次"),
    ("≥3个百分点", "一个百分点", "1个百分点"), ("≥10万元", "捌万元", "80000元"), ("≥2000人", "两千人", "2,000人"),
])
def test_progress_written_in_words_reads_as_its_figure(target, words, digits, national):
    """Issue 22: a month's progress in Chinese numerals has the light and progress of its digits."""
    by_words, by_digits = one(target, [{"month": 6, "value": words}], 6, national), \
        one(target, [{"month": 6, "value": digits}], 6, national)
    assert by_words.light is not None and by_words.light == by_digits.light
    assert by_words.progress == pytest.approx(by_digits.progress)


def test_progress_in_words_that_hold_no_figure_gets_no_light(national):
    assert one("=12部", [{"month": 6, "value": "已完成一半"}], 6, national).light is None
