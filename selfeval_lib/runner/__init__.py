"""Running one report: the run's options, the warm Jupyter kernel (a papermill engine) and
``run_report``, which validates once, executes the notebook, renders and writes atomically.

May import ``core``, ``inputs``, ``report``, ``render``, ``files``, ``errors`` and ``resources``.
"""
