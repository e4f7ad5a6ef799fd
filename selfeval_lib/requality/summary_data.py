"""The summary of a 自评质量复核 across a jurisdiction, as data (pure; written by :mod:`.summary`).

:func:`summarise`: from the :class:`~selfeval_lib.requality.model.Requality` results of
many units and projects it ranks the units whose 自评 exceeds the 复核 by the most, lists the units
whose every project scored 100 (自评流于形式), counts the deductions by rule and the provincial
warnings, finds text copied across reports (:mod:`.copies`) and draws the seeded sample for 抽查
(:mod:`.sampling`).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from selfeval_lib.core import vocabulary as vocab
from selfeval_lib.core.vocabulary import GRADES
from selfeval_lib.requality.copies import (
    CopyPair,
    ForeignNoun,
    IndicatorSet,
    Passage,
    find_copies,
    foreign_nouns,
    shared_indicator_sets,
)
from selfeval_lib.requality.issues import TOPIC_ORDER
from selfeval_lib.requality.kouqing import Warnings
from selfeval_lib.requality.model import Requality
from selfeval_lib.requality.sampling import Candidate, Sample, draw_sample

#: A 自评总分 this close to 100 counts as 100 (tables print one or two decimals).
FULL_MARKS = 100 - vocab.SHOWN_GAP
#: The bands of 自评 − 复核 (points) the summary counts projects in: not higher, then up to 5,
#: 10, 20, 30, and above.
GAP_BANDS = (5.0, 10.0, 20.0, 30.0)


def gap_band(gap: float) -> str:
    """The band of a gap (自评 − 复核, points): "未高出", "0–5分" … "30分以上"."""
    if gap <= vocab.SHOWN_GAP:
        return "未高出"
    low = 0.0
    for high in GAP_BANDS:
        if gap <= high + vocab.SHOWN_GAP:
            return f"{low:g}–{high:g}分"
        low = high
    return f"{low:g}分以上"


def gap_bands() -> tuple[str, ...]:
    """Every band's label, in order."""
    return ("未高出", *(gap_band(b) for b in GAP_BANDS), gap_band(GAP_BANDS[-1] + 1))


@dataclass(frozen=True, slots=True)
class UnitRow:
    """One unit across its projects: means of 自评 and 复核 totals, the gap (自评 − 复核: total
    over projects, mean and largest, with the project), amounts, warnings and its commonest rules."""

    unit: str
    department: str
    projects: int
    budget: float
    self_mean: float | None
    requality_mean: float | None
    gap_total: float
    gap_mean: float | None
    gap_max: float | None
    worst_project: str
    all_hundred: bool
    red: int
    yellow: int
    deducted: int
    rules: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class DeductionRow:
    """A rule of the 口径 by how often it deducted: indicators, share of all deducted indicators,
    points, and the units most concerned."""

    code: str
    looks_at: str
    count: int
    share: float
    points: float
    heuristic: bool
    units: tuple[tuple[str, int], ...]
    #: The 口径 entry the documents cite (``1A`` is cited as entry 1), and one case: (unit,
    #: project, indicator) of the largest deduction.
    article: str = ""
    example: tuple[str, str, str] = ("", "", "")


@dataclass(frozen=True, slots=True)
class ProjectRow:
    """One result as the 通报's annex lists it: unit, project, 自评 and 复核 totals and grades."""

    department: str
    unit: str
    project: str
    self_total: float | None
    self_grade: str
    requality_total: float | None
    requality_grade: str
    evidence_status: str

    @property
    def gap(self) -> float | None:
        """自评总分 − 复核总分."""
        if self.self_total is None or self.requality_total is None:
            return None
        return self.self_total - self.requality_total


