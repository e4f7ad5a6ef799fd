"""The report's tables, twice: typed for analysis and formatted for display.

:func:`data_frame` gives a table with numbers as numbers — amounts in 万元 (the column says so:
"预算（万元）"), rates as fractions (0.9655), scores as floats, full precision. :func:`display_frame`
(and the ``*_table`` functions the renderers call through ``report/outline.py`` TABLES) gives the
same table as text, formatted by :mod:`selfeval_lib.core.formatting`: amounts with two decimals,
rates "96.55%", scores "9.60". :func:`styled` gives the typed frame as a pandas Styler that shows
the display formats; :func:`selfeval_lib.render.tables_html.frame_html` writes the display frame as HTML.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable, Literal

import pandas as pd

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.evaluation import Evaluation
from selfeval_lib.core.findings import SEVERITY_ZH
from selfeval_lib.errors import ReportError

if TYPE_CHECKING:  # pragma: no cover
    from pandas.io.formats.style import Styler

Kind = Literal["text", "wan", "rate", "score", "month"]
_MISSING = "—"


@dataclass(frozen=True)
class Column:
    """A column: its header (the same in the typed and the display frame) and how it shows."""

    name: str
    kind: Kind = "text"


def _show(value: Any, kind: Kind) -> str:
    """One cell as displayed: amounts "8.62" (万元 in the header), rates "96.55%", scores "9.60"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _MISSING if kind != "text" else ""
    if kind == "wan":
        return f"{fmt.decimal_half_up(value):,.2f}"
    if kind == "rate":
        return fmt.percent(value)
    if kind == "score":
        return fmt.score(value)
    if kind == "month":
        return f"{value}月"
    return str(value)


def _wan(amount_yuan: Decimal | float | int | None) -> float:
    """元 → 万元 as a float (NaN for a missing amount), exact to the cent."""
    if amount_yuan is None:
        return math.nan
    return fmt.wan_number(amount_yuan)


def _rate(value: float | None) -> float:
    return math.nan if value is None else float(value)


# --- the typed tables ----------------------------------------------------------------------------


def _funds(ev: Evaluation) -> list[tuple]:
    f = ev.funds
    return [
        ("申报数", _wan(f.declared), math.nan),
        ("年初预算数（批复数）", _wan(f.budget_initial), math.nan),
        ("预算调整", _wan(f.adjustments_total), math.nan),
        ("全年预算数", _wan(f.budget_full_year), math.nan),
        ("到位数", _wan(f.arrived), math.nan),
        ("到位率", math.nan, _rate(f.arrival_rate)),
        ("全年执行数", _wan(f.executed), math.nan),
        ("预算执行率", math.nan, _rate(f.execution_rate)),
        ("资金使用率", math.nan, _rate(f.usage_rate)),
        ("结余", _wan(f.balance), math.nan),
    ]


def _monthly(ev: Evaluation) -> list[tuple]:
    f = ev.funds
    return [(m + 1, _wan(spent), _rate(rate), _rate(progress)) for m, (spent, rate, progress)
            in enumerate(zip(f.monthly_executed, f.monthly_cumulative_rate, f.time_progress))]


def _items(ev: Evaluation) -> list[tuple]:
    return [(i.name, _wan(i.budget), _wan(i.executed), _rate(i.share_of_executed), _rate(i.execution_rate))
            for i in ev.funds.items]


def _vouchers(ev: Evaluation) -> list[tuple]:
    return [(v.voucher, v.date.isoformat(), _wan(v.amount), v.payee, v.item, "、".join(v.missing) or _MISSING,
             "齐全" if v.compliant else "不齐全") for v in ev.vouchers]


def _indicators(ev: Evaluation) -> list[tuple]:
    rows: list[tuple] = [("预算执行率", "", "", "100%", fmt.percent(ev.funds.execution_rate),
                          float(ev.execution_weight), float(ev.execution_score), "")]
    rows += [(s.level1, s.level2, s.name, s.target, s.actual, float(s.weight), float(s.score),
              s.deviation_reason) for s in ev.indicators]
    rows.append(("总分", "", "", "", "", float(ev.rules.total), float(ev.total), f"等级：{ev.grade}"))
    return rows


def _findings(ev: Evaluation) -> list[tuple]:
    return [(SEVERITY_ZH[f.severity], f.code, f.message, f.suggestion) for f in ev.findings]


@dataclass(frozen=True)
class TableSpec:
    """One table: what it holds (for the docstring of :func:`data_frame`), its columns and rows."""

    title: str
    columns: tuple[Column, ...]
    rows: Callable[[Evaluation], list[tuple]]


