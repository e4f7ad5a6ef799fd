"""Subjects of the 自评质量复核 built directly (no file read), for the engine's and the outputs' tests:
the bundled district and national 口径, one indicator row (:func:`row`), a subject of such rows
(:func:`subject`) and its re-scoring (:func:`run`), with evidence handed over unless told otherwise."""

from __future__ import annotations

from dataclasses import replace

from selfeval_lib.requality.engine import rescore
from selfeval_lib.requality.kouqing import load_kouqing
from selfeval_lib.requality.model import EvidenceCheck
from selfeval_lib.requality.overrides import EvidenceRequest
from selfeval_lib.requality.subject import Row, Subject

DISTRICT = load_kouqing("district")
NATIONAL = load_kouqing("national")
CONTENT = "安全生产宣传教育培训经费；开展企业主要负责人安全培训和安全生产宣传活动；培训讲师课酬、教材印制"
HAS = EvidenceCheck("evidence/a.pdf", "验收报告", "folder", True, "0" * 64, None)
#: The reviewer's record that the evidence was requested and the deadline passed.
REQUEST = EvidenceRequest(requested="2024-03-01", due="2024-03-15", notice="东财绩函〔2024〕3号")


def row(name: str = "培训企业主要负责人", level1: str = "产出指标", level2: str = "数量指标", target: str = "≥500人次",
        actual: str = "520人次", weight: float = 10, self_score: float | None = None,
        recomputed: float | None = None, reason: str = "") -> Row:
    score = weight if self_score is None else self_score
    return Row(1, level1, level2, name, target, actual, weight, score, score if recomputed is None else recomputed, reason)


def subject(*rows: Row, survey: bool = True, content: str = CONTENT, **changes) -> Subject:
    base = Subject(source="t.yaml", kind="params", unit="某局", department="某局", project="安全生产宣传教育培训经费",
                   project_id="p", year=2023, rows=tuple(rows), survey_basis=survey,
                   survey_detail="" if survey else "未提供满意度调查", self_total=None, self_grade="",
                   recomputed_total=None, execution_rate=1.0, execution_score=10, execution_recomputed=10,
                   execution_weight=10, budget=100.0, executed=100.0, content=content)
    return replace(base, **changes)


def run(*rows: Row, evidence: bool = True, kouqing=DISTRICT, overrides=(), requests=(), **changes):
    s = subject(*rows, **changes)
    ev = {i: (HAS,) for i in range(len(rows))} if evidence else {}
    return rescore(s, kouqing, ev, tuple(overrides), requests=tuple(requests))


def codes(result, index: int = 0) -> list[str]:
    return [h.code for h in result.indicators[index].hits]
