"""The deployment of deploy/: the dashboard (two gunicorn workers) behind Debian's nginx with
a self-signed certificate on loopback, configured by deploy/nginx/monitor.conf itself.

Through nginx the session cookie is Secure and HttpOnly and HSTS is sent; the throttle counts
the client address nginx forwards, and a forwarded address from anyone else is ignored; the
SSO header logs in only through nginx. Slow: it starts nginx and gunicorn (no pipeline run).
"""

from __future__ import annotations

import base64
import getpass
import shutil
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from settings import PROJECT_ROOT
from tests.test_dashboard_workers import PASSWORD, Browser, _free_port, environment, gunicorn

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not Path(NGINX).exists() or not shutil.which("openssl"),
                                 reason="nginx en openssl ontbreken: make sysdeps")]

# The workers run as the test's own user (it owns the temporary folder; as root nginx would
# switch to nobody, who may not read it). Started by another user, nginx ignores `user`.
MAIN = """daemon off;
user {user};
master_process on;
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/nginx-error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log {root}/nginx-access.log;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    include {root}/monitor.conf;
}}
"""
# The SSO of the test: nginx's own basic authentication gives $remote_user, as oauth2-proxy's
# answer gives the user name in deploy/nginx/monitor-sso-oauth2-proxy.conf.
SSO = """auth_basic "Monitor";
auth_basic_user_file {root}/htpasswd;
set $monitor_user $remote_user;
"""


