"""Text that every XML-based file (xlsx, docx) can hold.

XML 1.0 allows only TAB, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD and U+10000–U+10FFFF; lxml,
openpyxl and python-docx refuse anything else (control bytes, U+FFFE/U+FFFF, lone surrogates
from undecodable file names). :func:`xml_text` replaces each such character with U+FFFD (�), so
a name read from a damaged table is still written, and visibly marked where it was damaged.
Input files are refused earlier with file and position (see the params checks); this is the
writers' last line, for text that does not come from a checked params file (a review table).
"""

from __future__ import annotations

import re

#: One character that XML 1.0 cannot hold.
XML_INCOMPATIBLE = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: What replaces it.
REPLACEMENT = "\ufffd"


def xml_text(text: str) -> str:
    """``text`` with every character XML 1.0 cannot hold replaced by U+FFFD (unchanged, and
    the same object, when there is none)."""
    if XML_INCOMPATIBLE.search(text) is None:
        return text
    return XML_INCOMPATIBLE.sub(REPLACEMENT, text)


__all__ = ["REPLACEMENT", "XML_INCOMPATIBLE", "xml_text"]
