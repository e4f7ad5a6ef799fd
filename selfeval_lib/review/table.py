"""The published 自评表 as data (:class:`PublishedTable`, cells as written) and what a review
returns for it (:class:`Review`, :class:`ReviewFinding`, :class:`RowScore`). No logic."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from selfeval_lib.core.findings import FindingCode, Severity
from selfeval_lib.core.model import Evidence

Cell = str | float | int | None

# --- the table as published -------------------------------------------------------------------


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class PublishedHeader(_Lenient):
    name: str = ""
    department: str = ""
    unit: str = ""
    year: int | None = None


class PublishedFundsLine(_Lenient):
    """One 其中 row of the funds block (当年财政拨款, 上年结转资金, 其他资金 …), same columns."""

    label: str = ""
    budget_initial: Cell = None
    budget_full_year: Cell = None
    executed: Cell = None
    rate: Cell = None
    row: int | str | None = None


class PublishedFunds(_Lenient):
    """The funds block as printed. ``amount_unit`` is what the header says (元 or 万元); the
    amounts are those of the 总额 row, ``breakdown`` its 其中 rows."""

    amount_unit: Literal["元", "万元"] = "万元"
    budget_initial: Cell = None
    budget_full_year: Cell = None
    executed: Cell = None
    weight: Cell = None
    rate: Cell = None
    score: Cell = None
    reason: str = ""
    row: int | str | None = None
    breakdown: list[PublishedFundsLine] = Field(default_factory=list, description="the 其中 rows")


class PublishedIndicator(_Lenient):
    """One indicator row as printed; ``row`` is its row in the source (sheet row or list index)."""

    level1: str = ""
    level2: str = ""
    name: str = ""
    target: str = ""
    actual: str = ""
    weight: Cell = None
    score: Cell = None
    weight_share: Cell = Field(None, description="权重占比 (Hebei): the row's share of the total, \"20%\"")
    item_score: Cell = Field(None, description="单项得分 (Hebei), out of 100; ``score`` is then 折算得分")
    deviation_reason: str = ""
    evidence: list[Evidence] = Field(default_factory=list, description="佐证材料 named for this row")
    score_span: int = Field(1, ge=1, description="rows the printed 得分 covers, this one first (one score for a 二级指标 block)")
    weight_span: int = Field(1, ge=1, description="rows the printed 分值 covers, this one first (one 分值 for the block)")
    row: int | str | None = None


class PublishedSurvey(_Lenient):
    sample_size: Cell = None
    method: str = ""


class PublishedTexts(_Lenient):
    """The text blocks of a table. None: the block is not printed; "": printed and left blank.
    ``rows`` says where each was read (field → row)."""

    goal_expected: str | None = Field(None, description="年度总体目标：预期目标")
    goal_actual: str | None = Field(None, description="年度总体目标：实际完成情况")
    conclusion: str | None = Field(None, description="评价结论")
    problems: str | None = Field(None, description="存在问题")
    measures: str | None = Field(None, description="改进措施（改进意见）")
    reasons: str | None = Field(None, description="偏差大或目标未完成原因分析: the reasons for the funds and the indicators")
    leader: str | None = Field(None, description="项目负责人")
    filler: str | None = Field(None, description="填表人")
    rows: dict[str, int | str] = Field(default_factory=dict)


class PublishedTable(_Lenient):
    """A submitted 自评表. ``funds`` is None for tables without an execution score (transfers)."""

    source: str = ""
    sheet: str = ""
    project: PublishedHeader = PublishedHeader()
    total_weight: Cell = Field(None, description="the 分值 printed on the 总分 row (usually 100)")
    funds: PublishedFunds | None = None
    indicators: list[PublishedIndicator] = Field(min_length=1)
    published_total: Cell = None
    published_grade: str = ""
    survey: PublishedSurvey | None = None
    texts: PublishedTexts | None = None
    indicator_weights: bool = Field(True, description="False: the layout prints no per-indicator weights (Hubei)")
    block_weights: dict[str, Cell] = Field(
        default_factory=dict, description="一级指标 → the 分值 printed in its cell (产出指标（60分）); None: printed blank (（分）)")
    ends_open: bool = Field(False, description="the grid ends in indicator rows, without a 总分 row or anything below "
                                               "them: the table may be cut off (a page or a continuation not read)")


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReviewFinding:
    """One discrepancy: where, which rule (a :class:`FindingCode` of the shared vocabulary; its
    severity from :data:`~selfeval_lib.core.findings.CODES`), the published and recomputed
    values, why."""

    row: int | str | None
    field: str
    code: FindingCode
    severity: Severity
    published: Any
    recomputed: Any
    message: str


@dataclass(frozen=True, slots=True)
class RowScore:
    row: int | str | None
    name: str
    weight: float | None
    published: float | None
    recomputed: float | None
    kind: str


@dataclass
class Review:
    table: PublishedTable
    findings: list[ReviewFinding]
    rows: list[RowScore]
    published_total: float | None
    recomputed_total: float | None
    published_grade: str
    recomputed_grade: str | None
    execution_rate: float | None = None
    readings: list[str] = field(default_factory=list)
    blocks: list[RowScore] = field(default_factory=list)
    """一级指标 blocks scored as a whole (a table that prints their weights, not the rows'): kind "block"."""

    @property
    def source(self) -> str:
        return self.table.source
