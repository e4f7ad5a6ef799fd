"""Benchmark: the 自评质量复核 summary of 1,000 project-years, copy detection included (target: under
30 s on one core), and copy detection by MinHash + LSH against comparing every pair of passages.

Usage: python bench/requality_summary.py [--projects 1000] [--naive-projects 200] [--seed 2024]

The results are built directly (:func:`tests.requality_units.fake_result` on synthetic params, each
project with four paragraphs of its own and 2% of them copied from another unit), not through files.
Prints the time of the summary and of its writers, then both detectors on --naive-projects projects
and their ratio (the pairs they find must be the same).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from requality_units import BUREAUS, DISTRICTS, WORDS, fake_result

from selfeval_lib.inputs.synthetic import synthetic_project
from selfeval_lib.requality.copies import find_copies, naive_copies
from selfeval_lib.requality.model import ProjectText
from selfeval_lib.requality.summary_data import summarise
from selfeval_lib.services.requality import write_summary
from selfeval_lib.requality.summary_data import _passages

FIELDS = ("overall_goal", "narrative.implementation", "narrative.management", "narrative.benefits")


def _paragraph(rng: random.Random, unit: str, length: int = 36) -> str:
    words = [rng.choice(WORDS) for _ in range(length)]
    return unit + "，".join("".join(words[i:i + 4]) for i in range(0, length, 4)) + "。"


def build_results(count: int, seed: int) -> list:
    """``count`` project-years of ~200 units, four own paragraphs each, 2% with a copied paragraph."""
    rng = random.Random(seed)
    units = [(f"攀枝花市{d}{b}{n}所", f"攀枝花市{b}") for d in DISTRICTS for b in BUREAUS for n in range(7)]
    results = []
    for index in range(count):
        data = synthetic_project(rng, index + 1, 2023)
        unit, department = units[index % len(units)]
        data["project"].update(unit=unit, department=department, id=f"b{index:05d}")
        r = fake_result(data, source=f"{index:05d}.yaml")
        texts = tuple(ProjectText(f, _paragraph(rng, unit)) for f in FIELDS)
        results.append(dataclasses.replace(r, texts=texts))
    for k in range(count // 50):  # plant copies: project b takes project a's benefits paragraph
        a, b = rng.sample(range(min(count, 200) if k < 4 else count), 2)
        source = results[a].texts[3]
        texts = results[b].texts[:3] + (ProjectText(source.field, source.text.replace(results[a].unit, results[b].unit)),)
        results[b] = dataclasses.replace(results[b], texts=texts)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--naive-projects", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    results = build_results(args.projects, args.seed)
    started = time.perf_counter()
    summary = summarise(results, seed=args.seed)
    summarised = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        write_summary(results, Path(folder), seed=args.seed, sample_share=None)
        written = time.perf_counter() - started
    passages = sum(len(r.texts) for r in results)
    print(f"汇总 {args.projects} 个项目年度（{passages} 段文本）：{summarised:.2f} s（含雷同检测，"
          f"{len(summary.copies)} 对雷同），连同写出 HTML/XLSX/JSON/通报：{written:.2f} s；目标 < 30 s："
          f"{'达到' if written < 30 else '未达到'}")

    small = [p for r in results[:args.naive_projects] for p in _passages(r)]
    started = time.perf_counter()
    lsh = find_copies(small)
    t_lsh = time.perf_counter() - started
    started = time.perf_counter()
    naive = naive_copies(small)
    t_naive = time.perf_counter() - started
    same = "相同" if lsh == naive else "不同"
    print(f"{args.naive_projects} 个项目（{len(small)} 段）：MinHash+LSH {t_lsh:.3f} s，逐对比较 {t_naive:.3f} s，"
          f"倍数 {t_naive / t_lsh:.1f}×；两者找到的雷同对{same}（{len(lsh)} 对）")
    return 0 if lsh == naive else 1


if __name__ == "__main__":
    sys.exit(main())
