"""The Dash app: create_app() for tests and tools, create_server() for gunicorn."""

from __future__ import annotations

from pathlib import Path

import dash
import flask
from cachelib import FileSystemCache
from dash import MATCH, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import (
    audit,
    auth,
    csrf,
    dash_internals,
    data_docs,
    downloads,
    errors,
    page_cache,
    roles,
    security,
)
from dashboard.components import blocks
from dashboard.components import notes as notes_component
from dashboard.context import (
    AppState,
    NotLoggedIn,
    ViewerResolver,
    current_scope,
    current_viewer,
    install,
    published,
)
from dashboard.data import NotPublished, Published
from dashboard.notes import database, pack
from dashboard.notes.service import NotesService
from dashboard.notes.store import NotesStore
from settings import Settings, load_settings

PACKAGE = Path(__file__).resolve().parent


def _who(viewer) -> str:
    """Name and organisation, the organisation once (a board's name is often both)."""
    if viewer.organisation and viewer.organisation not in viewer.display_name:
        return f"{viewer.display_name} ({viewer.organisation})"
    return viewer.display_name


def _user_menu() -> tuple[list, html.Div | None]:
    """Menu items the viewer's role may open, and who is logged in with a logout button.

    Dash also builds the layout once outside any login (to validate it): then both are empty.
    """
    try:
        viewer = current_viewer()
    except NotLoggedIn:
        return [], None
    links = [dcc.Link(label, href=href, className="nav")
             for href, label in dash_internals.menu_pages() if roles.may_open(viewer.scope, href)]
    return links, html.Div([
        html.Span(_who(viewer), id="gebruiker"),
        html.Form([dcc.Input(**csrf.hidden_field()),
                   html.Button("Uitloggen", type="submit", className="knop", id="uitloggen")],
                  method="post", action=auth.LOGOUT),
    ], className="gebruiker")


def _layout() -> html.Div:
    links, user = _user_menu()
    notice = published().notice() if flask.has_request_context() else None
    return html.Div([
        html.A("Naar de inhoud", href="#inhoud", className="skip"),
        html.Header([
            html.Div("Jeugd & Onderwijs Monitor", className="merk"),
            html.Nav(links, **{"aria-label": "Hoofdmenu"}),
            user,
        ]),
        errors.alert(notice),
        html.Main(dash.page_container, id="inhoud"),
        html.Footer(id="voet"),
        dcc.Location(id="adres"),
    ])


def _role_checked(layout, path: str):
    """A page a role may not use renders only a refusal, however its URL was reached."""
    def checked(*args, **query):
        if not roles.may_open(current_scope(), path):
            return html.Div([html.H1("Geen toegang"),
                             html.P("Deze pagina hoort niet bij uw rol.")])
        return layout(*args, **query) if callable(layout) else layout
    return checked


def _download(app: dash.Dash, kind: str, build, send) -> None:
    """A click on a download button: the file is built on the server in the viewer's scope."""
    @app.callback(Output({"type": f"{kind}-bestand", "key": MATCH}, "data"),
                  Input({"type": f"{kind}-knop", "key": MATCH}, "n_clicks"),
                  State({"type": f"{kind}-knop", "key": MATCH}, "id"), prevent_initial_call=True)
    def download(_clicks: int, button: dict) -> dict:
        if not roles.may_download(current_scope(), button["key"]):
            raise PreventUpdate
        name, content = build(published(), current_scope(), button["key"])
        audit.record("download", bestand=name)
        return send(content, name)


def _audit_note_change(change: dict) -> None:
    """Who changed which note field, never the text itself (it may hold figures)."""
    audit.record("notitie_gewijzigd", onderdeel=change["entity"], nummer=change["entity_id"],
                 veld=change["field"], door=change["changed_by"])


def create_app(settings: Settings | None = None,
               viewer: ViewerResolver | None = None) -> dash.Dash:
    """The dashboard; `viewer` replaces the login (tests, tools) with a fixed resolver."""
    settings = settings or load_settings()
    server = flask.Flask(__name__)
    secret = auth.session_secret(settings)
    data = Published(settings, auth.derived_key(secret, "aliassen"))
    users = auth.UserStore(settings.paths.users)
    login = auth.init_login(server, settings, secret, data.cache_folder / "sessies", users)
    resolver = viewer or login
    store = NotesStore(database.open_engine(settings), on_change=_audit_note_change)
    install(server, AppState(published=data, notes=NotesService(store, settings.dashboard),
                             audit=audit.AuditLog(settings.paths.audit), viewer=resolver,
                             limits=settings.dashboard, users=users,
                             demo_file=settings.paths.demo_logins))
    # A fixed viewer (tests, tools) has no login session to forge requests with.
    server.config["WTF_CSRF_ENABLED"] = viewer is None
    auth.protect(server, resolver)
    page_cache.register(server, FileSystemCache(str(data.cache_folder / "paginas"),
                                                threshold=1000, default_timeout=0))
    app = dash.Dash(__name__, server=server, use_pages=True,
                    pages_folder=str(PACKAGE / "pages"), assets_folder=str(PACKAGE / "assets"),
                    suppress_callback_exceptions=True, title="Jeugd & Onderwijs Monitor",
                    on_error=errors.on_callback_error)
    app.layout = _layout
    dash_internals.wrap_layouts(_role_checked)
    app.index_string = app.index_string.replace("<html>", '<html lang="nl">', 1)  # WCAG 3.1.1
    data_docs.register(server)
    errors.register(server, settings.dashboard)
    blocks.register(app)
    notes_component.register(app)

    @server.route("/overleg/<int:meeting_id>/pakket.<kind>")
    def meeting_pack(meeting_id: int, kind: str) -> flask.Response:
        response = pack.response(meeting_id, kind)
        audit.record("vergaderpakket", overleg=meeting_id, soort=kind)
        return response

    @app.callback(Output("voet", "children"), Input("adres", "pathname"))
    def footer(_path: str) -> list:
        try:
            run = published().runs().iloc[0]
        except NotPublished as error:
            return [str(error)]
        return [f"Gegevens tot en met {run['gegevens_tot_en_met']} · run {published().run_id} · "
                f"weergave: {current_scope().label} · kaart: Kadaster / CBS, 2024"]

    _download(app, "csv", downloads.build, dcc.send_string)
    _download(app, "xlsx", downloads.build_xlsx, dcc.send_bytes)

    security.add_headers(app)
    security.no_store(server)
    security.trust_proxies(server, settings.login.trusted_proxies)
    return app


def create_server() -> flask.Flask:
    return create_app().server
