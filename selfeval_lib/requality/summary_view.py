"""The summary as titled tables of plain values, shown alike by the HTML page and the workbook."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.vocabulary import GRADES
from selfeval_lib.requality.copies import FIELDS, SHINGLE, THRESHOLD
from selfeval_lib.requality.sampling import RISK_POINTS
from selfeval_lib.requality.summary_data import Summary

WARNING_ZH = {"red": "红色预警", "yellow": "黄色预警"}
#: Each evidence case as the summary names it.
EVIDENCE_CASE_ZH = {"not_provided": "未随自评报送佐证材料", "provided": "已报送，部分指标缺材料",
                    "requested": "已通知补报，逾期未补报的计0分"}


def summary_title(s: Summary) -> str:
    """The summary's title, as the page and the workbook head it: the years, then what it is."""
    years = "、".join(map(str, s.years))
    return f"{years}年度项目支出绩效自评质量复核汇总" if years else "项目支出绩效自评质量复核汇总"


def warning_label(code: str, s: Summary) -> str:
    """A provincial warning's code (:func:`selfeval_lib.requality.engine.provincial_warnings`) in
    Chinese, with the 口径's thresholds as the summary applied them (the code itself when unknown)."""
    labels = {"SCORE_OUTRUNS_SPENDING": f"指标得分率高于预算执行得分率{fmt.percent(s.red_gap, trim=True)}以上",
              "BUDGET_ZERO": "全年预算数为0", "BUDGET_UNSPENT": f"预算未执行超过{fmt.percent(s.unspent_share, trim=True)}"}
    return labels.get(code, code)


def warning_rules(s: Summary) -> str:
    """The two warnings' rules in one sentence, with the 口径's thresholds."""
    return (f"红色：指标得分率超过预算执行得分率{fmt.percent(s.red_gap, trim=True)}以上；"
            f"黄色：预算为0或结余超过{fmt.percent(s.unspent_share, trim=True)}。")


@dataclass(frozen=True, slots=True)
class Section:
    """One table of the summary: ``key`` (the sheet's short name), title, a note under the title,
    headings and rows (numbers as numbers, None as blank); the page shows at most ``shown`` rows
    (all when None), or none of the section when ``page`` is False (the workbook has every row)."""

    key: str
    title: str
    note: str
    headings: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    shown: int | None = 50
    page: bool = True


#: Where a compared text stands (:class:`~selfeval_lib.requality.model.ProjectText` ``field``), in Chinese.
FIELD_ZH = {
    "overall_goal": "年度总体目标", "narrative.organisation": "组织情况", "narrative.implementation": "实施情况",
    "narrative.management": "管理情况", "narrative.supervision": "监管情况",
    "narrative.financial_management": "财务管理", "narrative.evaluation_steps": "自评步骤",
    "narrative.evaluation_methods": "自评方法", "narrative.benefits": "项目效益情况",
    "funds.execution_shortfall_reason": "执行率未达标原因", "funds.reason": "资金偏差原因",
}


def field_label(field: str) -> str:
    """A text's place in Chinese: "narrative.benefits" → 项目效益情况, "indicator:X:actual" → 指标“X”完成值."""
    if field in FIELD_ZH:
        return FIELD_ZH[field]
    kind, _, rest = field.partition(":")
    if kind == "indicator" and rest:
        name, _, part = rest.rpartition(":")
        return f"指标“{name or part}”" + {"actual": "完成值", "target": "指标值"}.get(part, "") if name else f"指标“{rest}”"
    if kind == "deviation_reason" and rest:
        return f"指标“{rest}”偏差原因"
    return field


def wan(amount: float) -> float:
    """元 → 万元, two decimals (half up)."""
    return float(fmt.wan_value(amount))


def points(value: float | None) -> float | None:
    """A score (points), two decimals (half up)."""
    return None if value is None else fmt.round_half_up(value)


def _units(pairs: tuple[tuple[str, int], ...], limit: int | None = None) -> str:
    shown = pairs if limit is None else pairs[:limit]
    text = "、".join(f"{u}（{n}）" for u, n in shown)
    return text + (f"等 {len(pairs)} 个单位" if limit is not None and len(pairs) > limit else "")


def overview(s: Summary) -> list[tuple[str, Any]]:
    """The key figures (label, value) the page and the first sheet open with."""
    return [
        ("复核口径", "、".join(s.rules_titles)), ("年度", "、".join(map(str, s.years)) or "—"),
        ("主管部门（个）", s.departments), ("单位（个）", s.units), ("项目（个）", s.results),
        ("预算金额（万元）", wan(s.budget)), ("执行金额（万元）", wan(s.executed)),
        ("平均自评总分", points(s.self_mean)), ("平均复核总分", points(s.requality_mean)),
        ("复核等级低于自评等级的项目（个）", len(s.grade_drops)),
        ("三级指标（个）", s.indicators), ("扣分指标（个）", s.deducted),
        ("自评偏高单位（个）", len(s.over_scoring)), ("全部项目自评满分单位（个）", len(s.all_hundred)),
        ("雷同文本（对）", len(s.copies)), ("雷同指标组（组）", len(s.indicator_sets)),
        ("跨领域用语（处）", len(s.foreign)), ("抽查项目（个）", len(s.sample.selected)),
        ("抽查比例", fmt.percent(s.sample.share, 1, trim=True)),
    ]


