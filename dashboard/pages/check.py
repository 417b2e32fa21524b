"""Check – Kwaliteitskompas blok 5: value against target, peers, funnel plot, intervals."""

from __future__ import annotations

import dash
import pandas as pd
from dash import html

from dashboard import format as fmt
from dashboard.components import charts
from dashboard.components.blocks import chart_block
from dashboard.components.controls import (
    choose,
    dropdown,
    indicator_options,
    level_options,
    location,
    url_sync,
)
from dashboard.components.notes import level_notes, toelichtingen
from dashboard.context import current_scope, published
from dashboard.data import NotPublished
from dashboard.tables import value_table

dash.register_page(__name__, path="/check", name="Check", title="Check – Jeugd & Onderwijs")
PAGE, FIELDS = "check", ("indicator", "niveau", "schooljaar")
LEVELS = ("school", "bestuur", "swv", "wijk")
url_sync(PAGE, FIELDS)


def _with_alternatives(table: pd.DataFrame, frame: pd.DataFrame, indicator: str,
                       level: str, period: str) -> pd.DataFrame:
    """A hidden value gets a link to a pooled figure: the bestuur, or the gemeente trend."""
    if level == "school":
        link = f"[Bekijk het bestuur](/check?indicator={indicator}&niveau=bestuur" \
               f"&schooljaar={period})"
    else:
        link = f"[Bekijk de gemeente](/check?indicator={indicator}&niveau={level}" \
               f"&schooljaar={period}#check-trend)"
    table["Alternatief"] = [link if hidden else "" for hidden in frame["suppressed"]]
    return table


def layout(indicator: str | None = None, niveau: str | None = None,
           schooljaar: str | None = None, **_query) -> html.Div:
    data, scope = published(), current_scope()
    try:
        catalogue = data.catalogue()
        periods = data.periods()
    except NotPublished as error:
        return html.Div([html.H1("Check"), html.P(str(error))])
    indicator = choose(indicator, catalogue["indicator_id"].tolist(),
                       catalogue["indicator_id"].iat[0])
    level = choose(niveau, list(LEVELS), "school")
    period = choose(schooljaar, periods)
    entry = catalogue.set_index("indicator_id").loc[indicator]
    unit, unit_label = entry["eenheid"], entry["eenheid"].replace("_", " ")

    gemeente = data.values(scope, indicator, "gemeente")
    targets = data.targets(scope)
    own_targets = targets[(targets["indicator_id"] == indicator)
                          & (targets["level"] == "gemeente")]
    references = data.reference(indicator)
    references = references[references["reference"] == "landelijk"]
    areas = data.values(scope, indicator, level, period)
    centre = gemeente.loc[gemeente["period"] == period, "value"]
    centre = float(centre.iat[0]) if len(centre) and pd.notna(centre.iat[0]) else None
    hidden = int(areas["suppressed"].sum())
    factor = {"percentage": 100.0, "per_1000": 1000.0}.get(unit)

    blocks = [chart_block(
        "check-trend", f"{entry['naam']} in de gemeente: waarde, doel en landelijk",
        charts.trend(gemeente, unit_label, own_targets, references),
        value_table(gemeente, unit), f"waarden|{indicator}|gemeente|",
        note=(f"Doel: {fmt.value(own_targets['doel_waarde'].iat[0], unit)} in "
              f"{own_targets['doel_periode'].iat[0]} (afgesproken in "
              f"{own_targets['afgesproken_in'].iat[0]}). {own_targets['toelichting'].iat[0]}")
        if len(own_targets) else "Voor deze indicator is geen doel afgesproken.")]
    if factor and centre is not None:
        blocks.append(chart_block(
            "check-trechter", f"Trechterdiagram per {fmt.LEVELS[level].lower()}, {period}",
            charts.funnel(areas, centre, factor, unit_label),
            _with_alternatives(value_table(areas, unit), areas, indicator, level, period),
            f"waarden|{indicator}|{level}|{period}",
            note="Punten buiten de stippellijnen (95% en 99,8%) wijken meer af van de "
                 "gemeente dan toeval verklaart; kleine gebieden krijgen zo een eerlijke "
                 f"beoordeling. {hidden} gebied(en) niet zichtbaar wegens kleine aantallen.",
            markdown=("Alternatief",)))
    else:
        blocks.append(chart_block(
            "check-trechter", f"{entry['naam']} per {fmt.LEVELS[level].lower()}, {period}",
            charts.bars(areas.dropna(subset=["value"]), "area_name", "value", unit_label),
            _with_alternatives(value_table(areas, unit), areas, indicator, level, period),
            f"waarden|{indicator}|{level}|{period}",
            note=f"{hidden} gebied(en) niet zichtbaar wegens kleine aantallen.",
            markdown=("Alternatief",)))
    return html.Div([
        location(PAGE),
        html.H1("Check"),
        html.H2("5 Outcome: Welke directe outcome leveren de voorzieningen?"),
        html.Div([
            dropdown(PAGE, "indicator", "Indicator", indicator_options(catalogue), indicator),
            dropdown(PAGE, "niveau", "Niveau", level_options(LEVELS), level),
            dropdown(PAGE, "schooljaar", "Schooljaar", [(p, p) for p in periods], period),
        ], className="filters"),
        html.P([html.Strong("Definitie: "), entry["definitie"], " ",
                html.Em(fmt.DIRECTIONS[entry["richting"]])]),
        *blocks,
        toelichtingen(indicator, "gemeente", gemeente["area_code"].iat[0], period)
        if len(gemeente) else None,
        level_notes(indicator, level, period),
    ])
