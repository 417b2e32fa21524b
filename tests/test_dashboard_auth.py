"""Logins without a published run: refusal of anonymous requests, lock-out, expiry, cookies,
the proxy header, security headers and the audit log (fast; tiny settings built per test)."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from dashboard import auth, users
from dashboard.app import create_app
from dashboard.users import User, save_users
from settings import load_settings
from tests.conftest import FakeClock
from tests.fixtures import seed_notes, write_settings

PASSWORD = "correct-paard-batterij-nietje"
pytestmark = pytest.mark.usefixtures("quick_password_hashing")
CALLBACK = {"output": "voet.children", "outputs": {"id": "voet", "property": "children"},
            "inputs": [{"id": "adres", "property": "pathname", "value": "/"}],
            "changedPropIds": ["adres.pathname"], "state": []}


@functools.cache
def _password_hash(hasher: PasswordHasher) -> str:
    """One hash of PASSWORD per test process and hasher (a login still verifies it in full)."""
    return hasher.hash(PASSWORD)


def make_app(tmp_path: Path, *, demo: bool = False, **login: str):
    """An app on empty data with users anna (bestuur), piet (oogo); `login` overrides [login]."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    settings_path = write_settings(tmp_path)
    seed_notes(tmp_path)
    text = settings_path.read_text(encoding="utf-8")
    for key, value in login.items():
        start = text.index(f"\n{key} = ") + 1
        end = text.index("\n", start)
        text = text[:start] + f"{key} = {value}" + text[end:]
    settings_path.write_text(text, encoding="utf-8")
    settings = load_settings(settings_path)
    secret = _password_hash(users.HASHER)
    save_users(settings.paths.users, {
        "anna": User("anna", "Anna", "bestuur:41676", "Stichting Een", secret, demo=demo),
        "piet": User("piet", "Piet", "oogo", "Swv", secret)})
    app = create_app(settings)
    return app, settings


def form_token(client, **request) -> str:
    """The CSRF token of the login form, as a browser gets it with the page."""
    page = client.get("/inloggen", **request).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def login(client, username: str = "anna", password: str = PASSWORD, address: str = "10.0.0.1",
          **request):
    request.setdefault("headers", {"Referer": f"{request.get('base_url', 'http://localhost')}/"})
    return client.post("/inloggen", data={"gebruiker": username, "wachtwoord": password,
                                          "csrf_token": form_token(client, **request)},
                       environ_base={"REMOTE_ADDR": address}, **request)


def callback(client, token: bool = True):
    """A callback as Dash's renderer sends it: the `_csrf_token` cookie in `X-CSRFToken`."""
    cookie = client.get_cookie("_csrf_token")
    headers = {"X-CSRFToken": cookie.value} if token and cookie else {}
    return client.post("/_dash-update-component", json=CALLBACK, headers=headers)


