"""Mijn bestuur's tables as numbers an analyst computes with (CSV and Excel downloads).

The board in a download key is only a wish: a school board gets its own board or nothing,
an analyst any board, every other role nothing. The rows come from the same scoped queries as
the page, so a forged key (another board, another role) returns an empty table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard import format as fmt
from dashboard import marks
from dashboard.data import Published
from dashboard.figure_notes import targets_for
from dashboard.totals import top
from privacy.scope import Scope

DECIMALS = fmt.DECIMALS
BOARD_COLUMNS = ["indicator", "naam", "eenheid", "eigen_bestuur", "eigen_bestuur_bron",
                 "eigen_bestuur_afgeschermd", "andere_besturen_mediaan", "andere_besturen_n",
                 "totaal", "doelwaarde", "doelstatus"]
SCHOOL_COLUMNS = ["vestigingscode", "school", "soort", "indicator", "naam", "waarde",
                  "ondergrens", "bovengrens", "eenheid", "afgeschermd"]


def allowed_board(data: Published, scope: Scope, asked: str) -> str | None:
    """The board a download may show: the board's own, any for the analyst, else none."""
    if scope.role == "bestuur":
        return scope.bestuur if asked == scope.bestuur else None
    if scope.role == "analist" and asked in set(data.schools(scope)["bevoegd_gezag"]):
        return asked
    return None


def from_schools(rows: pd.DataFrame, unit: str) -> tuple[float, int] | None:
    """(the board's figure, number of schools) from its own schools when the publication has
    no board row: the sum of the numerators over the sum of the denominators, where the figure
    is such a ratio (a mean cost, a share; not a median) and every own school's counts show."""
    factor = fmt.UNIT_FACTOR.get(unit, 1.0)
    usable = rows.dropna(subset=["numerator", "denominator", "value"])
    if usable.empty or len(usable) < len(rows) or rows["suppressed"].any() or not np.allclose(
            usable["value"], usable["numerator"] / usable["denominator"] * factor, rtol=1e-6):
        return None
    return usable["numerator"].sum() / usable["denominator"].sum() * factor, len(usable)


def _own(data: Published, scope: Scope, board: str, period: str):
    schools = data.schools(scope)
    own = schools[schools["bevoegd_gezag"] == board]
    ids = marks.applies(data.applicable(), set(own["school_soort"].dropna()))
    return own, ids, data.values(scope, period=period)


def board_rows(data: Published, scope: Scope, board: str, period: str) -> pd.DataFrame:
    """Per indicator that applies to the board's schools: own figure, peer median with its n
    (empty below k), the gemeente or region, the board's target and status in `period`."""
    catalogue = data.catalogue().set_index("indicator_id")
    own, ids, everything = _own(data, scope, board, period)
    total, targets, rows = top(data, scope)[0], data.targets(scope), []
    for key in [i for i in catalogue.index if i in ids]:
        unit, values = catalogue.loc[key, "eenheid"], everything[everything["indicator_id"] == key]
        places = DECIMALS.get(unit, 2)
        boards = values[values["level"] == "bestuur"]
        mine, others = boards[boards["area_code"] == board], boards.loc[
            boards["area_code"] != board, "value"].dropna()
        figure, source, hidden = None, "", ""
        if len(mine):
            figure, source = mine["value"].iat[0], "bestuur"
            hidden = fmt.reason(mine["suppression_reason"].iat[0]) if mine[
                "suppressed"].iat[0] else ""
        elif computed := from_schools(values[(values["level"] == "school") & values[
                "area_code"].isin(own["vestigingscode"])], unit):
            figure, source = computed[0], f"berekend uit {computed[1]} eigen scholen"
        town = values.loc[values["level"] == total, "value"].dropna()
        target = targets_for(targets, key, "bestuur", board)
        now = target[target["period"] == period]
        rows.append({
            "indicator": key, "naam": catalogue.loc[key, "naam"],
            "eenheid": fmt.unit_label(unit), "eigen_bestuur": _round(figure, places),
            "eigen_bestuur_bron": source, "eigen_bestuur_afgeschermd": hidden,
            "andere_besturen_mediaan": _round(others.median(), places)
            if len(others) >= data.k else None, "andere_besturen_n": len(others),
            "totaal": _round(town.iat[0], places) if len(town) else None,
            "doelwaarde": _round(target["doel_waarde"].iat[0], places) if len(target) else None,
            "doelstatus": now["status"].iat[0] if len(now) else ""})
    return pd.DataFrame(rows, columns=BOARD_COLUMNS)


def school_rows(data: Published, scope: Scope, board: str, period: str) -> pd.DataFrame:
    """The board's own schools × the indicators that apply to each school's type."""
    catalogue = data.catalogue().set_index("indicator_id")
    own, _, everything = _own(data, scope, board, period)
    applicable = data.applicable()
    at_school = everything[everything["level"] == "school"].set_index(
        ["area_code", "indicator_id"])
    rows = []
    for school in own.sort_values(["school_soort", "naam"]).itertuples():
        for key in [i for i in catalogue.index
                    if i in marks.applies(applicable, {school.school_soort})]:
            unit = catalogue.loc[key, "eenheid"]
            places = DECIMALS.get(unit, 2)
            row = at_school.loc[(school.vestigingscode, key)] if (
                school.vestigingscode, key) in at_school.index else None
            rows.append({
                "vestigingscode": school.vestigingscode, "school": school.naam,
                "soort": school.school_soort, "indicator": key,
                "naam": catalogue.loc[key, "naam"],
                **{column: None if row is None else _round(row[source], places)
                   for column, source in (("waarde", "value"), ("ondergrens", "ci_low"),
                                          ("bovengrens", "ci_high"))},
                "eenheid": fmt.unit_label(unit),
                "afgeschermd": fmt.reason(row["suppression_reason"])
                if row is not None and row["suppressed"] else ""})
    return pd.DataFrame(rows, columns=SCHOOL_COLUMNS)


def _round(value, places: int) -> float | None:
    return None if fmt.missing(value) else round(float(value), places)


def table(data: Published, scope: Scope, kind: str, asked: str, period: str):
    """(file stem, frame, header lines) for `bestuur|<board>|<schooljaar>` and
    `bestuur-scholen|…`; an empty table when the viewer may not see that board."""
    board = allowed_board(data, scope, asked)
    columns = BOARD_COLUMNS if kind == "bestuur" else SCHOOL_COLUMNS
    if board is None or period not in data.periods():
        return "bestuur", pd.DataFrame(columns=columns), [
            ("Inhoud", "geen gegevens: dit bestuur valt buiten uw rol")]
    build = board_rows if kind == "bestuur" else school_rows
    what = ("het eigen bestuur naast de andere besturen (mediaan over minstens "
            f"{data.k} besturen, met hun aantal) en het totaal" if kind == "bestuur"
            else "de eigen scholen, alleen de indicatoren die voor hun soort gelden")
    return f"{kind}_{board}_{period}", build(data, scope, board, period), [
        ("Inhoud", f"{what}, {period}"),
        ("Eenheid", "waarden als getal; de kolom eenheid zegt in welke eenheid")]
