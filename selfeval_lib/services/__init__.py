"""What each command does, end to end, as a function the command calls once: find and read the
inputs (one file's failure recorded, the others go on), call the computation, render and write
every file together (nothing half-written), and return what happened for the command to print.
The command parses, calls one service, prints and returns the exit code; it reads and writes no
file itself.

- :mod:`.review` — ``selfeval review``: published tables recomputed, review.html/.xlsx/.json;
- :mod:`.requality` — ``selfeval requality``: the 复核, its 复核意见 and 底稿, the summary and 通报;
- :mod:`.project` — the params-file commands' work (``validate``, ``sample``, ``template``);
- :mod:`.notebooks` — ``selfeval notebooks``: copies of the bundled notebooks.

May import ``core``, ``inputs``, ``render``, ``review``, ``requality``, ``batch``, ``files``,
``errors`` and ``resources``; only ``cli`` imports it.
"""
