"""A check of the report's prose: what a finance officer would never write in a 自评报告.

:func:`prose_problems` reads plain text and names each problem found: ISO dates, review
language ("单位自报", "以计算结果为准", "未提供"), doubled punctuation, a sentence stated twice, a
stitched indicator field ("年度指标值有效提升"), a rule set's internal title cited as a document,
the unit's name twice in one sentence. :func:`report_text` gives the narrative of an evaluation
as that plain text.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable

from selfeval_lib.core.evaluation import Evaluation
from selfeval_lib.report.narrative import render_narrative

_ISO_DATE = re.compile(r"(?<!\d)\d{4}-\d{1,2}-\d{1,2}(?!\d)")
_REVIEW_WORDS = ("单位自报", "以计算结果为准", "未提供", "报告称", "按数据计算", "单位未")
_DOUBLED = re.compile(r"[。，；、：][。，；、]|[。，；、]：")
_STITCHED = re.compile(r"年度指标值(?=[\u4e00-\u9fff])(?![为与的])")
_SENTENCE = re.compile(r"[^。！？\n]+[。！？]?")
_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|li|h[1-6])>")


def html_to_text(fragment: str) -> str:
    """The text of an HTML fragment, one line per block."""
    return html.unescape(_TAG.sub("", _BLOCK_END.sub("\n", fragment)))


def report_text(ev: Evaluation) -> str:
    """The narrative of the report as plain text, in the order of its fragments."""
    return "\n".join(html_to_text(fragment) for fragment in render_narrative(ev).values() if fragment)


def prose_problems(text: str, *, unit: str = "", avoid: Iterable[str] = (), min_repeat: int = 12) -> list[str]:
    """What is wrong with ``text`` as a unit's 自评报告 prose (empty when nothing is).

    ``unit`` (the unit's name) may appear once per sentence; ``avoid`` are phrases that must not
    appear (e.g. a rule set's internal title); a sentence of ``min_repeat`` characters or more
    must not occur twice."""
    problems: list[str] = []
    for m in _ISO_DATE.finditer(text):
        problems.append(f"ISO 日期“{m.group()}”，应写作“2023年1月16日”")
    for word in (*_REVIEW_WORDS, *avoid):
        if word and word in text:
            problems.append(f"含有“{word}”")
    for m in _DOUBLED.finditer(text):
        problems.append(f"重复标点“{m.group()}”")
    for m in _STITCHED.finditer(text):
        problems.append(f"拼接的指标字段“{text[m.start():m.end() + 6]}”")
    sentences = [s.strip() for line in text.splitlines() for s in _SENTENCE.findall(line)]
    repeatable = (s for s in sentences if len(s) >= min_repeat and not s.startswith("注："))  # a table note
    for sentence, n in Counter(repeatable).items():
        if n > 1:
            problems.append(f"同一句话出现{n}次：“{sentence}”")
    if unit:
        for sentence in sentences:
            if sentence.count(unit) > 1:
                problems.append(f"一句中单位名称出现多次：“{sentence}”")
    return problems


def report_prose_problems(ev: Evaluation) -> list[str]:
    """:func:`prose_problems` of the report of ``ev`` (its unit's name and rule-set title)."""
    return prose_problems(report_text(ev), unit=ev.project_year.project.unit, avoid=(ev.rules.title,))
