"""The ``selfeval`` command.

Exit codes: 0 success; 1 invalid input (every problem listed, file and field named), a failed
report or a file that cannot be written (path and reason named); 2 usage error (values are
checked by the parser) or an internal error (a one-line message; set SELFEVAL_DEBUG=1 for the
traceback); 130 interrupted (Ctrl-C; a batch records what finished and writes its index).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from pathlib import Path

from selfeval_lib import __version__
from selfeval_lib.core import formatting as fmt
from selfeval_lib.files.atomic import write_file
from selfeval_lib.core.findings import SEVERITY_ZH
from selfeval_lib.core.evaluation import evaluate, to_dict
from selfeval_lib.errors import ReportError, SelfevalError
from selfeval_lib.inputs.params import InputError, Problem, discover, find_rule_set, load_project, load_rule_set
from selfeval_lib.inputs.files import shown
from selfeval_lib.resources import REPORT_NOTEBOOK
from selfeval_lib.runner.options import (DEFAULT_FORMATS, DEFAULT_TIMEOUT, RunOptions, argparse_type, parse_count,
                                         parse_formats, parse_year)



def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(f"错误 {problem}", file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    files = discover(args.paths)
    if not files:
        print("错误：没有找到参数文件（*.yaml）", file=sys.stderr)
        return 1
    bad = 0
    for path in files:
        try:
            load_project(path)
        except InputError as exc:
            bad += 1
            _print_problems(exc.problems)
        else:
            print(f"通过 {shown(path)}")
    print(f"共 {len(files)} 个文件：{len(files) - bad} 个通过，{bad} 个有错误", file=sys.stderr if bad else sys.stdout)
    return 1 if bad else 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    path = Path(args.params)
    try:
        loaded = load_project(path, rule_set=args.rules)
    except InputError as exc:
        _print_problems(exc.problems)
        return 1
    ev = evaluate(loaded.project_year, loaded.rules)
    if args.json:
        json.dump(to_dict(ev), sys.stdout, ensure_ascii=False, sort_keys=True, indent=2)
        sys.stdout.write("\n")
        return 0
    p = ev.project_year.project
    f = ev.funds
    print(f"{p.year}年度 {p.unit}「{p.name}」（规则集：{ev.rules.title}）")
    print(f"  全年预算 {fmt.wan(f.budget_full_year)}  到位 {fmt.wan(f.arrived)}  执行 {fmt.wan(f.executed)}  结余 {fmt.wan(f.balance)}")
    print(f"  到位率 {fmt.percent(f.arrival_rate)}  执行率 {fmt.percent(f.execution_rate)}  使用率 {fmt.percent(f.usage_rate)}"
          f"  四季度支出占比 {fmt.percent(f.q4_share)}  12月占比 {fmt.percent(f.december_share)}")
    print(f"  预算执行率得分 {fmt.score(ev.execution_score)}/{fmt.score(ev.execution_weight)}")
    for s in ev.indicators:
        print(f"  {s.level1}/{s.level2}/{s.name}：{s.target} → {s.actual or '（空）'}  {fmt.score(s.score)}/{fmt.score(s.weight)}")
    print(f"  总分 {fmt.score(ev.total)}，等级 {ev.grade}")
    print(f"  发现问题 {len(ev.findings)} 项")
    for x in ev.findings:
        print(f"  [{SEVERITY_ZH[x.severity]}] {x.code} {x.message}")
    return 0


_FORMATS, _YEAR = argparse_type(parse_formats), argparse_type(parse_year)
_JOBS, _TIMEOUT = argparse_type(parse_count, "工作进程数"), argparse_type(parse_count, "执行时限（秒）")


def _run_options(args: argparse.Namespace) -> RunOptions:
    """The run's options from ``run``/``batch`` arguments (defaults: :mod:`selfeval_lib.runner.options`)."""
    notebook = Path(args.notebook) if getattr(args, "notebook", None) else REPORT_NOTEBOOK
    return RunOptions(formats=args.formats, rule_set=args.rules, notebook=notebook, timeout=args.timeout)


