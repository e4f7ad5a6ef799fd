"""Benchmark: one report (ipynb + HTML + PDF) of the seed sample.

Usage: python bench/report_one.py [--repeat 5]

Reports, in one run: the median wall time of `selfeval run` from the command line (a new Python
and a new kernel each time, as a user runs it) and the CPU time it takes (user + system, of the
command and the kernel it starts), and, in-process, the split between kernel start with the
report's imports, notebook execution, HTML export and PDF rendering.

The CPU time bounds the wall time from below: on C cores a run cannot end before CPU / C, and
the PDF, rendered once the notebook is executed, runs on one core while the other has nothing
left to do.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    selfeval = Path(sys.executable).with_name("selfeval")

    with tempfile.TemporaryDirectory() as tmp:
        walls, cpus = [], []
        for _ in range(args.repeat):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            subprocess.run([str(selfeval), "run", str(SEED), "--out", tmp], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            walls.append(time.perf_counter() - t)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the command and its kernel, once both have ended
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        cores = len(os.sched_getaffinity(0))
        print(f"selfeval run (CLI, ipynb+html+pdf): median {statistics.median(walls):.2f} s "
              f"over {args.repeat} (min {min(walls):.2f}, max {max(walls):.2f})")
        print(f"  CPU time (command + kernel): median {statistics.median(cpus):.2f} s; on {cores} cores "
              f"no run can take less than {statistics.median(cpus) / cores:.2f} s")

        from selfeval_lib.runner.kernel import WarmKernel
        from selfeval_lib.runner.run import NOTEBOOK, run_report

        fresh = [run_report(SEED, tmp).timings for _ in range(args.repeat)]
        t = time.perf_counter()
        kernel = WarmKernel(cwd=NOTEBOOK.parent)
        kernel.start()
        start = time.perf_counter() - t
        warm = [run_report(SEED, tmp, kernel=kernel).timings for _ in range(args.repeat)]
        kernel.shutdown()

    def median(rows, key):
        return statistics.median(r[key] for r in rows)

    print("in-process split (median):")
    print(f"  validate + evaluate             {median(fresh, 'validate'):.3f} s")
    print(f"  execute, fresh kernel (papermill starts it) {median(fresh, 'execute'):.2f} s")
    print(f"  kernel start + report imports   {start:.2f} s (once per batch worker)")
    print(f"  execute on a warm kernel        {median(warm, 'execute'):.2f} s")
    print(f"  HTML export                     {median(warm, 'html'):.2f} s")
    print(f"  PDF rendering                   {median(warm, 'pdf'):.2f} s")
    print(f"  total, fresh kernel             {median(fresh, 'total'):.2f} s")
    print(f"  total, warm kernel              {median(warm, 'total'):.2f} s "
          f"(ratio fresh/warm {median(fresh, 'total') / median(warm, 'total'):.1f}x)")


if __name__ == "__main__":
    main()
