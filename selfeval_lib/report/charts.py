"""The report's charts (matplotlib), with Chinese titles, labels and legends.

Figures are built with the object-oriented API (no pyplot state) in one style; fonts come from
:func:`selfeval_lib.report.fonts.configure_matplotlib`, which fails with a clear message when no
Simplified Chinese font is installed. :func:`figure_png` gives deterministic PNG bytes.

Every text is shown literally: names from the data may hold "$" (``$\\zz$``), which matplotlib
would otherwise parse as mathtext (and fail on); each chart switches that off for all its texts,
titles, tick labels and legends (:func:`_literal`).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from functools import lru_cache

from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, PercentFormatter

from selfeval_lib.files.xmltext import XML_INCOMPATIBLE
from selfeval_lib.core import formatting as fmt
from selfeval_lib.core import vocabulary as vocab
from selfeval_lib.core.evaluation import Evaluation
from selfeval_lib.core.monitoring import Monitoring
from selfeval_lib.core.rules import MonitoringCheckpoint, RuleSet
from selfeval_lib.report.fonts import configure_matplotlib

BLUE = "#1f4e79"
LIGHT = "#c9d6e3"
ORANGE = "#c55a11"
GREY = "#7f7f7f"
DPI = 150


@lru_cache(maxsize=1)
def chart_font() -> str:
    """Configure matplotlib for Simplified Chinese once per process; the family used."""
    return configure_matplotlib()


def _new_figure(width: float, height: float) -> Figure:
    chart_font()
    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained", facecolor="white")
    return fig


def _literal(fig: Figure) -> Figure:
    """Show every text of ``fig`` as written (no mathtext); returns ``fig``. Tick labels that
    matplotlib adds only when drawing are numbers of a formatter, never data."""
    for text in fig.findobj(Text):
        text.set_parse_math(False)
    return fig


def _style(ax) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)


def monthly_execution_chart(ev: Evaluation) -> Figure:
    """Cumulative 预算执行率 by month against 序时进度 (month / 12), with monthly spending bars."""
    f = ev.funds
    year = ev.project_year.project.year
    months = list(range(1, 13))
    fig = _new_figure(7.2, 3.8)
    ax = fig.add_subplot()
    budget = float(f.budget_full_year)
    shares = [float(m) / budget if budget else 0.0 for m in f.monthly_executed]
    ax.bar(months, shares, color=LIGHT, label="当月支出占全年预算")
    ax.plot(months, f.monthly_cumulative_rate, color=BLUE, marker="o", linewidth=2, label="累计预算执行率")
    ax.plot(months, f.time_progress, color=ORANGE, linestyle="--", linewidth=1.5, label="序时进度")
    ax.set_xticks(months, [f"{m}月" for m in months], parse_math=False)
    ax.set_ylim(0, max(1.05, max(f.monthly_cumulative_rate) * 1.05))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_title(f"{year}年月度累计预算执行率与序时进度（全年预算{fmt.wan(f.budget_full_year)}）", fontsize=11)
    ax.set_ylabel("占全年预算比例")
    _style(ax)
    ax.legend(loc="upper left", frameon=False, fontsize=9)
    return _literal(fig)


def _short(text: str, limit: int = 14) -> str:
    """A label from the data, cut to ``limit`` characters; characters no font draws and
    matplotlib may refuse (those XML cannot hold: controls, U+FFFE/U+FFFF, lone surrogates) are
    left out, since the chart font has no glyph even for their U+FFFD."""
    text = XML_INCOMPATIBLE.sub("", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


#: Indicators a score chart draws one bar each; more are drawn one bar per 二级指标 (the bar's
#: score and weight the sums of its indicators): a chart of 2,000 bars is neither readable nor
#: quick to draw, and the 自评表 lists every indicator.
MAX_CHART_BARS = 40


def score_weight_chart(ev: Evaluation) -> Figure:
    """Score against weight for the execution rate and every indicator (horizontal bars), or
    every 二级指标 when there are more than :data:`MAX_CHART_BARS` indicators."""
    bars = [(_short(s.name), s.weight, s.score) for s in ev.indicators]
    if len(bars) > MAX_CHART_BARS:
        groups: dict[tuple[str, str], list] = {}
        for s in ev.indicators:
            groups.setdefault((s.level1, s.level2), []).append(s)
        bars = [(_short(f"{level2}（{len(group)}项）"), math.fsum(s.weight for s in group),
                 math.fsum(s.score for s in group)) for (_, level2), group in groups.items()]
    labels = ["预算执行率"] + [label for label, _, _ in bars]
    weights = [ev.execution_weight] + [w for _, w, _ in bars]
    scores = [ev.execution_score] + [s for _, _, s in bars]
    fig = _new_figure(7.2, 0.42 * len(labels) + 1.3)
    ax = fig.add_subplot()
    rows = list(range(len(labels)))[::-1]
    ax.barh(rows, weights, color=LIGHT, height=0.7)
    ax.barh(rows, scores, color=[BLUE if vocab.at_full_marks(s, w) else ORANGE for s, w in zip(scores, weights)], height=0.4)
    for row, s, w in zip(rows, scores, weights):
        ax.text(w + 0.3, row, f"{fmt.score(s)}/{fmt.score(w)}", va="center", fontsize=8, color=GREY)
    ax.set_yticks(rows, labels, fontsize=9, parse_math=False)
    ax.set_xlim(0, max(weights) * 1.18)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.set_xlabel("分")
    ax.set_title(f"各项指标得分与分值（总分{fmt.score(ev.total, trim=True)}分，等级“{ev.grade}”）", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.legend(handles=[Patch(color=LIGHT, label="分值"), Patch(color=BLUE, label="得分（满分）"),
                       Patch(color=ORANGE, label="得分（扣分）")], loc="lower right", frameon=False, fontsize=9)
    return _literal(fig)


def figure_png(fig: Figure) -> bytes:
    """PNG bytes of a figure at its resolution (:data:`DPI` for the charts here, drawn on white),
    as 8-bit RGB: no alpha channel, which a PDF would store as a second image (WeasyPrint splits
    it off and compresses both), and no metadata that would vary between versions or runs (only
    the resolution)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG", dpi=(fig.dpi, fig.dpi))
    return buffer.getvalue()


