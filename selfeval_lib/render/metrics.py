"""``metrics.json``: the evaluation's data and the run's provenance as deterministic JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def metrics_json(metrics: Mapping[str, Any]) -> bytes:
    """UTF-8 JSON, keys sorted, indented by two, Chinese kept as is, ending with a newline
    (amounts in 元 and rates as fractions, as :func:`selfeval_lib.core.evaluation.to_dict` gives them)."""
    return (json.dumps(metrics, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")
