"""``selfeval notebooks DIR``: copies of the bundled notebooks that run as they are in any folder
(their defaults open the bundled example), and never overwrite a copy the user edited."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from selfeval_lib.resources import data_dir

from conftest import ROOT

SEED = ROOT / "params" / "2023" / "dongqu-yjglj-ydhs.yaml"

BUNDLED = sorted((data_dir() / "notebooks").glob("*.ipynb"))


def selfeval(*args: object, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "selfeval_lib.cli", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("home")
    proc = selfeval("notebooks", "我的笔记本", cwd=where)
    assert proc.returncode == 0, proc.stderr
    return where / "我的笔记本"


@pytest.mark.integration
def test_every_bundled_notebook_is_copied_unchanged(copies: Path) -> None:
    assert sorted(p.name for p in copies.glob("*.ipynb")) == [p.name for p in BUNDLED]
    for source in BUNDLED:
        assert (copies / source.name).read_bytes() == source.read_bytes()


@pytest.mark.integration
@pytest.mark.parametrize("name", ["selfeval_report", "monitoring_report", "review_table", "requality"])
def test_a_copy_runs_in_its_folder_with_its_defaults(copies: Path, name: str) -> None:
    nb = nbformat.read(copies / f"{name}.ipynb", as_version=4)
    NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(copies)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    shown = "".join(json.dumps(o.get("data", {}), ensure_ascii=False) for c in nb.cells if c.cell_type == "code"
                    for o in c.outputs)
    assert "<table" in shown  # the tables are there


def test_the_overview_finds_the_outputs_beside_its_folder(tmp_path: Path) -> None:
    from selfeval_lib.batch.overview import find_out_root

    (tmp_path / "outputs" / "2023" / "p-1").mkdir(parents=True)
    (tmp_path / "outputs" / "2023" / "p-1" / "metrics.json").write_text("{}", encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    assert find_out_root("", 2023, start=tmp_path / "notebooks") == tmp_path / "outputs"
    assert find_out_root("其他/outputs", 2023, start=tmp_path / "notebooks") == Path("其他/outputs")
    with pytest.raises(FileNotFoundError, match="2024 年度的报告"):
        find_out_root("", 2024, start=tmp_path / "notebooks")


@pytest.mark.integration
def test_a_second_run_keeps_the_users_copies(tmp_path: Path) -> None:
    assert selfeval("notebooks", "nb", cwd=tmp_path).returncode == 0
    report = tmp_path / "nb" / "selfeval_report.ipynb"
    review = tmp_path / "nb" / "review_table.ipynb"
    ran = nbformat.read(report, as_version=4)
    ran.cells[2].outputs = [nbformat.v4.new_output("stream", text="运行结果")]
    nbformat.write(ran, report)
    edited = nbformat.read(review, as_version=4)
    edited.cells[1].source = edited.cells[1].source.replace('table_path = ""', 'table_path = "我的表.xlsx"')
    nbformat.write(edited, review)
    ran_bytes, edited_bytes = report.read_bytes(), review.read_bytes()

    proc = selfeval("notebooks", "nb", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert f"保留（含运行结果） {Path('nb') / 'selfeval_report.ipynb'}" in proc.stdout
    assert f"保留（已修改） {Path('nb') / 'review_table.ipynb'}" in proc.stdout
    assert "--force" in proc.stderr
    assert "已是最新" in proc.stdout
    assert (report.read_bytes(), review.read_bytes()) == (ran_bytes, edited_bytes)

    proc = selfeval("notebooks", "nb", "--force", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert review.read_bytes() == (data_dir() / "notebooks" / "review_table.ipynb").read_bytes()


@pytest.mark.integration
def test_a_file_in_the_way_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "nb").write_text("x", encoding="utf-8")
    proc = selfeval("notebooks", "nb", cwd=tmp_path)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "nb" in proc.stderr
    assert (tmp_path / "nb").read_text(encoding="utf-8") == "x"


def test_without_jupyterlab_the_copies_come_with_the_install_command(tmp_path: Path, monkeypatch, capsys) -> None:
    from selfeval_lib import cli

    monkeypatch.setitem(sys.modules, "jupyterlab", None)  # pip install selfeval, without [lab]
    assert cli.main(["notebooks", str(tmp_path / "nb")]) == 0
    assert 'pip install "selfeval[lab]"' in capsys.readouterr().err
    assert (tmp_path / "nb" / "selfeval_report.ipynb").is_file()


# --- in JupyterLab, in a real browser ------------------------------------------------------------

def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def lab(tmp_path: Path):
    """JupyterLab serving a fresh copy of the notebooks (its settings and runtime files under
    ``tmp_path``, the kernel importing this checkout); yields (base URL with token, folder)."""
    import secrets

    folder = tmp_path / "笔记本"
    assert selfeval("notebooks", folder, cwd=tmp_path).returncode == 0
    port, token = _free_port(), secrets.token_hex(16)
    home = tmp_path / "jupyter"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "JUPYTER_CONFIG_DIR": str(home / "config"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"), "IPYTHONDIR": str(home / "ipython")}
    proc = subprocess.Popen([sys.executable, "-m", "jupyterlab", "--no-browser", f"--ServerApp.port={port}",
                             "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", "--ServerApp.ip=127.0.0.1",
                             f"--ServerApp.root_dir={folder}", "--LabApp.news_url=", "--allow-root"],
                            cwd=folder, env=env, stderr=subprocess.PIPE, text=True)
    try:
        log = []
        for line in proc.stderr:  # the server says when it listens (or ends: then the loop ends)
            log.append(line)
            if f"127.0.0.1:{port}/" in line:
                break
        else:
            pytest.fail("JupyterLab did not start:\n" + "".join(log))
        threading.Thread(target=proc.stderr.read, daemon=True).start()  # keep its pipe drained
        yield f"http://127.0.0.1:{port}", token, folder
    finally:
        proc.terminate()
        proc.wait(timeout=60)


#: How long a step in the browser may take on a slow, shared machine (ms); each waits on the page's state.
WAIT = 300_000


@pytest.mark.integration
def test_the_copy_runs_in_jupyterlab_and_saving_it_keeps_reports_up_to_date(lab) -> None:
    from playwright.sync_api import expect, sync_playwright

    from selfeval_lib.batch.fingerprint import notebook_fingerprint

    base, token, folder = lab
    notebook = folder / "selfeval_report.ipynb"
    batch = ["batch", SEED, "--notebook", notebook, "--out", folder.parent / "out", "--formats", "ipynb", "--quiet"]
    first = selfeval(*batch, cwd=folder.parent)
    assert first.returncode == 0 and "生成 1 个，" in first.stderr, first.stderr
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(WAIT)  # a slow machine: every wait below is on the page's state, bounded by WAIT
            page.goto(f"{base}/lab/tree/selfeval_report.ipynb?token={token}")
            panel = page.locator(".jp-NotebookPanel:visible")
            code_cells = sum(c.cell_type == "code" for c in nbformat.read(notebook, as_version=4).cells)
            expect(panel.locator(".jp-CodeCell")).to_have_count(code_cells, timeout=WAIT)  # the notebook is loaded …
            expect(page.locator(".jp-StatusBar-TextItem", has_text="| Idle")).to_be_visible(timeout=WAIT)  # … its kernel ready
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
            prompts = panel.locator(".jp-CodeCell .jp-InputArea-prompt")
            page.wait_for_function(  # every code cell has run: its prompt holds a number, none a *
                """() => { const p = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')];
                           return p.length > 0 && p.every(e => /\\[\\d+\\]/.test(e.textContent)); }""")
            assert prompts.count() > 0
            expect(panel.locator(".jp-OutputArea-output table").first).to_be_visible(timeout=WAIT)
            assert panel.locator(".jp-OutputArea-output img").count() >= 1  # the charts
            page.keyboard.press("Control+s")
            expect(page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty")).to_have_count(0, timeout=WAIT)
        finally:
            browser.close()
    saved = nbformat.read(notebook, as_version=4)
    outputs = [o for c in saved.cells if c.cell_type == "code" for o in c.outputs]
    assert outputs and not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)
    bundled = data_dir() / "notebooks" / "selfeval_report.ipynb"
    assert notebook.read_bytes() != bundled.read_bytes()  # run and saved …
    assert notebook_fingerprint(notebook) == notebook_fingerprint(bundled)  # … yet every report stays up to date
    again = selfeval(*batch, cwd=folder.parent)
    assert again.returncode == 0 and "跳过 1 个未变化的项目" in again.stderr, again.stderr
