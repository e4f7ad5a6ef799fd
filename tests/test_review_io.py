"""Reading published tables from Excel (national, Sichuan and Yunnan-split layouts) and YAML,
bad input, the HTML and Excel review reports, and the review notebook under papermill.

Each workbook is built here with openpyxl the way such tables are printed (merged level-1
cells, "20%" weights, amounts in 元 or 万元, "——" blanks, ≧ ═ ＞ glyphs, "600余人"); the writer
returns the same table as YAML would transcribe it, with the sheet row numbers, so the two
readings can be compared field by field and reviewed with the same findings.
"""

from __future__ import annotations

import copy
import html
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT
from openpyxl import Workbook, load_workbook

from selfeval_lib.inputs.params import InputError
from selfeval_lib.review.recompute import review_table
from selfeval_lib.review.table import PublishedTable
from selfeval_lib.review.reading import load_table, read_tables, review_reads
from selfeval_lib.review.present import (
    SEVERITY_FILL,
    execution_frame,
    findings_frame,
    published_frame,
    review_html,
    review_xlsx,
    scores_frame,
    totals_frame,
)

DATA = ROOT / "tests" / "data" / "review"
NOTEBOOK = ROOT / "notebooks" / "review_table.ipynb"

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
    ws.append(["年度总体目标", "预期目标", None, None, None, "实际完成情况"])
    ws.append([None, "按计划完成建设任务", None, None, None, "已完成年度目标"])
    ws.append(["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"])
    cols = dict(level1=2, level2=3, name=4, target=5, actual=6, weight=7, score=8, reason=9)
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
    ws.append(["绩效指标（90分）", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分",
               "未完成原因分析"])
    cols = dict(level1=2, level2=3, name=4, op=5, value=6, unit=7, actual=8, weight=9, score=10, reason=11)
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
    cols = dict(level1=1, level2=2, name=3, op=4, value=5, unit=6, actual=7, weight=8, score=9, reason=10)
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


# --- layouts read back as the YAML transcription -----------------------------------------------------

@pytest.mark.parametrize("layout, rules_name", [("national", "national"), ("sichuan", "sichuan"), ("yunnan", "national")])
def test_layout_reads_as_yaml(layout, rules_name, tmp_path, national, sichuan):
    rules = {"national": national, "sichuan": sichuan}[rules_name]
    expected = make_workbook(tmp_path / f"{layout}.xlsx", layout)
    (from_excel,) = load_table(tmp_path / f"{layout}.xlsx")
    from_yaml = yaml_table(expected, tmp_path / f"{layout}.yaml")
    assert comparable(from_excel) == comparable(from_yaml)
    assert from_excel.sheet == "自评表"
    assert from_excel.source == str(tmp_path / f"{layout}.xlsx")
    excel_review, yaml_review = review_table(from_excel, rules), review_table(from_yaml, rules)
    assert finding_tuples(excel_review) == finding_tuples(yaml_review)
    assert excel_review.recomputed_total == yaml_review.recomputed_total


def test_national_layout_findings_on_sheet_rows(tmp_path, national):
    make_workbook(tmp_path / "n.xlsx", "national")
    (table,) = load_table(tmp_path / "n.xlsx")
    assert [ind.row for ind in table.indicators] == [12, 13, 14, 15, 16, 17]
    assert table.funds.row == 6 and table.funds.rate == "90%" and table.funds.amount_unit == "万元"
    assert table.indicators[1].level1 == "产出指标"  # merged cell, "（50分）" dropped
    assert table.indicators[0].weight == "20%"
    result = review_table(table, national)
    found = {(f.row, f.code) for f in result.findings}
    # 600余人: 520 of 600 → 10 × 520 / 600 = 8.67, printed 10 (full marks on a shortfall).
    assert {(13, "SCORE_MISMATCH"), (13, "SHORTFALL_FULL_MARKS"), (14, "BLANK_ACTUAL"), (14, "SCORE_MISMATCH"),
            (17, "SATISFACTION_NO_BASIS")} <= found
    assert ("总分", "TOTAL_MISMATCH") in found
    # 99 / 110 = 90%: execution right; the 年初预算数 (120) is not the denominator.
    assert not any(f.row == 6 for f in result.findings)
    assert result.recomputed_total == pytest.approx(9 + 20 + 10 * 520 / 600 + 0 + 10 + 22 + 10)


