"""Output formats: ipynb, HTML, PDF, XLSX, DOCX (and metrics JSON), each a function that returns bytes.

:mod:`.registry` holds them in one table (format → file name, renderer ``(RenderContext) -> bytes``)
and renders a run's formats (:func:`~selfeval_lib.render.registry.render_all`), importing each
format's library only when it is asked for. Renders what ``report`` and ``review`` build (or the
executed notebook) into files' contents; writes nothing itself. Every HTML page comes from the one
Jinja environment of :mod:`.templating`. May import ``core``, ``report``, ``review``, ``files``,
``errors`` and ``resources``.
"""
