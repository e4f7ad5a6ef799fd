"""The review as JSON-ready data."""

from __future__ import annotations

import math
from typing import Any

from selfeval_lib.review.table import Review


def json_safe(value: Any) -> Any:
    """``value`` with every non-finite float (a score read as ``.inf``) replaced by its text
    ("inf", "-inf", "nan"), so that ``json.dumps(..., allow_nan=False)`` holds: JSON has no
    Infinity or NaN, and the text is what the table held."""
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_safe(item) for item in value]
    if isinstance(value, tuple):
        return tuple(json_safe(item) for item in value)
    return value


def review_to_dict(review: Review) -> dict[str, Any]:
    """JSON-ready: rows ``{row, field, code, severity, published, recomputed, message}``, totals,
    the text blocks as printed (None when the table prints none) and the funds block's 其中 rows
    (non-finite numbers as text, see :func:`json_safe`)."""
    return json_safe({
        "source": review.source,
        "sheet": review.table.sheet,
        "project": review.table.project.model_dump(),
        "execution_rate": review.execution_rate,
        "rows": [{"row": f.row, "field": f.field, "code": f.code, "severity": f.severity, "published": f.published,
                  "recomputed": f.recomputed, "message": f.message} for f in review.findings],
        "totals": {"published_total": review.published_total, "recomputed_total": review.recomputed_total,
                   "published_grade": review.published_grade or None, "recomputed_grade": review.recomputed_grade},
        "scores": [{"row": r.row, "name": r.name, "weight": r.weight, "published": r.published,
                    "recomputed": r.recomputed, "kind": r.kind} for r in [*review.rows, *review.blocks]],
        "readings": review.readings,
        "texts": review.table.texts.model_dump(exclude={"rows"}) if review.table.texts is not None else None,
        "funds_breakdown": [line.model_dump() for line in review.table.funds.breakdown] if review.table.funds else [],
    })
