"""The report's content for the notebook: one object that holds a project-year's evaluation, its
tables and charts. The report notebook opens it through :func:`selfeval_lib.render.notebook.open_report`,
which adds the prose and displays the parts; the notebook holds no logic of its own.

In JupyterLab::

    from selfeval_lib.render.notebook import open_report
    report = open_report("../params/2023/dongqu-yjglj-ydhs.yaml")
    report.evaluation.funds.execution_rate      # the numbers, for exploring
    report.table("indicators")                  # a typed DataFrame (分值, 得分 as floats)
    report.styled_table("funds")                # the same numbers, shown as the report shows them
    report.table_names                          # ("funds", "monthly", "items", …)

``selfeval run`` and ``selfeval batch`` have already validated and evaluated the project when
they execute the notebook: they hand the evaluation over (:mod:`~selfeval_lib.report.handoff`)
and name that file in the notebook's ``evaluation_path`` parameter, so the kernel neither reads
nor scores the params again. Imports of pandas and matplotlib wait until a table or chart is
shown, so the command line can save the inputs without them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from selfeval_lib.core.evaluation import Evaluation
from selfeval_lib.errors import ReportError
from selfeval_lib.inputs.params import LoadedProject
from selfeval_lib.report.moved import moved

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure
    from pandas.io.formats.style import Styler

#: The notebook's own call lives above the rendering layer now (a copied notebook is told so).
__getattr__ = moved(__name__, {"open_report": "selfeval_lib.render.notebook"})


@dataclass(frozen=True)
class Report:
    """A loaded, validated and evaluated project-year, its tables and charts."""

    loaded: LoadedProject
    evaluation: Evaluation

    @property
    def table_names(self) -> tuple[str, ...]:
        """The names :meth:`table` knows, in the report's order."""
        from selfeval_lib.report.tables import NAMES

        return NAMES

    def table(self, name: str) -> pd.DataFrame:
        """The report's table ``name`` (see :attr:`table_names`) typed for analysis: amounts in 万元
        as floats (the header says "（万元）"), rates as fractions, scores as floats, full
        precision. An unknown name raises :class:`~selfeval_lib.errors.ReportError` listing the
        valid ones."""
        from selfeval_lib.report.tables import data_frame

        return data_frame(name, self.evaluation)

    def formatted_table(self, name: str) -> pd.DataFrame:
        """The table ``name`` as the report prints it: every cell text ("8.62", "96.55%", "9.60")."""
        from selfeval_lib.report.tables import display_frame

        return display_frame(name, self.evaluation)

    def styled_table(self, name: str) -> Styler:
        """The typed table ``name`` as a pandas Styler showing the report's formats (its
        ``.data`` stays numbers), for a notebook cell."""
        from selfeval_lib.report.tables import styled

        return styled(name, self.evaluation)

    def figure(self, name: str) -> Figure:
        """The report's chart ``name`` ("monthly", "scores") as a matplotlib Figure."""
        from selfeval_lib.report.outline import CHARTS

        if name not in CHARTS:
            raise ReportError(f"没有名为“{name}”的图；可用的图：{'、'.join(CHARTS)}")
        return CHARTS[name](self.evaluation)


def load_report(params_path: str | Path, rule_set: str | None = None,
                evaluation_path: str | Path | None = None) -> Report:
    """Load and validate a params file (optionally under another rule set) and evaluate it; or,
    given ``evaluation_path`` (a run's :class:`~selfeval_lib.report.handoff.Handoff`), load what
    the command line has already validated and evaluated for that params file. An empty
    ``params_path`` opens the bundled example (:func:`~selfeval_lib.resources.example_params`),
    so a copied notebook runs as is."""
    from selfeval_lib.resources import example_params

    params_path = Path(params_path) if params_path else example_params()
    if evaluation_path:
        from selfeval_lib.report.handoff import load_handoff

        handoff = load_handoff(evaluation_path, "report", params_path)
        return Report(loaded=handoff.loaded, evaluation=handoff.result)
    from selfeval_lib.core.evaluation import evaluate
    from selfeval_lib.inputs.params import load_project

    loaded = load_project(Path(params_path), rule_set=rule_set)
    return Report(loaded=loaded, evaluation=evaluate(loaded.project_year, loaded.rules))
