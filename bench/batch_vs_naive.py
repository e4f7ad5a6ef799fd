"""Benchmark: `selfeval batch` against the plain shell loop, on the same generated projects.

Usage: python bench/batch_vs_naive.py [--projects 20] [--rerun-projects 200] [--skip-naive]
                                     [--engines weasyprint,browser]

In one run:
  (a) the plain loop people write: per project, the `papermill` CLI, then
      `jupyter nbconvert --to html --no-input`, then the `weasyprint` CLI for the PDF;
  (b) `selfeval batch` (ipynb, HTML, PDF; all cores) on the same projects, once with each PDF
      engine (``--pdf-engine``), side by side;
  (c) a no-change re-run of `selfeval batch` on --rerun-projects projects (after one full run
      of them, with the first engine), and the peak memory (RSS of the batch process and all
      its children, browsers included) of the full runs for 20 and for 200 projects.
Prints the times, the ratios and the load averages (the machine may be shared).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from selfeval_lib.resources import REPORT_NOTEBOOK as NOTEBOOK  # noqa: E402  (the notebook selfeval runs)
BIN = Path(sys.executable).parent


def tree_rss_kib(pid: int) -> int:
    """RSS of a process and all its descendants, KiB (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/statm") as handle:
                pages = int(handle.read().split()[1])
        except OSError:
            continue
        child, parent = int(entry), int(fields[1])
        children.setdefault(parent, []).append(child)
        rss[child] = pages * os.sysconf("SC_PAGE_SIZE") // 1024
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack.extend(children.get(current, []))
    return total


def run_measured(cmd: list[str]) -> tuple[float, int, int]:
    """Run a command; wall seconds, exit code and peak tree RSS (KiB, sampled every 0.1 s)."""
    peak = 0
    started = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_kib(process.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = process.wait()
    done.set()
    sampler.join()
    return time.perf_counter() - started, code, peak


def selfeval(*args: str) -> list[str]:
    return [str(BIN / "selfeval"), *args]


def naive_loop(params: list[Path], out: Path) -> float:
    started = time.perf_counter()
    for path in params:
        base = out / path.stem
        subprocess.run([str(BIN / "papermill"), str(NOTEBOOK), f"{base}.ipynb", "-p", "params_path", str(path),
                        "--cwd", str(NOTEBOOK.parent), "--no-progress-bar"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", f"{base}.ipynb"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run([str(BIN / "weasyprint"), f"{base}.html", f"{base}.pdf"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=20)
    parser.add_argument("--rerun-projects", type=int, default=200)
    parser.add_argument("--skip-naive", action="store_true", help="skip (a), the slow plain loop")
    parser.add_argument("--engines", default="weasyprint,browser")
    args = parser.parse_args()
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    print("load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        subprocess.run(selfeval("sample", "--projects", str(args.projects), "--out", str(tmp / "p20")), check=True,
                       stdout=subprocess.DEVNULL)
        params = sorted((tmp / "p20").rglob("*.yaml"))
        print(f"{len(params)} generated projects, formats ipynb+html+pdf, {os.cpu_count()} cores")

        if not args.skip_naive:
            (tmp / "naive").mkdir()
            naive = naive_loop(params, tmp / "naive")
            print(f"(a) plain loop papermill + nbconvert + weasyprint CLIs: {naive:.1f} s "
                  f"({naive / len(params):.2f} s per project)")
        batches: dict[str, float] = {}
        peaks: dict[str, int] = {}
        for engine in engines:
            batch, code, peak20 = run_measured(selfeval("batch", str(tmp / "p20"), "--out", str(tmp / f"b20-{engine}"),
                                                        "--quiet", "--pdf-engine", engine))
            assert code == 0, "selfeval batch failed"
            batches[engine], peaks[engine] = batch, peak20
            print(f"(b) selfeval batch --pdf-engine {engine}: {batch:.1f} s ({batch / len(params):.2f} s per project), "
                  f"peak RSS {peak20 / 1024:.0f} MiB")
            if not args.skip_naive:
                print(f"    ratio plain loop / selfeval batch ({engine}): {naive / batch:.1f}x")
        for engine in engines[1:]:
            print(f"    ratio batch {engines[0]} / {engine}: {batches[engines[0]] / batches[engine]:.2f}x")
        print("load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))

        n = args.rerun_projects
        subprocess.run(selfeval("sample", "--projects", str(n), "--out", str(tmp / "pN"), "--seed", "7"), check=True,
                       stdout=subprocess.DEVNULL)
        first, code, peak_n = run_measured(selfeval("batch", str(tmp / "pN"), "--out", str(tmp / "bN"), "--quiet",
                                                    "--pdf-engine", engines[0]))
        assert code == 0, "selfeval batch failed"
        print(f"(c) {n} projects, first run (ipynb+html+pdf): {first:.1f} s, peak RSS {peak_n / 1024:.0f} MiB "
              f"({peak_n / peaks[engines[0]]:.2f}x the peak for {len(params)})")
        rerun, code, _ = run_measured(selfeval("batch", str(tmp / "pN"), "--out", str(tmp / "bN"), "--quiet",
                                               "--pdf-engine", engines[0]))
        print(f"    no-change re-run of {n} projects: {rerun:.2f} s (exit {code})")


if __name__ == "__main__":
    main()
