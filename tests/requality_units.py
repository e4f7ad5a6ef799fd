"""30 generated units for the 自评质量复核 across a jurisdiction, with planted cases.

:func:`unit_params` builds the params dicts (from :func:`selfeval_lib.inputs.synthetic.synthetic_project`,
each unit 2–3 projects, each project a narrative of its own) and plants:

- ``copied``: pairs of units whose projects share a 效益 paragraph (its numbers changed);
- ``all_hundred``: units that scored every project 100;
- ``no_evidence``: units whose indicators name no evidence (every other indicator has a file);
- ``foreign``: a 民族 project whose satisfaction indicator names 受益老年人;
- ``shared_set``: two units whose projects state the very same indicators.

:func:`write_units` writes them as params files (and the evidence files) into a folder;
:func:`fake_results` turns them into :class:`~selfeval_lib.requality.model.Requality` results
directly (evidence requested and missing → the indicator scores 0 by the 口径's entry 1), for the
summary's tests and the benchmark without the per-table 复核.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from selfeval_lib.inputs.synthetic import synthetic_project
from selfeval_lib.requality.model import (
    IndicatorRequality,
    ProjectText,
    Requality,
    RequalityWarning,
    RuleHit,
)

DISTRICTS = ("东区", "西区", "仁和区", "米易县", "盐边县")
BUREAUS = ("教育和体育局", "卫生健康局", "民政局", "农业农村和水利局", "应急管理局", "住房和城乡建设局")
WORDS = ("统筹", "推进", "落实", "完善", "机制", "群众", "服务", "保障", "提升", "水平", "基层", "队伍", "培训",
         "宣传", "覆盖", "管理", "制度", "规范", "台账", "督导", "考核", "资金", "使用", "效率", "安全", "隐患",
         "整改", "设施", "维护", "运行", "平台", "信息", "数据", "共享", "协同", "联动", "巡查", "应急", "响应",
         "能力", "质量", "标准", "验收", "合同", "采购", "公开", "透明", "监督", "问题", "短板", "改善", "环境",
         "条件", "民生", "需求", "满意", "反馈", "走访", "调研", "乡镇", "街道", "社区", "村组", "示范", "带动")
COPIED = (("本项目通过政府购买服务的方式，为辖区内80岁以上高龄老人提供居家养老上门服务，全年累计服务1200人次，"
          "有效提升了老年人的生活质量和幸福感，群众满意度较高，形成了可复制可推广的经验做法。"),
          ("项目实施后，辖区内12所学校的校舍安全隐患全部整改到位，改善了3000余名师生的学习生活条件，"
          "家长和社会各界普遍认可，学校安全管理制度进一步健全，为教育事业高质量发展奠定了坚实基础。"))


@dataclass
class Planted:
    """Which units carry which planted case."""

    copied: list[tuple[str, str]] = field(default_factory=list)
    all_hundred: list[str] = field(default_factory=list)
    no_evidence: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    shared_set: list[str] = field(default_factory=list)


def unit_names(count: int = 30) -> list[tuple[str, str]]:
    """(unit, department) of ``count`` units: 攀枝花市<district><bureau>, the department its bureau."""
    names = [(f"攀枝花市{d}{b}", f"攀枝花市{b.replace('局', '')}系统") for b in BUREAUS for d in DISTRICTS]
    return names[:count]


def _paragraph(rng: random.Random, unit: str, theme: str) -> str:
    words = [rng.choice(WORDS) + rng.choice(WORDS) for _ in range(18)]
    clauses = ["".join(words[i:i + 3]) for i in range(0, 18, 3)]
    return f"{unit}围绕{theme}，" + "，".join(clauses) + "。"


def unit_params(seed: int = 2024, year: int = 2023, units: int = 30) -> tuple[list[dict[str, Any]], Planted]:
    """The params dicts of ``units`` units and what was planted in them."""
    rng = random.Random(seed)
    names = unit_names(units)
    planted = Planted(copied=[(names[4][0], names[17][0]), (names[9][0], names[22][0])],
                      all_hundred=[names[3][0], names[12][0]], no_evidence=[names[7][0], names[20][0]],
                      foreign=[names[14][0]], shared_set=[names[1][0], names[26][0]])
    out: list[dict[str, Any]] = []
    index = 0
    for n, (unit, department) in enumerate(names):
        for _ in range(2 + n % 2):
            index += 1
            data = synthetic_project(rng, index, year)
            p = data["project"]
            p["unit"], p["department"] = unit, department
            p["id"] = f"u{n + 1:02d}-{index:03d}"
            theme = p["name"].split("项目")[0]
            data["narrative"] = {"benefits": _paragraph(rng, unit, theme)}
            p["overall_goal"] = _paragraph(rng, unit, f"{theme}年度目标")
            for i, ind in enumerate(data["indicators"]):
                if unit not in planted.no_evidence:
                    ind["evidence"] = [{"file": f"evidence/{p['id']}-{i + 1}.txt", "description": "验收资料"}]
            claimed = 100 if unit in planted.all_hundred else rng.choice([91.5, 93, 95, 96.5, 98])
            data["claims"] = {"total_score": claimed, "grade": "优"}
            out.append(data)
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for data in out:
        by_unit.setdefault(data["project"]["unit"], []).append(data)
    for (a, b), text in zip(planted.copied, COPIED):
        by_unit[a][0]["narrative"]["benefits"] = text
        by_unit[b][-1]["narrative"]["benefits"] = text.replace("80", "75").replace("1200", "860").replace("12所", "9所")
    ethnic = by_unit[planted.foreign[0]][0]
    ethnic["project"]["name"] = "民族团结进步示范创建项目"
    ethnic["project"]["items"] = [{"name": "民族文化活动", "purpose": "开展民族团结宣传月和民族文化活动",
                                   "budget": ethnic["funds"]["approved"]}]
    for payment in ethnic["funds"]["payments"]:
        payment["item"] = "民族文化活动"
    ethnic["project"]["overall_goal"] = "开展民族团结进步示范创建，增进各族群众交往交流交融。"
    ethnic["indicators"][-1]["name"] = "受益老年人满意度"
    a, b = planted.shared_set
    by_unit[b][0]["indicators"] = copy.deepcopy(by_unit[a][0]["indicators"])
    return out, planted


def write_units(folder: Path, seed: int = 2024) -> tuple[list[Path], Planted]:
    """Write the params files (``<folder>/<id>.yaml``) and the evidence they name."""
    params, planted = unit_params(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for data in params:
        for ind in data["indicators"]:
            for ev in ind.get("evidence", []):
                target = folder / ev["file"]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(f"{data['project']['name']} {ind['name']} 佐证材料\n", encoding="utf-8")
        path = folder / f"{data['project']['id']}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths, planted


def _indicator(ind: dict[str, Any], evidence: bool, claimed_full: bool) -> IndicatorRequality:
    weight = float(ind["weight"])
    self_score = weight if claimed_full or ind.get("score") is None else float(ind["score"])
    share = 0.0 if evidence else 1.0
    hits = () if evidence else (RuleHit("1", 1.0, f"“{ind['name']}”的完成值无佐证材料", False, "佐证材料"),)
    return IndicatorRequality(
        row=None, level1=ind["level1"], level2=ind["level2"], name=ind["name"], target=ind["target"],
        actual=ind.get("actual", ""), weight=weight, self_score=self_score, recomputed_score=self_score,
        requality_score=self_score * (1 - share), share=share, deduction=self_score * share,
        rule_code="" if evidence else "1", reason="" if evidence else hits[0].reason, heuristic=False, hits=hits)


#: The bundled 口径's title, as the documents name it.
KOUQING_TITLE = "区级财政支出项目绩效自评质量复核口径"


def _grade(total: float) -> str:
    """The grade of a total by the usual bands (90/80/60)."""
    return next(g for g, floor in (("优", 90), ("良", 80), ("中", 60), ("差", 0)) if total >= floor - 1e-9)


def fake_result(data: dict[str, Any], source: str = "") -> Requality:
    """A :class:`Requality` of a params dict without the per-table 复核: evidence requested and
    missing → 0 (口径第1条);
    a red warning when less than 80% of the budget was paid."""
    p, funds = data["project"], data["funds"]
    full = bool(data.get("claims", {}).get("total_score") == 100)
    indicators = tuple(_indicator(i, bool(i.get("evidence")), full) for i in data["indicators"])
    budget = float(funds["approved"])
    executed = float(sum(x["amount"] for x in funds["payments"]))
    rate = executed / budget if budget else 0.0
    exec_score = 10.0 if full else round(min(rate, 1.0) * 10, 2)
    claimed = data.get("claims", {}).get("total_score")
    self_total = float(claimed) if claimed is not None else sum(i.self_score or 0 for i in indicators) + exec_score
    warnings = (RequalityWarning("yellow", "BUDGET_UNSPENT", "预算结余超过 20%", 1 - rate, 0.2),) if rate < 0.8 else ()
    texts = tuple(ProjectText(k, v) for k, v in (("overall_goal", p["overall_goal"]),
                                                  ("narrative.benefits", data.get("narrative", {}).get("benefits", "")))
                  if v)
    content = "；".join(f"{i['name']} {i.get('purpose', '')}" for i in p["items"])
    total = self_total - sum(i.deduction for i in indicators)
    return Requality(
        source=source or f"{p['id']}.yaml", kind="params", rules="district", rules_title=KOUQING_TITLE, unit=p["unit"], department=p["department"],
        project=p["name"], project_id=p["id"], year=p["year"], self_total=self_total,
        requality_total=total, self_grade=_grade(self_total), requality_grade=_grade(total),
        indicators=indicators, execution_rate=rate, execution_score=exec_score, execution_weight=10.0,
        budget=budget, executed=executed, warnings=warnings, texts=texts, content=content,
        evidence_status="provided" if any(i.get("evidence") for i in data["indicators"]) else "requested")


def fake_results(seed: int = 2024) -> tuple[list[Requality], Planted]:
    """The 30 units' results (see :func:`fake_result`) and what was planted."""
    params, planted = unit_params(seed)
    return [fake_result(d) for d in params], planted
