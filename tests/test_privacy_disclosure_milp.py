"""Optimal secondary suppression (privacy.disclosure_milp) on tiny tables, checked by an
attacker's own LPs (tests.disclosure_systems.attacker_range, scipy linprog)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

import privacy.disclosure_milp as disclosure_milp
from pipelines.console import _hidden_lines
from privacy.disclosure_protect import MilpLimits, protect_cells
from privacy.disclosure_rules import primary_suppressed
from privacy.lp import LpFailed
from tests import disclosure_systems as systems

AMPLE = MilpLimits(max_size=10**6, node_limit=1000)
# 20  5  9 | 34
# 12  5 30 | 47
#  1 20 12 | 33
# ---------+---
# 33 30 51 | 114      small (< 8): a2 = 5, b2 = 5, c1 = 1
INNER = {"a1": 20, "a2": 5, "a3": 9, "b1": 12, "b2": 5, "b3": 30, "c1": 1, "c2": 20, "c3": 12}


def _table_3x3() -> tuple[list[str], np.ndarray, sp.csr_matrix, np.ndarray]:
    """The table above with its margins: (names, values, relations, loss weights)."""
    value = dict(INNER)
    for r in "abc":
        value[r.upper()] = sum(v for k, v in INNER.items() if k[0] == r)
    for c in "123":
        value[f"T{c}"] = sum(v for k, v in INNER.items() if k[1] == c)
    value["T"] = sum(INNER.values())
    names = list(value)
    relations = [*((r.upper(), [f"{r}{c}" for c in "123"]) for r in "abc"),
                 *((f"T{c}", [f"{r}{c}" for r in "abc"]) for c in "123"),
                 ("T", ["A", "B", "C"]), ("T", ["T1", "T2", "T3"])]
    weight = np.array([10.0 if n.isupper() else 1.0 for n in names])
    matrix = systems.relation_matrix(names, relations)
    return names, np.array([value[n] for n in names], float), matrix, weight


def _suppress(limits: MilpLimits | None):
    names, value, matrix, weight = _table_3x3()
    sensitive = value < systems.POLICY.min_count
    outcome = protect_cells(matrix, value, sensitive, sensitive, weight, systems.LEVEL, 10**9,
                            milp=limits)
    return names, value, matrix, weight, sensitive, outcome


def test_the_milp_hides_less_than_the_heuristic_and_still_protects() -> None:
    # Crossing besturen and swv's, where the heuristic hides 43 in loss weight and the MILP 4
    # (on the 3x3 table above the heuristic finds the optimum too).
    names, value, matrix = systems.crossing_hierarchies(1)
    sensitive = primary_suppressed(value, systems.POLICY)
    weight = np.array([10.0 if n.isupper() else 1.0 for n in names])
    heuristic, optimal = (protect_cells(matrix, value, sensitive, sensitive, weight, systems.LEVEL,
                                        10**9, milp=limits) for limits in (None, AMPLE))
    assert (optimal.milp_components, optimal.heuristic_components) == (1, 0)
    assert optimal.lps == 0  # every side covered by the MILP: no heuristic LP for them
    assert weight[optimal.secondary].sum() < weight[heuristic.secondary].sum()
    systems.assert_protected(matrix, value, optimal.hidden, sensitive)
    systems.assert_protected(matrix, value, heuristic.hidden, sensitive)


def test_the_milp_finds_the_known_optimum_of_the_tiny_table() -> None:
    # By hand: a small cell alone among shown cells of its row is pinned by the row total, so
    # rows a, b and c (one small cell each) each need another hidden inner cell (margins cost
    # 10 times more): at least 3. The 3 of a1, b1, c2 suffice: a2 and b2 lean on column 2 and
    # c2, c1 on column 1 and a1, b1; the cycle a1 -> a2 -> c2 -> c1 -> b1 -> b2 moves each
    # small cell 8 up and down to 0 (a1, b1, c2 >= 8; a2, b2 and c1 drop to 0 at most).
    names, value, matrix, weight, sensitive, outcome = _suppress(AMPLE)
    assert weight[outcome.secondary].sum() == 3.0
    assert not outcome.hidden[[n.isupper() for n in names]].any()
    systems.assert_protected(matrix, value, outcome.hidden, sensitive)


def test_a_component_over_the_size_limit_goes_to_the_heuristic_and_is_counted() -> None:
    *_, heuristic = _suppress(None)
    *_, too_large = _suppress(MilpLimits(max_size=10, node_limit=1000))
    assert (too_large.milp_components, too_large.milp_cells) == (0, 0)
    assert (too_large.heuristic_components, too_large.heuristic_cells) == (1, 16)
    assert np.array_equal(too_large.hidden, heuristic.hidden)


def test_a_component_the_milp_does_not_solve_goes_to_the_heuristic(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(disclosure_milp, "minimise_mixed", lambda *a, **k: (None, False))
    names, value, matrix, weight, sensitive, outcome = _suppress(AMPLE)
    assert (outcome.milp_components, outcome.heuristic_components) == (0, 1)
    systems.assert_protected(matrix, value, outcome.hidden, sensitive)


def test_a_checked_solution_not_proven_optimal_is_used_and_counted(
        monkeypatch: pytest.MonkeyPatch) -> None:
    solve = disclosure_milp.minimise_mixed
    monkeypatch.setattr(disclosure_milp, "minimise_mixed",
                        lambda *a, **k: (solve(*a, **k)[0], False))
    names, value, matrix, weight, sensitive, outcome = _suppress(AMPLE)
    assert (outcome.milp_components, outcome.milp_unproven, outcome.milp_cells) == (0, 1, 16)
    systems.assert_protected(matrix, value, outcome.hidden, sensitive)


def test_a_solver_failure_in_the_milp_leaves_the_component_to_the_heuristic(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def failed(*args, **kwargs):
        raise LpFailed("Numerical difficulties")

    monkeypatch.setattr(disclosure_milp, "minimise_mixed", failed)
    names, value, matrix, weight, sensitive, outcome = _suppress(AMPLE)
    assert (outcome.milp_components, outcome.heuristic_components) == (0, 1)
    systems.assert_protected(matrix, value, outcome.hidden, sensitive)


@pytest.mark.parametrize("seed", range(6))
def test_random_crossing_hierarchies_solved_by_the_milp_are_protected(seed: int) -> None:
    names, numbers, matrix = systems.crossing_hierarchies(seed)
    sensitive = primary_suppressed(numbers, systems.POLICY)
    weight = np.array([10.0 if n.isupper() else 1.0 for n in names])
    heuristic = protect_cells(matrix, numbers, sensitive, sensitive, weight, systems.LEVEL, 10**9)
    optimal = protect_cells(matrix, numbers, sensitive, sensitive, weight, systems.LEVEL, 10**9,
                            milp=AMPLE)
    assert optimal.milp_components == 1
    assert weight[optimal.secondary].sum() <= weight[heuristic.secondary].sum()
    systems.assert_protected(matrix, numbers, optimal.hidden, sensitive)


def test_many_components_are_counted_and_the_same_on_one_thread_or_several() -> None:
    numbers, matrix, sensitive, weight = systems.many_tables(8)
    sizes = []
    for seed in range(8):
        table = systems.crossing_hierarchies(seed)[1]
        small = primary_suppressed(table, systems.POLICY)
        sizes.append(disclosure_milp.model_size(small, small & (table > 0), len(table)))
    middle = int(np.median(sizes))
    outcomes = [protect_cells(matrix, numbers, sensitive, sensitive, weight, systems.LEVEL, 10**9,
                              workers, milp=limits)
                for workers, limits in ((1, AMPLE), (2, AMPLE), (2, MilpLimits(middle, 1000)))]
    assert outcomes[0].milp_components == 8 and outcomes[0].heuristic_components == 0
    assert np.array_equal(outcomes[0].hidden, outcomes[1].hidden)
    mixed = outcomes[2]
    assert mixed.milp_components > 0 and mixed.heuristic_components > 0
    assert mixed.milp_components == sum(size <= middle for size in sizes)
    assert mixed.milp_components + mixed.heuristic_components == 8
    systems.assert_protected(matrix, numbers, mixed.hidden, sensitive)


def test_the_run_summary_says_in_dutch_how_components_were_solved() -> None:
    lines = _hidden_lines({"indicator_values": 10, "milp_componenten": 123,
                           "heuristiek_componenten": 4, "milp_niet_bewezen": 0,
                           "per_niveau": {"school": {"cellen": 20, "afgeschermd": 10}},
                           "bevroren": 3, "bekend_uit_vorige": 7})
    assert "  secundaire onderdrukking: 123 componenten optimaal (MILP), 4 met de heuristiek" \
        in lines
    assert "  school: 10 afgeschermd van 20" in lines  # never how many of them are small
    assert "  naast de vorige publicatie: 3 cellen blijven verborgen, 7 ongewijzigd getoond" \
        in lines
