"""The form of a file from its content: magic bytes of each form, a file whose name says another
form read by its content with a note, forms recognised but refused (.doc, encrypted Office files),
damaged and unknown files, and the lazily imported PDF and image readers."""

from __future__ import annotations

import io
import zipfile

import pytest
from forms.grid import load_grid, to_html
from forms.office import DRILL, DRILL_YAML, built, cfb, copy_to

from selfeval_lib.errors import InputError
from selfeval_lib.review.readers import FORM_READERS, SUFFIXES, read_tables
from selfeval_lib.review.readers.base import TableRead
from selfeval_lib.review.readers.detect import detect


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name in names:
            z.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize("raw, form", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "pdf"),
    (_zip("[Content_Types].xml", "word/document.xml"), "docx"),
    (_zip("[Content_Types].xml", "xl/workbook.xml"), "xlsx"),
    (_zip("readme.txt"), "zip"),
    (b"PK\x03\x04" + bytes(40), "xlsx_or_docx_damaged"),
    (cfb("Workbook"), "xls"),
    (cfb("WordDocument", "1Table"), "doc"),
    (cfb("EncryptionInfo", "EncryptedPackage"), "encrypted"),
    (b"\xef\xbb\xbf  \r\n<!DOCTYPE html><html>", "html"),
    (b"\n<html xmlns:o='urn:schemas-microsoft-com:office:office'>", "html"),  # Excel's "save as web page"
    ("<table><tr><td>三级指标</td></tr></table>".encode("utf-16"), "html"),
    (b"\x89PNG\r\n\x1a\n" + bytes(8), "image"),
    (b"\xff\xd8\xff\xe0" + bytes(8), "image"),
    (b"II*\x00" + bytes(8), "image"),
    (b"MM\x00*" + bytes(8), "image"),
    ("project:\n  name: 示例\n".encode(), None),
    (b"", "empty"),
])
def test_magic_bytes(raw, form):
    assert detect(raw) == form


def test_every_published_form_has_a_suffix():
    for suffix in (".docx", ".htm", ".html", ".xls", ".xlsx", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".yaml"):
        assert suffix in SUFFIXES


def test_web_page_saved_as_xls_is_read_as_a_page(tmp_path):
    """Government sites often serve a web page under an .xls name."""
    path = copy_to(built(str(DRILL), "gbk.html"), tmp_path / "自评表.xls")
    (read,) = read_tables(path)
    assert read.notes[0] == "文件内容是网页（HTML），虽然文件名是“.xls”：按网页（HTML）读取。"
    assert read.table.project.name == "社区应急避难场所建设"


def test_a_file_named_as_its_form_has_no_note():
    (read,) = read_tables(built(str(DRILL), "html"))
    assert not any("文件内容是" in note for note in read.notes)


def test_yaml_is_read_by_its_suffix():
    (read,) = read_tables(DRILL_YAML)
    assert read.table.project.name == "社区应急避难场所建设" and read.notes == []


@pytest.mark.parametrize("raw, name, words", [
    (cfb("WordDocument", "1Table"), "自评表.doc", "请在 Word 中另存为 .docx"),
    (cfb("WordDocument", "1Table"), "自评表.xls", "Word 97-2003 文档（.doc）"),
    (cfb("EncryptionInfo", "EncryptedPackage"), "自评表.xlsx", "文件已加密"),
    (cfb("EncryptionInfo", "EncryptedPackage"), "自评表.docx", "文件已加密"),
    (_zip("readme.txt"), "自评表.docx", "ZIP 压缩包"),
    (b"PK\x03\x04" + bytes(40), "自评表.xlsx", "文件损坏或不完整"),
    (b"", "自评表.pdf", "文件为空"),
    (b"\x00\x01binary", "data.bin", "不支持的文件类型“.bin”"),
    ("这不是 Word 文件".encode(), "自评表.docx", "无法读取 Word 文件：文件损坏或不是 .docx 格式"),
    ("名称,金额\n甲,1\n".encode(), "自评表.xls", "无法读取 Excel 文件"),
    (b"x", "noname", "不支持的文件类型“无扩展名”"),
])
def test_refused_forms_say_why(tmp_path, raw, name, words):
    path = tmp_path / name
    path.write_bytes(raw)
    with pytest.raises(InputError) as info:
        read_tables(path)
    (problem,) = info.value.problems
    assert problem.file == str(path) and words in problem.message


def _fake_pdf(path):
    from selfeval_lib.review.readers.html_table import read_html

    return [TableRead(read.table, ["假的 PDF 读取"]) for read in read_html(PAGE)]


PAGE = None


def test_pdf_content_goes_to_the_pdf_reader_whatever_its_name(tmp_path, monkeypatch):
    global PAGE
    PAGE = built(str(DRILL), "html")
    monkeypatch.setitem(FORM_READERS, "pdf", _fake_pdf)
    path = tmp_path / "自评表.docx"
    path.write_bytes(b"%PDF-1.4\n")
    (read,) = read_tables(path)
    assert read.notes == ["文件内容是PDF 文件，虽然文件名是“.docx”：按PDF 文件读取。", "假的 PDF 读取"]


def test_page_fragment_named_html_is_read(tmp_path):
    """A saved fragment that starts with text, not a tag, is still a page by its name."""
    page = to_html(load_grid(DRILL))
    path = tmp_path / "part.htm"
    path.write_text("附件：" + page[page.index("<table"):], encoding="utf-8")
    (read,) = read_tables(path)
    assert read.table.project.name == "社区应急避难场所建设"
