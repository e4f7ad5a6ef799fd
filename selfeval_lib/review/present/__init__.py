"""Presentation of reviews (复核) of published 自评表: an offline HTML page (:mod:`.html`, from a
Jinja2 template), an Excel workbook with the cells in question filled by severity (:mod:`.xlsx`)
and the small tables the review notebook shows (:mod:`.frames`); what they all show is in
:mod:`.view`.

Everything here is display: the numbers come from
:func:`selfeval_lib.review.recompute.review_table`.
"""

from __future__ import annotations

from selfeval_lib.review.present.html import review_html
from selfeval_lib.review.present.view import review_title
from selfeval_lib.review.present.xlsx import review_xlsx

__all__ = ["review_html", "review_title", "review_xlsx"]
