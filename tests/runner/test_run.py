"""End-to-end: ``run_report`` / ``selfeval run`` on the sample params (real kernel, real PDF,
real headless Chromium).

Each sample is run once per session (all formats) and the outputs are shared by the tests.
Needs Debian packages poppler-utils (pdffonts, pdftotext), chromium and fonts-noto-cjk; a
missing tool fails the test (no skips).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import select
import shutil
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pytest
from conftest import ROOT, SAMPLES, SEED_SAMPLE

import selfeval_lib
from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.evaluation import Evaluation, evaluate, to_dict
from selfeval_lib.runner import run as run_mod
from selfeval_lib.errors import CellFailed, ReportError
from selfeval_lib.runner.options import RunOptions
from selfeval_lib.resources import REPORT_NOTEBOOK as NOTEBOOK
from selfeval_lib.runner.run import RunResult, run_report
from selfeval_lib.report.narrative import PARTS
from selfeval_lib.report.checklist import checklist_counts
from selfeval_lib.report.problems import report_problems
from selfeval_lib.render.registry import CHECKLIST_FILE, METRICS_FILE
from selfeval_lib.inputs.params import InputError, load_project

HEADINGS = tuple(PARTS.values())
REPORT_FILES = ("report.ipynb", "report.html", "report.pdf", METRICS_FILE, CHECKLIST_FILE)
BAD_PARAMS = ROOT / "tests" / "data" / "malformed" / "adjustment_without_reason.yaml"
GLYPH_WORDS = ("Glyph", "missing from")


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"`{name}` not found: install the Debian package {package} (apt-get install -y {package})")
    return path


def _text(doc: str) -> str:
    """The document's text: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", doc))


@dataclass
class SampleRun:
    params: Path
    result: RunResult
    out_dir: Path
    ev: Evaluation
    warnings: list[str]

    def read(self, name: str) -> str:
        return (self.out_dir / name).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SampleRun]:
    """Every sample run once with all formats into one session output root."""
    assert len(SAMPLES) == 3, SAMPLES
    out_root = tmp_path_factory.mktemp("reports")
    done: dict[str, SampleRun] = {}
    for params in SAMPLES:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = run_report(params, out_root, RunOptions(formats=("ipynb", "html", "pdf")))
        loaded = load_project(params)
        done[params.stem] = SampleRun(
            params=params, result=result, out_dir=result.out_dir,
            ev=evaluate(loaded.project_year, loaded.rules), warnings=[str(w.message) for w in caught])
    return done


@pytest.fixture(scope="session")
def seed(runs: dict[str, SampleRun]) -> SampleRun:
    return runs[SEED_SAMPLE.stem]


SAMPLE_IDS = [p.stem for p in SAMPLES]


# --- 1. papermill run, files and metrics.json --------------------------------------------------
@pytest.mark.integration
@pytest.mark.parametrize("stem", SAMPLE_IDS)
def test_all_files_written(runs: dict[str, SampleRun], stem: str) -> None:
    run = runs[stem]
    project = run.ev.project_year.project
    assert run.out_dir == run.out_dir.parents[1] / str(project.year) / project.id
    assert sorted(p.name for p in run.out_dir.iterdir()) == sorted(REPORT_FILES)
    assert sorted(p.name for p in run.result.files) == sorted(REPORT_FILES)
    for name in REPORT_FILES:
        assert (run.out_dir / name).stat().st_size > 0, name
    nb = nbformat.read(run.out_dir / "report.ipynb", as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.execution_count for c in code), "not every code cell was executed"
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    assert nb.metadata["papermill"]["parameters"]["params_path"] == str(run.params.resolve())


