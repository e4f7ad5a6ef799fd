"""Hostile text in every text field: spreadsheets keep it as text (no formula injection), and no
string — formula triggers, characters XML cannot hold, "$…$" — makes a writer or a chart fail.

The 自评表 (render), the Word report, the review workbook and the report's charts are tested
here; ``files.cells`` itself in files/test_cells.py."""

from __future__ import annotations

import copy
import io
import json
import math
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT
from docx import Document
from matplotlib.text import Text
from openpyxl import load_workbook

from selfeval_lib.core.evaluation import Evaluation, evaluate
from selfeval_lib.inputs.params import load_project
from selfeval_lib.render.docx import report_document
from selfeval_lib.render.xlsx import self_evaluation_workbook
from selfeval_lib.report import charts
from selfeval_lib.render.review_html import review_html
from selfeval_lib.render.review_xlsx import review_xlsx
from selfeval_lib.review.recompute import review_table
from selfeval_lib.review.serialize import review_to_dict
from selfeval_lib.review.table import PublishedTable

SAMPLE = ROOT / "params" / "2023" / "dongqu-yjglj-ydhs.yaml"
REVIEW_SAMPLE = ROOT / "tests" / "data" / "review" / "seed_like_table.yaml"
#: Prefixes that make a spreadsheet read a cell as a formula, a DDE command or an error value
#: (TAB and CR, which a params file may refuse as control characters, are in CONTROL_INJECTIONS).
INJECTIONS = ('=HYPERLINK("http://x","y")', "=1+1", "+1", "-1", "@SUM(A1)", "=cmd|' /C calc'!A0", "#N/A")
CONTROL_INJECTIONS = ("\t=1+1", "\r=1+1")


class _Prefixer:
    """Prefixes each text it is given with the next injection string (in turn)."""

    def __init__(self) -> None:
        self.used: list[str] = []

    def __call__(self, text: str) -> str:
        out = INJECTIONS[len(self.used) % len(INJECTIONS)] + text
        self.used.append(out)
        return out


def _injected_params(tmp_path: Path) -> tuple[Path, list[str]]:
    """The sample params with an injection string before every free text (names, unit,
    department, goals, documents, purposes, payees, vouchers, indicator names, narrative)."""
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    inject = _Prefixer()
    project = data["project"]
    for key in ("name", "unit", "department", "funding_source", "overall_goal"):
        project[key] = inject(project[key])
    project["basis_documents"] = [inject(d) for d in project["basis_documents"]]
    names = {}
    for item in project["items"]:
        names[item["name"]] = item["name"] = inject(item["name"])
        item["purpose"] = inject(item["purpose"])
    for payment in data["funds"]["payments"]:
        payment["item"] = names[payment["item"]]
        payment["payee"] = inject(payment["payee"])
        payment["voucher"] = inject(payment["voucher"])
    for note in data["funds"]["arrivals"]:
        note["note"] = inject(note["note"])
    for indicator in data["indicators"]:
        indicator["name"] = inject(indicator["name"])
    data["survey"]["method"] = inject("问卷")
    data["narrative"] = {key: inject(text) for key, text in data["narrative"].items()}
    path = tmp_path / "params" / "2023" / "inj.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path, inject.used


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Evaluation, list[str]]:
    path, used = _injected_params(tmp_path_factory.mktemp("inj"))
    loaded = load_project(path)
    return evaluate(loaded.project_year, loaded.rules), used


def _clean() -> Evaluation:
    loaded = load_project(SAMPLE)
    return evaluate(loaded.project_year, loaded.rules)


def _formulas(data: bytes) -> dict[str, Any]:
    ws = load_workbook(io.BytesIO(data)).active
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.data_type == "f"}


def _texts(data: bytes) -> dict[str, str]:
    ws = load_workbook(io.BytesIO(data)).active
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.data_type == "s" and c.value}


# --- 自评表 (render/xlsx) --------------------------------------------------------------------
def test_self_evaluation_workbook_keeps_injected_text_as_text(injected) -> None:
    ev, _ = injected
    data = self_evaluation_workbook(ev)
    # our formulas are exactly those of the clean sample, nothing more
    formulas = _formulas(data)
    assert formulas == _formulas(self_evaluation_workbook(_clean()))
    assert formulas and all(v.startswith(("=IF(", "=MIN(", "=SUM(")) for v in formulas.values())
    texts = _texts(data)
    p = ev.project_year.project
    assert p.name.startswith('=HYPERLINK(') and p.name in texts.values()
    for text in (p.unit, p.department, "=5项", "=3部"):
        assert text in texts.values()
    shown = [t for t in texts.values() if t.startswith(INJECTIONS)]
    assert len(shown) >= 8  # name, department, unit, goal, indicator names …
    for name in (i.name for i in ev.project_year.indicators):
        assert name in texts.values()
    ws = load_workbook(io.BytesIO(data)).active
    assert all(ws[ref].quotePrefix for ref, t in texts.items() if t.startswith(("=", "+", "-", "@")))
    assert ws[next(ref for ref, t in texts.items() if t == "=5项")].quotePrefix


