"""Present reviews (复核) of published 自评表: an offline HTML page, an Excel workbook with the
cells in question filled by severity, and the small tables the review notebook shows.

Everything here is display: the numbers come from :func:`selfeval_lib.review.recompute.review_table`.
A :class:`~selfeval_lib.review.recompute.Review` holds scores, not the printed cells, so each function
takes the :class:`~selfeval_lib.review.recompute.PublishedTable` of each review as an optional second
argument (same order) to show the targets, actuals and reasons as printed; without it only
the scores are shown.
"""

from __future__ import annotations

import html
import io
import re
from collections import Counter
from typing import Any, Iterable, Sequence

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.checks import SEVERITY_ZH
from selfeval_lib.files.ooxml import fixed_zip_times
from selfeval_lib.core.checks import SEVERITY_ORDER
from selfeval_lib.errors import CellError
from selfeval_lib.review.cells import number_cell, rate_cell
from selfeval_lib.review.table import PublishedTable, Review, ReviewFinding

#: Excel fills and HTML colours by severity: red, orange, yellow.
SEVERITY_FILL = {"high": "FFC7CE", "medium": "F8CBAD", "low": "FFF2CC"}
KIND_ZH = {"execution": "预算执行", "quantitative": "定量", "time": "时效", "qualitative": "定性",
           "blank": "空白", "unreadable": "无法复核"}

#: Columns of the recomputed table: (key, heading).
COLUMNS = (
    ("row", "行"), ("level1", "一级指标"), ("level2", "二级指标"), ("name", "三级指标"), ("target", "年度指标值"),
    ("actual", "实际完成值"), ("weight", "分值"), ("published", "填报得分"), ("recomputed", "复核得分"),
    ("reason", "偏差原因分析"),
)
#: Which column a finding's ``field`` marks (indicator rows, the funds row and the 总分 row).
_FIELD_COLUMN = {
    "得分": "published", "分值": "weight", "年度指标值": "target", "实际完成值": "actual", "actual": "actual",
    "target/actual": ("target", "actual"), "三级指标": "name", "偏差原因分析": "reason", "原因": "reason",
    "执行率": "actual", "全年预算数": "target", "全年执行数": "actual", "等级": "reason",
}


# --- shared helpers ----------------------------------------------------------------------------

def _tables(reviews: Sequence[Review], tables: Sequence[PublishedTable | None] | None) -> list[PublishedTable | None]:
    if tables is None:
        return [getattr(r, "table", None) for r in reviews]
    if len(tables) != len(reviews):
        raise ValueError("tables 与 reviews 数量不一致")
    return list(tables)


def review_title(review: Review, table: PublishedTable | None = None) -> str:
    """A table's heading: project name, else the source (with the sheet when known)."""
    if table is not None:
        where = f"{table.source}［{table.sheet}］" if table.sheet else table.source
        return f"{table.project.name}（{where}）" if table.project.name else where
    return review.source or "自评表"


