"""Benchmark: monitor N synthetic project-years at a cut-off month in the core, on one core.

Usage: python bench/monitor_many.py [--projects 10000] [--payments 50] [--month 7] [--budget 5]

Each synthetic project (:func:`selfeval_lib.inputs.synthetic.synthetic_params`) gets progress
values for months 3, 6 and N (a share of its target, so that every light occurs) and a funds
note for month N. Only :func:`selfeval_lib.core.monitoring.monitor` is timed, in CPU time of this
process (the wall clock is printed too, longer when other work shares the core); the models are
validated once beforehand, as in real use. The monitoring runs ``--repeat`` times, each with the
value parser's cache emptied, and the median run is the figure: on a shared virtual machine one
run varies by a third. Exits 1 when the median takes longer than ``--budget`` seconds.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import time
from collections import Counter

from selfeval_lib.core.model import ProjectYear
from selfeval_lib.core.monitoring import monitor
from selfeval_lib.core.quantity import Quantity, TimePoint, parse_value
from selfeval_lib.inputs.params import DEFAULT_RULES_DIR, load_rule_set
from selfeval_lib.inputs.synthetic import synthetic_params

_QUALITATIVE = ("达成", "部分达成", "未达成")


def with_progress(data: dict, month: int, rng: random.Random) -> dict:
    """``data`` with progress values (months 3, 6, N) in the target's unit and a funds note."""
    for ind in data["indicators"]:
        target = parse_value(ind["target"])
        entries = []
        for m in sorted({3, 6, month} & set(range(1, month + 1))):
            if isinstance(target, Quantity):
                share = rng.uniform(0.2, 1.4) * (1 if target.dimension == "percent" else m / 12)
                value = f"{round(target.value * share / _factor(target), 2):g}{target.unit}"
            elif isinstance(target, TimePoint):
                continue
            else:
                value = rng.choice(_QUALITATIVE)
            entries.append({"month": m, "value": value})
        if entries and rng.random() < 0.5:
            entries[-1].update(category="其他", reason="进度偏慢", measure="加快实施")
        ind["progress"] = entries
    data["funds"]["monitoring"] = [{"month": month, "category": "经费保障", "reason": "资金到位较晚",
                                    "measure": "加快支付", "achievable": True}]
    return data


def _factor(target: Quantity) -> float:
    from selfeval_lib.core.quantity import unit_factor

    return unit_factor(target.unit) if target.unit else 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--payments", type=int, default=50)
    parser.add_argument("--month", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="runs, each with the value parser's cache emptied")
    parser.add_argument("--budget", type=float, default=5.0, help="seconds allowed for the monitoring (median run)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {max(os.sched_getaffinity(0))})   # one core

    rules = load_rule_set(DEFAULT_RULES_DIR / "national.yaml")
    rng = random.Random(2023)
    raw = [with_progress(d, args.month, rng) for d in synthetic_params(args.projects, payments=args.payments)]
    projects = [ProjectYear.model_validate(d) for d in raw]
    del raw
    gc.collect()
    gc.freeze()
    cpu, wall = [], []
    for _ in range(args.repeat):
        parse_value.cache_clear()  # every run reads each value afresh, as the first one does
        t0, c0 = time.perf_counter(), time.process_time()
        results = [monitor(p, rules, args.month) for p in projects]
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        lights = Counter(light for r in results for light in r.all_lights())
        found = sum(len(r.findings) for r in results)
        del results

    median = statistics.median(cpu)
    print(f"projects: {len(projects)}, payments each: {args.payments}, month: {args.month}")
    print(f"lights: {dict(sorted(lights.items()))}; findings: {found}")
    print(f"monitor(), {args.repeat} runs: CPU {', '.join(f'{c:.2f}' for c in cpu)} s; median {median:.2f} s "
          f"({median / len(projects) * 1e6:.0f} µs per project; budget {args.budget:g} s), min {min(cpu):.2f} s; "
          f"wall clock median {statistics.median(wall):.2f} s (longer when the core is shared)")
    return 0 if median <= args.budget else 1


if __name__ == "__main__":
    sys.exit(main())
