"""Writing files safely: atomic writes (temporary name, then rename), deterministic OOXML
(fixed zip times), so that the same inputs give byte-identical files, and cells that keep user
text as text (:mod:`.cells`: no formula in a spreadsheet or CSV from what a user typed;
:mod:`.xmltext`: text every XML file can hold); a file's digest (:mod:`.digest`); the command's output streams (:mod:`.streams`: a
log file of what is printed, output whose reader has gone).

May import only ``errors`` (an unwritable path is an :class:`~selfeval_lib.errors.OutputError`);
every layer that writes may use it.
"""