def show(value: Any) -> str:
    """A value as the reports print it: scores with at most two decimals, None as "—"."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return fmt.score(value)
    return str(value)


def _row_key(row: Any) -> str:
    return str(row)


def cell_marks(review: Review, table: PublishedTable | None = None) -> dict[tuple[str, str], list[ReviewFinding]]:
    """The findings on each cell of the recomputed table: (row, column key) → findings.

    Rows are keyed by ``str(row)`` (the sheet row, "资金" or "总分"); a level-1 finding
    (LEVEL1_WEIGHTS_DIFFER) marks the weight of every row of that level-1 indicator.
    """
    marks: dict[tuple[str, str], list[ReviewFinding]] = {}
    level1_rows: dict[str, list[str]] = {}
    if table is not None:
        for index, ind in enumerate(table.indicators):
            row = ind.row if ind.row is not None else index + 1
            level1_rows.setdefault(ind.level1, []).append(_row_key(row))
    for finding in review.findings:
        columns = _FIELD_COLUMN.get(finding.field, "published")
        columns = columns if isinstance(columns, tuple) else (columns,)
        if finding.row is None:
            continue
        rows = level1_rows.get(str(finding.row)) if finding.code == "LEVEL1_WEIGHTS_DIFFER" else None
        for row in rows or [_row_key(finding.row)]:
            for column in columns:
                marks.setdefault((row, column), []).append(finding)
    return marks


def worst(findings: Iterable[ReviewFinding]) -> str | None:
    """The highest severity among ``findings`` (None when there are none)."""
    found = sorted((f.severity for f in findings), key=SEVERITY_ORDER.__getitem__)
    return found[0] if found else None


def table_rows(review: Review, table: PublishedTable | None = None) -> list[dict[str, Any]]:
    """The recomputed table, one dict per row (keys of :data:`COLUMNS`): the funds row, the
    indicator rows with the cells as printed when ``table`` is given, and the 总分 row."""
    printed: dict[str, Any] = {}
    if table is not None:
        for index, ind in enumerate(table.indicators):
            printed[_row_key(ind.row if ind.row is not None else index + 1)] = ind
    out: list[dict[str, Any]] = []
    for r in review.rows:
        key = _row_key(r.row)
        entry = {"row": r.row, "level1": "", "level2": "", "name": r.name, "target": "", "actual": "",
                 "weight": r.weight, "published": r.published, "recomputed": r.recomputed, "reason": "",
                 "kind": r.kind}
        if r.kind == "execution":
            entry["level1"] = "预算执行"
            if table is not None and table.funds is not None:
                f = table.funds
                entry["target"] = f"全年预算数 {show(f.budget_full_year)}{f.amount_unit}"
                entry["actual"] = f"执行数 {show(f.executed)}{f.amount_unit}，执行率 {show(f.rate)}"
                entry["reason"] = f.reason
        elif key in printed:
            ind = printed[key]
            entry.update(level1=ind.level1, level2=ind.level2, name=ind.name, target=ind.target, actual=ind.actual,
                         reason=ind.deviation_reason)
        out.append(entry)
    weights = [r.weight for r in review.rows if r.weight is not None]
    out.append({"row": "总分", "level1": "", "level2": "", "name": "总分", "target": "", "actual": "",
                "weight": sum(weights) if weights else None, "published": review.published_total,
                "recomputed": review.recomputed_total,
                "reason": f"等级：填报 {review.published_grade or '—'}，复核 {review.recomputed_grade or '—'}",
                "kind": "total"})
    return out


def summary_rows(reviews: Sequence[Review], tables: Sequence[PublishedTable | None] | None = None) -> list[dict[str, Any]]:
    """One row per table: totals, grades and the number of findings by severity."""
    out = []
    for review, table in zip(reviews, _tables(reviews, tables)):
        counts = Counter(f.severity for f in review.findings)
        out.append({"表": review_title(review, table), "填报总分": review.published_total,
                    "复核总分": review.recomputed_total, "填报等级": review.published_grade or None,
                    "复核等级": review.recomputed_grade, "高": counts["high"], "中": counts["medium"],
                    "低": counts["low"]})
    return out


def code_counts(reviews: Sequence[Review]) -> list[tuple[str, str, int]]:
    """(code, severity, count) across all tables, most frequent first."""
    counter = Counter((f.code, f.severity) for r in reviews for f in r.findings)
    return sorted(((code, sev, n) for (code, sev), n in counter.items()),
                  key=lambda x: (-x[2], SEVERITY_ORDER[x[1]], x[0]))


# --- HTML -----------------------------------------------------------------------------------------

_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:2em;color:#222;line-height:1.5}
h1{font-size:1.6em}h2{font-size:1.3em;margin-top:2em;border-bottom:2px solid #1F4E79}
table{border-collapse:collapse;margin:.8em 0;font-size:.92em}
th,td{border:1px solid #999;padding:.25em .5em;vertical-align:top}
th{background:#1F4E79;color:#fff}
td.num{text-align:right;white-space:nowrap}
.sev-high{background:#FFC7CE}.sev-medium{background:#F8CBAD}.sev-low{background:#FFF2CC}
tr.total td{font-weight:bold;background:#EEF3F8}
span.badge{display:inline-block;padding:0 .4em;border-radius:3px;font-size:.85em}
ul.readings{color:#555;font-size:.9em}
p.legend span{padding:0 .5em;margin-right:.5em}
"""


def _e(value: Any) -> str:
    return html.escape(show(value) if not isinstance(value, str) else value, quote=True)


def _td(value: Any, findings: list[ReviewFinding] | None, numeric: bool = False) -> str:
    classes = ["num"] if numeric else []
    title = ""
    if findings:
        classes.append(f"sev-{worst(findings)}")
        messages = html.escape("\n".join(f"[{f.code}] {f.message}" for f in findings), quote=True)
        title = " title=\"" + messages.replace("\n", "&#10;") + "\""
        codes = "".join(f"<sup>{html.escape(f.code)}</sup>" for f in findings)
    else:
        codes = ""
    cls = f" class=\"{' '.join(classes)}\"" if classes else ""
    text = show(value) if numeric else (value if isinstance(value, str) else show(value))
    return f"<td{cls}{title}>{html.escape(text or '', quote=True)}{codes}</td>"


