"""Many project-years at once: plan (skip what is up to date, validate the rest once) → run in
parallel (a local pool of warm kernels, or Dask) → record each outcome → refresh the index.

- **Incremental.** ``<out>/.selfeval-state.json`` (:mod:`.state`) records, per params file, the
  hashes of its params, its rule set, the notebook and the library (:mod:`.fingerprint`), the
  formats written and the outcome. A report whose hashes all match its last good run, and whose
  files exist, is skipped without even parsing its params (:mod:`.plan`).
- **One product, one skeleton.** A batch makes one product (the self-evaluation by default, the
  monitoring at a month, :mod:`selfeval_lib.runner.products`): the plan validates each params
  file once with the product's checks; its task carries the validated project and the product to
  the worker, which computes it once and hands the result to the notebook
  (:func:`~selfeval_lib.runner.run.run_product`).
- **Failure isolation.** A cell error, a timeout or a worker that dies fails that project only
  (:mod:`.executors`).
- **Index.** The product's index of the year lists every recorded run of it (:mod:`.index`):
  ``<out>/<year>/index.html``, ``portfolio.csv`` and ``portfolio.xlsx`` for the self-evaluation.
- **Monitoring.** With ``product=monitoring(N)`` the batch runs the monitoring reports of month N
  (the same plan, state, executors; the month is part of the fingerprint and of the state's key)
  and writes the year's monitoring index ``monitoring-NN.html`` / ``.xlsx``.
- **Shared output trees.** Each outcome is merged into the state on disk under its lock, and the
  index is written under that lock from the merged state, so two batches (or a batch and
  ``selfeval run``) on one ``--out`` keep every project.
- **Interruption.** On Ctrl-C, SIGTERM or SIGHUP (:mod:`selfeval_lib.runner.stops`) the workers
  are stopped, what finished stays recorded, the index is written, and the result says
  ``interrupted`` and by which signal (the command exits with 128 + its number). A further signal
  during that clean-up is ignored. A run killed outright (SIGKILL) takes its workers with it; the
  next run removes its temporary files and runs what it did not record.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from selfeval_lib.batch.executors import run_parallel
from selfeval_lib.batch.task import Outcome
from selfeval_lib.batch.index import write_index
from selfeval_lib.batch.plan import Plan, make_plan
from selfeval_lib.batch.state import load_folders, load_state, record_outcome, state_lock
from selfeval_lib.files.atomic import ensure_folder
from selfeval_lib.runner.options import RunOptions
from selfeval_lib.runner.product import Product
from selfeval_lib.runner.products import SELF_EVALUATION
from selfeval_lib.runner.stops import ignore_stops, restore, signal_of, stop_on_signals


@dataclass
class BatchResult:
    plan: Plan
    outcomes: list[Outcome]
    index_files: list[Path]
    interrupted: bool = False
    signal: int | None = None  # the signal that interrupted the batch (SIGINT for Ctrl-C)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status != "ok"]

    @property
    def ok(self) -> bool:
        return not self.plan.invalid and not self.failed


def run_batch(paths: list[str | Path], out_root: Path, options: RunOptions = RunOptions(), *, jobs: int,
              product: Product = SELF_EVALUATION, force: bool = False, year: int | None = None,
              on_plan: Callable[[Plan], None] | None = None,
              on_outcome: Callable[[Outcome], None] | None = None, scheduler: str | None = None,
              on_connect: Callable[[str | None], None] | None = None) -> BatchResult:
    """Plan, run what of ``product`` is not up to date, record outcomes, and refresh the index of
    touched years.

    ``scheduler`` (``tcp://HOST:PORT`` or ``local``) runs the tasks on Dask instead of the local
    worker pool; the plan, the state and the index are the same."""
    with stop_on_signals():  # SIGTERM and SIGHUP end the batch as Ctrl-C does
        if scheduler:
            from selfeval_lib.batch.dask import check_scheduler

            check_scheduler(scheduler)  # a bad or silent address fails in seconds, before any work
        out_root = ensure_folder(Path(out_root))
        state = load_state(out_root)
        plan = make_plan(paths, out_root, options, product=product, force=force, year=year, state=state)
        if on_plan:
            on_plan(plan)
        outcomes: list[Outcome] = []
        if scheduler:
            from selfeval_lib.batch.dask import run_dask

            runner = run_dask(plan.to_run, scheduler, jobs, on_connect)
        else:
            runner = run_parallel(plan.to_run, jobs)
        stopped_by, previous_handlers = None, {}
        try:
            for outcome in runner:
                record_outcome(out_root, outcome)
                outcomes.append(outcome)
                if on_outcome:
                    on_outcome(outcome)
        except KeyboardInterrupt as exc:
            stopped_by = signal_of(exc)
            previous_handlers = ignore_stops()  # a second signal must not break the clean-up below
        finally:
            runner.close()  # stops the workers still busy (see run_parallel), whatever ended the loop
        try:
            index_files = _write_indexes(out_root, {t.year for t in plan.to_run}, plan.up_to_date, product)
        finally:
            restore(previous_handlers)
    return BatchResult(plan, outcomes, index_files, stopped_by is not None, stopped_by)


def _write_indexes(out_root: Path, years: set[int], up_to_date: list[str], product: Product) -> list[Path]:
    """Under the state's lock, from the state on disk (other processes' outcomes included),
    write ``product``'s index of ``years`` and of the up-to-date projects' years that have none."""
    page = product.index.page(**product.parameters)
    with state_lock(out_root):
        state, folders = load_state(out_root), load_folders(out_root)
        skipped = {state[k]["year"] for k in up_to_date if k in state}
        years |= {y for y in skipped if not (out_root / str(y) / page).is_file()}
        return [p for y in sorted(years) for p in write_index(out_root, y, product, state, folders)]
