"""Many project-years at once: discover → validate all → plan (skip what is up to date) → run in
parallel worker processes → index.

- **Incremental.** ``<out>/.selfeval-state.json`` records, per params file, the hashes of its
  params, its rule set, the notebook and the library, the formats written and the outcome. A
  report whose hashes all match its last good run, and whose files exist, is skipped without
  even parsing its params. Failed and changed ones run again.
- **Failure isolation.** Each worker process owns one warm kernel
  (:class:`~selfeval_lib.runner.kernel.WarmKernel`) and takes one project at a time from its
  own queue, so the parent always knows what a worker was doing: a cell error, a timeout or a
  worker that dies fails that project only; a dead worker is replaced. Files are moved into
  place only when complete (``run_report``); temporary files of a dead worker are removed.
- **Index.** ``<out>/<year>/index.html``, ``portfolio.csv`` and ``portfolio.xlsx`` list every
  recorded project of the year; they are rewritten only when their content changes.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import multiprocessing as mp
import multiprocessing.connection as mp_connection
import os
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from selfeval_lib import __version__
from selfeval_lib.files.atomic import write_file
from selfeval_lib.runner.options import FILE_NAMES, expected_files
from selfeval_lib.inputs.params import InputError, Problem, discover, load_project

STATE_FILE = ".selfeval-state.json"
#: What the index links, and how it labels the link.
LINK_LABELS = {"html": "HTML", "pdf": "PDF", "xlsx": "自评表", "docx": "Word"}
STATE_VERSION = 1
PACKAGE_DIR = Path(__file__).resolve().parent.parent


# --- fingerprints -------------------------------------------------------------------------------

def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def library_fingerprint() -> str:
    """Hash of the library's code and templates (with its version): a changed library re-runs all."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".j2", ".css", ".json", ".yaml") and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(PACKAGE_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


# --- state --------------------------------------------------------------------------------------

def load_state(out_root: Path) -> dict[str, dict[str, Any]]:
    """The recorded outcome of every params file run into ``out_root`` (empty when none)."""
    path = out_root / STATE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("projects", {}) if data.get("version") == STATE_VERSION else {}


