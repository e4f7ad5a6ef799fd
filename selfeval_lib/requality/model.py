"""What a 自评质量复核 returns for one input (a params file or a published 自评表): the typed
results the outputs (复核意见, 复核底稿, JSON) and the summary across a jurisdiction are made of.

Plain frozen dataclasses, no logic beyond derived properties and :meth:`Requality.to_dict`.
Scores are points (full precision); ``share`` is the part of an indicator's weight deducted
(0.0 – 1.0); amounts are 元 (``float``, as exact as the input: the summary only ranks by them).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

#: Where a result came from: a params file, or a published table (any form the readers read).
InputKind = Literal["params", "table"]
#: How an indicator's evidence file was found: named by the input (manifest) or matched by name
#: in an evidence folder beside the input.
MatchedBy = Literal["manifest", "folder"]
#: The provincial platform's warnings.
WarningLevel = Literal["red", "yellow"]


@dataclass(frozen=True, slots=True)
class EvidenceCheck:
    """One evidence file of an indicator as the 复核 found it: present or not, its SHA-256 as
    computed (``None`` when the file is missing) and as declared (``None`` when not declared)."""

    file: str
    description: str
    matched_by: MatchedBy
    present: bool
    sha256: str | None = None
    declared_sha256: str | None = None

    @property
    def hash_mismatch(self) -> bool:
        return bool(self.declared_sha256 and self.sha256 and self.declared_sha256 != self.sha256)


@dataclass(frozen=True, slots=True)
class RuleHit:
    """A rule of the 口径 that applies to an indicator (or to the whole input): its code, the share
    of the weight it deducts (0.0 for a rule that only flags, e.g. completion above 130%), the
    reason in Chinese, whether it was decided by a listed heuristic, and the 口径 check it ran."""

    code: str
    share: float
    reason: str
    heuristic: bool = False
    looks_at: str = ""
    check: str = ""


@dataclass(frozen=True, slots=True)
class IndicatorRequality:
    """One indicator re-scored: 自评得分 against 复核得分, the deduction (points) and the rule that
    decided it (the hit with the largest share; ``hits`` lists every rule that applied, flags
    included). ``overridden``: a reviewer's override set the score or turned rules off
    (``override_reason`` says why). ``base_score``: what the 口径's share is deducted from (the
    recomputed score, or the unit's own); 复核得分 = max(0, base_score − weight × share)."""

    row: int | str | None
    level1: str
    level2: str
    name: str
    target: str
    actual: str
    weight: float | None
    self_score: float | None
    recomputed_score: float | None
    requality_score: float | None
    share: float
    deduction: float
    rule_code: str
    reason: str
    heuristic: bool
    overridden: bool = False
    override_reason: str = ""
    deviation_reason: str = ""
    hits: tuple[RuleHit, ...] = ()
    evidence: tuple[EvidenceCheck, ...] = ()
    base_score: float | None = None

    @property
    def gap(self) -> float | None:
        """自评得分 − 复核得分 (points the unit over-scored)."""
        if self.self_score is None or self.requality_score is None:
            return None
        return self.self_score - self.requality_score


@dataclass(frozen=True, slots=True)
class RequalityWarning:
    """A provincial warning: ``red`` (indicator scores outrun the spending), ``yellow`` (budget 0
    or more than 20% unspent); ``value`` the figure compared with ``limit``."""

    level: WarningLevel
    code: str
    message: str
    value: float | None = None
    limit: float | None = None


@dataclass(frozen=True, slots=True)
class ProjectText:
    """A paragraph of the input that the summary compares across units: ``field`` says where it
    stands (``overall_goal``, ``indicator:<name>:actual``, ``deviation_reason:<name>``,
    ``narrative.benefits`` …)."""

    field: str
    text: str


@dataclass(frozen=True, slots=True)
class Requality:
    """The 复核 of one input by one 口径.

    ``self_total`` / ``self_grade``: what the unit published or claimed (for params without a
    claim, the recomputation); ``requality_total`` / ``requality_grade``: after the 口径's
    deductions and the reviewer's overrides. ``execution_score`` / ``execution_weight``: the
    预算执行率 line (None when the table has none). ``content``: the project's name, items and
    their purposes (what the indicators and texts should be about). ``findings``: rules on the
    whole input (report against table, warnings as rule hits …). ``yoy``: sentences comparing
    with the same project's previous year, when it was among the inputs.
    """

    source: str
    kind: InputKind
    rules: str
    unit: str
    department: str
    project: str
    project_id: str
    year: int | None
    self_total: float | None
    requality_total: float | None
    self_grade: str
    requality_grade: str
    indicators: tuple[IndicatorRequality, ...]
    execution_rate: float | None = None
    execution_score: float | None = None
    execution_weight: float | None = None
    budget: float | None = None
    executed: float | None = None
    warnings: tuple[RequalityWarning, ...] = ()
    findings: tuple[RuleHit, ...] = ()
    texts: tuple[ProjectText, ...] = ()
    content: str = ""
    overrides: tuple[str, ...] = ()
    yoy: tuple[str, ...] = ()
    readings: tuple[str, ...] = ()
    rules_title: str = ""

    @property
    def gap(self) -> float | None:
        """自评总分 − 复核总分."""
        if self.self_total is None or self.requality_total is None:
            return None
        return self.self_total - self.requality_total

    @property
    def deducted(self) -> tuple[IndicatorRequality, ...]:
        """The indicators that lost points, the largest deduction first (then by row order)."""
        order = {id(i): n for n, i in enumerate(self.indicators)}
        return tuple(sorted((i for i in self.indicators if i.deduction > 0),
                            key=lambda i: (-i.deduction, order[id(i)])))

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (every field, derived gaps included)."""
        data = dataclasses.asdict(self)
        data["gap"] = self.gap
        for item, ind in zip(data["indicators"], self.indicators, strict=True):
            item["gap"] = ind.gap
            for check, ev in zip(item["evidence"], ind.evidence, strict=True):
                check["hash_mismatch"] = ev.hash_mismatch
        return data


__all__ = ["EvidenceCheck", "IndicatorRequality", "InputKind", "MatchedBy", "ProjectText", "Requality",
           "RequalityWarning", "RuleHit", "WarningLevel"]
