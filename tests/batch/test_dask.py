"""`selfeval batch --scheduler`: the same plan on a real Dask cluster (scheduler and two workers
started here on 127.0.0.1), the same reports as the local pool, and no loss when a worker dies."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, wait_until

pytestmark = pytest.mark.integration

DASK = Path(sys.executable).with_name("dask")
PROJECTS = 5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def selfeval(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "selfeval_lib.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout)


@pytest.fixture(scope="module")
def projects(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("dask-params")
    assert selfeval("sample", "--projects", str(PROJECTS), "--out", str(folder), "--seed", "11").returncode == 0
    return folder


@pytest.fixture
def cluster():
    """A real `dask scheduler` and two `dask worker` processes on 127.0.0.1."""
    assert DASK.exists(), "dask CLI missing: pip install 'selfeval[dask]'"
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    scheduler = subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                  "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 start_new_session=True, env=env)
    workers = [subprocess.Popen([str(DASK), "worker", address, "--nthreads", "1", "--nworkers", "1",
                                 "--no-dashboard", "--host", "127.0.0.1", "--no-nanny"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                                env=env, cwd=ROOT)
               for _ in range(2)]
    from distributed import Client

    deadline = time.monotonic() + 240  # a guard against a cluster that never comes up, not a measure of speed
    while True:
        try:
            with Client(address, timeout=5) as client:
                client.wait_for_workers(2, timeout=max(1, deadline - time.monotonic()))
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    yield address, workers
    for process in workers + [scheduler]:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    for process in workers + [scheduler]:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def report_files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file() and p.name in ("report.html", "metrics.json")}


def leftovers(out: Path) -> list[str]:
    return [str(p) for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_cluster_gives_the_same_reports_and_index_as_the_local_pool(projects, cluster, tmp_path):
    address, _ = cluster
    local = selfeval("batch", str(projects), "--out", str(tmp_path / "local"), "--formats", "html", "--quiet")
    assert local.returncode == 0, local.stderr
    remote = selfeval("batch", str(projects), "--out", str(tmp_path / "dask"), "--formats", "html", "--quiet",
                      "--scheduler", address)
    assert remote.returncode == 0, remote.stderr
    assert f"Dask 集群：{address}" in remote.stderr
    local_files, dask_files = report_files(tmp_path / "local"), report_files(tmp_path / "dask")
    assert len(local_files) == 2 * PROJECTS
    assert local_files == dask_files
    year = next(p.name for p in (tmp_path / "local").iterdir() if p.is_dir())
    for name in ("index.html", "portfolio.csv"):
        assert (tmp_path / "local" / year / name).read_bytes() == (tmp_path / "dask" / year / name).read_bytes()
    again = selfeval("batch", str(projects), "--out", str(tmp_path / "dask"), "--formats", "html", "--quiet",
                     "--scheduler", address)
    assert again.returncode == 0 and f"跳过 {PROJECTS} 个" in again.stderr


def test_a_killed_worker_loses_no_report(projects, cluster, tmp_path):
    address, workers = cluster
    out = tmp_path / "out"
    batch = subprocess.Popen([sys.executable, "-m", "selfeval_lib.cli", "batch", str(projects), "--out", str(out),
                              "--formats", "html", "--quiet", "--scheduler", address],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    wait_until(lambda: list(out.rglob("report.html")), "a report", batch)
    os.killpg(workers[0].pid, signal.SIGKILL)
    stdout, stderr = batch.communicate(timeout=300)
    assert batch.returncode == 0, stderr
    assert stdout.count("成功 ") == PROJECTS
    assert len(list(out.rglob("report.html"))) == PROJECTS
    for html in out.rglob("report.html"):
        assert html.read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert leftovers(out) == []


def test_monitoring_batch_on_the_cluster_matches_the_local_pool(projects, cluster, tmp_path):
    """``batch --monitor 6`` on Dask: the same monitoring reports and index as the local pool; re-run skips."""
    address, _ = cluster
    args = [str(projects), "--monitor", "6", "--formats", "html", "--quiet"]
    local = selfeval("batch", *args, "--out", str(tmp_path / "local"))
    assert local.returncode == 0, local.stderr
    remote = selfeval("batch", *args, "--out", str(tmp_path / "dask"), "--scheduler", address)
    assert remote.returncode == 0, remote.stderr

    def files(out: Path) -> dict[str, bytes]:
        return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
                if p.is_file() and (p.name in ("monitoring.html", "metrics.json") or p.name.startswith("monitoring-06"))}

    local_files, dask_files = files(tmp_path / "local"), files(tmp_path / "dask")
    assert len(local_files) == 2 * PROJECTS + 2  # each project's report and metrics, the index's HTML and xlsx
    assert local_files == dask_files
    again = selfeval("batch", *args, "--out", str(tmp_path / "dask"), "--scheduler", address)
    assert again.returncode == 0 and f"跳过 {PROJECTS} 个" in again.stderr
