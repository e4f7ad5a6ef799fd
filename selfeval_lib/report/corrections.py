"""Which mid-year monitoring warnings the year corrected (issue 15, item 5).

When the params carry monitoring data for the year (``funds.monitoring``, ``indicators[].progress``),
each monitoring month before December is monitored again (:func:`selfeval_lib.core.monitoring.monitor`);
a *warning* is a light that needed a reason and a measure (red or yellow by default) — for the
budget execution (its own light or the bureau's checkpoint) or for an indicator. A warning is
*corrected* when the year-end figure reached its target: the year's 预算执行率 at least the rule
set's ``problems.execution_rate_min``, an indicator's full score (its 年度指标值 reached). Pure:
an evaluation in, warnings out; params without monitoring data give none.
"""

from __future__ import annotations

from dataclasses import dataclass

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core import vocabulary as vocab
from selfeval_lib.core.evaluation import Evaluation
from selfeval_lib.core.monitoring import LIGHT_ORDER, monitor, monitoring_months

EXECUTION_SUBJECT = "预算执行"


@dataclass(frozen=True, slots=True)
class MidYearWarning:
    """A warning of the mid-year monitoring: its subject ("预算执行" or the indicator's name), the
    months it was raised in, the worst light of those, whether the year corrected it, and the
    year-end figure ("全年预算执行率96.55%", "实际完成5项")."""

    subject: str
    months: tuple[int, ...]
    light: str
    corrected: bool
    year_end: str

    @property
    def is_execution(self) -> bool:
        return self.subject == EXECUTION_SUBJECT


def mid_year_months(ev: Evaluation) -> tuple[int, ...]:
    """The monitoring months of the params before December (empty: no monitoring data)."""
    return tuple(m for m in monitoring_months(ev.project_year) if m < 12)


def mid_year_warnings(ev: Evaluation) -> tuple[MidYearWarning, ...]:
    """Every warning of the mid-year monitoring, the budget execution first, then the indicators
    in the table's order."""
    months = mid_year_months(ev)
    if not months:
        return ()
    rules = ev.rules.monitoring
    needed = set(rules.reason_required)
    raised: dict[int, list[tuple[int, str]]] = {}  # -1: execution; i: indicator i → (month, light)
    for month in months:
        m = monitor(ev.project_year, ev.rules, month)
        e = m.execution
        lights = [x for x in (e.light, e.checkpoint_light) if x in needed]
        if lights:
            raised.setdefault(-1, []).append((month, min(lights, key=LIGHT_ORDER.__getitem__)))
        for i, s in enumerate(m.indicators):
            if s.light in needed:
                raised.setdefault(i, []).append((month, s.light))
    out = []
    for key in sorted(raised):
        seen = raised[key]
        worst = min((light for _, light in seen), key=LIGHT_ORDER.__getitem__)
        if key < 0:
            rate = ev.funds.execution_rate
            out.append(MidYearWarning(EXECUTION_SUBJECT, tuple(m for m, _ in seen), worst,
                                      rate >= ev.rules.problems.execution_rate_min,
                                      f"全年预算执行率{fmt.percent(rate)}"))
        else:
            s = ev.indicators[key]
            done = s.actual.strip()
            figure = (f"完成情况为“{done}”" if s.kind == "qualitative" else f"实际完成{done}") if done else "未填写实际完成值"
            out.append(MidYearWarning(s.name, tuple(m for m, _ in seen), worst, vocab.at_full_marks(s.score, s.weight), figure))
    return tuple(out)
