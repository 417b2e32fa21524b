"""Pins what the dashboard relies on inside Dash (dashboard/dash_internals.py) against the
installed Dash: an upgrade that changes the page registry, the pages router's output or the
callback wire format fails here, before a page loses its role check, the menu a page or the
page cache its key."""

from __future__ import annotations

import json
from pathlib import Path

import dash

from dashboard import dash_internals
from dashboard.app import create_app
from dashboard.context import Viewer
from privacy.scope import Scope
from tests.faults import tiny

MENU = [("/", "Overzicht"), ("/plan", "Plan"), ("/do", "Do"), ("/check", "Check"),
        ("/act", "Act"), ("/bestuur", "Mijn bestuur"), ("/scholen", "Scholen"),
        ("/wijk", "Wijken"), ("/datakwaliteit", "Datakwaliteit")]
BOARD = Viewer("bea", "Bea", "Stichting Kiem", Scope("bestuur", "41234"))


def _app(tmp_path: Path, viewer: Viewer = tiny.ANALYST) -> dash.Dash:
    tmp_path.mkdir(parents=True, exist_ok=True)
    return create_app(tiny.settings(tmp_path), viewer=lambda _request: viewer)


def _links(app: dash.Dash) -> list[tuple[str, str]]:
    with app.server.test_request_context("/"):
        header = app.layout().children[1]
        return [(link.href, link.children) for link in header.children[1].children]


def test_the_menu_is_the_registered_pages_with_an_order_in_that_order(tmp_path: Path) -> None:
    app = _app(tmp_path)
    assert dash_internals.menu_pages() == MENU
    assert all({"path", "name", "order", "layout"} <= set(page)
               for page in dash.page_registry.values())
    # Registered but no menu item: a meeting, a school profile, the 404 page.
    paths = {page["path"] for page in dash.page_registry.values()}
    assert {"/overleg", "/school", "/404"} <= paths
    assert _links(app) == MENU
    assert _links(_app(tmp_path / "bestuur", BOARD)) == MENU[:-1]  # no Datakwaliteit


def test_every_registered_layout_is_role_checked(tmp_path: Path) -> None:
    app = _app(tmp_path, BOARD)
    pages = {page["path"]: page for page in dash.page_registry.values()}
    assert all(getattr(page["layout"], "wrapped", False) for page in pages.values())
    with app.server.test_request_context("/datakwaliteit"):
        refused = pages["/datakwaliteit"]["layout"]()
    assert refused.children[0].children == "Geen toegang"


def test_the_router_and_the_callback_route_are_where_the_page_cache_looks(
        tmp_path: Path) -> None:
    app = _app(tmp_path)
    client = app.server.test_client()
    assert dash_internals.UPDATE_PATH in {rule.rule for rule in app.server.url_map.iter_rules()}
    app.server.test_client().get("/")  # Dash registers its callbacks on the first request
    assert any(dash_internals.ROUTER_OUTPUT in key for key in app.callback_map)
    body = {"output": f"..{dash_internals.ROUTER_OUTPUT}..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"},
                        {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/plan"},
                       {"id": "_pages_location", "property": "search", "value": ""}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}
    raw = json.dumps(body).encode()
    assert dash_internals.renders_page(raw)
    response = client.post(dash_internals.UPDATE_PATH, json=body)
    assert response.status_code == 200
    assert "_pages_content" in response.get_json()["response"]
    footer = {**body, "output": "voet.children"}
    assert not dash_internals.renders_page(json.dumps(footer).encode())