def cmd_run(args: argparse.Namespace) -> int:
    from selfeval_lib.runner.run import run_report

    try:
        result = run_report(args.params, args.out, _run_options(args))
    except InputError as exc:
        _print_problems(exc.problems)
        return 1
    except ReportError as exc:
        print(f"错误 {args.params}: {exc}（已有的报告文件保持不变）", file=sys.stderr)
        return 1
    for path in result.files:
        print(path)
    steps = "，".join(f"{k} {v:.2f}s" for k, v in result.timings.items())
    print(f"完成：{result.out_dir}（{steps}）", file=sys.stderr)
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from selfeval_lib.batch.executors import default_jobs
    from selfeval_lib.batch.run import run_batch

    options = _run_options(args)
    if not options.notebook.is_file():
        print(f"错误 --notebook: 找不到报告笔记本 {options.notebook}", file=sys.stderr)
        return 2
    jobs = args.jobs or default_jobs()
    if jobs > default_jobs():
        print(f"注意：--jobs {jobs} 超过本机可用的 CPU 核数，改用 {default_jobs()} 个工作进程", file=sys.stderr)
        jobs = default_jobs()
    bar = None

    def on_plan(plan) -> None:
        nonlocal bar
        for path, problems in plan.invalid.items():
            _print_problems(problems)
        if plan.invalid:
            print(f"{len(plan.invalid)} 个参数文件有错误，未生成报告（见上）", file=sys.stderr)
        if plan.up_to_date:
            print(f"跳过 {len(plan.up_to_date)} 个未变化的项目", file=sys.stderr)
        if plan.to_run:
            from tqdm import tqdm

            where = f"Dask {args.scheduler}" if args.scheduler else f"{jobs} 个工作进程"
            print(f"生成 {len(plan.to_run)} 个项目的报告（{where}）", file=sys.stderr)
            bar = tqdm(total=len(plan.to_run), unit="项目", desc="报告", dynamic_ncols=True,
                       disable=args.quiet or None, file=sys.stderr)
            bar.set_postfix(失败=0)

    failures = 0

    def on_outcome(outcome) -> None:
        nonlocal failures
        task = outcome.task
        if outcome.status == "ok":
            row = outcome.row
            line = (f"成功 {task.year}/{task.project_id} {outcome.seconds:.1f}s 总分 {fmt.score(row['total'])} "
                    f"{row['grade']} 问题 {row['findings']}")
        else:
            failures += 1
            line = f"失败 {task.year}/{task.project_id}（{task.params}）：{outcome.error}"
        if bar is not None:
            bar.write(line, file=sys.stdout)
            bar.update(1)
            bar.set_postfix(失败=failures)
        else:
            print(line)

    def on_connect(dashboard: str | None) -> None:
        where = "本机 LocalCluster" if args.scheduler == "local" else args.scheduler
        print(f"使用 Dask 集群：{where}" + (f"，仪表盘 {dashboard}" if dashboard else ""), file=sys.stderr)

    result = run_batch(args.paths, Path(args.out), options, jobs=jobs, force=args.force, year=args.year,
                       on_plan=on_plan, on_outcome=on_outcome, scheduler=args.scheduler, on_connect=on_connect)
    if bar is not None:
        bar.close()
    for path in result.index_files:
        print(f"索引 {path}")
    if result.interrupted:
        print(f"已中断：完成 {len(result.outcomes)} 个，未完成 {len(result.plan.to_run) - len(result.outcomes)} 个"
              f"（已记录完成的项目并更新索引）", file=sys.stderr)
        return 130
    ran = len(result.outcomes)
    summary = (f"完成：生成 {ran - len(result.failed)} 个，失败 {len(result.failed)} 个，"
               f"跳过 {len(result.plan.up_to_date)} 个，参数错误 {len(result.plan.invalid)} 个")
    print(summary, file=sys.stderr)
    if not result.ok:
        for path in result.plan.invalid:
            print(f"  参数错误 {path}", file=sys.stderr)
        for outcome in result.failed:
            print(f"  失败 {outcome.task.params}：{outcome.error}", file=sys.stderr)
        return 1
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    import yaml

    from selfeval_lib.inputs.synthetic import synthetic_params

    folder = Path(args.out) / str(args.year)
    for data in synthetic_params(args.projects, year=args.year, seed=args.seed):
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
        path = folder / f"{data['project']['id']}.yaml"
        write_file(path, ("# 合成示例数据（selfeval sample 生成），仅用于演示与测试\n" + text).encode("utf-8"))
    print(f"已生成 {args.projects} 个项目年度参数文件：{folder}")
    return 0


REVIEW_SUFFIXES = (".yaml", ".yml", ".xlsx")


def _review_inputs(paths: list[str]) -> list[Path]:
    """Tables named by ``paths``: files as given, folders searched (without following folder links)."""
    return discover(paths, suffixes=REVIEW_SUFFIXES, skip_folders=())