def test_self_evaluation_workbook_uncached_also_clean(injected) -> None:
    ev, _ = injected
    assert _formulas(self_evaluation_workbook(ev, cached_values=False)) == _formulas(self_evaluation_workbook(_clean()))


@pytest.mark.parametrize("prefix", CONTROL_INJECTIONS)
def test_self_evaluation_workbook_tab_and_cr_prefixes(prefix: str) -> None:
    ev = _clean()
    py = ev.project_year
    changed = py.model_copy(update={"project": py.project.model_copy(update={"unit": prefix + "单位"}),
                                    "indicators": [py.indicators[0].model_copy(update={"name": prefix + "指标"}),
                                                   *py.indicators[1:]]})
    data = self_evaluation_workbook(evaluate(changed, load_project(SAMPLE).rules))
    assert _formulas(data) == _formulas(self_evaluation_workbook(ev))
    assert {prefix + "单位", prefix + "指标"} <= set(_texts(data).values())


# --- Word ---------------------------------------------------------------------------------
def test_report_document_with_injected_text(injected) -> None:
    ev, _ = injected
    doc = Document(io.BytesIO(report_document(ev, {"参数文件": "=1+1.yaml"})))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert ev.project_year.project.name in text
    assert ev.project_year.indicators[0].name in text


# --- characters XML cannot hold -------------------------------------------------------------
def _with_odd_characters(ev: Evaluation, odd: str) -> Evaluation:
    """``ev``'s project-year with ``odd`` in the name, unit and an indicator name (bypassing
    the params checks, as a caller of the renderers might)."""
    py = ev.project_year
    project = py.project.model_copy(update={"name": f"项目{odd}名称", "unit": f"={odd}单位",
                                            "funding_source": f"来源{odd}"})
    indicators = [py.indicators[0].model_copy(update={"name": f"指标{odd}一"}), *py.indicators[1:]]
    changed = py.model_copy(update={"project": project, "indicators": indicators})
    loaded = load_project(SAMPLE)
    return evaluate(changed, loaded.rules)


@pytest.mark.parametrize("odd", ["\ufffe", "\uffff", "\x00", "\x01", "\udcff"])
def test_renderers_survive_xml_incompatible_characters(odd: str) -> None:
    ev = _with_odd_characters(_clean(), odd)
    texts = _texts(self_evaluation_workbook(ev))
    assert "项目\ufffd名称" in texts.values() and "=\ufffd单位" in texts.values()
    assert "指标\ufffd一" in texts.values()
    doc = Document(io.BytesIO(report_document(ev)))
    assert "项目\ufffd名称" in "\n".join(p.text for p in doc.paragraphs)
    assert "项目\ufffd名称" in doc.core_properties.title


# --- charts -------------------------------------------------------------------------------
def test_charts_show_dollar_text_literally() -> None:
    ev = _clean()
    py = ev.project_year
    name = r"$\zz$指标"
    changed = py.model_copy(update={"indicators": [py.indicators[0].model_copy(update={"name": name}),
                                                   *py.indicators[1:]]})
    ev = evaluate(changed, load_project(SAMPLE).rules)
    for chart in (charts.score_weight_chart, charts.monthly_execution_chart):
        fig = chart(ev)
        assert charts.figure_png(fig).startswith(b"\x89PNG")
        assert all(not t.get_parse_math() for t in fig.findobj(Text))
    labels = [t.get_text() for t in charts.score_weight_chart(ev).axes[0].get_yticklabels()]
    assert name in labels


def test_trend_chart_legend_literal() -> None:
    import pandas as pd

    trend = pd.DataFrame({"项目名称": [r"$\zz$项目", "$a$"], 2022: [90.0, 80.0], 2023: [92.0, 85.0]})
    fig = charts.trend_chart(trend)
    assert charts.figure_png(fig).startswith(b"\x89PNG")
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == [r"$\zz$项目", "$a$"]


# --- review.xlsx --------------------------------------------------------------------------
def _hostile_table() -> PublishedTable:
    data = yaml.safe_load(REVIEW_SAMPLE.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["source"] = "=1+1来源"
    data["project"]["name"] = "=cmd|' /C calc'!A0\ufffe项目"
    data["project"]["unit"] = "@SUM(A1)"
    for indicator, prefix in zip(data["indicators"], CONTROL_INJECTIONS + INJECTIONS):
        indicator["name"] = prefix + indicator["name"] + "\ufffe"
        indicator["deviation_reason"] = "+原因\x01"
    data["indicators"][0]["target"] = "=5项"
    data["indicators"][0]["actual"] = "-4项"
    data["funds"]["reason"] = "-1"
    return PublishedTable.model_validate(data)


def test_review_xlsx_keeps_table_text_as_text(national) -> None:
    table = _hostile_table()
    review = review_table(table, national)
    data = review_xlsx([review], [table])
    wb = load_workbook(io.BytesIO(data))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if c.data_type == "s"}
    assert "=5项" in texts and "-4项" in texts
    assert any(t.startswith("=cmd|") and "\ufffd" in t and "\ufffe" not in t for t in texts)
    for indicator in table.indicators:  # every name, as text, U+FFFE replaced
        assert indicator.name.replace("\ufffe", "\ufffd") in texts
    assert "+原因\ufffd" in texts and "-1" in texts
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet2.xml").decode()
    assert "<f>" not in sheet
    # all leading formula characters carry Excel's quote prefix
    assert all(c.quotePrefix for c in cells if c.data_type == "s" and c.value.startswith(("=", "+", "-", "@")))
    assert "=cmd|&#39; /C calc&#39;!A0" in review_html([review], [table])  # escaped, as text
    json.dumps(review_to_dict(review), allow_nan=False)


