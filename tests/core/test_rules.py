import pytest
from pydantic import ValidationError

from selfeval_lib.inputs.params import InputError, load_rule_set
from selfeval_lib.core.rules import RuleSet

from conftest import RULES_DIR


def test_national_defaults_match_rules_md(national):
    assert national.total == 100 and national.execution.weight == 10
    assert national.level1_weights == {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
    assert [(b.name, b.low, b.high) for b in national.qualitative_bands] == [
        ("达成", 0.8, 1.0), ("部分达成", 0.6, 0.8), ("未达成", 0.0, 0.6)]
    assert [(g.grade, g.min_score) for g in national.grades] == [("优", 90), ("良", 80), ("中", 60), ("差", 0)]
    assert national.approvals.every_voucher == ("经办人", "分管领导", "主要领导")
    assert [(t.min_amount, t.roles) for t in national.approvals.thresholds] == [(5000, ("党委会",)), (10000, ("分管区领导",))]
    assert national.reverse_formula == "ratio"


def test_sichuan_is_a_free_split_with_reason_below_90(sichuan):
    assert sichuan.level1_weights is None and sichuan.indicator_total == 90
    assert sichuan.execution.reason_required_below == 0.9


def test_inconsistent_rule_sets_are_refused(national):
    data = national.model_dump()
    data["level1_weights"] = {"产出指标": 60, "效益指标": 30, "满意度指标": 10}
    with pytest.raises(ValidationError):
        RuleSet.model_validate(data)
    data = national.model_dump()
    data["grades"] = list(reversed(data["grades"]))
    with pytest.raises(ValidationError):
        RuleSet.model_validate(data)


def test_rule_set_file_errors_name_the_field(tmp_path):
    text = (RULES_DIR / "national.yaml").read_text(encoding="utf-8").replace("reverse_formula: ratio", "reverse_formula: cubic")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_rule_set(bad)
    assert info.value.problems[0].field == "reverse_formula"


def test_model_defaults_equal_the_rule_files(national, sichuan):
    """No rule-set number hides in code: the model's defaults are the files' values."""
    from selfeval_lib.core.rules import ProblemThresholds

    assert ProblemThresholds() == national.problems == sichuan.problems
    assert national.problems.arrival_delay_days_max == 90
    assert national.problems.review_score_tolerance == 0.005
    text = (RULES_DIR / "national.yaml").read_text(encoding="utf-8")
    for key in ProblemThresholds.model_fields:
        assert f"  {key}:" in text, key
