"""Reading and writing notes; every change also lands in the history (who, when, old, new).

The store knows nothing about roles: callers check `access` first and pass who acts. The one
call site for an external audit log is `NotesStore.on_change` (see `_record`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import (
    Connection,
    Engine,
    Table,
    and_,
    exc,
    false,
    func,
    insert,
    select,
    update,
)

from dashboard.notes.schema import (
    actions,
    answers,
    collaboration_scores,
    frozen_figures,
    history,
    meetings,
    toelichtingen,
)

Change = dict  # entity, entity_id, field, old, new, changed_by, changed_at
FROZEN_COLUMNS = ("indicator_id", "level", "area_code", "area_name", "period", "value",
                  "ci_low", "ci_high", "suppressed", "suppression_reason", "target_status",
                  "trajectory_value")
OPEN = ("open", "bezig")
UNAVAILABLE = ("De notitiedatabase is nu niet bereikbaar of bezet ({reason}). Er is niets "
               "opgeslagen; wat al was opgeslagen blijft bewaard. Uw tekst staat nog in het "
               "invulveld: probeer het over een minuut opnieuw.")


class NotesUnavailable(Exception):
    """The notes database is locked, read-only or unreachable: nothing was written."""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _clean(value):
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def _reason(error: exc.DBAPIError) -> str:
    text = str(error.orig).lower()
    if "locked" in text or "lock timeout" in text:
        return "bezet door een andere schrijver"
    if "readonly" in text or "read-only" in text or "read only" in text:
        return "alleen-lezen"
    return "geen verbinding"


class NotesStore:
    def __init__(self, engine: Engine, on_change: Callable[[Change], None] | None = None):
        self.engine = engine
        self.on_change = on_change

    @contextmanager
    def _open(self, write: bool) -> Iterator[Connection]:
        """A connection (a transaction when `write`); database trouble -> NotesUnavailable."""
        try:
            with self.engine.begin() if write else self.engine.connect() as connection:
                yield connection
        except (exc.OperationalError, exc.InterfaceError) as error:
            raise NotesUnavailable(UNAVAILABLE.format(reason=_reason(error))) from error

    # -- history ------------------------------------------------------------------------
    def _record(self, connection, entity: str, entity_id: int, field: str, old, new,
                who: str) -> None:
        change = {"entity": entity, "entity_id": entity_id, "field": field,
                  "old": None if old is None else str(old),
                  "new": None if new is None else str(new), "changed_by": who,
                  "changed_at": now()}
        connection.execute(insert(history).values(**change))
        if self.on_change is not None:  # audit log hook, connected by the app
            self.on_change(change)

    def _upsert(self, table: Table, entity: str, key: dict, values: dict, who: str) -> int:
        """Insert or update the row with `key`; history for every field that changed."""
        for attempt in (1, 2):
            try:
                return self._upsert_once(table, entity, key, values, who)
            except exc.IntegrityError:  # another writer inserted the same key just now
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _upsert_once(self, table: Table, entity: str, key: dict, values: dict,
                     who: str) -> int:
        where = and_(*(table.c[name] == value for name, value in key.items()))
        stamp = {"updated_by": who, "updated_at": now()}
        with self._open(write=True) as connection:
            row = connection.execute(select(table).where(where).with_for_update()).mappings()\
                .first()
            if row is None:
                row_id = connection.execute(
                    insert(table).values(**key, **values, **stamp)).inserted_primary_key[0]
                old = dict.fromkeys(values)
            else:
                row_id, old = row["id"], dict(row)
                changed = {k: v for k, v in values.items() if old[k] != v}
                if not changed:
                    return row_id
                connection.execute(update(table).where(table.c.id == row_id)
                                   .values(**changed, **stamp))
            for field, value in values.items():
                if old[field] != value:
                    self._record(connection, entity, row_id, field, old[field], value, who)
            return row_id

    def version(self) -> tuple[int | None, int]:
        """Changes so far (last history id, count): every write through this store adds one,
        so cached pages that show notes know when they are stale."""
        with self._open(write=False) as connection:
            last, count = connection.execute(
                select(func.max(history.c.id), func.count()).select_from(history)).one()
        return last, count

    def history(self, entity: str, entity_id: int) -> list[dict]:
        query = select(history).where(history.c.entity == entity,
                                      history.c.entity_id == entity_id).order_by(history.c.id)
        return self._rows(query)

    def _rows(self, query) -> list[dict]:
        with self._open(write=False) as connection:
            return [dict(row) for row in connection.execute(query).mappings()]

    # -- meetings -----------------------------------------------------------------------
    def create_meeting(self, held_on: str, kind: str, parties: list[str],
                       indicators: list[str], areas: list[str], run_id: str,
                       figures: pd.DataFrame, who: str) -> int:
        """A meeting with its own copy of the figures it shows (frozen to `run_id`)."""
        record = {"held_on": held_on, "kind": kind, "parties": json.dumps(parties),
                  "indicators": json.dumps(indicators), "areas": json.dumps(areas),
                  "run_id": run_id, "created_by": who, "created_at": now()}
        rows = [{k: _clean(v) for k, v in row.items()}
                for row in figures[list(FROZEN_COLUMNS)].to_dict("records")]
        with self._open(write=True) as connection:
            meeting_id = connection.execute(insert(meetings).values(**record))\
                .inserted_primary_key[0]
            if rows:
                connection.execute(insert(frozen_figures),
                                   [{**row, "meeting_id": meeting_id} for row in rows])
            self._record(connection, "meeting", meeting_id, "aangemaakt", None,
                         f"{kind} {held_on}", who)
        return meeting_id

    @staticmethod
    def _meeting(row: dict) -> dict:
        return {**row, **{k: json.loads(row[k]) for k in ("parties", "indicators", "areas")},
                "minutes": json.loads(row["minutes"]) if row.get("minutes") else None}

    def meetings(self) -> list[dict]:
        query = select(meetings).order_by(meetings.c.held_on.desc(), meetings.c.id.desc())
        return [self._meeting(row) for row in self._rows(query)]

    def meeting(self, meeting_id: int) -> dict | None:
        found = self._rows(select(meetings).where(meetings.c.id == meeting_id))
        return self._meeting(found[0]) if found else None

    def frozen(self, meeting_id: int) -> pd.DataFrame:
        query = select(*(frozen_figures.c[c] for c in FROZEN_COLUMNS))\
            .where(frozen_figures.c.meeting_id == meeting_id)
        frame = pd.DataFrame(self._rows(query), columns=list(FROZEN_COLUMNS))
        return frame.astype({"value": float, "ci_low": float, "ci_high": float,
                             "trajectory_value": float, "suppressed": bool})

    # -- answers ------------------------------------------------------------------------
    def save_answer(self, meeting_id: int, indicator_id: str, question: int,
                    choice: str | None, text: str, who: str) -> int:
        key = {"meeting_id": meeting_id, "indicator_id": indicator_id, "question": question}
        return self._upsert(answers, "answer", key, {"choice": choice, "text": text}, who)

    def answers(self, meeting_id: int) -> dict[tuple[str, int], dict]:
        rows = self._rows(select(answers).where(answers.c.meeting_id == meeting_id))
        return {(row["indicator_id"], row["question"]): row for row in rows}

    # -- toelichtingen ------------------------------------------------------------------
    def save_toelichting(self, indicator_id: str, level: str, area_code: str, period: str,
                         organisation: str, text: str, who: str) -> int:
        key = {"indicator_id": indicator_id, "level": level, "area_code": area_code,
               "period": period, "organisation": organisation}
        return self._upsert(toelichtingen, "toelichting", key, {"text": text}, who)

    def toelichtingen(self, indicator_id: str | None = None, level: str | None = None,
                      area_code: str | None = None, period: str | None = None) -> list[dict]:
        conditions = [toelichtingen.c[name] == value for name, value in
                      (("indicator_id", indicator_id), ("level", level),
                       ("area_code", area_code), ("period", period)) if value is not None]
        query = select(toelichtingen).where(*conditions).order_by(
            toelichtingen.c.period, toelichtingen.c.organisation)
        return self._rows(query)

    # -- actions ------------------------------------------------------------------------
    def add_action(self, meeting_id: int, indicator_id: str, description: str, owner: str,
                   due_on: str, who: str, level: str = "gemeente", area_code: str = "") -> int:
        values = {"meeting_id": meeting_id, "indicator_id": indicator_id,
                  "description": description, "owner": owner, "due_on": due_on,
                  "status": "open", "level": level, "area_code": area_code,
                  "created_by": who, "updated_by": who, "updated_at": now()}
        with self._open(write=True) as connection:
            action_id = connection.execute(insert(actions).values(**values))\
                .inserted_primary_key[0]
            self._record(connection, "action", action_id, "omschrijving", None, description,
                         who)
        return action_id

    def set_action_status(self, action_id: int, status: str, who: str) -> None:
        self.update_action(action_id, who, status=status)

    def action(self, action_id: int) -> dict | None:
        found = self._rows(select(actions).where(actions.c.id == action_id))
        return found[0] if found else None

    def update_action(self, action_id: int, who: str, **values: str | bool) -> None:
        """Change an action's description, owner, due date, status or `withdrawn` (a delete
        that keeps its history); every changed field lands in the history."""
        if self.action(action_id) is None:
            raise KeyError(f"Onbekende actie {action_id}.")
        allowed = {"description", "owner", "due_on", "status", "withdrawn"}
        self._upsert(actions, "action", {"id": action_id},
                     {k: v for k, v in values.items() if k in allowed}, who)

    def actions(self, meeting_id: int | None = None, withdrawn: bool = False) -> list[dict]:
        """Actions by due date; withdrawn ones only when asked (`withdrawn=True`)."""
        query = select(actions, meetings.c.held_on, meetings.c.kind)\
            .join(meetings, meetings.c.id == actions.c.meeting_id)\
            .order_by(actions.c.due_on, actions.c.id)
        if not withdrawn:
            query = query.where(actions.c.withdrawn == false())
        if meeting_id is not None:
            query = query.where(actions.c.meeting_id == meeting_id)
        return self._rows(query)

    def open_actions_before(self, meeting: dict) -> list[dict]:
        """Open actions agreed in earlier meetings: what this meeting opens with."""
        return [a for a in self.actions() if a["status"] in OPEN
                and (a["held_on"], a["meeting_id"]) < (meeting["held_on"], meeting["id"])]

    def overdue_actions(self, today: str) -> list[dict]:
        return [a for a in self.actions() if a["status"] in OPEN and a["due_on"] < today]

    # -- adoption ------------------------------------------------------------------------
    def adopt_meeting(self, meeting_id: int, who: str) -> None:
        """Vaststellen: the minutes (answers and actions as they are now) are fixed; later
        changes stay possible and are shown as amendments beside the adopted text."""
        meeting = self.meeting(meeting_id)
        if meeting is None:
            raise KeyError(f"Onbekend overleg {meeting_id}.")
        if meeting["adopted_at"]:
            return
        minutes = {"answers": {f"{i}|{q}": {"choice": a["choice"], "text": a["text"]}
                               for (i, q), a in self.answers(meeting_id).items()},
                   "actions": {str(a["id"]): {k: a[k] for k in ("description", "owner",
                                                                  "due_on", "status")}
                               for a in self.actions(meeting_id)}}
        with self._open(write=True) as connection:
            connection.execute(update(meetings).where(meetings.c.id == meeting_id).values(
                adopted_at=now(), adopted_by=who, minutes=json.dumps(minutes)))
            self._record(connection, "meeting", meeting_id, "vastgesteld", None,
                         "vastgesteld", who)

    # -- collaboration ------------------------------------------------------------------
    def save_score(self, meeting_id: int, party: str, block: int, score: int, note: str,
                   shown_as_party: bool, who: str) -> int:
        key = {"meeting_id": meeting_id, "party": party, "block": block}
        values = {"score": score, "note": note, "shown_as_party": shown_as_party}
        return self._upsert(collaboration_scores, "score", key, values, who)

    def scores(self) -> pd.DataFrame:
        query = select(collaboration_scores, meetings.c.held_on, meetings.c.kind)\
            .join(meetings, meetings.c.id == collaboration_scores.c.meeting_id)
        rows = self._rows(query)
        return pd.DataFrame(rows, columns=[*collaboration_scores.c.keys(), "held_on", "kind"])
