"""The form of a published table from its content, not its name: a .xls that is really a web
page (as many government sites serve their tables), an .xlsx that is an old .xls, a PDF saved
under any name.

Magic bytes: ``%PDF``; a ZIP (``PK``) holding ``word/`` (Word) or ``xl/`` (Excel) members; OLE2
(``D0CF11E0``) holding a ``Workbook`` stream (.xls), a ``WordDocument`` stream (.doc) or an
``EncryptedPackage`` (an encrypted .docx/.xlsx); a leading HTML tag after a BOM and white space;
PNG, JPEG and TIFF images. Text that is none of these is read by its suffix (YAML).
"""

from __future__ import annotations

import io
import re
import zipfile

from selfeval_lib.inputs.files import ENCRYPTED_STREAMS, OLE_MAGIC, ole_stream_names

#: Each form: (what it is called in messages, the suffixes that name it).
FORMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "yaml": ("YAML 文件", (".yaml", ".yml")),
    "xlsx": ("Excel 工作簿（.xlsx）", (".xlsx", ".xlsm")),
    "xls": ("Excel 97-2003 工作簿（.xls）", (".xls",)),
    "docx": ("Word 文档（.docx）", (".docx", ".docm")),
    "html": ("网页（HTML）", (".html", ".htm", ".shtml", ".xhtml")),
    "pdf": ("PDF 文件", (".pdf",)),
    "image": ("图片", (".png", ".jpg", ".jpeg", ".tif", ".tiff")),
}
#: Forms that are recognised but cannot be read, and what to do instead.
REFUSED: dict[str, str] = {
    "doc": "文件是 Word 97-2003 文档（.doc），无法直接读取：请在 Word 中另存为 .docx 后再复核",
    "encrypted": "文件已加密（受密码保护的 Word/Excel 文件）：请去除密码后另存，再复核",
    "zip": "文件是 ZIP 压缩包，但不是 Word（.docx）或 Excel（.xlsx）文件：请解压后复核其中的自评表",
    "ole": "文件是 Office 97-2003 格式，但不是 Excel 工作簿（.xls）或 Word 文档：无法读取",
    "empty": "文件为空（0 字节）",
}
_HTML_START = re.compile(rb"^\s*<(?:!doctype\s+html|html|head|body|meta|title|table|div|p|!--|\?xml[^>]*>\s*<(?:!doctype|html))",
                         re.IGNORECASE)
_OLE = OLE_MAGIC


def form_of_suffix(suffix: str) -> str | None:
    """The form a suffix (with the dot, any case) names, or None."""
    suffix = suffix.lower()
    return next((form for form, (_, suffixes) in FORMS.items() if suffix in suffixes), None)


def _zip_form(raw: bytes) -> str:
    try:
        names = zipfile.ZipFile(io.BytesIO(raw)).namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return "xlsx_or_docx_damaged"
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    return "zip"


def _ole_form(raw: bytes) -> str:
    names = ole_stream_names(raw)
    if names is None:  # a damaged OLE2 directory
        return "ole_damaged"
    if names & ENCRYPTED_STREAMS:
        return "encrypted"
    if "Workbook" in names or "Book" in names:
        return "xls"
    if "WordDocument" in names:
        return "doc"
    return "ole"


def detect(raw: bytes) -> str | None:
    """The form of ``raw``: a key of :data:`FORMS` or :data:`REFUSED`, ``"xlsx_or_docx_damaged"``
    for a damaged ZIP, ``"ole_damaged"`` for a damaged OLE2 file, or None for text that has no mark of its own (YAML, plain text)."""
    if not raw:
        return "empty"
    head = raw[:1024]
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_form(raw)
    if head.startswith(_OLE):
        return _ole_form(raw)
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return "image"
    text = head
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if text.startswith(bom):
            text = text[len(bom):]
            if bom != b"\xef\xbb\xbf":
                text = text.decode("utf-16-le" if bom == b"\xff\xfe" else "utf-16-be", "ignore").encode("utf-8")
            break
    if _HTML_START.match(text):
        return "html"
    return None


def form_name(form: str) -> str:
    """A form as messages call it."""
    return FORMS[form][0] if form in FORMS else form
