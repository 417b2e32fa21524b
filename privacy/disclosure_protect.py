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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from privacy.disclosure_batches import _components, joint_steps
from privacy.disclosure_directions import (
    Protection,
    _hide_component,
    _protect_side,
    _State,
    _uncovered,
)
from privacy.disclosure_milp import Component, model_size
from privacy.disclosure_milp import solve as solve_milp
from privacy.disclosure_rules import DisclosureError

__all__ = ["MilpLimits", "Protection", "protect_cells", "_uncovered"]


@dataclass(frozen=True)
class MilpLimits:
    """Which components the MILP solves: model size (privacy.disclosure_milp.model_size) up to
    max_size (0: none), at most node_limit branch-and-bound nodes each."""

    max_size: int = 0
    node_limit: int = 0


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
    release, whose pattern was protected then): not protected again. Given (beside an earlier
    release, whose known figures leave fewer ways), a joint LP that cannot cover its whole
    batch is tried again soft.
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
    state.retry_soft = settled is not None  # beside an earlier release: a frozen pattern
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
    joint_steps(state, rest, cuts, workers, step, protection)
    _per_cell_step(state, sensitive, weight, budget, protection, step("per cel"))
    protection.secondary = state.hidden & ~hidden
    protection.fixed_by_definition = state.fixed
    return protection


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

