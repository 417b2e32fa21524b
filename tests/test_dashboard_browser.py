"""What a person sees in a real headless Chromium, page by page (screenshots in test-artifacts).

Every page is also checked with axe-core (installed from npm by `make axe`): zero serious or
critical accessibility violations.
"""

from __future__ import annotations

import io
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import duckdb
import pandas as pd
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard.app import create_app
from settings import PROJECT_ROOT
from tests.conftest import SampleRun

SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
AXE = PROJECT_ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = [
    ("/", "overzicht", ["Maatschappelijke resultaten", "Voortijdig schoolverlaten", "Plan",
                        "Doel:"]),
    ("/plan", "plan", ["1 Monitoring & ambities", "Afgesproken doelen per schooljaar",
                       "Definitie", "OOGO Almere"]),
    ("/do", "do", ["3 Activiteiten", "Leerlingen met jeugdhulp per wijk", "4 Input kwaliteit",
                   "Kosten per traject", "overig/afgeschermd"]),
    ("/check", "check", ["5 Outcome", "Trechterdiagram", "Toon als tabel"]),
    ("/act", "act", ["6 Verbetercyclus", "Nieuw overleg", "Hoe gaat de samenwerking?"]),
    ("/bestuur", "mijn-bestuur", ["Mijn bestuur", "Eigen scholen:", "Andere besturen",
                                  "Zo leest u de tabellen"]),
    ("/scholen", "scholen", ["Zoek een school", "scholen-tabel"]),
    ("/school", "school", ["Alle indicatoren", "Vergelijkbare scholen"]),
    ("/wijk", "wijken", ["per wijk", "Kies een wijk"]),
    ("/wijk?wijkcode=WK003401", "wijk", ["Alle indicatoren", "Wijk, alle jaren samen"]),
    ("/datakwaliteit", "datakwaliteit", ["Actualiteit", "Controles:", "personen.csv",
                                         "Verplicht veld gevuld"]),
    ("/bestaat-niet", "niet-gevonden", ["Pagina niet gevonden"]),
]


@pytest.fixture
def served(dash_duo, sample_run: SampleRun, demo_logins):
    """The dashboard with its real login, and the demo users' passwords."""
    # Every page first asks for a login, so do not wait for Dash on "/" yet.
    dash_duo.start_server(create_app(sample_run.settings), navigate=False)
    dash_duo._url = dash_duo.server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return dash_duo


@pytest.fixture
def monitor(served, demo_logins):
    _log_in(served, "analist", demo_logins["analist"][0])
    served.wait_for_contains_text("#voet", "Gegevens tot en met", timeout=20)
    return served


def _log_in(duo, username: str, password: str) -> None:
    """Type the user name and password on the login page, as a person would."""
    duo.driver.get(duo.server_url + "/inloggen")
    duo.wait_for_element("#gebruiker", timeout=10).send_keys(username)
    duo.find_element("#wachtwoord").send_keys(password)
    duo.find_element("#inlogknop").click()
    for _ in range(100):  # the next page is opened only once the login has answered
        if "/inloggen" not in duo.driver.current_url:
            return
        if duo.find_elements("#inlogfout") and duo.find_element("#inlogfout").text:
            return  # refused: the caller checks the message
        time.sleep(0.2)


def _menu(duo) -> list[str]:
    return [link.text for link in duo.find_elements("nav a.nav")]


def _open(duo, path: str) -> None:
    duo.driver.get(duo.server_url + path)
    duo.wait_for_contains_text("#voet", "Gegevens tot en met", timeout=30)


def _shot(duo, name: str) -> None:
    duo.driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


def _choose(duo, dropdown_id: str, text: str) -> None:
    """Open a Dash 4 dropdown, search for `text` and pick that option, as a user would."""
    duo.wait_for_element(f"#{dropdown_id}", timeout=30).click()
    search = duo.wait_for_element(".dash-dropdown-content input", timeout=10)
    search.send_keys(text)
    option = duo.driver.find_element(
        By.XPATH, f"//div[contains(@class, 'dash-dropdown-content')]"
                  f"//*[@role='option'][contains(., '{text}')]")
    option.click()


def _query(duo) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(duo.driver.current_url).query).items()}


def _serious_violations(duo) -> list[str]:
    if not AXE.is_file():
        pytest.fail(f"axe-core ontbreekt ({AXE}): draai `make axe`.")
    duo.driver.execute_script(AXE.read_text(encoding="utf-8"))
    duo.driver.set_script_timeout(60)
    violations = duo.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations));")
    return [f"{v['id']} ({v['impact']}): {v['help']} – "
            f"{[n['target'] for n in v['nodes']][:3]}"
            for v in violations if v["impact"] in ("serious", "critical")]


def _figure(duo, graph_css: str) -> list[dict]:
    duo.wait_for_element(f"{graph_css} .main-svg", timeout=30)
    return duo.driver.execute_script(
        "return document.querySelector(arguments[0])._fullData.map("
        "t => ({name: t.name, x: Array.from(t.x || []), y: Array.from(t.y || [])}));",
        f"{graph_css} .js-plotly-plot")


