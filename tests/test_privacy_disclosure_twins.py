"""Twins: one figure in two tables of a level is hidden in both (disclosure control)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from privacy.disclosure import hide_twins
from privacy.disclosure_relations import twin_cells


def test_figures_equal_within_one_level_are_twins_there_and_only_there() -> None:
    # Two indicators count the same children per wijk, but not per school (other placement):
    # an outsider who sees them agree on every shown wijk pair derives one from the other.
    rows = [("verblijf", "wijk", f"W{i}", v) for i, v in enumerate((4, 9, 12, 30))]
    rows += [("aandeel", "wijk", f"W{i}", v) for i, v in enumerate((4, 9, 12, 30))]
    rows += [("verblijf", "school", f"S{i}", v) for i, v in enumerate((3, 5, 8))]
    rows += [("aandeel", "school", f"S{i}", v) for i, v in enumerate((2, 5, 9))]
    cells = pd.DataFrame(rows, columns=["quantity", "level", "area_code", "value"]).assign(
        period="2024-2025", virtual=False)
    cells["cell"] = np.arange(len(cells))
    assert sorted(map(sorted, twin_cells(cells).tolist())) == [[0, 4], [1, 5], [2, 6], [3, 7]]


def test_figures_that_only_agree_on_zero_are_not_twins() -> None:
    rows = [(q, "school", f"S{i}", v) for q, values in (("dyslexie", (0, 0, 0, 0, 3)),
                                                        ("thuiszitters", (0, 0, 0, 0, 2)))
            for i, v in enumerate(values)]
    cells = pd.DataFrame(rows, columns=["quantity", "level", "area_code", "value"]).assign(
        period="2024-2025", virtual=False)
    cells["cell"] = np.arange(len(cells))
    assert len(twin_cells(cells)) == 0


def test_a_hidden_cell_hides_its_twin_along_a_chain() -> None:
    hidden = np.array([True, False, False, False, False])
    twins = np.array([[0, 1], [2, 1], [3, 4]])
    assert hide_twins(hidden, twins).tolist() == [True, True, True, False, False]
    assert hide_twins(hidden, np.zeros((0, 2), int)).tolist() == hidden.tolist()