@pytest.mark.integration
@pytest.mark.parametrize("stem", SAMPLE_IDS)
def test_metrics_json(runs: dict[str, SampleRun], stem: str) -> None:
    run = runs[stem]
    loaded = load_project(run.params)
    expected = {
        **to_dict(evaluate(loaded.project_year, loaded.rules)),
        "provenance": {
            "params_file": run.params.name,
            "params_sha256": hashlib.sha256(run.params.read_bytes()).hexdigest(),
            "rule_set": loaded.rules.name,
            "rules_title": loaded.rules.title,
            "rules_file": "bundled",  # the samples' rule sets are the package's own
            "rules_sha256": hashlib.sha256(loaded.rules_path.read_bytes()).hexdigest(),
            "notebook_sha256": hashlib.sha256(NOTEBOOK.read_bytes()).hexdigest(),
            "selfeval_version": selfeval_lib.__version__,
        },
        "checklist": checklist_counts(evaluate(loaded.project_year, loaded.rules)),
        "pdf_engine": "weasyprint",  # --pdf-engine auto, where WeasyPrint loads (pango is installed here)
    }
    expected = json.loads(json.dumps(expected, ensure_ascii=False))  # tuples → lists etc.
    raw = (run.out_dir / "metrics.json").read_bytes()
    assert json.loads(raw.decode("utf-8")) == expected
    assert json.loads(json.dumps(run.result.metrics, ensure_ascii=False)) == expected
    assert b"\\u" not in raw  # Chinese kept readable (ensure_ascii=False)


# --- 2. HTML content ---------------------------------------------------------------------------
@pytest.mark.integration
@pytest.mark.parametrize("stem", SAMPLE_IDS)
def test_html_structure_and_offline(runs: dict[str, SampleRun], stem: str) -> None:
    doc = runs[stem].read("report.html")
    assert doc.startswith("<!DOCTYPE html>")
    assert re.search(r'<html[^>]*\blang="zh-CN"', doc)
    positions = []
    for heading in HEADINGS:
        m = re.search(rf"<h2[^>]*>\s*{re.escape(heading)}\s*</h2>", doc)
        assert m, heading
        positions.append(m.start())
    assert positions == sorted(positions), "part headings out of order"
    assert not re.search(r"<script", doc, re.I)
    assert not re.search(r"<link\b[^>]*\bhref\s*=\s*[\"']?\s*(https?:|//)", doc, re.I)
    assert not re.search(r"\b(src|href|srcset|action|poster|data)\s*=\s*[\"']?\s*(https?:|//)", doc, re.I)
    assert not re.search(r"url\(\s*['\"]?\s*(https?:|//)", doc, re.I)
    assert not re.search(r"@import", doc, re.I)


@pytest.mark.integration
@pytest.mark.parametrize("stem", SAMPLE_IDS)
def test_html_has_no_code_or_prompts(runs: dict[str, SampleRun], stem: str) -> None:
    doc = runs[stem].read("report.html")
    for needle in ("open_report(", "report.show(", "report.show_", "params_path", "In [", "In&nbsp;[",
                   "Out[", "jp-InputPrompt", "jp-InputArea", "remove-from-report", "papermill",
                   "本笔记本由"):
        assert needle not in doc, needle


@pytest.mark.integration
@pytest.mark.parametrize("stem", SAMPLE_IDS)
def test_html_numbers_and_findings(runs: dict[str, SampleRun], stem: str) -> None:
    run = runs[stem]
    ev = run.ev
    doc = run.read("report.html")
    text = _text(doc)
    total = fmt.score(ev.total, trim=True)
    part5 = text.split(PARTS["五"], 1)[1]
    conclusion = part5.split("存在的问题", 1)[0]
    assert f"{total}分" in conclusion, (total, conclusion)
    assert ev.grade in conclusion, (ev.grade, conclusion)
    problems = part5.split("存在的问题", 1)[1].split("相关建议", 1)[0]
    stated = report_problems(ev)
    for problem in stated:
        assert problem.text in problems, problem.text
    if stated:
        first = problems.strip()
        assert first.startswith("1." + stated[0].text), first[:80]  # numbered as the outline: 1. 2.
        assert not first.startswith("无") and "未发现问题" not in problems
        # in the report's order, most severe first
        at = [problems.index(p.text) for p in stated]
        assert at == sorted(at), [p.text for p in stated]
    # The exporter's escaping and Jinja's agree once decoded (e.g. " as &#34; or &quot;).
    assert all(p.text in html.unescape(doc) for p in stated)


