"""Logins and roles in a real headless Chromium: what each demo role sees by name, the login
and logout, and the Data Docs without a request leaving the machine (the pages themselves:
test_dashboard_browser.py, whose fixtures these tests share)."""
# ruff: noqa: F811 - `served` and `monitor` are fixtures imported from test_dashboard_browser

from __future__ import annotations

import json
import re
import time
from urllib.parse import urlparse

import duckdb
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from tests.conftest import SampleRun
from tests.test_dashboard_browser import (  # noqa: F401 - monitor and served are fixtures
    SCREENSHOTS,
    _log_in,
    _menu,
    _open,
    _shot,
    monitor,
    served,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _peer_names(duo) -> list[str]:
    """The school names in the 'vergelijkbare scholen' table of the school profile."""
    duo.find_element("#school-peers summary").click()
    duo.wait_for_element("#school-peers-tabel td", timeout=10)
    names: list[str] = []
    for _ in range(20):  # every page of the table: anonymous peers may sort after page 1
        cells = duo.find_elements("#school-peers-tabel td[data-dash-column='Gebied']")
        names += [cell.text for cell in cells]
        more = duo.find_elements("#school-peers-tabel button.next-page:not([disabled])")
        if not more:
            break
        more[0].click()
        time.sleep(0.5)
    return names


def test_a_school_board_sees_its_own_schools_by_name_and_peers_anonymous(
        served, demo_logins, sample_run: SampleRun) -> None:
    _log_in(served, "bestuur1", demo_logins["bestuur1"][0])
    served.wait_for_contains_text("#voet", "Gegevens tot en met", timeout=20)
    assert "Datakwaliteit" not in _menu(served) and "Check" in _menu(served)
    number = demo_logins["bestuur1"][1].partition(":")[2]
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        own = dict(con.execute("SELECT vestigingscode, naam FROM schools WHERE "
                               "bevoegd_gezag = ? ORDER BY naam", [number]).fetchall())
        # The own school whose comparison group has the most other schools with a visible
        # figure: the page must show their median, with exactly that n.
        code, period, n = con.execute("""
            WITH shown AS (SELECT v.area_code, v.period, s.peer_group FROM indicator_values v
                JOIN schools s ON v.area_code = s.vestigingscode WHERE v.level = 'school'
                AND v.indicator_id = 'jeugdhulp_leerlingen' AND v.value IS NOT NULL
                AND v.period LIKE '____-____')
            SELECT o.vestigingscode, p.period, count(*) FROM schools o
            JOIN shown p ON p.peer_group = o.peer_group AND p.area_code <> o.vestigingscode
            WHERE o.bevoegd_gezag = ? GROUP BY ALL ORDER BY 3 DESC, 2 DESC, 1 LIMIT 1""",
                                      [number]).fetchone()
    assert n >= 5, f"the sample should give a school of bestuur1 a group of k peers, not {n}"
    _open(served, f"/school?vestigingscode={code}&indicator=jeugdhulp_leerlingen"
                  f"&schooljaar={period}")
    served.wait_for_contains_text("h1", own[code], timeout=20)
    names = _peer_names(served)
    # Peers of one comparison group only as their median (with n), never one by one: their
    # group would name them (dashboard/peers.py).
    assert f"Mediaan van {n} vergelijkbare scholen" in names, names
    assert all(re.fullmatch(r"Mediaan van \d+ vergelijkbare scholen", name)
               or name.removesuffix(" (deze school)") in own.values() for name in names), names
    _open(served, "/datakwaliteit")
    served.wait_for_contains_text("#inhoud", "Geen toegang", timeout=20)
    _shot(served, "rol-bestuur")


def test_an_oogo_partner_sees_no_school_by_name(served, demo_logins) -> None:
    _log_in(served, "oogo", demo_logins["oogo"][0])
    served.wait_for_contains_text("#voet", "OOGO-partner", timeout=20)
    assert "Datakwaliteit" not in _menu(served)
    _open(served, "/school")
    served.wait_for_contains_text("#inhoud", "met uw rol niet bij naam", timeout=20)
    _shot(served, "rol-oogo")


def test_the_analyst_sees_peers_by_name_and_the_data_quality_page(monitor) -> None:
    monitor.wait_for_contains_text("#voet", "Analist", timeout=20)
    assert "Datakwaliteit" in _menu(monitor)
    _open(monitor, "/school")
    names = _peer_names(monitor)
    assert names and not any(re.fullmatch(r"School [A-Z]+", name) for name in names)


def test_a_wrong_password_shows_a_dutch_message(served) -> None:
    _log_in(served, "analist", "dit-is-niet-het-wachtwoord")
    served.wait_for_text_to_equal("#inlogfout",
                                  "Onbekende gebruikersnaam of onjuist wachtwoord.", timeout=10)
    assert "demo-inloggegevens" in served.find_element("#demo-uitleg").text
    _shot(served, "inloggen-fout")


def test_logout_ends_the_session(monitor) -> None:
    _open(monitor, "/check")
    monitor.find_element("#uitloggen").click()
    monitor.wait_for_contains_text("h1", "U bent uitgelogd", timeout=10)
    monitor.driver.get(monitor.server_url + "/check")
    monitor.wait_for_element("#inlogknop", timeout=10)
    assert "/inloggen?next=" in monitor.driver.current_url


def test_data_docs_load_with_no_request_leaving_the_machine(monitor, demo_logins) -> None:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        base = monitor.server_url.replace("localhost", "127.0.0.1")
        driver.get(base + "/inloggen")  # the data docs, like every page, need a login
        driver.find_element(By.ID, "gebruiker").send_keys("analist")
        driver.find_element(By.ID, "wachtwoord").send_keys(demo_logins["analist"][0])
        driver.find_element(By.ID, "inlogknop").click()
        for _ in range(50):
            if "/inloggen" not in driver.current_url:
                break
            time.sleep(0.2)
        driver.get(base + "/data-docs/")
        assert "Uitkomsten per bron en run" in driver.page_source  # the index still lists
        assert "landing-personen" in driver.page_source            # every report page
        driver.save_screenshot(str(SCREENSHOTS / "data-docs.png"))
        events = [json.loads(e["message"])["message"] for e in driver.get_log("performance")]
    finally:
        driver.quit()
    urls = [e["params"]["request"]["url"] for e in events
            if e["method"] == "Network.requestWillBeSent"]
    assert urls
    outside = [u for u in urls if urlparse(u).hostname not in ("127.0.0.1", "localhost", None)
               and not u.startswith("data:")]
    assert outside == []
