"""The texts of the 自评表: 实际完成情况 of the 年度总体目标 (:func:`completion_summary`) and the
Sichuan table's 评价结论 / 存在问题 / 改进措施 (:func:`closing_texts`), each shortened without
cutting a sentence (:func:`fit_text`)."""

from __future__ import annotations

import re
from typing import Any

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core import vocabulary as vocab
from selfeval_lib.core.evaluation import Evaluation

#: An item number "1." (the report writes "1.预算…", older text "1. 预算…"); never a decimal's "2.40".
_ITEM = re.compile(r"(?:^|(?<=[\s。；]))(\d+)\.(?!\d)\s*")


def _items(text: str) -> list[str]:
    """A numbered list "1. … 2. …" as its items (without numbers); other text as its sentences."""
    starts = list(_ITEM.finditer(text))
    if starts and starts[0].start() == 0:
        ends = [m.start() for m in starts[1:]] + [len(text)]
        return [text[m.end():end].strip() for m, end in zip(starts, ends)]
    return [s for s in re.findall(r"[^。！？；]+[。！？；]?", text) if s.strip()]


def _first_sentence(item: str) -> str:
    match = re.match(r"[^。；！？]+[。；！？]", item)
    if not match:
        return item
    head = match.group(0)
    return head[:-1] + "。" if head.endswith("；") else head


def fit_text(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters without cutting a sentence: a numbered list keeps every
    item, shortened to its first sentence when needed, else as many of them as fit and a note of
    how many more the report states. Plain text keeps the whole sentences that fit."""
    text = text.strip()
    if len(text) <= limit:
        return text
    items = _items(text)
    numbered = bool(_ITEM.match(text))

    def join(parts: list[str], more: int = 0) -> str:
        body = "".join(f"{i}.{p}" for i, p in enumerate(parts, 1))
        if more:
            body += f"另有{more}项，详见报告正文。"
        return body

    if not numbered:
        kept = ""
        for sentence in items:
            if len(kept + sentence) > limit:
                break
            kept += sentence
        if kept.endswith("；"):  # a sentence ends in 。 even where the text went on after its ；
            kept = kept[:-1] + "。"
        return kept or items[0][:limit]
    short = [_first_sentence(p) for p in items]
    if len(join(short)) <= limit:
        return join(short)
    for n in range(len(short) - 1, 0, -1):
        candidate = join(short[:n], len(short) - n)
        if len(candidate) <= limit:
            return candidate
    return short[0][:limit]  # one sentence longer than the limit: nothing whole fits


def _achieved(s: Any) -> str:
    """"会商系统正常运行率98%", "完成情况：…"; "" without an actual (the report asks for it once, in 四)."""
    actual = (s.actual or "").strip()
    if not actual or s.kind == "unmeasured":
        return ""
    numeric = re.match(r"[\d０-９]", actual) and not re.match(r"\d{4}年", actual)
    return f"{s.name}{actual}" if numeric else f"{s.name}：{actual}"


def completion_summary(ev: Evaluation) -> str:
    """实际完成情况 of the 年度总体目标: the money spent and what each group of indicators achieved
    (their actual values), the targets not reached and those whose actual is still to be given."""
    f = ev.funds
    parts = [f"全年执行资金{fmt.wan(f.executed)}，预算执行率{fmt.percent(f.execution_rate, trim=True)}。"]
    groups: dict[str, list[str]] = {}
    for s in ev.indicators:
        if done := _achieved(s):
            groups.setdefault(s.level1.removesuffix("指标"), []).append(done)
    parts += [f"{name}方面，{'；'.join(done)}。" for name, done in groups.items()]
    short = [s for s in ev.indicators if vocab.below_full_marks(s.score, s.weight) and s.kind != "unmeasured"]
    if short:
        names = "、".join(f"“{s.name}”" for s in short)
        parts.append(f"{names}未达到年度指标值。")
    unknown = [s for s in ev.indicators if s.kind == "unmeasured"]
    if unknown:  # neither reached nor not reached: the report asks for it in 四
        names = "、".join(f"“{s.name}”" for s in unknown)
        parts.append(f"{names}完成值待补充。")
    return "".join(parts)


def closing_texts(narrative: dict[str, str], limit: int) -> dict[str, str]:
    """评价结论 / 存在问题 / 改进措施 from the narrative's plain texts ("conclusion", "problems",
    "suggestions"), each within ``limit`` characters (:func:`fit_text`)."""
    return {
        "评价结论": fit_text(narrative.get("conclusion", ""), limit),
        "存在问题": fit_text(narrative.get("problems", ""), limit) or "无。",
        "改进措施": fit_text(narrative.get("suggestions", ""), limit) or "继续保持现有管理做法。",
    }


__all__ = ["closing_texts", "completion_summary", "fit_text"]
