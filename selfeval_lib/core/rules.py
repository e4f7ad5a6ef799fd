"""Rule sets: the scoring and review rules as data (``params/rules/<name>.yaml``).

Every number of ``docs/rules.md`` (财预〔2020〕10号 and provincial practice) is a field
here, never a constant in code: weights, the execution and reverse formulas, qualitative and
grade bands, payment-approval thresholds and roles, and the thresholds that raise findings.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

LEVEL1_NAMES = ("产出指标", "效益指标", "满意度指标")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExecutionRule(_Strict):
    """预算执行率 scoring: score = weight × min(执行率, 1) (``capped_ratio``)."""

    weight: float = Field(ge=0, le=100, description="分值 of 预算执行率 (0 for transfer payments)")
    formula: Literal["capped_ratio"] = "capped_ratio"
    reason_required_below: float | None = Field(
        default=None, ge=0, le=1, description="执行率 below which a written reason is required (Sichuan: 0.9)"
    )


class Band(_Strict):
    """A qualitative band as fractions of the weight, [low, high); the first band includes 1.

    ``words`` are the phrases of an actual that place it in this band ("达成", "部分达成" …);
    the first band is 达成 and also takes an actual that copies the target.
    """

    name: str
    low: float = Field(ge=0, le=1)
    high: float = Field(ge=0, le=1)
    words: tuple[str, ...] = ()


class GradeBand(_Strict):
    grade: str
    min_score: float = Field(ge=0)


class ApprovalThreshold(_Strict):
    """Payments of ``min_amount`` 元 or more (以上 includes the amount) need these roles."""

    min_amount: float = Field(ge=0, description="元")
    roles: tuple[str, ...]


class ApprovalRule(_Strict):
    every_voucher: tuple[str, ...] = Field(description="roles that sign every voucher")
    thresholds: tuple[ApprovalThreshold, ...] = ()


class ProblemThresholds(_Strict):
    """Thresholds of the findings (docs/rules.md §7–8); rates are fractions. The defaults are the
    values of the bundled rule files (``national.yaml``, ``sichuan.yaml``)."""

    execution_rate_min: float = Field(0.9, ge=0, le=1)
    q4_share_max: float = Field(0.5, ge=0, le=1, description="flag when Q4 spending share exceeds this")
    december_share_max: float = Field(0.3, ge=0, le=1)
    arrival_delay_days_max: int = Field(90, ge=0, description="days from 批复 to the last arrival")
    over_target_ratio: float = Field(1.3, gt=1, description="B ≥ ratio × A flags a target set too low")
    satisfaction_needs_basis_from: float = Field(0.95, ge=0, le=1)
    claim_tolerance_rate: float = Field(0.0005, ge=0, description="tolerance for claimed rates")
    claim_tolerance_score: float = Field(0.005, ge=0, description="tolerance for a claimed total")
    amount_tolerance_yuan: float = Field(0.005, ge=0, description="tolerance for sums in 元")
    review_rounding_tolerance: float = Field(
        0.5, ge=0, description="a published score this close to the rule's, equal to it rounded, is a rounding difference")
    review_rate_tolerance: float = Field(0.005, ge=0, description="a printed 执行率 this close to the computed one is right")
    review_score_tolerance: float = Field(
        0.005, ge=0, description="points: a published score or total this close to the recomputed one (or Σ rows) agrees")


class RuleSet(_Strict):
    """A complete rule set. ``level1_weights`` None means a free split of the indicator total."""

    name: str
    title: str
    basis: tuple[str, ...] = ()
    total: float = Field(100, gt=0)
    execution: ExecutionRule
    level1_weights: dict[str, float] | None = None
    level2_groups: dict[str, tuple[str, ...]]
    reverse_formula: Literal["ratio", "linear"] = "ratio"
    qualitative_bands: tuple[Band, ...]
    grades: tuple[GradeBand, ...]
    approvals: ApprovalRule
    problems: ProblemThresholds = ProblemThresholds()
    weight_tolerance: float = Field(0.01, ge=0)
    table_layout: Literal["national", "sichuan"] = Field("national", description="layout of the 自评表 workbook")

    @model_validator(mode="after")
    def _consistent(self) -> "RuleSet":
        if set(self.level2_groups) != set(LEVEL1_NAMES):
            raise ValueError(f"level2_groups 必须且只能包含 {'、'.join(LEVEL1_NAMES)}")
        if self.level1_weights is not None:
            unknown = set(self.level1_weights) - set(LEVEL1_NAMES)
            if unknown:
                raise ValueError(f"level1_weights 含未知的一级指标：{'、'.join(sorted(unknown))}")
            if abs(sum(self.level1_weights.values()) - self.indicator_total) > self.weight_tolerance:
                raise ValueError("level1_weights 之和加预算执行率分值必须等于 total")
        if len(self.qualitative_bands) < 2:
            raise ValueError("qualitative_bands 至少需要两档（第一档为“达成”）")
        grades = [g.min_score for g in self.grades]
        if grades != sorted(grades, reverse=True) or grades[-1] != 0:
            raise ValueError("grades 须按 min_score 从高到低排列，最后一档为 0")
        return self

    @property
    def indicator_total(self) -> float:
        """分值 left for the performance indicators (total − execution weight)."""
        return self.total - self.execution.weight

    def grade_of(self, score: float) -> str:
        """The grade band a total falls in (优 ≥ 90, 良 [80, 90) … by default). A total within
        1e-9 of a limit counts as reaching it: that gap is floating-point noise, not a score."""
        for band in self.grades:
            if score >= band.min_score - 1e-9:
                return band.grade
        return self.grades[-1].grade

    def band_named(self, name: str) -> Band:
        for band in self.qualitative_bands:
            if band.name == name:
                return band
        raise KeyError(name)
