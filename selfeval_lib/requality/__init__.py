"""自评质量复核: re-scoring a self-evaluation by a written 口径 (``params/review-rules/``) and
reporting across a jurisdiction.

It reads what the review reads (params files and published tables through
:mod:`selfeval_lib.review.readers`), applies the 口径's rules indicator by indicator, and says
what the 复核意见, the 复核底稿 and, for a folder of units, the summary and the 通报 draft
contain (:mod:`.opinion`, :mod:`.bulletin`, :mod:`.summary_data`, :mod:`.summary_view`). The rules,
the scores and the documents' contents are pure functions; the I/O is at the edges:
:mod:`.kouqing` and :mod:`.overrides` read YAML, :mod:`.evidence` lists and hashes the evidence
files beside an input, :mod:`.service` finds and reads the inputs. It produces no bytes: the
documents are rendered by :mod:`selfeval_lib.render` (``requality_*``) and written by
:mod:`selfeval_lib.services.requality`. May import ``core``, ``inputs``, ``review``, ``errors``
and ``resources``.
"""
