"""The batch's plan: each params file parsed once, each indicator scored once, the evaluation
handed to the notebook instead of the params being read again."""

from __future__ import annotations

import pickle
import shutil
from collections import Counter
from pathlib import Path

import nbformat
import pytest

from conftest import SAMPLES
from selfeval_lib.batch.executors import run_task
from selfeval_lib.batch.plan import make_plan
from selfeval_lib.core import evaluation as evaluation_mod
from selfeval_lib.inputs import params as params_mod
from selfeval_lib.runner import run as run_mod
from selfeval_lib.runner.options import RunOptions


@pytest.fixture
def projects(tmp_path: Path) -> Path:
    folder = tmp_path / "params"
    folder.mkdir()
    for path in SAMPLES:
        shutil.copy(path, folder / path.name)
    shutil.copytree(SAMPLES[0].parent.parent / "rules", folder / "rules")
    return folder


def test_a_batch_parses_and_scores_each_project_once(projects: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: Counter[str] = Counter()
    scored: Counter[tuple[str, str]] = Counter()
    executed: list[dict[str, str]] = []
    real_read_yaml, real_score = params_mod.read_yaml, evaluation_mod.score_indicator

    def counting_read_yaml(path, *args, **kwargs):
        if Path(path).parent == projects:
            parsed[Path(path).name] += 1
        return real_read_yaml(path, *args, **kwargs)

    def counting_score(indicator, rules, year):
        scored[(str(year), indicator.name)] += 1
        return real_score(indicator, rules, year)

    def fake_execute(notebook, parameters, kernel, timeout):
        """The kernel's side: it gets the parent's evaluation, not only the params file."""
        marker, handoff = pickle.loads(Path(parameters["evaluation_path"]).read_bytes())
        assert parameters["params_path"] == handoff.params == str(Path(handoff.loaded.path).resolve())
        assert handoff.result.project_year == handoff.loaded.project_year
        executed.append(parameters)
        return nbformat.v4.new_notebook()

    monkeypatch.setattr(params_mod, "read_yaml", counting_read_yaml)
    monkeypatch.setattr(evaluation_mod, "score_indicator", counting_score)
    monkeypatch.setattr(run_mod, "execute_notebook", fake_execute)

    plan = make_plan([projects], tmp_path / "out", RunOptions(formats=("ipynb", "xlsx")))
    outcomes = [run_task(task, kernel=object()) for task in plan.to_run]  # as a worker does

    assert [o.status for o in outcomes] == ["ok"] * len(SAMPLES), [o.error for o in outcomes]
    assert parsed == Counter({p.name: 1 for p in SAMPLES})
    indicators = sum(len(t.loaded.project_year.indicators) for t in plan.to_run)
    assert sum(scored.values()) == indicators and set(scored.values()) == {1}
    assert len(executed) == len(SAMPLES)
    assert not [p for p in executed if Path(p["evaluation_path"]).exists()], "temporary evaluation files left behind"


def test_an_up_to_date_project_is_not_parsed(projects: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from selfeval_lib.batch.state import record_outcome

    out = tmp_path / "out"
    options = RunOptions(formats=("xlsx",))
    plan = make_plan([projects], out, options)
    for task in plan.to_run:
        record_outcome(out, run_task(task))  # as the batch does: the outcome with its report folder

    def no_parse(*args, **kwargs):
        raise AssertionError("an up-to-date project was parsed")

    monkeypatch.setattr(params_mod, "read_yaml", no_parse)
    again = make_plan([projects], out, options)
    assert again.to_run == [] and len(again.up_to_date) == len(SAMPLES)


def test_a_dead_workers_evaluation_files_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    mine, other = tmp_path / f"{run_mod.EVALUATION_FILE_PREFIX}4242-x.pickle", tmp_path / f"{run_mod.EVALUATION_FILE_PREFIX}4243-x.pickle"
    mine.write_bytes(b""), other.write_bytes(b"")
    run_mod.remove_evaluation_files(4242)
    assert not mine.exists() and other.exists()


def test_a_folder_holding_another_params_files_report_is_not_up_to_date(projects: Path, tmp_path: Path) -> None:
    """``selfeval run other.yaml`` (same year and id) overwrote the folder: the batch re-runs its
    own params file, and the index leaves out the row that would link to the other report."""
    from selfeval_lib.batch.index import index_rows
    from selfeval_lib.runner.products import SELF_EVALUATION
    from selfeval_lib.batch.state import load_folders, load_state, record_outcome
    from selfeval_lib.inputs.params import load_project as load

    out = tmp_path / "out"
    options = RunOptions(formats=("xlsx",))
    for task in make_plan([projects], out, options).to_run:
        record_outcome(out, run_task(task))
    assert len(make_plan([projects], out, options).up_to_date) == len(SAMPLES)

    first = sorted(projects.glob("*.yaml"))[0]
    other = tmp_path / "elsewhere" / first.name
    other.parent.mkdir()
    other.write_text(first.read_text(encoding="utf-8").replace("\n", "\n# another copy\n", 1), encoding="utf-8")
    run_mod.run_report(other, out, options)  # as `selfeval run` does: records the folder's new owner
    folder = next(f for f, p in load_folders(out).items() if p["params"] == str(other.resolve()))

    again = make_plan([projects], out, options)
    assert [t.key for t in again.to_run] == [str(first.resolve())] and len(again.up_to_date) == len(SAMPLES) - 1
    year = load(first).project_year.project.year
    listed = {row["id"] for row in index_rows(load_state(out), year, SELF_EVALUATION, load_folders(out))}
    assert folder.split("/", 1)[1] not in listed and len(listed) == len(SAMPLES) - 1


def test_ids_that_differ_only_in_case_are_refused_as_one_folder(tmp_path: Path) -> None:
    """Case-X and case-x are one folder on a case-insensitive disk (Windows, macOS): the second is
    refused in the plan, naming the first file and both ids."""
    import yaml

    folder = tmp_path / "params"
    folder.mkdir()
    data = yaml.safe_load(SAMPLES[0].read_text(encoding="utf-8"))
    for name, pid in (("a.yaml", "Case-X"), ("b.yaml", "case-x"), ("c.yaml", "Case-Y")):
        data["project"]["id"] = pid
        (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    plan = make_plan([folder], tmp_path / "out", RunOptions(formats=("xlsx",)))
    assert sorted(t.project_id for t in plan.to_run) == ["Case-X", "Case-Y"]
    (problem,) = plan.invalid[str(folder / "b.yaml")]
    assert problem.field == "project.id" and "只差大小写（Case-X / case-x）" in problem.message
    assert str((folder / "a.yaml").resolve()) in problem.message
