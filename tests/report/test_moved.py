"""A notebook copied from an earlier version imports open_report / open_monitoring from the report
layer: it is told, in Chinese, where they are now (render.notebook), and nothing else changes."""

from __future__ import annotations

import pytest

from selfeval_lib.report.moved import moved


@pytest.mark.parametrize("module, name", [("selfeval_lib.report.notebook", "open_report"),
                                          ("selfeval_lib.report.monitoring", "open_monitoring")])
def test_a_copied_notebook_is_told_where_its_call_is_now(module, name):
    with pytest.raises(ImportError, match=f"from selfeval_lib.render.notebook import {name}"):
        exec(f"from {module} import {name}", {})
    exec(f"from selfeval_lib.render.notebook import {name}", {})  # the new line works


def test_other_names_are_simply_missing():
    getattr_ = moved("m", {"old": "n"})
    with pytest.raises(AttributeError, match="no attribute 'other'"):
        getattr_("other")
    with pytest.raises(ImportError, match="已移至 n"):
        getattr_("old")
    import selfeval_lib.report.notebook as notebook

    assert not hasattr(notebook, "nothing_here")
