"""The Word report's typography: fonts, paragraph styles and the A4 page (GB/T 9704).

:func:`configure_styles` sets the fonts and sizes of the document defaults and of every style
the report uses; :func:`page_setup` the page, margins and the "— 1 —" footer.

Typography (GB/T 9704; the faces, sizes and page of :mod:`selfeval_lib.report.typography`, the
same the PDF and the HTML's print view use):

* A4, margins top 3.7 cm, bottom 3.5 cm, left 2.8 cm, right 2.6 cm (GB/T 9704-2012 §5.2.1);
  page number "— 1 —" 四号 宋体 in the footer (a PAGE field) at the outside edge, one character
  in: right on odd pages, left on even ones (odd and even footers).
* Body 仿宋_GB2312 三号 (16 pt) at a fixed line pitch of 28.95 pt (22 lines a page), first line
  indented two characters; 1. and （1） in the body's face.
* Part headings (一、…) are "Heading 1" in 黑体 三号; sub-sections ((一)…) "Heading 2" in
  楷体_GB2312 三号, not bold. They are Word's built-in heading styles (outline levels 1 and 2), so the
  navigation pane and a TOC field work.
* Title 方正小标宋简体 二号 (22 pt), subtitle 楷体_GB2312 三号; tables 仿宋 五号 with 黑体 headers.
  The font table gives each face its fallback every Simplified Chinese Windows has (``w:altName``
  宋体 / 仿宋 / 楷体 / SimHei, GB2312 charset); LibreOffice (lang zh-CN) falls back to the Noto CJK SC faces.
* Latin text and digits in Times New Roman. East-Asian fonts are set as ``w:eastAsia`` on
  the document defaults and on every style used (python-docx's ``font.name`` sets only the
  Latin ones), and the East-Asian language is zh-CN.
"""

from __future__ import annotations

import weakref

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from selfeval_lib.report import typography as ty

LATIN = ty.LATIN
BODY_CJK = ty.BODY.face.word                # 仿宋_GB2312
HEADING_CJK = ty.HEADING1.face.word         # 黑体
SUBHEADING_CJK = ty.HEADING2.face.word      # 楷体_GB2312
TITLE_CJK = ty.TITLE.face.word              # 方正小标宋简体
FOOTER_CJK = ty.PAGE_NUMBER.face.word       # 宋体
#: Each named font → (its Simplified Chinese fallback, w:family, w:pitch) for the font table.
FALLBACKS = {face.word: (face.word_alt, face.panose, face.pitch) for face in ty.FACES.values()}

BODY_SIZE = Pt(ty.BODY.size_pt)             # 三号
TABLE_SIZE = Pt(ty.TABLE.size_pt)           # 五号
H1_SIZE = Pt(ty.HEADING1.size_pt)           # 三号
H2_SIZE = Pt(ty.HEADING2.size_pt)           # 三号
TITLE_SIZE = Pt(ty.TITLE.size_pt)           # 二号
SUBTITLE_SIZE = Pt(ty.SUBTITLE.size_pt)     # 三号
CAPTION_SIZE = Pt(ty.CAPTION.size_pt)       # 小四
FOOTER_SIZE = Pt(ty.PAGE_NUMBER.size_pt)    # 四号
LINE_PITCH = Pt(ty.LINE_PITCH_PT)           # 固定值 28.95 pt

PAGE_WIDTH, PAGE_HEIGHT = Mm(ty.PAGE_MM[0]), Mm(ty.PAGE_MM[1])
MARGINS = {side: Mm(mm) for side, mm in ty.MARGINS_MM.items()}
TEXT_WIDTH = Emu(PAGE_WIDTH - MARGINS["left"] - MARGINS["right"])

BODY_STYLE = "Body Text"
TABLE_STYLE = "Table Text"
TABLE_HEADER_STYLE = "Table Heading"  # a table's header cells: 黑体, not bold, no fill (公文 tables)


