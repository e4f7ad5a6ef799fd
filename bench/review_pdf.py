"""Benchmark: read and review N text-PDF 自评表 on one core, and the cost of one table per form.

Usage: python bench/review_pdf.py [--tables 200] [--no-scan]

The PDFs are printed once into a temporary folder (WeasyPrint, not timed) from the test grid
tests/forms/grids/national_shelter.yaml, each with its own project name and figures; then
reading (``read_pdf``) and reviewing (``review_reads``) all of them is timed. The per-form table
times reading + reviewing one table as YAML, .xlsx, .docx, .html (helper readers, when present),
text PDF and one scanned PDF page (OCR, when ``selfeval[ocr]`` is installed), best of 3 (scan: 1).
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from forms.grid import Grid, load_grid, to_html
from forms.pdf import scanned_pdf, text_pdf

from selfeval_lib.inputs.params import DEFAULT_RULES_DIR, load_rule_set
from selfeval_lib.review.readers.pdf_table import read_pdf
from selfeval_lib.review.readers.yaml_table import read_yaml_table
from selfeval_lib.review.service import review_reads

GRID = ROOT / "tests" / "forms" / "grids" / "national_shelter.yaml"
TABLE_YAML = ROOT / "tests" / "forms" / "grids" / "national_shelter.table.yaml"


def variant(grid: Grid, i: int) -> Grid:
    """The grid with its own project name and executed amount."""
    g = copy.deepcopy(grid)
    g.rows[0] = ["项目名称", {"text": f"社区应急避难场所建设（第{i + 1}批）", "colspan": 10}]
    g.rows[3] = [dict(c) if isinstance(c, dict) else c for c in g.rows[3]]
    g.rows[3][3] = str(80 + i % 30)
    return g


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=200)
    parser.add_argument("--no-scan", action="store_true", help="skip the OCR form")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    rules = load_rule_set(DEFAULT_RULES_DIR / "national.yaml")
    grid = load_grid(GRID)

    with tempfile.TemporaryDirectory(prefix="selfeval-bench-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        paths = [text_pdf(variant(grid, i), folder / f"t{i:03d}.pdf") for i in range(args.tables)]
        t1, c1 = time.perf_counter(), time.process_time()
        reads = [read for path in paths for read in read_pdf(path)]
        t2, c2 = time.perf_counter(), time.process_time()
        reviews = review_reads(reads, rules)
        t3, c3 = time.perf_counter(), time.process_time()
        assert len(reviews) == args.tables and all(r.findings for r in reviews)
        print(f"{args.tables} text-PDF tables (printed in {t1 - t0:.1f} s, not timed):")
        print(f"  read    {t2 - t1:7.2f} s  ({(t2 - t1) / args.tables * 1000:.1f} ms/table)")
        print(f"  review  {t3 - t2:7.2f} s  ({(t3 - t2) / args.tables * 1000:.1f} ms/table)")
        print(f"  total   {t3 - t1:7.2f} s  (target < 60 s); CPU time {c3 - c1:.2f} s "
              f"(read {c2 - c1:.2f} s, review {c3 - c2:.2f} s) — on a shared machine the CPU time is the figure")

        forms: dict[str, Callable[[], list]] = {"yaml": lambda: read_yaml_table(TABLE_YAML)}
        try:
            from forms.office import to_docx, to_xlsx

            from selfeval_lib.review.readers.docx_table import read_docx
            from selfeval_lib.review.readers.excel import read_workbook
            xlsx, docx = to_xlsx(grid, folder / "t.xlsx"), to_docx(grid, folder / "t.docx")
            forms["xlsx"] = lambda: read_workbook(xlsx)
            forms["docx"] = lambda: read_docx(docx)
        except ImportError:
            pass
        try:
            from selfeval_lib.review.readers.html_table import read_html
            page = folder / "t.html"
            page.write_text(to_html(grid, chrome=True), encoding="utf-8")
            forms["html"] = lambda: read_html(page)
        except ImportError:
            pass
        forms["pdf"] = lambda: read_pdf(paths[0])
        long_pdf = text_pdf(grid, folder / "long.pdf", long=True)
        forms["pdf (3 pages)"] = lambda: read_pdf(long_pdf)
        scan = None
        if not args.no_scan:
            try:
                import rapidocr_onnxruntime  # noqa: F401
                scan = scanned_pdf(paths[0], folder / "scan.pdf", dpi=150)
            except ImportError:
                print("(no selfeval[ocr]: the scan is skipped)")
        print("\nper table, read + review (best of 3):")
        print(f"  {'form':<14}{'ms':>10}")
        for form, read in forms.items():
            ms = timed(lambda read=read: review_reads(read(), rules)) * 1000
            print(f"  {form:<14}{ms:>10.1f}")
        if scan is not None:
            from selfeval_lib.review.readers import ocr
            ocr.engine()  # model loading is not the page's cost
            ms = timed(lambda: review_reads(read_pdf(scan), rules), repeat=1) * 1000
            print(f"  {'scan (OCR)':<14}{ms:>10.1f}")


if __name__ == "__main__":
    main()
