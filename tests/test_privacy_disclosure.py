"""Disclosure control attacked as an outsider would: only the published database, every relation.

The attacker (tests/attacker.py) is written apart from the suppressor. It must find no hidden
figure it can pin down, and no hidden count whose derivable range is narrower than the
protection level, on the Almere sample and on a small municipality where nearly all is hidden.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pytest

from privacy.disclosure import protect
from tests.attacker import build_attack, pinned_violations, ranges, violations
from tests.conftest import SampleRun, run_sample

SMALL_GEMEENTE, SMALL_SCALE = "GM1680", "0.3"


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small municipality, scaled down further: the published database of one run."""
    return run_sample(tmp_path_factory.mktemp("klein"), SMALL_GEMEENTE,
                      SMALL_SCALE).published_db


def _attack(published: Path, level: int, min_count: int, sample: int) -> None:
    """(a) nothing pinned; (b) LP ranges for up to `sample` hidden rows and as many figures
    that have no row (absent: zero or hidden)."""
    attack = build_attack(str(published))
    leaked = pinned_violations(attack, level, min_count)
    assert leaked.empty, leaked.head(10).to_string()
    cells = attack.cells
    rng = np.random.default_rng(20261127)
    chosen = []
    for part in (cells["present"], ~cells["present"] & cells["counts"]):
        unknown = np.flatnonzero(cells["value"].isna() & part)
        assert len(unknown) > 20  # there is something to attack
        chosen.append(rng.choice(unknown, min(sample, len(unknown)), replace=False))
    found = violations(ranges(attack, np.sort(np.concatenate(chosen))), level, min_count,
                       attack)
    assert found.empty, found.head(10).to_string()


@pytest.mark.slow
def test_an_attacker_learns_nothing_narrower_than_the_protection_level_on_the_sample(
        sample_run: SampleRun) -> None:
    policy = dataclasses.asdict(sample_run.settings.disclosure)
    _attack(sample_run.published_db, policy["protection_level"], policy["min_count"],
            sample=150)


@pytest.mark.slow
def test_an_attacker_learns_nothing_in_a_small_municipality(small_run: Path) -> None:
    with duckdb.connect(str(small_run), read_only=True) as con:
        shown, total = con.sql("SELECT count(*) FILTER (WHERE NOT suppressed), count(*) "
                               "FROM indicator_values WHERE level = 'school'").fetchall()[0]
    assert shown < total / 2  # nearly everything at school level must be hidden
    _attack(small_run, 8, 8, sample=400)


@pytest.mark.slow
def test_hidden_means_absent(sample_run: SampleRun) -> None:
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        hidden_rows = con.sql("SELECT count(*) FROM breakdowns WHERE suppressed OR count IS NULL"
                              ).fetchall()[0][0]
        without_population = con.sql("""SELECT count(*) FROM indicator_values
            WHERE denominator IS NULL""").fetchall()[0][0]
    assert hidden_rows == 0
    assert without_population == 0


@pytest.mark.slow
def test_changing_the_threshold_in_configuration_changes_what_is_hidden(
        sample_run: SampleRun, tmp_path: Path) -> None:
    work = tmp_path / "work.duckdb"
    shutil.copy(sample_run.work_db, work)

    def hidden(**changes) -> int:
        settings = {**dataclasses.asdict(sample_run.settings.disclosure), **changes}
        with duckdb.connect(str(work)) as con:
            return protect(con, settings)["indicator_values"]

    default = hidden()
    assert hidden(min_count=20, protection_level=20) > default
    assert hidden(min_count=3, protection_level=3) < default
