"""The facts a 自评报告 still lacks: each one the report asks for where it belongs, as a marked
placeholder (【待补充：…】), and the 自查清单 lists (:mod:`selfeval_lib.report.checklist`) and the
batch index counts. One pure function of the evaluation decides them
(:func:`missing_facts`); the narrative template prints exactly these, so what is counted is what
the report shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from selfeval_lib.core.evaluation import Evaluation
from selfeval_lib.core.findings import FindingCode
from selfeval_lib.core.scoring import IndicatorScore
from selfeval_lib.core.vocabulary import below_full_marks

#: The narrative texts of the params file the report cannot do without: (fact, the part it is
#: shown in, the placeholder's label). The fact is the params field (``narrative.<fact>``).
NARRATIVE_FACTS = (
    ("financial_management", "finance", "财务管理情况"),
    ("organisation", "organisation", "项目组织架构及实施流程"),
    ("management", "management", "项目管理情况"),
    ("supervision", "supervision", "项目监管情况"),
)
#: The 一级指标 whose indicators the report walks, and the part that walks them.
INDICATOR_PARTS = {"产出指标": "completion", "效益指标": "benefits", "满意度指标": "benefits"}
#: Order in which 四（一） walks the output indicators (others follow in table order).
OUTPUT_LEVEL2_ORDER = ("数量指标", "质量指标", "时效指标", "成本指标")


@dataclass(frozen=True, slots=True)
class MissingFact:
    """One fact the report asks for: the part it is shown in (a key of the narrative's outline,
    "finance", "completion" …), which fact ("execution_reason", a narrative field, "actual" or
    "deviation" of ``indicator``, "survey") and the placeholder's label."""

    section: str
    fact: str
    label: str
    indicator: IndicatorScore | None = None


@dataclass(frozen=True, slots=True)
class MissingFacts:
    """The facts of :func:`missing_facts`, in the report's order."""

    facts: tuple[MissingFact, ...]

    def label(self, fact: str, indicator: IndicatorScore | None = None) -> str:
        """The placeholder's label of ``fact`` (of ``indicator``), "" when the fact is not missing."""
        return next((f.label for f in self.facts if f.fact == fact and f.indicator == indicator), "")

    def __len__(self) -> int:
        return len(self.facts)

    def __iter__(self):
        return iter(self.facts)


def level2_groups(ev: Evaluation, level1: str) -> list[tuple[str, list[IndicatorScore]]]:
    """The indicators of one 一级指标 grouped by 二级指标 (outputs in :data:`OUTPUT_LEVEL2_ORDER`),
    as the report walks them."""
    groups: dict[str, list[IndicatorScore]] = {}
    for s in ev.indicators:
        if s.level1 == level1:
            groups.setdefault(s.level2, []).append(s)
    rank = {name: i for i, name in enumerate(OUTPUT_LEVEL2_ORDER)}
    return sorted(groups.items(), key=lambda kv: rank.get(kv[0], len(rank)))


def _indicator_facts(ev: Evaluation) -> list[MissingFact]:
    """The actual of an indicator left blank; the deviation reason of one short of full marks."""
    out = []
    for level1, section in INDICATOR_PARTS.items():
        for _, items in level2_groups(ev, level1):
            for s in items:
                if s.kind == "unmeasured":
                    out.append(MissingFact(section, "actual", f"“{s.name}”的实际完成值", s))
                elif below_full_marks(s.score, s.weight) and not s.deviation_reason:
                    out.append(MissingFact(section, "deviation", f"“{s.name}”偏差原因及改进措施", s))
    return out


def _survey_fact(ev: Evaluation) -> MissingFact | None:
    """What the 满意度调查 paragraph lacks: its method or sample size, or the whole survey."""
    survey = ev.project_year.survey
    if survey:
        lacking = [name for name, value in (("调查方式", survey.method), ("有效样本量", survey.sample_size)) if not value]
        return MissingFact("benefits", "survey", "满意度调查的" + "、".join(lacking)) if lacking else None
    if any(s.level1 == "满意度指标" for s in ev.indicators):
        return MissingFact("benefits", "survey", "满意度调查的调查方式、有效样本量和调查时间")
    return MissingFact("benefits", "survey", "满意度调查情况")


def missing_facts(ev: Evaluation) -> MissingFacts:
    """Every fact the report of ``ev`` asks for, in the order the report shows them."""
    narrative = ev.project_year.narrative
    facts: list[MissingFact] = []
    if (not ev.project_year.funds.execution_shortfall_reason
            and any(f.code == FindingCode.EXECUTION_REASON_MISSING for f in ev.findings)):
        facts.append(MissingFact("plan_arrival_use", "execution_reason", "预算执行率偏低的原因及改进措施"))
    by_section = {section: (fact, label) for fact, section, label in NARRATIVE_FACTS}
    for section in ("finance", "organisation", "management", "supervision"):
        fact, label = by_section[section]
        if not getattr(narrative, fact):
            facts.append(MissingFact(section, fact, label))
    indicators = _indicator_facts(ev)
    facts += [f for f in indicators if f.section == "completion"]
    facts += [f for f in indicators if f.section == "benefits"]
    if (survey := _survey_fact(ev)) is not None:
        facts.append(survey)
    return MissingFacts(tuple(facts))


__all__ = ["INDICATOR_PARTS", "NARRATIVE_FACTS", "OUTPUT_LEVEL2_ORDER", "MissingFact", "MissingFacts", "level2_groups",
           "missing_facts"]
