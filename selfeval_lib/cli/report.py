"""Commands that produce reports: ``run`` (one project year) and ``batch`` (many, incremental)."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Callable

from selfeval_lib.cli.common import (FORMAT_CHOICES, FORMATS, JOBS, TIMEOUT, YEAR, add_engine_options,
                                     announce_rules, log_to, print_problems, require_extra, require_fonts,
                                     run_options, steps_text)
from selfeval_lib.errors import InputError, ReportError
from selfeval_lib.inputs.files import shown
from selfeval_lib.inputs.rulesets import rules_label, rules_source
from selfeval_lib.runner.options import (DEFAULT_FORMATS, DEFAULT_MONITORING_FORMATS, DEFAULT_TIMEOUT, argparse_type,
                                         notebook_problem, parse_month)

#: A cut-off month 1–12 as an option's type (a bad value is a usage error, exit 2).
MONTH = argparse_type(parse_month)


def run_one(product, args: argparse.Namespace, detail: Callable[[dict], str] = lambda metrics: "") -> int:
    """Make ``product`` of one params file (``run``, ``monitor``): the files written on stdout, the
    folder, ``detail(metrics)``, the rule set and the steps' times on stderr; bad params listed
    (exit 1, nothing written, no kernel started)."""
    from selfeval_lib.runner.products import rule_set_cell
    from selfeval_lib.runner.run import run_product

    require_fonts(args.formats)
    options = run_options(args)
    try:
        result = run_product(product, args.params, args.out, options,
                             on_loaded=lambda loaded: announce_rules([loaded]))
    except InputError as exc:
        print_problems(exc.problems)
        return 1
    except ReportError as exc:
        print(f"错误 {args.params}: {exc}（已有的{product.label}文件保持不变）", file=sys.stderr)
        return 1
    for path in result.files:
        print(path)
    print(f"完成：{result.out_dir}（{detail(result.metrics)}规则集：{rule_set_cell(result.metrics)}；"
          f"{steps_text(result.timings)}）", file=sys.stderr)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from selfeval_lib.runner.products import SELF_EVALUATION

    return run_one(SELF_EVALUATION, args)


def cmd_batch(args: argparse.Namespace) -> int:
    if args.scheduler:
        require_extra("dask", "--scheduler（在 Dask 集群上运行）")
    with log_to(args.log):
        return _batch(args)


def _batch(args: argparse.Namespace) -> int:
    from selfeval_lib.batch.executors import default_jobs
    from selfeval_lib.batch.run import run_batch
    from selfeval_lib.runner.products import SELF_EVALUATION, monitoring
    from selfeval_lib.runner.run import check_pdf_engine

    product = SELF_EVALUATION if args.monitor is None else monitoring(args.monitor)
    if args.formats is None:
        args.formats = product.default_formats
    require_fonts(args.formats)
    options = run_options(args)
    notebook = product.notebook_for(options)
    problem = notebook_problem(notebook)
    if problem:
        print(f"错误 --notebook {shown(notebook)}：{problem}", file=sys.stderr)
        return 2
    try:
        check_pdf_engine(options)
    except ReportError as exc:
        print(f"错误 --pdf-engine: {exc}", file=sys.stderr)
        return 2
    jobs = args.jobs or default_jobs()
    if jobs > default_jobs():
        print(f"注意：--jobs {jobs} 超过本机可用的 CPU 核数，改用 {default_jobs()} 个工作进程", file=sys.stderr)
        jobs = default_jobs()
    bar = None

    def on_plan(plan) -> None:
        nonlocal bar
        for path, problems in plan.invalid.items():
            print_problems(problems)
        if plan.invalid:
            print(f"{len(plan.invalid)} 个参数文件有错误，未生成报告（见上）", file=sys.stderr)
        if plan.up_to_date:
            print(f"跳过 {len(plan.up_to_date)} 个未变化的项目", file=sys.stderr)
        announce_rules(task.loaded for task in plan.to_run)
        if plan.to_run:
            from tqdm import tqdm

            where = f"Dask {args.scheduler}" if args.scheduler else f"{jobs} 个工作进程"
            print(f"生成 {len(plan.to_run)} 个项目的{product.called}（{where}）", file=sys.stderr)
            bar = tqdm(total=len(plan.to_run), unit="项目", desc="报告", dynamic_ncols=True,
                       disable=args.quiet or None, file=sys.stderr)
            bar.set_postfix(失败=0)

    failures = 0

    def on_outcome(outcome) -> None:
        nonlocal failures
        task = outcome.task
        if outcome.status == "ok":
            line = f"成功 {task.year}/{task.project_id} {outcome.seconds:.1f}s {product.index.line(outcome.row)}"
        else:
            failures += 1
            line = f"失败 {task.year}/{task.project_id}（{shown(task.params)}）：{outcome.error}"
        if bar is not None:
            bar.write(line, file=sys.stdout)
            bar.update(1)
            bar.set_postfix(失败=failures)
        else:
            print(line)

    def on_connect(dashboard: str | None) -> None:
        where = "本机 LocalCluster" if args.scheduler == "local" else args.scheduler
        print(f"使用 Dask 集群：{where}" + (f"，仪表盘 {dashboard}" if dashboard else ""), file=sys.stderr)

    result = run_batch(args.paths, Path(args.out), options, jobs=jobs, product=product, force=args.force,
                       year=args.year, on_plan=on_plan, on_outcome=on_outcome, scheduler=args.scheduler,
                       on_connect=on_connect)
    if bar is not None:
        bar.close()
    for path in result.index_files:
        print(f"索引 {path}")
    if result.interrupted:
        from selfeval_lib.runner.stops import SIGNAL_ZH, exit_code

        print(f"已中断（{SIGNAL_ZH.get(result.signal, f'信号 {result.signal}')}）：完成 {len(result.outcomes)} 个，"
              f"未完成 {len(result.plan.to_run) - len(result.outcomes)} 个（已记录完成的项目并更新索引）", file=sys.stderr)
        return exit_code(result.signal)
    ran = len(result.outcomes)
    summary = (f"完成：生成 {ran - len(result.failed)} 个，失败 {len(result.failed)} 个，"
               f"跳过 {len(result.plan.up_to_date)} 个，参数错误 {len(result.plan.invalid)} 个")
    print(summary, file=sys.stderr)
    used = Counter(rules_label(t.loaded.rules.title, rules_source(t.loaded.rules_path)) for t in result.plan.to_run)
    if used:
        print("规则集：" + "，".join(f"{label} {n} 个" for label, n in sorted(used.items())), file=sys.stderr)
    if not result.ok:
        for path in result.plan.invalid:
            print(f"  参数错误 {shown(path)}", file=sys.stderr)
        for outcome in result.failed:
            print(f"  失败 {shown(outcome.task.params)}：{outcome.error}", file=sys.stderr)
        return 1
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add this module's commands to the ``selfeval`` parser."""
    r = sub.add_parser("run", help="生成一个项目年度的报告（ipynb、HTML、PDF 和 metrics.json）")
    r.add_argument("params", metavar="PARAMS")
    r.add_argument("--out", default="outputs", help="输出根目录（默认 outputs），文件写入 OUT/<年度>/<项目编号>/")
    r.add_argument("--formats", type=FORMATS, default=DEFAULT_FORMATS, help=f"逗号分隔：{FORMAT_CHOICES}（默认 {','.join(DEFAULT_FORMATS)}；metrics.json 总会生成）")
    r.add_argument("--rules", metavar="SET", help="改用指定的规则集")
    r.add_argument("--timeout", type=TIMEOUT, default=DEFAULT_TIMEOUT, help="每个单元格的执行时限（秒，默认 %(default)s）")
    add_engine_options(r)
    r.set_defaults(func=cmd_run)

    b = sub.add_parser("batch", help="批量生成报告：并行、增量（未变化的跳过）、单个失败不影响其他项目")
    b.add_argument("paths", nargs="+", metavar="PATH", help="参数文件或文件夹")
    b.add_argument("--out", default="outputs", help="输出根目录（默认 outputs）")
    b.add_argument("--jobs", type=JOBS, help="工作进程数（默认且最多：CPU 核数）")
    b.add_argument("--formats", type=FORMATS, help=f"逗号分隔：{FORMAT_CHOICES}（默认 {','.join(DEFAULT_FORMATS)}；"
                   f"--monitor 时默认 {','.join(DEFAULT_MONITORING_FORMATS)}，xlsx 为运行监控表）")
    b.add_argument("--monitor", type=MONTH, metavar="N",
                   help="改为生成截至 N 月（1–12）的绩效运行监控报告，写入 OUT/<年度>/<项目编号>/monitoring-<NN>/，"
                        "并生成该年度的监控汇总 monitoring-<NN>.html/.xlsx")
    b.add_argument("--force", action="store_true", help="重新生成全部报告，不跳过未变化的项目")
    b.add_argument("--year", type=YEAR, help="只处理该年度的项目")
    b.add_argument("--rules", metavar="SET", help="全部项目改用指定的规则集")
    b.add_argument("--timeout", type=TIMEOUT, default=DEFAULT_TIMEOUT, help="每个单元格的执行时限（秒，默认 %(default)s），超时记为失败")
    b.add_argument("--notebook", help="改用其他报告笔记本（高级用法）")
    b.add_argument("--quiet", action="store_true", help="不显示进度条")
    b.add_argument("--log", metavar="FILE", help="同时把运行信息（每个项目的结果、错误、汇总）逐行追加到该文件，"
                   "每行带时间，适合长时间的批量运行")
    b.add_argument("--scheduler", metavar="ADDRESS", help="在 Dask 集群上运行：tcp://主机:端口，或 local（本机 LocalCluster）；需 pip install 'selfeval[dask]'")
    add_engine_options(b)
    b.set_defaults(func=cmd_batch)

