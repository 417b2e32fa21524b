"""What every page and callback needs from the server: the published data and the viewer.

The viewer (who is logged in, their organisation and their scope) is resolved on the server
from the request for every callback and download; nothing a browser sends can change it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import flask

from privacy.scope import Scope
from settings import Dashboard

if TYPE_CHECKING:  # the services import this module for Viewer
    from dashboard.audit import AuditLog
    from dashboard.auth import UserStore
    from dashboard.data import Published
    from dashboard.notes.service import NotesService


@dataclass(frozen=True)
class Viewer:
    """The person behind a request: user name, display name, organisation and scope."""

    username: str
    display_name: str
    organisation: str
    scope: Scope


class NotLoggedIn(Exception):
    """The request has no (valid) login: pages redirect to /inloggen, the rest gets 401."""


# Returns the viewer of a request, or raises NotLoggedIn.
ViewerResolver = Callable[[flask.Request], Viewer]


@dataclass(frozen=True)
class AppState:
    """Everything the app's pages and callbacks use, made once by `dashboard.app.create_app`
    and kept in `server.extensions["monitor"]` (no string-keyed config entries)."""

    published: Published
    notes: NotesService
    audit: AuditLog
    viewer: ViewerResolver
    limits: Dashboard
    users: UserStore  # the users file (names shown beside notes, the login page)
    demo_file: Path  # where `python -m dashboard.demo` wrote the demo logins


EXTENSION = "monitor"


def install(server: flask.Flask, state: AppState) -> None:
    server.extensions[EXTENSION] = state


def app_state(server: flask.Flask | None = None) -> AppState:
    """The state of `server`, or of the app handling the current request."""
    return (server or flask.current_app).extensions[EXTENSION]


def published() -> Published:
    return app_state().published


def notes() -> NotesService:
    """The notes service (access and limits checked there); pages never use the store."""
    return app_state().notes


def limits() -> Dashboard:
    """[dashboard]: the text and request limits."""
    return app_state().limits


def current_viewer() -> Viewer:
    if "monitor_viewer" not in flask.g:
        flask.g.monitor_viewer = app_state().viewer(flask.request)
    return flask.g.monitor_viewer


def current_scope() -> Scope:
    return current_viewer().scope