# --- fonts and styles ----------------------------------------------------------------------
def _set_rfonts(rpr, latin: str, east_asia: str) -> None:
    """Explicit fonts on a ``w:rPr`` (theme attributes removed, so they cannot override)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def _style(doc, name: str, east_asia: str, size: Pt, *, bold: bool | None = None, base: str | None = None,
           paragraph: bool = True):
    from docx.enum.style import WD_STYLE_TYPE

    styles = doc.styles
    if name in [s.name for s in styles]:
        style = styles[name]
    else:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH if paragraph else WD_STYLE_TYPE.CHARACTER)
    if base:
        style.base_style = styles[base]
    font = style.font
    font.size = size
    font.color.rgb = RGBColor(0, 0, 0)
    font.italic = False
    if bold is not None:
        font.bold = bold
    _set_rfonts(style.element.get_or_add_rPr(), LATIN, east_asia)
    return style


def configure_styles(doc) -> None:
    styles_el = doc.styles.element
    defaults = styles_el.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_rfonts(defaults, LATIN, BODY_CJK)
    lang = defaults.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    for size_tag in ("w:sz", "w:szCs"):
        defaults.find(qn(size_tag)).set(qn("w:val"), str(int(BODY_SIZE.pt * 2)))

    normal = _style(doc, "Normal", BODY_CJK, BODY_SIZE)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.0
    pf.widow_control = True

    body = _style(doc, BODY_STYLE, BODY_CJK, BODY_SIZE, base="Normal")
    pf = body.paragraph_format
    pf.first_line_indent = Pt(BODY_SIZE.pt * 2)  # two characters
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = LINE_PITCH
    pf.space_after = Pt(0)
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    table_text = _style(doc, TABLE_STYLE, BODY_CJK, TABLE_SIZE, base="Normal")
    table_text.paragraph_format.line_spacing = 1.0
    _style(doc, TABLE_HEADER_STYLE, ty.TABLE_HEADER.face.word, TABLE_SIZE, base=TABLE_STYLE, bold=False)

    for name, east_asia, size in (("Heading 1", HEADING_CJK, H1_SIZE), ("Heading 2", SUBHEADING_CJK, H2_SIZE)):
        style = _style(doc, name, east_asia, size, bold=False)
        pf = style.paragraph_format
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = LINE_PITCH
        pf.keep_with_next = True
        pf.first_line_indent = Pt(BODY_SIZE.pt * 2)  # 一、 and （一） start two characters in, as the body

    title = _style(doc, "Title", TITLE_CJK, TITLE_SIZE, bold=False)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(0)
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    title.paragraph_format.line_spacing = Pt(TITLE_SIZE.pt * 1.5)
    _no_border(title)
    subtitle = _style(doc, "Subtitle", SUBHEADING_CJK, SUBTITLE_SIZE, bold=False)
    subtitle.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    subtitle.paragraph_format.line_spacing = LINE_PITCH
    subtitle.paragraph_format.space_after = LINE_PITCH  # one empty line before the body

    caption = _style(doc, "Caption", HEADING_CJK, CAPTION_SIZE, bold=False)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.space_before = Pt(9)
    caption.paragraph_format.space_after = Pt(3)
    caption.paragraph_format.keep_with_next = True

    _style(doc, "Footer", FOOTER_CJK, FOOTER_SIZE)
    _font_table(doc)


def _font_table(doc) -> None:
    """Declare the CJK fonts in word/fontTable.xml with their fallbacks (:data:`FALLBACKS`)."""
    from lxml import etree

    part = next(rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/fontTable"))
    root = etree.fromstring(part.blob)
    for name, (alt, family, pitch) in FALLBACKS.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", alt), ("w:charset", "86"), ("w:family", family), ("w:pitch", pitch)):
            child = etree.SubElement(font, qn(tag))
            child.set(qn("w:val"), value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _no_border(style) -> None:
    """The template's Title has a bottom border and spacing made for Latin text: remove it."""
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def new_document():
    """An empty document in the project's styles (:func:`configure_styles`) and page
    (:func:`page_setup`), without the empty first paragraph of python-docx's template."""
    from docx import Document

    doc = Document()
    configure_styles(doc)
    page_setup(doc)
    body = doc.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    return doc


