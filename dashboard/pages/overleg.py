"""One meeting (/overleg?id=N): frozen figures, what changed since, the four questions,
toelichtingen, actions, and the collaboration scores. Writing is checked on the server."""

from __future__ import annotations

import dash
import pandas as pd
from dash import MATCH, Input, Output, State, callback, dcc, html

from dashboard import format as fmt
from dashboard.components import charts
from dashboard.components import meeting as parts
from dashboard.components.blocks import GRAPH_CONFIG, table
from dashboard.components.notes import toelichtingen
from dashboard.context import current_scope, current_viewer, limits, notes, published
from dashboard.data import NotPublished
from dashboard.forms import on_submit
from dashboard.notes import access
from dashboard.notes import view as meeting_view
from dashboard.notes.service import Refused
from dashboard.notes.view import (
    BLOCK_TEXTS,
    BLOCKS,
    CHOICES,
    HIDDEN_NOTE,
    QUESTIONS,
    SCALE,
    cell,
    target,
)

dash.register_page(__name__, path="/overleg", name="Overleg",
                   title="Overleg – Jeugd & Onderwijs")
CHANGED = "gewijzigd sinds dit overleg"


def _figure_table(ind: meeting_view.IndicatorView) -> pd.DataFrame:
    now = {(r.level, r.area_code, r.period): r.value_now for r in ind.changed.itertuples()}
    return pd.DataFrame({
        "Gebied": ind.figures["area_name"],
        "Schooljaar": ind.figures["period"],
        "Waarde (besproken)": [cell(r, ind.unit) for _, r in ind.figures.iterrows()],
        "95%-interval": [fmt.interval(lo, hi, ind.unit) for lo, hi in
                         zip(ind.figures["ci_low"], ind.figures["ci_high"], strict=True)],
        "Doel": [target(s) for s in ind.figures["target_status"]],
        "Nu": [f"{CHANGED}: nu {fmt.value(now[k], ind.unit)}" if k in now else "ongewijzigd"
               for k in zip(ind.figures["level"], ind.figures["area_code"],
                            ind.figures["period"], strict=True)],
    })


def _changes(ind: meeting_view.IndicatorView) -> html.Div | None:
    if ind.changed.empty:
        return None
    return html.Div([html.Strong(f"{len(ind.changed)} cijfer(s) {CHANGED}: "), html.Ul([
        html.Li(f"{r.area_name}, {r.period}: was {fmt.value(r.value, ind.unit)}, "
                f"nu {fmt.value(r.value_now, ind.unit)}") for r in ind.changed.itertuples()])],
        className="gewijzigd")


def _history(store, answer: dict | None) -> html.Details:
    return parts.history_items(store.history("answer", answer["id"]) if answer else [])


def _questions(meeting: dict, ind: meeting_view.IndicatorView, key: str,
               writable: bool) -> html.Section:
    store, rows = notes(), []
    for number, question in enumerate(QUESTIONS, start=1):
        answer = ind.answers.get(number)
        rows.append(html.Div([
            html.H4(question),
            parts.adopted_text(meeting, ind.indicator_id, number, answer),
            html.Div(dcc.RadioItems(list(CHOICES), answer and answer["choice"], inline=True,
                                    id={"type": f"keuze-{number}", "key": key}),
                     role="group", **{"aria-label": f"Keuze bij: {question}"})
            if number <= 2 else None,
            html.Label([html.Span(f"Antwoord op: {question}", className="sr-only"),
                        dcc.Textarea(id={"type": f"tekst-{number}", "key": key},
                                     maxLength=limits().max_text_chars,
                                     value=answer["text"] if answer else "",
                                     className="tekstvak", readOnly=not writable)]),
            html.Div(_history(store, answer), id={"type": f"historie-{number}", "key": key}),
        ], className="vraag"))
    return html.Section([
        html.H3("De vier vragen"), *rows,
        html.Button("Antwoorden opslaan", id={"type": "antwoorden-opslaan", "key": key},
                    n_clicks=0, className="knop") if writable else None,
        html.Span(id={"type": "antwoorden-melding", "key": key}, role="status"),
    ], className="vragen")