def test_sichuan_layout_amounts_in_yuan(tmp_path, sichuan):
    make_workbook(tmp_path / "s.xlsx", "sichuan")
    (table,) = load_table(tmp_path / "s.xlsx")
    assert table.funds.amount_unit == "元"
    assert table.funds.budget_full_year == 480000
    assert table.indicators[0].target == "≥4艘" and table.indicators[2].target == "=100%"
    assert table.published_total == 96.5 and table.total_weight == 100
    result = review_table(table, sichuan)
    codes = {(f.row, f.code) for f in result.findings}
    assert (6, "EXECUTION_REASON_MISSING") in codes  # 408000 / 480000 = 85% < 90%
    assert not any(c == "EXECUTION_RATE_MISMATCH" for _, c in codes)


def test_yuan_and_wan_headers_give_the_same_review(tmp_path, national):
    data = copy.deepcopy(NATIONAL)
    data["funds"].update(amount_unit="元", budget_initial=1_200_000, budget_full_year=1_100_000, executed=990_000)
    expected = make_workbook(tmp_path / "yuan.xlsx", "national", data, unit="元")
    (yuan,) = load_table(tmp_path / "yuan.xlsx")
    assert yuan.funds.amount_unit == "元"
    assert comparable(yuan) == comparable(yaml_table(expected, tmp_path / "yuan.yaml"))
    make_workbook(tmp_path / "wan.xlsx", "national")
    (wan,) = load_table(tmp_path / "wan.xlsx")
    assert finding_tuples(review_table(yuan, national)) == finding_tuples(review_table(wan, national))


def test_yunnan_words_for_direction(tmp_path):
    """指标性质 written 正向/反向/定性 instead of glyphs."""
    data = copy.deepcopy(YUNNAN)
    data["indicators"][0]["target"] = "≥120个"
    data["indicators"][3]["target"] = "≤3200元"
    make_workbook(tmp_path / "w.xlsx", "yunnan", data, words=True)
    (table,) = load_table(tmp_path / "w.xlsx")
    targets = [ind.target for ind in table.indicators]
    assert targets[0] == "≥120个" and targets[3] == "≤3200元"
    assert targets[4] == "明显增强"  # 定性: the value as text
    assert table.survey is not None and table.survey.method == "入户问卷"
    assert table.published_grade == "优"


def test_glyphs_and_approximate_values(tmp_path, national):
    make_workbook(tmp_path / "y.xlsx", "yunnan")
    (table,) = load_table(tmp_path / "y.xlsx")
    assert [ind.target for ind in table.indicators][:3] == ["≧120个", "═100%", "＞11次"]
    result = review_table(table, national)
    scores = {r.row: r.recomputed for r in result.rows}
    assert scores[11] == pytest.approx(15 * 0.98)  # ═100%, 98% → equal: w × B / A
    assert scores[12] == 5                           # ＞11次, 12次
    assert table.project.year == 2023


def test_multiple_sheets_and_skipped_sheet(tmp_path, national):
    wb = Workbook()
    notes = wb.active
    notes.title = "填表说明"
    notes.append(["1.定量指标得分 = 实际完成值 ÷ 年度指标值 × 分值"])
    write_national(wb.create_sheet("项目一"), NATIONAL)
    write_sichuan(wb.create_sheet("项目二"), SICHUAN)
    wb.save(tmp_path / "book.xlsx")
    tables = load_table(tmp_path / "book.xlsx")
    assert [t.sheet for t in tables] == ["项目一", "项目二"]
    assert tables[1].funds.amount_unit == "元"


