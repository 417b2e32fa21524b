"""A meeting's own copy of the figures it discussed, and how today's figures differ from it.

The copy holds every area of the meeting's levels (for peers) plus the gemeente, all periods,
exactly as published: only disclosure-controlled cells, suppressed ones without value. It is
kept in the notes database, so pruning old published versions never takes it away.
"""

from __future__ import annotations

import math

import pandas as pd

from dashboard import format as fmt
from dashboard.data import Published
from privacy.scope import Scope

KEY = ["indicator_id", "level", "area_code", "period"]


def levels_of(areas: list[str]) -> list[str]:
    """'wijk|WK003401' -> 'wijk'; the gemeente always comes along."""
    return sorted({area.split("|", 1)[0] for area in areas} | {"gemeente"})


def freeze(data: Published, indicators: list[str], areas: list[str]) -> pd.DataFrame:
    """The published figures a new meeting keeps (unmasked: masks apply when shown)."""
    everything = Scope("analist")
    frames = [data.values(everything, indicator) for indicator in indicators]
    values = pd.concat(frames) if frames else pd.DataFrame(columns=KEY)
    values = values[values["level"].isin(levels_of(areas))]
    targets = data.targets(everything)
    targets = targets.drop_duplicates(KEY)[[*KEY, "status", "trajectory_value"]]
    merged = values.merge(targets.rename(columns={"status": "target_status"}), on=KEY,
                          how="left")
    return visible(merged).reset_index(drop=True)


def visible(frame: pd.DataFrame) -> pd.DataFrame:
    """Suppressed cells without value, interval or target figures, whatever was stored."""
    frame = frame.copy()
    hidden = frame["suppressed"].astype(bool)
    columns = [c for c in ("value", "ci_low", "ci_high", "trajectory_value") if c in frame]
    frame.loc[hidden, columns] = None
    return frame


def shown(frozen: pd.DataFrame, scope: Scope, data: Published) -> pd.DataFrame:
    """What this viewer may see of a meeting's figures: schools masked as everywhere else
    (the same per-run aliases as the rest of the dashboard)."""
    return data.mask(scope, frozen)


def _differs(old: float, new: float) -> bool:
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (old, new)):
        return not all(v is None or (isinstance(v, float) and math.isnan(v)) for v in (old, new))
    return abs(old - new) > 1e-9


def changes(frozen: pd.DataFrame, today: pd.DataFrame) -> pd.DataFrame:
    """Figures that are different now: 'gewijzigd sinds dit overleg', with old and new value."""
    today = visible(today)[[*KEY, "value"]].rename(columns={"value": "value_now"})
    merged = visible(frozen).merge(today, on=KEY, how="inner")
    differs = [_differs(o, n) for o, n in zip(merged["value"], merged["value_now"],
                                                strict=True)]
    return merged[differs].reset_index(drop=True)


def today_values(data: Published, frozen: pd.DataFrame) -> pd.DataFrame:
    """Today's published figures for the same indicators (empty when none is published)."""
    frames = [data.values(Scope("analist"), indicator)
              for indicator in frozen["indicator_id"].unique()]
    return pd.concat(frames) if frames else pd.DataFrame(columns=[*KEY, "value"])


def latest(frame: pd.DataFrame, indicator: str, level: str, area_code: str) -> pd.Series | None:
    """The newest shown figure of one area; `area_code` '' means the gemeente."""
    part = frame[(frame["indicator_id"] == indicator) & (frame["level"] == level)]
    if area_code:
        part = part[part["area_code"] == area_code]
    part = part[~part["suppressed"].astype(bool)].dropna(subset=["value"])
    return part.sort_values("period").iloc[-1] if len(part) else None


def since(frozen: pd.DataFrame, today: pd.DataFrame, action: dict, unit: str) -> str:
    """What an action's figure did since the meeting that agreed it."""
    then = latest(frozen, action["indicator_id"], action["level"], action["area_code"])
    now = latest(today, action["indicator_id"], action["level"], action["area_code"])
    if then is None or now is None:
        return "geen vergelijkbaar cijfer"
    text = f"{fmt.value(then['value'], unit)} ({then['period']}) → " \
           f"{fmt.value(now['value'], unit)} ({now['period']})"
    if then["period"] == now["period"] and not _differs(then["value"], now["value"]):
        return text + ": nog geen nieuw cijfer"
    return text
