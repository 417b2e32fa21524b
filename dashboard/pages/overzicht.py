"""Overzicht: the PDCA cycle as the entry and one card per maatschappelijk resultaat, grouped
by the catalogue's blocks (domains of maatschappelijk resultaat; Kwaliteitskompas outcome)."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard import format as fmt
from dashboard import marks
from dashboard.components.charts import sparkline
from dashboard.components.notes import overdue_actions
from dashboard.components.page import published_page
from dashboard.components.sections import block_sections
from dashboard.context import current_scope, published
from dashboard.figure_notes import notes
from dashboard.totals import GEMEENTE, REGION, top, top_name

dash.register_page(__name__, path="/", name="Overzicht", order=0,
                   title="Overzicht – Jeugd & Onderwijs")

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


def _per_gemeente(entry, towns, period: str) -> html.Div | None:
    """In a region: the same figure for each gemeente in the card's schooljaar."""
    rows = towns[(towns["indicator_id"] == entry.name) & (towns["period"] == period)]
    if rows.empty:
        return None
    return html.Div("Per gemeente: " + ", ".join(
        f"{name} {fmt.cell(value, entry['eenheid'], hidden)}" for name, value, hidden in
        zip(rows["area_name"], rows["value"], rows["suppressed"], strict=True)),
        className="toelichting")


def _own_line(entry, board_values) -> html.Div | None:
    """A board's own figure, first on the card: its newest visible one, or the mark why not."""
    if board_values is None:
        return None
    rows = board_values[board_values["indicator_id"] == entry.name].sort_values("period")
    shown = rows.dropna(subset=["value"])
    row = shown.iloc[-1] if len(shown) else (rows.iloc[-1] if len(rows) else None)
    text = marks.cell(row, entry["eenheid"], [])
    label = f"Eigen bestuur{', ' + row['period'] if row is not None else ''}"
    return html.Div([html.Strong(f"{label}: "), text], className="eigen-waarde")


def _card(entry, values, targets, periods: list[str], level: str,
          towns=None, board_values=None) -> html.Article:
    unit = entry["eenheid"]
    own = values[values["indicator_id"] == entry.name].sort_values("period")
    shown = own.dropna(subset=["value"])
    latest = shown.iloc[-1] if len(shown) else None
    period = latest["period"] if latest is not None else periods[-1]
    code = own["area_code"].iat[0] if len(own) else None
    return html.Article([
        html.H4(dcc.Link(entry["naam"], href=f"/check?indicator={entry.name}")),
        _own_line(entry, board_values),
        html.Div(fmt.value(latest["value"], unit) if latest is not None else "–",
                 className="waarde"),
        html.Div(f"{latest['area_name']}, {period}" if latest is not None else ""),
        _movement(shown, unit, entry["richting"]),
        html.Div(fmt.DIRECTIONS[entry["richting"]], className="toelichting"),
        _per_gemeente(entry, towns, period) if towns is not None else None,
        notes(targets, entry, level, code, period, periods),
        html.Div(dcc.Graph(figure=sparkline(shown["period"].tolist(), shown["value"].tolist()),
                           config={"staticPlot": True}, style={"height": "70px"}),
                 **{"aria-hidden": "true"}),
    ], className="kaart")


@published_page("Overzicht")
def layout(**_query) -> html.Div:
    data, scope = published(), current_scope()
    catalogue = data.catalogue().set_index("indicator_id")
    level, _ = top(data, scope)
    values = data.values(scope, level=level)
    towns = data.values(scope, level=GEMEENTE) if level == REGION else None
    targets, periods = data.targets(scope), data.periods()
    board_values = None
    if scope.role == "bestuur":
        # A board's Overzicht: only what applies to its schools, its own figure first.
        schools = data.schools(scope)
        soorten = set(schools.loc[schools["bevoegd_gezag"] == scope.bestuur, "school_soort"])
        ids = marks.applies(data.applicable(), soorten)
        catalogue = catalogue[catalogue.index.isin(ids)]
        board_values = data.values(scope, level="bestuur", area_code=scope.bestuur)
    return html.Div([
        html.H1("Maatschappelijke resultaten voor jeugd en onderwijs"),
        html.P("De monitor volgt de PDCA-cyclus en de vragen van het NJi Kwaliteitskompas. "
               "In het OOGO-gesprek: herkennen we deze cijfers, kunnen we ze verklaren, wat "
               "vinden we ervan en wat willen we verbeteren?"),
        html.Div([dcc.Link([html.Strong(title), html.Br(), text], href=href)
                  for href, title, text in PDCA], className="pdca"),
        overdue_actions(),
        html.H2(f"Resultaten in {top_name(level)}"),
        html.P("De regio: alle gemeenten van de monitor samen; elke jongere telt één keer, "
               "in de gemeente waar hij woont.", className="toelichting")
        if level == REGION else None,
        html.P("Alleen de indicatoren die voor de eigen scholen gelden; bovenaan elke kaart "
               f"het eigen bestuur, daaronder {top_name(level)}.", className="toelichting")
        if board_values is not None else None,
        *block_sections(catalogue, lambda entry: _card(entry, values, targets, periods, level,
                                                       towns, board_values)),
    ])
