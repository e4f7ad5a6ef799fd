"""The whole published table reviewed (issue 13 item 3): the 其中 rows of the funds block, the text
blocks (年度总体目标, 评价结论, 存在问题, 改进措施, 项目负责人) and their checks, Hebei's 权重占比 /
单项得分 / 折算得分 and Hubei's tables without per-indicator weights, read from a grid of printed
cells as every form's reader builds it, and the rows' checks that need no score."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from forms.grid import Grid, placed, shape
from review_tables import build, codes, review, via_yaml

from selfeval_lib.errors import InputError
from selfeval_lib.render.review_html import review_html
from selfeval_lib.render.review_xlsx import review_xlsx
from selfeval_lib.review.readers.excel_grid import Sheet, spread_merges
from selfeval_lib.review.readers.layout import read_sheet
from selfeval_lib.review.recompute import review_table
from selfeval_lib.review.serialize import review_to_dict
from selfeval_lib.review.table import PublishedTable

# --- grids ----------------------------------------------------------------------------------------


def sheet_of(rows: list[list[Any]], title: str = "表1") -> Sheet:
    """A Sheet as a Word, web-page or PDF reader builds it: every cell's text, merges spread."""
    grid = Grid(rows=rows)
    n_rows, n_cols = shape(grid)
    cells: list[list[Any]] = [[None] * n_cols for _ in range(n_rows)]
    merges = []
    for s in placed(grid):
        cells[s.row][s.col] = s.text or None
        if s.rowspan > 1 or s.colspan > 1:
            merges.append((s.row, s.col, s.row + s.rowspan - 1, s.col + s.colspan - 1))
    return spread_merges(title, cells, merges)


def read(rows: list[list[Any]]) -> PublishedTable:
    found = read_sheet("t.html", sheet_of(rows))
    assert not isinstance(found, str), found
    return found.table


def span(text: str, colspan: int = 1, rowspan: int = 1) -> dict[str, Any]:
    return {"text": text, "colspan": colspan, "rowspan": rowspan}


#: The BASE indicators of review_tables (540 of 600 trainees: 18 of 20, the rest full marks).
INDICATORS = [
    ["产出指标", "数量指标", "培训人数", "≥600人", "540人", "20", "18", "部分队员汛期值守，延至次年参训"],
    ["产出指标", "质量指标", "培训考核合格率", "≥95%", "98%", "10", "10", ""],
    ["产出指标", "时效指标", "培训完成时间", "2023年11月底前", "2023年11月", "10", "10", ""],
    ["产出指标", "成本指标", "人均培训成本", "≤150元", "140元", "10", "10", ""],
    ["效益指标", "社会效益指标", "应急处置能力", "有效提升", "达成", "20", "20", ""],
    ["效益指标", "可持续影响指标", "培训成果持续应用", "≥3年", "3年", "10", "10", ""],
    ["满意度指标", "服务对象满意度指标", "参训人员满意度", "≥90%", "93%", "10", "10", ""],
]


