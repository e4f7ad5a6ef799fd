"""自评质量复核: re-scoring a self-evaluation by a written 口径 (``params/review-rules/``) and
reporting across a jurisdiction.

It reads what the review reads (params files and published tables through
:mod:`selfeval_lib.review.readers`), applies the 口径's rules indicator by indicator (pure rules
in this package, no I/O), and writes the 复核意见 (Word, HTML), the 复核底稿 workbook and, for a
folder of units, the summary and the 通报 draft. It may import ``core``, ``inputs``, ``review``,
``report``, ``render`` and ``files``; only ``cli`` imports it.
"""