@dataclass(frozen=True, slots=True)
class TopicRow:
    """A kind of finding beside the indicators (资金支付审批, 支出进度, 自评与计算不符 …) by how many
    projects have it, the units concerned and one case (unit, project, the finding's first sentence)."""

    topic: str
    projects: int
    units: tuple[str, ...]
    example: tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class WarningRow:
    """A provincial warning (level, code) by how many projects have it, and which units."""

    level: str
    code: str
    count: int
    units: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Summary:
    """Everything the summary's outputs show (see the module docstring)."""

    rules: tuple[str, ...]
    results: int
    units: int
    departments: int
    years: tuple[int, ...]
    budget: float
    executed: float
    indicators: int
    deducted: int
    self_mean: float | None
    requality_mean: float | None
    unit_rows: tuple[UnitRow, ...]
    over_scoring: tuple[UnitRow, ...]
    all_hundred: tuple[UnitRow, ...]
    deductions: tuple[DeductionRow, ...]
    warnings: tuple[WarningRow, ...]
    copies: tuple[CopyPair, ...]
    indicator_sets: tuple[IndicatorSet, ...]
    foreign: tuple[ForeignNoun, ...]
    sample: Sample
    yoy: tuple[tuple[str, str, str], ...]
    grade_drops: tuple[tuple[str, str, str, str], ...]  # (unit, project, 自评等级, 复核等级)
    #: How many results fall in each evidence case (``not_provided``, ``provided``, ``requested``).
    evidence: tuple[tuple[str, int], ...] = ()
    #: The units some of whose projects came without any evidence (asked for 补报, not zeroed), and
    #: how many indicators are to be supplied across all results.
    evidence_units: tuple[str, ...] = ()
    supplement_indicators: int = 0
    #: (unit, project, evidence case, indicators to supply) of every result asked for 补报.
    supplements: tuple[tuple[str, str, str, int], ...] = ()
    #: Every result for the 通报's annex (by department, unit, project), the findings beside the
    #: indicators by topic, and the 口径's titles as the documents name them.
    projects: tuple[ProjectRow, ...] = ()
    topics: tuple[TopicRow, ...] = ()
    rules_titles: tuple[str, ...] = ()
    #: The 口径's provincial-warning thresholds the results were judged by (fractions).
    red_gap: float = Warnings().red_gap
    unspent_share: float = Warnings().unspent_share

    def grade_counts(self, which: str = "requality") -> tuple[tuple[str, int], ...]:
        """How many results have each grade (``which``: "requality" or "self"), best first, only
        the grades that occur."""
        grades = Counter(p.requality_grade if which == "requality" else p.self_grade for p in self.projects)
        return tuple((g, grades[g]) for g in GRADES if grades[g])

    def gap_counts(self) -> tuple[tuple[str, int], ...]:
        """How many results fall in each band of 自评 − 复核 (:data:`GAP_BANDS`), every band listed."""
        bands = Counter(gap_band(p.gap) for p in self.projects if p.gap is not None)
        return tuple((b, bands[b]) for b in gap_bands())

    @property
    def copy_units(self) -> list[str]:
        """Every unit named in a copied passage, a shared indicator set or a noun from another field."""
        units = {p.first.unit for p in self.copies} | {p.second.unit for p in self.copies}
        units |= {u for s in self.indicator_sets for u in s.units} | {f.passage.unit for f in self.foreign}
        return sorted(units)


