"""The review (复核) of published 自评表: the table model, readers for the forms tables are
published in, the recomputation by the core's rules, and what its presentation shows
(:mod:`.present`: views and the notebook's tables; the page and workbook are rendered in
:mod:`selfeval_lib.render`). Produces no bytes.

Recomputes with :mod:`selfeval_lib.core` (one rule vocabulary with the evaluation). May import
``core``, ``inputs``, ``errors`` and ``resources``.
"""
