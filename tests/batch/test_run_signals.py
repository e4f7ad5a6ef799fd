"""A batch stopped by a signal (real processes, real kernels; ipynb+html only, to stay fast).

Nothing here depends on the machine's speed: the test decides when the signal arrives relative
to the work. The report notebook is a copy with a gate in its first cell — a project whose
``hold-<name>`` file exists waits there until the file is removed, after writing
``started-<name>`` — so the test holds every project but one, waits until that one is recorded
and both workers are inside held projects, and only then signals. Exactly one project has
finished, whatever the load; the bounded waits only guard against a hang.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from selfeval_lib.batch.state import STATE_FILE, load_state
from selfeval_lib.resources import REPORT_NOTEBOOK

from batch_outputs import alive, index_rows, temporaries
from conftest import ROOT, wait_until

pytestmark = pytest.mark.integration

YEAR = 2023
FORMATS = "ipynb,html"
FILES = ("report.ipynb", "report.html", "metrics.json")

GATE = '''
import os as _os, pathlib as _pl, time as _time
_gate, _name = _pl.Path({dir!r}), _pl.Path(params_path).stem
_worker = _os.getppid() if hasattr(get_ipython(), "kernel") else _os.getpid()  # a kernel's parent is its worker
(_gate / f"started-{{_name}}").write_text(str(_worker), encoding="utf-8")
while (_gate / f"hold-{{_name}}").exists():  # held by the test until it has sent its signal
    _time.sleep(0.05)
'''


def selfeval_cmd(*args: object) -> list[str]:
    return [sys.executable, "-m", "selfeval_lib.cli", *map(str, args)]


def selfeval(*args: object, timeout: float = 300, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(selfeval_cmd(*args), cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env)


@pytest.fixture(scope="module")
def gate_notebook(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("gate")
    nb = nbformat.read(str(REPORT_NOTEBOOK), as_version=4)
    first = next(i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
                 and "parameters" not in cell.metadata.get("tags", []))
    nb.cells[first].source += "\n" + GATE.format(dir=str(folder))
    path = folder / "gated_report.ipynb"
    nbformat.write(nb, str(path))
    return path


@pytest.fixture(scope="module")
def six(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("params")
    proc = selfeval("sample", "--projects", 6, "--year", YEAR, "--out", folder, "--seed", 3)
    assert proc.returncode == 0, proc.stderr
    return sorted((folder / str(YEAR)).glob("*.yaml"))


def start_held_batch(tmp_path: Path, six: list[Path], gate: Path):
    """Start a 2-worker batch of six projects with all but the first held; return once the first
    is recorded and both workers are inside held projects (the process, out, the held names)."""
    gate_dir = gate.parent
    for old in [*gate_dir.glob("started-*"), *gate_dir.glob("hold-*")]:
        old.unlink()
    held = [p.stem for p in six[1:]]
    for name in held:
        (gate_dir / f"hold-{name}").write_text("")
    out, private_tmp = tmp_path / "out", tmp_path / "tmp"
    private_tmp.mkdir()
    proc = subprocess.Popen(selfeval_cmd("batch", six[0].parent, "--out", out, "--formats", FORMATS, "--jobs", 2,
                                         "--quiet", "--notebook", gate),
                            cwd=ROOT, env={**os.environ, "TMPDIR": str(private_tmp)}, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    wait_until(lambda: (out / STATE_FILE).is_file() and len(load_state(out)) == 1, "first outcome", proc)
    wait_until(lambda: len([n for n in held if (gate_dir / f"started-{n}").is_file()]) == 2,
               "two held projects running", proc)
    return proc, out, held


def release(gate: Path) -> None:
    for hold in gate.parent.glob("hold-*"):
        hold.unlink()


@pytest.mark.parametrize("signum, to_group, code", [
    (signal.SIGINT, True, 130),    # Ctrl-C: the terminal signals the whole process group
    (signal.SIGTERM, True, 143),   # a scheduler or CI runner stopping the job
    (signal.SIGTERM, False, 143),  # kill PID: the batch alone
    (signal.SIGHUP, True, 129),    # the terminal closed
])
def test_a_signal_stops_the_batch_records_what_finished_and_writes_the_index(tmp_path, six, gate_notebook,
                                                                              signum, to_group, code):
    proc, out, held = start_held_batch(tmp_path, six, gate_notebook)
    try:
        workers = [int((gate_notebook.parent / f"started-{n}").read_text()) for n in held
                   if (gate_notebook.parent / f"started-{n}").is_file()]
        (os.killpg if to_group else os.kill)(proc.pid, signum)
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        release(gate_notebook)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == code, stdout + stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr and "内部错误" not in stderr, stderr
    assert "已中断" in stderr and "完成 1 个，未完成 5 个" in stderr, stderr
    first = six[0].stem
    assert [line.split()[1] for line in stdout.splitlines() if line.startswith("成功 ")] == [f"{YEAR}/{first}"]
    state = load_state(out)
    assert [e["project_id"] for e in state.values()] == [first] and state[str(six[0].resolve())]["status"] == "ok"
    assert set(index_rows(out, YEAR)) == {first} and index_rows(out, YEAR)[first]["状态"] == "成功"
    assert all((out / str(YEAR) / first / name).is_file() for name in FILES)
    assert not any((out / str(YEAR) / name).exists() for name in held), "a stopped project left a folder"
    assert temporaries(out) == [] and not list((tmp_path / "tmp").glob(".selfeval-*")), "temporary files left"
    assert not [pid for pid in workers if alive(pid)], "a worker outlived the batch"
    resumed = selfeval("batch", six[0].parent, "--out", out, "--formats", FORMATS, "--jobs", 2, "--quiet",
                       "--notebook", gate_notebook)
    assert resumed.returncode == 0 and "跳过 1 个未变化的项目" in resumed.stderr, resumed.stderr
    assert set(index_rows(out, YEAR)) == {p.stem for p in six}


def test_workers_end_with_a_killed_batch_and_the_next_run_recovers(tmp_path, six, gate_notebook):
    proc, out, held = start_held_batch(tmp_path, six, gate_notebook)
    workers = [int((gate_notebook.parent / f"started-{n}").read_text()) for n in held
               if (gate_notebook.parent / f"started-{n}").is_file()]
    try:
        os.kill(proc.pid, signal.SIGKILL)  # the batch alone, with no chance to clean up
        proc.communicate(timeout=60)
        wait_until(lambda: not [pid for pid in workers if alive(pid)], "end of the orphaned workers", seconds=60)
    finally:
        release(gate_notebook)
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert not any((out / str(YEAR) / name / "report.html").exists() for name in held)
    resumed = selfeval("batch", six[0].parent, "--out", out, "--formats", FORMATS, "--jobs", 2, "--quiet",
                       "--notebook", gate_notebook)
    assert resumed.returncode == 0 and "跳过 1 个未变化的项目" in resumed.stderr, resumed.stderr
    assert set(index_rows(out, YEAR)) == {p.stem for p in six}
    assert temporaries(out) == []


def test_workers_that_die_at_start_up_end_the_batch_with_a_message(tmp_path, six):
    """A worker process that exits before it is ready (here: a sitecustomize that ends every
    spawned ``python -c`` at start-up) is replaced at most three times, then the batch ends."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text("import os, sys\nif sys.argv[:1] == ['-c']:\n    os._exit(3)\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT), os.environ.get("PYTHONPATH", "")])}
    proc = selfeval("batch", six[0].parent, "--out", tmp_path / "out", "--formats", FORMATS, "--jobs", 2, "--quiet",
                    env=env, timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and "内部错误" not in proc.stderr
    assert "工作进程无法启动：启动时退出（退出码 3）" in proc.stderr, proc.stderr
    assert "失败 6 个" in proc.stderr
