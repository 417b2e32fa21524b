"""One area beside its peers and the total (the gemeente, or the region when several gemeenten
deliver), per schooljaar (Check page and its CSV), and the viewer's own areas that every funnel
and bar chart highlights.

Peers are the schools of the same comparison group for a school, and all other areas of the
same level otherwise. Everything comes from the viewer's scoped queries, so anonymous peers
stay anonymous and a code the viewer may not see simply finds no rows.
"""

from __future__ import annotations

import pandas as pd

from dashboard.data import Published
from dashboard.totals import top
from privacy.scope import Scope

PEERS = {"school": "Vergelijkbare scholen", "bestuur": "Andere besturen",
         "swv": "Ander samenwerkingsverband", "wijk": "Andere wijken",
         "gemeente": "Andere gemeenten"}


def peer_codes(data: Published, scope: Scope, level: str, code: str) -> list[str]:
    """Codes (as the viewer sees them) of the areas `code` is compared with."""
    if level == "school":
        # Anonymous schools show no comparison group; the server still knows it, and only
        # the median over at least k of them leaves this module.
        groups = data.peer_group_of(scope)
        if code not in groups.index:
            return []
        return [c for c, g in groups.items() if g == groups[code] and c != code]
    areas = data.areas(scope, level)
    return areas.loc[areas["area_code"] != code, "area_code"].tolist()


def area_comparison(data: Published, scope: Scope, indicator: str, level: str,
                    code: str) -> pd.DataFrame:
    """Per schooljaar: the area's value (and interval), the peers' median and the total
    (`totaal`: the region, or the gemeente; see dashboard/totals.py)."""
    every = data.values(scope, indicator, level)
    own = every[every["area_code"] == code].set_index("period")
    peers = every[every["area_code"].isin(peer_codes(data, scope, level, code))]
    shown = peers.dropna(subset=["value"]).groupby("period")["value"]
    total_level, total_code = top(data, scope)
    totals = data.values(scope, indicator, total_level)
    if total_code is not None:
        totals = totals[totals["area_code"] == total_code]
    total = totals.set_index("period")["value"]
    periods = data.periods()
    frame = pd.DataFrame({"period": periods})
    for column in ("area_name", "value", "ci_low", "ci_high", "suppressed",
                   "suppression_reason"):
        frame[column] = frame["period"].map(own[column]) if len(own) else None
    frame["suppressed"] = frame["suppressed"].fillna(False).astype(bool)
    frame["peers_shown"] = frame["period"].map(shown.size()).fillna(0).astype(int)
    # Never a median of fewer than k peers (with one it would be that peer's value).
    frame["peers_median"] = frame["period"].map(shown.median()).where(
        frame["peers_shown"] >= data.k)
    frame["totaal"] = frame["period"].map(total)
    return frame


def area_label(frame: pd.DataFrame, code: str) -> str:
    """The area's name as the viewer may see it (its code when it has no values at all)."""
    names = frame["area_name"].dropna()
    return str(names.iat[0]) if len(names) else code


def own_codes(data: Published, scope: Scope, level: str, bestuur: str | None = None) -> set[str]:
    """The areas highlighted for this viewer: a board's own schools, the board itself, and
    the swv of its schools (`bestuur` lets an analyst look as one board does)."""
    board = scope.bestuur if scope.role == "bestuur" else bestuur
    if board is None:
        return set()
    schools = data.schools(scope)
    mine = schools[schools["bevoegd_gezag"] == board]
    return {"school": set(mine["vestigingscode"]), "bestuur": {board},
            "swv": set(mine["swv"].dropna())}.get(level, set())
