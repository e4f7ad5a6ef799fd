"""The workbook's design: every field of the schema has a sheet and a column (or row)."""

from __future__ import annotations

from selfeval_lib.core import model
from selfeval_lib.inputs.workbook.spec import SHEETS


def test_every_schema_field_has_a_home():
    homes = {(s.loc, c.key) for s in SHEETS for c in s.columns}
    sections = {("project",): model.Project, ("project", "items"): model.ContentItem, ("funds",): model.Funds,
                ("funds", "adjustments"): model.Adjustment, ("funds", "arrivals"): model.Arrival,
                ("funds", "payments"): model.Payment, ("indicators",): model.Indicator,
                ("survey",): model.Survey, ("narrative",): model.Narrative, ("claims",): model.Claims}
    lists = {("project", "basis_documents"), ("project", "items"), ("funds", "adjustments"),
             ("funds", "arrivals"), ("funds", "payments")}
    for loc, cls in sections.items():
        for name in cls.model_fields:
            if loc + (name,) in lists:
                assert any(s.loc == loc + (name,) for s in SHEETS), name
            else:
                assert (loc, name) in homes, f"{'.'.join(loc)}.{name}"
    assert (("project", "basis_documents"), "") in homes

