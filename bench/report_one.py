"""Benchmark: one report (ipynb + HTML + PDF) of the seed sample, with each PDF engine.

Usage: python bench/report_one.py [--repeat 5] [--engines weasyprint,browser] [--no-kernel]

Reports, in one run, for each PDF engine (``--pdf-engine``) side by side: the median wall time
of a cold `selfeval run` from the command line (a new Python each time, as a user runs it; the
notebook executes in that process) and the CPU time it takes (user + system of the command and
of everything it started: the browser and Playwright's driver too), then the ratio of the
engines' medians. Unless ``--no-kernel``, the same with ``--kernel python3`` (the notebook on a
Jupyter kernel of its own, as before the in-process run) for the first engine. Then, in this
process (imports done, the browser kept open), the split of a warm run: validation, execution,
HTML export and the PDF.

The CPU time bounds the wall time from below: on C cores a run cannot end before CPU / C. The
load averages before and after are printed: on a shared machine the wall times say little
without them.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "params" / "2023" / "dongqu-yjglj-ydhs.yaml"


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def cold_runs(selfeval: Path, out: str, extra: list[str], repeat: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds (command and all its descendants) of ``repeat`` cold runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run([str(selfeval), "run", str(SEED), "--out", out, *extra], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)  # once all of them have ended
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--engines", default="weasyprint,browser")
    parser.add_argument("--no-kernel", action="store_true", help="skip the --kernel python3 row")
    args = parser.parse_args()
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    selfeval = Path(sys.executable).with_name("selfeval")
    cores = len(os.sched_getaffinity(0))
    print(f"{load()} ({cores} cores); cold `selfeval run` (ipynb+html+pdf), {args.repeat} runs each")

    rows: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        variants = [(engine, ["--pdf-engine", engine]) for engine in engines]
        if not args.no_kernel:
            variants.append((f"{engines[0]}, --kernel python3", ["--pdf-engine", engines[0], "--kernel", "python3"]))
        for label, extra in variants:
            walls, cpus = cold_runs(selfeval, tmp, extra, args.repeat)
            rows[label] = statistics.median(walls)
            print(f"  {label:32} median {rows[label]:.2f} s (min {min(walls):.2f}, max {max(walls):.2f}); "
                  f"CPU median {statistics.median(cpus):.2f} s, floor on {cores} cores "
                  f"{statistics.median(cpus) / cores:.2f} s")
        for a in engines[1:]:
            print(f"  ratio {engines[0]} / {a}: {rows[engines[0]] / rows[a]:.2f}x")
        if not args.no_kernel:
            label = f"{engines[0]}, --kernel python3"
            print(f"  ratio kernel / in-process ({engines[0]}): {rows[label] / rows[engines[0]]:.2f}x")
        print(load())

        from selfeval_lib.render.pdf_browser import close_shared
        from selfeval_lib.runner.options import RunOptions
        from selfeval_lib.runner.run import run_report
        from selfeval_lib.runner.startup import skip_slow_optional_imports

        skip_slow_optional_imports()
        print("in-process split of a warm run (median; imports done, browser open):")
        for engine in engines:
            options = RunOptions(pdf_engine=engine)
            run_report(SEED, tmp, options)  # the first run imports and starts
            warm = [run_report(SEED, tmp, options).timings for _ in range(args.repeat)]
            split = ", ".join(f"{key} {statistics.median(r.get(key, 0.0) for r in warm):.2f}"
                              for key in ("validate", "execute", "html", "pdf", "ipynb", "total"))
            print(f"  {engine:12} {split} s")
        close_shared()


if __name__ == "__main__":
    main()
