"""Input schema of one project-year (``params/<year>/<project>.yaml``), as pydantic models.

Amounts are in 元 (``Decimal``, at most two decimals), written as numbers or as tables write them
("320.8万元", "3,208,000元"; :func:`~selfeval_lib.core.readings.amount_yuan`); rates are fractions
(0.95, not 95).
Targets and actuals stay as written in the tables ("≥95%", "≦8.62万元", "达成"); they are read
by :mod:`selfeval_lib.core.quantity` when scored. Checks that need more than one field or the rule
set (dates within the year, weights adding up, parseable targets) live in
:mod:`selfeval_lib.inputs.validation`.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict, StringConstraints

from selfeval_lib.core.readings import amount_yuan, count_value, rate_fraction
from selfeval_lib.core.vocabulary import Grade, Level1

_ISO_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _number_not_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("应为数字，而不是是/否（true/false）")
    return value


def _iso_date(value: Any) -> Any:
    """A date written YYYY-MM-DD (YAML gives it as text); numbers are not read as timestamps."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        year, month, day = (int(part) for part in value.strip().split("-"))
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise ValueError(f"“{value}”不是有效日期") from None
    raise ValueError("应为日期，格式 YYYY-MM-DD")


def _plain_text(value: Any) -> Any:
    if isinstance(value, str) and _CONTROL.search(value):
        raise ValueError("含有控制字符（如 NUL），请删除")
    return value


def _amount(value: Any) -> Any:
    """An amount as written ("320.8万元", "3,208,000", "3,208,000元") in 元; true/false refused."""
    return amount_yuan(_number_not_bool(value))


_NotBool = BeforeValidator(_number_not_bool)
_AmountText = BeforeValidator(_amount)
_PlainText = BeforeValidator(_plain_text)
Date = Annotated[dt.date, BeforeValidator(_iso_date)]
#: 元, non-negative, two decimals at most, below 1万亿元 (a larger figure is a typing error); written
#: as a number or as people write it ("320.8万元", "3,208,000元": the unit is part of the value).
Amount = Annotated[Decimal, Field(ge=0, le=Decimal("1e12"), decimal_places=2, max_digits=15), _AmountText]
#: A signed amount in 元 (budget adjustments: + 追加, − 调减), written as :data:`Amount`.
SignedAmount = Annotated[
    Decimal, Field(ge=Decimal("-1e12"), le=Decimal("1e12"), decimal_places=2, max_digits=15), _AmountText
]
Number = Annotated[float, Strict()]
Integer = Annotated[int, Strict()]
#: A fraction 0–1, written as a number (0.95) or as a rate ("95%", "百分之九十五", "九成五").
Rate = Annotated[Number, Field(ge=0, le=1), BeforeValidator(lambda v: rate_fraction(_number_not_bool(v)))]
#: A count written as a number or with its unit ("300份", "三百人").
_CountText = BeforeValidator(lambda v: count_value(_number_not_bool(v)))
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), _PlainText]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000), _PlainText]
Cell = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), _PlainText]
#: Names Windows keeps for devices, in any case and with any extension (``con``, ``NUL.2023``): a
#: folder so named cannot be created or opened there (Microsoft, "Naming Files, Paths, and Namespaces").
WINDOWS_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                              *(f"LPT{i}" for i in range(1, 10))})


def portable_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a file or folder name on every disk a report is copied to (Windows
    included), or None: a reserved device name, or a trailing dot or space (Windows drops them)."""
    if name.split(".", 1)[0].strip().upper() in WINDOWS_RESERVED:
        return (f"“{name}”是 Windows 的保留设备名（CON、PRN、AUX、NUL、COM1–COM9、LPT1–LPT9，不分大小写），"
                "用作文件夹名在 Windows 上无法创建或打开；请换一个编号")
    if name != name.rstrip(". "):
        return f"“{name}”以“.”或空格结尾，Windows 会去掉它们，变成另一个名称；请删去结尾的“.”"
    return None


def _portable(value: Any) -> Any:
    problem = portable_name_problem(value) if isinstance(value, str) else None
    if problem:
        raise ValueError(problem)
    return value


#: An id that names a folder (a project's report folder, a rule set's file): letters, digits and
#: "-_.", valid as a file name on Windows too (:func:`portable_name_problem`).
Identifier = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$"),
    AfterValidator(_portable),
]
Assessment = Literal["达成", "部分达成", "未达成"]
#: 偏差原因类别 of the 运行监控表 (docs/monitoring.md).
DeviationCategory = Literal["经费保障", "制度保障", "人员保障", "硬件条件", "其他"]
#: 完成目标可能性 of the 运行监控表 (财预〔2019〕136号): what the unit expects of the year.
Likelihood = Literal["确定能", "有可能", "完全不可能"]
#: How an indicator is monitored: 累计 (grows through the year, compared with 指标值 × N ÷ 12) or
#: 时点 (a state held: in service, coverage, a rate; compared with 指标值 itself).
MonitoringKind = Literal["累计", "时点"]
Month = Annotated[int, Strict(), Field(ge=1, le=12)]


class _Strict(BaseModel):
    """Unknown keys are errors; models are immutable once validated."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False)


