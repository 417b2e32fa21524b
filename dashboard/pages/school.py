"""Schoolprofiel: everything about one school, beside its bestuur, its peers and the gemeente.

The same page serves every role: an analyst sees peer schools by name; a school board sees its
own schools by name and other schools as anonymous peers (a distribution), as the scope says.
"""

from __future__ import annotations

import dash
import pandas as pd
from dash import dcc, html

from dashboard import format as fmt
from dashboard.components import charts
from dashboard.components.blocks import chart_block, table
from dashboard.components.controls import choose, location, profile_filters, url_sync
from dashboard.components.notes import toelichtingen
from dashboard.context import current_scope, published
from dashboard.data import NotPublished
from dashboard.tables import pooled_value, trend_table

dash.register_page(__name__, path="/school", name="Schoolprofiel",
                   title="Schoolprofiel – Jeugd & Onderwijs")
PAGE, FIELDS = "school", ("vestigingscode", "schooljaar", "indicator")
url_sync(PAGE, FIELDS)


def _summary(values: pd.DataFrame, peers: pd.DataFrame, bestuur: pd.DataFrame,
             gemeente: pd.DataFrame, pooled: pd.DataFrame,
             catalogue: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for _, entry in catalogue.iterrows():
        key, unit = entry["indicator_id"], entry["eenheid"]
        own = values[values["indicator_id"] == key]
        peer_values = peers.loc[peers["indicator_id"] == key, "value"].dropna()
        board = bestuur.loc[bestuur["indicator_id"] == key, "value"]
        town = gemeente.loc[gemeente["indicator_id"] == key, "value"]
        if own.empty:
            shown = "geen leerlingen in de populatie"
        elif own["suppressed"].iat[0]:
            shown = fmt.reason(own["suppression_reason"].iat[0]) + " – zie het bestuur"
        else:
            shown = fmt.value(own["value"].iat[0], unit)
        rows.append({
            "Indicator": entry["naam"],
            "School": shown,
            "95%-interval": "" if own.empty else fmt.interval(own["ci_low"].iat[0],
                                                               own["ci_high"].iat[0], unit),
            "Vergelijkbare scholen (mediaan)": fmt.value(peer_values.median(), unit)
            if len(peer_values) else "–",
            "Spreiding scholen": f"{fmt.value(peer_values.min(), unit)} – "
                                 f"{fmt.value(peer_values.max(), unit)}"
            if len(peer_values) else "–",
            "School, alle jaren samen": pooled_value(pooled, key, unit),
            "Bestuur": fmt.value(board.iat[0], unit) if len(board) else "–",
            "Gemeente": fmt.value(town.iat[0], unit) if len(town) else "–",
        })
    return pd.DataFrame(rows)


def layout(vestigingscode: str | None = None, schooljaar: str | None = None,
           indicator: str | None = None, **_query) -> html.Div:
    data, scope = published(), current_scope()
    try:
        schools = data.schools(scope)
        catalogue = data.catalogue()
        periods = data.periods()
    except NotPublished as error:
        return html.Div([html.H1("Schoolprofiel"), html.P(str(error))])
    openable = schools[schools["vestigingscode"].str.fullmatch(r"\d{2}[A-Z]{2}\d{2}")]
    code = choose(vestigingscode, openable["vestigingscode"].tolist(),
                  openable["vestigingscode"].iat[0] if len(openable) else None)
    if code is None or not scope.may_open_school(code, schools):
        return html.Div([html.H1("Schoolprofiel"),
                         html.P("Deze school kunt u met uw rol niet bij naam bekijken.")])
    period = choose(schooljaar, periods)
    indicator = choose(indicator, catalogue["indicator_id"].tolist(),
                       catalogue["indicator_id"].iat[0])
    school = schools.set_index("vestigingscode").loc[code]
    everything = data.values(scope, period=period)
    own = everything[(everything["level"] == "school") & (everything["area_code"] == code)]
    peer_codes = schools.loc[(schools["peer_group"] == school["peer_group"])
                             & (schools["vestigingscode"] != code), "vestigingscode"]
    peers = everything[(everything["level"] == "school")
                       & everything["area_code"].isin(peer_codes)]
    bestuur = everything[(everything["level"] == "bestuur")
                         & (everything["area_code"] == school["bevoegd_gezag"])]
    gemeente = everything[everything["level"] == "gemeente"]
    entry = catalogue.set_index("indicator_id").loc[indicator]
    unit = entry["eenheid"]
    trend = data.values(scope, indicator, "school", area_code=code)
    peer_now = pd.concat([own, peers])
    peer_now = peer_now[peer_now["indicator_id"] == indicator].dropna(subset=["value"])
    peer_now = peer_now.assign(area_name=[f"{n} (deze school)" if c == code else n for n, c in
                                          zip(peer_now["area_name"], peer_now["area_code"],
                                              strict=True)]).sort_values("value")
    hidden_now = own[(own["indicator_id"] == indicator) & own["suppressed"]]
    groups = data.peer_groups().set_index("peer_group")["omschrijving"]
    peer_text = f"Vergelijkbare scholen: {groups.get(school['peer_group'], '')}"
    return html.Div([
        location(PAGE),
        html.H1(school["naam"]),
        html.P([f"{school['school_soort']} · vestiging {code} · ",
                dcc.Link(f"bestuur {school['bevoegd_gezag_naam']}",
                         href=f"/check?indicator={indicator}&niveau=bestuur"
                              f"&schooljaar={period}"),
                f" · samenwerkingsverband {school['swv'] or '–'} · vergelijkingsgroep "
                f"{school['peer_group']}"]),
        html.P(peer_text, className="toelichting"),
        profile_filters(PAGE, ("vestigingscode", "School", list(zip(
            openable["vestigingscode"], openable["naam"], strict=True)), code),
            periods, period, catalogue, indicator),
        html.Section([html.H2(f"Alle indicatoren, {period}"),
                      table(_summary(own, peers, bestuur, gemeente,
                                     data.pooled(scope, "school", code), catalogue),
                            "school-tabel", page_size=20)], className="blok"),
        html.P([html.Strong(fmt.reason(hidden_now["suppression_reason"].iat[0])), " ",
                dcc.Link("Bekijk het bestuur (samengenomen scholen)",
                         href=f"/check?indicator={indicator}&niveau=bestuur"
                              f"&schooljaar={period}")], className="verborgen")
        if len(hidden_now) else None,
        chart_block("school-trend", f"{entry['naam']}: deze school door de jaren",
                    charts.trend(trend, unit.replace("_", " ")),
                    trend_table(trend, unit),
                    f"waarden|{indicator}|school|"),
        toelichtingen(indicator, "school", code, period),
        chart_block("school-peers", f"{entry['naam']}: vergelijkbare scholen "
                                    f"({school['peer_group']}), {period}",
                    charts.bars(peer_now, "area_name", "value", unit.replace("_", " ")),
                    pd.DataFrame({"School": peer_now["area_name"],
                                  "Waarde": [fmt.value(v, unit) for v in peer_now["value"]]}),
                    f"waarden|{indicator}|school|{period}",
                    note="Andere scholen staan er anoniem in, tenzij het convenant namen "
                         "toestaat." if not scope.names_schools() else None),
    ])
