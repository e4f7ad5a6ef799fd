"""What a 自评质量复核 returns for one input (a params file or a published 自评表): the typed
results the outputs (复核意见, 复核底稿, JSON) and the summary across a jurisdiction are made of.

Plain frozen dataclasses, no logic beyond derived properties and :meth:`Requality.to_dict`.
Scores are points (full precision); ``share`` is the part of an indicator's weight deducted
(0.0 – 1.0); amounts are 元 (``float``, as exact as the input: the summary only ranks by them).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

#: Where a result came from: a params file, or a published table (any form the readers read).
InputKind = Literal["params", "table"]
#: How an indicator's evidence file was found: named by the input (manifest) or matched by name
#: in an evidence folder beside the input.
MatchedBy = Literal["manifest", "folder"]
#: The provincial platform's warnings.
WarningLevel = Literal["red", "yellow"]
#: What the 复核 knows of an input's evidence (docs/requality.md, “佐证材料”):
#: ``not_provided`` — the input carries no evidence information at all (no file named, no evidence
#: folder beside it, no request on record): the evidence rule asks for 补报 and deducts nothing;
#: ``provided`` — evidence was handed over (a manifest or a folder): the files are checked, the
#: indicators without any are listed for 补报, nothing deducted for their absence;
#: ``requested`` — the reviewer's record says the evidence was requested and its deadline has passed:
#: an indicator without evidence scores 0 by the evidence rule.
EvidenceStatus = Literal["not_provided", "provided", "requested"]


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
    #: The 口径 entry the documents cite (a sub-rule such as ``1A`` cites entry 1).
    article: str = ""

    @property
    def cited(self) -> str:
        return self.article or self.code


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
    #: The evaluation's (or the review's) findings about this indicator, and what they ask of the unit.
    findings: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()

    @property
    def gap(self) -> float | None:
        """自评得分 − 复核得分 (points the unit over-scored)."""
        if self.self_score is None or self.requality_score is None:
            return None
        return self.self_score - self.requality_score


@dataclass(frozen=True, slots=True)
class RequalityWarning:
    """A provincial warning: ``red`` (indicator scores outrun the spending), ``yellow`` (budget 0
    or more of it unspent than the 口径's ``unspent_share``); ``value`` the figure compared with
    ``limit``."""

    level: WarningLevel
    code: str
    message: str
    value: float | None = None
    limit: float | None = None


@dataclass(frozen=True, slots=True)
class Issuance:
    """Who issues the bureau's documents and when: ``reviewer`` (复核单位, the 复核意见's 落款),
    ``bureau`` (the 通报's 落款), ``date`` and the 通报's 文号 (``number``). Blank ones are left as
    lines to fill by hand; the deadlines count from ``date`` (from receipt when there is none)."""

    reviewer: str = ""
    bureau: str = ""
    date: dt.date | None = None
    number: str = ""


@dataclass(frozen=True, slots=True)
class Letter:
    """A bureau's document as :func:`selfeval_lib.render.requality_office.letter_docx` writes it (the 复核意见, the
    通报): title, 主送, opening, sections (heading, paragraphs; a paragraph "（一）…" is a
    sub-heading), 附件 line, 落款 (issuer, date) and the annex table's title."""

    title: str
    addressee: str
    intro: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]
    annex_note: str
    signature: tuple[str, str]
    annex_title: str


@dataclass(frozen=True, slots=True)
class Issue:
    """A finding of the evaluation (or of the table's review) that the 复核意见 reports beside the
    indicator deductions: payment approvals, year-end spending, execution, unit costs or claims
    that contradict the figures. ``basis``: what it is judged by, in words (口径第11条, 评分规则的
    预算执行率 …); ``deduction``: the points it costs the 复核总分 (0 when it is not scored);
    ``requirement``: what the unit must do (整改要求)."""

    topic: str
    text: str
    basis: str
    deduction: float
    requirement: str
    severity: str = "medium"
    code: str = ""


@dataclass(frozen=True, slots=True)
class Supplement:
    """The evidence rule's one finding when evidence was not handed over (or not for every
    indicator) and no request is on record: the indicators whose 佐证材料 must be supplied (补报).
    ``rule``: the 口径 entry that will zero them if they are not supplied."""

    rule: str
    indicators: tuple[str, ...]
    missing_files: tuple[str, ...] = ()


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
    evidence_status: EvidenceStatus = "not_provided"
    supplement: Supplement | None = None
    evidence_request: str = ""
    issues: tuple[Issue, ...] = ()
    recomputed_total: float | None = None
    self_execution: float | None = None

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


__all__ = ["EvidenceCheck", "EvidenceStatus", "IndicatorRequality", "InputKind", "Issuance", "Issue", "Supplement", "MatchedBy", "ProjectText", "Requality",
           "RequalityWarning", "RuleHit", "WarningLevel"]
