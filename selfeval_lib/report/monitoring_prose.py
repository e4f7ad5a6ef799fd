"""A check of the monitoring report's prose and of its 运行监控表, beside the report's
(:func:`~selfeval_lib.report.prose.prose_problems`, which already names raw signs, rates with
trailing zeros, "（未填写）", file names, "尽快启动" …): what a unit would not sign in a 绩效运行监控报告.

:func:`monitoring_text_problems` adds, for prose: 万元 or 个百分点 with trailing zeros ("8.60万元"), a
formula (÷, ×), a program identifier next to Chinese text ("按monthly_average推算"), the bureau's
voice ("建议单位", "须说明"), a placeholder (【待补充：…】) in the sentence of a light or a verdict
("亮红灯", "难以完成"), the unit's name for itself ("我局") twice in a sentence; for a table's cells: a
blank marker and a file name or identifier. :func:`monitoring_report_problems` applies them to a
report's prose and the cells of its 运行监控表.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from selfeval_lib.report.monitoring_form import ANNEX_TABLES
from selfeval_lib.report.narrative import project_self_name
from selfeval_lib.report.prose import html_to_text, prose_problems

if TYPE_CHECKING:  # pragma: no cover
    from selfeval_lib.report.monitoring import MonitoringReport

#: Markers of a blank cell that no document shows (a missing fact is 【待补充：…】 or "—").
BLANK_MARKERS = ("（未填写）", "（未填报）", "(未填写)", "(未填报)")
#: What the bureau says to a unit, never the unit of itself.
BUREAU_VOICE = ("建议单位", "请单位", "单位应", "须说明", "应说明", "未说明", "说明尚未支出的原因",
                "报送说明", "按程序调整目标")
_TRAILING_ZERO = re.compile(r"(?<![\d.])\d+\.(?:\d*[1-9])?0+(?=万元|个百分点)")  # a rate's: report/prose.py
_FORMULA = re.compile(r"[÷×]")
_IDENTIFIER = re.compile(r"[A-Za-z0-9_\-./\\]+\.(?:ya?ml|xlsx|json|ipynb|csv|html|py)(?![A-Za-z])"
                         r"|(?<![A-Za-z0-9_])(?:[a-z]+_[a-z_]+|stated|plan|straight.line)(?![A-Za-z0-9_])")
_VERDICT = re.compile(r"亮[红黄绿蓝]灯|未达到|得\d|难以完成|无法完成")
_SENTENCE = re.compile(r"[^。！？\n]+[。！？]?")


def monitoring_text_problems(text: str, *, unit: str = "", me: str = "", prose: bool = True) -> list[str]:
    """What is wrong with ``text`` in a unit's monitoring report (empty when nothing is); ``me`` is
    how the unit names itself ("我局"), once a sentence as its name is; ``prose`` adds the report's
    own checks and those of figures in sentences (a table keeps "0.00%")."""
    if not prose:  # a table's cells keep their two decimals and signs
        return ([f"含有“{marker}”" for marker in BLANK_MARKERS if marker in text]
                + [f"文件名或程序标识“{m.group()}”" for m in _IDENTIFIER.finditer(text)])
    problems = prose_problems(text, unit=unit)
    problems += [f"含有上级口吻“{words}”" for words in BUREAU_VOICE if words in text]
    problems += [f"程序标识“{m.group()}”" for m in _IDENTIFIER.finditer(text)]
    problems += [f"数字带多余的零“{m.group()}”" for m in _TRAILING_ZERO.finditer(text)]
    problems += [f"算式“{m.group()}”" for m in _FORMULA.finditer(text)]
    for sentence in (s for line in text.splitlines() for s in _SENTENCE.findall(line)):
        if "【待补充" in sentence and _VERDICT.search(sentence):
            problems.append(f"待补充事项与结论在同一句：“{sentence.strip()}”")
        if me and sentence.count(me) > 1:
            problems.append(f"一句中“{me}”出现多次：“{sentence.strip()}”")
    return problems


def monitoring_report_problems(report: MonitoringReport, text: Mapping[str, str]) -> list[str]:
    """:func:`monitoring_text_problems` of the report's prose (``text``, its HTML fragments by part,
    rendered by ``render.monitoring_text``) and of the 运行监控表's cells."""
    unit, me = report.result.unit, project_self_name(report.loaded.project_year.project)
    problems = [f"{key}：{p}" for key, fragment in text.items()
                for p in monitoring_text_problems(html_to_text(fragment), unit=unit, me=me)]
    for name, caption in ANNEX_TABLES:
        head, rows = report.rows(name)
        cells = "\n".join(str(v) for row in [head, *rows] for v in row)
        problems += [f"{caption.split()[-1]}：{p}" for p in monitoring_text_problems(cells, prose=False)]
    return problems
