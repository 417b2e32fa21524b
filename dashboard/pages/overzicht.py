"""Overzicht: the PDCA cycle as the entry and one card per maatschappelijk resultaat."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard import format as fmt
from dashboard.components.charts import sparkline
from dashboard.components.notes import overdue_actions
from dashboard.components.page import published_page
from dashboard.context import current_scope, published
from dashboard.figure_notes import notes

dash.register_page(__name__, path="/", name="Overzicht", title="Overzicht – Jeugd & Onderwijs")

PDCA = (
    ("/plan", "Plan", "Hoe gaat het met onze jeugd en wat zijn onze ambities? "
                      "Hoe maken we onze ambities meetbaar?"),
    ("/do", "Do", "Welke voorzieningen, partners en burgers helpen onze ambities waar te maken? "
                  "Hoe zorgen voorzieningen voor kwaliteit?"),
    ("/check", "Check", "Welke directe outcome leveren de voorzieningen?"),
    ("/act", "Act", "Hoe kunnen gemeenten en voorzieningen de outcome verbeteren?"),
)


def _movement(shown, unit: str, direction: str) -> html.Div | None:
    """Change since the previous schooljaar, judged by the indicator's direction in words."""
    if len(shown) < 2:
        return None
    before, now = shown.iloc[-2], shown.iloc[-1]
    if fmt.value(now["value"], unit) == fmt.value(before["value"], unit):
        return html.Div(f"= gelijk aan {before['period']}", className="beweging")
    rising = now["value"] > before["value"]
    text = f"{'↗ hoger' if rising else '↘ lager'} dan {before['period']}"
    if direction == "neutraal":
        return html.Div(text, className="beweging")
    good = rising == (direction == "hoger_beter")
    return html.Div(f"{text} ({'gunstig' if good else 'ongunstig'})",
                    className=f"beweging {'gunstig' if good else 'ongunstig'}")


def _card(entry, values, targets, periods: list[str]) -> html.Article:
    unit = entry["eenheid"]
    own = values[values["indicator_id"] == entry.name].sort_values("period")
    shown = own.dropna(subset=["value"])
    latest = shown.iloc[-1] if len(shown) else None
    period = latest["period"] if latest is not None else periods[-1]
    code = own["area_code"].iat[0] if len(own) else None
    return html.Article([
        html.H3(dcc.Link(entry["naam"], href=f"/check?indicator={entry.name}")),
        html.Div(fmt.value(latest["value"], unit) if latest is not None else "–",
                 className="waarde"),
        html.Div(f"{latest['area_name']}, {period}" if latest is not None else ""),
        _movement(shown, unit, entry["richting"]),
        html.Div(fmt.DIRECTIONS[entry["richting"]], className="toelichting"),
        notes(targets, entry, "gemeente", code, period, periods),
        html.Div(dcc.Graph(figure=sparkline(shown["period"].tolist(), shown["value"].tolist()),
                           config={"staticPlot": True}, style={"height": "70px"}),
                 **{"aria-hidden": "true"}),
    ], className="kaart")


@published_page("Overzicht")
def layout(**_query) -> html.Div:
    data, scope = published(), current_scope()
    catalogue = data.catalogue().set_index("indicator_id")
    values = data.values(scope, level="gemeente")
    targets, periods = data.targets(scope), data.periods()
    return html.Div([
        html.H1("Maatschappelijke resultaten voor jeugd en onderwijs"),
        html.P("De monitor volgt de PDCA-cyclus en de vragen van het NJi Kwaliteitskompas. "
               "In het OOGO-gesprek: herkennen we deze cijfers, kunnen we ze verklaren, wat "
               "vinden we ervan en wat willen we verbeteren?"),
        html.Div([dcc.Link([html.Strong(title), html.Br(), text], href=href)
                  for href, title, text in PDCA], className="pdca"),
        overdue_actions(),
        html.H2("Resultaten in de gemeente"),
        html.Div([_card(entry, values, targets, periods)
                  for _, entry in catalogue.iterrows()], className="kaarten"),
    ])