def _unique_months(values: Any) -> Any:
    """Monitoring entries: one per month."""
    if isinstance(values, list):
        months = [v.get("month") for v in values if isinstance(v, dict)]
        repeated = sorted({m for m in months if isinstance(m, int) and months.count(m) > 1})
        if repeated:
            raise ValueError(f"月份 {'、'.join(map(str, repeated))} 重复")
    return values


class ContentItem(_Strict):
    """A content item (支出内容) of the project, with its purpose and its budget in 元."""

    name: Name
    purpose: Text = ""
    budget: Amount | None = None


class Project(_Strict):
    """Identity of the project-year."""

    id: Identifier
    name: Name
    unit: Name = Field(description="实施单位")
    department: Name = Field(description="主管部门")
    year: Integer = Field(ge=2000, le=2100)
    basis_documents: list[Name] = Field(default_factory=list, description="立项依据文件")
    funding_source: Text = Field(description="资金来源, e.g. 区级财政预算资金")
    items: list[ContentItem] = Field(min_length=1, description="支出内容")
    overall_goal: Text = Field(min_length=1, description="年度总体目标")
    rule_set: Identifier = "national"
    self_name: Name | None = Field(
        None, max_length=20,
        description="报告中单位的自称，如“我局”“本单位”；不填时按单位名称推定（…局→我局，…委→我委，其余→本单位）",
    )
    report_date: Date | None = Field(
        None, description="报告日期，用于落款（不填时落款留空“　　年　　月　　日”，由单位手填）",
    )


class Adjustment(_Strict):
    """A budget adjustment (调整/追加/调减), signed, in 元."""

    date: Date
    amount: SignedAmount
    reason: Name


class Arrival(_Strict):
    """Funds that arrived (资金到位) on a date, in 元."""

    date: Date
    amount: Amount
    note: Text = ""


class Payment(_Strict):
    """One line of the payment ledger (支付明细), amount in 元."""

    date: Date
    amount: Amount
    payee: Name
    item: Name = Field(description="the content item paid for; a name from project.items")
    voucher: Name = Field(description="凭证号")
    approvals: list[Name] = Field(default_factory=list, description="roles that signed: 经办人, 分管领导 …")


_CATEGORY = "偏差原因类别：经费保障、制度保障、人员保障、硬件条件、其他"
_LIKELIHOOD = "完成目标可能性：确定能、有可能、完全不可能（也可写 true/false：是否可能完成全年目标）"
Achievable = Annotated[bool, Strict()] | Likelihood | None


class PlannedSpending(_Strict):
    """One month of the 用款计划: what the unit plans to pay in ``month`` (元), e.g. an annual
    service fee settled under contract in December."""

    month: Month = Field(description="计划支付月份（1–12）")
    amount: Amount = Field(description="计划支付金额（元）")
    basis: Text = Field("", description="安排依据，如“按合同约定于12月年度结算”")


class FundsMonitoring(_Strict):
    """What the unit writes for the budget execution in monitoring month ``month`` (绩效运行监控)."""

    month: Month = Field(description="监控月份（1–12），截至该月末")
    category: DeviationCategory | None = Field(None, description=_CATEGORY)
    reason: Text = Field("", description="偏差原因")
    measure: Text = Field("", description="纠偏措施")
    achievable: Achievable = Field(None, description=_LIKELIHOOD)
    expected: Amount | None = Field(None, description="单位预计的全年预计执行数（元）；不填时按用款计划推算")
    note: Text = Field("", description="备注")
    summary: Text = Field("", description="1–N月年度总体目标完成情况（单位的概述）；不填时按各指标的完成情况概括")


class Progress(_Strict):
    """An indicator's cumulative 1–N月实际完成值 at the end of ``month``, written like an actual
    (same unit as the target), with the deviation the unit gives for that month."""

    month: Month = Field(description="月份（1–12），截至该月末的累计完成值")
    value: Cell = Field("", description="1–N月实际完成值，写法同实际完成值，如“2部”")
    category: DeviationCategory | None = Field(None, description=_CATEGORY)
    reason: Text = Field("", description="偏差原因")
    measure: Text = Field("", description="纠偏措施")
    achievable: Achievable = Field(None, description=_LIKELIHOOD)
    expected: Cell = Field("", description="单位预计的全年预计完成值，写法同实际完成值，如“3部”；不填时推算")
    note: Text = Field("", description="备注")


#: What the unit writes in a monitoring month, for the funds or an indicator.
MonitoringNote = FundsMonitoring | Progress