def cmd_review(args: argparse.Namespace) -> int:
    from selfeval_lib.files.atomic import write_files
    from selfeval_lib.review.serialize import review_to_dict
    from selfeval_lib.review.readers import read_tables
    from selfeval_lib.review.service import review_reads
    from selfeval_lib.review.present import review_html, review_title, review_xlsx

    files = _review_inputs(args.tables)
    if not files:
        print("错误：没有找到自评表（*.yaml、*.xlsx）", file=sys.stderr)
        return 1
    rules = load_rule_set(find_rule_set(args.rules, files[0]))
    reads, unreadable = [], 0
    for path in files:
        try:
            reads.extend(read_tables(path))
        except InputError as exc:
            unreadable += 1
            _print_problems(exc.problems)
    reviews = review_reads(reads, rules)
    data = [review_to_dict(r) for r in reviews]
    if args.json:
        json.dump({"rule_set": rules.name, "tables": data}, sys.stdout, ensure_ascii=False, sort_keys=True, indent=2)
        sys.stdout.write("\n")
    else:
        for review in reviews:
            counts = {k: sum(f.severity == k for f in review.findings) for k in ("high", "medium", "low")}
            print(review_title(review, review.table))
            print(f"  总分：填报 {fmt.score(review.published_total) if review.published_total is not None else '—'}，"
                  f"复核 {fmt.score(review.recomputed_total) if review.recomputed_total is not None else '无法计算'}；"
                  f"等级：填报 {review.published_grade or '—'}，复核 {review.recomputed_grade or '—'}")
            print(f"  问题 {len(review.findings)} 项（高 {counts['high']}，中 {counts['medium']}，低 {counts['low']}）")
            for f in review.findings:
                where = f"第 {f.row} 行" if isinstance(f.row, int) else (f.row or "全表")
                print(f"  [{SEVERITY_ZH[f.severity]}] {where} {f.field} {f.code}：{f.message}")
        total = sum(len(r.findings) for r in reviews)
        high = sum(f.severity == "high" for r in reviews for f in r.findings)
        print(f"共复核 {len(reviews)} 张表（{len(files)} 个文件，{unreadable} 个无法读取），问题 {total} 项，其中高 {high} 项",
              file=sys.stderr)
    if args.out and reviews:
        written = write_files(Path(args.out), {
            "review.html": review_html(reviews).encode("utf-8"),
            "review.xlsx": review_xlsx(reviews),
            "review.json": (json.dumps({"rule_set": rules.name, "tables": data}, ensure_ascii=False,
                                       sort_keys=True, indent=2) + "\n").encode("utf-8"),
        })
        for path in written:
            print(f"写入 {path}", file=sys.stderr)
    return 1 if unreadable else 0


