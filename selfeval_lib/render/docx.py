"""The self-evaluation report as a Word document (.docx), from the same narrative as the HTML.

:func:`report_document` writes, in the order of the report (:data:`selfeval_lib.report.outline.SEQUENCE`), the
title, the five parts of :func:`selfeval_lib.render.narrative.render_narrative` (its HTML fragments
converted by :mod:`.htmlblocks`), the tables of :mod:`selfeval_lib.report.tables` as real Word tables
with captions "表1 …", the two charts of :mod:`selfeval_lib.report.charts` as PNG images with
captions "图1 …" below them, the 落款 (unit and date) and, on a page of its own, the 附件: the
自评表 in the rule set's layout, from the same model as 自评表.xlsx and the HTML 附件
(:func:`selfeval_lib.render.xlsx_layouts.report_self_table`).

Typography and page (GB/T 9704) are set by :mod:`.docx_styles`.

Every text goes through :func:`selfeval_lib.files.xmltext.xml_text` (characters XML cannot hold
become U+FFFD), so no string makes the writer fail.

Output is deterministic: fixed core properties (author "selfeval", revision 1, no dates; the
provenance in ``comments``, never in the body) and zip member times.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt
from docx.text.paragraph import Paragraph

from selfeval_lib.core.evaluation import Evaluation
from selfeval_lib.report.monitoring import MonitoringReport
from selfeval_lib.files.xmltext import xml_text
from selfeval_lib.render.docx_styles import (
    BODY_STYLE,
    document_bytes,
    HEADING_CJK,
    LATIN,
    TABLE_HEADER_STYLE,
    TABLE_SIZE,
    TABLE_STYLE,
    TEXT_WIDTH,
    merge_down, new_document,
    style_id, table_grid,
)
from selfeval_lib.render.htmlblocks import Block, display_len, html_blocks
from selfeval_lib.render.xlsx_layouts import LAYOUTS, report_self_table
from selfeval_lib.report import annex, charts, typography
from selfeval_lib.report.self_table import SelfTable, display, signature
from selfeval_lib.report.spans import merged_at, row_spans
from selfeval_lib.render.tables_html import KEEP_TOGETHER_ROWS
from selfeval_lib.render.narrative import render_narrative
from selfeval_lib.report.outline import CHARTS, SEQUENCE, TABLES

CHART_WIDTH = Cm(15.0)
TOTAL_LABEL = "总分"
WORD_CELL_PADDING_EM = 1.4  # Word's cell margins (0.19 cm each side) and rules, in em of 小五


# --- narrative -----------------------------------------------------------------------------
def _add_runs(paragraph: Paragraph, block: Block, prefix: str = "") -> None:
    if prefix:
        paragraph.add_run(xml_text(prefix))
    for run in block.runs:
        parts = xml_text(run.text).split("\n")
        for i, part in enumerate(parts):
            if i:
                paragraph.add_run().add_break()
            if part:
                r = paragraph.add_run(part)
                if run.bold:
                    r.bold = True
                if run.italic:
                    r.italic = True


def add_html(doc, fragment: str) -> None:
    """Append one narrative fragment: h1 → Title, h2 → Heading 1, h3 → Heading 2, p → body
    paragraph (a "report-subtitle" p → Subtitle), li → body paragraph numbered "1. "."""
    for block in html_blocks(fragment):
        if block.kind == "h1":
            style = "Title"
        elif block.kind == "h2":
            style = "Heading 1"
        elif block.kind == "h3":
            style = "Heading 2"
        elif "report-subtitle" in block.classes:
            style = "Subtitle"
        else:
            style = BODY_STYLE
        paragraph = doc.add_paragraph(style=style)
        _add_runs(paragraph, block, f"{block.number}. " if block.number is not None else "")


# --- tables --------------------------------------------------------------------------------
def _column_widths(frame: pd.DataFrame, text_width: int = TEXT_WIDTH) -> list[Emu]:
    """Column widths filling the text width (EMU; a portrait page's by default). Each column's
    natural width is its longest value (headers may wrap after four characters); when they do not
    all fit, the narrow columns keep their natural width and the wide ones share the rest equally
    (water-filling)."""
    unit = TABLE_SIZE.pt / 2                        # a half-width character
    available = Emu(text_width).pt / unit
    padding = 3.5                                   # cell margins, in half-width characters
    natural = []
    for col in frame.columns:
        values = [display_len(str(v)) for v in frame[col] if not pd.isna(v)]
        header = min(display_len(str(col)), 8)
        natural.append(max([header, 4] + values) + padding)
    if sum(natural) <= available:
        units = [n * available / sum(natural) for n in natural]
    else:
        remaining, open_columns = available, len(natural)
        cap = available / open_columns
        for n in sorted(natural):
            if n > cap:
                break
            remaining -= n
            open_columns -= 1
            cap = remaining / open_columns if open_columns else cap
        units = [min(n, cap) for n in natural]
    return [Emu(int(text_width * u / available)) for u in units]


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _cell_text(cell, text: str, *, bold: bool = False, center: bool = True, header: bool = False) -> None:
    """A cell's text in the table style (a header cell in 黑体, :data:`TABLE_HEADER_STYLE`)."""
    paragraph = cell.paragraphs[0]
    paragraph._p.style = style_id(cell.part, TABLE_HEADER_STYLE if header else TABLE_STYLE)  # looked up once
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    run = paragraph.add_run(xml_text(text))
    if bold:
        run.bold = True
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def add_table(doc, frame: pd.DataFrame, caption: str, text_width: int = TEXT_WIDTH) -> None:
    """A DataFrame (already formatted as text) as a Word table with a caption above it, filling
    ``text_width`` (EMU); the header row repeats on every page; runs of equal, non-empty 一级指标,
    and 二级指标 inside one 一级指标, are one merged cell (:func:`~selfeval_lib.report.spans.merged_at`)."""
    if caption:
        doc.add_paragraph(xml_text(caption), style="Caption")
    table = doc.add_table(rows=len(frame) + 1, cols=len(frame.columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = _column_widths(frame, text_width)
    for i, width in enumerate(widths):
        table.columns[i].width = width
    grid = table_grid(table)  # once: python-docx walks the whole table on every cell lookup
    _repeat_header(table.rows[0])
    for i, name in enumerate(frame.columns):
        _cell_text(grid[0][i], str(name), header=True)
    values = [["" if pd.isna(v) else str(v) for v in row] for row in frame.itertuples(index=False)]
    for r, row in enumerate(values, start=1):
        for c, text in enumerate(row):
            _cell_text(grid[r][c], text, center=display_len(text) <= 16)
    for cells in grid:
        for i, width in enumerate(widths):
            cells[i].width = width
    _merge_runs(grid, values, merged_at(str(name) for name in frame.columns))
    _keep_together(table, whole=len(frame) <= KEEP_TOGETHER_ROWS)


def _keep_together(table, whole: bool) -> None:
    """Rows never split across pages; a short table (``whole``) stays on one page with its
    caption (keep-with-next on every row but the last, as Word does it); a long one keeps its last
    row (the 总分) with the row above."""
    rows, grid = list(table.rows), table_grid(table)
    for i, row in enumerate(rows):
        trpr = row._tr.get_or_add_trPr()
        trpr.insert(0, OxmlElement("w:cantSplit"))  # first child: the schema order of w:trPr
        if (whole or i == len(rows) - 2) and i < len(rows) - 1:
            for cell in grid[i]:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True


def _merge_runs(grid: list[list], values: list[list[str]], columns: list[int]) -> None:
    """Merge the runs :func:`~selfeval_lib.report.spans.row_spans` finds (the data rows start at
    table row 1 of ``grid``, :func:`table_grid` before merging), keeping the first cell's text."""
    spans = row_spans(values, columns)
    for col in columns:
        for start, row in enumerate(spans):
            if row[col] > 1:
                merge_down([grid[j][col] for j in range(start + 1, start + row[col] + 1)])


def add_chart(doc, png: bytes, description: str, caption: str = "") -> None:
    """A chart as a centred inline picture, its title as the alternative text; ``caption``
    ("图1 …") below it, kept on the picture's page."""
    doc.add_picture(io.BytesIO(png), width=CHART_WIDTH)
    paragraph = doc.paragraphs[-1]
    paragraph.style = doc.styles["Normal"]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.space_after = Pt(0 if caption else 6)
    doc.inline_shapes[-1]._inline.docPr.set("descr", xml_text(description))
    if caption:
        paragraph.paragraph_format.keep_with_next = True
        below = doc.add_paragraph(xml_text(caption), style="Caption")
        below.paragraph_format.space_before = Pt(3)
        below.paragraph_format.space_after = Pt(9)
        below.paragraph_format.keep_with_next = False


def add_self_table(doc, table: SelfTable, widths: tuple[float, ...]) -> None:
    """The 自评表 as Word tables in 小五: the workbook's cells, merges and number formats; columns in
    the sheet's proportions, each column of numbers wide enough for them; the indicators a table of
    their own whose header row repeats on each page, joined to the form's head by a 1 pt paragraph
    (Word repeats only a table's first rows)."""
    doc.add_paragraph(xml_text(table.title), style="Caption")
    size = Pt(typography.ANNEX_TABLE.size_pt)
    fitted = annex.widths_mm(table, widths, typography.ANNEX_TABLE.size_pt, WORD_CELL_PADDING_EM)
    emus = [Emu(int(TEXT_WIDTH * w / sum(fitted))) for w in fitted]
    spans = table.spans()
    for part, (first, last) in enumerate(annex.parts(table)):
        if part:
            _joiner(doc)
        word = doc.add_table(rows=last - first + 1, cols=table.ncols)
        word.style = doc.styles["Table Grid"]
        word.alignment = WD_TABLE_ALIGNMENT.CENTER
        grid = table_grid(word)  # before merging: the cells merges work on
        for cells in grid:
            for i, width in enumerate(emus):
                cells[i].width = width
        for (r, c), (cell, rowspan, colspan) in spans.items():
            if not first <= r <= last:
                continue
            target = grid[r - first][c - 1]
            _cell_text(target, display(cell), bold=cell.bold and not cell.header, center=not cell.left,
                       header=cell.header)
            for run in target.paragraphs[0].runs:
                run.font.size = size
            if colspan > 1:
                target.merge(grid[r - first + rowspan - 1][c - 1 + colspan - 1])
            elif rowspan > 1:  # the cells below hold no text: a vertical merge without python-docx's searches
                merge_down([grid[r - first + k][c - 1] for k in range(rowspan)])
        merged = table_grid(word)
        for i, row in enumerate(word.rows):
            trpr = row._tr.get_or_add_trPr()
            trpr.insert(0, OxmlElement("w:cantSplit"))
            if i and merged[i][0].text == TOTAL_LABEL:  # the 总分 row stays with the row above
                for paragraph in (p for cell in merged[i - 1] for p in cell.paragraphs):
                    paragraph.paragraph_format.keep_with_next = True
        if part:
            _repeat_header(word.rows[0])


def _joiner(doc) -> None:
    """The paragraph Word needs between two tables, 1 pt high, so the two read as one form."""
    paragraph = doc.add_paragraph(style=TABLE_STYLE)
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(1)
    fmt.first_line_indent = Pt(0)
    paragraph.add_run("").font.size = Pt(1)


def add_signature(doc, unit: str, date: str, annex_note: str | None = "附件：项目支出绩效自评表") -> None:
    """附件说明 (when given) and the 落款: the unit and the date, right of centre, kept on one page
    with the paragraph above them (a 落款 never alone on a page)."""
    if doc.paragraphs:
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    if annex_note:
        note = doc.add_paragraph(style=BODY_STYLE)
        note.paragraph_format.space_before = Pt(12)
        note.paragraph_format.keep_with_next = True
        note.add_run(annex_note)
    for i, text in enumerate((unit, date)):
        paragraph = doc.add_paragraph(style=BODY_STYLE)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.paragraph_format.right_indent = Pt(24)
        paragraph.paragraph_format.space_before = Pt(24 if i == 0 else 0)
        paragraph.paragraph_format.keep_with_next = i == 0
        paragraph.add_run(xml_text(text))


def add_annex(doc, ev: Evaluation) -> None:
    """The 附件 on a new page: its label and the 自评表."""
    table = report_self_table(ev)
    label = doc.add_paragraph(style=BODY_STYLE)
    label.paragraph_format.first_line_indent = Pt(0)
    label.paragraph_format.page_break_before = True
    label.paragraph_format.keep_with_next = True
    run = label.add_run("附件")
    run.font.name = LATIN
    run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), HEADING_CJK)
    add_self_table(doc, table, LAYOUTS[table.layout].widths)


# --- the document --------------------------------------------------------------------------
def _provenance_text(provenance: Mapping[str, str] | None) -> str:
    return "\n".join(f"{k}：{v}" for k, v in (provenance or {}).items())


def report_document(ev: Evaluation, provenance: Mapping[str, str] | None = None) -> bytes:
    """The report as .docx bytes (see the module docstring).

    ``provenance`` (e.g. :func:`selfeval_lib.runner.run.provenance_footer`) is kept in the
    core properties' comments ("label：value" lines), not in the body.
    """
    text = render_narrative(ev)
    doc = new_document()
    for step in SEQUENCE:
        if step.kind == "text":
            for key in step.keys:
                add_html(doc, text[key])
        elif step.kind == "table":
            add_table(doc, TABLES[step.name](ev), step.caption)
        else:
            figure = CHARTS[step.name](ev)
            add_chart(doc, charts.figure_png(figure), figure.axes[0].get_title(), step.caption)
    add_signature(doc, *signature(ev))
    add_annex(doc, ev)

    p = ev.project_year.project
    return document_bytes(doc, title=f"{p.year}年度{p.name}绩效自评报告", subject="项目支出绩效自评报告",
                          keywords="绩效自评报告", description=_provenance_text(provenance))


def _monitoring_annex(doc, report: MonitoringReport) -> None:
    """The monitoring report's 附件, the 运行监控表, in a landscape section: label, title, the
    form's head and its three blocks (a figure with a light on the light's ground)."""
    from docx.enum.section import WD_ORIENT, WD_SECTION

    from selfeval_lib.render.cell_texts import FILLS
    from selfeval_lib.report.monitoring_form import ANNEX_TABLES, annex_heading, form_lights, head_rows

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    under = section.bottom_margin - section.footer_distance  # the page number as far under the text
    section.top_margin, section.right_margin = Mm(28), Mm(35)  # the portrait margins turned (report.css)
    section.bottom_margin, section.left_margin = Mm(26), Mm(37)
    section.footer_distance = section.bottom_margin - under
    width = section.page_width - section.left_margin - section.right_margin
    label = doc.add_paragraph(style=BODY_STYLE)
    label.paragraph_format.first_line_indent = Pt(0)
    label.paragraph_format.keep_with_next = True
    run = label.add_run("附件")
    run.font.name = LATIN
    run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), HEADING_CJK)
    for text in annex_heading(report.result):
        heading = doc.add_paragraph(style="Caption")
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        heading.add_run(xml_text(text))
    (name_label, name), (dept_label, dept, unit_label, unit) = head_rows(report.result)
    add_table(doc, pd.DataFrame([[name, dept, unit]], columns=[name_label, dept_label, unit_label]), "", width)
    for name, caption in ANNEX_TABLES:
        add_table(doc, report.table(name), caption, width)
        table = doc.tables[-1]
        for row, (at, light) in zip(table.rows[1:], form_lights(report.result, name)):
            if light:
                shading = OxmlElement("w:shd")
                shading.set(qn("w:val"), "clear")
                shading.set(qn("w:color"), "auto")
                shading.set(qn("w:fill"), FILLS[light])
                tcpr = row.cells[at]._tc.get_or_add_tcPr()
                valign = tcpr.find(qn("w:vAlign"))
                valign.addprevious(shading) if valign is not None else tcpr.append(shading)


