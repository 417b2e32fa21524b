"""A whole OOGO meeting in a real headless Chromium, and what is left of it after a new run."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import format as fmt
from dashboard.app import create_app
from dashboard.context import Viewer, app_state
from dashboard.notes.view import SCALE
from privacy.scope import Scope
from settings import PROJECT_ROOT, load_settings
from tests.conftest import SampleRun, make_environment

SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
INDICATORS = {"thuiszitters": "Thuiszitters", "verzuim_relatief": "Relatief verzuim"}
ACTION = "Thuiszitterstafel elke maand"
NOTE = "Jeugdhulp: nieuwe aanpak thuiszitters sinds de zomer"
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def own_run(sample_run: SampleRun, tmp_path: Path):
    """A copy of the sample run's landing and published data that this test may change.

    Only one published version is kept, so the re-run below prunes the version the meeting
    looked at: the meeting must not need it.
    """
    settings_path, env = make_environment(tmp_path)
    text = settings_path.read_text(encoding="utf-8").replace("keep_versions = 5",
                                                             "keep_versions = 1")
    settings_path.write_text(text, encoding="utf-8")
    for part in ("landing", "published"):
        shutil.copytree(sample_run.root / "data" / part, tmp_path / "data" / part,
                        symlinks=True)
    return load_settings(settings_path), env


def _id(kind: str, key: str) -> str:
    return json.dumps({"key": key, "type": kind}, sort_keys=True, separators=(",", ":"))


def _el(duo, xpath: str, timeout: int = 30):
    return WebDriverWait(duo.driver, timeout).until(
        lambda d: d.find_element(By.XPATH, xpath))


def _by_id(duo, ident: str):
    return _el(duo, f"//*[@id='{ident}']")


def _wait_text(duo, ident: str, text: str, timeout: int = 30) -> None:
    WebDriverWait(duo.driver, timeout).until(
        lambda d: text in d.find_element(By.XPATH, f"//*[@id='{ident}']").text)


def _tick(duo, ident: str, label: str) -> None:
    _el(duo, f"//*[@id='{ident}']//label[normalize-space(.)='{label}']").click()


def _type(duo, ident: str, text: str) -> None:
    field = _by_id(duo, ident)
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(text)


# The segments of the browser's own date field in its locale's order, as a user types them.
DATE_ORDER = """return new Intl.DateTimeFormat(navigator.language)
    .formatToParts(new Date(2026, 2, 10))
    .filter(p => ['day', 'month', 'year'].includes(p.type)).map(p => p.type);"""


def _type_date(duo, ident: str, iso_day: str) -> None:
    """Type a date into a native <input type="date"> digit by digit, the calendar's own way."""
    field = _by_id(duo, ident)
    assert field.get_attribute("type") == "date"
    year, month, day = iso_day.split("-")
    parts = {"year": year, "month": month, "day": day}
    field.send_keys("".join(parts[name] for name in duo.driver.execute_script(DATE_ORDER)))
    assert field.get_attribute("value") == iso_day


def _create_meeting(duo, day: str) -> int:
    duo.driver.get(duo.server_url + "/act")
    _by_id(duo, "overleg-aanmaken")
    _type_date(duo, "overleg-datum", day)
    for party in ("Gemeente", "Jeugdhulp"):  # a searchable dropdown: type, then choose
        _by_id(duo, "overleg-partijen").click()
        _el(duo, "//div[contains(@class, 'dash-dropdown-content')]//input").send_keys(party)
        _el(duo, "//div[contains(@class, 'dash-dropdown-content')]"
                 f"//*[@role='option'][normalize-space(.)='{party}']").click()
        duo.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    for name in INDICATORS.values():
        _tick(duo, "overleg-indicatoren", name)
    _by_id(duo, "overleg-aanmaken").click()
    _by_id(duo, "overleg-open").click()
    WebDriverWait(duo.driver, 30).until(lambda d: "/overleg?id=" in d.current_url)
    _el(duo, "//h1[contains(., 'OOGO van')]")
    return int(duo.driver.current_url.rsplit("=", 1)[1])


