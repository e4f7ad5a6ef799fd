"""The 自查清单 as one self-contained, offline HTML page (``checklist.html``), from
:func:`selfeval_lib.report.checklist.checklist_items`, with the working paper of the payment
vouchers and their approvals (the report states only the result). Every text is escaped (Jinja autoescape)."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.evaluation import Evaluation
from selfeval_lib.report.checklist import CATEGORIES, checklist_items
from selfeval_lib.resources import template_dir


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(template_dir("checklist"))),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(score=fmt.score, cdate=fmt.chinese_date, yuan=fmt.yuan)
    return env


def checklist_html(ev: Evaluation) -> bytes:
    """The 自查清单 page (UTF-8), deterministic: the same evaluation gives the same bytes."""
    items = checklist_items(ev)
    groups = [(c, [i for i in items if i.category == c]) for c in CATEGORIES]
    page = _environment().get_template("checklist.html.j2").render(
        ev=ev, p=ev.project_year.project, groups=groups, open=sum(i.status == "需处理" for i in items),
        vouchers=ev.vouchers)
    return page.encode("utf-8")


__all__ = ["checklist_html"]
