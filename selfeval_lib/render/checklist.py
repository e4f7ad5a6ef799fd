"""The 自查清单 as one self-contained, offline HTML page (``checklist.html``), from
:func:`selfeval_lib.report.checklist.checklist_items`, with the working paper of the payment
vouchers and their approvals (the report states only the result). Every text is escaped (Jinja autoescape)."""

from __future__ import annotations

from selfeval_lib.core.evaluation import Evaluation
from selfeval_lib.render.templating import render
from selfeval_lib.report.checklist import CATEGORIES, checklist_items


def checklist_html(ev: Evaluation) -> bytes:
    """The 自查清单 page (UTF-8), deterministic: the same evaluation gives the same bytes."""
    items = checklist_items(ev)
    groups = [(c, [i for i in items if i.category == c]) for c in CATEGORIES]
    page = render("checklist/checklist.html.j2",
        ev=ev, p=ev.project_year.project, groups=groups, open=sum(i.status == "需处理" for i in items),
        vouchers=ev.vouchers)
    return page.encode("utf-8")


__all__ = ["checklist_html"]
