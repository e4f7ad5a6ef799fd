"""The tables of the portfolio overview notebook (``portfolio_overview.ipynb``): every report's
``metrics.json`` of a year (or of all years) read back, and pure analyses of them (metrics in,
DataFrames out). Amounts in 万元, rates as fractions; grades in the order of the rule set the
reports were made under (:func:`report_rules`).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

from selfeval_lib.runner.products import summary_row
from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.rules import RuleSet
from selfeval_lib.inputs.params import find_rule_set, load_rule_set


def find_out_root(out_root: str | Path, year: int, start: Path | None = None) -> Path:
    """The batch output folder the overview reads: ``out_root`` when given; when empty, the first
    ``outputs`` folder holding reports of ``year`` in ``start`` (the notebook's folder: the current
    one) or a folder above it, so a notebook copied beside (or below) a batch's outputs finds them."""
    if out_root:
        return Path(out_root)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if any((folder / "outputs" / str(year)).glob("*/metrics.json")):
            return folder / "outputs"
    raise FileNotFoundError(f"在 {here} 及其上级文件夹中没有找到 {year} 年度的报告（outputs/{year}/）："
                            f"请先运行 selfeval batch 参数文件夹 --out outputs，或在参数单元格中填写 out_root")


def load_metrics(out_root: Path, year: int) -> list[dict[str, Any]]:
    """Every ``metrics.json`` under ``out_root/<year>/*/`` (for the overview notebook);
    FileNotFoundError, saying what to run, when there is none."""
    found = [json.loads(p.read_text(encoding="utf-8"))
             for p in sorted((Path(out_root) / str(year)).glob("*/metrics.json"))]
    if not found:
        raise FileNotFoundError(f"{Path(out_root) / str(year)} 下没有报告（metrics.json），请先运行 selfeval batch")
    return found


def load_all_years(out_root: Path) -> list[dict[str, Any]]:
    """Every ``metrics.json`` of every year under ``out_root`` (for trends)."""
    return [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(Path(out_root).glob("[0-9][0-9][0-9][0-9]/*/metrics.json"))]


# --- analysis for the overview notebook (pure: metrics in, DataFrames out) ----------------------

def portfolio_frame(metrics: Iterable[dict[str, Any]]):
    """One row per project-year: year, id, name, unit, budget (元), rates, total, grade, findings."""
    import pandas as pd

    rows = []
    for m in metrics:
        row = summary_row(m)
        rows.append({"年度": row["year"], "项目编号": row["id"], "项目名称": row["name"], "实施单位": row["unit"],
                     "全年预算（万元）": row["budget_wan"], "执行率": row["execution_rate"], "总分": row["total"],
                     "等级": row["grade"], "问题数": row["findings"]})
    columns = ["年度", "项目编号", "项目名称", "实施单位", "全年预算（万元）", "执行率", "总分", "等级", "问题数"]
    return pd.DataFrame(rows, columns=columns)


def report_rules(metrics: Iterable[dict[str, Any]]) -> RuleSet:
    """The rule set most of the reports were made under (by name; a tie goes to the first name
    in order): its grade bands order and mark the overview's grades."""
    counts = Counter(m["project"]["rule_set"] for m in metrics)
    name = min(counts, key=lambda n: (-counts[n], n))
    return load_rule_set(find_rule_set(name))


def grade_distribution(frame, rules: RuleSet):
    """Number and share of projects by grade, in the order of the rule set's grade bands."""
    import pandas as pd

    grades = [band.grade for band in rules.grades]
    counts = frame["等级"].value_counts().reindex(grades, fill_value=0)
    total = int(counts.sum())
    return pd.DataFrame({"等级": grades, "项目数": counts.to_list(),
                         "占比": [fmt.percent(c / total) if total else "—" for c in counts]})


def finding_frequency(metrics: Iterable[dict[str, Any]], top: int = 10):
    """The most frequent finding codes: how many projects have each, with one example message."""
    import pandas as pd

    projects: Counter[str] = Counter()
    example: dict[str, str] = {}
    for m in metrics:
        for code in {f["code"] for f in m["findings"]}:
            projects[code] += 1
        for f in m["findings"]:
            example.setdefault(f["code"], f["message"])
    rows = [{"问题代码": code, "涉及项目数": n, "示例": example[code]}
            for code, n in sorted(projects.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
    return pd.DataFrame(rows, columns=["问题代码", "涉及项目数", "示例"])


def unit_ranking(frame):
    """Units ranked by mean total score, with their project count, budget and mean 执行率."""
    grouped = frame.groupby("实施单位").agg(项目数=("项目编号", "count"), 预算合计万元=("全年预算（万元）", "sum"),
                                        平均执行率=("执行率", "mean"), 平均总分=("总分", "mean"))
    ranked = grouped.sort_values(["平均总分", "项目数"], ascending=[False, False]).reset_index()
    ranked.insert(0, "排名", range(1, len(ranked) + 1))
    for column, digits in (("预算合计万元", 2), ("平均执行率", 4), ("平均总分", 2)):
        ranked[column] = [fmt.round_half_up(v, digits) if v == v else v for v in ranked[column]]  # NaN stays
    return ranked


def score_trend(frame):
    """Total score by year for the projects that appear in more than one year (wide table)."""
    several = frame.groupby("项目编号")["年度"].nunique()
    ids = several[several > 1].index
    subset = frame[frame["项目编号"].isin(ids)]
    if subset.empty:
        return subset.pivot_table(index="项目编号", columns="年度", values="总分")
    return subset.pivot_table(index=["项目编号", "项目名称"], columns="年度", values="总分").reset_index()
