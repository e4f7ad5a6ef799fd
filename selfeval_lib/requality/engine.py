"""Re-score one input by a 口径 (pure): every active rule applied to every indicator, the largest
share of the weight deducted (rules do not add up: an indicator scores at least 0), the
reviewer's overrides applied last; the 复核总分, the grades and the provincial warnings.

复核得分 = max(0, base − weight × share), where base is the recomputed score (``base:
recomputed``) or the unit's own (``base: self``): the same formula the 复核底稿 writes in its
cells.
"""

from __future__ import annotations

import dataclasses
import math

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core import vocabulary as vocab
from selfeval_lib.requality.checks import CHECKS, Context, reason_of
from selfeval_lib.requality.issues import as_written, indicator_findings, issues_of
from selfeval_lib.requality.kouqing import Kouqing
from selfeval_lib.requality.model import (
    EvidenceCheck,
    EvidenceStatus,
    IndicatorRequality,
    Requality,
    RequalityWarning,
    RuleHit,
    Supplement,
)
from selfeval_lib.requality.overrides import EvidenceRequest, Override
from selfeval_lib.requality.subject import Row, Subject

#: The code of the hit that explains a recomputed score differing from the unit's, and the 口径
#: entry it falls under (rule 11: the report and the table agree with the computation).
RECOMPUTE = "重算"
CLAIMS_ARTICLE = "11"
#: Checks that say an indicator is *not* deducted (rules 6 and 8): dropped when another rule deducts.
EXEMPTIONS = frozenset({"qualitative_quantity", "qualitative_benefit"})


#: The checks that read the evidence as absent: they deduct only when the evidence was requested
#: and is on record as not supplied; otherwise they name the indicator for 补报.
ABSENCE = frozenset({"no_evidence"})


def _hits(kouqing: Kouqing, ctx: Context, index: int, requested: str = "",
          wanted: list[str] | None = None) -> list[RuleHit]:
    """The rules that apply to row ``index``. Without a request on record (``requested`` empty), an
    absence check adds the row to ``wanted`` (the 补报 list) instead of deducting."""
    row = ctx.subject.rows[index]
    hits = []
    for rule in kouqing.active():
        applies = CHECKS[rule.check](rule, ctx, index)
        if applies is None:
            continue
        if rule.check in ABSENCE:
            if not requested:
                if wanted is not None:
                    wanted.append(row.name)
                continue
            applies = type(applies)(f"{applies.detail}（{requested}，逾期未补报）", applies.level)
        share = applies.level.share if applies.level else rule.share
        template = applies.level.reason if applies.level and applies.level.reason else rule.reason
        hits.append(RuleHit(rule.code, share, reason_of(template, rule, row, applies.detail, share), rule.heuristic,
                            rule.looks_at, rule.check, rule.cited))
    return hits


def _score(text: float | None) -> str:
    return "—" if text is None else fmt.score(text, trim=True)


