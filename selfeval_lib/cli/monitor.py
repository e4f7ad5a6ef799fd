"""``selfeval monitor``: the 绩效运行监控 report of one project-year at a cut-off month (the batch of
many is ``selfeval batch --monitor N``, in :mod:`.report`)."""

from __future__ import annotations

import argparse

from selfeval_lib.cli.common import FORMAT_CHOICES, FORMATS, TIMEOUT, add_engine_options
from selfeval_lib.cli.report import MONTH, run_one
from selfeval_lib.runner.options import DEFAULT_MONITORING_FORMATS, DEFAULT_TIMEOUT


def lights_text(metrics: dict) -> str:
    """The summary line's lights: "预算执行红灯；绩效指标绿灯1项、未亮灯7项；"."""
    from selfeval_lib.core.monitoring import LIGHT_ZH

    lights = metrics["lights"]
    counts = "、".join(f"{LIGHT_ZH.get(k, '未亮灯')}{n}项" for k, n in lights["indicators"].items() if n)
    return f"预算执行{LIGHT_ZH[lights['execution']]}；绩效指标{counts or '无'}；"


def cmd_monitor(args: argparse.Namespace) -> int:
    from selfeval_lib.runner.products import monitoring

    return run_one(monitoring(args.month), args, lights_text)


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
