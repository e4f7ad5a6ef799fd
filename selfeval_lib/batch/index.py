"""A year's portfolio of project-years: the index rows, ``index.html``, ``portfolio.csv``,
``portfolio.xlsx``, and the tables the overview notebook shows.

Rows are built from each report's ``metrics.json`` summary (see :func:`summary_row`); amounts
in 万元 (two decimals) and rates as percentages for display, numbers kept for sorting.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from jinja2 import Environment, FileSystemLoader, select_autoescape

from selfeval_lib.resources import template_dir
from selfeval_lib.core import formatting as fmt
from selfeval_lib.files.ooxml import fixed_zip_times

TEMPLATE_DIR = template_dir("portfolio")
#: (label, key, kind) of the index columns, in order; the same columns go to CSV and Excel.
COLUMNS = (
    ("项目编号", "id", "text"),
    ("项目名称", "name", "text"),
    ("实施单位", "unit", "text"),
    ("全年预算（万元）", "budget_wan", "num"),
    ("执行率", "execution_rate", "num"),
    ("总分", "total", "num"),
    ("等级", "grade", "text"),
    ("问题数", "findings", "num"),
    ("状态", "status", "text"),
)
STATUS_ZH = {"ok": "成功", "failed": "失败"}


def summary_row(metrics: dict[str, Any]) -> dict[str, Any]:
    """The index row of one report, from its metrics (``to_dict`` of the evaluation)."""
    funds, scores = metrics["funds"], metrics["scores"]
    codes = Counter(f["code"] for f in metrics["findings"])
    return {
        "year": metrics["project"]["year"],
        "id": metrics["project"]["id"],
        "name": metrics["project"]["name"],
        "unit": metrics["project"]["unit"],
        "budget_wan": round(funds["budget_full_year"] / 10_000, 2),
        "execution_rate": funds["execution_rate"],
        "total": round(scores["total"], 2),
        "grade": scores["grade"],
        "findings": len(metrics["findings"]),
        "finding_codes": dict(sorted(codes.items())),
    }


def _show(value: Any, key: str) -> str:
    if value is None:
        return "—"
    if key == "execution_rate":
        return fmt.percent(value)
    if key == "budget_wan":
        return f"{value:,.2f}"
    if key == "total":
        return fmt.score(value)
    if key == "status":
        return STATUS_ZH.get(value, str(value))
    return str(value)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["show"] = _show
    return env


def _sorted(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (r.get("unit") or "", r["id"]))


def index_html(year: int, rows: Iterable[dict[str, Any]]) -> str:
    """The year's index page: offline, self-contained, sortable; links to each report."""
    rows = _sorted(rows)
    return _environment().get_template("index.html.j2").render(
        year=year, rows=rows, columns=COLUMNS,
        ok=sum(r["status"] == "ok" for r in rows), failed=sum(r["status"] != "ok" for r in rows),
    )


def _table(rows: Iterable[dict[str, Any]]) -> list[list[Any]]:
    out = [[label for label, _, _ in COLUMNS] + ["错误"]]
    for r in _sorted(rows):
        out.append([r.get(key) if kind == "num" else _show(r.get(key), key) for _, key, kind in COLUMNS]
                   + [r.get("error") or ""])
    return out


def portfolio_csv(rows: Iterable[dict[str, Any]]) -> bytes:
    """The index rows as CSV (UTF-8 with BOM, so that Excel opens the Chinese correctly)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(_table(rows))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def portfolio_xlsx(year: int, rows: Iterable[dict[str, Any]]) -> bytes:
    """The index rows as an Excel workbook (numbers as numbers, 执行率 as a percentage)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    table = _table(rows)
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年度汇总"
    for row in table:
        ws.append(row)
    header_font = Font(name="等线", bold=True, color="FFFFFF")
    for cell in ws[1]:
        cell.font = header_font
        cell.fill = PatternFill("solid", fgColor="1F4E79")
    keys = [key for _, key, _ in COLUMNS]
    formats = {"budget_wan": "#,##0.00", "execution_rate": "0.00%", "total": "0.00"}
    for key, number_format in formats.items():
        col = keys.index(key) + 1
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.number_format = number_format
    for col, width in zip("ABCDEFGHIJ", (18, 36, 28, 16, 10, 8, 6, 8, 8, 40)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    wb.properties.creator = "selfeval"
    buffer = io.BytesIO()
    wb.save(buffer)
    return fixed_zip_times(buffer.getvalue())


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


def grade_distribution(frame, grades: tuple[str, ...] = ("优", "良", "中", "差")):
    """Number and share of projects by grade, in grade order."""
    import pandas as pd

    counts = frame["等级"].value_counts().reindex(list(grades), fill_value=0)
    total = int(counts.sum())
    return pd.DataFrame({"等级": list(grades), "项目数": counts.to_list(),
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
    return ranked.round({"预算合计万元": 2, "平均执行率": 4, "平均总分": 2})


def score_trend(frame):
    """Total score by year for the projects that appear in more than one year (wide table)."""
    several = frame.groupby("项目编号")["年度"].nunique()
    ids = several[several > 1].index
    subset = frame[frame["项目编号"].isin(ids)]
    if subset.empty:
        return subset.pivot_table(index="项目编号", columns="年度", values="总分")
    return subset.pivot_table(index=["项目编号", "项目名称"], columns="年度", values="总分").reset_index()
