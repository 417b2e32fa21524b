"""Open every page where something can be seen: the level and schooljaar with visible values,
and when a chart would be empty, the places where the figure is visible instead."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd

from dashboard import format as fmt


def open_on(values: pd.DataFrame, levels: tuple[str, ...], level: str | None,
            period: str | None, periods: list[str]) -> tuple[str, str]:
    """(level, period): the asked ones when valid, else the first with visible values.

    `values` holds one indicator at every level and period (as the viewer sees it).
    """
    visible = values.dropna(subset=["value"])
    if period not in periods:
        period = None
    if level not in levels:
        candidates = [lv for lv in levels if period is None
                      or ((visible["level"] == lv) & (visible["period"] == period)).any()]
        level = next((lv for lv in candidates if (visible["level"] == lv).any()), levels[0])
    if period is None:
        shown = visible.loc[visible["level"] == level, "period"]
        period = shown.max() if len(shown) else (periods[-1] if periods else "")
    return level, period


def alternatives(values: pd.DataFrame, indicator: str, levels: tuple[str, ...],
                 period: str) -> list[tuple[str, str]]:
    """(text, href) for every level where this indicator is visible in `period`, and the
    total (the region, else the gemeente) over the years."""
    visible = values.dropna(subset=["value"])
    links = [(f"per {fmt.LEVELS[lv].lower()} in {period}",
              "/check?" + urlencode({"indicator": indicator, "niveau": lv,
                                     "schooljaar": period}))
             for lv in levels
             if ((visible["level"] == lv) & (visible["period"] == period)).any()]
    total = next((lv for lv in ("regio", "gemeente") if (visible["level"] == lv).any()), None)
    if total is not None:
        links.append((f"de {fmt.LEVELS[total].lower()} door de jaren",
                      "/check?" + urlencode({"indicator": indicator, "schooljaar": period})
                      + "#check-trend"))
    return links


def hidden_sentence(name: str, level: str, period: str, reasons: pd.Series,
                    links: list[tuple[str, str]], link_type) -> list:
    """'Geen enkele school laat … zien, want …. Wel zichtbaar: …' with links."""
    why = fmt.footnote(reasons).removeprefix(f"{fmt.HIDDEN}: ") or "er zijn geen gegevens."
    words = [f"{name}: in {period} is voor geen enkel gebied op niveau "
             f"{fmt.LEVELS[level].lower()} een waarde zichtbaar ({why}) "]
    if links:
        words.append("Wel zichtbaar: ")
        for index, (text, href) in enumerate(links):
            words.extend([", " if index else "", link_type(text, href=href)])
        words.append(".")
    return words
