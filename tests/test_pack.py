"""The meeting pack on paper: rendered to PNG pages (pdftoppm) and read back (pdftotext).

The first pages are written to docs/img/ for docs/dashboard.md.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from dashboard.app import create_app
from dashboard.context import Viewer, app_state
from dashboard.notes import figures
from dashboard.notes.pack_chart import STYLES, TARGET
from dashboard.notes.view import HIDDEN_NOTE
from privacy.scope import Scope
from settings import PROJECT_ROOT
from tests.conftest import SampleRun

DOCS_IMG = PROJECT_ROOT / "docs" / "img"
INDICATOR = "jeugdhulp_verblijf"  # has a gemeente target in the sample's doelen
pytestmark = pytest.mark.slow


def _rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])


def _pixels(page: Path) -> np.ndarray:
    """The RGB pixels of a binary PPM page (pdftoppm's own format: no imaging library)."""
    data = page.read_bytes()
    fields, offset = [], 0
    while len(fields) < 4:  # magic, width, height, maxval, separated by whitespace
        while data[offset:offset + 1].isspace():
            offset += 1
        end = offset
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[offset:end])
        offset = end
    return np.frombuffer(data[offset + 1:], dtype=np.uint8).reshape(-1, 3).astype(int)


def _has_colour(page: Path, colour: str, minimum: int = 30) -> bool:
    pixels = _pixels(page)
    return int((np.abs(pixels - _rgb(colour)).sum(axis=1) < 40).sum()) >= minimum


def test_the_pack_has_real_charts_scores_and_one_footnote(sample_run: SampleRun,
                                                          tmp_path: Path) -> None:
    viewer = Viewer("analist", "Analist", "Gemeente", Scope("analist"))
    server = create_app(sample_run.settings, viewer=lambda _request: viewer).server
    store, data = app_state(server).notes.store, app_state(server).published
    with server.app_context():  # the notes store also writes the audit log
        areas = ["wijk|WK003401", "wijk|WK003402"]
        meeting = store.create_meeting("2026-11-04", "OOGO", ["Gemeente", "jeugdhulp"],
                                       [INDICATOR], areas, data.run_id,
                                       figures.freeze(data, [INDICATOR], areas), "analist")
        for block in range(1, 8):
            store.save_score(meeting, "Gemeente", block, 4, "", True, "analist")
        withdrawn = store.add_action(meeting, INDICATOR, "Ingetrokken plan", "Gemeente",
                                     "2026-12-01", "analist")
        store.update_action(withdrawn, "analist", withdrawn=True)
    response = server.test_client().get(f"/overleg/{meeting}/pakket.pdf")
    assert response.status_code == 200
    pdf = tmp_path / "pakket.pdf"
    pdf.write_bytes(response.data)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "Tagged:          yes" in info  # PDF/UA-1
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True).stdout
    assert "4 november 2026" in text and "2026-11-04" not in text  # Dutch dates
    assert data.run_id not in text  # no run id in the title or anywhere
    assert text.count(HIDDEN_NOTE[:40]) <= 1  # one footnote, not a sentence per row
    assert "Hoe ging de samenwerking" in text and "4,0" in text
    assert "Ingetrokken plan" not in text
    # The chart's x-axis: one line naming every schooljaar (tables put one per row).
    assert any(all(p in line for p in data.periods()) for line in text.splitlines())
    assert "doel-traject" in text and "95%-interval" in text  # the legend
    subprocess.run(["pdftoppm", "-r", "70", str(pdf), str(tmp_path / "pagina")], check=True)
    pages = sorted(tmp_path.glob("pagina-*.ppm"))
    chart_page = pages[1]  # the indicator starts on page 2
    assert _has_colour(chart_page, TARGET[0])  # the target trajectory is drawn
    assert _has_colour(chart_page, STYLES[0][0]) and _has_colour(chart_page, STYLES[1][0])
    assert _has_colour(chart_page, "#333333", 200)  # the axes
    DOCS_IMG.mkdir(parents=True, exist_ok=True)
    for index in (1, 2):  # the first pages, as PNG, for docs/dashboard.md
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", str(index), "-l", str(index),
                        "-singlefile", str(pdf), str(DOCS_IMG / f"pakket-{index}")], check=True)
