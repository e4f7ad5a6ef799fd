"""The two products the run skeleton makes today, each described once (:class:`~.product.Product`):

- :data:`SELF_EVALUATION`, the year-end 绩效自评报告 and its 自评表, in ``<out>/<year>/<id>/``,
  listed in the year's ``index.html``, ``portfolio.csv`` and ``portfolio.xlsx``;
- :data:`MONITORING`, the mid-year 绩效运行监控报告 and its 运行监控表 at a cut-off month, in
  ``<out>/<year>/<id>/monitoring-MM/`` (:func:`monitoring` binds the month), listed red first in
  the year's ``monitoring-MM.html`` and ``.xlsx``.

Each one's index row is built from its metrics (:func:`summary_row`, :func:`monitoring_row`) and
kept in the batch state; the index files' bytes are ``render``'s.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.evaluation import Evaluation, evaluate, to_dict
from selfeval_lib.core.monitoring import LIGHT_ORDER, LIGHT_ZH
from selfeval_lib.inputs.monitoring_input import load_monitored
from selfeval_lib.inputs.params import LoadedProject, load_project
from selfeval_lib.inputs.rulesets import rules_label
from selfeval_lib.render import registry
from selfeval_lib.render.monitoring_index import COLUMNS as MONITORING_COLUMNS
from selfeval_lib.render.portfolio_index import COLUMNS as PORTFOLIO_COLUMNS
from selfeval_lib.report.checklist import checklist_counts
from selfeval_lib.report.monitoring import MonitoringReport, earlier_paths, monitoring_metrics
from selfeval_lib.resources import MONITORING_NOTEBOOK, REPORT_NOTEBOOK
from selfeval_lib.runner.options import DEFAULT_FORMATS, DEFAULT_MONITORING_FORMATS, MONTHS
from selfeval_lib.runner.product import Index, Product

__all__ = ["MONITORING", "SELF_EVALUATION", "monitoring", "monitoring_folder", "monitoring_index_name",
           "monitoring_row", "monitoring_title", "red_first", "report_title", "rule_set_cell", "summary_row"]


# --- the self-evaluation ------------------------------------------------------------------------
def evaluate_loaded(loaded: LoadedProject) -> Evaluation:
    """The self-evaluation's result: the project-year evaluated under its rule set."""
    return evaluate(loaded.project_year, loaded.rules)


def report_metrics(ev: Evaluation) -> dict[str, Any]:
    """metrics.json of a self-evaluation (:func:`~selfeval_lib.core.evaluation.to_dict`, with the
    自查清单's counts)."""
    return {**to_dict(ev), "checklist": checklist_counts(ev)}


def report_title(ev: Evaluation) -> str:
    """"2023年度…绩效自评报告"."""
    project = ev.project_year.project
    return f"{project.year}年度{project.name}绩效自评报告"


def summary_row(metrics: dict[str, Any]) -> dict[str, Any]:
    """The year's index row of one self-evaluation, from its metrics (:func:`report_metrics`; amounts
    in 万元 rounded as the report shows them, rates as fractions)."""
    funds, scores = metrics["funds"], metrics["scores"]
    codes = Counter(f["code"] for f in metrics["findings"])
    return {
        "year": metrics["project"]["year"],
        "id": metrics["project"]["id"],
        "name": metrics["project"]["name"],
        "unit": metrics["project"]["unit"],
        "department": metrics["project"].get("department"),
        "budget_wan": float(fmt.wan_value(funds["budget_full_year"])),  # rounded as the report shows it
        "executed_wan": float(fmt.wan_value(funds["executed"])),
        "execution_rate": funds["execution_rate"],
        "total": fmt.round_half_up(scores["total"]),
        "grade": scores["grade"],
        "findings": len(metrics["findings"]),
        "placeholders": metrics.get("checklist", {}).get("placeholders"),
        "finding_codes": dict(sorted(codes.items())),
        "rule_set": rule_set_cell(metrics),
    }


def rule_set_cell(metrics: dict[str, Any]) -> str | None:
    """The rule set that scored a report and where it came from (its metrics' provenance), as the
    index shows it: ``全国通用（内置）`` or ``某市规则（/data/rules/city.yaml）``."""
    prov = metrics.get("provenance") or {}
    if not prov.get("rules_title"):
        return None
    return rules_label(prov["rules_title"], prov.get("rules_file", ""))


def portfolio_page() -> str:
    """The year's index page: ``index.html``."""
    return "index.html"


def portfolio_files(year: int, rows: list[dict[str, Any]]) -> dict[str, bytes]:
    """The year's index: ``index.html``, ``portfolio.csv`` and ``portfolio.xlsx``
    (:mod:`selfeval_lib.render.portfolio_index`)."""
    from selfeval_lib.render.portfolio_index import index_html, portfolio_csv, portfolio_xlsx

    return {portfolio_page(): index_html(year, rows).encode("utf-8"), "portfolio.csv": portfolio_csv(rows),
            "portfolio.xlsx": portfolio_xlsx(year, rows)}


def score_line(row: dict[str, Any]) -> str:
    """A self-evaluation's line in the batch's output: "总分 86.50 良 问题 3"."""
    return f"总分 {fmt.score(row['total'])} {row['grade']} 问题 {row['findings']}"


