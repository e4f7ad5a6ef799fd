"""A product: one kind of document the run skeleton makes, described once as data.

The self-evaluation and the monitoring report are two :class:`Product` values
(:mod:`.products`); the run (:func:`~selfeval_lib.runner.run.run_product`), the batch's plan,
state and executors, and the year's index read only this description, so a further product (a
绩效目标申报 check, say) is a new value, not a new stack. A product's run parameters (the
monitoring's cut-off month) are part of the value (:meth:`Product.at`): they pick its input
checks, its folder, its state key and its notebook's parameters.

The description lives in ``runner``: the lowest layer that sees both what it loads (``inputs``)
and what it renders with (``render``). Every field is a module-level function or plain data, so
a product crosses to batch worker processes (pickled by reference).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from selfeval_lib.inputs.params import LoadedProject
from selfeval_lib.render.registry import METRICS_FILE, Renderers

if TYPE_CHECKING:  # pragma: no cover
    from selfeval_lib.runner.options import RunOptions

__all__ = ["Index", "Product", "any_parameters", "no_folder", "no_line", "reads_nothing", "reports"]


def no_folder(**parameters: Any) -> str:
    """A product written into the project's folder itself."""
    return ""


def reads_nothing(params: Path) -> list[Path]:
    """A product computed from its params file alone."""
    return []


def any_parameters(**parameters: Any) -> None:
    """A product that takes any run parameters."""


def reports(**parameters: Any) -> str:
    """What a batch's plan line calls a product's documents: "报告"."""
    return "报告"


def no_line(row: dict[str, Any]) -> str:
    """A run's row said in no words on its line of the batch's output."""
    return ""


@dataclass(frozen=True)
class Index:
    """How a product's runs of one year are listed in the year's folder (:mod:`selfeval_lib.batch.index`).

    ``row(metrics)``: a run's row, kept in the batch state with its outcome; ``columns``: the keys
    every row has (None where a failed run has no figure); ``links``: format → the label of its
    link, and ``always_links``: file → label, linked whatever the formats; ``order``: the rows'
    sort key (None: the writer orders them); ``page(**parameters)``: the index page's file name;
    ``files(year, rows, **parameters)``: file name → contents of every index file (``render``'s
    bytes); ``line(row)``: what a run's line in the batch's output says of its row."""

    row: Callable[[dict[str, Any]], dict[str, Any]]
    columns: tuple[str, ...]
    links: Mapping[str, str]
    page: Callable[..., str]
    files: Callable[..., dict[str, bytes]]
    always_links: Mapping[str, str] = field(default_factory=dict)
    order: Callable[[dict[str, Any]], Any] | None = None
    line: Callable[[dict[str, Any]], str] = no_line


@dataclass(frozen=True)
class Product:
    """One kind of document, from a params file to its files under ``<out>/<year>/<id>/``.

    - ``name``: its word in the state and the hand-off (``report``, ``monitoring``);
      ``label``: what people call it (``绩效自评报告``), for messages;
    - ``notebook``: the notebook executed for ``ipynb``, ``html`` and ``pdf``; it receives the
      params file, the rule set, the hand-off and ``parameters`` as papermill parameters;
      ``default_formats`` what a run writes unless told;
    - ``load(path, rule_set=…, **parameters)``: read and validate (``InputError`` lists every
      problem); ``compute(loaded, **parameters)``: the result the notebook, the renderers and the
      metrics show; ``metrics(result)``: metrics.json's data (amounts in 元 as strings), the
      provenance added by the run; ``title(result)``: the document's title;
    - ``renderers``: format → file and renderer (:class:`~selfeval_lib.render.registry.Renderers`);
      ``always``: file → renderer of the result written with every run whatever the formats
      (the self-evaluation's 自查清单); metrics.json is always written too;
    - ``folder(**parameters)``: its folder inside the project's (``""``: the project's own, or
      ``monitoring-07``); ``reads(params)``: other files ``compute`` reads (the earlier years a
      projection uses), part of a batch's fingerprint; ``index``: how its runs of a year are
      listed (:class:`Index`);
    - ``parameters``: the run parameters this value is bound to (``{"month": 7}``),
      ``required``: those a run cannot do without, and ``accept(**parameters)``: ValueError for
      a value it cannot take (a month outside 1–12), checked when bound;
    - ``noun(**parameters)``: what a batch's plan line calls its documents (``报告``,
      ``截至7月的监控报告``).
    """

    name: str
    label: str
    notebook: Path
    default_formats: tuple[str, ...]
    load: Callable[..., LoadedProject]
    compute: Callable[..., Any]
    metrics: Callable[[Any], dict[str, Any]]
    title: Callable[[Any], str]
    renderers: Renderers
    index: Index
    always: Mapping[str, Callable[[Any], bytes]] = field(default_factory=dict)
    folder: Callable[..., str] = no_folder
    reads: Callable[[Path], list[Path]] = reads_nothing
    parameters: Mapping[str, Any] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    accept: Callable[..., None] = any_parameters
    noun: Callable[..., str] = reports

    def at(self, **parameters: Any) -> Product:
        """This product bound to run parameters (``MONITORING.at(month=7)``); ValueError for a
        value it does not accept."""
        self.accept(**parameters)
        return replace(self, parameters={**self.parameters, **parameters})

    @property
    def called(self) -> str:
        """What a batch's plan line calls its documents, with its run parameters."""
        return self.noun(**self.parameters)

    def check(self) -> None:
        """ValueError naming a required run parameter that is not given."""
        missing = [name for name in self.required if self.parameters.get(name) is None]
        if missing:
            raise ValueError(f"{self.label}需要运行参数：{'、'.join(missing)}")

    def notebook_for(self, options: RunOptions) -> Path:
        """The notebook a run with ``options`` executes: the one named there, else this product's."""
        return options.notebook or self.notebook

    def load_input(self, path: str | Path, rule_set: str | None = None) -> LoadedProject:
        """``load`` with this value's parameters."""
        return self.load(path, rule_set=rule_set, **self.parameters)

    def compute_result(self, loaded: LoadedProject) -> Any:
        """``compute`` with this value's parameters."""
        return self.compute(loaded, **self.parameters)

    @property
    def subfolder(self) -> str:
        """Its folder inside the project's (``""`` or ``monitoring-07``)."""
        return self.folder(**self.parameters)

    def report_folder(self, year: int, project_id: str) -> str:
        """Its folder under the output root, as the state records it: ``2023/<id>[/monitoring-07]``."""
        return "/".join(part for part in (str(year), project_id, self.subfolder) if part)

    def state_key(self, params: str) -> str:
        """The state's key of a run of this params file (absolute path): the path itself, or
        ``<path>#monitoring-07`` (a project's products are recorded apart)."""
        return f"{params}#{self.subfolder}" if self.subfolder else params

    def owns(self, entry: Mapping[str, Any]) -> bool:
        """Whether a batch state entry is a run of this product with these parameters."""
        return entry.get("product") == self.name and all(entry.get(k) == v for k, v in self.parameters.items())

    def files(self, formats: tuple[str, ...]) -> list[str]:
        """The files a run with these formats writes into its folder (the ``always`` files and
        metrics.json whatever the formats)."""
        return [self.renderers.names[f] for f in formats] + [*self.always, METRICS_FILE]
