"""metrics.json: deterministic, readable JSON."""

from __future__ import annotations

import json

from selfeval_lib.render.metrics import metrics_json


def test_metrics_json() -> None:
    metrics = {"scores": {"total": 92.5, "grade": "优"}, "funds": {"execution_rate": 0.9}}
    data = metrics_json(metrics)
    text = data.decode("utf-8")
    assert json.loads(text) == metrics
    assert text.index('"funds"') < text.index('"scores"')  # keys sorted
    assert '"grade": "优"' in text and text.endswith("}\n")  # Chinese as is, indented, one final newline
    assert metrics_json(dict(reversed(metrics.items()))) == data