def national_rows(total: tuple[str, str, str] = ("0", "0", "0"), rate: str = "0%", exec_score: str = "0",
                  goal: tuple[str, str] = ("完成600名队员培训，提升应急处置能力", "完成540名队员培训，60名延至次年"),
                  closing: list[list[Any]] | None = None, published_total: str = "88", grade: str = "等级：良") -> list:
    """The national layout: the 总额 row ``total`` (年初, 全年预算, 执行), the 其中 rows holding 100/95."""
    rows: list[list[Any]] = [
        [span("项目支出绩效自评表（2023年度）", 9)],
        ["项目名称", span("应急救援队伍培训", 8)],
        ["主管部门", span("某区应急管理局", 3), "实施单位", span("某区应急管理局", 4)],
        [span("项目资金（万元）", rowspan=4), span("", 2), "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        [span("年度资金总额", 2), *total, "10", rate, exec_score],
        [span("其中：当年财政拨款", 2), "100", "100", "95", "——", "——", "——"],
        [span("上年结转资金", 2), "——", "——", "——", "——", "——", "——"],
        [span("年度总体目标", rowspan=2), span("预期目标", 4), span("实际完成情况", 4)],
        [span(goal[0], 4), span(goal[1], 4)],
        [span("绩效指标", rowspan=len(INDICATORS) + 1), "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值",
         "得分", "偏差原因分析及改进措施"],
        *[list(r) for r in INDICATORS],
        [span("总分", 6), "100", published_total, grade],
    ]
    return rows + (closing if closing is not None else [
        ["评价结论", span("项目按计划实施，总体评价良好。", 8)],
        ["存在问题", span("无", 8)],
        ["改进措施", span("加强培训组织。", 8)],
        [span("项目负责人：　　　填表人：李四", 9)],
    ])


# --- the funds block's 其中 rows ----------------------------------------------------------------------


def test_zero_total_row_is_recomputed_from_the_breakdown(national):
    table = read(national_rows())
    assert table.funds.row == 5 and [line.label for line in table.funds.breakdown] == ["当年财政拨款", "上年结转资金"]
    assert table.funds.breakdown[0].budget_full_year == "100" and table.funds.breakdown[0].row == 6
    result = review_table(table, national)
    found = {(f.row, f.code) for f in result.findings}
    assert (5, "FUNDS_TOTAL_BLANK") in found
    assert (5, "FUNDS_INCOMPLETE") not in found and (5, "EXECUTION_RATE_MISMATCH") not in found
    assert result.execution_rate == pytest.approx(0.95)
    assert [(r.name, r.recomputed) for r in result.rows if r.kind == "execution"] == [("预算执行率", pytest.approx(9.5))]
    assert (5, "SCORE_MISMATCH") in found  # printed 0 beside the recomputed 9.5
    assert result.recomputed_total == pytest.approx(97.5) and result.recomputed_grade == "优"
    assert any("“其中”各行（当年财政拨款）的合计复核" in r for r in result.readings)


def test_filled_total_row_agrees_with_the_breakdown(national):
    result = review_table(read(national_rows(total=("100", "100", "95"), rate="95%", exec_score="9.5",
                                             published_total="97.5", grade="等级：优")), national)
    assert not {"FUNDS_TOTAL_BLANK", "FUNDS_BREAKDOWN_MISMATCH", "FUNDS_INCOMPLETE"} & set(codes(result))


def test_total_row_that_disagrees_with_the_breakdown(national):
    result = review_table(read(national_rows(total=("100", "100", "90"), rate="90%", exec_score="9",
                                             published_total="97", grade="等级：优")), national)
    (f,) = [f for f in result.findings if f.code == "FUNDS_BREAKDOWN_MISMATCH"]
    assert (f.row, f.field, f.published, f.recomputed) == (5, "全年执行数", "90", 95)


@pytest.mark.parametrize("dash", ["一一", "=", "二", "—一"])
def test_ocr_dashes_in_empty_funds_cells_are_blanks(dash, national):
    """A scan's "——" read by OCR as 一一, = or 二 leaves the cell blank: the same review as "——",
    and a reading that says so."""
    def with_dash(rows):
        return [[dash if cell == "——" else cell for cell in row] for row in rows]

    clean = national_rows(total=("100", "100", "95"), rate="95%", exec_score="9.5", published_total="97.5", grade="等级：优")
    as_scanned = review_table(read(with_dash(clean)), national)
    assert sorted(codes(as_scanned)) == sorted(codes(review_table(read(clean), national)))
    assert "UNREADABLE_VALUE" not in codes(as_scanned)
    assert any(f"第7行资金“上年结转资金”行：全年预算数“{dash}”" in r and "空白" in r for r in as_scanned.readings)


def test_amounts_printed_with_their_unit(national):
    """"100.00万元" in a 万元 column is 100; "950,000元" in it is 95: the execution is recomputed, the
    readings say how the cells were read."""
    result = review(build(funds={"budget_full_year": "100.00万元", "executed": "950,000元"}), national)
    assert result.findings == [] and result.execution_rate == pytest.approx(0.95)
    assert any("“950,000元”按万元列读作95万元" in r for r in result.readings)


# --- text blocks ------------------------------------------------------------------------------------


def test_text_blocks_read_wherever_they_sit(national):
    table = read(national_rows())
    t = table.texts
    assert (t.goal_expected, t.goal_actual) == ("完成600名队员培训，提升应急处置能力", "完成540名队员培训，60名延至次年")
    assert (t.conclusion, t.problems, t.measures, t.leader, t.filler) == (
        "项目按计划实施，总体评价良好。", "无", "加强培训组织。", "", "李四")
    assert t.rows["goal_expected"] == 8 and t.rows["problems"] == 20
    found = Counter((f.row, f.code) for f in review_table(table, national).findings)
    assert found[(19, "CONCLUSION_GRADE_MISMATCH")] == 1  # 良 in words, 优 recomputed
    assert found[(20, "PROBLEMS_NOT_STATED")] == 1 and found[(22, "LEADER_BLANK")] == 1
    assert not any(code == "GOAL_ACTUAL_COPIES_EXPECTED" for _, code in found)


def test_text_below_its_label_and_inline(national):
    closing = [
        [span("评价结论", 9)],
        [span("（填写说明：对照年度目标简述评价结论）", 9)],
        [span("存在问题：部分队员未按期参训。", 9)],
        ["项目负责人", span("张三", 3), "填表人", span("李四", 4)],
    ]
    table = read(national_rows(goal=("完成600名队员培训，提升应急处置能力。", "完成600名队员培训，提升应急处置能力"),
                               closing=closing))
    t = table.texts
    assert (t.conclusion, t.problems, t.leader, t.filler) == (
        "（填写说明：对照年度目标简述评价结论）", "部分队员未按期参训。", "张三", "李四")
    assert t.measures is None  # not printed
    result = review_table(table, national)
    found = {(f.row, f.code) for f in result.findings}
    assert {(8, "GOAL_ACTUAL_COPIES_EXPECTED"), (19, "TEMPLATE_PROMPT_LEFT")} <= found
    assert not {"PROBLEMS_NOT_STATED", "LEADER_BLANK", "CONCLUSION_GRADE_MISMATCH"} & {code for _, code in found}
    assert any("表中读到的文字栏目" in r for r in result.readings)


def test_names_in_a_header_style_row():
    """项目负责人 | 联系电话 over 张三 | 电话: the name below; a heading below is no name."""
    rows = national_rows(closing=[["项目负责人", span("联系电话", 4), span("填表人", 4)],
                                  ["张三", span("0000-1234567", 4), span("李四", 4)]])
    assert (read(rows).texts.leader, read(rows).texts.filler) == ("张三", "李四")
    rows = national_rows(closing=[])
    rows.insert(3, ["项目负责人", span("联系电话", 8)])
    table = read(rows)
    assert table.texts.leader == "" and table.project.name == "应急救援队伍培训"


def test_goal_block_headings_and_a_blank_expected(national):
    """Anhui's 年初设定目标 | 年度总体目标完成情况综述; a 预期目标 printed blank stays blank (the merged
    年度总体目标 label on the row below is no new label)."""
    rows = national_rows(closing=[])
    rows[7] = [span("年度总体目标", rowspan=2), span("年初设定目标", 4), span("年度总体目标完成情况综述", 4)]
    rows[8] = [span("落实39户奖补政策", 4), span("落实39户奖补政策。", 4)]
    table = read(rows)
    assert (table.texts.goal_expected, table.texts.goal_actual) == ("落实39户奖补政策", "落实39户奖补政策。")
    assert "GOAL_ACTUAL_COPIES_EXPECTED" in codes(review_table(table, national))
    rows[8] = [span("", 4), span("已完成费用结算。", 4)]
    table = read(rows)
    assert (table.texts.goal_expected, table.texts.goal_actual) == ("", "已完成费用结算。")
    assert "GOAL_ACTUAL_COPIES_EXPECTED" not in codes(review_table(table, national))


def test_a_table_without_text_blocks_has_none():
    rows = national_rows(closing=[])
    rows[7:9] = []  # no 年度总体目标 rows
    assert read(rows).texts is None


def test_similarity_threshold(national):
    expected = "完成应急救援队伍培训600人次，考核合格率达到95%以上，提升全区应急处置能力"
    nearly = "完成应急救援队伍培训600人次，考核合格率达到95%以上，提升了全区应急处置能力。"
    different = "完成应急救援队伍培训540人次，考核合格率98%，60人因汛期值守延至次年"
    assert "GOAL_ACTUAL_COPIES_EXPECTED" in codes(review(build(texts={"goal_expected": expected, "goal_actual": nearly}), national))
    assert "GOAL_ACTUAL_COPIES_EXPECTED" not in codes(review(build(texts={"goal_expected": expected,
                                                                          "goal_actual": different}), national))


@pytest.mark.parametrize("text", ["请填写评价结论", "XX单位按计划实施", "××项目", "（此处填写结论）", "示例：项目完成良好",
                                  "对照年度目标，说明相关任务目标的完成情况（100字以内）",
                                  "结合自评情况，分析存在的问题及原因。"])
def test_template_prompts(text, national):
    assert "TEMPLATE_PROMPT_LEFT" in codes(review(build(texts={"measures": text}), national))


@pytest.mark.parametrize("text, stated", [("总体评价良好", "良"), ("评价等级为优", None), ("自评等级：中", "中"),
                                          ("综合评定为合格", "中"), ("项目运行良好，效果明显", None),
                                          ("评价中发现培训覆盖不足", None)])
def test_conclusion_grade_in_words(text, stated, national):
    """BASE recomputes to 优: only a grade in words other than 优 is a finding; 良好 describing the
    running of the project is no grade."""
    found = [f for f in review(build(texts={"conclusion": text}), national).findings if f.code == "CONCLUSION_GRADE_MISMATCH"]
    assert [f.published for f in found] == ([text] if stated else [])


def test_problems_none_beside_deductions_only(national):
    """BASE has one justified deduction and no other finding: "无" is still a finding; full marks
    everywhere with no finding above low leave "无" alone."""
    assert "PROBLEMS_NOT_STATED" in codes(review(build(texts={"problems": "暂无"}), national))
    clean = build(rows={0: {"actual": "600人", "score": 20}}, funds={"executed": 100, "rate": "100%", "score": 10},
                  published_total=100, texts={"problems": "无"})
    result = review(clean, national)
    assert "PROBLEMS_NOT_STATED" not in codes(result)
    assert all(f.severity == "low" for f in result.findings)


def test_yaml_texts_are_checked_and_strict(national, tmp_path):
    table = via_yaml(build(texts={"leader": "", "problems": "无"}), tmp_path)
    assert {"LEADER_BLANK", "PROBLEMS_NOT_STATED"} <= set(codes(review_table(table, national)))
    with pytest.raises(InputError) as info:
        via_yaml(build(texts={"leaders": "张三"}), tmp_path)
    assert "leaders" in str(info.value)


# --- Hebei and Hubei ----------------------------------------------------------------------------------

def hebei_rows(converted_row2: str = "10", item_row2: str = "100") -> list:
    shares = ["20%", "10%", "10%", "10%", "20%", "10%", "10%"]
    items = ["90", item_row2, "100", "100", "100", "100", "100"]
    converted = ["18", converted_row2, "10", "10", "20", "10", "10"]
    return [
        [span("河北省项目支出绩效自评表", 9)],
        ["项目名称", span("应急救援队伍培训", 8)],
        [span("预算执行（万元）", 2), "年初预算数", "全年预算数", "全年执行数", "执行率", "权重占比", "折算得分", "原因"],
        [span("年度资金总额", 2), "100", "100", "95", "95%", "10%", "9.5", ""],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "权重占比", "单项得分", "折算得分", "偏差原因分析"],
        *[[*r[:5], share, item, conv, r[7]] for r, share, item, conv in zip(INDICATORS, shares, items, converted)],
        [span("合计", 5), "100%", "", "97.5", ""],
    ]


