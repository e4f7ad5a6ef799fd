"""Benchmark: one report as its project grows — payments and indicators 10× at a time.

Usage: python bench/scale.py [--payments 100,1000,10000] [--indicators 20,200,2000]
                             [--formats xlsx,html] [--repeat 1]

For each size, one synthetic project-year is written as a params file and ``selfeval run``'s
path is timed in this process, step by step: reading and validating the params, evaluate(),
and the report itself (run_report with the formats asked for, notebook and kernel included when
a notebook format is asked). Payments grow with the indicators fixed at 7; indicators grow with
the payments fixed at 50. The last column is the time per 1,000 lines of the grown table: when
the work is linear it stays level as the size grows 10× (a quadratic step would grow 10× too).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from selfeval_lib.core.evaluation import evaluate  # noqa: E402
from selfeval_lib.inputs.params import load_project  # noqa: E402
from selfeval_lib.inputs.synthetic import synthetic_project  # noqa: E402
from selfeval_lib.runner.options import RunOptions, parse_formats  # noqa: E402
from selfeval_lib.runner.run import run_report  # noqa: E402


def grown_project(payments: int, indicators: int, seed: int = 7) -> dict:
    """A synthetic project-year with ``payments`` ledger lines and ``indicators`` 三级指标 (the
    synthetic indicators repeated under new names, their weights shared out so the total stays
    the rule set's)."""
    data = synthetic_project(random.Random(seed), 1, 2023, payments=payments)
    base = data["indicators"]
    total_by_level1: dict[str, float] = {}
    for ind in base:
        total_by_level1[ind["level1"]] = total_by_level1.get(ind["level1"], 0) + ind["weight"]
    grown = [dict(base[k % len(base)]) for k in range(indicators)]
    for k, ind in enumerate(grown):
        ind["name"] = f"{ind['name']}（{k + 1}）" if k >= len(base) else ind["name"]
        ind.pop("score", None), ind.pop("assessment", None)
    per_level1 = {lv: [i for i in grown if i["level1"] == lv] for lv in total_by_level1}
    for lv, rows in per_level1.items():  # each 一级指标 keeps its share; cents so that the sum is exact
        cents = round(total_by_level1[lv] * 100)
        share, extra = divmod(cents, len(rows))
        for k, ind in enumerate(rows):
            ind["weight"] = (share + (1 if k < extra else 0)) / 100
    data["indicators"] = grown
    return data


def time_one(folder: Path, payments: int, indicators: int, options: RunOptions) -> dict[str, float]:
    params = folder / f"p{payments}-i{indicators}.yaml"
    params.write_text(yaml.safe_dump(grown_project(payments, indicators), allow_unicode=True, sort_keys=False),
                      encoding="utf-8")
    t0 = time.perf_counter()
    loaded = load_project(params)
    t1 = time.perf_counter()
    evaluate(loaded.project_year, loaded.rules)
    t2 = time.perf_counter()
    run_report(params, folder / "out", options, loaded=loaded)
    t3 = time.perf_counter()
    return {"load": t1 - t0, "evaluate": t2 - t1, "report": t3 - t2, "total": t3 - t0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", default="100,1000,10000")
    parser.add_argument("--indicators", default="20,200,2000")
    parser.add_argument("--formats", default="xlsx,html")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (the fastest is shown)")
    args = parser.parse_args()
    options = RunOptions(formats=parse_formats(args.formats))
    sizes = ([("payments", int(n), 7) for n in args.payments.split(",")]
             + [("indicators", 50, int(n)) for n in args.indicators.split(",")])
    print(f"formats {','.join(options.formats)}; seconds (fastest of {args.repeat})")
    print(f"{'grown':<11}{'payments':>9}{'indicators':>11}{'load':>8}{'evaluate':>9}{'report':>8}{'total':>8}"
          f"{'s/1000 lines':>14}")
    with tempfile.TemporaryDirectory() as tmp:
        time_one(Path(tmp), 10, 7, options)  # warm-up: imports, fonts and templates are not the table's cost
        for grown, payments, indicators in sizes:
            runs = [time_one(Path(tmp), payments, indicators, options) for _ in range(args.repeat)]
            best = min(runs, key=lambda r: r["total"])
            lines = payments if grown == "payments" else indicators
            print(f"{grown:<11}{payments:>9}{indicators:>11}{best['load']:>8.2f}{best['evaluate']:>9.3f}"
                  f"{best['report']:>8.2f}{best['total']:>8.2f}{best['total'] / lines * 1000:>14.3f}")


if __name__ == "__main__":
    main()
