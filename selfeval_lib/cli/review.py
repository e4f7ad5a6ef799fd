"""The ``review`` command: recompute published 自评表 and list every discrepancy."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from selfeval_lib.cli.common import print_problems
from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.findings import SEVERITY_ZH
from selfeval_lib.errors import InputError
from selfeval_lib.inputs.files import shown
from selfeval_lib.inputs.messages import Problem
from selfeval_lib.inputs.params import discover, find_rule_set, load_rule_set


def _suffixes() -> tuple[str, ...]:
    """Every suffix read, and those known but refused (.doc …: listed as unreadable with what to do)."""
    from selfeval_lib.review.readers import SUFFIXES, UNSUPPORTED

    return SUFFIXES + tuple(UNSUPPORTED)


def _review_inputs(paths: list[str]) -> list[Path]:
    """Tables named by ``paths``: files as given, folders searched (without following folder links)."""
    return discover(paths, suffixes=_suffixes(), skip_folders=())


def _reason(problems: list) -> str:
    """One line for a file that could not be read: its problems' places and messages."""
    return "；".join(f"{p.field}：{p.message}" if p.field else p.message for p in problems)


def cmd_review(args: argparse.Namespace) -> int:
    from selfeval_lib.files.atomic import write_files
    from selfeval_lib.review.present import review_html, review_title, review_xlsx
    from selfeval_lib.review.readers import read_tables
    from selfeval_lib.review.serialize import review_to_dict
    from selfeval_lib.review.service import review_reads

    files = _review_inputs(args.tables)
    if not files:
        print("错误：没有找到自评表（.docx、.pdf、.html/.htm、.xlsx/.xls、图片或 .yaml）", file=sys.stderr)
        return 1
    rules = load_rule_set(find_rule_set(args.rules, files[0]))
    reads: list = []
    unreadable: list[dict[str, str]] = []
    for path in files:
        try:
            reads.extend(read_tables(path))
        except InputError as exc:
            unreadable.append({"file": shown(path), "reason": _reason(exc.problems)})
            print_problems(exc.problems)
        except Exception as exc:  # noqa: BLE001 - a reader's library failing on one file must not stop the others
            problem = Problem(shown(path), "", f"读取该文件时出错（{type(exc).__name__}: {str(exc)[:120]}）")
            unreadable.append({"file": problem.file, "reason": problem.message})
            print_problems([problem])
    reviews = review_reads(reads, rules)
    data = [review_to_dict(r) for r in reviews]
    result = {"rule_set": rules.name, "tables": data, "unreadable": unreadable}
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, sort_keys=True, indent=2)
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
        print(f"共复核 {len(reviews)} 张表（{len(files)} 个文件，{len(unreadable)} 个无法读取），问题 {total} 项，其中高 {high} 项",
              file=sys.stderr)
    if unreadable:
        print(f"无法读取的文件 {len(unreadable)} 个：", file=sys.stderr)
        for item in unreadable:
            print(f"  {item['file']}：{item['reason']}", file=sys.stderr)
    if args.out and reviews:
        written = write_files(Path(args.out), {
            "review.html": review_html(reviews).encode("utf-8"),
            "review.xlsx": review_xlsx(reviews),
            "review.json": (json.dumps(result, ensure_ascii=False,
                                       sort_keys=True, indent=2) + "\n").encode("utf-8"),
        })
        for path in written:
            print(f"写入 {path}", file=sys.stderr)
    return 1 if unreadable else 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add this module's commands to the ``selfeval`` parser."""
    v = sub.add_parser("review", help="复核已公开的自评表（Word、PDF、网页、Excel、扫描件或 YAML）：按规则重算全部得分并列出每处差异")
    v.add_argument("tables", nargs="+", metavar="TABLE",
                   help="自评表文件（.docx/.pdf/.html/.htm/.xlsx/.xls/.png/.jpg/.tif/.yaml）或文件夹；格式按内容识别")
    v.add_argument("--rules", default="national", metavar="SET", help="复核所用规则集（默认 national）")
    v.add_argument("--json", action="store_true", help="以 JSON 输出")
    v.add_argument("--out", metavar="DIR", help="写出 review.html、review.xlsx、review.json 到该文件夹")
    v.set_defaults(func=cmd_review)

