"""The one finding vocabulary: every code defined once in core/findings.py, with a severity;
the evaluation and the review name their findings with it and nothing else."""

import re

from selfeval_lib.core.evaluation import evaluate
from selfeval_lib.core.monitoring_model import MonitoringCode
from selfeval_lib.core.findings import CODES, SEVERITY_ORDER, SEVERITY_ZH, FindingCode, finding, sort_findings

from conftest import ROOT, make_project

PACKAGE = ROOT / "selfeval_lib"
QUOTED_CODE = re.compile(r"[\"']([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|ROUNDING)[\"']")


ALL_LIST = re.compile(r"^__all__ = \[.*?\]", re.S | re.M)


def _sources(*parts):
    for part in parts:
        yield from sorted((PACKAGE / part).rglob("*.py"))


def _code_text(path):
    """The module's text without its ``__all__`` list (names, not codes)."""
    return ALL_LIST.sub("", path.read_text(encoding="utf-8"))


def test_every_code_has_one_row():
    assert set(CODES) == set(FindingCode)
    assert all(spec.severity in SEVERITY_ORDER for spec in CODES.values())
    assert set(SEVERITY_ZH) == set(SEVERITY_ORDER)
    assert all(code.value == code.name for code in FindingCode)


def test_quoted_codes_in_core_and_review_are_members():
    """A quoted UPPER_CASE code in core/ or review/ is a member of FindingCode; the evaluation and
    the review modules write none at all (they name members)."""
    members = {c.value for c in FindingCode}
    monitoring = {c.value for c in MonitoringCode}
    for path in _sources("core", "review"):
        if path.name == "findings.py":
            continue
        if path.name == "monitoring_model.py":  # the mid-year monitoring's own vocabulary, defined there once
            assert set(QUOTED_CODE.findall(_code_text(path))) <= monitoring
            continue
        quoted = set(QUOTED_CODE.findall(_code_text(path)))
        assert quoted <= members, (path, quoted - members)
    for path in [*_sources("core"), PACKAGE / "review" / "recompute.py", PACKAGE / "review" / "rows.py"]:
        if path.name in ("findings.py", "monitoring_model.py"):
            continue
        assert not QUOTED_CODE.findall(_code_text(path)), path


def test_every_code_is_raised_somewhere():
    """No dead code in the vocabulary: each member is named in a check of core/ or review/."""
    named = set()
    for path in _sources("core", "review"):
        if path.name != "findings.py":
            named |= set(re.findall(r"\b(?:C|FindingCode)\.([A-Z][A-Z0-9_]+)\b", path.read_text(encoding="utf-8")))
    assert named == {c.name for c in FindingCode}, named ^ {c.name for c in FindingCode}


def test_finding_takes_severity_and_suggestion_from_the_table():
    f = finding(FindingCode.ACTUAL_BLANK, "未填。", "指标")
    assert (f.code, f.severity, f.suggestion, f.subject) == ("ACTUAL_BLANK", "high", CODES[FindingCode.ACTUAL_BLANK].suggestion, "指标")
    assert finding(FindingCode.LEVEL1_WEIGHTS_DIFFER, "x", suggestion="按规则").suggestion == "按规则"
    low, high = finding(FindingCode.TARGET_TOO_LOW, "b"), finding(FindingCode.ACTUAL_BLANK, "a")
    assert sort_findings([low, high]) == (high, low)


def test_evaluation_codes_are_members(national):
    py = make_project(funds={"payments": [{"date": "2023-12-10", "amount": 100000, "payee": "某公司", "item": "甲",
                                           "voucher": "V1", "approvals": ["经办人"]}]}, claims={"grade": "差"})
    found = evaluate(py, national).findings
    assert found and all(isinstance(f.code, FindingCode) and f.severity == CODES[f.code].severity for f in found)


def test_findings_are_sorted_and_carry_chinese_text(national):
    py = make_project(funds={"payments": [{"date": "2023-12-10", "amount": 100000, "payee": "某公司", "item": "甲", "voucher": "V1", "approvals": ["经办人"]}]}, claims={"grade": "差"})
    ev = evaluate(py, national)
    order = {"high": 0, "medium": 1, "low": 2}
    assert [order[f.severity] for f in ev.findings] == sorted(order[f.severity] for f in ev.findings)
    for f in ev.findings:
        assert f.message and f.suggestion
        assert any("\u4e00" <= ch <= "\u9fff" for ch in f.message + f.suggestion)
