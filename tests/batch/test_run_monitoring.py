"""``selfeval batch --monitor N``: a small generated portfolio with progress values through the
batch machinery (real workers and kernels, HTML only): the monitoring index's lights match the
core's, red first; a re-run skips; the month is part of the fingerprint; a bad project writes
nothing and does not stop the others; the self-evaluation index is left alone."""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from selfeval_lib.batch.run import run_batch
from selfeval_lib.batch.state import load_state
from selfeval_lib.core.monitoring import LIGHT_ORDER, LIGHT_ZH, monitor
from selfeval_lib.inputs.params import load_project
from selfeval_lib.inputs.synthetic import synthetic_params
from selfeval_lib.runner.options import RunOptions
from selfeval_lib.runner.products import monitoring

pytestmark = pytest.mark.integration

MONTH = 6
OPTIONS = RunOptions(formats=("html",))
PRODUCT = monitoring(MONTH)
#: Share of the prorated target reached by month 6, per project: red, yellow, green, blue, none.
SHARES = (0.3, 0.7, 1.0, 1.5, None)


def _with_progress(params: dict, share: float | None, month: int = MONTH) -> dict:
    """Progress values for the quantity indicator (a share of its target prorated to ``month``)
    and the satisfaction rate; a funds note for the execution."""
    first = params["indicators"][0]
    number = int(re.search(r"\d+", first["target"]).group())
    unit = first["target"].lstrip("≥≤=0123456789")
    if share is not None:
        first["progress"] = [{"month": month, "value": f"{round(number / 12 * month * share)}{unit}",
                              "category": "人员保障", "reason": "部分点位人员未到岗", "measure": "增派人员"}]
        params["indicators"][-1]["progress"] = [{"month": month, "value": "85%"}]
    params["funds"]["monitoring"] = [{"month": month, "category": "其他", "reason": "合同按季度结算",
                                      "measure": "督促按合同节点支付", "achievable": True}]
    return params


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("portfolio")
    for params, share in zip(synthetic_params(len(SHARES), seed=15), SHARES):
        path = folder / f"{params['project']['id']}.yaml"
        path.write_text(yaml.safe_dump(_with_progress(params, share), allow_unicode=True), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def batch(portfolio, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    return out, run_batch([portfolio], out, OPTIONS, jobs=2, product=PRODUCT)


def _index_rows(page: str) -> list[list[str]]:
    body = page.split("<tbody>", 1)[1]
    return [[html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def test_index_lights_match_the_core(batch, portfolio):
    out, result = batch
    assert result.ok, [o.error for o in result.failed]
    page = (out / "2023" / f"monitoring-{MONTH:02d}.html").read_text(encoding="utf-8")
    rows = {r[0]: r for r in _index_rows(page)}
    assert len(rows) == len(SHARES)
    for path in sorted(portfolio.glob("*.yaml")):
        loaded = load_project(path)
        m = monitor(loaded.project_year, loaded.rules, MONTH)
        row = rows[loaded.project_year.project.id]
        counts = Counter(s.light for s in m.indicators)
        assert row[7] == LIGHT_ZH[m.execution.light]
        assert [int(x) for x in row[10:15]] == [counts["red"], counts["yellow"], counts["green"], counts["blue"],
                                                counts[None]]
    seen = {r[0]: r for r in _index_rows(page)}
    assert {LIGHT_ZH["red"], LIGHT_ZH["yellow"]} <= {c for r in seen.values() for c in r}


def test_index_is_red_first_and_has_an_excel_twin(batch):
    out, _ = batch
    state = load_state(out)
    worst = {e["project_id"]: e["row"]["worst"] for e in state.values() if e.get("month") == MONTH}
    page = (out / "2023" / f"monitoring-{MONTH:02d}.html").read_text(encoding="utf-8")
    order = [r[0] for r in _index_rows(page)]
    assert [worst[i] for i in order] == sorted(worst[i] for i in order)
    assert worst[order[0]] == LIGHT_ORDER["red"]
    ws = load_workbook(out / "2023" / f"monitoring-{MONTH:02d}.xlsx").active
    assert [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)] == order
    light = ws.cell(row=2, column=8)
    assert light.value in LIGHT_ZH.values() and light.fill.fgColor.rgb.endswith(("F8D7DA", "FFF2CC"))
    assert not (out / "2023" / "index.html").exists()  # the self-evaluation index is another batch's


def test_rerun_skips_and_another_month_runs(batch, portfolio):
    out, _ = batch
    again = run_batch([portfolio], out, OPTIONS, jobs=2, product=PRODUCT)
    assert len(again.plan.up_to_date) == len(SHARES) and not again.plan.to_run
    plan_only = run_batch([portfolio], out, OPTIONS, jobs=2, product=monitoring(MONTH + 1), year=1999)  # plans, runs nothing of 2023
    assert not plan_only.plan.up_to_date  # the month is part of what identifies a run


def test_bad_project_writes_nothing_and_the_rest_run(portfolio, tmp_path):
    folder = tmp_path / "params"
    folder.mkdir()
    good = sorted(portfolio.glob("*.yaml"))[0]
    (folder / good.name).write_bytes(good.read_bytes())
    data = yaml.safe_load(good.read_text(encoding="utf-8"))
    data["project"]["id"] = "late-progress"
    data["indicators"][0]["progress"] = [{"month": MONTH, "value": data["indicators"][0]["actual"],
                                          "expected": "2023年5月1日"}]  # a date against a quantity
    (folder / "late.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run_batch([folder], tmp_path / "out", OPTIONS, jobs=1, product=PRODUCT)
    (path, problems), = result.plan.invalid.items()
    assert path.endswith("late.yaml") and "全年预计完成值" in problems[0].message
    assert [o.status for o in result.outcomes] == ["ok"]
    assert not (tmp_path / "out" / "2023" / "late-progress").exists()