@pytest.mark.integration
def test_seed_sample_has_findings_after_problems_heading(seed: SampleRun) -> None:
    stated = report_problems(seed.ev)
    assert stated, "the seed sample is expected to produce findings"
    doc = seed.read("report.html")
    m = re.search(r"存在的问题\s*</h3>\s*(<[^>]+>\s*)*", doc)
    assert m, "no 存在的问题 heading"
    after = _text(doc[m.end():]).lstrip()
    assert not after.startswith("无")
    assert after.startswith("1." + stated[0].text), after[:80]


@pytest.mark.parametrize("stem", SAMPLE_IDS)
def _meta(doc: str) -> dict[str, str]:
    """``<meta name=… content=…>`` of the document's head, either attribute order."""
    head = doc.split("</head>", 1)[0]
    found = {}
    for tag in re.findall(r"<meta\b[^>]*>", head):
        name = re.search(r'\bname="([^"]*)"', tag)
        content = re.search(r'\bcontent="([^"]*)"', tag)
        if name and content:
            found[html.unescape(name.group(1))] = html.unescape(content.group(1))
    return found


META_KEYS = {"params_file": "selfeval-params-file", "params_sha256": "selfeval-params-sha256",
             "rules_sha256": "selfeval-rules-sha256", "notebook_sha256": "selfeval-notebook-sha256",
             "selfeval_version": "selfeval-version"}


@pytest.mark.integration
@pytest.mark.parametrize("stem", SAMPLE_IDS)
def test_html_provenance_footer(runs: dict[str, SampleRun], stem: str) -> None:
    """The provenance is in the head's <meta> tags, not in the report's body (the unit's own text)."""
    run = runs[stem]
    doc = run.read("report.html")
    meta = _meta(doc)
    prov = run.result.metrics["provenance"]
    for key, name in META_KEYS.items():
        assert meta.get(name) == prov[key], (key, meta)
    assert meta["selfeval-rule-set"] == f"{prov['rules_title']}（本软件内置）"  # by its title, never a path or id
    assert meta["selfeval-rules-file"] == "本软件内置"
    assert meta["selfeval-params-sha256"] == hashlib.sha256(run.params.read_bytes()).hexdigest()
    assert '<footer class="provenance">' not in doc
    body = _text(doc.split("<body", 1)[1])
    for key in ("params_sha256", "rules_sha256", "notebook_sha256"):
        assert prov[key] not in body, key
    assert "SHA-256" not in body and "selfeval 版本" not in body
    assert not re.search(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}", doc)  # no run timestamps


@pytest.mark.integration
@pytest.mark.parametrize("stem", SAMPLE_IDS)
def test_html_images_embedded(runs: dict[str, SampleRun], stem: str) -> None:
    doc = runs[stem].read("report.html")
    srcs = re.findall(r"<img\b[^>]*\bsrc=\"([^\"]*)\"", doc)
    assert len(srcs) >= 2, srcs
    assert all(s.startswith("data:image/") for s in srcs), [s[:40] for s in srcs]
    pngs = [s for s in srcs if s.startswith("data:image/png;base64,")]
    assert len(pngs) >= 2
    for src in pngs:
        assert base64.b64decode(src.split(",", 1)[1]).startswith(b"\x89PNG\r\n\x1a\n")


# --- 3. user text is escaped -------------------------------------------------------------------
EVIL_NAME = '<script>alert("x")</script>&amp;'
EVIL_UNIT = "<b>单位</b>"


