"""The edge where data comes in: safe YAML, located error messages, params and rule-set loading,
validation, the Excel input workbook and synthetic projects.

Reads files and turns them into validated :mod:`selfeval_lib.core` models, or an
:class:`~selfeval_lib.errors.InputError` naming file, line and field. May import ``core``,
``files``, ``errors`` and ``resources``.
"""
