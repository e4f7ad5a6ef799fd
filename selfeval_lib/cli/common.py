"""What every command shares: the parser in Chinese, how problems are printed, the option types,
the run's options, the optional extras. The log file of a long run (:func:`log_to`, re-exported
here for the commands) and the output whose reader has gone are :mod:`selfeval_lib.files.streams`."""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

from selfeval_lib.errors import SelfevalError
from selfeval_lib.files.streams import log_to  # noqa: F401 - the batch command's --log
from selfeval_lib.inputs.messages import Problem, did_you_mean
from selfeval_lib.runner import options
from selfeval_lib.runner.options import (PDF_ENGINES, RunOptions, argparse_type, parse_count, parse_formats,
                                         parse_pdf_engine, parse_year)


def print_problems(problems: list[Problem]) -> None:
    """Each problem on its own line of stderr (file, field, message)."""
    for problem in problems:
        print(f"错误 {problem}", file=sys.stderr)


FORMATS, YEAR = argparse_type(parse_formats), argparse_type(parse_year)
#: Every output format the renderer registry writes, as --formats help lists them ("ipynb,html,…").
FORMAT_CHOICES = ",".join(options.FORMATS)
JOBS, TIMEOUT = argparse_type(parse_count, "工作进程数"), argparse_type(parse_count, "执行时限（秒）")
PDF_ENGINE = argparse_type(parse_pdf_engine)


def add_engine_options(parser: argparse.ArgumentParser, kernel: bool = True) -> None:
    """``--pdf-engine``, ``--browser`` and (with ``kernel``) ``--kernel``, shared by run, monitor and batch."""
    parser.add_argument("--pdf-engine", type=PDF_ENGINE, default="auto", metavar="|".join(PDF_ENGINES),
                        help="生成 PDF 的方式：weasyprint；browser（用本机的 Chromium、Chrome 或 Edge）；"
                             "auto（默认：WeasyPrint 可用时用它，否则用浏览器）。metrics.json 记录实际所用的方式")
    parser.add_argument("--browser", metavar="PATH", help="--pdf-engine browser 所用浏览器程序的位置（默认自动查找）")
    if kernel:
        parser.add_argument("--kernel", metavar="NAME",
                            help="在指定的 Jupyter 内核中执行报告笔记本（默认在本进程内执行，更快）")


#: Formats drawn with Chinese fonts (charts in the notebook, the page in WeasyPrint/pango).
FONT_FORMATS = frozenset(options.NOTEBOOK_FORMATS)


def require_fonts(formats: tuple[str, ...] | list[str]) -> None:
    """Before any kernel or WeasyPrint starts: :class:`~selfeval_lib.errors.FontsNotFound` (the
    Chinese message, exit 1) when ``formats`` need a Simplified Chinese font and none is installed.
    pango without one crashed the process instead."""
    if FONT_FORMATS & set(formats):
        from selfeval_lib.report.fonts import require_cjk_fonts

        require_cjk_fonts()


def run_options(args: argparse.Namespace) -> RunOptions:
    """The run's options from ``run``/``monitor``/``batch`` arguments (defaults: :mod:`selfeval_lib.runner.options`)."""
    notebook = Path(args.notebook) if getattr(args, "notebook", None) else None  # None: the product's own
    return RunOptions(formats=args.formats, rule_set=args.rules, notebook=notebook, timeout=args.timeout,
                      kernel_name=getattr(args, "kernel", None), pdf_engine=getattr(args, "pdf_engine", "auto"),
                      browser=getattr(args, "browser", None))


# --- the parser in Chinese ---------------------------------------------------------------------

#: argparse's own messages (``argparse.py``, Python ≥ 3.10) in Chinese: (pattern, translation).
_ARGPARSE_ERRORS: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (.+)", "缺少必需的参数：{0}"),
    (r"unrecognized arguments: (.+)", "无法识别的参数：{0}"),
    (r"ambiguous option: (\S+) could match (.+)", "选项 {0} 不明确，可能是：{1}"),
    (r"invalid (\S+) value: (.+)", "无效的值：{1}"),
    (r"expected one argument", "需要一个值"),
    (r"expected at least one argument", "至少需要一个值"),
    (r"expected at most one argument", "最多只能有一个值"),
    (r"expected (\d+) arguments?", "需要 {0} 个值"),
    (r"not allowed with argument (.+)", "不能与参数 {0} 同时使用"),
    (r"one of the arguments (.+) is required", "必须给出以下参数之一：{0}"),
    (r"ignored explicit argument (.+)", "多余的值 {0}"),
    (r"can't open '(.+)': (.+)", "无法打开“{0}”：{1}"),
)


