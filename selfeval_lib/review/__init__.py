"""The review (复核) of published 自评表: the table model, readers for the forms tables are
published in, the recomputation by the core's rules, and its presentation.

Recomputes with :mod:`selfeval_lib.core` (one rule vocabulary with the evaluation). May import
``core``, ``inputs``, ``files``, ``errors`` and ``resources``.
"""
