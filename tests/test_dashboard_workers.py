"""The dashboard as `make dashboard` serves it, two gunicorn workers: the login throttle and the
wait per account are exact across workers — with the default SQLite counters and with Redis
(a redis-server of the test's own) — and forged login posts and note writes are refused.

Each test talks from loopback addresses of its own (127.0.0.x), so the throttle of one test
never touches another. Slow: it starts gunicorn (no pipeline run).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

from dashboard.app import create_app
from dashboard.notes import database
from dashboard.notes.store import NotesStore
from dashboard.users import HASHER, User, save_users
from settings import PROJECT_ROOT, Settings, load_settings
from tests.faults import tiny
from tests.fixtures import write_settings

pytestmark = pytest.mark.slow
PASSWORD = "correct-paard-batterij-nietje"
GUNICORN = Path(sys.executable).with_name("gunicorn")


class Browser:
    """A browser at one loopback address: keeps its cookies, sends what a page would
    (the Referer of its own site on a POST, as Referrer-Policy: same-origin lets it)."""

    def __init__(self, port: int, address: str, tls: ssl.SSLContext | None = None) -> None:
        self.port, self.address, self.tls, self.cookies = port, address, tls, SimpleCookie()
        self.base = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
        self.headers: http.client.HTTPMessage | None = None  # of the last response

    def send(self, method: str, path: str, body: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, str]:
        where = {"timeout": 60, "source_address": (self.address, 0)}
        connection = (http.client.HTTPSConnection("127.0.0.1", self.port, context=self.tls,
                                                  **where) if self.tls
                      else http.client.HTTPConnection("127.0.0.1", self.port, **where))
        cookie = "; ".join(f"{k}={v.value}" for k, v in self.cookies.items())
        sent = {**({"Cookie": cookie} if cookie else {}),
                **({"Referer": self.base + "/"} if method == "POST" else {}), **(headers or {})}
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        self.headers = response.headers
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        text = response.read().decode("utf-8")
        connection.close()
        return response.status, text

    def login(self, username: str, password: str = PASSWORD, token: bool = True,
              headers: dict[str, str] | None = None) -> tuple[int, str]:
        form = {"gebruiker": username, "wachtwoord": password}
        if token:
            page = self.send("GET", "/inloggen")[1]
            form["csrf_token"] = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        return self.send("POST", "/inloggen", urlencode(form).encode(), {
            "Content-Type": "application/x-www-form-urlencoded", **(headers or {})})

    def callback(self, body: dict, token: bool = True) -> tuple[int, str]:
        headers = {"Content-Type": "application/json"}
        if token:  # what Dash's renderer does: the `_csrf_token` cookie in X-CSRFToken
            headers["X-CSRFToken"] = self.cookies["_csrf_token"].value
        return self.send("POST", "/_dash-update-component", json.dumps(body).encode(), headers)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers_body(key: str, text: str) -> dict:
    """'Antwoorden opslaan' on a meeting page, as the browser posts it (tests.faults.tiny)."""
    body: dict = {}

    class Capture:
        def post(self, _path, json):
            body.update(json)
            return type("R", (), {"status_code": 200, "get_json": lambda self: {}})()
    tiny.save_answers(Capture(), key, [text, "", "", ""])
    return body


def environment(root: Path, **replace: str) -> tuple[Path, Settings]:
    """Settings in `root` (`replace`: old=new text of monitor.toml) with two users: anna
    (analist) and piet (oogo), both with PASSWORD."""
    path = write_settings(root, **replace)
    settings = load_settings(path)
    save_users(settings.paths.users, {
        "anna": User("anna", "Anna", "analist", "Gemeente", HASHER.hash(PASSWORD)),
        "piet": User("piet", "Piet", "oogo", "Swv", HASHER.hash(PASSWORD))})
    return path, settings


@contextmanager
def counter_store(kind: str) -> Iterator[str]:
    """[login] limiter_storage for `kind`: the default SQLite file, or a Redis server of its
    own (as several dashboard servers would share)."""
    if kind == "sqlite":
        yield ""
        return
    if not shutil.which("redis-server"):
        pytest.skip("redis-server ontbreekt (Debian-pakket redis-server)")
    port = _free_port()
    redis = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                              "--save", "", "--appendonly", "no"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        redis.terminate()
        redis.wait(30)


@pytest.fixture(scope="module", params=["sqlite", "redis"])
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[int, Settings, int]]:
    """gunicorn with two workers on a tiny environment, counting in SQLite or Redis:
    (port, settings, meeting id)."""
    with counter_store(request.param) as storage:
        path, settings = environment(tmp_path_factory.mktemp("twee-workers"),
                                     **{"max_failures = 5": "max_failures = 3",
                                        "first_delay_seconds = 30": "first_delay_seconds = 2",
                                        'limiter_storage = ""': f'limiter_storage = "{storage}"'})
        tiny.add_version(settings.paths.published, "run-1")
        meeting = tiny.meeting(create_app(settings))
        with gunicorn(path) as port:
            yield port, settings, meeting


@contextmanager
def gunicorn(settings_path: Path, umask: int | None = None) -> Iterator[int]:
    """`make dashboard` for `settings_path` (two workers) on a free port; its log beside it."""
    port, log = _free_port(), settings_path.parent / "gunicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(GUNICORN), "dashboard.app:create_server()", "-c", "dashboard/gunicorn.conf.py",
             "--bind", f"127.0.0.1:{port}", "--workers", "2",
             "--access-logformat", "%(p)s %(m)s %(U)s %(s)s"],
            cwd=PROJECT_ROOT, env={**os.environ, "MONITOR_SETTINGS": str(settings_path)},
            stdout=output, stderr=subprocess.STDOUT,
            preexec_fn=None if umask is None else lambda: os.umask(umask))
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, log.read_text()
            try:
                if Browser(port, "127.0.0.1").send("GET", "/inloggen")[0] == 200:
                    break
            except OSError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.3)
        yield port
    finally:
        server.terminate()
        server.wait(30)


def _workers_that_answered(log: Path, path: str, lines: slice) -> set[str]:
    """The pids (access log) that answered a POST to `path` on log lines `lines`."""
    return {line.split()[0] for line in log.read_text().splitlines()[lines]
            if f"POST {path} " in line}


def _length(log: Path) -> int:
    return len(log.read_text().splitlines())


def _hold_a_worker(port: int) -> socket.socket:
    """A request whose headers never end: the sync worker that accepts it stays busy until the
    socket closes, so every other request goes to the other worker."""
    hold = socket.create_connection(("127.0.0.1", port))
    hold.sendall(b"GET /inloggen HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    time.sleep(1)  # an idle worker accepts within milliseconds; room for a busy machine
    return hold


def test_the_21st_login_attempt_in_a_minute_from_one_address_gets_429(served) -> None:
    port, settings, _ = served
    office, log = Browser(port, "127.0.0.11"), settings.source.parent / "gunicorn.log"
    # Twenty colleagues behind one NAT mistype their names, ten at each worker: each is
    # checked (401), and the 21st is refused at the worker that saw only ten of them.
    with ExitStack() as held:
        first, start = held.enter_context(_hold_a_worker(port)), _length(log)
        for index in range(10):
            assert office.login(f"collega{index}", "fout")[0] == 401, index
        held.enter_context(_hold_a_worker(port))  # the worker that answered: the only free one
        first.close()
        middle = _length(log)
        for index in range(10, 20):
            assert office.login(f"collega{index}", "fout")[0] == 401, index
        status, page = office.login("anna")  # the 21st, even with the right password
    assert status == 429 and "Te veel inlogpogingen vanaf dit adres" in page
    one = _workers_that_answered(log, "/inloggen", slice(start, middle))
    other = _workers_that_answered(log, "/inloggen", slice(middle, None))
    assert len(one) == len(other) == 1 and one != other, (one, other)  # both workers counted
    assert Browser(port, "127.0.0.12").login("anna")[0] == 302  # another address goes on
    # The counters are where [login] limiter_storage says: SQLite by default, else Redis.
    in_sqlite = (settings.paths.cache / "tellers.sqlite").exists()
    assert in_sqlite == (not settings.login.limiter_storage)


def test_an_attacked_account_logs_in_from_another_address_after_the_wait(served) -> None:
    port, _, _ = served
    attacker, user = Browser(port, "127.0.0.21"), Browser(port, "127.0.0.22")
    for _ in range(3):
        assert attacker.login("piet", "geraden")[0] == 401
    status, page = attacker.login("piet")  # within the wait: not even checked
    assert status == 429 and "Wacht 2 seconden" in page
    assert user.login("piet")[0] == 429  # the wait is the account's, from any address
    time.sleep(2.2)
    assert user.login("piet")[0] == 302
    assert user.send("GET", "/_dash-layout")[0] == 200


def test_a_cross_site_login_and_a_note_write_without_token_are_refused(served) -> None:
    port, settings, meeting = served
    browser = Browser(port, "127.0.0.31")
    status, page = browser.login("anna", token=False,
                                 headers={"Origin": "https://aanvaller.example"})
    assert status == 400 and "kwam niet van deze website" in page
    assert browser.send("GET", "/_dash-layout")[0] == 401
    assert browser.login("anna")[0] == 302
    notes = NotesStore(database.open_engine(settings))
    forged = _answers_body(f"{meeting}|vsv", "Vervalst antwoord")
    assert browser.callback(forged, token=False)[0] == 400
    assert notes.answers(meeting) == {}
    status, reply = browser.callback(_answers_body(f"{meeting}|vsv", "Eigen antwoord"))
    assert status == 200 and "Antwoorden opgeslagen." in reply
    assert notes.answers(meeting)[("vsv", 1)]["text"] == "Eigen antwoord"
