"""Benchmark: a batch worker's start-up and a batch report's steps, with each PDF engine.

Usage: python bench/batch_startup.py [--projects 8] [--jobs 2] [--engines weasyprint,browser]
                                     [--workers in-process,kernel]

For each engine and each kind of worker (executing the notebooks in its own process, the
default: on Linux forked from a fork server that has imported and set up what a report needs;
or on a warm Jupyter kernel, ``--kernel python3``, as spawned workers do where there is no fork
server), one `selfeval batch` (ipynb, HTML, PDF) of the same generated projects, run through the library so that each outcome's timings can
be read: per worker, the seconds from its start to ready (the renderers warmed: the browser
launched, or WeasyPrint and its fonts loaded, the HTML exporter's templates compiled; and the
report's modules imported, in the fork server before the worker starts, or in the worker and
its kernel, which boots meanwhile; the fork server's own start is in the batch's wall time), and per
report the median of each step (execute, HTML export, PDF: the time the PDF kept the worker busy
or waiting), the first report of each worker apart. The wall time of each batch, the ratio of
the kinds of worker and the load averages are printed too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=8)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--engines", default="weasyprint,browser")
    parser.add_argument("--workers", default="in-process,kernel")
    args = parser.parse_args()
    kinds = {"in-process": None, "kernel": "python3"}

    from selfeval_lib.batch.run import run_batch
    from selfeval_lib.runner.options import RunOptions
    from selfeval_lib.runner.startup import skip_slow_optional_imports

    skip_slow_optional_imports()
    print(f"{load()}; {args.projects} generated projects, ipynb+html+pdf, {args.jobs} workers")
    with tempfile.TemporaryDirectory() as tmp:
        params = Path(tmp) / "params"
        subprocess.run([sys.executable, "-m", "selfeval_lib.cli", "sample", "--projects", str(args.projects), "--out",
                        str(params)], check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        for engine in (e.strip() for e in args.engines.split(",") if e.strip()):
            walls: dict[str, float] = {}
            for kind in (w.strip() for w in args.workers.split(",") if w.strip()):
                outcomes = []
                started = time.perf_counter()
                run_batch([params], Path(tmp) / f"out-{engine}-{kind}",
                          RunOptions(pdf_engine=engine, kernel_name=kinds[kind]), jobs=args.jobs,
                          on_outcome=outcomes.append)
                wall = walls[kind] = time.perf_counter() - started
                assert all(o.status == "ok" for o in outcomes), [o.error for o in outcomes]
                firsts = [o.timings for o in outcomes if "worker_ready" in o.timings]
                later = [o.timings for o in outcomes if "worker_ready" not in o.timings]
                print(f"--pdf-engine {engine}, {kind} workers: batch {wall:.1f} s ({wall / len(outcomes):.2f} s "
                      f"per report); {load()}")
                for n, t in enumerate(firsts, 1):
                    print(f"  worker {n}: ready after {t['worker_ready']:.2f} s (renderers' warm-up: PDF "
                          f"{t.get('worker_pdf', 0):.2f} s, HTML {t.get('worker_html', 0):.2f} s)")
                for label, rows in (("first report of a worker", firsts), ("later reports", later)):
                    if rows:
                        split = ", ".join(f"{key} {statistics.median(r.get(key, 0.0) for r in rows):.2f}"
                                          for key in ("validate", "execute", "html", "pdf", "total"))
                        print(f"  {label} (median of {len(rows)}): {split} s")
            if "in-process" in walls and "kernel" in walls:
                print(f"  ratio kernel / in-process workers ({engine}): {walls['kernel'] / walls['in-process']:.2f}x")
    print(load())


if __name__ == "__main__":
    main()
