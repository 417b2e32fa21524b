"""One protecting direction at a time: the LP state of secondary suppression and its steps.

The attacker's range for a cell contains x + y for every direction y with `relations @ y = 0`,
y = 0 on shown cells and x + y >= 0 (privacy.disclosure_protect). Here: the state the steps
share (which cells are hidden, which sides covered), the neighbourhood of a cell, the LP that
finds the cheapest direction moving some cells by their need, and applying what it finds
(the shown cells it moves are hidden; every cell it moves far enough is covered).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

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
    retry_soft: bool = False  # an infeasible joint LP is tried again soft (see disclosure_batches)


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



def _uncovered(state: _State, cells: np.ndarray) -> np.ndarray:
    return cells[~(state.covered_up[cells] & state.covered_down[cells])]


def _hide_component(state: _State, cell: int) -> int:
    """Budget spent: hide every cell connected to `cell`; nothing is left to derive it from."""
    cells = _neighbourhood(state, cell, (None, None))
    newly = int((~state.hidden[cells]).sum())
    state.hidden[cells] = True
    state.covered_up[cells] = True
    state.covered_down[cells] = True
    return newly
