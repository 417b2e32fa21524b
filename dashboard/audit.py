"""The audit log: who did what when, one JSON line per event, append-only ([paths] audit).

    from dashboard import audit
    audit.record("notitie_gewijzigd", indicator="vsv", notitie_id=12)

Inside a request the user name and address are added. Fields are short labels only (keys,
codes, names of things): a field that could hold a figure, a pseudonym or a password is
refused, so the log never contains one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import flask

from dashboard.context import NotLoggedIn, app_state, current_viewer

# Field names that could carry data the log must never hold.
FORBIDDEN = ("wachtwoord", "password", "pseudoniem", "pseudonym", "bsn", "waarde", "value",
             "aantal", "count", "teller", "noemer", "numerator", "denominator", "tekst", "text")
MAX_LENGTH = 200


class AuditLog:
    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, event: str, **fields: str | int | bool | None) -> dict:
        """Append one event; returns the line written (as a dict)."""
        for key, value in fields.items():
            if any(word in key.lower() for word in FORBIDDEN):
                raise ValueError(f"Auditveld {key!r} mag niet gelogd worden (cijfers, "
                                 "pseudoniemen en wachtwoorden nooit).")
            if isinstance(value, float) or (isinstance(value, str) and len(value) > MAX_LENGTH):
                raise ValueError(f"Auditveld {key!r}: alleen korte labels, geen cijfers of "
                                 "vrije tekst.")
        line = {"tijd": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "gebeurtenis": event, **fields}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
        return line


def record(event: str, **fields: str | int | bool | None) -> dict:
    """Append `event` to the app's audit log with the current user and address."""
    context: dict = {}
    if flask.has_request_context():
        try:
            username = current_viewer().username
        except NotLoggedIn:
            username = None
        context = {"gebruiker": username, "adres": flask.request.remote_addr}
    return app_state().audit.write(event, **{**context, **fields})
