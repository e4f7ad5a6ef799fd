"""Checks of the text blocks of a published table (docs/rules.md §7, §9 extended to them): a
实际完成情况 that copies the 预期目标, template prompts left in, a conclusion whose grade in
words contradicts the computed grade, 存在问题 "无" beside findings or deductions, a blank
项目负责人. Pure; the findings name their row (where the label was read) and field.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from selfeval_lib.core.findings import FindingCode
from selfeval_lib.core.quantity import is_blank_text
from selfeval_lib.review.cells import GRADE_WORDS
from selfeval_lib.review.rows import review_finding
from selfeval_lib.review.table import PublishedTexts, ReviewFinding

C = FindingCode
#: Two texts at least this similar (difflib ratio, after normalising) are a copy.
COPY_SIMILARITY = 0.9
#: Field → the heading it is shown under.
TEXT_FIELDS: dict[str, str] = {
    "goal_expected": "年度总体目标·预期目标", "goal_actual": "年度总体目标·实际完成情况", "conclusion": "评价结论",
    "problems": "存在问题", "measures": "改进措施", "reasons": "偏差大或目标未完成原因分析", "leader": "项目负责人",
    "filler": "填表人",
}
#: Prompts a template leaves in place.
_PROMPT = re.compile(r"[（(]\s*(?:填写说明|填报说明|此处|请)|请(?:填写|填报|输入|在此)|[xXＸｘ]{2,}|×{2,}|示例"
                     r"|[（(]\s*\d+\s*字以内\s*[）)]|^\s*(?:结合自评情况|对照年度目标|针对项目自评中发现的问题)[，,]")
#: A grade in words right after a word of evaluation ("总体评价良好", "评价等级为优", "评价结论：良好");
#: a single-character grade only as a word of its own ("等级为优", not "评价中发现").
_GRADE_IN_WORDS = re.compile(
    r"(?:评价|等级|评定|自评|结论|结果)[^，。；,;：:！!\s]{0,3}?(?:为|是|[:：]|属于)?\s*[“\"'‘「]?"
    r"(?:(不合格|优秀|良好|中等|合格|较差)|([优良中差])(?![\u4e00-\u9fff]))")
#: What 存在问题 holds when the unit states none.
_NONE_STATED = {"无", "暂无", "没有", "无问题", "没有问题", "不存在问题", "未发现问题", "无明显问题", "未发现明显问题"}


def normalise(text: str) -> str:
    """Text compared without whitespace or punctuation (Chinese or ASCII), full width folded."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace() and not unicodedata.category(ch).startswith(("P", "S")))


def copies(actual: str, expected: str) -> bool:
    """The actual repeats the expected: equal once normalised, or ≥ :data:`COPY_SIMILARITY` alike."""
    a, e = normalise(actual), normalise(expected)
    if not a or not e:
        return False
    return a == e or difflib.SequenceMatcher(None, a, e, autojunk=False).ratio() >= COPY_SIMILARITY


def prompt_in(text: str) -> str | None:
    """The template prompt left in ``text`` ("（填写说明…）", "请填写", "XX", "××", "（此处…）", "示例")."""
    m = _PROMPT.search(text)
    return m.group(0) if m else None


def grade_in_words(text: str) -> str | None:
    """The grade a conclusion states in words, as a rule-set band ("良好" → "良"), or None."""
    m = _GRADE_IN_WORDS.search(text)
    if not m:
        return None
    word = m.group(1) or m.group(2)
    return GRADE_WORDS.get(word, word)


def states_no_problem(text: str) -> bool:
    """存在问题 left blank or "无"."""
    return is_blank_text(text) or normalise(text) in _NONE_STATED


def text_findings(texts: PublishedTexts | None, recomputed_grade: str | None, others: list[ReviewFinding],
                  deductions: int) -> list[ReviewFinding]:
    """The text blocks' findings; ``others`` are the table's other findings and ``deductions`` the
    number of rows scored below their weight (both make "存在问题：无" a finding)."""
    if texts is None:
        return []
    out: list[ReviewFinding] = []
    rows = texts.rows

    def add(field: str, code: FindingCode, published, recomputed, message: str) -> None:
        out.append(review_finding(rows.get(field, "文字"), TEXT_FIELDS[field], code, published, recomputed, message))

    if texts.goal_actual and texts.goal_expected and copies(texts.goal_actual, texts.goal_expected):
        add("goal_actual", C.GOAL_ACTUAL_COPIES_EXPECTED, texts.goal_actual, texts.goal_expected,
            "年度总体目标的实际完成情况与预期目标相同或几乎相同，未写明实际完成了什么。")
    for field, heading in TEXT_FIELDS.items():
        value = getattr(texts, field)
        found = prompt_in(value) if value else None
        if found:
            add(field, C.TEMPLATE_PROMPT_LEFT, value, None, f"{heading}仍留有模板提示或示例文字“{found}”。")
    stated = grade_in_words(texts.conclusion) if texts.conclusion else None
    if stated and recomputed_grade and stated != recomputed_grade:
        add("conclusion", C.CONCLUSION_GRADE_MISMATCH, texts.conclusion, recomputed_grade,
            f"评价结论称等级为“{stated}”，按复核总分应为“{recomputed_grade}”。")
    serious = [f for f in others if f.severity in ("high", "medium") and f.code != C.ROUNDING]
    if texts.problems is not None and states_no_problem(texts.problems) and (serious or deductions):
        why = "、".join(part for part in (f"复核发现中高级别问题{len(serious)}项" if serious else "",
                                          f"{deductions}项指标扣分" if deductions else "") if part)
        add("problems", C.PROBLEMS_NOT_STATED, texts.problems or "", None,
            f"存在问题填“{texts.problems or '空白'}”，而{why}。")
    if texts.leader is not None and is_blank_text(texts.leader):
        add("leader", C.LEADER_BLANK, texts.leader, None, "未填写项目负责人。")
    return out


def text_reading(texts: PublishedTexts | None) -> str | None:
    """The reading that says which text blocks were read (None when none was printed)."""
    if texts is None:
        return None
    read = [heading for field, heading in TEXT_FIELDS.items() if getattr(texts, field) is not None]
    if not read:
        return None
    return ("表中读到的文字栏目：" + "、".join(read) + f"；实际完成情况与预期目标去除空白和标点后相同、"
            f"或相似度不低于{COPY_SIMILARITY:.0%}的视为照抄；评价结论中的等级文字与复核等级比较。")
