"""CSRF tokens (Flask-WTF) on every POST: the login and logout forms and every Dash callback.

A form carries the token in a hidden field `csrf_token`. Dash's renderer sends the value of
the cookie `_csrf_token` in the header `X-CSRFToken` with every callback (dash-renderer's
getCSRFHeader), so that cookie holds the same signed token; a page on another site can neither
read the cookie nor set the header, so a forged note write or login is refused. The token
lives in the session and is valid as long as the session is (Flask-WTF's one-hour limit would
refuse a note typed slowly). Over HTTPS Flask-WTF also checks that the Referer is this site.
"""

from __future__ import annotations

from collections.abc import Callable

import flask
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf

from dashboard.security import STATIC

COOKIE = "_csrf_token"  # the name dash-renderer reads
REFUSED = ("Dit formulier is verlopen of kwam niet van deze website; er is niets opgeslagen. "
           "Laad de pagina opnieuw en probeer het nog eens.")


def init(server: flask.Flask, login_path: str,
         login_page: Callable[[str], flask.Response]) -> CSRFProtect:
    """Check a token on every POST to `server`; refusals in Dutch (the login form re-shown)."""
    server.config.update(WTF_CSRF_TIME_LIMIT=None, WTF_CSRF_FIELD_NAME="csrf_token")
    protect = CSRFProtect(server)

    @server.errorhandler(CSRFError)
    def refused(_error: CSRFError) -> flask.Response:
        if flask.request.path == login_path:
            return login_page(REFUSED)
        return flask.Response(REFUSED, status=400, mimetype="text/plain")

    @server.after_request
    def token_cookie(response: flask.Response) -> flask.Response:
        if flask.request.path.startswith(STATIC) or not server.config["WTF_CSRF_ENABLED"]:
            return response
        # Readable by the page's own script (not HttpOnly), sent to no other site (Strict).
        response.set_cookie(COOKIE, generate_csrf(), secure=flask.request.is_secure,
                            httponly=False, samesite="Strict", path="/")
        return response
    return protect


def hidden_field() -> dict:
    """Name and value of the hidden form field (for forms built as Dash components)."""
    return {"type": "hidden", "name": "csrf_token", "value": generate_csrf()}
