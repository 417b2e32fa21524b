"""Wijkprofiel: everything about one wijk (home address) beside the gemeente."""

from __future__ import annotations

import dash
import pandas as pd
from dash import html

from dashboard import format as fmt
from dashboard.components import charts
from dashboard.components.blocks import chart_block, table
from dashboard.components.controls import choose, location, profile_filters, url_sync
from dashboard.components.notes import toelichtingen
from dashboard.context import current_scope, published
from dashboard.data import NotPublished
from dashboard.tables import breakdown_table, pooled_value, trend_table

dash.register_page(__name__, path="/wijk", name="Wijken", title="Wijkprofiel – Jeugd & Onderwijs")
PAGE, FIELDS = "wijk", ("wijkcode", "schooljaar", "indicator")
url_sync(PAGE, FIELDS)


def _summary(own: pd.DataFrame, gemeente: pd.DataFrame, pooled: pd.DataFrame,
             catalogue: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for _, entry in catalogue.iterrows():
        key, unit = entry["indicator_id"], entry["eenheid"]
        mine = own[own["indicator_id"] == key]
        town = gemeente.loc[gemeente["indicator_id"] == key, "value"]
        if mine.empty:
            shown, spread = "geen gegevens", ""
        elif mine["suppressed"].iat[0]:
            shown, spread = fmt.reason(mine["suppression_reason"].iat[0]) + \
                " – zie de gemeente", ""
        else:
            shown = fmt.value(mine["value"].iat[0], unit)
            spread = fmt.interval(mine["ci_low"].iat[0], mine["ci_high"].iat[0], unit)
        rows.append({"Indicator": entry["naam"], "Wijk": shown, "95%-interval": spread,
                     "Wijk, alle jaren samen": pooled_value(pooled, key, unit),
                     "Gemeente": fmt.value(town.iat[0], unit) if len(town) else "–"})
    return pd.DataFrame(rows)


def layout(wijkcode: str | None = None, schooljaar: str | None = None,
           indicator: str | None = None, **_query) -> html.Div:
    data, scope = published(), current_scope()
    try:
        wijken = data.areas(scope, "wijk")
        catalogue = data.catalogue()
        periods = data.periods()
    except NotPublished as error:
        return html.Div([html.H1("Wijkprofiel"), html.P(str(error))])
    code = choose(wijkcode, wijken["area_code"].tolist(), wijken["area_code"].iat[0])
    period = choose(schooljaar, periods)
    indicator = choose(indicator, catalogue["indicator_id"].tolist(),
                       catalogue["indicator_id"].iat[0])
    name = wijken.set_index("area_code").loc[code, "area_name"]
    everything = data.values(scope, period=period)
    own = everything[(everything["level"] == "wijk") & (everything["area_code"] == code)]
    gemeente = everything[everything["level"] == "gemeente"]
    entry = catalogue.set_index("indicator_id").loc[indicator]
    unit = entry["eenheid"]
    trend = data.values(scope, indicator, "wijk", area_code=code)
    town = data.values(scope, indicator, "gemeente").assign(reference="gemeente")
    mix = data.breakdowns(scope, "wijk", period, "hulpvorm")
    mix = mix[mix["area_code"] == code]
    map_values = data.values(scope, indicator, "wijk", period)
    return html.Div([
        location(PAGE),
        html.H1(f"Wijk {name}"),
        html.P(f"Wijkcode {code}. Jongeren tellen mee in de wijk van hun woonadres."),
        profile_filters(PAGE, ("wijkcode", "Wijk", list(zip(
            wijken["area_code"], wijken["area_name"], strict=True)), code),
            periods, period, catalogue, indicator),
        html.Section([html.H2(f"Alle indicatoren, {period}"),
                      table(_summary(own, gemeente, data.pooled(scope, "wijk", code),
                                     catalogue), "wijk-tabel", page_size=20)],
                     className="blok"),
        chart_block("wijk-trend", f"{entry['naam']}: de wijk en de gemeente door de jaren",
                    charts.trend(trend, unit.replace("_", " "), references=town),
                    trend_table(trend, unit),
                    f"waarden|{indicator}|wijk|"),
        toelichtingen(indicator, "wijk", code, period),
        chart_block("wijk-kaart", f"{entry['naam']} per wijk, {period}",
                    charts.wijk_map(data.wijk_geometry(), map_values, unit.replace("_", " ")),
                    pd.DataFrame({"Wijk": map_values["area_name"],
                                  "Waarde": [fmt.value(v, unit) for v in map_values["value"]]}),
                    f"waarden|{indicator}|wijk|{period}"),
        html.Section([html.H2(f"Jeugdhulptrajecten naar hulpvorm, {period}"),
                      table(breakdown_table(mix), "wijk-mix")], className="blok"),
    ])
