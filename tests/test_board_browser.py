"""A school board's own week and an OOGO partner's Check, in a real headless Chromium.

Screenshots of Mijn bestuur and Check (bestuur) go to docs/img/ for docs/dashboard.md.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

import pandas as pd
import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard import format as fmt
from dashboard import marks
from dashboard.app import create_app
from dashboard.context import app_state
from dashboard.notes import figures
from settings import PROJECT_ROOT
from tests.conftest import SampleRun
from tests.test_dashboard_browser import _db, _figure, _log_in, _open, _serious_violations

DOCS_IMG = PROJECT_ROOT / "docs" / "img"
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def browser(dash_duo, sample_run: SampleRun, demo_logins):
    """The dashboard with its real login (log in with `_log_in`)."""
    dash_duo.start_server(create_app(sample_run.settings), navigate=False)
    dash_duo._url = dash_duo.server.url  # every page first asks for a login
    return dash_duo


def _traces(duo, graph: str) -> dict[str, dict]:
    """name -> {x, y, text} of every trace with points in a Plotly graph."""
    _figure(duo, graph)
    data = duo.driver.execute_script(
        "return document.querySelector(arguments[0])._fullData.map(t => ({name: t.name, "
        "n: (t.x || []).length, text: t.text, hover: t.hovertemplate}));",
        f"{graph} .js-plotly-plot")
    return {t["name"]: t for t in data if t["n"]}


def _tables(duo) -> list[dict]:
    """Every DataTable on the page: its headers and all its cell texts (all pages)."""
    return duo.driver.execute_script("""
        return [...document.querySelectorAll('.dash-spreadsheet-container')].map(t => ({
          id: t.closest('[id]') ? t.closest('[id]').id : '',
          headers: [...t.querySelectorAll('th.dash-header')].map(h => h.innerText.trim()),
          cells: [...t.querySelectorAll('td.dash-cell')].map(c => c.innerText.trim())}));""")


def _shot(duo, name: str, width: int = 1300, height: int = 1600) -> None:
    DOCS_IMG.mkdir(parents=True, exist_ok=True)
    duo.driver.set_window_size(width, height)
    duo.driver.save_screenshot(str(DOCS_IMG / f"{name}.png"))


def test_a_board_sees_its_own_schools_highlighted_among_anonymous_peers(
        browser, demo_logins, sample_run: SampleRun) -> None:
    _log_in(browser, "bestuur1", demo_logins["bestuur1"][0])
    board = demo_logins["bestuur1"][1].partition(":")[2]
    (period,), = _db(sample_run, "SELECT max(period) FROM indicator_values")
    _open(browser, f"/check?indicator=jeugdhulp_leerlingen&niveau=school&schooljaar={period}")
    traces = _traces(browser, "#check-trechter-grafiek")
    peers = next(t for name, t in traces.items() if "anoniem" in name)
    own = _db(sample_run, f"""SELECT count(value) FROM indicator_values v JOIN schools s
        ON v.area_code = s.vestigingscode WHERE indicator_id = 'jeugdhulp_leerlingen'
        AND level = 'school' AND period = '{period}' AND bevoegd_gezag = '{board}'""")[0][0]
    others = _db(sample_run, f"""SELECT count(value) FROM indicator_values v JOIN schools s
        ON v.area_code = s.vestigingscode WHERE indicator_id = 'jeugdhulp_leerlingen'
        AND level = 'school' AND period = '{period}' AND bevoegd_gezag <> '{board}'""")[0][0]
    assert peers["n"] == others > 5  # every visible peer is a point
    assert not peers["text"] and "School" not in peers["hover"]  # no name, no alias
    assert traces["eigen"]["n"] == own  # the board's own schools, highlighted
    assert "Grijze punten" in browser.find_element("#check-trechter").text
    _shot(browser, "check-bestuur")
    assert _serious_violations(browser) == []
    shown = _db(sample_run, f"""SELECT period FROM indicator_values WHERE level = 'bestuur'
        AND indicator_id = 'jeugdhulp_leerlingen' AND area_code = '{board}'
        AND value IS NOT NULL AND period LIKE '____-____' ORDER BY period DESC""")
    assert shown, "the sample should show bestuur1's own figure in some schooljaar"
    _open(browser, "/check?indicator=jeugdhulp_leerlingen&niveau=bestuur"
                   f"&schooljaar={shown[0][0]}")
    traces = _traces(browser, "#check-trechter-grafiek")
    assert any("anoniem" in name for name in traces)
    assert traces["eigen"]["n"] == 1  # its own point, highlighted
    assert "1 gebieden" not in browser.find_element("#inhoud").text


def test_mijn_bestuur_lists_only_what_applies_and_explains_every_mark(
        browser, demo_logins, sample_run: SampleRun) -> None:
    _log_in(browser, "bestuur1", demo_logins["bestuur1"][0])
    board = demo_logins["bestuur1"][1].partition(":")[2]
    _open(browser, "/bestuur")
    browser.wait_for_contains_text("#inhoud", "Zo leest u de tabellen", timeout=30)
    applies = {soort: {name for (name,) in _db(sample_run, f"""SELECT DISTINCT i.naam
        FROM indicator_values v JOIN schools s ON v.area_code = s.vestigingscode
        JOIN indicators i USING (indicator_id) WHERE v.level = 'school'
        AND s.school_soort = '{soort}'""")} for (soort,) in _db(
        sample_run, f"SELECT DISTINCT school_soort FROM schools WHERE bevoegd_gezag = '{board}'")}
    anywhere = set().union(*applies.values())
    never = {name for (name,) in _db(sample_run, "SELECT naam FROM indicators")} - anywhere
    text = browser.find_element("#inhoud").text
    assert never and not any(name in text for name in never)  # e.g. vsv for a BAO board
    tables = _tables(browser)
    schools = [t for t in tables if "bestuur-scholen" in t["id"]]
    assert schools
    for table in schools:
        assert set(table["headers"][1:]) <= anywhere, table["headers"]
    legend = browser.find_element("#bestuur-tekens").text
    cells = [c for t in tables for c in t["cells"]]
    assert "–" not in cells  # no unexplained dash
    for mark in (marks.NO_FIGURE, marks.HIDDEN):
        if any(c.startswith(mark) for c in cells):
            assert mark in legend
    board_table = next(t for t in tables if t["id"] == "bestuur-tabel")
    own_costs = board_table["cells"][board_table["headers"].index("Eigen bestuur")::len(
        board_table["headers"])]
    (period,), = _db(sample_run, "SELECT max(period) FROM indicator_values")
    published = _db(sample_run, f"""SELECT value FROM indicator_values WHERE
        level = 'bestuur' AND indicator_id = 'jeugdhulp_kosten_per_traject'
        AND area_code = '{board}' AND period = '{period}'""")
    if published:  # the board's published cost, else the one computed from its own schools
        assert fmt.value(published[0][0], "euro") in own_costs
    else:  # (test_a_boards_cost_is_computed_from_its_schools_without_a_board_figure requires it)
        assert any("(berekend uit " in c for c in own_costs), own_costs
    assert not any(c.endswith("(mediaan van 1)") for c in cells)
    _shot(browser, "mijn-bestuur")
    assert _serious_violations(browser) == []
    download = _downloaded(browser, f"bestuur_{board}_{period}.csv",
                           "button[id*='csv-knop'][id*='\"bestuur|']")
    assert download["indicator"].tolist() == [  # the page's rows, as numbers
        key for (key,) in _db(sample_run, "SELECT indicator_id FROM indicators ORDER BY volgorde")
        if key in set(download["indicator"])]
    assert len(download) == len(board_table["cells"]) // len(board_table["headers"])
    assert download["totaal"].dtype.kind == "f" and download["totaal"].notna().any()
    _open(browser, "/")  # the board's Overzicht: the same rows, its own figure first
    cards = browser.driver.find_elements(By.CSS_SELECTOR, ".kaart")
    assert cards and all(c.text.splitlines()[1].startswith("Eigen bestuur") for c in cards)
    assert not any(name in browser.find_element("#inhoud").text for name in never)


def test_a_boards_cost_is_computed_from_its_schools_without_a_board_figure(
        browser, demo_logins, sample_run: SampleRun) -> None:
    """A board without a published board figure whose schools all show their costs."""
    found = _db(sample_run, """WITH own AS (SELECT s.bevoegd_gezag AS board, v.period,
            count(*) AS n, sum(v.numerator) / sum(v.denominator) AS cost,
            bool_and(NOT v.suppressed AND v.numerator IS NOT NULL) AS shown
        FROM indicator_values v JOIN schools s ON v.area_code = s.vestigingscode
        WHERE v.level = 'school' AND v.indicator_id = 'jeugdhulp_kosten_per_traject'
        GROUP BY ALL)
        SELECT board, period, n, cost FROM own WHERE shown AND NOT EXISTS (
            SELECT 1 FROM indicator_values x WHERE x.level = 'bestuur' AND x.area_code = board
            AND x.indicator_id = 'jeugdhulp_kosten_per_traject' AND x.period = own.period)
        ORDER BY n DESC, period DESC, board""")
    assert found, "the sample should have a board whose cost follows only from its schools"
    board, period, n, cost = found[0]
    _log_in(browser, "analist", demo_logins["analist"][0])
    _open(browser, f"/bestuur?bestuur={board}&schooljaar={period}")
    browser.wait_for_contains_text("#inhoud", "Zo leest u de tabellen", timeout=30)
    table = next(t for t in _tables(browser) if t["id"] == "bestuur-tabel")
    own = table["cells"][table["headers"].index("Eigen bestuur")::len(table["headers"])]
    schools = fmt.plural(n, "eigen school", "eigen scholen")
    assert f"{fmt.value(cost, 'euro')} (berekend uit {schools})" in own, own


def _downloaded(duo, name: str, button: str) -> pd.DataFrame:
    """Click a download button and read the CSV as a Dutch Excel would (';', decimal comma)."""
    duo.find_element(button).click()
    target = Path(duo.download_path) / name
    for _ in range(100):
        if target.is_file() and target.stat().st_size:
            break
        time.sleep(0.2)
    text = target.read_bytes().decode("utf-8-sig")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return pd.read_csv(io.StringIO(body), sep=";", decimal=",")


def test_an_oogo_partner_sees_anonymous_peers_on_the_funnel(browser, demo_logins) -> None:
    _log_in(browser, "oogo", demo_logins["oogo"][0])
    _open(browser, "/check?indicator=jeugdhulp_leerlingen")
    traces = _traces(browser, "#check-trechter-grafiek")
    peers = next(t for name, t in traces.items() if "anoniem" in name)
    assert peers["n"] > 5 and not peers["text"]
    assert _serious_violations(browser) == []


def _tab_to(duo, container: str, presses: int = 60) -> None:
    """Press Tab until focus is inside `container`, as a keyboard user would."""
    duo.driver.execute_script("document.activeElement && document.activeElement.blur()")
    for _ in range(presses):  # from the top of the page
        ActionChains(duo.driver).send_keys(Keys.TAB).perform()
        if duo.driver.execute_script(
                "return document.activeElement.closest(arguments[0]) !== null", container):
            return
    pytest.fail(f"{container} is met Tab niet te bereiken")


def test_a_keyboard_user_types_in_a_dropdown_to_choose_a_school(browser, demo_logins,
                                                                sample_run: SampleRun) -> None:
    _log_in(browser, "analist", demo_logins["analist"][0])
    (code, name), = _db(sample_run, "SELECT vestigingscode, naam FROM schools "
                                    "WHERE naam LIKE '%Argonaut%' LIMIT 1")
    _open(browser, "/school")
    _tab_to(browser, "#school-vestigingscode")
    ActionChains(browser.driver).send_keys(Keys.ENTER).perform()  # opens the dropdown
    ActionChains(browser.driver).send_keys("Argonaut").perform()  # typing searches
    browser.wait_for_contains_text(".dash-dropdown-content", name, timeout=10)
    ActionChains(browser.driver).send_keys(Keys.ARROW_DOWN, Keys.ENTER).perform()
    for _ in range(60):
        if f"vestigingscode={code}" in browser.driver.current_url:
            break
        time.sleep(0.5)
    assert f"vestigingscode={code}" in browser.driver.current_url
    browser.wait_for_contains_text("#inhoud", name, timeout=30)


def _meeting(sample_run: SampleRun) -> int:
    """A meeting on two indicators with an answer, a toelichting and an action."""
    server = create_app(sample_run.settings).server
    store, data = app_state(server).notes.store, app_state(server).published
    with server.app_context():  # the notes store also writes the audit log
        indicators, areas = ["jeugdhulp_leerlingen", "verzuim_relatief"], ["swv|VO-24-16"]
        frozen = figures.freeze(data, indicators, areas)
        meeting = store.create_meeting("2026-11-03", "OOGO", ["Gemeente", "jeugdhulp"],
                                       indicators, areas, data.run_id, frozen, "analist")
        store.save_answer(meeting, "verzuim_relatief", 1, "deels", "Herkenbaar", "analist")
        store.add_action(meeting, "verzuim_relatief", "Verzuimoverleg met de scholen", "Gemeente",
                         "2026-12-01", "analist")
    return meeting


@pytest.mark.parametrize("role", ["analist", "oogo", "bestuur1"])
def test_the_meeting_page_passes_axe_for_every_role(browser, demo_logins,
                                                    sample_run: SampleRun, role: str) -> None:
    meeting = _meeting(sample_run)
    _log_in(browser, role, demo_logins[role][0])
    _open(browser, f"/overleg?id={meeting}")
    browser.wait_for_contains_text("#inhoud", "De vier vragen", timeout=30)
    assert _serious_violations(browser) == []
    if role == "analist":
        browser.driver.set_window_size(1280, 720)
        browser.driver.execute_script("window.scrollTo(0, 0)")
        _shot(browser, "overleg-1280x720", 1280, 720)


def test_the_header_names_the_organisation_once_and_stays_small_on_a_phone(
        browser, demo_logins) -> None:
    _log_in(browser, "bestuur1", demo_logins["bestuur1"][0])
    organisation = demo_logins["bestuur1"][1]  # role text; the board's name is on the page
    _open(browser, "/bestuur")
    browser.wait_for_contains_text("#inhoud", "Mijn bestuur:", timeout=30)
    name = browser.find_element("h1").text.removeprefix("Mijn bestuur: ")
    header = browser.find_element("header").text
    assert header.count(name) == 1, (header, organisation)
    browser.driver.set_window_size(390, 844)
    _open(browser, "/bestuur")
    time.sleep(0.5)
    height, width = browser.driver.execute_script(
        "const h = document.querySelector('header').getBoundingClientRect();"
        "return [h.height, document.documentElement.scrollWidth];")
    inner = browser.driver.execute_script("return window.innerWidth")
    assert height <= 110, height  # was 217 of 844 px
    assert width <= inner  # nothing sticks out sideways
    links = browser.driver.find_elements(By.CSS_SELECTOR, "header nav a.nav")
    assert len(links) > 5 and all(link.size["height"] >= 24 for link in links)  # touchable
    _shot(browser, "telefoon-bestuur", 390, 844)