@pytest.mark.integration
def test_user_text_escaped(tmp_path: Path) -> None:
    source = SEED_SAMPLE.read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    name_at = next(i for i, line in enumerate(lines) if line.startswith("  name: "))
    unit_at = next(i for i, line in enumerate(lines) if line.startswith("  unit: "))
    lines[name_at] = f"  name: {json.dumps(EVIL_NAME, ensure_ascii=False)}\n"
    lines[unit_at] = f"  unit: {json.dumps(EVIL_UNIT, ensure_ascii=False)}\n"
    params = tmp_path / SEED_SAMPLE.name
    params.write_text("".join(lines), encoding="utf-8")
    loaded = load_project(params)
    assert loaded.project_year.project.name == EVIL_NAME
    assert loaded.project_year.project.unit == EVIL_UNIT

    result = run_report(params, tmp_path / "out", RunOptions(formats=("html",)))
    assert sorted(p.name for p in result.out_dir.iterdir()) == sorted([CHECKLIST_FILE, METRICS_FILE, "report.html"])
    doc = (result.out_dir / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"<script", doc, re.I)
    assert not re.search(r"<b>\s*单位", doc)
    assert "&lt;script&gt;" in doc
    assert "&lt;b&gt;单位&lt;/b&gt;" in doc
    assert "&amp;amp;" in doc  # a literal "&amp;" in the name is shown as typed
    text = html.unescape(doc)
    assert EVIL_NAME in text and EVIL_UNIT in text
    title = re.search(r"<title>(.*?)</title>", doc, re.S)
    assert title and "&lt;script&gt;" in title.group(1)


# --- 4. PDF ------------------------------------------------------------------------------------
def _pdffonts(pdf: Path) -> list[tuple[str, str]]:
    out = subprocess.run([_tool("pdffonts", "poppler-utils"), str(pdf)],
                         capture_output=True, text=True, check=True).stdout
    rows = [r for r in out.splitlines()[2:] if r.strip()]
    return [(r.split()[0], r.split()[-5]) for r in rows]


