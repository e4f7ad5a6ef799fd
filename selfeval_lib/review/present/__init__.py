"""What a review (复核) of published 自评表 shows, as plain values: the titles, rows, marks and
headings (:mod:`.view`) that the page and the workbook of the rendering layer
(:mod:`selfeval_lib.render.review_html`, :mod:`selfeval_lib.render.review_xlsx`) lay out, and the
small tables the review notebook shows (:mod:`.frames`). Produces no bytes: the numbers come from
:func:`selfeval_lib.review.recompute.review_table`.
"""

from __future__ import annotations

from selfeval_lib.review.present.view import review_title

__all__ = ["review_title"]