def audit_lines(settings) -> list[dict]:
    path = settings.paths.audit
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_route_refuses_a_request_without_login(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    client = app.server.test_client()
    rules = [r for r in app.server.url_map.iter_rules() if r.rule not in auth.PUBLIC_PATHS]
    assert len(rules) > 8
    for rule in rules:
        path = rule.rule.replace("<path:", "<").split("<")[0] + "x" if "<" in rule.rule \
            else rule.rule
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            plain = client.open(path, method=method)
            assert plain.status_code == 401, (rule.rule, method, plain.status_code)
            assert b"Niet ingelogd" in plain.data
            page = client.open(path, method=method, headers={"Accept": "text/html"})
            if method == "GET" and not path.startswith("/_"):
                assert page.status_code == 302, rule.rule
                assert page.location.startswith("/inloggen?next=")
            else:
                assert page.status_code == 401, (rule.rule, method)


def test_a_wrong_password_is_refused_in_dutch_and_audited_without_the_password(
        tmp_path: Path) -> None:
    app, settings = make_app(tmp_path)
    client = app.server.test_client()
    response = login(client, password="fout-wachtwoord-123")
    assert response.status_code == 401
    assert "Onbekende gebruikersnaam of onjuist wachtwoord." in response.get_data(as_text=True)
    assert callback(client).status_code == 401
    assert login(client, "onbekend").status_code == 401
    ok = login(client)
    assert ok.status_code == 302 and ok.location == "/"
    assert callback(client).status_code == 200
    events = audit_lines(settings)
    assert [e["gebeurtenis"] for e in events] == ["inloggen_mislukt", "inloggen_mislukt",
                                                  "inloggen"]
    assert events[0]["gebruiker"] == "anna" and events[1]["gebruiker"] is None
    raw = settings.paths.audit.read_text(encoding="utf-8")
    assert PASSWORD not in raw and "fout-wachtwoord" not in raw and "onbekend" not in raw


def test_failures_make_the_account_wait_not_the_address_or_other_users(
        tmp_path: Path, fake_clock: FakeClock) -> None:
    app, settings = make_app(tmp_path, max_failures="3", first_delay_seconds="1")
    client = app.server.test_client()
    for index in range(3):
        assert login(client, password="fout", address=f"10.0.1.{index}").status_code == 401
    waiting = login(client, address="10.0.1.99")  # the right password, but within the wait
    assert waiting.status_code == 429
    assert "Wacht 1 seconden" in waiting.get_data(as_text=True)
    assert callback(client).status_code == 401
    assert login(client, "piet", address="10.0.1.0").status_code == 302  # same address
    fake_clock.advance(1.1)
    assert login(client, address="10.0.2.1").status_code == 302  # after the wait: any address
    assert [e["gebeurtenis"] for e in audit_lines(settings)][-3:] == [
        "inloggen_wacht", "inloggen", "inloggen"]


def test_each_further_failure_doubles_the_wait(tmp_path: Path, fake_clock: FakeClock) -> None:
    app, _ = make_app(tmp_path, max_failures="2", first_delay_seconds="1")
    client = app.server.test_client()
    for _ in range(2):
        assert login(client, password="fout").status_code == 401
    fake_clock.advance(1.1)
    assert login(client, password="fout").status_code == 401  # the third: now 2 seconds
    assert "Wacht 2 seconden" in login(client).get_data(as_text=True)
    fake_clock.advance(1.9)
    assert "Wacht 1 seconden" in login(client).get_data(as_text=True)
    fake_clock.advance(0.2)
    assert login(client).status_code == 302


def test_failures_for_many_names_from_one_address_lock_out_no_one(tmp_path: Path) -> None:
    """A municipal office behind one NAT: colleagues' typing errors block nobody else."""
    app, _ = make_app(tmp_path, max_failures="3")
    client = app.server.test_client()
    for name in ("anna", "kees", "jan", "marie", "henk", "piet"):
        assert login(client, name, "fout").status_code == 401
    assert login(client, "piet").status_code == 302


def test_a_successful_login_clears_the_failures(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, max_failures="3")
    client = app.server.test_client()
    for _ in range(3):
        assert login(client, password="fout").status_code == 401
        assert login(client, password="fout").status_code == 401
        assert login(client).status_code == 302


def test_a_session_expires_after_idle_minutes(tmp_path: Path,
                                              fake_clock: FakeClock) -> None:
    app, _ = make_app(tmp_path)
    client = app.server.test_client()
    fake_clock.at(0)
    login(client)
    fake_clock.at(29 * 60)
    assert callback(client).status_code == 200
    fake_clock.at(29 * 60 + 31 * 60)
    assert callback(client).status_code == 401


def test_a_session_expires_after_absolute_hours_even_when_used(
        tmp_path: Path, fake_clock: FakeClock) -> None:
    app, _ = make_app(tmp_path)
    client = app.server.test_client()
    fake_clock.at(0)
    login(client)
    for minute in range(20, 10 * 60, 20):
        fake_clock.at(minute * 60)
        assert callback(client).status_code == 200, minute
    fake_clock.at(10 * 3600 + 60)
    assert callback(client).status_code == 401


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_logout_ends_the_session_on_the_server(tmp_path: Path, method: str) -> None:
    app, settings = make_app(tmp_path)
    client = app.server.test_client()
    login(client)
    stolen = client.get_cookie("monitor_sessie").value
    if method == "POST":  # the button
        forged = client.post("/uitloggen")  # no token: a form on another site
        assert forged.status_code == 400 and callback(client).status_code == 200
        page = client.post("/uitloggen",
                           data={"csrf_token": client.get_cookie("_csrf_token").value})
    else:  # a bookmark or a typed address
        page = client.get("/uitloggen")
    assert "U bent uitgelogd" in page.get_data(as_text=True)
    assert callback(client).status_code == 401
    replay = app.server.test_client()
    replay.set_cookie("monitor_sessie", stolen)
    assert callback(replay).status_code == 401
    assert [e["gebeurtenis"] for e in audit_lines(settings)] == ["inloggen", "uitloggen"]


def test_session_cookie_is_httponly_lax_and_secure_over_https(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)

    def cookie(response, name: str) -> str:
        return next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(name))
    plain = login(app.server.test_client())
    session = cookie(plain, "monitor_sessie=")
    assert "HttpOnly" in session and "SameSite=Lax" in session and "Secure" not in session
    token = cookie(plain, "_csrf_token=")  # read by Dash's renderer, sent to no other site
    assert "HttpOnly" not in token and "SameSite=Strict" in token
    client = app.server.test_client()
    https = login(client, base_url="https://monitor.example")
    assert https.status_code == 302
    assert "Secure" in cookie(https, "monitor_sessie=") and "Secure" in cookie(https, "_csrf")