def cmd_template(args: argparse.Namespace) -> int:
    from selfeval_lib.inputs.workbook import blank_workbook, workbook_from_project

    out = Path(args.output)
    if out.suffix.lower() != ".xlsx":
        print(f"错误 {out}: 输出文件应以 .xlsx 结尾", file=sys.stderr)
        return 1
    if out.exists() and not args.force:
        print(f"错误 {out}: 文件已存在（加 --force 覆盖）", file=sys.stderr)
        return 1
    data = (workbook_from_project(load_project(args.from_params).project_year) if args.from_params
            else blank_workbook(example=not args.no_example))
    write_file(out, data)
    print(f"已生成输入工作簿：{out}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from selfeval_lib.inputs.schema_doc import schema_markdown

    sys.stdout.write(schema_markdown())
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from selfeval_lib.inputs.workbook import import_workbook

    target = import_workbook(args.workbook, args.out, overwrite=args.force)
    print(f"已导入 {args.workbook} → {target}")
    print(f"下一步：selfeval validate {target} 或 selfeval run {target}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="selfeval", description="项目支出绩效自评：校验参数、计算评分与问题、生成报告")
    parser.add_argument("--version", action="version", version=f"selfeval {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    v = sub.add_parser("validate", help="校验参数文件（文件或文件夹），有错误时退出码为 1")
    v.add_argument("paths", nargs="+", metavar="PATH")
    v.set_defaults(func=cmd_validate)

    e = sub.add_parser("evaluate", help="计算一个项目年度的资金指标、评分、等级和问题")
    e.add_argument("params", metavar="PARAMS")
    e.add_argument("--json", action="store_true", help="以 JSON 输出（金额单位：元，比率为小数）")
    e.add_argument("--rules", metavar="SET", help="改用指定的规则集（params/rules/SET.yaml）")
    e.set_defaults(func=cmd_evaluate)

    r = sub.add_parser("run", help="生成一个项目年度的报告（ipynb、HTML、PDF 和 metrics.json）")
    r.add_argument("params", metavar="PARAMS")
    r.add_argument("--out", default="outputs", help="输出根目录（默认 outputs），文件写入 OUT/<年度>/<项目编号>/")
    r.add_argument("--formats", type=_FORMATS, default=DEFAULT_FORMATS, help=f"逗号分隔：ipynb,html,pdf,xlsx,docx（默认 {','.join(DEFAULT_FORMATS)}；metrics.json 总会生成）")
    r.add_argument("--rules", metavar="SET", help="改用指定的规则集")
    r.add_argument("--timeout", type=_TIMEOUT, default=DEFAULT_TIMEOUT, help="每个单元格的执行时限（秒，默认 %(default)s）")
    r.set_defaults(func=cmd_run)

    b = sub.add_parser("batch", help="批量生成报告：并行、增量（未变化的跳过）、单个失败不影响其他项目")
    b.add_argument("paths", nargs="+", metavar="PATH", help="参数文件或文件夹")
    b.add_argument("--out", default="outputs", help="输出根目录（默认 outputs）")
    b.add_argument("--jobs", type=_JOBS, help="工作进程数（默认且最多：CPU 核数）")
    b.add_argument("--formats", type=_FORMATS, default=DEFAULT_FORMATS, help=f"逗号分隔：ipynb,html,pdf,xlsx,docx（默认 {','.join(DEFAULT_FORMATS)}）")
    b.add_argument("--force", action="store_true", help="重新生成全部报告，不跳过未变化的项目")
    b.add_argument("--year", type=_YEAR, help="只处理该年度的项目")
    b.add_argument("--rules", metavar="SET", help="全部项目改用指定的规则集")
    b.add_argument("--timeout", type=_TIMEOUT, default=DEFAULT_TIMEOUT, help="每个单元格的执行时限（秒，默认 %(default)s），超时记为失败")
    b.add_argument("--notebook", help="改用其他报告笔记本（高级用法）")
    b.add_argument("--quiet", action="store_true", help="不显示进度条")
    b.add_argument("--scheduler", metavar="ADDRESS", help="在 Dask 集群上运行：tcp://主机:端口，或 local（本机 LocalCluster）；需 pip install 'selfeval[dask]'")
    b.set_defaults(func=cmd_batch)

    v = sub.add_parser("review", help="复核已填报的自评表（YAML 或 Excel）：按规则重算全部得分并列出每处差异")
    v.add_argument("tables", nargs="+", metavar="TABLE", help="自评表文件（.yaml/.xlsx）或文件夹")
    v.add_argument("--rules", default="national", metavar="SET", help="复核所用规则集（默认 national）")
    v.add_argument("--json", action="store_true", help="以 JSON 输出")
    v.add_argument("--out", metavar="DIR", help="写出 review.html、review.xlsx、review.json 到该文件夹")
    v.set_defaults(func=cmd_review)

    t = sub.add_parser("template", help="生成 Excel 输入工作簿（代替手写 YAML）")
    t.add_argument("output", metavar="XLSX")
    t.add_argument("--no-example", action="store_true", help="不含示例行")
    t.add_argument("--from", dest="from_params", metavar="PARAMS", help="用已有参数文件填好工作簿")
    t.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    t.set_defaults(func=cmd_template)

    i = sub.add_parser("import", help="把填好的 Excel 输入工作簿转成参数文件 OUT/<年度>/<项目编号>.yaml")
    i.add_argument("workbook", metavar="XLSX")
    i.add_argument("--out", default="params", help="参数根目录（默认 params）")
    i.add_argument("--force", action="store_true", help="覆盖不是由工作簿导入生成的同名参数文件")
    i.set_defaults(func=cmd_import)

    sc = sub.add_parser("schema", help="输出参数文件与规则集的字段说明（Markdown，即 docs/params-schema.md）")
    sc.set_defaults(func=cmd_schema)

    s = sub.add_parser("sample", help="生成合成的项目年度参数文件（用于演示、测试和基准）")
    s.add_argument("--projects", type=argparse_type(parse_count, "项目数"), default=20, help="项目数（默认 20）")
    s.add_argument("--year", type=_YEAR, default=2023, help="年度（默认 2023）")
    s.add_argument("--seed", type=int, default=2023, help="随机种子（相同种子生成相同数据）")
    s.add_argument("--out", default="params/sample", help="输出文件夹，文件写入 OUT/<年度>/（默认 params/sample）")
    s.set_defaults(func=cmd_sample)
    return parser


def main(argv: list[str] | None = None) -> int:
    from selfeval_lib.runner.startup import skip_slow_optional_imports

    skip_slow_optional_imports()
    for stream in (sys.stdout, sys.stderr):  # a file name with undecodable bytes never breaks a message
        stream.reconfigure(errors="backslashreplace")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        _print_problems(exc.problems)
        return 1
    except SelfevalError as exc:  # a file that cannot be written, a failed report …: path and reason named
        print(f"错误 {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except Exception as exc:  # last resort: one line, no traceback unless asked for
        if os.environ.get("SELFEVAL_DEBUG"):
            traceback.print_exc()
        print(f"内部错误：{type(exc).__name__}: {exc}（设置 SELFEVAL_DEBUG=1 可查看详细信息）", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
