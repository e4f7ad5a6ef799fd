"""Rule sets: the scoring and review rules as data (``params/rules/<name>.yaml``).

Every number of ``docs/rules.md`` (财预〔2020〕10号 and provincial practice) is a field
here, never a constant in code: weights, the execution and reverse formulas, qualitative and
grade bands, payment-approval thresholds and roles, and the thresholds that raise findings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from selfeval_lib.core.vocabulary import LEVEL1_NAMES, SCORE_NOISE

#: A monitoring light (docs/monitoring.md): red, yellow, green, and blue for running ahead.
Light = Literal["red", "yellow", "green", "blue"]


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
    """A grade (优, 良 …) and the lowest total (points) that reaches it; a rule set's and a 口径's."""

    grade: str = Field(min_length=1, max_length=4)
    min_score: float = Field(ge=0)


def check_grades(grades: Sequence[GradeBand]) -> None:
    """Raise ValueError unless the bands run from the highest ``min_score`` down to 0."""
    limits = [g.min_score for g in grades]
    if not limits or limits != sorted(limits, reverse=True) or limits[-1] != 0:
        raise ValueError("grades 须按 min_score 从高到低排列，最后一档为 0")


def grade_of(grades: Sequence[GradeBand], score: float) -> str:
    """The grade band a total (points) falls in (优 ≥ 90, 良 [80, 90) … by default). A total within
    :data:`~selfeval_lib.core.vocabulary.SCORE_NOISE` of a limit reaches it: that gap is
    floating-point noise, not a score."""
    for band in grades:
        if score >= band.min_score - SCORE_NOISE:
            return band.grade
    return grades[-1].grade


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


class LightBand(_Strict):
    """A light for a progress (points) of ``min`` or more, up to the next band's ``min``."""

    light: Light
    min: float = Field(ge=0)


def _ascending(bands: tuple[LightBand, ...], name: str) -> None:
    mins = [b.min for b in bands]
    if not bands or mins[0] != 0 or mins != sorted(set(mins)):
        raise ValueError(f"monitoring.{name} 须按 min 从 0 起严格递增排列")


class MonitoringCheckpoint(_Strict):
    """The finance bureau's 预算执行进度 target: 执行率 ``rate`` (fraction) by the end of ``month``."""

    month: int = Field(ge=1, le=12)
    rate: float = Field(gt=0, le=1)


class MonitoringRules(_Strict):
    """The lights of 绩效运行监控 (docs/monitoring.md); the defaults are a provincial platform's.

    执行进度 = 执行率 ÷ (N ÷ 12) × 100; a positive indicator's progress = 完成值 ÷ (指标值 ÷ 12 × N)
    × 100, except a percentage target ("≥95%") when ``prorate_percent`` is false: then 完成值 ÷
    指标值 × 100 (a rate is not earned month by month)."""

    execution_lights: tuple[LightBand, ...] = Field((
        LightBand(light="red", min=0), LightBand(light="yellow", min=60), LightBand(light="green", min=80)),
        description="执行进度的灯，按下限从 0 起递增；下限含本数")
    positive_lights: tuple[LightBand, ...] = Field((
        LightBand(light="red", min=0), LightBand(light="yellow", min=60), LightBand(light="green", min=80),
        LightBand(light="blue", min=120)), description="正向指标进度的灯，按下限从 0 起递增；下限含本数")
    reverse_within: Light = Field("green", description="反向指标：不超过指标值")
    reverse_over: Light = Field("red", description="反向指标：超过指标值")
    qualitative_lights: dict[str, Light] = Field(
        default_factory=lambda: {"达成": "green", "部分达成": "yellow", "未达成": "red"},
        description="定性指标各档次（qualitative_bands 的名称）的灯")
    time_on_track: Light = Field("green", description="时效指标：截至 N 月末未过期限，或已按期完成")
    time_late: Light = Field("red", description="时效指标：已过期限仍未完成，或完成晚于期限")
    checkpoints: tuple[MonitoringCheckpoint, ...] = Field((
        MonitoringCheckpoint(month=7, rate=0.4), MonitoringCheckpoint(month=11, rate=0.8)),
        description="财政部门的预算执行进度要求；N 月适用月份不晚于 N 的最后一项")
    checkpoint_met: Light = Field("green", description="执行率达到进度要求")
    checkpoint_missed: Light = Field("red", description="执行率低于进度要求")
    prorate_percent: bool = Field(False, description="百分比指标是否按月折算（false：完成值 ÷ 指标值 × 100）")
    level_words: tuple[str, ...] = Field(
        ("在用", "在线", "在岗", "在册", "在运", "正常运行", "运行率", "保有", "覆盖", "完好", "开通", "持有"),
        description="未写监控口径的指标，名称含其中一词即按时点指标（与指标值直接比较，不按月折算）")
    single_payment_share: float = Field(
        0.5, gt=0, le=1, description="一笔支付占 1–N 月支出的比例达到此值时，推算注明可能高估")
    reason_required: tuple[Light, ...] = Field(("red", "yellow"), description="须说明偏差原因和纠偏措施的灯")

    @model_validator(mode="after")
    def _consistent(self) -> "MonitoringRules":
        _ascending(self.execution_lights, "execution_lights")
        _ascending(self.positive_lights, "positive_lights")
        months = [c.month for c in self.checkpoints]
        if months != sorted(set(months)):
            raise ValueError("monitoring.checkpoints 须按月份递增排列，月份不重复")
        return self


class TemplateSplit(_Strict):
    """A published template's own split of the 100 points (执行20/产出60/效益10/满意度10): a table
    that prints it is read by its printed weights, not flagged as differing from the rule set."""

    title: str = Field(min_length=1, description="the template, as the readings name it")
    execution_weight: float = Field(ge=0, le=100, description="分值 of 预算执行率 in the template")
    level1_weights: dict[str, float] = Field(description="分值 of each 一级指标 in the template")


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
    monitoring: MonitoringRules = MonitoringRules()
    template_splits: tuple[TemplateSplit, ...] = Field((), description="published templates' own splits (review)")

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
        for template in self.template_splits:
            unknown = set(template.level1_weights) - set(LEVEL1_NAMES)
            if unknown:
                raise ValueError(f"template_splits“{template.title}”含未知的一级指标：{'、'.join(sorted(unknown))}")
            if abs(template.execution_weight + sum(template.level1_weights.values()) - self.total) > self.weight_tolerance:
                raise ValueError(f"template_splits“{template.title}”的预算执行率与各一级指标分值之和必须等于 total")
        if len(self.qualitative_bands) < 2:
            raise ValueError("qualitative_bands 至少需要两档（第一档为“达成”）")
        bands = {b.name for b in self.qualitative_bands}
        if set(self.monitoring.qualitative_lights) != bands:
            raise ValueError(f"monitoring.qualitative_lights 须且只须列出定性档次：{'、'.join(b.name for b in self.qualitative_bands)}")
        check_grades(self.grades)
        return self

    @property
    def indicator_total(self) -> float:
        """分值 left for the performance indicators (total − execution weight)."""
        return self.total - self.execution.weight

    def grade_of(self, score: float) -> str:
        """The grade band a total (points) falls in (:func:`grade_of`)."""
        return grade_of(self.grades, score)

    def band_named(self, name: str) -> Band:
        for band in self.qualitative_bands:
            if band.name == name:
                return band
        raise KeyError(name)