class Funds(_Strict):
    """Fund figures of the year, all in 元."""

    declared: Amount = Field(description="申报数")
    approved: Amount = Field(description="批复数 = 年初预算数")
    approved_date: Date | None = Field(default=None, description="批复日期")
    adjustments: list[Adjustment] = Field(default_factory=list)
    arrivals: list[Arrival] = Field(default_factory=list)
    payments: list[Payment] = Field(default_factory=list)
    reported_executed: Amount | None = Field(default=None, description="全年执行数 as the unit reports it")
    execution_shortfall_reason: Text = Field("", description="执行率未达标的原因")
    plan: Annotated[list[PlannedSpending], BeforeValidator(_unique_months)] = Field(
        default_factory=list,
        description="用款计划：各月计划支付金额（元），如合同约定12月结算的年服务费；绩效运行监控据此推算全年预计执行数")
    monitoring: Annotated[list[FundsMonitoring], BeforeValidator(_unique_months)] = Field(
        default_factory=list, description="绩效运行监控：各监控月份预算执行的偏差原因和纠偏措施")


class Evidence(_Strict):
    """A supporting document (佐证材料) of an indicator's 实际完成值: a file, what it shows, and its
    SHA-256 when the unit recorded it (the 复核 records it otherwise)."""

    file: Name = Field(description="佐证材料文件，相对参数文件（或自评表）所在文件夹的路径")
    description: Text = Field("", description="材料说明，如“验收报告”“支付凭证”")
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = Field(
        None, description="文件的 SHA-256（十六进制小写）；填写时复核校验文件未被替换")


class Indicator(_Strict):
    """One level-3 performance indicator as written in the table."""

    level1: Level1
    level2: Name
    name: Name = Field(description="三级指标")
    target: Cell = Field(description="年度指标值 as written, e.g. ≥95%")
    actual: Cell = Field("", description="实际完成值 as written")
    weight: Number = Field(gt=0, le=100, description="分值")
    assessment: Assessment | None = Field(None, description="qualitative band when the actual is text")
    score: Number | None = Field(None, ge=0, description="the unit's score, needed for 部分达成/未达成")
    deviation_reason: Text = Field("", description="偏差原因分析及改进措施")
    evidence: list[Evidence] = Field(default_factory=list, description="佐证材料（自评质量复核据此判断完成值是否有依据）")
    progress: Annotated[list[Progress], BeforeValidator(_unique_months)] = Field(
        default_factory=list, description="绩效运行监控：各月末的累计完成值及偏差原因、纠偏措施")
    monitoring_kind: MonitoringKind | None = Field(
        None, description="监控口径：累计（如培训人次，按序时折算）或时点（如在用部数、覆盖率、满意度，"
                          "与指标值直接比较）；不填时百分比指标和名称含状态词（在用、覆盖、正常运行等）的指标按时点，其余按累计")


class Survey(_Strict):
    """Satisfaction survey (满意度调查)."""

    rate: Rate = Field(description="满意度 as a fraction, e.g. 0.95, or as written: 95%, 九成五")
    sample_size: Annotated[Integer, Field(ge=1, le=10_000_000), _CountText] | None = None
    method: Text = ""
    date: Date | None = None


class Narrative(_Strict):
    """Facts the report's prose draws on (组织、管理、监管 …), as the unit writes them."""

    organisation: Text = ""
    implementation: Text = ""
    management: Text = ""
    supervision: Text = ""
    financial_management: Text = ""
    evaluation_steps: Text = ""
    evaluation_methods: Text = ""
    benefits: Text = Field("", description="项目效益情况（实际产生的效益、典型事例），写入“四（二）项目效益情况”")


class Claims(_Strict):
    """What the unit itself claims (its own self-evaluation), checked against the computation."""

    total_score: Number | None = Field(None, ge=0, le=100)
    grade: Grade | None = None
    arrival_rate: Rate | None = None
    execution_rate: Annotated[Number, Field(ge=0, le=10)] | None = None
    usage_rate: Annotated[Number, Field(ge=0, le=10)] | None = None
    satisfaction_rate: Rate | None = None
    balance: Amount | None = None


#: The parts of a params file that can be declared illustrative (示例数据, not facts of the unit).
IllustrativePath = Literal[
    "project.items",          # 各支出内容的预算金额
    "funds.approved_date",    # 批复日期
    "funds.adjustments",      # 预算调整
    "funds.arrivals",         # 资金到位日期与金额
    "funds.payments",         # 支付明细（拆分、凭证号、收款方、日期、审批签字）
    "indicators",             # 绩效指标的指标值与完成值
    "survey",                 # 满意度调查
]


def _unique(values: Any) -> Any:
    if isinstance(values, list) and len(set(map(str, values))) != len(values):
        raise ValueError("有重复的项")
    return values


class ProjectYear(_Strict):
    """All the data of one project in one year."""

    project: Project
    funds: Funds
    indicators: list[Indicator] = Field(min_length=1)
    survey: Survey | None = None
    narrative: Narrative = Narrative()
    claims: Claims = Claims()
    illustrative: Annotated[list[IllustrativePath], BeforeValidator(_unique)] = Field(
        default_factory=list,
        description="示例数据：哪些部分不是单位的实际数据（报告首页及受影响的表格标注“示例数据”）",
    )