def distributions(s: Summary) -> list[Section]:
    """The projects by band of 自评 − 复核 and by grade (自评 and 复核), as the charts show them."""
    own, after = dict(s.grade_counts("self")), dict(s.grade_counts())
    return [
        Section("分差分布", "自评高出复核的分值分布", "自评高出 = 自评总分 − 复核总分。", ("分差", "项目数"),
                s.gap_counts(), shown=None),
        Section("等级分布", "自评等级与复核等级", "", ("等级", "自评（个）", "复核（个）"),
                tuple((g, own.get(g, 0), after.get(g, 0)) for g in GRADES), shown=None),
    ]


#: What each evidence case means for the score, as the page's opening says it.
EVIDENCE_EFFECT = {"not_provided": "未随自评报送佐证材料，未因此扣分，已要求补报",
                   "provided": "报送了佐证材料，已逐项查验，缺少材料的指标须补报",
                   "requested": "经通知补报，逾期仍未补报的指标计0分"}


def evidence_sentence(s: Summary) -> str:
    """Which evidence case applies, by how many results (the page's opening says it)."""
    cases = dict(s.evidence)
    parts = [f"{cases[c]}个项目{EVIDENCE_EFFECT[c]}" for c in EVIDENCE_EFFECT if cases.get(c)]
    return "佐证材料：" + "；".join(parts) + "。" if parts else ""


def method_notes(s: Summary) -> list[tuple[str, str]]:
    """How the figures were found, in plain words (the summary page's 方法说明): scoring, evidence,
    the sample, copied text and indicators, words from another field."""
    share = fmt.percent(s.sample.share, 1, trim=True)
    risks = "、".join(name for name, key in (("省级平台预警", "warnings"), ("扣分指标", "deductions"),
                                             ("雷同文本", "copies")) if RISK_POINTS[key])
    return [
        ("复核得分", "按复核口径逐项判断每个三级指标是否扣分，多条同时适用时按扣分最多的一条计；自评得分与按评分规则计算的"
                  "结果不符的，以计算结果为准。需要判断的扣分在复核意见中注明，单位可提供材料申请复核。"),
        ("佐证材料", "自评资料未附佐证材料的，只说明材料没有报来，不说明单位没有材料：这种情况不扣分，列明须补报的指标和期限；"
                  "经书面通知补报、逾期仍未报送的指标，才按复核口径计0分。"),
        ("抽查", f"每个主管部门按其项目数的{share}抽取项目（四舍五入，至少1个）开展重点抽查。预算金额越大、发现的问题"
               f"（{risks}）越多的项目，被抽中的机会越大，但每个项目都有机会被抽中。按同样的材料和设置再次抽取，结果相同；"
               "各项目的抽中机会见工作簿“抽样明细”。"),
        ("雷同文本", f"各单位报告和指标中的每段文字，去掉数字、空格和标点后，按连续{SHINGLE}个字的片段相互比较；两段文字共有的"
                 f"片段占两段全部片段的{fmt.percent(THRESHOLD, 0, trim=True)}以上的，列为雷同，并列出共同的内容，供人工核实。"),
        ("雷同指标", "不同单位的项目，二级指标、三级指标和指标值完全相同（不计顺序、空格和标点）的，列为雷同指标组。"),
        ("跨领域用语", "文本提到某一领域的受益对象（如老年人、学生），而项目名称和支出内容与该领域无关的，列为疑似照抄，"
                  "须人工核实。"),
    ]