def _site(root: Path, tls_port: int, app_port: int) -> str:
    """deploy/nginx/monitor.conf with this test's ports, certificate and SSO snippet."""
    text = (PROJECT_ROOT / "deploy" / "nginx" / "monitor.conf").read_text(encoding="utf-8")
    for old, new in (("listen 443 ssl http2;", f"listen 127.0.0.1:{tls_port} ssl;"),
                     ("listen [::]:443 ssl http2;", ""),
                     ("listen 80;", f"listen 127.0.0.1:{_free_port()};"), ("listen [::]:80;", ""),
                     ("/etc/ssl/monitor/fullchain.pem", f"{root}/cert.pem"),
                     ("/etc/ssl/monitor/privkey.pem", f"{root}/key.pem"),
                     ("/etc/nginx/snippets/monitor-sso.conf", f"{root}/sso.conf"),
                     ("http://127.0.0.1:8050", f"http://127.0.0.1:{app_port}")):
        assert old in text, old
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def behind_nginx(tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[tuple[int, int, ssl.SSLContext, Path]]:
    """(nginx TLS port, gunicorn port, a TLS context that trusts the self-signed certificate,
    the folder of nginx's configuration)."""
    root = tmp_path_factory.mktemp("nginx")
    path, _ = environment(root, **{'trusted_header = ""': 'trusted_header = "X-Remote-User"',
                                   "trusted_proxies = []": 'trusted_proxies = ["127.0.0.1"]'})
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(root / "key.pem"), "-out", str(root / "cert.pem")],
                   check=True, capture_output=True)
    hashed = subprocess.run(["openssl", "passwd", "-apr1", PASSWORD], check=True,
                            capture_output=True, text=True).stdout.strip()
    (root / "htpasswd").write_text(f"anna:{hashed}\n", encoding="utf-8")
    (root / "sso.conf").write_text("", encoding="utf-8")
    tls_port = _free_port()
    with gunicorn(path) as app_port:
        (root / "monitor.conf").write_text(_site(root, tls_port, app_port), encoding="utf-8")
        (root / "nginx.conf").write_text(MAIN.format(root=root, user=getpass.getuser()),
                                         encoding="utf-8")
        nginx = subprocess.Popen([NGINX, "-c", str(root / "nginx.conf"), "-e",
                                  str(root / "nginx-error.log")],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        context = ssl.create_default_context(cafile=str(root / "cert.pem"))
        try:
            for _ in range(100):
                assert nginx.poll() is None, (root / "nginx-error.log").read_text()
                try:
                    Browser(tls_port, "127.0.0.1", context).send("GET", "/inloggen")
                    break
                except OSError:
                    time.sleep(0.1)
            yield tls_port, app_port, context, root
        finally:
            nginx.terminate()
            nginx.wait(30)


def _cookie_attributes(browser: Browser, name: str) -> str:
    return next(h for h in browser.headers.get_all("Set-Cookie") if h.startswith(name + "="))


def test_through_nginx_the_cookie_is_secure_and_httponly_and_hsts_is_sent(
        behind_nginx) -> None:
    tls_port, _, context, _ = behind_nginx
    browser = Browser(tls_port, "127.0.0.61", context)
    assert browser.send("GET", "/inloggen")[0] == 200
    assert "max-age=" in browser.headers["Strict-Transport-Security"]
    assert browser.login("anna")[0] == 302
    session = _cookie_attributes(browser, "monitor_sessie")
    assert "Secure" in session and "HttpOnly" in session
    assert "Secure" in _cookie_attributes(browser, "_csrf_token")
    assert browser.send("GET", "/_dash-layout")[0] == 200
    assert browser.headers["Cache-Control"] == "no-store"


def test_the_throttle_counts_the_forwarded_address_only_from_nginx(behind_nginx) -> None:
    tls_port, app_port, context, _ = behind_nginx
    office = Browser(tls_port, "127.0.0.62", context)
    for index in range(20):
        assert office.login(f"collega{index}", "fout")[0] == 401
    assert office.login("anna")[0] == 429  # the office's own address, as nginx forwarded it
    # Everyone reaches gunicorn through the same nginx address: another client is not throttled.
    assert Browser(tls_port, "127.0.0.63", context).login("anna")[0] == 302
    # Straight to gunicorn, a made-up X-Forwarded-For is ignored: the peer address counts.
    direct = Browser(app_port, "127.0.0.64")
    for index in range(20):
        spoofed = {"X-Forwarded-For": f"10.9.{index}.1", "X-Forwarded-Proto": "https"}
        assert direct.login(f"collega{index}", "fout", headers=spoofed)[0] == 401
    assert direct.login("anna", headers={"X-Forwarded-For": "10.9.99.1"})[0] == 429
    assert "Secure" not in str(direct.headers.get_all("Set-Cookie"))


def test_the_sso_header_logs_in_only_through_nginx(behind_nginx) -> None:
    tls_port, app_port, context, root = behind_nginx
    direct = Browser(app_port, "127.0.0.65")
    direct.send("GET", "/inloggen")
    claimed = {"X-Remote-User": "anna"}
    assert direct.send("GET", "/_dash-layout", headers=claimed)[0] == 401
    assert direct.callback({"output": "voet.children", "outputs": {"id": "voet",
                            "property": "children"}, "inputs": [], "state": [],
                            "changedPropIds": []})[0] == 401
    # Without SSO in nginx, a client's own X-Remote-User is dropped by nginx.
    browser = Browser(tls_port, "127.0.0.66", context)
    assert browser.send("GET", "/_dash-layout", headers=claimed)[0] == 401
    _reload(root, SSO.format(root=root))
    try:
        signed_in = {"Authorization": "Basic " + base64.b64encode(
            f"anna:{PASSWORD}".encode()).decode(), "X-Remote-User": "piet"}
        status, layout = browser.send("GET", "/_dash-layout", headers=signed_in)
        assert status == 200 and "Anna (Gemeente)" in layout and "Piet" not in layout
        assert "Datakwaliteit" in layout  # the analyst's menu: anna's role, not piet's
        assert browser.send("GET", "/_dash-layout")[0] == 401  # no SSO sign-in: nginx refuses
    finally:
        _reload(root, "")


def _reload(root: Path, sso: str) -> None:
    """Another SSO snippet, and nginx reloaded (its new workers answer within a second)."""
    (root / "sso.conf").write_text(sso, encoding="utf-8")
    subprocess.run([NGINX, "-c", str(root / "nginx.conf"), "-e", str(root / "nginx-error.log"),
                    "-s", "reload"], check=True, capture_output=True)
    time.sleep(1)