def monitoring_document(report: MonitoringReport, provenance: Mapping[str, str] | None = None) -> bytes:
    """The 绩效运行监控报告 (a :class:`~selfeval_lib.report.monitoring.MonitoringReport`) as .docx
    bytes: the same parts, chart and tables as its HTML, a figure with a light on the light's ground
    (the prose names every light that is not green)."""
    from selfeval_lib.render.monitoring_text import monitoring_text
    from selfeval_lib.report.monitoring import SEQUENCE
    from selfeval_lib.report.monitoring_form import ANNEX_TITLE

    doc, text = new_document(), monitoring_text(report)
    for steps in SEQUENCE.values():
        for kind, value, caption in steps:
            if kind == "text":
                for key in value:
                    if key == "signature":
                        add_signature(doc, *report.signature(), annex_note=f"附件：{ANNEX_TITLE}")
                    elif key != "annex_note":  # 附件说明, written with the 落款
                        add_html(doc, text[key])
            elif kind == "annex":
                _monitoring_annex(doc, report)
            else:
                figure = report.figure()
                add_chart(doc, charts.figure_png(figure), figure.axes[0].get_title(), caption)
    m = report.result
    return document_bytes(doc, title=f"{m.year}年度{m.project_name}绩效运行监控报告（{m.year}年1–{m.month}月）",
                          subject="绩效运行监控报告", keywords="绩效运行监控报告",
                          description=_provenance_text(provenance))


__all__ = ["add_annex", "add_chart", "add_html", "add_self_table", "add_signature", "add_table", "monitoring_document",
           "report_document"]
