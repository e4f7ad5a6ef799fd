"""The review as one offline HTML page (zh-CN), rendered from
``data/templates/review/review.html.j2`` through the one environment (:mod:`.templating`,
autoescaped: every table text is escaped); what it shows is :mod:`selfeval_lib.review.present.view`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from selfeval_lib.core.findings import SEVERITY_ZH
from selfeval_lib.render.templating import render
from selfeval_lib.review.present.view import (
    COLUMNS,
    FINDING_HEADINGS,
    NUMERIC_COLUMNS,
    SUMMARY_HEADINGS,
    TEXT_HEADINGS,
    cell_marks,
    code_counts,
    finding_messages,
    marks_at,
    review_title,
    row_key,
    show,
    show_text,
    summary_rows,
    table_rows,
    tables_of,
    text_rows,
    worst,
)
from selfeval_lib.review.table import PublishedTable, Review, ReviewFinding


def _cell(value: Any, findings: list[ReviewFinding] | None, numeric: bool) -> dict[str, Any]:
    classes = ["num"] if numeric else []
    if findings:
        classes.append(f"sev-{worst(findings)}")
    return {"text": show(value) if numeric else show_text(value), "classes": " ".join(classes),
            "title": finding_messages(findings) if findings else "",
            "codes": [f.code for f in findings] if findings else []}


def _section(index: int, review: Review, table: PublishedTable | None) -> dict[str, Any]:
    info: list[tuple[str, str]] = []
    if table is not None:
        p = table.project
        info = [(k, str(v)) for k, v in (("主管部门", p.department), ("实施单位", p.unit), ("年度", p.year)) if v]
    marks = cell_marks(review, table)
    rows = []
    for entry in table_rows(review, table):
        key = row_key(entry["row"])
        rows.append({"total": entry["kind"] == "total",
                     "cells": [_cell(entry[column], marks_at(marks, key, column), column in NUMERIC_COLUMNS)
                               for column, _ in COLUMNS]})
    texts = [{"heading": t["heading"], "text": t["text"], "classes": f"sev-{worst(t['findings'])}" if t["findings"] else "",
              "title": finding_messages(t["findings"]) if t["findings"] else "",
              "codes": [f.code for f in t["findings"]]} for t in text_rows(review, table)]
    return {"index": index, "title": review_title(review, table), "info": info, "review": review, "rows": rows,
            "texts": texts}


def review_html(reviews: Sequence[Review], tables: Sequence[PublishedTable | None] | None = None) -> str:
    """One offline HTML page (zh-CN): a summary across tables, then for each table the
    recomputed table with the cells in question marked (class ``sev-high``/``sev-medium``/
    ``sev-low``, the messages in the cell's title) and the list of findings."""
    reviews = list(reviews)
    tables = tables_of(reviews, tables)
    return render(
        "review/review.html.j2",
        count=len(reviews),
        total=sum(len(r.findings) for r in reviews),
        high=sum(f.severity == "high" for r in reviews for f in r.findings),
        summary=summary_rows(reviews, tables),
        summary_headings=SUMMARY_HEADINGS,
        codes=code_counts(reviews),
        sections=[_section(i, review, table) for i, (review, table) in enumerate(zip(reviews, tables), start=1)],
        column_headings=[heading for _, heading in COLUMNS],
        finding_headings=FINDING_HEADINGS,
        text_headings=TEXT_HEADINGS,
        severity_zh=SEVERITY_ZH,
    )
