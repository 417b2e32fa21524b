"""Act – Kwaliteitskompas blok 6: meeting mode. The meetings, a new one, how the collaboration goes.

Creating a meeting freezes the figures it discusses (the current published run) into the notes
database; the meeting itself opens on /overleg?id=<nummer>.
"""

from __future__ import annotations

from datetime import date

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from dashboard import format as fmt
from dashboard.components.blocks import table
from dashboard.components.controls import DROPDOWN_LABELS
from dashboard.components.page import published_page
from dashboard.context import current_viewer, notes, published
from dashboard.notes import access, figures
from dashboard.notes.view import BLOCKS, KINDS, iso_day
from privacy.scope import Scope

dash.register_page(__name__, path="/act", name="Act", order=4,
                   title="Act – Jeugd & Onderwijs")
AREA_LEVELS = ("regio", "gemeente", "swv", "wijk", "bestuur", "school")


def party_options() -> list[str]:
    boards = published().areas(Scope("analist"), "bestuur")["area_name"].tolist()
    swv = published().areas(Scope("analist"), "swv")["area_name"].tolist()
    return ["gemeente", *swv, *boards, "jeugdhulp"]


def party_choices() -> list[dict]:
    """The parties for a searchable dropdown, grouped by kind in their labels."""
    swv = set(published().areas(Scope("analist"), "swv")["area_name"])
    boards = set(published().areas(Scope("analist"), "bestuur")["area_name"])
    kind = {**dict.fromkeys(swv, "Samenwerkingsverband"), **dict.fromkeys(boards, "Bestuur")}
    return [{"label": f"{kind[p]}: {p}" if p in kind else p.capitalize(), "value": p}
            for p in party_options()]


def area_options(scope: Scope) -> list[dict]:
    """Areas a meeting may discuss: only ones this scope sees by name."""
    options = []
    for level in AREA_LEVELS:
        if level in ("bestuur", "school") and not scope.names_level(level):
            continue
        for row in published().areas(scope, level).itertuples():
            options.append({"label": f"{fmt.LEVELS[level]}: {row.area_name}",
                            "value": f"{level}|{row.area_code}"})
    return options


def _meetings_table() -> pd.DataFrame:
    rows = notes().meetings()
    return pd.DataFrame({
        "Datum": [m["held_on"] for m in rows],
        "Soort": [m["kind"] for m in rows],
        "Overleg": [f"[Open het overleg](/overleg?id={m['id']})" for m in rows],
        "Indicatoren": [len(m["indicators"]) for m in rows],
        "Partijen": [", ".join(m["parties"]) for m in rows],
        "Run": [m["run_id"] for m in rows],
    })