def review_html(reviews: Sequence[Review], tables: Sequence[PublishedTable | None] | None = None) -> str:
    """One offline HTML page (zh-CN): a summary across tables, then for each table the
    recomputed table with the cells in question marked (class ``sev-high``/``sev-medium``/
    ``sev-low``, the messages in the cell's title) and the list of findings."""
    reviews = list(reviews)
    tables = _tables(reviews, tables)
    parts = ["<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             "<title>自评表复核结果</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
             "<h1>项目支出绩效自评表复核结果</h1>"]
    total = sum(len(r.findings) for r in reviews)
    high = sum(f.severity == "high" for r in reviews for f in r.findings)
    parts.append(f"<p>共复核 {len(reviews)} 张自评表，发现问题 {total} 项（其中高级别 {high} 项）。</p>")
    parts.append('<p class="legend">标记：<span class="sev-high">高：得分或合计错误等</span>'
                 '<span class="sev-medium">中：缺少说明或依据</span><span class="sev-low">低：舍入差异与提示</span></p>')
    # Summary across tables.
    parts.append('<table class="summary"><thead><tr>' + "".join(
        f"<th>{h}</th>" for h in ("表", "填报总分", "复核总分", "填报等级", "复核等级", "高", "中", "低")) + "</tr></thead><tbody>")
    for i, row in enumerate(summary_rows(reviews, tables), start=1):
        cells = [f'<td><a href="#table-{i}">{html.escape(row["表"])}</a></td>']
        cells += [f'<td class="num">{_e(row[k])}</td>' for k in ("填报总分", "复核总分")]
        cells += [f"<td>{_e(row[k])}</td>" for k in ("填报等级", "复核等级")]
        cells += [f'<td class="num">{row[k]}</td>' for k in ("高", "中", "低")]
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table>")
    counts = code_counts(reviews)
    if counts:
        parts.append("<h3>问题类型汇总</h3><table class=\"codes\"><thead><tr><th>代码</th><th>级别</th><th>次数</th></tr></thead><tbody>")
        parts += [f'<tr><td>{html.escape(code)}</td><td class="sev-{sev}">{SEVERITY_ZH[sev]}</td><td class="num">{n}</td></tr>'
                  for code, sev, n in counts]
        parts.append("</tbody></table>")
    for i, (review, table) in enumerate(zip(reviews, tables), start=1):
        parts.append(_table_section(i, review, table))
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _table_section(index: int, review: Review, table: PublishedTable | None) -> str:
    out = [f'<section id="table-{index}">', f"<h2>{index}. {html.escape(review_title(review, table))}</h2>"]
    if table is not None:
        p = table.project
        info = [("主管部门", p.department), ("实施单位", p.unit), ("年度", p.year)]
        shown = "；".join(f"{k}：{html.escape(str(v))}" for k, v in info if v)
        if shown:
            out.append(f"<p>{shown}</p>")
    out.append(f"<p>填报总分 {_e(review.published_total)}（{_e(review.published_grade or None)}），"
               f"复核总分 {_e(review.recomputed_total)}（{_e(review.recomputed_grade)}），问题 {len(review.findings)} 项。</p>")
    marks = cell_marks(review, table)
    out.append('<table class="recomputed"><thead><tr>' + "".join(f"<th>{h}</th>" for _, h in COLUMNS) + "</tr></thead><tbody>")
    numeric = {"weight", "published", "recomputed"}
    for entry in table_rows(review, table):
        key = _row_key(entry["row"])
        row_class = ' class="total"' if entry["kind"] == "total" else ""
        cells = []
        for column, _ in COLUMNS:
            found = marks.get((key, column))
            if column == "recomputed" and (key, "published") in marks:
                found = None  # the published cell carries the mark
            cells.append(_td(entry[column], found, column in numeric))
        out.append(f"<tr{row_class}>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    if review.findings:
        out.append('<table class="findings"><thead><tr>' + "".join(
            f"<th>{h}</th>" for h in ("行", "字段", "代码", "级别", "填报", "复核", "说明")) + "</tr></thead><tbody>")
        for f in review.findings:
            out.append(f'<tr class="sev-{f.severity}"><td>{_e(f.row)}</td><td>{_e(f.field)}</td><td>{_e(f.code)}</td>'
                       f"<td>{SEVERITY_ZH[f.severity]}</td><td>{_e(f.published)}</td><td>{_e(f.recomputed)}</td>"
                       f"<td>{_e(f.message)}</td></tr>")
        out.append("</tbody></table>")
    else:
        out.append("<p>未发现问题。</p>")
    if review.readings:
        out.append("<h3>复核口径</h3><ul class=\"readings\">" + "".join(f"<li>{html.escape(r)}</li>" for r in review.readings) + "</ul>")
    out.append("</section>")
    return "\n".join(out)


# --- Excel ------------------------------------------------------------------------------------------

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(base: str, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("_", base).strip("'") or "表"
    title = base[:31]
    n = 2
    while title in used:
        suffix = f"({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(title)
    return title


def review_xlsx(reviews: Sequence[Review], tables: Sequence[PublishedTable | None] | None = None) -> bytes:
    """An Excel workbook: a 汇总 sheet, then one sheet per table reproducing its rows with the
    published and recomputed scores; cells in question filled red/orange/yellow by severity with a
    comment holding the messages, and the findings listed below. Same input → same bytes."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    reviews = list(reviews)
    tables = _tables(reviews, tables)
    wb = Workbook()
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="1F4E79")
    fills = {sev: PatternFill("solid", fgColor=color) for sev, color in SEVERITY_FILL.items()}
    wrap = Alignment(wrap_text=True, vertical="top")

    def header(ws, row: int, labels: Sequence[str]) -> None:
        for col, label in enumerate(labels, start=1):
            cell = ws.cell(row, col, label)
            cell.font, cell.fill = header_font, header_fill

    summary = wb.active
    summary.title = "汇总"
    used = {"汇总"}
    labels = ("表", "工作表名", "填报总分", "复核总分", "填报等级", "复核等级", "高", "中", "低")
    header(summary, 1, labels)
    titles = []
    for review, table in zip(reviews, tables):
        titles.append(_sheet_title(f"{len(titles) + 1}-{(table.project.name if table and table.project.name else review.source)}", used))
    for i, (row, title) in enumerate(zip(summary_rows(reviews, tables), titles), start=2):
        values = [row["表"], title, row["填报总分"], row["复核总分"], row["填报等级"], row["复核等级"], row["高"], row["中"], row["低"]]
        for col, value in enumerate(values, start=1):
            summary.cell(i, col, value)
    counts = code_counts(reviews)
    start = len(reviews) + 3
    if counts:
        header(summary, start, ("代码", "级别", "次数"))
        for j, (code, sev, n) in enumerate(counts, start=start + 1):
            summary.cell(j, 1, code)
            summary.cell(j, 2, SEVERITY_ZH[sev]).fill = fills[sev]
            summary.cell(j, 3, n)
    summary.column_dimensions["A"].width = 48
    summary.column_dimensions["B"].width = 24
    summary.freeze_panes = "A2"

    widths = {"row": 8, "level1": 12, "level2": 14, "name": 24, "target": 18, "actual": 22, "weight": 8,
              "published": 10, "recomputed": 10, "reason": 36}
    for review, table, title in zip(reviews, tables, titles):
        ws = wb.create_sheet(title)
        ws.cell(1, 1, review_title(review, table)).font = Font(bold=True, size=13)
        header(ws, 2, [h for _, h in COLUMNS])
        marks = cell_marks(review, table)
        r = 3
        for entry in table_rows(review, table):
            key = _row_key(entry["row"])
            for col, (column, _) in enumerate(COLUMNS, start=1):
                value = entry[column]
                if column == "row":
                    value = value if isinstance(value, int) else show(value)
                elif column not in ("weight", "published", "recomputed"):
                    value = value if isinstance(value, str) else show(value)
                elif isinstance(value, float):
                    value = round(value, 4)
                cell = ws.cell(r, col, value)
                cell.alignment = wrap
                found = marks.get((key, column))
                if column == "recomputed" and (key, "published") in marks:
                    found = None
                if found:
                    cell.fill = fills[worst(found)]
                    cell.comment = Comment("\n".join(f"[{f.code}] {f.message}" for f in found), "selfeval",
                                           width=320, height=120)
                if entry["kind"] == "total":
                    cell.font = Font(bold=True)
            r += 1
        r += 1
        header(ws, r, ("行", "字段", "代码", "级别", "填报", "复核", "说明"))
        for f in review.findings:
            r += 1
            values = (show(f.row), f.field, f.code, SEVERITY_ZH[f.severity], show(f.published), show(f.recomputed), f.message)
            for col, value in enumerate(values, start=1):
                cell = ws.cell(r, col, value)
                cell.alignment = wrap
            ws.cell(r, 4).fill = fills[f.severity]
        if review.readings:
            r += 2
            ws.cell(r, 1, "复核口径").font = Font(bold=True)
            for reading in review.readings:
                r += 1
                ws.cell(r, 1, reading)
        for col, (column, _) in enumerate(COLUMNS, start=1):
            ws.column_dimensions[ws.cell(2, col).column_letter].width = widths[column]
        ws.freeze_panes = "A3"
    wb.properties.creator = "selfeval"
    buffer = io.BytesIO()
    wb.save(buffer)
    return fixed_zip_times(buffer.getvalue())


# --- notebook tables (pandas) --------------------------------------------------------------------

def published_frame(table: PublishedTable):
    """The indicator rows as published (cells as printed)."""
    import pandas as pd

    return pd.DataFrame([{"行": ind.row if ind.row is not None else i + 1, "一级指标": ind.level1, "二级指标": ind.level2,
                          "三级指标": ind.name, "年度指标值": ind.target, "实际完成值": ind.actual,
                          "分值": show(ind.weight), "得分": show(ind.score), "偏差原因分析": ind.deviation_reason}
                         for i, ind in enumerate(table.indicators)])


def execution_frame(review: Review, table: PublishedTable):
    """The execution recomputation: the printed figures, 执行率 = 全年执行数 ÷ 全年预算数, the
    published and the rule's score (from the review)."""
    import pandas as pd

    f = table.funds
    if f is None:
        return pd.DataFrame([{"说明": "表中无预算执行率（如专项转移支付），总分只计绩效指标。"}])
    row = next((r for r in review.rows if r.kind == "execution"), None)

    def num(value, rate=False):
        try:
            return rate_cell(value) if rate else number_cell(value)
        except CellError:
            return None

    budget, executed = num(f.budget_full_year), num(f.executed)
    rate = executed / budget if budget and executed is not None else None
    return pd.DataFrame([
        {"项目": "金额单位", "填报": f.amount_unit, "复核": f.amount_unit},
        {"项目": "年初预算数", "填报": show(f.budget_initial), "复核": "（不作分母）"},
        {"项目": "全年预算数", "填报": show(f.budget_full_year), "复核": show(budget)},
        {"项目": "全年执行数", "填报": show(f.executed), "复核": show(executed)},
        {"项目": "执行率", "填报": show(f.rate), "复核": fmt.percent(rate)},
        {"项目": "分值", "填报": show(f.weight), "复核": show(row.weight if row else None)},
        {"项目": "得分", "填报": show(f.score), "复核": show(row.recomputed if row else None)},
    ])


def scores_frame(review: Review, table: PublishedTable | None = None):
    """Each row's published and recomputed score, the difference and the codes on the row."""
    import pandas as pd

    codes: dict[str, list[str]] = {}
    for f in review.findings:
        codes.setdefault(_row_key(f.row), []).append(f.code)
    out = []
    for entry in table_rows(review, table):
        pub, rec = entry["published"], entry["recomputed"]
        out.append({"行": show(entry["row"]), "三级指标": entry["name"], "年度指标值": entry["target"],
                    "实际完成值": entry["actual"], "分值": show(entry["weight"]), "类型": KIND_ZH.get(entry["kind"], "合计"),
                    "填报得分": show(pub), "复核得分": show(rec),
                    "差额": show(pub - rec) if pub is not None and rec is not None else "—",
                    "问题": "、".join(codes.get(_row_key(entry["row"]), []))})
    return pd.DataFrame(out)


def findings_frame(review: Review):
    """The findings, most severe first."""
    import pandas as pd

    columns = ["行", "字段", "代码", "级别", "填报", "复核", "说明"]
    return pd.DataFrame([{"行": show(f.row), "字段": f.field, "代码": f.code, "级别": SEVERITY_ZH[f.severity],
                          "填报": show(f.published), "复核": show(f.recomputed), "说明": f.message}
                         for f in review.findings], columns=columns)


def totals_frame(review: Review):
    """Published against recomputed total and grade."""
    import pandas as pd

    return pd.DataFrame([{"项目": "总分", "填报": show(review.published_total), "复核": show(review.recomputed_total)},
                         {"项目": "等级", "填报": review.published_grade or "—", "复核": review.recomputed_grade or "—"}])
