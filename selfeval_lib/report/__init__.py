"""The report's content: its outline, the Chinese narrative from templates, tables, charts, fonts
and the object the report notebook calls.

Builds text, DataFrames and figures from an :class:`~selfeval_lib.core.evaluation.Evaluation`;
writes no output file. Its I/O is the kernel's: :mod:`.notebook` and :mod:`.monitoring` write the
pickle a run hands to the notebook and read it back there, and :mod:`.fonts` asks fontconfig
(``fc-list``, a subprocess) for the Chinese fonts. May import ``core``, ``inputs``, ``files``,
``errors`` and ``resources``.
"""
