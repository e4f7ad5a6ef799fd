"""Output formats: ipynb, HTML, PDF, XLSX, DOCX (and metrics JSON), each a function that returns bytes.

:mod:`.registry` holds them in one table per product (format → file name, renderer
``(RenderContext) -> bytes``) and renders a run's formats
(:meth:`~selfeval_lib.render.registry.Renderers.render`), importing each format's library only
when it is asked for. Renders what ``report``, ``review`` and ``requality``
build (or the executed notebook) into files' contents — the report, the monitoring report, the
review's page and workbook (``review_html``, ``review_xlsx``), the 复核's 复核意见, 底稿, summary and
通报 (``requality_*``; every file of a 复核 by name in ``requality_files``) — and writes nothing
itself. Every HTML page comes from the one Jinja environment of :mod:`.templating`. May import
``core``, ``report``, ``review``, ``requality``, ``files``, ``errors`` and ``resources``.
"""