def _actions_list(rows: list[dict], writable: bool) -> list:
    if not rows:
        return [html.P("Nog geen acties afgesproken.")]
    store, me = notes(), current_viewer().username
    return [parts.action_item(a, writable, a["created_by"] == me, store.history("action", a["id"]))
            for a in rows]


def _actions(ind: meeting_view.IndicatorView, key: str, parties: list[str],
             writable: bool) -> html.Section:
    form = [
        html.Label(["Nieuwe actie", dcc.Input(id={"type": "actie-tekst", "key": key},
                                              type="text",
                                              maxLength=limits().max_action_chars)]),
        html.Fieldset([html.Legend("Eigenaar"), dcc.RadioItems(
            parties or ["gemeente"], (parties or ["gemeente"])[0],
            id={"type": "actie-eigenaar", "key": key})]),
        html.Label(["Uiterlijk (JJJJ-MM-DD)", dcc.Input(id={"type": "actie-datum", "key": key},
                                                        type="text", maxLength=10)]),
        html.Button("Actie toevoegen", id={"type": "actie-toevoegen", "key": key},
                    n_clicks=0, className="knop"),
        html.Span(id={"type": "actie-melding", "key": key}, role="status"),
    ] if writable else []
    return html.Section([html.H3("Acties"),
                         html.Div(_actions_list(ind.actions, writable),
                                  id={"type": "acties", "key": key}), *form],
                        className="acties")


def _indicator(meeting: dict, ind: meeting_view.IndicatorView, writable: bool) -> html.Section:
    key = f"{meeting['id']}|{ind.indicator_id}"
    return html.Section([
        html.H2(ind.name),
        _chart(ind),
        _changes(ind),
        table(_figure_table(ind), {"type": "overleg-cijfers", "key": key},
              footnote=HIDDEN_NOTE if ind.figures["suppressed"].astype(bool).any() else ""),
        html.Ul([html.Li(f"Vergelijking {fmt.LEVELS[lv].lower()}: {text}")
                 for lv, text in ind.peers.items()]),
        *[toelichtingen(ind.indicator_id, r.level, r.area_code, r.period, r.area_name)
          for r in ind.figures.itertuples()],
        _questions(meeting, ind, key, writable),
        _actions(ind, key, meeting["parties"], writable),
    ], className="blok overleg-indicator", id=f"indicator-{ind.indicator_id}")


def _open_before(built: meeting_view.MeetingView, writable: bool) -> html.Section:
    """Open actions of earlier meetings, overdue ones marked, updatable here."""
    store, me = notes(), current_viewer().username
    items = [html.Div([
        parts.action_item(a, writable, a["created_by"] == me, store.history("action", a["id"])),
        html.P(f"{a['naam']} · afgesproken in {a['kind']} van {fmt.date(a['held_on'])} · het "
               f"cijfer sindsdien: {a['since']}", className="toelichting"),
    ]) for a in built.open_before]
    if not items:  # one line, so the first figure starts high on a beamer
        return html.P("Geen open acties uit eerdere overleggen.", id="open-acties-blok",
                      className="toelichting")
    return html.Section([html.H2("Open acties uit eerdere overleggen"), *items],
                        className="blok", id="open-acties-blok")


