"""Wijken: first an overview of every wijk (table and map), then one wijk's profile (home
address) beside its gemeente and, when several gemeenten deliver, the region."""

from __future__ import annotations

import dash
import pandas as pd
from dash import dcc, html

from dashboard import format as fmt
from dashboard.components import charts
from dashboard.components.blocks import chart_block, hidden_footnote, table
from dashboard.components.controls import (
    choose,
    dropdown,
    indicator_options,
    location,
    url_sync,
)
from dashboard.components.notes import toelichtingen
from dashboard.components.page import published_page
from dashboard.components.profile import Area, hidden_reasons, profile, summary, values_text
from dashboard.context import current_scope, published
from dashboard.tables import share_table, shares, value_table
from dashboard.totals import comparison_rows, gemeente_of_wijk
from dashboard.visible import open_on

dash.register_page(__name__, path="/wijk", name="Wijken", order=7,
                   title="Wijken – Jeugd & Onderwijs")
PAGE, FIELDS = "wijk", ("wijkcode", "schooljaar", "indicator")
url_sync(PAGE, FIELDS)


def _overview(data, scope, catalogue, indicator: str | None, period: str | None) -> html.Div:
    """Every wijk: the chosen indicator in a table with links and on the map."""
    ids = catalogue["indicator_id"].tolist()
    indicator = choose(indicator, ids, ids[0])
    entry = catalogue.set_index("indicator_id").loc[indicator]
    unit = entry["eenheid"]
    _, period = open_on(data.values(scope, indicator, "wijk"), ("wijk",), "wijk", period,
                        data.periods())
    values = data.values(scope, indicator, "wijk", period).sort_values("area_name")
    frame = value_table(values, unit).drop(columns=["Niveau", "Schooljaar"])
    frame["Gebied"] = [fmt.markdown_link(n, "/wijk", wijkcode=c, schooljaar=period,
                                         indicator=indicator)
                       for n, c in zip(values["area_name"], values["area_code"], strict=True)]
    return html.Div([
        location(PAGE),
        html.H1("Wijken"),
        html.P("Kies een wijk in de tabel of hieronder. Jongeren tellen mee in de wijk van hun "
               "woonadres."),
        html.Div([
            dropdown(PAGE, "wijkcode", "Wijk", _wijk_options(data, scope), None),
            dropdown(PAGE, "schooljaar", "Schooljaar", [(p, p) for p in data.periods()],
                     period),
            dropdown(PAGE, "indicator", "Indicator", indicator_options(catalogue), indicator),
        ], className="filters"),
        html.Section([html.H2(f"{entry['naam']} per wijk, {period}"),
                      table(frame, "wijk-overzicht", markdown=("Gebied",), page_size=25,
                            footnote=hidden_footnote(values))], className="blok"),
        chart_block("wijk-kaart", f"{entry['naam']} per wijk op de kaart, {period}",
                    charts.wijk_map(data.wijk_geometry(), values, unit),
                    value_table(values, unit), f"waarden|{indicator}|wijk|{period}",
                    note="Grijs: afgeschermd. Kaart: Kadaster / CBS, 2024.",
                    footnote=hidden_footnote(values)),
    ])


def _wijk_options(data, scope) -> list[tuple[str, str]]:
    wijken = data.areas(scope, "wijk")
    return list(zip(wijken["area_code"], wijken["area_name"], strict=True))


def _mix_block(data, scope, code: str, period: str) -> html.Section:
    mix = data.breakdowns(scope, "wijk", period, "hulpvorm")
    mix = mix[mix["area_code"] == code]
    totals = data.values(scope, "jeugdhulp_kosten_per_traject", "wijk", period, code)
    parts = shares(mix, totals.set_index("area_code")["denominator"])
    return html.Section([html.H2(f"Jeugdhulptrajecten naar hulpvorm, {period}"),
                         table(share_table(parts.assign(label=parts["area_name"])), "wijk-mix",
                               footnote=f"{fmt.OTHER}: categorieën die niet zichtbaar zijn "
                                        "(kleine aantallen), samengenomen.")],
                        className="blok")


@published_page("Wijken")
def layout(wijkcode: str | None = None, schooljaar: str | None = None,
           indicator: str | None = None, **_query) -> html.Div:
    data, scope = published(), current_scope()
    catalogue, periods = data.catalogue(), data.periods()
    options = _wijk_options(data, scope)
    if wijkcode not in dict(options):
        return _overview(data, scope, catalogue, indicator, schooljaar)
    period = choose(schooljaar, periods)
    ids = catalogue["indicator_id"].tolist()
    indicator = choose(indicator, ids, ids[0])
    everything = data.values(scope, period=period)
    own = everything[(everything["level"] == "wijk") & (everything["area_code"] == wijkcode)]
    pooled = data.pooled(scope, "wijk", wijkcode)
    town = gemeente_of_wijk(wijkcode)
    area = Area(PAGE, "wijk", wijkcode, dict(options)[wijkcode], "wijkcode", "Wijk", options)
    lines = comparison_rows(data.values(scope, indicator), town)
    heading = [html.H1(f"Wijk {area.name}"),
               html.P([f"Wijkcode {wijkcode}. Jongeren tellen mee in de wijk van hun woonadres. ",
                       dcc.Link("Terug naar alle wijken", href="/wijk")])]
    return profile(area, heading, data, scope, catalogue, (indicator, period, periods),
                   summary(area, catalogue, own, pooled,
                           {label: values_text(rows, catalogue) for label, rows in
                            comparison_rows(everything, town).items()}),
                   hidden_reasons(own, pooled), data.targets(scope),
                   references=pd.concat([rows.assign(reference=label.lower())
                                         for label, rows in lines.items()]),
                   extra=(toelichtingen(indicator, "wijk", wijkcode, period),
                          _mix_block(data, scope, wijkcode, period),))
