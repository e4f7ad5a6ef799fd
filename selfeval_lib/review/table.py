"""The published 自评表 as data (:class:`PublishedTable`, cells as written) and what a review
returns for it (:class:`Review`, :class:`ReviewFinding`, :class:`RowScore`). No logic."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from selfeval_lib.core.findings import FindingCode, Severity

Cell = str | float | int | None

# --- the table as published -------------------------------------------------------------------


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class PublishedHeader(_Lenient):
    name: str = ""
    department: str = ""
    unit: str = ""
    year: int | None = None


class PublishedFunds(_Lenient):
    """The funds block as printed. ``amount_unit`` is what the header says (元 or 万元)."""

    amount_unit: Literal["元", "万元"] = "万元"
    budget_initial: Cell = None
    budget_full_year: Cell = None
    executed: Cell = None
    weight: Cell = None
    rate: Cell = None
    score: Cell = None
    reason: str = ""
    row: int | str | None = None


class PublishedIndicator(_Lenient):
    """One indicator row as printed; ``row`` is its row in the source (sheet row or list index)."""

    level1: str = ""
    level2: str = ""
    name: str = ""
    target: str = ""
    actual: str = ""
    weight: Cell = None
    score: Cell = None
    deviation_reason: str = ""
    row: int | str | None = None


class PublishedSurvey(_Lenient):
    sample_size: Cell = None
    method: str = ""


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

    @property
    def source(self) -> str:
        return self.table.source