def _answer(duo, meeting: int, indicator: str) -> None:
    key = f"{meeting}|{indicator}"
    _tick(duo, _id("keuze-1", key), "ja")
    _tick(duo, _id("keuze-2", key), "deels")
    for number in (1, 2, 3, 4):
        _type(duo, _id(f"tekst-{number}", key), f"Antwoord {number} bij {indicator}")
    _by_id(duo, _id("antwoorden-opslaan", key)).click()
    _wait_text(duo, _id("antwoorden-melding", key), "Antwoorden opgeslagen.")


# The figure the action is about: visible at gemeente level every year in the sample.
ACTED_ON = "verzuim_relatief"


def _explain_and_act(duo, meeting: int) -> None:
    section = f"//section[@id='indicator-{ACTED_ON}']"
    _el(duo, f"{section}//textarea[contains(@id, 'toelichting-tekst')]").send_keys(NOTE)
    _el(duo, f"{section}//button[contains(@id, 'toelichting-opslaan')]").click()
    WebDriverWait(duo.driver, 30).until(lambda d: NOTE in d.find_element(
        By.XPATH, f"{section}//*[contains(@id, 'toelichting-lijst')]").text)
    key = f"{meeting}|{ACTED_ON}"
    _type(duo, _id("actie-tekst", key), ACTION)
    _tick(duo, _id("actie-eigenaar", key), "jeugdhulp")
    _type(duo, _id("actie-datum", key), "2026-06-01")
    _by_id(duo, _id("actie-toevoegen", key)).click()
    _wait_text(duo, _id("actie-melding", key), "Actie toegevoegd.")
    # The form empties after saving, ready for the next action.
    WebDriverWait(duo.driver, 10).until(
        lambda d: _by_id(duo, _id("actie-tekst", key)).get_attribute("value") == "")


def _score(duo) -> None:
    # Each party scores only itself: the secretary's organisation here is the gemeente.
    assert "jeugdhulp" not in _by_id(duo, "samenwerking-opslaan").find_element(
        By.XPATH, "./..").find_element(By.TAG_NAME, "h2").text
    for block in range(1, 8):
        score = 1 + block % 5
        _tick(duo, f"blok-{block}-score", f"{score} – {SCALE[score - 1]}")
    _type(duo, "blok-5-notitie", "Vertrouwen groeit")
    _el(duo, "//*[@id='samenwerking-tonen']//label").click()
    _by_id(duo, "samenwerking-opslaan").click()
    _wait_text(duo, "samenwerking-melding", "7 score(s) van gemeente opgeslagen.")


def _answer_again(duo, meeting: int) -> None:
    """After vaststellen an answer can still change: shown as an amendment, in the history
    in Dutch with the display name."""
    key = f"{meeting}|thuiszitters"
    duo.driver.get(duo.server_url + f"/overleg?id={meeting}")
    _el(duo, "//*[@id='vaststelling'][contains(., 'Vastgesteld')]")
    _type(duo, _id("tekst-3", key), "Aangepast na het overleg")
    _by_id(duo, _id("antwoorden-opslaan", key)).click()
    _wait_text(duo, _id("antwoorden-melding", key), "Antwoorden opgeslagen.")
    duo.driver.get(duo.server_url + f"/overleg?id={meeting}")
    answer = _el(duo, f"//*[@id='{_id('tekst-3', key)}']/ancestor::div[@class='vraag']")
    assert "Vastgesteld: Antwoord 3 bij thuiszitters" in answer.text
    history = answer.find_element(By.TAG_NAME, "details")
    history.click()
    assert "Secretaris OOGO: tekst" in history.text and "text" not in history.text


def _change_landing(settings) -> None:
    """New deliveries: every fifth absence report withdrawn."""
    path = settings.paths.landing / "verzuim.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(lines[0] + "".join(line for index, line in enumerate(lines[1:])
                                       if index % 5), encoding="utf-8")