def test_hebei_shares_and_converted_scores(national):
    table = read(hebei_rows())
    assert [i.weight_share for i in table.indicators[:2]] == ["20%", "10%"] and table.indicators[0].item_score == "90"
    result = review_table(table, national)
    assert [f for f in result.findings if f.severity != "low"] == []
    assert [r.weight for r in result.rows] == [10, 20, 10, 10, 10, 20, 10, 10]
    assert result.recomputed_total == pytest.approx(97.5)
    assert any("权重占比" in r for r in result.readings)


def test_hebei_converted_score_that_is_not_the_product(national):
    """单项得分 80 × 10% = 8, printed 10: the product is wrong (the rule's score is 10)."""
    result = review_table(read(hebei_rows(item_row2="80")), national)
    assert {(f.row, f.code) for f in result.findings if f.severity != "low"} == {(7, "CONVERTED_SCORE_MISMATCH")}


def test_hebei_blank_converted_score_takes_the_product(national):
    table = read(hebei_rows(converted_row2=""))
    result = review_table(table, national)
    assert {r.row: r.published for r in result.rows}[7] == pytest.approx(10)
    assert any("按单项得分×权重占比" in r for r in result.readings)


def hubei_rows(cost_target: str = "≤150元") -> list:
    rows = [[r[0] + ("（50分）" if r[0] == "产出指标" else ""), r[1], r[2], r[3], r[4], r[6]] for r in INDICATORS]
    rows[3][3] = cost_target
    return [
        [span("湖北省项目支出绩效目标自评表", 6)],
        ["项目名称", span("应急救援队伍培训", 5)],
        [span("预算执行情况（万元）", 2), "预算数", "执行数", "执行率", "得分（分*执行率）"],
        [span("年度财政资金总额", 2), "100", "95", "95%", "9.5"],
        ["一级指标", "二级指标", "三级指标", "年初目标值", "实际完成值", "得分"],
        *rows,
        [span("总分", 5), "97.5"],
    ]