SELF_EVALUATION = Product(
    name="report", label="绩效自评报告", notebook=REPORT_NOTEBOOK, default_formats=DEFAULT_FORMATS,
    load=load_project, compute=evaluate_loaded, metrics=report_metrics, title=report_title,
    renderers=registry.REPORT, always={registry.CHECKLIST_FILE: registry.render_checklist},
    index=Index(row=summary_row, columns=tuple(key for _, key, _ in PORTFOLIO_COLUMNS),
                links={"html": "HTML", "pdf": "PDF", "xlsx": "自评表", "docx": "Word"},
                always_links={registry.CHECKLIST_FILE: "自查清单"}, page=portfolio_page, files=portfolio_files,
                line=score_line))


# --- the monitoring -----------------------------------------------------------------------------
def monitoring_folder(month: int) -> str:
    """The folder of a monitoring report inside the project's folder: ``monitoring-07``."""
    return f"monitoring-{month:02d}"


def monitoring_title(report: MonitoringReport) -> str:
    """"2023年度…绩效运行监控报告（1–7月）"."""
    p = report.loaded.project_year.project
    return f"{p.year}年度{p.name}绩效运行监控报告（1–{report.month}月）"


def monitoring_row(metrics: dict[str, Any]) -> dict[str, Any]:
    """The monitoring index row of one run, from its metrics
    (:func:`selfeval_lib.report.monitoring.monitoring_metrics`): the lights, ``worst`` the rank of
    the worst of them (red first)."""
    e, counts = metrics["execution"], metrics["lights"]["indicators"]
    lights = [e["light"], e["checkpoint_light"], *(k for k, n in counts.items() if n and k != "none")]
    return {
        "year": metrics["project"]["year"], "id": metrics["project"]["id"], "name": metrics["project"]["name"],
        "unit": metrics["project"]["unit"], "month": metrics["month"],
        "budget_wan": float(fmt.wan_value(e["budget_full_year"])), "execution_rate": e["execution_rate"],
        "time_progress": e["time_progress"], "progress": e["progress"], "light": e["light"],
        "checkpoint_light": e["checkpoint_light"], "projected_rate": e["projection"]["rate"],
        **{k: counts.get(k, 0) for k in ("red", "yellow", "green", "blue", "none")},
        "findings": len(metrics["findings"]),
        "worst": min((LIGHT_ORDER[x] for x in lights if x), default=len(LIGHT_ORDER)),
        "rule_set": rule_set_cell(metrics),
    }


def lights_line(row: dict[str, Any]) -> str:
    """A monitoring run's line in the batch's output: "预算执行红灯 红灯1 黄灯0"."""
    return f"预算执行{LIGHT_ZH.get(row['light'], '—')} 红灯{row['red']} 黄灯{row['yellow']}"


def check_month(**parameters: Any) -> None:
    """The monitoring's cut-off month, when bound, is 1–12; ValueError otherwise."""
    month = parameters.get("month", MONTHS[0])
    if isinstance(month, bool) or not isinstance(month, int) or month not in MONTHS:
        raise ValueError(f"截止月份应在 1–12 之间，而不是 {month!r}")


def monitoring_reports(**parameters: Any) -> str:
    """What a monitoring batch's plan line calls its documents: "截至7月的监控报告"."""
    return f"截至{parameters['month']}月的监控报告"


def red_first(row: dict[str, Any]) -> tuple:
    """The monitoring index's order: a failed run first, then the worst light, the execution light,
    more red and yellow indicators, then unit and id."""
    worst = row.get("worst")
    execution = LIGHT_ORDER.get(row.get("light") or "", len(LIGHT_ORDER))
    return (row["status"] == "ok", len(LIGHT_ORDER) if worst is None else worst, execution, -(row.get("red") or 0),
            -(row.get("yellow") or 0), row.get("unit") or "", row["id"])


def monitoring_index_name(month: int, suffix: str) -> str:
    """``monitoring-07.html`` / ``.xlsx`` in the year's folder."""
    return f"monitoring-{month:02d}.{suffix}"


def monitoring_page(month: int) -> str:
    """The monitoring index page of ``month``: ``monitoring-07.html``."""
    return monitoring_index_name(month, "html")


def monitoring_index_files(year: int, rows: list[dict[str, Any]], month: int) -> dict[str, bytes]:
    """The year's monitoring index of ``month``: ``monitoring-07.html`` and ``.xlsx``
    (:mod:`selfeval_lib.render.monitoring_index`)."""
    from selfeval_lib.render.monitoring_index import monitoring_index_html, monitoring_index_xlsx

    return {monitoring_page(month): monitoring_index_html(year, month, rows).encode("utf-8"),
            monitoring_index_name(month, "xlsx"): monitoring_index_xlsx(year, month, rows)}


MONITORING = Product(
    name="monitoring", label="绩效运行监控报告", notebook=MONITORING_NOTEBOOK,
    default_formats=DEFAULT_MONITORING_FORMATS, load=load_monitored, compute=MonitoringReport.build,
    metrics=monitoring_metrics, title=monitoring_title, renderers=registry.MONITORING, folder=monitoring_folder,
    reads=earlier_paths, required=("month",), accept=check_month, noun=monitoring_reports,
    index=Index(row=monitoring_row, columns=tuple(key for _, key, _ in MONITORING_COLUMNS),
                links={"html": "HTML", "pdf": "PDF", "xlsx": "运行监控表", "docx": "Word"}, order=red_first,
                page=monitoring_page, files=monitoring_index_files, line=lights_line))


def monitoring(month: int) -> Product:
    """The monitoring at cut-off ``month`` (1–12); ValueError otherwise (:func:`check_month`)."""
    return MONITORING.at(month=month)
