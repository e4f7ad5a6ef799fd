"""The package's one Jinja environment: every HTML template of ``data/templates/`` is found by
its group and name (``"checklist/checklist.html.j2"``), autoescaped (user text is always shown as
text), strict about an undefined name (a misspelt field fails instead of printing nothing),
with block tags trimmed, and the template's last newline kept as written. Every filter, test and
global a template uses is registered here, once.

``data/templates/report/`` holds nbconvert's template, which nbconvert loads itself.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.monitoring import LIGHT_ORDER
from selfeval_lib.render import cell_texts
from selfeval_lib.resources import template_dir
from selfeval_lib.review.present.view import attribute_lines, show_text


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The environment (made once per process)."""
    env = Environment(loader=FileSystemLoader(str(template_dir())), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(
        score=fmt.score, cdate=fmt.chinese_date, yuan=fmt.yuan,
        index_cell=cell_texts.index_cell, monitoring_cell=cell_texts.monitoring_cell,
        summary_cell=cell_texts.summary_cell, review_text=show_text, attribute_lines=attribute_lines,
    )
    env.tests.update(subheading=cell_texts.is_subheading)
    env.globals.update(grade_rank=cell_texts.GRADE_RANK, light_order=LIGHT_ORDER, light_fills=cell_texts.FILLS,
                       light_colours=cell_texts.COLOURS)
    return env


def render(name: str, /, **context: Any) -> str:
    """Template ``name`` (``"group/file.html.j2"``) rendered with ``context``."""
    return environment().get_template(name).render(**context)


__all__ = ["environment", "render"]
