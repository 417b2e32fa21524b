"""Security headers on every response (flask-talisman), with a CSP that Dash works with;
`Cache-Control: no-store` on everything but the static code; the proxy's forwarded client
address and scheme (Werkzeug's ProxyFix) honoured only from the configured proxies.

Scripts: only our own origin plus the SHA-256 hashes of Dash's inline scripts (the renderer
start-up and any clientside callbacks, `Dash.csp_hashes()`); `_dash-config` is a JSON data
block, which a browser never executes, so it needs no exception. Styles need 'unsafe-inline':
plotly.js and the Dash DataTable insert `<style>` elements at run time. That allows styles
only, never script.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import dash
import flask
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

STATIC = ("/assets/", "/_dash-component-suites/")  # the same code for everyone, no data


class TrustedProxies:
    """WSGI middleware: X-Forwarded-For and -Proto only when the connection comes from one of
    `proxies`; anyone else's forwarded headers are ignored, so a client cannot pick the address
    the throttle counts or claim HTTPS. The peer address stays in environ["monitor.peer"]
    (the SSO header is trusted on the peer, never on a forwarded address)."""

    def __init__(self, app: Callable, proxies: Iterable[str]) -> None:
        self.app, self.proxies = app, frozenset(proxies)
        # One proxy hop; the Host header nginx passes on is used as is (no X-Forwarded-Host).
        self.fixed = ProxyFix(app, x_for=1, x_proto=1)

    def __call__(self, environ: dict, start_response: Callable):
        environ["monitor.peer"] = environ.get("REMOTE_ADDR")
        app = self.fixed if environ["monitor.peer"] in self.proxies else self.app
        return app(environ, start_response)


def trust_proxies(server: flask.Flask, proxies: Iterable[str]) -> None:
    server.wsgi_app = TrustedProxies(server.wsgi_app, proxies)


def no_store(server: flask.Flask) -> None:
    """Pages, callbacks and downloads carry data: no browser or proxy may keep a copy."""
    @server.after_request
    def never_cached(response: flask.Response) -> flask.Response:
        if not flask.request.path.startswith(STATIC):
            response.headers["Cache-Control"] = "no-store"
        return response


def add_headers(app: dash.Dash) -> Talisman:
    """Talisman on the app's server; the script hashes follow Dash's inline scripts."""
    policy = {
        "default-src": "'self'",
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    # HTTPS is terminated in front of the app; cookies get Secure per request (dashboard.auth).
    talisman = Talisman(app.server, content_security_policy=policy, force_https=False,
                        frame_options="DENY", referrer_policy="same-origin",
                        session_cookie_secure=False, session_cookie_http_only=True,
                        strict_transport_security=True, x_content_type_options=True)

    @app.server.before_request
    def hash_inline_scripts() -> None:
        # Dash registers the pages router and its clientside callback on the first request,
        # after this module ran: hash the inline scripts as they are now.
        talisman.content_security_policy["script-src"] = ["'self'", *app.csp_hashes()]
    return talisman
