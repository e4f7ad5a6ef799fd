"""Published 自评表 as the review tests need them: three tables as YAML transcribes them, and
writers that print each into a worksheet the way its layout does (national, Sichuan, Yunnan).

Each workbook is built with openpyxl the way such tables are printed (merged level-1 cells, "20%"
weights, amounts in 元 or 万元, "——" blanks, ≧ ═ ＞ glyphs, "600余人"); a writer returns the same
table as YAML would transcribe it, with the sheet row numbers, so the two readings can be compared
field by field and reviewed with the same findings.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import yaml
from conftest import ROOT
from openpyxl import Workbook

from selfeval_lib.review.readers import load_table
from selfeval_lib.review.table import PublishedTable

DATA = ROOT / "tests" / "data" / "review"

# --- tables, as YAML transcribes them -------------------------------------------------------------

NATIONAL: dict[str, Any] = {
    "project": {"name": "社区应急避难场所建设", "department": "某区应急管理局", "unit": "某区应急服务中心", "year": 2023},
    "total_weight": 100,
    "funds": {"amount_unit": "万元", "budget_initial": 120, "budget_full_year": 110, "executed": 99, "weight": 10,
              "rate": "90%", "score": 9, "reason": ""},
    "indicators": [
        {"level1": "产出指标", "level2": "数量指标", "name": "新建避难场所", "target": "≥6处", "actual": "6处",
         "weight": "20%", "score": 20},
        {"level1": "产出指标", "level2": "数量指标", "name": "培训社区居民", "target": "600余人", "actual": "520人",
         "weight": "10%", "score": 10},
        {"level1": "产出指标", "level2": "质量指标", "name": "验收合格率", "target": "≥95%", "actual": "——",
         "weight": "10%", "score": 10},
        {"level1": "产出指标", "level2": "成本指标", "name": "单处建设成本", "target": "≤18万元", "actual": "16.5万元",
         "weight": "10%", "score": 10},
        {"level1": "效益指标", "level2": "社会效益指标", "name": "应急避险能力", "target": "明显提升", "actual": "部分达成",
         "weight": "30%", "score": 22, "deviation_reason": "两处场所标识未完善，次年补齐"},
        {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "居民满意度", "target": "≥90%", "actual": "97%",
         "weight": "10%", "score": 10},
    ],
    "published_total": 91,
    "published_grade": "优",
}

SICHUAN: dict[str, Any] = {
    "project": {"name": "51000023R0000001-防汛物资储备", "department": "某县应急管理局", "unit": "某县应急管理局", "year": 2023},
    "total_weight": 100,
    "funds": {"amount_unit": "元", "budget_initial": 500000, "budget_full_year": 480000, "executed": 408000,
              "weight": 10, "rate": "85%", "score": 8.5, "reason": ""},
    "indicators": [
        {"level1": "产出指标", "level2": "数量指标", "name": "储备冲锋舟", "target": "≥4艘", "actual": "4艘",
         "weight": 20, "score": 20},
        {"level1": "产出指标", "level2": "数量指标", "name": "储备救生衣", "target": "≥500件", "actual": "450",
         "weight": 20, "score": 18, "deviation_reason": "供货延迟"},
        {"level1": "产出指标", "level2": "质量指标", "name": "物资验收合格率", "target": "=100%", "actual": "100",
         "weight": 20, "score": 20},
        {"level1": "产出指标", "level2": "成本指标", "name": "采购成本", "target": "≤48万元", "actual": "40.8",
         "weight": 10, "score": 10},
        {"level1": "效益指标", "level2": "社会效益指标", "name": "防汛应急保障能力", "target": "有效提升", "actual": "有效提升",
         "weight": 20, "score": 20},
    ],
    "published_total": 96.5,
}

YUNNAN: dict[str, Any] = {
    "project": {"name": "边境村寨消防设施维护", "department": "某州消防救援支队", "unit": "某县消防救援大队", "year": 2023},
    "total_weight": 100,
    "funds": {"amount_unit": "万元", "budget_initial": 40, "budget_full_year": 40, "executed": 38.6, "weight": 10,
              "rate": "96.5%", "score": 9.65, "reason": ""},
    "indicators": [
        {"level1": "产出指标", "level2": "数量指标", "name": "维护消防栓", "target": "≧120个", "actual": "126个",
         "weight": 20, "score": 20},
        {"level1": "产出指标", "level2": "质量指标", "name": "设施完好率", "target": "═100%", "actual": "98%",
         "weight": 15, "score": 15},
        {"level1": "产出指标", "level2": "时效指标", "name": "巡检频次", "target": "＞11次", "actual": "12次",
         "weight": 5, "score": 5},
        {"level1": "产出指标", "level2": "成本指标", "name": "单个维护成本", "target": "≤3200元", "actual": "3000元",
         "weight": 10, "score": 10},
        {"level1": "效益指标", "level2": "社会效益指标", "name": "火灾防控能力", "target": "明显增强", "actual": "达成",
         "weight": 30, "score": 30},
        {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "村民满意度", "target": "≥90%", "actual": "95%",
         "weight": 10, "score": 10},
    ],
    "published_total": 99.65,
    "published_grade": "优",
    "survey": {"sample_size": 200, "method": "入户问卷"},
}

_SPLIT = re.compile(r"^(≥|≤|=|≧|≦|═|＞|＜|>|<)?(\d+(?:\.\d+)?)(余)?(.*)$")


def split_target(target: str, words: bool = False) -> tuple[Any, Any, str]:
    """"≥95%" → ("≥", 95, "%"); text → ("定性", text, ""); ``words``: ≥ → 正向, ≤ → 反向."""
    m = _SPLIT.match(target)
    if not m or m.group(3):
        return ("定性" if not m else "", target, "")
    op, number, _, unit = m.groups()
    value = float(number) if "." in number else int(number)
    if words and op in ("≥", "≤"):
        op = {"≥": "正向", "≤": "反向"}[op]
    return (op or "", value, unit)


def _cell_value(text: Any) -> Any:
    """Plain numbers as numbers (as Excel stores them); everything else as printed."""
    if isinstance(text, str) and re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text) if "." in text else int(text)
    return text


def _write_indicators(ws, first: int, data: dict, cols: dict[str, int], split: str | None,
                      level1_note: bool) -> None:
    """Indicator rows from row ``first``; level-1 and level-2 cells merged over their groups."""
    rows = data["indicators"]
    sums: dict[str, float] = {}
    for ind in rows:
        w = str(ind["weight"]).rstrip("%")
        sums[ind["level1"]] = sums.get(ind["level1"], 0) + (float(w) if re.fullmatch(r"\d+(\.\d+)?", w) else 0)
    if level1_note:  # the layout reader reads the 一级指标's printed weight
        data["block_weights"] = {level1: f"{weight:g}" for level1, weight in sums.items()}
    groups: dict[str, list[int]] = {}
    for i, ind in enumerate(rows):
        r = first + i
        ind["row"] = r
        level1 = f"{ind['level1']}（{sums[ind['level1']]:g}分）" if level1_note else ind["level1"]
        groups.setdefault(("l1", ind["level1"]), []).append(r)
        groups.setdefault(("l2", ind["level1"], ind["level2"]), []).append(r)
        if r == groups[("l1", ind["level1"])][0]:
            ws.cell(r, cols["level1"], level1)
        if r == groups[("l2", ind["level1"], ind["level2"])][0]:
            ws.cell(r, cols["level2"], ind["level2"])
        ws.cell(r, cols["name"], ind["name"])
        if split:
            op, value, unit = split_target(ind["target"], words=split == "words")
            ws.cell(r, cols["op"], op or None)
            ws.cell(r, cols["value"], value)
            ws.cell(r, cols["unit"], unit or "——")
        else:
            ws.cell(r, cols["target"], ind["target"])
        ws.cell(r, cols["actual"], _cell_value(ind["actual"]))
        ws.cell(r, cols["weight"], ind["weight"])
        ws.cell(r, cols["score"], ind["score"])
        ws.cell(r, cols["reason"], ind.get("deviation_reason") or None)
    for key, members in groups.items():
        col = cols["level1"] if key[0] == "l1" else cols["level2"]
        if len(members) > 1:
            ws.merge_cells(start_row=members[0], start_column=col, end_row=members[-1], end_column=col)


def write_national(ws, data: dict, unit: str = "万元") -> dict:
    """The national 自评表 (财预〔2020〕10号 layout); returns ``data`` with the sheet rows."""
    data = copy.deepcopy(data)
    p, f = data["project"], data["funds"]
    ws.append(["项目支出绩效自评表"])
    ws.merge_cells("A1:I1")
    ws.append([f"（{p['year']}年度）"])
    ws.merge_cells("A2:I2")
    ws.append(["项目名称", p["name"]])
    ws.merge_cells("B3:I3")
    ws.append(["主管部门", p["department"], None, None, "实施单位", p["unit"]])
    ws.merge_cells("B4:D4")
    ws.merge_cells("F4:I4")
    ws.append([f"项目资金（{unit}）", None, None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
    ws.append([None, "年度资金总额", None, f["budget_initial"], f["budget_full_year"], f["executed"], f["weight"],
               float(f["rate"].rstrip("%")) / 100, f["score"]])
    ws["H6"].number_format = "0.00%"
    ws.append([None, "其中：当年财政拨款", None, f["budget_initial"], f["budget_full_year"], f["executed"], "——", "——", "——"])
    ws.append([None, "上年结转资金", None, "——", "——", "——", "——", "——", "——"])
    for r in (5, 6, 7, 8):
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=3)
    ws.merge_cells("A5:A8")
    f["row"] = 6
    f["breakdown"] = [
        {"label": "当年财政拨款", "budget_initial": f["budget_initial"], "budget_full_year": f["budget_full_year"],
         "executed": f["executed"], "rate": "——", "row": 7},
        {"label": "上年结转资金", "budget_initial": "——", "budget_full_year": "——", "executed": "——", "rate": "——", "row": 8}]
    ws.append(["年度总体目标", "预期目标", None, None, None, "实际完成情况"])
    ws.append([None, "按计划完成建设任务", None, None, None, "已完成年度目标"])
    data["texts"] = {"goal_expected": "按计划完成建设任务", "goal_actual": "已完成年度目标",
                     "rows": {"goal_expected": 9, "goal_actual": 9}}
    ws.append(["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"])
    cols = {"level1": 2, "level2": 3, "name": 4, "target": 5, "actual": 6, "weight": 7, "score": 8, "reason": 9}
    _write_indicators(ws, 12, data, cols, None, level1_note=True)
    last = 12 + len(data["indicators"]) - 1
    ws.merge_cells(start_row=11, start_column=1, end_row=last, end_column=1)
    t = last + 1
    ws.cell(t, 1, "总分")
    ws.merge_cells(start_row=t, start_column=1, end_row=t, end_column=6)
    ws.cell(t, 7, data["total_weight"])
    ws.cell(t, 8, data["published_total"])
    if data.get("published_grade"):
        ws.cell(t, 9, f"等级：{data['published_grade']}")
    return data


def write_sichuan(ws, data: dict) -> dict:
    """The Sichuan 部门预算项目支出绩效自评表: 元 amounts, 权重, split target, closing rows."""
    data = copy.deepcopy(data)
    p, f = data["project"], data["funds"]
    ws.append([f"部门预算项目支出绩效自评表（{p['year']}年度）"])
    ws.merge_cells("A1:K1")
    ws.append(["项目名称", p["name"]])
    ws.merge_cells("B2:K2")
    ws.append(["主管部门", p["department"], None, None, None, "实施单位（盖章）", p["unit"]])
    ws.append(["项目基本情况", "1.项目年度目标完成情况"])
    ws.append(["预算执行情况（10分）", "年度预算数（元）", "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分", "原因"])
    ws.append([None, "总额", f["budget_initial"], f["budget_full_year"], f["executed"], f["rate"], f["weight"], f["score"],
               f["reason"] or None])
    ws.append([None, "其中：财政资金", f["budget_initial"], f["budget_full_year"], f["executed"], f["rate"], "/", "/"])
    ws.append([None, "财政专户管理资金", 0, 0, 0, "0.00%", "/", "/"])
    ws.append([None, "其他资金", None, None, None, None, "/", "/"])
    ws.merge_cells("A5:A9")
    f["row"] = 6
    f["breakdown"] = [
        {"label": "财政资金", "budget_initial": f["budget_initial"], "budget_full_year": f["budget_full_year"],
         "executed": f["executed"], "rate": f["rate"], "row": 7},
        {"label": "财政专户管理资金", "budget_initial": 0, "budget_full_year": 0, "executed": 0, "rate": "0.00%", "row": 8},
        {"label": "其他资金", "row": 9}]
    ws.append(["绩效指标（90分）", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分",
               "未完成原因分析"])
    cols = {"level1": 2, "level2": 3, "name": 4, "op": 5, "value": 6, "unit": 7, "actual": 8, "weight": 9, "score": 10, "reason": 11}
    _write_indicators(ws, 11, data, cols, "glyph", level1_note=False)
    last = 11 + len(data["indicators"]) - 1
    ws.merge_cells(start_row=10, start_column=1, end_row=last, end_column=1)
    t = last + 1
    ws.cell(t, 1, "合计")
    ws.merge_cells(start_row=t, start_column=1, end_row=t, end_column=8)
    ws.cell(t, 9, data["total_weight"])
    ws.cell(t, 10, data.get("published_total"))
    ws.append(["评价结论", "项目按计划实施。"])
    ws.append(["存在问题", "无"])
    ws.append(["改进措施", "无"])
    ws.append(["项目负责人：", None, None, None, None, "财务负责人："])
    closing = t + 1
    data["texts"] = {"conclusion": "项目按计划实施。", "problems": "无", "measures": "无", "leader": "",
                     "rows": {"conclusion": closing, "problems": closing + 1, "measures": closing + 2, "leader": closing + 3}}
    return data


def write_yunnan(ws, data: dict, words: bool = False) -> dict:
    """The Yunnan variant: a two-row indicator header (年度指标值 over 指标性质 | 指标值 | 度量单位)."""
    data = copy.deepcopy(data)
    p, f = data["project"], data["funds"]
    ws.append([f"{p['year']}年度项目支出绩效自评表"])
    ws.append(["单位：万元"])
    ws.append(["项目名称", p["name"], None, None, None, None, None, None, None, None])
    ws.append(["主管部门", p["department"], None, None, "实施单位", p["unit"]])
    ws.append(["项目资金", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
    ws.append([None, "年度资金总额", f["budget_initial"], f["budget_full_year"], f["executed"], f["weight"], f["rate"], f["score"]])
    f["row"] = 6
    ws.append(["绩效指标", None, None, None, None, None, None, None, None, None])
    ws.append(["一级指标", "二级指标", "三级指标", "年度指标值", None, None, "实际完成值", "分值", "得分", "未完成原因和改进措施"])
    ws.append([None, None, None, "指标性质", "指标值", "度量单位", None, None, None, None])
    ws.merge_cells("D8:F8")
    for col in (1, 2, 3, 7, 8, 9, 10):
        ws.merge_cells(start_row=8, start_column=col, end_row=9, end_column=col)
    cols = {"level1": 1, "level2": 2, "name": 3, "op": 4, "value": 5, "unit": 6, "actual": 7, "weight": 8, "score": 9, "reason": 10}
    _write_indicators(ws, 10, data, cols, "words" if words else "glyph", level1_note=False)
    t = 10 + len(data["indicators"])
    ws.cell(t, 1, "总分")
    ws.merge_cells(start_row=t, start_column=1, end_row=t, end_column=7)
    ws.cell(t, 8, data["total_weight"])
    ws.cell(t, 9, data["published_total"])
    ws.cell(t + 1, 1, "评价等级")
    ws.cell(t + 1, 2, data.get("published_grade"))
    survey = data.get("survey")
    if survey:
        ws.cell(t + 2, 1, "满意度调查")
        ws.cell(t + 2, 2, "样本量")
        ws.cell(t + 2, 3, survey["sample_size"])
        ws.cell(t + 2, 4, "调查方式")
        ws.cell(t + 2, 5, survey["method"])
    return data


WRITERS = {"national": write_national, "sichuan": write_sichuan, "yunnan": write_yunnan}
TABLES = {"national": NATIONAL, "sichuan": SICHUAN, "yunnan": YUNNAN}


def make_workbook(path: Path, layout: str, data: dict | None = None, title: str = "自评表", **kw) -> dict:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    expected = WRITERS[layout](ws, copy.deepcopy(data or TABLES[layout]), **kw)
    wb.save(path)
    return expected


def yaml_table(data: dict, path: Path) -> PublishedTable:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (table,) = load_table(path)
    return table


def comparable(table: PublishedTable) -> dict:
    return table.model_dump(exclude={"source", "sheet"})


def finding_tuples(review) -> list[tuple]:
    return [(f.row, f.field, f.code, f.severity, f.published, f.recomputed, f.message) for f in review.findings]

