"""What every page and callback needs from the server: the published data and the viewer.

The viewer (who is logged in, their organisation and their scope) is resolved on the server
from the request for every callback and download; nothing a browser sends can change it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import flask

from dashboard.data import Published
from dashboard.notes.store import NotesStore
from privacy.scope import Scope
from settings import Dashboard


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


def published() -> Published:
    return flask.current_app.config["MONITOR_PUBLISHED"]


def notes() -> NotesStore:
    return flask.current_app.config["MONITOR_NOTES"]


def limits() -> Dashboard:
    """[dashboard]: the text and request limits (set by dashboard.errors.register)."""
    return flask.current_app.config["MONITOR_LIMITS"]


def current_viewer() -> Viewer:
    if "monitor_viewer" not in flask.g:
        flask.g.monitor_viewer = flask.current_app.config["MONITOR_VIEWER"](flask.request)
    return flask.g.monitor_viewer


def current_scope() -> Scope:
    return current_viewer().scope
