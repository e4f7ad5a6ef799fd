"""Many reports at once: the plan (what is up to date), the executors (a local pool of warm
kernels, or Dask), the state and the year's index and overview.

May import everything below it: ``core``, ``inputs``, ``report``, ``render``, ``runner``,
``files``, ``errors`` and ``resources``.
"""
