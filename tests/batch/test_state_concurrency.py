"""One output tree used by several processes at once, and a batch interrupted (real processes,
real kernels; ipynb+html only, to stay fast):

- two batches started together on one ``--out`` keep every project in the state and the index,
  leave no temporary file, and every report folder complete;
- a report written into the tree by ``selfeval run`` from another params file with the same
  year and id is not taken for the batch's own (the batch re-runs it).

A batch stopped by Ctrl-C, SIGTERM or SIGHUP: ``batch/test_run_signals.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from selfeval_lib.batch.state import load_folders, load_state

from batch_outputs import index_rows, temporaries
from conftest import ROOT

pytestmark = pytest.mark.integration

YEAR = 2023
FORMATS = "ipynb,html"
FILES = ("report.ipynb", "report.html", "metrics.json")


def selfeval_cmd(*args: object) -> list[str]:
    return [sys.executable, "-m", "selfeval_lib.cli", *map(str, args)]


def selfeval(*args: object, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(selfeval_cmd(*args), cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def sample(folder: Path, count: int, seed: int = 11) -> list[Path]:
    proc = selfeval("sample", "--projects", count, "--year", YEAR, "--out", folder, "--seed", seed)
    assert proc.returncode == 0, proc.stderr
    return sorted((folder / str(YEAR)).glob("*.yaml"))


def project_id(path: Path) -> str:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["project"]["id"]


def test_two_batches_on_one_out_keep_everything(tmp_path: Path) -> None:
    params = sample(tmp_path / "params", 10)
    out = tmp_path / "out"
    first, second = params[:6], params[4:]  # two projects in both
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    procs = [subprocess.Popen(selfeval_cmd("batch", *files, "--out", out, "--formats", FORMATS, "--jobs", 1,
                                           "--quiet"), cwd=ROOT, env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for files in (first, second)]
    results = [p.communicate(timeout=400) for p in procs]
    for proc, (stdout, stderr) in zip(procs, results):
        assert proc.returncode == 0, stdout + stderr
        assert "Traceback" not in stderr

    state = load_state(out)
    assert sorted(state) == sorted(str(p.resolve()) for p in params)
    assert {e["status"] for e in state.values()} == {"ok"}
    ids = {project_id(p) for p in params}
    folders = load_folders(out)
    assert set(folders) == {f"{YEAR}/{i}" for i in ids}
    assert {f["params"] for f in folders.values()} == set(state)
    assert set(index_rows(out, YEAR)) == ids and {r["状态"] for r in index_rows(out, YEAR).values()} == {"成功"}
    for i in ids:
        assert all((out / str(YEAR) / i / name).is_file() for name in FILES), i
        assert json.loads((out / str(YEAR) / i / "metrics.json").read_text(encoding="utf-8"))["project"]["id"] == i
    assert temporaries(out) == [] and temporaries(tmp_path / "params") == []
    assert not list(tmp_path.glob(".selfeval-*.pickle")), "temporary evaluation files left behind"
    again = selfeval("batch", out.parent / "params", "--out", out, "--formats", FORMATS, "--jobs", 1, "--quiet")
    assert again.returncode == 0 and "跳过 10 个未变化的项目" in again.stderr, again.stderr


def test_a_report_written_from_another_params_file_is_not_taken_as_up_to_date(tmp_path: Path) -> None:
    (source,) = sample(tmp_path / "gen", 1, seed=5)
    a, b = tmp_path / "a" / "p.yaml", tmp_path / "b" / "p.yaml"  # same year and id, other names
    for path, name in ((a, "甲项目"), (b, "乙项目")):
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        data["project"]["name"] = name
        path.parent.mkdir(parents=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    pid = project_id(a)
    out = tmp_path / "out"
    folder = out / str(YEAR) / pid

    def name_in_folder() -> str:
        return json.loads((folder / "metrics.json").read_text(encoding="utf-8"))["project"]["name"]

    first = selfeval("batch", a, "--out", out, "--formats", FORMATS, "--jobs", 1, "--quiet")
    assert first.returncode == 0 and name_in_folder() == "甲项目", first.stderr
    run = selfeval("run", b, "--out", out, "--formats", FORMATS)
    assert run.returncode == 0 and name_in_folder() == "乙项目", run.stderr
    assert load_folders(out)[f"{YEAR}/{pid}"]["params"] == str(b.resolve())
    assert str(a.resolve()) in load_state(out), "selfeval run must merge into the state, not replace it"

    again = selfeval("batch", a, "--out", out, "--formats", FORMATS, "--jobs", 1, "--quiet")
    assert again.returncode == 0, again.stderr
    assert "未变化" not in again.stderr and f"成功 {YEAR}/{pid}" in again.stdout, again.stdout + again.stderr
    assert name_in_folder() == "甲项目" and index_rows(out, YEAR)[pid]["项目名称"] == "甲项目"
    assert load_folders(out)[f"{YEAR}/{pid}"]["params"] == str(a.resolve())
    third = selfeval("batch", a, "--out", out, "--formats", FORMATS, "--jobs", 1, "--quiet")
    assert "跳过 1 个未变化的项目" in third.stderr, third.stderr
