"""Disclosure policy and secondary suppression with protection intervals, on tiny tables."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

import privacy.disclosure_batches as disclosure_batches
import privacy.disclosure_directions as disclosure_directions
from pipelines.console import Console
from privacy.disclosure_protect import protect_cells
from privacy.disclosure_rules import DisclosureError, DisclosurePolicy, primary_suppressed
from privacy.lp import LpFailed
from tests.disclosure_systems import (
    LEVEL,
    POLICY,
    assert_protected,
    crossing_hierarchies,
    many_tables,
    relation_matrix,
)

MONITOR_TOML = Path(__file__).resolve().parents[1] / "monitor.toml"


def _table_2x3(small: float = 3.0) -> tuple[list[str], np.ndarray, sp.csr_matrix]:
    inner = {"a1": small, "a2": 20, "a3": 30, "b1": 25, "b2": 15, "b3": 40}
    value = dict(inner)
    value.update({"A": sum(v for k, v in inner.items() if k[0] == "a"),
                  "B": sum(v for k, v in inner.items() if k[0] == "b")})
    for col in "123":
        value[f"T{col}"] = inner[f"a{col}"] + inner[f"b{col}"]
    value["T"] = value["A"] + value["B"]
    names = list(value)
    relations = [("A", ["a1", "a2", "a3"]), ("B", ["b1", "b2", "b3"]),
                 *((f"T{c}", [f"a{c}", f"b{c}"]) for c in "123"), ("T", ["A", "B"]),
                 ("T", ["T1", "T2", "T3"])]
    return names, np.array([value[n] for n in names], float), relation_matrix(names, relations)


def _protect(names: list[str], value: np.ndarray, matrix: sp.csr_matrix,
             sensitive: np.ndarray, virtual: np.ndarray | None = None):
    virtual = np.zeros(len(names), bool) if virtual is None else virtual
    weight = np.array([10.0 if n.isupper() else 1.0 for n in names])
    return protect_cells(matrix, value, sensitive, sensitive | virtual, weight, LEVEL, 10**9)


def test_primary_rule_hides_counts_below_the_threshold_and_zero_only_when_asked() -> None:
    counts = np.array([0, 1, 7, 8, 9, 20])
    assert primary_suppressed(counts, POLICY).tolist() == [True, True, True, False, False, False]
    show_zero = DisclosurePolicy(min_count=8, hide_zero=False, round_to=5)
    assert primary_suppressed(counts, show_zero).tolist() == [
        False, True, True, False, False, False]


def test_policy_is_read_from_the_disclosure_section_of_monitor_toml() -> None:
    section = tomllib.loads(MONITOR_TOML.read_text(encoding="utf-8"))["disclosure"]
    policy = DisclosurePolicy.from_mapping(section)
    assert (policy.min_count, policy.protection_level, policy.lp_budget) == (
        section["min_count"], section["protection_level"], section["lp_budget"])
    assert policy.loss_weights == section["loss_weights"]


@pytest.mark.parametrize(("changes", "key"), [
    ({"min_count": None}, "min_count"), ({"protection_level": -1}, "protection_level"),
    ({"hide_zero": "ja"}, "hide_zero"), ({"round_to": 0}, "round_to"),
    ({"lp_budget": 1.5}, "lp_budget"), ({"milp_max_size": -1}, "milp_max_size"),
    ({"milp_node_limit": 0}, "milp_node_limit"), ({"loss_weights": {"school": 1}}, "loss_weights"),
])
def test_a_missing_or_invalid_policy_setting_is_named_in_the_error(changes: dict, key: str
                                                                    ) -> None:
    section = tomllib.loads(MONITOR_TOML.read_text(encoding="utf-8"))["disclosure"]
    settings = {k: v for k, v in {**section, **changes}.items() if v is not None}
    with pytest.raises(ValueError, match=key):
        DisclosurePolicy.from_mapping(settings)


def test_one_small_cell_in_a_2x3_table_gets_secondary_suppressions() -> None:
    names, value, matrix = _table_2x3()
    sensitive = np.array([n == "a1" for n in names])
    outcome = _protect(names, value, matrix, sensitive)
    assert outcome.secondary.sum() >= 3  # a rectangle: a1's row partner, column partner, corner
    assert not outcome.hidden[names.index("T")]  # the grand total costs more than inner cells
    assert_protected(matrix, value, outcome.hidden, sensitive)


def test_the_range_of_a_small_cell_is_at_least_the_protection_level_on_both_sides() -> None:
    # 7 can be derived to lie in [0, 10] if only its row partner (10) is hidden: too narrow.
    names, value, matrix = _table_2x3(small=7.0)
    value[names.index("a2")] = 10.0
    value[names.index("A")] = value[names.index("a1")] + 10 + value[names.index("a3")]
    value[names.index("T2")] = 10 + value[names.index("b2")]
    value[names.index("T")] = value[names.index("A")] + value[names.index("B")]
    sensitive = np.array([n == "a1" for n in names])
    outcome = _protect(names, value, matrix, sensitive)
    assert_protected(matrix, value, outcome.hidden, sensitive)


def test_a_small_complement_is_protected_like_a_small_count() -> None:
    # School s: 33 of 39 pupils with a diploma, so 6 without (a virtual, never published cell).
    names = ["num_s", "den_s", "comp_s", "num_t", "den_t", "comp_t", "num_b", "den_b",
             "comp_b"]
    value = np.array([33, 39, 6, 50, 80, 30, 83, 119, 36], float)
    matrix = relation_matrix(names, [("den_s", ["num_s", "comp_s"]), ("den_t", ["num_t", "comp_t"]),
                                ("den_b", ["num_b", "comp_b"]), ("num_b", ["num_s", "num_t"]),
                                ("den_b", ["den_s", "den_t"]), ("comp_b", ["comp_s", "comp_t"])])
    virtual = np.array([n.startswith("comp") for n in names])
    sensitive = np.array([n == "comp_s" for n in names])
    outcome = _protect(names, value, matrix, sensitive, virtual)
    # else 39 - 33 gives the 6 away
    assert outcome.hidden[names.index("num_s")] or outcome.hidden[names.index("den_s")]
    assert_protected(matrix, value, outcome.hidden, sensitive)


def test_a_hidden_zero_can_rise_by_the_protection_level() -> None:
    names, value, matrix = _table_2x3(small=0.0)
    value[names.index("A")] = 50
    value[names.index("T1")] = 25
    value[names.index("T")] = value[names.index("A")] + value[names.index("B")]
    sensitive = np.array([n == "a1" for n in names])
    outcome = _protect(names, value, matrix, sensitive)
    assert_protected(matrix, value, outcome.hidden, sensitive)


@pytest.mark.parametrize("seed", range(6))
def test_random_crossing_hierarchies_leave_every_small_cell_protected(seed: int) -> None:
    names, numbers, matrix = crossing_hierarchies(seed)
    sensitive = primary_suppressed(numbers, POLICY)
    outcome = _protect(names, numbers, matrix, sensitive)
    assert_protected(matrix, numbers, outcome.hidden, sensitive)


def test_a_failing_solver_stops_with_a_dutch_message(monkeypatch: pytest.MonkeyPatch) -> None:
    def failed(*args, **kwargs):
        raise LpFailed("Numerical difficulties")

    monkeypatch.setattr(disclosure_directions, "minimise", failed)
    names, value, matrix = _table_2x3()
    with pytest.raises(DisclosureError, match="Onthullingsbeheer gestopt.*niets gepubliceerd"):
        _protect(names, value, matrix, np.array([n == "a1" for n in names]))


def test_the_same_tables_give_the_same_suppressions_on_one_thread_or_several() -> None:
    numbers, matrix, sensitive, weight = many_tables(12)
    outcomes = [protect_cells(matrix, numbers, sensitive, sensitive, weight, LEVEL, 10**9,
                              workers) for workers in (1, 3, 3)]
    assert outcomes[0].secondary.any()
    for other in outcomes[1:]:
        assert np.array_equal(other.hidden, outcomes[0].hidden)
        assert (other.lps, other.lp_cells) == (outcomes[0].lps, outcomes[0].lp_cells)


def test_a_spent_budget_hides_the_rest_of_each_component_whole(
        monkeypatch: pytest.MonkeyPatch) -> None:
    numbers, matrix, sensitive, weight = many_tables(4)
    # Without the joint step every sensitive cell needs its own LPs, which the budget counts.
    monkeypatch.setattr(disclosure_batches, "_protect_jointly",
                        lambda state, cells, at_once: (0, 0))
    ample = protect_cells(matrix, numbers, sensitive, sensitive, weight, LEVEL, 10**9)
    spent = protect_cells(matrix, numbers, sensitive, sensitive, weight, LEVEL, 0)
    assert ample.fallback_cells == 0 and ample.lps > 0
    assert spent.fallback_cells > 0 and spent.hidden.sum() > ample.hidden.sum()
    # Every component holding a sensitive cell is hidden whole: nothing is left to derive from.
    reached = abs(matrix).T @ abs(matrix)
    for cell in np.flatnonzero(sensitive):
        assert spent.hidden[reached[cell].indices].all()
    assert_protected(matrix, numbers, spent.hidden, sensitive)


def test_progress_is_reported_as_components_finish() -> None:
    numbers, matrix, sensitive, weight = many_tables(6)
    seen: list[tuple[int, int]] = []
    protect_cells(matrix, numbers, sensitive, sensitive, weight, LEVEL, 10**9, 2,
                  lambda step: (lambda done, total: seen.append((done, total)))
                  if step == "secundaire onderdrukking, samen" else (lambda done, total: None))
    done = [d for d, _ in seen]
    assert len(seen) > 1 and done == sorted(done) and seen[-1][0] == seen[-1][1]


def test_the_console_prints_each_further_tenth_of_long_work_in_dutch() -> None:
    printed: list[str] = []
    report = Console(echo=lambda text, **_: printed.append(text)).share_done("onderdrukking")
    for done in (5, 12, 13, 55, 100):
        report(done, 100)
    assert [line.split(" (")[0].strip() for line in printed] == [
        "onderdrukking: 10%", "onderdrukking: 50%"]