#: The steps a run times, as the summary line names them (formats by their usual names).
STEP_LABELS = {"validate": "校验", "start": "启动", "execute": "运行笔记本", "warm_up": "预热",
               "ipynb": "笔记本", "html": "HTML", "pdf": "PDF", "xlsx": "Excel", "docx": "Word",
               "total": "合计"}


def steps_text(timings: dict[str, float]) -> str:
    """A run's step times as the summary line says them: ``校验 0.02秒，运行笔记本 1.36秒，…``."""
    return "，".join(f"{STEP_LABELS.get(k, k)} {v:.2f}秒" for k, v in timings.items())


def argparse_message(message: str) -> str:
    """One of argparse's error messages in Chinese; a wrong choice (a misspelt command) also gets
    the closest right one. Messages of our own (already Chinese) pass through."""
    if match := re.fullmatch(r"argument (.+?): (.+)", message, re.S):
        return f"参数 {match[1]}：{argparse_message(match[2])}"
    if match := re.fullmatch(r"invalid choice: '?(.*?)'? \(choose from (.+)\)", message, re.S):
        hint = did_you_mean(match[1], [c.strip().strip("'") for c in match[2].split(",")])  # quoted before 3.12.8
        return f"无效的选择“{match[1]}”" + (f"，{hint}" if hint else "") + f"（可选：{match[2]}）"
    for pattern, chinese in _ARGPARSE_ERRORS:
        if match := re.fullmatch(pattern, message, re.S):
            return chinese.format(*match.groups())
    return message


class _ChineseUsage(argparse.HelpFormatter):
    """The usage line begins 用法： (argparse writes ``usage: ``)."""

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ChineseParser(argparse.ArgumentParser):
    """An :class:`argparse.ArgumentParser` whose own words are Chinese: 用法, 位置参数, 选项, the
    help of ``-h``, and its error messages (:func:`argparse_message`). Subcommands made with
    ``add_parser`` are of this class too."""

    def __init__(self, *args: Any, formatter_class: type = argparse.HelpFormatter, add_help: bool = True,
                 **kwargs: Any):
        if not issubclass(formatter_class, _ChineseUsage):
            formatter_class = type(f"Chinese{formatter_class.__name__}", (_ChineseUsage, formatter_class), {})
        super().__init__(*args, formatter_class=formatter_class, add_help=False, **kwargs)
        self._positionals.title, self._optionals.title = "位置参数", "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def format_help(self) -> str:
        """The help, its section headings ending in a full-width colon (选项：) as Chinese writes them."""
        return re.sub(r"^(\S[^\n]*?):$", r"\1：", super().format_help(), flags=re.M)

    def error(self, message: str) -> Any:
        """Usage, then ``selfeval run：错误：…`` in Chinese, exit 2."""
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{argparse_message(message)}\n")


# --- optional extras ----------------------------------------------------------------------------

#: Each optional extra of ``pip install "selfeval[…]"`` and the module that shows it is installed.
EXTRAS = {"dask": "distributed", "ocr": "rapidocr_onnxruntime", "lab": "jupyterlab"}


def extra_installed(extra: str) -> bool:
    """Whether the extra's module can be imported (without importing it)."""
    module = EXTRAS[extra]
    if module in sys.modules:
        return sys.modules[module] is not None
    return importlib.util.find_spec(module) is not None


def announce_rules(loaded_projects) -> None:
    """Say on stderr, once per file, which rule sets from outside the package are about to score
    reports (``loaded_projects``: :class:`~selfeval_lib.inputs.params.LoadedProject` objects)."""
    from selfeval_lib.inputs.rulesets import rules_notice

    seen: dict[Path, None] = {}
    for loaded in loaded_projects:
        if loaded.rules_path not in seen:
            seen[loaded.rules_path] = None
            notice = rules_notice(loaded.rules.name, loaded.rules.title, loaded.rules_path)
            if notice:
                print(notice, file=sys.stderr)


def require_extra(extra: str, what: str) -> None:
    """:class:`~selfeval_lib.errors.SelfevalError` (exit 1) naming the install command when
    ``extra`` is missing; ``what`` says what needs it (``--scheduler``)."""
    if not extra_installed(extra):
        raise SelfevalError(f"{what}需要可选组件 {extra}，尚未安装。请运行：pip install \"selfeval[{extra}]\"")
