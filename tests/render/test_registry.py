"""The render registry: every format renders through one signature, the HTML is built once for
HTML and PDF, and a format's library is imported only when that format is asked for."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
import zipfile

import nbformat
import pytest
from conftest import ROOT, SEED_SAMPLE

from selfeval_lib.core.evaluation import Evaluation, evaluate
from selfeval_lib.inputs.params import load_project
from selfeval_lib.render import html as html_module
from selfeval_lib.render import registry
from selfeval_lib.render.docx import report_document
from selfeval_lib.render.registry import FORMATS, REPORT, RenderContext

FILE_NAMES = REPORT.names
render_all = REPORT.render
from selfeval_lib.render.xlsx import self_evaluation_workbook

PROVENANCE = {"参数文件": "seed.yaml", "规则集": "national（测试）"}
TITLE = "2023年度测试项目绩效自评报告"


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    loaded = load_project(SEED_SAMPLE)
    return evaluate(loaded.project_year, loaded.rules)


def notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 一、项目概况\n\n报告正文。")])
    nb.cells[0].id = "cell-0"
    return nb


def context(ev: Evaluation, with_notebook: bool = True) -> RenderContext:
    return RenderContext(ev, PROVENANCE, TITLE, notebook() if with_notebook else None)


def test_table() -> None:
    assert FORMATS == ("ipynb", "html", "pdf", "xlsx", "docx")
    assert FILE_NAMES == {"ipynb": "report.ipynb", "html": "report.html", "pdf": "report.pdf",
                          "xlsx": "自评表.xlsx", "docx": "report.docx"}
    assert set(registry.NOTEBOOK_FORMATS) < set(FORMATS)


def test_every_format_renders(evaluation: Evaluation) -> None:
    timings: dict[str, float] = {}
    out = render_all(context(evaluation), reversed(FORMATS), timings)
    assert list(out) == [FILE_NAMES[f] for f in FORMATS]  # canonical order, whatever was asked
    assert set(timings) == set(FORMATS) and all(t >= 0 for t in timings.values())
    assert "".join(json.loads(out["report.ipynb"])["cells"][0]["source"]).startswith("# 一、项目概况")
    page = out["report.html"].decode("utf-8")
    assert f"<title>{TITLE}</title>" in page and "报告正文。" in page and "national（测试）" in page
    assert out["report.pdf"].startswith(b"%PDF-")
    assert out["自评表.xlsx"] == self_evaluation_workbook(evaluation)
    assert out["report.docx"] == report_document(evaluation, provenance=PROVENANCE)
    assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(out["report.docx"])).namelist()


def test_each_renderer_alone(evaluation: Evaluation) -> None:
    ctx = context(evaluation, with_notebook=False)
    assert render_all(ctx, ["xlsx"]) == {FILE_NAMES["xlsx"]: REPORT.renderer("xlsx")(ctx)}
    for fmt in registry.NOTEBOOK_FORMATS:  # these need the executed notebook
        with pytest.raises(ValueError, match="报告笔记本"):
            render_all(ctx, [fmt])


def test_html_built_once_for_html_and_pdf(evaluation: Evaluation, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = html_module.notebook_to_html

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(html_module, "notebook_to_html", counting)
    timings: dict[str, float] = {}
    out = render_all(context(evaluation), ["html", "pdf"], timings)
    assert len(calls) == 1 and set(out) == {"report.html", "report.pdf"}
    assert set(timings) == {"html", "pdf"}
    calls.clear()
    timings.clear()
    render_all(context(evaluation), ["pdf"], timings)
    assert len(calls) == 1 and set(timings) == {"html", "pdf"}  # the HTML built for the PDF is timed


def test_unknown_format(evaluation: Evaluation) -> None:
    with pytest.raises(ValueError, match="未知的输出格式：odt"):
        render_all(context(evaluation), ["xlsx", "odt"])


HEAVY = ("weasyprint", "nbconvert", "docx", "openpyxl", "matplotlib")


def _modules_after(code: str) -> list[str]:
    probe = textwrap.dedent(code) + f"\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    return result.stdout.split()


@pytest.mark.integration
def test_imports_are_lazy() -> None:
    assert _modules_after("import selfeval_lib.render.registry") == []
    loaded = _modules_after(f"""
        from selfeval_lib.core.evaluation import evaluate
        from selfeval_lib.inputs.params import load_project
        from selfeval_lib.render.registry import REPORT, RenderContext
        p = load_project({str(SEED_SAMPLE)!r})
        out = REPORT.render(RenderContext(evaluate(p.project_year, p.rules), {{}}, "t", None), ["xlsx"])
        assert list(out) == ["自评表.xlsx"]
    """)
    assert loaded == ["openpyxl"]  # no WeasyPrint, nbconvert, python-docx or matplotlib


@pytest.mark.integration
@pytest.mark.parametrize(("formats", "expected"), [
    (["xlsx", "docx"], []),
    (["ipynb", "html"], ["nbconvert", "openpyxl"]),  # the 附件 has the workbook's layout
    (["pdf"], ["weasyprint", "nbconvert", "openpyxl"]),  # the PDF is made from the HTML
])
def test_warm_up_loads_only_what_the_formats_use(formats: list[str], expected: list[str]) -> None:
    loaded = _modules_after(f"""
        from selfeval_lib.render.registry import warm_up
        warm_up({formats!r})
    """)
    assert loaded == expected


def test_warm_up_compiles_the_report_template() -> None:
    from selfeval_lib.render.html import report_exporter, warm_up_exporter

    report_exporter.cache_clear()  # a new exporter, as in a new process
    assert not report_exporter().environment.cache
    warm_up_exporter()
    environment = report_exporter().environment
    assert "index.html.j2" in {name for _, name in environment.cache}  # the next export reuses it
