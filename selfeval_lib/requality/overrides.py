"""A reviewer's overrides (复核人改判): a small YAML file that sets an indicator's 复核得分 or
turns rules off for it, each with the reviewer's reason; a re-run respects it and the 复核意见
records it.

.. code-block:: yaml

    overrides:
      - indicator: 培训覆盖率          # 三级指标名称
        source: 2023-emergency.yaml    # 可选：只用于该输入（文件名、项目编号或项目名称）
        rules_off: ["2"]               # 可选：不适用的口径条目
        score: 8                       # 可选：直接给定复核得分
        reason: 培训名单已补充，指标与项目相关
    evidence_requests:                 # 补报佐证材料的通知及其期限（已届满）
      - source: 2023-emergency.yaml    # 可选：只用于该输入；不填则用于全部输入
        requested: 2024-03-01          # 通知补报的日期
        due: 2024-03-15                # 补报期限
        notice: 东财绩函〔2024〕3号    # 可选：通知的文号

An evidence request on record is what lets the evidence rule zero an indicator whose 佐证材料
were not supplied: without it the 复核 only asks for them (补报) and deducts nothing for their
absence.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from selfeval_lib.core.formatting import chinese_date
from selfeval_lib.inputs.yaml_safe import load_model


class Override(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    indicator: str = Field(min_length=1, max_length=200, description="三级指标名称")
    source: str = Field("", max_length=300, description="只用于该输入：文件名、项目编号或项目名称")
    rules_off: tuple[str, ...] = Field(default=(), description="对该指标不适用的口径条目编号")
    score: float | None = Field(None, ge=0, le=100, description="复核得分（不超过该指标分值）")
    reason: str = Field(min_length=1, max_length=500, description="复核人的理由")

    @model_validator(mode="after")
    def _does_something(self) -> Override:
        if self.score is None and not self.rules_off:
            raise ValueError("须填写 score（复核得分）或 rules_off（不适用的口径条目）")
        return self

    def matches(self, name: str, keys: tuple[str, ...]) -> bool:
        return self.indicator == name.strip() and (not self.source or self.source in keys)


class EvidenceRequest(BaseModel):
    """The reviewer's record that the 佐证材料 were requested (补报) by ``due`` and the deadline
    has passed: what turns “not supplied” into “absent”."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    source: str = Field("", max_length=300, description="只用于该输入：文件名、项目编号或项目名称；不填用于全部输入")
    requested: dt.date = Field(description="通知补报的日期")
    due: dt.date = Field(description="补报期限")
    notice: str = Field("", max_length=100, description="通知的文号")

    @model_validator(mode="after")
    def _order(self) -> EvidenceRequest:
        if self.due < self.requested:
            raise ValueError("due（补报期限）不能早于 requested（通知日期）")
        return self

    def matches(self, keys: tuple[str, ...]) -> bool:
        return not self.source or self.source in keys

    def sentence(self) -> str:
        """How the request is cited: 已于2024年3月1日通知补报（东财绩函〔2024〕3号，限2024年3月15日前）."""
        inside = "，".join(x for x in (self.notice, f"限{chinese_date(self.due)}前") if x)
        return f"已于{chinese_date(self.requested)}通知补报（{inside}）"


class Overrides(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    overrides: tuple[Override, ...] = ()
    evidence_requests: tuple[EvidenceRequest, ...] = ()


def load_overrides(path: Path) -> Overrides:
    """Read and validate an overrides file; :class:`InputError` lists every problem."""
    return load_model(path, Overrides)