def test_hubei_without_indicator_weights(national):
    table = read(hubei_rows())
    assert table.indicator_weights is False and len(table.indicators) == 7
    assert table.indicators[0].level1 == "产出指标" and table.indicators[0].target == "≥600人"
    result = review_table(table, national)
    assert [f for f in result.findings if f.severity != "low"] == []
    assert result.recomputed_total is None and [r.kind for r in result.rows][1:] == ["unweighted"] * 7
    assert any("未列分值" in r for r in result.readings)


def test_hubei_rows_still_checked(national):
    result = review_table(read(hubei_rows(cost_target="=150元")), national)
    assert {(f.row, f.code) for f in result.findings if f.severity != "low"} == {(9, "COST_WITHOUT_CEILING")}


# --- rows ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("target, flagged", [("=150元", True), ("≥150元", True), ("150元", True), ("≤150元", False)])
def test_cost_operator_checked_with_a_blank_actual(target, flagged, national):
    result = review(build(rows={3: {"target": target, "actual": "——", "score": 0, "deviation_reason": "未统计"}},
                          published_total=87.5), national)
    assert ("COST_WITHOUT_CEILING" in codes(result)) is flagged
    assert "ACTUAL_BLANK" in codes(result)


@pytest.mark.parametrize("name, flagged", [("指标3：", True), ("指标1", True), ("XX指标", True), ("××指标", True),
                                           ("指标3：培训人数", False), ("培训指标体系", False)])
def test_placeholder_names(name, flagged, national):
    assert ("PLACEHOLDER_TEXT" in codes(review(build(rows={5: {"name": name}}), national))) is flagged


@pytest.mark.parametrize("field, value", [("target", "≥**平方米"), ("target", "**%"), ("target", "≥XX人"),
                                          ("target", "≥　　人"), ("target", "≥（ ）人"), ("actual", "**人"), ("target", "XX%")])
def test_a_placeholder_where_the_number_goes_is_found_and_not_scored(field, value, national):
    """The template's mark left where the number goes ("≥**平方米"): PLACEHOLDER_TEXT on that cell
    and the row unscorable, never full marks as words against words."""
    result = review(build(rows={1: {field: value}}), national)
    assert codes(result)["PLACEHOLDER_TEXT"] == 1
    (row,) = [r for r in result.rows if r.name == "培训考核合格率"]
    assert row.recomputed is None and row.kind == "unreadable"
    assert not {"UNREADABLE_VALUE", "SCORE_MISMATCH"} & set(codes(result))


