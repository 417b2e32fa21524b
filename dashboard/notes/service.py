"""The notes service: every write of a meeting, answer, action, score or toelichting goes
through here, with who acts. It refuses what the viewer's role may not do and text over the
limits of `[dashboard]`, before anything is written; pages and callbacks call it, never the
store (`dashboard.notes.store` knows nothing of roles).

A refusal is a `Refused` exception with the Dutch message the page shows; nothing was written.
Reads are passed through unchanged: what a scope may read is filtered by `access.readable`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboard.context import Viewer
from dashboard.errors import too_long
from dashboard.notes import access
from dashboard.notes.store import NotesStore
from dashboard.notes.view import CHOICES, STATUSES, iso_day
from settings import Dashboard

NOT_ALLOWED = "Alleen OOGO-partners en de analist leggen het overleg vast."
UNKNOWN_MEETING = "Onbekend overleg."
NOT_AUTHOR = "Alleen wie de actie heeft toegevoegd, kan haar wijzigen of intrekken."


class Refused(Exception):
    """The viewer may not do this, or sent what cannot be stored: nothing was written."""


class NotesService:
    """The notes database as the dashboard may use it: writes checked, reads passed on."""

    def __init__(self, store: NotesStore, limits: Dashboard) -> None:
        self._store = store
        self._limits = limits

    @property
    def store(self) -> NotesStore:
        """The store underneath, for tools and tests that set up notes as another process
        would; no page, component or callback uses it (tests/test_notes_service.py)."""
        return self._store

    # -- checks ----------------------------------------------------------------------------
    def _may_run_meetings(self, viewer: Viewer) -> None:
        if not access.may_run_meetings(viewer):
            raise Refused(NOT_ALLOWED)

    def _fits(self, limit: int, *fields: tuple[str, str]) -> None:
        refusal = too_long(limit, *fields)
        if refusal:
            raise Refused(refusal)

    def meeting_of(self, key: str) -> tuple[dict, str]:
        """The meeting and indicator of a form key 'N|indicator', when both exist and belong
        together; else Refused."""
        number, _, indicator = str(key).partition("|")
        meeting = self.meeting(int(number)) if number.isdigit() else None
        if meeting is None or indicator not in meeting["indicators"]:
            raise Refused(UNKNOWN_MEETING)
        return meeting, indicator

    # -- meetings --------------------------------------------------------------------------
    def create_meeting(self, viewer: Viewer, held_on: str, kind: str, parties: list[str],
                       indicators: list[str], areas: list[str], run_id: str,
                       figures: pd.DataFrame) -> int:
        self._may_run_meetings(viewer)
        return self._store.create_meeting(held_on, kind, parties, indicators, areas, run_id,
                                          figures, viewer.username)

    def adopt(self, viewer: Viewer, meeting_id: object) -> None:
        self._may_run_meetings(viewer)
        if not str(meeting_id).isdigit() or self.meeting(int(str(meeting_id))) is None:
            raise Refused(UNKNOWN_MEETING)
        self._store.adopt_meeting(int(str(meeting_id)), viewer.username)

    # -- answers ---------------------------------------------------------------------------
    def save_answers(self, viewer: Viewer, key: str, choices: Sequence[str | None],
                     texts: Sequence[str | None]) -> tuple[str, dict[tuple[str, int], dict]]:
        """The four answers of one indicator (choices for the first ones); an answer is
        written when it has content or existed. Returns the indicator and all answers."""
        self._may_run_meetings(viewer)
        meeting, indicator = self.meeting_of(key)
        texts = [(text or "").strip() for text in texts]
        self._fits(self._limits.max_text_chars,
                   *((f"Antwoord {n}", text) for n, text in enumerate(texts, start=1)))
        existing = self._store.answers(meeting["id"])
        choices = [*choices, *[None] * (len(texts) - len(choices))]
        for number, (choice, text) in enumerate(zip(choices, texts, strict=True), start=1):
            choice = choice if choice in CHOICES else None
            if choice or text or (indicator, number) in existing:
                self._store.save_answer(meeting["id"], indicator, number, choice, text,
                                        viewer.username)
        return indicator, self._store.answers(meeting["id"])

    # -- actions ---------------------------------------------------------------------------
    def add_action(self, viewer: Viewer, key: str, text: str | None, owner: str | None,
                   due: str | None) -> list[dict]:
        """A new action on one indicator of a meeting; returns that indicator's actions."""
        self._may_run_meetings(viewer)
        meeting, indicator = self.meeting_of(key)
        text, day = (text or "").strip(), iso_day(due)
        self._fits(self._limits.max_action_chars, ("De actie", text))
        if not text or owner not in (meeting["parties"] or ["gemeente"]) or day is None:
            raise Refused("Vul de actie, de eigenaar en een datum in.")
        self._store.add_action(meeting["id"], indicator, text, owner, day, viewer.username)
        return [a for a in self._store.actions(meeting["id"]) if a["indicator_id"] == indicator]

    def set_action_status(self, viewer: Viewer, action_id: object, status: str | None) -> None:
        self._may_run_meetings(viewer)
        if status not in STATUSES or not str(action_id).isdigit():
            raise Refused("Onbekende status.")
        try:
            self._store.set_action_status(int(str(action_id)), status, viewer.username)
        except KeyError as error:
            raise Refused(str(error.args[0])) from error

    def _own_action(self, viewer: Viewer, action_id: object) -> dict:
        """Authors change and withdraw their own actions only."""
        found = self._store.action(int(str(action_id))) if str(action_id).isdigit() else None
        if found is None:
            raise Refused("Onbekende actie.")
        if found["created_by"] != viewer.username:
            raise Refused(NOT_AUTHOR)
        return found

    def edit_action(self, viewer: Viewer, action_id: object, text: str | None,
                    due: str | None) -> None:
        action = self._own_action(viewer, action_id)
        text, day = (text or "").strip(), iso_day(due)
        self._fits(self._limits.max_action_chars, ("De actie", text))
        if not text or day is None:
            raise Refused("Vul een omschrijving en een datum in.")
        self._store.update_action(action["id"], viewer.username, description=text, due_on=day)

    def withdraw_action(self, viewer: Viewer, action_id: object) -> None:
        action = self._own_action(viewer, action_id)
        self._store.update_action(action["id"], viewer.username, withdrawn=True)

    # -- collaboration scores ----------------------------------------------------------------
    def save_scores(self, viewer: Viewer, meeting_id: object, party: str | None, shown: bool,
                    scores: Sequence[object], remarks: Sequence[str | None]) -> int:
        """The viewer's own party's scores (1–5) per building block; returns how many."""
        meeting = self.meeting(int(str(meeting_id))) if str(meeting_id).isdigit() else None
        if meeting is None or party not in (meeting["parties"] or ["gemeente"]):
            raise Refused("Kies een partij die bij dit overleg aanwezig was.")
        if not access.may_score(viewer, party):
            raise Refused("U mag alleen de scores van uw eigen organisatie vastleggen.")
        remarks = [(remark or "").strip() for remark in remarks]
        self._fits(self._limits.max_action_chars,
                   *((f"De notitie bij bouwsteen {n}", r) for n, r in enumerate(remarks, 1)))
        saved = 0
        for block, (score, remark) in enumerate(zip(scores, remarks, strict=True), start=1):
            if score in (1, 2, 3, 4, 5):
                self._store.save_score(meeting["id"], party, block, int(str(score)), remark,
                                       shown, viewer.username)
                saved += 1
        return saved

    # -- toelichtingen ---------------------------------------------------------------------
    def save_toelichting(self, viewer: Viewer, figure: tuple[str, str, str, str],
                         text: str | None, schools: pd.DataFrame) -> None:
        """The viewer's own organisation's note on one figure (indicator, level, area,
        period), where its role may explain that area."""
        indicator, level, area_code, period = figure
        if not access.may_explain(viewer, level, area_code, schools):
            raise Refused("U mag bij dit cijfer geen toelichting schrijven.")
        text = (text or "").strip()
        self._fits(self._limits.max_text_chars, ("De toelichting", text))
        if not text:
            raise Refused("Schrijf eerst een toelichting.")
        self._store.save_toelichting(indicator, level, area_code, period, viewer.organisation,
                                     text, viewer.username)

    # -- reads (no role needed: callers filter with access.readable) -----------------------
    def meeting(self, meeting_id: int) -> dict | None:
        return self._store.meeting(meeting_id)

    def meetings(self) -> list[dict]:
        return self._store.meetings()

    def answers(self, meeting_id: int) -> dict[tuple[str, int], dict]:
        return self._store.answers(meeting_id)

    def history(self, entity: str, entity_id: int) -> list[dict]:
        return self._store.history(entity, entity_id)

    def frozen(self, meeting_id: int) -> pd.DataFrame:
        return self._store.frozen(meeting_id)

    def actions(self, meeting_id: int | None = None) -> list[dict]:
        return self._store.actions(meeting_id)

    def open_actions_before(self, meeting: dict) -> list[dict]:
        return self._store.open_actions_before(meeting)

    def overdue_actions(self, today: str) -> list[dict]:
        return self._store.overdue_actions(today)

    def toelichtingen(self, indicator_id: str | None = None, level: str | None = None,
                      area_code: str | None = None, period: str | None = None) -> list[dict]:
        return self._store.toelichtingen(indicator_id, level, area_code, period)

    def scores(self) -> pd.DataFrame:
        return self._store.scores()

    def version(self) -> tuple[int | None, int]:
        return self._store.version()
