"""The report's tables as pandas DataFrames with Chinese headers, formatted for display.

Amounts are shown in 万元 with two decimals (as the tables print them), rates as percentages,
scores with at most two decimals. For analysis, use the numbers on the Evaluation itself.
"""

from __future__ import annotations

import pandas as pd

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.findings import SEVERITY_ZH
from selfeval_lib.core.evaluation import Evaluation


def funds_table(ev: Evaluation) -> pd.DataFrame:
    """The funds block (申报/批复/调整/到位/执行/结余, rates and the execution score), one row each."""
    f = ev.funds
    rows = [
        ("申报数", fmt.wan(f.declared)),
        ("年初预算数（批复数）", fmt.wan(f.budget_initial)),
        ("预算调整", fmt.wan(f.adjustments_total)),
        ("全年预算数", fmt.wan(f.budget_full_year)),
        ("到位数", f"{fmt.wan(f.arrived)}（到位率{fmt.percent(f.arrival_rate)}）"),
        ("全年执行数", f"{fmt.wan(f.executed)}（执行率{fmt.percent(f.execution_rate)}，使用率{fmt.percent(f.usage_rate)}）"),
        ("结余", fmt.wan(f.balance)),
        ("预算执行率得分", f"{fmt.score(ev.execution_score)}分（分值{fmt.score(ev.execution_weight)}分）"),
    ]
    return pd.DataFrame(rows, columns=["项目", "金额及比率"])


def monthly_table(ev: Evaluation) -> pd.DataFrame:
    """Monthly spending, cumulative execution rate and 序时进度."""
    f = ev.funds
    return pd.DataFrame({
        "月份": [f"{m}月" for m in range(1, 13)],
        "当月支出": [fmt.wan(x) for x in f.monthly_executed],
        "累计执行率": [fmt.percent(x) for x in f.monthly_cumulative_rate],
        "序时进度": [fmt.percent(x) for x in f.time_progress],
    })


def items_table(ev: Evaluation) -> pd.DataFrame:
    """Line items: budget, spending, share of spending, execution rate."""
    return pd.DataFrame([{
        "支出内容": i.name,
        "预算": fmt.wan(i.budget) if i.budget is not None else "—",
        "支出": fmt.wan(i.executed),
        "占支出比重": fmt.percent(i.share_of_executed),
        "执行率": fmt.percent(i.execution_rate),
    } for i in ev.funds.items])


def vouchers_table(ev: Evaluation) -> pd.DataFrame:
    """Each voucher with the signatures it lacks (the required ones are stated in the text)."""
    return pd.DataFrame([{
        "凭证号": v.voucher,
        "日期": v.date.isoformat(),
        "金额": fmt.yuan(v.amount),
        "收款方": v.payee,
        "支出内容": v.item,
        "缺少审批": "、".join(v.missing) or "—",
        "状态": "齐全" if v.compliant else "不齐全",
    } for v in ev.vouchers], columns=["凭证号", "日期", "金额", "收款方", "支出内容", "缺少审批", "状态"])


def indicators_table(ev: Evaluation) -> pd.DataFrame:
    """The indicator table of the 自评表, with the budget-execution row first and the total last."""
    rows = [{
        "一级指标": "预算执行率", "二级指标": "", "三级指标": "",
        "年度指标值": "100%", "实际完成值": fmt.percent(ev.funds.execution_rate),
        "分值": fmt.score(ev.execution_weight), "得分": fmt.score(ev.execution_score), "偏差原因分析及改进措施": "",
    }]
    rows += [{
        "一级指标": s.level1, "二级指标": s.level2, "三级指标": s.name,
        "年度指标值": s.target, "实际完成值": s.actual or "（未填写）",
        "分值": fmt.score(s.weight), "得分": fmt.score(s.score), "偏差原因分析及改进措施": s.deviation_reason,
    } for s in ev.indicators]
    rows.append({
        "一级指标": "总分", "二级指标": "", "三级指标": "", "年度指标值": "", "实际完成值": "",
        "分值": fmt.score(ev.rules.total), "得分": fmt.score(ev.total), "偏差原因分析及改进措施": f"等级：{ev.grade}",
    })
    return pd.DataFrame(rows)


def findings_table(ev: Evaluation) -> pd.DataFrame:
    """Findings with severity, code, message and suggestion."""
    return pd.DataFrame([{
        "严重程度": SEVERITY_ZH[f.severity], "代码": f.code, "问题": f.message, "建议": f.suggestion,
    } for f in ev.findings], columns=["严重程度", "代码", "问题", "建议"])


def to_html(table: pd.DataFrame) -> str:
    """A DataFrame as an escaped HTML table without the index (for the report)."""
    return table.to_html(index=False, escape=True, border=0, classes="report-table", na_rep="")
