"""The notes service on a tiny SQLite store: what a role may not do is refused before
anything is written, however the call is made (a forged callback reaches the same service)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pandas as pd
import pytest

from dashboard.app import create_app
from dashboard.context import Viewer, app_state
from dashboard.notes import database
from dashboard.notes.service import NOT_ALLOWED, NotesService, Refused
from dashboard.notes.store import FROZEN_COLUMNS, NotesStore
from privacy.scope import Scope
from settings import PROJECT_ROOT, load_settings
from tests.faults import tiny

ANALYST = Viewer("ann", "Ann", "gemeente", Scope("analist"))
PARTNER = Viewer("piet", "Piet", "jeugdhulp", Scope("oogo"))
BOARD = Viewer("bea", "Bea", "Stichting Kiem", Scope("bestuur", "41234"))
SCHOOLS = pd.DataFrame({"vestigingscode": ["01AB00", "02CD00"],
                        "bevoegd_gezag": ["41234", "49999"]})


@pytest.fixture
def service(tmp_path: Path) -> NotesService:
    engine = database.create(f"sqlite:///{tmp_path / 'notes.sqlite'}")
    database.migrate(engine)
    limits = dataclasses.replace(load_settings().dashboard, max_text_chars=20,
                                 max_action_chars=12)
    return NotesService(NotesStore(engine), limits)


@pytest.fixture
def meeting(service: NotesService) -> int:
    return service.create_meeting(ANALYST, "2026-03-10", "OOGO", ["gemeente", "jeugdhulp"],
                                  ["vsv"], [], "run-1", pd.DataFrame(columns=FROZEN_COLUMNS))


def _refused(call, *args) -> str:
    with pytest.raises(Refused) as refusal:
        call(*args)
    return str(refusal.value)


def test_a_board_cannot_write_any_part_of_a_meeting(service: NotesService,
                                                    meeting: int) -> None:
    key = f"{meeting}|vsv"
    forged = [
        (service.create_meeting, BOARD, "2026-04-01", "OOGO", [], ["vsv"], [], "run-1",
         pd.DataFrame(columns=FROZEN_COLUMNS)),
        (service.save_answers, BOARD, key, ("ja",), ["Vervalst"]),
        (service.add_action, BOARD, key, "Vervalst", "gemeente", "2026-06-01"),
        (service.adopt, BOARD, meeting),
    ]
    for call, *args in forged:
        assert _refused(call, *args) == NOT_ALLOWED
    assert len(service.meetings()) == 1 and service.answers(meeting) == {}
    assert service.actions(meeting) == [] and service.meeting(meeting)["adopted_at"] is None
    action = service.add_action(PARTNER, key, "Plan", "jeugdhulp", "2026-06-01")[0]
    assert _refused(service.set_action_status, BOARD, action["id"], "afgerond") == NOT_ALLOWED
    assert service.actions(meeting)[0]["status"] == "open"


def test_a_partner_writes_answers_and_actions_of_an_existing_meeting_only(
        service: NotesService, meeting: int) -> None:
    indicator, answers = service.save_answers(PARTNER, f"{meeting}|vsv", ("deels", "bogus"),
                                              [" Herkenbaar ", "", "", ""])
    assert indicator == "vsv"
    assert {k: (a["choice"], a["text"], a["updated_by"]) for k, a in answers.items()} == {
        ("vsv", 1): ("deels", "Herkenbaar", "piet")}  # an unknown choice is not stored
    for key in (f"{meeting}|thuiszitters", f"{meeting + 1}|vsv", "x|vsv"):
        assert _refused(service.save_answers, PARTNER, key, (), ["Iets"]) == "Onbekend overleg."
    assert _refused(service.add_action, PARTNER, f"{meeting}|vsv", "Plan", "onderwijs",
                    "2026-06-01") == "Vul de actie, de eigenaar en een datum in."
    assert service.actions(meeting) == []


def test_text_over_the_limits_is_refused_and_nothing_is_written(service: NotesService,
                                                                meeting: int) -> None:
    refusal = _refused(service.save_answers, ANALYST, f"{meeting}|vsv", (),
                       ["kort", "x" * 21])
    assert refusal.startswith("Antwoord 2 is te lang: 21 tekens, maximaal 20.")
    assert service.answers(meeting) == {}  # answer 1 fitted, but nothing was written
    assert "te lang" in _refused(service.add_action, ANALYST, f"{meeting}|vsv", "x" * 13,
                                 "gemeente", "2026-06-01")
    assert "te lang" in _refused(service.save_toelichting, ANALYST,
                                 ("vsv", "gemeente", "GM0034", "2024-2025"), "x" * 21, SCHOOLS)
    assert service.actions(meeting) == [] and service.toelichtingen() == []


def test_only_the_author_changes_or_withdraws_an_action(service: NotesService,
                                                        meeting: int) -> None:
    (action,) = service.add_action(PARTNER, f"{meeting}|vsv", "Plan", "jeugdhulp",
                                   "2026-06-01")
    for call, *args in ((service.edit_action, ANALYST, action["id"], "Anders", "2026-07-01"),
                        (service.withdraw_action, ANALYST, action["id"])):
        assert _refused(call, *args).startswith("Alleen wie de actie heeft toegevoegd")
    service.edit_action(PARTNER, action["id"], "Beter plan", "2026-07-01")
    service.withdraw_action(PARTNER, action["id"])
    (changed,) = service.store.actions(meeting, withdrawn=True)
    assert (changed["description"], changed["due_on"], changed["withdrawn"]) == \
        ("Beter plan", "2026-07-01", True)


def test_every_party_scores_only_its_own_organisation(service: NotesService,
                                                      meeting: int) -> None:
    assert _refused(service.save_scores, PARTNER, meeting, "gemeente", True, [4], [""]) == \
        "U mag alleen de scores van uw eigen organisatie vastleggen."
    assert _refused(service.save_scores, PARTNER, meeting, "onderwijs", True, [4], [""]) == \
        "Kies een partij die bij dit overleg aanwezig was."
    assert service.save_scores(PARTNER, meeting, "jeugdhulp", False, [4, None, 9], ["", "", ""]) \
        == 1  # only scores 1-5 are stored
    assert service.scores()[["party", "block", "score"]].values.tolist() == [["jeugdhulp", 1, 4]]


def test_a_board_explains_figures_of_its_own_schools_only(service: NotesService) -> None:
    theirs = ("vsv", "school", "02CD00", "2024-2025")
    assert _refused(service.save_toelichting, BOARD, theirs, "Vervalst", SCHOOLS) == \
        "U mag bij dit cijfer geen toelichting schrijven."
    service.save_toelichting(BOARD, ("vsv", "school", "01AB00", "2024-2025"), "Eigen", SCHOOLS)
    assert [(n["area_code"], n["organisation"], n["updated_by"])
            for n in service.toelichtingen()] == [("01AB00", "Stichting Kiem", "bea")]


def test_pages_and_callbacks_reach_notes_only_through_the_service() -> None:
    """The store knows nothing of roles: no page, component or the app writes to it."""
    dashboard = PROJECT_ROOT / "dashboard"
    files = [*dashboard.glob("pages/*.py"), *dashboard.glob("components/*.py"),
             *dashboard.glob("*.py")]
    offenders = [path.relative_to(PROJECT_ROOT).as_posix() for path in files
                 if re.search(r"\.store\.|\._store\b|\bNotesStore\b",
                              path.read_text(encoding="utf-8"))
                 and path.name != "app.py"]
    assert offenders == []
    app = (dashboard / "app.py").read_text(encoding="utf-8")
    assert app.count("NotesStore(") == 1 and "NotesService(store" in app


def test_a_forged_edit_of_someone_elses_action_is_refused_through_the_callback(
        tmp_path: Path) -> None:
    """The page's own callback, sent as anyone could forge it: the service refuses it."""
    acting = [tiny.ANALYST]
    app = create_app(tiny.settings(tmp_path), viewer=lambda _request: acting[0])
    meeting, store = tiny.meeting(app), app_state(app.server).notes.store
    with app.server.app_context():  # the audit log records the new action
        action = store.add_action(meeting, "vsv", "Plan", "gemeente", "2026-06-01", "analist")

    def edit(viewer: Viewer, text: str) -> str:
        acting[0] = viewer
        reply = tiny.callback(app.server.test_client(), str(action), ["actie-wijzig-melding"],
                              "actie-wijzig", {"actie-wijzig-tekst": text,
                                               "actie-wijzig-datum": "2026-07-01"})
        return tiny.message(reply, "actie-wijzig-melding")
    assert edit(PARTNER, "Vervalst").startswith("Alleen wie de actie heeft toegevoegd")
    assert store.action(action)["description"] == "Plan"
    assert edit(tiny.ANALYST, "Beter plan") == "Wijziging opgeslagen (zie de geschiedenis)."
    assert (store.action(action)["description"], store.action(action)["due_on"]) == \
        ("Beter plan", "2026-07-01")