def _mean(values: Sequence[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def _passages(r: Requality) -> list[Passage]:
    """The result's texts, one passage per paragraph (a copied paragraph inside a longer text is
    compared on its own); the project is named by its source, unique among the inputs."""
    return [Passage(r.unit, r.source, r.project, t.field, para.strip())
            for t in r.texts for para in t.text.splitlines() if para.strip()]


def _indicator_passages(r: Requality) -> list[Passage]:
    return [Passage(r.unit, r.source, r.project, f"indicator:{i.name}", f"{i.name} {i.target} {i.actual}")
            for i in r.indicators]


def _unit_rows(results: Sequence[Requality]) -> list[UnitRow]:
    by_unit: dict[str, list[Requality]] = defaultdict(list)
    for r in results:
        by_unit[r.unit].append(r)
    rows = []
    for unit in sorted(by_unit):
        group = by_unit[unit]
        gaps = [(r.gap, r.project) for r in group if r.gap is not None]
        selfs = [r.self_total for r in group if r.self_total is not None]
        rules = Counter(i.rule_code for r in group for i in r.indicators if i.deduction > 0 and i.rule_code)
        worst = max(gaps, key=lambda g: (g[0], g[1]), default=(None, ""))
        rows.append(UnitRow(
            unit=unit, department=min(r.department for r in group), projects=len(group),
            budget=math.fsum(r.budget or 0.0 for r in group), self_mean=_mean(selfs),
            requality_mean=_mean([r.requality_total for r in group if r.requality_total is not None]),
            gap_total=math.fsum(g for g, _ in gaps), gap_mean=_mean([g for g, _ in gaps]), gap_max=worst[0],
            worst_project=worst[1], all_hundred=bool(selfs) and len(selfs) == len(group) and min(selfs) >= FULL_MARKS,
            red=sum(w.level == "red" for r in group for w in r.warnings),
            yellow=sum(w.level == "yellow" for r in group for w in r.warnings),
            deducted=sum(rules.values()), rules=tuple(sorted(rules.items(), key=lambda kv: (-kv[1], kv[0]))[:3])))
    return rows


def _deductions(results: Sequence[Requality]) -> tuple[list[DeductionRow], int, int]:
    counts: Counter[str] = Counter()
    points: dict[str, list[float]] = defaultdict(list)
    units: dict[str, Counter[str]] = defaultdict(Counter)
    looks_at: dict[str, str] = {}
    heuristic: dict[str, bool] = {}
    articles: dict[str, str] = {}
    examples: dict[str, tuple[float, tuple[str, str, str]]] = {}
    total = deducted = 0
    for r in results:
        for i in r.indicators:
            total += 1
            if i.deduction <= 0:
                continue
            deducted += 1
            code = i.rule_code or "—"
            counts[code] += 1
            points[code].append(i.deduction)
            units[code][r.unit] += 1
            heuristic[code] = heuristic.get(code, False) or i.heuristic
            hit = next((h for h in i.hits if h.code == i.rule_code and h.looks_at), None)
            if hit is not None:
                looks_at.setdefault(code, hit.looks_at)
                articles.setdefault(code, hit.article or hit.code)
            if code not in examples or i.deduction > examples[code][0]:
                examples[code] = (i.deduction, (r.unit, r.project, i.name))
    rows = [DeductionRow(code, looks_at.get(code, ""), n, n / deducted, math.fsum(points[code]), heuristic[code],
                         tuple(sorted(units[code].items(), key=lambda kv: (-kv[1], kv[0]))),
                         articles.get(code, code), examples[code][1])
            for code, n in counts.items()]
    return sorted(rows, key=lambda d: (-d.count, d.code)), total, deducted


def _topics(results: Sequence[Requality]) -> list[TopicRow]:
    """The findings beside the indicators (money, claims against the figures) by topic, in the
    order the 复核意见 reports them; a project counts once per topic."""
    found: dict[str, list[tuple[Requality, str]]] = defaultdict(list)
    for r in results:
        seen: set[str] = set()
        for issue in r.issues:
            if issue.topic in TOPIC_ORDER and issue.topic not in seen:
                seen.add(issue.topic)
                first = issue.text.split("。")[0]
                head, colon, rest = first.partition("：")
                found[issue.topic].append((r, rest if colon and len(head) <= 10 else first))
    rows = []
    for topic in TOPIC_ORDER:
        if found.get(topic):
            first, text = found[topic][0]
            rows.append(TopicRow(topic, len(found[topic]), tuple(sorted({r.unit for r, _ in found[topic]})),
                                 (first.unit, first.project, text)))
    return rows


def _warnings(results: Sequence[Requality]) -> list[WarningRow]:
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in results:
        for w in r.warnings:
            groups[(w.level, w.code)].append(r.unit)
    order = {"red": 0, "yellow": 1}
    return [WarningRow(level, code, len(units), tuple(sorted(set(units))))
            for (level, code), units in sorted(groups.items(), key=lambda kv: (order.get(kv[0][0], 2), kv[0][1]))]


def _risk_counts(copies: Sequence[CopyPair], sets: Sequence[IndicatorSet], foreign: Sequence[ForeignNoun]) -> Counter[str]:
    risk: Counter[str] = Counter()
    for pair in copies:
        risk[pair.first.project_id] += 1
        risk[pair.second.project_id] += 1
    for s in sets:
        for _, source, _ in s.projects:
            risk[source] += 1
    for f in foreign:
        risk[f.passage.project_id] += 1
    return risk


def summarise(results: Sequence[Requality], *, seed: int, sample_share: float | None = None,
              warnings: Warnings = Warnings()) -> Summary:
    """The summary of ``results`` (pure; the same results and seed give the same summary);
    ``warnings``: the 口径's provincial-warning thresholds, which the summary's labels state."""
    results = sorted(results, key=lambda r: (r.department, r.unit, r.project, r.year or 0, r.source))
    units = _unit_rows(results)
    deductions, total, deducted = _deductions(results)
    passages = [p for r in results for p in _passages(r)]
    copies = find_copies(passages)
    sets = shared_indicator_sets([(r.unit, r.source, r.project, [(i.level2, i.name, i.target) for i in r.indicators])
                                  for r in results])
    foreign = [f for r in results
               for f in foreign_nouns(f"{r.project} {r.content}", _indicator_passages(r) + _passages(r))]
    risk = _risk_counts(copies, sets, foreign)
    sample = draw_sample([Candidate(r.source, r.unit, r.department, r.project, r.budget or 0.0, len(r.warnings),
                                    sum(i.deduction > 0 for i in r.indicators), risk[r.source]) for r in results],
                         seed=seed, share=sample_share)
    over = sorted((u for u in units if u.gap_mean is not None and u.gap_mean > 0),
                  key=lambda u: (-(u.gap_mean or 0.0), -u.gap_total, u.unit))
    return Summary(
        rules=tuple(sorted({r.rules for r in results})), results=len(results), units=len(units),
        departments=len({r.department for r in results}), years=tuple(sorted({r.year for r in results if r.year})),
        budget=math.fsum(r.budget or 0.0 for r in results), executed=math.fsum(r.executed or 0.0 for r in results),
        indicators=total, deducted=deducted,
        self_mean=_mean([r.self_total for r in results if r.self_total is not None]),
        requality_mean=_mean([r.requality_total for r in results if r.requality_total is not None]),
        unit_rows=tuple(units), over_scoring=tuple(over), all_hundred=tuple(u for u in units if u.all_hundred),
        deductions=tuple(deductions), warnings=tuple(_warnings(results)), copies=tuple(copies),
        indicator_sets=tuple(sets), foreign=tuple(foreign), sample=sample,
        yoy=tuple((r.unit, r.project, s) for r in results for s in r.yoy),
        grade_drops=tuple((r.unit, r.project, r.self_grade, r.requality_grade) for r in results
                          if r.self_grade in GRADES and r.requality_grade in GRADES
                          and GRADES.index(r.requality_grade) > GRADES.index(r.self_grade)),
        evidence=tuple(sorted(Counter(r.evidence_status for r in results).items())),
        evidence_units=tuple(sorted({r.unit for r in results if r.evidence_status == "not_provided"})),
        supplement_indicators=sum(len(r.supplement.indicators) for r in results if r.supplement),
        supplements=tuple((r.unit, r.project, r.evidence_status, len(r.supplement.indicators))
                          for r in results if r.supplement),
        projects=tuple(ProjectRow(r.department, r.unit, r.project, r.self_total, r.self_grade, r.requality_total,
                                  r.requality_grade, r.evidence_status) for r in results),
        topics=tuple(_topics(results)),
        rules_titles=tuple(sorted({r.rules_title or r.rules for r in results})),
        red_gap=warnings.red_gap, unspent_share=warnings.unspent_share)


def summary_to_dict(s: Summary) -> dict[str, Any]:
    """Plain data for ``summary.json`` (the sample's seed, weights and selection included)."""
    from dataclasses import asdict

    data = asdict(s)
    data["copy_units"] = s.copy_units
    data["sample"]["selected"] = [c.key for c in s.sample.selected]
    return data


__all__ = ["GAP_BANDS", "gap_band", "gap_bands", "DeductionRow", "ProjectRow", "Summary", "TopicRow", "UnitRow", "WarningRow", "summarise", "summary_to_dict"]