@pytest.mark.parametrize("target, actual", [("100%覆盖", "100%覆盖"), ("≥10TB", "12TB"), ("X光机正常运行", "正常运行")])
def test_values_that_hold_no_placeholder(target, actual, national):
    result = review(build(rows={1: {"target": target, "actual": actual}}), national)
    assert "PLACEHOLDER_TEXT" not in codes(result)


def test_satisfaction_as_a_bare_number(national):
    assert "SATISFACTION_NO_BASIS" in codes(review(build(rows={6: {"actual": "96"}}), national))
    with_survey = build(rows={6: {"actual": "96"}}, survey={"sample_size": 200, "method": "问卷调查"})
    assert "SATISFACTION_NO_BASIS" not in codes(review(with_survey, national))
    below = build(rows={6: {"actual": "93"}})  # below the 95% that needs a survey
    assert "SATISFACTION_NO_BASIS" not in codes(review(below, national))


def test_detail_rows_under_an_indicator(national):
    """"其中…" rows with no 分值 and no 得分 belong to the indicator above: not scored, not checked,
    and they keep no one from ALL_FULL_MARKS; the same row without "其中" is a blank weight."""
    detail = {"level1": "产出指标", "level2": "数量指标", "name": "其中桃树种植面积", "target": "≥10亩", "actual": "——"}
    data = build(rows={0: {"actual": "600人", "score": 20}}, funds={"executed": 100, "rate": "100%", "score": 10},
                 published_total=100)
    data["indicators"].insert(1, detail)
    result = review(data, national)
    assert [f.code for f in result.findings] == ["ALL_FULL_MARKS"]
    assert [r.kind for r in result.rows if r.name == "其中桃树种植面积"] == ["detail"]
    data["indicators"][1] = {**detail, "name": "桃树种植面积"}
    assert {"WEIGHT_BLANK", "ACTUAL_BLANK"} <= set(codes(review(data, national)))


# --- readings, JSON, presentation ------------------------------------------------------------------


def test_value_readings_listed_once_with_their_rows(national):
    """The quantity reader's sentences, one per distinct cell text, naming every row it is on."""
    data = build(rows={1: {"target": "≥95%(百分比)"}, 6: {"target": "≥95%(百分比)", "actual": "96"},
                       2: {"target": "2023年11月底前", "actual": "11月"}},
                 survey={"sample_size": 200, "method": "问卷调查"})
    result = review(data, national)
    listed = [r for r in result.readings if r.startswith("第")]
    assert listed == ["第2、7行年度指标值“≥95%(百分比)”单位“百分比”读作%。",
                      "第3行实际完成值“11月”读作2023年11月30日（目标为时间“2023年11月底前”，按项目年度的月末计）。",
                      "第7行实际完成值“96”未写单位，按指标值“≥95%(百分比)”的单位“%”读作96%。"]
    assert result.rows[3].recomputed == 10  # "11月" is November's end: on time
    plain = [r for r in review(build(), national).readings if r.startswith("第")]
    assert plain == []


def test_json_html_and_xlsx_show_text_blocks(national):
    table = read(national_rows(closing=[["评价结论", span("<b>总体评价良好</b>", 8)], ["存在问题", span("无", 8)]]))
    result = review_table(table, national)
    data = review_to_dict(result)
    json.dumps(data, allow_nan=False)
    assert data["texts"]["conclusion"] == "<b>总体评价良好</b>" and data["texts"]["leader"] is None
    assert [line["label"] for line in data["funds_breakdown"]] == ["当年财政拨款", "上年结转资金"]
    assert "CONCLUSION_GRADE_MISMATCH" in {row["code"] for row in data["rows"]}
    page = review_html([result])
    assert "<b>总体评价良好" not in page and "&lt;b&gt;总体评价良好&lt;/b&gt;" in page
    assert '<table class="texts">' in page and "资金·其中：当年财政拨款" in page
    assert page.count("<sup>CONCLUSION_GRADE_MISMATCH</sup>") == 1
    from io import BytesIO

    from openpyxl import load_workbook

    ws = load_workbook(BytesIO(review_xlsx([result])), data_only=False).worksheets[1]
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "评价结论" in values and "<b>总体评价良好</b>" in values
    assert review_xlsx([result]) == review_xlsx([result])


def test_texts_frame(national):
    from selfeval_lib.review.present.frames import texts_frame

    table = read(national_rows())
    frame = texts_frame(review_table(table, national), table)
    assert list(frame["栏目"])[:2] == ["资金·其中：当年财政拨款", "资金·其中：上年结转资金"]
    assert frame.set_index("栏目").loc["存在问题", "问题"] == "PROBLEMS_NOT_STATED"
    assert frame.set_index("栏目").loc["项目负责人", "表中文字"] == "（空白）"


# --- block weights, the execution weight in the funds header, the grade on the 总分 row (issue 22) -----

