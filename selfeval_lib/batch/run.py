"""Many project-years at once: plan (skip what is up to date, validate the rest once) → run in
parallel (a local pool of warm kernels, or Dask) → record each outcome → refresh the index.

- **Incremental.** ``<out>/.selfeval-state.json`` (:mod:`.state`) records, per params file, the
  hashes of its params, its rule set, the notebook and the library (:mod:`.fingerprint`), the
  formats written and the outcome. A report whose hashes all match its last good run, and whose
  files exist, is skipped without even parsing its params (:mod:`.plan`).
- **One evaluation per report.** The plan validates each params file once; its task carries the
  validated project to the worker, which evaluates it once and hands the evaluation to the
  notebook (``run_report``).
- **Failure isolation.** A cell error, a timeout or a worker that dies fails that project only
  (:mod:`.executors`).
- **Index.** ``<out>/<year>/index.html``, ``portfolio.csv`` and ``portfolio.xlsx`` list every
  recorded project of the year (:mod:`.index`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from selfeval_lib.batch.executors import run_parallel
from selfeval_lib.batch.task import Outcome
from selfeval_lib.batch.index import write_index
from selfeval_lib.batch.plan import Plan, make_plan
from selfeval_lib.batch.state import load_state, record, save_state
from selfeval_lib.runner.options import RunOptions


@dataclass
class BatchResult:
    plan: Plan
    outcomes: list[Outcome]
    index_files: list[Path]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status != "ok"]

    @property
    def ok(self) -> bool:
        return not self.plan.invalid and not self.failed


def run_batch(paths: list[str | Path], out_root: Path, options: RunOptions = RunOptions(), *, jobs: int,
              force: bool = False, year: int | None = None, on_plan: Callable[[Plan], None] | None = None,
              on_outcome: Callable[[Outcome], None] | None = None, scheduler: str | None = None,
              on_connect: Callable[[str | None], None] | None = None) -> BatchResult:
    """Plan, run what is not up to date, record outcomes, and refresh the index of touched years.

    ``scheduler`` (``tcp://HOST:PORT`` or ``local``) runs the tasks on Dask instead of the local
    worker pool; the plan, the state and the index are the same."""
    out_root = Path(out_root)
    state = load_state(out_root)
    plan = make_plan(paths, out_root, options, force=force, year=year, state=state)
    if on_plan:
        on_plan(plan)
    outcomes = []
    if scheduler:
        from selfeval_lib.batch.dask import run_dask

        runner = run_dask(plan.to_run, scheduler, jobs, on_connect)
    else:
        runner = run_parallel(plan.to_run, jobs)
    for outcome in runner:
        record(state, outcome)
        save_state(out_root, state)
        outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)
    years = {t.year for t in plan.to_run}
    years |= {state[k]["year"] for k in plan.up_to_date
              if not (out_root / str(state[k]["year"]) / "index.html").is_file()}
    index_files = [p for y in sorted(years) for p in write_index(out_root, y, state)]
    return BatchResult(plan, outcomes, index_files)
