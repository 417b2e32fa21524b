"""Secondary suppression in pieces and joint batches: a locality kept together, cuts that the
next piece solves together, a batch that covers what it can (the whole rules: in
test_privacy_disclosure_rules.py, whose tiny tables these share)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

import privacy.disclosure_batches as disclosure_batches
import privacy.disclosure_directions as disclosure_directions
import privacy.disclosure_protect as disclosure_protect
from privacy.disclosure_protect import protect_cells
from privacy.disclosure_relations import localities
from privacy.disclosure_rules import primary_suppressed
from tests import disclosure_systems as systems


def test_pieces_keep_a_locality_together_and_cut_only_an_oversized_one() -> None:
    cells = np.arange(10)
    locality = np.array([2, 0, 0, 1, 1, 1, 2, 3, 3, 3])
    pieces = disclosure_batches._pieces(cells, locality, 4)
    assert [p.tolist() for p in pieces] == [[1, 2], [3, 4, 5], [0, 6], [7, 8, 9]]
    assert [p.tolist() for p in disclosure_batches._pieces(cells, locality, 10)] == [
        cells.tolist()]
    big = disclosure_batches._pieces(cells, np.zeros(10, int), 4)
    assert [len(p) for p in big] == [4, 4, 2]


@pytest.mark.parametrize("seed", range(4))
def test_a_component_solved_in_pieces_still_protects_every_small_cell(
        seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    names, numbers, matrix = systems.crossing_hierarchies(seed)
    sensitive = primary_suppressed(numbers, systems.POLICY)
    weight = np.array([10.0 if n.isupper() else 1.0 for n in names])
    solved: list[int] = []
    jointly = disclosure_batches._protect_jointly

    def counted(state, cells, at_once):
        if not at_once:  # the pieces, not the pass over whole components after the cuts
            solved.append(len(cells))
        return jointly(state, cells, at_once)

    monkeypatch.setattr(disclosure_batches, "_protect_jointly", counted)
    monkeypatch.setattr(disclosure_directions, "PIECE_CELLS", 5)
    locality = np.random.default_rng(seed).integers(0, 3, len(names))
    outcome = protect_cells(matrix, numbers, sensitive, sensitive, weight, systems.LEVEL, 10**9,
                            localities=locality)
    assert len(solved) > 1 and max(solved) <= 5 and sum(solved) == len(names)
    systems.assert_protected(matrix, numbers, outcome.hidden, sensitive)


def test_progress_is_reported_cell_by_cell_in_the_per_cell_step(
        monkeypatch: pytest.MonkeyPatch) -> None:
    numbers, matrix, sensitive, weight = systems.many_tables(3)
    monkeypatch.setattr(disclosure_batches, "_protect_jointly",
                        lambda state, cells, at_once: (0, 0))
    seen: list[tuple[int, int]] = []
    protect_cells(matrix, numbers, sensitive, sensitive, weight, systems.LEVEL, 10**9,
                  progress=lambda step: (lambda done, total: seen.append((done, total)))
                  if step.endswith("per cel") else (lambda done, total: None))
    assert seen == [(done, int(sensitive.sum())) for done in range(int(sensitive.sum()))]


def _bestuur_across_two_gemeenten() -> tuple[list[str], np.ndarray, sp.csr_matrix,
                                              np.ndarray]:
    """Bestuur B has small school a1 in gemeente A and b1, b2 in gemeente B; swv W holds a1, a2
    and small a3 (gemeente A) and b1; bestuur C holds a2, a3 and c1 (gemeente A). Cut 1 puts
    each school with its own gemeente, B with gemeente B; cut 2 puts each school with its
    bestuur's gemeente (rows of `localities`)."""
    value = {"a1": 3.0, "a2": 30.0, "a3": 4.0, "b1": 20.0, "b2": 40.0, "c1": 50.0}
    value.update(B=value["a1"] + value["b1"] + value["b2"],
                 C=value["a2"] + value["a3"] + value["c1"],
                 W=value["a1"] + value["a2"] + value["a3"] + value["b1"])
    names = list(value)
    relations = [("B", ["a1", "b1", "b2"]), ("C", ["a2", "a3", "c1"]),
                 ("W", ["a1", "a2", "a3", "b1"])]
    # gemeente A = 0, B = 1 for        a1 a2 a3 b1 b2 c1 B  C  W
    cuts = np.array([[0, 0, 0, 1, 1, 0, 1, 0, 0],
                     [1, 0, 0, 1, 1, 0, 1, 0, 0]])
    matrix = systems.relation_matrix(names, relations)
    return names, np.array([value[n] for n in names]), matrix, cuts