def rescore_row(row: Row, hits: list[RuleHit], base_kind: str, evidence: tuple[EvidenceCheck, ...],
                overrides: list[Override]) -> tuple[IndicatorRequality, list[str]]:
    """One indicator: its hits (overridden rules removed), share, 复核得分; the sentences that
    record the overrides applied."""
    notes: list[str] = []
    off = {code for o in overrides for code in o.rules_off}
    for o in overrides:
        if o.rules_off:
            notes.append(f"复核人认定“{row.name}”不适用口径第{'、'.join(o.rules_off)}条：{o.reason}")
    hits = [h for h in hits if h.code not in off]
    if any(h.share > 0 for h in hits):  # "not deducted" exemptions do not stand beside a deduction
        hits = [h for h in hits if h.check not in EXEMPTIONS]
    base = row.recomputed if (base_kind == "recomputed" or row.self_score is None) and row.recomputed is not None \
        else row.self_score
    if row.self_score is not None and row.recomputed is not None and abs(row.self_score - row.recomputed) > vocab.SHOWN_GAP:
        hits.insert(0, RuleHit(RECOMPUTE, 0.0, f"“{row.name}”按评分规则重算为{_score(row.recomputed)}分"
                                                f"（自评{_score(row.self_score)}分）。", False, "评分规则", "", CLAIMS_ARTICLE))
    share = max((h.share for h in hits), default=0.0)
    main = next((h for h in hits if h.share == share and h.share > 0), None) or next(
        (h for h in hits if h.code == RECOMPUTE), None)
    weight = row.weight or 0.0
    score = None if base is None else max(0.0, base - weight * share)
    deduction = 0.0 if base is None or score is None else base - score
    overridden, override_reason = False, ""
    setting = next((o for o in reversed(overrides) if o.score is not None), None)
    if setting is not None and setting.score is not None:
        given = min(setting.score, weight) if row.weight is not None else setting.score
        notes.append(f"复核人将“{row.name}”的复核得分由{_score(score)}分改为{_score(given)}分：{setting.reason}")
        overridden, override_reason, score = True, setting.reason, given
        deduction = 0.0 if base is None else max(0.0, base - given)
    elif off:
        overridden, override_reason = True, "；".join(o.reason for o in overrides if o.rules_off)
    return IndicatorRequality(
        row=row.row, level1=row.level1, level2=row.level2, name=row.name, target=row.target, actual=row.actual,
        weight=row.weight, self_score=row.self_score, recomputed_score=row.recomputed, requality_score=score,
        share=share, deduction=deduction, rule_code=main.code if main else "", reason=main.reason if main else "",
        heuristic=bool(main and main.heuristic), overridden=overridden, override_reason=override_reason,
        deviation_reason=row.deviation_reason, hits=tuple(hits), evidence=evidence, base_score=base,
    ), notes


def provincial_warnings(subject: Subject, kouqing: Kouqing) -> tuple[RequalityWarning, ...]:
    """Red: (Σ indicator score / Σ indicator weight − execution score / execution weight) ÷
    (Σ indicator score / Σ indicator weight) > ``red_gap`` (the unit's own scores; the platform's
    90 and 10 are the table's weights). Yellow: budget 0, or more than ``unspent_share`` unspent."""
    w = kouqing.warnings
    out: list[RequalityWarning] = []
    scores = [(r.self_score, r.weight) for r in subject.rows]
    weight_sum = math.fsum(wt for _, wt in scores if wt)
    if (all(s is not None and wt for s, wt in scores) and weight_sum > 0 and subject.execution_weight
            and subject.execution_score is not None):
        indicator_share = math.fsum(s for s, _ in scores if s is not None) / weight_sum
        execution_share = subject.execution_score / subject.execution_weight
        if indicator_share > 0:
            gap = (indicator_share - execution_share) / indicator_share
            if gap > w.red_gap + vocab.SCORE_NOISE:
                out.append(RequalityWarning(
                    "red", "SCORE_OUTRUNS_SPENDING",
                    f"指标得分率{fmt.percent(indicator_share)}高于预算执行得分率{fmt.percent(execution_share)}，"
                    f"差距{fmt.percent(gap)}超过{fmt.percent(w.red_gap, 0)}（红色预警）。", gap, w.red_gap))
    if subject.budget is not None:
        if subject.budget <= 0:
            out.append(RequalityWarning("yellow", "BUDGET_ZERO", "全年预算数为0（黄色预警）。", 0.0, None))
        elif subject.executed is not None:
            unspent = 1 - subject.executed / subject.budget
            if unspent > w.unspent_share + vocab.SCORE_NOISE:
                out.append(RequalityWarning("yellow", "BUDGET_UNSPENT",
                                            f"预算未执行{fmt.percent(unspent)}，超过{fmt.percent(w.unspent_share, 0)}（黄色预警）。",
                                            unspent, w.unspent_share))
    return tuple(out)


