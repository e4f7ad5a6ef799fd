"""The report's content: its outline, what the Chinese narrative is written from (its HTML is
``render``'s), the facts it still lacks, tables, charts, fonts and the content objects the
notebooks open (through :mod:`selfeval_lib.render.notebook`).

Builds data, DataFrames and figures from an :class:`~selfeval_lib.core.evaluation.Evaluation`;
writes no output file. Its I/O is the kernel's: :mod:`.notebook` and :mod:`.monitoring` write the
pickle a run hands to the notebook and read it back there, and :mod:`.fonts` asks fontconfig
(``fc-list``, a subprocess) for the Chinese fonts. May import ``core``, ``inputs``, ``files``,
``errors`` and ``resources``.
"""
