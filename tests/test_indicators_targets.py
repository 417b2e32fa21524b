"""Targets agreed in the OOGO: checked on load, a trajectory and a status for every period."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml

from indicators.targets import TargetsError, evaluate, load_targets
from tests.conftest import SampleRun

BASE = {"id": "sk", "indicator": "startkwalificatie", "level": "gemeente", "area_code": "GM0034",
        "basis_periode": "2021-2022", "basis_waarde": "berekend", "doel_relatief": 0.25,
        "doel_periode": "2025-2026", "afgesproken_in": "OOGO Almere",
        "afgesproken_op": "2022-03-15"}


def _write(tmp_path: Path, *entries: dict) -> Path:
    path = tmp_path / "doelen.yaml"
    path.write_text(yaml.safe_dump({"doelen": list(entries)}), encoding="utf-8")
    return path


def _values(*pairs: tuple[str, float | None]) -> pd.DataFrame:
    return pd.DataFrame([{"indicator_id": "startkwalificatie", "level": "gemeente",
                          "area_code": "GM0034", "period": p, "value": v} for p, v in pairs])


def test_the_sample_startkwalificatie_target_has_a_status_for_every_period(
        sample_run: SampleRun) -> None:
    """The sample's OOGO target on schoolverlaters with a startkwalificatie: a row and a status
    for every period up to the target year, also for the last schooljaar, whose leavers are not
    known yet (their enrolment a year later is not delivered): that one is 'geen_data'."""
    indicator = "schoolverlaters_startkwalificatie"
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        rows = con.sql("""SELECT period, status, basis_waarde, doel_waarde, trajectory_value, value
            FROM targets WHERE indicator_id = ? ORDER BY period""", params=[indicator]).fetchall()
        base = con.sql("""SELECT value FROM indicator_values WHERE indicator_id = ?
            AND level = 'gemeente' AND period = '2021-2022'""", params=[indicator]).fetchall()
    assert [r[0] for r in rows] == ["2021-2022", "2022-2023", "2023-2024", "2024-2025",
                                    "2025-2026"]
    assert rows[0][1] == "basis"
    assert all(r[1] in {"gehaald", "op_koers", "binnen_marge", "achter"} for r in rows[1:-1])
    assert all(r[5] is not None for r in rows[:-1])
    assert rows[-1][5] is None and rows[-1][1] == "geen_data"
    assert rows[0][2] == pytest.approx(base[0][0])
    # Restated so it can be reached: the share without a startkwalificatie falls by a quarter.
    assert rows[0][3] == pytest.approx(100 - (100 - base[0][0]) * 0.75)
    assert rows[0][3] < 100
    assert rows[-1][4] == pytest.approx(rows[0][3])  # the line ends at the target


def test_status_follows_the_straight_line_from_base_to_target(tmp_path: Path) -> None:
    entries = load_targets(_write(tmp_path, {**BASE, "basis_waarde": 60.0}))
    values = _values(("2021-2022", 60.0), ("2022-2023", 64.0), ("2023-2024", 66.0),
                     ("2024-2025", None), ("2025-2026", 76.0))
    result = evaluate(entries, values).set_index("period")
    assert result.loc["2022-2023", "trajectory_value"] == pytest.approx(63.75)
    assert result["status"].to_dict() == {"2021-2022": "basis", "2022-2023": "op_koers",
                                          "2023-2024": "achter", "2024-2025": "geen_data",
                                          "2025-2026": "gehaald"}


def test_lower_is_better_targets_are_judged_the_other_way(tmp_path: Path) -> None:
    entry = {**BASE, "indicator": "vsv", "basis_waarde": 3.0, "doel_waarde": 1.5}
    del entry["doel_relatief"]
    values = _values(("2021-2022", 3.0), ("2022-2023", 2.5), ("2023-2024", 2.9)) \
        .assign(indicator_id="vsv")
    result = evaluate(load_targets(_write(tmp_path, entry)), values).set_index("period")
    assert result["status"].to_dict() == {"2021-2022": "basis", "2022-2023": "op_koers",
                                          "2023-2024": "achter"}


def test_a_percentage_target_above_100_is_refused_naming_file_target_and_value(
        tmp_path: Path) -> None:
    """The OOGO's '+25%' on 83,4% gave 104,2%, silently capped at 100%: 'achter' every year
    by construction. Now refused, when the base is computed too (at evaluation)."""
    entries = load_targets(_write(tmp_path, BASE))
    with pytest.raises(TargetsError, match=r"doelen.yaml, doel 'sk': de doelwaarde 104,2% "
                                           r"\(basis 83,4%\) ligt buiten 0-100%"):
        evaluate(entries, _values(("2021-2022", 83.4)))


def test_a_target_on_the_share_without_can_be_reached(tmp_path: Path) -> None:
    """'The share without a startkwalificatie falls by a quarter': 83,4% -> 87,55%."""
    entry = {**BASE, "doel_relatief_tegendeel": -0.25}
    del entry["doel_relatief"]
    values = _values(("2021-2022", 83.4), ("2022-2023", 84.6), ("2025-2026", 88.0))
    result = evaluate(load_targets(_write(tmp_path, entry)), values).set_index("period")
    assert result["doel_waarde"].iloc[0] == pytest.approx(100 - 16.6 * 0.75)
    assert result["status"].to_dict() == {"2021-2022": "basis", "2022-2023": "op_koers",
                                          "2025-2026": "gehaald"}
    with pytest.raises(TargetsError, match="alleen bij een percentage"):
        load_targets(_write(tmp_path, {**entry, "indicator": "thuiszitters"}))


@pytest.mark.parametrize(("change", "message"), [
    ({"indicator": "geluk"}, "onbekende indicator 'geluk'"),
    ({"level": "provincie"}, "niveau 'provincie'"),
    ({"doel_periode": "2021-2022"}, "doel_periode moet na basis_periode liggen"),
    ({"basis_periode": "2021/22"}, "basis_periode '2021/22' is geen schooljaar"),
    ({"doel_waarde": 90}, "precies één van doel_waarde, doel_relatief, doel_relatief_tegendeel"),
    ({"doel_relatief": 0.25, "basis_waarde": 90.0}, "doelwaarde 112,5% .*buiten 0-100%"),
    ({"doel_relatief": None, "doel_waarde": 104.2}, "doelwaarde 104,2%"),
    ({"afgesproken_in": None}, "veld 'afgesproken_in' ontbreekt"),
])
def test_invalid_targets_give_an_error_naming_the_entry(tmp_path: Path, change: dict,
                                                        message: str) -> None:
    with pytest.raises(TargetsError, match=message) as error:
        load_targets(_write(tmp_path, BASE, {**BASE, "id": "tweede", **change}))
    assert "doel 'tweede' (nr 2)" in str(error.value)


def test_a_difference_inside_the_95_percent_interval_is_binnen_marge(tmp_path: Path) -> None:
    entries = load_targets(_write(tmp_path, {**BASE, "basis_waarde": 60.0}))
    values = _values(("2022-2023", 63.72), ("2023-2024", 66.0), ("2024-2025", 72.0)).assign(
        ci_low=[60.1, 63.0, 71.5], ci_high=[67.3, 69.0, 72.5])
    result = evaluate(entries, values).set_index("period")
    # Trajectory 63,75 / 67,5 / 71,25: the first two lie inside their intervals. Without
    # intervals the first would be 'achter' for a 0,03-point difference.
    assert result["status"].to_dict() == {"2022-2023": "binnen_marge",
                                          "2023-2024": "binnen_marge",
                                          "2024-2025": "op_koers"}
    without = evaluate(entries, values.drop(columns=["ci_low", "ci_high"])).set_index("period")
    assert without.loc["2022-2023", "status"] == "achter"
