"""绩效运行监控 of one project-year at a cut-off month N (docs/monitoring.md). Pure.

``monitor(project_year, rules, month, earlier=())`` gives a :class:`Monitoring`: the execution
light (执行进度 = 执行率 ÷ 序时进度 × 100) and the bureau's checkpoint light, one light per
indicator (positive, reverse, qualitative, time), the year-end projection of execution and of
each quantitative indicator with its assumption in Chinese, and the findings (what is red, what
will miss its target at the current pace, which red or yellow light lacks a reason or a measure).
Every limit is rule-set data (:class:`selfeval_lib.core.rules.MonitoringRules`). Only payments up
to month N and progress values up to month N count; later ones are ignored.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from selfeval_lib.core.formatting import chinese_date
from selfeval_lib.core.funds import ZERO, budget_full_year
from selfeval_lib.core.model import Indicator, MonitoringNote, Progress, ProjectYear
from selfeval_lib.core.monitoring_findings import (
    monitoring_findings,
    sort_monitoring_findings,
)
from selfeval_lib.core.monitoring_model import (
    LIGHT_ORDER,
    LIGHT_ZH,
    Checkpoint,
    ExecutionStatus,
    Explanation,
    IndicatorKind,
    IndicatorStatus,
    Monitoring,
    MonitoringCode,
    MonitoringFinding,
)
from selfeval_lib.core.projection import (
    ExecutionProjection,
    Method,
    months_text,
    project_execution,
    project_value,
    value_text,
)
from selfeval_lib.core.quantity import (
    Blank,
    Quantity,
    Text,
    TimePoint,
    convert,
    is_blank_text,
    parse_value,
    unit_factor,
)
from selfeval_lib.core.rules import Light, LightBand, MonitoringRules, RuleSet
from selfeval_lib.core.scoring import classify_band, resolve_date
from selfeval_lib.errors import ScoringError

__all__ = [
    "LIGHT_ORDER", "LIGHT_ZH", "Checkpoint", "ExecutionProjection", "ExecutionStatus", "Explanation", "IndicatorKind",
    "IndicatorStatus", "Light", "Method", "Monitoring", "MonitoringCode", "MonitoringFinding", "execution_status",
    "indicator_status", "light_of", "monitor", "monitoring_findings", "monitoring_months", "sort_monitoring_findings",
]


_EXACT: dict[float, Decimal] = {}


def _dec(value: float | Decimal) -> Decimal:
    """A float as the decimal it prints as (0.1 → Decimal("0.1")), so limits compare exactly."""
    if isinstance(value, Decimal):
        return value
    exact = _EXACT.get(value)
    if exact is None:
        exact = Decimal(repr(value))
        if len(_EXACT) < 4096:
            _EXACT[value] = exact
    return exact


def light_of(progress: float | Decimal, bands: Sequence[LightBand]) -> Light:
    """The light of a progress (points) under ascending bands: the last band whose ``min`` the
    progress reaches (a limit belongs to the band above it: 60 is yellow, 80 green, 120 blue)."""
    value = _dec(progress)
    limits = _limits(tuple(bands))
    light = limits[0][1]
    for low, band_light in limits:
        if value >= low:
            light = band_light
    return light


@lru_cache(maxsize=64)
def _limits(bands: tuple[LightBand, ...]) -> tuple[tuple[Decimal, Light], ...]:
    """Each band's ``min`` as an exact decimal, with its light (once per rule set's bands)."""
    return tuple((_dec(b.min), b.light) for b in bands)


def monitoring_months(project_year: ProjectYear) -> tuple[int, ...]:
    """The months for which the params hold monitoring data (progress values or funds notes), sorted."""
    months = {m.month for m in project_year.funds.monitoring}
    months.update(p.month for ind in project_year.indicators for p in ind.progress)
    return tuple(sorted(months))


def _explanation(note: MonitoringNote | None) -> Explanation:
    if note is None:
        return Explanation()
    return Explanation(note.category, note.reason, note.measure, note.achievable)


def _at(entries: Sequence[MonitoringNote], month: int) -> MonitoringNote | None:
    return next((e for e in entries if e.month == month), None)


def _monthly(project_year: ProjectYear) -> list[Decimal]:
    monthly = [ZERO] * 12
    for pay in project_year.funds.payments:
        monthly[pay.date.month - 1] += pay.amount
    return monthly


def execution_status(project_year: ProjectYear, rules: MonitoringRules, month: int,
                     earlier: Sequence[ProjectYear] = ()) -> ExecutionStatus:
    """Budget execution at the end of ``month``: light, checkpoint light and projection."""
    funds = project_year.funds
    budget = budget_full_year(funds)
    monthly = _monthly(project_year)
    executed = sum(monthly[:month], ZERO)
    progress = executed * 1200 / (budget * month) if budget > 0 else ZERO
    checkpoint = next((Checkpoint(c.month, c.rate) for c in reversed(rules.checkpoints) if c.month <= month), None)
    checkpoint_light: Light | None = None
    if checkpoint is not None:
        met = budget > 0 and executed >= budget * _dec(checkpoint.rate)
        checkpoint_light = rules.checkpoint_met if met else rules.checkpoint_missed
    largest: tuple[int, Decimal] | None = None
    top = ZERO
    for pay in funds.payments:
        if pay.amount > top and pay.date.month <= month:
            top, largest = pay.amount, (pay.date.month, pay.amount)
    history = [(e.project.year, _monthly(e)) for e in earlier
               if e.project.id == project_year.project.id and e.project.year < project_year.project.year]
    projection = project_execution(monthly, month, budget, history, largest, rules.single_payment_share)
    running, cumulative = ZERO, []
    for amount in monthly[:month]:
        running += amount
        cumulative.append(float(running / budget) if budget else 0.0)
    return ExecutionStatus(
        month=month, budget_initial=funds.approved, budget_full_year=budget, executed=executed,
        execution_rate=float(executed / budget) if budget else 0.0, time_progress=month / 12,
        progress=float(progress), light=light_of(progress, rules.execution_lights), checkpoint=checkpoint,
        checkpoint_light=checkpoint_light, monthly_executed=tuple(monthly[:month]),
        cumulative_rate=tuple(cumulative), explanation=_explanation(_at(funds.monitoring, month)),
        projection=projection)


def _latest_value(progress: Sequence[Progress], month: int) -> Progress | None:
    """The latest entry up to ``month`` with a value (a loop, not a sort: this runs per indicator)."""
    latest: Progress | None = None
    for entry in progress:
        if entry.month <= month and (latest is None or entry.month > latest.month) and not is_blank_text(entry.value):
            latest = entry
    return latest


def indicator_status(indicator: Indicator, index: int, rules: RuleSet, year: int, month: int) -> IndicatorStatus:
    """One indicator at the end of ``month``: its light, projection and the unit's explanation."""
    m = rules.monitoring
    entry = _latest_value(indicator.progress, month)
    explanation = _explanation(_at(indicator.progress, month))
    target = parse_value(indicator.target)
    value = parse_value(entry.value) if entry is not None else Blank("")
    base: dict[str, Any] = {
        "index": index, "level1": indicator.level1, "level2": indicator.level2, "name": indicator.name,
        "target": indicator.target, "value": entry.value if entry else "",
        "value_month": entry.month if entry else None, "explanation": explanation}
    says_miss = explanation.achievable is False
    none: dict[str, Any] = {"progress": None, "projected": None, "projected_text": ""}
    if isinstance(target, TimePoint):
        deadline = resolve_date(target, year)
        cutoff = date(year, month, calendar.monthrange(year, month)[1])
        done = resolve_date(value, year) if isinstance(value, TimePoint) else None
        if done is not None and done <= cutoff:
            late = done > deadline
            assumption = f"已于{chinese_date(done)}完成（期限{chinese_date(deadline)}）"
        else:
            late = deadline < cutoff
            assumption = f"截至{month}月末尚未完成，期限{chinese_date(deadline)}" + ("已过" if late else "未到")
        return IndicatorStatus(**base, **none, kind="time", direction="reverse",
                               light=m.time_late if late else m.time_on_track,
                               will_miss=late or says_miss, assumption=assumption)
    if isinstance(target, Quantity) and not isinstance(value, Text):
        if isinstance(value, Quantity):
            return _quantitative(base, target, value, m, month, says_miss)
        return IndicatorStatus(**base, **none, kind="quantitative", direction=target.direction or "positive",
                               light=None, will_miss=says_miss, assumption="")
    if isinstance(value, Blank) or entry is None:
        return IndicatorStatus(**base, **none, kind="qualitative", direction=None, light=None,
                               will_miss=says_miss, assumption="")
    band = classify_band(entry.value, indicator.target, rules)
    return IndicatorStatus(**base, **none, kind="qualitative", direction=None,
                           light=m.qualitative_lights[band.name], will_miss=says_miss,
                           assumption=f"截至{month}月末{band.name}")


