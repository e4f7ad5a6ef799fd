"""The 通报: the notice a finance bureau circulates to every unit after a 自评质量复核 (pure text
:func:`bulletin_of`, shared by the Word file :func:`selfeval_lib.render.requality_office.bulletin_docx`
and the page :func:`selfeval_lib.render.requality_html.bulletin_html`, so both say the same).

Its parts, as a bureau issues it (requality.md, "The documents a bureau issues"): the 文号 line,
the title, the 主送, 一、总体情况 (scope, amounts, scores and grades, which evidence case applies,
the 抽查), 二、主要问题 (each with its count and a named case), 三、下一步要求 (with the deadline),
the 附件 line, the 落款 (the bureau and the date, or lines to fill) kept with the text before it,
and the annex table of results (unit, project, 自评, 复核, 等级) on a page of its own.

Counts are written as Chinese prose writes them ("1个主管部门"), shares without a trailing ".0".
How the sample was drawn and copies found is told on the summary page only (its 方法说明); the
通报 names no file, formula, rule-set id or method.
"""

from __future__ import annotations

from dataclasses import dataclass

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core import vocabulary as vocab
from selfeval_lib.requality.engine import RECOMPUTE
from selfeval_lib.requality.model import Issuance, Letter
from selfeval_lib.requality.opinion import BLANK_DATE, cite, deadline, show
from selfeval_lib.requality.summary_data import Summary, UnitRow
from selfeval_lib.requality.summary_view import WARNING_ZH, warning_label

#: Units named in one sentence at most ("…等N个单位").
NAMED = 5
#: The lines left to fill when the 文号 or the bureau is not given.
BLANK_NUMBER = "〔　　　　〕　　号"
BLANK_BUREAU = "（发文机关署名）"
#: The annex table's columns.
ANNEX_HEADINGS = ("序号", "单位", "项目", "自评得分", "复核得分", "自评等级", "复核等级")
#: What a kind of finding beside the indicators says of the projects that have it.
TOPIC_SENTENCE = {
    "资金支付审批": "支付审批手续不全", "支出进度": "支出集中在年末、序时进度滞后", "预算执行": "预算执行率偏低或未说明原因",
    "资金到位": "资金未及时足额到位", "资金使用": "资金使用与预算、到位数不符",
    "自评与计算不符": "自评总分、等级或报告数据与按评分规则计算的结果不一致",
}
MONEY_TOPICS = ("资金支付审批", "支出进度", "预算执行", "资金到位", "资金使用")
_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True, slots=True)
class Bulletin(Letter):
    """The 通报: the letter with its 文号 line and the annex table's rows."""

    number: str
    annex_rows: tuple[tuple[str, ...], ...]


def _names(units: list[str] | tuple[str, ...], limit: int = NAMED) -> str:
    shown = "、".join(units[:limit])
    return f"{shown}等{len(units)}个单位" if len(units) > limit else shown


def _share(value: float) -> str:
    """0.5 → "50%", 1/3 → "33.3%"."""
    return fmt.percent(value, 1, trim=True)


def _grades(pairs: tuple[tuple[str, int], ...]) -> str:
    return "、".join(f"“{g}”{n}个" for g, n in pairs)


def _year_text(s: Summary) -> str:
    years = "、".join(map(str, s.years))
    return f"{years}年度" if years else ""


def _kouqing(s: Summary) -> str:
    return "、".join(f"《{t}》" for t in s.rules_titles) or "复核口径"


