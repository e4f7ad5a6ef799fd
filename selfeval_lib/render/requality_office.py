"""The 复核's Office files, deterministic (fixed zip times, fixed core properties):

- :func:`opinion_docx` — the 复核意见 of one result in GB/T 9704 form (the report's styles:
  :mod:`selfeval_lib.render.docx_styles`, at the 公文 sizes of :func:`official_styles`): title,
  addressee, the four sections, the 落款, the annex table on its own page;
- :func:`bulletin_docx` — the 通报 of a summary in the same form, with its 文号 line;
- :func:`workpaper_xlsx` — the 复核底稿: one row per indicator of every result; the 复核得分 cell
  is a formula of the base score, the weight and the deduction share (``=MAX(0,base−weight×share)``),
  so a reviewer who changes a share sees the score follow (the computed values are stored as
  the formulas' cached values, for viewers that do not calculate); every text of the unit is stored as
  text (:func:`selfeval_lib.files.cells.put_text`), never as a formula.
"""

from __future__ import annotations

from collections.abc import Sequence

from selfeval_lib.files.cells import put_formula, put_text, put_value
from selfeval_lib.files.ooxml import workbook_bytes
from selfeval_lib.files.xmltext import xml_text
from selfeval_lib.render.cell_texts import is_subheading
from selfeval_lib.render.xlsx import with_cached_values
from selfeval_lib.requality.bulletin import ANNEX_HEADINGS, bulletin_of
from selfeval_lib.requality.model import Issuance, Letter, Requality
from selfeval_lib.requality.opinion import HEURISTIC_MARK, TABLE_HEADINGS, opinion_of
from selfeval_lib.requality.summary_data import Summary

#: Widths of the annex table's columns (cm; the text width of an A4 GB/T 9704 page is 15.6 cm).
_WIDTHS_CM = (1.5, 1.5, 2.4, 1.0, 1.2, 1.2, 1.0, 1.3, 4.5)
#: Widths of the 通报's annex table (cm).
_BULLETIN_WIDTHS_CM = (1.2, 3.8, 5.0, 1.5, 1.5, 1.3, 1.3)


def official_styles(doc) -> None:
    """GB/T 9704 sizes on top of the report's styles (requality.md, rule 13), from the one
    typography the report uses (report/typography.py, docs/rules.md §12): body 三号 仿宋 at the fixed
    line pitch, title 二号, headings 三号 (一、 黑体; （一） 楷体), first lines indented two characters."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    from selfeval_lib.render.docx_styles import BODY_STYLE
    from selfeval_lib.report import typography as ty

    indent = Pt(2 * ty.BODY.size_pt)
    body = doc.styles[BODY_STYLE]
    body.font.size = Pt(ty.BODY.size_pt)
    body.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    body.paragraph_format.line_spacing = Pt(ty.LINE_PITCH_PT)
    body.paragraph_format.first_line_indent = indent
    body.paragraph_format.space_before = Pt(0)
    body.paragraph_format.space_after = Pt(0)
    for name, role in (("Heading 1", ty.HEADING1), ("Heading 2", ty.HEADING2)):
        style = doc.styles[name]
        style.font.size = Pt(role.size_pt)
        style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        style.paragraph_format.line_spacing = Pt(ty.LINE_PITCH_PT)
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.first_line_indent = indent
        style.paragraph_format.keep_with_next = True
        style.font.color.rgb = None
    doc.styles["Heading 2"].font.bold = False
    title = doc.styles["Title"]
    title.font.size = Pt(ty.TITLE.size_pt)
    title.paragraph_format.space_after = Pt(ty.LINE_PITCH_PT)


def add_signature(doc, lines: tuple[str, ...], *, space_before: float = 30) -> None:
    """The 落款: right-aligned, kept together and with the paragraph before it (never alone on a
    page)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from selfeval_lib.render.docx_styles import BODY_STYLE

    for n, text in enumerate(lines):
        p = doc.add_paragraph(xml_text(text), style=BODY_STYLE)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.right_indent = Pt(32)
        p.paragraph_format.space_before = Pt(space_before if n == 0 else 0)
        p.paragraph_format.keep_with_next = n < len(lines) - 1
        p.paragraph_format.keep_together = True