def test_reader_notes(tmp_path, national):
    """A funds block without a unit is read in 万元 and says so; a subtotal row is skipped."""
    wb = Workbook()
    ws = wb.active
    write_national(ws, NATIONAL)
    ws["A5"] = "项目资金"
    ws.insert_rows(12)
    ws["G12"], ws["H12"] = 50, 50  # a subtotal line with no indicator
    wb.save(tmp_path / "notes.xlsx")
    (read,) = read_tables(tmp_path / "notes.xlsx")
    assert read.table.funds.amount_unit == "万元"
    assert any("未注明金额单位" in n and "万元" in n for n in read.notes)
    assert any("第12行" in n and "小计" in n for n in read.notes)
    (result,) = review_reads([read], national)
    assert any("未注明金额单位" in r for r in result.readings)


def test_merged_score_cell_is_not_counted_twice(tmp_path):
    wb = Workbook()
    ws = wb.active
    write_national(ws, NATIONAL)
    ws.merge_cells("H12:H13")  # one score printed for two rows
    wb.save(tmp_path / "m.xlsx")
    (read,) = read_tables(tmp_path / "m.xlsx")
    assert read.table.indicators[0].score == 20 and read.table.indicators[1].score is None
    assert any("第13行" in n and "合并" in n for n in read.notes)


def test_formula_cells(tmp_path, national):
    """Without a cached value (a file saved by openpyxl) the formula text is kept, so the review says the
    cell cannot be read; with Excel's cached value the value is used."""
    make_workbook(tmp_path / "f.xlsx", "national")
    wb = load_workbook(tmp_path / "f.xlsx")
    ws = wb.active
    ws["H18"] = "=SUM(H6,H12:H17)"
    wb.save(tmp_path / "f.xlsx")
    (table,) = load_table(tmp_path / "f.xlsx")
    assert table.published_total == "=SUM(H6,H12:H17)"
    result = review_table(table, national)
    unreadable = [f for f in result.findings if f.code == "UNREADABLE_VALUE"]
    assert unreadable and unreadable[0].row == "总分" and "=SUM(H6,H12:H17)" in unreadable[0].message

    # Add the cached value Excel would have written.
    raw = (tmp_path / "f.xlsx").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content, n = re.subn(rb"(<c r=\"H18\"[^>]*>\s*<f>[^<]*</f>)\s*(?:<v\s*/>|<v></v>)?", rb"\1<v>91</v>", content)
                assert n == 1
            dst.writestr(info, content)
    (tmp_path / "cached.xlsx").write_bytes(out.getvalue())
    (cached,) = load_table(tmp_path / "cached.xlsx")
    assert cached.published_total == 91


def test_text_in_weight_cell_reported_on_sheet_row(tmp_path, national):
    data = copy.deepcopy(NATIONAL)
    data["indicators"][3]["weight"] = "十分"
    make_workbook(tmp_path / "t.xlsx", "national", data)
    (table,) = load_table(tmp_path / "t.xlsx")
    result = review_table(table, national)
    bad = [f for f in result.findings if f.code == "UNREADABLE_VALUE"]
    assert [(f.row, f.field) for f in bad] == [(15, "分值")]
    assert "十分" in bad[0].message


# --- bad input ----------------------------------------------------------------------------------------

def test_odd_cell_values_do_not_crash(tmp_path, national):
    """Dates, booleans, Excel error values and huge numbers in the indicator rows are read as printed."""
    import datetime as dt

    make_workbook(tmp_path / "odd.xlsx", "national")
    wb = load_workbook(tmp_path / "odd.xlsx")
    ws = wb.active
    ws["F12"] = dt.datetime(2023, 11, 30)
    ws["F13"] = True
    ws["H14"] = "#DIV/0!"
    ws["G15"] = 1e20  # an ID pasted into the weight column
    ws["I16"] = "——"
    wb.save(tmp_path / "odd.xlsx")
    (table,) = load_table(tmp_path / "odd.xlsx")
    assert table.indicators[0].actual == "2023-11-30"
    assert table.indicators[1].actual == "是"
    assert table.indicators[4].deviation_reason == ""
    result = review_table(table, national)
    assert {(f.row, f.code) for f in result.findings} >= {(12, "UNIT_MISMATCH"), (14, "UNREADABLE_VALUE")}