def sections(s: Summary) -> list[Section]:
    """Every table of the summary, in the order of the page and the workbook's sheets."""
    unit_headings = ("单位", "主管部门", "项目数", "预算金额（万元）", "平均自评总分", "平均复核总分", "自评高出（平均）",
                     "自评高出（合计）", "高出最多的项目", "高出最多（分）", "扣分指标数", "主要扣分规则")

    def unit_row(rank: int | None, u: Any) -> tuple[Any, ...]:
        rules = "、".join(f"{'第' + code + '条' if code.isdigit() else code}（{n}）" for code, n in u.rules)
        row = (u.unit, u.department, u.projects, wan(u.budget), points(u.self_mean), points(u.requality_mean),
               points(u.gap_mean), points(u.gap_total), u.worst_project, points(u.gap_max), u.deducted, rules)
        return row if rank is None else (rank, *row)

    draws = [(d.candidate.department, d.candidate.unit, d.candidate.project, wan(d.candidate.amount),
              d.candidate.warnings, d.candidate.deductions, d.candidate.copies, d.weight, d.key,
              "抽中" if d.selected else "", d.candidate.key) for d in s.sample.draws]
    rows = [
        Section("自评偏高", "一、自评得分高于复核得分的单位（按平均高出分值排序）",
                "自评高出 = 自评总分 − 复核总分；平均为该单位各项目的平均。", ("排名", *unit_headings),
                tuple(unit_row(n, u) for n, u in enumerate(s.over_scoring, start=1)), shown=20),
        Section("全部满分", "二、全部项目自评满分的单位（“自评流于形式”风险）",
                "该单位参与复核的每个项目自评总分均为100分。", unit_headings,
                tuple(unit_row(None, u) for u in s.all_hundred)),
        Section("扣分规则", "三、最常见的扣分（按复核口径条目统计）",
                f"占比为占全部扣分指标（{s.deducted}个）的比例；“判断”为需要判断的扣分，复核人员可复议。",
                ("口径条目", "审查内容", "扣分指标数", "占比", "扣减分值合计", "判断", "涉及单位（指标数）"),
                tuple((f"第{d.article}条" if d.article.isdigit() else d.article, d.looks_at, d.count,
                       fmt.percent(d.share, 1, trim=True), points(d.points), "是" if d.heuristic else "否",
                       _units(d.units, 10)) for d in s.deductions)),
        Section("预警", "四、省级平台预警", warning_rules(s),
                ("预警", "情形", "项目数", "涉及单位"),
                tuple((WARNING_ZH.get(w.level, w.level), warning_label(w.code, s), w.count, "、".join(w.units))
                      for w in s.warnings)),
        Section("雷同文本", "五、不同单位或项目之间雷同的文本",
                "比较办法见方法说明；“相似度”为共有片段所占比例，“文本相似度”为逐字比对的相似程度。",
                ("单位甲", "项目甲", "位置甲", "单位乙", "项目乙", "位置乙", "跨单位", "相似度", "文本相似度", "雷同内容"),
                tuple((c.first.unit, c.first.project, field_label(c.first.field), c.second.unit, c.second.project,
                       field_label(c.second.field),
                       "是" if c.across_units else "否", c.jaccard, c.ratio, c.shared) for c in s.copies)),
        Section("雷同指标", "六、不同单位项目使用完全相同的指标组",
                "二级指标、三级指标和指标值完全相同（不计顺序、空格与标点）。",
                ("组", "单位数", "项目", "指标（二级指标／三级指标／指标值）"),
                tuple((n, len(g.units), "；".join(f"{u}／{p}" for u, _, p in g.projects),
                       "；".join("／".join(t) for t in g.indicators)) for n, g in enumerate(s.indicator_sets, 1))),
        Section("跨领域用语", "七、出现其他领域用语的指标或文本（启发式判断）",
                "文本提到某一领域的受益对象，而项目名称与支出内容中没有该领域的任何词语（词表："
                + "；".join(f"{name}" for name, _, _ in FIELDS) + "）。",
                ("单位", "项目", "位置", "文本", "所属领域", "用语"),
                tuple((f.passage.unit, f.passage.project, field_label(f.passage.field), f.passage.text, f.field_name, "、".join(f.words))
                      for f in s.foreign)),
        Section("抽查样本", "八、抽查样本（可复现）",
                f"每个主管部门抽取{fmt.percent(s.sample.share, 1, trim=True)}的项目（四舍五入，至少1个），抽取办法见方法说明；"
                "各项目的抽中机会见工作簿“抽样明细”。",
                ("主管部门", "单位", "项目", "预算金额（万元）", "预警数", "扣分指标数", "雷同数", "权重"),
                tuple(row[:8] for row in draws if row[9]), shown=None),
        Section("抽样明细", "抽样明细（全部候选项目）",
                f"随机种子 {s.sample.seed}；{s.sample.formula}；按权重不放回抽样（Efraimidis–Spirakis），随机键大者抽中。",
                ("主管部门", "单位", "项目", "预算金额（万元）", "预警数", "扣分指标数", "雷同数", "权重", "随机键", "是否抽中", "来源"),
                tuple(draws), page=False),
        Section("佐证材料", "九、须补报佐证材料的项目",
                "未随自评报送佐证材料（或部分指标缺少材料）且未经通知补报的，本次复核未因此扣分，已在复核意见中"
                "列明须补报的指标和期限；通知补报而逾期未补报的，相应指标按复核口径计0分。",
                ("单位", "项目", "情形", "须补报指标数"),
                tuple((u, p, EVIDENCE_CASE_ZH.get(c, c), n) for u, p, c, n in s.supplements)),
        Section("上年对比", "十、与上年对比", "同一单位同一项目上一年度的自评表或参数文件在复核范围内时列出。",
                ("单位", "项目", "情况"), tuple(s.yoy)),
        Section("全部单位", "全部单位", "", unit_headings, tuple(unit_row(None, u) for u in s.unit_rows), page=False),
    ]
    return rows


__all__ = ["FIELD_ZH", "WARNING_ZH", "Section", "distributions", "evidence_sentence", "field_label", "method_notes", "overview",
           "points", "sections", "wan", "warning_label", "warning_rules"]
