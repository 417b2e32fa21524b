"""Overzicht: the PDCA cycle as the entry and one card per maatschappelijk resultaat."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard import format as fmt
from dashboard.components.charts import sparkline
from dashboard.components.notes import overdue_actions
from dashboard.context import current_scope, published
from dashboard.data import NotPublished

dash.register_page(__name__, path="/", name="Overzicht", title="Overzicht – Jeugd & Onderwijs")

PDCA = (
    ("/plan", "Plan", "Hoe gaat het met onze jeugd en wat zijn onze ambities? "
                      "Hoe maken we onze ambities meetbaar?"),
    ("/do", "Do", "Welke voorzieningen, partners en burgers helpen onze ambities waar te maken? "
                  "Hoe zorgen voorzieningen voor kwaliteit?"),
    ("/check", "Check", "Welke directe outcome leveren de voorzieningen?"),
    ("/act", "Act", "Hoe kunnen gemeenten en voorzieningen de outcome verbeteren?"),
)


def _card(entry, values, targets) -> html.Article:
    unit = entry["eenheid"]
    own = values[values["indicator_id"] == entry["indicator_id"]].sort_values("period")
    latest = own.iloc[-1] if len(own) else None
    target = targets[targets["indicator_id"] == entry["indicator_id"]]
    status = None
    target_text = "geen afgesproken doel"
    if len(target):
        last = target.sort_values("period").iloc[-1]
        status = last["status"]
        target_text = (f"doel {fmt.value(last['doel_waarde'], unit)} in {last['doel_periode']}"
                       f" ({last['afgesproken_in']})")
    shown = own.dropna(subset=["value"])
    return html.Article([
        html.H3(dcc.Link(entry["naam"], href=f"/check?indicator={entry['indicator_id']}")),
        html.Div(fmt.value(latest["value"], unit) if latest is not None else "–",
                 className="waarde"),
        html.Div(f"{latest['area_name']}, {latest['period']}" if latest is not None else ""),
        html.Div(target_text),
        html.Span(fmt.status(status), className=f"status status-{status or 'geen_data'}")
        if status else html.Span(fmt.DIRECTIONS[entry["richting"]], className="toelichting"),
        html.Div(dcc.Graph(figure=sparkline(shown["period"].tolist(), shown["value"].tolist()),
                           config={"staticPlot": True}, style={"height": "70px"}),
                 **{"aria-hidden": "true"}),
    ], className=f"kaart status-{status or 'geen_data'}")


def layout(**_query) -> html.Div:
    data, scope = published(), current_scope()
    try:
        catalogue = data.catalogue()
        values = data.values(scope, level="gemeente")
        targets = data.targets(scope)
    except NotPublished as error:
        return html.Div([html.H1("Overzicht"), html.P(str(error))])
    gemeente_targets = targets[targets["level"] == "gemeente"]
    return html.Div([
        html.H1("Maatschappelijke resultaten voor jeugd en onderwijs"),
        html.P("De monitor volgt de PDCA-cyclus en de vragen van het NJi Kwaliteitskompas. "
               "In het OOGO-gesprek: herkennen we deze cijfers, kunnen we ze verklaren, wat "
               "vinden we ervan en wat willen we verbeteren?"),
        html.Div([dcc.Link([html.Strong(title), html.Br(), text], href=href)
                  for href, title, text in PDCA], className="pdca"),
        overdue_actions(),
        html.H2("Resultaten in de gemeente"),
        html.Div([_card(entry, values, gemeente_targets)
                  for _, entry in catalogue.iterrows()], className="kaarten"),
    ])