def _problem(exc_info) -> str:
    return "\n".join(str(p) for p in exc_info.value.problems)


def test_not_a_zip(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("这不是 Excel 文件", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_table(path)
    assert "fake.xlsx" in _problem(info) and "无法读取 Excel 文件" in _problem(info)


def test_truncated_workbook(tmp_path):
    make_workbook(tmp_path / "good.xlsx", "national")
    (tmp_path / "cut.xlsx").write_bytes((tmp_path / "good.xlsx").read_bytes()[:700])
    with pytest.raises(InputError) as info:
        load_table(tmp_path / "cut.xlsx")
    assert "cut.xlsx" in _problem(info) and "损坏" in _problem(info)


def test_no_recognisable_sheet(tmp_path):
    wb = Workbook()
    wb.active.title = "封面"
    wb.active.append(["2023年度项目支出绩效自评"])
    other = wb.create_sheet("指标")
    other.append(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值"])  # no 得分
    other.append(["产出指标", "数量指标", "甲", "≥1个", "1个", 10])
    wb.save(tmp_path / "none.xlsx")
    with pytest.raises(InputError) as info:
        load_table(tmp_path / "none.xlsx")
    text = _problem(info)
    assert "none.xlsx" in text and "“封面”" in text and "“指标”" in text and "“得分”" in text


def test_header_without_rows(tmp_path):
    wb = Workbook()
    wb.active.append(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"])
    wb.save(tmp_path / "empty.xlsx")
    with pytest.raises(InputError) as info:
        load_table(tmp_path / "empty.xlsx")
    assert "没有指标行" in _problem(info)


@pytest.mark.parametrize("name, words", [("old.xls", ".xls"), ("table.csv", "不支持的文件类型")])
def test_unsupported_suffix(tmp_path, name, words):
    (tmp_path / name).write_bytes(b"x")
    with pytest.raises(InputError) as info:
        load_table(tmp_path / name)
    assert words in _problem(info)


@pytest.mark.parametrize("name", ["missing.xlsx", "missing.yaml"])
def test_missing_file(tmp_path, name):
    with pytest.raises(InputError) as info:
        load_table(tmp_path / name)
    assert "无法读取文件" in _problem(info)


# --- reports ------------------------------------------------------------------------------------------

@pytest.fixture
def reviewed(tmp_path, national):
    data = copy.deepcopy(NATIONAL)
    data["project"]["name"] = "<script>alert('x')</script>避难场所"
    make_workbook(tmp_path / "r.xlsx", "national", data)
    reads = read_tables(tmp_path / "r.xlsx") + read_tables(DATA / "seed_like_table.yaml")
    return reads, review_reads(reads, national)


def test_review_html_marks_cells_and_escapes(reviewed):
    reads, reviews = reviewed
    page = review_html(reviews, [r.table for r in reads])
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    assert "<script>" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;避难场所" in page
    assert not re.search(r"(src|href)=\"https?:", page)  # offline
    # Row 13 (600余人, 520 → 8.67 printed 10): the published score cell is marked high with the messages.
    row13 = re.search(r"<tr><td class=\"num\">13</td>.*?</tr>|<tr><td>13</td>.*?</tr>", page)
    assert row13 and 'class="num sev-high"' in row13.group(0) and "SHORTFALL_FULL_MARKS" in row13.group(0)
    # The blank actual of row 14 is marked in the 实际完成值 column.
    row14 = re.search(r"<tr><td[^>]*>14</td>(.*?)</tr>", page).group(1)
    cells = re.findall(r"<td[^>]*>", row14)
    assert 'sev-high' in cells[4]  # 一级, 二级, 三级, 年度指标值, 实际完成值
    # Summary across both tables and the seed table's findings.
    assert page.count('<section id="table-') == 2
    assert "EXECUTION_RATE_MISMATCH" in page and "sev-medium" in page and "sev-low" in page
    assert html.escape("“维修管网长度”实际完成16公里未达到指标值≥20公里，却得满分。") in page


def test_review_html_without_tables(reviewed):
    _, reviews = reviewed
    page = review_html(reviews)
    assert "sev-high" in page and "<script>" not in page


def test_review_xlsx_fills_and_comments(reviewed, tmp_path):
    reads, reviews = reviewed
    tables = [r.table for r in reads]
    data = review_xlsx(reviews, tables)
    assert data == review_xlsx(reviews, tables)  # deterministic bytes
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames[0] == "汇总"
    assert len(wb.sheetnames) == 3
    summary = wb["汇总"]
    assert summary["A2"].value.startswith("<script>")  # stored as text, Excel does not run it
    ws = wb[wb.sheetnames[1]]
    rows = {ws.cell(r, 1).value: r for r in range(3, ws.max_row + 1)}
    r13 = rows[13]
    published = ws.cell(r13, 8)
    assert published.fill.fgColor.rgb.endswith(SEVERITY_FILL["high"])
    assert "SHORTFALL_FULL_MARKS" in published.comment.text
    assert ws.cell(r13, 9).value == pytest.approx(10 * 520 / 600, abs=1e-4)
    assert ws.cell(rows[17], 6).fill.fgColor.rgb.endswith(SEVERITY_FILL["medium"])  # 满意度 without survey basis
    seed = wb[wb.sheetnames[2]]
    values = [[c.value for c in row] for row in seed.iter_rows()]
    assert any(row[2] == "TOTAL_SUM_MISMATCH" for row in values if len(row) > 2)
    low = [c for row in seed.iter_rows() for c in row if c.fill.fgColor.rgb and c.fill.fgColor.rgb.endswith(SEVERITY_FILL["low"])]
    assert low  # LEVEL1_WEIGHTS_DIFFER


def test_notebook_frames(reviewed):
    reads, reviews = reviewed
    table, review = reads[1].table, reviews[1]
    assert list(published_frame(table)["三级指标"])[:2] == ["维修管网长度", "水质检测合格率"]
    exec_frame = execution_frame(review, table).set_index("项目")
    assert exec_frame.loc["执行率", "填报"] == "100%" and exec_frame.loc["执行率", "复核"] == "80%"
    scores = scores_frame(review, table)
    assert scores.iloc[-1]["复核得分"] == "87" and scores.iloc[-1]["填报得分"] == "99"
    assert "SHORTFALL_FULL_MARKS" in scores.iloc[1]["问题"]
    assert len(findings_frame(review)) == len(review.findings)
    assert totals_frame(review).set_index("项目").loc["等级", "复核"] == "良"


# --- the notebook -------------------------------------------------------------------------------------

def test_notebook_has_parameters_and_no_outputs():
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    assert 'table_path = "../tests/data/review/seed_like_table.yaml"' in params[0].source
    assert 'rule_set = "national"' in params[0].source
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")


def test_notebook_runs_under_papermill(tmp_path):
    import papermill

    workbook = tmp_path / "book.xlsx"
    wb = Workbook()
    write_national(wb.active, NATIONAL)
    write_sichuan(wb.create_sheet("四川"), SICHUAN)
    wb.save(workbook)
    out = papermill.execute_notebook(str(NOTEBOOK), str(tmp_path / "out.ipynb"),
                                     parameters={"table_path": str(workbook), "rule_set": "sichuan"},
                                     kernel_name="python3", cwd=str(NOTEBOOK.parent), progress_bar=False)
    text = "\n".join(str(o.get("data", {}).get("text/plain", "")) + str(o.get("text", ""))
                     for c in out.cells if c.cell_type == "code" for o in c.outputs)
    assert "读取 2 张表" in text
    assert "EXECUTION_REASON_MISSING" in text
    errors = [o for c in out.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
