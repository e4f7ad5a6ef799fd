"""Benchmark: evaluate N synthetic project-years with P payments each on one core.

Usage: python bench/evaluate_many.py [--projects 10000] [--payments 50]

Reports, in one run: building the typed models (pydantic validation, done once per file in
real use), evaluate() over all of them, and for comparison the plain alternative of computing
the same fund figures with a pandas DataFrame per project, as a notebook author might.
"""

from __future__ import annotations

import argparse
import gc
import os
import time

import pandas as pd

from selfeval_lib.core.evaluation import evaluate
from selfeval_lib.core.model import ProjectYear
from selfeval_lib.inputs.params import DEFAULT_RULES_DIR, load_rule_set
from selfeval_lib.inputs.synthetic import synthetic_params


def pandas_fund_figures(data: dict) -> dict:
    """到位率/执行率/使用率/月度累计/四季度占比 with pandas, one DataFrame per project."""
    f = data["funds"]
    budget = f["approved"] + sum(a["amount"] for a in f["adjustments"])
    pays = pd.DataFrame(f["payments"])
    pays["month"] = pd.to_datetime(pays["date"]).dt.month
    monthly = pays.groupby("month")["amount"].sum().reindex(range(1, 13), fill_value=0)
    arrived = pd.DataFrame(f["arrivals"])["amount"].sum()
    executed = monthly.sum()
    return {
        "arrival_rate": arrived / budget, "execution_rate": executed / budget,
        "usage_rate": executed / arrived, "cumulative": (monthly.cumsum() / budget).tolist(),
        "q4_share": monthly.loc[10:12].sum() / executed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--payments", type=int, default=50)
    parser.add_argument("--pandas-sample", type=int, default=500,
                        help="projects timed for the pandas comparison (extrapolated per project)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})   # one core

    rules = load_rule_set(DEFAULT_RULES_DIR / "national.yaml")
    raw = synthetic_params(args.projects, payments=args.payments)

    t0 = time.perf_counter()
    projects = [ProjectYear.model_validate(d) for d in raw]
    gc.collect()
    gc.freeze()   # the 10,000 validated models are long-lived: keep the cyclic GC from rescanning them
    t1 = time.perf_counter()
    evaluations = [evaluate(p, rules) for p in projects]
    t2 = time.perf_counter()
    sample = raw[: args.pandas_sample]
    for d in sample:
        pandas_fund_figures(d)
    t3 = time.perf_counter()

    n = len(projects)
    per_eval = (t2 - t1) / n
    per_pandas = (t3 - t2) / len(sample)
    print(f"projects: {n}, payments each: {args.payments}, findings: {sum(len(e.findings) for e in evaluations)}")
    print(f"model validation: {t1 - t0:.2f} s ({(t1 - t0) / n * 1e6:.0f} µs per project)")
    print(f"evaluate():       {t2 - t1:.2f} s ({per_eval * 1e6:.0f} µs per project; funds, scores, checks)")
    print(f"pandas per project, fund figures only: {per_pandas * 1e6:.0f} µs per project "
          f"(≈ {per_pandas * n:.1f} s for {n})")
    print(f"ratio pandas-fund-figures / evaluate(): {per_pandas / per_eval:.1f}x")


if __name__ == "__main__":
    main()