def _scores(meeting: dict) -> html.Section:
    """The NJi building blocks in their order, each with its text and the scale's anchors;
    the viewer scores for its own organisation only."""
    party = access.own_party(current_viewer(), meeting["parties"] or ["gemeente"])
    if party is None:
        return html.Section([html.H2("Hoe ging de samenwerking? (NJi-bouwstenen)"), html.P(
            f"Elke partij scoort de samenwerking voor zichzelf; {current_viewer().organisation}"
            " staat niet bij de aanwezigen van dit overleg.")], className="blok")
    blocks = [html.Fieldset([
        html.Legend(f"{number}. {name}"),
        html.P(BLOCK_TEXTS[number - 1], className="toelichting"),
        dcc.RadioItems([{"label": f"{score} – {anchor}", "value": score}
                        for score, anchor in enumerate(SCALE, start=1)], None, inline=True,
                       id=f"blok-{number}-score"),
        html.Label(["Notitie (optioneel)", dcc.Input(
            id=f"blok-{number}-notitie", type="text", maxLength=limits().max_action_chars)]),
    ], className="bouwsteen") for number, name in enumerate(BLOCKS, start=1)]
    return html.Section([
        html.H2(f"Hoe ging de samenwerking? Scores van {party} (NJi-bouwstenen, 1–5)"),
        dcc.Store(id="samenwerking-partij", data=party),
        *blocks,
        html.Div(dcc.Checklist([{"label": f"{party} vindt het goed dat haar scores als de "
                                          "hare getoond worden", "value": "ja"}], [],
                               id="samenwerking-tonen"),
                 role="group", **{"aria-label": "Toestemming om als partij getoond te worden"}),
        html.Button("Scores opslaan", id="samenwerking-opslaan", n_clicks=0, className="knop"),
        html.Span(id="samenwerking-melding", role="status"),
    ], className="blok")


def _chart(ind: meeting_view.IndicatorView) -> dcc.Graph | None:
    """The years of the gemeente with its interval and target trajectory, the agenda's other
    areas as reference lines (the figures as they were discussed)."""
    trend = ind.trend[~ind.trend["suppressed"].astype(bool)]
    town = trend[trend["level"] == "gemeente"].sort_values("period")
    if town.empty:
        return None
    targets = town.dropna(subset=["trajectory_value"])[["period", "trajectory_value"]]
    others = trend[trend["level"] != "gemeente"]
    figure = charts.trend(town, ind.unit, targets,
                          others.assign(reference=others["area_name"]).sort_values("period"),
                          name=str(town["area_name"].iat[0]))
    figure.update_layout(height=300, margin={"t": 40, "b": 30})
    return dcc.Graph(figure=figure, config=GRAPH_CONFIG, className="overleg-grafiek")


def layout(id: str | None = None, beamer: str | None = None,
           **_query) -> html.Div:  # 'id' is the URL's parameter
    try:
        meeting = notes().meeting(int(id)) if id and str(id).isdigit() else None
        built = meeting and meeting_view.build(notes(), published(), meeting, current_scope())
    except NotPublished as error:
        return html.Div([html.H1("Overleg"), html.P(str(error))])
    if not meeting:
        return html.Div([html.H1("Overleg"), html.P("Dit overleg bestaat niet."),
                         dcc.Link("Terug naar de overleggen", href="/act")])
    writable = access.may_run_meetings(current_viewer()) and beamer != "1"
    base = f"/overleg/{meeting['id']}/pakket"
    toggle = (f"/overleg?id={meeting['id']}", "Gewone weergave") if beamer == "1" else \
        (f"/overleg?id={meeting['id']}&beamer=1", "Beamerweergave")
    return html.Div([
        html.H1(f"{meeting['kind']} van {fmt.date(meeting['held_on'])}"),
        html.P([f"Aanwezig: {', '.join(meeting['parties']) or '–'}. Cijfers bevroren op run "
                f"{meeting['run_id']}. ",
                html.A("Pakket (HTML)", href=f"{base}.html", target="_blank",
                       id="pakket-html"), " · ",
                html.A("Pakket (PDF)", href=f"{base}.pdf", id="pakket-pdf"), " · ",
                dcc.Link(toggle[1], href=toggle[0], id="beamer-wissel")],
               className="overleg-kop"),
        _open_before(built, writable),
        *[_indicator(meeting, ind, writable) for ind in built.indicators],
        parts.adoption(meeting, writable),
        dcc.Store(id="samenwerking-overleg", data=meeting["id"]),
        _scores(meeting) if beamer != "1" else None,
    ], className="overleg beamer" if beamer == "1" else "overleg")


