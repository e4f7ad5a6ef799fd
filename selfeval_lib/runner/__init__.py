"""Running one document: the products (:mod:`.product`, :mod:`.products`: the self-evaluation and
the monitoring, each described once), the one run skeleton ``run_product``, which validates once,
computes once, executes the notebook, renders and writes atomically, the run's options, and what
the notebook runs on (the warm Jupyter kernel, this process: papermill engines).

May import ``core``, ``inputs``, ``report``, ``render``, ``files``, ``errors`` and ``resources``.
"""
