"""The 复核意见 of one result as text (:class:`Opinion`), in the bureau's form, shared by the Word
and the HTML renderers so both say the same (pure):

一、基本情况 (the project, the unit's claim, which evidence case applies) 二、复核发现 (the money and
the claims first, then the indicators, then the evidence; each finding with the rule it falls
under and the points it costs) 三、复核结论 (自评 against 复核, reconciled rule by rule)
四、整改要求 (what, by when); the 落款 (复核单位 and date, or lines to fill); the annex table, whose
自评得分 column holds the unit's own scores and whose 扣分 column adds up to 自评总分 − 复核总分.

No file path, formula, program identifier or method name appears: the body speaks as the
reviewer to the unit.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from dataclasses import dataclass

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core import vocabulary as vocab
from selfeval_lib.requality.engine import CLAIMS_ARTICLE, RECOMPUTE
from selfeval_lib.requality.issues import BASIS_CLAIMS, BASIS_EXECUTION, BASIS_FINANCE
from selfeval_lib.requality.model import IndicatorRequality, Issuance, Issue, Letter, Requality

#: How a deduction decided by the 口径's keyword lists is marked (the unit may ask for it to be reconsidered).
HEURISTIC_MARK = "（判断性扣分，单位有异议的可提供材料申请复核）"
#: Columns of the annex table.
TABLE_HEADINGS = ("一级指标", "二级指标", "三级指标", "分值", "自评得分", "复核得分", "扣分", "依据", "扣分理由")
#: Shown in the 自评得分 column where the unit claimed a total without its parts.
NOT_STATED = "未分项列明"
#: The 落款 lines left to fill when the reviewer or the date is not given.
BLANK_REVIEWER = "复核单位（盖章）："
BLANK_DATE = "　　年　　月　　日"
_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True, slots=True)
class Opinion(Letter):
    """The 复核意见: the letter, its annex rows, which of them are judgement calls, the 合计 row."""

    table: tuple[tuple[str, ...], ...]
    heuristic_rows: frozenset[int]
    total_row: tuple[str, ...]


def show(value: float | None) -> str:
    return "—" if value is None else fmt.score(value, trim=True)


def deadline(issued: dt.date | None, days: int, since: str = "收到本意见") -> str:
    """A deadline as the adverbial a sentence puts before its verb: "于2024年4月15日前" from a
    dated document, else "自收到本意见之日起15日内"."""
    if issued is None:
        return f"自{since}之日起{days}日内"
    return f"于{fmt.chinese_date(issued + dt.timedelta(days=days))}前"


def cite(article: str) -> str:
    return f"口径第{article}条"


def title_of(r: Requality) -> str:
    year = f"{r.year}年度" if r.year else ""
    return f"关于{year}“{r.project}”项目支出绩效自评的复核意见"


def _cited(i: IndicatorRequality) -> str:
    """The 口径 entries behind an indicator's deduction, as the annex's 依据 column cites them."""
    articles = [h.cited for h in i.hits if (h.share > 0 or h.code == RECOMPUTE) and h.cited]
    if i.overridden:
        articles.append("复核人改判")
    return "、".join(f"第{a}条" if a[0].isdigit() else a for a in dict.fromkeys(articles))


def _row_reason(i: IndicatorRequality) -> str:
    parts = [h.reason for h in i.hits if h.share > 0 or h.code == RECOMPUTE]
    text = "".join(parts) + (HEURISTIC_MARK if i.heuristic else "")
    if i.overridden:
        text += f"复核人改判：{i.override_reason}。"
    return text


def _lost(i: IndicatorRequality) -> float:
    """An indicator's 扣分 in the annex: its own score (or, when it stated none, the recomputed
    one) less the 复核得分 (negative when the unit under-scored it)."""
    own = i.self_score if i.self_score is not None else i.recomputed_score
    return (own or 0.0) - (i.requality_score or 0.0)


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """自评总分 − 复核总分 by where it comes from: the recomputation by the scoring rules (口径 rule
    11, the 预算执行率 line included), each 口径 entry's deductions, the reviewer's overrides. The
    parts add up to ``gap``."""

    gap: float
    recompute: float
    by_article: tuple[tuple[str, float], ...]
    overrides: float
    residual: float


def reconcile(r: Requality) -> Reconciliation | None:
    """The reconciliation of ``r`` (None when a total is missing)."""
    if r.self_total is None or r.requality_total is None:
        return None
    bases = [i.base_score if i.base_score is not None else 0.0 for i in r.indicators]
    execution = r.execution_score or 0.0
    recompute = r.self_total - execution - math.fsum(bases)
    articles: dict[str, list[float]] = defaultdict(list)
    overrides: list[float] = []
    for i, base in zip(r.indicators, bases, strict=True):
        lost = base - (i.requality_score or 0.0)
        if i.overridden:
            overrides.append(lost)
        elif lost > vocab.SCORE_NOISE:
            main = next((h for h in i.hits if h.code == i.rule_code), None)
            articles[main.cited if main else i.rule_code].append(lost)
    by_article = tuple(sorted(((a, math.fsum(v)) for a, v in articles.items()),
                              key=lambda kv: (int(kv[0]) if kv[0].isdigit() else 99, kv[0])))
    # the only residual is the rounding of the parts shown, never a hidden term
    gap = r.self_total - r.requality_total
    return Reconciliation(gap, recompute, by_article, math.fsum(overrides), 0.0)


def _basic(r: Requality) -> tuple[str, ...]:
    year = f"{r.year}年度" if r.year else ""
    funds = []
    if r.budget is not None:
        funds.append(f"全年预算数{fmt.wan(r.budget)}")
    if r.executed is not None:
        funds.append(f"执行数{fmt.wan(r.executed)}")
    if r.execution_rate is not None:
        funds.append(f"预算执行率{fmt.percent(r.execution_rate, trim=True)}")
    first = (f"“{r.project}”项目{year}" + ("，".join(funds) + "，" if funds else "")
             + f"设置三级绩效指标{len(r.indicators)}项。你单位自评总分{show(r.self_total)}分，"
               f"评价等级为“{r.self_grade or '未填写'}”。")
    return first, evidence_sentence(r)


def evidence_sentence(r: Requality) -> str:
    """Which evidence case applies, as the 复核意见 and the command say it."""
    s = r.supplement
    if r.evidence_status == "requested":
        zeroed = sum(1 for i in r.indicators if any(h.check == "no_evidence" and h.share > 0 for h in i.hits))
        return (f"你单位的佐证材料{r.evidence_request}。" + (f"逾期仍未提供佐证材料的{zeroed}项指标按口径计0分。" if zeroed
                                                          else "补报的材料已逐项查验。"))
    if r.evidence_status == "provided":
        checked = sum(1 for i in r.indicators if any(e.present for e in i.evidence))
        text = f"你单位随自评报送了佐证材料，复核逐项查验了{checked}项指标的材料"
        if s:
            return text + f"；{len(s.indicators)}项指标未见佐证材料，本次未因此扣分，须按“四、整改要求”补报。"
        return text + "。"
    if s:
        return ("你单位报送的自评资料未附佐证材料。本次复核按口径其他条目评分，未因缺少佐证材料扣分；"
                f"{len(s.indicators)}项指标的佐证材料须按“四、整改要求”补报。")
    return "你单位报送的自评资料未附佐证材料。"


def _numbered(items: list[str]) -> tuple[str, ...]:
    return tuple(f"{n}．{text}" for n, text in enumerate(items, start=1))


def _clause(basis: str, deduction: float, r: Requality) -> str:
    """What a group of findings is judged by and what it costs, in one clause."""
    if basis == BASIS_EXECUTION:
        return (f"依据{basis}，该项得{show(r.execution_score)}分（分值{show(r.execution_weight)}分）"
                if r.execution_weight else f"依据{basis}")
    if basis == BASIS_FINANCE:
        return f"依据{basis}，不属于自评表评分内容，不扣分，须整改"
    if basis == BASIS_CLAIMS and deduction > vocab.SHOWN_GAP:
        return f"依据{basis}，以按评分规则计算的结果为准，自评总分相应减少{show(deduction)}分"
    if basis == BASIS_CLAIMS:
        return f"依据{basis}，以计算结果为准"
    return f"依据{basis}，" + (f"扣{show(deduction)}分" if deduction > vocab.SHOWN_GAP else "不扣分")


def _bare(text: str) -> str:
    return re.sub(r"[\s，。、；：,.;:]", "", text)


def merge_sentences(texts: list[str]) -> str:
    """Findings of one topic as one passage, without saying a thing twice: a sentence's leading
    clauses that an earlier sentence already states are left out ("执行率80%低于90%，但未说明原因" then
    "执行率80%，低于90%，结余2.40万元" → "…，但未说明原因。结余2.40万元。")."""
    said = ""
    out: list[str] = []
    for text in dict.fromkeys(texts):
        clauses = text.rstrip("。").split("，")
        k = 0
        while k < len(clauses) and _bare("".join(clauses[:k + 1])) in said:
            k += 1
        rest = "，".join(clauses[k:])
        if rest:
            out.append(rest + "。")
        said += _bare(text)
    return "".join(out)


def _topic_lines(issues: list[Issue], r: Requality, named: bool) -> list[str]:
    """One paragraph per topic: what was found, then its basis and what it costs."""
    by_topic: dict[str, list[Issue]] = {}
    for i in issues:
        by_topic.setdefault(i.topic, []).append(i)
    out = []
    for topic, group in by_topic.items():
        texts = merge_sentences([i.text for i in group])
        clause = _clause(group[0].basis, math.fsum(i.deduction for i in group), r)
        out.append((f"{topic}。" if named else "") + f"{texts}（{clause}。）")
    return out


def _indicator_line(i: IndicatorRequality) -> str:
    own = show(i.self_score) if i.self_score is not None else NOT_STATED
    head = f"“{i.name}”（分值{show(i.weight)}分，自评{own}{'分' if i.self_score is not None else ''}，复核{show(i.requality_score)}分）："
    parts = [h.reason for h in i.hits if h.share > 0 or h.code == RECOMPUTE]
    parts += [m for m in i.findings if m not in parts]
    parts += [h.reason for h in i.hits if h.share == 0 and _worth_saying(h)]
    text = head + "".join(p if p.endswith("。") else p + "。" for p in parts)
    if i.heuristic:
        text += HEURISTIC_MARK
    if i.overridden:
        text += f"复核人改判：{i.override_reason}。"
    if i.self_score is None:
        text += f"按评分规则得{show(i.recomputed_score)}分。"
        return text + (f"按口径扣{show(i.deduction)}分。" if i.deduction > vocab.SHOWN_GAP else "")
    lost = _lost(i)
    if lost > vocab.SHOWN_GAP:
        return text + f"合计扣{show(lost)}分。"
    if lost < -vocab.SHOWN_GAP:
        return text + f"复核得分高于自评{show(-lost)}分。"
    return text if text.endswith("不扣分。") else text + "不扣分。"


def _worth_saying(h) -> bool:
    """A rule that applied and is a finding: not the recomputation (said apart), not a rule that
    says an indicator is fine (a qualitative benefit that was produced)."""
    return h.code != RECOMPUTE and h.check != "qualitative_benefit"


def _findings(r: Requality) -> tuple[str, ...]:
    groups: list[tuple[str, list[str]]] = []
    money = [i for i in r.issues if i.topic not in ("自评与计算不符", "自评表填报")]
    if money:
        groups.append(("资金管理和预算执行", _topic_lines(money, r, named=True)))
    noted = [i for i in r.indicators
             if abs(_lost(i)) > vocab.SHOWN_GAP or i.deduction > vocab.SHOWN_GAP or i.findings or any(_worth_saying(h) for h in i.hits)]
    order = {id(i): n for n, i in enumerate(r.indicators)}
    noted.sort(key=lambda i: (-_lost(i), order[id(i)]))
    if noted:
        groups.append(("绩效指标", [_indicator_line(i) for i in noted]))
    claims = [i for i in r.issues if i.topic in ("自评与计算不符", "自评表填报")]
    claims_text = _topic_lines(claims, r, named=False)
    if claims_text:
        groups.append(("自评结果和报告", claims_text))
    if r.supplement:
        names = "、".join(f"“{n}”" for n in r.supplement.indicators)
        text = (f"{names}共{len(r.supplement.indicators)}项指标的完成值未见佐证材料。依据{cite(r.supplement.rule)}，"
                "完成值须有佐证材料支撑；因本次复核前未要求补报，暂不扣分，须在规定期限内补报。")
        groups.append(("佐证材料", [text]))
    if not groups:
        return ("复核未发现须扣分或整改的问题。",)
    out: list[str] = []
    for n, (heading, items) in enumerate(groups):
        out.append(f"（{_NUMERALS[n]}）{heading}")
        out.extend(_numbered(items))
    return tuple(out)


def _conclusion(r: Requality) -> tuple[str, ...]:
    lines = [f"经复核，该项目复核总分{show(r.requality_total)}分，评价等级为“{r.requality_grade or '—'}”；"
             f"你单位自评总分{show(r.self_total)}分，评价等级为“{r.self_grade or '—'}”。"]
    rec = reconcile(r)
    if rec is not None and abs(rec.gap) > vocab.SHOWN_GAP:
        parts = []
        if abs(rec.recompute) > vocab.SHOWN_GAP:
            parts.append(f"按评分规则重算{'减少' if rec.recompute > 0 else '增加'}{show(abs(rec.recompute))}分"
                         f"（{cite(CLAIMS_ARTICLE)}）")
        parts += [f"{cite(a)}扣{show(v)}分" for a, v in rec.by_article]
        if abs(rec.overrides) > vocab.SHOWN_GAP:
            parts.append(f"复核人改判{'减少' if rec.overrides > 0 else '增加'}{show(abs(rec.overrides))}分")
        verb = "高出" if rec.gap > 0 else "低于"
        lines.append(f"自评总分{verb}复核总分{show(abs(rec.gap))}分，其中：" + "，".join(parts) + "。")
    elif rec is not None:
        lines.append("自评总分与复核总分一致。")
    for w in r.warnings:
        lines.append(f"按省级平台预警规则，{w.message}")
    lines.extend(r.yoy)
    return tuple(lines)


def _requirements(r: Requality, issued: Issuance, supplement_days: int, rectify_days: int) -> tuple[str, ...]:
    out: list[str] = []
    if r.supplement:
        names = "、".join(f"“{n}”" for n in r.supplement.indicators)
        out.append(f"补报佐证材料。请{deadline(issued.date, supplement_days)}补报{names}的佐证材料（与完成值对应的"
                   f"验收、统计、支付或调查记录）；逾期未补报的，相应指标按{cite(r.supplement.rule)}计0分。")
    wanted = list(dict.fromkeys([i.requirement for i in r.issues if i.requirement]
                                + [q for i in r.indicators for q in i.requirements]))
    if wanted:
        out.append("逐项整改复核发现的问题：" + "".join(f"（{n}）{w}" for n, w in enumerate(wanted, start=1)))
    deducted = [i for i in r.indicators if i.deduction > vocab.SHOWN_GAP]
    if deducted:
        out.append("修改绩效指标。对按口径扣分的指标，在下一年度绩效目标申报中逐项修改指标名称、指标值或归类，"
                   "做到与项目内容相关、可衡量、可考核。")
    to = issued.reviewer or "复核单位"
    out.append(f"报送整改情况。请{deadline(issued.date, rectify_days)}将整改情况书面报送{to}。"
               "对复核结果有异议的，可在同一期限内提供材料说明。")
    return tuple(f"（{_NUMERALS[n]}）{text}" for n, text in enumerate(out))


def indicator_row(i: IndicatorRequality) -> tuple[str, ...]:
    lost = _lost(i)
    moved = abs(lost) > vocab.SHOWN_GAP
    return (i.level1, i.level2, i.name, show(i.weight), show(i.self_score) if i.self_score is not None else NOT_STATED,
            show(i.requality_score), show(lost) if moved else "", _cited(i) if moved else "",
            _row_reason(i) if moved else "")


def annex_rows(r: Requality) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]:
    """The annex table's rows (the 预算执行率 line, the indicators, and — when the unit's total is
    not the sum of its lines — the difference) and its 合计 row; the 扣分 column adds up to
    自评总分 − 复核总分."""
    rows: list[tuple[str, ...]] = []
    own_sum: list[float] = []
    if r.execution_weight:
        own = r.self_execution
        rec = r.execution_score
        lost = (own if own is not None else (rec or 0.0)) - (rec or 0.0)
        rows.append(("预算执行率", "", "", show(r.execution_weight), show(own) if own is not None else NOT_STATED,
                     show(rec), show(lost) if abs(lost) > vocab.SHOWN_GAP else "", "第11条" if abs(lost) > vocab.SHOWN_GAP else "",
                     "按评分规则计算的预算执行率得分。" if abs(lost) > vocab.SHOWN_GAP else ""))
        own_sum.append(own if own is not None else (rec or 0.0))
    for i in r.indicators:
        rows.append(indicator_row(i))
        own_sum.append(i.self_score if i.self_score is not None else (i.recomputed_score or 0.0))
    if r.self_total is not None:
        residual = r.self_total - math.fsum(own_sum)
        if abs(residual) > vocab.SHOWN_GAP:
            rows.append(("自评总分与分项之差", "", "", "", "", "", show(residual), "第11条",
                         "自评总分与各项得分（未分项列明的按评分规则计算）之和不符，以计算为准。"))
    weights = math.fsum([r.execution_weight or 0.0] + [i.weight or 0.0 for i in r.indicators])
    gap = r.gap
    total = ("合计", "", "", show(weights), show(r.self_total), show(r.requality_total),
             show(gap) if gap is not None and abs(gap) > vocab.SHOWN_GAP else "", "", "")
    return tuple(rows), total


def opinion_of(r: Requality, issued: Issuance = Issuance(), supplement_days: int = 15,
               rectify_days: int = 30) -> Opinion:
    """The 复核意见 of ``r``, issued as ``issued`` says (复核单位, date; blanks to fill otherwise)."""
    year = f"{r.year}年度" if r.year else ""
    what = "绩效自评表" if r.kind == "table" else "绩效自评资料"
    basis = f"《{r.rules_title}》" if r.rules_title else "复核口径"
    intro = f"根据{basis}，经对你单位报送的{year}“{r.project}”项目支出{what}逐项复核，现将复核意见告知如下："
    sections = (("一、基本情况", _basic(r)), ("二、复核发现", _findings(r)), ("三、复核结论", _conclusion(r)),
                ("四、整改要求", _requirements(r, issued, supplement_days, rectify_days)))
    rows, total = annex_rows(r)
    offset = 1 if r.execution_weight else 0
    heuristic = frozenset(k + offset for k, i in enumerate(r.indicators) if i.heuristic and _lost(i) > vocab.SHOWN_GAP)
    signature = (issued.reviewer or BLANK_REVIEWER, fmt.chinese_date(issued.date) if issued.date else BLANK_DATE)
    annex_title = f"{year}“{r.project}”项目绩效自评逐项复核表"
    return Opinion(title_of(r), f"{r.unit or '被复核单位'}：", intro, sections, f"附件：{annex_title}", signature,
                   annex_title, rows, heuristic, total)


__all__ = ["BLANK_DATE", "BLANK_REVIEWER", "HEURISTIC_MARK", "NOT_STATED", "TABLE_HEADINGS", "Opinion", "Reconciliation",
           "annex_rows", "deadline", "evidence_sentence", "opinion_of", "reconcile", "show", "title_of"]
