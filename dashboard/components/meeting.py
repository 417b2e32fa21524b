"""Parts of the meeting page: history in Dutch, actions (editable by their author, overdue
ones marked, carried ones updatable at the next meeting) and the adoption of the minutes."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from dash import dcc, html

from dashboard import format as fmt
from dashboard.context import app_state, current_viewer, limits
from dashboard.notes.view import STATUSES

LOCAL = ZoneInfo("Europe/Amsterdam")
FIELDS = {"choice": "keuze", "text": "tekst", "description": "omschrijving",
          "owner": "eigenaar", "due_on": "uiterlijk", "status": "status",
          "withdrawn": "ingetrokken", "omschrijving": "omschrijving", "score": "score",
          "note": "notitie", "shown_as_party": "als partij getoond",
          "vastgesteld": "vastgesteld", "aangemaakt": "aangemaakt"}
VALUES = {"True": "ja", "False": "nee", "None": "", None: ""}


def display_name(username: str) -> str:
    """The user's display name (the viewer's own, or from the users file), else the user
    name as recorded."""
    viewer = current_viewer()
    if viewer.username == username:
        return viewer.display_name
    try:
        user = app_state().users.all().get(username)
    except Exception:  # noqa: BLE001 - a users file being edited must not break a page
        user = None
    return user.display_name if user else username


def local_time(stamp: str) -> str:
    """'2026-12-07T12:30:00+00:00' -> '7 december 2026, 13:30' (Nederlandse tijd)."""
    moment = datetime.fromisoformat(stamp)
    if moment.tzinfo is not None:
        moment = moment.astimezone(LOCAL)
    return fmt.date(moment.replace(tzinfo=None))


def history_items(rows: list[dict]) -> html.Details:
    """The history of one answer or action, in Dutch: when, who, what, old → new."""
    return html.Details([
        html.Summary(f"Geschiedenis ({fmt.plural(len(rows), 'wijziging', 'wijzigingen')})"),
        html.Ul([html.Li(
            f"{local_time(r['changed_at'])} – {display_name(r['changed_by'])}: "
            f"{FIELDS.get(r['field'], r['field'])} "
            f"‘{VALUES.get(r['old'], r['old'])}’ → ‘{VALUES.get(r['new'], r['new'])}’")
            for r in rows])])


def overdue(action: dict, today: str | None = None) -> bool:
    return action["status"] in ("open", "bezig") and \
        action["due_on"] < (today or date.today().isoformat())


def action_item(action: dict, may_update: bool, is_author: bool, history: list[dict]) -> html.Div:
    """One action: text, owner, due date (marked when overdue), status, and for its author
    fields to change it or withdraw it."""
    ident = str(action["id"])
    late = overdue(action)
    parts = [
        html.Span(f"{action['description']} — {action['owner']}, uiterlijk "
                  f"{fmt.date(action['due_on'])}"),
        html.Strong(" verlopen", className="verlopen-teken") if late else None,
        html.Div(dcc.RadioItems(list(STATUSES), action["status"], inline=True,
                                id={"type": "actie-status", "key": ident}),
                 role="group", **{"aria-label": f"Status: {action['description'][:60]}"})
        if may_update else html.Strong(f" ({action['status']})"),
        html.Span(id={"type": "actie-status-melding", "key": ident}, role="status"),
    ]
    if is_author:
        parts.append(html.Details([
            html.Summary("Wijzigen of intrekken"),
            html.Label(["Omschrijving", dcc.Input(
                id={"type": "actie-wijzig-tekst", "key": ident}, value=action["description"],
                type="text", maxLength=limits().max_action_chars)]),
            html.Label(["Uiterlijk (JJJJ-MM-DD)", dcc.Input(
                id={"type": "actie-wijzig-datum", "key": ident}, value=action["due_on"],
                type="text", maxLength=10)]),
            html.Button("Wijziging opslaan", id={"type": "actie-wijzig", "key": ident},
                        n_clicks=0, className="knop"),
            html.Button("Actie intrekken", id={"type": "actie-intrekken", "key": ident},
                        n_clicks=0, className="knop"),
            html.Span(id={"type": "actie-wijzig-melding", "key": ident}, role="status"),
        ]))
    parts.append(history_items(history))
    return html.Div(parts, className="actie verlopen" if late else "actie",
                    id=f"actie-{ident}")


def adoption(meeting: dict, may_adopt: bool) -> html.Section:
    """Vastgesteld (by whom, when) or the button that adopts the minutes."""
    if meeting.get("adopted_at"):
        return html.Section([html.P([
            html.Strong("Vastgesteld"), f" op {local_time(meeting['adopted_at'])} door "
            f"{display_name(meeting['adopted_by'])}. Wijzigingen hierna staan als amendement "
            "naast de vastgestelde tekst, met hun geschiedenis."])],
            className="blok vastgesteld", id="vaststelling")
    return html.Section([
        html.H2("Overleg afsluiten"),
        html.P("Vaststellen legt de antwoorden en acties vast zoals ze nu zijn; latere "
               "wijzigingen worden amendementen."),
        html.Button("Overleg vaststellen", id="overleg-vaststellen", n_clicks=0,
                    className="knop") if may_adopt else None,
        html.Span(id="vaststellen-melding", role="status"),
    ], className="blok", id="vaststelling")


def adopted_text(meeting: dict, indicator: str, number: int, current: dict | None
                 ) -> html.Div | None:
    """The adopted answer beside the current one when they differ (an amendment)."""
    minutes = (meeting.get("minutes") or {}).get("answers", {})
    fixed = minutes.get(f"{indicator}|{number}")
    now = {"choice": current["choice"], "text": current["text"]} if current else None
    if not meeting.get("adopted_at") or fixed == now:
        return None
    was = " – ".join(x for x in ((fixed or {}).get("choice"), (fixed or {}).get("text")) if x)
    return html.Div([html.Strong("Vastgesteld: "), was or "(leeg)",
                     html.Br(), html.Strong("Amendement na vaststelling: "),
                     "zie hieronder en de geschiedenis."], className="amendement")
