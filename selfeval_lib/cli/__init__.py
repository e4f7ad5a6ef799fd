"""The ``selfeval`` command.

Exit codes: 0 success; 1 invalid input (every problem listed, file and field named), a failed
report or a file that cannot be written (path and reason named); 2 usage error (values are
checked by the parser) or an internal error (a one-line message; set SELFEVAL_DEBUG=1 for the
traceback); interrupted: 130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP (a batch stops its workers,
records what finished and writes its index: :mod:`selfeval_lib.runner.stops`).

Each command lives in the module of its concern (:mod:`.project`, :mod:`.report`, :mod:`.review`,
:mod:`.monitor`, :mod:`.requality`, :mod:`.notebooks`)
and adds itself to the parser with ``register(sub)``; a new command is a new module listed in
:data:`COMMANDS`. A command parses its arguments, calls one service (:mod:`selfeval_lib.services`,
or the run and the batch), prints and returns the exit code; it reads and writes no file itself.
The top layer, which nothing imports. May import ``core``, ``inputs``, ``report``, ``render``,
``review``, ``requality``, ``runner``, ``batch``, ``services``, ``files``, ``errors`` and ``resources``.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback

from selfeval_lib._version import __version__
from selfeval_lib.cli import monitor, notebooks, project, report, requality, review
from selfeval_lib.cli.common import ChineseParser, print_problems
from selfeval_lib.errors import InputError, SelfevalError
from selfeval_lib.files.streams import PipeGuard

#: The modules whose commands make up ``selfeval``, in the order ``--help`` lists them.
COMMANDS = (project, report, monitor, review, requality, notebooks)


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseParser(prog="selfeval", description="项目支出绩效自评：校验参数、计算评分与问题、生成报告")
    parser.add_argument("--version", action="version", version=f"selfeval {__version__}", help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", title="命令")
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from selfeval_lib.runner.startup import skip_slow_optional_imports

    skip_slow_optional_imports()
    for stream in (sys.stdout, sys.stderr):  # a file name with undecodable bytes never breaks a message
        stream.reconfigure(errors="backslashreplace")
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = PipeGuard(sys.stdout), PipeGuard(sys.stderr)  # type: ignore[assignment]
    try:  # `selfeval … | head`: the work goes on, unprinted
        return _main(argv)
    finally:
        sys.stdout.flush()
        sys.stdout, sys.stderr = streams


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from selfeval_lib.runner.stops import exit_code, signal_of, stop_on_signals

    try:
        with stop_on_signals():
            return args.func(args)
    except InputError as exc:
        print_problems(exc.problems)
        return 1
    except SelfevalError as exc:  # a file that cannot be written, a failed report …: path and reason named
        print(f"错误 {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:
        print("已中断", file=sys.stderr)
        return exit_code(signal_of(exc))
    except Exception as exc:  # last resort: one line, no traceback unless asked for
        if os.environ.get("SELFEVAL_DEBUG"):
            traceback.print_exc()
        print(f"内部错误：{type(exc).__name__}: {exc}（设置 SELFEVAL_DEBUG=1 可查看详细信息）", file=sys.stderr)
        return 2

