"""The ``requality`` command: 自评质量复核 — re-score params files or published tables by a
written 口径 and write the 复核意见 (Word, HTML), the 复核底稿 (xlsx) and JSON; with
``--summary``, the summary across a jurisdiction (:func:`selfeval_lib.services.requality.requality_run`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from selfeval_lib.cli.common import print_problems
from selfeval_lib.core import formatting as fmt
from selfeval_lib.core import vocabulary as vocab


def _share(text: str) -> float:
    try:
        value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是比例（如 0.15 或 15%）") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"“{text}”应在 0 与 1（100%）之间")
    return value


def _date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是日期（写作 2024-03-15）") from None


def _evidence_line(r) -> str:
    """Which evidence case applies to a result, for the command's output."""
    s = r.supplement
    if r.evidence_status == "requested":
        zeroed = sum(1 for i in r.indicators if any(h.check == "no_evidence" and h.share > 0 for h in i.hits))
        return f"佐证材料{r.evidence_request}：缺失的 {zeroed} 项指标按口径计 0 分"
    wanted = f"，{len(s.indicators)} 项指标须补报" if s else ""
    if r.evidence_status == "provided":
        return "佐证材料已随输入提供，逐项查验" + wanted
    return "输入未附佐证材料（未提供不等于没有）：未因此扣分" + wanted


def cmd_requality(args: argparse.Namespace) -> int:
    from selfeval_lib.requality.model import Issuance
    from selfeval_lib.services.requality import SummaryRequest, requality_run

    if args.summary and not args.out:
        print("错误 --summary: 须同时给出 --out DIR（汇总写入该文件夹）", file=sys.stderr)
        return 2
    issued = Issuance(reviewer=args.reviewer or args.bureau or "", bureau=args.bureau or "", date=args.date,
                      number=args.number or "")
    run = requality_run(args.inputs, args.rules, overrides=Path(args.overrides) if args.overrides else None,
                        scoring=args.scoring, issued=issued, out=Path(args.out) if args.out else None,
                        summary=SummaryRequest(args.seed, args.sample_share) if args.summary else None)
    if not run.files:
        print("错误：没有找到参数文件或自评表", file=sys.stderr)
        return 1
    for exc in run.errors:
        print_problems(exc.problems)
    for r in run.results:
        gap = f"，自评高出 {fmt.score(r.gap, trim=True)} 分" if r.gap and r.gap > vocab.SHOWN_GAP else ""
        total = fmt.score(r.requality_total, trim=True) if r.requality_total is not None else "无法计算"
        self_total = fmt.score(r.self_total, trim=True) if r.self_total is not None else "—"
        print(f"{r.source}：自评 {self_total}（{r.self_grade or '—'}），复核 {total}（{r.requality_grade or '—'}）{gap}；"
              f"扣分 {len(r.deducted)} 项" + (f"；预警 {len(r.warnings)} 项" if r.warnings else ""))
        print(f"  {_evidence_line(r)}")
    print(f"共复核 {len(run.results)} 项（{len(run.files)} 个文件，{len(run.errors)} 个无法读取），"
          f"口径：{run.kouqing.title}", file=sys.stderr)
    cases = {case: sum(r.evidence_status == case for r in run.results) for case in ("not_provided", "provided", "requested")}
    if run.results:
        print(f"佐证材料：{cases['not_provided']} 项未随输入提供、{cases['provided']} 项已提供（缺的列入补报，均未因此扣分），"
              f"{cases['requested']} 项已通知补报（逾期缺失的计 0 分）", file=sys.stderr)
    for path in run.written:
        print(f"写入 {path}", file=sys.stderr)
    return 1 if run.errors else 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``requality`` command to the ``selfeval`` parser."""
    q = sub.add_parser("requality", help="自评质量复核：按复核口径逐项重新评分，写出复核意见（Word、HTML）、复核底稿和 JSON")
    q.add_argument("inputs", nargs="+", metavar="TABLE|PARAMS", help="参数文件、自评表（.yaml/.xlsx 等）或文件夹")
    q.add_argument("--rules", default="district", metavar="SET|PATH",
                   help="复核口径：内置 district（区级第三方实务，默认）、national（只重算），或口径文件路径")
    q.add_argument("--scoring", metavar="SET", help="重算所用评分规则集（默认：参数文件所指定的，自评表用口径的 scoring）")
    q.add_argument("--overrides", metavar="FILE",
                   help="复核人记录（YAML）：改判（指标 → 复核得分或不适用的条目，附理由）和补报通知（evidence_requests："
                        "通知日期与期限；有此记录时，逾期未补报佐证材料的指标才按口径计 0 分）")
    q.add_argument("--reviewer", metavar="NAME", help="复核单位（复核意见落款）；不给时用 --bureau，都不给则留空待填")
    q.add_argument("--bureau", metavar="NAME", help="发文的财政部门（通报落款），如 攀枝花市东区财政局；不给则留空待填")
    q.add_argument("--date", type=_date, metavar="YYYY-MM-DD",
                   help="成文日期（落款），补报和整改期限由此起算；不给则日期留空，期限写作“自收到之日起N日内”")
    q.add_argument("--number", metavar="文号", help="通报的发文字号，如 东财绩〔2024〕5号；不给则留空待填")
    q.add_argument("--out", metavar="DIR", help="写出 requality.html、requality.json、workpaper.xlsx 和各项复核意见 .docx")
    q.add_argument("--summary", action="store_true", help="另写出跨单位汇总（须给出 --out）")
    q.add_argument("--seed", type=int, default=0, help="抽查抽样的随机种子（默认 0；与 --summary 一起用）")
    q.add_argument("--sample-share", type=_share, default=None, metavar="SHARE",
                   help="抽查比例，如 0.15 或 15%%（默认按口径/汇总模块的规定）")
    q.set_defaults(func=cmd_requality)
