"""``selfeval monitor``: the 绩效运行监控 report of one project-year at a cut-off month (the batch of
many is ``selfeval batch --monitor N``, in :mod:`.report`)."""

from __future__ import annotations

import argparse
import sys

from selfeval_lib.cli.common import (FORMAT_CHOICES, FORMATS, TIMEOUT, add_engine_options, announce_rules,
                                     print_problems, require_fonts, steps_text)
from selfeval_lib.errors import InputError, ReportError
from selfeval_lib.runner.options import (DEFAULT_MONITORING_FORMATS, DEFAULT_TIMEOUT, RunOptions, argparse_type,
                                         parse_month)

#: A cut-off month 1–12 as an option's type (a bad value is a usage error, exit 2).
MONTH = argparse_type(parse_month)


def cmd_monitor(args: argparse.Namespace) -> int:
    from selfeval_lib.batch.index import rule_set_cell
    from selfeval_lib.inputs.files import resolved
    from selfeval_lib.inputs.monitoring_input import load_monitored
    from selfeval_lib.runner.monitor import run_monitoring

    require_fonts(args.formats)
    options = RunOptions(formats=args.formats, rule_set=args.rules, timeout=args.timeout, month=args.month,
                         kernel_name=args.kernel, pdf_engine=args.pdf_engine, browser=args.browser)
    try:
        loaded = load_monitored(resolved(args.params), args.month, rule_set=options.rule_set)
        announce_rules([loaded])
        result = run_monitoring(args.params, args.out, options, loaded=loaded)
    except InputError as exc:
        print_problems(exc.problems)
        return 1
    except ReportError as exc:
        print(f"错误 {args.params}: {exc}（已有的监控报告文件保持不变）", file=sys.stderr)
        return 1
    for path in result.files:
        print(path)
    from selfeval_lib.core.monitoring import LIGHT_ZH

    lights = result.metrics["lights"]
    counts = "、".join(f"{LIGHT_ZH.get(k, '未亮灯')}{n}项" for k, n in lights["indicators"].items() if n)
    steps = steps_text(result.timings)
    print(f"完成：{result.out_dir}（预算执行{LIGHT_ZH[lights['execution']]}；绩效指标{counts or '无'}；"
          f"规则集：{rule_set_cell(result.metrics)}；{steps}）", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``monitor`` to the ``selfeval`` parser."""
    m = sub.add_parser("monitor", help="生成一个项目年度截至某月的绩效运行监控报告（亮灯、全年预计、纠偏）和运行监控表")
    m.add_argument("params", metavar="PARAMS")
    m.add_argument("--month", type=MONTH, required=True, help="截止月份 1–12（含当月）")
    m.add_argument("--out", default="outputs",
                   help="输出根目录（默认 outputs），文件写入 OUT/<年度>/<项目编号>/monitoring-<MM>/")
    m.add_argument("--formats", type=FORMATS, default=DEFAULT_MONITORING_FORMATS,
                   help=f"逗号分隔：{FORMAT_CHOICES}（默认 {','.join(DEFAULT_MONITORING_FORMATS)}；"
                        "xlsx 为运行监控表；metrics.json 总会生成）")
    m.add_argument("--rules", metavar="SET", help="改用指定的规则集")
    m.add_argument("--timeout", type=TIMEOUT, default=DEFAULT_TIMEOUT, help="每个单元格的执行时限（秒，默认 %(default)s）")
    add_engine_options(m)
    m.set_defaults(func=cmd_monitor)
