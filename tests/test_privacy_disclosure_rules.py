"""Cell suppression rules: small counts hidden, and no hidden cell recoverable from the rest."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from privacy.disclosure_rules import DisclosurePolicy, primary_suppressed, suppress

POLICY = DisclosurePolicy(min_count=8, hide_zero=True, round_to=5)


def _frames(counts: dict, relations: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """counts: cell -> count; relations: group -> (total cell, member cells)."""
    cells = pd.DataFrame({"cell_id": list(counts), "count": list(counts.values())})
    groups = pd.DataFrame([{"group_id": g, "total_cell": total, "member_cell": m}
                           for g, (total, members) in relations.items() for m in members])
    return cells, groups


def _feasible_ranges(values: dict, hidden: set, relations: dict) -> dict:
    """What an attacker learns: min and max of each hidden cell over every non-negative table
    that agrees with the shown cells and all additive relations (two linear programs each)."""
    order = sorted(hidden, key=str)
    column = {c: i for i, c in enumerate(order)}
    rows, rhs = [], []
    for total, members in relations.values():
        row, known = np.zeros(len(order)), 0.0
        for cell, sign in [*((m, 1.0) for m in members), (total, -1.0)]:
            if cell in hidden:
                row[column[cell]] += sign
            else:
                known += sign * values[cell]
        if row.any():
            rows.append(row)
            rhs.append(-known)
    ranges = {}
    for cell, i in column.items():
        objective = np.zeros(len(order))
        objective[i] = 1.0
        a_eq = np.array(rows) if rows else None
        b_eq = np.array(rhs) if rows else None
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        assert low.status == 0, "the published table must be consistent"
        ranges[cell] = (low.fun, np.inf if high.status == 3 else -high.fun)
    return ranges


def _random_register(seed: int) -> tuple[dict, dict]:
    """Schools in besturen and, crossing those, in swv's; both add up to one gemeente total."""
    rng = np.random.default_rng(seed)
    n_schools = int(rng.integers(8, 40))
    schools = {f"school{i:02d}": int(c) for i, c in
               enumerate(rng.choice([0, 0, 1, 3, 5, 7, 8, 9, 12, 25, 60], n_schools))}
    counts, relations = dict(schools), {}
    for prefix, n_parents in (("bestuur", int(rng.integers(1, 8))), ("swv", 3)):
        parent_of = {s: f"{prefix}{rng.integers(0, n_parents)}" for s in schools}
        for parent in sorted(set(parent_of.values())):
            members = [s for s, p in parent_of.items() if p == parent]
            counts[parent] = sum(schools[m] for m in members)
            relations[f"{parent}-scholen"] = (parent, members)
        relations[f"gemeente-{prefix}"] = ("gemeente", sorted(set(parent_of.values())))
    counts["gemeente"] = sum(schools.values())
    return counts, relations


def test_primary_rule_hides_counts_below_the_threshold_and_zero_only_when_asked() -> None:
    counts = np.array([0, 1, 7, 8, 9, 20])
    assert primary_suppressed(counts, POLICY).tolist() == [True, True, True, False, False, False]
    show_zero = DisclosurePolicy(min_count=8, hide_zero=False, round_to=5)
    assert primary_suppressed(counts, show_zero).tolist() == [
        False, True, True, False, False, False]
    stricter = DisclosurePolicy(min_count=10, hide_zero=True, round_to=5)
    assert primary_suppressed(counts, stricter).tolist() == [True, True, True, True, True, False]


@pytest.mark.parametrize(("changes", "key"), [
    ({"min_count": None}, "min_count"),
    ({"hide_zero": None}, "hide_zero"),
    ({"round_to": None}, "round_to"),
    ({"min_count": "8"}, "min_count"),
    ({"min_count": -1}, "min_count"),
    ({"hide_zero": "ja"}, "hide_zero"),
    ({"round_to": 0}, "round_to"),
])
def test_a_missing_or_invalid_policy_setting_is_named_in_the_error(changes: dict, key: str
                                                                    ) -> None:
    settings = {"min_count": 8, "hide_zero": True, "round_to": 5, **changes}
    settings = {k: v for k, v in settings.items() if v is not None}
    with pytest.raises(ValueError, match=key):
        DisclosurePolicy.from_mapping(settings)