def _db(sample_run: SampleRun, sql: str) -> list[tuple]:
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        return con.sql(sql).fetchall()


@pytest.mark.parametrize(("path", "name", "texts"), PAGES)
def test_every_page_is_dutch_and_passes_axe(monitor, path: str, name: str,
                                            texts: list[str]) -> None:
    _open(monitor, path)
    page = monitor.driver.page_source
    for text in texts:
        monitor.wait_for_contains_text("#inhoud", text, timeout=30) if text != "scholen-tabel" \
            else monitor.wait_for_element("#scholen-tabel", timeout=30)
    assert monitor.driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nl"
    assert "modebar-btn" not in page  # no English chart toolbar in the tab order
    current = monitor.driver.find_elements(By.CSS_SELECTOR, "nav a[aria-current='page']")
    assert len(current) <= 1
    _shot(monitor, name)
    assert _serious_violations(monitor) == []
    assert monitor.get_logs() == [], monitor.get_logs()


def test_the_current_menu_item_is_marked(monitor) -> None:
    _open(monitor, "/scholen")
    monitor.wait_for_element("nav a[aria-current='page']", timeout=10)
    marked = monitor.driver.find_elements(By.CSS_SELECTOR, "nav a[aria-current='page']")
    assert [m.text for m in marked] == ["Scholen"]


def test_switching_keeps_the_url_and_the_focus_on_the_control(monitor) -> None:
    _open(monitor, "/check?indicator=jeugdhulp_leerlingen&niveau=school")
    _choose(monitor, "check-indicator", "Voortijdig")
    monitor.wait_for_contains_text("#inhoud", "Voortijdig schoolverlaten in de gemeente",
                                   timeout=30)
    assert _query(monitor)["indicator"] == "vsv"
    time.sleep(0.5)
    focused = monitor.driver.execute_script(
        "return document.activeElement.closest('#check-indicator') !== null")
    assert focused, monitor.driver.execute_script("return document.activeElement.outerHTML")
    _open(monitor, "/check?indicator=vsv&niveau=wijk&schooljaar=2022-2023")
    monitor.wait_for_contains_text("#inhoud", "Trechterdiagram per wijk, 2022-2023", timeout=30)
    _shot(monitor, "check-vsv-wijk")


def test_thuiszitters_check_opens_on_a_level_with_visible_values(monitor, sample_run) -> None:
    # Nearly every school's thuiszitters figure is hidden: the page must still open on a level
    # and schooljaar that shows some.
    _open(monitor, "/check?indicator=thuiszitters")
    monitor.wait_for_element("#check-trechter", timeout=30)
    query = dict(zip(("niveau", "schooljaar"), (
        monitor.wait_for_element("#check-niveau", timeout=30).text,
        monitor.wait_for_element("#check-schooljaar", timeout=30).text), strict=True))
    level = {"School": "school", "Bestuur": "bestuur", "Samenwerkingsverband": "swv",
             "Wijk": "wijk"}[query["niveau"].strip()]
    assert _db(sample_run, f"""SELECT count(value) > 0 FROM indicator_values WHERE
        indicator_id = 'thuiszitters' AND level = '{level}'
        AND period = '{query['schooljaar'].strip()}'""") == [(True,)]
    assert monitor.driver.find_elements(By.CSS_SELECTOR, "#check-trechter .leeg") == []
    _shot(monitor, "check-thuiszitters")


def test_a_hidden_funnel_says_why_and_links_to_a_visible_level(monitor, sample_run) -> None:
    (indicator, period), *_ = _db(sample_run, """SELECT indicator_id, period
        FROM indicator_values GROUP BY indicator_id, period
        HAVING count(*) FILTER (level = 'school') > 0
           AND count(value) FILTER (level = 'school') = 0 AND count(value) > 0
        ORDER BY period DESC, indicator_id""")
    # every school hidden, another level visible
    _open(monitor, f"/check?indicator={indicator}&niveau=school&schooljaar={period}")
    sentence = monitor.wait_for_element("#check-trechter .leeg", timeout=30)
    assert "geen enkel gebied" in sentence.text and "Wel zichtbaar" in sentence.text
    assert monitor.driver.find_elements(By.CSS_SELECTOR, "#check-trechter .js-plotly-plot") == []
    _shot(monitor, "check-verborgen-trechter")
    sentence.find_element(By.TAG_NAME, "a").click()  # another level, or the total over years
    for _ in range(60):
        if _query(monitor).get("niveau") != "school":
            break
        time.sleep(0.5)
    assert _query(monitor).get("niveau") != "school"
    monitor.wait_for_element("#inhoud .js-plotly-plot", timeout=30)


