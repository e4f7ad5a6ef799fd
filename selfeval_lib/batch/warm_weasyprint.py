"""WeasyPrint and the report's fonts loaded once in a batch's fork server (after
:mod:`selfeval_lib.batch.warm`), when its PDFs may be printed by WeasyPrint (``--pdf-engine
weasyprint`` or ``auto``): each worker forked from it then prints its first PDF without loading
them (1–2 s per worker otherwise). Where WeasyPrint does not load, nothing is done; the workers
print through the browser (:func:`~selfeval_lib.render.pdf.resolve_engine`)."""

from __future__ import annotations

from selfeval_lib.render.pdf import weasyprint_loads
from selfeval_lib.render.pdf_weasyprint import warm_up_fonts

if weasyprint_loads():
    warm_up_fonts()