def save_state(out_root: Path, projects: dict[str, dict[str, Any]]) -> None:
    data = {"version": STATE_VERSION, "projects": projects}
    write_file(out_root / STATE_FILE,
                           json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8"))


# --- plan ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Task:
    """One project-year to run (all plain data: it crosses to a worker process)."""

    key: str
    params: str
    out_root: str
    formats: tuple[str, ...]
    rule_set: str | None
    notebook: str
    timeout: int | None
    year: int
    project_id: str
    name: str
    unit: str
    fingerprint: dict[str, str]

    @property
    def out_dir(self) -> Path:
        return Path(self.out_root) / str(self.year) / self.project_id


@dataclass
class Plan:
    to_run: list[Task] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    invalid: dict[str, list[Problem]] = field(default_factory=dict)


def _is_up_to_date(entry: dict[str, Any] | None, fingerprint: dict[str, str], formats: tuple[str, ...],
                   out_root: Path, rules_hash: Callable[[str], str | None]) -> bool:
    if not entry or entry.get("status") != "ok":
        return False
    recorded = entry.get("fingerprint", {})
    if any(recorded.get(k) != v for k, v in fingerprint.items()):
        return False
    if rules_hash(recorded.get("rules_path", "")) != recorded.get("rules_sha256"):
        return False
    if not set(formats) <= set(entry.get("formats", ())):
        return False
    out_dir = out_root / entry["out_dir"]
    return all((out_dir / name).is_file() for name in expected_files(formats))


def make_plan(paths: list[str | Path], out_root: Path, formats: tuple[str, ...], *, notebook: Path,
              rule_set: str | None = None, force: bool = False, year: int | None = None,
              timeout: int | None = 600, state: dict[str, dict[str, Any]] | None = None) -> Plan:
    """Discover params files, skip the up-to-date ones, validate the rest."""
    state = load_state(out_root) if state is None else state
    shared = {"notebook_sha256": _sha256(notebook), "library": library_fingerprint(),
              "rule_set_override": rule_set or ""}
    rules_cache: dict[str, str | None] = {}

    def rules_hash(path: str) -> str | None:
        if path not in rules_cache:
            rules_cache[path] = _sha256(Path(path)) if path and Path(path).is_file() else None
        return rules_cache[path]

    plan = Plan()
    owners: dict[tuple[int, str], str] = {}  # (year, project id) → the params file that writes there

    def claim(year_: int, project_id: str, key: str) -> str | None:
        """The other params file already writing to this report folder, if any."""
        other = owners.setdefault((year_, project_id), key)
        return other if other != key else None

    for path in discover(paths):
        key = str(path.resolve())
        try:
            params_sha = _sha256(path)
        except OSError:
            params_sha = ""
        fingerprint = {**shared, "params_sha256": params_sha}
        entry = state.get(key)
        if not force and _is_up_to_date(entry, fingerprint, formats, out_root, rules_hash):
            if (year is None or entry.get("year") == year) and not claim(entry["year"], entry["project_id"], key):
                plan.up_to_date.append(key)
                continue
        try:
            loaded = load_project(path, rule_set=rule_set)
        except InputError as exc:
            plan.invalid[str(path)] = exc.problems
            continue
        project = loaded.project_year.project
        if year is not None and project.year != year:
            continue
        other = claim(project.year, project.id, key)
        if other:
            message = f"与 {other} 的年度和项目编号相同（{project.year}/{project.id}），两份报告会写入同一文件夹"
            plan.invalid[str(path)] = [Problem(str(path), "project.id", message)]
            continue
        fingerprint = {**fingerprint, "rules_path": str(loaded.rules_path.resolve()),
                       "rules_sha256": loaded.rules_sha256}
        plan.to_run.append(Task(
            key=key, params=key, out_root=str(out_root.resolve()), formats=formats, rule_set=rule_set,
            notebook=str(notebook), timeout=timeout, year=project.year, project_id=project.id,
            name=project.name, unit=project.unit, fingerprint=fingerprint,
        ))
    return plan


# --- workers ------------------------------------------------------------------------------------

@dataclass
class Outcome:
    """What became of one task."""

    task: Task
    status: str  # "ok" | "failed"
    seconds: float
    error: str = ""
    row: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


def run_task(task: Task, kernel=None) -> Outcome:
    """Run one task in this process (a worker's body; usable on its own, e.g. by a scheduler)."""
    from selfeval_lib.runner.run import ReportError, run_report
    from selfeval_lib.batch.index import summary_row

    started = time.perf_counter()
    try:
        result = run_report(task.params, task.out_root, task.formats, rule_set=task.rule_set,
                            notebook=Path(task.notebook), timeout=task.timeout, kernel=kernel)
    except (ReportError, InputError) as exc:
        return Outcome(task, "failed", time.perf_counter() - started, error=str(exc))
    except Exception as exc:  # isolate the unexpected too: record it, keep the batch going
        return Outcome(task, "failed", time.perf_counter() - started, error=f"{type(exc).__name__}: {exc}")
    return Outcome(task, "ok", time.perf_counter() - started, row=summary_row(result.metrics),
                   timings=result.timings)


def _worker_main(conn, notebook_dir: str, warm_pdf: bool) -> None:
    """A worker process: one warm kernel, exporters set up once, one task at a time, talking to
    the parent over its own pipe (so a worker killed mid-message can only break its own pipe)."""
    import logging

    logging.disable(logging.WARNING)
    from selfeval_lib.render.html import report_exporter
    from selfeval_lib.runner.kernel import WarmKernel

    kernel = WarmKernel(cwd=Path(notebook_dir))
    try:
        kernel.start()
        report_exporter()
        if warm_pdf:
            from selfeval_lib.render.pdf import _font_config

            _font_config()
    except Exception as exc:
        conn.send(("broken", f"{type(exc).__name__}: {exc}"))
        kernel.shutdown()
        return
    conn.send(("ready", None))
    try:
        while True:
            task = conn.recv()
            if task is None:
                break
            conn.send(("done", run_task(task, kernel)))
    except (EOFError, OSError):  # the parent is gone
        pass
    finally:
        kernel.shutdown()


@dataclass
class _Worker:
    process: Any
    conn: Any
    ready: bool = False
    task: Task | None = None


def _remove_temporary_files(out_dir: Path) -> None:
    if out_dir.is_dir():
        for tmp in out_dir.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)