def _overall(s: Summary) -> tuple[str, ...]:
    out = [f"本次复核涉及{s.departments}个主管部门、{s.units}个单位的{s.results}个项目，预算资金合计"
           f"{fmt.wan(s.budget)}，执行{fmt.wan(s.executed)}。复核按照{_kouqing(s)}，逐项核对绩效指标完成值、"
           "资金支付和自评结论，重新评定得分。"]
    if s.results and s.self_mean is not None and s.requality_mean is not None:
        gap = s.self_mean - s.requality_mean
        higher = f"，自评平均高出{show(gap)}分" if gap > vocab.SHOWN_GAP else ""
        drops = f"{len(s.grade_drops)}个项目复核等级低于自评等级" if s.grade_drops else "各项目复核等级均不低于自评等级"
        out.append(f"复核结果：{s.results}个项目平均自评总分{show(s.self_mean)}分，平均复核总分{show(s.requality_mean)}分"
                   f"{higher}。自评等级{_grades(s.grade_counts('self'))}，复核等级{_grades(s.grade_counts())}，{drops}。"
                   "各项目复核结果见附件。")
    cases = dict(s.evidence)
    evidence = []
    if cases.get("not_provided"):
        evidence.append(f"{cases['not_provided']}个项目未随自评资料报送佐证材料。材料未报送不等于没有材料，本次复核未因此扣分，"
                        "已在复核意见中列明须补报的指标和期限，逾期未补报的相应指标计0分")
    if cases.get("provided"):
        evidence.append(f"{cases['provided']}个项目报送了佐证材料，已逐项查验，缺少材料的指标列入补报")
    if cases.get("requested"):
        evidence.append(f"{cases['requested']}个项目经通知补报，逾期仍未报送材料的指标已按复核口径计0分")
    if evidence:
        out.append("；".join(evidence) + "。")
    if s.sample.selected:
        out.append(f"在此基础上，抽取{len(s.sample.selected)}个项目开展重点抽查。")
    return tuple(out)


def _over(s: Summary) -> str:
    def unit(u: UnitRow) -> str:
        worst = next((p for p in s.projects if p.unit == u.unit and p.project == u.worst_project), None)
        case = (f"，其中“{u.worst_project}”自评{show(worst.self_total)}分、复核{show(worst.requality_total)}分"
                if worst is not None and u.projects > 1 else "")
        return f"{u.unit}平均高出{show(u.gap_mean)}分（{u.projects}个项目{case}）"

    return (f"经复核，{len(s.over_scoring)}个单位的自评总分高于复核总分。高出较多的有："
            + "；".join(unit(u) for u in s.over_scoring[:NAMED] if u.gap_mean is not None) + "。")


def _deductions(s: Summary) -> str:
    parts = []
    for d in s.deductions[:NAMED]:
        unit, project, indicator = d.example
        what = ("按评分规则重算得分低于自评得分的" if d.code == RECOMPUTE else
                f"按{cite(d.article)}" + (f"（{d.looks_at}）" if d.looks_at else "") + "扣分的")
        parts.append(f"{what}{d.count}个，占{_share(d.share)}，如{unit}“{project}”的“{indicator}”")
    return f"复核的{s.indicators}个三级指标中，{s.deducted}个按复核口径扣分。其中" + "；".join(parts) + "。"


def _copies(s: Summary) -> str:
    parts = []
    if s.copies:
        across = sum(c.across_units for c in s.copies)
        pair = s.copies[0]
        parts.append(f"发现雷同文本{len(s.copies)}处（其中跨单位{across}处），如{pair.first.unit}“{pair.first.project}”与"
                     f"{pair.second.unit}“{pair.second.project}”的相关段落基本一致")
    if s.indicator_sets:
        parts.append(f"{len(s.indicator_sets)}组不同单位的项目使用完全相同的绩效指标")
    if s.foreign:
        f = s.foreign[0]
        parts.append(f"{len(s.foreign)}处指标或文本出现与项目无关领域的用语，如{f.passage.unit}“{f.passage.project}”中出现"
                     f"“{'、'.join(f.words)}”")
    return "；".join(parts) + f"。涉及{_names(s.copy_units)}，存在照搬照抄其他单位或其他项目材料的情况。"


