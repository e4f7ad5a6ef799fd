"""Read the 自评表 of a saved web page (.html/.htm, or a page saved under another name): every
``<table>`` (lxml.html), rowspan/colspan resolved, nested tables read as tables of their own (a
layout table of the page chrome is not a 自评表 and is skipped).

The text is decoded by its byte-order mark, else the charset the page declares (``<meta
charset>`` or ``http-equiv``), else UTF-8, else GB18030; GBK and GB2312 are read as GB18030 (a
superset). A cell's lines (``<br>``, paragraphs) are joined with "\\n".
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Any

from selfeval_lib.errors import InputError
from selfeval_lib.inputs.files import read_input, shown
from selfeval_lib.inputs.messages import Problem
from selfeval_lib.review.readers.base import TableRead
from selfeval_lib.review.readers.tables import GridTable, cell_text, place, read_grids

MAX_HTML_BYTES = 20 * 1024 * 1024
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_GB = {"gbk", "gb2312", "gb_2312", "gb_2312-80", "x-gbk", "cp936", "ms936", "euc-cn", "csgb2312", "gb18030"}
_BLOCKS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}
_MAX_SPAN = 1000


def decode_page(raw: bytes, name: str) -> tuple[str, str]:
    """The page's text and the encoding it was read with."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom):].decode(encoding, "replace"), encoding
    declared = _CHARSET_RE.search(raw[:8192])
    tries = ["utf-8", "gb18030"]
    if declared:
        label = declared.group(1).decode("ascii").lower()
        label = "gb18030" if label in _GB else label
        try:
            codecs.lookup(label)
            tries.insert(0, label)
        except LookupError:
            pass
    for encoding in dict.fromkeys(tries):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise InputError([Problem(name, "", "无法识别网页的文字编码（不是 UTF-8，也不是 GBK/GB18030）：请用浏览器另存为 UTF-8 网页后再复核")])


def _text(element: Any) -> str:
    """The text of a cell, without the text of tables nested in it; <br> and blocks as line breaks."""
    parts: list[str] = []

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else None  # a comment or processing instruction: None
        if tag is None or tag in ("table", "script", "style"):
            return
        if tag == "br" or tag in _BLOCKS:
            parts.append("\n")
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if tag in _BLOCKS:
            parts.append("\n")

    if element.text:
        parts.append(element.text)
    for child in element:
        walk(child)
        if child.tail:
            parts.append(child.tail)
    return "".join(parts)


def _span(cell: Any, name: str) -> int:
    try:
        return max(1, min(int(str(cell.get(name, "1")).strip() or 1), _MAX_SPAN))
    except ValueError:
        return 1


def _grid(table: Any) -> GridTable:
    rows = []
    for tr in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        rows.append([(cell_text(_text(td)), _span(td, "rowspan"), _span(td, "colspan"))
                     for td in tr.xpath("./td|./th")])
    return place(rows)


def html_tables(raw: bytes, name: str) -> list[GridTable]:
    """Every table of the page, in document order (an outer layout table before the tables inside it)."""
    import lxml.html
    from lxml import etree

    text, _ = decode_page(raw, name)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses a unicode string with an XML declaration
    if not text.strip():
        raise InputError([Problem(name, "", "网页为空：没有内容")])
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise InputError([Problem(name, "", f"无法读取网页：文件损坏或不是网页（{type(exc).__name__}）")]) from None
    return [_grid(table) for table in root.iter("table")]


def read_html(path: Path) -> list[TableRead]:
    """Each 自评表 of the web page at ``path``. Raises :class:`InputError` for a page that cannot be
    decoded or holds no 自评表 (naming each table and why it is not one)."""
    name = shown(path)
    return read_grids(name, html_tables(read_input(path, MAX_HTML_BYTES), name), "网页")
