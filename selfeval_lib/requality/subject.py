"""One input as the 复核 sees it (:class:`Subject`), whether it came from a params file (its
evaluation) or a published table (its review): the indicators with the unit's and the
recomputed scores, the execution line, the survey basis, the project's content and its texts.

Pure: built from already read and evaluated models.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from selfeval_lib.core import vocabulary as vocab
from selfeval_lib.core.evaluation import Evaluation
from selfeval_lib.core.findings import CODES, Finding
from selfeval_lib.core.indicator_checks import has_survey_basis
from selfeval_lib.core.model import Evidence
from selfeval_lib.requality.model import InputKind, ProjectText
from selfeval_lib.review.cells import amount_cell, number_cell_or_none
from selfeval_lib.review.table import Review


@dataclass(frozen=True, slots=True)
class Row:
    """An indicator: as written, the unit's score (``self_score``) and the recomputed one."""

    row: int | str | None
    level1: str
    level2: str
    name: str
    target: str
    actual: str
    weight: float | None
    self_score: float | None
    recomputed: float | None
    deviation_reason: str = ""
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Subject:
    source: str
    kind: InputKind
    unit: str
    department: str
    project: str
    project_id: str
    year: int | None
    rows: tuple[Row, ...]
    survey_basis: bool
    survey_detail: str
    self_total: float | None
    self_grade: str
    recomputed_total: float | None
    execution_rate: float | None = None
    execution_score: float | None = None
    execution_recomputed: float | None = None
    execution_weight: float | None = None
    budget: float | None = None
    executed: float | None = None
    content: str = ""
    texts: tuple[ProjectText, ...] = ()
    findings: tuple[str, ...] = ()
    readings: tuple[str, ...] = field(default_factory=tuple)
    #: Every finding of the evaluation (or the table's review), an indicator's named by its
    #: ``subject`` (the indicator's name); the 复核意见 reports each with its basis and deduction.
    notes: tuple[Finding, ...] = ()
    #: The unit's own 预算执行率 score (None when the unit stated none).
    self_execution: float | None = None
    #: What was paid for each content item (item name, 元), from the payment ledger; empty for a
    #: published table, which has none.
    spending: tuple[tuple[str, float], ...] = ()


def _texts(pairs: list[tuple[str, str]]) -> tuple[ProjectText, ...]:
    return tuple(ProjectText(k, v.strip()) for k, v in pairs if v and v.strip())


def _survey_detail(present: bool, sample_size: float | None, method: str) -> str:
    if not present:
        return "未提供满意度调查"
    missing = [label for label, ok in (("样本量", bool(sample_size)), ("调查方式", bool(method.strip()))) if not ok]
    return "调查未写明" + "、".join(missing) if missing else ""




def _claimed(given: float | None, weight: float, computed: float, claim: float | None, full: float) -> float | None:
    """The unit's own score of a line: the score it wrote; else, when it claims no total, the
    computed one (its report states the computation); when it claims full marks, the line's
    weight; otherwise unknown (None)."""
    if given is not None:
        return given
    if claim is None:
        return computed
    return weight if abs(claim - full) < vocab.SHOWN_GAP else None


def _spending(payments) -> tuple[tuple[str, float], ...]:
    """The ledger's payments summed by content item (元), in the items' first-paid order."""
    paid: dict[str, float] = {}
    for pay in payments:
        paid[pay.item] = paid.get(pay.item, 0.0) + float(pay.amount)
    return tuple(paid.items())