def test_schools_sharing_a_name_get_separate_bars_with_their_codes(monitor,
                                                                   sample_run) -> None:
    twins = _db(sample_run, """SELECT v.period, s.naam,
        list(s.vestigingscode ORDER BY s.vestigingscode) FROM schools s JOIN indicator_values v
        ON v.area_code = s.vestigingscode AND v.indicator_id = 'jeugdhulp_leerlingen'
        AND v.level = 'school' AND v.value IS NOT NULL
        GROUP BY ALL HAVING count(*) > 1 ORDER BY v.period DESC, s.naam""")  # both visible
    assert twins, "the sample should show two schools with one name in some schooljaar"
    period, name, codes = twins[0]
    _open(monitor, f"/do?niveau=school&schooljaar={period}")
    assert len(_figure(monitor, "#do-leerlingen")[0]["y"]) == 25  # opens on the top 25
    labels: list[str] = []
    for _ in range(5):  # a slow machine may still be drawing the page: type again
        box = monitor.wait_for_element("#do-leerlingen input[type='search']", timeout=30)
        box.clear()
        box.send_keys(name, Keys.ENTER)
        for _ in range(25):
            labels = _figure(monitor, "#do-leerlingen")[0]["y"]
            if all(name in label for label in labels):
                break
            time.sleep(0.2)
        if all(name in label for label in labels):
            break
    visible = {c for (c,) in _db(sample_run, f"""SELECT area_code FROM indicator_values WHERE
        indicator_id = 'jeugdhulp_leerlingen' AND level = 'school' AND period = '{period}'
        AND value IS NOT NULL AND area_code IN {tuple(codes)}""")}
    assert sorted(labels) == sorted(f"{name} ({c})" for c in visible)
    assert len(visible) >= 2, "the sample should show both schools"
    _shot(monitor, "dubbele-schoolnamen")


def test_breakdown_shares_add_up_to_100_percent(monitor) -> None:
    _open(monitor, "/do?niveau=school&schooljaar=2024-2025&uitsplitsing=hulpvorm")
    traces = _figure(monitor, "#do-mix")
    totals: dict[str, float] = {}
    for trace in traces:
        for label, share in zip(trace["y"], trace["x"], strict=True):
            totals[label] = totals.get(label, 0.0) + share
    assert totals and all(abs(t - 100) < 1e-6 for t in totals.values()), totals
    assert "overig/afgeschermd" in {t["name"] for t in traces}


def test_the_school_list_filters_by_board(monitor, sample_run) -> None:
    (board, count), *_ = _db(sample_run, """SELECT bevoegd_gezag_naam, count(*) FROM schools
        GROUP BY ALL HAVING count(*) BETWEEN 2 AND 20 ORDER BY 2 DESC, 1""")
    _open(monitor, "/scholen")
    _choose(monitor, "scholen-bestuur", board)
    monitor.wait_for_contains_text("#scholen-aantal", f"{count} van", timeout=30)
    column = monitor.driver.find_elements(
        By.CSS_SELECTOR, "#scholen-tabel td[data-dash-column='Bestuur']")
    assert column and {c.text for c in column} == {board}
    _shot(monitor, "scholen-per-bestuur")


def test_a_school_profile_opens_from_the_list(monitor, sample_run) -> None:
    _open(monitor, "/scholen")
    link = monitor.wait_for_element("#scholen-tabel a", timeout=30)
    name = link.text
    link.click()
    monitor.wait_for_contains_text("h1", name, timeout=30)
    code = _query(monitor)["vestigingscode"]
    assert _db(sample_run, f"SELECT naam FROM schools WHERE vestigingscode = '{code}'") == [
        (name,)]
    _shot(monitor, "schoolprofiel")


def test_the_csv_download_has_numeric_columns(monitor) -> None:
    _open(monitor, "/check?indicator=startkwalificatie&niveau=wijk&schooljaar=2024-2025")
    monitor.wait_for_contains_text("#inhoud", "Trechterdiagram per wijk", timeout=30)
    monitor.find_element("#check-trechter .download .knop").click()
    target = Path(monitor.download_path) / "startkwalificatie_wijk_2024-2025.csv"
    for _ in range(100):
        if target.is_file() and target.stat().st_size:
            break
        time.sleep(0.2)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Dutch Excel reads UTF-8
    text = raw.decode("utf-8-sig")
    assert "# Bron: " in text and "run" not in text.split("# Bron: ")[1].splitlines()[0]
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    frame = pd.read_csv(io.StringIO(body), sep=";", decimal=",")
    for column in ("waarde", "ondergrens", "bovengrens", "teller", "noemer"):
        assert frame[column].dtype.kind == "f", column
    assert frame["waarde"].notna().any() and set(frame["eenheid"]) == {"%"}


def test_the_table_alternative_is_reachable_by_keyboard(monitor) -> None:
    _open(monitor, "/check")
    summary = monitor.find_element("#check-trend summary")
    summary.send_keys(Keys.ENTER)
    monitor.wait_for_element("#check-trend-tabel", timeout=10)
    assert "Schooljaar" in monitor.find_element("#check-trend-tabel").text
