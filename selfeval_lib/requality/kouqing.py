"""The 复核口径 as data (``params/review-rules/<name>.yaml``): which rules re-score an indicator,
what each looks at, how much of the weight it deducts and the Chinese wording of its reason.

A rule names one of the :data:`CHECKS` the package implements (``check``); its keywords, shares
and thresholds are data. :func:`load_kouqing` finds a 口径 by name or path by the rule every named
input is found by (:func:`~selfeval_lib.inputs.rulesets.find_named`: a ``review-rules/`` folder
beside the input or above it, then the bundled ones), reads it with the safe YAML reader and
validates it (:func:`~selfeval_lib.inputs.yaml_safe.load_model`); every problem names the file,
the line and the field.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from selfeval_lib.core.rules import GradeBand, check_grades, grade_of
from selfeval_lib.inputs.rulesets import Kind, find_named
from selfeval_lib.inputs.yaml_safe import load_model
from selfeval_lib.resources import review_rules_dir

#: The checks a rule may name (docs/requality.md lists what each looks at).
Check = Literal[
    "no_evidence",                  # 1: 完成值无佐证材料
    "evidence_mismatch",            # 1: 佐证材料与登记的 SHA-256 不符
    "unrelated",                    # 2: 与项目内容无关（启发式）
    "not_assessable",               # 3: 无法评价，按程度扣分（启发式）
    "satisfaction_without_survey",  # 4: 满意度无调查依据
    "over_target",                  # 5: 完成值超过目标 130% 以上（只标注）
    "qualitative_quantity",         # 6: 数量指标写成定性（只标注）
    "timeliness_partial",           # 7: 多个时效目标之一未完成
    "qualitative_benefit",          # 8: 定性效益指标已产生效益（只标注）
    "duplicate",                    # 9: 重复指标（启发式）
    "misplaced",                    # 10: 三级指标与二级指标不符（启发式）
    "shortfall_without_reason",     # 12: 扣分而未说明原因
    "cost_as_floor",                # 3: 成本指标写成下限（≥），无法据以评价成本控制
    "cost_against_funds",           # 11: 单位成本与支付明细、数量指标算得的结果不符
]
#: The placeholders a rule's ``reason`` (and a level's) may use.
PLACEHOLDERS = frozenset({"name", "level1", "level2", "target", "actual", "weight", "share", "detail", "code"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


Share = Annotated[float, Field(ge=0, le=1)]
Words = tuple[Annotated[str, Field(min_length=1, max_length=40)], ...]


def _check_placeholders(text: str) -> str:
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
    except ValueError:
        raise ValueError("花括号不成对：占位符写作 {name}，文字中的花括号写作 {{ }}") from None
    unknown = sorted({f for f in fields if f not in PLACEHOLDERS})
    if unknown:
        raise ValueError(f"未知占位符 {', '.join('{' + f + '}' for f in unknown)}；可用：{', '.join(sorted(PLACEHOLDERS))}")
    return text


class Level(_Strict):
    """A degree of a rule that deducts by degree (``not_assessable``): its share and its words."""

    name: str = Field(min_length=1, max_length=20, description="程度，如 严重、较重、轻微")
    applies: Literal["vague_unmeasured", "bare_rate", "vague_measured"] = Field(
        description="vague_unmeasured：指标值含笼统词且完成值未量化；bare_rate：指标名称只是一个比率（无对象）；"
                    "vague_measured：指标值含笼统词而完成值已量化")
    share: Share
    words: Words = ()
    reason: str = ""

    @field_validator("reason")
    @classmethod
    def _known_placeholders(cls, value: str) -> str:
        return _check_placeholders(value)


class Placement(_Strict):
    """Words that do not belong under a level 2 (or a level 1): a payment rate under 数量指标."""

    level2: str = ""
    level1: str = ""
    words: Words = Field(min_length=1)

    @model_validator(mode="after")
    def _one_level(self) -> Placement:
        if not self.level2 and not self.level1:
            raise ValueError("须填写 level2（二级指标）或 level1（一级指标）")
        return self


class Rule(_Strict):
    """One rule: its ``code`` (as the 口径 numbers it), the check it runs, what it looks at, the
    share of the weight it deducts (``all`` = 1.0; 0 for a rule that only flags), its reason."""

    code: str = Field(min_length=1, max_length=20)
    article: str = Field("", max_length=20, description="文书中引用的口径条目（如 1A 规则引用第1条）；不填即 code")
    check: Check
    looks_at: str = Field(min_length=1, max_length=200)
    deduction: Share | Literal["all"]
    reason: str = Field(min_length=1, max_length=300)
    heuristic: bool = False
    enabled: bool = True
    words: Words = Field(default=(), description="关键词（启发式规则的判断依据）")
    generic: Words = Field(default=(), description="通用词（相关性判断时忽略）")
    judged_levels: Words = Field(default=(), description="unrelated：只判断二级指标含这些词的指标（如数量、效益）；空 = 全部")
    levels: tuple[Level, ...] = ()
    placements: tuple[Placement, ...] = ()
    ratio: float | None = Field(None, gt=1, description="over_target：完成值/目标值超过此比例")
    min_content_chars: int = Field(12, ge=0, description="unrelated：项目内容少于此字数时不判断")
    char_overlap: float = Field(0.5, gt=0, le=1, description="unrelated：名称中出现在项目内容里的字占此比例即视为相关")
    similarity: float = Field(0.85, gt=0, le=1, description="duplicate：名称相似度")
    tolerance: float = Field(0.1, gt=0, lt=1, description="cost_against_funds：填报的单位成本与算得的相差超过此比例即不符")

    @field_validator("reason")
    @classmethod
    def _known_placeholders(cls, value: str) -> str:
        return _check_placeholders(value)

    @property
    def share(self) -> float:
        return 1.0 if self.deduction == "all" else float(self.deduction)

    @property
    def cited(self) -> str:
        """The 口径 entry documents cite (``article``, else ``code``)."""
        return self.article or self.code

    @model_validator(mode="after")
    def _parts(self) -> Rule:
        if self.check == "not_assessable" and not self.levels:
            raise ValueError("not_assessable 规则须列出 levels（程度、扣分比例、关键词）")
        if self.check == "misplaced" and not self.placements:
            raise ValueError("misplaced 规则须列出 placements（二级指标及不应出现的关键词）")
        if self.check == "over_target" and self.ratio is None:
            raise ValueError("over_target 规则须填写 ratio（如 1.3）")
        return self


class Warnings(_Strict):
    """The provincial platform's warnings: red when the indicators' share of their maximum
    outruns the spending by more than ``red_gap``; yellow when the budget is 0 or more than
    ``unspent_share`` of it is unspent."""

    red_gap: Share = 0.05
    unspent_share: Share = 0.2


class Deadlines(_Strict):
    """The time a unit is given: to supply missing 佐证材料 (补报) and to report its 整改, in days
    from the document's date (or from its receipt, when the document is not dated)."""

    supplement_days: int = Field(15, ge=1, le=365)
    rectify_days: int = Field(30, ge=1, le=365)


