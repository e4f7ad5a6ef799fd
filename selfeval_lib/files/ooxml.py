"""Deterministic Office Open XML packages (.xlsx, .docx): same inputs, same bytes.

openpyxl and python-docx stamp the current time into ``docProps/core.xml`` and into every zip
member's header. :func:`fixed_zip_times` rewrites a package with one fixed member time, drops
the ``dcterms:created``/``dcterms:modified`` elements and keeps the member order (so
``[Content_Types].xml`` stays first). ``replace`` lets a caller patch members on the way
(the workbook writer uses it to add formula results).
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Callable, Mapping

#: The member time written for every file (the zip format cannot store dates before 1980).
FIXED_TIME = (2000, 1, 1, 0, 0, 0)

_CORE_DATES = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def fixed_zip_times(data: bytes, replace: Mapping[str, Callable[[bytes], bytes]] | None = None) -> bytes:
    """Rewrite a zip (xlsx/docx) with fixed member times and no creation/modification date.

    ``replace`` maps a member name to a function applied to its content before writing.
    """
    replace = replace or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_DATES.sub(b"", content)
            if info.filename in replace:
                content = replace[info.filename](content)
            member = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, content)
    return out.getvalue()


def workbook_bytes(workbook, replace: Mapping[str, Callable[[bytes], bytes]] | None = None) -> bytes:
    """An openpyxl workbook as deterministic .xlsx bytes (saved, then :func:`fixed_zip_times`)."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return fixed_zip_times(buffer.getvalue(), replace)


__all__ = ["FIXED_TIME", "fixed_zip_times", "workbook_bytes"]
