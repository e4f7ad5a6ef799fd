"""Result models of 绩效运行监控 (:func:`selfeval_lib.core.monitoring.monitor`): the lights, the
execution and indicator status at month N, the findings. Pure data, immutable: the records are named
tuples, which build several times faster than frozen dataclasses: a bureau monitors thousands of
project-years at once (bench/monitor_many.py)."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Literal, NamedTuple

from selfeval_lib.core.findings import Severity
from selfeval_lib.core.projection import ExecutionProjection
from selfeval_lib.core.rules import Light
from selfeval_lib.core.vocabulary import MeasuredKind

#: A light's Chinese name.
LIGHT_ZH: dict[str, str] = {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "blue": "蓝灯"}
#: Sort order, red first (the monitoring index sorts on it); no light (None) sorts last.
LIGHT_ORDER: dict[str, int] = {"red": 0, "yellow": 1, "blue": 2, "green": 3}

IndicatorKind = MeasuredKind
#: How a quantitative indicator is monitored: 累计 (prorated by month) or 时点 (a level, never prorated).
Accrual = Literal["累计", "时点"]
#: 完成目标可能性 (财预〔2019〕136号): the three words of the form.
Likelihood = Literal["确定能", "有可能", "完全不可能"]
LIKELIHOODS: tuple[str, ...] = ("确定能", "有可能", "完全不可能")


class MonitoringCode(StrEnum):
    """Codes of the monitoring findings (kept apart from the evaluation's ``FindingCode``)."""

    EXECUTION_RED = "MONITOR_EXECUTION_RED"
    EXECUTION_YELLOW = "MONITOR_EXECUTION_YELLOW"
    NOTHING_SPENT = "MONITOR_NOTHING_SPENT"
    CHECKPOINT_MISSED = "MONITOR_CHECKPOINT_MISSED"
    EXECUTION_WILL_MISS = "MONITOR_EXECUTION_WILL_MISS"
    INDICATOR_RED = "MONITOR_INDICATOR_RED"
    INDICATOR_AHEAD = "MONITOR_INDICATOR_AHEAD"
    INDICATOR_WILL_MISS = "MONITOR_INDICATOR_WILL_MISS"
    PROGRESS_MISSING = "MONITOR_PROGRESS_MISSING"
    REASON_MISSING = "MONITOR_REASON_MISSING"
    MEASURE_MISSING = "MONITOR_MEASURE_MISSING"


class MonitoringFinding(NamedTuple):
    """A monitoring finding; ``subject`` is "预算执行" or the indicator's name."""

    code: MonitoringCode
    severity: Severity
    message: str
    suggestion: str
    subject: str = ""


class Explanation(NamedTuple):
    """What the unit wrote for month N: 偏差原因 (category and text), 纠偏措施, 完成目标可能性 as
    written (a word of :data:`LIKELIHOODS`, or true/false of the older 是否可能完成全年目标), 备注."""

    category: str | None = None
    reason: str = ""
    measure: str = ""
    achievable: bool | str | None = None
    note: str = ""


class Checkpoint(NamedTuple):
    """The bureau's 预算执行进度 target in force at month N: ``rate`` (fraction) by ``month``."""

    month: int
    rate: float


class ExecutionStatus(NamedTuple):
    """Budget execution at the end of month N (amounts 元, rates fractions, progress in points)."""

    month: int
    budget_initial: Decimal
    budget_full_year: Decimal
    executed: Decimal
    execution_rate: float
    time_progress: float
    progress: float
    light: Light
    checkpoint: Checkpoint | None
    checkpoint_light: Light | None
    monthly_executed: tuple[Decimal, ...]
    cumulative_rate: tuple[float, ...]
    explanation: Explanation
    projection: ExecutionProjection
    planned: Decimal | None = None
    likelihood: Likelihood = "有可能"


class IndicatorStatus(NamedTuple):
    """One indicator at month N. ``value`` is the latest progress value up to N as written ("" when
    none); ``progress`` (points) only for a quantitative indicator; ``light`` None when nothing
    can be said yet (no value); ``projected_text`` the 全年预计完成值 in the target's unit."""

    index: int
    level1: str
    level2: str
    name: str
    target: str
    kind: IndicatorKind
    direction: str | None
    value: str
    value_month: int | None
    progress: float | None
    light: Light | None
    projected: float | None
    projected_text: str
    will_miss: bool
    assumption: str
    explanation: Explanation
    accrual: Accrual | None = None
    expected: bool = False
    likelihood: Likelihood = "有可能"


class Monitoring(NamedTuple):
    """The monitoring of one project-year at month N."""

    project_id: str
    project_name: str
    unit: str
    department: str
    year: int
    month: int
    execution: ExecutionStatus
    indicators: tuple[IndicatorStatus, ...]
    findings: tuple[MonitoringFinding, ...]
    #: 1–N月年度总体目标完成情况 as the unit summarised it for month N ("" when it did not).
    summary: str = ""

    @property
    def lights(self) -> dict[str, int]:
        """How many lights of each colour (execution, checkpoint and indicators)."""
        counts = {light: 0 for light in LIGHT_ORDER}
        for light in self.all_lights():
            counts[light] += 1
        return counts

    @property
    def worst_light(self) -> Light:
        """The most severe light (red before yellow before blue before green)."""
        return min(self.all_lights(), key=LIGHT_ORDER.__getitem__)

    def all_lights(self) -> tuple[Light, ...]:
        """The execution light, the checkpoint light (when one is in force) and each indicator's."""
        lights: list[Light] = [self.execution.light]
        if self.execution.checkpoint_light is not None:
            lights.append(self.execution.checkpoint_light)
        lights.extend(s.light for s in self.indicators if s.light is not None)
        return tuple(lights)