def test_the_proxy_header_is_off_by_default(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    client = app.server.test_client()
    response = client.post("/_dash-update-component", json=CALLBACK,
                           headers={"X-Remote-User": "anna"})
    assert response.status_code == 401


def test_the_proxy_header_is_trusted_only_from_the_proxy_and_for_known_users(
        tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, trusted_header='"X-Remote-User"',
                      trusted_proxies='["10.9.9.9"]')

    def as_user(name: str, address: str) -> int:
        client = app.server.test_client()
        client.get("/inloggen")  # the page a browser opened first: its CSRF cookie
        return client.post("/_dash-update-component", json=CALLBACK,
                           headers={"X-Remote-User": name,
                                    "X-CSRFToken": client.get_cookie("_csrf_token").value},
                           environ_base={"REMOTE_ADDR": address}).status_code
    assert as_user("anna", "10.9.9.9") == 200
    assert as_user("anna", "10.0.0.1") == 401
    assert as_user("mallory", "10.9.9.9") == 401


def test_every_response_has_security_headers(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    client = app.server.test_client()
    for response in (client.get("/inloggen"), callback(client)):
        headers = response.headers
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy
        script_src = policy.split("script-src")[1].split(";")[0]
        assert "unsafe-inline" not in script_src
    login(client)
    index = client.get("/")
    assert "sha256-" in index.headers["Content-Security-Policy"]


def test_the_login_page_mentions_the_demo_file_only_with_demo_users(tmp_path: Path) -> None:
    plain, _ = make_app(tmp_path / "echt")
    assert "demo-inloggegevens" not in plain.server.test_client().get(
        "/inloggen").get_data(as_text=True)
    demo, settings = make_app(tmp_path / "demo", demo=True)
    page = demo.server.test_client().get("/inloggen").get_data(as_text=True)
    assert str(settings.paths.demo_logins) in page


def test_the_session_secret_is_generated_once_and_owner_only(tmp_path: Path) -> None:
    _, settings = make_app(tmp_path)
    path = settings.paths.session_secret
    first = path.read_text(encoding="utf-8")
    assert len(first.strip()) == 64 and path.stat().st_mode & 0o777 == 0o600
    create_app(settings)
    assert path.read_text(encoding="utf-8") == first


def test_two_workers_starting_together_share_one_whole_secret(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """gunicorn starts its workers at once: the second may look while the first writes."""
    _, settings = make_app(tmp_path)
    settings.paths.session_secret.unlink()
    second: list[bytes] = []
    token_hex = auth.secrets.token_hex

    def first_worker_generating(length: int) -> str:
        if not second:  # the other worker starts while this one generates its secret
            second.append(b"")
            second[0] = auth.session_secret(settings)
        return token_hex(length)

    monkeypatch.setattr(auth.secrets, "token_hex", first_worker_generating)
    first = auth.session_secret(settings)
    assert len(first) == 64 and second == [first]


def test_the_menu_hides_analyst_pages_from_other_roles(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    client = app.server.test_client()
    login(client)
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "Overzicht" in layout and "Scholen" in layout and "Datakwaliteit" not in layout
    assert "Anna (Stichting Een)" in layout and "Uitloggen" in layout


def test_a_cross_site_login_post_is_refused(tmp_path: Path) -> None:
    """A form on another site posts the right password: without the page's token, no login."""
    app, _ = make_app(tmp_path)
    client = app.server.test_client()
    data = {"gebruiker": "anna", "wachtwoord": PASSWORD}
    forged = client.post("/inloggen", data=data)
    assert forged.status_code == 400
    assert "kwam niet van deze website" in forged.get_data(as_text=True)
    other = app.server.test_client()  # a token of another browser's session
    stolen = client.post("/inloggen", data={**data, "csrf_token": form_token(other)})
    assert stolen.status_code == 400 and callback(client).status_code == 401
    assert login(client).status_code == 302 and callback(client).status_code == 200


def test_a_callback_without_the_token_is_refused(tmp_path: Path) -> None:
    """Note writes are Dash callbacks: a forged one (no X-CSRFToken) writes nothing."""
    app, _ = make_app(tmp_path)
    client = app.server.test_client()
    login(client)
    assert callback(client, token=False).status_code == 400
    forged = client.post("/_dash-update-component", json=CALLBACK,
                         headers={"X-CSRFToken": "IjAwMDAi.forged.token"})
    assert forged.status_code == 400
    assert callback(client).status_code == 200


def test_every_login_starts_a_new_session_and_ends_the_previous_one(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    client = app.server.test_client()
    anonymous = client.get("/inloggen") and client.get_cookie("monitor_sessie").value
    login(client)
    anna = client.get_cookie("monitor_sessie").value
    assert anna != anonymous
    login(client, "piet")  # the next user at the same browser
    assert client.get_cookie("monitor_sessie").value != anna
    replay = app.server.test_client()
    replay.set_cookie("monitor_sessie", anna)
    assert callback(replay).status_code == 401
    assert callback(client).status_code == 200


def test_responses_with_data_are_never_stored(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    client = app.server.test_client()
    assert client.get("/inloggen").headers["Cache-Control"] == "no-store"
    login(client)
    for response in (callback(client), client.get("/"), client.get("/_dash-layout"),
                     client.get("/uitloggen")):
        assert response.headers["Cache-Control"] == "no-store", response.request.path
    assert "no-store" not in client.get("/assets/style.css").headers.get("Cache-Control", "")
