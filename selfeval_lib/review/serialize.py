"""The review as JSON-ready data."""

from __future__ import annotations

from typing import Any

from selfeval_lib.review.table import Review


def review_to_dict(review: Review) -> dict[str, Any]:
    """JSON-ready: rows ``{row, field, code, severity, published, recomputed, message}`` and totals."""
    return {
        "source": review.source,
        "sheet": review.table.sheet,
        "project": review.table.project.model_dump(),
        "execution_rate": review.execution_rate,
        "rows": [{"row": f.row, "field": f.field, "code": f.code, "severity": f.severity, "published": f.published,
                  "recomputed": f.recomputed, "message": f.message} for f in review.findings],
        "totals": {"published_total": review.published_total, "recomputed_total": review.recomputed_total,
                   "published_grade": review.published_grade or None, "recomputed_grade": review.recomputed_grade},
        "scores": [{"row": r.row, "name": r.name, "weight": r.weight, "published": r.published,
                    "recomputed": r.recomputed, "kind": r.kind} for r in review.rows],
        "readings": review.readings,
    }