@on_submit([("antwoorden-melding", "children"),
            *[(f"historie-{n}", "children") for n in (1, 2, 3, 4)]], "antwoorden-opslaan",
           ["keuze-1", "keuze-2", *[f"tekst-{n}" for n in (1, 2, 3, 4)]])
def save_answers(_clicks, button: dict, choice1, choice2, *texts):
    try:
        indicator, answers = notes().save_answers(current_viewer(), button.get("key", ""),
                                                  (choice1, choice2), texts)
    except Refused as refusal:
        return str(refusal), *([dash.no_update] * 4)
    return "Antwoorden opgeslagen.", *[_history(notes(), answers.get((indicator, n)))
                                       for n in (1, 2, 3, 4)]


@on_submit([("acties", "children"), ("actie-melding", "children"), ("actie-tekst", "value"),
            ("actie-datum", "value")], "actie-toevoegen",
           ["actie-tekst", "actie-eigenaar", "actie-datum"])
def add_action(_clicks, button: dict, text: str | None, owner: str | None, due: str | None):
    try:
        rows = notes().add_action(current_viewer(), button.get("key", ""), text, owner, due)
    except Refused as refusal:
        return dash.no_update, str(refusal), dash.no_update, dash.no_update
    return _actions_list(rows, True), "Actie toegevoegd.", "", None  # the form empties


@callback(Output({"type": "actie-status-melding", "key": MATCH}, "children"),
          Input({"type": "actie-status", "key": MATCH}, "value"),
          State({"type": "actie-status", "key": MATCH}, "id"), prevent_initial_call=True)
def set_status(status: str | None, radio: dict):
    try:
        notes().set_action_status(current_viewer(), radio.get("key", ""), status)
    except Refused as refusal:
        return str(refusal)
    return f"Status: {status}."


@callback(Output("vaststellen-melding", "children"),
          Input("overleg-vaststellen", "n_clicks"), State("samenwerking-overleg", "data"),
          prevent_initial_call=True)
def adopt(_clicks, meeting_id) -> str:
    try:
        notes().adopt(current_viewer(), meeting_id)
    except Refused as refusal:
        return str(refusal)
    return "Vastgesteld. Laad de pagina opnieuw om de vastgestelde versie te zien."


@callback(Output("samenwerking-melding", "children"),
          Input("samenwerking-opslaan", "n_clicks"),
          State("samenwerking-overleg", "data"), State("samenwerking-partij", "data"),
          State("samenwerking-tonen", "value"),
          *[State(f"blok-{n}-score", "value") for n in range(1, len(BLOCKS) + 1)],
          *[State(f"blok-{n}-notitie", "value") for n in range(1, len(BLOCKS) + 1)],
          prevent_initial_call=True)
def save_scores(_clicks, meeting_id, party: str | None, shown: list | None, *values):
    try:
        saved = notes().save_scores(current_viewer(), meeting_id, party, "ja" in (shown or []),
                                    values[:len(BLOCKS)], values[len(BLOCKS):])
    except Refused as refusal:
        return str(refusal)
    return f"{saved} score(s) van {party} opgeslagen."


# Changing or withdrawing an action (the fields come with the action, components/meeting.py).
# Here, in a page module, they are registered on every app made in a process, like the rest.
@on_submit([("actie-wijzig-melding", "children")], "actie-wijzig",
           ["actie-wijzig-tekst", "actie-wijzig-datum"])
def edit_action(_clicks, button: dict, text: str | None, due: str | None) -> str:
    try:
        notes().edit_action(current_viewer(), button.get("key", ""), text, due)
    except Refused as refusal:
        return str(refusal)
    return "Wijziging opgeslagen (zie de geschiedenis)."


@on_submit([("actie-wijzig-melding", "children")], "actie-intrekken", [],
           first_output_shared=True)
def withdraw_action(_clicks, button: dict) -> str:
    try:
        notes().withdraw_action(current_viewer(), button.get("key", ""))
    except Refused as refusal:
        return str(refusal)
    return "Actie ingetrokken: zij staat niet meer in de lijsten en het pakket."
