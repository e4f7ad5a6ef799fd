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
from operator import attrgetter

from selfeval_lib.core.formatting import chinese_date
from selfeval_lib.core.funds import ZERO, budget_full_year
from selfeval_lib.core.model import FundsMonitoring, Indicator, MonitoringNote, Progress, ProjectYear
from selfeval_lib.core.monitoring_findings import (
    monitoring_findings,
    sort_monitoring_findings,
)
from selfeval_lib.core.monitoring_model import (
    LIGHT_ORDER,
    LIGHT_ZH,
    LIKELIHOODS,
    Accrual,
    Likelihood,
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
    TimePoint,
    convert,
    is_blank_text,
    parse_value,
    unit_factor,
)
from selfeval_lib.core.rules import Light, LightBand, MonitoringRules, RuleSet
from selfeval_lib.core.scoring import classify_band, resolve_date
from selfeval_lib.core.units import COUNT_UNITS
from selfeval_lib.errors import ScoringError

__all__ = [
    "LIGHT_ORDER", "LIGHT_ZH", "LIKELIHOODS", "Accrual", "Likelihood", "accrual_of", "likelihood", "Checkpoint", "ExecutionProjection", "ExecutionStatus", "Explanation", "IndicatorKind",
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
    limits = _limits(bands)
    light = limits[0][1]
    for low, band_light in limits:
        if value >= low:
            light = band_light
    return light


#: Each rule set's bands as exact decimals, by the identity of the bands (the bands are kept with
#: their limits, so an id is never reused while its entry lives; hashing the models costs more).
_LIMITS: dict[int, tuple[Sequence[LightBand], tuple[tuple[Decimal, Light], ...]]] = {}


def _limits(bands: Sequence[LightBand]) -> tuple[tuple[Decimal, Light], ...]:
    """Each band's ``min`` as an exact decimal, with its light (once per rule set's bands)."""
    known = _LIMITS.get(id(bands))
    if known is not None and known[0] is bands:
        return known[1]
    limits = tuple((_dec(b.min), b.light) for b in bands)
    if len(_LIMITS) < 64:
        _LIMITS[id(bands)] = (bands, limits)
    return limits


def monitoring_months(project_year: ProjectYear) -> tuple[int, ...]:
    """The months for which the params hold monitoring data (progress values or funds notes), sorted."""
    months = {m.month for m in project_year.funds.monitoring}
    months.update(p.month for ind in project_year.indicators for p in ind.progress)
    return tuple(sorted(months))


_NO_EXPLANATION = Explanation()
_MONTH = attrgetter("month")


def _explanation(note: MonitoringNote | None) -> Explanation:
    if note is None:
        return _NO_EXPLANATION
    return Explanation(note.category, note.reason, note.measure, note.achievable, getattr(note, "note", ""))


def likelihood(achievable: bool | str | None, on_course: bool, impossible: bool = False) -> Likelihood:
    """完成目标可能性: the unit's word when it wrote one; its 是/否 (true/false) as 确定能 when the
    projection reaches the target (else 有可能) / 完全不可能; otherwise 确定能 when the projection
    reaches the target, 完全不可能 only when it can no longer be reached (a deadline past), else 有可能."""
    if isinstance(achievable, str) and achievable in LIKELIHOODS:
        return achievable  # type: ignore[return-value]
    if achievable is False or impossible:
        return "完全不可能"
    return "确定能" if on_course else "有可能"


def _at(entries: Sequence[MonitoringNote], month: int) -> MonitoringNote | None:
    for entry in entries:
        if entry.month == month:
            return entry
    return None


def _monthly(project_year: ProjectYear) -> list[Decimal]:
    monthly = [ZERO] * 12
    for pay in project_year.funds.payments:
        monthly[pay.date.month - 1] += pay.amount
    return monthly


def execution_status(project_year: ProjectYear, rules: MonitoringRules, month: int,
                     earlier: Sequence[ProjectYear] = (), minimum_rate: float = 0.9) -> ExecutionStatus:
    """Budget execution at the end of ``month``: light, checkpoint light, the 用款计划's amount up
    to ``month`` (元), the projection and the 完成目标可能性 (确定能 when the projected 执行率
    reaches ``minimum_rate``)."""
    funds = project_year.funds
    budget = budget_full_year(funds)
    monthly = [ZERO] * 12
    largest: tuple[int, Decimal] | None = None
    top = ZERO
    for pay in funds.payments:  # one pass: the monthly sums and the largest payment up to N
        pay_month, amount = pay.date.month, pay.amount
        monthly[pay_month - 1] += amount
        if amount > top and pay_month <= month:
            top, largest = amount, (pay_month, amount)
    executed = sum(monthly[:month], ZERO)
    progress = executed * 1200 / (budget * month) if budget > 0 else ZERO
    checkpoint: Checkpoint | None = None
    for rule in reversed(rules.checkpoints):
        if rule.month <= month:
            checkpoint = Checkpoint(rule.month, rule.rate)
            break
    checkpoint_light: Light | None = None
    if checkpoint is not None:
        met = budget > 0 and executed >= budget * _dec(checkpoint.rate)
        checkpoint_light = rules.checkpoint_met if met else rules.checkpoint_missed
    history = [(e.project.year, _monthly(e)) for e in earlier
               if e.project.id == project_year.project.id and e.project.year < project_year.project.year]
    plan: list[Decimal] = []
    if funds.plan:
        plan = [ZERO] * 12
        for entry in funds.plan:
            plan[entry.month - 1] += entry.amount
    basis = "；".join(dict.fromkeys(e.basis.rstrip("。；;") for e in sorted(funds.plan, key=_MONTH) if e.basis))
    note = _at(funds.monitoring, month)
    stated = note.expected if isinstance(note, FundsMonitoring) else None
    projection = project_execution(monthly, month, budget, history, largest, rules.single_payment_share,
                                   plan=plan, plan_basis=basis, stated=stated)
    explanation = _explanation(note)
    on_course = projection.method != "nothing_spent" and projection.rate >= minimum_rate
    return ExecutionStatus(
        month=month, budget_initial=funds.approved, budget_full_year=budget, executed=executed,
        execution_rate=float(executed / budget) if budget else 0.0, time_progress=month / 12,
        progress=float(progress), light=light_of(progress, rules.execution_lights), checkpoint=checkpoint,
        checkpoint_light=checkpoint_light, monthly_executed=tuple(monthly[:month]),
        cumulative_rate=projection.cumulative_rate[:month], explanation=explanation,
        projection=projection, planned=sum(plan[:month], ZERO) if plan else None,
        likelihood=likelihood(explanation.achievable, on_course))


def _progress_at(progress: Sequence[Progress], month: int) -> tuple[Progress | None, Progress | None]:
    """The latest entry up to ``month`` with a value, and the entry of ``month`` itself (this runs
    per indicator: the entries are ordered once, and only the latest are tested for a blank)."""
    written = [entry for entry in progress if entry.month <= month]
    if not written:
        return None, None
    if len(written) > 1:
        written.sort(key=_MONTH, reverse=True)
    current = written[0] if written[0].month == month else None
    for entry in written:
        if not is_blank_text(entry.value):
            return entry, current
    return None, current


#: What an indicator's status says besides its identity: kind, direction, progress (points),
#: light, projected value, its text, will_miss, assumption.
_Outcome = tuple[IndicatorKind, "str | None", "float | None", "Light | None", "float | None", str, bool, str]


def accrual_of(indicator: Indicator, target: object, rules: MonitoringRules) -> Accrual:
    """累计 or 时点: the indicator's ``monitoring_kind`` when written; otherwise 时点 for a percentage
    target (unless ``prorate_percent``) or a name holding one of ``level_words`` (在用, 覆盖 …), else 累计."""
    if indicator.monitoring_kind is not None:
        return indicator.monitoring_kind
    if isinstance(target, Quantity) and target.dimension == "percent" and not rules.prorate_percent:
        return "时点"
    return "时点" if any(word in indicator.name for word in rules.level_words) else "累计"


def indicator_status(indicator: Indicator, index: int, rules: RuleSet, year: int, month: int) -> IndicatorStatus:
    """One indicator at the end of ``month``: its light, projection (the unit's 全年预计完成值 for
    month N when written), the unit's explanation and the 完成目标可能性."""
    entry, current = _progress_at(indicator.progress, month)
    explanation = _explanation(current)
    expected = current.expected if current is not None and not is_blank_text(current.expected) else ""
    outcome = _outcome(indicator, entry, explanation.achievable is False, rules, year, month, expected)
    kind, direction, progress, light, projected, projected_text, will_miss, assumption = outcome
    target = parse_value(indicator.target)
    accrual = accrual_of(indicator, target, rules.monitoring) if kind == "quantitative" else None
    impossible = kind == "time" and light == rules.monitoring.time_late
    on_course = not will_miss and (light is not None or kind == "time")
    return IndicatorStatus(
        index, indicator.level1, indicator.level2, indicator.name, indicator.target, kind, direction,
        entry.value if entry else "", entry.month if entry else None, progress, light, projected,
        projected_text, will_miss, assumption, explanation, accrual, bool(expected),
        likelihood(explanation.achievable, on_course, impossible))


def _outcome(indicator: Indicator, entry: Progress | None, says_miss: bool, rules: RuleSet, year: int,
             month: int, expected: str = "") -> _Outcome:
    m = rules.monitoring
    target = parse_value(indicator.target)
    value = parse_value(entry.value) if entry is not None else Blank("")
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
        return ("time", "reverse", None, m.time_late if late else m.time_on_track, None, "",
                late or says_miss, assumption)
    if isinstance(target, Quantity):  # words against a figure get no light, never the 达成 one
        unit_figure = parse_value(expected) if expected else None
        stated = convert(unit_figure, target) if isinstance(unit_figure, Quantity) else None
        if isinstance(value, Quantity):
            level = accrual_of(indicator, target, m) == "时点"
            return _quantitative(target, value, m, month, says_miss, level, stated)
        text = value_text(stated, unit_factor(target.unit) if target.unit else 1.0, target.unit) if stated is not None else ""
        return ("quantitative", target.direction or "positive", None, None, stated, text, says_miss,
                "单位预计" if text else "")
    if isinstance(value, Blank) or entry is None:
        return ("qualitative", None, None, None, None, expected, says_miss, "单位预计" if expected else "")
    band = classify_band(entry.value, indicator.target, rules)
    return ("qualitative", None, None, m.qualitative_lights[band.name], None, expected, says_miss,
            f"截至{month}月末{band.name}")


def _quantitative(target: Quantity, value: Quantity, m: MonitoringRules, month: int, says_miss: bool,
                  level: bool, stated: float | None = None) -> _Outcome:
    """A quantity at month N: a level (时点) against the target itself, a cumulative one against
    target × N ÷ 12; projected by the unit's figure when it gave one, else linearly or at its level."""
    actual = convert(value, target)
    rate_like = level
    whole = target.unit.lstrip("千万亿") in COUNT_UNITS  # a count of items is projected whole
    projected = project_value(actual, month, cumulative=not rate_like, whole=whole) if stated is None else stated
    factor = unit_factor(target.unit) if target.unit else 1.0
    if stated is not None:
        how = "单位预计"
    else:
        how = "按当前水平推算" if rate_like else f"按{months_text(month)}进度推算"
    text = value_text(projected, factor, target.unit)
    tv, av = _dec(target.value), Decimal(repr(actual))  # an actual is seldom seen twice: not cached
    pv = av if projected == actual else Decimal(repr(projected))
    if target.direction == "reverse":
        over = av >= tv if target.op == "<" else av > tv
        miss = pv >= tv if target.op == "<" else pv > tv
        return ("quantitative", "reverse", None, m.reverse_over if over else m.reverse_within, projected, text,
                miss or says_miss, how)
    expected = tv if rate_like else tv * month / 12
    progress = av * 100 / expected if expected > 0 else Decimal(100)
    if target.direction == "equal" and av >= tv:  # "=5项" reached: done, not "ahead"
        progress = Decimal(100)
        if stated is None:
            projected, pv, text = actual, av, value_text(actual, factor, target.unit)
    elif target.direction == "equal" and pv > tv:
        projected, pv, text = target.value, tv, value_text(target.value, factor, target.unit)
    miss = pv <= tv if target.op == ">" else pv < tv
    return ("quantitative", target.direction or "positive", float(progress), light_of(progress, m.positive_lights),
            projected, text, miss or says_miss, how)


def monitor(project_year: ProjectYear, rules: RuleSet, month: int,
            earlier: Iterable[ProjectYear] = ()) -> Monitoring:
    """Monitor ``project_year`` at the end of ``month`` (1–12) under ``rules``; ``earlier`` are the
    same project's earlier years (same ``project.id``, earlier ``year``), used for the projection's
    rhythm; others are ignored. Raises :class:`ScoringError` for a month outside 1–12."""
    if not 1 <= month <= 12:
        raise ScoringError(f"监控月份 {month} 不在 1–12 月")
    p = project_year.project
    execution = execution_status(project_year, rules.monitoring, month, tuple(earlier),
                                 rules.problems.execution_rate_min)
    indicators = tuple(indicator_status(ind, i, rules, p.year, month)
                       for i, ind in enumerate(project_year.indicators))
    found = monitoring_findings(execution, indicators, rules)
    note = _at(project_year.funds.monitoring, month)
    summary = note.summary if isinstance(note, FundsMonitoring) else ""
    return Monitoring(p.id, p.name, p.unit, p.department, p.year, month, execution, indicators, found, summary)

