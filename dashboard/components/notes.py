"""Toelichtingen beside a figure: every party's note, with author organisation and date.

`toelichtingen()` is the one component pages insert beside a figure (indicator × area ×
period); `level_notes()` lists the notes of all visible areas of one level. The save callback
checks on the server who may write and always uses the viewer's own organisation.
"""

from __future__ import annotations

from datetime import date

import dash
from dash import MATCH, Input, Output, State, dcc, html

from dashboard import format as fmt
from dashboard.context import current_scope, current_viewer, limits, notes, published
from dashboard.notes import access
from dashboard.notes.service import Refused
from privacy.scope import Scope


def _raw_schools():
    return published().schools(Scope("analist"))


def _items(rows: list[dict]) -> list:
    if not rows:
        return [html.P("Nog geen toelichting van een partij.", className="toelichting")]
    return [html.Blockquote([
        html.P(row["text"], className="antwoord"),
        html.Footer(f"{row['organisation']}, {fmt.date(row['updated_at'][:10])} "
                    f"({fmt.LEVELS.get(row['level'], row['level']).lower()}, {row['period']})"),
    ], className="partij-toelichting") for row in rows]


def _key(indicator: str, level: str, area_code: str, period: str) -> str:
    return "|".join((indicator, level, area_code, period))


def toelichtingen(indicator: str, level: str, area_code: str, period: str,
                  area_name: str | None = None) -> html.Section:
    """The notes on one figure, and a box to write the viewer's own when allowed; with
    `area_name` the heading says which area (a meeting shows several)."""
    schools = _raw_schools()
    scope = current_scope()
    rows = notes().toelichtingen(indicator, level, area_code, period)
    rows = access.readable(rows, scope, schools)
    key = _key(indicator, level, area_code, period)
    viewer = current_viewer()
    form = [
        html.Label([f"Toelichting van {viewer.organisation}",
                    dcc.Textarea(id={"type": "toelichting-tekst", "key": key},
                                 maxLength=limits().max_text_chars, className="tekstvak")]),
        html.Button("Toelichting opslaan", id={"type": "toelichting-opslaan", "key": key},
                    n_clicks=0, className="knop"),
        html.Span(id={"type": "toelichting-melding", "key": key}, role="status"),
    ] if access.may_explain(viewer, level, area_code, schools) else []
    heading = f"Toelichting bij {area_name}" if area_name else "Toelichting van de partijen"
    return html.Section([
        html.H3(heading),
        html.Div(_items(rows), id={"type": "toelichting-lijst", "key": key}),
        *form,
    ], className="blok toelichtingen")


def level_notes(indicator: str, level: str, period: str) -> html.Section:
    """All visible notes on this indicator at one level and period (read only)."""
    rows = access.readable(notes().toelichtingen(indicator, level, period=period),
                           current_scope(), _raw_schools())
    return html.Section([html.H3(f"Toelichtingen per {fmt.LEVELS[level].lower()}, {period}"),
                         *_items(rows)], className="blok toelichtingen")


def register(app: dash.Dash) -> None:
    """Connect the save callback to this app (pages on any app can then show the box)."""
    app.callback(Output({"type": "toelichting-lijst", "key": MATCH}, "children"),
                 Output({"type": "toelichting-melding", "key": MATCH}, "children"),
                 Input({"type": "toelichting-opslaan", "key": MATCH}, "n_clicks"),
                 State({"type": "toelichting-opslaan", "key": MATCH}, "id"),
                 State({"type": "toelichting-tekst", "key": MATCH}, "value"),
                 prevent_initial_call=True)(save)


def save(_clicks: int, button: dict, text: str | None):
    viewer = current_viewer()
    parts = str(button.get("key", "")).split("|")
    data = published()
    if len(parts) != 4 or parts[0] not in set(data.catalogue()["indicator_id"]) \
            or parts[1] not in fmt.LEVELS or parts[3] not in data.periods():
        return _items([]), "Onbekend cijfer: niets opgeslagen."
    indicator, level, area_code, period = parts
    schools = _raw_schools()
    try:
        notes().save_toelichting(viewer, (indicator, level, area_code, period), text, schools)
    except Refused as refusal:
        if not access.may_explain(viewer, level, area_code, schools):
            return _items([]), str(refusal)  # nothing of this area is shown to this viewer
        shown = dash.no_update if (text or "").strip() else _items(access.readable(
            notes().toelichtingen(indicator, level, area_code, period), viewer.scope, schools))
        return shown, str(refusal)
    rows = access.readable(notes().toelichtingen(indicator, level, area_code, period),
                           viewer.scope, schools)
    return _items(rows), "Opgeslagen."


def overdue_actions() -> html.Section | None:
    """Actions past their date and not done (Overzicht); only those this scope may see."""
    rows = access.readable(notes().overdue_actions(date.today().isoformat()), current_scope(),
                           _raw_schools())
    if not rows:
        return None
    return html.Section([
        html.H2(f"Verlopen acties uit het overleg ({len(rows)})"),
        html.Ul([html.Li([f"{a['description']} — {a['owner']}, uiterlijk {a['due_on']} "
                          f"({a['status']}; {a['kind']} {a['held_on']}) ",
                          dcc.Link("open het overleg", href=f"/overleg?id={a['meeting_id']}")])
                 for a in rows]),
    ], className="blok verlopen", id="verlopen-acties")
