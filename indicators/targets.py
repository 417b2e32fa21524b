"""OOGO targets (doelen.yaml): base and target, straight-line trajectory, status per period."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import yaml

from indicators.catalogue import load_catalogue
from indicators.levels import LEVELS

PERIOD = re.compile(r"^(\d{4})-(\d{4})$")
REQUIRED = ("id", "indicator", "level", "area_code", "basis_periode", "basis_waarde",
            "doel_periode", "afgesproken_in", "afgesproken_op")


class TargetsError(ValueError):
    """doelen.yaml is invalid; the message names the entry and the field."""


def _year(period: str, where: str, key: str) -> int:
    match = PERIOD.match(str(period))
    if not match or int(match[2]) != int(match[1]) + 1:
        raise TargetsError(f"{where}: {key} {period!r} is geen schooljaar als 2023-2024.")
    return int(match[1])


def load_targets(path: Path) -> list[dict]:
    """Entries of doelen.yaml, checked; TargetsError names file, entry and field."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = data.get("doelen")
    if not isinstance(entries, list):
        raise TargetsError(f"{path.name}: verwacht een lijst onder 'doelen:'.")
    indicators = {i.id: i for i in load_catalogue()[0]}
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        where = f"{path.name}, doel {entry.get('id', '?')!r} (nr {number})"
        for key in REQUIRED:
            if entry.get(key) in (None, ""):
                raise TargetsError(f"{where}: veld '{key}' ontbreekt.")
        if entry["id"] in seen:
            raise TargetsError(f"{where}: id komt twee keer voor.")
        seen.add(entry["id"])
        if entry["indicator"] not in indicators:
            raise TargetsError(f"{where}: onbekende indicator {entry['indicator']!r}.")
        if entry["level"] not in LEVELS:
            raise TargetsError(f"{where}: niveau {entry['level']!r} is niet een van {LEVELS}.")
        if ("doel_relatief" in entry) == ("doel_waarde" in entry):
            raise TargetsError(f"{where}: geef precies één van 'doel_relatief' of 'doel_waarde'.")
        base = entry["basis_waarde"]
        if base != "berekend" and not isinstance(base, int | float):
            raise TargetsError(f"{where}: basis_waarde moet een getal zijn of 'berekend'.")
        if _year(entry["doel_periode"], where, "doel_periode") <= _year(
                entry["basis_periode"], where, "basis_periode"):
            raise TargetsError(f"{where}: doel_periode moet na basis_periode liggen.")
        if not isinstance(entry["afgesproken_op"], dt.date):
            try:
                dt.date.fromisoformat(str(entry["afgesproken_op"]))
            except ValueError as error:
                raise TargetsError(f"{where}: afgesproken_op is geen datum (JJJJ-MM-DD).") \
                    from error
    return entries


def _status(value: float | None, trajectory: float, target: float, higher: bool,
            interval: tuple[float | None, float | None] = (None, None)) -> str:
    """gehaald, op_koers, achter; binnen_marge when the 95% interval holds the trajectory
    value, so the figure cannot tell ahead from behind; geen_data without a value."""
    if value is None or pd.isna(value):
        return "geen_data"
    ahead = (lambda a, b: a >= b) if higher else (lambda a, b: a <= b)
    if ahead(value, target):
        return "gehaald"
    low, high = interval
    if low is not None and high is not None and not pd.isna(low) and not pd.isna(high) \
            and low <= trajectory <= high:
        return "binnen_marge"
    return "op_koers" if ahead(value, trajectory) else "achter"


def _key(entry: dict) -> tuple[str, str, str]:
    return entry["indicator"], entry["level"], str(entry["area_code"])


def _values_by_target(entries: list[dict], values: pd.DataFrame) -> dict[tuple, pd.DataFrame]:
    """The values of each target's indicator, level and area, in one pass over all values
    (nationally 1,4 million rows and 1.700 targets: a mask per target took minutes)."""
    keys = ["indicator_id", "level", "area_code"]
    wanted = pd.MultiIndex.from_tuples({_key(entry) for entry in entries}, names=keys)
    found = pd.MultiIndex.from_frame(values[keys].astype(str)).isin(wanted)
    return {key: frame for key, frame in values[found].groupby(keys, sort=False)}


def evaluate(entries: list[dict], values: pd.DataFrame) -> pd.DataFrame:
    """One row per target × period from the base period on; `values` = published values
    (with ci_low and ci_high when known: a difference inside the interval is binnen_marge)."""
    indicators = {i.id: i for i in load_catalogue()[0]}
    by_target, all_periods = _values_by_target(entries, values), sorted(set(values["period"]))
    rows = []
    for entry in entries:
        indicator = indicators[entry["indicator"]]
        own = by_target.get(_key(entry), values.iloc[:0])
        by_period = dict(zip(own["period"], own["value"], strict=True))
        bounds = own.reindex(columns=["ci_low", "ci_high"]).itertuples(index=False, name=None)
        intervals = dict(zip(own["period"], bounds, strict=True))
        base_year, target_year = int(entry["basis_periode"][:4]), int(entry["doel_periode"][:4])
        base = by_period.get(entry["basis_periode"]) if entry["basis_waarde"] == "berekend" \
            else float(entry["basis_waarde"])
        note = str(entry.get("toelichting", ""))
        if base is None or pd.isna(base):
            target, base = None, None
            note += " (basiswaarde niet beschikbaar: klein aantal of geen gegevens)"
        elif "doel_relatief" in entry:
            target = base * (1 + float(entry["doel_relatief"]))
        else:
            target = float(entry["doel_waarde"])
        if target is not None and indicator.eenheid == "percentage" and target > 100:
            note += f" (doel {target:.1f}% begrensd op 100%)".replace(".", ",")
            target = 100.0
        direction = indicator.richting
        higher = direction == "hoger_beter" or (
            direction == "neutraal" and target is not None and base is not None and target >= base)
        periods = [p for p in all_periods if int(p[:4]) >= base_year]
        for period in periods:
            year = int(period[:4])
            if target is None:
                trajectory = None
            else:
                share = min((year - base_year) / (target_year - base_year), 1.0)
                trajectory = base + (target - base) * share
            value = by_period.get(period)
            rows.append({
                "doel_id": entry["id"], "indicator_id": entry["indicator"],
                "level": entry["level"], "area_code": str(entry["area_code"]),
                "basis_periode": entry["basis_periode"], "basis_waarde": base,
                "doel_periode": entry["doel_periode"], "doel_waarde": target,
                "period": period, "trajectory_value": trajectory,
                "value": None if value is None or pd.isna(value) else float(value),
                "status": "geen_data" if target is None else
                _status(value, trajectory, target, higher, intervals.get(period, (None, None))),
                "afgesproken_in": entry["afgesproken_in"],
                "afgesproken_op": str(entry["afgesproken_op"]),
                "toelichting": note.strip(),
            })
    return pd.DataFrame(rows, columns=[
        "doel_id", "indicator_id", "level", "area_code", "basis_periode", "basis_waarde",
        "doel_periode", "doel_waarde", "period", "trajectory_value", "value", "status",
        "afgesproken_in", "afgesproken_op", "toelichting"])
