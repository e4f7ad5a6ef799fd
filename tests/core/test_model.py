"""The params model's identifiers travel: a project id or rule-set name is a folder or file name
on every disk a report is copied to, Windows included (reserved device names in any case and
with any extension, a trailing dot or space refused with the reason)."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from selfeval_lib.core.model import Identifier, portable_name_problem


@pytest.mark.parametrize("name", ["CON", "con", "Nul", "aux", "PRN", "COM1", "lpt9", "NUL.2023", "con.txt"])
def test_reserved_device_names_are_refused(name):
    assert "保留设备名" in portable_name_problem(name)
    with pytest.raises(ValidationError, match="保留设备名"):
        TypeAdapter(Identifier).validate_python(name)


@pytest.mark.parametrize("name", ["abc.", "p2023.."])
def test_a_trailing_dot_is_refused(name):
    with pytest.raises(ValidationError, match="结尾"):
        TypeAdapter(Identifier).validate_python(name)


@pytest.mark.parametrize("name", ["CONSOLE", "COM10", "com", "p2023-001", "a.b", "AUX-1", "LPT0"])
def test_ordinary_names_pass(name):
    assert portable_name_problem(name) is None
    assert TypeAdapter(Identifier).validate_python(name) == name
