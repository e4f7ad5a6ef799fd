"""The 自评表 we write passes our own review (issue 22 item 4): rendered in every layout
(national and Sichuan) and form (Excel, the HTML report's 附件, the Word report's 附件, its PDF) and read back
by the review, it recomputes to the evaluation's total and grade, and the review finds nothing the
evaluation did not find; the 满意度调查's sample size and method in the params are printed, so a
documented survey is no SATISFACTION_NO_BASIS."""

from __future__ import annotations

import nbformat
import pytest

from selfeval_lib.core.evaluation import Evaluation, evaluate
from selfeval_lib.core.findings import FindingCode as C
from selfeval_lib.core.model import Survey
from selfeval_lib.inputs.params import load_project
from selfeval_lib.render.docx import report_document
from selfeval_lib.render.html import notebook_to_html
from selfeval_lib.render.pdf import html_to_pdf
from selfeval_lib.render.xlsx import self_evaluation_workbook
from selfeval_lib.render.xlsx_layouts import report_self_table
from selfeval_lib.report.self_table import display
from selfeval_lib.review.readers import read_tables
from selfeval_lib.review.service import review_reads

from conftest import SAMPLES, SEED_SAMPLE

#: Findings of the table itself, not of the project: the Sichuan table leaves 项目负责人 blank to be
#: signed by hand (the params hold no name), which the review notes (low).
LEFT_FOR_SIGNATURE = {C.LEADER_BLANK}
DOCUMENTED = Survey(rate=0.95, sample_size=320, method="服务对象电话回访")


def _html(ev: Evaluation) -> bytes:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 报告")])
    return notebook_to_html(nb, title="报告", provenance={}, evaluation=ev).encode()


def _pdf(ev: Evaluation) -> bytes:
    """The 附件 printed: each 一级指标 block kept on one page (its merged cell otherwise loses its lower
    rule at the page foot), the indicator part read as the continuation of the form's head."""
    return html_to_pdf(_html(ev).decode(), engine="weasyprint")


FORMS = {"xlsx": self_evaluation_workbook, "html": _html, "docx": report_document, "pdf": _pdf}


def _evaluation(path, layout: str, survey: Survey | None = None) -> Evaluation:
    loaded = load_project(path)
    project_year = loaded.project_year
    if survey is not None:
        project_year = project_year.model_copy(update={"survey": survey})
    return evaluate(project_year, loaded.rules.model_copy(update={"table_layout": layout}))


def _review_of_own_table(ev: Evaluation, form: str, tmp_path):
    path = tmp_path / f"自评表.{form}"
    path.write_bytes(FORMS[form](ev))
    # one table: the Word report's own indicator table in its body is the 附件's rows, not reviewed twice
    (review,) = review_reads(read_tables(path), ev.rules)
    assert review.table.funds is not None and review.table.project.name == ev.project_year.project.name
    return review


@pytest.mark.parametrize("layout", ["national", "sichuan"])
@pytest.mark.parametrize("form", sorted(FORMS))
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_our_table_passes_our_review(path, form, layout, tmp_path):
    ev = _evaluation(path, layout)
    review = _review_of_own_table(ev, form, tmp_path)
    assert review.recomputed_total == pytest.approx(ev.total, abs=1e-9)
    assert review.recomputed_grade == ev.grade
    assert review.published_total == pytest.approx(ev.total, abs=0.005)
    found = {f.code for f in review.findings}
    assert found - LEFT_FOR_SIGNATURE <= {f.code for f in ev.findings}, [f.message for f in review.findings]


@pytest.mark.parametrize("layout", ["national", "sichuan"])
@pytest.mark.parametrize("form", sorted(FORMS))
def test_a_documented_survey_is_printed_and_read_as_the_basis(form, layout, tmp_path):
    ev = _evaluation(SEED_SAMPLE, layout, DOCUMENTED)
    assert C.SATISFACTION_NO_BASIS not in {f.code for f in ev.findings}
    review = _review_of_own_table(ev, form, tmp_path)
    assert review.table.survey is not None and review.table.survey.method.startswith(DOCUMENTED.method)
    assert C.SATISFACTION_NO_BASIS not in {f.code for f in review.findings}
    # and without the survey's basis the same table is one the review questions, as the evaluation does
    bare = _evaluation(SEED_SAMPLE, layout, Survey(rate=0.95))
    assert C.SATISFACTION_NO_BASIS in {f.code for f in bare.findings}
    assert C.SATISFACTION_NO_BASIS in {f.code for f in _review_of_own_table(bare, form, tmp_path).findings}


def test_the_survey_row_holds_what_the_params_hold():
    ev = _evaluation(SEED_SAMPLE, "national", DOCUMENTED.model_copy(update={"date": None}))
    shown = [display(cell) for cell, _, _ in report_self_table(ev).spans().values()]
    at = shown.index("满意度调查")
    assert shown[at:at + 5] == ["满意度调查", "样本量", "320", "调查方式", "服务对象电话回访"]
    loaded = load_project(SEED_SAMPLE)
    no_survey = evaluate(loaded.project_year.model_copy(update={"survey": None}), loaded.rules)
    assert "满意度调查" not in [display(c) for c, _, _ in report_self_table(no_survey).spans().values()]
