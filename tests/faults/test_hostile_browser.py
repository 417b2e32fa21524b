"""In a real headless Chromium: HTML and JavaScript in school, bestuur and wijk names (from
landing files), in the viewer's display name and in meeting answers, toelichtingen and actions
is shown as text on the pages, in table links, chart labels, tooltips on the map and in the
meeting pack — and never runs. The page's CSP is switched off for the test, so what is proven
is the escaping itself, not the CSP behind it."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.keys import Keys

from dashboard.app import create_app
from dashboard.context import Viewer, app_state
from dashboard.notes import figures
from privacy.scope import Scope
from tests.conftest import SampleRun
from tests.faults import tiny

pytestmark = [pytest.mark.browser, pytest.mark.slow]
NAME = f"Anna {tiny.IMAGE}"
ORGANISATION = f"Gemeente {tiny.SCRIPT}"
INDICATOR = "jeugdhulp_leerlingen"


@pytest.fixture
def hostile_app(sample_run: SampleRun, tmp_path):
    codes = tiny.hostile_copy(sample_run.settings.paths.published, tmp_path)
    viewer = Viewer("anna", NAME, ORGANISATION, Scope("analist"))
    app = create_app(tiny.settings(tmp_path), viewer=lambda _request: viewer)
    data, store = app_state(app.server).published, app_state(app.server).notes.store
    frozen = figures.freeze(data, [INDICATOR], [f"school|{codes['school']}"])
    period = data.periods()[-1]
    gemeente = data.areas(Scope("analist"), "gemeente")["area_code"].iat[0]
    with app.server.app_context():
        meeting = store.create_meeting("2026-03-10", "OOGO", [f"jeugdhulp {tiny.SCRIPT}"],
                                       [INDICATOR], [f"school|{codes['school']}"],
                                       data.run_id, frozen, "anna")
        store.save_answer(meeting, INDICATOR, 1, "ja", f"Antwoord {tiny.IMAGE}", "anna")
        store.save_toelichting(INDICATOR, "gemeente", gemeente, period, ORGANISATION,
                               f"Toelichting {tiny.SCRIPT}", "anna")
        store.add_action(meeting, INDICATOR, f"Actie {tiny.IMAGE}", "gemeente", "2026-06-01",
                         "anna")
    return app, codes, meeting


def _without_csp(wsgi_app):
    """The app without its Content-Security-Policy header: only the escaping protects."""
    def app(environ, start_response):
        def start(status, headers, *rest):
            kept = [(k, v) for k, v in headers if k.lower() != "content-security-policy"]
            return start_response(status, kept, *rest)
        return wsgi_app(environ, start)
    return app


def _visit(duo, path: str, *texts: str) -> str:
    """Open `path`, wait until every text is shown; return the page's visible text."""
    duo.driver.get(duo.server.url.rstrip("/") + path)
    return _visit_current(duo, path, *texts)


def _visit_current(duo, where: str, *texts: str) -> str:
    """Wait until the current page shows every text; nothing injected may have run."""
    deadline = time.monotonic() + 40
    while True:
        body = duo.driver.find_element("tag name", "body").text
        if all(text in body for text in texts) or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    for text in texts:
        assert text in body, (where, text)
    _assert_nothing_ran(duo, where)
    return body


def _assert_nothing_ran(duo, where: str) -> None:
    ran = duo.driver.execute_script(
        "return [window.__xss, document.querySelectorAll("
        "'img[src=\"x\"], img[onerror], script:not([src]):not([type])').length]")
    # Dash's own start-up script is an inline <script> too: only ours may not exist.
    inline = duo.driver.execute_script(
        "return [...document.querySelectorAll('script:not([src])')]"
        ".filter(s => s.textContent.includes('__xss')).length")
    assert ran[0] is None and inline == 0, where
    assert duo.driver.execute_script("return document.querySelectorAll('img[src=\"x\"]')"
                                     ".length") == 0, where


