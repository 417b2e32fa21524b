"""Scholen: a searchable, filterable list of every school with its main figures, and the map.

Filtering runs on the server from the viewer's own scope: a forged filter value can only
narrow what the viewer already may see.
"""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, callback, dcc, html, no_update

from dashboard import format as fmt
from dashboard.components import charts
from dashboard.components.blocks import chart_block, download_button, table
from dashboard.components.controls import DROPDOWN_LABELS
from dashboard.components.page import published_page
from dashboard.context import current_scope, published
from dashboard.tables import school_table

dash.register_page(__name__, path="/scholen", name="Scholen", order=6,
                   title="Scholen – Jeugd & Onderwijs")
MAIN_FIGURES = ("jeugdhulp_leerlingen", "verzuim_relatief", "vsv")  # columns of the list
FILTERS = (("soort", "Soort", "school_soort"), ("bestuur", "Bestuur", "bevoegd_gezag_naam"),
           ("wijk", "Wijk", "wijknaam"))


def _schools(data, scope) -> pd.DataFrame:
    schools = data.schools(scope)
    wijken = data.areas(scope, "wijk").set_index("area_code")["area_name"]
    return schools.assign(wijknaam=schools["wijkcode"].map(wijken))


def _rows(data, scope, schools: pd.DataFrame) -> pd.DataFrame:
    """The list as shown: schools with the latest visible main figures."""
    frame = school_table(schools).drop(columns=["Swv", "Vergelijkingsgroep"])
    catalogue = data.catalogue().set_index("indicator_id")
    period = data.periods()[-1]
    for indicator in MAIN_FIGURES:
        values = data.values(scope, indicator, "school", period).set_index("area_code")
        unit = catalogue.loc[indicator, "eenheid"]
        frame[f"{catalogue.loc[indicator, 'naam']} {period}"] = [
            fmt.cell(values["value"].get(c), unit, bool(values["suppressed"].get(c, False)))
            if c in values.index else "–" for c in schools["vestigingscode"]]
    return frame


def _filter(schools: pd.DataFrame, search: str, chosen: dict[str, str | None]) -> pd.DataFrame:
    text = (search or "").strip().lower()
    keep = pd.Series(True, index=schools.index)
    if text:
        keep &= (schools["naam"].str.lower().str.contains(text, regex=False)
                 | schools["vestigingscode"].str.lower().str.contains(text, regex=False))
    for field, _, column in FILTERS:
        if chosen.get(field):
            keep &= schools[column] == chosen[field]
    return schools[keep]


@published_page("Scholen")
def layout(**_query) -> html.Div:
    data, scope = published(), current_scope()
    schools = _schools(data, scope)
    period = data.periods()[-1]
    wijken = data.values(scope, "jeugdhulp_leerlingen", "wijk", period)
    return html.Div([
        dcc.Location(id="scholen-adres", refresh=True),
        html.H1("Scholen"),
        html.P("Zoek op naam of vestigingscode, of filter op soort, bestuur en wijk. De naam "
               "opent het schoolprofiel" + ("." if scope.names_schools() else
                                            "; andere scholen staan er anoniem in, zonder "
                                            "profiel, soort of plaats.")),
        html.Div([
            html.Div([html.Label("Zoek een school", htmlFor="scholen-zoek"),
                      dcc.Input(id="scholen-zoek", type="search", debounce=True,
                                placeholder="naam of vestigingscode")]),
            *[html.Div([html.Label(label, htmlFor=f"scholen-{field}"),
                        dcc.Dropdown(id=f"scholen-{field}", labels=DROPDOWN_LABELS,
                                     placeholder=f"alle ({label.lower()})",
                                     options=sorted(schools[column].dropna().unique()))])
              for field, label, column in FILTERS],
        ], className="filters"),
        html.P(id="scholen-aantal", className="toelichting", **{"aria-live": "polite"}),
        html.Section([table(_rows(data, scope, schools), "scholen-tabel", markdown=("School",),
                            page_size=25), download_button("scholen")], className="blok"),
        chart_block("scholen-kaart", "Scholen en leerlingen met jeugdhulp per wijk",
                    charts.wijk_map(data.wijk_geometry(), wijken, "percentage", schools),
                    school_table(schools), "scholen", markdown=("School",),
                    note="Klik op een school op de kaart voor het schoolprofiel."),
    ])


@callback(Output("scholen-tabel", "data"), Output("scholen-aantal", "children"),
          Input("scholen-zoek", "value"),
          *[Input(f"scholen-{field}", "value") for field, _, _ in FILTERS],
          prevent_initial_call=True)
def filter_list(search: str | None, *chosen: str | None):
    data, scope = published(), current_scope()
    schools = _schools(data, scope)
    shown = _filter(schools, search or "", dict(zip([f for f, _, _ in FILTERS], chosen,
                                                    strict=True)))
    return (_rows(data, scope, shown).to_dict("records"),
            f"{fmt.number(len(shown))} van {fmt.number(len(schools))} scholen")


@callback(Output("scholen-adres", "href"), Input("scholen-kaart-grafiek", "clickData"),
          prevent_initial_call=True)
def open_profile(click: dict | None) -> str:
    points = [p for p in (click or {}).get("points", []) if p.get("customdata")]
    if not points:
        return no_update
    return f"/school?vestigingscode={points[0]['customdata']}"
