"""Report export: executed notebook -> offline HTML -> PDF, and the Office formats.

Submodules are imported on use, so that light ones (``zipfix``) do not pull in nbconvert, and
HTML-only code never needs WeasyPrint or pango.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from selfeval_lib.export.html import notebook_to_html
    from selfeval_lib.export.pdf import html_to_pdf

__all__ = ["html_to_pdf", "notebook_to_html"]


def __getattr__(name: str) -> Any:
    if name == "notebook_to_html":
        from selfeval_lib.export.html import notebook_to_html

        return notebook_to_html
    if name == "html_to_pdf":
        from selfeval_lib.export.pdf import html_to_pdf

        return html_to_pdf
    raise AttributeError(name)
