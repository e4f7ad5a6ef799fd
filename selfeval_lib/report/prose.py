"""A check of the report's prose: what a finance officer would never write in a 自评报告.

:func:`prose_problems` reads plain text and names each problem found: ISO dates, review
language ("单位自报", "以计算结果为准", "未提供"), doubled punctuation, a sentence stated twice, a
stitched indicator field ("年度指标值有效提升"), a rule set's internal title cited as a document,
the unit's name twice in one sentence; and what issue 23 found in the unit's report: a raw
comparison sign (≥ ≤ ＝) in prose, a field stitched after 实际完成 (a date, a cost), a rate with
trailing zeros ("95.00%") and a score with them ("得0.00分"; the tables keep two decimals), "（未填写）", a 【待补充】 placeholder judged or scored in the same
sentence, a params text without its subject, a list numbered "1. " instead of the outline's own
numbering, the bureau's voice ("补齐审批手续"), a file name or program identifier.
:func:`report_text` gives the narrative's fragments (rendered by ``render.narrative``) as that plain text. The tables' cells
keep their signs and two decimals; :func:`cell_problems` names what no cell shows either: a
formula, "（未填写）", a file name or program identifier (:func:`report_cells`).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Mapping

from selfeval_lib.core.evaluation import Evaluation

_ISO_DATE = re.compile(r"(?<!\d)\d{4}-\d{1,2}-\d{1,2}(?!\d)")
_REVIEW_WORDS = ("单位自报", "以计算结果为准", "未提供", "报告称", "按数据计算", "单位未")
_DOUBLED = re.compile(r"[。，；、：][。，；、]|[。，；、]：")
_STITCHED = re.compile(r"年度指标值(?=[\u4e00-\u9fff])(?![为与的])")
#: Patterns of issue 23, each with what the finding says; matched on the plain text.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[≥≤≧≦＝=＜＞<>]"), "比较符号写入正文"),
    (re.compile(r"实际完成\d{4}年"), "“实际完成”后直接拼接日期"),
    (re.compile(r"实际完成[\d.]+[万千]?元"), "成本写作“实际完成”"),
    (re.compile(r"(?<![\d.])\d+\.\d*0%"), "百分比带多余的0"),
    (re.compile(r"(?<![\d.])\d+\.\d*0分"), "分数带多余的0"),
    (re.compile(r"（未填[写报]）|(?<!尚)未填[写报]"), "“未填写/未填报”"),
    (re.compile(r"【待补充[^】]*】[^。；\n]*(?:未达到|未完成|得[\d.]+分)"
                r"|(?:未达到|未完成|得[\d.]+分)[^。；\n]*【待补充"), "待补充事项与评判或得分在同一句"),
    (re.compile(r"^由", re.MULTILINE), "段首缺少主语（“由…”）"),
    (re.compile(r"^\d+\. ", re.MULTILINE), "序号写作“1. ”"),
    (re.compile(r"补齐[^。]*?(?:审批|手续)|尽快启动"), "不是单位来年能做的事（事后补手续等）"),
    (re.compile(r"\b[\w-]+\.(?:ya?ml|xlsx|json|ipynb|py|html)\b|\b[a-z]+_[a-z_]+\b"), "文件名或程序标识"),
)
_SENTENCE = re.compile(r"[^。！？\n]+[。！？]?")
_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|li|h[1-6])>")


def html_to_text(fragment: str) -> str:
    """The text of an HTML fragment, one line per block."""
    return html.unescape(_TAG.sub("", _BLOCK_END.sub("\n", fragment)))


def report_text(fragments: Mapping[str, str]) -> str:
    """The narrative of the report (its HTML fragments) as plain text, in the order of its fragments."""
    return "\n".join(html_to_text(fragment) for fragment in fragments.values() if fragment)


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
    for pattern, label in _PATTERNS:
        for m in pattern.finditer(text):
            line = text[text.rfind("\n", 0, m.start()) + 1:text.find("\n", m.end()) if "\n" in text[m.end():] else None]
            problems.append(f"{label}：“{line.strip()[:60]}”")
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


#: What no table cell of the report shows (its signs and two decimals are the table's own): a
#: spreadsheet formula, a blank marker, a file name or program identifier.
_CELL_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\s*=\s*[A-Za-z(]|\b(?:SUM|IF|MIN|MAX|ROUND|AVERAGE)\(|\b[A-Z]{1,2}\d+\s*[:/*]\s*[A-Z]{1,2}\d+"
                r"|(?<![A-Za-z])[AB]\s*[/÷×]\s*[AB](?![A-Za-z])"), "公式"),
    (re.compile(r"（未填[写报]）|\(未填[写报]\)|^未填[写报]$"), "“未填写/未填报”"),
    (_PATTERNS[-1][0], "文件名或程序标识"),
)


def cell_problems(cells: Iterable[str]) -> list[str]:
    """What is wrong with the texts of a table's cells (empty when nothing is)."""
    return [f"{label}：“{cell.strip()[:60]}”" for cell in cells for pattern, label in _CELL_PATTERNS
            if pattern.search(cell)]


def report_cells(ev: Evaluation) -> list[str]:
    """Every cell text of the report's tables as they are shown: the funds and items tables, the
    indicator table and the 自评表 of the 附件 (its closing rows are the prose checked above)."""
    from selfeval_lib.report.self_table import Cell, display, self_table
    from selfeval_lib.report.tables import display_frame

    cells = [str(v) for name in ("funds", "items", "indicators") for frame in [display_frame(name, ev)]
             for v in [*frame.columns, *frame.to_numpy().ravel()]]
    cells += [display(item) for item in self_table(ev, {}).items if isinstance(item, Cell)]
    return cells


def report_cell_problems(ev: Evaluation) -> list[str]:
    """:func:`cell_problems` of the report's tables (:func:`report_cells`)."""
    return cell_problems(report_cells(ev))


def report_prose_problems(ev: Evaluation, fragments: Mapping[str, str]) -> list[str]:
    """:func:`prose_problems` of the report of ``ev``, its narrative's HTML ``fragments`` (its
    unit's name and rule-set title)."""
    return prose_problems(report_text(fragments), unit=ev.project_year.project.unit, avoid=(ev.rules.title,))
