"""Many reports at once: :mod:`.fingerprint` (what identifies a report's inputs), :mod:`.state`
(the record of past runs), :mod:`.plan` (what is up to date, validation once), the executors
(:mod:`.executors`, a local pool of warm kernels; :mod:`.dask`, a Dask cluster), :mod:`.index`
(a product's index of a year: its rows from the state, its files, whose bytes ``render`` writes),
:mod:`.overview` (the overview notebook's tables) and :mod:`.run` (``run_batch``, the whole
batch), all for one product at a time (:mod:`selfeval_lib.runner.products`).

May import everything below it: ``core``, ``inputs``, ``report``, ``render``, ``runner``,
``files``, ``errors`` and ``resources``.
"""
