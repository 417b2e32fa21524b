"""The Dash app: create_app() for tests and tools, create_server() for gunicorn."""

from __future__ import annotations

from pathlib import Path

import dash
import flask
from dash import MATCH, Input, Output, State, dcc, html

from dashboard import data_docs, downloads
from dashboard.components import blocks
from dashboard.context import Viewer, ViewerResolver, current_scope, published
from dashboard.data import NotPublished, Published
from pipelines.settings import Settings, load_settings
from privacy.scope import Scope

PACKAGE = Path(__file__).resolve().parent
NAVIGATION = (("/", "Overzicht"), ("/plan", "Plan"), ("/do", "Do"), ("/check", "Check"),
              ("/act", "Act"), ("/bestuur", "Mijn bestuur"), ("/scholen", "Scholen"),
              ("/wijk", "Wijken"), ("/datakwaliteit", "Datakwaliteit"))


def built_in_analyst(settings: Settings) -> ViewerResolver:
    """Until logins exist, every request is the municipal analyst (sees all areas)."""
    peers = bool(settings.section("disclosure").get("peers_by_name", False))

    def resolve(_request: flask.Request) -> Viewer:
        return Viewer("analist", "Analist", "gemeente", Scope("analist", peers_by_name=peers))
    return resolve


def _layout() -> html.Div:
    return html.Div([
        html.A("Naar de inhoud", href="#inhoud", className="skip"),
        html.Header([
            html.Div("Jeugd & Onderwijs Monitor", className="merk"),
            html.Nav([dcc.Link(label, href=href, className="nav") for href, label in NAVIGATION],
                     **{"aria-label": "Hoofdmenu"}),
        ]),
        html.Main(dash.page_container, id="inhoud"),
        html.Footer(id="voet"),
        dcc.Location(id="adres"),
    ])


def _download(app: dash.Dash, kind: str, build, send) -> None:
    """A click on a download button: the file is built on the server in the viewer's scope."""
    @app.callback(Output({"type": f"{kind}-bestand", "key": MATCH}, "data"),
                  Input({"type": f"{kind}-knop", "key": MATCH}, "n_clicks"),
                  State({"type": f"{kind}-knop", "key": MATCH}, "id"), prevent_initial_call=True)
    def download(_clicks: int, button: dict) -> dict:
        name, content = build(published(), current_scope(), button["key"])
        return send(content, name)


def create_app(settings: Settings | None = None,
               viewer: ViewerResolver | None = None) -> dash.Dash:
    settings = settings or load_settings()
    server = flask.Flask(__name__)
    server.config["MONITOR_PUBLISHED"] = Published(settings)
    server.config["MONITOR_VIEWER"] = viewer or built_in_analyst(settings)
    app = dash.Dash(__name__, server=server, use_pages=True,
                    pages_folder=str(PACKAGE / "pages"), assets_folder=str(PACKAGE / "assets"),
                    suppress_callback_exceptions=True, title="Jeugd & Onderwijs Monitor")
    app.layout = _layout
    app.index_string = app.index_string.replace("<html>", '<html lang="nl">', 1)  # WCAG 3.1.1
    data_docs.register(server)
    blocks.register(app)

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
    return app


def create_server() -> flask.Flask:
    return create_app().server
