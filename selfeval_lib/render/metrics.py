"""Deterministic JSON: ``metrics.json`` (the evaluation's data and the run's provenance) and every
other JSON document the package writes or prints (review.json, requality.json, summary.json)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def json_document(data: Any) -> bytes:
    """UTF-8 JSON, keys sorted, indented by two, Chinese kept as is, ending with a newline: the one
    form of every JSON file written and of the JSON a command prints."""
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def metrics_json(metrics: Mapping[str, Any]) -> bytes:
    """``metrics.json`` (amounts in 元 and rates as fractions, as
    :func:`selfeval_lib.core.evaluation.to_dict` gives them), as :func:`json_document`."""
    return json_document(metrics)
