"""Shared fixtures: the repository's rule sets and a small builder of valid project-years.

The tests mirror the package: ``tests/<subpackage>/test_<module>.py`` tests
``selfeval_lib/<subpackage>/<module>.py`` (``test_<module>_<aspect>.py`` when a module has more
than one test file, e.g. ``batch/test_run_signals.py``); ``tests/package/`` holds the tests of the
package as a whole (layers, docs, install, notebooks as shipped, hostile input across commands).
``tests/package/test_architecture.py`` keeps the mirror. Each test folder is a package (its
``__init__.py``), so equal basenames in two folders do not clash; this folder stays on
``sys.path``, so tests import ``conftest`` and the helper modules beside it by name
(``office_convert``, ``report_notebook``, ``requality_subjects``, ``requality_units``,
``review_tables``, ``review_workbooks``, ``workbook_helpers``, and the ``forms`` package). Data
stays in ``corpus/``, ``data/`` and ``forms/``: reach it through :data:`TESTS` or :data:`DATA`,
never ``Path(__file__)`` in a test file.

A test that runs a process, a kernel, a browser, Dask or JupyterLab is marked
``@pytest.mark.integration`` (``pytest -m "not integration"`` for a quick pass; ``make test``
runs everything).
"""

from __future__ import annotations

import copy
import multiprocessing.process
import os
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from selfeval_lib.core.model import ProjectYear
from selfeval_lib.inputs.params import load_rule_set
from selfeval_lib.core.rules import RuleSet

# The suite checks how the program answers Ctrl-C, a closed terminal and a stop (and the
# processes it starts inherit what this one has). Started with those ignored — under nohup, or
# as a background job of a script, where the shell ignores SIGINT — the program rightly keeps
# ignoring them, and those tests would hang; so the suite starts from a terminal's dispositions.
if threading.current_thread() is threading.main_thread():
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    for _signum in (signal.SIGHUP, signal.SIGTERM):
        if signal.getsignal(_signum) == signal.SIG_IGN:
            signal.signal(_signum, signal.SIG_DFL)

#: The tests' folder and the repository.
TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
#: The tests' data files.
DATA = TESTS / "data"
#: The seed project's params with progress values through July (a 绩效运行监控 input).
MONTH7 = DATA / "monitoring" / "seed-month7.yaml"
RULES_DIR = ROOT / "params" / "rules"
SAMPLES = sorted((ROOT / "params" / "2023").glob("*.yaml"))
SEED_SAMPLE = ROOT / "params" / "2023" / "dongqu-yjglj-ydhs.yaml"

BASE: dict[str, Any] = {
    "project": {
        "id": "t-1", "name": "测试项目", "unit": "测试单位", "department": "测试部门", "year": 2023,
        "funding_source": "区级财政", "overall_goal": "完成测试目标",
        "items": [{"name": "甲", "budget": 50000}, {"name": "乙", "budget": 50000}],
    },
    "funds": {
        "declared": 100000, "approved": 100000, "approved_date": "2023-01-10",
        "arrivals": [{"date": "2023-02-01", "amount": 100000}],
        "payments": [
            {"date": f"2023-{m:02d}-15", "amount": 25000, "payee": "供应商", "item": "甲" if m < 8 else "乙",
             "voucher": f"V{m}", "approvals": ["经办人", "分管领导", "主要领导", "党委会", "分管区领导"]}
            for m in (3, 5, 8, 10)
        ],
    },
    "indicators": [
        {"level1": "产出指标", "level2": "数量指标", "name": "数量", "target": "≥10个", "actual": "9个", "weight": 30,
         "deviation_reason": "一个点位延至次年"},
        {"level1": "产出指标", "level2": "质量指标", "name": "质量", "target": "≥95%", "actual": "96%", "weight": 20},
        {"level1": "效益指标", "level2": "社会效益指标", "name": "效益", "target": "有效提升", "actual": "明显改善", "weight": 30},
        {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "满意度", "target": "≥90%", "actual": "92%", "weight": 10},
    ],
    "survey": {"rate": 0.92, "sample_size": 100, "method": "问卷"},
}