def add_table(doc, headings: Sequence[str], rows: Sequence[Sequence[str]], widths_cm: Sequence[float], *,
              total: Sequence[str] | None = None) -> None:
    """A table of text in the report's table style: the heading row bold and repeated on every
    page, then ``rows`` and the ``total`` row (bold); column widths in cm."""
    from docx.shared import Cm

    from selfeval_lib.render.docx_styles import TABLE_STYLE

    table = doc.add_table(rows=1, cols=len(headings))
    table.style = doc.styles["Table Grid"]
    for values, bold in [(headings, True), *((r, False) for r in rows), *([(total, True)] if total else [])]:
        cells = table.rows[0].cells if values is headings else table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(xml_text(value)).bold = bold
            cell.paragraphs[0].style = doc.styles[TABLE_STYLE]
    _repeat_header(table.rows[0])
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def letter_docx(letter: Letter, *, headings: Sequence[str], rows: Sequence[Sequence[str]],
                widths_cm: Sequence[float], total: Sequence[str] | None = None, number: str = "", subject: str,
                keywords: str) -> bytes:
    """A bureau's document as .docx bytes (the 复核意见 and the 通报): the 文号 line (when
    ``number``), the title, the 主送, the body by sections (（一） lines as 楷体 headings), the
    附件 line kept with the 落款, then the annex table on a page of its own."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Pt

    from selfeval_lib.render.docx_styles import BODY_STYLE, document_bytes, new_document

    doc = new_document()
    official_styles(doc)
    if number:
        line = doc.add_paragraph(xml_text(number), style=BODY_STYLE)
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        line.paragraph_format.first_line_indent = Pt(0)
        line.paragraph_format.space_after = Pt(15)
    doc.add_paragraph(xml_text(letter.title), style="Title")
    first = doc.add_paragraph(xml_text(letter.addressee), style=BODY_STYLE)
    first.paragraph_format.first_line_indent = Pt(0)
    doc.add_paragraph(xml_text(letter.intro), style=BODY_STYLE)
    for heading, paragraphs in letter.sections:
        doc.add_paragraph(xml_text(heading), style="Heading 1")
        for text in paragraphs:
            doc.add_paragraph(xml_text(text), style="Heading 2" if is_subheading(text) else BODY_STYLE)
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    note = doc.add_paragraph(xml_text(letter.annex_note), style=BODY_STYLE)
    note.paragraph_format.space_before = Pt(15)
    note.paragraph_format.keep_with_next = True
    add_signature(doc, letter.signature)
    doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    label = doc.add_paragraph("附件", style=BODY_STYLE)
    label.paragraph_format.first_line_indent = Pt(0)
    caption = doc.add_paragraph(xml_text(letter.annex_title), style="Caption")
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_table(doc, headings, rows, widths_cm, total=total)
    return document_bytes(doc, title=letter.title, subject=subject, keywords=keywords)


def opinion_docx(r: Requality, issued: Issuance = Issuance(), supplement_days: int = 15,
                 rectify_days: int = 30) -> bytes:
    """The 复核意见 of ``r`` as .docx bytes: the body, the 落款, then the annex table on its own page."""
    o = opinion_of(r, issued, supplement_days, rectify_days)
    return letter_docx(o, headings=TABLE_HEADINGS, rows=o.table, widths_cm=_WIDTHS_CM, total=o.total_row,
                       subject="自评质量复核意见", keywords="复核意见")


def bulletin_docx(s: Summary, issued: Issuance = Issuance(), rectify_days: int = 30) -> bytes:
    """The 通报 of summary ``s`` as .docx bytes in the 公文 form (byte-identical for the same summary)."""
    b = bulletin_of(s, issued, rectify_days)
    return letter_docx(b, headings=ANNEX_HEADINGS, rows=b.annex_rows, widths_cm=_BULLETIN_WIDTHS_CM, number=b.number,
                       subject="自评质量复核情况通报", keywords="通报")


def _repeat_header(row) -> None:
    """Mark a table's first row to repeat at the top of every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    props.append(flag)


