"""A product is a description on the one run skeleton: a small fourth product (a 绩效目标申报
check) runs through ``run_product`` and the batch's plan, state and executor without a stack of
its own."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from conftest import SAMPLES, SEED_SAMPLE
from selfeval_lib.batch.executors import run_task
from selfeval_lib.batch.index import write_index
from selfeval_lib.batch.plan import make_plan
from selfeval_lib.batch.state import load_folders, load_state, record_outcome
from selfeval_lib.inputs.params import LoadedProject, load_project
from selfeval_lib.render.registry import METRICS_FILE, RenderContext, Renderers
from selfeval_lib.runner.options import RunOptions
from selfeval_lib.runner.product import Index, Product
from selfeval_lib.runner.products import monitoring
from selfeval_lib.runner.run import run_product


@dataclass(frozen=True)
class GoalCheck:
    """The dummy product's result: how many indicators have a target, of how many."""

    project: str
    with_target: int
    indicators: int


def load_goals(path: Path, rule_set: str | None = None, threshold: int = 1) -> LoadedProject:
    return load_project(path, rule_set)


def check_goals(loaded: LoadedProject, threshold: int = 1) -> GoalCheck:
    indicators = loaded.project_year.indicators
    with_target = sum(1 for i in indicators if str(i.target).strip())
    return GoalCheck(loaded.project_year.project.id, with_target, len(indicators))


def goal_metrics(result: GoalCheck) -> dict:
    return {"kind": "goals", "with_target": result.with_target, "indicators": result.indicators}


def goal_html(ctx: RenderContext) -> str:
    """The executed notebook's printed lines as a page."""
    lines = [o["text"] for c in ctx.notebook.cells for o in c.get("outputs", []) if o.get("name") == "stdout"]
    return f"<h1>{ctx.title}</h1><pre>{''.join(lines)}</pre>"


def goal_csv(ctx: RenderContext) -> bytes:
    return f"{ctx.result.project},{ctx.result.with_target},{ctx.result.indicators}\n".encode()


def goal_row(metrics: dict) -> dict:
    return {"with_target": metrics["with_target"]}


def goal_index(year: int, rows: list[dict], threshold: int) -> dict[str, bytes]:
    """The dummy product's index: one CSV line per run."""
    lines = [f"{r['id']},{r['status']},{r['with_target']},{' '.join(link for _, link in r['links'])}" for r in rows]
    return {f"goals-{threshold}.csv": "\n".join(lines).encode()}


