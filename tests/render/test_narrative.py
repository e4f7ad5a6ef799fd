"""The 自评报告's prose as HTML fragments (render/narrative.py): a fragment for the title, every
part heading and section of the outline and a note for each table, from section_args."""

from __future__ import annotations

from selfeval_lib.render.narrative import render_narrative
from selfeval_lib.report.narrative import OUTLINE, PARTS, TABLE_SOURCES, section_args


def test_every_part_of_the_outline(evaluations):
    for ev in evaluations.values():
        text = render_narrative(ev)
        sections = [name for _, names in OUTLINE for name in names]
        assert list(text) == ["title", *[k for part, names in OUTLINE for k in (part, *names)],
                              *[f"note_{t}" for t in TABLE_SOURCES]]
        assert all(text[name] for name in ["title", *PARTS, *sections])
        assert all(text[part].startswith("<h2") and PARTS[part] in text[part] for part in PARTS)
        assert set(section_args(ev)) <= {"title", *sections}
        assert render_narrative(ev) == text
