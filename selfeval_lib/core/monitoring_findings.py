"""Findings of 绩效运行监控: what is red, what will miss its target at the current pace, which red
or yellow light lacks a reason or a measure. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from selfeval_lib.core.findings import SEVERITY_ORDER, Severity
from selfeval_lib.core.formatting import percent, score, yuan
from selfeval_lib.core.monitoring_model import (
    LIGHT_ORDER,
    LIGHT_ZH,
    ExecutionStatus,
    Explanation,
    IndicatorStatus,
    MonitoringCode,
    MonitoringFinding,
)
from selfeval_lib.core.rules import Light, MonitoringRules, RuleSet


def _finding(code: MonitoringCode, message: str, subject: str) -> MonitoringFinding:
    severity, suggestion = _CODES[code]
    return MonitoringFinding(code, severity, message, suggestion, subject)


_C = MonitoringCode
#: Severity and suggestion of each monitoring code.
_CODES: dict[MonitoringCode, tuple[Severity, str]] = {
    _C.EXECUTION_RED: ("high", "分析执行滞后原因，按序时进度制定用款计划，加快支付进度。"),
    _C.EXECUTION_YELLOW: ("medium", "关注执行进度，按用款计划推进支付，防止进一步滞后。"),
    _C.NOTHING_SPENT: ("high", "尽快启动项目实施和资金支付，说明尚未支出的原因。"),
    _C.CHECKPOINT_MISSED: ("high", "对照财政部门预算执行进度要求，制定赶进度措施并报送说明。"),
    _C.EXECUTION_WILL_MISS: ("medium", "按当前节奏全年执行率将低于要求，调整实施计划或按规定调整预算。"),
    _C.INDICATOR_RED: ("medium", "分析指标进度滞后原因，落实纠偏措施。"),
    _C.INDICATOR_AHEAD: ("low", "进度明显超前，核实完成值口径，目标可能设定偏低。"),
    _C.INDICATOR_WILL_MISS: ("medium", "按当前进度全年难以完成目标，落实纠偏措施或按程序调整目标。"),
    _C.PROGRESS_MISSING: ("low", "填报截至监控月份的累计完成值。"),
    _C.REASON_MISSING: ("high", "红灯、黄灯须说明偏差原因（经费保障、制度保障、人员保障、硬件条件或其他）。"),
    _C.MEASURE_MISSING: ("medium", "红灯、黄灯须填写纠偏措施。"),
}


def _explained(subject: str, light: Light | None, explanation: Explanation, rules: MonitoringRules,
               month: int) -> list[MonitoringFinding]:
    if light is None or light not in rules.reason_required:
        return []
    out = []
    if not explanation.reason:
        out.append(_finding(_C.REASON_MISSING, f"{subject}为{LIGHT_ZH[light]}，未说明{month}月偏差原因", subject))
    if not explanation.measure:
        out.append(_finding(_C.MEASURE_MISSING, f"{subject}为{LIGHT_ZH[light]}，未填写{month}月纠偏措施", subject))
    return out


def monitoring_findings(execution: ExecutionStatus, indicators: Sequence[IndicatorStatus],
                        rules: RuleSet) -> tuple[MonitoringFinding, ...]:
    """What is red, what will miss its target at the current pace, what lacks a reason or a measure."""
    m, n, e = rules.monitoring, execution.month, execution
    subject = "预算执行"
    found: list[MonitoringFinding] = []

    def status() -> str:  # formatted only when a light needs it
        return (f"截至{n}月末预算执行率{percent(e.execution_rate)}，序时进度{percent(e.time_progress)}，"
                f"执行进度{score(e.progress)}")

    on_plan = e.planned is not None and e.executed >= e.planned
    plan_note = f"，按用款计划截至{n}月末应支付{yuan(e.planned)}，执行符合用款计划" if on_plan else ""
    if e.executed == 0 and not on_plan:  # nothing spent because nothing is due yet is not a finding
        found.append(_finding(_C.NOTHING_SPENT, f"截至{n}月末尚未支出（全年预算数{yuan(e.budget_full_year)}）", subject))
    if e.light == "red":
        found.append(_finding(_C.EXECUTION_RED, f"{status()}（红灯）{plan_note}", subject))
    elif e.light == "yellow":
        found.append(_finding(_C.EXECUTION_YELLOW, f"{status()}（黄灯）{plan_note}", subject))
    if e.checkpoint is not None and e.checkpoint_light == m.checkpoint_missed:
        found.append(_finding(_C.CHECKPOINT_MISSED, f"截至{n}月末预算执行率{percent(e.execution_rate)}，低于财政部门"
                              f"要求的{e.checkpoint.month}月末{percent(e.checkpoint.rate, trim=True)}", subject))
    minimum = rules.problems.execution_rate_min
    if e.projection.rate < minimum and e.projection.method != "nothing_spent":
        found.append(_finding(_C.EXECUTION_WILL_MISS, f"{e.projection.assumption}，全年预计执行率"
                              f"{percent(e.projection.rate)}，低于{percent(minimum, trim=True)}", subject))
    worst = min((light for light in (e.light, e.checkpoint_light) if light is not None), key=LIGHT_ORDER.__getitem__)
    if not on_plan:  # spending on its 用款计划 is explained by the plan (its basis is the reason)
        found.extend(_explained(subject, worst, e.explanation, m, n))
    for s in indicators:
        if s.light is None and s.kind != "time" and not s.explanation.note:  # a note says why there is none
            found.append(_finding(_C.PROGRESS_MISSING, f"“{s.name}”未填报截至{n}月末的完成值", s.name))
        if s.light == "red":
            found.append(_finding(_C.INDICATOR_RED, f"“{s.name}”截至{n}月末完成{s.value or '—'}，"
                                  f"年度指标值{s.target}（红灯）", s.name))
        elif s.light == "blue":
            found.append(_finding(_C.INDICATOR_AHEAD, f"“{s.name}”截至{n}月末完成{s.value}，进度"
                                  f"{score(s.progress or 0)}，超前（蓝灯）", s.name))
        if s.will_miss:
            pace = f"{s.assumption}全年预计{s.projected_text}，" if s.projected_text else ""
            found.append(_finding(_C.INDICATOR_WILL_MISS, f"“{s.name}”{pace}难以达到年度指标值{s.target}", s.name))
        found.extend(_explained(f"“{s.name}”", s.light, s.explanation, m, n))
    return sort_monitoring_findings(found)


def sort_monitoring_findings(findings: Iterable[MonitoringFinding]) -> tuple[MonitoringFinding, ...]:
    """Most severe first, then code, subject, message."""
    return tuple(sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.code, f.subject, f.message)))
