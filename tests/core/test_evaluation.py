"""evaluate() on the bundled samples: the seed's claims recomputed, and the built-in problems found."""

import json
import subprocess
import sys

import pytest

from selfeval_lib import evaluate, load_project, to_dict

from conftest import ROOT, SAMPLES, SEED_SAMPLE


def run_json(path):
    out = subprocess.run([sys.executable, "-m", "selfeval_lib.cli", "evaluate", str(path), "--json"],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return out.stdout


@pytest.mark.integration
def test_seed_sample_recomputes_the_reports_claims():
    data = json.loads(run_json(SEED_SAMPLE))
    funds = data["funds"]
    assert funds["budget_full_year"] == 86200 and funds["executed"] == 86200
    assert funds["arrival_rate"] == 1.0            # 报告：资金到位率100%
    assert funds["execution_rate"] == 1.0
    assert funds["usage_rate"] == 1.0              # 报告：资金使用率100%
    assert funds["balance"] == 0                   # 报告：预算无结余
    assert funds["december_share"] == 1.0 and funds["q4_share"] == 1.0
    assert funds["monthly_cumulative_rate"] == [0.0] * 11 + [1.0]
    assert data["scores"]["grade"] == "优"         # 报告：总体评价优秀
    codes = {f["code"] for f in data["findings"]}
    assert "YEAR_END_SPENDING" in codes            # 报告：存在的问题“无”
    assert "SATISFACTION_NO_BASIS" in codes        # 95% with no sample size or method
    assert not codes & {"CLAIMED_FIGURE_MISMATCH", "CLAIMED_GRADE_MISMATCH", "APPROVAL_SIGNATURE_MISSING",
                        "APPROVAL_ESCALATION_MISSING"}


@pytest.mark.integration
def test_json_has_the_promised_shape_and_is_deterministic():
    first = run_json(SEED_SAMPLE)
    assert first == run_json(SEED_SAMPLE)
    data = json.loads(first)
    assert set(data["project"]) >= {"id", "name", "unit", "year"}
    assert set(data["funds"]) >= {"budget_initial", "budget_full_year", "arrived", "executed", "arrival_rate",
                                  "execution_rate", "usage_rate", "balance", "monthly_cumulative_rate",
                                  "q4_share", "december_share"}
    assert len(data["funds"]["monthly_cumulative_rate"]) == 12
    assert set(data["scores"]["execution"]) >= {"weight", "score"}
    for row in data["scores"]["indicators"]:
        assert set(row) >= {"level1", "level2", "name", "target", "actual", "weight", "score"}
    assert set(data["scores"]) >= {"total", "grade"}
    for finding in data["findings"]:
        assert set(finding) >= {"code", "severity", "message", "suggestion"}
    assert first == json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def test_total_is_the_sum_of_its_parts():
    for path in SAMPLES:
        ev = evaluate(*_loaded(path))
        assert ev.total == pytest.approx(ev.execution_score + sum(s.score for s in ev.indicators), abs=1e-12)
        assert ev.grade == ev.rules.grade_of(ev.total)


def _loaded(path):
    loaded = load_project(path)
    return loaded.project_year, loaded.rules


def test_adjusted_under_executed_sample():
    ev = evaluate(*_loaded(ROOT / "params/2023/dongqu-yjglj-aqpx.yaml"))
    assert ev.rules.name == "sichuan"
    assert float(ev.funds.budget_full_year) == 120000        # 150,000 − 30,000 adjustment
    assert ev.funds.execution_rate == pytest.approx(0.8)
    codes = {f.code for f in ev.findings}
    assert {"EXECUTION_LOW", "EXECUTION_REASON_MISSING", "CLAIMED_SCORE_MISMATCH", "TARGET_TOO_LOW",
            "DEDUCTION_WITHOUT_REASON"} <= codes


def test_cost_overrun_and_missing_approvals_sample():
    ev = evaluate(*_loaded(ROOT / "params/2023/dongqu-yjglj-slfh.yaml"))
    cost = next(s for s in ev.indicators if s.name == "防护装备单套成本")
    assert cost.direction == "reverse" and cost.score == pytest.approx(5 * 700 / 725)
    codes = [f.code for f in ev.findings]
    assert codes.count("APPROVAL_ESCALATION_MISSING") == 2
    assert {"APPROVAL_SIGNATURE_MISSING", "EXECUTED_MISMATCH", "ACTUAL_BLANK", "CLAIMED_FIGURE_MISMATCH"} <= set(codes)
    assert sum(not v.compliant for v in ev.vouchers) == 3


def test_evaluate_is_pure():
    project_year, rules = _loaded(SEED_SAMPLE)
    before = project_year.model_dump()
    assert to_dict(evaluate(project_year, rules)) == to_dict(evaluate(project_year, rules))
    assert project_year.model_dump() == before


def test_sample_findings_speak_the_shared_vocabulary():
    """Every finding of the samples is a FindingCode with the table's severity and suggestion
    (LEVEL1_WEIGHTS_DIFFER names its rule set in its own suggestion)."""
    from selfeval_lib.core.findings import CODES, FindingCode

    for path in SAMPLES:
        for f in evaluate(*_loaded(path)).findings:
            spec = CODES[FindingCode(f.code)]
            assert f.severity == spec.severity
            assert f.suggestion == spec.suggestion or f.code == FindingCode.LEVEL1_WEIGHTS_DIFFER
