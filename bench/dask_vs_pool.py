"""Benchmark: `selfeval batch` with the local worker pool against `--scheduler local` (a Dask
LocalCluster with the same number of single-threaded workers), on the same generated projects.

Usage: python bench/dask_vs_pool.py [--projects 20] [--formats html,pdf] [--jobs 1,2]

Prints the wall time of each and the ratio (the overhead of Dask), and the throughput
(projects per minute) for each worker count, as a measured point on how it scales.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SELFEVAL = [sys.executable, "-m", "selfeval_lib.cli"]


def timed(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(SELFEVAL + args, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=20)
    parser.add_argument("--formats", default="html,pdf")
    parser.add_argument("--jobs", default="1,2", help="worker counts to measure, comma-separated")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        subprocess.run(SELFEVAL + ["sample", "--projects", str(args.projects), "--out", str(tmp / "p")], check=True,
                       stdout=subprocess.DEVNULL)
        print(f"{args.projects} projects, formats {args.formats}")
        for jobs in [int(j) for j in args.jobs.split(",")]:
            common = [str(tmp / "p"), "--formats", args.formats, "--jobs", str(jobs), "--quiet", "--force"]
            pool = timed(["batch", *common, "--out", str(tmp / f"pool{jobs}")])
            dask = timed(["batch", *common, "--out", str(tmp / f"dask{jobs}"), "--scheduler", "local"])
            print(f"  {jobs} worker(s): pool {pool:.1f} s ({args.projects / pool * 60:.0f}/min), "
                  f"Dask LocalCluster {dask:.1f} s ({args.projects / dask * 60:.0f}/min), "
                  f"ratio Dask/pool {dask / pool:.2f}")


if __name__ == "__main__":
    main()