def _notebook(folder: Path) -> Path:
    """The product's notebook: it reads the hand-off and prints what the parent computed."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('params_path = ""\nrule_set = ""\nevaluation_path = ""\nthreshold = 0',
                                          metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("from selfeval_lib.report.handoff import load_handoff\n"
                                          "h = load_handoff(evaluation_path, 'goals', params_path, threshold=threshold)\n"
                                          "print(f'{h.result.with_target}/{h.result.indicators} 项指标有目标值')")]
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "goals.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture
def goals(tmp_path: Path) -> Product:
    """The fourth product: a description, nothing else."""
    return Product(
        name="goals", label="绩效目标申报审核", notebook=_notebook(tmp_path), default_formats=("html",),
        load=load_goals, compute=check_goals, metrics=goal_metrics,
        title=lambda r: f"{r.project} 绩效目标审核",
        renderers=Renderers(names={"ipynb": "goals.ipynb", "html": "goals.html", "pdf": "goals.pdf",
                                   "xlsx": "goals.csv", "docx": "goals.docx"},
                            html=goal_html, office={"xlsx": goal_csv}),
        index=Index(row=goal_row, columns=("with_target",), links={"xlsx": "CSV"}, files=goal_index,
                    page=lambda threshold: f"goals-{threshold}.csv", order=lambda r: r["id"]),
        folder=lambda threshold: f"goals-{threshold}", required=("threshold",),
    ).at(threshold=2)


def test_a_fourth_product_runs_through_the_skeleton(goals: Product, tmp_path: Path) -> None:
    loaded = load_project(SEED_SAMPLE)
    expected = check_goals(loaded)
    result = run_product(goals, SEED_SAMPLE, tmp_path / "out", RunOptions(formats=("html", "xlsx")))
    project = loaded.project_year.project
    assert result.out_dir == tmp_path / "out" / str(project.year) / project.id / "goals-2"
    assert sorted(p.name for p in result.files) == ["goals.csv", "goals.html", METRICS_FILE]
    page = (result.out_dir / "goals.html").read_text(encoding="utf-8")
    assert f"{expected.with_target}/{expected.indicators} 项指标有目标值" in page  # the kernel got the parent's result
    assert f"<h1>{project.id} 绩效目标审核</h1>" in page
    assert (result.out_dir / "goals.csv").read_text() == f"{project.id},{expected.with_target},{expected.indicators}\n"
    metrics = json.loads((result.out_dir / METRICS_FILE).read_text(encoding="utf-8"))
    assert metrics["with_target"] == expected.with_target and metrics["provenance"]["params_file"] == SEED_SAMPLE.name
    assert load_folders(tmp_path / "out") == {f"{project.year}/{project.id}/goals-2": {
        "params": str(SEED_SAMPLE.resolve()), "params_sha256": loaded.params_sha256}}


def test_a_required_run_parameter_is_asked_for(goals: Product, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="绩效目标申报审核需要运行参数：threshold"):
        run_product(goals.at(threshold=None), SEED_SAMPLE, tmp_path / "out", RunOptions(formats=("xlsx",)))
    with pytest.raises(ValueError, match="截止月份"):
        monitoring(13)
    assert not (tmp_path / "out").exists()


def test_the_batch_takes_the_product(goals: Product, tmp_path: Path) -> None:
    """Plan, run (as a worker does), record, index and re-plan the fourth product: its state key,
    entry, fingerprint and index come from its description."""
    options = RunOptions(formats=("xlsx",))
    plan = make_plan(SAMPLES[:2], tmp_path, options, product=goals)
    assert [t.key for t in plan.to_run] == [f"{p.resolve()}#goals-2" for p in SAMPLES[:2]]
    assert all(t.fingerprint["threshold"] == "2" for t in plan.to_run)
    for task in plan.to_run:
        outcome = run_task(task)
        assert outcome.status == "ok", outcome.error
        record_outcome(tmp_path, outcome)
    entry = load_state(tmp_path)[plan.to_run[0].key]
    assert (entry["product"], entry["threshold"], entry["params"]) == ("goals", 2, plan.to_run[0].params)
    assert entry["row"] == goal_row(goal_metrics(check_goals(plan.to_run[0].loaded)))
    ids = sorted(t.project_id for t in plan.to_run)
    year = plan.to_run[0].year
    assert write_index(tmp_path, year, goals, load_state(tmp_path), load_folders(tmp_path)) == [
        tmp_path / str(year) / "goals-2.csv"]
    lines = (tmp_path / str(year) / "goals-2.csv").read_text().splitlines()
    assert [line.split(",")[:2] for line in lines] == [[i, "ok"] for i in ids]
    assert lines[0].endswith(f"{ids[0]}/goals-2/goals.csv")  # linked in the product's folder
    assert write_index(tmp_path, year, goals.at(threshold=3), load_state(tmp_path)) == [
        tmp_path / str(year) / "goals-3.csv"] and not (tmp_path / str(year) / "goals-3.csv").read_text()
    assert len(make_plan(SAMPLES[:2], tmp_path, options, product=goals).up_to_date) == 2
    assert len(make_plan(SAMPLES[:2], tmp_path, options, product=goals.at(threshold=3)).to_run) == 2
    assert len(make_plan(SAMPLES[:2], tmp_path, options).to_run) == 2  # the self-evaluation is recorded apart
