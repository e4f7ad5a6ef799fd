"""The report's tables (issue 12 items 5 and 9): typed for analysts, formatted for display, numbered
captions (their HTML: tests/render/test_tables_html.py)."""

import re

import pytest

from selfeval_lib.core import formatting as fmt
from selfeval_lib.errors import ReportError
from selfeval_lib.report import tables
from selfeval_lib.render.notebook import open_report
from selfeval_lib.report.outline import PARTS, SEQUENCE, TABLES

from conftest import SAMPLES


@pytest.fixture(scope="module", params=SAMPLES, ids=lambda p: p.stem)
def report(request):
    return open_report(request.param)


def test_tables_are_typed_with_the_unit_in_the_header(report):
    ev = report.evaluation
    funds = report.table("funds").set_index("项目")
    assert funds.loc["全年预算数", "金额（万元）"] == pytest.approx(float(ev.funds.budget_full_year) / 10_000)
    assert funds.loc["预算执行率", "比率"] == pytest.approx(ev.funds.execution_rate)
    indicators = report.table("indicators")
    assert indicators["得分"].dtype == "float64" and indicators["分值"].dtype == "float64"
    assert indicators["得分"].iloc[-1] == pytest.approx(ev.total)       # full precision, not rounded
    assert report.table("monthly")["月份"].tolist() == list(range(1, 13))
    for name in report.table_names:
        frame = report.table(name)
        money = [c for c in frame.columns if "金额" in c or "预算" in c or "支出（" in c or "当月支出" in c]
        assert all("（万元）" in c for c in money if c != "支出内容"), (name, money)


def test_display_frames_have_the_same_shape_and_the_report_formats(report):
    for name, build in TABLES.items():
        typed, shown = report.table(name), build(report.evaluation)
        assert list(typed.columns) == list(shown.columns) and len(typed) == len(shown)
        assert all(isinstance(v, str) for v in shown.to_numpy().ravel())
    shown = report.formatted_table("indicators")
    assert shown["得分"].iloc[-1] == fmt.score(report.evaluation.total)
    assert all(re.fullmatch(r"\d+\.\d\d", v) for v in shown["分值"])      # "9.60" beside "14.25"
    rates = report.formatted_table("monthly")["累计执行率"]
    assert all(re.fullmatch(r"\d+\.\d\d%", v) for v in rates)             # "17.40%", never "17.4%"
    amounts = report.formatted_table("items")["支出（万元）"]
    assert all(re.fullmatch(r"[\d,]+\.\d\d", v) for v in amounts)


def test_styled_table_shows_formats_and_keeps_numbers(report):
    styler = report.styled_table("indicators")
    assert styler.data["得分"].dtype == "float64"
    html = styler.to_html()
    assert fmt.score(report.evaluation.total) in html
    assert html == report.styled_table("indicators").to_html()            # fixed ids: deterministic


def test_unknown_name_lists_the_valid_ones(report):
    with pytest.raises(ReportError) as info:
        report.table("budget")
    assert "budget" in str(info.value) and all(n in str(info.value) for n in tables.NAMES)
    with pytest.raises(ReportError, match="monthly"):
        report.figure("nope")


def test_public_calls_have_docstrings():
    for call in (open_report, type(open_report("params/2023/dongqu-yjglj-ydhs.yaml")).table,
                 tables.data_frame, tables.display_frame, tables.styled):
        assert call.__doc__ and call.__doc__.strip()


def test_captions_are_numbered_in_order():
    tables_, figures = [s.caption for s in SEQUENCE if s.kind == "table"], [s.caption for s in SEQUENCE if s.kind == "chart"]
    assert [c.split("  ")[0] for c in tables_] == [f"表{i}" for i in range(1, len(tables_) + 1)]
    assert [c.split("  ")[0] for c in figures] == [f"图{i}" for i in range(1, len(figures) + 1)]
    assert all(step.caption for steps in PARTS.values() for step in steps if step.kind != "text")


def test_styled_table_repr_is_reproducible(report):
    assert repr(report.styled_table("funds")) == repr(report.styled_table("funds")) == "<selfeval 表格 funds>"
