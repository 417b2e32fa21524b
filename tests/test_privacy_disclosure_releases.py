"""Two releases side by side, as a meeting shows its frozen figures beside today's: publish,
deliver a correction and a new month, publish again, and attack both releases together."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from privacy.disclosure_rules import dominated
from tests.attacker import build_attack, pinned_violations, ranges, violations
from tests.attacker_releases import joint_attack
from tests.conftest import SAMPLE_GEMEENTE, run_sample

# The open schooljaar of the sample (2025-2026): the correction and the new month touch only it.
CORRECTED, NEW_MONTH = "2026H1", ("20260701", "20260725")


def _next_delivery(landing: Path) -> None:
    """A correction of the first half of 2026 (40 amounts changed, 4 records of clients with
    only that record withdrawn) and a new month of 40 records for pupils without care."""
    care = pd.read_csv(landing / "jeugdhulp.csv", sep=";", dtype=str)
    period = care["datum_aanvang"].between("20260101", "20260630")
    part = care[period].copy()
    part.loc[part.index[:40], "kosten"] = "1234,56"
    single = care["pseudoniem"].map(care["pseudoniem"].value_counts()) == 1
    part = part.drop(part.index[single[part.index].to_numpy()][:4])
    part.to_csv(landing / f"jeugdhulp_correctie_{CORRECTED}.csv", sep=";", index=False)
    people = pd.read_csv(landing / "personen.csv", dtype=str, usecols=["pseudoniem"])
    fresh = people["pseudoniem"][~people["pseudoniem"].isin(care["pseudoniem"])].unique()[:40]
    new = care.iloc[:len(fresh)].copy()
    new["pseudoniem"], new["datum_aanvang"], new["datum_einde"] = fresh, *NEW_MONTH
    pd.concat([care, new]).to_csv(landing / "jeugdhulp.csv", sep=";", index=False)


@pytest.mark.slow
def test_a_correction_and_a_new_month_leave_both_releases_protected_together(
        tmp_path: Path) -> None:
    run = run_sample(tmp_path, SAMPLE_GEMEENTE, "0.3")
    first = tmp_path / "eerste.duckdb"
    shutil.copy(run.published_db, first)
    marts = [tmp_path / "mart_eerste.duckdb", run.settings.paths.work / "work.duckdb"]
    shutil.copy(marts[1], marts[0])
    _next_delivery(run.landing)
    result = run.run("pipelines", "run", "--landing", str(run.landing), check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "correctie 2026H1 vervangt" in result.stdout + result.stderr
    alone = [build_attack(str(first)), build_attack(str(run.published_db))]
    attack = joint_attack(alone)
    leaked = pinned_violations(attack, 8, 8)
    assert leaked[leaked["counts"]].empty, leaked.head(10).to_string()
    # The attacker cannot see a breakdown row's group size (its counts are rounded), so it
    # flags every breakdown cost it pins; the p% rule makes one derivable only over a group
    # that is neither small nor dominated: checked on the true figures.
    breakdown = leaked["measure"].str.contains("|", regex=False)
    unsafe = _unsafe_breakdown_costs(leaked[breakdown], marts)
    assert unsafe.empty, unsafe.head(10).to_string()
    # Side by side the releases derive no other euro sum that either release alone does not.
    each = set().union(*(_keys(pinned_violations(one, 8, 8)) for one in alone))
    assert _keys(leaked[~breakdown]) <= each, leaked[~breakdown].head(10).to_string()
    # Exact ranges for a sample of hidden counts of both releases: none narrower than the
    # protection level.
    cells = attack.cells
    hidden = cells["value"].isna() & cells["present"] & cells["counts"]
    rng = np.random.default_rng(20261207)
    chosen = rng.choice(np.flatnonzero(hidden), min(250, int(hidden.sum())), replace=False)
    found = violations(ranges(attack, np.sort(chosen)), 8, 8, attack)
    assert found.empty, found.head(10).to_string()


def _unsafe_breakdown_costs(pinned: pd.DataFrame, marts: list[Path]) -> pd.DataFrame:
    """The pinned breakdown costs whose true row is a small group or fails the p% rule."""
    found = []
    for release, path in enumerate(marts):
        with duckdb.connect(str(path), read_only=True) as con:
            truth = con.sql("SELECT dimension || '|' || category AS measure, level, area_code, "
                            "period, personen, kosten, grootste, tweede "
                            "FROM mart.breakdowns").df()
        rows = pinned[pinned["release"] == release].merge(
            truth, on=["measure", "level", "area_code", "period"], how="left")
        small = ~(rows["personen"] >= 8)
        found.append(rows[small | dominated(rows["kosten"], rows["grootste"], rows["tweede"],
                                            10)])
    return pd.concat(found, ignore_index=True)


def _keys(frame: pd.DataFrame) -> set[tuple]:
    return set(zip(frame["measure"], frame["level"], frame["area_code"], frame["period"],
                   strict=True))