# --- page ----------------------------------------------------------------------------------
def page_setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.header_distance = Cm(1.5)
    # the number's baseline about 7 mm under the 版心 (GB/T 9704 §7.5)
    section.footer_distance = MARGINS["bottom"] - Mm(ty.PAGE_NUMBER_BELOW_MM) - FOOTER_SIZE
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align, indent in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
                                  (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")):
        paragraph = footer.paragraphs[0]
        paragraph.style = doc.styles["Footer"]
        paragraph.alignment = align
        setattr(paragraph.paragraph_format, f"{indent}_indent", BODY_SIZE)  # one character in
        before, after = ty.PAGE_NUMBER_AFFIXES
        paragraph.add_run(before)
        add_field(paragraph, "PAGE", "1")
        paragraph.add_run(after)


def add_field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A complex field (``PAGE`` …) with a placeholder result, updated by Word/LibreOffice."""
    def char(kind: str):
        run = paragraph.add_run()
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        run._r.append(fld)

    char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


def document_bytes(doc, *, title: str, subject: str, keywords: str, description: str = "") -> bytes:
    """The finished .docx as bytes, the same for the same content: fixed document properties (author
    "selfeval", revision 1, no dates; ``description`` — the provenance — in dc:description, whose
    python-docx setter caps at 255 characters; never the template's "generated by python-docx"), the template's thumbnail of an empty page removed,
    fixed zip times (:func:`~selfeval_lib.files.ooxml.fixed_zip_times`)."""
    import io

    from selfeval_lib.files.ooxml import fixed_zip_times
    from selfeval_lib.files.xmltext import xml_text

    core = doc.core_properties
    core.author = core.last_modified_by = "selfeval"
    core.revision = 1
    core.title = xml_text(title)
    core.subject = subject
    core.keywords = keywords
    # always set: python-docx's template says "generated by python-docx" there
    core._element._get_or_add("description").text = xml_text(description)
    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package.rels.pop(rid)
    buffer = io.BytesIO()
    doc.save(buffer)
    return fixed_zip_times(buffer.getvalue())


def table_grid(table) -> list[list]:
    """Every row's cells of a Word ``table``, one per grid column, as python-docx's
    ``row.cells`` gives them (a cell under a vertical merge is the merge's first cell; a cell
    spanning columns repeats) — in one pass over the table. ``table.cell()`` and ``row.cells``
    walk the whole table, or the rows above, on every call, so a table of 2,000 indicators took
    minutes; taken before merging, the grid's cells are the ones merging works on."""
    from docx.table import _Cell

    rows: list[list] = []
    above: list = []
    for tr in table._tbl.tr_lst:
        row: list = []
        for tc in tr.tc_lst:
            column = len(row)
            cell = above[column] if tc.vMerge == "continue" and column < len(above) else _Cell(tc, table)
            row.extend([cell] * tc.grid_span)
        rows.append(row)
        above = row
    return rows


_STYLE_IDS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def style_id(part, name: str) -> str | None:
    """The id of the paragraph style ``name`` in the document of ``part``, looked up once per
    document (python-docx scans every style on each ``paragraph.style = name``: a millisecond a
    table cell, 10 s for a table of 2,000 indicators). Set it with ``paragraph._p.style = id``."""
    from docx.enum.style import WD_STYLE_TYPE

    ids = _STYLE_IDS.setdefault(part, {})
    if name not in ids:
        ids[name] = part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)
    return ids[name]


def merge_down(cells: list) -> None:
    """Merge a column's ``cells`` (top to bottom, from :func:`table_grid`) into the first, which
    keeps its text: what python-docx's ``merge`` writes for a vertical run whose lower cells hold
    no text (their text is dropped), without its search for each row's index (O(rows) a row)."""
    cells[0]._tc.vMerge = "restart"
    for cell in cells[1:]:
        cell._tc.vMerge = "continue"
        for run in [r for paragraph in cell.paragraphs for r in paragraph.runs]:
            run._r.getparent().remove(run._r)