def test_the_smallest_published_member_is_hidden_next_to_a_small_one() -> None:
    cells, groups = _frames({"total": 63, "small": 3, "large": 40, "medium": 20},
                            {"g": ("total", ["small", "large", "medium"])})
    assert suppress(cells, groups, POLICY).to_dict() == {
        "total": None, "small": "klein_aantal", "large": None, "medium": "secundair"}


def test_a_member_that_also_protects_a_crossing_group_is_preferred_over_the_smallest() -> None:
    # 'shared' is a school in both the bestuur and the swv, each with one small school.
    counts = {"bestuur": 63, "swv": 83, "small_b": 3, "small_w": 3, "shared": 50,
              "other_b": 10, "other_w": 30}
    cells, groups = _frames(counts, {"bestuur": ("bestuur", ["small_b", "shared", "other_b"]),
                                     "swv": ("swv", ["small_w", "shared", "other_w"])})
    reasons = suppress(cells, groups, POLICY)
    assert reasons[reasons == "secundair"].index.tolist() == ["shared"]


def test_a_group_with_one_member_shows_both_cells_or_hides_both() -> None:
    cells, groups = _frames({"bestuur": 12, "school": 3}, {"g": ("bestuur", ["school"])})
    assert suppress(cells, groups, POLICY).to_dict() == {
        "bestuur": "secundair", "school": "klein_aantal"}
    cells, groups = _frames({"bestuur": 12, "school": 12}, {"g": ("bestuur", ["school"])})
    assert suppress(cells, groups, POLICY).isna().all()


def test_suppression_does_not_depend_on_the_order_of_the_rows() -> None:
    counts, relations = _random_register(seed=7)
    cells, groups = _frames(counts, relations)
    expected = suppress(cells, groups, POLICY)
    shuffled = suppress(cells.sample(frac=1, random_state=1), groups.sample(frac=1,
                                                                            random_state=2), POLICY)
    assert shuffled.reindex(expected.index).equals(expected)
    assert (expected == "secundair").any()  # ties really had to be broken


def test_raising_min_count_hides_more_cells() -> None:
    counts = {"total": 60, "a": 3, "b": 9, "c": 12, "d": 36}
    cells, groups = _frames(counts, {"g": ("total", ["a", "b", "c", "d"])})

    def hidden(min_count: int) -> dict:
        reasons = suppress(cells, groups, DisclosurePolicy(min_count, True, 5))
        return reasons.dropna().to_dict()

    assert hidden(8) == {"a": "klein_aantal", "b": "secundair"}
    assert hidden(10) == {"a": "klein_aantal", "b": "klein_aantal"}
    assert hidden(13) == {"a": "klein_aantal", "b": "klein_aantal", "c": "klein_aantal"}
    assert hidden(2) == {}


@pytest.mark.parametrize("hide_zero", [True, False])
@pytest.mark.parametrize("min_count", [5, 8, 11])
@pytest.mark.parametrize("seed", range(8))
def test_no_hidden_cell_can_be_recovered_from_shown_cells_and_totals(
        seed: int, min_count: int, hide_zero: bool) -> None:
    counts, relations = _random_register(seed)
    policy = DisclosurePolicy(min_count, hide_zero, 5)
    cells, groups = _frames(counts, relations)
    reasons = suppress(cells, groups, policy)
    hidden = set(reasons.dropna().index)
    small = {c for c, v in counts.items() if v < min_count and (v > 0 or hide_zero)}
    assert {c for c in hidden if reasons[c] == "klein_aantal"} == small
    for total, members in relations.values():
        group = [total, *members]
        assert sum(c in hidden for c in group) != 1, group
    for cell, (low, high) in _feasible_ranges(counts, hidden, relations).items():
        assert low <= counts[cell] <= high
        assert high - low > 0, f"{cell} = {counts[cell]} is recoverable"


def test_a_relation_that_names_an_unknown_cell_is_refused() -> None:
    cells, groups = _frames({"total": 20, "a": 20}, {"g": ("total", ["a", "missing"])})
    with pytest.raises(ValueError, match="missing"):
        suppress(cells, groups, POLICY)