def collaboration_tables(scores: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(average per block over parties, scores of parties that agreed to be shown)."""
    if scores.empty:
        return pd.DataFrame(), pd.DataFrame()
    scores = scores.assign(Overleg=scores["held_on"] + " " + scores["kind"],
                           # "1. Integrale blik": the columns sort in the NJi order 1-7
                           Bouwsteen=scores["block"].map(lambda b: f"{b}. {BLOCKS[b - 1]}"))
    average = scores.pivot_table(index="Overleg", columns="Bouwsteen", values="score",
                                 aggfunc="mean").reset_index()
    agreed = scores.groupby(["meeting_id", "party"])["shown_as_party"].transform("all")
    named = scores[agreed.astype(bool)]
    per_party = named.pivot_table(index=["Overleg", "party"], columns="Bouwsteen",
                                  values="score").reset_index().rename(
        columns={"party": "Partij"}) if len(named) else pd.DataFrame()
    for frame in (average, per_party):
        for column in frame.columns:
            if column[:1].isdigit():
                frame[column] = [fmt.number(v, 1) for v in frame[column]]
    return average, per_party


DATE_REFUSED = ("De datum van het overleg ontbreekt of is geen bestaande datum: kies een dag "
                "in de kalender van het veld 'Datum van het overleg'.")


def _create_form(scope: Scope, catalogue: pd.DataFrame) -> html.Section:
    return html.Section([
        html.H2("Nieuw overleg"),
        # A native date field: the browser's own accessible calendar, shown in the user's
        # locale, and it posts an ISO date (dcc.DatePickerSingle's wrapper fails axe).
        html.Label("Datum van het overleg", htmlFor="overleg-datum"),
        dcc.Input(id="overleg-datum", value=date.today().isoformat(), type="date",
                  required=True, className="datum"),
        html.Fieldset([html.Legend("Soort overleg"),
                       dcc.RadioItems(list(KINDS), KINDS[0], id="overleg-soort")]),
        html.Label("Aanwezige partijen (typ om te zoeken)", htmlFor="overleg-partijen"),
        dcc.Dropdown(party_choices(), [], id="overleg-partijen", multi=True, searchable=True,
                     placeholder="Kies partijen", labels=DROPDOWN_LABELS),
        html.Fieldset([html.Legend("Indicatoren"), dcc.Checklist(
            [{"label": n, "value": i} for i, n in zip(catalogue["indicator_id"],
                                                      catalogue["naam"], strict=True)],
            [], id="overleg-indicatoren")]),
        # A dropdown, not a checklist: Dash 4 virtualises a checklist of 100+ options with a
        # focusable aria-hidden copy, which screen readers and keyboards trip over.
        html.Label("Gebieden (de gemeente staat er altijd bij)", htmlFor="overleg-gebieden"),
        dcc.Dropdown(area_options(scope), [], id="overleg-gebieden", multi=True,
                     searchable=True, placeholder="Kies gebieden", labels=DROPDOWN_LABELS),
        html.Button("Overleg aanmaken", id="overleg-aanmaken", n_clicks=0, className="knop"),
        html.Div(id="overleg-gemaakt", role="status"),
    ], className="blok")


@published_page("Act")
def layout(**_query) -> html.Div:
    catalogue = published().catalogue()
    viewer = current_viewer()
    average, per_party = collaboration_tables(notes().scores())
    return html.Div([
        html.H1("Act"),
        html.H2("6 Verbetercyclus: Hoe kunnen gemeenten en voorzieningen de outcome "
                "verbeteren?"),
        html.P("Per overleg: herkennen we deze cijfers, kunnen we ze verklaren, wat vinden we "
               "ervan en wat willen we verbeteren? De antwoorden, toelichtingen en acties "
               "blijven bewaard; het overleg toont de cijfers zoals ze toen besproken zijn.",
               className="toelichting"),
        html.Section([html.H2("Overleggen"),
                      table(_meetings_table(), "overleggen", markdown=("Overleg",))],
                     className="blok"),
        _create_form(viewer.scope, catalogue) if access.may_run_meetings(viewer) else None,
        html.Section([
            html.H2("Hoe gaat de samenwerking?"),
            html.P("Doen we de goede dingen? Dat laten de indicatoren zien (Check). Doen we de "
                   "dingen goed? De zeven bouwstenen van het NJi, per overleg gescoord (1–5). "
                   "Gemiddeld over de partijen; per partij alleen als die dat goedvindt.",
                   className="toelichting"),
            table(average, "samenwerking-gemiddeld") if len(average) else
            html.P("Nog geen scores."),
            table(per_party, "samenwerking-partijen") if len(per_party) else None,
        ], className="blok"),
    ])


@callback(Output("overleg-gemaakt", "children"), Input("overleg-aanmaken", "n_clicks"),
          State("overleg-datum", "value"), State("overleg-soort", "value"),
          State("overleg-partijen", "value"), State("overleg-indicatoren", "value"),
          State("overleg-gebieden", "value"), prevent_initial_call=True)
def create(_clicks: int, held_on: str | None, kind: str | None, parties: list | None,
           indicators: list | None, areas: list | None):
    viewer = current_viewer()
    if not access.may_run_meetings(viewer):  # before any figure is read (the service checks too)
        return "Alleen OOGO-partners en de analist maken een overleg aan."
    data = published()
    day = iso_day(held_on)
    known = set(data.catalogue()["indicator_id"])
    allowed_areas = {o["value"] for o in area_options(viewer.scope)}
    chosen = [i for i in indicators or [] if i in known]
    if day is None:
        return DATE_REFUSED
    if kind not in KINDS or not chosen:
        return "Kies de soort overleg en minstens één indicator."
    parties = [p for p in parties or [] if p in set(party_options())]
    areas = [a for a in areas or [] if a in allowed_areas]
    frozen = figures.freeze(data, chosen, areas)
    meeting_id = notes().create_meeting(viewer, day, kind, parties, chosen, areas, data.run_id,
                                        frozen)
    return dcc.Link(f"Overleg aangemaakt: open het overleg van {fmt.date(day)}",
                    href=f"/overleg?id={meeting_id}", id="overleg-open")
