"""Process start-up of the command line and of batch workers: skip optional imports that cost
seconds and that no report uses.

``jsonschema`` (imported by nbformat, hence by papermill and nbconvert) imports
``rfc3987_syntax`` when it is installed, only to check the ``iri`` string format; that import
builds a Lark grammar, 1.4 s or more of a report's start-up. Notebook validation never checks
string formats (nbformat's schemas use no ``format`` keyword), so a selfeval process marks the
module absent before anything imports jsonschema.
"""

from __future__ import annotations

import sys

#: Optional modules that selfeval processes do without (see the module docstring).
SKIPPED_OPTIONAL = ("rfc3987_syntax",)


def skip_slow_optional_imports() -> None:
    """Make the modules of :data:`SKIPPED_OPTIONAL` unimportable in this process (an ImportError
    their optional importers expect); those already imported are left alone."""
    for name in SKIPPED_OPTIONAL:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]
