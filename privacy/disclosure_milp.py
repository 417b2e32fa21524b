"""Optimal secondary suppression of one small component: the Fischetti–Salazar model.

A binary z_c per cell that is still shown (1: hide it, at its loss cost) and, for every
sensitive cell k and side with a need, a direction y over the component's cells with
relations @ y = 0, x + y >= 0, y_k >= need_up[k] (or y_k <= -need_down[k]) and y_c = 0 unless
z_c = 1. The cheapest z for which every such direction exists hides the least information and
protects every side at once (the LP heuristic in privacy.disclosure_protect finds some
protecting z, not the cheapest). Solved by HiGHS branch and bound with a node limit, never a
clock, so the same inputs publish the same cells on any machine. A solution is checked before
it is used: with the shown cells at 0 every direction must still satisfy the relations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from privacy.lp import LpFailed, minimise_mixed

# A direction is accepted when the relations hold within this (counts are whole numbers).
CHECK_TOLERANCE = 1e-6
# A hidden cell moves at most this many times the largest need of the component (see _model).
MOVE_BOUND = 1.0


@dataclass(frozen=True)
class Component:
    """One independent part of the cell system, as the MILP needs it."""

    block: sp.csr_matrix      # relations of the component, on its cells only
    value: np.ndarray         # x
    cost: np.ndarray          # loss of hiding each cell (0 for cells hidden already)
    hidden: np.ndarray        # hidden from the start: no z, free to move
    need_up: np.ndarray       # per cell the rise it must be able to make (0: none)
    need_down: np.ndarray     # per cell the fall it must be able to make (0: none)


@dataclass(frozen=True)
class MilpResult:
    hide: np.ndarray          # per component cell: hide it (True for cells hidden already too)
    optimal: bool             # proven optimal; False: a checked feasible incumbent


def model_size(need_up: np.ndarray, need_down: np.ndarray, cells: int) -> int:
    """Continuous variables of the model: one direction over all cells per sensitive side."""
    return int((need_up > 0).sum() + (need_down > 0).sum()) * cells


def _sides(component: Component) -> list[tuple[int, float]]:
    """(cell, signed need) per side to protect: + up, - down."""
    up = [(int(k), float(component.need_up[k])) for k in np.flatnonzero(component.need_up > 0)]
    down = [(int(k), -float(component.need_down[k]))
            for k in np.flatnonzero(component.need_down > 0)]
    return up + down


def _model(component: Component, sides: list[tuple[int, float]]) -> tuple:
    """Columns: z of the shown cells, then one y per side. Rows per side: relations @ y = 0,
    then y_c - M z_c <= 0 and -y_c - min(x_c, M) z_c <= 0 for the shown cells."""
    n, x = len(component.value), component.value
    free = np.flatnonzero(~component.hidden)
    f = len(free)
    # Bound on a hidden cell's move (the big M): in a table of sums (entries 0/±1, totally
    # unimodular) a protecting direction splits into conformal circuits, so one moving no cell
    # further than the need exists whenever any does; MOVE_BOUND leaves room for other tables.
    # A smaller bound can only cost optimality, never safety (directions are checked).
    big = MOVE_BOUND * max(abs(need) for _, need in sides)
    pick = sp.csr_matrix((np.ones(f), (np.arange(f), free)), shape=(f, n))
    m, s = component.block.shape[0], len(sides)
    z_part = sp.vstack([sp.csr_matrix((m, f)), sp.diags(np.full(f, -big)),
                        sp.diags(-np.minimum(x[free], big))])
    y_part = sp.vstack([component.block, pick, -pick])
    matrix = sp.hstack([sp.kron(np.ones((s, 1)), z_part), sp.kron(sp.eye(s), y_part)],
                       format="csc")
    row_lower = np.tile(np.r_[np.zeros(m), np.full(2 * f, -np.inf)], s)
    row_upper = np.zeros(matrix.shape[0])
    lower, upper = [np.zeros(f)], [np.ones(f)]
    for cell, need in sides:
        low, high = -np.minimum(x, big), np.full(n, big)
        (low if need > 0 else high)[cell] = need
        lower.append(low)
        upper.append(high)
    cost = np.r_[component.cost[free], np.zeros(n * s)]
    integer = np.r_[np.ones(f, bool), np.zeros(n * s, bool)]
    return free, cost, matrix, row_lower, row_upper, np.concatenate(lower), \
        np.concatenate(upper), integer


def solve(component: Component, node_limit: int) -> MilpResult | None:
    """The cheapest protecting set of cells to hide; None: no checked solution within
    `node_limit` nodes, a solver failure, or no protection possible (a cell the relations
    fix): the caller's heuristic takes over."""
    sides = _sides(component)
    if not sides:  # nothing needs room (protection_level 0): hide nothing more
        return MilpResult(hide=component.hidden.copy(), optimal=True)
    free, *model = _model(component, sides)
    try:
        solution, optimal = minimise_mixed(*model, node_limit=node_limit)
    except LpFailed:  # numerical trouble: the heuristic's LPs decide (and stop if they fail)
        return None
    if solution is None:
        return None
    hide = component.hidden.copy()
    hide[free] = solution[:len(free)] > 0.5
    directions = solution[len(free):].reshape(len(sides), len(component.value))
    if not all(_protects(component, hide, y, cell, need)
               for y, (cell, need) in zip(directions, sides, strict=True)):
        return None
    return MilpResult(hide=hide, optimal=optimal)


def _protects(component: Component, hide: np.ndarray, y: np.ndarray, cell: int,
              need: float) -> bool:
    """y, with every shown cell held at 0, still a direction that moves `cell` by `need`."""
    y = np.where(hide, y, 0.0)
    scale = max(1.0, float(component.value.max(initial=0.0)))
    return bool(np.abs(component.block @ y).max(initial=0.0) <= CHECK_TOLERANCE * scale
                and np.all(component.value + y >= -CHECK_TOLERANCE * scale)
                and (y[cell] >= need - CHECK_TOLERANCE if need > 0
                     else y[cell] <= need + CHECK_TOLERANCE))
