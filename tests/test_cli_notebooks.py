"""``selfeval notebooks DIR``: copies of the bundled notebooks that run as they are in any folder
(their defaults open the bundled example), and never overwrite a copy the user edited."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from selfeval_lib.resources import data_dir

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


def test_every_bundled_notebook_is_copied_unchanged(copies: Path) -> None:
    assert sorted(p.name for p in copies.glob("*.ipynb")) == [p.name for p in BUNDLED]
    for source in BUNDLED:
        assert (copies / source.name).read_bytes() == source.read_bytes()


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
