"""Time marks (period_marks) where a reader reads a year's figure: the Check page's year table
and chart, and the meeting pack (one footnote line per mark). An older published database
without the table shows no marks and no error."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pandas as pd
import pytest

from dashboard.data import Published
from dashboard.notes import pack
from dashboard.notes.view import IndicatorView, MeetingView
from indicators.marks import EXPLANATION
from tests.conftest import SampleRun
from tests.test_dashboard_server import _analyst, _render

MARKS = pd.DataFrame({"indicator_id": ["jh", "jh"], "period": ["2023-2024", "2025-2026"],
                      "mark": ["onvolledig", "voorlopig"],
                      "toelichting": [EXPLANATION["onvolledig"], EXPLANATION["voorlopig"]]})


def _view() -> MeetingView:
    """One indicator, two wijken over three schooljaren, as a meeting freezes them."""
    trend = pd.DataFrame([
        {"level": "wijk", "area_code": code, "area_name": name, "period": period,
         "value": 10.0 + i, "ci_low": 8.0, "ci_high": 14.0, "suppressed": False,
         "target_status": None, "trajectory_value": None}
        for code, name in (("WK1", "Centrum"), ("WK2", "Noord"))
        for i, period in enumerate(("2023-2024", "2024-2025", "2025-2026"))])
    indicator = IndicatorView("jh", "Jeugdhulp", "percentage", "2025-2026",
                              trend[trend["period"] == "2025-2026"], trend, {},
                              trend.iloc[0:0], [], {}, [])
    return MeetingView({"kind": "OOGO", "held_on": "2026-11-04", "parties": ["Gemeente"],
                        "adopted_at": None}, [indicator])


def test_the_pack_labels_marked_years_with_one_footnote_per_mark() -> None:
    html = pack.render_html(_view(), marks=MARKS)
    assert "<td>2025-2026 (voorlopig)</td>" in html  # every row of that year, in the table
    assert "<td>2023-2024 (onvolledig)</td>" in html
    assert "Schooljaar 2025-2026 (voorlopig)" in html
    for mark in ("onvolledig", "voorlopig"):  # one line per mark, not one per area row
        assert html.count(EXPLANATION[mark][:60]) == 1
    unmarked = pack.render_html(_view())
    assert "voorlopig" not in unmarked and "<td>2025-2026</td>" in unmarked


def test_an_older_published_database_without_the_table_has_no_marks(tmp_path: Path) -> None:
    version = tmp_path / "published" / "versions" / "run-1"
    version.mkdir(parents=True)
    with duckdb.connect(str(version / "monitor.duckdb")) as con:
        con.execute("CREATE TABLE runs (run_id VARCHAR)")
    (tmp_path / "published" / "current").symlink_to(version)
    settings = SimpleNamespace(paths=SimpleNamespace(published=tmp_path / "published",
                                                     cache=tmp_path / "cache"),
                               disclosure=SimpleNamespace(anonymous_k=5))
    marks = Published(settings, b"key").period_marks()
    assert marks.empty and list(marks.columns) == ["indicator_id", "period", "mark",
                                                   "toelichting"]


@pytest.mark.slow
def test_the_check_page_shows_the_mark_beside_the_year(sample_run: SampleRun) -> None:
    from dashboard.app import create_app

    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        indicator, period, mark = con.execute(
            "SELECT indicator_id, period, mark FROM period_marks WHERE mark = 'voorlopig' "
            "LIMIT 1").fetchone()
    client = create_app(sample_run.settings, viewer=_analyst).server.test_client()
    page = _render(client, "/check", f"?indicator={indicator}")
    text = json.dumps(json.loads(page), ensure_ascii=False)
    assert f"{period} ({mark})" in text  # the year label in the table and on the axis
    assert EXPLANATION[mark][:60] in text  # the caption with the toelichting
