"""The installed package's version, read once from its metadata (``0+unknown`` in a source tree
that was never installed). A leaf every part may read. Imports nothing from the package, so
that the command, the run's provenance and the batch's fingerprints name the version without
importing the package root (which imports the core and the inputs).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("selfeval")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0+unknown"