def _hover(duo, graph_id: str, trace_name: str, code: str | None = None) -> str:
    """Hover the point `code` (customdata; else the first) of the trace called `trace_name`,
    as a mouse would; returns the tooltip's text."""
    return duo.driver.execute_script("""
        const graph = document.querySelector(arguments[0] + ' .js-plotly-plot');
        const index = graph.data.findIndex(t => t.name === arguments[1]);
        if (index < 0) { return 'geen spoor ' + arguments[1]; }
        const custom = graph.data[index].customdata || [];
        const point = arguments[2] === null ? 0 : Array.from(custom).indexOf(arguments[2]);
        Plotly.Fx.hover(graph, [{curveNumber: index, pointNumber: point}]);
        return graph.querySelector('.hoverlayer').textContent;
    """, graph_id, trace_name, code)


def _svg_texts(duo, selector: str) -> list[str]:
    return duo.driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map(t => t.textContent)", selector)


def test_hostile_names_and_notes_are_text_everywhere(dash_duo, hostile_app) -> None:
    app, codes, meeting = hostile_app
    app.server.wsgi_app = _without_csp(app.server.wsgi_app)
    dash_duo.start_server(app, navigate=False)
    school, wijk, bestuur = f"School {tiny.IMAGE}", f"Wijk {tiny.IMAGE}", \
        f"Bestuur {tiny.SCRIPT}"

    _visit(dash_duo, "/", f"{NAME} ({ORGANISATION})")
    _visit(dash_duo, "/scholen", "Zoek een school")
    search = dash_duo.find_element("#scholen-zoek")
    search.send_keys(codes["school"])
    search.send_keys(Keys.ENTER)
    dash_duo.wait_for_contains_text("#scholen-aantal", "1 van", timeout=30)
    _visit_current(dash_duo, "/scholen gezocht", school, bestuur)
    link = dash_duo.driver.find_element("link text", school)
    assert link.get_attribute("href").endswith(f"/school?vestigingscode={codes['school']}")
    dash_duo.wait_for_element("#scholen-kaart-grafiek .js-plotly-plot", timeout=30)
    assert school in _hover(dash_duo, "#scholen-kaart-grafiek", "scholen", codes["school"])
    _assert_nothing_ran(dash_duo, "kaart met tooltip")

    _visit(dash_duo, f"/school?vestigingscode={codes['school']}", school)
    label = f"{school} ({codes['school']})"
    _visit(dash_duo, "/do?niveau=school", "Leerlingen met jeugdhulp per school")
    dash_duo.wait_for_element("#do-leerlingen .ytick", timeout=30)
    assert label in _svg_texts(dash_duo, "#do-leerlingen .ytick text")
    _assert_nothing_ran(dash_duo, "staafdiagram")
    _visit(dash_duo, f"/check?indicator={INDICATOR}&niveau=school&gebied={codes['school']}",
           "Trechterdiagram")
    dash_duo.wait_for_element("#check-trechter-grafiek .textpoint", timeout=30)
    assert label in _svg_texts(dash_duo, "#check-trechter-grafiek .textpoint text")
    _assert_nothing_ran(dash_duo, "trechterdiagram")

    _visit(dash_duo, f"/wijk?wijkcode={codes['wijk']}", wijk)
    _visit(dash_duo, f"/wijk?indicator={INDICATOR}", "per wijk op de kaart")
    dash_duo.wait_for_element("#wijk-kaart-grafiek .js-plotly-plot", timeout=30)
    assert wijk in _hover(dash_duo, "#wijk-kaart-grafiek", wijk)
    _assert_nothing_ran(dash_duo, "wijkkaart met tooltip")
    _visit(dash_duo, f"/bestuur?bestuur={codes['bestuur']}", bestuur)

    _visit(dash_duo, f"/overleg?id={meeting}", f"Antwoord {tiny.IMAGE}",
           f"Toelichting {tiny.SCRIPT}", f"Actie {tiny.IMAGE}", f"jeugdhulp {tiny.SCRIPT}")
    _visit(dash_duo, f"/overleg/{meeting}/pakket.html", f"Antwoord {tiny.IMAGE}",
           f"Toelichting {tiny.SCRIPT}", f"Actie {tiny.IMAGE}", school)
