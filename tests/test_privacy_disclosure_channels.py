"""What is published beside a value must not give it away: each channel attacked on a tiny
hand-built table, through the real `protect` and the test-side attacker."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import privacy.disclosure as disclosure
import privacy.disclosure_relations as disclosure_relations
from indicators.catalogue import load_catalogue
from indicators.coverage import hide_low_coverage
from privacy.disclosure import protect
from privacy.disclosure_relations import build_system
from privacy.disclosure_releases import commit
from privacy.disclosure_rules import dominated
from settings import Indicators
from tests.attacker import (
    Attack,
    build_attack,
    pinned_violations,
    ranges,
    violations,
)
from tests.attacker_releases import joint_attack
from tests.disclosure_tables import mart, policy, publish_to, write_published

YEAR = "2024-2025"
# School A (3 of 40 pupils, small) and B (9 of 60) of bestuur X (12 of 100): hiding A needs one
# more hidden cell, and a costly bestuur makes that B.
REASON_ROWS = [("jeugdhulp_leerlingen", "school", "A", YEAR, 3, 40),
               ("jeugdhulp_leerlingen", "school", "B", YEAR, 9, 60),
               ("jeugdhulp_leerlingen", "bestuur", "X", YEAR, 12, 100)]
TWO_SCHOOLS = [("school", "A", "bestuur", "X"), ("school", "B", "bestuur", "X"),
               ("bestuur", "X", None, None)]
COSTLY_BESTUUR = policy(loss_weights={"school": 1, "bestuur": 100, "swv": 100, "wijk": 1,
                                      "gemeente": 100, "regio": 100})


def _leaks(path: Path) -> set[str]:
    """Hidden counts an attacker narrows below the protection level (LP ranges of all)."""
    attack = build_attack(str(path))
    cells = attack.cells
    hidden = cells.index[cells["value"].isna() & cells["present"]].to_numpy()
    found = violations(ranges(attack, hidden), 8, 8, attack)
    return set(found["area_code"] + ":" + found["measure"])


def test_one_marker_for_every_hidden_figure_tells_the_attacker_nothing(tmp_path: Path) -> None:
    con = mart(REASON_ROWS, TWO_SCHOOLS)
    published = publish_to(con, COSTLY_BESTUUR, tmp_path / "published.duckdb")
    reasons = con.sql("SELECT area_code, suppression_reason FROM publish.indicator_values "
                      "ORDER BY 1").fetchall()
    assert reasons == [("A", "afgeschermd"), ("B", "afgeschermd"), ("X", None)]
    assert _leaks(published) == set()
    # The two reasons published before (A small, B secundair: so B >= 8, and A = 12 - B <= 4).
    con.execute("UPDATE publish.indicator_values SET suppression_reason = CASE area_code "
                "WHEN 'A' THEN 'klein_aantal' ELSE 'secundair' END WHERE suppressed")
    write_published(con, tmp_path / "two_reasons.duckdb")
    assert "A:jeugdhulp_leerlingen.numerator" in _leaks(tmp_path / "two_reasons.duckdb")


def test_low_coverage_is_marked_by_the_coverage_alone(tmp_path: Path) -> None:
    # A (small) and B both of low coverage. Were lage_dekking given only where disclosure
    # control let the count through, it would tell that B is not small.
    con = mart(REASON_ROWS, TWO_SCHOOLS, coverage={("school", "A", YEAR): 0.3,
                                                    ("school", "B", YEAR): 0.3,
                                                    ("bestuur", "X", YEAR): 0.9})
    publish_to(con, COSTLY_BESTUUR, tmp_path / "p.duckdb")
    hide_low_coverage(con, Indicators(min_dekking=0.5))
    reasons = dict(con.sql("SELECT area_code, suppression_reason FROM publish.indicator_values"
                           ).fetchall())
    assert reasons == {"A": "lage_dekking", "B": "lage_dekking", "X": None}


# Thuiszitters per gemeente of a regio and by duur (kort, midden, lang: published at gemeente
# and regio only); the catalogue makes duur a split of thuiszitters. W1: all 12 of its
# thuiszitters were long-term, so kort and midden are 0.
DUUR = {"W1": (12, 0, 0, 12, 300), "W2": (30, 10, 10, 10, 400), "W3": (30, 10, 10, 10, 400),
        "W4": (30, 10, 10, 10, 400), "G": (102, 30, 30, 42, 1500)}
WIJKEN = [*(("gemeente", w, "regio", "G") for w in ("W1", "W2", "W3", "W4")),
          ("regio", "G", None, None)]


def _duur_rows() -> list[tuple]:
    ids = ("thuiszitters", "thuiszitters_duur_kort", "thuiszitters_duur_midden",
           "thuiszitters_duur_lang")
    return [(indicator, "regio" if area == "G" else "gemeente", area, YEAR, figures[n],
             figures[4]) for area, figures in DUUR.items() for n, indicator in enumerate(ids)]


def test_the_categories_of_a_split_adding_up_to_their_total_are_in_the_model(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    published = publish_to(mart(_duur_rows(), WIJKEN), policy(), tmp_path / "split.duckdb")
    assert _leaks(published) == set()
    # Without the split in the model: kort + midden = 12 - 12 in W1, so both are pinned at 0.
    monkeypatch.setattr(disclosure_relations, "split_relations",
                        lambda cells, merged, indicators: (pd.DataFrame(
                            columns=["key", "cell", "coef"]), cells.iloc[:0]))
    unsplit = publish_to(mart(_duur_rows(), WIJKEN), policy(), tmp_path / "unsplit.duckdb")
    assert {"W1:thuiszitters_duur_kort.numerator",
            "W1:thuiszitters_duur_midden.numerator"} <= _leaks(unsplit)


# Schools A (3 resident pupils: small) and B (40) of bestuur X; B has 80 pupils (public, DUO)
# and thuiszitters, shown, with B's coverage 0.5 beside them.
COVERAGE_ROWS = [("jeugdhulp_leerlingen", "school", "A", YEAR, 1, 3),
                 ("jeugdhulp_leerlingen", "school", "B", YEAR, 10, 40),
                 ("jeugdhulp_leerlingen", "bestuur", "X", YEAR, 11, 43),
                 ("thuiszitters", "school", "B", YEAR, 10, 30),
                 ("thuiszitters", "bestuur", "X", YEAR, 10, 30)]
PUPILS = pd.DataFrame({"level": ["school", "school", "bestuur"], "area_code": ["A", "B", "X"],
                       "period": YEAR, "pupils": [10, 80, 90]})
SHARES = {("school", "A", YEAR): 0.3, ("school", "B", YEAR): 0.5,
          ("bestuur", "X", YEAR): 43 / 90}


def _coverage_leaks(path: Path) -> set[str]:
    attack = build_attack(str(path), pupils=PUPILS)
    cells = attack.cells
    hidden = cells.index[cells["value"].isna() & cells["present"]].to_numpy()
    found = violations(ranges(attack, hidden), 8, 8, attack)
    absent = cells.index[cells["value"].isna() & ~cells["present"] & cells["counts"]]
    found = [found, violations(ranges(attack, absent.to_numpy()), 8, 8, attack)]
    return set(pd.concat(found)["area_code"] + ":" + pd.concat(found)["measure"])


def test_coverage_beside_a_hidden_resident_count_is_withheld(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    con = mart(COVERAGE_ROWS, TWO_SCHOOLS, coverage=SHARES)
    published = publish_to(con, policy(), tmp_path / "coverage.duckdb")
    # B's resident count is hidden to protect A's: B's thuiszitters row shows no coverage.
    assert con.sql("SELECT coverage FROM publish.indicator_values WHERE area_code = 'B' "
                   "AND indicator_id = 'thuiszitters'").fetchall() == [(None,)]
    assert _coverage_leaks(published) == set()
    # Coverage printed beside it: B's residents = 0.5 * 80 = 40, so A's = 43 - 40 = 3.
    monkeypatch.setattr(disclosure, "_withhold_coverage", lambda values, *_: values)
    shown = publish_to(mart(COVERAGE_ROWS, TWO_SCHOOLS, coverage=SHARES), policy(),
                       tmp_path / "shown.duckdb")
    assert "A:jeugdhulp_leerlingen.denominator" in _coverage_leaks(shown)


def test_the_p_percent_rule_flags_a_sum_one_client_dominates() -> None:
    # 9 clients, € 97.626,49, one of them 71%: the second largest learns the largest to 4%.
    assert dominated([97_626.49], [69_314.81], [24_400.0], 10).tolist() == [True]
    assert dominated([97_626.49], [20_000.0], [15_000.0], 10).tolist() == [False]
    assert dominated([97_626.49], [69_314.81], [24_400.0], 0).tolist() == [False]  # rule off


COSTS = "jeugdhulp_kosten_per_traject"
# A: € 10.000 over 10 clients, one of them € 9.500 (dominated); B and X: no client dominates.
COST_ROWS = [(COSTS, "school", "A", YEAR, 10_000, 10), (COSTS, "school", "B", YEAR, 20_000, 20),
             (COSTS, "bestuur", "X", YEAR, 30_000, 30)]
TOP = {(COSTS, "school", "A", YEAR): {"grootste": 9_500, "tweede": 100},
       (COSTS, "school", "B", YEAR): {"grootste": 2_000, "tweede": 1_900},
       (COSTS, "bestuur", "X", YEAR): {"grootste": 9_500, "tweede": 2_000}}


@pytest.mark.parametrize("p", [10, 0])
def test_a_cost_sum_one_client_dominates_is_hidden_and_not_derivable(
        tmp_path: Path, p: int) -> None:
    con = mart(COST_ROWS, TWO_SCHOOLS, extra=TOP)
    published = publish_to(con, policy(dominance_p=p), tmp_path / "costs.duckdb")
    shown = con.sql(f"SELECT area_code FROM publish.indicator_values WHERE indicator_id = "
                    f"'{COSTS}' AND NOT suppressed").fetchall()
    if p == 0:  # the rule off: A's sum is printed, and tells B's client about A's
        assert ("A",) in shown
        return
    assert shown == [("X",)]
    attack = build_attack(str(published))
    assert pinned_violations(attack, 8, 8).empty
    sums = attack.cells[attack.cells["measure"] == f"{COSTS}.numerator"]
    found = ranges(attack, sums.index[sums["value"].isna()].to_numpy())
    a = found[found["area_code"] == "A"].iloc[0]
    # The attacker's range for A's sum is at least the whole bestuur's: nothing pins it.
    assert (a["low"], a["high"]) == (0.0, 30_000.0)


def test_no_published_amount_of_a_median_is_one_childs_cost(tmp_path: Path) -> None:
    # Bestuur X, 9 clients: median € 2.608,89 within [€ 1.191,82, € 2.893,35], each an amount
    # of one child (order statistics).
    median = "jeugdhulp_kosten_mediaan"
    rows = [(median, "school", "A", YEAR, 23_000, 9), (median, "bestuur", "X", YEAR, 23_000, 9)]
    amounts = {"value": 2_608.89, "ci_low": 1_191.82, "ci_high": 2_893.35}
    con = mart(rows, [("school", "A", "bestuur", "X"), ("bestuur", "X", None, None)],
               extra={(median, level, area, YEAR): amounts
                      for level, area in (("school", "A"), ("bestuur", "X"))})
    publish_to(con, policy(), tmp_path / "median.duckdb")
    value, low, high = con.sql(f"SELECT value, ci_low, ci_high FROM publish.indicator_values "
                               f"WHERE indicator_id = '{median}' AND area_code = 'X'").fetchall()[0]
    assert (value, low, high) == (2_600.0, 1_100.0, 2_900.0)
    assert not {value, low, high} & set(amounts.values())


# School A's youth care by hulpvorm: 01 € 10.000 over 20 records of 12 clients, one of them
# € 9.500 (dominated, though far from a small group); 02 and 03 spread over many clients.
HULPVORM = [("hulpvorm", "01", "school", "A", YEAR, 20, 12, 10_000, 9_500, 100),
            ("hulpvorm", "02", "school", "A", YEAR, 30, 20, 12_000, 900, 800),
            ("hulpvorm", "03", "school", "A", YEAR, 25, 15, 11_000, 1_000, 900),
            ("hulpvorm", "totaal", "school", "A", YEAR, 75, 40, 33_000, 9_500, 900)]


@pytest.mark.parametrize("p", [10, 0])
def test_a_breakdown_cost_one_client_dominates_is_hidden_and_not_derivable(
        tmp_path: Path, p: int) -> None:
    con = mart([("jeugdhulp_leerlingen", "school", "A", YEAR, 40, 100)],
               [("school", "A", None, None)], breakdowns=HULPVORM)
    published = publish_to(con, policy(dominance_p=p), tmp_path / "breakdown.duckdb")
    shown = dict(con.sql("SELECT category, kosten FROM publish.breakdowns").fetchall())
    assert not {"grootste", "tweede"} & set(con.sql("SELECT * FROM publish.breakdowns").columns)
    if p == 0:  # the rule off: 01's sum is printed, and tells the second client the largest
        assert shown["01"] == 10_000
        return
    assert "01" not in shown and shown["totaal"] == 33_000
    attack = build_attack(str(published))
    assert pinned_violations(attack, 8, 8).empty
    cells = attack.cells
    hidden = cells[(cells["measure"] == "hulpvorm|01") & (cells["area_code"] == "A")
                   & (cells["period"] == YEAR)]
    found = ranges(attack, hidden.index.to_numpy()).iloc[0]
    # 01 is hidden with another category: the attacker learns only their sum.
    assert found["low"] == 0 and found["high"] > 10_000 * 1.1


YEARS = ("2022-2023", "2023-2024", "2024-2025")
POOLED = "2022-2023 t/m 2024-2025"


def _release(last_year: int) -> list[tuple]:
    """School A's pupils with youth care: 20 and 20 in the closed years, `last_year` in the
    open one, and the multi-year figure; 100 pupils a year."""
    numbers = (20, 20, last_year)
    return [*(("jeugdhulp_leerlingen", "school", "A", year, n, 100)
              for year, n in zip(YEARS, numbers, strict=True)),
            ("jeugdhulp_leerlingen", "school", "A", POOLED, sum(numbers), 300)]


def _two_releases(tmp_path: Path, releases: Path | None) -> Attack:
    """Publish with 8 in the open year, then with 7 (a withdrawn record); attack both."""
    paths = []
    for number, last_year in enumerate((8, 7)):
        con = mart(_release(last_year), [("school", "A", None, None)], pooled=POOLED)
        paths.append(publish_to(con, policy(), tmp_path / f"r{number}.duckdb",
                                releases=releases))
    return joint_attack([build_attack(str(path)) for path in paths])


def test_two_releases_side_by_side_pin_nothing(tmp_path: Path) -> None:
    attack = _two_releases(tmp_path, tmp_path / "onthulling")
    assert pinned_violations(attack, 8, 8).empty
    cells = attack.cells
    hidden = cells.index[cells["value"].isna() & cells["present"]].to_numpy()
    assert violations(ranges(attack, hidden), 8, 8, attack).empty
    # Each release alone protected: the second hides a closed year (cheaper than the
    # multi-year figure), which the first showed: 47 - 20 - 20 = 7.
    alone = _two_releases(tmp_path, None)
    leaked = pinned_violations(alone, 8, 8)
    assert (leaked["period"] == YEARS[-1]).any() and (leaked["derived"] == 7).any()


def test_three_releases_side_by_side_pin_nothing_and_the_oldest_are_dropped(
        tmp_path: Path) -> None:
    # Three meetings' frozen figures (9, 8, then 7 in the open year: records withdrawn),
    # protected jointly with every kept release; with joint_releases 2 the third run drops the
    # first (its figures are no longer protected beside a new one).
    releases, paths = tmp_path / "onthulling", []
    outcomes = []
    for number, last_year in enumerate((9, 8, 7)):
        con = mart(_release(last_year), [("school", "A", None, None)], pooled=POOLED)
        outcomes.append(protect(con, policy(joint_releases=2), releases=releases))
        paths.append(tmp_path / f"r{number}.duckdb")
        write_published(con, paths[-1])
        commit(releases)
    assert [o["eerdere_publicaties"] for o in outcomes] == [0, 1, 2]
    assert sorted(p.name for p in (releases / "versies").iterdir()) == ["000002", "000003"]
    attack = joint_attack([build_attack(str(path)) for path in paths])
    assert pinned_violations(attack, 8, 8).empty
    cells = attack.cells
    hidden = cells.index[cells["value"].isna() & cells["present"]].to_numpy()
    assert len(hidden) and violations(ranges(attack, hidden), 8, 8, attack).empty


def test_a_split_whose_members_overlap_gets_an_overlap_and_a_rest_per_member(
        tmp_path: Path) -> None:
    # thuiszitters by soort: 3 of W2's 30 were both, so the soorten add up to 33.
    soort = ("thuiszitters_soort_absoluut", "thuiszitters_soort_langdurig_relatief")
    figures = {"W1": (12, 0, 12, 300), "W2": (30, 20, 13, 400), "W3": (30, 15, 15, 400),
               "W4": (30, 15, 15, 400), "G": (102, 50, 55, 1500)}
    rows = [(indicator, "gemeente" if area == "G" else "wijk", area, YEAR, f[n], f[3])
            for area, f in figures.items()
            for n, indicator in enumerate(("thuiszitters", *soort))]
    con = mart(rows, WIJKEN)
    values = con.sql("SELECT * FROM mart.indicator_values").df()
    system = build_system(values, con.sql("SELECT * FROM mart.breakdowns").df(),
                          con.sql("SELECT * FROM mart.areas").df(),
                          {i.id: i for i in load_catalogue()[0]}, set())
    extra = system.cells[system.cells["quantity"].str.startswith("split:")]
    overlap = extra[extra["quantity"].str.endswith("overlap")]
    assert dict(zip(overlap["area_code"], overlap["value"], strict=True)) == {
        "W1": 0, "W2": 3, "W3": 0, "W4": 0, "G": 3}
    assert len(extra) - len(overlap) == 10 and extra["virtual"].all()  # a rest per member
    # Published twice in a row (the second beside the first): every key of the cells is one.
    releases = tmp_path / "onthulling"
    for number in range(2):
        publish_to(mart(rows, WIJKEN), policy(), tmp_path / f"r{number}.duckdb", releases)
    assert _leaks(tmp_path / "r1.duckdb") == set()


def test_a_release_with_nothing_changed_keeps_its_pattern_without_solving_again(
        tmp_path: Path) -> None:
    releases, outcomes, patterns = tmp_path / "onthulling", [], []
    for _ in range(2):
        con = mart(REASON_ROWS, TWO_SCHOOLS)
        outcomes.append(protect(con, COSTLY_BESTUUR, releases=releases))
        commit(releases)
        patterns.append(con.sql("SELECT area_code, suppressed FROM publish.indicator_values "
                                "ORDER BY 1").fetchall())
    assert patterns[0] == patterns[1]
    assert outcomes[0]["milp_componenten"] == 1
    assert outcomes[1]["milp_componenten"] + outcomes[1]["lp_problemen"] == 0
    assert outcomes[1]["bevroren"] > 0
