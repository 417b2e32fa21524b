"""Rendered pages, cached per viewer: the answer of the Dash pages router, reused while the
published run, the notes, the viewer's scope and the day are the same.

Rendering a page builds its tables and figures (on national data: thousands of schools); the
answer is the same until one of those changes. Only the router's callback is cached (it has no
side effects); every other callback, download and save runs as before. The key holds the user
name and scope, so no one is ever served a page rendered for someone else, and the guard that
refuses requests without a login runs first. Entries live in the dashboard's disk cache,
shared by the gunicorn workers.
"""

from __future__ import annotations

import datetime
import hashlib
import json

import flask
from cachelib import FileSystemCache

from dashboard import dash_internals
from dashboard.context import current_viewer, notes, published
from dashboard.data import NotPublished
from dashboard.notes.store import NotesUnavailable


def _key(body: bytes) -> str | None:
    """The cache key of a page render request, or None when it must not be cached."""
    if not dash_internals.renders_page(body):
        return None
    try:
        version, notice = published().state()
        state = [version.name, notice, notes().version()]
    except (NotPublished, NotesUnavailable):
        return None
    viewer = current_viewer()
    raw = json.dumps([*state, viewer.username, viewer.scope.key,
                      datetime.date.today().isoformat()], default=str).encode() + body
    return hashlib.sha256(raw).hexdigest()


def register(server: flask.Flask, cache: FileSystemCache) -> None:
    """Serve and keep rendered pages; call after the login guard is registered."""
    @server.before_request
    def cached_page() -> flask.Response | None:
        if flask.request.method != "POST" \
                or flask.request.path != dash_internals.UPDATE_PATH:
            return None
        key = _key(flask.request.get_data())
        if key is None:
            return None
        found = cache.get(key)
        if found is not None:
            return flask.Response(found, mimetype="application/json")
        flask.g.page_cache_key = key
        return None

    @server.after_request
    def keep_page(response: flask.Response) -> flask.Response:
        key = flask.g.pop("page_cache_key", None)
        if key is not None and response.status_code == 200 and not response.direct_passthrough:
            cache.set(key, response.get_data())
        return response