_T = Column
SPECS: dict[str, TableSpec] = {
    "funds": TableSpec("资金申报、到位及执行情况",
                       (_T("项目"), _T("金额（万元）", "wan"), _T("比率", "rate")), _funds),
    "monthly": TableSpec("各月支出、累计执行率与序时进度",
                         (_T("月份", "month"), _T("当月支出（万元）", "wan"), _T("累计执行率", "rate"),
                          _T("序时进度", "rate")), _monthly),
    "items": TableSpec("各支出内容预算及支出情况",
                       (_T("支出内容"), _T("预算（万元）", "wan"), _T("支出（万元）", "wan"),
                        _T("占支出比重", "rate"), _T("执行率", "rate")), _items),
    "vouchers": TableSpec("支付凭证审批情况",
                          (_T("凭证号"), _T("日期"), _T("金额（万元）", "wan"), _T("收款方"), _T("支出内容"),
                           _T("缺少审批"), _T("状态")), _vouchers),
    "indicators": TableSpec("项目支出绩效自评表（绩效指标）",
                            (_T("一级指标"), _T("二级指标"), _T("三级指标"), _T("年度指标值"), _T("实际完成值"),
                             _T("分值", "score"), _T("得分", "score"), _T("偏差原因分析及改进措施")), _indicators),
    "findings": TableSpec("存在的问题",
                          (_T("严重程度"), _T("代码"), _T("问题"), _T("建议")), _findings),
}
#: The names :func:`data_frame` knows, in the report's order.
NAMES: tuple[str, ...] = tuple(SPECS)


def spec(name: str) -> TableSpec:
    """The :class:`TableSpec` of ``name``; :class:`~selfeval_lib.errors.ReportError` listing the
    valid names for an unknown one."""
    try:
        return SPECS[name]
    except (KeyError, TypeError):
        raise ReportError(f"没有名为“{name}”的表格；可用的表格：{'、'.join(NAMES)}") from None


def data_frame(name: str, ev: Evaluation) -> pd.DataFrame:
    """The table ``name`` (one of :data:`NAMES`) typed: amounts in 万元 as floats (the header says
    "（万元）"), rates as fractions, scores as floats, missing numbers NaN, text as str."""
    s = spec(name)
    frame = pd.DataFrame(s.rows(ev), columns=[c.name for c in s.columns])
    for c in s.columns:
        if c.kind in ("wan", "rate", "score"):
            frame[c.name] = frame[c.name].astype("float64")
        elif c.kind == "month":
            frame[c.name] = frame[c.name].astype("int64")
    return frame


def display_frame(name: str, ev: Evaluation) -> pd.DataFrame:
    """The table ``name`` as the report prints it: every cell text, formatted by
    :mod:`selfeval_lib.core.formatting` (same headers and rows as :func:`data_frame`)."""
    s = spec(name)
    typed = data_frame(name, ev)
    return pd.DataFrame({c.name: [_show(v, c.kind) for v in typed[c.name].tolist()] for c in s.columns},
                        columns=[c.name for c in s.columns])


def styled(name: str, ev: Evaluation) -> Styler:
    """The typed table ``name`` as a pandas Styler that displays the report's formats (the data
    underneath stay numbers: ``styled(...).data`` is :func:`data_frame`). Its HTML ids are fixed,
    so a saved notebook is byte-identical across runs."""
    from pandas.io.formats.style import Styler

    class _Styler(Styler):
        def __repr__(self) -> str:  # pandas' repr names a memory address: not reproducible
            return f"<selfeval 表格 {name}>"

    s = spec(name)
    formats = {c.name: (lambda v, kind=c.kind: _show(v, kind)) for c in s.columns if c.kind != "text"}
    styler = _Styler(data_frame(name, ev), uuid=name)  # fixed ids: the saved notebook is reproducible
    return styler.format(formats, na_rep=_MISSING).hide(axis="index")


# --- the display tables the renderers use (report/outline.py TABLES) --------------------------------


def funds_table(ev: Evaluation) -> pd.DataFrame:
    """The funds block (申报/批复/调整/到位/执行/结余 and the rates), formatted."""
    return display_frame("funds", ev)


def monthly_table(ev: Evaluation) -> pd.DataFrame:
    """Monthly spending, cumulative execution rate and 序时进度, formatted."""
    return display_frame("monthly", ev)


def items_table(ev: Evaluation) -> pd.DataFrame:
    """Line items: budget, spending, share of spending, execution rate, formatted."""
    return display_frame("items", ev)


def vouchers_table(ev: Evaluation) -> pd.DataFrame:
    """Each voucher with the signatures it lacks (the required ones are stated in the text), formatted."""
    return display_frame("vouchers", ev)


def indicators_table(ev: Evaluation) -> pd.DataFrame:
    """The indicator table of the 自评表, the budget-execution row first and the total last, formatted."""
    return display_frame("indicators", ev)


def findings_table(ev: Evaluation) -> pd.DataFrame:
    """Findings with severity, code, message and suggestion, formatted."""
    return display_frame("findings", ev)
