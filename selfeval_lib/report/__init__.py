"""The report's content: its outline, the Chinese narrative from templates, tables, charts, fonts
and the object the report notebook calls.

Builds text, DataFrames and figures from an :class:`~selfeval_lib.core.evaluation.Evaluation`;
writes nothing. May import ``core``, ``inputs``, ``files``, ``errors`` and ``resources``.
"""
