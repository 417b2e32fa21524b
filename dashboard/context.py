"""What every page and callback needs from the server: the published data and the viewer.

The viewer scope is resolved on the server from the request for every callback and download;
nothing a browser sends can change it.
"""

from __future__ import annotations

from collections.abc import Callable

import flask

from dashboard.data import Published
from privacy.scope import Scope

ViewerResolver = Callable[[flask.Request], Scope]


def published() -> Published:
    return flask.current_app.config["MONITOR_PUBLISHED"]


def current_scope() -> Scope:
    return flask.current_app.config["MONITOR_VIEWER"](flask.request)