def block_rows(scores: tuple[str, str, str] = ("60", "10", "10"), actual_row3: str = "1年",
               weights: tuple[str, str, str] = ("60", "10", "10"), exec_weight: str = "20", total: str = "97",
               reasons: str | None = "执行率85%：秋季学期资金次年1月发放。") -> list:
    """Hubei's template: no 分值 column, 一级指标 weights in their cells, the execution weight in the
    funds header, one score per 一级指标 block (merged), grade cells on the 总分 row and a
    偏差大或目标未完成原因分析 block."""
    rows = [
        [span("项目支出绩效目标自评表", 6)],
        ["项目名称", span("县域学生资助项目", 5)],
        [span(f"预算执行情况（万元）（{exec_weight}分）", 2), "预算数（A）", "执行数（B）", "执行率（B/A）",
         f"得分（{exec_weight}分*执行率）"],
        [span("年度财政资金总额", 2), "200", "170", "85%", str(float(exec_weight) * 0.85).removesuffix(".0")],
        ["一级指标", "二级指标", "三级指标", "年初目标值（A）", "实际完成值（B）", "得分"],
        [span(f"产出指标（{weights[0]}分）", rowspan=3), "数量指标", "资助困难学生人数", "≥1200人", "1260人",
         span(scores[0], rowspan=3)],
        ["质量指标", "资助对象认定准确率", "100%", "100%"],
        ["时效指标", "资金发放及时率", "≥95%", "98%"],
        [f"效益指标（{weights[1]}分）", "可持续影响指标", "资助政策持续实施", "≥1年", actual_row3, scores[1]],
        [f"满意度指标（{weights[2]}分）", "服务对象满意度指标", "受助学生满意度", "≥90%", "93%", scores[2]],
        [span("总分（100分）", 2), total, "自评等级", span("优", 2)],
    ]
    if reasons is not None:
        rows.append([span("偏差大或目标未完成原因分析", 2), span(reasons, 4)])
    return rows


def test_block_weights_execution_weight_and_grade_cells_are_read():
    table = read(block_rows())
    assert table.indicator_weights is False
    assert table.block_weights == {"产出指标": "60", "效益指标": "10", "满意度指标": "10"}
    assert table.funds.weight == "20" and table.funds.score == "17"
    assert (table.total_weight, table.published_total, table.published_grade) == ("100", "97", "优")
    assert [i.score_span for i in table.indicators] == [3, 1, 1, 1, 1]
    assert table.texts.reasons.startswith("执行率85%")


def test_blocks_that_follow_the_rules_raise_nothing(national):
    result = review_table(read(block_rows()), national)
    assert [f"{f.code}: {f.message}" for f in result.findings if f.severity != "low"] == []
    assert [(b.name, b.weight, b.published, b.recomputed) for b in result.blocks] == [
        ("产出指标", 60, 60, 60), ("效益指标", 10, 10, 10), ("满意度指标", 10, 10, 10)]
    assert result.recomputed_total == pytest.approx(97) and result.recomputed_grade == "优"
    assert not {"LEVEL1_WEIGHTS_DIFFER", "EXECUTION_REASON_MISSING"} & set(codes(result))
    assert any("省级自评表模板的分值结构" in r for r in result.readings)
    assert any("偏差大或目标未完成原因分析" in r for r in result.readings)


def test_without_the_reason_block_a_low_execution_needs_its_reason(national):
    assert "EXECUTION_REASON_MISSING" in codes(review_table(read(block_rows(reasons=None)), national))


def test_a_block_short_of_its_target_at_full_marks(national):
    result = review_table(read(block_rows(actual_row3="0.5年")), national)
    assert {(f.row, f.code) for f in result.findings if f.severity != "low"} == {("效益指标", "SHORTFALL_FULL_MARKS")}
    assert {b.name: b.recomputed for b in result.blocks}["效益指标"] is None and result.recomputed_total is None


@pytest.mark.parametrize("scores, code, block", [
    (("62", "10", "10"), "SCORE_ABOVE_WEIGHT", "产出指标"),
    (("55", "10", "10"), "SCORE_MISMATCH", "产出指标"),  # every row met: the block's rule score is 60
    (("60", "", "10"), "SCORE_BLANK", "效益指标"),
])
def test_block_scores_checked_against_the_block(scores, code, block, national):
    result = review_table(read(block_rows(scores=scores)), national)
    assert (block, code) in {(f.row, f.code) for f in result.findings}


def test_block_weights_that_do_not_add_up(national):
    result = review_table(read(block_rows(weights=("50", "10", "10"))), national)
    assert ("总分", "WEIGHTS_SUM_MISMATCH") in {(f.row, f.code) for f in result.findings}


def test_a_split_no_template_has_is_still_named(national):
    result = review_table(read(block_rows(weights=("50", "30", "10"), exec_weight="10", scores=("50", "30", "10"),
                                          total="98.5")), national)
    assert "LEVEL1_WEIGHTS_DIFFER" not in codes(result)  # the rule set's own split
    result = review_table(read(block_rows(weights=("70", "10", "10"), exec_weight="10", scores=("70", "10", "10"),
                                          total="98.5")), national)
    assert "LEVEL1_WEIGHTS_DIFFER" in codes(result)


def test_printed_block_weight_against_the_rows_weights(national):
    rows = national_rows(total=("100", "100", "95"), rate="95%", exec_score="9.5", published_total="97.5",
                         grade="等级：优")
    first = next(i for i, r in enumerate(rows) if r and r[0] == "产出指标")
    rows[first] = ["产出指标（40分）", *rows[first][1:]]
    result = review_table(read(rows), national)
    assert ("产出指标", "WEIGHTS_SUM_MISMATCH") in {(f.row, f.code) for f in result.findings}


