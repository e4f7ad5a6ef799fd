"""Output formats: HTML, PDF, XLSX, DOCX and metrics JSON, each a function that returns bytes.

Renders what ``report`` builds (or the executed notebook) into files' contents; writes nothing
itself. May import ``core``, ``report``, ``files``, ``errors`` and ``resources``.
"""
