"""The test-side attacker judges what it derives as a statistical office would, on tiny tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from tests.attacker import Attack, pinned_by_propagation, violations

# Two schools (A, B) of one bestuur X and one swv S; B has no row, S is hidden.
AREAS = [("school", "A"), ("school", "B"), ("bestuur", "X"), ("swv", "S")]


def _attack(school_clients: float) -> Attack:
    """Euro sum and clients of one cost indicator: A and X shown, B absent, S hidden."""
    rows = []
    for measure, shown, counts in (("kosten.numerator", 1_234.5, False),
                                   ("kosten.denominator", school_clients, True)):
        for level, code in AREAS:
            known = code in ("A", "X")
            rows.append({"measure": measure, "level": level, "area_code": code,
                         "period": "2024-2025", "value": shown if known else np.nan,
                         "counts": counts, "present": code != "B", "quality": False})
    cells = pd.DataFrame(rows)
    cells["id"] = np.arange(len(cells))
    # Per measure (cells 0-3, then 4-7): X = A + B and S = A + B.
    triplets = [(row, offset + cell, coef)
                for row, (offset, total) in enumerate((o, t) for o in (0, 4) for t in (2, 3))
                for cell, coef in ((total, -1.0), (0, 1.0), (1, 1.0))]
    r, c, v = zip(*triplets, strict=True)
    equalities = sp.csr_matrix((v, (r, c)), shape=(4, len(cells)))
    return Attack(cells, equalities, sp.csr_matrix((0, len(cells))))


def _leaked(attack: Attack) -> pd.DataFrame:
    pinned = pinned_by_propagation(attack)
    found = pinned.assign(low=pinned["derived"], high=pinned["derived"])
    return violations(found, 8, 8, attack)


def test_a_euro_sum_derived_over_a_small_group_is_a_leak() -> None:
    leaked = _leaked(_attack(school_clients=3))
    leaks = set(zip(leaked["measure"], leaked["area_code"], strict=True))
    assert ("kosten.numerator", "S") in leaks


def test_a_euro_sum_derived_over_a_group_known_to_be_large_is_no_leak() -> None:
    attack = _attack(school_clients=15)
    pinned = pinned_by_propagation(attack)
    # The attacker does derive S's euros and clients exactly ...
    assert set(pinned["area_code"]) == {"B", "S"}
    # ... but 15 clients' costs say no more than the bestuur's shown row.
    assert _leaked(attack).empty
