"""The ``review`` command: recompute published 自评表 and list every discrepancy."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from selfeval_lib.cli.common import print_problems
from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.findings import SEVERITY_ZH


def cmd_review(args: argparse.Namespace) -> int:
    from selfeval_lib.render.metrics import json_document
    from selfeval_lib.review.present import review_title
    from selfeval_lib.services.review import review_files

    run = review_files(args.tables, args.rules, Path(args.out) if args.out else None)
    if not run.files:
        print("错误：没有找到自评表（.docx、.pdf、.html/.htm、.xlsx/.xls、图片或 .yaml）", file=sys.stderr)
        return 1
    for item in run.unreadable:
        print_problems(list(item.problems))
    if args.json:
        sys.stdout.write(json_document(run.data()).decode("utf-8"))
    else:
        for review in run.reviews:
            counts = {k: sum(f.severity == k for f in review.findings) for k in ("high", "medium", "low")}
            print(review_title(review, review.table))
            print(f"  总分：填报 {fmt.score(review.published_total) if review.published_total is not None else '—'}，"
                  f"复核 {fmt.score(review.recomputed_total) if review.recomputed_total is not None else '无法计算'}；"
                  f"等级：填报 {review.published_grade or '—'}，复核 {review.recomputed_grade or '—'}")
            print(f"  问题 {len(review.findings)} 项（高 {counts['high']}，中 {counts['medium']}，低 {counts['low']}）")
            for f in review.findings:
                where = f"第 {f.row} 行" if isinstance(f.row, int) else (f.row or "全表")
                print(f"  [{SEVERITY_ZH[f.severity]}] {where} {f.field} {f.code}：{f.message}")
        total = sum(len(r.findings) for r in run.reviews)
        high = sum(f.severity == "high" for r in run.reviews for f in r.findings)
        print(f"共复核 {len(run.reviews)} 张表（{len(run.files)} 个文件，{len(run.unreadable)} 个无法读取），"
              f"问题 {total} 项，其中高 {high} 项", file=sys.stderr)
    if run.unreadable:
        print(f"无法读取的文件 {len(run.unreadable)} 个：", file=sys.stderr)
        for item in run.unreadable:
            print(f"  {item.file}：{item.reason}", file=sys.stderr)
    for path in run.written:
        print(f"写入 {path}", file=sys.stderr)
    return 1 if run.unreadable else 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add this module's commands to the ``selfeval`` parser."""
    v = sub.add_parser("review", help="复核已公开的自评表（Word、PDF、网页、Excel、扫描件或 YAML）：按规则重算全部得分并列出每处差异")
    v.add_argument("tables", nargs="+", metavar="TABLE",
                   help="自评表文件（.docx/.pdf/.html/.htm/.xlsx/.xls/.png/.jpg/.tif/.yaml）或文件夹；格式按内容识别")
    v.add_argument("--rules", default="national", metavar="SET|PATH",
                   help="复核所用规则集：名称（默认 national；先在自评表旁或上层的 rules/ 文件夹中找，再用内置的）或规则集文件路径")
    v.add_argument("--json", action="store_true", help="以 JSON 输出")
    v.add_argument("--out", metavar="DIR", help="写出 review.html、review.xlsx、review.json 到该文件夹")
    v.set_defaults(func=cmd_review)

