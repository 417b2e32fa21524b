"""axe-core on every page of the page registry, as each role sees it, in headless Chromium.

One browser session per role (analist, bestuur, oogo): log in once, open every registered
page (plus a meeting, a wijk profile, a beamer view and an unknown address) and require zero
serious or critical violations. Pages a role may not open are checked too: the refusal they
render is a page as well.
"""

from __future__ import annotations

import time

import dash
import pytest

from dashboard.app import create_app
from tests.conftest import SampleRun
from tests.test_board_browser import _meeting
from tests.test_dashboard_browser import _log_in, _serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROLES = ["analist", "bestuur1", "oogo"]


def _addresses(meeting: int) -> list[str]:
    """Every page in Dash's registry, and the addresses that render a page differently."""
    registered = sorted(page["path"] for page in dash.page_registry.values())
    return [*registered, f"/overleg?id={meeting}", f"/overleg?id={meeting}&beamer=1",
            "/wijk?wijkcode=WK003401", "/bestaat-niet"]


def _settled(duo, timeout: float = 45) -> None:
    """Wait until the page has a heading and no callback is still loading."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = duo.driver.execute_script(
            "return !!document.querySelector('#voet') && /Gegevens tot en met/.test("
            "document.querySelector('#voet').innerText) && "
            "!!document.querySelector('#inhoud h1') && "
            "!document.querySelector('[data-dash-is-loading=\"true\"]')")
        if done:
            time.sleep(0.3)  # a last re-render after the final callback
            return
        time.sleep(0.25)
    pytest.fail(f"{duo.driver.current_url} kwam niet tot rust")


@pytest.mark.parametrize("role", ROLES)
def test_every_page_passes_axe_as_each_role_sees_it(dash_duo, sample_run: SampleRun,
                                                    demo_logins, role: str) -> None:
    meeting = _meeting(sample_run)
    dash_duo.start_server(create_app(sample_run.settings), navigate=False)
    dash_duo._url = dash_duo.server.url
    addresses = _addresses(meeting)
    assert {"/", "/bestuur", "/overleg", "/datakwaliteit", "/school"} <= set(addresses)
    _log_in(dash_duo, role, demo_logins[role][0])
    found: dict[str, list[str]] = {}
    for address in addresses:
        dash_duo.driver.get(dash_duo.server_url + address)
        _settled(dash_duo)
        if violations := _serious_violations(dash_duo):
            found[address] = violations
    assert found == {}
