"""Who may read and write which notes. Every callback asks here; nothing comes from the browser.

- OOGO partners and the analyst create meetings and write answers and actions;
- a school board writes toelichtingen on the figures of its own schools and its own bestuur;
- every party present scores the collaboration for its own organisation only;
- everyone reads notes on figures their scope may see by name: regio, gemeente, wijk and swv
  for all, schools and besturen only where the scope names them (own ones; besturen for the
  OOGO partner; all for the analyst), so partners at one table read the same minutes.
"""

from __future__ import annotations

import pandas as pd

from dashboard.context import Viewer
from privacy.scope import Scope

OPEN_LEVELS = ("regio", "gemeente", "wijk", "swv")
MEETING_ROLES = ("analist", "oogo")


def may_run_meetings(viewer: Viewer) -> bool:
    """Create meetings, answer the four questions, agree and update actions."""
    return viewer.scope.role in MEETING_ROLES


def may_read_area(scope: Scope, level: str, area_code: str, schools: pd.DataFrame) -> bool:
    """May notes about this area be shown to this scope (they could name it)?"""
    if level in OPEN_LEVELS or scope.names_level(level):
        return True
    if level == "school":
        return area_code in scope.own_school_codes(schools)
    return level == "bestuur" and area_code == scope.bestuur


def may_explain(viewer: Viewer, level: str, area_code: str, schools: pd.DataFrame) -> bool:
    """Write a toelichting on a figure of this area (as the viewer's own organisation)."""
    if viewer.scope.role in MEETING_ROLES:
        return may_read_area(viewer.scope, level, area_code, schools)
    if level == "school":
        return area_code in viewer.scope.own_school_codes(schools)
    return level == "bestuur" and area_code == viewer.scope.bestuur


def own_party(viewer: Viewer, parties: list[str]) -> str | None:
    """The meeting party that is the viewer's own organisation (case aside), if present."""
    return next((p for p in parties if p.casefold() == viewer.organisation.casefold()), None)


def may_score(viewer: Viewer, party: str) -> bool:
    """Record a collaboration score: every party scores only its own organisation."""
    return party.casefold() == viewer.organisation.casefold()


def readable(rows: list[dict], scope: Scope, schools: pd.DataFrame) -> list[dict]:
    """Only the notes about areas this scope may see."""
    return [row for row in rows
            if may_read_area(scope, row["level"], row["area_code"], schools)]
