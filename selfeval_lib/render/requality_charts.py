"""The summary page's charts (matplotlib, the report's font and PNG writer): 自评 against 复核 for
every project, the projects by how far the 自评 exceeds the 复核, and the grades before and after.
Each takes the :class:`~selfeval_lib.requality.summary_data.Summary` and draws what it counts, so
the charts and the tables beside them show the same numbers."""

from __future__ import annotations

import math

from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Text

from selfeval_lib.core.vocabulary import GRADES
from selfeval_lib.report.charts import BLUE, GREY, LIGHT, ORANGE, chart_font, figure_png
from selfeval_lib.requality.summary_data import Summary

DPI = 150


def _figure(width: float, height: float) -> Figure:
    chart_font()
    return Figure(figsize=(width, height), dpi=DPI, layout="constrained", facecolor="white")


def _finish(fig: Figure, ax) -> Figure:
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)
    for text in fig.findobj(Text):
        text.set_parse_math(False)
    return fig


def scores_chart(s: Summary) -> Figure:
    """Each project as a point (自评总分, 复核总分); on the diagonal the two agree, below it the
    自评 is higher. Projects whose 复核 grade is lower than their 自评 grade in orange."""
    fig = _figure(6.4, 4.6)
    ax = fig.add_subplot()
    points = [(p.self_total, p.requality_total, p.self_grade in GRADES and p.requality_grade in GRADES
               and GRADES.index(p.requality_grade) > GRADES.index(p.self_grade))
              for p in s.projects if p.self_total is not None and p.requality_total is not None]
    lowest = min([100.0] + [min(a, b) for a, b, _ in points])
    low = max(0.0, math.floor((lowest - 5) / 10) * 10)
    ax.plot([low, 100], [low, 100], color=GREY, linestyle="--", linewidth=1)
    for dropped, colour, label in ((False, BLUE, "等级未变"), (True, ORANGE, "复核等级低于自评等级")):
        xs = [a for a, _, d in points if d is dropped]
        ys = [b for _, b, d in points if d is dropped]
        if xs:
            ax.scatter(xs, ys, s=28, color=colour, alpha=0.8, label=label, edgecolors="white", linewidths=0.5)
    ax.set_xlim(low - 2, 102)
    ax.set_ylim(low - 2, 102)
    ax.set_xlabel("自评总分")
    ax.set_ylabel("复核总分")
    ax.set_title(f"自评总分与复核总分（{len(points)}个项目；虚线以下为自评高于复核）", fontsize=11)
    if points:
        ax.legend(frameon=False, fontsize=9, loc="upper left")
    return _finish(fig, ax)


def gaps_chart(s: Summary) -> Figure:
    """Projects by band of 自评 − 复核 (the summary's :meth:`~Summary.gap_counts`)."""
    counts = s.gap_counts()
    fig = _figure(6.4, 3.2)
    ax = fig.add_subplot()
    labels = [label for label, _ in counts]
    values = [n for _, n in counts]
    bars = ax.bar(range(len(labels)), values, color=[LIGHT] + [BLUE] * (len(labels) - 1))
    for bar, n in zip(bars, values, strict=True):
        if n:
            ax.text(bar.get_x() + bar.get_width() / 2, n, str(n), ha="center", va="bottom", fontsize=9)
    ax.set_ylim(0, max(values + [1]) * 1.15)
    ax.set_xticks(range(len(labels)), labels, fontsize=9)
    ax.set_ylabel("项目数")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title("自评总分高出复核总分的分值分布", fontsize=11)
    return _finish(fig, ax)


def grades_chart(s: Summary) -> Figure:
    """Projects per grade, by the 自评 and by the 复核, side by side."""
    own, after = dict(s.grade_counts("self")), dict(s.grade_counts())
    fig = _figure(6.4, 3.2)
    ax = fig.add_subplot()
    xs = range(len(GRADES))
    ax.bar([x - 0.2 for x in xs], [own.get(g, 0) for g in GRADES], width=0.4, color=LIGHT)
    ax.bar([x + 0.2 for x in xs], [after.get(g, 0) for g in GRADES], width=0.4, color=BLUE)
    ax.set_xticks(list(xs), list(GRADES))
    ax.set_ylabel("项目数")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title("自评等级与复核等级", fontsize=11)
    ax.legend(handles=[Patch(color=LIGHT, label="自评"), Patch(color=BLUE, label="复核")], frameon=False, fontsize=9)
    return _finish(fig, ax)


def summary_charts(s: Summary) -> list[tuple[str, bytes]]:
    """The page's charts as (caption, PNG bytes), in the page's order; none without results."""
    if not s.projects:
        return []
    return [("自评总分与复核总分", figure_png(scores_chart(s))), ("自评高出复核的分值分布", figure_png(gaps_chart(s))),
            ("自评等级与复核等级", figure_png(grades_chart(s)))]


__all__ = ["gaps_chart", "grades_chart", "scores_chart", "summary_charts"]
