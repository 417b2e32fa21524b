"""OOGO targets (doelen.yaml): base and target, straight-line trajectory, status per period.

A target is one of: `doel_waarde` (the value itself), `doel_relatief` (the value changes by this
fraction: -0.5 = halves) or, for a percentage, `doel_relatief_tegendeel` (the share WITHOUT the
trait changes by this fraction: -0.25 on 80% with a startkwalificatie = the 20% without one
falls by a quarter, target 85%), which is how a target on a share near 100% can be reached.
A percentage target outside 0-100% is refused, naming file, target and value.
"""

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


TARGET_KINDS = ("doel_waarde", "doel_relatief", "doel_relatief_tegendeel")


class TargetsError(ValueError):
    """doelen.yaml is invalid; the message names the entry and the field."""


def _nl(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def target_value(entry: dict, base: float | None, percentage: bool,
                 where: str | None = None) -> float:
    """The target from the base (None: only a doel_waarde can be known); TargetsError, naming
    file and target, when a percentage target leaves 0-100%."""
    if entry.get("doel_waarde") is not None or base is None:
        target = float(entry["doel_waarde"])
    elif entry.get("doel_relatief") is not None:
        target = base * (1 + float(entry["doel_relatief"]))
    else:
        target = 100.0 - (100.0 - base) * (1 + float(entry["doel_relatief_tegendeel"]))
    if percentage and not 0.0 <= target <= 100.0:
        where = where or f"{entry.get('_bestand', 'doelen.yaml')}, doel {entry['id']!r}"
        given = base is None or entry.get("doel_waarde") is not None
        basis = "" if given else f" (basis {_nl(base)}%)"
        raise TargetsError(
            f"{where}: de doelwaarde {_nl(target)}%{basis} ligt buiten 0-100% en is niet te "
            "halen. "
            "Formuleer het doel op het tegendeel, bijvoorbeeld 'doel_relatief_tegendeel: -0.25' "
            "(het aandeel zonder daalt met een kwart), of geef een doel_waarde tot 100.")
    return target


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
        if sum(entry.get(kind) is not None for kind in TARGET_KINDS) != 1:
            raise TargetsError(f"{where}: geef precies één van {', '.join(TARGET_KINDS)}.")
        percentage = indicators[entry["indicator"]].eenheid == "percentage"
        if entry.get("doel_relatief_tegendeel") is not None and not percentage:
            raise TargetsError(f"{where}: doel_relatief_tegendeel kan alleen bij een "
                               "percentage.")
        entry["_bestand"] = path.name
        base = entry["basis_waarde"]
        if base != "berekend" and not isinstance(base, int | float):
            raise TargetsError(f"{where}: basis_waarde moet een getal zijn of 'berekend'.")
        if base != "berekend" or entry.get("doel_waarde") is not None:
            target_value(entry, None if base == "berekend" else float(base), percentage, where)
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
        else:
            target = target_value(entry, float(base), indicator.eenheid == "percentage")
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
                # The base year is where the line starts: it is no progress to judge.
                "status": "geen_data" if target is None else "basis"
                if period == entry["basis_periode"] else
                _status(value, trajectory, target, higher, intervals.get(period, (None, None))),
                "afgesproken_in": entry["afgesproken_in"],
                "afgesproken_op": str(entry["afgesproken_op"]),
                "toelichting": note.strip(),
            })
    return pd.DataFrame(rows, columns=[
        "doel_id", "indicator_id", "level", "area_code", "basis_periode", "basis_waarde",
        "doel_periode", "doel_waarde", "period", "trajectory_value", "value", "status",
        "afgesproken_in", "afgesproken_op", "toelichting"])
