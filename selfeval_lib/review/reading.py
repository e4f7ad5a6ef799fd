"""Transitional: the readers moved to :mod:`selfeval_lib.review.readers`, ``review_reads`` to
:mod:`selfeval_lib.review.service`. Remove once cli.py imports from there."""

from selfeval_lib.review.readers import TableRead, load_table, read_tables  # noqa: F401
from selfeval_lib.review.service import review_reads  # noqa: F401
