"""Disclosure control: small numbers hidden, and no hidden cell recoverable by subtraction."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from privacy.disclosure import HIERARCHIES, protect
from tests.conftest import SampleRun


def _recoverable(values: dict, groups: list[tuple[object, list]]) -> list:
    """Hidden cells whose value an attacker can pin down from shown cells and the relations.

    values: cell -> number, or None when hidden. groups: (total cell, member cells).
    For each hidden cell: minimise and maximise it subject to every relation and >= 0.
    """
    hidden = sorted((c for c, v in values.items() if v is None), key=str)
    if not hidden:
        return []
    index = {c: i for i, c in enumerate(hidden)}
    rows, rhs = [], []
    for total, members in groups:
        cells = [*members, total]
        if not any(values[c] is None for c in cells):
            continue
        row = np.zeros(len(hidden))
        known = 0.0
        for cell, sign in [*((m, 1.0) for m in members), (total, -1.0)]:
            if values[cell] is None:
                row[index[cell]] += sign
            else:
                known += sign * values[cell]
        rows.append(row)
        rhs.append(-known)
    if not rows:
        return []
    a_eq, b_eq = np.array(rows), np.array(rhs)
    found = []
    for cell, i in index.items():
        objective = np.zeros(len(hidden))
        objective[i] = 1.0
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        if low.status == 0 and high.status == 0 and (-high.fun - low.fun) < 0.5:
            found.append(cell)
    return found


def _published_groups(con: duckdb.DuckDBPyConnection) -> list[tuple[tuple, list[tuple]]]:
    areas = con.sql("SELECT * FROM areas").df()
    groups = []
    for child, parent in HIERARCHIES:
        links = areas[(areas["level"] == child) & (areas["parent_level"] == parent)]
        for parent_code, members in links.groupby("parent_code")["area_code"]:
            groups.append(((parent, parent_code), [(child, m) for m in members]))
    return groups


@pytest.mark.parametrize("measure", ["numerator", "denominator"])
def test_no_suppressed_cell_can_be_recovered_from_published_totals(
        sample_run: SampleRun, measure: str) -> None:
    """Per indicator, all schooljaren and the multi-year figures at once, every hierarchy."""
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        values = con.sql(f"""SELECT indicator_id, period, level, area_code, {measure} AS v
            FROM indicator_values UNION ALL
            SELECT indicator_id, 'alle jaren', level, area_code, {measure}
            FROM indicator_values_meerjarig""").df()
        area_groups = _published_groups(con)
    assert values["v"].isna().sum() > 100  # there is something to attack
    for indicator, cells in values.groupby("indicator_id"):
        known = {(p, lv, code): (None if pd.isna(v) else float(v)) for p, lv, code, v in
                 zip(cells["period"], cells["level"], cells["area_code"], cells["v"],
                     strict=True)}
        periods = set(cells["period"])
        groups = [((p, *total), [(p, *m) for m in members if (p, *m) in known])
                  for p in periods for total, members in area_groups if (p, *total) in known]
        for level, code in set(zip(cells["level"], cells["area_code"], strict=True)):
            years = [(p, level, code) for p in periods - {"alle jaren"}
                     if (p, level, code) in known]
            if ("alle jaren", level, code) in known and years:
                groups.append((("alle jaren", level, code), years))
        groups = [(t, m) for t, m in groups if m]
        assert _recoverable(known, groups) == [], indicator


def test_no_suppressed_breakdown_cell_can_be_recovered(sample_run: SampleRun) -> None:
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        cells = con.sql("SELECT * FROM breakdowns WHERE period = '2024-2025' "
                        "AND dimension = 'hulpvorm'").df()
        area_groups = _published_groups(con)
    # Exact record counts are not published (rounded); attack the exact kosten sums instead.
    known = {(r.level, r.area_code, r.category): (None if pd.isna(r.kosten) else r.kosten)
             for r in cells.itertuples()}
    groups = []
    for category in cells["category"].unique():
        for total, members in area_groups:
            key = (*total, category)
            parts = [(*m, category) for m in members if (*m, category) in known]
            if key in known and parts:
                groups.append((key, parts))
    for level, code in set(zip(cells["level"], cells["area_code"], strict=True)):
        parts = [(level, code, c) for c in cells["category"].unique()
                 if c != "totaal" and (level, code, c) in known]
        if (level, code, "totaal") in known and parts:
            groups.append(((level, code, "totaal"), parts))
    assert _recoverable(known, groups) == []


def test_changing_the_threshold_in_configuration_changes_what_is_hidden(
        sample_run: SampleRun, tmp_path: Path) -> None:
    work = tmp_path / "work.duckdb"
    shutil.copy(sample_run.work_db, work)

    def hidden(**changes) -> int:
        settings = {**dataclasses.asdict(sample_run.settings.disclosure), **changes}
        with duckdb.connect(str(work)) as con:
            protect(con, settings)
            return con.sql("SELECT count(*) FROM publish.indicator_values "
                           "WHERE suppressed").fetchall()[0][0]

    default = hidden()
    assert hidden(min_count=20) > default
    assert hidden(min_count=3) < default
    assert hidden(hide_zero=False) < default
