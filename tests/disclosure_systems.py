"""Small tables of counts and the relations between them (`total = sum(members)`), the
policy they are protected with, and the attacker's check that a protected table gives no
hidden small count away: shared by the tests of secondary suppression (rules, pieces, MILP)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from privacy.disclosure_rules import DisclosurePolicy, primary_suppressed

POLICY = DisclosurePolicy(min_count=8, hide_zero=True, round_to=5)
LEVEL = 8


def relation_matrix(names: list[str], relations: list[tuple[str, list[str]]]) -> sp.csr_matrix:
    """Sparse matrix of `total = sum(members)` rows (+1 members, -1 total)."""
    at = {n: i for i, n in enumerate(names)}
    rows, cols, data = [], [], []
    for row, (total, members) in enumerate(relations):
        for cell, coef in [(total, -1.0), *((m, 1.0) for m in members)]:
            rows.append(row)
            cols.append(at[cell])
            data.append(coef)
    return sp.csr_matrix((data, (rows, cols)), shape=(len(relations), len(names)))


def attacker_range(matrix: sp.csr_matrix, value: np.ndarray, hidden: np.ndarray,
                    cell: int) -> tuple[float, float]:
    """Min and max of `cell` over non-negative tables agreeing with the shown cells."""
    unknown = np.flatnonzero(hidden)
    a_eq = matrix[:, unknown].toarray()
    b_eq = -(matrix[:, ~hidden].toarray() @ value[~hidden])
    objective = (unknown == cell).astype(float)
    low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    assert low.status == 0
    return low.fun, (np.inf if high.status == 3 else -high.fun)


def assert_protected(matrix, value, hidden, sensitive) -> None:
    for cell in np.flatnonzero(sensitive):
        low, high = attacker_range(matrix, value, hidden, cell)
        assert high >= value[cell] + LEVEL - 1e-6, (cell, low, high)
        assert low <= max(0.0, value[cell] - LEVEL) + 1e-6, (cell, low, high)


def crossing_hierarchies(seed: int) -> tuple[list[str], np.ndarray, sp.csr_matrix]:
    """Schools in besturen and, crossing those, in swv's; both add up to one gemeente."""
    rng = np.random.default_rng(seed)
    schools = [f"s{i}" for i in range(int(rng.integers(6, 20)))]
    value = {s: float(v) for s, v in zip(schools, rng.choice(
        [0, 1, 3, 5, 7, 9, 12, 25, 60], len(schools)), strict=True)}
    relations = []
    for prefix, n_parents in (("B", int(rng.integers(1, 5))), ("W", 2)):
        parent_of = {s: f"{prefix}{rng.integers(0, n_parents)}" for s in schools}
        for parent in sorted(set(parent_of.values())):
            members = [s for s in schools if parent_of[s] == parent]
            value[parent] = sum(value[m] for m in members)
            relations.append((parent, members))
        relations.append(("G", sorted(set(parent_of.values()))))
    value["G"] = sum(value[s] for s in schools)
    names = list(value)
    return names, np.array([value[n] for n in names]), relation_matrix(names, relations)


def many_tables(count: int) -> tuple[np.ndarray, sp.csr_matrix, np.ndarray, np.ndarray]:
    """`count` independent crossing hierarchies side by side: (values, relations, sensitive,
    loss weights)."""
    tables = [crossing_hierarchies(seed) for seed in range(count)]
    numbers = np.concatenate([t[1] for t in tables])
    weight = np.concatenate([[10.0 if n.isupper() else 1.0 for n in t[0]] for t in tables])
    return (numbers, sp.block_diag([t[2] for t in tables], format="csr"),
            primary_suppressed(numbers, POLICY), weight)