@pytest.mark.parametrize("where", ["score", "weight", "published_total"])
@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
def test_review_outputs_with_non_finite_numbers(national, where: str, value: float) -> None:
    data = yaml.safe_load(REVIEW_SAMPLE.read_text(encoding="utf-8"))
    if where == "published_total":
        data["published_total"] = value
    else:
        data["indicators"][1][where] = value
    table = PublishedTable.model_validate(data)
    review = review_table(table, national)
    wb = load_workbook(io.BytesIO(review_xlsx([review], [table])))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c for c in cells if isinstance(c.value, float) and not math.isfinite(c.value)]
    assert str(value) in {c.value for c in cells if c.data_type == "s"}
    page = review_html([review], [table])
    assert page.startswith("<!DOCTYPE html>")
    text = json.dumps(review_to_dict(review), allow_nan=False)  # valid JSON: no Infinity/NaN
    assert "Infinity" not in text and "NaN" not in text


# --- end to end: the notebook, HTML, Word and the 自评表 ------------------------------------
@pytest.mark.integration
def test_run_report_with_injected_params_and_mathtext(tmp_path: Path) -> None:
    from selfeval_lib.runner.options import RunOptions
    from selfeval_lib.runner.run import run_report

    path, _ = _injected_params(tmp_path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["indicators"][0]["name"] = r"$\zz$" + data["indicators"][0]["name"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_report(path, tmp_path / "out", RunOptions(formats=("html", "xlsx", "docx")))
    assert {p.suffix for p in result.files} >= {".html", ".xlsx", ".docx"}
    page = next(p for p in result.files if p.suffix == ".html").read_text(encoding="utf-8")
    assert '（=HYPERLINK("http://x","y")移动会商系统' in page  # text, in the subtitle
    assert r"$\zz$" in page
    workbook = next(p for p in result.files if p.suffix == ".xlsx").read_bytes()
    assert _formulas(workbook) == _formulas(self_evaluation_workbook(_clean()))
    assert any(t.startswith(r"$\zz$") for t in _texts(workbook).values())


# --- the other writers: the input workbook (template) and the year's index --------------------
def _cells_of(data: bytes) -> list[Any]:
    wb = load_workbook(io.BytesIO(data))
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def test_input_workbook_from_injected_params_holds_text(injected, tmp_path: Path) -> None:
    from selfeval_lib.inputs.workbook import project_from_workbook, workbook_from_project

    ev, used = injected
    data = workbook_from_project(ev.project_year)
    cells = _cells_of(data)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if c.data_type == "s"}
    p = ev.project_year.project
    assert {p.name, p.unit, p.department, "=5项"} <= texts
    assert len([t for t in used if t in texts]) >= 20
    path = tmp_path / "in.xlsx"
    path.write_bytes(data)
    back = project_from_workbook(path)
    assert back["project"]["name"] == p.name and back["project"]["unit"] == p.unit
    assert [i["name"] for i in back["indicators"]] == [i.name for i in ev.project_year.indicators]


def test_portfolio_index_keeps_text_as_text() -> None:
    from selfeval_lib.render.portfolio_index import portfolio_csv, portfolio_xlsx

    rows = [{"id": "p1", "name": '=HYPERLINK("http://x","y")', "unit": "=1+1", "budget_wan": -8.62,
             "execution_rate": 1.0, "total": 95.5, "grade": "优", "findings": 2, "status": "ok", "error": ""},
            {"id": "@p2", "name": "\t=1", "unit": "+单位", "budget_wan": None, "execution_rate": None,
             "total": None, "grade": None, "findings": None, "status": "failed", "error": "-错误\r=1"}]
    ws = load_workbook(io.BytesIO(portfolio_xlsx(2023, rows))).active
    by_value = {c.value: c for row in ws.iter_rows(min_row=2) for c in row if c.value is not None}
    for text in ('=HYPERLINK("http://x","y")', "=1+1", "@p2", "\t=1", "+单位", "-错误\r=1"):
        assert by_value[text].data_type == "s", text
    assert by_value[-8.62].data_type == "n" and by_value[95.5].data_type == "n"
    assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]
    import csv as csv_module

    read = list(csv_module.reader(io.StringIO(portfolio_csv(rows).decode("utf-8-sig"))))
    cells = {cell for row in read[1:] for cell in row}
    assert {"'=HYPERLINK(\"http://x\",\"y\")", "'=1+1", "'@p2", "'\t=1", "'+单位", "'-错误\n=1", "-8.62"} <= cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@", "\t", "\r"))]
