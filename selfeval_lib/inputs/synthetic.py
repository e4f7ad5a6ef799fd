"""Realistic, varied synthetic project-years for demos, tests and benchmarks.

:func:`synthetic_params` returns plain params dicts (valid against the schema and the national
rule set) from a seeded :class:`random.Random`, so the same seed gives the same projects.
Amounts are in 元.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

_UNITS = [
    ("攀枝花市东区应急管理局", "攀枝花市东区应急管理局"),
    ("攀枝花市东区教育和体育局", "攀枝花市东区教育和体育局"),
    ("攀枝花市东区卫生健康局", "攀枝花市东区卫生健康局"),
    ("攀枝花市东区农业农村和水利局", "攀枝花市东区农业农村和水利局"),
    ("攀枝花市东区民政局", "攀枝花市东区民政局"),
    ("东区银江镇人民政府", "攀枝花市东区人民政府"),
    ("东区炳草岗街道办事处", "攀枝花市东区人民政府"),
]
_THEMES = [
    ("应急物资储备", ["帐篷", "折叠床", "发电机"], "套"),
    ("社区养老服务补贴", ["居家养老服务", "日间照料中心运营"], "人"),
    ("中小学校舍维修", ["屋面防水", "门窗更换", "操场翻新"], "所"),
    ("农村饮水安全工程维护", ["管网维修", "水质检测"], "处"),
    ("公共卫生服务", ["健康体检", "慢病随访", "预防接种宣传"], "人次"),
    ("安全生产执法检查", ["执法装备", "第三方技术服务"], "家"),
    ("城市社区网格化管理", ["网格员补贴", "信息平台运维"], "个"),
    ("森林草原防灭火", ["巡护补助", "防火宣传", "扑火装备"], "次"),
]
_ALL_ROLES = ["经办人", "分管领导", "主要领导"]


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """``total`` 元 split into ``parts`` positive whole-yuan amounts."""
    if parts == 1:
        return [total]
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0] + cuts, cuts + [total])]


def _weights(total: int, parts: int, rng: random.Random) -> list[int]:
    """``total`` 分 split into ``parts`` whole weights of at least 2."""
    base = [2] * parts
    for _ in range(total - 2 * parts):
        base[rng.randrange(parts)] += 1
    return base


def synthetic_project(rng: random.Random, index: int, year: int, payments: int | None = None) -> dict[str, Any]:
    """One project-year as a params dict; ``payments`` fixes the ledger's length."""
    unit, department = rng.choice(_UNITS)
    theme, item_names, count_unit = rng.choice(_THEMES)
    budget = rng.randrange(20, 5000) * 1000
    approved_date = date(year, 1, 1) + timedelta(days=rng.randrange(5, 60))
    items_budget = _split(budget, len(item_names), rng)
    items = [{"name": n, "purpose": f"用于{theme}{n}", "budget": b} for n, b in zip(item_names, items_budget)]

    adjustments = []
    full_year = budget
    if rng.random() < 0.2:
        delta = -rng.randrange(1, max(2, budget // 10_000)) * 1000
        adjustments.append({"date": date(year, rng.randrange(6, 11), 15).isoformat(), "amount": delta,
                            "reason": "根据实际需求调减预算"})
        full_year += delta

    arrival_rate = 1.0 if rng.random() < 0.8 else rng.uniform(0.7, 1.0)
    arrived = int(full_year * arrival_rate)
    arrival_parts = rng.randrange(1, 4)
    arrivals = [
        {"date": (approved_date + timedelta(days=rng.randrange(10, 120))).isoformat(), "amount": amount}
        for amount in _split(arrived, arrival_parts, rng)
    ]

    execution = min(arrival_rate, rng.choice([1.0, 1.0, 0.98, 0.95, 0.9, 0.85, 0.7, 0.55]))
    executed = max(int(full_year * execution), 100)
    n_payments = payments if payments is not None else rng.randrange(3, 20)
    year_end_heavy = rng.random() < 0.3
    ledger = []
    item_amounts = [int(b * executed / budget) for b in items_budget]
    item_amounts[-1] += executed - sum(item_amounts)
    per_item = max(1, n_payments // len(item_names))
    counts = [per_item] * len(item_names)
    counts[-1] += max(0, n_payments - per_item * len(item_names))
    for name, amount_total, count in zip(item_names, item_amounts, counts):
        if amount_total <= 0:
            continue
        for amount in _split(amount_total, min(count, amount_total), rng):
            month = rng.choice([11, 12, 12]) if year_end_heavy else rng.randrange(3, 13)
            approvals = list(_ALL_ROLES)
            if amount >= 5000:
                approvals.append("党委会")
            if amount >= 10000:
                approvals.append("分管区领导")
            if rng.random() < 0.03:
                approvals.pop(rng.randrange(len(approvals)))
            ledger.append({
                "date": date(year, month, rng.randrange(1, 29)).isoformat(), "amount": amount,
                "payee": f"供应商{rng.randrange(1, 40):02d}", "item": name,
                "voucher": f"记-{year}-{len(ledger) + 1:04d}", "approvals": approvals,
            })

    produced = rng.randrange(20, 200)
    done = produced if rng.random() < 0.6 else int(produced * rng.uniform(0.4, 1.4))
    deadline_month = rng.choice([9, 10, 12, 12])
    finished_month = rng.choice([deadline_month - 1, deadline_month, deadline_month, min(deadline_month + 2, 12)])
    unit_cost = round(budget / max(produced, 1))
    cost_actual = unit_cost if rng.random() < 0.8 else round(unit_cost * rng.uniform(1.01, 1.2))
    rate = rng.choice([82, 88, 90, 92, 95, 96, 98])
    partial = rng.random() < 0.25
    w_out, w_eff = _weights(50, 4, rng), _weights(30, 2, rng)
    indicators = [
        {"level1": "产出指标", "level2": "数量指标", "name": f"{theme}完成数量", "target": f"≥{produced}{count_unit}",
         "actual": f"{done}{count_unit}", "weight": w_out[0],
         "deviation_reason": "" if done >= produced or rng.random() < 0.3 else "部分任务延至次年实施"},
        {"level1": "产出指标", "level2": "质量指标", "name": "验收合格率", "target": "≥95%",
         "actual": f"{rng.choice([95, 98, 100])}%", "weight": w_out[1]},
        {"level1": "产出指标", "level2": "时效指标", "name": "完成时间", "target": f"{year}年{deadline_month}月底前",
         "actual": f"{year}年{finished_month}月", "weight": w_out[2],
         "deviation_reason": "" if finished_month <= deadline_month or rng.random() < 0.5 else "施工期延长"},
        {"level1": "产出指标", "level2": "成本指标", "name": f"单位{count_unit}成本", "target": f"≤{unit_cost}元",
         "actual": f"{cost_actual}元", "weight": w_out[3],
         "deviation_reason": "" if cost_actual <= unit_cost else "物价上涨"},
        {"level1": "效益指标", "level2": "社会效益指标", "name": f"{theme}保障水平", "target": "有效提升",
         "actual": "部分达成，覆盖面仍需扩大" if partial else rng.choice(["有效提升", "明显改善，群众反映良好", "保障水平稳步提高"]),
         "weight": w_eff[0], **({"assessment": "部分达成", "score": round(w_eff[0] * rng.uniform(0.6, 0.79), 1),
                                 "deviation_reason": "部分乡镇覆盖不足"} if partial else {})},
        {"level1": "效益指标", "level2": "可持续影响指标", "name": "长效机制", "target": "长期",
         "actual": "长期有效", "weight": w_eff[1]},
        {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "服务对象满意度", "target": "≥90%",
         "actual": f"{rate}%", "weight": 10},
    ]
    has_survey = rng.random() < 0.7
    return {
        "project": {
            "id": f"p{year}-{index:05d}", "name": f"{theme}项目（{index}）", "unit": unit, "department": department,
            "year": year, "basis_documents": [f"{year}年度部门预算批复"], "funding_source": "区级财政预算资金",
            "items": items, "overall_goal": f"完成{theme}年度任务，提升服务保障水平。", "rule_set": "national",
        },
        "funds": {
            "declared": budget, "approved": budget, "approved_date": approved_date.isoformat(),
            "adjustments": adjustments, "arrivals": arrivals, "payments": ledger,
            "execution_shortfall_reason": "" if execution >= 0.9 or rng.random() < 0.5 else "部分合同尚未结算",
        },
        "indicators": indicators,
        "survey": {"rate": rate / 100, "sample_size": rng.randrange(50, 500) if has_survey else None,
                   "method": "问卷调查" if has_survey else ""},
    }


def synthetic_params(count: int, year: int = 2023, seed: int = 2023, payments: int | None = None) -> list[dict[str, Any]]:
    """``count`` project-years for ``year`` from ``seed`` (deterministic)."""
    rng = random.Random(seed)
    return [synthetic_project(rng, i + 1, year, payments) for i in range(count)]


#: The kind of 佐证材料 each second-level indicator is usually supported by (first match wins).
EVIDENCE_KINDS = (("数量", "工作台账及统计表"), ("质量", "验收报告"), ("时效", "进度记录"), ("成本", "支付凭证及成本测算表"),
                  ("满意", "满意度调查问卷汇总"), ("可持续", "制度文件"), ("效益", "效益情况说明"))
#: Characters a file name cannot hold on Windows (or anywhere): replaced by "_".
_UNSAFE = str.maketrans({c: "_" for c in '\\/:*?"<>|'})


def evidence_files(data: dict[str, Any]) -> dict[str, bytes]:
    """Example 佐证材料 for a params dict, as the files of its evidence folder (``<id>.evidence/``
    beside the params file, where ``selfeval requality`` looks): one short text file per indicator,
    named "<indicator>-<kind>.txt" so the 复核 matches it to its indicator. Every file says it is
    synthetic. An indicator without a completion value gets none, nor a satisfaction indicator of a
    project without a survey sample: the 复核 then lists them for 补报. Deterministic."""
    p = data["project"]
    survey = data.get("survey") or {}
    out: dict[str, bytes] = {}
    for ind in data["indicators"]:
        actual = str(ind.get("actual") or "").strip()
        if not actual or ("满意" in ind["name"] + ind["level2"] and not survey.get("sample_size")):
            continue
        kind = next((k for word, k in EVIDENCE_KINDS if word in ind["level2"]), "证明材料")
        text = (f"示例佐证材料（合成数据，仅用于演示复核，不是真实材料）\n项目：{p['name']}\n实施单位：{p['unit']}\n"
                f"年度：{p['year']}\n绩效指标：{ind['level1']}／{ind['level2']}／{ind['name']}\n指标值：{ind['target']}\n"
                f"单位填报的实际完成值：{actual}\n材料：{kind}\n")
        out[f"{ind['name']}-{kind}.txt".translate(_UNSAFE)] = text.encode("utf-8")
    return out
