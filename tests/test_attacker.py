"""The test-side attacker judges what it derives as a statistical office would, on tiny tables."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.attacker import Attack, pinned_by_propagation, pinned_violations, relation_matrix

# Two schools (A, B) of one bestuur X and one swv S; A and X shown, B without a row, S hidden.
AREAS = {"A": "school", "B": "school", "X": "bestuur", "S": "swv"}
MEASURES = ("kosten.numerator", "kosten.denominator")


def _attack(school_clients: float) -> Attack:
    """Euro sum and clients of one cost indicator, with X = A + B and S = A + B for each."""
    shown = {"kosten.numerator": 1_234.5, "kosten.denominator": school_clients}
    cells = pd.DataFrame([
        {"measure": m, "level": level, "area_code": code, "period": "2024-2025",
         "value": shown[m] if code in ("A", "X") else np.nan, "counts": m.endswith("denominator"),
         "present": code != "B", "quality": False}
        for m in MEASURES for code, level in AREAS.items()])
    cells["id"] = np.arange(len(cells))
    at = cells.set_index(["measure", "area_code"])["id"]
    rows = [[(at[m, total], -1.0), (at[m, "A"], 1.0), (at[m, "B"], 1.0)]
            for m in MEASURES for total in ("X", "S")]
    return Attack(cells, relation_matrix(rows, len(cells)), relation_matrix([], len(cells)))


def test_a_euro_sum_derived_over_a_small_group_is_a_leak() -> None:
    leaked = pinned_violations(_attack(school_clients=3), 8, 8)
    leaks = set(zip(leaked["measure"], leaked["area_code"], strict=True))
    assert ("kosten.numerator", "S") in leaks


def test_a_euro_sum_derived_over_a_group_known_to_be_large_is_no_leak() -> None:
    attack = _attack(school_clients=15)
    # The attacker does derive S's euros and clients exactly ...
    assert set(pinned_by_propagation(attack)["area_code"]) == {"B", "S"}
    # ... but 15 clients' costs say no more than the bestuur's shown row.
    assert pinned_violations(attack, 8, 8).empty