def _protect_in_pieces(monkeypatch: pytest.MonkeyPatch, cuts: np.ndarray
                       ) -> tuple[set[int], list[int]]:
    """Protect the table above in pieces of at most 6 cells, one batch per side; returns the
    cells the cuts left uncovered, and those the per-cell step had to protect after the pass
    over the whole component."""
    names, numbers, matrix, _ = _bestuur_across_two_gemeenten()
    sensitive = primary_suppressed(numbers, systems.POLICY)
    weight = np.array([10.0 if n.isupper() else 1.0 for n in names])
    left: set[int] = set()
    per_cell: list[int] = []
    side, jointly = disclosure_protect._protect_side, disclosure_batches._protect_jointly
    monkeypatch.setattr(disclosure_protect, "_protect_side",
                        lambda state, cell, target: per_cell.append(int(cell))
                        or side(state, cell, target))
    monkeypatch.setattr(disclosure_batches, "_protect_jointly", lambda state, cells, at_once: (
        at_once and left.update(disclosure_protect._uncovered(state, cells).tolist()))
        or jointly(state, cells, at_once))
    monkeypatch.setattr(disclosure_directions, "PIECE_CELLS", 6)
    for name, value in (("BATCHES", 1), ("MAX_BATCHES", 1)):
        monkeypatch.setattr(disclosure_batches, name, value)
    outcome = protect_cells(matrix, numbers, sensitive, sensitive, weight, systems.LEVEL, 10**9,
                            localities=cuts)
    systems.assert_protected(matrix, numbers, outcome.hidden, sensitive)
    return left, per_cell


@pytest.mark.parametrize("cuts_used", [1, 2])
def test_what_one_cut_separates_the_next_solves_together(
        cuts_used: int, monkeypatch: pytest.MonkeyPatch) -> None:
    cuts = _bestuur_across_two_gemeenten()[3]
    left, per_cell = _protect_in_pieces(monkeypatch, cuts[:cuts_used])
    # Cut 1 leaves a1 apart from its bestuur's total and siblings; cut 2 brings them together,
    # and else the pass over the whole component protects it: no per-cell LP either way.
    assert left == (set() if cuts_used == 2 else {0}) and per_cell == []


def test_a_cell_its_piece_cannot_protect_leaves_the_others_of_its_batch_protected(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # a1 and a3 share the one batch of piece A in cut 1; only a1 needs gemeente B's cells.
    left, _ = _protect_in_pieces(monkeypatch, _bestuur_across_two_gemeenten()[3][:1])
    assert left == {0}


def test_each_cut_places_a_school_with_its_bestuurs_its_swvs_or_its_own_gemeente() -> None:
    schools = pd.DataFrame({"vestigingscode": ["01AA00", "02BB00", "03CC00"],
                            "wijkcode": ["WK003401", "WK003402", "WK005001"]})
    areas = pd.DataFrame({
        "level": ["school"] * 6,
        "area_code": ["01AA00", "02BB00", "03CC00"] * 2,
        "parent_level": ["bestuur"] * 3 + ["swv"] * 3,
        "parent_code": ["40001", "40001", "40001", "PO2401", "PO2401", "PO2400"]})
    cells = pd.DataFrame({"level": ["school", "school", "school", "bestuur", "swv", "wijk"],
                          "area_code": ["03CC00", "01AA00", "02BB00", "40001", "PO2400",
                                        "WK005001"]})
    cuts = localities(cells, areas, schools)
    # Ranked by swv region: Zeewolde (GM0050, region PO2400) before Almere (GM0034, PO2401).
    rank = {"GM0050": 0, "GM0034": 1}
    names = [[{r: g for g, r in rank.items()}[place] for place in cut] for cut in cuts]
    # bestuur 40001 has two schools in Almere: its school in Zeewolde goes with it in cut 1,
    # with its own swv (in Zeewolde) in cut 2 and with its own gemeente in cut 3.
    assert names[0] == ["GM0034", "GM0034", "GM0034", "GM0034", "GM0050", "GM0050"]
    assert names[1] == ["GM0050", "GM0034", "GM0034", "GM0034", "GM0050", "GM0050"]
    assert names[2] == ["GM0050", "GM0034", "GM0034", "GM0034", "GM0050", "GM0050"]


@pytest.mark.parametrize("beside_earlier", [True, False])
def test_beside_an_earlier_release_a_joint_batch_covers_what_it_can(
        beside_earlier: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    # T = a + b + c, U = a + z + d and z = K, where K is known from an earlier release (its
    # column is zero): z cannot move. With a and z in one batch, the strict joint LP fails;
    # beside an earlier release it is tried again soft, so only z is left to the per-cell LPs.
    names = ["T", "a", "b", "c", "K", "z", "U", "d"]
    numbers = np.array([30.0, 3, 12, 15, 2, 2, 25, 20])
    matrix = systems.relation_matrix(names, [("T", ["a", "b", "c"]), ("K", ["z"]),
                                             ("U", ["a", "z", "d"])])
    matrix = (matrix @ sp.diags(np.array([n != "K" for n in names], float))).tocsr()
    sensitive = np.isin(names, ["a", "z"])
    weight = np.array([10.0 if n.isupper() else 1.0 for n in names])
    for name in ("BATCHES", "MAX_BATCHES"):
        monkeypatch.setattr(disclosure_batches, name, 1)
    per_cell: list[str] = []
    side = disclosure_protect._protect_side
    monkeypatch.setattr(disclosure_protect, "_protect_side", lambda state, cell, target: (
        per_cell.append(names[cell]) or side(state, cell, target)))
    settled = np.zeros(len(names), bool) if beside_earlier else None
    protect_cells(matrix, numbers, sensitive, sensitive, weight, systems.LEVEL, 10**9,
                  settled=settled)
    assert ("a" in per_cell) is not beside_earlier
    assert "z" in per_cell
