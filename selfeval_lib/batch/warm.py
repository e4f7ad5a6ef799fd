"""What a batch worker needs before its first report, done once in the fork server that the
workers are forked from (:mod:`selfeval_lib.batch.executors`), so that no worker repeats it:
the libraries and modules the notebooks and the renderers use imported, the charts' font set,
the HTML exporter's templates compiled, and the first evaluation's and narrative's one-time
set-up (rule sets parsed, the Jinja environment built) run on the bundled example. Importing
this module does that work; only the fork server imports it. Nothing here starts a thread or
a process: a browser, the notebook shell and a kernel are each worker's own."""

from __future__ import annotations

from selfeval_lib.runner.startup import skip_slow_optional_imports

skip_slow_optional_imports()  # before anything imports jsonschema

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import IPython.core.interactiveshell  # noqa: E402,F401
import pandas  # noqa: E402,F401
import papermill  # noqa: E402,F401

from selfeval_lib.render import pdf, registry  # noqa: E402,F401
from selfeval_lib.render.html import warm_up_exporter  # noqa: E402
from selfeval_lib.render.narrative import render_narrative  # noqa: E402
from selfeval_lib.resources import example_params  # noqa: E402
from selfeval_lib.runner import inprocess, run  # noqa: E402,F401
from selfeval_lib.runner.products import evaluate_loaded  # noqa: E402
from selfeval_lib.inputs.params import load_project  # noqa: E402


def _first_use() -> None:
    inprocess.load_modules()
    warm_up_exporter()
    render_narrative(evaluate_loaded(load_project(example_params())))


_first_use()
