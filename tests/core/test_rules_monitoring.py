"""The ``monitoring:`` section of a rule set (core/rules.py MonitoringRules)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from selfeval_lib.core.rules import MonitoringRules, RuleSet


def test_bundled_rule_sets_state_the_documented_defaults(national, sichuan):
    for rules in (national, sichuan):
        m = rules.monitoring
        assert m == MonitoringRules()  # the YAML writes out every default of docs/monitoring.md
        assert [(b.light, b.min) for b in m.execution_lights] == [("red", 0), ("yellow", 60), ("green", 80)]
        assert [(b.light, b.min) for b in m.positive_lights][-1] == ("blue", 120)
        assert [(c.month, c.rate) for c in m.checkpoints] == [(7, 0.4), (11, 0.8)]


@pytest.mark.parametrize("bands", [
    [{"light": "red", "min": 10}],                                     # does not start at 0
    [{"light": "red", "min": 0}, {"light": "green", "min": 80}, {"light": "yellow", "min": 60}],  # not ascending
    [{"light": "red", "min": 0}, {"light": "yellow", "min": 0}],       # repeated limit
    [],
])
def test_bands_must_ascend_from_zero(bands):
    with pytest.raises(ValidationError, match="递增"):
        MonitoringRules.model_validate({"execution_lights": bands})


def test_checkpoints_in_month_order():
    with pytest.raises(ValidationError, match="checkpoints"):
        MonitoringRules.model_validate({"checkpoints": [{"month": 11, "rate": 0.8}, {"month": 7, "rate": 0.4}]})
    with pytest.raises(ValidationError):
        MonitoringRules.model_validate({"checkpoints": [{"month": 13, "rate": 0.8}]})


def test_qualitative_lights_must_name_the_bands(national):
    data = national.model_dump()
    data["monitoring"]["qualitative_lights"] = {"达成": "green", "部分达成": "yellow"}
    with pytest.raises(ValidationError, match="qualitative_lights"):
        RuleSet.model_validate(data)


def test_a_rule_set_without_the_section_gets_the_defaults(national):
    data = national.model_dump(exclude={"monitoring"})
    assert RuleSet.model_validate(data).monitoring == MonitoringRules()


def test_changed_limits_change_the_lights(national):
    from conftest import make_project, pay

    from selfeval_lib.core.monitoring import monitor

    data = national.model_dump()
    data["monitoring"]["execution_lights"] = [{"light": "red", "min": 0}, {"light": "green", "min": 40}]
    custom = RuleSet.model_validate(data)
    # 50000 of 100000 spent by the end of the year: 执行进度 50
    py = make_project(funds={"payments": [pay(25000, ["经办人"], 3, "V1"), pay(25000, ["经办人"], 5, "V2")]})
    assert monitor(py, national, 12).execution.light == "red"
    assert monitor(py, custom, 12).execution.light == "green"
