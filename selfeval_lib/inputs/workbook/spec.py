"""The input workbook's design: one :class:`Sheet` per part of the schema
(:mod:`selfeval_lib.core.model`), one :class:`Column` per field, and the texts both the template
and the reader rely on (headers, the example mark).

* key/value sheets (栏目 | 填写内容 | 示例 | 说明) for the single-valued parts:
  项目信息 (project), 资金 (funds), 满意度调查 (survey), 情况说明 (narrative), 单位自评 (claims);
* table sheets (序号 | columns …) for the lists: 立项依据 (project.basis_documents),
  支出内容 (project.items), 预算调整, 资金到位, 支付明细 (funds.adjustments/arrivals/payments),
  绩效指标 (indicators), 预算执行监控 (funds.monitoring), 指标监控说明 (the deviation notes of
  indicators[].progress, matched to an indicator by its 三级指标; :data:`INDICATOR_NOTES`).

Pure data; amounts are in 元.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from selfeval_lib.core import formatting as fmt
from selfeval_lib.inputs.messages import Loc

#: 序号 of an example row: written by the template, skipped by the reader.
EXAMPLE_MARK = "示例"
INSTRUCTIONS_SHEET = "填表说明"
#: Headers of a key/value sheet; the reader needs the first two.
KV_HEADERS = ("栏目", "填写内容", "示例", "说明")
#: Header of a table sheet's first column (row number or :data:`EXAMPLE_MARK`).
SEQ = "序号"
#: Number format of a cell by :attr:`Column.kind`.
FORMATS = {"amount": fmt.XLSX_AMOUNT, "date": "yyyy-mm-dd", "rate": fmt.XLSX_RATE, "int": "0", "number": "General",
           "text": "@", "cell": "@", "roles": "@", "paths": "@", "evidence": "@", "progress": "@", "yesno": "@", "likelihood": "@"}
#: Where the 指标监控说明 sheet is read to: not a schema path; the reader merges each row into the
#: ``progress`` entry of the indicator it names (by 三级指标) and month.
INDICATOR_NOTES = ("_indicator_notes",)
#: 偏差原因类别 (docs/monitoring.md) and the 是/否 of 是否可能完成全年目标.
DEVIATION_CATEGORIES = ("经费保障", "制度保障", "人员保障", "硬件条件", "其他")
YES, NO = "是", "否"
#: 完成目标可能性 (财预〔2019〕136号); 是/否 of an older workbook are read too.
LIKELIHOODS = ("确定能", "有可能", "完全不可能")
#: 监控口径 of an indicator.
ACCRUALS = ("累计", "时点")

#: How the workbook names each part that can be declared 示例数据 (``illustrative``): its sheet,
#: or its row; the keys are :data:`selfeval_lib.core.model.IllustrativePath`. The reader also
#: accepts the schema path itself (``funds.payments``).
ILLUSTRATIVE_LABELS: dict[str, str] = {
    "project.items": "支出内容",
    "funds.approved_date": "批复日期",
    "funds.adjustments": "预算调整",
    "funds.arrivals": "资金到位",
    "funds.payments": "支付明细",
    "indicators": "绩效指标",
    "survey": "满意度调查",
}


@dataclass(frozen=True, slots=True)
class Column:
    """One field: a column of a table sheet or a row of a key/value sheet.

    ``kind`` says how a cell is read (text, cell = target/actual, amount, date, int, number,
    rate, roles, paths = 示例数据 parts); ``check`` names the data validation of the template (see :mod:`~selfeval_lib.inputs.workbook.template`).
    ``empty`` is what an empty cell means (None: the field is left out, so its default applies
    or, when required, "缺少必填字段" is reported). ``at``: the field's schema path when it is
    not the sheet's ``loc`` + ``key`` (a top-level field kept on a key/value sheet).
    """

    label: str
    key: str
    kind: str = "text"
    check: str | None = None
    note: str = ""
    required: bool = False
    aliases: tuple[str, ...] = ()
    width: float = 16
    empty: Any = None
    at: Loc | None = None
    may_be_absent: bool = False  # added after the first templates: an older workbook without it reads as empty


@dataclass(frozen=True, slots=True)
class Sheet:
    """A sheet: ``table`` (one row per list element) or key/value; ``loc`` is its schema path."""

    name: str
    loc: Loc
    columns: tuple[Column, ...]
    table: bool
    note: str = ""
    scalar: bool = False      # a list of plain strings (立项依据), one column
    optional: bool = False    # key/value section left out (None) when every value is empty
    may_be_absent: bool = False  # added after the first templates: an older workbook may lack it


SHEETS: tuple[Sheet, ...] = (
    Sheet("项目信息", ("project",), (
        Column("项目编号", "id", check="id", required=True, note="英文字母、数字、“-”“_”“.”，以字母或数字开头；用作参数文件名，如 dongqu-yjglj-ydhs"),
        Column("项目名称", "name", required=True),
        Column("实施单位", "unit", required=True),
        Column("主管部门", "department", required=True),
        Column("年度", "year", kind="int", check="year", required=True, note="项目年度，如 2023；各日期的有效范围据此校验"),
        Column("资金来源", "funding_source", required=True, empty="", note="如：区级财政预算资金"),
        Column("年度总体目标", "overall_goal", required=True),
        Column("规则集", "rule_set", check="rule_set", note="留空为 national（全国通用）；四川省填 sichuan"),
        Column("单位自称", "self_name", check="self_name",
               note="报告中单位的自称，如“我局”“本单位”（至多 20 字）；留空时按单位名称推定（…局→我局，…委→我委，其余→本单位）"),
        Column("报告日期", "report_date", kind="date", check="date+1r",
               note="用于报告落款，应在项目年度或下一年度；留空时落款日期留空，由单位手填"),
        Column("示例数据", "illustrative", kind="paths", check="illustrative", at=("illustrative",), width=30,
               note="哪些部分不是单位的实际数据（报告首页及相关表格标注“示例数据”）：从 "
                    + "、".join(ILLUSTRATIVE_LABELS.values()) + " 中选填，用顿号“、”分隔或每行一个；均为实际数据时留空"),
    ), table=False, note="项目的基本信息。立项依据文件、支出内容见同名工作表。"),
    Sheet("立项依据", ("project", "basis_documents"), (
        Column("立项依据文件", "", required=True, width=80, note="每行一个文件，如《……》（……〔2023〕1号）"),
    ), table=True, scalar=True),
    Sheet("支出内容", ("project", "items"), (
        Column("支出内容", "name", required=True, width=30, note="支付明细的“支出内容”须与此处一致"),
        Column("用途", "purpose", width=40),
        Column("预算金额（元）", "budget", kind="amount", check="amount", aliases=("预算金额", "预算"), note="单位：元"),
    ), table=True, note="至少一项"),
    Sheet("资金", ("funds",), (
        Column("申报数（元）", "declared", kind="amount", check="amount", required=True, aliases=("申报数", "申报金额")),
        Column("批复数（元）", "approved", kind="amount", check="amount", required=True, aliases=("批复数", "年初预算数"),
               note="财政批复数，即年初预算数"),
        Column("批复日期", "approved_date", kind="date", check="date-1", note="应在项目年度或上一年度"),
        Column("全年执行数（元）", "reported_executed", kind="amount", check="amount", aliases=("全年执行数", "执行数"),
               note="单位填报的全年执行数（与支付明细合计核对）；可留空"),
        Column("执行率未达标原因", "execution_shortfall_reason", note="预算执行率未达标时填写"),
    ), table=False, note="金额单位：元。预算调整、资金到位、支付明细见同名工作表。"),
    Sheet("预算调整", ("funds", "adjustments"), (
        Column("调整日期", "date", kind="date", check="date", required=True),
        Column("调整金额（元）", "amount", kind="amount", check="signed", required=True, aliases=("调整金额", "金额"),
               note="追加为正数，调减为负数；单位：元"),
        Column("调整原因", "reason", required=True, width=40),
    ), table=True, note="全年预算未调整时留空"),
    Sheet("资金到位", ("funds", "arrivals"), (
        Column("到位日期", "date", kind="date", check="date", required=True),
        Column("到位金额（元）", "amount", kind="amount", check="amount", required=True, aliases=("到位金额", "金额")),
        Column("备注", "note", width=50),
    ), table=True),
    Sheet("支付明细", ("funds", "payments"), (
        Column("支付日期", "date", kind="date", check="date", required=True),
        Column("金额（元）", "amount", kind="amount", check="amount", required=True, aliases=("支付金额", "金额")),
        Column("收款方", "payee", required=True, aliases=("收款单位", "收款人"), width=30),
        Column("支出内容", "item", check="item", required=True, width=28, note="须为“支出内容”工作表中的一项"),
        Column("凭证号", "voucher", required=True, aliases=("凭证编号",), width=18),
        Column("审批签字", "approvals", kind="roles", aliases=("审批", "签字"), width=40,
               note="签字的角色，按顺序用顿号“、”分隔"),
    ), table=True, note="每张凭证一行"),
    Sheet("绩效指标", ("indicators",), (
        Column("一级指标", "level1", check="level1", required=True, width=12),
        Column("二级指标", "level2", check="level2", required=True, width=18),
        Column("三级指标", "name", required=True, width=30),
        Column("分值", "weight", kind="number", check="weight", required=True, width=8),
        Column("年度指标值", "target", kind="cell", required=True, aliases=("指标值", "目标值"), width=18,
               note="如 ≥95%、≤8.62万元、=3部、2023年12月底前、有效提升；以“=”开头的内容按文字保存"),
        Column("实际完成值", "actual", kind="cell", aliases=("完成值", "实际值"), width=18, note="如 98%、8.62万元、3部、2023年12月20日"),
        Column("评价档次", "assessment", check="assessment", width=10, note="完成值为文字时可选：达成、部分达成、未达成"),
        Column("单位得分", "score", kind="number", check="score", aliases=("得分",), width=10,
               note="部分达成或未达成时填写单位给出的得分"),
        Column("偏差原因分析及改进措施", "deviation_reason", aliases=("偏差原因",), width=40),
        Column("佐证材料", "evidence", kind="evidence", width=36, may_be_absent=True,
               note="佐证材料文件及说明，多个用分号“；”分隔或每行一个，如“验收报告.pdf：验收报告；支付凭证.pdf”；"
                    "文件路径相对参数文件所在文件夹；可在末尾注明（sha256:64位十六进制）"),
        Column("监控口径", "monitoring_kind", check="accrual", width=10, may_be_absent=True,
               note="绩效运行监控：累计（按月累积，如培训人次，按序时折算）或时点（保持的状态，如在用部数、覆盖率、"
                    "满意度，与指标值直接比较）；留空时百分比指标和名称含在用、覆盖、正常运行等词的指标按时点，其余按累计"),
        Column("监控进度", "progress", kind="progress", width=30, may_be_absent=True,
               note="绩效运行监控：各月末的累计完成值，写法同实际完成值、单位同年度指标值，多个用分号分隔，"
                    "如“6月：2部；9月：4部”；偏差原因和纠偏措施填在“指标监控说明”工作表"),
    ), table=True, note="分值合计应为规则集规定的指标总分（全国通用：90）"),
    Sheet("用款计划", ("funds", "plan"), (
        Column("计划支付月份", "month", kind="int", check="month", required=True, width=10, aliases=("月份",),
               note="1–12"),
        Column("计划支付金额（元）", "amount", kind="amount", check="amount", required=True, aliases=("计划支付金额", "金额")),
        Column("安排依据", "basis", width=50, note="如：按合同约定于12月年度结算"),
    ), table=True, may_be_absent=True,
        note="绩效运行监控据此推算全年预计执行数（如合同约定12月结算的年服务费）；未编制时留空，按月均支出推算"),
    Sheet("预算执行监控", ("funds", "monitoring"), (
        Column("月份", "month", kind="int", check="month", required=True, width=8, note="监控月份（1–12），截至该月末"),
        Column("偏差原因类别", "category", check="category", width=14, note="、".join(DEVIATION_CATEGORIES)),
        Column("偏差原因", "reason", width=40),
        Column("纠偏措施", "measure", width=40),
        Column("完成目标可能性", "achievable", kind="likelihood", check="likelihood", width=12,
               aliases=("是否可能完成全年目标",), note="、".join(LIKELIHOODS)),
        Column("全年预计执行数（元）", "expected", kind="amount", check="amount", aliases=("全年预计执行数",),
               may_be_absent=True, note="单位预计；留空时按用款计划推算"),
        Column("备注", "note", width=30, may_be_absent=True),
        Column("1–N月总体目标完成情况", "summary", width=50, may_be_absent=True, aliases=("总体目标完成情况",),
               note="截至该月末年度总体目标的完成情况（概述）；留空时按各指标的完成情况概括"),
    ), table=True, may_be_absent=True, note="绩效运行监控：各监控月份预算执行的偏差原因和纠偏措施；未开展监控时留空"),
    Sheet("指标监控说明", INDICATOR_NOTES, (
        Column("三级指标", "indicator", required=True, width=30, note="须与“绩效指标”工作表中的三级指标一致"),
        Column("月份", "month", kind="int", check="month", required=True, width=8, note="监控月份（1–12）"),
        Column("偏差原因类别", "category", check="category", width=14, note="、".join(DEVIATION_CATEGORIES)),
        Column("偏差原因", "reason", width=40),
        Column("纠偏措施", "measure", width=40),
        Column("完成目标可能性", "achievable", kind="likelihood", check="likelihood", width=12,
               aliases=("是否可能完成全年目标",), note="、".join(LIKELIHOODS)),
        Column("全年预计完成值", "expected", kind="cell", width=16, may_be_absent=True,
               note="单位预计，写法同实际完成值，如“3部”；留空时推算"),
        Column("备注", "note", width=30, may_be_absent=True, note="如：满意度调查安排在年末开展"),
    ), table=True, may_be_absent=True, note="绩效运行监控：各指标在监控月份的偏差原因和纠偏措施；完成值填在“绩效指标”的“监控进度”列"),
    Sheet("满意度调查", ("survey",), (
        Column("满意度", "rate", kind="rate", check="rate", required=True, note="如 95%（填 95% 或 0.95）"),
        Column("样本量", "sample_size", kind="int", check="count", note="有效问卷份数"),
        Column("调查方式", "method"),
        Column("调查日期", "date", kind="date", check="date+1", note="应在项目年度或下一年度"),
    ), table=False, optional=True, note="未开展满意度调查时整表留空"),
    Sheet("情况说明", ("narrative",), (
        Column("组织情况", "organisation"),
        Column("实施情况", "implementation"),
        Column("管理情况", "management"),
        Column("监管情况", "supervision"),
        Column("财务管理情况", "financial_management"),
        Column("自评步骤", "evaluation_steps"),
        Column("自评方法", "evaluation_methods"),
        Column("项目效益情况", "benefits", aliases=("效益情况",), note="实际产生的效益、典型事例，写入报告“四（二）项目效益情况”"),
    ), table=False, note="报告正文引用的情况，按单位原文填写；可留空"),
    Sheet("单位自评", ("claims",), (
        Column("自评总分", "total_score", kind="number", check="total"),
        Column("自评等级", "grade", check="grade"),
        Column("资金到位率", "arrival_rate", kind="rate", check="rate"),
        Column("预算执行率", "execution_rate", kind="rate", check="ratio"),
        Column("资金使用率", "usage_rate", kind="rate", check="ratio"),
        Column("满意度", "satisfaction_rate", kind="rate", check="rate"),
        Column("结余（元）", "balance", kind="amount", check="amount", aliases=("结余",)),
    ), table=False, note="单位自评报告中的说法（可留空），由本工具与计算结果核对"),
)
SHEET_BY_NAME = {s.name: s for s in SHEETS}


def column_letter(index: int) -> str:
    """The letter of 1-based column ``index`` (1 → A, 27 → AA)."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