def test_a_goal_block_under_the_funds_block_is_not_read_as_funds(national):
    rows = [
        [span("项目支出绩效自评表", 8)],
        ["项目名称", span("乡村道路养护", 7)],
        [span("项目资金（万元）", 2), "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        [span("年度资金总额", 2), "50", "50", "48", "10", "96%", "9.6"],
        [span("项目年度目标", 4), span("年度目标完成情况", 4)],
        [span("养护农村公路120公里", 4), span("养护农村公路120公里，路况优良率92%", 4)],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析"],
        ["产出指标", "数量指标", "养护里程", "≥120公里", "120公里", "90", "90", ""],
        [span("总分", 5), "100", "99.6", ""],
    ]
    table = read(rows)
    assert table.funds.row == 4 and table.funds.breakdown == []
    assert (table.texts.goal_expected, table.texts.goal_actual) == ("养护农村公路120公里", "养护农村公路120公里，路况优良率92%")
    assert not {f.code for f in review_table(table, national).findings if f.severity != "low"} - {"LEVEL1_WEIGHTS_DIFFER"}


def test_a_table_cut_after_its_indicator_rows_is_said_to_be_incomplete(national):
    """The grid ends in indicator rows (the rest on a page or in a continuation not read): no sum
    of weights or blank total is held against the unit; the table is said to be incomplete."""
    rows = national_rows(total=("100", "100", "95"), rate="95%", exec_score="9.5", closing=[])[:-3]
    found = read_sheet("t.docx", sheet_of(rows))
    assert found.table.ends_open and any("表格可能不完整" in n for n in found.notes)
    result = review_table(found.table, national)
    assert "TABLE_INCOMPLETE" in codes(result)
    assert not {"WEIGHTS_SUM_MISMATCH", "SCORE_BLANK"} & set(codes(result))


@pytest.mark.parametrize("closing", [[["评价结论", span("项目按计划实施。", 8)]], [[span("填表人：李四", 9)]]])
def test_a_table_without_a_total_row_but_closing_rows_is_complete(closing, national):
    rows = national_rows(total=("100", "100", "95"), rate="95%", exec_score="9.5", closing=closing)
    rows = [r for r in rows if not (isinstance(r[0], dict) and r[0].get("text") == "总分")]
    table = read(rows)
    assert not table.ends_open
    assert "TABLE_INCOMPLETE" not in codes(review_table(table, national))


@pytest.mark.parametrize("header, funds", [
    (["全年目标值", "完成情况", "标准分", "自评得分", "偏差说明"], ["年初预算数", "调整预算数", "实际支出数"]),
    (["计划指标值（A）", "实际完成值（B）", "权重（%）", "得分", "偏差原因分析及改进措施"], ["年初预算数", "预算安排数", "全年执行数"]),
])
def test_header_labels_as_templates_word_them(header, funds, national):
    """The same table under the labels other templates print: the same reading and review."""
    base_rows = national_rows(total=("100", "100", "95"), rate="95%", exec_score="9.5", published_total="97.5",
                              grade="等级：优")
    rows = [list(r) for r in base_rows]
    (h,) = [i for i, r in enumerate(rows) if "三级指标" in r]
    rows[h][4:9] = header
    (f,) = [i for i, r in enumerate(rows) if "全年预算数" in r]
    rows[f][2:5] = funds
    table, expected = read(rows), read(base_rows)
    assert table.indicators == expected.indicators and table.funds == expected.funds
    assert codes(review_table(table, national)) == codes(review_table(expected, national))


def test_values_printed_over_two_lines_in_their_cell(national):
    """A narrow cell's value over two lines (Word paragraphs, <br>, Alt+Enter): one value, and the
    review of the table the same as with the values on one line."""
    one = national_rows(total=("100", "100", "95"), rate="95%", exec_score="9.5", published_total="97.5", grade="等级：优")
    two = [list(r) for r in one]
    (i,) = [k for k, r in enumerate(two) if "培训人数" in r]
    two[i][3:5] = ["≥600\n人", "540\n人"]
    (f,) = [k for k, r in enumerate(two) if "年度资金总额" in str(r[0])]
    two[f][1:4] = ["100", "100.00\n万元", "95"]
    table = read(two)
    assert (table.indicators[0].target, table.indicators[0].actual) == ("≥600人", "540人")
    assert codes(review_table(table, national)) == codes(review_table(read(one), national))


def merged_score_rows(actual: str = "600人", merged: str = "60") -> list:
    """Each row prints its 分值, one 得分 cell covers the 数量指标 block (30 + 30)."""
    return [["项目名称", span("社区应急避难场所建设", 7)],
            ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
            [span("产出指标", rowspan=3), span("数量指标", rowspan=2), "新建避难场所", "≥6处", "6处", "30",
             span(merged, rowspan=2), ""],
            ["培训社区居民", "≥600人", actual, "30", ""],
            ["质量指标", "验收合格率", "≥95%", "98%", "20", "20", ""],
            ["满意度指标", "服务对象满意度指标", "居民满意度", "≥90%", "97%", "20", "20", ""],
            [span("总分", 5), "100", "100", ""],
            ["满意度调查", "样本量", "120", "调查方式", span("现场问卷", 4)]]


def test_one_score_for_a_block_of_rows_that_print_their_weights(national):
    """得分 merged over the 数量指标 rows (30 + 30): judged against the rows' scores together,
    never as 60 of 30 on the first row and a blank score on the second."""
    table = read(merged_score_rows())
    assert [i.score_span for i in table.indicators] == [2, 1, 1, 1]
    result = review_table(table, national)
    assert [f.code for f in result.findings if f.severity != "low"] == []
    assert result.recomputed_total == pytest.approx(100)
    assert any("第3–4行共用一个得分单元格" in r for r in result.readings)


@pytest.mark.parametrize("actual, merged, found", [
    ("540人", "60", {"SHORTFALL_FULL_MARKS", "SCORE_MISMATCH"}),  # 30 + 27 = 57 expected
    ("540人", "57", {"DEDUCTION_WITHOUT_REASON"}),  # right, but no row says why
    ("600人", "62", {"SCORE_ABOVE_WEIGHT", "SCORE_MISMATCH"}),
    ("600人", "", {"SCORE_BLANK"}),
])
def test_a_merged_score_is_checked_against_its_rows(actual, merged, found, national):
    result = review_table(read(merged_score_rows(actual, merged)), national)
    on_block = {f.code for f in result.findings if f.row == 3}
    assert on_block == found
    assert not [f for f in result.findings if f.row == 4 and f.severity != "low"]


def one_weight_rows(actual: str = "600人", merged: str = "60") -> list:
    """One 分值 cell and one 得分 cell over the 数量指标 block (60), no 分值 per row."""
    rows = merged_score_rows(actual, merged)
    rows[2][5] = span("60", rowspan=2)
    rows[3] = ["培训社区居民", "≥600人", actual, ""]
    return rows


@pytest.mark.parametrize("actual, merged, found", [
    ("600人", "60", set()),
    ("540人", "60", {"SHORTFALL_FULL_MARKS"}),  # the deduction itself cannot be recomputed: no row weights
    ("600人", "55", {"SCORE_MISMATCH", "DEDUCTION_WITHOUT_REASON", "TOTAL_SUM_MISMATCH"}),  # 55 + 20 + 20 ≠ 100
])
def test_one_weight_and_one_score_for_a_block_of_rows(actual, merged, found, national):
    table = read(one_weight_rows(actual, merged))
    assert [(i.weight_span, i.score_span) for i in table.indicators][:2] == [(2, 2), (1, 1)]
    result = review_table(table, national)
    assert {f.code for f in result.findings if f.severity != "low"} == found
    assert not [f for f in result.findings if f.row == 4]  # never WEIGHT_BLANK or SCORE_BLANK on the covered row
    assert (result.recomputed_total is None) == (actual == "540人")
    assert any("共用一个分值和一个得分单元格" in r for r in result.readings)


def wrapped_rows(second_line: list[Any]) -> list:
    """A table as a PDF without rules gives it: each printed line a row, so the second line of a
    long name is a row of its own."""
    return [
        ["项目名称", span("社区应急宣传", 6)],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "数量指标", "发放社区居民应急避险知识宣传手册及", "≥5000份", "5200份", "90", "90"],
        second_line,
        ["满意度指标", "服务对象满意度指标", "居民满意度", "≥90%", "93%", "10", "10"],
        [span("总分", 5), "100", "100"],
    ]


