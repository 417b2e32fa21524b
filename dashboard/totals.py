"""The totals every page compares with: the gemeente, and in a region also the region.

One gemeente: the gemeente is the total, as it always was. Several delivering gemeenten: the
pipeline publishes a `regio` level (all of them together) and the region becomes the total
(Overzicht, the Check trend and funnel centre, Mijn bestuur), while each gemeente becomes an
area to compare like the others, and a school or wijk is shown beside its own gemeente and the
region. Every role sees the region and the gemeenten (privacy/scope.py names them for all).
"""

from __future__ import annotations

import pandas as pd

from dashboard import format as fmt
from dashboard.data import Published
from privacy.scope import Scope

REGION, GEMEENTE = "regio", "gemeente"


def region_code(data: Published, scope: Scope) -> str | None:
    """The region's code when one is published (several gemeenten), else None."""
    areas = data.areas(scope, REGION)
    return str(areas["area_code"].iat[0]) if len(areas) else None


def top(data: Published, scope: Scope) -> tuple[str, str | None]:
    """(level, code) of the total: the region, or the gemeente (its code when only one)."""
    code = region_code(data, scope)
    if code is not None:
        return REGION, code
    towns = data.areas(scope, GEMEENTE)["area_code"]
    return GEMEENTE, (str(towns.iat[0]) if len(towns) == 1 else None)


def top_name(level: str) -> str:
    """'de regio' / 'de gemeente', for running text."""
    return f"de {fmt.LEVELS[level].lower()}"


def area_levels(data: Published, scope: Scope, levels: tuple[str, ...]) -> tuple[str, ...]:
    """Levels to choose areas from: in a region the gemeenten are areas beside each other."""
    if region_code(data, scope) is None or GEMEENTE in levels:
        return levels
    return (*levels, GEMEENTE)


def with_region(data: Published, scope: Scope, levels: tuple[str, ...]) -> tuple[str, ...]:
    """`levels` (that already hold the gemeente) plus the region when it is published."""
    return (*levels, REGION) if region_code(data, scope) is not None else levels


def gemeente_of_wijk(wijkcode: str | None) -> str | None:
    """CBS codes: wijk WK003401 lies in gemeente GM0034."""
    return f"GM{wijkcode[2:6]}" if isinstance(wijkcode, str) and len(wijkcode) >= 6 else None


def comparison_rows(everything: pd.DataFrame, gemeente: str | None) -> dict[str, pd.DataFrame]:
    """Column label -> the rows an area is shown beside: its gemeente (or, with one gemeente,
    that one) and the region when published. `everything`: all levels of one period."""
    towns = everything[everything["level"] == GEMEENTE]
    region = everything[everything["level"] == REGION]
    if region.empty:
        return {"Gemeente": towns}
    result = {}
    if gemeente in set(towns["area_code"]):
        result["Gemeente"] = towns[towns["area_code"] == gemeente]
    result["Regio"] = region
    return result
