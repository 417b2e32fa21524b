"""Anonymous peers that stay anonymous (k-anonymity, [disclosure] anonymous_k).

A board (and an OOGO partner, for schools) sees other schools and besturen only as anonymous
peers. Whatever such a peer shows must be shared by at least k peers, or the peer could be
named from public DUO facts (pupil counts, soort, swv, board):

- on a funnel a peer stands at the middle of its *size class*: the peers sorted by size and
  cut into classes of at least k, one class per peer for every indicator and schooljaar (so
  classes of several funnels cannot be intersected); no label, no hover that names it;
- its comparison group stays on the server: only medians over at least k peers are shown,
  always with their n;
- descriptors, counts, coverage and breakdown sizes are removed by the scope
  (privacy/scope.py: SIZE_REVEALING, SCHOOL_DESCRIPTORS).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from dashboard import format as fmt


def size_classes(sizes: pd.Series, k: int) -> pd.Series:
    """code-indexed sizes -> the middle of each code's size class (classes of at least k).

    Consecutive by size; the remainder joins the last class. Fewer than k peers: no class
    (NaN), because then even one class would single a peer out.
    """
    ordered = sizes.dropna().sort_values(kind="stable")
    if len(ordered) < k:
        return pd.Series(np.nan, index=sizes.index)
    groups = np.minimum(np.arange(len(ordered)) // k, len(ordered) // k - 1)
    bounds = ordered.groupby(groups).agg(["min", "max"])
    # Two significant digits: the class middle, never any one peer's own size.
    middles = {g: float(f"{math.sqrt(max(low, 1) * max(high, 1)):.2g}")
               for g, (low, high) in bounds.iterrows()}
    return pd.Series([middles[g] for g in groups], index=ordered.index).reindex(sizes.index)


def place(frame: pd.DataFrame, classes: pd.DataFrame) -> pd.DataFrame:
    """A values frame for a funnel: anonymous peers get their class middle as size.

    `classes` (area_code, midden) comes from Published.anonymous_sizes for the viewer.
    Adds `anoniem` (bool); anonymous peers without a class keep no size and drop out.
    """
    middles = classes.set_index("area_code")["midden"]
    anonymous = frame["area_code"].isin(middles.index)
    frame = frame.assign(anoniem=anonymous.to_numpy())
    if anonymous.any():  # (the analyst sees no anonymous peer)
        frame["denominator"] = frame["denominator"].astype("float64")
        frame.loc[anonymous, "denominator"] = frame.loc[anonymous, "area_code"].map(
            middles).astype("float64")
    return frame


def median_text(values: pd.Series, unit: str, k: int) -> str:
    """'12,3% (mediaan van 9)', or why no median is shown (fewer than k: never one peer)."""
    shown = values.dropna()
    if len(shown) < k:
        return f"te weinig (n = {len(shown)}, minimaal {k})"
    return f"{fmt.value(shown.median(), unit)} (mediaan van {fmt.number(len(shown))})"


def median_row(frame: pd.DataFrame, own: pd.Series, unit: str, k: int) -> pd.DataFrame:
    """The own rows of a values frame plus one row for the median of the others (over at
    least k values, named with its n), instead of the others one by one."""
    mine = frame[frame["area_code"].isin(set(own))]
    others = frame.loc[~frame["area_code"].isin(set(own)), "value"].dropna()
    if len(others) < k:
        return mine
    label = f"Mediaan van {fmt.number(len(others))} vergelijkbare scholen"
    row = mine.head(1).assign(area_code=label, area_name=label, value=others.median(),
                              ci_low=float("nan"), ci_high=float("nan"), suppressed=False,
                              suppression_reason=None)
    return pd.concat([mine, row], ignore_index=True) if len(mine) else mine
