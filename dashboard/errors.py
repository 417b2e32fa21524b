"""What a user sees when something fails: a Dutch message, never a stack trace.

- A callback that fails (notes database locked or gone, nothing readable published, an
  unexpected error) leaves the page as it was — typed text stays in its box — and shows why in
  the alert at the top of every page (`ALERT`). Unexpected errors are logged on the server.
- Requests larger than `[dashboard] max_request_kb` are refused (413) before Dash reads them.
- Text fields longer than their limit are refused by the callback that saves them
  (`too_long`), with the length and the limit, and nothing is saved.
"""

from __future__ import annotations

import logging

import dash
import flask
from dash import html
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from dashboard import format as fmt
from dashboard.data import NotPublished
from dashboard.notes.store import NotesUnavailable
from settings import Dashboard

ALERT = "foutmelding"
UNEXPECTED = ("Er ging iets mis op de server; er is niets gewijzigd. Probeer het opnieuw of "
              "meld het aan de beheerder (tijdstip staat in het serverlog).")
TOO_LARGE = ("Het verzoek is te groot (meer dan {limit} kB) en is geweigerd; er is niets "
             "opgeslagen. Maak de tekst korter.")
KNOWN = (NotPublished, NotesUnavailable)
log = logging.getLogger(__name__)


def message(error: BaseException) -> str:
    """The Dutch text a user sees for `error`; unexpected errors are logged, never shown."""
    if isinstance(error, KNOWN):
        return str(error)
    log.error("Onverwachte fout", exc_info=error)
    return UNEXPECTED


def on_callback_error(error: Exception) -> None:
    """Dash's `on_error`: outputs stay as they were, the alert says what happened (and the
    answer is not kept as a rendered page: dashboard.page_cache)."""
    flask.g.pop("page_cache_key", None)
    dash.set_props(ALERT, {"children": message(error)})


def alert(notice: str | None) -> html.Div:
    """The alert at the top of every page; `notice` when an older version is shown."""
    return html.Div(notice, id=ALERT, role="alert", className="foutmelding")


def too_long(limit: int, *fields: tuple[str, str]) -> str | None:
    """A refusal naming the first (name, text) field over `limit`; None when all fit."""
    for what, text in fields:
        if len(text) > limit:
            return (f"{what} is te lang: {fmt.number(len(text), 0)} tekens, maximaal "
                    f"{fmt.number(limit, 0)}. Er is niets opgeslagen; maak de tekst korter.")
    return None


def register(server: flask.Flask, limits: Dashboard) -> None:
    """Request size limit and Dutch error responses for everything outside the callbacks."""
    server.config["MAX_CONTENT_LENGTH"] = limits.max_request_kb * 1024

    @server.errorhandler(RequestEntityTooLarge)
    def too_large(_error: HTTPException) -> flask.Response:
        return flask.Response(TOO_LARGE.format(limit=limits.max_request_kb), status=413,
                              mimetype="text/plain")

    @server.errorhandler(NotPublished)
    @server.errorhandler(NotesUnavailable)
    def unavailable(error: Exception) -> flask.Response:
        return flask.Response(str(error), status=503, mimetype="text/plain")

    @server.errorhandler(Exception)
    def unexpected(error: Exception) -> flask.Response:
        if isinstance(error, HTTPException):
            return error
        return flask.Response(message(error), status=500, mimetype="text/plain")