def score_distribution_chart(frame, year: int, rules: RuleSet) -> Figure:
    """Histogram of total scores (``frame["总分"]``) with the grade limits of ``rules`` marked
    (优 ≥ 90, 良 ≥ 80, 中 ≥ 60 in both shipped rule sets)."""
    fig = _new_figure(7.2, 3.4)
    ax = fig.add_subplot()
    ax.hist(frame["总分"], bins=[rules.total * i / 40 for i in range(41)], color=BLUE, edgecolor="white")
    for band in rules.grades[:-1]:  # the last band starts at 0
        ax.axvline(band.min_score, color=ORANGE, linestyle="--", linewidth=1)
        ax.text(band.min_score + 0.3, ax.get_ylim()[1] * 0.92, f"{band.grade}≥{band.min_score:g}", color=ORANGE,
                fontsize=8)
    ax.set_xlim(max(0, frame["总分"].min() - 5) if len(frame) else 0, rules.total + 0.5)
    ax.set_xlabel("总分")
    ax.set_ylabel("项目数")
    ax.set_title(f"{year}年度项目自评总分分布（{len(frame)}个项目）", fontsize=11)
    _style(ax)
    return _literal(fig)


def execution_rate_chart(frame, year: int, rules: RuleSet) -> Figure:
    """Histogram of 预算执行率 (``frame["执行率"]``, fractions) with the rate below which ``rules``
    raise a finding (``problems.execution_rate_min``, 90% in both shipped rule sets)."""
    fig = _new_figure(7.2, 3.4)
    ax = fig.add_subplot()
    ax.hist(frame["执行率"], bins=[x / 20 for x in range(23)], color=BLUE, edgecolor="white")
    limit = rules.problems.execution_rate_min
    ax.axvline(limit, color=ORANGE, linestyle="--", linewidth=1, label=fmt.percent(limit, trim=True))
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("预算执行率")
    ax.set_ylabel("项目数")
    ax.set_title(f"{year}年度预算执行率分布", fontsize=11)
    ax.legend(frameon=False, fontsize=9)
    _style(ax)
    return _literal(fig)


