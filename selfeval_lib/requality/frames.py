"""Tables for the requality notebook (``notebooks/requality.ipynb``): each step of the re-scoring
as a pandas DataFrame, so the notebook is one call and a display per cell."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from selfeval_lib.requality.kouqing import Kouqing, load_kouqing
from selfeval_lib.requality.model import Requality
from selfeval_lib.requality.opinion import HEURISTIC_MARK, show
from selfeval_lib.requality.service import rescore_paths


def open_requality(input_path: str | Path, rules: str = "district", overrides_path: str | Path | None = None,
                   scoring: str | None = None) -> tuple[Kouqing, list[Requality]]:
    """The 口径 and the results of every input in ``input_path`` (a file or a folder), as the
    command computes them (:func:`~selfeval_lib.requality.service.rescore_paths`: the reviewer's
    改判 and 补报 notices of ``overrides_path`` applied); an input that cannot be used raises its
    :class:`~selfeval_lib.errors.InputError`. An empty ``input_path`` re-scores the bundled example
    (:func:`~selfeval_lib.resources.example_params`)."""
    from selfeval_lib.resources import example_params

    done = rescore_paths([input_path or example_params()], rules, Path(overrides_path) if overrides_path else None,
                         scoring)
    if done.errors:
        raise done.errors[0]
    return done.kouqing or load_kouqing(rules), done.results


def rules_frame(kouqing: Kouqing) -> pd.DataFrame:
    """The 口径's rules: code, check, what it looks at, deduction, heuristic, reason."""
    return pd.DataFrame([{"条目": r.code, "检查": r.check, "检查对象": r.looks_at,
                          "扣分比例": "全部" if r.deduction == "all" else f"{r.share:.0%}",
                          "启发式": "是" if r.heuristic else "", "理由措辞": r.reason} for r in kouqing.active()])


def recompute_frame(r: Requality) -> pd.DataFrame:
    """Step 1: the unit's score against the score recomputed by the scoring rules."""
    return pd.DataFrame([{"三级指标": i.name, "指标值": i.target, "实际完成值": i.actual, "分值": show(i.weight),
                          "自评得分": show(i.self_score), "重算得分": show(i.recomputed_score)} for i in r.indicators])


def evidence_frame(r: Requality) -> pd.DataFrame:
    """Step 2: the evidence found for each indicator."""
    rows = []
    for i in r.indicators:
        for e in i.evidence or ():
            rows.append({"三级指标": i.name, "材料": e.file, "来源": "清单" if e.matched_by == "manifest" else "文件夹匹配",
                         "存在": "是" if e.present else "否", "SHA-256": (e.sha256 or "")[:16],
                         "校验": "不符" if e.hash_mismatch else ""})
        if not i.evidence:
            rows.append({"三级指标": i.name, "材料": "（无）", "来源": "", "存在": "否", "SHA-256": "", "校验": ""})
    return pd.DataFrame(rows)


def hits_frame(r: Requality) -> pd.DataFrame:
    """Step 3: every rule that applied to every indicator (flags included)."""
    return pd.DataFrame([{"三级指标": i.name, "条目": h.code, "扣分比例": f"{h.share:.0%}",
                          "理由": h.reason + (HEURISTIC_MARK if h.heuristic else "")}
                         for i in r.indicators for h in i.hits])


def scores_frame(r: Requality) -> pd.DataFrame:
    """Step 4: 复核得分 = max(0, 基准得分 − 分值 × 扣分比例), the reviewer's overrides last."""
    return pd.DataFrame([{"三级指标": i.name, "基准得分": show(i.base_score), "分值": show(i.weight),
                          "扣分比例": f"{i.share:.0%}", "复核得分": show(i.requality_score), "扣分": show(i.deduction),
                          "依据条目": i.rule_code, "改判": i.override_reason} for i in r.indicators])


def totals_frame(r: Requality) -> pd.DataFrame:
    """Step 5: totals, grades and the provincial warnings."""
    rows = [{"项目": "总分", "自评": show(r.self_total), "复核": show(r.requality_total)},
            {"项目": "等级", "自评": r.self_grade or "—", "复核": r.requality_grade or "—"}]
    rows += [{"项目": f"{'红色' if w.level == 'red' else '黄色'}预警", "自评": w.message, "复核": ""} for w in r.warnings]
    return pd.DataFrame(rows)
