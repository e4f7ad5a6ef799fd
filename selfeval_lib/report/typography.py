"""公文 typography (GB/T 9704-2012; docs/rules.md §12), written once for every renderer.

Each text role of a document a unit signs (the 自评报告, the 运行监控报告) has a :class:`Role`:
a face (:class:`Face`: 小标宋/宋, 仿宋, 黑, 楷) and a size in pt. The HTML/PDF stylesheet
(:func:`css`) and the Word styles (``render/docx_styles.py``) both read them, so the print view, the
PDF and the Word file set the same faces at the same sizes.

A face is a stack of family names: first the name a unit's Word/WPS file carries (``仿宋_GB2312``),
then the faces Windows, WPS and macOS have under other names (``FangSong``, ``STFangsong``…), last
the free faces installed here (Noto CJK SC, AR PL), then the generic family. Pure data, no I/O.

Sizes are in pt (1 pt = 1/72 inch); margins in mm.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

#: The Chinese size names (字号) in pt.
SIZES_PT = MappingProxyType({
    "初号": 42.0, "小初": 36.0, "一号": 26.0, "小一": 24.0, "二号": 22.0, "小二": 18.0, "三号": 16.0,
    "小三": 15.0, "四号": 14.0, "小四": 12.0, "五号": 10.5, "小五": 9.0,
})


@dataclass(frozen=True)
class Face:
    """One typeface of the 公文, as a stack of family names (the first is what Word files name).

    ``word_alt`` is the face Word falls back to when ``stack[0]`` is missing (the font table's
    ``w:altName``, a face every Simplified Chinese Windows has); ``generic`` the CSS generic family;
    ``panose``/``pitch`` the font table's ``w:family``/``w:pitch``.
    """

    key: str
    stack: tuple[str, ...]
    word_alt: str
    generic: str
    panose: str
    pitch: str

    @property
    def word(self) -> str:
        """The face a Word style names (``w:eastAsia``)."""
        return self.stack[0]

    def css(self) -> str:
        """The CSS ``font-family`` value: every family quoted, then the generic family."""
        return ", ".join(f'"{family}"' for family in self.stack) + f", {self.generic}"


#: 方正小标宋简体 (the title), then the Song faces.
XIAOBIAOSONG = Face(
    "xiaobiaosong",
    ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "华文中宋", "STZhongsong", "宋体", "SimSun",
     "Songti SC", "STSong", "Noto Serif CJK SC", "Noto Serif SC", "Source Han Serif SC", "AR PL UMing CN"),
    "宋体", "serif", "roman", "variable")
#: 宋体 (page numbers).
SONG = Face(
    "song",
    ("宋体", "SimSun", "NSimSun", "Songti SC", "STSong", "华文宋体",
     "Noto Serif CJK SC", "Noto Serif SC", "Source Han Serif SC", "AR PL UMing CN"),
    "SimSun", "serif", "roman", "variable")
#: 仿宋_GB2312 (the body, 1. and （1）).
FANGSONG = Face(
    "fangsong",
    ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "STFangsong", "华文仿宋",
     "Noto Serif CJK SC", "Noto Serif SC", "Source Han Serif SC", "AR PL UMing CN"),
    "仿宋", "serif", "modern", "fixed")
#: 黑体 (一、 headings, the 附件 label).
HEI = Face(
    "hei",
    ("黑体", "SimHei", "方正黑体_GBK", "STHeiti", "Heiti SC", "Microsoft YaHei", "PingFang SC",
     "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei"),
    "SimHei", "sans-serif", "modern", "fixed")
#: 楷体_GB2312 ((一) headings, the subtitle).
KAI = Face(
    "kai",
    ("楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "STKaiti", "华文楷体", "Kaiti SC",
     "AR PL UKai CN", "AR PL KaitiM GB", "LXGW WenKai", "Noto Serif CJK SC", "Noto Serif SC"),
    "楷体", "serif", "modern", "fixed")

FACES: MappingProxyType[str, Face] = MappingProxyType(
    {face.key: face for face in (XIAOBIAOSONG, SONG, FANGSONG, HEI, KAI)})


@dataclass(frozen=True)
class Role:
    """A text role: its face, its size by name (``三号``) and weight."""

    name: str
    face: Face
    size_name: str
    bold: bool = False

    @property
    def size_pt(self) -> float:
        """The size in pt."""
        return SIZES_PT[self.size_name]


TITLE = Role("title", XIAOBIAOSONG, "二号")
SUBTITLE = Role("subtitle", KAI, "三号")
BODY = Role("body", FANGSONG, "三号")
HEADING1 = Role("heading1", HEI, "三号")         # 一、
HEADING2 = Role("heading2", KAI, "三号")         # （一）
HEADING3 = Role("heading3", FANGSONG, "三号")    # 1. and （1）
ANNEX_LABEL = Role("annex_label", HEI, "三号")   # 附件
SIGNATURE = Role("signature", FANGSONG, "三号")  # 落款
NOTE = Role("note", FANGSONG, "小四")            # 注：
PAGE_NUMBER = Role("page_number", SONG, "四号")  # — 1 —
CAPTION = Role("caption", HEI, "小四")           # 表1 …
TABLE_TITLE = Role("table_title", XIAOBIAOSONG, "小二")  # the 自评表's own title in the 附件
TABLE = Role("table", FANGSONG, "五号")
TABLE_HEADER = Role("table_header", HEI, "五号")
ANNEX_TABLE = Role("annex_table", FANGSONG, "小五")  # the 自评表 in the 附件 (a form of 8–10 columns)
ANNEX_TABLE_HEADER = Role("annex_table_header", HEI, "小五")

ROLES: MappingProxyType[str, Role] = MappingProxyType({role.name: role for role in (
    TITLE, SUBTITLE, BODY, HEADING1, HEADING2, HEADING3, ANNEX_LABEL, SIGNATURE, NOTE, PAGE_NUMBER,
    CAPTION, TABLE_TITLE, TABLE, TABLE_HEADER, ANNEX_TABLE, ANNEX_TABLE_HEADER)})

#: A4 in mm, and the GB/T 9704 §5.2.1 margins in mm (版心 156 × 225 mm).
PAGE_MM = (210.0, 297.0)
MARGINS_MM = MappingProxyType({"top": 37.0, "bottom": 35.0, "left": 28.0, "right": 26.0})
#: 22 lines of 28 characters a page (§5.2.2).
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
#: The fixed line pitch in pt: 22 lines in the 225 mm 版心 (637.8 pt) are 28.99 pt each; Word and
#: WPS users set 固定值 28.95 pt, which keeps 22 lines on a page after rounding.
LINE_PITCH_PT = 28.95
#: Latin letters and digits (Word's ``w:ascii``; the CSS stacks put it before the CJK faces).
LATIN = "Times New Roman"
#: Page number: 四号 宋体 between two 一字线, 7 mm below the 版心, outside edge, one character in.
PAGE_NUMBER_AFFIXES = ("— ", " —")
PAGE_NUMBER_BELOW_MM = 7.0


def page_number_text(number: int) -> str:
    """The printed page number: ``— 3 —``."""
    return f"{PAGE_NUMBER_AFFIXES[0]}{number}{PAGE_NUMBER_AFFIXES[1]}"


def text_area_mm() -> tuple[float, float]:
    """The 版心 (width, height) in mm."""
    return (PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"],
            PAGE_MM[1] - MARGINS_MM["top"] - MARGINS_MM["bottom"])


#: mm in one pt; the width in em of a half-width character (digits, Latin, "." and "%": 0.5 em in
#: the faces here, with a margin) and of a full-width one.
MM_PER_PT = 25.4 / 72
HALF_EM = 0.55
FULL_EM = 1.0


def text_em(text: str) -> float:
    """The width of ``text`` on one line, in em."""
    return sum(HALF_EM if ord(ch) < 0x2E80 else FULL_EM for ch in text)


def unbroken_mm(text: str, size_pt: float, padding_em: float) -> float:
    """The width in mm a cell needs to show ``text`` (a number) on one line at ``size_pt``, with
    ``padding_em`` of cell padding and rules."""
    return (text_em(text) + padding_em) * size_pt * MM_PER_PT


def fit_columns(widths: tuple[float, ...], minimum_mm: list[float], width_mm: float) -> tuple[float, ...]:
    """Column widths in mm that fill ``width_mm``: in the proportions of ``widths``, except that no
    column is narrower than its ``minimum_mm`` (a column of numbers, "100.00", must not run into
    the next); such a column keeps its minimum and the others share the rest."""
    fixed: dict[int, float] = {}
    while True:
        free = [i for i in range(len(widths)) if i not in fixed]
        rest = width_mm - sum(fixed.values())
        weight = sum(widths[i] for i in free)
        if not free or weight <= 0 or rest <= 0:  # the minimums alone fill the width
            total = sum(max(m, 1e-9) for m in minimum_mm)
            return tuple(width_mm * max(m, 1e-9) / total for m in minimum_mm)
        share = {i: rest * widths[i] / weight for i in free}
        short = [i for i in free if share[i] < minimum_mm[i]]
        if not short:
            return tuple(fixed.get(i, share.get(i, 0.0)) for i in range(len(widths)))
        fixed.update((i, minimum_mm[i]) for i in short)


def _fmt(value: float) -> str:
    return f"{value:g}"


def css_variables() -> str:
    """``--font-<face>`` (every face's stack, :data:`LATIN` first) and ``--size-<role>`` (pt) as one
    ``:root`` rule; a stylesheet uses them as ``var(--font-fangsong)``, ``var(--size-body)``."""
    lines = [f"  --font-{face.key}: \"{LATIN}\", {face.css()};" for face in FACES.values()]
    lines += [f"  --size-{role.name.replace('_', '-')}: {_fmt(role.size_pt)}pt;" for role in ROLES.values()]
    lines.append(f"  --line-pitch: {_fmt(LINE_PITCH_PT)}pt;")
    return ":root {\n" + "\n".join(lines) + "\n}\n"


def _font(role: Role) -> str:
    weight = "700" if role.bold else "400"
    return f'font-family: "{LATIN}", {role.face.css()}; font-size: {_fmt(role.size_pt)}pt; font-weight: {weight};'


def print_css() -> str:
    """The 公文 page for print (the PDF and the HTML's print view): A4, the margins, the page
    number "— N —" 四号 宋体 at the foot on the outside edge (right on odd pages, left on even),
    body 三号 仿宋 at :data:`LINE_PITCH_PT`, headings 黑体/楷体, the title 二号 小标宋."""
    m = MARGINS_MM
    number = (f'content: "{PAGE_NUMBER_AFFIXES[0]}" counter(page) "{PAGE_NUMBER_AFFIXES[1]}"; '
              f"{_font(PAGE_NUMBER)} vertical-align: top; padding-top: {_fmt(PAGE_NUMBER_BELOW_MM)}mm;")
    one_char = f"{_fmt(BODY.size_pt)}pt"
    return "\n".join((
        f"@page {{ size: A4; margin: {_fmt(m['top'])}mm {_fmt(m['right'])}mm {_fmt(m['bottom'])}mm {_fmt(m['left'])}mm; }}",
        f"@page :right {{ @bottom-right {{ {number} padding-right: {one_char}; }} }}",
        f"@page :left {{ @bottom-left {{ {number} padding-left: {one_char}; }} }}",
        "@media print {",
        f"  html {{ {_font(BODY)} line-height: {_fmt(LINE_PITCH_PT)}pt; }}",
        f"  h1 {{ {_font(TITLE)} line-height: 1.4; }}",
        f"  p.report-subtitle {{ {_font(SUBTITLE)} line-height: {_fmt(LINE_PITCH_PT)}pt; }}",
        f"  h2 {{ {_font(HEADING1)} line-height: {_fmt(LINE_PITCH_PT)}pt; }}",
        f"  h3 {{ {_font(HEADING2)} line-height: {_fmt(LINE_PITCH_PT)}pt; }}",
        f"  h4, h5, h6 {{ {_font(HEADING3)} line-height: {_fmt(LINE_PITCH_PT)}pt; }}",
        f"  p.annex-label {{ {_font(ANNEX_LABEL)} }}",
        f"  div.signature p {{ {_font(SIGNATURE)} }}",
        f"  p.note, p.illustrative-note, .illustrative-notice {{ {_font(NOTE)} line-height: 1.5; }}",
        f"  p.table-caption, p.figure-caption {{ {_font(CAPTION)} line-height: 1.5; }}",
        f"  table {{ {_font(TABLE)} line-height: 1.35; }}",
        f"  th {{ {_font(TABLE_HEADER)} }}",
        f"  table.self-table {{ {_font(ANNEX_TABLE)} }}",
        f"  table.self-table th {{ {_font(ANNEX_TABLE_HEADER)} }}",
        f"  table.self-table caption {{ {_font(TABLE_TITLE)} }}",
        "}",
    )) + "\n"


def css() -> str:
    """The stylesheet fragment the report and the monitoring report put before their own CSS:
    :func:`css_variables`, then :func:`print_css`."""
    return css_variables() + print_css()