#: The 复核底稿's columns (the formula columns are computed from 基准得分, 分值, 扣分比例).
WORKPAPER_HEADINGS = ("来源", "实施单位", "项目", "年度", "序号", "一级指标", "二级指标", "三级指标", "指标值", "实际完成值",
                      "分值", "自评得分", "重算得分", "基准得分", "扣分比例", "复核得分", "扣分", "依据条目", "启发式",
                      "复核人改判", "扣分理由", "佐证材料", "SHA-256")
_COL = {h: i + 1 for i, h in enumerate(WORKPAPER_HEADINGS)}


def _letter(heading: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(_COL[heading])


def workpaper_xlsx(results: Sequence[Requality], kouqing_title: str) -> bytes:
    """The 复核底稿 workbook (sheets 底稿 and 汇总)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "底稿"
    bold, fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F4E79")
    flag = PatternFill("solid", fgColor="FFF2CC")
    for col, heading in enumerate(WORKPAPER_HEADINGS, start=1):
        cell = put_text(ws.cell(1, col), heading)
        cell.font, cell.fill = bold, fill
    row = 1
    cached: dict[str, float | str] = {}
    for r in results:
        for n, i in enumerate(r.indicators, start=1):
            row += 1
            base = i.base_score
            texts = {"来源": r.source, "实施单位": r.unit, "项目": r.project, "一级指标": i.level1, "二级指标": i.level2,
                     "三级指标": i.name, "指标值": i.target, "实际完成值": i.actual, "依据条目": i.rule_code,
                     "启发式": "是" if i.heuristic else "", "复核人改判": i.override_reason,
                     "扣分理由": i.reason + (HEURISTIC_MARK if i.heuristic else ""),
                     "佐证材料": "；".join(e.file + ("" if e.present else "（缺失）") for e in i.evidence),
                     "SHA-256": "；".join(e.sha256 or "" for e in i.evidence)}
            for heading, text in texts.items():
                put_text(ws.cell(row, _COL[heading]), text)
            for heading, value in (("年度", r.year), ("序号", n), ("分值", i.weight), ("自评得分", i.self_score),
                                   ("重算得分", i.recomputed_score), ("基准得分", base), ("扣分比例", i.share)):
                put_value(ws.cell(row, _COL[heading]), value)
            score, weight, share, b = (f"{_letter(h)}{row}" for h in ("复核得分", "分值", "扣分比例", "基准得分"))
            if i.overridden:
                put_value(ws.cell(row, _COL["复核得分"]), i.requality_score)
            elif i.requality_score is not None:
                put_formula(ws.cell(row, _COL["复核得分"]), f"=MAX(0,{b}-{weight}*{share})")
                cached[score] = i.requality_score
            if i.requality_score is not None:
                put_formula(ws.cell(row, _COL["扣分"]), f"={b}-{score}")
                cached[f"{_letter('扣分')}{row}"] = i.deduction
            ws.cell(row, _COL["扣分比例"]).number_format = "0%"
            if i.heuristic:
                for col in range(1, len(WORKPAPER_HEADINGS) + 1):
                    ws.cell(row, col).fill = flag
    wrap = Alignment(wrap_text=True, vertical="top")
    for heading, width in (("三级指标", 24), ("扣分理由", 60), ("实际完成值", 20), ("来源", 24), ("佐证材料", 24)):
        ws.column_dimensions[_letter(heading)].width = width
        for cells in ws.iter_rows(min_row=2, min_col=_COL[heading], max_col=_COL[heading]):
            for cell in cells:
                cell.alignment = wrap
    ws.freeze_panes = "A2"
    summary = wb.create_sheet("汇总")
    for col, heading in enumerate(("来源", "实施单位", "项目", "年度", "自评总分", "复核总分", "自评等级", "复核等级", "预警"), 1):
        cell = put_text(summary.cell(1, col), heading)
        cell.font, cell.fill = bold, fill
    put_text(summary.cell(len(results) + 3, 1), f"复核口径：{kouqing_title}")
    for n, r in enumerate(results, start=2):
        for col, value in enumerate((r.source, r.unit, r.project, r.year, r.self_total, r.requality_total, r.self_grade,
                                     r.requality_grade, "；".join(w.message for w in r.warnings)), start=1):
            put_value(summary.cell(n, col), value)
    wb.properties.creator = wb.properties.lastModifiedBy = "selfeval"
    return workbook_bytes(wb, {"xl/worksheets/sheet1.xml": with_cached_values(cached)})
