"""A table printed over several pages (or continued lower on one page) joined into one grid:
blocks (:class:`Block`, one table on one page, built by :mod:`.page_grid`) with the same columns, the last at
the foot of its page and the next at the top of the following one; the header rows repeated at the
top of a later page dropped, a vertical merge cut by the page break merged again, and a block that
prints only some of the column edges (a 总分 row alone on the last page) widened to the table's."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from selfeval_lib.review.readers.excel_grid import Grid, Merge, base, norm, spread_merges

#: Header rows repeated at the top of a continuation page that are dropped (at most).
_MAX_REPEATED = 3


@dataclass
class Block:
    """One table on one page: its grid, merges, column edges and the text around it."""

    page: int
    xs: list[float]
    top: float
    bottom: float
    grid: Grid
    merges: list[Merge]
    above: list[str] = field(default_factory=list)
    below: list[str] = field(default_factory=list)
    first_on_page: bool = True
    last_on_page: bool = True
    notes: list[str] = field(default_factory=list)
    tol: float = 2.0
    height: float = 0.0  # of the page (0: unknown)
    unruled: bool = False  # found from the alignment of its text: its rows are printed lines


def _row_key(grid: Grid, merges: list[Merge], r: int) -> tuple[str, ...]:
    return tuple(norm(v) for v in spread_merges("", grid, merges).spread[r])


def _starts_table(b: Block) -> bool:
    if any("自评表" in norm(line) for line in b.above):
        return True
    return any(base(v) == "项目名称" for row in b.grid[:2] for v in row)


def _column_map(a: Block, b: Block) -> list[int] | None:
    """The index among ``a``'s column edges of each of ``b``'s, when ``b``'s are ``a``'s or some of
    them, from the first edge to the last (a 总分 row alone prints fewer cells); None otherwise."""
    tol = 3 * max(a.tol, b.tol)
    out: list[int] = []
    for x in b.xs:
        i = min(range(len(a.xs)), key=lambda k: abs(a.xs[k] - x))
        if abs(a.xs[i] - x) > tol:
            return None
        out.append(i)
    if out[0] != 0 or out[-1] != len(a.xs) - 1 or any(p >= q for p, q in zip(out, out[1:])):
        return None
    return out


def _same_columns(a: Block, b: Block) -> bool:
    return _column_map(a, b) is not None


def _widened(b: Block, a: Block) -> Block:
    """``b`` on ``a``'s columns: each of its cells spans the columns of ``a`` between its edges."""
    idx = _column_map(a, b)
    if idx is None or len(idx) == len(a.xs):
        return b
    grid: Grid = [[None] * (len(a.xs) - 1) for _ in b.grid]
    merges: list[Merge] = []
    covered: set[tuple[int, int]] = set()
    for top, left, bottom, right in b.merges:
        grid[top][idx[left]] = b.grid[top][left]
        merges.append((top, idx[left], bottom, idx[right + 1] - 1))
        covered.update((r, c) for r in range(top, bottom + 1) for c in range(left, right + 1))
    for r, row in enumerate(b.grid):
        for c, value in enumerate(row):
            if (r, c) not in covered:
                grid[r][idx[c]] = value
                if idx[c + 1] - 1 > idx[c]:
                    merges.append((r, idx[c], r, idx[c + 1] - 1))
    return replace(b, xs=list(a.xs), grid=grid, merges=merges)


def _opens_indicators(prev: Block, b: Block) -> bool:
    """``b`` is the indicator part of a form whose head (``prev``: funds, 年度总体目标) ended the page
    before: it starts with the 三级指标 header and has all of the head's column edges and more."""
    return _column_map(b, prev) is not None and bool(_header_keys(b.grid[:2], b.merges))


def _continues(prev: Block, b: Block) -> bool:
    if _starts_table(b) or not (_same_columns(prev, b) or _opens_indicators(prev, b)):
        return False
    if b.page == prev.page + 1:  # the table runs to the foot of its page, its rest at the top of the next
        at_foot = not prev.height or prev.bottom >= 0.7 * prev.height
        at_top = not b.height or b.top <= 0.3 * b.height
        return prev.last_on_page and b.first_on_page and at_foot and at_top
    return b.page == prev.page and not prev.below and not b.above and b.top - prev.bottom <= 4 * b.tol


@dataclass
class _Joined:
    blocks: list[Block]
    grid: Grid
    merges: list[Merge]
    header: set[tuple[str, ...]] = field(default_factory=set)


