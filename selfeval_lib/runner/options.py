"""How a run is made: the formats (:data:`selfeval_lib.render.registry.FORMATS`; each product names
its files) and :class:`RunOptions`, the one options object of a run with every default in one
place (``selfeval run``, ``monitor`` and ``batch`` and :func:`~selfeval_lib.runner.run.run_product`
all take it). What is made — the self-evaluation, the monitoring at a month — is the product
(:mod:`.products`), not an option.

Kept free of heavy imports so that planning a batch (which mostly skips) starts fast.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any, Callable
from pathlib import Path

from selfeval_lib.inputs.messages import did_you_mean
from selfeval_lib.render.registry import FORMATS, NOTEBOOK_FORMATS
from selfeval_lib.render.pdf import DEFAULT_PDF_ENGINE, PDF_ENGINES, parse_pdf_engine

__all__ = ["DEFAULT_FORMATS", "DEFAULT_KERNEL", "DEFAULT_MONITORING_FORMATS", "DEFAULT_TIMEOUT", "FORMATS",
           "MAX_SAMPLE_PROJECTS", "MONTHS", "NOTEBOOK_FORMATS", "PDF_ENGINES", "RunOptions", "YEARS", "argparse_type",
           "notebook_problem", "parse_count", "parse_formats", "parse_month", "parse_pdf_engine", "parse_year"]

DEFAULT_FORMATS = ("ipynb", "html", "pdf")
#: What ``selfeval monitor`` writes by default: the report (ipynb, HTML, PDF) and the 运行监控表.
DEFAULT_MONITORING_FORMATS = ("ipynb", "html", "pdf", "xlsx")
#: Seconds a notebook cell may run before the run fails (and its kernel is stopped).
DEFAULT_TIMEOUT = 600
DEFAULT_KERNEL = "python3"
#: The years a project-year may have (as the params schema admits: ``core.model``).
YEARS = range(2000, 2101)
#: The cut-off months of a monitoring report.
MONTHS = range(1, 13)
#: The most project-years ``selfeval sample`` writes in one call (about 3 KB a file).
MAX_SAMPLE_PROJECTS = 100_000


def parse_formats(text: str) -> tuple[str, ...]:
    """"ipynb,html,pdf" → a tuple in canonical order; ValueError names an unknown format, or
    says that none was given."""
    wanted = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = sorted(set(wanted) - set(FORMATS))
    if unknown:
        hints = "".join(f"，{hint}" for hint in (did_you_mean(u, FORMATS) for u in unknown) if hint)
        raise ValueError(f"未知的输出格式：{', '.join(unknown)}{hints}（可选：{', '.join(FORMATS)}）")
    if not wanted:
        raise ValueError(f"至少要指定一种输出格式（可选：{', '.join(FORMATS)}）")
    return tuple(f for f in FORMATS if f in wanted)


def parse_count(text: str, what: str = "数量", most: int | None = None) -> int:
    """A whole number ≥ 1 (a job count, a timeout in seconds, a number of projects), at most
    ``most`` when given; ValueError says what is wrong."""
    try:
        value = int(text.strip())
    except ValueError:
        raise ValueError(f"{what}应为正整数，而不是 {text!r}") from None
    if value < 1:
        raise ValueError(f"{what}应为正整数（至少 1），而不是 {value}")
    if most is not None and value > most:
        raise ValueError(f"{what}过大：最多 {most}，而不是 {value}")
    return value


def notebook_problem(path: Path) -> str | None:
    """What makes ``path`` unusable as a report notebook (missing, not a file, not a Jupyter
    notebook in format 4), or None."""
    import json

    path = Path(path)
    if not path.is_file():
        return "找不到该文件" if not path.exists() else "不是文件"
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        return f"不是 Jupyter 笔记本（.ipynb）：{'无法读取' if isinstance(exc, OSError) else '内容不是 JSON'}"
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list) or data.get("nbformat") != 4:
        return "不是 Jupyter 笔记本（.ipynb，格式 4）：缺少 cells 或 nbformat"
    return None


def parse_year(text: str) -> int:
    """A plausible year (:data:`YEARS`); ValueError says what is wrong."""
    try:
        value = int(text.strip())
    except ValueError:
        raise ValueError(f"年度应为整数，而不是 {text!r}") from None
    if value not in YEARS:
        raise ValueError(f"年度应在 {YEARS.start}–{YEARS.stop - 1} 之间，而不是 {value}")
    return value


def parse_month(text: str) -> int:
    """A cut-off month 1–12 (:data:`MONTHS`); ValueError says what is wrong."""
    try:
        value = int(text.strip())
    except ValueError:
        raise ValueError(f"截止月份应为 1–12 的整数，而不是 {text!r}") from None
    if value not in MONTHS:
        raise ValueError(f"截止月份应在 1–12 之间，而不是 {value}")
    return value


def argparse_type(parse: Callable[..., Any], *args: Any) -> Callable[[str], Any]:
    """An argparse ``type`` from one of the parsers above: a bad value is a usage error (exit 2)
    with the parser's message."""
    def check(text: str) -> Any:
        try:
            return parse(text, *args)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    check.__name__ = getattr(parse, "__name__", "value")
    return check


@dataclass(frozen=True)
class RunOptions:
    """How to produce a report: which files, under which rule set, from which notebook.

    ``rule_set`` (a rule set's name) replaces the one each params file names; ``timeout`` is the
    limit of one notebook cell in seconds (None: no limit); ``kernel_name`` a Jupyter kernel to
    execute on (None: a single run executes in its own process, a batch worker on a warm kernel
    of :data:`DEFAULT_KERNEL`); ``pdf_engine`` ``auto``, ``weasyprint`` or ``browser``
    (:mod:`selfeval_lib.render.pdf`) and ``browser`` the browser executable it may name;
    ``notebook`` another notebook than the product's own (None: the product's). Plain data: it
    crosses to batch worker processes.
    """

    formats: tuple[str, ...] = DEFAULT_FORMATS
    rule_set: str | None = None
    notebook: Path | None = None
    timeout: int | None = DEFAULT_TIMEOUT
    kernel_name: str | None = None
    pdf_engine: str = DEFAULT_PDF_ENGINE
    browser: str | None = None

    def __post_init__(self) -> None:
        unknown = sorted(set(self.formats) - set(FORMATS))
        if unknown:
            raise ValueError(f"未知的输出格式：{', '.join(unknown)}（可选：{', '.join(FORMATS)}）")
        if not self.formats:
            raise ValueError(f"至少要指定一种输出格式（可选：{', '.join(FORMATS)}）")
        if self.timeout is not None and (isinstance(self.timeout, bool) or self.timeout <= 0):
            raise ValueError(f"单元格执行时限应为正数（秒）或 None（不限），而不是 {self.timeout!r}")
        object.__setattr__(self, "pdf_engine", parse_pdf_engine(self.pdf_engine))
        object.__setattr__(self, "formats", tuple(f for f in FORMATS if f in self.formats))
        if self.notebook is not None:
            object.__setattr__(self, "notebook", Path(self.notebook))

    @property
    def needs_notebook(self) -> bool:
        """Whether these formats need the notebook executed."""
        return any(f in NOTEBOOK_FORMATS for f in self.formats)
