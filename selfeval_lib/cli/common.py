"""What every command shares: how problems are printed, the option types, the run's options."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from selfeval_lib.inputs.messages import Problem
from selfeval_lib.resources import REPORT_NOTEBOOK
from selfeval_lib.runner.options import RunOptions, argparse_type, parse_count, parse_formats, parse_year


def print_problems(problems: list[Problem]) -> None:
    """Each problem on its own line of stderr (file, field, message)."""
    for problem in problems:
        print(f"错误 {problem}", file=sys.stderr)


FORMATS, YEAR = argparse_type(parse_formats), argparse_type(parse_year)
JOBS, TIMEOUT = argparse_type(parse_count, "工作进程数"), argparse_type(parse_count, "执行时限（秒）")


#: Formats drawn with Chinese fonts (charts in the notebook, the page in WeasyPrint/pango).
FONT_FORMATS = frozenset({"ipynb", "html", "pdf"})


def require_fonts(formats: tuple[str, ...] | list[str]) -> None:
    """Before any kernel or WeasyPrint starts: :class:`~selfeval_lib.errors.FontsNotFound` (the
    Chinese message, exit 1) when ``formats`` need a Simplified Chinese font and none is installed.
    pango without one crashed the process instead."""
    if FONT_FORMATS & set(formats):
        from selfeval_lib.report.fonts import require_cjk_fonts

        require_cjk_fonts()


def run_options(args: argparse.Namespace) -> RunOptions:
    """The run's options from ``run``/``batch`` arguments (defaults: :mod:`selfeval_lib.runner.options`)."""
    notebook = Path(args.notebook) if getattr(args, "notebook", None) else REPORT_NOTEBOOK
    return RunOptions(formats=args.formats, rule_set=args.rules, notebook=notebook, timeout=args.timeout)