def evidence_status(evidence: dict[int, tuple[EvidenceCheck, ...]], folder: bool, requested: str) -> EvidenceStatus:
    """Which evidence case applies: a request on record; evidence handed over (a file named or
    found, or an evidence folder beside the input); or no evidence information at all."""
    if requested:
        return "requested"
    return "provided" if folder or any(evidence.values()) else "not_provided"


def rescore(subject: Subject, kouqing: Kouqing, evidence: dict[int, tuple[EvidenceCheck, ...]],
            overrides: tuple[Override, ...] = (), input_names: tuple[str, ...] = (), *,
            evidence_folder: bool = False, requests: tuple[EvidenceRequest, ...] = ()) -> Requality:
    """The 复核 of ``subject`` by ``kouqing``, with the evidence found for each row and the
    reviewer's ``overrides`` (those whose ``source`` names another input are ignored; an input is
    named by its source, project id or name, or one of ``input_names``: its path, its file name).

    ``evidence_folder``: an evidence folder lies beside the input (evidence was handed over even if
    no file matched); ``requests``: the reviewer's record of 补报 requests whose deadline has
    passed — only for an input they name does the evidence rule zero an indicator without evidence;
    otherwise it gives one finding, the indicators to supply (:class:`Supplement`)."""
    ctx = Context(subject, evidence)
    keys = (subject.source, subject.project_id, subject.project, subject.source.rsplit("/", 1)[-1], *input_names)
    request = next((q for q in requests if q.matches(keys)), None)
    requested = request.sentence() if request is not None else ""
    indicators, notes = [], []
    wanted: list[str] = []
    used: set[int] = set()
    for index, row in enumerate(subject.rows):
        mine = [o for o in overrides if o.matches(row.name, keys)]
        used.update(id(o) for o in mine)
        result, said = rescore_row(row, _hits(kouqing, ctx, index, requested, wanted), kouqing.base,
                                   evidence.get(index, ()), mine)
        messages, requirements = indicator_findings(subject.notes, row.name, frozenset(h.check for h in result.hits))
        indicators.append(dataclasses.replace(result, findings=messages, requirements=requirements))
        notes.extend(said)
    absence = next((r for r in kouqing.active() if r.check in ABSENCE), None)
    missing = tuple(c.file for checks in evidence.values() for c in checks if not c.present)
    supplement = Supplement(absence.code, tuple(wanted), missing) if absence is not None and wanted else None
    readings = list(subject.readings)
    readings += [f"复核人改判“{o.indicator}”未找到对应指标，未采用。" for o in overrides
                 if id(o) not in used and (not o.source or o.source in keys)]
    execution = subject.execution_recomputed if subject.execution_recomputed is not None else subject.execution_score
    values = [i.requality_score for i in indicators]
    total = None if any(v is None for v in values) else math.fsum([execution or 0.0] + [v for v in values if v is not None])
    self_grade = subject.self_grade or (kouqing.grade_of(subject.self_total) if subject.self_total is not None else "")
    return Requality(
        source=subject.source, kind=subject.kind, rules=kouqing.name, unit=subject.unit,
        department=subject.department, project=subject.project, project_id=subject.project_id, year=subject.year,
        self_total=subject.self_total, requality_total=total, self_grade=self_grade,
        requality_grade=kouqing.grade_of(total) if total is not None else "", indicators=tuple(indicators),
        execution_rate=subject.execution_rate, execution_score=execution, execution_weight=subject.execution_weight,
        budget=subject.budget, executed=subject.executed, warnings=provincial_warnings(subject, kouqing),
        findings=tuple(RuleHit(CLAIMS_ARTICLE, 0.0, as_written(message), False, "报告（自评表）与计算一致") for message in subject.findings),
        texts=subject.texts, content=subject.content, overrides=tuple(notes), readings=tuple(readings),
        rules_title=kouqing.title, evidence_status=evidence_status(evidence, evidence_folder, requested),
        supplement=supplement, evidence_request=requested,
        issues=issues_of(subject, indicators), recomputed_total=subject.recomputed_total,
        self_execution=subject.self_execution,
    )