def _header_keys(grid: Grid, merges: list[Merge]) -> set[tuple[str, ...]]:
    spread = spread_merges("", grid, merges).spread
    for r, row in enumerate(spread):
        if any("三级指标" in norm(v) for v in row):
            return {tuple(norm(v) for v in spread[i]) for i in range(r, min(r + 2, len(spread)))}
    return set()


def _with_text(b: Block) -> tuple[Grid, list[Merge]]:
    """The block's grid below the lines printed above it (each a row of one merged cell)."""
    cols = len(b.xs) - 1
    n = len(b.above)
    grid = [[line] + [None] * (cols - 1) for line in b.above] + [row[:] for row in b.grid]
    merges = [(i, 0, i, cols - 1) for i in range(n)]
    return grid, merges + [(t + n, left, bottom + n, right) for t, left, bottom, right in b.merges]


def _close(joined: _Joined) -> None:
    """The lines printed below the table's last block, as rows of one merged cell."""
    b = joined.blocks[-1]
    cols = len(b.xs) - 1
    for line in b.below:
        joined.merges.append((len(joined.grid), 0, len(joined.grid), cols - 1))
        joined.grid.append([line] + [None] * (cols - 1))


def _append(joined: _Joined, b: Block) -> None:
    """Add a continuation block: its leading rows that repeat the header are dropped, and so is
    the text above it (a running page header)."""
    if not joined.header:
        joined.header = _header_keys(joined.grid, joined.merges)
    grid, merges = [row[:] for row in b.grid], list(b.merges)
    drop = 0
    while drop < min(_MAX_REPEATED, len(grid) - 1) and joined.header and _row_key(grid, merges, drop) in joined.header:
        drop += 1
    kept: list[Merge] = []
    for top, left, bottom, right in merges:
        if bottom < drop:
            continue
        if top < drop:
            grid[drop][left] = grid[top][left]
            top = drop
        kept.append((top, left, bottom, right))
    offset = len(joined.grid) - drop
    moved = [(t + offset, left, bottom + offset, right) for t, left, bottom, right in kept]
    last = len(joined.grid) - 1
    joined.grid += grid[drop:]
    joined.merges = _rejoin(joined.grid, joined.merges, moved, last)
    joined.blocks.append(b)


def _cells_at(grid: Grid, merges: list[Merge], r: int, top: bool) -> dict[tuple[int, int], Merge]:
    """(left, right) → the cell on row ``r``: merges ending (``top=False``) or starting there, and
    single cells."""
    out: dict[tuple[int, int], Merge] = {}
    covered: set[int] = set()
    for m in merges:
        if m[0] <= r <= m[2]:
            covered.update(range(m[1], m[3] + 1))
            if (m[0] if top else m[2]) == r:
                out[(m[1], m[3])] = m
    for c in range(len(grid[r])):
        if c not in covered:
            out[(c, c)] = (r, c, r, c)
    return out


def _rejoin(grid: Grid, merges: list[Merge], moved: list[Merge], last: int) -> list[Merge]:
    """Merges of the joined grid: a vertical merge cut by the page break (its text printed above
    the break, the part below blank) is one merge again."""
    if last < 0 or last + 1 >= len(grid):
        return merges + moved
    above = _cells_at(grid, merges, last, top=False)
    below = _cells_at(grid, moved, last + 1, top=True)
    drop: set[Merge] = set()
    added: list[Merge] = []
    for key, a in above.items():
        b = below.get(key)
        if b is None or (a[0] == a[2] and b[0] == b[2]):
            continue
        if not norm(grid[a[0]][a[1]]) or norm(grid[b[0]][b[1]]):
            continue  # text below the break: a cell of its own (the fragment's text may be lost)
        drop.update((a, b))
        added.append((a[0], a[1], b[2], a[3]))
    return [m for m in merges + moved if m not in drop] + added


def _onto(joined: _Joined, b: Block) -> None:
    """What is joined so far put on ``b``'s column edges (a superset of its own)."""
    last = joined.blocks[-1]
    wide = _widened(replace(last, grid=joined.grid, merges=joined.merges), b)
    joined.grid, joined.merges = wide.grid, wide.merges
    joined.blocks[-1] = replace(last, xs=list(b.xs))


def join_blocks(blocks: list[Block]) -> list[_Joined]:
    """Consecutive blocks of one table (printed over pages) joined into one grid each."""
    out: list[_Joined] = []
    for b in blocks:
        if out and _continues(out[-1].blocks[-1], b):
            if not _same_columns(out[-1].blocks[-1], b):
                _onto(out[-1], b)
            _append(out[-1], _widened(b, out[-1].blocks[-1]))
        else:
            grid, merges = _with_text(b)
            out.append(_Joined([b], grid, merges))
    for joined in out:
        _close(joined)
    return out