def _problems(s: Summary) -> tuple[str, ...]:
    found: list[tuple[str, str]] = []
    if s.over_scoring:
        found.append(("自评得分偏高。", _over(s)))
    if s.all_hundred:
        units = [u.unit for u in s.all_hundred]
        found.append(("自评流于形式。", f"{_names(units)}参与复核的全部项目自评均为满分（100分），共"
                                    f"{sum(u.projects for u in s.all_hundred)}个项目，自评未能真实反映绩效目标完成情况。"))
    money = [t for t in s.topics if t.topic in MONEY_TOPICS]
    if money:
        found.append(("资金管理和预算执行不规范。", "；".join(
            f"{t.projects}个项目{TOPIC_SENTENCE[t.topic]}，如{t.example[0]}“{t.example[1]}”：{t.example[2]}" for t in money) + "。"))
    claims = [t for t in s.topics if t.topic == "自评与计算不符"]
    if claims:
        t = claims[0]
        found.append(("自评结论与实际数据不符。", f"{t.projects}个项目{TOPIC_SENTENCE[t.topic]}，如{t.example[0]}"
                                          f"“{t.example[1]}”：{t.example[2]}。"))
    if s.deductions:
        found.append(("绩效指标设置和完成值不规范。", _deductions(s)))
    if s.copies or s.indicator_sets or s.foreign:
        found.append(("报告文本和指标雷同。", _copies(s)))
    if s.warnings:
        parts = [f"{warning_label(w.code, s)}的{w.count}个项目（{WARNING_ZH.get(w.level, w.level)}）" for w in s.warnings]
        found.append(("预算执行与绩效不匹配。", "按省级平台预警规则，" + "，".join(parts) + "，相关单位应分析原因并说明。"))
    if not found:
        return ("本次复核未发现需要通报的共性问题。",)
    return tuple(line for n, (heading, text) in enumerate(found) for line in (f"（{_NUMERALS[n]}）{heading}", text))


def _requirements(s: Summary, issued: Issuance, rectify_days: int) -> tuple[str, ...]:
    out = [f"认真整改。各单位要对照复核意见逐项整改，{deadline(issued.date, rectify_days, '本通报印发')}将整改情况书面报送"
           "我局；自评得分与复核得分差距较大的单位，要说明原因。"]
    if s.supplements:
        out.append("按期补报佐证材料。须补报佐证材料的单位，要在复核意见规定的期限内补报；逾期未补报的，相应指标按复核口径计0分，"
                   "复核结果相应调整。")
    out.append("据实开展自评。各单位要按照绩效目标和实际完成情况客观评分，每项完成值须有佐证材料，不得简单打满分，"
               "不得照搬其他单位或其他项目的文本和指标。")
    out.append("科学设置绩效指标。绩效指标应与项目内容相关、可衡量、可考核，指标归类准确，满意度指标须有调查依据。")
    if any(t.topic in MONEY_TOPICS for t in s.topics):
        out.append("规范资金管理。严格执行支付审批制度，按序时进度均衡支出，避免年底突击花钱。")
    if s.sample.selected:
        out.append(f"配合抽查复核。被抽查的{len(s.sample.selected)}个项目所在单位要及时准备相关资料，配合开展重点复核。"
                   "复核结果将作为以后年度预算安排的重要参考。")
    return tuple(f"（{_NUMERALS[n]}）{text}" for n, text in enumerate(out))


def bulletin_of(s: Summary, issued: Issuance = Issuance(), rectify_days: int = 30) -> Bulletin:
    """The 通报 of summary ``s``, issued as ``issued`` says (bureau, date, 文号; lines to fill when
    blank); the 整改 deadline is ``rectify_days`` after the date (from issue when undated)."""
    year = _year_text(s)
    sections = (("一、总体情况", _overall(s)), ("二、主要问题", _problems(s)),
                ("三、下一步要求", _requirements(s, issued, rectify_days)))
    annex_title = f"{year}项目支出绩效自评质量复核结果"
    rows = tuple((str(n), p.unit, p.project, show(p.self_total), show(p.requality_total), p.self_grade or "—",
                  p.requality_grade or "—") for n, p in enumerate(s.projects, start=1))
    return Bulletin(
        number=issued.number or BLANK_NUMBER,
        title=f"关于{year}项目支出绩效自评质量复核情况的通报",
        addressee="各主管部门、各预算单位：",
        intro=f"为提高绩效自评质量，压实预算单位绩效管理主体责任，我局组织对{year}项目支出绩效自评开展了质量复核。"
              "现将有关情况通报如下：",
        sections=sections, annex_note=f"附件：{annex_title}",
        signature=(issued.bureau or BLANK_BUREAU, fmt.chinese_date(issued.date) if issued.date else BLANK_DATE),
        annex_title=annex_title, annex_rows=rows)


__all__ = ["ANNEX_HEADINGS", "BLANK_BUREAU", "BLANK_NUMBER", "Bulletin", "bulletin_of"]
