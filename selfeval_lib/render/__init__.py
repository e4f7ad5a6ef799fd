"""Output formats: ipynb, HTML, PDF, XLSX, DOCX (and metrics JSON), each a function that returns bytes.

:mod:`.registry` holds them in one table (format → file name, renderer ``(RenderContext) -> bytes``)
and renders a run's formats (:func:`~selfeval_lib.render.registry.render_all`), importing each
format's library only when it is asked for. Renders what ``report`` builds (or the executed
notebook) into files' contents; writes nothing itself. May import ``core``, ``report``, ``files``,
``errors`` and ``resources``.
"""
