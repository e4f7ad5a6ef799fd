"""Report export: executed notebook -> offline HTML -> PDF."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from selfeval_lib.export.html import notebook_to_html

if TYPE_CHECKING:
    from selfeval_lib.export.pdf import html_to_pdf

__all__ = ["html_to_pdf", "notebook_to_html"]


def __getattr__(name: str) -> Any:
    # WeasyPrint (and system pango) is loaded only when PDF output is wanted.
    if name == "html_to_pdf":
        from selfeval_lib.export.pdf import html_to_pdf

        return html_to_pdf
    raise AttributeError(name)