def run_parallel(tasks: list[Task], jobs: int) -> Iterator[Outcome]:
    """Run tasks in ``jobs`` worker processes; yield each outcome as it arrives.

    Each worker has its own pipe and holds one task at a time, so the parent always knows what a
    worker was doing: when its pipe closes without an answer (the worker died), that task alone
    fails, its temporary files are removed, and a new worker takes its place.
    """
    if not tasks:
        return
    ctx = mp.get_context("spawn")
    pending = deque(tasks)
    workers: dict[Any, _Worker] = {}
    startup_failures: list[str] = []
    warm_pdf = any("pdf" in t.formats for t in tasks)
    notebook_dir = str(Path(tasks[0].notebook).parent)

    def spawn() -> None:
        parent_end, child_end = ctx.Pipe()
        process = ctx.Process(target=_worker_main, args=(child_end, notebook_dir, warm_pdf), daemon=True,
                              name="selfeval-worker")
        process.start()
        child_end.close()
        workers[parent_end] = _Worker(process, parent_end)

    def assign(worker: _Worker) -> None:
        if worker.ready and worker.task is None and pending:
            worker.task = pending.popleft()
            worker.conn.send(worker.task)

    for _ in range(min(jobs, len(tasks))):
        spawn()
    outstanding = len(tasks)
    try:
        while outstanding:
            for conn in mp_connection.wait(list(workers), timeout=1.0):
                worker = workers[conn]
                try:
                    kind, payload = conn.recv()
                except (EOFError, OSError):
                    kind, payload = "dead", None
                if kind == "ready":
                    worker.ready = True
                    assign(worker)
                elif kind == "done":
                    worker.task = None
                    outstanding -= 1
                    yield payload
                    assign(worker)
                else:  # "broken" at start-up, or "dead": the pipe closed without an answer
                    if kind == "broken":
                        startup_failures.append(payload)
                    del workers[conn]
                    conn.close()
                    worker.process.join(timeout=5)
                    if worker.task is not None:
                        outstanding -= 1
                        _remove_temporary_files(worker.task.out_dir)
                        yield Outcome(worker.task, "failed", 0.0,
                                      error=f"工作进程意外退出（退出码 {worker.process.exitcode}），本项目未完成")
                    if pending and len(startup_failures) < 3:
                        spawn()
            if not workers and pending:
                reason = startup_failures[-1] if startup_failures else "工作进程无法启动"
                while pending:
                    outstanding -= 1
                    yield Outcome(pending.popleft(), "failed", 0.0, error=f"工作进程无法启动：{reason}")
    finally:
        for worker in workers.values():
            try:
                worker.conn.send(None)
            except (OSError, ValueError):
                pass
        deadline = time.monotonic() + 10
        for worker in workers.values():
            worker.process.join(timeout=max(0.1, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()


# --- Dask ---------------------------------------------------------------------------------------

_dask_local = threading.local()


def _run_on_dask_worker(task: Task) -> Outcome:
    """A Dask task: run one project on this worker thread's warm kernel (started on first use)."""
    from selfeval_lib.runner.kernel import WarmKernel

    kernel = getattr(_dask_local, "kernel", None)
    if kernel is None:
        kernel = WarmKernel(cwd=Path(task.notebook).parent)
        kernel.start()
        atexit.register(kernel.shutdown)
        _dask_local.kernel = kernel
    return run_task(task, kernel)


def run_dask(tasks: list[Task], scheduler: str, jobs: int,
             on_connect: Callable[[str | None], None] | None = None) -> Iterator[Outcome]:
    """Run tasks on a Dask cluster: ``scheduler`` is ``tcp://HOST:PORT`` or ``local`` (a
    LocalCluster of ``jobs`` single-threaded worker processes). Placement, retries and worker
    failures are Dask's; a task lost with its worker is retried elsewhere (files are written
    atomically, so a retry never leaves a half-written file)."""
    if not tasks:
        return
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise RuntimeError("--scheduler 需要 Dask：pip install 'selfeval[dask]'") from None
    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=":0")
        client = Client(cluster)
    else:
        client = Client(scheduler, timeout=30)
    try:
        if on_connect:
            on_connect(client.dashboard_link)
        futures = {client.submit(_run_on_dask_worker, task, key=f"selfeval-{task.year}-{task.project_id}-{uuid.uuid4().hex[:8]}",
                                 pure=False, retries=2): task for task in tasks}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as exc:  # KilledWorker after too many losses, a lost scheduler …
                yield Outcome(futures[future], "failed", 0.0, error=f"Dask 任务失败：{type(exc).__name__}: {exc}")
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# --- index --------------------------------------------------------------------------------------

def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.is_file() and path.read_bytes() == data:
        return False
    write_file(path, data)
    return True


def index_rows(state: dict[str, dict[str, Any]], year: int) -> list[dict[str, Any]]:
    """Rows of every recorded project of ``year`` whose params file still exists (a failed one
    has no figures: its cells are None)."""
    from selfeval_lib.batch.index import COLUMNS

    rows = []
    for key, entry in sorted(state.items()):
        if entry.get("year") != year or not Path(key).is_file():
            continue
        row = {key: None for _, key, _ in COLUMNS}
        row |= {**entry.get("row", {}), "status": entry["status"], "error": entry.get("error", ""),
               "id": entry["project_id"], "name": entry.get("name", ""), "unit": entry.get("unit", ""), "year": year}
        project_dir = entry["out_dir"].split("/", 1)[-1]
        row["links"] = [(LINK_LABELS[name], f"{project_dir}/{FILE_NAMES[name]}")
                        for name in entry.get("formats", ()) if name in LINK_LABELS]
        rows.append(row)
    return rows


def write_index(out_root: Path, year: int, state: dict[str, dict[str, Any]]) -> list[Path]:
    """Write the year's index.html, portfolio.csv and portfolio.xlsx; return those that changed."""
    from selfeval_lib.batch.index import index_html, portfolio_csv, portfolio_xlsx

    rows = index_rows(state, year)
    folder = out_root / str(year)
    files = {
        folder / "index.html": index_html(year, rows).encode("utf-8"),
        folder / "portfolio.csv": portfolio_csv(rows),
        folder / "portfolio.xlsx": portfolio_xlsx(year, rows),
    }
    return [path for path, data in files.items() if _write_if_changed(path, data)]


# --- the whole batch ----------------------------------------------------------------------------

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


def record(state: dict[str, dict[str, Any]], outcome: Outcome) -> None:
    """Put an outcome into the state (a failure keeps no fingerprint, so it runs again)."""
    task = outcome.task
    entry = {
        "status": outcome.status, "error": outcome.error, "year": task.year, "project_id": task.project_id,
        "name": task.name, "unit": task.unit, "formats": list(task.formats),
        "out_dir": f"{task.year}/{task.project_id}", "row": outcome.row,
        "fingerprint": task.fingerprint if outcome.status == "ok" else {},
    }
    state[task.key] = entry


def run_batch(paths: list[str | Path], out_root: Path, formats: tuple[str, ...], *, notebook: Path,
              jobs: int, rule_set: str | None = None, force: bool = False, year: int | None = None,
              timeout: int | None = 600, on_plan: Callable[[Plan], None] | None = None,
              on_outcome: Callable[[Outcome], None] | None = None, scheduler: str | None = None,
              on_connect: Callable[[str | None], None] | None = None) -> BatchResult:
    """Plan, run what is not up to date, record outcomes, and refresh the index of touched years.

    ``scheduler`` (``tcp://HOST:PORT`` or ``local``) runs the tasks on Dask instead of the local
    worker pool; the plan, the state and the index are the same."""
    out_root = Path(out_root)
    state = load_state(out_root)
    plan = make_plan(paths, out_root, formats, notebook=notebook, rule_set=rule_set, force=force,
                     year=year, timeout=timeout, state=state)
    if on_plan:
        on_plan(plan)
    outcomes = []
    runner = run_dask(plan.to_run, scheduler, jobs, on_connect) if scheduler else run_parallel(plan.to_run, jobs)
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


def default_jobs() -> int:
    """Worker processes by default: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


__all__ = ["BatchResult", "Outcome", "Plan", "Task", "default_jobs", "library_fingerprint", "load_state",
           "make_plan", "run_batch", "run_parallel", "run_task", "write_index"]
