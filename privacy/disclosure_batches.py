"""The joint step of secondary suppression: every sensitive cell of a component at once.

Two LPs per batch (one moving the batch's cells up, one down) instead of two per cell; large
components are cut in pieces between localities (gemeenten) and solved side by side on
threads (HiGHS releases the GIL). What a piece cannot cover is tried along the next cut, then
over its whole component; what is left goes to the per-cell LPs (privacy.disclosure_protect).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

import privacy.disclosure_directions as directions
from privacy.disclosure_directions import (
    Protection,
    _apply,
    _solve,
    _State,
    _uncovered,
)

# Sensitive cells of a component are moved together in interleaved batches (at least BATCHES,
# at most MAX_BATCHES, and no more than BATCH_CELLS / component size), so a total does not have
# to absorb all of its small members at once.
BATCHES, MAX_BATCHES, BATCH_CELLS = 8, 64, 25_000


def joint_steps(state: _State, rest: list[np.ndarray], cuts: list[np.ndarray | None],
                workers: int, step: Callable[[str], Callable[[int, int], None] | None],
                protection: Protection) -> None:
    """The components left by the MILP in pieces along the first cut, what a cut leaves
    uncovered along the next, and what the cuts leave over each large component whole."""
    limit = directions.PIECE_CELLS
    large = [cells for cells in rest if len(cells) > limit]
    _joint_step(state, [piece for cells in rest for piece in _pieces(cells, cuts[0], limit)],
                workers, step("samen"), protection)
    for number, cut in enumerate(cuts[1:], start=2):
        _joint_step(state, [piece for cells in large for piece in _pieces(cells, cut, limit)
                            if _uncovered(state, piece).size],
                    workers, step(f"samen (snede {number})"), protection)
    # What the cuts leave (cells that need a city or the country far away): each large
    # component whole, one soft LP per side (nationally 189 s for 25.588 cells at once, where
    # per-cell LPs would take hours).
    _joint_step(state, [cells for cells in large if _uncovered(state, cells).size], workers,
                step("samen (hele componenten)"), protection, at_once=True)


def _joint_step(state: _State, components: list[np.ndarray], workers: int,
                progress: Callable[[int, int], None] | None, protection: Protection,
                at_once: bool = False) -> None:
    """_protect_jointly on every component (or piece of one), largest first so the threads
    finish together; adds its LPs and LP cells to `protection`. Each touches only its own
    cells: the order in which they finish changes nothing. at_once: see _protect_jointly."""
    total, done = sum(map(len, components)), 0
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        running = {pool.submit(_protect_jointly, state, cells, at_once): len(cells)
                   for cells in sorted(components, key=len, reverse=True)}
        for future in as_completed(running):
            solved, size = future.result()
            protection.lps += solved
            protection.lp_cells += size
            done += running[future]
            if progress:
                progress(done, total)


def _components(relations: sp.csr_matrix, sensitive: np.ndarray) -> list[np.ndarray]:
    """Groups of cells linked by relations (independent problems) that hold a sensitive cell."""
    n_rel, n_cells = relations.shape
    incidence = abs(relations).astype(bool)
    graph = sp.bmat([[None, incidence], [incidence.T, None]], format="csr")
    _, label = connected_components(graph, directed=False)
    cell_label = label[n_rel:]
    wanted = np.unique(cell_label[sensitive])
    order = np.argsort(cell_label, kind="stable")
    bounds = np.searchsorted(cell_label[order], wanted)
    ends = np.searchsorted(cell_label[order], wanted, side="right")
    return [np.sort(order[a:b]) for a, b in zip(bounds, ends, strict=True)]


def _pieces(cells: np.ndarray, locality: np.ndarray | None, limit: int) -> list[np.ndarray]:
    """`cells` whole when small, else in pieces of at most `limit` cells, cut between
    localities where one fits (a locality larger than `limit` is cut in runs)."""
    if locality is None or len(cells) <= limit:
        return [cells]
    order = cells[np.lexsort((cells, locality[cells]))]
    keys = locality[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    pieces, begin = [], 0
    for start, end in zip(starts, np.r_[starts[1:], len(order)], strict=True):
        if end - begin > limit and start > begin:
            pieces.append(order[begin:start])
            begin = start
        while end - begin > limit:
            pieces.append(order[begin:begin + limit])
            begin += limit
    pieces.append(order[begin:])
    return [np.sort(piece) for piece in pieces if len(piece)]


def _protect_jointly(state: _State, cells: np.ndarray, at_once: bool = False
                     ) -> tuple[int, int]:
    """One direction moving every sensitive cell of a component up by its protection level at
    once, one moving them all down: two LPs instead of two per cell. Hides more than needed in
    places, but is fast; cells it cannot cover go to the per-cell LPs. Touches only `cells`,
    so components can run side by side. Returns (LPs solved, their cells added up).
    at_once: every uncovered cell in one soft batch (for what is left over a whole component)."""
    solved = 0
    batches = 1 if at_once else _batch_count(state, cells)
    # A piece of a larger component (its relations reach cells kept fixed outside it) has
    # cells it cannot protect: its LPs are soft. A whole component's are strict (faster).
    touching = state.by_cell[cells]
    soft = at_once or state.sizes[np.unique(touching.indices)].sum() > touching.nnz
    batch = (cells.astype(np.uint64) * np.uint64(2654435761) % np.uint64(2**32)) % batches
    for part, covered, need, sign in ((b, c, n, s) for b in range(batches) for c, n, s in (
            (state.covered_up, state.need_up, 1), (state.covered_down, state.need_down, -1))):
        wanted = np.where(covered[cells] | (batch != part), 0.0, need[cells])
        if not wanted.any():
            continue
        zeros = np.zeros(len(cells))
        sides = (wanted, zeros) if sign > 0 else (zeros, wanted)
        y = _solve(state, cells, *sides, soft=soft)
        solved += 1
        if y is None and not soft and state.retry_soft:
            # One cell of the batch that cannot be covered (a frozen pattern leaves fewer
            # ways) would leave all the others to the per-cell LPs: cover what can be.
            y = _solve(state, cells, *sides, soft=True)
            solved += 1
        if y is not None:
            _apply(state, cells, y)
    return solved, solved * len(cells)


def _batch_count(state: _State, cells: np.ndarray) -> int:
    """About two uncovered sensitive cells of one relation per batch, so its other members can
    absorb the move without hiding the total (rare indicators keep their gemeente figure); at
    least BATCHES, and fewer for large components, whose LPs are the expensive ones."""
    sensitive = cells[(state.need_up[cells] > 0) & ~state.covered_up[cells]]
    rows = state.by_cell[sensitive].indices
    crowded = np.bincount(rows).max() if len(rows) else 0
    ceiling = max(BATCHES, min(MAX_BATCHES, BATCH_CELLS // len(cells)))
    return int(np.clip(np.ceil(crowded / 2), BATCHES, ceiling))