def _quantitative(base: dict[str, Any], target: Quantity, value: Quantity, m: MonitoringRules, month: int,
                  says_miss: bool) -> IndicatorStatus:
    actual = convert(value, target)
    rate_like = target.dimension == "percent" and not m.prorate_percent
    projected = project_value(actual, month, cumulative=not rate_like)
    factor = unit_factor(target.unit) if target.unit else 1.0
    how = "按当前水平推算" if rate_like else f"按{months_text(month)}进度线性推算（÷{month}×12）"
    text = value_text(projected, factor, target.unit)
    tv, av, pv = _dec(target.value), _dec(actual), _dec(projected)
    if target.direction == "reverse":
        over = av >= tv if target.op == "<" else av > tv
        miss = pv >= tv if target.op == "<" else pv > tv
        return IndicatorStatus(**base, kind="quantitative", direction="reverse", progress=None,
                               light=m.reverse_over if over else m.reverse_within, projected=projected,
                               projected_text=text, will_miss=miss or says_miss, assumption=how)
    expected = tv if rate_like else tv * month / 12
    progress = av * 100 / expected if expected > 0 else Decimal(100)
    if target.direction == "equal" and av >= tv:  # "=5项" reached: done, not "ahead"
        progress, projected, text = Decimal(100), actual, value_text(actual, factor, target.unit)
    elif target.direction == "equal" and pv > tv:
        projected, text = target.value, value_text(target.value, factor, target.unit)
    pv = _dec(projected)
    miss = pv <= tv if target.op == ">" else pv < tv
    return IndicatorStatus(**base, kind="quantitative", direction=target.direction or "positive",
                           progress=float(progress), light=light_of(progress, m.positive_lights),
                           projected=projected, projected_text=text, will_miss=miss or says_miss,
                           assumption=how)


def monitor(project_year: ProjectYear, rules: RuleSet, month: int,
            earlier: Iterable[ProjectYear] = ()) -> Monitoring:
    """Monitor ``project_year`` at the end of ``month`` (1–12) under ``rules``; ``earlier`` are the
    same project's earlier years (same ``project.id``, earlier ``year``), used for the projection's
    rhythm; others are ignored. Raises :class:`ScoringError` for a month outside 1–12."""
    if not 1 <= month <= 12:
        raise ScoringError(f"监控月份 {month} 不在 1–12 月")
    p = project_year.project
    execution = execution_status(project_year, rules.monitoring, month, tuple(earlier))
    indicators = tuple(indicator_status(ind, i, rules, p.year, month)
                       for i, ind in enumerate(project_year.indicators))
    found = monitoring_findings(execution, indicators, rules)
    return Monitoring(p.id, p.name, p.unit, p.department, p.year, month, execution, indicators, found)

