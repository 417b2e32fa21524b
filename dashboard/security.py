"""Security headers on every response (flask-talisman), with a CSP that Dash works with.

Scripts: only our own origin plus the SHA-256 hashes of Dash's inline scripts (the renderer
start-up and any clientside callbacks, `Dash.csp_hashes()`); `_dash-config` is a JSON data
block, which a browser never executes, so it needs no exception. Styles need 'unsafe-inline':
plotly.js and the Dash DataTable insert `<style>` elements at run time. That allows styles
only, never script.
"""

from __future__ import annotations

import dash
from flask_talisman import Talisman


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