def _check_pack(dash_duo, meeting: int) -> None:
    dash_duo.driver.get(dash_duo.server_url + f"/overleg/{meeting}/pakket.html")
    body = _el(dash_duo, "//body").text
    for text in ("Antwoord 4 bij verzuim_relatief", ACTION, NOTE, "Thuiszitters"):
        assert text in body, text
    with urllib.request.urlopen(dash_duo.server_url + f"/overleg/{meeting}/pakket.pdf") as pdf:
        assert pdf.read(4) == b"%PDF"


def _rerun_pipeline(settings, env: dict) -> None:
    _change_landing(settings)
    # One BLAS thread: the suppression audit's solver otherwise spins on a busy machine.
    rerun = subprocess.run([sys.executable, "-m", "pipelines", "run",
                            "--landing", str(settings.paths.landing)], cwd=PROJECT_ROOT,
                           env={**env, "OPENBLAS_NUM_THREADS": "1"}, capture_output=True,
                           text=True)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr


def test_a_whole_meeting_survives_a_new_pipeline_run(dash_duo, own_run) -> None:
    settings, env = own_run
    viewer = Viewer("secretaris", "Secretaris OOGO", "gemeente", Scope("oogo"))
    app = create_app(settings, viewer=lambda _request: viewer)
    store, data = app_state(app.server).notes.store, app_state(app.server).published
    dash_duo.start_server(app)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    meeting = _create_meeting(dash_duo, "2026-03-10")
    for indicator in INDICATORS:
        _answer(dash_duo, meeting, indicator)
    _explain_and_act(dash_duo, meeting)
    _score(dash_duo)
    dash_duo.driver.save_screenshot(str(SCREENSHOTS / "overleg.png"))
    first_run, frozen = data.run_id, store.frozen(meeting)

    _check_pack(dash_duo, meeting)
    _rerun_pipeline(settings, env)
    assert data.run_id != first_run
    assert not (settings.paths.published / "versions" / first_run).exists()

    dash_duo.driver.get(dash_duo.server_url + f"/overleg?id={meeting}")
    _el(dash_duo, "//h1[contains(., 'OOGO van 10 maart 2026')]")
    key = f"{meeting}|thuiszitters"
    assert _by_id(dash_duo, _id("tekst-3", key)).get_attribute("value") == \
        "Antwoord 3 bij thuiszitters"
    page = _el(dash_duo, "//*[@id='inhoud']").text
    assert "gewijzigd sinds dit overleg" in page and f"run {first_run}" in page
    town = frozen[(frozen["indicator_id"] == ACTED_ON) & (frozen["level"] == "gemeente")]
    latest = town.dropna(subset=["value"]).sort_values("period").iloc[-1]
    unit = data.catalogue().set_index("indicator_id").loc[ACTED_ON, "eenheid"]
    assert fmt.value(latest["value"], unit) in page
    assert store.frozen(meeting).equals(frozen)
    dash_duo.driver.save_screenshot(str(SCREENSHOTS / "overleg-na-nieuwe-run.png"))

    _by_id(dash_duo, "overleg-vaststellen").click()  # close the meeting: minutes fixed
    _wait_text(dash_duo, "vaststellen-melding", "Vastgesteld")
    _answer_again(dash_duo, meeting)

    following = _create_meeting(dash_duo, "2026-06-10")
    _wait_text(dash_duo, "open-acties-blok", ACTION)
    opened = _by_id(dash_duo, "open-acties-blok").text
    assert "→" in opened and INDICATORS[ACTED_ON] in opened
    assert "verlopen" in opened  # due 1 juni 2026, still open
    assert following != meeting
    dash_duo.driver.save_screenshot(str(SCREENSHOTS / "volgend-overleg.png"))
    dash_duo.driver.get(dash_duo.server_url + "/")
    _wait_text(dash_duo, "verlopen-acties", ACTION)
    # The carried action is updated from the next meeting.
    dash_duo.driver.get(dash_duo.server_url + f"/overleg?id={following}")
    (carried,) = [a for a in store.actions() if a["description"] == ACTION]
    _tick(dash_duo, _id("actie-status", str(carried["id"])), "afgerond")
    _wait_text(dash_duo, _id("actie-status-melding", str(carried["id"])), "afgerond")
    assert store.action(carried["id"])["status"] == "afgerond"
