"""Rendered pages are kept per viewer and served again until the run, the notes or the viewer
change; an answer with an error is never kept (tiny published version, built in the test)."""

from __future__ import annotations

from pathlib import Path

import dash
import pytest

from bench.bench_dashboard import render_body
from dashboard.app import create_app
from dashboard.context import Viewer
from privacy.scope import Scope
from tests.faults import tiny

BESTUUR = Viewer("bestuur1", "Bestuur", "bestuur", Scope("bestuur", "41376"))


@pytest.fixture
def counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict, dict]:
    """An app per viewer on one tiny published version; renders counted per page path."""
    tiny.add_version(tmp_path / "data" / "published", "20261101T100000Z-een")
    settings = tiny.settings(tmp_path)
    apps = {viewer.username: create_app(settings, viewer=lambda _r, v=viewer: v)
            for viewer in (tiny.ANALYST, BESTUUR)}
    renders: dict[str, int] = {}
    for page in dash.page_registry.values():  # after create_app: it registers the pages
        def layout(*args, _original=page["layout"], _path=page["path"], **query):
            renders[_path] = renders.get(_path, 0) + 1
            return _original(*args, **query)
        monkeypatch.setitem(page, "layout", layout)
    return apps, renders


def _render(app, path: str, search: str = "?id=1") -> bytes:
    body = render_body(path)
    body["inputs"][1]["value"] = search  # the meeting to open (the pages router's search)
    response = app.server.test_client().post("/_dash-update-component", json=body)
    assert response.status_code == 200
    return response.data


def test_a_page_is_rendered_once_until_the_notes_change(counted) -> None:
    apps, renders = counted
    first = _render(apps["analist"], "/overleg")
    assert _render(apps["analist"], "/overleg") == first and renders["/overleg"] == 1
    tiny.meeting(apps["analist"])
    changed = _render(apps["analist"], "/overleg")
    # Meeting 1 exists now (its page fails on the tiny version, which has no figures).
    assert b"bestaat niet" in first and changed != first and renders["/overleg"] == 2
    _render(apps["analist"], "/overleg", "?id=2")  # another query is another page
    assert renders["/overleg"] == 3


def test_a_page_kept_for_one_viewer_is_rendered_anew_for_another(counted) -> None:
    apps, renders = counted
    _render(apps["analist"], "/overleg")
    _render(apps["bestuur1"], "/overleg")
    assert renders["/overleg"] == 2


def test_an_answer_with_an_error_is_not_kept(counted) -> None:
    apps, renders = counted
    for _ in range(2):  # the tiny version has no indicator tables: the page fails
        assert b"foutmelding" in _render(apps["analist"], "/plan")
    assert renders["/plan"] == 2