def from_evaluation(ev: Evaluation, source: str) -> Subject:
    """A params file's evaluation: the unit's own scores are those its report states — the scores
    it wrote, full marks on every line when it claims the full total, the evaluation's when it
    claims no total (None where it claimed a total without saying how it was made up)."""
    py = ev.project_year
    p = py.project
    claim = py.claims.total_score
    full = ev.execution_weight + sum(ind.weight for ind in py.indicators)
    rows = tuple(
        Row(i + 1, ind.level1, ind.level2, ind.name, ind.target, ind.actual, ind.weight,
            _claimed(ind.score, ind.weight, s.score, claim, full), s.score, ind.deviation_reason, tuple(ind.evidence))
        for i, (ind, s) in enumerate(zip(py.indicators, ev.indicators, strict=True))
    )
    survey = py.survey
    basis = survey is not None and has_survey_basis(survey.sample_size, survey.method)
    detail = _survey_detail(survey is not None, survey.sample_size if survey else None, survey.method if survey else "")
    self_total = py.claims.total_score if py.claims.total_score is not None else ev.total
    content = "；".join([p.name, p.overall_goal] + [f"{i.name}{i.purpose}" for i in p.items])
    n = py.narrative
    texts = _texts([("overall_goal", p.overall_goal), ("funds.execution_shortfall_reason", py.funds.execution_shortfall_reason)]
                   + [(f"narrative.{k}", getattr(n, k)) for k in type(n).model_fields]
                   + [(f"indicator:{ind.name}:actual", ind.actual) for ind in py.indicators if len(ind.actual) > 12]
                   + [(f"deviation_reason:{ind.name}", ind.deviation_reason) for ind in py.indicators])
    findings = tuple(f.message for f in ev.findings if f.code.startswith("CLAIM"))
    f = ev.funds
    return Subject(
        source=source, kind="params", unit=p.unit, department=p.department, project=p.name, project_id=p.id,
        year=p.year, rows=rows, survey_basis=basis, survey_detail=detail, self_total=self_total,
        self_grade=py.claims.grade or ev.rules.grade_of(self_total), recomputed_total=ev.total,
        execution_rate=f.execution_rate, execution_score=ev.execution_score, execution_recomputed=ev.execution_score,
        execution_weight=ev.execution_weight,
        budget=float(f.budget_full_year) if f.budget_full_year is not None else None,
        executed=float(f.executed) if f.executed is not None else None,
        content=content, texts=texts, findings=findings,
        readings=(f"评分规则集：{ev.rules.title}。",), notes=tuple(ev.findings),
        self_execution=_claimed(None, ev.execution_weight, ev.execution_score, claim, full),
        spending=_spending(py.funds.payments),
    )


def from_review(review: Review) -> Subject:
    """A published table's review: the unit's scores as printed, the review's recomputation."""
    table = review.table
    indicator_rows = [r for r in review.rows if r.kind != "execution"]
    execution = next((r for r in review.rows if r.kind == "execution"), None)
    rows = tuple(
        Row(rs.row, ind.level1, ind.level2, ind.name, ind.target, ind.actual, rs.weight, rs.published, rs.recomputed,
            ind.deviation_reason, tuple(ind.evidence))
        for ind, rs in zip(table.indicators, indicator_rows, strict=True)
    )
    survey = table.survey
    size = number_cell_or_none(survey.sample_size) if survey else None
    method = survey.method if survey else ""
    budget = executed = None
    if table.funds is not None:
        unit = table.funds.amount_unit
        for attr in ("budget_full_year", "executed"):
            try:
                value = amount_cell(getattr(table.funds, attr), unit)
                value = None if value is None else value * (10_000 if unit == "万元" else 1)
            except ValueError:
                value = None
            if attr == "budget_full_year":
                budget = value
            else:
                executed = value
    h = table.project
    texts = _texts([("funds.reason", table.funds.reason if table.funds else "")]
                   + [(f"indicator:{ind.name}:actual", ind.actual) for ind in table.indicators if len(ind.actual) > 12]
                   + [(f"deviation_reason:{ind.name}", ind.deviation_reason) for ind in table.indicators])
    high = tuple(f.message for f in review.findings if f.severity == "high")
    names = {rs.row: ind.name for ind, rs in zip(table.indicators, indicator_rows, strict=True)}
    notes = tuple(Finding(f.code, f.severity, f.message, CODES[f.code].suggestion, names.get(f.row, ""))
                  for f in review.findings)
    return Subject(
        source=table.source + (f"（{table.sheet}）" if table.sheet else ""), kind="table", unit=h.unit,
        department=h.department, project=h.name, project_id=h.name, year=h.year, rows=rows,
        survey_basis=survey is not None and has_survey_basis(size, method),
        survey_detail=_survey_detail(survey is not None, size, method),
        self_total=review.published_total, self_grade=review.published_grade,
        recomputed_total=review.recomputed_total, execution_rate=review.execution_rate,
        execution_score=execution.published if execution else None,
        execution_recomputed=execution.recomputed if execution else None,
        execution_weight=execution.weight if execution else None, budget=budget, executed=executed,
        content=h.name, texts=texts, findings=high, readings=tuple(review.readings), notes=notes,
        self_execution=execution.published if execution else None,
    )
