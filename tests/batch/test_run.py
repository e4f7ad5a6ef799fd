"""End-to-end tests of ``selfeval sample`` and ``selfeval batch`` (real worker processes, real
kernels; HTML only, no PDF, to stay fast).

Every batch test works in its own temporary folders. What is shared:

- ``samples``: synthetic params generated once (read-only; tests copy the files they need);
- ``hook_notebook``: a copy of the report notebook with test hooks keyed on the params file's
  *name* (never its full path, which contains the test's name):
    * ``boom``  → the last cell raises ``RuntimeError("故意的失败")``;
    * ``slow``  → a cell sleeps 60 s (for ``--timeout``);
    * ``hang``  → a cell sleeps past the test's hang guard while ``hang.flag`` exists beside the notebook (so the
      project can be made to succeed later without changing the notebook's hash);
    * ``die``   → the kernel process exits in the middle of a cell (``os._exit(1)``);
    * every run writes ``running-<pid>.txt`` (the worker: the process that runs the notebook,
      or that owns the kernel with ``--kernel``) with the params file's name, so the test knows
      exactly which worker runs which project;
- ``year_batch``: one ``--year 2024`` run, read by the year-filter and the index tests.
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
import yaml

from selfeval_lib.core.evaluation import evaluate
from selfeval_lib.inputs.params import load_project
from selfeval_lib.batch.fingerprint import library_fingerprint
from selfeval_lib.batch.state import STATE_FILE
from selfeval_lib.files.atomic import lock_path
from selfeval_lib.render.pdf_browser import descendants
from selfeval_lib.resources import REPORT_NOTEBOOK

from batch_outputs import alive
from conftest import ROOT

pytestmark = pytest.mark.integration

STATE_FILES = (STATE_FILE, lock_path(Path(STATE_FILE)).name)  # the state and its lock

YEAR = 2023
HTML_FILES = ("report.html", "checklist.html", "metrics.json")


# --- helpers ------------------------------------------------------------------------------------

def selfeval(*args: object, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "selfeval_lib.cli", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def batch_args(paths: list[Path] | Path, out: Path, *extra: object) -> list[str]:
    paths = paths if isinstance(paths, list) else [paths]
    return ["batch", *map(str, paths), "--out", str(out), "--formats", "html", "--jobs", "2", "--quiet",
            *map(str, extra)]


def batch(paths: list[Path] | Path, out: Path, *extra: object, timeout: float = 240) -> subprocess.CompletedProcess:
    return selfeval(*batch_args(paths, out, *extra), timeout=timeout)


def run_with_deadline(args: list[str], seconds: float) -> subprocess.CompletedProcess:
    """Run the CLI in its own process group; past ``seconds``, SIGKILL that group (the batch and
    its workers; kernels are in sessions of their own and exit when their worker dies) and
    return a result whose ``returncode`` is None."""
    proc = subprocess.Popen([sys.executable, "-m", "selfeval_lib.cli", *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=seconds)
        return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate()
        return subprocess.CompletedProcess(proc.args, None, stdout, stderr)


def output(proc: subprocess.CompletedProcess) -> str:
    return f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"


def result_lines(proc: subprocess.CompletedProcess, word: str) -> list[str]:
    """The per-project lines of ``selfeval batch`` starting with 成功 / 失败."""
    return [line for line in proc.stdout.splitlines() if line.startswith(word + " ")]


def result_ids(proc: subprocess.CompletedProcess, word: str) -> list[str]:
    """``<year>/<id>`` of each 成功 / 失败 line, in output order."""
    return [re.match(rf"{word} (\d{{4}}/[^\s（]+)", line).group(1) for line in result_lines(proc, word)]


def mtimes(root: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file() and p.name not in STATE_FILES}


def read_params(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write_params(path: Path, data: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    return path


def copy_project(source: Path, dest_dir: Path, *, name: str | None = None, project_id: str | None = None,
                 project_name: str | None = None) -> Path:
    """Copy a params file into ``dest_dir``, optionally as another file / project id / name."""
    data = read_params(source)
    if project_id:
        data["project"]["id"] = project_id
    if project_name:
        data["project"]["name"] = project_name
    return write_params(dest_dir / (name or source.name), data)


def csv_rows(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def report_dir(out: Path, project_id: str, year: int = YEAR) -> Path:
    return out / str(year) / project_id


def project_id_of(params: Path) -> str:
    return read_params(params)["project"]["id"]


def leftover_temporary_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*")
                  if (p.name.startswith(".") or p.name.endswith(".tmp")) and p.name not in STATE_FILES)


# /proc helpers (Linux): no psutil needed.

def proc_cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def proc_children(pid: int) -> list[int]:
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += [int(x) for x in (task / "children").read_text().split()]
        except OSError:
            pass
    return children


# --- shared data --------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def samples(tmp_path_factory) -> list[Path]:
    """Six synthetic 2023 project-years (read-only: copy before changing)."""
    folder = tmp_path_factory.mktemp("samples")
    proc = selfeval("sample", "--projects", 6, "--year", YEAR, "--out", folder, "--seed", 7)
    assert proc.returncode == 0, output(proc)
    files = sorted((folder / str(YEAR)).glob("*.yaml"))
    assert len(files) == 6
    return files


#: ``--timeout`` where a test needs one: far above what a report's cell takes on a busy machine, far
#: below the 60 s the ``slow`` project sleeps in a cell.
CELL_LIMIT = 20
#: How long a batch may run before the test calls it hung and kills it: a guard against a hang,
#: never a measure of speed (a healthy batch ends long before, however loaded the machine).
HANG_GUARD = 240

HOOK_FIRST = '''
import os as _os, pathlib as _pl, time as _time
_name = _pl.Path(params_path).name
_worker = _os.getppid() if hasattr(get_ipython(), "kernel") else _os.getpid()  # a kernel's parent is its worker
(_pl.Path({dir!r}) / f"running-{{_worker}}.txt").write_text(_name, encoding="utf-8")
if "slow" in _name:
    _time.sleep(60)
if "hang" in _name and (_pl.Path({dir!r}) / "hang.flag").exists():
    _time.sleep({hang})
if "die" in _name:
    _os._exit(1)
'''
HOOK_LAST = '''
if "boom" in _pl.Path(params_path).name:
    raise RuntimeError("故意的失败")
'''


@pytest.fixture(scope="session")
def hook_notebook(tmp_path_factory) -> Path:
    """The report notebook with the test hooks of the module docstring."""
    folder = tmp_path_factory.mktemp("notebook")
    nb = nbformat.read(str(REPORT_NOTEBOOK), as_version=4)
    code = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
            and "parameters" not in cell.metadata.get("tags", [])]
    first, last = code[0], code[-1]
    nb.cells[first].source = nb.cells[first].source + "\n" + HOOK_FIRST.format(dir=str(folder), hang=HANG_GUARD)
    nb.cells[last].source = nb.cells[last].source + "\n" + HOOK_LAST
    path = folder / "hooked_report.ipynb"
    nbformat.write(nb, str(path))
    return path


# --- 1. sample ----------------------------------------------------------------------------------

def test_sample_files_validate_and_are_deterministic(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for folder, seed in ((a, 11), (b, 11), (c, 12)):
        proc = selfeval("sample", "--projects", 5, "--year", 2025, "--out", folder, "--seed", seed)
        assert proc.returncode == 0, output(proc)
    files_a = sorted((a / "2025").glob("*.yaml"))
    assert [p.name for p in files_a] == [f"p2025-{i:05d}.yaml" for i in range(1, 6)]

    proc = selfeval("validate", a)
    assert proc.returncode == 0, output(proc)
    assert proc.stdout.count("通过 ") == 5

    for path in files_a:
        assert path.read_bytes() == (b / "2025" / path.name).read_bytes(), f"same seed, different {path.name}"
        assert path.read_bytes() != (c / "2025" / path.name).read_bytes(), f"other seed, same {path.name}"
        assert read_params(path)["project"]["year"] == 2025


def test_sample_projects_vary(tmp_path):
    """20 projects from the default seed: all valid and not all alike (grade, execution rate)."""
    proc = selfeval("sample", "--projects", 20, "--year", YEAR, "--out", tmp_path)
    assert proc.returncode == 0, output(proc)
    files = sorted((tmp_path / str(YEAR)).glob("*.yaml"))
    assert len(files) == 20
    grades, rates, totals, names = [], set(), set(), set()
    for path in files:
        loaded = load_project(path)
        ev = evaluate(loaded.project_year, loaded.rules)
        grades.append(ev.grade)
        rates.add(round(ev.funds.execution_rate, 4))
        totals.add(round(ev.total, 2))
        names.add(loaded.project_year.project.name)
    assert len(names) == 20
    assert len(rates) >= 3, f"execution rates barely vary: {sorted(rates)}"
    assert len(totals) >= 10, f"totals barely vary: {sorted(totals)}"
    assert len(set(grades)) >= 2, f"every synthetic project gets the same grade: {grades}"


# --- 2. incremental -----------------------------------------------------------------------------

def _require_same_library(before: str) -> None:
    """Skip-expectations only hold if nobody edited the library meanwhile (it is in the key)."""
    if library_fingerprint() != before:
        pytest.fail("selfeval_lib changed while the test ran (its hash is part of the up-to-date key)")


def test_incremental_skip_change_and_force(tmp_path, samples):
    from openpyxl import load_workbook

    library = library_fingerprint()
    params, out = tmp_path / "params", tmp_path / "out"
    files = [copy_project(p, params) for p in samples[:4]]
    ids = [project_id_of(p) for p in files]

    # first run: everything is generated
    first = batch(params, out)
    assert first.returncode == 0, output(first)
    assert len(result_lines(first, "成功")) == 4, output(first)
    for pid in ids:
        for name in HTML_FILES:
            assert (report_dir(out, pid) / name).is_file(), f"{pid}/{name} missing\n{output(first)}"
        assert not (report_dir(out, pid) / "report.pdf").exists()
    year_dir = out / str(YEAR)
    for name in ("index.html", "portfolio.csv", "portfolio.xlsx"):
        assert (year_dir / name).is_file(), name
    rows = csv_rows(year_dir / "portfolio.csv")
    assert sorted(r["项目编号"] for r in rows) == sorted(ids)
    assert {r["状态"] for r in rows} == {"成功"}

    ws = load_workbook(year_dir / "portfolio.xlsx").active
    table = [list(r) for r in ws.iter_rows(values_only=True)]
    header = table[0]
    for label in ("项目编号", "项目名称", "实施单位", "全年预算（万元）", "执行率", "总分", "等级", "问题数", "状态"):
        assert label in header, header
    assert len(table) == 5, table
    assert sorted(r[header.index("项目编号")] for r in table[1:]) == sorted(ids)
    for r in table[1:]:
        for label in ("全年预算（万元）", "执行率", "总分", "问题数"):
            value = r[header.index(label)]
            assert isinstance(value, (int, float)) and not isinstance(value, bool), (label, value)
        assert r[header.index("状态")] == "成功"

    # second run: nothing changed, nothing is rewritten
    before = mtimes(out)
    second = batch(params, out)
    _require_same_library(library)
    assert second.returncode == 0, output(second)
    assert "跳过 4" in second.stderr, output(second)
    assert result_lines(second, "成功") == [], output(second)
    assert mtimes(out) == before

    # third run: one project's indicator changes → only that project is regenerated
    edited = files[1]
    data = read_params(edited)
    quantity = data["indicators"][0]
    wanted, unit = re.fullmatch(r"≥(\d+)(.*)", quantity["target"]).groups()
    quantity["actual"] = f"{int(wanted) // 4}{unit}"
    quantity["deviation_reason"] = "测试：大幅未完成"
    write_params(edited, data)
    old_total = next(r for r in rows if r["项目编号"] == ids[1])["总分"]
    old_rows = {r["项目编号"]: r for r in rows}

    before = mtimes(out)
    third = batch(params, out)
    _require_same_library(library)
    assert third.returncode == 0, output(third)
    assert "跳过 3" in third.stderr, output(third)
    assert result_ids(third, "成功") == [f"{YEAR}/{ids[1]}"], output(third)
    after = mtimes(out)
    changed = {p for p in after if after[p] != before.get(p)}
    project_files = {report_dir(out, ids[1]) / name for name in HTML_FILES}
    assert project_files <= changed
    assert changed - project_files <= {year_dir / n for n in ("index.html", "portfolio.csv", "portfolio.xlsx")}, changed
    new_rows = {r["项目编号"]: r for r in csv_rows(year_dir / "portfolio.csv")}
    assert new_rows[ids[1]]["总分"] != old_total, (old_total, new_rows[ids[1]])
    for pid in (ids[0], ids[2], ids[3]):
        assert new_rows[pid] == old_rows[pid]
    assert (year_dir / "index.html") in changed

    # fourth run: --force regenerates all
    before = mtimes(out)
    fourth = batch(params, out, "--force")
    assert fourth.returncode == 0, output(fourth)
    assert len(result_lines(fourth, "成功")) == 4, output(fourth)
    assert "跳过" not in fourth.stderr.replace("跳过 0 个", ""), output(fourth)
    after = mtimes(out)
    for pid in ids:
        for name in HTML_FILES:
            path = report_dir(out, pid) / name
            assert after[path] != before[path], f"--force did not rewrite {path}"


# --- 3. failure isolation -----------------------------------------------------------------------

def test_failure_isolation(tmp_path, samples, hook_notebook):
    library = library_fingerprint()
    params, out = tmp_path / "params", tmp_path / "out"
    good = [copy_project(p, params) for p in samples[:4]]
    good_ids = [project_id_of(p) for p in good]

    negative = read_params(samples[4])
    negative["project"]["id"] = "p2023-negative"
    negative["funds"]["arrivals"][0]["amount"] = -5000
    write_params(params / "negative.yaml", negative)
    (params / "garbage.yaml").write_text("project: [这不是 YAML\n  id: : :\n", encoding="utf-8")
    boom = copy_project(samples[5], params, name="boom.yaml", project_id="p2023-boom")

    first = batch(params, out, "--notebook", hook_notebook)
    text = output(first)
    for pid in good_ids:
        for name in HTML_FILES:
            assert (report_dir(out, pid) / name).is_file(), f"{pid}/{name}\n{text}"
    assert not (report_dir(out, "p2023-boom") / "report.html").exists()
    assert not (out / str(YEAR) / "p2023-negative").exists()
    assert "negative.yaml" in first.stderr and "garbage.yaml" in first.stderr, text
    failed = result_lines(first, "失败")
    assert len(failed) == 1 and "boom.yaml" in failed[0], text
    assert "故意的失败" in failed[0] and "单元格" in failed[0] and "RuntimeError" in failed[0], text
    assert "内部错误" not in first.stderr, f"the batch crashed after running the projects\n{text}"
    assert "参数错误 2" in first.stderr and "失败 1" in first.stderr, text
    assert first.returncode == 1, text

    year_dir = out / str(YEAR)
    rows = {r["项目编号"]: r for r in csv_rows(year_dir / "portfolio.csv")}
    assert set(rows) == {*good_ids, "p2023-boom"}
    assert rows["p2023-boom"]["状态"] == "失败" and "故意的失败" in rows["p2023-boom"]["错误"]
    index = (year_dir / "index.html").read_text(encoding="utf-8")
    boom_row = next(tr for tr in re.findall(r"<tr class=\"[^\"]*\">.*?</tr>", index, re.S) if "p2023-boom" in tr)
    assert 'class="failed"' in boom_row and "失败" in boom_row and "故意的失败" in boom_row

    # Same notebook again: the good ones are up to date, the failed one is tried again.
    before = mtimes(out)
    again = batch(params, out, "--notebook", hook_notebook)
    _require_same_library(library)
    assert again.returncode == 1, output(again)
    assert "跳过 4" in again.stderr, output(again)
    assert result_ids(again, "失败") == [f"{YEAR}/p2023-boom"], output(again)
    after = mtimes(out)
    for pid in good_ids:
        for name in HTML_FILES:
            assert after[report_dir(out, pid) / name] == before[report_dir(out, pid) / name]

    # The normal notebook: its hash is part of the up-to-date key, so by design *every* runnable
    # project is regenerated (4 good + boom), not just the failed one. Remove the broken files → exit 0.
    (params / "negative.yaml").unlink()
    (params / "garbage.yaml").unlink()
    normal = batch(params, out)
    assert normal.returncode == 0, output(normal)
    assert "跳过" not in normal.stderr.replace("跳过 0 个", ""), output(normal)
    assert sorted(result_ids(normal, "成功")) == sorted(
        f"{YEAR}/{pid}" for pid in [*good_ids, "p2023-boom"]), output(normal)
    assert (report_dir(out, "p2023-boom") / "report.html").is_file()
    rows = {r["项目编号"]: r for r in csv_rows(year_dir / "portfolio.csv")}
    assert {r["状态"] for r in rows.values()} == {"成功"}
    assert boom.is_file()


# --- 4. a worker killed mid-project --------------------------------------------------------------

@dataclass
class KilledBatch:
    out: Path
    ids: list[str]
    returncode: int
    stdout: str
    stderr: str
    workers: list[int]
    killed: int
    killed_project: str
    kernels: list[int]
    orphans: list[str] = field(default_factory=list)
    leftovers: list[Path] = field(default_factory=list)
    reports: dict[Path, str] = field(default_factory=dict)
    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    rerun: subprocess.CompletedProcess | None = None
    library_changed: bool = False


@pytest.fixture(scope="module")
def killed_batch(tmp_path_factory, samples, hook_notebook) -> KilledBatch:
    """Six projects, two workers; the worker running ``hang.yaml`` (sleeping in a cell) is
    SIGKILLed once another report exists. Then: orphan check, and a re-run without the hang."""
    folder = tmp_path_factory.mktemp("killed")
    params, out = folder / "params", folder / "out"
    files = [copy_project(p, params) for p in samples[:5]]
    files.append(copy_project(samples[5], params, name="hang.yaml", project_id="p2023-hang"))
    ids = [project_id_of(p) for p in files]
    flag = hook_notebook.parent / "hang.flag"
    flag.write_text("1")
    for old in hook_notebook.parent.glob("running-*.txt"):
        old.unlink()

    library = library_fingerprint()
    proc = subprocess.Popen([sys.executable, "-m", "selfeval_lib.cli", *batch_args(params, out, "--notebook", hook_notebook)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    killed, workers, kernels = 0, [], []
    try:
        deadline = time.monotonic() + HANG_GUARD
        while time.monotonic() < deadline and proc.poll() is None:
            reports = list((out / str(YEAR)).glob("*/report.html")) if (out / str(YEAR)).is_dir() else []
            markers = {int(m.stem.split("-")[1]): m.read_text(encoding="utf-8")
                       for m in hook_notebook.parent.glob("running-*.txt")}
            hanging = [pid for pid, name in markers.items() if name == "hang.yaml"]
            if reports and hanging:
                workers = [pid for pid in descendants(proc.pid) if pid in markers]
                killed = hanging[0]
                kernels = proc_children(killed)  # its kernel, browser …: none with in-process HTML
                assert killed in workers, (killed, workers, [proc_cmdline(p) for p in descendants(proc.pid)])
                os.kill(killed, signal.SIGKILL)
                break
            time.sleep(0.1)
        stdout, stderr = proc.communicate(timeout=180)
    finally:
        if proc.poll() is None:  # something went wrong: end the batch and its workers (its own group)
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert killed, f"never saw a report and the hang project running\n{stdout}\n{stderr}"

    orphans: list[str] = []
    deadline = time.monotonic() + 60  # kernels notice their worker's death within seconds; a guard, not a measure
    while time.monotonic() < deadline:
        orphans = [f"{pid}: {proc_cmdline(pid)}" for pid in kernels if alive(pid)]
        if not orphans:
            break
        time.sleep(0.25)
    for pid in kernels:  # do not leave our own stray kernels behind
        if alive(pid):
            os.kill(pid, signal.SIGKILL)

    result = KilledBatch(out, ids, proc.returncode, stdout, stderr, workers, killed, "p2023-hang", kernels,
                         orphans)
    # state after the kill is checked by the tests below; snapshot what they need before re-running
    result.leftovers = leftover_temporary_files(out)
    result.reports = {p: p.read_text(encoding="utf-8") for p in out.rglob("report.html")}
    index_csv = out / str(YEAR) / "portfolio.csv"
    result.rows = {r["项目编号"]: r for r in csv_rows(index_csv)} if index_csv.is_file() else {}
    flag.unlink()
    result.rerun = batch(params, out, "--notebook", hook_notebook)
    result.library_changed = library_fingerprint() != library
    return result


def test_killed_worker_fails_its_project_only(killed_batch):
    kb = killed_batch
    text = f"{kb.stdout}\n{kb.stderr}"
    assert len(kb.workers) >= 1, (kb.workers, kb.kernels)
    proc = subprocess.CompletedProcess([], kb.returncode, kb.stdout, kb.stderr)
    failed = result_lines(proc, "失败")
    assert result_ids(proc, "失败") == [f"{YEAR}/{kb.killed_project}"], text
    assert "工作进程" in failed[0], text
    assert sorted(result_ids(proc, "成功")) == sorted(f"{YEAR}/{pid}" for pid in kb.ids
                                                            if pid != kb.killed_project), text
    for pid in kb.ids:
        if pid != kb.killed_project:
            for name in HTML_FILES:
                assert (report_dir(kb.out, pid) / name).is_file()
    assert "内部错误" not in kb.stderr, f"the batch crashed after running the projects\n{text}"
    assert kb.returncode == 1, text
    assert kb.killed_project in kb.rows, f"index (portfolio.csv) lacks the failed project\n{text}"
    assert kb.rows[kb.killed_project]["状态"] == "失败" and "工作进程" in kb.rows[kb.killed_project]["错误"]


def test_killed_worker_leaves_only_complete_files(killed_batch):
    kb = killed_batch
    assert kb.leftovers == [], kb.leftovers
    assert len(kb.reports) == len(kb.ids) - 1
    for path, text in kb.reports.items():
        assert text.strip().endswith("</html>"), f"incomplete {path}"


def test_killed_worker_kernel_does_not_survive(killed_batch):
    assert killed_batch.orphans == [], f"process(es) of the killed worker still alive 5 s after the batch: " \
                                       f"{killed_batch.orphans}"


def test_rerun_after_killed_worker_completes_it(killed_batch):
    kb, rerun = killed_batch, killed_batch.rerun
    if kb.library_changed:
        pytest.fail("selfeval_lib changed while the test ran (its hash is part of the up-to-date key)")
    assert rerun.returncode == 0, output(rerun)
    assert "跳过 5" in rerun.stderr, output(rerun)
    assert result_ids(rerun, "成功") == [f"{YEAR}/{kb.killed_project}"]
    assert (report_dir(kb.out, kb.killed_project) / "report.html").read_text(encoding="utf-8").strip().endswith("</html>")
    assert leftover_temporary_files(kb.out) == []
    rows = csv_rows(kb.out / str(YEAR) / "portfolio.csv")
    assert {r["状态"] for r in rows} == {"成功"} and len(rows) == len(kb.ids)


# --- 5. timeout ---------------------------------------------------------------------------------

def test_timeout_fails_that_project_only(tmp_path, samples, hook_notebook):
    params, out = tmp_path / "params", tmp_path / "out"
    good = [copy_project(p, params) for p in samples[:2]]
    copy_project(samples[2], params, name="slow.yaml", project_id="p2023-slow")
    proc = run_with_deadline(batch_args(params, out, "--notebook", hook_notebook, "--timeout", CELL_LIMIT), HANG_GUARD)
    text = output(proc)
    assert proc.returncode is not None, f"--timeout not enforced: batch still running after {HANG_GUARD} s, killed\n{text}"
    assert proc.returncode == 1, text
    failed = result_lines(proc, "失败")
    assert result_ids(proc, "失败") == [f"{YEAR}/p2023-slow"], text
    assert f"超过 {CELL_LIMIT} 秒" in failed[0], text
    for pid in map(project_id_of, good):
        assert (report_dir(out, pid) / "report.html").is_file(), text
    assert not (report_dir(out, "p2023-slow") / "report.html").exists()


def test_kernel_dying_mid_cell_fails_that_project_only(tmp_path, samples, hook_notebook):
    """A kernel that exits during a cell fails its project (nbclient's DeadKernelError); the
    worker restarts its kernel and goes on. Must not hang, even with --timeout."""
    params, out = tmp_path / "params", tmp_path / "out"
    good = copy_project(samples[0], params)
    copy_project(samples[1], params, name="die.yaml", project_id="p2023-die")
    proc = run_with_deadline(batch_args(params, out, "--notebook", hook_notebook, "--timeout", CELL_LIMIT), HANG_GUARD)
    text = output(proc)
    assert proc.returncode is not None, f"a dead kernel hangs its worker: batch still running after {HANG_GUARD} s, killed\n{text}"
    assert proc.returncode == 1, text
    assert result_ids(proc, "失败") == [f"{YEAR}/p2023-die"], text
    assert result_ids(proc, "成功") == [f"{YEAR}/{project_id_of(good)}"], text


# --- 6. year filter and 7. index ----------------------------------------------------------------

TRICKY_NAME = '防汛<抢险>&"物资"项目'


@pytest.fixture(scope="module")
def year_batch(tmp_path_factory, samples):
    folder = tmp_path_factory.mktemp("years")
    params, out = folder / "params", folder / "out"
    for p in samples[:2]:
        copy_project(p, params / "2023")
    proc = selfeval("sample", "--projects", 2, "--year", 2024, "--out", params, "--seed", 3)
    assert proc.returncode == 0, output(proc)
    files_2024 = sorted((params / "2024").glob("*.yaml"))
    data = read_params(files_2024[0])
    data["project"]["name"] = TRICKY_NAME
    write_params(files_2024[0], data)
    proc = batch(params, out, "--year", 2024)
    return out, {project_id_of(p): read_params(p)["project"]["name"] for p in files_2024}, proc


def test_year_filter_runs_only_that_year(year_batch):
    out, projects, proc = year_batch
    assert proc.returncode == 0, output(proc)
    assert sorted(result_ids(proc, "成功")) == sorted(f"2024/{pid}" for pid in projects)
    assert not (out / "2023").exists(), sorted(out.rglob("*"))
    for pid in projects:
        assert (report_dir(out, pid, 2024) / "report.html").is_file()
    assert sorted(r["项目编号"] for r in csv_rows(out / "2024" / "portfolio.csv")) == sorted(projects)


def test_index_html_offline_escaped_and_linked(year_batch):
    out, projects, _ = year_batch
    index = (out / "2024" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<html[^>]*\blang=\"zh-CN\"", index)
    assert not re.search(r"<script[^>]*\bsrc\s*=", index, re.I)
    assert not re.search(r"<link[^>]*\bhref\s*=\s*[\"']?(https?:)?//", index, re.I)
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", index, re.I)
    assert "<抢险>" not in index and "&lt;抢险&gt;" in index
    cells = {html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", index, re.S)}
    for name in projects.values():
        assert name in cells, name
    links = re.findall(r"<a href=\"([^\"]+)\"", index)
    assert sorted(links) == sorted(f"{pid}/{name}" for pid in projects for name in ("report.html", "checklist.html"))
    for link in links:
        assert (out / "2024" / link).is_file(), link


# --- 8. in-process workers and --kernel ---------------------------------------------------------

def test_in_process_workers_write_what_kernels_write(tmp_path, samples):
    """Workers execute the notebooks in their own process by default; ``--kernel python3`` runs
    them on Jupyter kernels. Both give the same bytes."""
    params, here, kernel = tmp_path / "params", tmp_path / "here", tmp_path / "kernel"
    files = [copy_project(p, params) for p in samples[:3]]
    for out, extra in ((here, ()), (kernel, ("--kernel", "python3"))):
        proc = batch(params, out, "--formats", "ipynb,html", *extra)
        assert proc.returncode == 0, output(proc)
    for pid in map(project_id_of, files):
        for name in ("report.ipynb", "report.html", "metrics.json"):
            assert (report_dir(here, pid) / name).read_bytes() == (report_dir(kernel, pid) / name).read_bytes(), \
                f"{pid}/{name} differs between in-process and kernel workers"
