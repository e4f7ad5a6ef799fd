"""Writing files safely: atomic writes (temporary name, then rename), deterministic OOXML
(fixed zip times), so that the same inputs give byte-identical files, and cells that keep user
text as text (:mod:`.cells`: no formula in a spreadsheet or CSV from what a user typed;
:mod:`.xmltext`: text every XML file can hold).

Imports nothing from the rest of the package; every layer that writes may use it.
"""