def read_unruled(rows: list[list[Any]]) -> tuple[PublishedTable, list[str]]:
    sheet = sheet_of(rows)
    sheet.unruled = True
    found = read_sheet("t.pdf", sheet)
    assert not isinstance(found, str), found
    return found.table, found.notes


def test_a_name_wrapped_onto_a_second_line_is_one_row(national):
    table, notes = read_unruled(wrapped_rows(["", "", "避难场所使用指南", "", "", "", ""]))
    assert [i.name for i in table.indicators] == ["发放社区居民应急避险知识宣传手册及避难场所使用指南", "居民满意度"]
    assert any("第4行" in n and "换行" in n for n in notes)
    result = review_table(table, national)
    assert not {"TARGET_BLANK", "ACTUAL_BLANK", "WEIGHT_BLANK"} & set(codes(result))


def test_a_ruled_table_keeps_a_row_left_blank_but_its_name(national):
    table = read(wrapped_rows(["", "", "宣传栏更新次数", "", "", "", ""]))
    assert [i.name for i in table.indicators][1] == "宣传栏更新次数"
    assert "TARGET_BLANK" in codes(review_table(table, national))


@pytest.mark.parametrize("second_line", [
    ["", "", "其中：少数民族语言版本", "≥500份", "520份", "", ""],  # a detail row: a target of its own
    ["", "", "宣传栏更新次数", "≥12次", "", "", ""],  # a row of its own, its actual left blank
    ["", "质量指标", "避难场所使用指南", "", "", "", ""],  # a 二级指标 of its own
])
def test_rows_that_are_not_the_second_line_of_a_name(second_line):
    table, _ = read_unruled(wrapped_rows(second_line))
    assert len(table.indicators) == 3
