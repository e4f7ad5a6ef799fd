"""Commands on parameter files: ``validate``, ``evaluate``, ``template``, ``import``, ``schema``
and ``sample``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from selfeval_lib.cli.common import YEAR, announce_rules, print_problems
from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.evaluation import evaluate, to_dict
from selfeval_lib.core.findings import SEVERITY_ZH
from selfeval_lib.errors import InputError
from selfeval_lib.inputs.files import shown
from selfeval_lib.inputs.params import discover, load_project
from selfeval_lib.inputs.rulesets import rules_label, rules_source
from selfeval_lib.render.metrics import json_document
from selfeval_lib.runner.options import MAX_SAMPLE_PROJECTS, argparse_type, parse_count


def cmd_validate(args: argparse.Namespace) -> int:
    files = discover(args.paths)
    if not files:
        print("错误：没有找到参数文件（*.yaml）", file=sys.stderr)
        return 1
    from selfeval_lib.services.project import validate_each

    bad = 0
    for path, problems in validate_each(files):
        if problems:
            bad += 1
            print_problems(list(problems))
        else:
            print(f"通过 {shown(path)}")
    print(f"共 {len(files)} 个文件：{len(files) - bad} 个通过，{bad} 个有错误", file=sys.stderr if bad else sys.stdout)
    return 1 if bad else 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    path = Path(args.params)
    try:
        loaded = load_project(path, rule_set=args.rules)
    except InputError as exc:
        print_problems(exc.problems)
        return 1
    announce_rules([loaded])
    ev = evaluate(loaded.project_year, loaded.rules)
    if args.json:
        sys.stdout.write(json_document(to_dict(ev)).decode("utf-8"))
        return 0
    p = ev.project_year.project
    f = ev.funds
    print(f"{p.year}年度 {p.unit}「{p.name}」（规则集：{rules_label(ev.rules.title, rules_source(loaded.rules_path))}）")
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


def cmd_sample(args: argparse.Namespace) -> int:
    from selfeval_lib.services.project import write_samples

    done = write_samples(Path(args.out), bundled=args.bundled, projects=args.projects, year=args.year, seed=args.seed,
                         evidence=args.evidence)
    what = "内置示例项目" if args.bundled else "项目"
    print(f"已生成 {done.count} 个{what}年度参数文件：{done.folder}"
          + ("（每个项目另附佐证材料文件夹 <项目编号>.evidence，为合成的示例材料）" if args.evidence else ""))
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from selfeval_lib.services.project import write_template

    out = write_template(Path(args.output), from_params=args.from_params, example=not args.no_example, force=args.force)
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


def register(sub: argparse._SubParsersAction) -> None:
    """Add this module's commands to the ``selfeval`` parser."""
    v = sub.add_parser("validate", help="校验参数文件（文件或文件夹），有错误时退出码为 1")
    v.add_argument("paths", nargs="+", metavar="PATH")
    v.set_defaults(func=cmd_validate)

    e = sub.add_parser("evaluate", help="计算一个项目年度的资金指标、评分、等级和问题")
    e.add_argument("params", metavar="PARAMS")
    e.add_argument("--json", action="store_true", help="以 JSON 输出（金额单位：元，比率为小数）")
    e.add_argument("--rules", metavar="SET|PATH", help="改用指定的规则集：名称（rules/SET.yaml）或规则集文件路径")
    e.set_defaults(func=cmd_evaluate)

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
    s.add_argument("--projects", type=argparse_type(parse_count, "项目数", MAX_SAMPLE_PROJECTS), default=20,
                   help=f"项目数（默认 20，最多 {MAX_SAMPLE_PROJECTS}）")
    s.add_argument("--year", type=YEAR, default=2023, help="年度（默认 2023）")
    s.add_argument("--seed", type=int, default=2023, help="随机种子（相同种子生成相同数据）")
    s.add_argument("--out", default="params/sample", help="输出文件夹，文件写入 OUT/<年度>/（默认 params/sample）")
    s.add_argument("--evidence", action="store_true",
                   help="每个项目另写出佐证材料文件夹 <项目编号>.evidence/（合成的示例材料，供演示 selfeval requality）")
    s.add_argument("--bundled", action="store_true", help="写出内置的三个示例项目（2023年度），而不是合成项目")
    s.set_defaults(func=cmd_sample)
