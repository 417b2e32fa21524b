"""What the test-side attacker knows besides the tables' own sums (tests/attacker.py): what
each suppression reason has meant, coverage with the public pupil counts, and the splits of the
public catalogue it tries against every indicator."""

from __future__ import annotations

import pandas as pd

from indicators.catalogue import load_catalogue

# What a suppression reason tells about a hidden row's counts, as the monitor's documentation
# once said: `klein_aantal` = below min_count (the count or its complement: modelled where the
# numerator is the row's only person count), `secundair` = numerator and complement both at
# least min_count. The one marker `afgeschermd` tells nothing, nor does `lage_dekking` now that
# it follows from the published coverage alone (indicators/coverage.py).
AT_LEAST_MIN, BELOW_MIN = ("secundair",), ("klein_aantal",)
# A relation between indicators guessed from the catalogue is used once the shown figures
# confirm it in this many places (and contradict it nowhere).
VERIFIED_ROWS = 3


def _reason_bounds(cells: pd.DataFrame, min_count: int) -> tuple[list, list[float]]:
    """Inequality rows (and their limits) from what the published reasons tell (see
    AT_LEAST_MIN): -num <= -min and num - den <= -min for `secundair`, num <= min - 1 for
    `klein_aantal` where the numerator is the row's only person count."""
    keys = ["level", "area_code", "period"]
    told = cells[cells["measure"].str.endswith(".numerator") & cells["counts"]
                 & cells["reason"].isin([*AT_LEAST_MIN, *BELOW_MIN])]
    told = told.assign(denominator=told["measure"].str.replace(".numerator", ".denominator"))
    told = told.merge(cells[[*keys, "measure", "id", "counts"]].rename(columns={
        "measure": "denominator", "id": "den_id", "counts": "den_counts"}),
        on=[*keys, "denominator"], how="left")
    rows, limits = [], []
    for cell in told.itertuples():
        if cell.reason in AT_LEAST_MIN:
            rows.append([(cell.id, -1.0)])
            limits.append(-float(min_count))
            if cell.den_counts is True:
                rows.append([(cell.id, 1.0), (int(cell.den_id), -1.0)])
                limits.append(-float(min_count))
        elif cell.only_count:
            rows.append([(cell.id, 1.0)])
            limits.append(float(min_count - 1))
    return rows, limits


def _coverage_bounds(cells: pd.DataFrame, pupils: pd.DataFrame) -> tuple[list, list[float]]:
    """Coverage is resident pupils / all pupils (indicators/sql/coverage.sql), printed to three
    decimals; all pupils per school, bestuur and swv are public (DUO open data, `pupils`:
    level, area_code, period, pupils). So wherever a row shows coverage c, every count of
    resident pupils there (the denominator of an indicator on fact_leerling_jaar with
    population `inwoner`) lies within (c -+ 0.0005) * pupils."""
    residents = {f"{i.id}.denominator" for i in load_catalogue()[0]
                 if i.feit == "fact_leerling_jaar" and i.populatie_sql == "inwoner"}
    keys = ["level", "area_code", "period"]
    shown = cells.dropna(subset=["coverage"]).groupby(keys)["coverage"].first().reset_index()
    shown = shown.merge(pupils, on=keys)
    counts = cells[cells["measure"].isin(residents)][[*keys, "id"]].merge(shown, on=keys)
    rows, limits = [], []
    for cell in counts.itertuples():
        rows += [[(cell.id, 1.0)], [(cell.id, -1.0)]]
        limits += [(cell.coverage + 0.0005) * cell.pupils, -(cell.coverage - 0.0005) * cell.pupils]
    return rows, limits


def _split_families(cells: pd.DataFrame) -> dict[str, list]:
    """Candidate relations an outsider tries from the public catalogue: the variants of one
    entry (say thuiszitters_duur_*) add up to any other indicator on the same fact and levels,
    numerators to its numerator, denominators to its denominator. Rows are total - sum(members),
    so `_checked` keeps what the shown figures confirm: = 0, or <= 0 (the members overlap)."""
    catalogue = load_catalogue()[0]
    published = set(cells["measure"].str.split(".").str[0])
    groups: dict[str, list] = {}
    for indicator in catalogue:
        if indicator.groep != indicator.id and indicator.id in published:
            groups.setdefault(indicator.groep, []).append(indicator)
    keys = ["level", "area_code", "period"]
    families = {}
    for name, members in groups.items():
        levels = set(members[0].niveaus)
        for total in catalogue:
            if (total.groep == name or total.id not in published or total.feit != members[0].feit
                    or not levels <= set(total.niveaus)):
                continue
            for measure in ("numerator", "denominator"):
                grid = cells[cells["measure"] == f"{total.id}.{measure}"][[*keys, "id"]]
                grid = grid[grid["level"].isin(levels)]
                wanted = {f"{m.id}.{measure}" for m in members}
                parts = cells[cells["measure"].isin(wanted)][[*keys, "id"]]
                joined = grid.merge(parts, on=keys, suffixes=("", "_member"))
                families[f"split {name} -> {total.id}.{measure}"] = [
                    [(int(part["id"].iloc[0]), 1.0), *((int(c), -1.0) for c in part["id_member"])]
                    for _, part in joined.groupby(keys)]
    return families
