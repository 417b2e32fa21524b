"""Secondary suppression with protection intervals, by linear programming on sparse relations.

Input: one linear system of non-negative cells (privacy.disclosure_relations). A sensitive cell
with value v needs, from everything published, an attacker range reaching v + p above and
max(0, v - p) below (p = the protection level). The attacker's range for a cell contains
x + y for every direction y with `relations @ y = 0`, y = 0 on shown cells and x + y >= 0.
For each sensitive cell and side not yet covered, a small LP (HiGHS) finds the cheapest such
y in the cell's neighbourhood: moving a hidden or never-published cell costs nothing, moving a
shown cell costs its loss weight per unit, so the shown cells that y moves are the ones to hide
(Kelly, Golden & Assad's LP heuristic for cell suppression). Hiding more never narrows any
range, so each cell stays protected once it is; every y found also covers the other cells it
moves (scaled as far as the bounds allow, and reversed). The per-cell work is bounded by a
budget in LP cells (the sizes of the LPs solved added up), not by a clock, so the same inputs
publish the same cells on any machine; a cell still unprotected when the budget is spent has
its whole component hidden: safe, and reported. Components (and pieces of very large ones) are
independent problems: their joint step runs on several threads (HiGHS releases the GIL). A
cell the relations fix whatever is hidden is counted, not protected: its value follows from
the definitions alone.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from privacy.disclosure_milp import Component, model_size
from privacy.disclosure_milp import solve as solve_milp
from privacy.disclosure_rules import DisclosureError
from privacy.lp import LpFailed, minimise

TOLERANCE = 1e-6
# LPs over more cells than this (the pieces of a national run) skip HiGHS's presolve, which
# took more than half their time; smaller ones keep it (without it Almere hides 2% more
# breakdown rows: another optimal vertex).
PRESOLVE_CELLS = 10_000
# Cost per unit a joint LP leaves a cell short of its protection: far above hiding any cell
# (loss weight / protection level is at most a few dozen per unit), so it falls short only
# where nothing in its piece can protect it.
SHORTFALL_COST = 1e5
# Sensitive cells of a component are moved together in interleaved batches (at least BATCHES,
# at most MAX_BATCHES, and no more than BATCH_CELLS / component size), so a total does not have
# to absorb all of its small members at once.
BATCHES, MAX_BATCHES, BATCH_CELLS = 8, 64, 25_000
# A component larger than this (one indicator over a whole country) is solved jointly in pieces
# of about this many cells, neighbours together (by locality); a piece's LPs keep every cell
# outside it fixed, so what they find is safe, and the pieces run side by side.
PIECE_CELLS = 20_000
# Neighbourhoods tried in turn: (steps, largest relation walked through); None: no limit.
# Walking only through small relations first keeps most LPs at a few dozen cells; all but the
# last (the whole component, which decides that nothing can protect a cell) are capped at
# PIECE_CELLS.
RADII = ((3, 12), (2, None), (4, None), (None, None))


@dataclass
class Protection:
    """Outcome: hidden cells (published cells and complements), the secondary ones, statistics."""

    hidden: np.ndarray
    secondary: np.ndarray
    lps: int = 0
    lp_cells: int = 0
    fallback_cells: int = 0
    fixed_by_definition: int = 0
    milp_components: int = 0        # solved by the MILP, proven optimal
    milp_cells: int = 0
    milp_unproven: int = 0          # ... with a checked incumbent at the node limit
    heuristic_components: int = 0   # too large for the MILP, or not solved by it
    heuristic_cells: int = 0


@dataclass(frozen=True)
class MilpLimits:
    """Which components the MILP solves: model size (privacy.disclosure_milp.model_size) up to
    max_size (0: none), at most node_limit branch-and-bound nodes each."""

    max_size: int = 0
    node_limit: int = 0


@dataclass
class _State:
    relations: sp.csr_matrix
    by_cell: sp.csr_matrix
    sizes: np.ndarray
    value: np.ndarray
    cost: np.ndarray
    hidden: np.ndarray
    need_up: np.ndarray
    need_down: np.ndarray
    covered_up: np.ndarray
    covered_down: np.ndarray
    fixed: int = 0


def _neighbourhood(state: _State, cell: int, radius: tuple[int | None, int | None],
                   cap: int | None = None) -> np.ndarray:
    """Cells within `radius` of `cell`; with a cap, the last step takes the narrowest
    relations that fit (walking on would reach a whole country)."""
    steps, widest = radius
    cells = np.array([cell])
    step = 0
    while steps is None or step < steps:
        rows = np.unique(state.by_cell[cells].indices)
        if widest is not None:
            rows = rows[state.sizes[rows] <= widest]
        grown = np.union1d(cells, state.relations[rows].indices)
        if cap is not None and len(grown) > cap:
            rows = rows[np.argsort(state.sizes[rows], kind="stable")]
            fits = rows[np.cumsum(state.sizes[rows]) <= cap - len(cells)]
            return np.union1d(cells, state.relations[fits].indices)
        if len(grown) == len(cells):
            break
        cells, step = grown, step + 1
    return cells


def _solve(state: _State, cells: np.ndarray, up_from: np.ndarray, down_from: np.ndarray,
           soft: bool = False) -> np.ndarray | None:
    """Least-cost y on `cells` with relations @ y = 0 (cells elsewhere fixed), x + y >= 0,
    y >= up_from where up_from > 0 and y <= -down_from where down_from > 0; None: infeasible.
    soft: those last two may fall short, at a cost above any move (then y covers what can be
    covered, and one cell that cannot be does not leave all the others uncovered)."""
    x = state.value[cells]
    lower = np.r_[up_from, down_from]
    upper = np.r_[np.where(down_from > 0, 0.0, np.inf), np.where(up_from > 0, 0.0, x)]
    if np.any(lower > upper + TOLERANCE):
        return None
    block = state.relations[np.unique(state.by_cell[cells].indices)][:, cells]
    cost, matrix, rows = np.r_[state.cost[cells], state.cost[cells]], sp.hstack([block, -block]), {}
    if soft:
        # y's own bounds become rows y + shortfall >= need; the shortfall costs SHORTFALL_COST.
        wanted = np.flatnonzero(lower > 0)
        pick = sp.csr_matrix((np.ones(len(wanted)), (np.arange(len(wanted)), wanted)),
                             shape=(len(wanted), matrix.shape[1]))
        matrix = sp.bmat([[matrix, None], [pick, sp.identity(len(wanted))]])
        cost = np.r_[cost, np.full(len(wanted), SHORTFALL_COST)]
        rows = {"row_lower": np.r_[np.zeros(block.shape[0]), lower[wanted]],
                "row_upper": np.r_[np.zeros(block.shape[0]), np.full(len(wanted), np.inf)]}
        upper, lower = np.r_[upper, lower[wanted]], np.zeros(matrix.shape[1])
    try:
        solution = minimise(cost, matrix, lower, np.maximum(lower, upper), **rows,
                            presolve=len(cells) <= PRESOLVE_CELLS)
    except LpFailed as error:
        raise DisclosureError(f"de rekenstap voor secundaire onderdrukking mislukte "
                              f"({error})") from error
    if solution is None:
        return None
    y = solution[:len(cells)] - solution[len(cells):2 * len(cells)]
    y[np.abs(y) < TOLERANCE] = 0.0
    return y


def _apply(state: _State, cells: np.ndarray, y: np.ndarray) -> None:
    moved = cells[y != 0]
    state.hidden[moved] = True
    state.cost[moved] = 0.0
    _cover(state, cells, y)


def _cover(state: _State, cells: np.ndarray, y: np.ndarray) -> None:
    """Mark what direction y (and -y), scaled as far as x + a*y >= 0 allows, protects."""
    x = state.value[cells]
    for direction in (y, -y):
        down = direction < 0
        scale = np.min(x[down] / -direction[down]) if down.any() else np.inf
        moved = direction * min(scale, 1e9)
        state.covered_up[cells] |= moved >= state.need_up[cells] - TOLERANCE
        state.covered_down[cells] |= -moved >= state.need_down[cells] - TOLERANCE


def _protect_side(state: _State, cell: int, target: float) -> tuple[int, int]:
    """Find and apply a protecting direction; returns (LPs solved, their cells added up)."""
    work = 0
    for attempt, radius in enumerate(RADII, start=1):
        cells = _neighbourhood(state, cell, radius, None if attempt == len(RADII) else PIECE_CELLS)
        work += len(cells)
        up, down = np.zeros(len(cells)), np.zeros(len(cells))
        (up if target > 0 else down)[np.searchsorted(cells, cell)] = abs(target)
        y = _solve(state, cells, up, down)
        if y is not None:
            _apply(state, cells, y)
            return attempt, work
    # The relations fix this cell whatever is hidden (its value follows from the definitions,
    # such as a category that must be 0 because another equals the total): nothing to protect.
    state.covered_up[cell] = state.covered_down[cell] = True
    state.fixed += 1
    return len(RADII), work


def protect_cells(relations: sp.csr_matrix, value: np.ndarray, sensitive: np.ndarray,
                  hidden: np.ndarray, weight: np.ndarray, level: float,
                  budget: int, workers: int = 1,
                  progress: Callable[[str], Callable[[int, int], None]] | None = None,
                  localities: np.ndarray | None = None,
                  milp: MilpLimits | None = None,
                  settled: np.ndarray | None = None) -> Protection:
    """hidden: cells hidden from the start (sensitive ones, never-published complements).

    weight: information loss of hiding a shown cell. level: the protection level p.
    budget: LP cells (sizes of the per-cell LPs added up) to spend before hiding what is left
    whole; the joint step is bounded by itself (at most 2 * MAX_BATCHES LPs per piece).
    workers: threads for the independent components of the joint step.
    progress: gives for a step's Dutch name a callback (cells done, cells in all).
    localities: per cut (rows) and cell a key of where it is (a gemeente); large components are
    split along the first cut, and what a cut leaves uncovered is solved along the next.
    milp: components small enough are solved optimally first (None: all by the heuristic).
    settled: cells the hidden cells already protect (a component unchanged since the previous
    release, whose pattern was protected then): not protected again.
    """
    if np.any(value < 0):
        raise DisclosureError("negatieve aantallen in de tabellen")
    need_up = np.where(sensitive, float(level), 0.0)
    need_down = np.where(sensitive, np.minimum(value, float(level)), 0.0)
    relations = relations.tocsr()
    state = _State(relations=relations, by_cell=relations.T.tocsr(),
                   sizes=np.diff(relations.indptr),
                   value=value.astype(float), cost=np.where(hidden, 0.0, weight / level),
                   hidden=hidden.copy(), need_up=need_up, need_down=need_down,
                   covered_up=need_up <= 0, covered_down=need_down <= 0)
    isolated = np.diff(state.by_cell.indptr) == 0
    if settled is not None:  # protected by the hidden pattern already (disclosure_releases)
        isolated |= settled
        sensitive = sensitive & ~settled
    state.covered_up |= isolated
    state.covered_down |= isolated
    protection = Protection(hidden=state.hidden, secondary=np.zeros(len(value), bool))
    rest = _milp_step(state, _components(relations, sensitive), milp or MilpLimits(),
                      workers, protection)
    def step(name: str) -> Callable[[int, int], None] | None:
        return progress(f"secundaire onderdrukking, {name}") if progress else None

    cuts = [None] if localities is None else list(np.atleast_2d(localities))
    large = [cells for cells in rest if len(cells) > PIECE_CELLS]
    _joint_step(state, [piece for cells in rest for piece in _pieces(cells, cuts[0], PIECE_CELLS)],
                workers, step("samen"), protection)
    for number, cut in enumerate(cuts[1:], start=2):
        _joint_step(state, [piece for cells in large for piece in _pieces(cells, cut, PIECE_CELLS)
                            if _uncovered(state, piece).size],
                    workers, step(f"samen (snede {number})"), protection)
    # What the cuts leave (cells that need a city or the country far away): each large
    # component whole, one soft LP per side (nationally 189 s for 25.588 cells at once, where
    # per-cell LPs would take hours).
    _joint_step(state, [cells for cells in large if _uncovered(state, cells).size], workers,
                step("samen (hele componenten)"), protection, at_once=True)
    _per_cell_step(state, sensitive, weight, budget, protection, step("per cel"))
    protection.secondary = state.hidden & ~hidden
    protection.fixed_by_definition = state.fixed
    return protection


def _uncovered(state: _State, cells: np.ndarray) -> np.ndarray:
    return cells[~(state.covered_up[cells] & state.covered_down[cells])]


def _per_cell_step(state: _State, sensitive: np.ndarray, weight: np.ndarray, budget: int,
                   protection: Protection, progress: Callable[[int, int], None] | None) -> None:
    """One side of one cell at a time, cheap cells first: their protection usually needs only
    nearby cells (small LPs). Past the budget, what is left is hidden with its component."""
    candidates, spent = np.flatnonzero(sensitive), 0
    for done, cell in enumerate(candidates[np.argsort(weight[candidates], kind="stable")]):
        if progress:
            progress(done, len(candidates))
        for covered, sign, need in ((state.covered_up, 1.0, state.need_up),
                                    (state.covered_down, -1.0, state.need_down)):
            if covered[cell]:
                continue
            if spent > budget:
                protection.fallback_cells += _hide_component(state, cell)
                continue
            lps, work = _protect_side(state, cell, sign * need[cell])
            protection.lps += lps
            protection.lp_cells += work
            spent += work


def _milp_step(state: _State, components: list[np.ndarray], limits: MilpLimits, workers: int,
               protection: Protection) -> list[np.ndarray]:
    """Solve the components within the limits by the MILP (side by side: HiGHS releases the
    GIL); returns the components left to the heuristic and counts both in `protection`."""
    fits = [limits.max_size > 0 and model_size(state.need_up[cells], state.need_down[cells],
                                               len(cells)) <= limits.max_size
            for cells in components]
    small = [cells for cells, fit in zip(components, fits, strict=True) if fit]
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = list(pool.map(lambda cells: solve_milp(_component(state, cells),
                                                         limits.node_limit), small))
    rest = [cells for cells, fit in zip(components, fits, strict=True) if not fit]
    for cells, result in zip(small, results, strict=True):
        if result is None:
            rest.append(cells)
            continue
        # Every sensitive side of the component is covered by the solution's directions.
        state.hidden[cells] |= result.hide
        state.cost[cells[result.hide]] = 0.0
        state.covered_up[cells] = state.covered_down[cells] = True
        protection.milp_components += result.optimal
        protection.milp_unproven += not result.optimal
        protection.milp_cells += len(cells)
    protection.heuristic_components = len(rest)
    protection.heuristic_cells = sum(map(len, rest))
    return rest


def _component(state: _State, cells: np.ndarray) -> Component:
    rows = np.unique(state.by_cell[cells].indices)
    covered_up, covered_down = state.covered_up[cells], state.covered_down[cells]
    return Component(block=state.relations[rows][:, cells], value=state.value[cells],
                     cost=state.cost[cells], hidden=state.hidden[cells].copy(),
                     need_up=np.where(covered_up, 0.0, state.need_up[cells]),
                     need_down=np.where(covered_down, 0.0, state.need_down[cells]))


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
        y = _solve(state, cells, *((wanted, zeros) if sign > 0 else (zeros, wanted)),
                   soft=soft)
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


def _hide_component(state: _State, cell: int) -> int:
    """Budget spent: hide every cell connected to `cell`; nothing is left to derive it from."""
    cells = _neighbourhood(state, cell, (None, None))
    newly = int((~state.hidden[cells]).sum())
    state.hidden[cells] = True
    state.covered_up[cells] = True
    state.covered_down[cells] = True
    return newly
