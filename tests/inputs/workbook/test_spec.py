"""The workbook's design: every field of the schema has a sheet and a column (or row)."""

from __future__ import annotations

from typing import get_args

from selfeval_lib.core import model
from selfeval_lib.inputs.workbook.spec import INDICATOR_NOTES, ILLUSTRATIVE_LABELS, SHEETS


def test_every_schema_field_has_a_home():
    homes = {(s.loc, c.key) for s in SHEETS for c in s.columns if c.at is None}
    elsewhere = {c.at for s in SHEETS for c in s.columns if c.at is not None}
    sections = {("project",): model.Project, ("project", "items"): model.ContentItem, ("funds",): model.Funds,
                ("funds", "adjustments"): model.Adjustment, ("funds", "arrivals"): model.Arrival,
                ("funds", "payments"): model.Payment, ("indicators",): model.Indicator,
                ("funds", "monitoring"): model.FundsMonitoring, ("funds", "plan"): model.PlannedSpending,
                ("survey",): model.Survey, ("narrative",): model.Narrative, ("claims",): model.Claims}
    lists = {("project", "basis_documents"), ("project", "items"), ("funds", "adjustments"),
             ("funds", "arrivals"), ("funds", "payments"), ("funds", "monitoring"), ("funds", "plan")}
    for loc, cls in sections.items():
        for name in cls.model_fields:
            if loc + (name,) in lists:
                assert any(s.loc == loc + (name,) for s in SHEETS), name
            else:
                assert (loc, name) in homes, f"{'.'.join(loc)}.{name}"
    assert (("project", "basis_documents"), "") in homes
    # indicators[].progress: month and value in the 监控进度 column, the notes on 指标监控说明
    notes = {key for loc, key in homes if loc == INDICATOR_NOTES}
    assert set(model.Progress.model_fields) - {"month", "value"} <= notes and {"indicator", "month"} <= notes

    # top-level fields that are not a section of their own
    parts = {loc[0] for loc in sections} | {"project"}
    for name in model.ProjectYear.model_fields:
        assert name in parts or (name,) in elsewhere, name


def test_every_illustrative_path_has_a_label():
    assert set(ILLUSTRATIVE_LABELS) == set(get_args(model.IllustrativePath))
    assert len(set(ILLUSTRATIVE_LABELS.values())) == len(ILLUSTRATIVE_LABELS)
