"""The 项目支出绩效运行监控表 in the layout units fill (财预〔2019〕136号 practice; docs/monitoring.md,
"The report and the 运行监控表"): the 附件 of the monitoring report and, through the same rows, the Excel file
(render/monitoring_xlsx.py), so the two agree.

Three blocks under the head (项目名称; 主管部门, 实施单位):
- "execution", the funds block in 万元: 项目 | 年初预算数 | 全年预算数 | 1–N月执行数 | 执行率 |
  全年预计执行数 | 偏差原因 | 完成目标可能性 | 备注, rows 年度资金总额, 其中：财政拨款, 其他资金;
- "goal": 年度总体目标 | 1–N月完成情况;
- "indicators": 一级 | 二级 | 三级指标 | 年度指标值 | 1–N月完成值 | 全年预计完成值 | 偏差原因 in five
  columns (:data:`CATEGORY_COLUMNS`) | 完成目标可能性 (确定能/有可能/完全不可能) | 纠偏措施 | 备注.
The platform's light of a figure is the pale ground of its cell (执行率, 1–N月完成值); the prose
names every light that is not green. Pure functions of a :class:`~selfeval_lib.core.monitoring.Monitoring`
and its :class:`~selfeval_lib.core.model.ProjectYear`.
"""

from __future__ import annotations

import re
from typing import Any

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.model import ProjectYear
from selfeval_lib.core.monitoring import LIGHT_ORDER, IndicatorStatus, Monitoring
from selfeval_lib.core.projection import months_text
from selfeval_lib.errors import ReportError
from selfeval_lib.report.phrases import clause

#: 偏差原因 as the form's five columns (财预〔2019〕136号): the params' category → the column.
CATEGORY_COLUMNS = {"经费保障": "经费保障", "制度保障": "制度保障", "人员保障": "人员保障", "硬件条件": "硬件条件保障",
                    "其他": "其他"}
#: How prose introduces a reason of each category ("" for 其他: the reason says it).
CATEGORY_PROSE = {"经费保障": "经费保障方面，", "制度保障": "制度保障方面，", "人员保障": "人员保障方面，",
                  "硬件条件": "硬件条件保障方面，", "其他": ""}
#: The 附件's title, and its tables with their captions.
ANNEX_TITLE = "项目支出绩效运行监控表"
ANNEX_TABLES = (("execution", "表1  资金情况"), ("goal", "表2  年度总体目标完成情况"),
                ("indicators", "表3  绩效指标完成情况"))
TABLES = ("execution", "goal", "indicators", "findings")
MISSING = "—"


def light_counts(m: Monitoring) -> dict[str, int]:
    """Indicators by light, red first (every colour, 0 included), and ``none`` (no light yet)."""
    counts = dict.fromkeys(sorted(LIGHT_ORDER, key=LIGHT_ORDER.get), 0) | {"none": 0}
    for s in m.indicators:
        counts[s.light or "none"] += 1
    return counts


# --- the unit's 用款计划 -------------------------------------------------------------------------
def on_plan(m: Monitoring) -> bool:
    """Spending up to month N is at least what the 用款计划 schedules by then."""
    e = m.execution
    return e.planned is not None and e.executed >= e.planned


def plan_basis(py: ProjectYear) -> str:
    """What the 用款计划 rests on, as the unit wrote it ("" without a plan or a basis)."""
    plan = sorted(py.funds.plan, key=lambda entry: entry.month)
    return "；".join(dict.fromkeys(clause(entry.basis) for entry in plan if entry.basis.strip()))


def plan_months_after(py: ProjectYear, month: int) -> str:
    """The months after ``month`` in which the 用款计划 schedules a payment: "12月", "9月、12月"."""
    months = sorted({e.month for e in py.funds.plan if e.month > month and e.amount > 0})
    return "、".join(f"{m}月" for m in months)


# --- cells ---------------------------------------------------------------------------------
def projected_shown(s: IndicatorStatus) -> str:
    """全年预计完成值 as the table shows it: the projection in the target's unit; a time
    indicator on track "按期完成"; a qualitative one already 达成 stays so; else "—"."""
    if s.projected_text:
        return s.projected_text
    if s.kind == "time" and s.likelihood != "完全不可能":
        return "按期完成"
    if s.kind == "qualitative" and s.light == "green" and s.value:
        return s.value
    return MISSING


def projected_wan(m: Monitoring) -> str:
    """全年预计执行数 in 万元; "—" when it cannot be projected (nothing spent, planned or stated)."""
    pr = m.execution.projection
    return MISSING if pr.method == "nothing_spent" else fmt.wan(pr.executed, unit=False)


def projection_note(m: Monitoring) -> str:
    """What the 全年预计执行数 rests on, in the unit's words (the 备注 of the funds block)."""
    pr = m.execution.projection
    if pr.method == "plan":
        return "全年预计执行数按用款计划推算"
    if pr.method == "stated":
        return "全年预计执行数为单位预计"
    if pr.method == "nothing_spent":
        return "尚未支出，未编制用款计划，全年预计执行数待补充"
    return clause(pr.assumption)


