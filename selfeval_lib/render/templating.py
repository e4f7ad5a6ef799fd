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
from selfeval_lib.core.monitoring import LIGHT_ORDER, LIGHT_ZH
from selfeval_lib.core.projection import months_text
from selfeval_lib.render import cell_texts
from selfeval_lib.report import phrases
from selfeval_lib.report.monitoring_form import CATEGORY_PROSE
from selfeval_lib.resources import template_dir
from selfeval_lib.review.present.view import attribute_lines, show_text


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The environment (made once per process)."""
    env = Environment(loader=FileSystemLoader(str(template_dir())), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(
        wan=fmt.wan, yuan=fmt.yuan, score=fmt.score, cdate=fmt.chinese_date,
        prose_wan=phrases.prose_wan, percent=phrases.prose_percent, points=phrases.points, clause=phrases.clause,
        target_phrase=phrases.target_phrase, actual_phrase=phrases.actual_phrase, numbered=phrases.numbered,
        subject=phrases.with_subject,
        index_cell=cell_texts.index_cell, monitoring_cell=cell_texts.monitoring_cell,
        summary_cell=cell_texts.summary_cell, review_text=show_text, attribute_lines=attribute_lines,
    )
    env.tests.update(full=phrases.is_full, reported=phrases.is_reported, subheading=cell_texts.is_subheading)
    env.globals.update(light_zh=LIGHT_ZH, category_prose=CATEGORY_PROSE, months_text=months_text,
                       target_prose=phrases.target_prose, grade_rank=cell_texts.GRADE_RANK, light_order=LIGHT_ORDER,
                       light_fills=cell_texts.FILLS, light_colours=cell_texts.COLOURS)
    return env


def render(name: str, /, **context: Any) -> str:
    """Template ``name`` (``"group/file.html.j2"``) rendered with ``context``."""
    return environment().get_template(name).render(**context)


def macros(name: str) -> Any:
    """The macros of template ``name``, as attributes (``macros("narrative/report.html.j2").basic(…)``)."""
    return environment().get_template(name).module


__all__ = ["environment", "macros", "render"]
