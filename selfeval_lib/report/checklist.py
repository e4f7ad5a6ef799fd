"""The 自查清单: what the preparer checks before the unit submits its 自评报告.

The report speaks as the unit and never checks the unit's claims; this list does: the claimed
score, grade and figures against the computation, the facts the report still shows as
【待补充：…】, the data the params file declares illustrative, and the findings that are data to
correct rather than problems to report (:func:`selfeval_lib.report.problems.checklist_findings`).
Pure: an evaluation in, a list of items out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.evaluation import Evaluation
from selfeval_lib.core.findings import FindingCode
from selfeval_lib.core.monitoring import LIGHT_ZH
from selfeval_lib.report.corrections import mid_year_warnings
from selfeval_lib.report.missing_facts import missing_facts
from selfeval_lib.report.narrative import TABLE_SOURCES, illustrative_labels
from selfeval_lib.report.problems import checklist_findings

Category = Literal["自评结论核对", "待补充事实", "示例数据", "数据核对"]
Status = Literal["需处理", "一致", "提示"]
#: Categories in the order the list shows them.
CATEGORIES: tuple[Category, ...] = ("自评结论核对", "待补充事实", "示例数据", "数据核对")

#: Narrative key → the section of the report it is shown in.
SECTIONS: dict[str, str] = {
    "title": "首页", "basic": "一（一）项目基本情况", "goals": "一（二）项目绩效目标",
    "method": "一（三）项目自评步骤及方法", "declaration": "二（一）项目资金申报及批复情况",
    "plan_arrival_use": "二（二）资金计划、到位及使用情况", "finance": "二（三）项目财务管理情况",
    "organisation": "三（一）项目组织架构及实施流程", "management": "三（二）项目管理情况",
    "supervision": "三（三）项目监管情况", "completion": "四（一）项目完成情况",
    "benefits": "四（二）项目效益情况", "conclusion": "五（一）评价结论",
    "problems": "五（二）存在的问题", "suggestions": "五（三）相关建议",
}
#: Table of the outline → how the list names it.
TABLE_NAMES: dict[str, str] = {
    "funds": "资金申报、到位及执行情况表", "monthly": "月度执行进度图", "items": "各支出内容预算及支出情况表",
    "indicators": "绩效指标表",
}
#: Where the preparer finds a claim: the params file's field, in words (no program identifier).
_CLAIM_FIELDS = {"total_score": "参数文件的自报总分", "grade": "参数文件的自报等级"}
_CLAIM_CODES = (FindingCode.CLAIMED_SCORE_MISMATCH, FindingCode.CLAIMED_GRADE_MISMATCH,
                FindingCode.CLAIMED_FIGURE_MISMATCH)

#: Findings whose missing fact the report already shows as a placeholder (listed once, there).
_SHOWN_AS_PLACEHOLDER = (FindingCode.EXECUTION_REASON_MISSING, FindingCode.DEDUCTION_WITHOUT_REASON)


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One line of the 自查清单: its category, what to check or do, and where (a section of the
    report, a table or a params field); ``status`` says whether it needs action."""

    category: Category
    text: str
    where: str
    status: Status = "需处理"


def _claims(ev: Evaluation) -> list[ChecklistItem]:
    c = ev.project_year.claims
    out: list[ChecklistItem] = []
    mismatched = {f.code for f in ev.findings}
    if c.total_score is not None and FindingCode.CLAIMED_SCORE_MISMATCH not in mismatched:
        out.append(ChecklistItem("自评结论核对", f"自报总分{fmt.score(c.total_score)}分与计算结果一致。",
                                 _CLAIM_FIELDS["total_score"], "一致"))
    if c.grade is not None and FindingCode.CLAIMED_GRADE_MISMATCH not in mismatched:
        out.append(ChecklistItem("自评结论核对", f"自报等级“{c.grade}”与计算结果一致。", _CLAIM_FIELDS["grade"], "一致"))
    for f in ev.findings:
        if f.code in _CLAIM_CODES:
            where = {FindingCode.CLAIMED_SCORE_MISMATCH: _CLAIM_FIELDS["total_score"],
                     FindingCode.CLAIMED_GRADE_MISMATCH: _CLAIM_FIELDS["grade"]}.get(
                f.code, f"参数文件的自报数据（{f.subject}）")
            out.append(ChecklistItem("自评结论核对", f"{f.message}报告按计算结果撰写，请核实自报数据。", where))
    return out


def checklist_items(ev: Evaluation) -> list[ChecklistItem]:
    """The 自查清单 of one evaluation, by :data:`CATEGORIES`, in a stable order."""
    items = _claims(ev)
    items += [ChecklistItem("待补充事实", f"{f.label}：报告中显示为【待补充】，请在参数文件中填写后重新生成。",
                            SECTIONS.get(f.section, f.section)) for f in missing_facts(ev)]
    for label in illustrative_labels(ev):
        tables = [TABLE_NAMES[t] for t, parts in TABLE_SOURCES.items() if label in illustrative_labels(ev, parts)]
        where = "首页及" + "、".join(tables) if tables else "首页"
        items.append(ChecklistItem("示例数据", f"{label}为示例数据，报告已标注；提交前请替换为实际数据。", where, "提示"))
    for f in checklist_findings(ev):
        if f.code in _CLAIM_CODES or f.code in _SHOWN_AS_PLACEHOLDER:
            continue
        text = f.message + (f"建议：{f.suggestion}" if f.suggestion else "")
        items.append(ChecklistItem("数据核对", text, f"“{f.subject}”" if f.subject else "项目资金及指标数据"))
    items += _voucher_items(ev)
    items += _monitoring_items(ev)
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted(items, key=lambda i: order[i.category])


def _voucher_items(ev: Evaluation) -> list[ChecklistItem]:
    """Each voucher short of a required approval, to check against the signed voucher."""
    return [ChecklistItem("数据核对", f"凭证{v.voucher}（{fmt.chinese_date(v.date)}，{fmt.yuan(v.amount)}）缺少"
                          f"{'、'.join(v.missing)}审批：请核对原始凭证；确已审批的补录参数文件，确未审批的报告已在存在的问题中说明。",
                          "支付凭证审批核对")
            for v in ev.vouchers if not v.compliant]


def _monitoring_items(ev: Evaluation) -> list[ChecklistItem]:
    """Each mid-year monitoring warning (:mod:`selfeval_lib.report.corrections`): corrected (a
    note) or not (to act on); none without monitoring data."""
    out = []
    for w in mid_year_warnings(ev):
        subject = "预算执行" if w.is_execution else f"“{w.subject}”"
        seen = "、".join(f"{m}月末" for m in w.months) + LIGHT_ZH[w.light]
        if w.corrected:
            out.append(ChecklistItem("数据核对", f"年中绩效运行监控预警已纠正：{subject}（{seen}），{w.year_end}，已达到目标。",
                                     SECTIONS["supervision"], "提示"))
        else:
            out.append(ChecklistItem("数据核对", f"年中绩效运行监控预警未纠正：{subject}（{seen}），{w.year_end}，至年末仍未达到"
                                     "目标；请核实报告中的偏差原因及改进措施。", SECTIONS["supervision"]))
    return out


def open_count(ev: Evaluation) -> int:
    """Items that need action (status 需处理)."""
    return sum(i.status == "需处理" for i in checklist_items(ev))


def checklist_counts(ev: Evaluation) -> dict[str, int]:
    """What the batch index shows of the 自查清单: facts still 【待补充】 and items that need action
    (kept in metrics.json under ``checklist``)."""
    return {"placeholders": len(missing_facts(ev)), "open": open_count(ev)}