def trend_chart(trend) -> Figure:
    """Total score by year for projects with several years."""
    fig = _new_figure(7.2, 3.6)
    ax = fig.add_subplot()
    years = [c for c in trend.columns if isinstance(c, (int,)) or str(c).isdigit()]
    for _, row in trend.iterrows():
        ax.plot([str(y) for y in years], [row[y] for y in years], marker="o", label=_short(str(row.get("项目名称", row.get("项目编号", "")))))
    ax.set_ylabel("总分")
    ax.set_title("跨年度项目总分变化", fontsize=11)
    _style(ax)
    if len(trend) <= 10:
        ax.legend(frameon=False, fontsize=8)
    return _literal(fig)


def cumulative_execution_chart(m: Monitoring, checkpoints: Sequence[MonitoringCheckpoint] = ()) -> Figure:
    """The monitoring report's chart (a :class:`~selfeval_lib.core.monitoring.Monitoring` at
    month N): the cumulative 预算执行率 of months 1–N (solid, with the monthly spending as bars)
    against 序时进度 (month ÷ 12) and the bureau's ``checkpoints`` up to N (diamonds), and the
    year-end projection dashed from N to December."""
    e, n = m.execution, m.month
    months = list(range(1, 13))
    cumulative = list(e.projection.cumulative_rate)
    budget = float(e.budget_full_year)
    fig = _new_figure(7.2, 3.8)
    ax = fig.add_subplot()
    shares = [float(x) / budget if budget else 0.0 for x in e.monthly_executed[:n]]
    ax.bar(months[:n], shares, color=LIGHT, label="当月支出占全年预算")
    ax.plot(months[:n], cumulative[:n], color=BLUE, marker="o", linewidth=2, label=f"1–{n}月累计预算执行率")
    if n < 12:
        ax.plot(months[n - 1:], cumulative[n - 1:], color=BLUE, linestyle="--", linewidth=1.5, marker="o",
                markerfacecolor="white", label=f"全年预计（{fmt.percent(e.projection.rate, trim=True)}）")
    ax.plot(months, [k / 12 for k in months], color=ORANGE, linestyle=":", linewidth=1.5, label="序时进度")
    shown = [c for c in checkpoints if c.month <= n]
    if shown:
        ax.scatter([c.month for c in shown], [c.rate for c in shown], marker="D", s=36, color="#c00000", zorder=3,
                   label="财政执行进度要求")
        for c in shown:
            ax.annotate(fmt.percent(c.rate, trim=True), (c.month, c.rate), textcoords="offset points",
                        xytext=(6, -10), fontsize=8, color="#c00000")
    ax.axvline(n + 0.5, color=GREY, linestyle="-", linewidth=0.8)
    ax.text(n + 0.6, 1.0, f"截至{n}月末", fontsize=8, color=GREY, va="top")
    ax.set_xticks(months, [f"{k}月" for k in months], parse_math=False)
    ax.set_ylim(0, max(1.05, max(cumulative) * 1.05))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    budget = fmt.score(fmt.wan_value(e.budget_full_year), trim=True)  # 万元, without trailing zeros
    ax.set_title(f"{m.year}年1–{n}月累计预算执行率与序时进度（全年预算{budget}万元）", fontsize=11)
    ax.set_ylabel("占全年预算比例")
    _style(ax)
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    return _literal(fig)
