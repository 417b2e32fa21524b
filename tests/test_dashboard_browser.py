"""What a person sees in a real headless Chromium, page by page (screenshots in test-artifacts)."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import duckdb
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard.app import create_app
from pipelines.settings import PROJECT_ROOT
from tests.conftest import SampleRun

SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
pytestmark = pytest.mark.browser

PAGES = [
    ("/", "overzicht", ["Maatschappelijke resultaten", "Voortijdig schoolverlaten", "Plan",
                        "achter"]),
    ("/plan", "plan", ["1 Monitoring & ambities", "Afgesproken doelen per schooljaar",
                       "Definitie", "OOGO Almere"]),
    ("/do", "do", ["3 Activiteiten", "Leerlingen met jeugdhulp per wijk", "4 Input kwaliteit",
                   "Kosten per traject"]),
    ("/check", "check", ["5 Outcome", "Trechterdiagram", "Toon als tabel"]),
    ("/act", "act", ["6 Verbetercyclus", "Nieuw overleg", "Hoe gaat de samenwerking?"]),
    ("/scholen", "scholen", ["Klik op een school"]),
    ("/school", "school", ["Alle indicatoren", "Vergelijkbare scholen"]),
    ("/wijk", "wijk", ["Alle indicatoren", "de wijk en de gemeente"]),
    ("/datakwaliteit", "datakwaliteit", ["Actualiteit", "Controles:", "personen.csv"]),
]


@pytest.fixture
def monitor(dash_duo, sample_run: SampleRun):
    dash_duo.start_server(create_app(sample_run.settings))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return dash_duo


def _open(duo, path: str) -> None:
    duo.driver.get(duo.server_url + path)
    duo.wait_for_contains_text("#voet", "Gegevens tot en met", timeout=20)


def _shot(duo, name: str) -> None:
    duo.driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


def _choose(duo, dropdown_id: str, text: str) -> None:
    """Open a Dash 4 dropdown, search for `text` and pick that option, as a user would."""
    duo.find_element(f"#{dropdown_id}").click()
    search = duo.wait_for_element(".dash-dropdown-content input", timeout=10)
    search.send_keys(text)
    option = duo.driver.find_element(
        By.XPATH, f"//div[contains(@class, 'dash-dropdown-content')]"
                  f"//*[@role='option'][contains(., '{text}')]")
    option.click()


def _query(duo) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(duo.driver.current_url).query).items()}


@pytest.mark.parametrize(("path", "name", "texts"), PAGES)
def test_every_page_shows_its_dutch_content(monitor, path: str, name: str,
                                            texts: list[str]) -> None:
    _open(monitor, path)
    for text in texts:
        monitor.wait_for_contains_text("#inhoud", text, timeout=20)
    _shot(monitor, name)
    assert monitor.get_logs() == [], monitor.get_logs()


def test_switching_indicator_and_schooljaar_keeps_them_in_the_url(monitor) -> None:
    _open(monitor, "/check")
    _choose(monitor, "check-indicator", "Voortijdig")
    monitor.wait_for_contains_text("#inhoud", "Voortijdig schoolverlaten in de gemeente",
                                   timeout=20)
    _choose(monitor, "check-schooljaar", "2022-2023")
    monitor.wait_for_contains_text("#inhoud", "Trechterdiagram per school, 2022-2023",
                                   timeout=20)
    assert _query(monitor) == {"indicator": "vsv", "niveau": "school",
                               "schooljaar": "2022-2023"}
    # The URL is shareable: opening it again shows the same selection.
    _open(monitor, "/check?indicator=vsv&niveau=wijk&schooljaar=2022-2023")
    monitor.wait_for_contains_text("#inhoud", "Trechterdiagram per wijk, 2022-2023", timeout=20)
    _shot(monitor, "check-vsv-wijk")


def test_a_school_profile_opens_from_the_table(monitor, sample_run: SampleRun) -> None:
    _open(monitor, "/scholen")
    monitor.find_element("#scholen-kaart summary").click()
    link = monitor.wait_for_element("#scholen-kaart-tabel a", timeout=20)
    name = link.text
    link.click()
    monitor.wait_for_contains_text("h1", name, timeout=20)
    code = _query(monitor)["vestigingscode"]
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        assert con.sql(f"SELECT naam FROM schools WHERE vestigingscode = '{code}'"
                       ).fetchall() == [(name,)]
    _shot(monitor, "schoolprofiel")


def test_a_hidden_value_says_why_and_offers_the_bestuur(monitor,
                                                        sample_run: SampleRun) -> None:
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        code, = con.sql("""SELECT area_code FROM indicator_values WHERE level = 'school'
            AND indicator_id = 'vsv' AND period = '2024-2025' AND suppressed
            ORDER BY area_code LIMIT 1""").fetchall()[0]
    _open(monitor, f"/school?vestigingscode={code}&schooljaar=2024-2025&indicator=vsv")
    monitor.wait_for_contains_text("#inhoud", "niet zichtbaar: klein aantal", timeout=20)
    link = monitor.wait_for_element("p.verborgen a", timeout=10)
    assert link.text == "Bekijk het bestuur (samengenomen scholen)"
    link.click()
    monitor.wait_for_contains_text("#inhoud", "Trechterdiagram per bestuur", timeout=20)
    _shot(monitor, "verborgen-waarde-naar-bestuur")


def test_a_chart_downloads_as_csv_with_definition_and_unit(monitor) -> None:
    _open(monitor, "/check?indicator=startkwalificatie&niveau=wijk&schooljaar=2024-2025")
    monitor.wait_for_contains_text("#inhoud", "Trechterdiagram per wijk", timeout=20)
    monitor.find_element("#check-trechter .knop").click()
    folder = Path(monitor.download_path)
    target = folder / "startkwalificatie_wijk_2024-2025.csv"
    for _ in range(50):
        if target.is_file() and target.stat().st_size:
            break
        time.sleep(0.2)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Indicator: Jongeren met startkwalificatie (startkwalificatie)")
    assert "# Eenheid: percentage" in text
    header = next(line for line in text.splitlines() if not line.startswith("#"))
    assert header.startswith("Niveau;Gebied;Code;Schooljaar;Waarde")
    assert ";Wijk;" not in text and "Wijk;" in text


def test_the_table_alternative_is_reachable_by_keyboard(monitor) -> None:
    _open(monitor, "/check")
    summary = monitor.find_element("#check-trend summary")
    summary.send_keys(Keys.ENTER)
    monitor.wait_for_element("#check-trend-tabel", timeout=10)
    assert "Schooljaar" in monitor.find_element("#check-trend-tabel").text
