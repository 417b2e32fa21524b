"""Logins: Flask-Login sessions, a throttle per address, a growing wait per account, expiry,
CSRF tokens on every form and callback, an optional proxy header.

Every request without a valid login is refused before Dash sees it: pages are redirected to
/inloggen, everything else (callbacks, downloads, layouts, Data Docs) gets 401. A session is
a signed cookie (HttpOnly, SameSite=Lax, Secure over HTTPS) holding a random session id that
must also be in the server-side session registry, so logging out (POST or GET) ends it on the
server too, and every login starts a new id and ends the one the browser had before.
The throttle (Flask-Limiter) and the wait per account (dashboard.lockout) count in a store all
workers share: SQLite in the cache folder, or Redis ([login] limiter_storage).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import flask
import flask_login
from cachelib import FileSystemCache
from flask.sessions import SecureCookieSessionInterface
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.storage import storage_from_string

from dashboard import audit, clock, csrf
from dashboard.context import NotLoggedIn, Viewer, ViewerResolver, app_state
from dashboard.counters import SQLiteStorage
from dashboard.lockout import WAIT, AccountDelay
from dashboard.users import User, UsersFileError, load_users, verify
from settings import Login, Settings

LOGIN, LOGOUT = "/inloggen", "/uitloggen"
PUBLIC_PATHS = (LOGIN, LOGOUT, "/assets/style.css", "/assets/login.css")
SECRET_ENV = "MONITOR_SESSION_SECRET"
FAILED = "Onbekende gebruikersnaam of onjuist wachtwoord."
THROTTLED = ("Te veel inlogpogingen vanaf dit adres. Wacht een minuut en probeer het dan "
             "opnieuw.")


def session_secret(settings: Settings) -> bytes:
    """$MONITOR_SESSION_SECRET, else [paths] session_secret (created 0600 on first start)."""
    if os.environ.get(SECRET_ENV):
        return os.environ[SECRET_ENV].encode()
    path = settings.paths.session_secret
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written in full beside it, then linked into place: a worker starting at the same
        # moment finds no file or the whole secret, never an empty one (which signed its
        # sessions with another key, so logins on one worker were refused by the other).
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_hex(32) + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:  # another worker was first: its secret holds
            pass
        finally:
            os.unlink(temporary)
    return path.read_text(encoding="utf-8").strip().encode()


def derived_key(secret: bytes, purpose: str) -> bytes:
    """A separate key per purpose (sessions, peer aliases) from the one server secret."""
    return hmac.new(secret, purpose.encode(), hashlib.sha256).digest()


class UserStore:
    """The users file, read again when it changes (the CLI edits it while the app runs)."""

    def __init__(self, path: Path) -> None:
        self.path, self._stamp, self._users = path, None, {}

    def all(self) -> dict[str, User]:
        stamp = self.path.stat().st_mtime_ns if self.path.is_file() else None
        if stamp != self._stamp:
            self._users, self._stamp = load_users(self.path), stamp
        return self._users

    def get(self, username: str) -> User | None:
        return self.all().get(username)


@dataclass
class LoginUser(flask_login.UserMixin):
    user: User

    def get_id(self) -> str:
        return self.user.username


class _SecureWhenHttps(SecureCookieSessionInterface):
    """The session cookie gets `Secure` whenever the request came in over HTTPS."""

    def get_cookie_secure(self, app: flask.Flask) -> bool:
        return flask.request.is_secure or super().get_cookie_secure(app)


@dataclass
class _Sessions:
    """Server-side registry of live session ids with idle and absolute expiry."""

    registry: FileSystemCache
    idle: float
    absolute: float

    def start(self, username: str) -> None:
        self.end()  # whoever was logged in in this browser before: that session ends here
        sid = secrets.token_urlsafe(32)
        now = clock.now()
        self.registry.set(sid, username, timeout=int(self.absolute) + 60)
        flask.session.update(sid=sid, login_at=now, seen_at=now)

    def valid(self, username: str) -> bool:
        session, now = flask.session, clock.now()
        sid = session.get("sid")
        if not sid or self.registry.get(sid) != username:
            return False
        if (now - session.get("login_at", 0) > self.absolute
                or now - session.get("seen_at", 0) > self.idle):
            self.end()
            return False
        session["seen_at"] = now
        return True

    def end(self) -> None:
        if flask.session.get("sid"):
            self.registry.delete(flask.session["sid"])
        flask.session.clear()


def _local(target: str | None) -> str:
    """Only paths on this server are followed after login (no open redirect)."""
    target = target or "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _page(error: str | None = None, status: int = 200, **extra) -> flask.Response:
    state = app_state()
    store = state.users
    try:
        demo = any(user.demo for user in store.all().values())
    except UsersFileError:
        demo = False
    body = flask.render_template("login.html", error=error, demo=demo,
                                 demo_file=state.demo_file,
                                 next=flask.request.values.get("next", "/"), **extra)
    return flask.Response(body, status=status)


def _header_user(config: Login, store: UserStore) -> LoginUser | None:
    """The trusted identity header, only when the connection itself comes from a configured
    proxy (the peer address, not a forwarded one: dashboard.security keeps it)."""
    header = config.trusted_header
    peer = flask.request.environ.get("monitor.peer", flask.request.remote_addr)
    if not header or peer not in config.trusted_proxies:
        return None
    user = store.get(flask.request.headers.get(header, "").strip().lower())
    return LoginUser(user) if user else None


def _refuse() -> flask.Response:
    wants_page = (flask.request.method == "GET" and not flask.request.path.startswith("/_")
                  and "text/html" in flask.request.headers.get("Accept", ""))
    if wants_page:
        return flask.redirect(LOGIN + "?" + urlencode({"next": flask.request.full_path}))
    return flask.Response("Niet ingelogd.", status=401, mimetype="text/plain")


def _guard(resolve: ViewerResolver):
    def guard() -> flask.Response | None:
        if flask.request.path in PUBLIC_PATHS:
            return None
        try:
            flask.g.monitor_viewer = resolve(flask.request)
        except NotLoggedIn:
            return _refuse()
        return None
    return guard


def _routes(server: flask.Flask, limiter: Limiter, config: Login, sessions: _Sessions,
            store: UserStore, delay: AccountDelay) -> None:

    def attempted_user() -> str:
        return flask.request.form.get("gebruiker", "").strip().lower()

    @server.route(LOGIN, methods=["GET", "POST"])
    @limiter.limit(config.throttle, methods=["POST"])
    def login() -> flask.Response:
        if flask.request.method == "GET":
            return _page()
        username = attempted_user()
        user = store.get(username)
        wait = delay.wait(username)
        if wait:  # the password is not even checked: guessing stops, the user waits
            audit.record("inloggen_wacht", gebruiker=username if user else None, seconden=wait)
            return _page(WAIT.format(seconds=wait), 429)
        if not verify(user, flask.request.form.get("wachtwoord", "")):
            delay.failed(username)
            audit.record("inloggen_mislukt", gebruiker=username if user else None,
                         bekende_gebruiker=user is not None)
            return _page(FAILED, 401)
        delay.succeeded(username)
        sessions.start(user.username)
        flask_login.login_user(LoginUser(user))
        audit.record("inloggen", gebruiker=user.username, rol=user.role)
        return flask.redirect(_local(flask.request.form.get("next")))

    @server.route(LOGOUT, methods=["GET", "POST"])
    def logout() -> flask.Response:
        # GET too (a bookmark, a typed address): the session ends however logout is reached.
        if flask_login.current_user.is_authenticated:
            audit.record("uitloggen", gebruiker=flask_login.current_user.get_id())
        flask_login.logout_user()
        sessions.end()
        return _page(logged_out=True)

    @server.errorhandler(429)
    def throttled(_error) -> flask.Response:
        audit.record("inloggen_geblokkeerd")
        return _page(THROTTLED, 429)


def limiter_storage(config: Login, cache_folder: Path) -> str:
    """[login] limiter_storage, or by default the SQLite counters in the cache folder."""
    return config.limiter_storage or f"{SQLiteStorage.STORAGE_SCHEME[0]}:///" + str(
        (cache_folder / "tellers.sqlite").resolve())


def init_login(server: flask.Flask, settings: Settings, secret: bytes,
               session_folder: Path, store: UserStore) -> ViewerResolver:
    """Sessions, the login routes and the lock-out on `server`; returns the viewer resolver.

    `session_folder` holds the server-side registry of live sessions (shared by workers).
    """
    config = settings.login
    peers = settings.disclosure.peers_by_name
    store.all()  # a users file with a plain or weak hash stops the start, naming the user
    server.secret_key = derived_key(secret, "sessies")
    server.session_interface = _SecureWhenHttps()
    server.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                         SESSION_COOKIE_NAME="monitor_sessie")
    # Beyond 10.000 entries cachelib first drops expired sessions.
    sessions = _Sessions(FileSystemCache(str(session_folder), threshold=10_000),
                         idle=60 * float(config.idle_minutes),
                         absolute=3600 * float(config.absolute_hours))
    manager = flask_login.LoginManager(server)
    manager.session_protection = None  # the server-side registry does this job

    @manager.user_loader
    def load(username: str) -> LoginUser | None:
        user = store.get(username)
        return LoginUser(user) if user and sessions.valid(username) else None

    manager.request_loader(lambda _request: _header_user(config, store))
    uri = limiter_storage(config, session_folder.parent)
    limiter = Limiter(get_remote_address, app=server, storage_uri=uri,
                      strategy="moving-window", headers_enabled=False)
    delay = AccountDelay(storage_from_string(uri), config.max_failures,
                         config.first_delay_seconds, 60 * config.lockout_minutes)
    _routes(server, limiter, config, sessions, store, delay)

    def resolve(_request: flask.Request) -> Viewer:
        current = flask_login.current_user
        if not current.is_authenticated:
            raise NotLoggedIn
        user = current.user
        return Viewer(user.username, user.display_name, user.organisation, user.scope(peers))
    return resolve


def protect(server: flask.Flask, resolve: ViewerResolver) -> None:
    """Refuse every request without a viewer (see the module docstring), then every POST
    without the CSRF token of its session (so an anonymous callback gets 401, not 400)."""
    server.before_request(_guard(resolve))
    csrf.init(server, LOGIN, lambda message: _page(message, 400))
