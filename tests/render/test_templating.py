"""The one Jinja environment (render/templating.py): every template of the package compiles in it
(a filter or test it does not know fails at compile time), user text is escaped, an undefined
name fails instead of printing nothing, a template's last newline is kept as written, and every
filter, test and global it registers is used by some template."""

from __future__ import annotations

import re

import jinja2
import pytest

from selfeval_lib.render.templating import environment, macros, render
from selfeval_lib.resources import template_dir

#: Templates of the environment: every group but nbconvert's (``report/``, which nbconvert loads).
TEMPLATES = sorted(p.relative_to(template_dir()).as_posix() for p in template_dir().rglob("*.j2")
                   if p.relative_to(template_dir()).parts[0] != "report")


def test_the_templates_are_found():
    assert {"narrative/report.html.j2", "monitoring/report.html.j2", "checklist/checklist.html.j2",
            "portfolio/index.html.j2", "review/review.html.j2"} <= set(TEMPLATES)


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_template_compiles_in_the_one_environment(name):
    assert environment().get_template(name) is environment().get_template(name)  # loaded once, cached


def test_user_text_is_escaped_and_an_undefined_name_fails():
    env = environment()
    assert env.from_string("{{ x }}").render(x="<b>&") == "&lt;b&gt;&amp;"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ row.missing }}").render(row={})
    assert env.from_string("a\n").render() == "a\n"                          # the last newline as written
    assert env.from_string("a{#- no newline -#}\n").render() == "a"
    assert env.from_string("{% if 1 %}\n  b\n{% endif %}\n").render() == "  b\n"  # blocks trimmed


def test_render_and_macros():
    assert render("checklist/checklist.html.j2", **_checklist_context()).startswith("<!DOCTYPE html>")
    assert macros("narrative/report.html.j2").todo("某项").strip() == '<span class="placeholder">【待补充：某项】</span>'


def _checklist_context():
    from conftest import SEED_SAMPLE
    from selfeval_lib.core.evaluation import evaluate
    from selfeval_lib.inputs.params import load_project

    loaded = load_project(SEED_SAMPLE)
    ev = evaluate(loaded.project_year, loaded.rules)
    return {"ev": ev, "p": ev.project_year.project, "groups": [], "open": 0, "vouchers": ()}


def test_every_registered_name_is_used_by_a_template():
    """What the environment registers beyond Jinja's own is there for a template (no dead filter)."""
    default = jinja2.Environment()
    text = "\n".join((template_dir() / name).read_text(encoding="utf-8") for name in TEMPLATES)
    env = environment()
    registered = ({n: f"\\| *{n}\\b" for n in set(env.filters) - set(default.filters)}
                  | {n: f"is (?:not )?{n}\\b" for n in set(env.tests) - set(default.tests)}
                  | {n: f"\\b{n}\\b" for n in set(env.globals) - set(default.globals)})
    unused = sorted(n for n, pattern in registered.items() if not re.search(pattern, text))
    assert not unused, f"registered but used by no template: {unused}"