def make_project(**changes: Any) -> ProjectYear:
    """A valid project-year, with top-level sections replaced or updated by ``changes``.

    ``funds={"payments": [...]}`` replaces that key inside the section; other keys stay.
    """
    data = copy.deepcopy(BASE)
    for section, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(section), dict):
            data[section].update(value)
        else:
            data[section] = value
    return ProjectYear.model_validate(data)


@pytest.fixture(scope="session")
def national() -> RuleSet:
    return load_rule_set(RULES_DIR / "national.yaml")


@pytest.fixture(scope="session")
def sichuan() -> RuleSet:
    return load_rule_set(RULES_DIR / "sichuan.yaml")


#: Every approval role of the national rule set's thresholds.
ALL = ["经办人", "分管领导", "主要领导", "党委会", "分管区领导"]


def codes(py: ProjectYear, rules) -> list[str]:
    """The finding codes of evaluating ``py`` under ``rules``."""
    from selfeval_lib.core.evaluation import evaluate

    return [f.code for f in evaluate(py, rules).findings]


def pay(amount, approvals, month=6, voucher="V1", item="甲") -> dict:
    """A payment row for ``make_project(funds={"payments": [...]})``."""
    return {"date": f"2023-{month:02d}-10", "amount": amount, "payee": "某公司", "item": item,
            "voucher": voucher, "approvals": approvals}


@pytest.fixture(scope="session")
def evaluations():
    """The evaluation of every bundled sample, by file stem."""
    from selfeval_lib.core.evaluation import evaluate
    from selfeval_lib.inputs.params import load_project

    out = {}
    for path in SAMPLES:
        loaded = load_project(path)
        out[path.stem] = evaluate(loaded.project_year, loaded.rules)
    return out


@pytest.fixture(scope="session")
def synthetic_evaluations():
    """The evaluations of 20 generated project-years (``synthetic_params(20)``), each by its own
    rule set."""
    from selfeval_lib.core.evaluation import evaluate
    from selfeval_lib.core.model import ProjectYear
    from selfeval_lib.inputs.params import load_rule_set
    from selfeval_lib.inputs.rulesets import find_rule_set
    from selfeval_lib.inputs.synthetic import synthetic_params

    out = []
    for data in synthetic_params(20):
        py = ProjectYear.model_validate(data)
        out.append(evaluate(py, load_rule_set(find_rule_set(py.project.rule_set))))
    return out


def wait_until(condition, what: str, proc: subprocess.Popen | None = None, seconds: float = 240) -> None:
    """Wait for ``condition`` (a guard against a hang, not a measurement)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the batch ended before {what}: {proc.communicate()}")
        assert time.monotonic() < deadline, f"no {what} within {seconds} s"
        time.sleep(0.05)


#: Programs a test may start without the integration mark: the font and shared-library look-ups
#: that the package and its libraries make once, on first use (fontconfig, ctypes.util).
LOOKUPS = frozenset({"fc-list", "gcc", "cc", "ld", "ldconfig"})


@pytest.fixture(autouse=True)
def _integration_is_marked(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """A test that starts a process (a kernel, a browser, LibreOffice, poppler, ``selfeval`` itself,
    a Dask worker) without ``@pytest.mark.integration`` fails, naming the program, so that
    ``pytest -m "not integration"`` stays a pass that starts nothing. Only starts from the test's
    own thread count (not a pool or a browser's driver thread)."""
    if request.node.get_closest_marker("integration"):
        yield
        return
    started: list[str] = []
    execute, start = subprocess.Popen._execute_child, multiprocessing.process.BaseProcess.start

    def execute_child(self, args, *rest, **kwargs):
        program = os.path.basename(str(args if isinstance(args, (str, bytes, os.PathLike)) else args[0]).split()[0])
        if program not in LOOKUPS and threading.current_thread() is threading.main_thread():
            started.append(program)
        return execute(self, args, *rest, **kwargs)

    def process_start(self):
        if threading.current_thread() is threading.main_thread():
            started.append(f"{type(self).__name__}")
        return start(self)

    monkeypatch.setattr(subprocess.Popen, "_execute_child", execute_child)
    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", process_start)
    yield
    if started:
        pytest.fail(f"{request.node.nodeid} starts {', '.join(sorted(set(started)))}: "
                    "mark it @pytest.mark.integration", pytrace=False)