@pytest.mark.integration
@pytest.mark.parametrize("stem", SAMPLE_IDS)
def test_pdf(runs: dict[str, SampleRun], stem: str) -> None:
    run = runs[stem]
    pdf = run.out_dir / "report.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(data) < 5 * 1024 * 1024, f"PDF is {len(data) / 1e6:.1f} MB"
    fonts = _pdffonts(pdf)
    cjk = [name for name, emb in fonts
           if ("CJK-SC" in name or "CJK SC" in name or "CJKsc" in name) and emb == "yes"]
    assert cjk, fonts
    assert all(emb == "yes" for _, emb in fonts), fonts
    text = subprocess.run([_tool("pdftotext", "poppler-utils"), "-layout", "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    for heading in HEADINGS:
        assert heading in text, heading
    total = fmt.score(run.ev.total)
    # the 自评表's 总分 row: 分值, 得分, 等级 (the form appears in the body and as the 附件)
    row = rf"总分\s*{re.escape(fmt.score(100))}\s*{re.escape(total)}(?!\d)\s*等级：{re.escape(run.ev.grade)}"
    assert len(re.findall(row, text)) == 2, total
    assert f"自评总分{fmt.score(run.ev.total, trim=True)}分" in re.sub(r"\s+", "", text), total  # prose
    assert run.ev.project_year.project.name[:8] in text.replace("\n", "").replace(" ", "")


@pytest.mark.integration
@pytest.mark.parametrize("stem", SAMPLE_IDS)
def test_pdf_in_gongwen_form(runs: dict[str, SampleRun], stem: str) -> None:
    """The sample's PDF as GB/T 9704 sets it: title 二号, body 三号, "— N —" 四号 at the foot of
    every page; no voucher (凭证号, payee) before the 附件: the vouchers are the 自查清单's."""
    import pdfplumber

    from selfeval_lib.report import typography

    run = runs[stem]
    with pdfplumber.open(run.out_dir / "report.pdf") as pdf:
        first = [round(c["size"], 1) for c in pdf.pages[0].chars]
        assert max(first) == typography.TITLE.size_pt
        body = [round(c["size"], 1) for page in pdf.pages[:3] for c in page.chars]
        assert max(set(body), key=body.count) == typography.BODY.size_pt
        texts = []
        for number, page in enumerate(pdf.pages, start=1):
            bottom = page.height - typography.MARGINS_MM["bottom"] / 25.4 * 72
            foot = [c for c in page.chars if c["top"] > bottom]
            assert "".join(c["text"] for c in foot).replace(" ", "") == f"—{number}—", number
            assert {round(c["size"], 1) for c in foot} == {typography.PAGE_NUMBER.size_pt}
            texts.append("".join(c["text"] for c in page.chars if c["top"] <= bottom))
    before_annex = "".join(texts).split("附件：项目支出绩效自评表", 1)[0]
    for v in run.ev.vouchers:
        assert v.voucher not in before_annex and v.payee not in before_annex, v.voucher
    # the 落款 and every 总分 row share their page with what precedes them
    signed = next(t for t in texts if "附件：项目支出绩效自评表" in t)
    assert len(signed.split("附件：项目支出绩效自评表", 1)[0]) >= 10
    names = tuple(s.name[:3] for s in run.ev.indicators)
    rows = [text for text in texts if re.search(r"(?<!自评)总分\d", text)]  # the row 总分 100.00 … 等级
    assert len(rows) >= 2  # the table in 四 and the 附件
    for text in rows:
        above = re.split(r"(?<!自评)总分\d", text, maxsplit=1)[0]
        assert any(name in above for name in names), text[:80]


# --- 5. no missing-glyph warnings --------------------------------------------------------------
def _output_texts(nb: nbformat.NotebookNode) -> list[str]:
    texts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                texts.append(f"[{out.name}] {out.text}")
            elif out.output_type == "error":
                texts.append(f"[error] {out.ename}: {out.evalue}")
            else:
                for mime, value in out.get("data", {}).items():
                    if mime.startswith("text/"):
                        texts.append(value if isinstance(value, str) else "".join(value))
    return texts


@pytest.mark.integration
@pytest.mark.parametrize("stem", SAMPLE_IDS)
def test_no_missing_glyph_warnings(runs: dict[str, SampleRun], stem: str) -> None:
    run = runs[stem]
    nb = nbformat.read(run.out_dir / "report.ipynb", as_version=4)
    for text in _output_texts(nb):
        for word in GLYPH_WORDS:
            assert word not in text, text[:300]
    stderr = [o for c in nb.cells for o in c.get("outputs", [])
              if o.output_type == "stream" and o.name == "stderr"]
    for out in stderr:
        for word in GLYPH_WORDS:
            assert word not in out.text
    # Warnings raised in this process (HTML/PDF export) must not be about glyphs either.
    for message in run.warnings:
        for word in GLYPH_WORDS:
            assert word not in message, message


# --- 6. determinism ----------------------------------------------------------------------------
def _ipynb_differences(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    diffs = []
    if a.get("metadata") != b.get("metadata"):
        diffs.append("notebook metadata")
    if len(a["cells"]) != len(b["cells"]):
        return diffs + ["cell count"]
    for i, (x, y) in enumerate(zip(a["cells"], b["cells"])):
        for key in sorted(set(x) | set(y)):
            if x.get(key) != y.get(key):
                diffs.append(f"cell {i} ({x.get('metadata', {}).get('tags')}): {key}: {x.get(key)!r:.80} != {y.get(key)!r:.80}")
    return diffs


@pytest.mark.integration
def test_deterministic(seed: SampleRun, tmp_path: Path) -> None:
    again = run_report(SEED_SAMPLE, tmp_path, RunOptions(formats=("ipynb", "html")))
    assert again.out_dir != seed.out_dir
    assert (again.out_dir / "report.html").read_bytes() == (seed.out_dir / "report.html").read_bytes()
    metrics = json.loads((seed.out_dir / "metrics.json").read_bytes())
    assert metrics.pop("pdf_engine") == "weasyprint"  # the first run made a PDF; this one did not
    assert json.loads((again.out_dir / "metrics.json").read_bytes()) == metrics
    first = (seed.out_dir / "report.ipynb").read_bytes()
    second = (again.out_dir / "report.ipynb").read_bytes()
    # papermill gives the injected-parameters cell a random id; run.py must pin it.
    assert first == second, "report.ipynb differs between runs:\n  " + "\n  ".join(
        _ipynb_differences(json.loads(first), json.loads(second)))


# --- 7. failures -------------------------------------------------------------------------------
def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.integration
def test_failed_run_keeps_last_good_files(seed: SampleRun, tmp_path: Path) -> None:
    out_root = tmp_path / "out"
    good_dir = out_root / seed.out_dir.relative_to(seed.out_dir.parents[1])
    shutil.copytree(seed.out_dir, good_dir)  # the last good run's files
    before = _snapshot(good_dir)

    nb = nbformat.read(NOTEBOOK, as_version=4)
    index = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and 'report.show_part("三")' in c.source)
    nb.cells[index].source = 'raise RuntimeError("boom")\n' + nb.cells[index].source
    broken_dir = tmp_path / "nb"
    broken_dir.mkdir()
    broken = broken_dir / NOTEBOOK.name
    nbformat.write(nb, broken)

    with pytest.raises(ReportError) as info:
        run_report(SEED_SAMPLE, out_root, RunOptions(formats=("ipynb", "html", "pdf"), notebook=broken))
    message = str(info.value)
    assert "boom" in message and "RuntimeError" in message, message
    assert isinstance(info.value, CellFailed)
    assert (info.value.cell, info.value.ename, info.value.evalue) == (index + 1, "RuntimeError", "boom")
    # The cell is named by its 1-based position in the source notebook, as an author sees it.
    assert f"第 {index + 1} 个单元格" in message and 'raise RuntimeError("boom")' in message, message
    assert _snapshot(good_dir) == before
    state_files = {run_mod.STATE_FILE, run_mod.STATE_FILE + ".lock"}  # which params file made each folder
    leftovers = [p.name for p in out_root.rglob("*") if p.name.startswith(".") and p.name not in state_files]
    assert leftovers == []


def test_bad_params_fail_fast_without_kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_kernel(*args: object, **kwargs: object) -> None:
        raise AssertionError("a kernel was started for invalid params")

    monkeypatch.setattr(run_mod, "execute_notebook", no_kernel)
    import papermill

    monkeypatch.setattr(papermill, "execute_notebook", no_kernel)
    out_root = tmp_path / "out"
    with pytest.raises(InputError) as info:
        run_report(BAD_PARAMS, out_root, RunOptions(formats=("ipynb", "html", "pdf")))
    assert info.value.problems
    assert not out_root.exists()


# --- 8. CLI ------------------------------------------------------------------------------------
def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("SELFEVAL_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "selfeval_lib.cli", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=120)


@pytest.mark.integration
def test_cli_bad_params(tmp_path: Path) -> None:
    proc = _cli("run", str(BAD_PARAMS), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert proc.returncode == 1, proc
    assert BAD_PARAMS.name in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not (tmp_path / "out").exists()


@pytest.mark.integration
def test_cli_out_naming_a_file(tmp_path: Path) -> None:
    """An output tree that cannot be written fails before any work, naming the path (exit 1)."""
    blocker = tmp_path / "out"
    blocker.write_text("a file")
    proc = _cli("run", str(SEED_SAMPLE), "--out", str(blocker), "--formats", "html", cwd=tmp_path)
    assert proc.returncode == 1, proc
    assert str(blocker) in proc.stderr and "不是文件夹" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout and "内部错误" not in proc.stderr
    assert blocker.read_text() == "a file" and "execute" not in proc.stderr  # failed before any work


@pytest.mark.integration
def test_cli_unknown_format(tmp_path: Path) -> None:
    proc = _cli("run", str(SEED_SAMPLE), "--out", str(tmp_path / "out"), "--formats", "html,rtf", cwd=tmp_path)
    assert proc.returncode == 2, proc
    assert "rtf" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not (tmp_path / "out").exists()


# --- 9. headless Chromium ----------------------------------------------------------------------
def _high_fd(fd: int) -> int:
    import fcntl

    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


class Chromium:
    """Headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe):
    no websocket library needed; messages are NUL-terminated JSON on fds 3 (in) and 4 (out)."""

    def __init__(self, profile: Path) -> None:
        exe = _tool("chromium", "chromium")
        to_r, self._to_w = os.pipe()
        self._from_r, from_w = os.pipe()
        # Move the child's ends above 9 so that bash's "3<&N 4>&M" cannot clobber one with the other.
        to_r, from_w = (_high_fd(fd) for fd in (to_r, from_w))
        args = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
                "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={profile}",
                "--enable-logging=stderr", "--v=0", "--remote-debugging-pipe", "--window-size=1200,2000",
                "about:blank"]
        self._log_path = profile.parent / "chromium-stderr.log"
        with open(self._log_path, "wb") as log:  # a file, not a pipe: chromium can never block on it
            self.proc = subprocess.Popen(["bash", "-c", f'exec "$@" 3<&{to_r} 4>&{from_w}', "bash", *args],
                                         stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                         pass_fds=(to_r, from_w))
        os.close(to_r)
        os.close(from_w)
        self._buf = b""
        self._id = 0
        self.events: list[dict[str, Any]] = []

    def _recv(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self._from_r], [], [], left)
            if ready:
                chunk = os.read(self._from_r, 1 << 20)
                if not chunk:
                    raise EOFError("chromium closed the DevTools pipe (exit code "
                                   f"{self.proc.poll()}); is the Debian package chromium working?")
                self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             timeout: float = 30) -> dict[str, Any]:
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._to_w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._recv(deadline)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self.events.append(reply)

    def drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        try:
            while True:
                self.events.append(self._recv(deadline))
        except TimeoutError:
            pass

    def load(self, url: str, timeout: float = 30) -> tuple[str, list[dict[str, Any]]]:
        """Open ``url`` offline in a new tab; returns the session id and that tab's events."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log", "DOM", "CSS"):
            self.call(f"{domain}.enable", session=session)
        self.call("Network.emulateNetworkConditions",
                  {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}, session=session)
        start = len(self.events)
        self.call("Page.navigate", {"url": url}, session=session)
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == "Page.loadEventFired" and e.get("sessionId") == session
                      for e in self.events[start:]):
            self.events.append(self._recv(deadline))
        self.drain(0.5)
        return session, [e for e in self.events[start:] if e.get("sessionId") == session]

    def close(self) -> str:
        try:
            self.call("Browser.close", timeout=10)
        except (EOFError, TimeoutError, OSError):
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        os.close(self._to_w)
        os.close(self._from_r)
        return self._log_path.read_text(encoding="utf-8", errors="replace")


def _problems(events: list[dict[str, Any]]) -> list[str]:
    """Failed requests, non-local requests, JS exceptions and console/log errors."""
    found = []
    for e in events:
        method, p = e.get("method"), e.get("params", {})
        if method == "Network.requestWillBeSent" and not p["request"]["url"].startswith(("file:", "data:", "about:")):
            found.append(f"request to {p['request']['url']}")
        elif method == "Network.loadingFailed":
            found.append(f"failed request: {p.get('errorText')} {p.get('blockedReason', '')}")
        elif method == "Runtime.exceptionThrown":
            found.append(f"exception: {p['exceptionDetails'].get('text')}")
        elif method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert", "warning"):
            found.append(f"console.{p['type']}: {p.get('args')}")
        elif method == "Log.entryAdded" and p["entry"].get("level") in ("error", "warning"):
            found.append(f"log {p['entry']['level']}: {p['entry'].get('text')} {p['entry'].get('url', '')}")
    return found


@pytest.mark.integration
def test_chromium_offline_render(seed: SampleRun, tmp_path: Path) -> None:
    from PIL import Image

    doc = seed.read("report.html")
    # (a) no URL in the document other than data:, file:, about: or fragments
    urls = re.findall(r"""(?:src|href|srcset|poster|action)\s*=\s*["']?([^"'\s>]+)""", doc, re.I)
    urls += re.findall(r"url\(\s*['\"]?([^'\")]+)", doc, re.I)
    assert [u for u in urls if not u.startswith(("data:", "file:", "about:", "#"))] == []

    # A control page proves the harness notices failed requests and console errors.
    control = tmp_path / "control.html"
    control.write_text('<!DOCTYPE html><html><body><img src="http://example.invalid/x.png">'
                       '<script>console.error("control")</script></body></html>', encoding="utf-8")
    browser = Chromium(tmp_path / "profile")
    try:
        session, events = browser.load(seed.out_dir.joinpath("report.html").as_uri())
        info = browser.call("Runtime.evaluate", {"returnByValue": True, "expression": (
            "[document.title, document.documentElement.lang, document.images.length,"
            " [...document.images].every(i => i.complete && i.naturalWidth > 0),"
            " [...document.querySelectorAll('h2')].map(h => h.textContent.trim())]")}, session=session)
        title, lang, n_images, images_ok, h2s = info["result"]["value"]
        root = browser.call("DOM.getDocument", {"depth": 0}, session=session)["root"]["nodeId"]
        fonts: dict[str, list[str]] = {}
        for selector in ("h1", "h2", "p"):
            node = browser.call("DOM.querySelector", {"nodeId": root, "selector": selector}, session=session)["nodeId"]
            used = browser.call("CSS.getPlatformFontsForNode", {"nodeId": node}, session=session)["fonts"]
            fonts[selector] = [f["familyName"] for f in used]
        shot = browser.call("Page.captureScreenshot", {"format": "png"}, session=session)["data"]
        _, control_events = browser.load(control.as_uri())
    finally:
        stderr = browser.close()

    problems = _problems(events)
    assert problems == [], problems
    assert title.startswith(f"{seed.ev.project_year.project.year}年度") and lang == "zh-CN"
    assert n_images >= 2 and images_ok, "charts did not decode in the browser"
    assert h2s == list(HEADINGS)
    for selector, families in fonts.items():
        assert families and all("CJK" in f for f in families), (selector, fonts)  # no fallback/tofu fonts
    control_problems = _problems(control_events)
    assert any("example.invalid" in p or "failed request" in p for p in control_problems), control_problems
    assert any("console.error" in p for p in control_problems), control_problems
    assert "Uncaught" not in stderr
    assert 'console.error("control")' not in doc and '"control"' in stderr  # the log is really captured
    assert not [line for line in stderr.splitlines() if "net::ERR" in line and "report.html" in line]

    (tmp_path / "shot.png").write_bytes(base64.b64decode(shot))
    keep = os.environ.get("SELFEVAL_SCREENSHOT")
    if keep:
        shutil.copyfile(tmp_path / "shot.png", keep)
    image = Image.open(tmp_path / "shot.png").convert("RGB")
    assert image.width >= 1000 and image.height >= 1000, image.size
    small = image.resize((300, 500))
    colours = small.getcolors(maxcolors=300 * 500)
    assert colours and len(colours) > 50, "screenshot looks blank"
    non_white = sum(n for n, c in colours if sum(c) < 700)
    assert non_white > 0.02 * 300 * 500, "screenshot is almost empty"


def test_saved_notebook_does_not_depend_on_the_kernels_history():
    """A warm kernel's execution counter goes on across notebooks; the saved notebook numbers its
    cells and their Out[n] from 1, so a report is the same whichever worker ran it."""
    import nbformat

    from selfeval_lib.runner.run import strip_run_metadata

    def executed(start: int) -> nbformat.NotebookNode:
        nb = nbformat.v4.new_notebook()
        for n, source in enumerate(("x = 1", "report.table_names"), start=start):
            cell = nbformat.v4.new_code_cell(source, execution_count=n)
            cell["id"] = f"cell-{n - start}"  # ids come from the source notebook, the same every run
            cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "[]"}, execution_count=n)]
            nb.cells.append(cell)
        return nb

    first, later = strip_run_metadata(executed(1)), strip_run_metadata(executed(31))
    assert nbformat.writes(first) == nbformat.writes(later)
    assert [c.outputs[0]["execution_count"] for c in later.cells] == [1, 2]