def _progress_phrase(s: IndicatorStatus) -> str:
    """What an indicator reached by month N as a finance officer writes it: "保障通信专线及服务项数5项",
    "森林火灾初期处置能力：显著提升"; a time target without a date by its light: "“…”已过完成期限，
    尚未完成" (red), "“…”尚未到完成期限"; "" when nothing can be said yet."""
    value = clause(s.value)
    if value:
        numeric = re.match(r"[\d０-９]", value) and not re.match(r"\d{4}年", value)
        return f"{s.name}{value}" if numeric else f"{s.name}：{value}"
    if s.kind == "time" and s.light:
        return f"“{s.name}”{'已过完成期限，尚未完成' if s.light == 'red' else '尚未到完成期限'}"
    return ""


def goal_progress(m: Monitoring) -> str:
    """1–N月完成情况 of the 年度总体目标: the unit's summary for month N, else what the figures say
    in sentences: the money spent (万元, as table 1 shows it), what each indicator reached, and how
    many indicators still lack their 1–N月完成值."""
    if m.summary.strip():
        return clause(m.summary)
    e = m.execution
    parts = [f"截至{m.month}月末，项目尚未支出" if not e.executed else
             f"截至{m.month}月末，项目累计支出{fmt.wan(e.executed)}，预算执行率{fmt.percent(e.execution_rate, trim=True)}"]
    reached = [phrase for s in m.indicators if (phrase := _progress_phrase(s))]
    if reached:
        parts.append("，".join(reached))
    lacking = sum(not s.value.strip() and not (s.kind == "time" and s.light) for s in m.indicators)
    if lacking:
        span = months_text(m.month)
        parts.append(f"{'其余' if reached else ''}{lacking}项绩效指标{span}完成值待补充")
    return "；".join(parts)


def funds_reason(m: Monitoring, py: ProjectYear) -> str:
    """偏差原因 of the funds: the unit's reason (its category as prose introduces it), else the
    用款计划's basis when spending is on plan, else ""."""
    x = m.execution.explanation
    if x.reason.strip():
        return CATEGORY_PROSE.get(x.category or "", "") + clause(x.reason)
    if on_plan(m) and plan_basis(py):
        return f"按用款计划，{plan_basis(py)}"
    return ""


# --- the tables ----------------------------------------------------------------------------
def form_rows(m: Monitoring, py: ProjectYear, name: str) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of table ``name`` (:data:`TABLES`) as shown."""
    span = months_text(m.month)
    if name == "execution":
        e = m.execution
        remark = "；".join(part for part in (clause(e.explanation.note), projection_note(m)) if part)
        total = [fmt.wan(e.budget_initial, unit=False), fmt.wan(e.budget_full_year, unit=False),
                 fmt.wan(e.executed, unit=False), fmt.percent(e.execution_rate), projected_wan(m)]
        head = ["项目", "年初预算数（万元）", "全年预算数（万元）", f"{span}执行数（万元）", "执行率",
                "全年预计执行数（万元）", "偏差原因", "完成目标可能性", "备注"]
        # The params do not split the sources: all is 财政拨款, as the 自评表 fills it.
        return head, [["年度资金总额", *total, funds_reason(m, py), e.likelihood, remark],
                      ["其中：财政拨款", *total, "", "", ""],
                      ["其他资金", *[MISSING] * 5, "", "", ""]]
    if name == "goal":
        return ["年度总体目标", f"{span}完成情况"], [[clause(py.project.overall_goal) + "。", goal_progress(m)]]
    if name == "indicators":
        head = ["一级指标", "二级指标", "三级指标", "年度指标值", f"{span}完成值", "全年预计完成值",
                *CATEGORY_COLUMNS.values(), "完成目标可能性", "纠偏措施", "备注"]
        rows = []
        for s in m.indicators:
            x = s.explanation
            causes = dict.fromkeys(CATEGORY_COLUMNS.values(), "")
            if x.reason.strip() or x.category:
                causes[CATEGORY_COLUMNS[x.category or "其他"]] = clause(x.reason) or "√"
            rows.append([s.level1, s.level2, s.name, s.target, s.value or MISSING, projected_shown(s),
                         *causes.values(), s.likelihood, clause(x.measure), clause(x.note)])
        return head, rows
    if name == "findings":
        return ["问题", "说明", "建议"], [[f.subject, f.message, f.suggestion] for f in m.findings]
    raise ReportError(f"没有名为“{name}”的表；可用的表：{'、'.join(TABLES)}")


def form_lights(m: Monitoring, name: str) -> list[tuple[int, str | None]]:
    """For table ``name``, the column whose cell carries each row's light (执行率, 1–N月完成值), and the light."""
    if name == "execution":
        return [(4, m.execution.light), (4, None), (4, None)]
    if name == "indicators":
        return [(4, s.light) for s in m.indicators]
    return []


def annex_heading(m: Monitoring) -> tuple[str, str]:
    """The 附件's title and period: ("项目支出绩效运行监控表", "（2023年1–7月）")."""
    return ANNEX_TITLE, f"（{m.year}年{months_text(m.month)}）"


def head_rows(m: Monitoring) -> tuple[tuple[str, str], tuple[str, str, str, str]]:
    """The form's head: (项目名称, name); (主管部门, department, 实施单位, unit)."""
    return ("项目名称", m.project_name), ("主管部门", m.department, "实施单位", m.unit)
