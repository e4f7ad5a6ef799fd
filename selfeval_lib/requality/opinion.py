"""The 复核意见 of one result as text (:class:`Opinion`): title, addressee, sections of
paragraphs and the indicator table, shared by the Word and the HTML renderers so both say the
same. Pure.

Problems are ranked by severity: the largest deduction first. Every rule decided by a heuristic
says so (:data:`HEURISTIC_MARK`); the reviewer's overrides and the year-over-year comparison
have their own section.
"""

from __future__ import annotations

from dataclasses import dataclass

from selfeval_lib.core import formatting as fmt
from selfeval_lib.requality.model import IndicatorRequality, Requality

HEURISTIC_MARK = "（启发式判断，复核人可改判）"
#: The first sentence of the 复核说明: how a score is reached.
METHOD = ("标注“启发式判断”的扣分依据口径所列关键词推定，复核人可在改判文件中调整；"
          "复核得分 = max(0，基准得分 − 分值 × 扣分比例)，多条规则适用时取扣分比例最大的一条。")
#: Columns of the indicator table (the 复核底稿 has the same, plus its formulas).
TABLE_HEADINGS = ("一级指标", "二级指标", "三级指标", "分值", "自评得分", "复核得分", "扣分", "依据条目", "扣分理由")


@dataclass(frozen=True, slots=True)
class Opinion:
    title: str
    addressee: str
    intro: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]
    table: tuple[tuple[str, ...], ...]
    heuristic_rows: frozenset[int]


def show(value: float | None) -> str:
    return "—" if value is None else fmt.score(value, trim=True)


def title_of(r: Requality) -> str:
    year = f"{r.year}年度" if r.year else ""
    return f"关于{year}{r.project or r.source}绩效自评的复核意见"


def indicator_row(i: IndicatorRequality) -> tuple[str, ...]:
    reason = i.reason + (HEURISTIC_MARK if i.heuristic else "")
    if i.overridden:
        reason += f"（复核人改判：{i.override_reason}）"
    return (i.level1, i.level2, i.name, show(i.weight), show(i.self_score), show(i.requality_score),
            show(i.deduction) if i.deduction else "", i.rule_code, reason)


def _also(i: IndicatorRequality) -> str:
    """The other deducting rules that apply to an indicator (the largest share decided)."""
    codes = [h.code for h in i.hits if h.share > 0 and h.code != i.rule_code]
    return f"另适用口径第{'、'.join(codes)}条。" if codes else ""


def _result_lines(r: Requality) -> tuple[str, ...]:
    lines = [f"自评总分{show(r.self_total)}分（{r.self_grade or '—'}），复核总分{show(r.requality_total)}分"
             f"（{r.requality_grade or '—'}）" + (f"，自评高出复核{show(r.gap)}分。" if r.gap and r.gap > 0.005 else "。")]
    if r.execution_weight:
        lines.append(f"预算执行率{fmt.percent(r.execution_rate) if r.execution_rate is not None else '—'}，"
                     f"得分{show(r.execution_score)}分（分值{show(r.execution_weight)}分）。")
    deducted = r.deducted
    lines.append(f"共{len(r.indicators)}项三级指标，{len(deducted)}项扣分，合计扣{show(sum(i.deduction for i in deducted))}分。"
                 if deducted else f"共{len(r.indicators)}项三级指标，复核未扣分。")
    return tuple(lines)


def opinion_of(r: Requality) -> Opinion:
    """The 复核意见 of ``r`` as sections of paragraphs."""
    year = f"{r.year}年度" if r.year else ""
    intro = (f"根据《{r.rules_title or r.rules}》，对你单位报送的{year}{r.project or r.source}绩效自评（{r.source}）"
             "逐项进行了复核。现将复核意见告知如下：")
    problems = tuple(f"{n}. {i.reason}{HEURISTIC_MARK if i.heuristic else ''}（扣{show(i.deduction)}分）{_also(i)}"
                     for n, i in enumerate(r.deducted, start=1))
    notes = tuple(h.reason for i in r.indicators for h in i.hits if h.share == 0 and h.code != i.rule_code)
    notes += tuple(h.reason for h in r.findings)
    sections: list[tuple[str, tuple[str, ...]]] = [("一、复核结果", _result_lines(r)),
                                                   ("二、主要问题（按扣分多少排列）", problems or ("复核未发现须扣分的问题。",))]
    if r.warnings:
        sections.append(("三、预警", tuple(f"{'红色' if w.level == 'red' else '黄色'}预警：{w.message}" for w in r.warnings)))
    extra = notes + r.yoy
    if extra:
        sections.append((f"{'四' if r.warnings else '三'}、其他提示", extra))
    n = len(sections)
    if r.overrides:
        sections.append((f"{'一二三四五六'[n]}、复核人改判", r.overrides))
        n += 1
    sections.append((f"{'一二三四五六七'[n]}、复核说明",
                     (METHOD, *r.readings)))
    rows = tuple(indicator_row(i) for i in r.indicators)
    heuristic = frozenset(k for k, i in enumerate(r.indicators) if i.heuristic)
    return Opinion(title_of(r), f"{r.unit or '被复核单位'}：", intro, tuple(sections), rows, heuristic)
