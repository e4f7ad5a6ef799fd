"""Writing files safely: atomic writes (temporary name, then rename) and deterministic OOXML
(fixed zip times), so that the same inputs give byte-identical files.

Imports nothing from the rest of the package; every layer that writes may use it.
"""