class Kouqing(_Strict):
    """A 复核口径. ``base``: what a rule deducts from — the score recomputed by the scoring rules
    (``recomputed``) or the unit's own (``self``). ``scoring``: the scoring rule set used to
    recompute a published table (a params file names its own)."""

    name: str = Field(min_length=1, max_length=80)
    title: str = Field(min_length=1, max_length=200)
    basis: tuple[str, ...] = ()
    base: Literal["recomputed", "self"] = "recomputed"
    scoring: str = Field("national", pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
    grades: tuple[GradeBand, ...] = Field(min_length=1)
    warnings: Warnings = Warnings()
    deadlines: Deadlines = Deadlines()
    rules: tuple[Rule, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Kouqing:
        codes = [r.code for r in self.rules]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise ValueError(f"规则编号重复：{'、'.join(dupes)}")
        check_grades(self.grades)
        return self

    def grade_of(self, score: float) -> str:
        """The grade band a total (points) falls in, by the 口径's ``grades``."""
        return grade_of(self.grades, score)

    def active(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.enabled)


#: 口径: ``review-rules/``, the package's ``data/review-rules``, $SELFEVAL_REVIEW_RULES_DIR.
KOUQING = Kind("复核口径", "review-rules", review_rules_dir(), "SELFEVAL_REVIEW_RULES_DIR")


def kouqing_path(name_or_path: str, near: Path | None = None) -> Path:
    """The file of a 口径 by the one rule of named inputs (:func:`~selfeval_lib.inputs.rulesets.find_named`):
    a path as given, else ``NAME.yaml`` in $SELFEVAL_REVIEW_RULES_DIR, in a ``review-rules/``
    folder beside ``near`` or above it, then the bundled."""
    return find_named(KOUQING, name_or_path, near, source=name_or_path, field="--rules")


def load_kouqing(name_or_path: str, near: Path | None = None) -> Kouqing:
    """Read and validate a 口径; :class:`InputError` lists every problem (file, line, field)."""
    return load_model(kouqing_path(name_or_path, near), Kouqing)
