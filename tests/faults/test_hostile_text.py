"""HTML and JavaScript in meeting answers, toelichtingen, actions, user names and in school,
bestuur and wijk names from landing files is shown as text — in the meeting pack (HTML and
PDF) here; in pages, tooltips and the map in test_hostile_browser.py — and text a spreadsheet
would run as a formula is neutralised in every CSV/Excel file people open."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from dashboard import format as fmt
from dashboard.notes import database, pack, transfer
from dashboard.notes.store import NotesStore
from dashboard.notes.view import IndicatorView, MeetingView
from tests.faults.tiny import IMAGE, SCRIPT

FORMULA = '=HYPERLINK("http://aanvaller.example","klik")'


def _figures(name: str) -> pd.DataFrame:
    return pd.DataFrame([{"level": "school", "area_code": "01AB00", "area_name": f"School {IMAGE}",
                          "period": "2024-2025", "value": 2.5, "ci_low": 2.0, "ci_high": 3.0,
                          "suppressed": False, "suppression_reason": None,
                          "target_status": "achter", "trajectory_value": 2.0}])


def _hostile_view() -> MeetingView:
    figures = _figures(f"School {IMAGE}")
    changed = figures.assign(value_now=2.7)
    indicator = IndicatorView(
        indicator_id="vsv", name=f"vsv {SCRIPT}", unit="percentage", period="2024-2025",
        figures=figures, trend=figures, peers={"school": f"mediaan {IMAGE}"}, changed=changed,
        toelichtingen=[{"organisation": f"Bestuur {SCRIPT}", "updated_at": "2026-03-10T10:00",
                        "level": "school", "area_code": "01AB00", "area_name": f"School {IMAGE}",
                        "text": f"Uitleg {IMAGE}"}],
        answers={1: {"choice": "ja", "text": f"Antwoord {SCRIPT}"}},
        actions=[{"description": f"Actie {IMAGE}", "owner": f"Wijk {SCRIPT}",
                  "due_on": "2026-06-01", "status": "open"}])
    meeting = {"id": 1, "kind": f"OOGO {SCRIPT}", "held_on": "2026-03-10",
               "parties": [f"gemeente {IMAGE}"], "run_id": "run-1"}
    before = [{"description": f"Eerder {SCRIPT}", "naam": "vsv", "owner": IMAGE,
               "due_on": "2026-01-01", "status": "open", "kind": "OOGO",
               "held_on": "2026-01-01", "since": f"sinds {IMAGE}"}]
    return MeetingView(meeting, [indicator], before)


def test_the_meeting_pack_html_escapes_every_user_and_landing_text() -> None:
    page = pack.render_html(_hostile_view())
    style, body = page.split("</style>", 1)
    assert "<script>" not in body and "<img" not in page
    assert "&#34;" not in style  # the pack's own stylesheet is not escaped (quotes intact)
    # kind (title, heading), indicator name (heading, chart label), organisation, answer, action
    # owner, earlier action
    assert page.count("&lt;script&gt;window.__xss = 1&lt;/script&gt;") == 8
    # area name (figures, trend, changed, toelichting, chart legend), parties, peers,
    # toelichting, action, owner, since
    assert page.count("&lt;img src=x onerror=&#34;window.__xss = 2&#34;&gt;") == 11


@pytest.mark.slow  # WeasyPrint renders a whole PDF and poppler reads it back: seconds, not ms
def test_the_meeting_pack_pdf_shows_the_markup_as_text(tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) ontbreekt: make sysdeps")
    pdf = tmp_path / "pakket.pdf"
    pdf.write_bytes(pack.render_pdf(pack.render_html(_hostile_view())))
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    assert "Antwoord <script>window.__xss = 1</script>" in text
    assert 'Uitleg <img src=x onerror="window.__xss = 2">' in text


def test_the_notes_backup_csv_neutralises_formulas_and_the_json_keeps_the_text(
        tmp_path: Path) -> None:
    engine = database.create(f"sqlite:///{tmp_path / 'notes.sqlite'}")
    database.migrate(engine)
    store = NotesStore(engine)
    meeting = store.create_meeting("2026-03-10", "OOGO", ["gemeente"], ["vsv"], [], "run-1",
                                   _figures("x").assign(indicator_id="vsv").iloc[0:0],
                                   "analist")
    for number, text in enumerate((FORMULA, "+31 6 1234", "-2 leerlingen", "@SUM(A1)"),
                                  start=1):
        store.save_answer(meeting, "vsv", number, None, text, "anna")
    store.add_action(meeting, "vsv", "\t=1+1", "gemeente", "2026-06-01", "anna")
    transfer.export(engine, tmp_path / "backup")
    with (tmp_path / "backup" / "answers.csv").open(encoding="utf-8", newline="") as handle:
        texts = [row["text"] for row in csv.DictReader(handle, delimiter=";")]
    assert texts == ["'" + FORMULA, "'+31 6 1234", "'-2 leerlingen", "'@SUM(A1)"]
    with (tmp_path / "backup" / "actions.csv").open(encoding="utf-8", newline="") as handle:
        assert [row["description"] for row in csv.DictReader(handle, delimiter=";")] == \
            ["'\t=1+1"]
    saved = json.loads((tmp_path / "backup" / "notes.json").read_text(encoding="utf-8"))
    assert saved["tables"]["answers"][0]["text"] == FORMULA  # restore gives back the original


def test_a_name_in_a_markdown_table_cell_cannot_become_a_link_or_markup() -> None:
    name = "[Klik hier](https://aanvaller.example) **vet** <b>x</b>"
    assert fmt.markdown_link(name, "/school", vestigingscode="01AB00") == (
        r"[\[Klik hier\]\(https://aanvaller\.example\) \*\*vet\*\* \<b\>x\</b\>]"
        "(/school?vestigingscode=01AB00)")
    assert fmt.markdown_link("De Kiem", "/wijk", wijkcode="WK0034 01&x=1") == \
        "[De Kiem](/wijk?wijkcode=WK0034+01%26x%3D1)"
