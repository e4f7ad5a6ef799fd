"""Review what the readers read: each table recomputed under a rule set, the reader's notes
added to the review's readings."""

from __future__ import annotations

from collections.abc import Iterable

from selfeval_lib.core.rules import RuleSet
from selfeval_lib.review.readers import TableRead
from selfeval_lib.review.recompute import review_table
from selfeval_lib.review.table import Review


def review_reads(reads: Iterable[TableRead], rules: RuleSet) -> list[Review]:
    """Review each table under ``rules``; the reader's notes are appended to the review's readings."""
    reviews = []
    for read in reads:
        review = review_table(read.table, rules)
        review.readings.extend(read.notes)
        reviews.append(review)
    return reviews
